"""Prepared .docx templates: docxtpl's preprocessing and Jinja's compilation done once per
template, then each document renders only the XML parts that hold Jinja and splices them with
the template's other members, copied once still compressed (`splice`). A template is made
French and current once when prepared (`package.normalise`); each document gets its own core
properties.

docxtpl spends most of a render re-reading the .docx and recompiling its XML as a Jinja
template; here that work is done by `Template.load`, and `Template.render` costs one Jinja
render per templated part plus the compression of those parts.

Values reach the XML through one `finalize`: control characters removed, text escaped, a line
break kept as a Word line break. Jinja markup typed in a cell is data, never evaluated: the
template is compiled before any value exists, and values are only ever printed.
"""

from __future__ import annotations

import io
import os
import re
import time
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import jinja2
import jinja2.meta
import jinja2.nodes
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docxtpl import DocxTemplate
from jinja2.compiler import CodeGenerator, Frame
from jinja2.sandbox import SecurityError
from lxml import etree
from markupsafe import Markup, escape

from generator.clean import clean_text
from generator.documents.limits import (
    BoundedEnvironment,
    TooCostly,
    environment,
    forbidden_tag,
    render_bounded,
)
from generator.documents.package import (
    core_part,
    core_properties,
    document_title,
    establishment,
    generation_time,
    normalise,
    package_bytes,
    template_label,
)
from generator.documents.splice import Member, SplicedZip
from generator.errors import TemplateError
from generator.zipguard import bomb_reason

_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# A value's line break: close the text, break the line, reopen the text in the same run.
_LINE_BREAK = '</w:t><w:br/><w:t xml:space="preserve">'
_JINJA_MARKERS = ("{{", "{%", "{#")
# The parts docxtpl renders besides the main document.
_TEMPLATED_RELATIONSHIPS = frozenset({RT.HEADER, RT.FOOTER, RT.FOOTNOTES, RT.ENDNOTES})
# docxtpl's own escapes for literal braces in a template, made literal at compile time so that
# a value holding "{_{" is printed as typed.
_LITERAL_BRACES = {
    "{_{": "{% raw %}{{{% endraw %}",
    "}_}": "{% raw %}}}{% endraw %}",
    "{_%": "{% raw %}{%{% endraw %}",
    "%_}": "{% raw %}%}{% endraw %}",
}
# Rendered parts: level 1 compresses a 40 KB document.xml 4× faster than the default 6, for a
# zip about 1 KB larger; the other members keep the template's own compression.
_RENDERED_LEVEL = 1


def document_text(text: str) -> str:
    """A value's text as documents print it: `generator.clean.clean_text` without trimming
    (a template may join values with spaces), and a tab as a space (a tab inside a run is
    not Word's tab)."""
    return clean_text(text, trim=False).replace("\t", " ")


def _finalize(value: object) -> Markup:
    """Every `{{ … }}` goes through here, and its result is printed as it is (`_Output`): a
    value is escaped here once, or kept when it is already XML (Markup)."""
    if type(value) is str and value.isprintable():  # most values: nothing to clean or break
        return escape(value)
    if value is None:
        return Markup()
    if isinstance(value, Markup):  # template literals and filters over escaped values
        text = Markup(document_text(str(value)))
    elif hasattr(value, "__html__"):  # docxtpl's RichText/Listing: already XML
        return Markup(value.__html__())
    else:
        text = escape(document_text(str(value)))
    return Markup(str(text).replace("\n", _LINE_BREAK))


class _Output(CodeGenerator):
    """Jinja's code, less the second escape of each printed value: with autoescape, Jinja
    wraps every `{{ … }}` in `escape(finalize(…))`, and `_finalize` already returns escaped
    Markup, so the outer call would only copy it. A block that turns autoescape off or on
    (`volatile`) keeps Jinja's own code."""

    def _output_child_pre(self, node: jinja2.nodes.Expr, frame: Frame,
                          finalize: CodeGenerator._FinalizeInfo) -> None:
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile and finalize.src:
            self.write("str(" + finalize.src)
        else:
            super()._output_child_pre(node, frame, finalize)


class _Environment(BoundedEnvironment):
    code_generator_class = _Output


# One environment for every template of the run: sandboxed (a template is a file users edit),
# escaping on, and an unknown key an error rather than an empty string.
ENVIRONMENT = environment(_Environment, autoescape=True, undefined=jinja2.StrictUndefined,
                          finalize=_finalize)
# docxtpl's preprocessing needs no loaded document: one instance serves every template.
_DOCXTPL = DocxTemplate(io.BytesIO())


