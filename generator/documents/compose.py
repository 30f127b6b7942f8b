"""Several .docx documents combined into one, to print at once (evaluation packs, reminders).

docxcompose copies the body, styles, numbering and images of each part, but by default keeps
only the first document's section properties, so every page would carry the first part's
header and footer. Here each part becomes its own section, started on a new page, with its own
page size, margins, header and footer.

Each part numbers its own pages (« Page 1 / 2 » on every letter): its first section restarts
the page numbers at 1, and the total of a one-section part is Word's SECTIONPAGES field, not
NUMPAGES (the whole file). LibreOffice 7 does not compute SECTIONPAGES: it prints the result
stored in the file. So `combine` leaves the totals out (« Page 2 », never a wrong total), and
`store_totals` puts them back once gen knows each part's page count (its own PDF's,
`pdf.combined_pdfs`), that count as SECTIONPAGES' stored result: right in Word (which
recomputes it) and in LibreOffice. A part of several sections keeps « Page 2 »: no field
counts the pages of a run of sections.
"""

from __future__ import annotations

import copy
import io
import posixpath
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
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


def combine(parts: Sequence[Path], destination: Path, title: str = "") -> None:
    """Write into `destination` one .docx made of `parts` in order, each starting on a new page
    with its own headers and footers. The file is written atomically, made French and current
    (`package.normalise`), its core properties the first part's author and `title` (else the
    destination's stem), created now.

    Each part numbers its own pages, their total left out (« Page 2 »): `store_totals` adds
    it when the parts' page counts are known.

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


def store_totals(combined: Path, parts: Sequence[Path], totals: Sequence[int]) -> None:
    """Give the .docx `combine(parts, combined)` wrote each part's page total back: in each
    one-section part's headers and footers, the part's own total field and the text joining
    it to the page number (« / ») come back after the page number, as SECTIONPAGES whose
    stored result is the part's count in `totals` (pages, as LibreOffice lays the part out:
    its own PDF's). Written atomically, without combining again (docxcompose's copy of the
    styles is most of a combine's time).

    A part of several sections, a total not joined to a page number, or a file whose sections
    do not match its parts' keeps « Page 2 ».

    Raises GenError (French message) when a file cannot be read."""
    try:
        with zipfile.ZipFile(combined) as package:
            members = {info.filename: package.read(info) for info in package.infolist()}
        sources = [_Package.read(part) for part in parts]
        target = _Package(members)
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError) as error:
        raise GenError(f"Le document « {combined.name} » ne peut pas être complété : "
                       f"{error}") from error
    sections = target.sections()
    counts = [len(source.sections()) for source in sources]
    if len(sections) != sum(counts):
        return
    for index, (source, total) in enumerate(zip(sources, totals, strict=True)):
        if counts[index] != 1:
            continue
        copies = target.referenced(sections[sum(counts[:index])])
        for key, name in source.referenced(source.sections()[0]).items():
            if key in copies:
                members[copies[key]] = _restore_total(source.members[name],
                                                      members[copies[key]], total)
    write_atomic(combined, package_bytes(normalise(members)))


def _member(target: str) -> str:
    """The zip name of a part the main document's relationship `target` names."""
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join("word", target))


class _Package:
    """A .docx's members (zip name → bytes), read for its sections and their headers and
    footers."""

    def __init__(self, members: dict[str, bytes]) -> None:
        self.members = members
        self.body = etree.fromstring(members["word/document.xml"]).find(qn("w:body"))
        rels = etree.fromstring(members["word/_rels/document.xml.rels"])
        self.targets = {rel.get("Id"): _member(rel.get("Target", "")) for rel in rels
                        if rel.get("TargetMode") != "External"}

    @classmethod
    def read(cls, path: Path) -> _Package:
        with zipfile.ZipFile(path) as package:
            return cls({info.filename: package.read(info) for info in package.infolist()})

    def sections(self) -> list[Any]:
        return _section_properties(self.body, 0)

    def referenced(self, sect_pr: Any) -> dict[str, str]:
        """(kind, type) of each header and footer reference → the part's zip name."""
        return {f"{reference.tag}:{reference.get(qn('w:type'))}":
                self.targets[reference.get(qn("r:id"))]
                for reference in sect_pr if reference.tag in _REFERENCES}


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
    """A part's page numbers restart at 1 in its first section, and the page total of its
    headers and footers (NUMPAGES, the whole file's) is left out with the text joining it to
    the page number (« Page 2 »), until `store_totals` knows it."""
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
    roots = {id(root): root for sect_pr in sections for root in referenced(sect_pr)}
    for root in roots.values():
        for paragraph in list(root.iter(qn("w:p"))):
            for total in _fields(paragraph):
                if total.counts_pages():
                    total.remove()


