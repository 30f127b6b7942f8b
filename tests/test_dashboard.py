"""`gen dashboard`: one offline page, opened in a real headless Chromium."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.cohort.reader import read_cohort
from generator.rules.report import Report, check
from tests.conftest import ROOT, SAMPLE, SAMPLE_TODAY
from tests.workbooks import valid_row, write_workbook

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
BARS = "#graphique-chronologie g.mark-rect.role-mark path"


def _dashboard(cohort: Path, page: Path, today: dt.date = SAMPLE_TODAY,
               *options: str) -> Path:
    result = CliRunner().invoke(cli, ["dashboard", str(cohort), "-o", str(page),
                                      "--today", today.isoformat(), *options])
    assert result.exit_code == 0, result.output
    assert "Tableau de bord écrit" in result.output
    return page


@dataclass
class Opened:
    """A page loaded in Chromium, with what it said and asked for."""

    page: Any
    console: list[tuple[str, str]] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def count(self, selector: str) -> int:
        return int(self.page.evaluate(f"document.querySelectorAll({selector!r}).length"))

    def visible(self, selector: str) -> list[dict[str, str]]:
        """The data-* attributes of the matching elements that are shown."""
        return list(self.page.evaluate(
            "s => Array.from(document.querySelectorAll(s)).filter(e => !e.hidden)"
            ".map(e => Object.assign({}, e.dataset))", selector))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, driven by Playwright. Skipped without it on a developer's machine;
    in CI (CI=true) its absence is a failure."""
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium absent : apt-get install chromium")
        pytest.skip("Chromium absent : apt-get install chromium")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


def _open(browser: Any, page_path: Path, width: int = 1366, height: int = 768) -> Opened:
    page = browser.new_page(viewport={"width": width, "height": height})
    opened = Opened(page)
    page.on("console", lambda m: opened.console.append((m.type, m.text)))
    page.on("pageerror", lambda e: opened.console.append(("pageerror", str(e))))
    page.on("request", lambda r: opened.requests.append(r.url))
    page.on("dialog", lambda d: (opened.dialogs.append(d.message), d.dismiss()))
    page.goto(page_path.resolve().as_uri())
    page.wait_for_selector("body[data-pret]", state="attached", timeout=20_000)
    assert page.get_attribute("body", "data-pret") == "oui", opened.console
    return opened


@pytest.fixture(scope="module")
def sample_report() -> Report:
    return check(read_cohort(SAMPLE), SAMPLE_TODAY)


@pytest.fixture(scope="module")
def sample_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _dashboard(SAMPLE, tmp_path_factory.mktemp("tableau") / "tableau.html")


@pytest.fixture
def opened(browser: Any, sample_page: Path) -> Iterator[Opened]:
    page = _open(browser, sample_page)
    yield page
    page.page.close()


def test_the_page_loads_offline_without_any_error(opened: Opened, sample_page: Path) -> None:
    assert [m for m in opened.console if m[0] in ("error", "pageerror")] == []
    assert opened.requests == [sample_page.resolve().as_uri()]  # the page itself, nothing else
    assert opened.page.title() == "Tableau de bord des stages — cohorte-exemple.xlsx"


def test_one_bar_per_student_with_an_internship(opened: Opened, sample_report: Report) -> None:
    with_internship = [
        row for row in sample_report.cohort.rows
        if not sample_report.derived[row.row_number].exempt and row.date_debut is not None
        and row.date_fin is not None and row.date_fin >= row.date_debut]
    assert len(with_internship) == 24
    assert opened.count(BARS) == len(with_internship)
    labels = opened.page.evaluate(
        "Array.from(document.querySelectorAll('#graphique-chronologie text'))"
        ".map(t => t.textContent)")
    for row in with_internship:
        assert f"{row.numero_auditeur} · {row.full_name}" in labels
    assert "cours du soir" in labels and "cours du jour" in labels  # grouped by modality


def test_the_week_lists_the_derived_deadlines(opened: Opened, sample_report: Report) -> None:
    today, week_end = SAMPLE_TODAY, SAMPLE_TODAY + dt.timedelta(days=7)
    expected = set()
    for row in sample_report.cohort.rows:
        derived = sample_report.derived[row.row_number]
        if derived.exempt:
            continue
        convention, immersion = derived.convention_deadline, derived.immersion_end
        evaluation = derived.evaluation_return_by
        if convention and row.date_convention is None and convention <= week_end:
            expected.add(("convention", row.numero_auditeur, convention.isoformat()))
        if immersion and today <= immersion <= week_end:
            expected.add(("immersion", row.numero_auditeur, immersion.isoformat()))
        if evaluation and row.date_evaluation is None and evaluation <= week_end:
            expected.add(("evaluation", row.numero_auditeur, evaluation.isoformat()))
    shown = {(item["kind"], item["student"], item["date"])
             for item in opened.visible("li.echeance")}
    assert shown == expected
    assert shown == {("evaluation", "PAR26128", "2026-10-02"),
                     ("evaluation", "PAR26127", "2026-10-24"),
                     ("convention", "PAR26113", "2026-12-02"),
                     ("immersion", "PAR26126", "2026-12-03")}
    late = opened.page.inner_text("li.echeance.retard")
    assert "en retard de 57 jours" in late and "PAR26128 Karim BENHAMOU" in late
    # the reminders `gen reminders` would send today
    assert {item["student"] for item in opened.visible("li.relance")} == {
        "PAR26113", "PAR26114", "PAR26122", "PAR26127", "PAR26128"}


