"""Each run leaves a document folder as its manifest describes it: a document no longer
produced is moved aside, a document edited by hand is kept and reported unless --force."""

from __future__ import annotations

from pathlib import Path

from print_helpers import cohort, run, student

TODAY = "2026-06-01"


def _conventions(workbook: Path, output: Path, *options: str) -> object:
    return run("conventions", workbook, "-o", output, "--today", TODAY, *options)


def test_a_document_no_longer_produced_is_moved_aside(tmp_path: Path) -> None:
    output = tmp_path / "sortie"
    first = _conventions(cohort(tmp_path / "c.xlsx", [student(1), student(2)]), output)
    assert first.exit_code == 0, first.stderr
    folder = output / "conventions"
    old = folder / "100002_NOM02_Prénom02.docx"
    assert old.is_file()

    # row 2 now has an error on a field the convention states; row 1 is renamed
    again = _conventions(cohort(tmp_path / "c.xlsx", [
        student(1, nom="Nouveau"), student(2, structure_siret="123")]), output)
    assert again.exit_code == 1
    assert sorted(p.name for p in folder.glob("*.docx")) == ["100001_NOUVEAU_Prénom01.docx"]
    assert sorted(p.name for p in (folder / "anciens").iterdir()) == [
        "100001_NOM01_Prénom01.docx", "100002_NOM02_Prénom02.docx"]
    assert "2 documents d'un lancement précédent, plus produits, déplacés" in again.stdout


def test_a_document_edited_by_hand_is_kept_unless_force(tmp_path: Path) -> None:
    workbook = cohort(tmp_path / "c.xlsx", [student(1), student(2)])
    output = tmp_path / "sortie"
    assert _conventions(workbook, output).exit_code == 0
    edited = output / "conventions" / "100001_NOM01_Prénom01.docx"
    edited.write_bytes(edited.read_bytes() + b"\0")  # saved again by someone
    mine = edited.read_bytes()

    for _ in range(2):  # and kept by the next runs too
        result = _conventions(workbook, output)
        assert result.exit_code == 1
        assert edited.read_bytes() == mine
        assert "ligne 2 (100001 Prénom01 NOM01) : document non généré — modifié à la main" in \
            result.stderr
        manifest = (output / "conventions" / "manifest.csv").read_text(encoding="utf-8-sig")
        assert ";conservé;" in manifest

    forced = _conventions(workbook, output, "--force")
    assert forced.exit_code == 0, forced.stderr
    assert edited.read_bytes() != mine
    assert not (output / "conventions" / "anciens").exists()
