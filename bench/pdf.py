"""PDF conversion: one LibreOffice process for the whole batch against one process per
document, measured side by side in one run.

    python bench/pdf.py            # 12 documents
    python bench/pdf.py -n 20

Each document is a convention-sized .docx (a few pages of text, a header and a footer),
written by python-docx so that the bench needs neither a workbook nor the templates.
Prints the seconds per document of each way and their ratio.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from docx import Document

from generator.documents.pdf import convert, find_soffice


def _documents(folder: Path, count: int) -> list[Path]:
    paths = []
    for number in range(1, count + 1):
        document = Document()
        document.sections[0].header.paragraphs[0].text = "Cnam — Convention de stage"
        document.sections[0].footer.paragraphs[0].text = f"Convention n° {number}"
        document.add_heading(f"Convention de stage — auditeur {number:04d}", level=1)
        for article in range(1, 11):
            document.add_heading(f"Article {article}", level=2)
            for _ in range(4):
                document.add_paragraph(
                    "La structure d'accueil s'engage à accueillir l'auditeur pour la durée du "
                    "stage et à lui confier des activités conformes au projet pédagogique. "
                    * 3)
        path = folder / f"{number:04d}_AUDITEUR_Stagiaire.docx"
        document.save(str(path))
        paths.append(path)
    return paths


def _timed(documents: list[Path], one_by_one: bool, soffice: str) -> float:
    start = time.perf_counter()
    if one_by_one:
        results = [result for document in documents
                   for result in convert([document], soffice=soffice)]
    else:
        results = convert(documents, soffice=soffice)
    elapsed = time.perf_counter() - start
    failed = [result for result in results if not result.ok]
    if failed:
        sys.exit(f"conversion échouée : {failed[0].source.name} : {failed[0].error}")
    for document in documents:
        document.with_suffix(".pdf").unlink()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--count", type=int, default=12, help="documents (12)")
    args = parser.parse_args()
    soffice = find_soffice()
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as folder_text:
        documents = _documents(Path(folder_text), args.count)
        _timed(documents[:1], one_by_one=False, soffice=soffice)  # warm the disk cache
        batch = _timed(documents, one_by_one=False, soffice=soffice)
        single = _timed(documents, one_by_one=True, soffice=soffice)
    per_batch, per_single = batch / args.count, single / args.count
    print(f"{args.count} documents")
    print(f"un seul processus LibreOffice : {per_batch:6.2f} s par document ({batch:.1f} s)")
    print(f"un processus par document     : {per_single:6.2f} s par document ({single:.1f} s)")
    print(f"rapport                       : {per_single / per_batch:6.1f} ×")


if __name__ == "__main__":
    main()
