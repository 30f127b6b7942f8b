"""PDF conversion: two LibreOffice processes side by side against one, on the same conventions,
measured in one run.

    python bench/pdf.py              # 40 conventions, 5 runs of each (the ratio varies by ±0.05)
    python bench/pdf.py -n 20 --runs 9

The documents are conventions rendered from the repository's template. Each run converts
them all (`convert`, as `--pdf` does: processes started once, with their own profiles, every
PDF checked); the runs of one and two processes alternate. Prints the median seconds per
document of each and their ratio (target: two processes at least 1.6 times faster).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from targets import verdict

from generator.documents.batch import load_template
from generator.documents.context import example_context
from generator.documents.pdf import convert, find_soffice

TARGET = 1.6


def _documents(folder: Path, count: int) -> list[Path]:
    template = load_template("convention")
    data = template.render(example_context())
    paths = [folder / f"{number:04d}_AUDITEUR_Stagiaire.docx" for number in range(count)]
    for path in paths:
        path.write_bytes(data)
    return paths


def _timed(documents: list[Path], workers: int, soffice: str) -> float:
    start = time.perf_counter()
    results = convert(documents, soffice=soffice, workers=workers)
    elapsed = time.perf_counter() - start
    failed = [result for result in results if not result.ok]
    if failed:
        sys.exit(f"conversion échouée : {failed[0].source.name} : {failed[0].error}")
    for document in documents:
        document.with_suffix(".pdf").unlink()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--count", type=int, default=40, help="documents (40)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each (5)")
    args = parser.parse_args()
    soffice = find_soffice()
    times: dict[int, list[float]] = {1: [], 2: []}
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as folder_text:
        documents = _documents(Path(folder_text), args.count)
        _timed(documents[:1], 1, soffice)  # warm the disk cache
        for _ in range(args.runs):
            for workers in times:
                times[workers].append(_timed(documents, workers, soffice))
    one, two = (statistics.median(times[workers]) for workers in (1, 2))
    print(f"{args.count} conventions, médiane de {args.runs} conversions de chaque sorte")
    print(f"un processus LibreOffice   : {one / args.count:6.3f} s par document ({one:.1f} s, "
          f"{args.count / one:.1f} documents/s)")
    print(f"deux processus LibreOffice : {two / args.count:6.3f} s par document ({two:.1f} s, "
          f"{args.count / two:.1f} documents/s)")
    print(f"rapport                    : {one / two:6.2f} ×  {verdict(one / two, '≥', TARGET)}")


if __name__ == "__main__":
    main()
