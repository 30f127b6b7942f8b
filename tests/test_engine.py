"""The rendering engine on small templates written by python-docx: values escaped and cleaned,
line breaks kept, Jinja typed in a cell printed as typed, unknown keys named in French,
templates prepared once, files written atomically."""

from __future__ import annotations

import hashlib
import io
import os
import stat
import zipfile
from pathlib import Path

import pytest
from docxtpl import DocxTemplate
from engine_helpers import (
    assert_no_leftover_tag,
    assert_well_formed,
    docx_text,
    make_template,
    open_docx,
)

from generator.atomic import write_atomic
from generator.documents import engine
from generator.documents.checking import check_context, missing_keys
from generator.documents.engine import Template, document_text
from generator.documents.package import normalise
from generator.errors import TemplateError

LETTER = [
    "Convention pour {{ auditeur.prenom }} {{ auditeur.nom }}",
    "Structure : {{ structure.nom }}",
    "{%p for activite in stage.activites %}",
    "- {{ activite }}",
    "{%p endfor %}",
    "{%p if stage.memoire %}",
    "Le stage sert de support au mémoire.",
    "{%p endif %}",
    "Observations : {{ observations }}",
]
GRID = [["Activité", "Appréciation"], ["{%tr for activite in stage.activites %}", ""],
        ["{{ activite }}", "{{ niveau }}"], ["{%tr endfor %}", ""]]


def context(**changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "auditeur": {"prenom": "Élodie", "nom": "MARTIN"},
        "structure": {"nom": "Association Le Relais"},
        "stage": {"activites": ["Accueillir le public", "Assister aux réunions"],
                  "memoire": True},
        "observations": "",
        "niveau": "Satisfaisant",
    }
    values.update(changes)
    return values


@pytest.fixture
def letter(tmp_path: Path) -> Template:
    path = make_template(tmp_path / "lettre.docx", LETTER, header="En-tête {{ structure.nom }}",
                         footer="Page — {{ auditeur.nom }}", table=GRID)
    return Template.load(path)


def test_renders_body_loops_tables_headers_and_footers(letter: Template) -> None:
    data = letter.render(context())
    assert_well_formed(data)
    text = docx_text(data)
    assert_no_leftover_tag(text)
    for expected in ("Convention pour Élodie MARTIN", "Structure : Association Le Relais",
                     "- Accueillir le public", "- Assister aux réunions",
                     "Le stage sert de support au mémoire.", "En-tête Association Le Relais",
                     "Page — MARTIN"):
        assert expected in text
    table = open_docx(data).tables[0]
    assert [row.cells[0].text for row in table.rows] == [
        "Activité", "Accueillir le public", "Assister aux réunions"]
    assert "support au mémoire" not in docx_text(letter.render(context(
        stage={"activites": [], "memoire": False})))


def test_keys_are_the_top_level_variables(letter: Template) -> None:
    assert letter.keys == {"auditeur", "structure", "stage", "observations", "niveau"}
    assert {"auditeur.prenom", "structure.nom", "stage.activites"} <= letter.references
    assert "activite" not in letter.keys  # a loop variable is not a key


def test_same_text_as_docxtpl_itself(letter: Template) -> None:
    values = context(observations="deux\nlignes & <balises>")
    reference = DocxTemplate(str(letter.path))
    reference.render(values, autoescape=True)
    stream = io.BytesIO()
    reference.save(stream)
    assert docx_text(letter.render(values)) == docx_text(stream.getvalue())


@pytest.mark.parametrize("typed", [
    "{{ 7 * 7 }}", "{% for x in range(3) %}x{% endfor %}", "{{ auditeur.nom }}", "{# note #}",
    "{_{ }_}", "{{ ''.__class__.__mro__ }}", "{%p if true %}",
])
def test_jinja_typed_in_a_cell_is_printed_as_typed(letter: Template, typed: str) -> None:
    data = letter.render(context(observations=typed))
    assert_well_formed(data)
    assert f"Observations : {typed}" in docx_text(data)


def test_xml_special_characters_are_escaped(letter: Template) -> None:
    typed = "Tom & Jerry <w:p> \"guillemets\" 'apostrophe' ]]> &amp;"
    data = letter.render(context(structure={"nom": typed}))
    assert_well_formed(data)
    assert f"Structure : {typed}" in docx_text(data)


