"""Build `data/retours-exemple/`: what tutors of the sample cohort send back, for trying
`gen collect` on the sample: the tutor's form for PAR26127 filled in Word and complete, and
the one for PAR26128 returned without two answers (as of 28/11/2026).

    python data/build_returns.py

The forms are those `gen evaluations` writes for the sample, filled as Word writes content
controls (the control's content replaced by one run; a line break as <w:br/>).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from lxml import etree

from generator.cohort.reader import read_cohort
from generator.documents import form
from generator.documents.context import build_context
from generator.documents.engine import Template
from generator.documents.sources import template_file
from generator.rules.report import check

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FOLDER = Path(__file__).resolve().parent / "retours-exemple"
SAMPLE = Path(__file__).resolve().parent / "cohorte-exemple.xlsx"
TODAY = dt.date(2026, 11, 28)
COMPLETE = {
    "heures": "560", "absences": "Aucune",
    "commentaires": "Stagiaire très investi dans l'atelier « Cap vers l'emploi ».\n"
                    "Bonne distance professionnelle avec le public.",
    "decision": form.VALIDATED, "motif": "", "date": "20/11/2026",
    **{field.key: form.RATINGS[1] for field in form.RATING_FIELDS},
    "assiduite": form.RATINGS[0],
}
# What the second tutor left out: the posture and the date.
INCOMPLETE = {**COMPLETE, "posture": "", "date": ""}


def fill(document: bytes, answers: dict[str, str]) -> bytes:
    """`document` (a generated form) with each control holding its answer, as Word saves it:
    tags and bookmarks kept, the content one run."""
    with zipfile.ZipFile(io.BytesIO(document)) as package:
        members = {info: package.read(info) for info in package.infolist()}
    for info, data in members.items():
        if info.filename != "word/document.xml":
            continue
        root = etree.fromstring(data)
        for sdt in root.iter(f"{{{W}}}sdt"):
            tag = sdt.find(f"{{{W}}}sdtPr/{{{W}}}tag")
            key = tag.get(f"{{{W}}}val", "")[len(form.BOOKMARK_PREFIX):] if tag is not None \
                else ""
            if key not in answers:
                continue
            content = sdt.find(f"{{{W}}}sdtContent")
            assert content is not None
            for child in list(content):
                content.remove(child)
            run = etree.SubElement(content, f"{{{W}}}r")
            for index, line in enumerate(answers[key].split("\n")):
                if index:
                    etree.SubElement(run, f"{{{W}}}br")
                etree.SubElement(run, f"{{{W}}}t").text = line
        members[info] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                       standalone=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for info, data in members.items():
            package.writestr(info, data)
    return buffer.getvalue()


def build(folder: Path = FOLDER) -> list[Path]:
    report = check(read_cohort(SAMPLE), TODAY)
    rows = {row.numero_auditeur: row for row in report.cohort.rows}
    template = Template.load(template_file("evaluation.docx"))
    folder.mkdir(exist_ok=True)
    written = []
    for number, name, answers in (("PAR26127", "fiche signée du tuteur.docx", COMPLETE),
                                  ("PAR26128", "évaluation stagiaire.docx", INCOMPLETE)):
        row = rows[number]
        answers = {**answers, "tuteur": f"{row.tuteur_prenom} {row.tuteur_nom}"}
        blank = template.render(build_context(row, report.derived[row.row_number],
                                              report.cohort.params, TODAY))
        (folder / name).write_bytes(fill(blank, answers))
        written.append(folder / name)
    return written


if __name__ == "__main__":
    for path in build():
        print(f"écrit : {path}")
