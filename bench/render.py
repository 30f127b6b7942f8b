"""`gen conventions` against the plain docxtpl loop, on the same template and the same rows.

Run: python bench/render.py [ROWS] [--templates DIR]     (ROWS: 1000 by default)

Writes a workbook of ROWS students whose conventions are due, then measures, side by side in
this one run:
- `gen conventions` as a user runs it (reading the workbook, the checks, the documents, the
  manifest), with a fresh output folder;
- the library's batch alone (`generate`: template prepared once, rendering, writing);
- the plain docxtpl loop: DocxTemplate(path) → render(context) → save, once per row, with the
  same contexts (built beforehand, not timed).
It prints the documents per second of each and the ratios; the target is a ratio ≥ 20 for
`gen conventions` over the plain loop.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner
from docxtpl import DocxTemplate

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from workbooks import valid_row, write_workbook  # noqa: E402

from generator.cli import cli  # noqa: E402
from generator.cohort.reader import read_cohort  # noqa: E402
from generator.documents.batch import DEFAULT_TEMPLATES, generate  # noqa: E402
from generator.documents.context import build_context  # noqa: E402
from generator.rules.report import check  # noqa: E402

TODAY = dt.date(2026, 11, 28)
FIRST_NAMES = ("Claire", "Karim", "Inès", "Léa", "Mamadou", "Zoé", "Hugo", "Aïcha", "Noé",
               "Élodie")
LAST_NAMES = ("Martin", "Bernard", "Dubois", "N'Diaye", "Lefèvre", "Garcia", "Nguyen",
              "Le Goff", "Moreau", "Haddad")


def _rows(count: int) -> list[dict[str, object]]:
    rows = []
    for index in range(count):
        rows.append(valid_row(
            numero_auditeur=f"{100001 + index}",
            nom=LAST_NAMES[index % len(LAST_NAMES)],
            prenom=FIRST_NAMES[(index // len(LAST_NAMES)) % len(FIRST_NAMES)],
            email=f"auditeur{index}@example.org",
            structure_nom=f"Association n° {index % 37} & partenaires",
            activites="\n".join(f"- Activité {n} de l'auditeur {index}" for n in range(1, 6)),
            objectifs="Conduire un diagnostic de territoire\nAnimer un atelier collectif",
        ))
    return rows


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", nargs="?", type=int, default=1000)
    parser.add_argument("--templates", type=Path, default=DEFAULT_TEMPLATES)
    args = parser.parse_args()
    template_path = args.templates / "convention.docx"

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        workbook = write_workbook(work / "cohorte.xlsx", _rows(args.rows))
        report = check(read_cohort(workbook), TODAY, frozenset({"convention"}))
        ready = report.ready("convention")
        params = report.cohort.params
        contexts = [build_context(row, report.derived[row.row_number], params, TODAY)
                    for row in ready]
        documents = len(contexts)

        def command() -> None:
            result = CliRunner().invoke(cli, [
                "conventions", str(workbook), "-o", str(work / "commande"), "-q",
                "--templates", str(args.templates), "--today", TODAY.isoformat()])
            if result.exit_code != 0:
                raise SystemExit(f"gen conventions a échoué : {result.output}")

        def library() -> None:
            result = generate(report, "convention", work / "bibliotheque", args.templates)
            assert len(result.written) == documents

        def plain_loop() -> None:
            out = work / "docxtpl"
            out.mkdir()
            for number, context in enumerate(contexts):
                template = DocxTemplate(template_path)
                template.render(context, autoescape=True)
                template.save(out / f"{number}.docx")

        command_time = _timed(command)
        library_time = _timed(library)
        plain_time = _timed(plain_loop)

    def line(label: str, seconds: float) -> str:
        return (f"{label:<44} {seconds:8.2f} s  {documents / seconds:9.1f} documents/s  "
                f"{1000 * seconds / documents:7.2f} ms/document")

    print(f"{documents} conventions ({args.rows} lignes), modèle {template_path.name} "
          f"({template_path.stat().st_size // 1024} Kio)")
    print(line("gen conventions (lecture, contrôles, écriture)", command_time))
    print(line("generate() seul (modèle préparé une fois)", library_time))
    print(line("boucle docxtpl (charger, remplir, enregistrer)", plain_time))
    print(f"rapport gen conventions / boucle docxtpl : {plain_time / command_time:.1f}  "
          f"(objectif ≥ 20)")
    print(f"rapport generate() / boucle docxtpl      : {plain_time / library_time:.1f}")


if __name__ == "__main__":
    main()