@dataclass(frozen=True)
class _Part:
    name: str  # zip member
    date_time: tuple[int, int, int, int, int, int]
    template: jinja2.Template
    fix_tables: bool  # `{%tc` loops may leave the table grid short of columns
    fix_drawings: bool  # a loop may repeat a drawing, whose id must stay unique


class Template:
    """A .docx template prepared once; `render` gives a document's bytes for one context."""

    def __init__(self, name: str, path: Path, keys: frozenset[str],
                 references: frozenset[str], parts: tuple[_Part, ...], base: SplicedZip,
                 core: str) -> None:
        self.name = name
        self.path = path
        self.keys = keys  # top-level variables
        self.references = references  # dotted paths from those variables (stage.date_debut)
        self._parts = parts
        self._base = base  # every member that holds no Jinja, copied once
        self._core = core  # the core properties part, written for each document

    def __repr__(self) -> str:
        return f"Template({self.name!r}, keys={sorted(self.keys)})"

    @classmethod
    def load(cls, path: Path) -> Template:
        """Read and prepare a template; a file that is no .docx or holds a broken tag raises
        TemplateError with a French message naming the file."""
        name = path.name
        try:
            data = path.read_bytes()
        except OSError as error:
            raise TemplateError(f"Le modèle « {name} » est illisible ({error.strerror}).") from None
        parts: list[_Part] = []
        keys: set[str] = set()
        references: set[str] = set()
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as original:
                if bomb := bomb_reason(original):
                    raise TemplateError(f"Le modèle « {name} » est refusé : {bomb}. Reprenez "
                                        "le modèle d'origine (templates/).")
                members = normalise({info.filename: original.read(info)
                                     for info in original.infolist() if not info.is_dir()})
                dates = {info.filename: info.date_time for info in original.infolist()}
            core = core_part(members["_rels/.rels"])
            with zipfile.ZipFile(io.BytesIO(package_bytes(members, dates))) as source:
                for member in _templated_member_names(source):
                    raw = etree.tostring(etree.fromstring(source.read(member)),
                                         encoding="unicode")
                    xml = _prepare_xml(raw)
                    if not any(marker in xml for marker in _JINJA_MARKERS):
                        continue
                    ast = _parse(name, xml)
                    undeclared = jinja2.meta.find_undeclared_variables(ast)
                    keys |= undeclared
                    references |= _references(ast, undeclared)
                    text = re.sub(r"<[^>]+>", "", raw)  # a tag may be split over several runs
                    loops = bool(ast.find(jinja2.nodes.For))
                    parts.append(_Part(member, source.getinfo(member).date_time,
                                       ENVIRONMENT.from_string(ast),
                                       fix_tables=bool(re.search(r"\{%-?tc\s", text)),
                                       fix_drawings=loops and "docPr" in xml))
                base = SplicedZip(source, {part.name for part in parts} | {core},
                                  _RENDERED_LEVEL)
        except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, EOFError, zlib.error):
            raise TemplateError(
                f"Le modèle « {name} » n'est pas un document Word (.docx) lisible.") from None
        return cls(name, path, frozenset(keys), frozenset(references), tuple(parts), base,
                   core)

    def render(self, context: Mapping[str, object]) -> bytes:
        """The .docx bytes for one context, its core properties its own (`package`: title,
        the establishment as author, created now). A key the context lacks raises
        TemplateError."""
        rendered: list[Member] = []
        started = time.monotonic()
        for part in self._parts:
            try:
                xml = render_bounded(part.template, context, started)
            except TooCostly as error:
                raise TemplateError(f"Le modèle « {self.name} » est refusé : {error} ; "
                                    "vérifiez ses boucles ({% for %}).") from None
            except (SecurityError, OverflowError) as error:
                raise TemplateError(f"Le modèle « {self.name} » est refusé : {error}.") \
                    from None
            except jinja2.UndefinedError as error:
                raise TemplateError(f"Le modèle « {self.name} » lit une valeur absente "
                                    f"({error.message}).") from error
            except jinja2.TemplateError as error:
                raise TemplateError(f"Le modèle « {self.name} » ne peut pas être rempli : "
                                    f"{error.message or error}.") from error
            rendered.append(Member(part.name, part.date_time, _finish_xml(xml, part)))
        when = generation_time()
        properties = core_properties(document_title(template_label(self.name), context),
                                     establishment(context), when)
        rendered.append(Member(self._core, (when.year, when.month, when.day, when.hour,
                                            when.minute, when.second), properties))
        return self._base.build(rendered)