def _restore_total(own: bytes, combined: bytes, total: int) -> bytes:
    """`combined` (a header's or footer's XML in a combined file, its totals left out) with
    the totals of `own` (the part's own copy) and their joining text put back after the page
    number they followed, as SECTIONPAGES storing `total`."""
    own_root = etree.fromstring(own)
    root = etree.fromstring(combined)
    own_paragraphs, paragraphs = list(own_root.iter(qn("w:p"))), list(root.iter(qn("w:p")))
    if len(own_paragraphs) != len(paragraphs):
        return combined
    for own_paragraph, paragraph in zip(own_paragraphs, paragraphs, strict=True):
        kept = _fields(paragraph)
        index = 0  # fields of `own_paragraph` that are also in `paragraph`
        for field_ in _fields(own_paragraph):
            if not field_.counts_pages():
                index += 1
            elif field_.joining and 0 < index <= len(kept):
                anchor = kept[index - 1].elements[-1]
                copies = [copy.deepcopy(element)
                          for element in [*field_.joining, *field_.elements]]
                for element in copies:
                    anchor.addnext(element)
                    anchor = element
                _Field(field_.instruction, copies[len(field_.joining):]).become(
                    "SECTIONPAGES", str(total))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


_TEXT_ONLY = {qn("w:rPr"), qn("w:t")}


@dataclass
class _Field:
    """A field of a paragraph: its elements in order (the runs from its begin character to its
    end character, or one w:fldSimple), and the runs of plain text joining it to a PAGE field
    just before it (« / » in « Page 1 / 2 »; none when another element comes between)."""

    instruction: str
    elements: list[Any]
    joining: list[Any] = field(default_factory=list)

    def counts_pages(self) -> bool:
        """Whether the field is a page total (NUMPAGES or SECTIONPAGES)."""
        return self.instruction.split()[:1] in (["NUMPAGES"], ["SECTIONPAGES"])

    def remove(self) -> None:
        """Take the field and its joining text out of the paragraph."""
        for element in [*self.joining, *self.elements]:
            element.getparent().remove(element)

    def become(self, name: str, result: str) -> None:
        """Make the field the field `name` (its switches kept) whose stored result is
        `result`, what a reader that does not compute the field prints."""
        if self.elements[0].tag == qn("w:fldSimple"):
            simple = self.elements[0]
            simple.set(qn("w:instr"), _renamed(simple.get(qn("w:instr")) or "", name))
            _set_result(simple, list(simple.iter(qn("w:t"))), result)
            return
        for instruction in (text for run in self.elements for text in run.iter(qn("w:instrText"))):
            if instruction.text and instruction.text.strip():
                instruction.text = _renamed(instruction.text, name)
                break
        kinds = [[char.get(qn("w:fldCharType")) for char in run.iter(qn("w:fldChar"))]
                 for run in self.elements]
        end = self.elements[-1]
        separate = next((index for index, chars in enumerate(kinds) if "separate" in chars), None)
        if separate is None:
            end.addprevious(_run_like(end, "fldChar", fldCharType="separate"))
            results: list[Any] = []
        else:
            results = [text for run in self.elements[separate + 1:-1]
                       for text in run.iter(qn("w:t"))]
        _set_result(end, results, result)


def _renamed(instruction: str, name: str) -> str:
    """`instruction` (« NUMPAGES \\* MERGEFORMAT ») with its field name replaced by `name`."""
    current = instruction.split()[0]
    return instruction.replace(current, name, 1)


def _set_result(before: Any, texts: list[Any], result: str) -> None:
    """Write `result` into the first of the result's `texts`, empty the others; without any,
    a run holding it is inserted before `before` (the end character's run, or in a
    w:fldSimple, appended to it)."""
    if texts:
        texts[0].text = result
        for text in texts[1:]:
            text.text = ""
        return
    run = _run_like(before, "t")
    run[-1].text = result
    if before.tag == qn("w:fldSimple"):
        before.append(run)
    else:
        before.addprevious(run)


def _run_like(model: Any, tag: str, **attributes: str) -> Any:
    """A w:r with `model`'s run properties holding one w:`tag` element."""
    run = model.makeelement(qn("w:r"), {})
    properties = model.find(qn("w:rPr"))
    if properties is not None:
        run.append(copy.deepcopy(properties))
    run.append(run.makeelement(qn(f"w:{tag}"), {qn(f"w:{key}"): value
                                                  for key, value in attributes.items()}))
    return run


def _fields(paragraph: Any) -> list[_Field]:
    """The fields whose elements are the paragraph's own children (not those inside a
    hyperlink), in order, a nested field counted in the one holding it."""
    fields: list[_Field] = []
    current: list[Any] = []
    depth = 0
    joining: list[Any] = []  # plain text runs since a PAGE field ended
    after_page = False

    def found(instruction: str, elements: list[Any]) -> None:
        nonlocal joining, after_page
        fields.append(_Field(instruction, elements, joining if after_page else []))
        after_page = instruction.split()[:1] == ["PAGE"]
        joining = []

    for child in paragraph:
        if child.tag == qn("w:pPr"):
            continue
        if child.tag == qn("w:fldSimple"):
            found(child.get(qn("w:instr")) or "", [child])
            continue
        chars = [char.get(qn("w:fldCharType")) for char in child.iter(qn("w:fldChar"))] \
            if child.tag == qn("w:r") else []
        if current or "begin" in chars:
            current.append(child)
            depth += chars.count("begin") - chars.count("end")
            if depth <= 0:
                found("".join(text.text or "" for run in current
                              for text in run.iter(qn("w:instrText"))), current)
                current, depth = [], 0
        elif child.tag == qn("w:r") and {element.tag for element in child} <= _TEXT_ONLY:
            joining.append(child)
        else:
            joining, after_page = [], False
    return fields


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
