"""`gen check` on a 10,000-row workbook against pandas alone reading the same file.

Run: python bench/check.py [ROWS]
Measured side by side in this one run (median of three, interleaved), two ways:
- whole processes, as the issue measured them and as a user meets them: `python -m generator
  check` against a Python process that imports pandas and reads the file; the target (≤ 1.5)
  is on this ratio;
- inside this process, both libraries already imported: the work alone, for information.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from click.testing import CliRunner
from openpyxl import Workbook
from targets import verdict

from generator.cli import cli
from generator.cohort.columns import COLUMNS

TODAY = "2026-11-28"
TARGET = 1.5


def _row(index: int, rng: random.Random) -> dict[str, object]:
    start = dt.date(2026, 9, 7) + dt.timedelta(days=rng.randrange(0, 120))
    evening = rng.random() < 0.5
    return {
        "numero_auditeur": f"PAR{100000 + index}",
        "civilite": rng.choice(["M.", "Mme", "Madame", "M"]),
        "nom": f"Nom{index}",
        "prenom": rng.choice(["Claire", "Éloïse", "Jean-Marc", "Aïcha", "Luc"]),
        "email": f"auditeur{index}@exemple.fr",
        "telephone": "06 12 34 56 78",
        "adresse": "12 rue des Lilas\n75011 Paris",
        "modalite": "cours du soir" if evening else "Cours du jour",
        "experience_mois": rng.randrange(0, 14),
        "experience_attestee": rng.choice(["oui", "non", ""]),
        "memoire_sur_stage": "oui",
        "structure_nom": f"Association Solidarité {index % 300}",
        "structure_type": "association",
        "structure_adresse": "5 avenue de la République",
        "structure_code_postal": rng.choice(["75011", 1000, "93200"]),
        "structure_ville": "Paris",
        "structure_siret": "732 829 320 00074",
        "structure_representant": "Marie Durand",
        "structure_representant_fonction": "Directrice",
        "action_collective": "Atelier collectif de recherche d'emploi",
        "tuteur_civilite": "Mme",
        "tuteur_nom": "Martin",
        "tuteur_prenom": "Sophie",
        "tuteur_fonction": "Conseillère en insertion",
        "tuteur_email": f"tuteur{index % 300}@exemple.org",
        "tuteur_telephone": "01.23.45.67.89",
        "date_debut": start,
        "date_fin": start + dt.timedelta(days=rng.choice([120, 126, 200])),
        "heures_total": rng.choice([560, 560, 540]),
        "heures_hebdo": rng.choice([35, 35, 21]),
        "jours_presence": rng.choice(["", "lundi, mardi et jeudi"]),
        "gratification_horaire": rng.choice([4.35, "4,35", None]),
        "objectifs": "Connaître le public\nConduire un projet",
        "activites": "Observer des entretiens\nAccompagner un professionnel\nAnimer un atelier",
        "date_definition": start - dt.timedelta(days=40),
        "date_accord": start - dt.timedelta(days=30),
        "date_convention": start - dt.timedelta(days=rng.choice([20, 12, 5])),
        "exemplaires_convention": 3 if evening else None,
        "attestation_assurance": "oui",
        "carte_auditeur": rng.choice(["oui", "x", ""]),
        "date_evaluation": None,
        "stage_valide": None,
        "observations": "RAS",
    }


def build_workbook(path: Path, rows: int) -> None:
    rng = random.Random(110)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Cohorte")
    sheet.append([c.label for c in COLUMNS])
    for index in range(rows):
        row = _row(index, rng)
        sheet.append([row.get(c.key) for c in COLUMNS])
    book.save(path)


def median_of(runs: int, *tasks: Callable[[], object]) -> list[float]:
    """The median seconds of each task over `runs` rounds, the tasks interleaved in each round
    so that all see the same machine load."""
    times: list[list[float]] = [[] for _ in tasks]
    for _ in range(runs):
        for index, task in enumerate(tasks):
            started = time.perf_counter()
            task()
            times[index].append(time.perf_counter() - started)
    return [statistics.median(each) for each in times]


ROOT = Path(__file__).resolve().parents[1]
_PANDAS_READ = ("import sys, pandas\n"
                "pandas.read_excel(sys.argv[1], sheet_name='Cohorte', engine='calamine')\n")


def _process(*arguments: str) -> None:
    done = subprocess.run([sys.executable, *arguments], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, cwd=ROOT, timeout=600)
    assert done.returncode in (0, 1), done.stderr.decode(errors="replace")


def main(rows: int = 10_000) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cohorte.xlsx"
        build_workbook(path, rows)
        runner = CliRunner()
        whole = median_of(
            3, lambda: _process("-m", "generator", "check", str(path), "--today", TODAY,
                                "--format", "json"),
            lambda: _process("-c", _PANDAS_READ, str(path)))

        def gen_check() -> None:
            result = runner.invoke(cli, ["check", str(path), "--today", TODAY, "--format",
                                         "json"])
            assert result.exit_code in (0, 1), result.output

        def pandas_read() -> None:
            pd.read_excel(path, sheet_name="Cohorte", engine="calamine")

        inside = median_of(3, gen_check, pandas_read)
    print(f"{rows} lignes, médiane de 3     {'gen check':>10} {'pandas':>8} {'rapport':>8}")
    for label, (check_time, pandas_time), target in (
            ("processus entiers", whole, verdict(whole[0] / whole[1], "≤", TARGET)),
            ("dans ce processus", inside, "(pour information)")):
        print(f"{label:<27} {check_time:9.2f}s {pandas_time:7.2f}s "
              f"{check_time / pandas_time:8.2f}  {target}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
