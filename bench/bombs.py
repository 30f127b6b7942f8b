"""How fast and how small a zip bomb is refused: a 2 GB workbook and 2 GB templates (the bomb
in a picture, then in the document's text itself), each a few MB on disk, given to `gen` in a
child process (target: under 2 s and 300 MB each), beside the same command on the sample
workbook and the program's own templates.

    python bench/bombs.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from zipbombs import make_bomb  # noqa: E402  (the builder the tests use too)

# `gen` run as its console script would, then its own peak memory written to a file.
_MEASURED = """
import resource, runpy, sys
sys.argv = ["gen", *sys.argv[2:]]
try:
    runpy.run_module("generator", run_name="__main__")
finally:
    with open(__import__("os").environ["PEAK_FILE"], "w") as out:
        out.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
"""


def measured(args: list[str], cwd: Path) -> tuple[int, float, float]:
    """Run `gen args` in a child process: its exit status, seconds taken (start-up included)
    and its peak resident memory in MB."""
    peak_file = cwd / "peak.txt"
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-c", _MEASURED, "gen", *args],
                            capture_output=True, text=True, cwd=cwd, timeout=300,
                            env={**os.environ, "PYTHONPATH": str(REPO),
                                 "PEAK_FILE": str(peak_file)})
    seconds = time.monotonic() - started
    return result.returncode, seconds, int(peak_file.read_text()) / 1024


def _templates(folder: Path, member: str) -> Path:
    """A team folder holding the program's templates, `definition.docx` a 2 GB bomb whose
    `member` is the bomb."""
    folder.mkdir()
    for source in (REPO / "templates").glob("*.docx"):
        (folder / source.name).write_bytes(source.read_bytes())
    definition = folder / "definition.docx"
    make_bomb(definition, member, 2 << 30, definition.read_bytes())
    return folder


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        work = Path(name)
        workbook = make_bomb(work / "cohorte.xlsx", "xl/worksheets/sheet1.xml", 2 << 30)
        picture = _templates(work / "image", "word/media/image1.png")
        text = _templates(work / "texte", "word/document.xml")
        sample = REPO / "data" / "cohorte-exemple.xlsx"
        cases = [
            ("classeur", ["check", str(workbook)], ["check", str(sample)]),
            ("modèle (image)", ["templates", "check", "--templates", str(picture)],
             ["templates", "check"]),
            ("modèle (texte)", ["templates", "check", "--templates", str(text)],
             ["templates", "check"]),
            ("modèle (document)", ["definitions", str(sample), "--templates", str(text),
                                   "-o", str(work / "sortie")],
             ["definitions", str(sample), "-o", str(work / "sortie-normale")]),
        ]
        for label, bomb, normal in cases:
            code, seconds, peak = measured(bomb, work)
            _code, usual, usual_peak = measured(normal, work)
            print(f"{label:18} bombe de 2 Go : code {code}, {seconds:.2f} s, {peak:.0f} Mo ; "
                  f"la même commande sur un fichier normal : {usual:.2f} s, {usual_peak:.0f} Mo"
                  f" ; rapport {seconds / usual:.2f} (cibles : 2 s, 300 Mo)")


if __name__ == "__main__":
    main()
