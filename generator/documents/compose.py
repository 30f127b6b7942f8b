"""Several .docx documents combined into one, to print at once (evaluation packs, reminders).

docxcompose copies the body, styles, numbering and images of each part, but by default keeps
only the first document's section properties, so every page would carry the first part's
header and footer. Here each part becomes its own section, started on a new page, with its own
page size, margins, header and footer.

Each part numbers its own pages (« Page 1 / 2 » on every letter): its first section restarts
the page numbers at 1, and the total of a one-section part is Word's SECTIONPAGES field, not
NUMPAGES (the whole file). LibreOffice 7 prints SECTIONPAGES' stored value without computing
it: the PDF of a combined file is made of its parts' own PDFs (`pdf.merge_pdfs`).
"""

from __future__ import annotations

import copy
import io
import zipfile
from pathlib import Path
from typing import Any

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml.ns import nsmap, qn
from docx.parts.hdrftr import FooterPart, HeaderPart
from docxcompose.composer import Composer
from lxml import etree

from generator.atomic import write_atomic
from generator.documents.package import (
    DUBLIN_CORE,
    core_part,
    core_properties,
    generation_time,
    normalise,
    package_bytes,
)
from generator.errors import GenError


class _SectionKeepingComposer(Composer):  # type: ignore[misc]
    """A Composer that leaves sections alone: `combine` handles them part by part."""

    def remove_header_and_footer_references(self, doc: Any, element: Any) -> None:
        # The references were already rewritten to copied parts by add_referenced_parts;
        # keeping them lets a part's inner sections keep their own headers and footers.
        return

    def fix_section_types(self, doc: Any) -> None:
        return

    def fix_header_and_footers(self, doc: Any) -> None:
        return


def combine(parts: list[Path], destination: Path, title: str = "") -> None:
    """Write into `destination` one .docx made of `parts` in order, each starting on a new page
    with its own headers and footers. The file is written atomically, made French and current
    (`package.normalise`), its core properties the first part's author and `title` (else the
    destination's stem), created now.

    Raises GenError (French message) when `parts` is empty or a part cannot be read.
    """
    if not parts:
        raise GenError("Aucun document à assembler.")
    master = _open(parts[0])
    composer = _SectionKeepingComposer(master)
    _number_own_pages(_section_properties(master.element.body, 0),
                      lambda sect_pr: _referenced(master, sect_pr))
    for part in parts[1:]:
        document = _open(part)
        _close_last_section(master)
        first_new = len(master.element.body) - 1  # index of the body's sectPr before appending
        composer.append(document)
        _adopt_final_section(master, document)
        copied: dict[str, Any] = {}
        sections = _section_properties(master.element.body, first_new)
        for sect_pr in sections:
            _copy_headers_and_footers(composer, document, master, sect_pr, copied)
        _number_own_pages(sections, lambda sect_pr: _referenced(master, sect_pr))
    buffer = io.BytesIO()
    master.save(buffer)
    write_atomic(destination, _finished(buffer.getvalue(), title or destination.stem))


def _finished(data: bytes, title: str) -> bytes:
    """The combined package normalised, with its own core properties (python-docx's API is
    not used for them: docxcompose maps its `cp` prefix to the custom properties)."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = normalise({info.filename: source.read(info) for info in source.infolist()})
    core = core_part(members["_rels/.rels"])
    author = etree.fromstring(members[core]).findtext(f"{{{DUBLIN_CORE}}}creator") or ""
    members[core] = core_properties(title, author, generation_time())
    return package_bytes(members)


def _open(path: Path) -> Any:
    try:
        return Document(str(path))
    except Exception as error:  # python-docx raises several types for a broken package
        raise GenError(f"Le document « {path.name} » ne peut pas être lu : {error}") from error


def _body_sect_pr(document: Any) -> Any:
    found = document.element.body.findall(qn("w:sectPr"))
    if found:
        return found[-1]
    sect_pr = document.element.body.makeelement(qn("w:sectPr"), {})
    document.element.body.append(sect_pr)
    return sect_pr


def _close_last_section(master: Any) -> None:
    """Turn the body-level section properties into those of a section ending at the last
    paragraph, so what follows starts a new section (on a new page)."""
    body = master.element.body
    body_sect_pr = _body_sect_pr(master)
    ending = copy.deepcopy(body_sect_pr)
    for kind in ending.findall(qn("w:type")):
        ending.remove(kind)
    # The next part's section decides how it starts: "nextPage" is the default type.
    index = list(body).index(body_sect_pr)
    last = body[index - 1] if index > 0 else None
    if last is None or last.tag != qn("w:p") or _has_sect_pr(last):
        # A table (or nothing) ends the part: a paragraph is needed to carry the break.
        last = body.makeelement(qn("w:p"), {})
        body.insert(index, last)
    p_pr = last.find(qn("w:pPr"))
    if p_pr is None:
        p_pr = last.makeelement(qn("w:pPr"), {})
        last.insert(0, p_pr)
    change = p_pr.find(qn("w:pPrChange"))
    if change is not None:
        change.addprevious(ending)
    else:
        p_pr.append(ending)


def _has_sect_pr(paragraph: Any) -> bool:
    p_pr = paragraph.find(qn("w:pPr"))
    return p_pr is not None and p_pr.find(qn("w:sectPr")) is not None


def _adopt_final_section(master: Any, document: Any) -> None:
    """Give the combined body the appended part's own final section properties."""
    incoming = copy.deepcopy(_body_sect_pr(document))
    for kind in incoming.findall(qn("w:type")):
        incoming.remove(kind)
    current = _body_sect_pr(master)
    current.addprevious(incoming)
    current.getparent().remove(current)


