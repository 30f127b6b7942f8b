"""The floor: the least work any program must do to write one convention per row, in one
process — read the workbook, compile the template once, render each row, copy the template's
pre-compressed members and write the file. No checks, no sandbox, no gating, no manifest.

    python bench/floor.py WORKBOOK CONTEXTS.pickle TEMPLATE.docx OUTPUT_FOLDER

CONTEXTS.pickle: the rows' template values, built beforehand by bench/render.py (the floor
does not know the rules that turn a row into them). Timed as a whole process by
bench/render.py; prints the number of documents written.
"""

from __future__ import annotations

import io
import pickle
import re
import sys
import zipfile
from pathlib import Path

import jinja2
import pandas
from docxtpl import DocxTemplate
from lxml import etree

from generator.documents.splice import Member, SplicedZip

_TEMPLATED = re.compile(r"word/(document|header\d*|footer\d*)\.xml")


def main() -> None:
    workbook, contexts_path, template_path, output = map(Path, sys.argv[1:5])
    pandas.read_excel(workbook, sheet_name=None, engine="calamine")  # reading included
    contexts = pickle.loads(contexts_path.read_bytes())
    environment = jinja2.Environment(autoescape=True)
    preprocess = DocxTemplate(io.BytesIO())
    source = zipfile.ZipFile(template_path)
    parts = []
    for info in source.infolist():
        if _TEMPLATED.fullmatch(info.filename):
            xml = etree.tostring(etree.fromstring(source.read(info)), encoding="unicode")
            parts.append((info.filename, info.date_time,
                          environment.from_string(preprocess.patch_xml(xml))))
    fixed = SplicedZip(source, {name for name, _, _ in parts}, level=1)
    output.mkdir(parents=True, exist_ok=True)
    for number, context in enumerate(contexts):
        members = [Member(name, date_time, template.render(context).encode("utf-8"))
                   for name, date_time, template in parts]
        (output / f"{number}.docx").write_bytes(fixed.build(members))
    print(len(contexts))


if __name__ == "__main__":
    main()
