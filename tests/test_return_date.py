"""One evaluation return date everywhere (issue 9): the form, the tutor's pack letter, the
reminder letter and its e-mail, the dashboard and the calendar give the same date, the derived
`evaluation_return_by` (the end + « Délai de retour de l'évaluation (jours) »)."""

from __future__ import annotations

import re
import zipfile
from email import message_from_bytes, policy
from pathlib import Path

from click.testing import CliRunner
from icalendar import Calendar
from reminders_helpers import TODAY, reminder_cohort

from generator.cli import cli
from generator.cohort.reader import read_cohort
from generator.documents.context import build_context
from generator.rules.report import check

RETURN = "3 septembre 2026"  # D4's internship ended on 19 August 2026: + 15 days


def _gen(*args: str) -> None:
    result = CliRunner().invoke(cli, [*args, "--today", TODAY.isoformat()])
    assert result.exit_code in (0, 1), result.output + result.stderr


def _docx_text(path: Path) -> str:
    """Every paragraph's text (table cells and content controls included), one per line."""
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("word/document.xml").decode()
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S)
    text = "\n".join("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p))
                     for p in paragraphs)
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_every_document_gives_the_same_return_date(tmp_path: Path) -> None:
    cohort = reminder_cohort(tmp_path)
    out = tmp_path / "sortie"
    report = check(read_cohort(cohort), TODAY)
    row = next(r for r in report.cohort.rows if r.numero_auditeur == "D4")
    context = build_context(row, report.derived[row.row_number], report.cohort.params, TODAY)
    assert context["dates"]["retour_evaluation"] == RETURN  # type: ignore[index]

    _gen("evaluations", str(cohort), "-o", str(out), "--packs")
    form = next((out / "evaluations").glob("D4_*.docx"))
    assert RETURN in _docx_text(form)
    # the pack's letter (the combined file begins with it): her student's own date
    pack = out / "evaluations" / "packs" / "Association-Tremplin_DURAND_Sophie.docx"
    letter = _docx_text(pack).split("salutations distinguées")[0]
    assert re.search(rf"Anh NGUYEN\nD4\n.*\n.*\n{RETURN}\n", letter), letter
    assert "au plus tard à sa date de retour" not in letter  # one student: the date itself
    assert f"la fiche complétée et signée au plus tard le {RETURN}" in letter

    _gen("reminders", str(cohort), "-o", str(out), "--eml", "--reason", "evaluation")
    (reminder,) = (out / "relances" / "lettres").glob("D4_*.docx")
    assert f"attendue au plus tard le {RETURN}" in _docx_text(reminder)
    (eml,) = (out / "relances" / "courriels").glob("D4_*.eml")
    message = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert message["Subject"].endswith(f"à retourner au plus tard le {RETURN}")
    body = message.get_body(("plain",))
    assert body is not None and f"au plus tard le {RETURN}" in body.get_content() \
        .replace("\u00a0", " ")

    _gen("dashboard", str(cohort), "-o", str(out / "tableau.html"))
    page = (out / "tableau.html").read_text(encoding="utf-8")
    assert f"échéance du {RETURN}" in page.replace("\u00a0", " ")

    _gen("calendar", str(cohort), "-o", str(out / "echeances.ics"))
    calendar = Calendar.from_ical((out / "echeances.ics").read_bytes())
    returns = [event.decoded("dtstart") for event in calendar.walk("VEVENT")
               if "NGUYEN" in str(event["summary"]) and "valuation" in str(event["summary"])]
    assert returns == [report.derived[row.row_number].evaluation_return_by]


def test_the_pack_letter_says_when_a_return_date_is_past(tmp_path: Path) -> None:
    cohort = reminder_cohort(tmp_path)
    out = tmp_path / "sortie"
    result = CliRunner().invoke(cli, ["evaluations", str(cohort), "-o", str(out), "--packs",
                                      "--today", "2026-09-04"])
    assert result.exit_code in (0, 1), result.output + result.stderr
    pack = out / "evaluations" / "packs" / "Association-Tremplin_DURAND_Sophie.docx"
    letter = _docx_text(pack).split("salutations distinguées")[0]
    assert f"{RETURN} (date dépassée)" in letter
    assert f"dès que possible, la date de retour prévue ({RETURN}) étant passée" in letter