def _section_properties(body: Any, first_new: int) -> list[Any]:
    """The w:sectPr elements of the part appended from body element `first_new`, in order."""
    found = []
    for element in list(body)[first_new:]:
        if element.tag == qn("w:sectPr"):
            found.append(element)
        elif element.tag == qn("w:p") and _has_sect_pr(element):
            found.append(element.find(qn("w:pPr")).find(qn("w:sectPr")))
    return found


_R_NS = nsmap["r"]
_REFERENCES = (qn("w:headerReference"), qn("w:footerReference"))


def _copy_headers_and_footers(composer: Composer, document: Any, master: Any, sect_pr: Any,
                              copied: dict[str, Any]) -> None:
    """Copy the header and footer parts a section of `document` refers to into `master` and
    point the section at the copies (docxcompose deliberately skips them)."""
    for reference in sect_pr:
        if reference.tag not in _REFERENCES:
            continue
        source_id = reference.get(qn("r:id"))
        if source_id not in copied:
            copied[source_id] = _copy_part(composer, document.part.rels[source_id], master)
        reference.set(qn("r:id"), copied[source_id])


def _referenced(master: Any, sect_pr: Any) -> list[Any]:
    """The root elements of the header and footer parts a section of `master` refers to."""
    return [master.part.rels[reference.get(qn("r:id"))].target_part.element
            for reference in sect_pr if reference.tag in _REFERENCES]


# CT_SectPr's elements after w:pgNumType, to insert one in the schema's order.
_AFTER_PAGE_NUMBERS = tuple(qn(f"w:{name}") for name in (
    "cols", "formProt", "vAlign", "noEndnote", "titlePg", "textDirection", "bidi",
    "rtlGutter", "docGrid", "printerSettings", "sectPrChange"))


def _number_own_pages(sections: list[Any], referenced: Any) -> None:
    """A part's page numbers restart at 1 in its first section; in a one-section part, the
    headers' and footers' page total (NUMPAGES, the whole file's) becomes the section's
    (SECTIONPAGES). A part of several sections keeps NUMPAGES: no field counts the pages of
    a run of sections."""
    if not sections:
        return
    first = sections[0]
    numbering = first.find(qn("w:pgNumType"))
    if numbering is None:
        numbering = first.makeelement(qn("w:pgNumType"), {})
        following = [child for child in first if child.tag in _AFTER_PAGE_NUMBERS]
        if following:
            following[0].addprevious(numbering)
        else:
            first.append(numbering)
    numbering.set(qn("w:start"), "1")
    if len(sections) != 1:
        return
    for root in referenced(first):
        for instruction in root.iter(qn("w:instrText")):
            if instruction.text and instruction.text.split()[:1] == ["NUMPAGES"]:
                instruction.text = instruction.text.replace("NUMPAGES", "SECTIONPAGES", 1)
        for simple in root.iter(qn("w:fldSimple")):
            instr = simple.get(qn("w:instr")) or ""
            if instr.split()[:1] == ["NUMPAGES"]:
                simple.set(qn("w:instr"), instr.replace("NUMPAGES", "SECTIONPAGES", 1))


def _copy_part(composer: Composer, relationship: Any, master: Any) -> str:
    """Copy a header or footer part (and the images it uses) into `master`; its new r:id."""
    source = relationship.target_part
    kind = "header" if relationship.reltype == RT.HEADER else "footer"
    taken = {str(part.partname) for part in master.part.package.iter_parts()}
    number = 1
    while f"/word/{kind}{number}.xml" in taken:
        number += 1
    part_class = HeaderPart if kind == "header" else FooterPart
    # A real XmlPart (not docxcompose's raw Part): docxcompose later walks header elements.
    copy_part = part_class.load(PackURI(f"/word/{kind}{number}.xml"), source.content_type,
                                source.blob, master.part.package)
    for inner_id, inner in source.rels.items():
        new_rel = composer.add_relationship(source, copy_part, inner)
        if new_rel.rId != inner_id:
            for element in copy_part.element.xpath(f'.//*[@*="{inner_id}"]'):
                for name, value in element.attrib.items():
                    if value == inner_id and name.startswith(f"{{{_R_NS}}}"):
                        element.set(name, new_rel.rId)
    return str(master.part.relate_to(copy_part, relationship.reltype))
