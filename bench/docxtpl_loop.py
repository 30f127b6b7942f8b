"""The plain docxtpl loop, as people usually write it: for each row, load the template, render
it, save the document.

    python bench/docxtpl_loop.py CONTEXTS.pickle TEMPLATE.docx OUTPUT_FOLDER COUNT

Renders the first COUNT contexts (built beforehand by bench/render.py) and prints the seconds
its loop took per document, so that bench/render.py can extend a short run to a whole batch.
"""

from __future__ import annotations

import pickle
import sys
import time
from pathlib import Path

from docxtpl import DocxTemplate


def main() -> None:
    contexts_path, template, output = map(Path, sys.argv[1:4])
    contexts = pickle.loads(contexts_path.read_bytes())[:int(sys.argv[4])]
    output.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    for number, context in enumerate(contexts):
        document = DocxTemplate(template)
        document.render(context, autoescape=True)
        document.save(output / f"{number}.docx")
    print((time.perf_counter() - start) / len(contexts))


if __name__ == "__main__":
    main()
