"""`gen templates check` and the same check before every batch: the team's own copies of the
templates, deliberately broken one way at a time, each refused with its own French message and
without writing any document; a template edited in LibreOffice still works."""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document
from engine_helpers import docx_text, make_template
from lxml import etree
from print_helpers import AFTER_END, cohort, run, student

from generator.documents import sources
from generator.documents.checking import check_template
from generator.documents.context import example_context

ROOT = Path(__file__).resolve().parents[1]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
COMMANDS = {"definition.docx": "definitions", "accord.docx": "approvals",
            "convention.docx": "conventions", "evaluation.docx": "evaluations"}


def _rewrite(path: Path, member: str, change: Callable[[bytes], bytes]) -> None:
    """Rewrite one member of a .docx/.odt, keeping the others (and their order) as they are."""
    with zipfile.ZipFile(path) as source:
        items = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w") as target:
        for info, data in items:
            target.writestr(info, change(data) if info.filename == member else data)


def _on_body(path: Path, change: Callable[[etree._Element], None]) -> None:
    def apply(data: bytes) -> bytes:
        root = etree.fromstring(data)
        change(root)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    _rewrite(path, "word/document.xml", apply)


def _append_paragraphs(root: etree._Element, *texts: str) -> None:
    body = root.find(f"{W}body")
    assert body is not None
    sect_pr = body.find(f"{W}sectPr")
    for text in texts:
        paragraph = etree.SubElement(body, f"{W}p")
        run_element = etree.SubElement(paragraph, f"{W}r")
        etree.SubElement(run_element, f"{W}t").text = text
        if sect_pr is not None:
            sect_pr.addprevious(paragraph)


def _first_tag_run(root: etree._Element) -> etree._Element:
    """The first w:t holding a whole `{{ namespace.key }}` tag and nothing else."""
    for text in root.iter(f"{W}t"):
        if re.fullmatch(r"\{\{ \w+\.\w+ \}\}", text.text or ""):
            return text
    raise AssertionError("no tag alone in a run")


def unknown_key(root: etree._Element) -> str:
    text = _first_tag_run(root)
    key = (text.text or "")[3:-3]
    text.text = "{{ " + key + "_inconnue }}"
    return f"la clé « {key}_inconnue »"


def split_tag(root: etree._Element) -> str:
    text = _first_tag_run(root)
    run_element = text.getparent()
    second = copy.deepcopy(run_element)
    whole = text.text or ""
    text.text, second.find(f"{W}t").text = whole[:6], whole[6:]
    run_element.addnext(second)
    return f"la balise « {whole} »"


def unclosed_block(root: etree._Element) -> str:
    _append_paragraphs(root, "{% if auditeur.cours_du_soir %}", "Texte conditionnel")
    return "le bloc « {% if auditeur.cours_du_soir %} »"


def row_loop_outside_a_row(root: etree._Element) -> str:
    _append_paragraphs(root, "{%tr for ligne in stage.activites %}", "{{ ligne }}",
                       "{%tr endfor %}")
    return "la balise « {%tr for ligne in stage.activites %} »"


BREAKAGES = {
    unknown_key: "n'est pas fournie par le programme",
    split_tag: "est coupée en plusieurs morceaux par Word",
    unclosed_block: "n'est jamais fermé. Que faire : ajoutez « {% endif %} »",
    row_loop_outside_a_row: "n'est pas dans une ligne de tableau",
}


@pytest.fixture
def team_templates(tmp_path: Path) -> Path:
    """The team's own copy of every template."""
    return Path(shutil.copytree(ROOT / "templates", tmp_path / "modeles"))


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    return cohort(tmp_path / "cohorte.xlsx", [student(1), student(2)])


def test_the_shipped_templates_pass_and_their_keys_are_listed() -> None:
    result = run("templates", "check")
    assert result.exit_code == 0, result.stderr
    assert "convention.docx : correct" in result.stdout
    assert "lettre-tuteur.docx : correct" in result.stdout
    assert re.search(r"^  auditeur : .*nom_complet", result.stdout, re.MULTILINE)
    assert "Tous les modèles sont utilisables." in result.stdout
    assert result.stderr == ""


def test_the_team_copies_are_used_when_intact(team_templates: Path, workbook: Path,
                                               tmp_path: Path) -> None:
    result = run("all", workbook, "-o", tmp_path / "out", "--today", AFTER_END,
                 "--templates", team_templates)
    assert result.exit_code == 0, result.stderr
    for folder in ("definitions", "accords", "conventions", "evaluations"):
        assert len(list((tmp_path / "out" / folder).glob("*.docx"))) == 2