def test_a_filter_hides_what_it_should(opened: Opened, sample_report: Report) -> None:
    page = opened.page
    ongoing = [r for r in sample_report.cohort.rows
               if sample_report.derived[r.row_number].step == "ongoing"]
    page.select_option("#filtre-etape", "ongoing")
    page.wait_for_function(f"document.querySelectorAll({BARS!r}).length === {len(ongoing)}")
    rows = opened.visible("tr.auditeur")
    assert len(rows) == len(ongoing) == 10
    assert {row["step"] for row in rows} == {"ongoing"}
    assert page.inner_text("#compte") == "10 auditeurs sur 30"
    assert {item["student"] for item in opened.visible("li.echeance")} == {"PAR26126"}

    page.select_option("#filtre-etape", "")
    page.fill("#recherche", "bernard")
    page.wait_for_function(f"document.querySelectorAll({BARS!r}).length === 1")
    assert [row["search"].split()[0] for row in opened.visible("tr.auditeur")] == ["par26113"]

    page.fill("#recherche", "")
    page.select_option("#filtre-gravite", "error")
    errors = {f.row for f in sample_report.findings if f.severity == "error"}
    assert len(opened.visible("tr.auditeur")) == len(errors)

    page.select_option("#filtre-gravite", "")
    page.select_option("#filtre-modalite", "cours du jour")
    day = [r for r in sample_report.cohort.rows if r.modalite == "cours du jour"]
    assert len(opened.visible("tr.auditeur")) == len(day)


def test_the_table_shows_findings_as_gen_check_words_them(opened: Opened,
                                                          sample_report: Report) -> None:
    table = opened.page.inner_text("#auditeurs")
    for finding in sample_report.findings:
        if finding.row is not None:
            assert finding.message in table, finding.code
    assert opened.count("tr.auditeur") == 30


def test_a_screenshot_at_1366_by_768(opened: Opened) -> None:
    output = ROOT / "output"
    output.mkdir(exist_ok=True)
    shot = output / "tableau-1366x768.png"
    opened.page.screenshot(path=str(shot))
    assert shot.read_bytes().startswith(b"\x89PNG")
    opened.page.screenshot(path=str(output / "tableau-page-entiere.png"), full_page=True)


def test_it_prints_on_a4_landscape(opened: Opened, tmp_path: Path) -> None:
    pdf = tmp_path / "tableau.pdf"
    opened.page.emulate_media(media="print")
    opened.page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo absent : apt-get install poppler-utils")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points


def test_cell_text_is_never_markup(browser: Any, tmp_path: Path) -> None:
    hostile = "<script>alert('nom')</script><img src=x onerror=alert(2)>"
    cohort = write_workbook(tmp_path / "c.xlsx", [
        valid_row(nom=hostile, structure_nom="</script><script>alert(3)</script>",
                  observations="{{ 7*7 }}"),
        valid_row(numero_auditeur="100002", prenom="\" onmouseover=\"alert(4)",
                  modalite="cours du jour")])
    page_path = _dashboard(cohort, tmp_path / "tableau.html")
    html = page_path.read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#39;nom&#39;)&lt;/script&gt;" in html
    opened = _open(browser, page_path)
    try:
        assert opened.dialogs == []
        assert [m for m in opened.console if m[0] in ("error", "pageerror")] == []
        assert opened.count("script") == 3 and opened.count("img") == 0
        assert hostile.upper() in opened.page.inner_text("#auditeurs")  # shown as typed
        assert opened.count(BARS) == 2
    finally:
        opened.page.close()


def test_links_to_the_documents_already_generated(browser: Any, tmp_path: Path) -> None:
    cohort = write_workbook(tmp_path / "c.xlsx", [valid_row(nom="Éluard Dupont")])
    output = tmp_path / "sortie"
    result = CliRunner().invoke(cli, ["conventions", str(cohort), "-o", str(output),
                                      "--today", "2026-07-01"])
    assert result.exit_code == 0, result.output
    page_path = _dashboard(cohort, output / "tableau.html", dt.date(2026, 7, 1))
    opened = _open(browser, page_path)
    try:
        links = opened.page.evaluate(
            "Array.from(document.querySelectorAll('td.documents a'))"
            ".map(a => [a.textContent, a.href])")
        assert [label for label, _href in links] == ["convention"]
        target = links[0][1]
        assert target == (output / "conventions" / "100001_ÉLUARD-DUPONT_Claire.docx"
                          ).resolve().as_uri()
    finally:
        opened.page.close()


def test_the_page_is_one_offline_file(sample_page: Path) -> None:
    html = sample_page.read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html and "connect-src 'none'" in html
    markup = re.sub(r"(?s)(<script[^>]*>).*?</script>", r"\1</script>", html)
    assert markup.count("<script") == 3
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", markup)


def test_an_unusable_workbook_is_one_french_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["dashboard", str(tmp_path / "absent.xlsx"), "-o",
                                      str(tmp_path / "tableau.html")])
    assert result.exit_code == 2
    assert result.output.startswith("Erreur : ") and "Traceback" not in result.output
    assert not (tmp_path / "tableau.html").exists()
