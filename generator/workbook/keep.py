"""What openpyxl drops when it copies a workbook: the worksheets' extensions (`<extLst>`:
drop-down lists taking their values from another sheet, stored by Excel as x14 data
validations; x14 conditional formats such as data bars and icon sets; sparklines) are put
back from the original; the parts it cannot keep (images, charts, pivot tables…) are named,
so that the command says exactly what the copy lacks."""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from generator.cohort.formulas import sheet_part

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_EXTENSIONS = f"{{{_MAIN}}}extLst"
# Parts of a package that openpyxl does not copy, by the folder they live in → what they are.
_DROPPED = {
    "xl/media/": "les images",
    "xl/charts/": "les graphiques",
    "xl/pivotTables/": "les tableaux croisés dynamiques",
    "xl/slicers/": "les segments (filtres visuels)",
    "xl/timelines/": "les chronologies",
    "xl/threadedComments/": "les commentaires en fil de discussion (les notes restent)",
    "xl/ctrlProps/": "les contrôles de formulaire (cases à cocher, boutons)",
    "xl/activeX/": "les contrôles ActiveX",
}


def restore_extensions(original: zipfile.ZipFile, copy: bytes, sheets: list[str]
                       ) -> tuple[bytes, list[str]]:
    """`copy` (an .xlsx openpyxl saved from `original`) with each of `sheets`' `<extLst>` put
    back from the original, and what the copy still lacks, in French (« les images »…)."""
    with zipfile.ZipFile(io.BytesIO(copy)) as saved:
        names = saved.namelist()
        replaced: dict[str, bytes] = {}
        for sheet in sheets:
            source, target = sheet_part(original, sheet), sheet_part(saved, sheet)
            if source is None or target is None or target not in names:
                continue
            data = original.read(source)
            if b"extLst" not in data:
                continue
            extensions = etree.fromstring(data).find(_EXTENSIONS)
            if extensions is None:
                continue
            root = etree.fromstring(saved.read(target))
            old = root.find(_EXTENSIONS)
            if old is not None:
                root.remove(old)
            root.append(extensions)  # an extLst is a worksheet's last child
            replaced[target] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                              standalone=True)
        lost = [label for folder, label in _DROPPED.items()
                if any(n.startswith(folder) for n in original.namelist())
                and not any(n.startswith(folder) for n in names)]
        if not replaced:
            return copy, lost
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as rebuilt:
            for info in saved.infolist():
                rebuilt.writestr(info, replaced.get(info.filename) or saved.read(info.filename))
    return buffer.getvalue(), lost