@pytest.mark.parametrize("template", sorted(COMMANDS))
@pytest.mark.parametrize("breakage", list(BREAKAGES), ids=lambda f: f.__name__)
def test_a_broken_copy_is_refused_before_any_document(
        template: str, breakage: Callable[[etree._Element], str], team_templates: Path,
        workbook: Path, tmp_path: Path) -> None:
    where: list[str] = []
    _on_body(team_templates / template, lambda root: where.append(breakage(root)))
    expected = f"Modèle « {template} » : {where[0]}"

    checked = run("templates", "check", "--templates", team_templates)
    assert checked.exit_code == 2
    assert expected in checked.stderr
    assert BREAKAGES[breakage] in checked.stderr
    # a row loop outside a row: its opening and its closing tag are both misplaced
    count = "2 problèmes" if breakage is row_loop_outside_a_row else "1 problème"
    assert f"{template} : {count}" in checked.stdout

    generated = run(COMMANDS[template], workbook, "-o", tmp_path / "out", "--today", AFTER_END,
                    "--templates", team_templates)
    assert generated.exit_code == 2
    assert expected in generated.stderr and BREAKAGES[breakage] in generated.stderr
    assert "Que faire" in generated.stderr
    assert not list(tmp_path.glob("out/**/*.docx"))


def test_each_breakage_has_its_own_message(team_templates: Path) -> None:
    messages = []
    for breakage in BREAKAGES:
        path = team_templates / f"{breakage.__name__}.docx"
        shutil.copyfile(team_templates / "convention.docx", path)
        _on_body(path, breakage)
        problems = check_template(path, example_context()).problems
        messages.append(problems[0].split(" : ", 1)[1])
    assert len(set(messages)) == len(BREAKAGES)


def test_a_pack_letter_is_checked_against_the_pack_keys(team_templates: Path, workbook: Path,
                                                         tmp_path: Path) -> None:
    _on_body(team_templates / "lettre-tuteur.docx",
             lambda root: _append_paragraphs(root, "{{ auditeur.nom_complet }}"))
    result = run("evaluations", workbook, "-o", tmp_path / "out", "--today", AFTER_END,
                 "--templates", team_templates, "--packs")
    assert result.exit_code == 2
    assert "Modèle « lettre-tuteur.docx » : la clé « auditeur »" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_team_folder_holding_some_templates_falls_back_to_the_shipped_ones(
        tmp_path: Path, workbook: Path) -> None:
    team = tmp_path / "modeles"
    team.mkdir()
    shutil.copyfile(ROOT / "templates" / "convention.docx", team / "convention.docx")
    _on_body(team / "convention.docx",
             lambda root: _append_paragraphs(root, "Clause ajoutée par l'équipe."))

    checked = run("templates", "check", "--templates", team)
    assert checked.exit_code == 0, checked.stderr
    assert "convention.docx : correct" in checked.stdout
    assert "accord.docx (modèle fourni avec gen) : correct" in checked.stdout
    assert "relance-pieces.docx (modèle fourni avec gen) : correct" in checked.stdout

    result = run("all", workbook, "-o", tmp_path / "out", "--today", AFTER_END,
                 "--templates", team)
    assert result.exit_code == 0, result.stderr
    conventions = sorted((tmp_path / "out" / "conventions").glob("*.docx"))
    assert len(conventions) == 2
    assert "Clause ajoutée par l'équipe." in docx_text(conventions[0])
    accords = sorted((tmp_path / "out" / "accords").glob("*.docx"))
    assert "Clause ajoutée" not in docx_text(accords[0])


