"""Filling evaluation forms as tutors do, for the tests."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from generator.collect.read import W
from generator.documents import form

# What a tutor answers: every field, a multi-line comment, accents and a typed « & ».
ANSWERS = {
    "heures": "548,5",
    "absences": "Deux jours en février (maladie)\nAucune interruption",
    "commentaires": "Stagiaire investie & curieuse.\nTrès bonne posture.",
    "decision": form.VALIDATED,
    "motif": "",
    "tuteur": "Karim Bernard",
    "date": "12/05/2027",
    **{field.key: form.RATINGS[index % 4] for index, field in enumerate(form.RATING_FIELDS)},
}


def fill_as_word(source: Path, answers: dict[str, str], destination: Path) -> None:
    """What Word writes when a tutor fills the controls: the content replaced by one run
    (a line break as <w:br/>), the placeholder flag gone; tags and bookmarks kept."""
    with zipfile.ZipFile(source) as package:
        members = {name: package.read(name) for name in package.namelist()}
    root = etree.fromstring(members["word/document.xml"])
    for sdt in root.iter(f"{{{W}}}sdt"):
        tag = sdt.find(f"{{{W}}}sdtPr/{{{W}}}tag").get(f"{{{W}}}val")
        key = tag[len(form.BOOKMARK_PREFIX):]
        content = sdt.find(f"{{{W}}}sdtContent")
        for child in list(content):
            content.remove(child)
        run = etree.SubElement(content, f"{{{W}}}r")
        for index, line in enumerate(answers[key].split("\n")):
            if index:
                etree.SubElement(run, f"{{{W}}}br")
            text = etree.SubElement(run, f"{{{W}}}t")
            text.text = line
    members["word/document.xml"] = etree.tostring(root, xml_declaration=True,
                                                  encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(destination, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in members.items():
            package.writestr(name, data)


