"""The evaluation form's PDF made fillable, for tutors without Word.

LibreOffice 7.4 does not export content controls as PDF form fields, but it exports each
bookmark as a named destination (page and position) when asked. So the PDF LibreOffice makes
of the form is given one form field per `gen<key>` destination, at that place, named by that
bookmark (a drop-down list for a rating or the decision, a text field otherwise), drawn as a
thin grey box over the placeholder the printed form shows there, and the student's number and
the form's version as hidden read-only fields. `gen collect` reads the fields back with pypdf.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from generator.documents import form

# The export option that turns bookmarks into named destinations.
BOOKMARK_DESTINATIONS = '{"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}'
_MULTILINE = 1 << 12  # PDF 32000-1, 12.7.4.3: text field flags
_COMBO = 1 << 17  # 12.7.4.4: choice field flags
_READ_ONLY = 1
_PRINT, _HIDDEN = 4, 2  # 12.5.3: annotation flags
_BORDER_GREY, _BORDER_WIDTH = 0.55, 0.6  # a field's border: grey level, points


@dataclass(frozen=True)
class _Box:
    dx: float  # from the destination's left, in points
    width: float
    height: float


# Where each kind of control sits on the page, from the template's layout (points): a box
# lies over its control's placeholder, inside its cell, and over no word of the form
# (tests/test_pdf_form.py); the hours' field ends its line, the multi-line ones sit at the
# top of their cells, whose height the template sets.
_BOXES = {
    form.RATING: _Box(-50, 140, 13),
    form.DECISION: _Box(-2, 160, 15),
    "heures": _Box(0, 90, 13),
    "absences": _Box(-2, 340, 30),
    "commentaires": _Box(-2, 470, 70),
    "motif": _Box(-2, 340, 36),
    "tuteur": _Box(0, 160, 13),
    "date": _Box(0, 110, 13),
}


def make_fillable(data: bytes, source: Path) -> bytes:
    """`data`, the PDF LibreOffice exported with `BOOKMARK_DESTINATIONS` from the .docx
    `source`, with a form field at each destination of the form's fields and the student
    `source` carries; unchanged when it has no such destination (another document)."""
    reader = PdfReader(io.BytesIO(data))
    places: list[tuple[form.FormField, int, float, float]] = []
    for name, destination in reader.named_destinations.items():
        field = form.BY_BOOKMARK.get(str(name).lstrip("/").casefold())
        page_number = reader.get_destination_page_number(destination)
        if field is not None and page_number is not None:
            places.append((field, page_number, float(destination.left or 0),
                           float(destination.top or 0)))
    if not places:
        return data
    writer = PdfWriter(clone_from=reader)
    fields = ArrayObject()
    for field, page_number, left, top in places:
        box = _BOXES.get(field.key) or _BOXES[field.kind]
        rect = (left + box.dx, top - box.height, left + box.dx + box.width, top)
        widget = _widget(field.bookmark, rect, "", field.label)
        widget[NameObject("/AP")] = DictionaryObject(
            {NameObject("/N"): writer._add_object(_empty_box(box.width, box.height))})
        if field.choices:
            widget[NameObject("/FT")] = NameObject("/Ch")
            widget[NameObject("/Ff")] = _number(_COMBO)
            widget[NameObject("/Opt")] = ArrayObject(
                [TextStringObject(" "), *map(TextStringObject, field.choices)])
        elif field.multiline:
            widget[NameObject("/Ff")] = _number(_MULTILINE)
        fields.append(_attach(writer, writer.pages[page_number], widget))
    from generator.collect.read import read_path

    carried = read_path(source)[0]
    for name, value in ((form.PDF_STUDENT_FIELD, carried.student),
                        (form.PDF_FORM_FIELD, carried.version)):
        if value:
            widget = _widget(name, (0, 0, 0, 0), value)
            widget[NameObject("/F")] = _number(_HIDDEN)
            widget[NameObject("/Ff")] = _number(_READ_ONLY)
            fields.append(_attach(writer, writer.pages[0], widget))
    font = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
        NameObject("/Encoding"): NameObject("/WinAnsiEncoding")})
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject({
        NameObject("/Fields"): fields,
        NameObject("/NeedAppearances"): BooleanObject(True),
        NameObject("/DA"): TextStringObject("/Helv 9 Tf 0.12 0.22 0.39 rg"),
        NameObject("/DR"): DictionaryObject({NameObject("/Font"): DictionaryObject(
            {NameObject("/Helv"): writer._add_object(font)})}),
    })
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _empty_box(width: float, height: float) -> DecodedStreamObject:
    """How an empty field looks in every viewer and on paper, also one that does not draw
    fields itself: white (it hides the placeholder the printed form shows there) inside a
    thin grey border."""
    stream = DecodedStreamObject()
    stream.update({
        NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject([FloatObject(0), FloatObject(0),
                                          FloatObject(width), FloatObject(height)])})
    inner = f"{_BORDER_WIDTH / 2:g} {_BORDER_WIDTH / 2:g} {width - _BORDER_WIDTH:g} " \
            f"{height - _BORDER_WIDTH:g}"
    stream.set_data(f"q 1 g 0 0 {width:g} {height:g} re f {_BORDER_GREY:g} G "
                    f"{_BORDER_WIDTH:g} w {inner} re S Q".encode("ascii"))
    return stream


def _number(value: int) -> NumberObject:
    return NumberObject(value)


def _widget(name: str, rect: tuple[float, float, float, float], value: str,
            tooltip: str = "") -> DictionaryObject:
    return DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"),
        NameObject("/Subtype"): NameObject("/Widget"),
        NameObject("/FT"): NameObject("/Tx"),
        NameObject("/T"): TextStringObject(name),
        NameObject("/TU"): TextStringObject(tooltip),  # what a viewer shows on hovering
        NameObject("/V"): TextStringObject(value),
        NameObject("/Rect"): ArrayObject([FloatObject(round(v, 2)) for v in rect]),
        NameObject("/F"): _number(_PRINT),
        NameObject("/DA"): TextStringObject("/Helv 9 Tf 0.12 0.22 0.39 rg"),
        # for the viewers that draw the field themselves: as `_empty_box`
        NameObject("/MK"): DictionaryObject({
            NameObject("/BG"): ArrayObject([FloatObject(1)] * 3),
            NameObject("/BC"): ArrayObject([FloatObject(_BORDER_GREY)] * 3)}),
        NameObject("/BS"): DictionaryObject({NameObject("/W"): FloatObject(_BORDER_WIDTH),
                                             NameObject("/S"): NameObject("/S")}),
    })


def _attach(writer: PdfWriter, page: PageObject, widget: DictionaryObject) -> IndirectObject:
    reference = writer._add_object(widget)
    widget[NameObject("/P")] = page.indirect_reference
    if "/Annots" not in page:
        page[NameObject("/Annots")] = ArrayObject()
    annotations = page["/Annots"].get_object()
    assert isinstance(annotations, ArrayObject)
    annotations.append(reference)
    return reference