def test_a_template_found_nowhere_stops_the_commands_and_the_check(
        team_templates: Path, workbook: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """An installation without its templates (the shipped folder empty) and a team folder
    lacking one: the check says which and exits 2, the command writes nothing."""
    monkeypatch.setattr(sources, "builtin_folder", lambda: tmp_path / "installation")
    (team_templates / "accord.docx").unlink()

    checked = run("templates", "check", "--templates", team_templates)
    assert checked.exit_code == 2
    assert "Modèle « accord.docx » introuvable" in checked.stderr
    assert "Tous les modèles sont utilisables" not in checked.stdout + checked.stderr

    alone = run("templates", "check")
    assert alone.exit_code == 2
    assert "Modèle « convention.docx » introuvable" in alone.stderr

    result = run("approvals", workbook, "-o", tmp_path / "out", "--templates", team_templates)
    assert result.exit_code == 2
    assert "accord.docx" in result.stderr and "introuvable" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_sentence_edited_in_libreoffice_shows_in_the_next_documents(
        soffice: str, team_templates: Path, workbook: Path, tmp_path: Path) -> None:
    work = tmp_path / "libreoffice"
    profile = f"-env:UserInstallation={(tmp_path / 'profil').as_uri()}"
    # open the convention in LibreOffice, change a sentence, save it back as .docx
    subprocess.run([soffice, profile, "--headless", "--convert-to", "odt", "--outdir",
                    str(work), str(team_templates / "convention.docx")], check=True,
                   capture_output=True, timeout=180)
    sentence = "Cette phrase a été modifiée par l'équipe dans LibreOffice."
    _rewrite(work / "convention.odt", "content.xml",
             lambda data: _replace_sentence(data, sentence))
    subprocess.run([soffice, profile, "--headless", "--convert-to", "docx:MS Word 2007 XML",
                    "--outdir", str(team_templates), str(work / "convention.odt")], check=True,
                   capture_output=True, timeout=180)

    assert run("templates", "check", "--templates", team_templates).exit_code == 0
    result = run("conventions", workbook, "-o", tmp_path / "out", "--today", "2026-06-01",
                 "--templates", team_templates)
    assert result.exit_code == 0, result.stderr
    documents = sorted((tmp_path / "out" / "conventions").glob("*.docx"))
    assert len(documents) == 2
    for document in documents:
        assert sentence in docx_text(document)
    assert "contrat de travail." not in docx_text(documents[0])


def _replace_sentence(content: bytes, sentence: str) -> bytes:
    """content.xml with the text of the paragraph about the work contract replaced."""
    root = etree.fromstring(content)
    for element in root.iter():
        if element.text and "ne donne lieu à aucun contrat de travail." in element.text:
            element.text = element.text.replace(
                "Le stage ne donne lieu à aucun contrat de travail.", sentence)
            return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    raise AssertionError("sentence not found in the convention")


@pytest.mark.parametrize(("paragraphs", "expected"), [
    (["Nom : {{ auditeur.nom "], "la balise « {{ auditeur.nom » (paragraphe « Nom : {{ "
                                 "auditeur.nom ») n'est pas fermée. Que faire : ajoutez « }} »"),
    (["{% endif %}"], "« {% endif %} » (paragraphe « {% endif %} ») ne ferme ni ne continue "
                      "aucun bloc ouvert"),
    (["{% if auditeur.feminin %}{% for x in stage.activites %}{% endif %}{% endfor %}"],
     "arrive alors que le bloc « {% for x in stage.activites %} » (paragraphe « {% if "
     "auditeur.feminin %}{% for x in stage.activites %}{% e… ») est encore ouvert. Que faire "
     ": fermez d'abord ce bloc par « {% endfor %} »."),
    (["{%p if auditeur.feminin %}", "Texte", "{% endif %}"],
     "l'ouverture et la fermeture doivent porter le même préfixe (tr, tc, p ou r). Que faire "
     ": fermez-le par « {%p endif %} »"),
    (["{{ auditeur.nom | inconnu }}"], "le filtre « inconnu » n'existe pas"),
    (["{% for x in stage.activites %}{{ x.titre }}{% endfor %}"],
     "la clé « titre » n'est pas fournie par le programme"),
    (["{{ tuteur.prenom_nmo }}"], "Vouliez-vous dire « tuteur.prenom_nom » ?"),
])
def test_what_the_check_says(paragraphs: list[str], expected: str, tmp_path: Path) -> None:
    path = make_template(tmp_path / "modele.docx", paragraphs)
    [problem] = check_template(path, example_context()).problems
    assert problem.startswith("Modèle « modele.docx » : ")
    assert expected in problem


def test_a_split_tag_in_the_footer_is_located(tmp_path: Path) -> None:
    document = Document()
    document.add_paragraph("{{ auditeur.nom }}")
    footer = document.sections[0].footer.paragraphs[0]
    footer.add_run("Page de {{ audi")
    footer.add_run("teur.nom }}").bold = True
    document.save(str(tmp_path / "modele.docx"))
    [problem] = check_template(tmp_path / "modele.docx", example_context()).problems
    assert "la balise « {{ auditeur.nom }} » (paragraphe « Page de {{ auditeur.nom }} » du " \
           "pied de page) est coupée en plusieurs morceaux par Word" in problem


def test_what_the_check_accepts(tmp_path: Path) -> None:
    path = make_template(tmp_path / "modele.docx", [
        "{{ extra[\"Référent de l'employeur\"] }} {{ extra[\"Colonne inconnue\"] }}",
        "{%p for activite in stage.activites %}", "{{ activite }}", "{%p endfor %}",
        "Accolades littérales : {_{ et }_}"],
        table=[["{%tr for critere in grille.activites %}", ""], ["{{ critere }}", "☐"],
               ["{%tr endfor %}", ""]])
    check = check_template(path, example_context())
    assert check.problems == ()
    assert "stage.activites" in check.keys and "grille.activites" in check.keys
