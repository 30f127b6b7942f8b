"""Word sees a French, current document: every document type generated from the sample (and
the combined print files) is schema-valid OOXML, tagged fr-FR, in Word 2013+ mode, without
python-docx's leftovers, and its core properties are its own; the shipped templates are too."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLE, SAMPLE_TODAY, TEMPLATES
from lxml import etree
from openxml_audit import OpenXmlValidator

from generator.cli import cli
from generator.cohort.params import Params
from generator.documents.package import core_properties, normalise

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
DC = "{http://purl.org/dc/elements/1.1/}"
DCTERMS = "{http://purl.org/dc/terms/}"
EPOCH = 1795000000  # 19 novembre 2026, 08:26:40 UTC
ESTABLISHMENT = Params().etablissement
COMMANDS = (("all",), ("evaluations", "--packs"), ("reminders", "--letters"))
KINDS = ("definitions", "accords", "conventions", "bordereaux", "evaluations", "attestations",
         "evaluations/packs", "relances/lettres", "relances")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, list[Path]]]:
    """Every .docx the sample gives, by folder (relative to the output folder)."""
    folder = tmp_path_factory.mktemp("sortie")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
        for command in COMMANDS:
            result = CliRunner().invoke(cli, [command[0], str(SAMPLE), "-o", str(folder),
                                              "--today", SAMPLE_TODAY.isoformat(), "-q",
                                              *command[1:]])
            assert result.exit_code in (0, 1), result.output
    found: dict[str, list[Path]] = {}
    for path in sorted(folder.rglob("*.docx")):
        found.setdefault(path.parent.relative_to(folder).as_posix(), []).append(path)
    assert sorted(found) == sorted(KINDS)
    assert [path.name for path in found["relances"]] == ["lettres-a-imprimer.docx"]
    yield found


def _xml(path: Path, member: str) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read(member))


@pytest.mark.parametrize("kind", KINDS)
def test_every_document_type_is_schema_valid(outputs: dict[str, list[Path]], kind: str) -> None:
    validator = OpenXmlValidator()
    for path in outputs[kind]:
        result = validator.validate(path)
        assert [str(error) for error in result.errors] == [], path.name


@pytest.mark.parametrize("kind", KINDS)
def test_every_document_is_french_and_current(outputs: dict[str, list[Path]], kind: str
                                              ) -> None:
    for path in outputs[kind]:
        with zipfile.ZipFile(path) as package:
            names = package.namelist()
            word = {name: etree.fromstring(package.read(name)) for name in names
                    if name.startswith("word/") and name.endswith(".xml")}
        assert "word/stylesWithEffects.xml" not in names
        assert not [name for name in names if "thumbnail" in name]
        default = word["word/styles.xml"].find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
        assert default is not None and default.get(f"{W}val") == "fr-FR"
        languages = {lang.get(f"{W}val") for root in word.values()
                     for lang in root.iter(f"{W}lang")}
        assert languages == {"fr-FR"}, path.name
        settings = word["word/settings.xml"]
        mode = settings.find(f"{W}compat/{W}compatSetting[@{W}name='compatibilityMode']")
        assert mode is not None and mode.get(f"{W}val") == "15"
        assert settings.find(f"{W}themeFontLang").get(f"{W}val") == "fr-FR"


@pytest.mark.parametrize("kind", KINDS)
def test_core_properties_are_the_documents_own(outputs: dict[str, list[Path]], kind: str
                                               ) -> None:
    for path in outputs[kind]:
        with zipfile.ZipFile(path) as package:
            raw = package.read("docProps/core.xml")
        assert b"python-docx" not in raw and b"2013" not in raw
        core = etree.fromstring(raw)
        assert core.findtext(f"{DC}creator") == ESTABLISHMENT
        assert core.findtext(f"{CP}lastModifiedBy") == ESTABLISHMENT
        assert core.findtext(f"{DC}language") == "fr-FR"
        stamp = dt.datetime.fromtimestamp(EPOCH, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        assert core.findtext(f"{DCTERMS}created") == stamp
        assert core.findtext(f"{DCTERMS}modified") == stamp


def test_titles_name_the_document_and_the_person(outputs: dict[str, list[Path]]) -> None:
    def title(path: Path) -> str:
        return _xml(path, "docProps/core.xml").findtext(f"{DC}title") or ""

    convention = next(path for path in outputs["conventions"] if path.name.startswith("PAR"))
    number, surname, first = convention.stem.split("_")[:3]
    assert title(convention) == f"Convention de stage – {first} {surname}"
    assert title(outputs["relances"][0]) == "Lettres de relance à imprimer"
    pack = next(path for path in outputs["evaluations/packs"] if path.suffix == ".docx")
    tutor = " ".join(reversed(pack.stem.split("_")[-2:]))
    assert title(pack) == f"Dossier du tuteur – {tutor}"
    assert {title(path).split(" – ")[0] for path in outputs["relances/lettres"]} <= {
        "Relance : définition du stage pratique", "Relance : accord pédagogique",
        "Relance : convention de stage", "Relance : pièces du dossier de convention",
        "Relance : fiche d'évaluation du stage", "Relance : fiche d'évaluation incomplète"}


def test_without_a_fixed_time_a_document_is_dated_when_generated(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    result = CliRunner().invoke(cli, ["approvals", str(SAMPLE), "-o", str(tmp_path), "--today",
                                      SAMPLE_TODAY.isoformat(), "-q", "--only", "PAR26110"])
    assert result.exit_code == 0, result.output
    (path,) = (tmp_path / "accords").glob("*.docx")
    created = _xml(path, "docProps/core.xml").findtext(f"{DCTERMS}created") or ""
    when = dt.datetime.strptime(created, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    assert before <= when <= dt.datetime.now(dt.UTC)


@pytest.mark.parametrize("template", sorted(path.name for path in TEMPLATES.glob("*.docx")))
def test_shipped_templates_are_normal(template: str) -> None:
    """A template edited and committed without `python data/normalise_templates.py` fails
    here: run the script on it."""
    with zipfile.ZipFile(TEMPLATES / template) as package:
        members = {name: package.read(name) for name in package.namelist()}
    assert normalise(members) == members
    assert b"python-docx" not in members["docProps/core.xml"]
    assert OpenXmlValidator().validate(TEMPLATES / template).errors == []


def test_normalising_a_python_docx_package(tmp_path: Path) -> None:
    """python-docx's own default document: every leftover the issue names is fixed, and a
    second pass changes nothing."""
    from docx import Document

    Document().save(tmp_path / "brut.docx")
    with zipfile.ZipFile(tmp_path / "brut.docx") as package:
        members = {name: package.read(name) for name in package.namelist()}
    assert b"en-US" in members["word/styles.xml"]
    fixed = normalise(members)
    assert "word/stylesWithEffects.xml" not in fixed and "docProps/thumbnail.jpeg" not in fixed
    assert b"stylesWithEffects" not in fixed["word/_rels/document.xml.rels"]
    assert b"stylesWithEffects" not in fixed["[Content_Types].xml"]
    assert b"thumbnail" not in fixed["_rels/.rels"]
    for part in ("word/styles.xml", "word/settings.xml"):
        root = etree.fromstring(fixed[part])
        values = {e.get(f"{W}val") for e in root.iter(f"{W}lang", f"{W}themeFontLang")}
        assert values == {"fr-FR"}, part
    assert normalise(fixed) == fixed


def test_core_properties_escape_their_values() -> None:
    raw = core_properties("Convention – <Zoé & Cie>", "Cnam", dt.datetime(2026, 1, 2, 3, 4, 5,
                                                                          tzinfo=dt.UTC))
    core = etree.fromstring(raw)
    assert core.findtext(f"{DC}title") == "Convention – <Zoé & Cie>"
    assert core.findtext(f"{DCTERMS}created") == "2026-01-02T03:04:05Z"


def test_the_script_leaves_a_normal_template_untouched(tmp_path: Path) -> None:
    from data.normalise_templates import normalise_template

    copy = tmp_path / "accord.docx"
    shutil.copy(TEMPLATES / "accord.docx", copy)
    before = copy.read_bytes()
    assert normalise_template(copy) is False
    assert copy.read_bytes() == before
