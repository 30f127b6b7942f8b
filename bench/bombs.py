"""How fast and how small a zip bomb is refused: a 2 GB workbook and a 2 GB template, each a
few MB on disk, given to `gen` in a child process (target: under 2 s and 300 MB each), beside
the same command on the sample workbook and the program's own templates.

    python bench/bombs.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_hostile_templates import REPO, _bomb, _peak  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        workbook = _bomb(work / "cohorte.xlsx", "xl/worksheets/sheet1.xml", 2 << 30)
        templates = work / "modeles"
        templates.mkdir()
        for source in (REPO / "templates").glob("*.docx"):
            (templates / source.name).write_bytes(source.read_bytes())
        definition = templates / "definition.docx"
        _bomb(definition, "word/media/image1.png", 2 << 30, definition.read_bytes())
        sample = REPO / "data" / "cohorte-exemple.xlsx"
        cases = [("classeur", ["check", str(workbook)], ["check", str(sample)]),
                 ("modèle", ["templates", "check", "--templates", str(templates)],
                  ["templates", "check"])]
        for label, bomb, normal in cases:
            result, seconds, peak = _peak(bomb, work)
            _ok, usual, usual_peak = _peak(normal, work)
            print(f"{label:9} bombe de 2 Go : code {result.returncode}, {seconds:.2f} s, "
                  f"{peak:.0f} Mo ; le même contrôle sur un fichier normal : {usual:.2f} s, "
                  f"{usual_peak:.0f} Mo ; rapport {seconds / usual:.2f} (cibles : 2 s, 300 Mo)")


if __name__ == "__main__":
    main()