def test_each_value_is_escaped_once_whatever_prints_it(tmp_path: Path) -> None:
    template = Template.load(make_template(tmp_path / "echappement.docx", [
        "{% macro entre(x) %}[{{ x }}]{% endmacro %}A {{ v }} B {{ v|upper }} C {{ entre(v) }}",
        "D {% autoescape false %}{{ v }}{% endautoescape %} E {{ v ~ '<' }}",
    ]))
    data = template.render({"v": "a<b&c"})
    assert_well_formed(data)
    assert docx_text(data).splitlines()[:2] == ["A a<b&c B A<B&C C [a<b&c]",
                                                "D a<b&c E a<b&c<"]


def test_a_line_break_stays_a_line_break(letter: Template) -> None:
    data = letter.render(context(observations="première ligne\r\ndeuxième\ntroisième"))
    paragraph = next(p for p in open_docx(data).paragraphs if p.text.startswith("Observations"))
    assert paragraph.text == "Observations : première ligne\ndeuxième\ntroisième"
    assert paragraph._p.xml.count("<w:br/>") == 2


def test_control_characters_are_removed(letter: Template) -> None:
    data = letter.render(context(observations="a\x00b\x07c\x1bd\x7fe\x85f\tg\ufffeh\ud800i"))
    assert_well_formed(data)
    assert "Observations : abcde\nf ghi" in docx_text(data)


def test_document_text() -> None:
    assert document_text("e\u0301te\u0301\r\nhiver\rprintemps\x0bautomne\u2028fin") == \
        "e\u0301te\u0301\nhiver\nprintemps\nautomne\nfin"  # accents left as typed
    assert document_text("\x01\x02\x03 ok \u200d👩‍💻\tfin") == " ok \u200d👩‍💻 fin"


def test_none_prints_nothing(letter: Template) -> None:
    assert "Observations : \n" in docx_text(letter.render(context(observations=None))) + "\n"


def test_a_missing_key_is_named_with_the_template(letter: Template) -> None:
    values = context()
    del values["niveau"]
    values["structure"] = {"name": "typo"}
    assert missing_keys(letter, values) == {"niveau", "structure.nom"}
    with pytest.raises(TemplateError) as raised:
        check_context(letter, values)
    assert str(raised.value) == ("Le modèle « lettre.docx » utilise la clé « niveau », que le "
                                 "programme ne fournit pas.")
    with pytest.raises(TemplateError, match="lettre.docx"):
        letter.render(values)


def test_a_misspelt_nested_key_is_named_in_full(tmp_path: Path) -> None:
    template = Template.load(make_template(tmp_path / "convention.docx",
                                           ["Du {{ stage.date_debutt }} au {{ stage.fin }}"]))
    with pytest.raises(TemplateError) as raised:
        check_context(template, {"stage": {"date_debut": "1er mars 2027", "fin": "x"}})
    assert str(raised.value) == ("Le modèle « convention.docx » utilise la clé "
                                 "« stage.date_debutt », que le programme ne fournit pas.")


def test_check_renders_once_to_catch_loop_variables(tmp_path: Path) -> None:
    template = Template.load(make_template(tmp_path / "t.docx", [
        "{%p for a in liste %}", "{{ a.inconnu }}", "{%p endfor %}"]))
    with pytest.raises(TemplateError, match="t.docx"):
        check_context(template, {"liste": [{"nom": "x"}]})


def test_the_sandbox_refuses_unsafe_attributes(tmp_path: Path) -> None:
    template = Template.load(make_template(tmp_path / "piege.docx", [
        "{{ valeur.__class__.__mro__ }}"]))
    with pytest.raises(TemplateError, match="piege.docx"):
        template.render({"valeur": "x"})


def test_a_broken_tag_fails_at_load_in_french(tmp_path: Path) -> None:
    path = make_template(tmp_path / "casse.docx", ["Bonjour", "Du {{ stage.debut } au"])
    with pytest.raises(TemplateError) as raised:
        Template.load(path)
    message = str(raised.value)
    assert message.startswith("Le modèle « casse.docx » contient une balise mal formée")
    assert "Du {{ stage.debut } au" in message


