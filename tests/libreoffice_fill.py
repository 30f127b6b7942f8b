"""Fill an evaluation form the way a tutor does in LibreOffice Writer, through UNO: open the
.docx, set each content control (found by its bookmark), save as .docx (Word 2007-365) and
export a PDF. Run by the Python that ships LibreOffice's `uno` module (/usr/bin/python3 on
Debian), not by the test's interpreter:

    python3 libreoffice_fill.py FORM.docx VALUES.json OUT.docx OUT.pdf PROFILE_DIR
"""

import contextlib
import json
import subprocess
import sys
import time
import uuid
from pathlib import Path

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def prop(name, value):
    item = PropertyValue()
    item.Name, item.Value = name, value
    return item


def connect(profile):
    pipe = f"genfill{uuid.uuid4().hex}"
    office = subprocess.Popen(
        ["soffice", "--headless", "--norestore", "--nolockcheck", "--nodefault",
         f"-env:UserInstallation={Path(profile).resolve().as_uri()}",
         f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(240):
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception:  # noqa: BLE001 — not listening yet
            time.sleep(0.5)
    else:
        office.kill()
        raise SystemExit("LibreOffice did not start")
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop",
                                                               context)
    return office, desktop


def controls_by_bookmark(document):
    """bookmark name → the content control that follows it in its paragraph."""
    found = {}
    paragraphs = document.Text.createEnumeration()
    stack = [paragraphs]
    pending = []
    while stack:
        enumeration = stack.pop()
        while enumeration.hasMoreElements():
            element = enumeration.nextElement()
            if element.supportsService("com.sun.star.text.TextTable"):
                for name in element.CellNames:
                    stack.append(element.getCellByName(name).Text.createEnumeration())
                continue
            portions = element.createEnumeration()
            while portions.hasMoreElements():
                portion = portions.nextElement()
                kind = portion.TextPortionType
                if kind == "Bookmark" and portion.IsStart:
                    pending.append(portion.Bookmark.Name)
                elif kind == "ContentControl":
                    for name in pending:
                        found[name] = portion.ContentControl
                    pending = []
                elif kind == "Text" and portion.String.strip():
                    pending = []
    return found


def set_text(document, control, value):
    """Replace the control's content, as typing over it would (the text stays inside)."""
    anchor = control.Anchor
    cursor = anchor.Text.createTextCursorByRange(anchor.Start)  # the table cell's text
    cursor.gotoRange(anchor.End, True)
    cursor.String = value
    control.ShowingPlaceHolder = False


def main():
    source, values_path, out_docx, out_pdf, profile = sys.argv[1:6]
    values = json.loads(Path(values_path).read_text(encoding="utf-8"))
    office, desktop = connect(profile)
    try:
        document = desktop.loadComponentFromURL(Path(source).resolve().as_uri(), "_blank", 0,
                                                (prop("Hidden", True),))
        controls = controls_by_bookmark(document)
        missing = [name for name in values if name not in controls]
        if missing:
            raise SystemExit(f"no control for {missing}")
        for name, value in values.items():
            set_text(document, controls[name], value)
        document.storeToURL(Path(out_docx).resolve().as_uri(),
                            (prop("FilterName", "MS Word 2007 XML"),))
        document.storeToURL(Path(out_pdf).resolve().as_uri(),
                            (prop("FilterName", "writer_pdf_Export"),))
        document.close(True)
    finally:
        with contextlib.suppress(Exception):  # the bridge closes as the office quits
            desktop.terminate()
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    main()
