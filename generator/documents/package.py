"""A .docx package as Word should see it: French, current, with properties of its own.

Templates first made with python-docx carry its default template's leftovers: every text
tagged `en-US` (Word checks the spelling and hyphenates in English), « Mode de compatibilité »
(compatibilityMode 14), a `stylesWithEffects.xml` part that no longer matches `styles.xml` (a
schema validator and Word itself may call the file damaged), a blank thumbnail, and core
properties claiming « python-docx » as author and 23 December 2013 as date.

`normalise` fixes the package's members once (templates, when a template is prepared, and the
combined files); `core_properties` writes each document's own `docProps/core.xml` (title,
author, dates). `python data/normalise_templates.py` applies the first to `templates/`.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import posixpath
import zipfile
from collections.abc import Mapping
from xml.sax.saxutils import escape

from lxml import etree

from generator.frenchdates import typeset
from generator.process import DOCUMENT_KINDS, REMINDER_REASONS

FRENCH = "fr-FR"
COMPATIBILITY_MODE = "15"  # Word 2013 and later: no « Mode de compatibilité »
CORE = "docProps/core.xml"
DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
_OFFICE_DOCUMENT = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                    "officeDocument")
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
_THUMBNAIL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
_CORE_TYPE = ("http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
              "core-properties")
_CORE_CONTENT = "application/vnd.openxmlformats-package.core-properties+xml"
_WORD_URI = "http://schemas.microsoft.com/office/word"
_XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# What Word 2013+ writes with compatibilityMode 15 (ECMA-376 part 1, 17.15.1.21 compatSetting).
_CURRENT_COMPAT = (("compatibilityMode", COMPATIBILITY_MODE),
                   ("overrideTableStyleFontSizeAndJustification", "1"),
                   ("enableOpenTypeFeatures", "1"),
                   ("doNotFlipMirrorIndents", "1"),
                   ("differentiateMultirowTableHeaders", "1"))
# Elements of w:settings that follow w:compat (CT_Settings' sequence), to insert one in place.
_AFTER_COMPAT = ("docVars", "rsids", "mathPr", "attachedSchema", "themeFontLang",
                 "clrSchemeMapping", "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures",
                 "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType",
                 "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol",
                 "listSeparator")
# Elements of w:rPr that follow w:lang (CT_RPr's sequence).
_AFTER_LANG = ("eastAsianLayout", "specVanish", "oMath")


def _w(name: str) -> str:
    return f"{{{_W}}}{name}"


def normalise(members: Mapping[str, bytes]) -> dict[str, bytes]:
    """The members (zip name → bytes) of a .docx made French and current: every `w:lang` and
    the theme font language `fr-FR` (the document defaults get one when they have none),
    compatibilityMode 15, French decimal and list separators, no `stylesWithEffects.xml` and
    no thumbnail (each part with its relationship and content type), and a core properties
    part (empty until `core_properties` fills it). Members it does not change keep their
    bytes and order; normalising twice changes nothing.

    Raises KeyError when the package has no main document, etree.XMLSyntaxError on a part
    that is not XML."""
    out = dict(members)
    package_rels = etree.fromstring(out["_rels/.rels"])
    main = _target("", _find(package_rels, _OFFICE_DOCUMENT)[0])
    folder, file = posixpath.split(main)
    main_rels_name = posixpath.join(folder, "_rels", f"{file}.rels")
    types = etree.fromstring(out["[Content_Types].xml"])
    removed = _drop_parts(out, package_rels, "", _THUMBNAIL, types)
    if main_rels_name in out:
        main_rels = etree.fromstring(out[main_rels_name])
        if _drop_parts(out, main_rels, folder, _STYLES_WITH_EFFECTS, types):
            out[main_rels_name] = _xml(main_rels)
    if not _find(package_rels, _CORE_TYPE):
        _relate(package_rels, _CORE_TYPE, CORE)
        removed = True
    if core_part(package_rels) not in out:
        out[core_part(package_rels)] = core_properties("", "", dt.datetime(1980, 1, 1,
                                                                           tzinfo=dt.UTC))
        _override(types, core_part(package_rels), _CORE_CONTENT)
        removed = True
    if removed:
        out["_rels/.rels"] = _xml(package_rels)
        out["[Content_Types].xml"] = _xml(types)
    for name, data in members.items():
        if name in out and name.startswith(f"{folder}/") and name.endswith(".xml") \
                and b"<w:" in data:
            fixed = _fix_word_part(name, data)
            if fixed is not None:
                out[name] = fixed
    return out


def core_part(package_rels: etree._Element | bytes) -> str:
    """The zip name of the core properties part `_rels/.rels` (element or bytes) relates,
    else the usual `docProps/core.xml`."""
    if isinstance(package_rels, bytes):
        package_rels = etree.fromstring(package_rels)
    found = _find(package_rels, _CORE_TYPE)
    return _target("", found[0]) if found else CORE


def package_bytes(members: Mapping[str, bytes],
                  dates: Mapping[str, tuple[int, int, int, int, int, int]] | None = None
                  ) -> bytes:
    """A .docx (zip) of `members` in their order, `[Content_Types].xml` first, each deflated
    and dated from `dates` (by name; else 1 January 1980, as docx packages commonly are)."""
    buffer = io.BytesIO()
    names = sorted(members, key=lambda name: name != "[Content_Types].xml")
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            info = zipfile.ZipInfo(name, (dates or {}).get(name, (1980, 1, 1, 0, 0, 0)))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, members[name])
    return buffer.getvalue()


def typeset_template(members: Mapping[str, bytes]) -> dict[str, bytes]:
    """The members of a template whose own text is set in French typography (`typeset`:
    a no-break space before « : ; ! ? » » and after « « », template tags left alone). For
    `data/normalise_templates.py`, run once when a template is edited: the text a team types
    in its template is its own, rendering does not retouch it."""
    out = dict(members)
    for name, data in members.items():
        if name.startswith("word/") and name.endswith(".xml") and b"<w:t" in data:
            root = etree.fromstring(data)
            changed = False
            for node in root.iter(_w("t")):
                if node.text and (text := typeset(node.text)) != node.text:
                    node.text = text
                    changed = True
            if changed:
                out[name] = _xml(root)
    return out


def _fix_word_part(name: str, data: bytes) -> bytes | None:
    """A WordprocessingML part in French (and, for settings, current); None: unchanged."""
    root = etree.fromstring(data)
    changed = False
    for lang in root.iter(_w("lang")):
        if lang.get(_w("val")) not in (None, FRENCH):
            lang.set(_w("val"), FRENCH)
            changed = True
    if root.tag == _w("styles"):
        changed |= _default_language(root)
    elif root.tag == _w("settings"):
        changed |= _fix_settings(root)
    return _xml(root) if changed else None


def _default_language(styles: etree._Element) -> bool:
    """The document defaults' run properties name French (a part without docDefaults keeps
    the application's own default)."""
    defaults = styles.find(_w("docDefaults"))
    if defaults is None:
        return False
    r_pr_default = defaults.find(_w("rPrDefault"))
    if r_pr_default is None:
        r_pr_default = etree.Element(_w("rPrDefault"))
        defaults.insert(0, r_pr_default)
    r_pr = r_pr_default.find(_w("rPr"))
    if r_pr is None:
        r_pr = etree.SubElement(r_pr_default, _w("rPr"))
    if r_pr.find(_w("lang")) is not None:
        return False
    lang = etree.Element(_w("lang"))
    lang.set(_w("val"), FRENCH)
    _insert_before(r_pr, lang, _AFTER_LANG)
    return True