@pytest.mark.parametrize("content", [b"", b"pas un zip", None])
def test_not_a_docx(tmp_path: Path, content: bytes | None) -> None:
    path = tmp_path / "modele.docx"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(TemplateError, match="« modele.docx »"):
        Template.load(path)


def test_prepared_once_rendering_never_reads_or_compiles_again(
        letter: Template, monkeypatch: pytest.MonkeyPatch) -> None:
    letter.path.unlink()

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("template compiled again")

    monkeypatch.setattr(engine.ENVIRONMENT, "parse", refuse)
    monkeypatch.setattr(engine.ENVIRONMENT, "from_string", refuse)
    monkeypatch.setattr(engine._DOCXTPL, "patch_xml", refuse)
    for number in range(3):
        text = docx_text(letter.render(context(observations=f"ligne {number}")))
        assert f"Observations : ligne {number}" in text


def test_untemplated_members_are_kept_and_rendering_is_reproducible(
        letter: Template, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    data = letter.render(context())
    with zipfile.ZipFile(letter.path) as source, zipfile.ZipFile(io.BytesIO(data)) as output:
        # the template as prepared: French, current, without python-docx's leftovers
        members = normalise({name: source.read(name) for name in source.namelist()})
        assert sorted(members) == sorted(output.namelist())
        assert "word/stylesWithEffects.xml" not in members
        assert output.namelist()[0] == "[Content_Types].xml"
        for name in members:
            if name not in ("word/document.xml", "word/header1.xml", "word/footer1.xml",
                            "docProps/core.xml"):
                assert members[name] == output.read(name), name
    assert hashlib.sha256(letter.render(context())).digest() == hashlib.sha256(data).digest()


def test_write_atomic_replaces_in_place(tmp_path: Path) -> None:
    target = tmp_path / "document.docx"
    write_atomic(target, b"premier")
    write_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert os.listdir(tmp_path) == ["document.docx"]


def test_write_atomic_interrupted_leaves_the_old_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "document.docx"
    target.write_bytes(b"ancien")

    def interrupted(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"nouveau")
    assert target.read_bytes() == b"ancien"
    assert os.listdir(tmp_path) == ["document.docx"]


def test_a_zip_that_is_no_docx_or_a_broken_part(tmp_path: Path) -> None:
    not_docx = tmp_path / "archive.docx"
    with zipfile.ZipFile(not_docx, "w") as archive:
        archive.writestr("lisez-moi.txt", "bonjour")
    broken = tmp_path / "abime.docx"
    source = make_template(tmp_path / "source.docx", ["{{ a }}"])
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(broken, "w") as copy:
        for name in original.namelist():
            data = original.read(name)
            copy.writestr(name, data[:-20] if name == "word/document.xml" else data)
    for path in (not_docx, broken):
        with pytest.raises(TemplateError, match=f"« {path.name} » n'est pas un document Word"):
            Template.load(path)


def test_column_loops_keep_the_table_grid_consistent(tmp_path: Path) -> None:
    path = make_template(tmp_path / "colonnes.docx", ["Tableau"], table=[
        ["{%tc for niveau in niveaux %}", "{{ niveau }}", "{%tc endfor %}"]])
    data = Template.load(path).render({"niveaux": ["Très satisfaisant", "Satisfaisant",
                                                   "À améliorer", "Insuffisant"]})
    assert_well_formed(data)
    table = open_docx(data).tables[0]
    assert [cell.text for cell in table.rows[0].cells] == [
        "Très satisfaisant", "Satisfaisant", "À améliorer", "Insuffisant"]
    assert len(table._tbl.tblGrid.gridCol_lst) == 4


def test_written_files_get_the_usual_permissions(tmp_path: Path) -> None:
    """Not mkstemp's owner-only 0600: the team shares the output folder."""
    umask = os.umask(0)
    os.umask(umask)
    write_atomic(tmp_path / "document.docx", b"x")
    mode = stat.S_IMODE((tmp_path / "document.docx").stat().st_mode)
    assert mode == 0o666 & ~umask
