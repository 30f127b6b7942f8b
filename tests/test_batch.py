"""The batch: gating by step and findings, layout and names, manifest, failures that do not stop
the batch, templates checked before anything is written, and the commands' exit statuses —
on small templates written here, so that these tests do not depend on the team's wording."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from engine_helpers import assert_no_leftover_tag, assert_well_formed, docx_text, make_template
from workbooks import valid_row, write_workbook

from generator.cli import cli
from generator.cohort.reader import read_cohort
from generator.documents.batch import (
    DOCUMENTS,
    FAILED,
    GENERATED,
    SKIPPED,
    BatchResult,
    generate,
)
from generator.documents.engine import Template
from generator.errors import GenError, TemplateError
from generator.rules.report import check

TODAY = dt.date(2026, 11, 28)
BODY = [
    "{{ auditeur.nom_complet }} — {{ structure.nom }}",
    "Du {{ dates.debut }} au {{ dates.fin }}, {{ stage.heures_total }} heures",
    "{%p for activite in stage.activites %}",
    "• {{ activite }}",
    "{%p endfor %}",
    "Action : {{ stage.action_collective }}",
]
ROWS = [
    valid_row(numero_auditeur="100001", nom="Martin", prenom="Claire"),  # row 2: every document
    valid_row(numero_auditeur="100002", nom="Martin", prenom="Claire",  # row 3: same name
              action_collective="Jardin partagé & <potager> {{ x }}"),
    valid_row(numero_auditeur="100003", nom="Roux", prenom="Inès", date_accord=None,
              date_convention=None),  # row 4: waiting for the approval
    valid_row(numero_auditeur="100004", nom="Sy", prenom="Awa", experience_mois=24,
              experience_attestee="oui", structure_nom=None, date_definition=None,
              date_accord=None, date_convention=None),  # row 5: exempt
    valid_row(numero_auditeur="100005", nom="Petit", prenom="Noé",
              structure_siret="12345678901234"),  # row 6: an error on a convention field
]


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    folder = tmp_path / "modeles"
    folder.mkdir()
    for kind in DOCUMENTS.values():
        make_template(folder / kind.template, [kind.title, *BODY],
                      footer="N° {{ auditeur.numero }}")
    return folder


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "cohorte.xlsx", ROWS)


def conventions(workbook: Path, output: Path, templates: Path, **options: object
                ) -> BatchResult:
    report = check(read_cohort(workbook), TODAY, frozenset({"convention"}))
    return generate(report, "convention", output, templates, **options)  # type: ignore[arg-type]


def manifest(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream, delimiter=";"))


def test_conventions_gated_named_and_listed(workbook: Path, tmp_path: Path,
                                            templates: Path) -> None:
    output = tmp_path / "sortie"
    result = conventions(workbook, output, templates)
    by_row = {item.row: item for item in result.items}
    assert {row: item.status for row, item in by_row.items()} == {
        2: GENERATED, 3: GENERATED, 4: SKIPPED, 5: SKIPPED, 6: SKIPPED}
    assert "accord pédagogique" in by_row[4].reason and not by_row[4].due
    assert "dispensé" in by_row[5].reason and not by_row[5].due
    assert by_row[6].due and "SIRET" in by_row[6].reason
    assert [item.row for item in result.problems] == [6]

    folder = output / "conventions"
    assert sorted(p.name for p in folder.iterdir()) == [
        "100001_MARTIN_Claire.docx", "100002_MARTIN_Claire.docx", "manifest.csv"]
    assert result.written == [folder / "100001_MARTIN_Claire.docx",
                              folder / "100002_MARTIN_Claire.docx"]
    text = docx_text(folder / "100002_MARTIN_Claire.docx")
    assert "Mme Claire MARTIN — Association Tremplin" in text
    assert "Du 14 septembre 2026 au 15 janvier 2027, 560 heures" in text
    assert "• Entretiens individuels\n• Animation d'ateliers" in text
    assert "Action : Jardin partagé & <potager> {{ x }}" in text
    assert "N° 100002" in text

    lines = manifest(folder / "manifest.csv")
    assert [line["Ligne"] for line in lines] == ["2", "3", "4", "5", "6"]
    assert list(lines[0]) == ["Ligne", "Auditeur", "Fichier", "SHA-256", "Statut", "Motif"]
    assert lines[0]["Auditeur"] == "100001 Claire MARTIN"
    for line in lines[:2]:
        assert line["Statut"] == "produit"
        data = (folder / line["Fichier"]).read_bytes()
        assert line["SHA-256"] == hashlib.sha256(data).hexdigest()
        assert_well_formed(data)
        assert_no_leftover_tag(docx_text(data).replace("{{ x }}", ""))
    assert lines[4]["Statut"] == "non produit" and lines[4]["Fichier"] == ""
    assert "SIRET" in lines[4]["Motif"]
    # opens in a French spreadsheet like journal.csv: BOM, `;`
    assert (folder / "manifest.csv").read_bytes().startswith(b"\xef\xbb\xbfLigne;Auditeur;")


def test_force_generates_despite_errors_and_says_so(workbook: Path, tmp_path: Path,
                                                     templates: Path) -> None:
    result = conventions(workbook, tmp_path / "sortie", templates, force=True)
    forced = next(item for item in result.items if item.row == 6)
    assert forced.status == GENERATED and forced.file is not None and forced.file.exists()
    assert forced.reason.startswith("généré malgré les erreurs (--force)")
    assert [f.code for f in forced.findings] == ["CELL-SIRET"]
    exempt = next(item for item in result.items if item.row == 5)
    assert exempt.status == SKIPPED  # --force never gives an exempt student a document


def test_only_selects_rows_and_unknown_numbers_stop_before_writing(
        workbook: Path, tmp_path: Path, templates: Path) -> None:
    result = conventions(workbook, tmp_path / "a", templates, only={" 100002 "})
    assert [(item.row, item.status) for item in result.items] == [(3, GENERATED)]
    # the file name does not depend on --only: still the second "Martin Claire"
    assert result.written[0].name == "100002_MARTIN_Claire.docx"
    with pytest.raises(GenError, match="N° auditeur absent du classeur : 999"):
        conventions(workbook, tmp_path / "b", templates, only={"100001", "999"})
    assert not (tmp_path / "b" / "conventions" / "manifest.csv").exists()


def test_a_failing_row_does_not_stop_the_batch(workbook: Path, tmp_path: Path, templates: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    render = Template.render

    def flaky(self: Template, context: dict[str, object]) -> bytes:
        if context["auditeur"]["numero"] == "100001":  # type: ignore[index]
            raise ValueError("boum")
        return render(self, context)

    monkeypatch.setattr(Template, "render", flaky)
    calls: list[tuple[int, int]] = []
    result = conventions(workbook, tmp_path / "sortie", templates,
                         progress=lambda done, total: calls.append((done, total)))
    statuses = {item.row: item.status for item in result.items}
    assert statuses[2] == FAILED and statuses[3] == GENERATED
    failed = result.items[0]
    assert failed.reason == "erreur inattendue (ValueError : boum)" and failed.file is None
    assert calls == [(4, 5), (5, 5)]  # the 3 rows without a document at once, then per document
    assert not list((tmp_path / "sortie" / "conventions").glob(".gen-*"))


def test_an_unknown_key_stops_before_any_file(workbook: Path, tmp_path: Path,
                                              templates: Path) -> None:
    make_template(templates / "convention.docx", ["Du {{ stage.date_debutt }}"])
    with pytest.raises(TemplateError) as raised:
        conventions(workbook, tmp_path / "sortie", templates)
    assert str(raised.value) == ("Le modèle « convention.docx » utilise la clé "
                                 "« stage.date_debutt », que le programme ne fournit pas.")
    assert not (tmp_path / "sortie" / "conventions").exists()


def test_a_rerun_replaces_files_under_the_same_names(workbook: Path, tmp_path: Path,
                                                     templates: Path) -> None:
    first = conventions(workbook, tmp_path / "sortie", templates)
    second = conventions(workbook, tmp_path / "sortie", templates)
    assert first.written == second.written
    assert [i.sha256 for i in first.items] == [i.sha256 for i in second.items]
    assert len(list((tmp_path / "sortie" / "conventions").iterdir())) == 3


def run(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [str(arg) for arg in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    return result.exit_code, result.stdout, result.stderr


def test_gen_all_writes_each_folder_and_sums_up(workbook: Path, tmp_path: Path,
                                                templates: Path) -> None:
    output = tmp_path / "sortie"
    code, out, err = run("all", workbook, "-o", output, "--templates", templates,
                         "--today", TODAY.isoformat())
    assert code == 1  # row 6's convention is skipped
    for folder, count in (("definitions", 4), ("accords", 4), ("conventions", 2),
                          ("evaluations", 3)):
        assert len(list((output / folder).glob("*.docx"))) == count, folder
        assert (output / folder / "manifest.csv").exists()
    assert "Document" in out and "Générés" in out and "Conventions de stage" in out
    assert "Conventions de stage, ligne 6 (100005 Noé PETIT) : document non généré" in err
    assert "SIRET" in err
    assert "dispensé" in out


def test_exit_0_when_every_due_document_is_written(workbook: Path, tmp_path: Path,
                                                   templates: Path) -> None:
    code, out, err = run("evaluations", workbook, "-o", tmp_path / "s", "--templates",
                         templates, "--today", TODAY.isoformat())
    assert (code, err) == (0, "")
    assert "Fiches d'évaluation" in out
    code, out, err = run("evaluations", workbook, "-o", tmp_path / "s", "--templates",
                         templates, "--today", TODAY.isoformat(), "-q")
    assert (code, out, err) == (0, "", "")


def test_quiet_still_prints_problems(workbook: Path, tmp_path: Path, templates: Path) -> None:
    code, out, err = run("conventions", workbook, "-o", tmp_path / "s", "--templates",
                         templates, "--today", TODAY.isoformat(), "-q")
    assert code == 1 and out == "" and "ligne 6" in err


def test_force_on_the_command_line(workbook: Path, tmp_path: Path, templates: Path) -> None:
    code, _out, err = run("conventions", workbook, "-o", tmp_path / "s", "--templates",
                          templates, "--today", TODAY.isoformat(), "--force")
    assert code == 0
    assert "ligne 6" in err and "--force" in err  # the errors are still printed
    assert (tmp_path / "s" / "conventions" / "100005_PETIT_Noé.docx").exists()


@pytest.mark.parametrize("problem", ["workbook", "template", "only"])
def test_unusable_input_exits_2_with_one_french_line(workbook: Path, tmp_path: Path,
                                                     templates: Path, problem: str) -> None:
    args: list[str | Path] = ["all", workbook, "-o", tmp_path / "s", "--templates", templates]
    if problem == "workbook":
        args[1] = tmp_path / "absent.xlsx"
    elif problem == "template":
        (templates / "evaluation.docx").write_bytes(b"pas un docx")
    else:
        args += ["--only", "999"]
    code, out, err = run(*args)
    assert code == 2 and out == ""
    assert err.startswith("Erreur : ") and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    assert not (tmp_path / "s").exists()  # nothing written, not even the other documents


def test_an_extra_column_prints_its_cell_or_nothing(tmp_path: Path, templates: Path) -> None:
    from workbooks import LABELS

    header = "Référent employeur"
    workbook = write_workbook(tmp_path / "extra.xlsx", [
        {**ROWS[0], header: "Mme Sophie LEROY"}, ROWS[1]], headers=[*LABELS, header])
    make_template(templates / "convention.docx", [
        f'{{% if extra["{header}"] %}}Référent : {{{{ extra["{header}"] }}}}{{% endif %}}.',
        "{{ auditeur.numero }}"])
    result = conventions(workbook, tmp_path / "sortie", templates)
    assert [item.status for item in result.items] == [GENERATED, GENERATED]
    first, second = (docx_text(path) for path in result.written)
    assert "Référent : Mme Sophie LEROY." in first
    assert "Référent" not in second and "100002" in second