def _templated_member_names(source: zipfile.ZipFile) -> list[str]:
    """The main document and the headers, footers and notes it refers to (the parts docxtpl
    renders), and the custom properties, found through the package's relationships."""
    main = _targets(source, "", "_rels/.rels", {RT.OFFICE_DOCUMENT})
    if not main:
        raise KeyError("officeDocument")
    custom = _targets(source, "", "_rels/.rels", {RT.CUSTOM_PROPERTIES})
    folder, _, file = main[0].rpartition("/")
    rels = f"{folder}/_rels/{file}.rels" if folder else f"_rels/{file}.rels"
    extra = _targets(source, folder, rels, _TEMPLATED_RELATIONSHIPS) if rels in \
        source.namelist() else []
    return [main[0], *extra, *custom]


def _targets(source: zipfile.ZipFile, folder: str, rels: str, types: frozenset[str] | set[str]
             ) -> list[str]:
    root = etree.fromstring(source.read(rels))
    found = []
    for rel in root:
        if rel.get("Type") in types and rel.get("TargetMode") != "External":
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else \
                os.path.normpath(f"{folder}/{target}" if folder else target).replace("\\", "/")
            found.append(path)
    return found


def _prepare_xml(xml: str) -> str:
    """docxtpl's preprocessing of one part (serialized by lxml, as DocxTemplate.render has
    it: entities normalised): strip the Word runs that split a tag, turn `{%p`, `{%tr`, `{%tc`,
    `{%r` into plain tags around their element."""
    xml = _DOCXTPL.patch_xml(xml)
    for literal, raw in _LITERAL_BRACES.items():
        xml = xml.replace(literal, raw)
    return xml


def _parse(name: str, xml: str) -> jinja2.nodes.Template:
    try:
        ast = ENVIRONMENT.parse(xml)
    except jinja2.TemplateSyntaxError as error:
        raise _located(name, xml, error) from None
    if tag := forbidden_tag(ast):
        raise TemplateError(f"Le modèle « {name} » utilise « {{% {tag} %}} », qui n'est pas "
                            "permis : un modèle est un seul document ; copiez-y le texte voulu.")
    return ast


def _located(name: str, xml: str, error: jinja2.TemplateSyntaxError) -> TemplateError:
    """The French message of a syntax error, quoting the paragraph where it is: parsed again
    with each paragraph on a line of its own, for Jinja's line number to point at it (the
    template is compiled without these line breaks: no document has to remove them)."""
    lined = re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)
    try:
        ENVIRONMENT.parse(lined)
    except jinja2.TemplateSyntaxError as located:
        error = located
    lines = lined.splitlines()
    index = max((error.lineno or 1) - 1, 0)
    near = re.sub(r"<[^>]+>", "", lines[index]).strip() if index < len(lines) else ""
    where = f" près de « {near[:120]} »" if near else ""
    return TemplateError(f"Le modèle « {name} » contient une balise mal formée{where} : "
                         f"{error.message}.")


def _references(ast: jinja2.nodes.Template, roots: set[str]) -> set[str]:
    """Dotted paths read from the template's own variables: `stage.date_debut`,
    `tuteur["nom"]` → `tuteur.nom`; loop variables are the loop's business."""
    found = set(roots)
    for node in ast.find_all((jinja2.nodes.Getattr, jinja2.nodes.Getitem)):
        path = _dotted(node)
        if path and path.partition(".")[0] in roots:
            found.add(path)
    return found


def _dotted(node: jinja2.nodes.Node) -> str | None:
    if isinstance(node, jinja2.nodes.Name):
        return node.name
    if isinstance(node, jinja2.nodes.Getattr):
        inner = _dotted(node.node)
        return f"{inner}.{node.attr}" if inner else None
    if isinstance(node, jinja2.nodes.Getitem) and isinstance(node.arg, jinja2.nodes.Const) \
            and isinstance(node.arg.value, str):
        inner = _dotted(node.node)
        return f"{inner}.{node.arg.value}" if inner else None
    return None


def _finish_xml(xml: str, part: _Part) -> bytes:
    if part.fix_tables or part.fix_drawings:
        tree = _DOCXTPL.fix_tables(xml) if part.fix_tables else etree.fromstring(xml)
        if part.fix_drawings:
            for number, drawing in enumerate(_drawings(tree), start=1001):
                drawing.set("id", str(number))
        xml = etree.tostring(tree, encoding="unicode")
    return (_XML_DECLARATION + xml).encode("utf-8")


def _drawings(tree: etree._Element) -> Iterator[etree._Element]:
    namespace = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
    yield from tree.iter(f"{{{namespace}}}docPr")