def _fix_settings(settings: etree._Element) -> bool:
    changed = False
    for preview in settings.findall(_w("savePreviewPicture")):  # Word would write a thumbnail
        settings.remove(preview)
        changed = True
    compat = settings.find(_w("compat"))
    if compat is None:
        compat = etree.Element(_w("compat"))
        _insert_before(settings, compat, _AFTER_COMPAT)
        changed = True
    present = {element.get(_w("name")): element for element in compat.findall(_w("compatSetting"))}
    for name, value in _CURRENT_COMPAT:
        element = present.get(name)
        if element is None:
            element = etree.SubElement(compat, _w("compatSetting"))
            element.set(_w("name"), name)
            element.set(_w("uri"), _WORD_URI)
        elif name != "compatibilityMode" or element.get(_w("val")) == value:
            continue  # the other settings are the template author's choice once present
        element.set(_w("val"), value)
        changed = True
    for tag, value in (("themeFontLang", FRENCH), ("decimalSymbol", ","), ("listSeparator", ";")):
        element = settings.find(_w(tag))
        if element is not None and element.get(_w("val")) != value:
            element.set(_w("val"), value)
            changed = True
    return changed


def _insert_before(parent: etree._Element, child: etree._Element,
                   followers: tuple[str, ...]) -> None:
    """Insert `child` before the first of `parent`'s children named in `followers` (the
    schema's order), else at the end."""
    names = {_w(name) for name in followers}
    for index, element in enumerate(parent):
        if element.tag in names:
            parent.insert(index, child)
            return
    parent.append(child)


def _find(rels: etree._Element, kind: str) -> list[etree._Element]:
    return [rel for rel in rels if rel.get("Type") == kind and rel.get("TargetMode") != "External"]


def _target(folder: str, rel: etree._Element) -> str:
    target = rel.get("Target", "")
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(folder, target))


def _drop_parts(out: dict[str, bytes], rels: etree._Element, folder: str, kind: str,
                types: etree._Element) -> bool:
    """Remove the parts `rels` relates as `kind`, their relationships, their content-type
    overrides (and their own relationships); whether anything was removed."""
    found = _find(rels, kind)
    for rel in found:
        name = _target(folder, rel)
        out.pop(name, None)
        head, tail = posixpath.split(name)
        out.pop(posixpath.join(head, "_rels", f"{tail}.rels"), None)
        for override in list(types):
            if override.get("PartName", "").lstrip("/") == name:
                types.remove(override)
        rels.remove(rel)
    return bool(found)


def _relate(rels: etree._Element, kind: str, target: str) -> None:
    taken = {rel.get("Id") for rel in rels}
    number = 1
    while f"rId{number}" in taken:
        number += 1
    etree.SubElement(rels, f"{{{_REL}}}Relationship", Id=f"rId{number}", Type=kind,
                     Target=target)


def _override(types: etree._Element, part: str, content_type: str) -> None:
    etree.SubElement(types, f"{{{_TYPES}}}Override", PartName=f"/{part}",
                     ContentType=content_type)


def _xml(root: etree._Element) -> bytes:
    return _XML_DECLARATION + etree.tostring(root, encoding="UTF-8")


def core_properties(title: str, author: str, when: dt.datetime) -> bytes:
    """`docProps/core.xml` (ECMA-376 part 2, 11: Dublin Core terms): `title`, `author` as
    creator and last modifier, created and modified at `when` (an aware datetime, written in
    UTC to the second), the language `fr-FR`, revision 1."""
    stamp = when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(title)}</dc:title>"
        f"<dc:creator>{escape(author)}</dc:creator>"
        f"<cp:lastModifiedBy>{escape(author)}</cp:lastModifiedBy>"
        "<cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        f"<dc:language>{FRENCH}</dc:language>"
        "</cp:coreProperties>"
    ).encode()


def generation_time() -> dt.datetime:
    """Now, in UTC: a document's creation date. `SOURCE_DATE_EPOCH` (seconds since 1970, the
    reproducible-builds convention) fixes it, so that two runs can give the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _without_article(label: str) -> str:
    for article in ("la ", "le ", "les ", "l'", "l’"):
        if label.startswith(article):
            label = label[len(article):]
            break
    return label[:1].upper() + label[1:]


# The French name of the document each shipped template makes, by file name.
TEMPLATE_LABELS: dict[str, str] = {
    **{kind.template: _without_article(kind.label) for kind in DOCUMENT_KINDS},
    **{reason.template: f"Relance : {reason.label}" for reason in REMINDER_REASONS},
    "lettre-tuteur.docx": "Lettre au tuteur",
}


def template_label(template: str) -> str:
    """The French name of what a template makes (« Convention de stage »), by file name; the
    file's stem for a template `gen` does not know."""
    return TEMPLATE_LABELS.get(template) or posixpath.splitext(template)[0]


def document_title(label: str, context: Mapping[str, object]) -> str:
    """A generated document's title: `label` and whom it is about, the student, else the
    tutor (« Convention de stage – Claire DUPONT »)."""
    for key in ("auditeur", "tuteur"):
        person = context.get(key)
        if isinstance(person, Mapping) and person.get("prenom_nom"):
            return f"{label} – {person['prenom_nom']}"
    return label


def establishment(context: Mapping[str, object]) -> str:
    """The establishment's name in a template context (`etablissement.nom`), else ""."""
    found = context.get("etablissement")
    return str(found.get("nom") or "") if isinstance(found, Mapping) else ""
