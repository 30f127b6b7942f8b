"""Jinja tags as Word stored them: read from the raw XML of a .docx, before docxtpl's
preprocessing repairs (and so hides) what a person's editing did to them.

`scan` finds every tag paragraph by paragraph and what is wrong with it there: a tag cut over
several runs, a tag left open, a `{%tr %}` outside a table row, a `{%tc %}` outside a cell;
`block_problems` checks that the `{% %}` blocks of each part balance. Every problem is one
French sentence naming the template, the tag, its paragraph and what to do.
"""

from __future__ import annotations

import bisect
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_T, _P, _TR, _TC = (f"{{{_W}}}{tag}" for tag in ("t", "p", "tr", "tc"))
_PART = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")
_PART_LABELS = {"document": "", "header": " de l'en-tête", "footer": " du pied de page",
                "footnotes": " d'une note de bas de page", "endnotes": " d'une note de fin"}
_CLOSERS = {"{{": "}}", "{%": "%}", "{#": "#}"}
_OPENER = re.compile(r"\{[{%#]")
# docxtpl's prefixes: {%tr …%} stands for its table row, {%tc …%} its cell, {%p …%} its
# paragraph, {%r …%} its run (written with no space after "{%").
_PREFIX = re.compile(r"^(tr|tc|p|r)\s")
_BLOCKS = {"if", "for", "macro", "call", "filter", "with", "block", "autoescape", "trans",
           "raw"}
_MIDDLES = {"elif": {"if"}, "else": {"if", "for"}, "pluralize": {"trans"}}
_WHERE_REQUIRED = {
    "tr": (_TR, "une ligne de tableau", "dans une cellule de la ligne à répéter ou à masquer"),
    "tc": (_TC, "une cellule de tableau", "dans la cellule à répéter ou à masquer"),
}


@dataclass(frozen=True)
class Tag:
    """One tag as typed in a template, and where it is."""

    text: str  # as typed, delimiters included
    part: str  # "document", "header1"…
    paragraph: str  # the paragraph's text, to say where the tag is
    element: Any  # the w:t holding its first character

    @property
    def where(self) -> str:
        label = _PART_LABELS.get(re.sub(r"\d+$", "", self.part), "")
        return f"paragraphe « {short(self.paragraph, 60)} »{label}"


def scan(path: Path) -> tuple[list[Tag], list[str]]:
    """The tags of every templated part, in order, and the problems seen in the raw XML.
    A file that is no .docx raises OSError, zipfile.BadZipFile or lxml's XMLSyntaxError."""
    name = path.name
    tags: list[Tag] = []
    problems: list[str] = []
    with zipfile.ZipFile(path) as archive:
        members = sorted((m for m in archive.namelist() if _PART.fullmatch(m)),
                         key=lambda m: (m != "word/document.xml", m))
        for member in members:
            part = _PART.fullmatch(member).group(1)  # type: ignore[union-attr]
            root = etree.fromstring(archive.read(member))
            for paragraph_runs in _paragraphs(root):
                found, seen = _paragraph_tags(name, part, paragraph_runs)
                tags += found
                problems += seen
    return tags, problems


def _paragraphs(root: Any) -> list[list[Any]]:
    """The w:t elements of each paragraph, in order (a text box's paragraphs are their own)."""
    by_paragraph: dict[Any, list[Any]] = {}
    for text in root.iter(_T):
        paragraph = next(text.iterancestors(_P), None)
        by_paragraph.setdefault(paragraph, []).append(text)
    return list(by_paragraph.values())


def _paragraph_tags(name: str, part: str, runs: list[Any]) -> tuple[list[Tag], list[str]]:
    texts = [run.text or "" for run in runs]
    whole = "".join(texts)
    starts, offset = [], 0
    for text in texts:
        starts.append(offset)
        offset += len(text)

    def run_at(position: int) -> int:
        """The w:t holding the character at `position` (an empty w:t holds none)."""
        return bisect.bisect_right(starts, position) - 1

    tags: list[Tag] = []
    problems: list[str] = []
    position = 0
    while (match := _OPENER.search(whole, position)) is not None:
        opener = match.group()
        end = whole.find(_CLOSERS[opener], match.end())
        first = run_at(match.start())
        if end < 0:
            typed = whole[match.start():]
            tag = Tag(typed, part, whole, runs[first])
            problems.append(
                f"Modèle « {name} » : la balise « {short(typed, 50)} » ({tag.where}) n'est "
                f"pas fermée. Que faire : ajoutez « {_CLOSERS[opener]} » à la fin de la "
                "balise, dans le même paragraphe.")
            break
        end += 2
        typed = whole[match.start():end]
        tag = Tag(typed, part, whole, runs[first])
        if run_at(end - 1) != first:
            problems.append(
                f"Modèle « {name} » : la balise « {short(typed, 50)} » ({tag.where}) est "
                "coupée en plusieurs morceaux par Word (mise en forme, correction "
                "automatique ou suivi des modifications au milieu de la balise). Que faire : "
                "sélectionnez toute la balise, supprimez-la et retapez-la d'un seul trait, "
                "sans changer la mise en forme en cours de frappe, puis enregistrez.")
        problems += _placement_problem(name, tag)
        tags.append(tag)
        position = end
    return tags, problems


def _placement_problem(name: str, tag: Tag) -> list[str]:
    prefix = _PREFIX.match(tag.text[2:])
    if tag.text.startswith("{#") or prefix is None or prefix.group(1) not in _WHERE_REQUIRED:
        return []
    element, what, place = _WHERE_REQUIRED[prefix.group(1)]
    if next(tag.element.iterancestors(element), None) is not None:
        return []
    code = prefix.group(1)
    return [f"Modèle « {name} » : la balise « {short(tag.text, 50)} » ({tag.where}) n'est "
            f"pas dans {what}, alors que « {{%{code} … %}} » répète ou masque {what} entière. "
            f"Que faire : placez-la {place}, ou remplacez « {{%{code} » par « {{%p » pour "
            "répéter ou masquer un paragraphe."]


def block_problems(name: str, tags: list[Tag]) -> list[str]:
    """`{% %}` blocks that do not balance, part by part (docxtpl renders each on its own)."""
    problems: list[str] = []
    by_part: dict[str, list[Tag]] = defaultdict(list)
    for tag in tags:
        by_part[tag.part].append(tag)
    for part_tags in by_part.values():
        stack: list[tuple[str, str, Tag]] = []  # (keyword, prefix, tag)
        for tag in part_tags:
            if not tag.text.startswith("{%"):
                continue
            prefix, keyword = _statement(tag.text)
            if stack and stack[-1][0] == "raw" and keyword != "endraw":
                continue
            if keyword in _BLOCKS or (keyword == "set" and "=" not in tag.text):
                stack.append((keyword, prefix, tag))
            elif keyword in _MIDDLES:
                if not stack or stack[-1][0] not in _MIDDLES[keyword]:
                    problems.append(_stray(name, tag, keyword))
            elif keyword.startswith("end"):
                opened = keyword[3:]
                if not stack:
                    problems.append(_stray(name, tag, keyword))
                    continue
                top_keyword, top_prefix, top = stack[-1]
                if top_keyword != opened:
                    problems.append(
                        f"Modèle « {name} » : « {short(tag.text, 40)} » ({tag.where}) arrive "
                        f"alors que le bloc « {short(top.text, 40)} » ({top.where}) est "
                        f"encore ouvert. Que faire : fermez d'abord ce bloc par "
                        f"« {_closing(top_prefix, top_keyword)} ».")
                    return problems  # what follows would only repeat the same fault
                stack.pop()
                if top_prefix != prefix:
                    problems.append(
                        f"Modèle « {name} » : le bloc « {short(top.text, 40)} » ({top.where}) "
                        f"est fermé par « {short(tag.text, 40)} » : l'ouverture et la "
                        "fermeture doivent porter le même préfixe (tr, tc, p ou r). Que "
                        f"faire : fermez-le par « {_closing(top_prefix, top_keyword)} ».")
        for keyword, prefix, tag in stack:
            problems.append(
                f"Modèle « {name} » : le bloc « {short(tag.text, 50)} » ({tag.where}) n'est "
                f"jamais fermé. Que faire : ajoutez « {_closing(prefix, keyword)} » là où "
                "le passage concerné doit finir.")
    return problems


def _statement(text: str) -> tuple[str, str]:
    """(docxtpl prefix or "", first word) of a `{% … %}` tag."""
    inner = text[2:-2]
    prefix = _PREFIX.match(inner)
    code = prefix.group(1) if prefix else ""
    body = inner[len(code):] if prefix else inner
    body = body.strip().lstrip("-+").strip()
    words = body.split(None, 1)
    return code, (words[0] if words else "")


def _closing(prefix: str, keyword: str) -> str:
    return f"{{%{prefix} end{keyword} %}}" if prefix else f"{{% end{keyword} %}}"


def _stray(name: str, tag: Tag, keyword: str) -> str:
    return (f"Modèle « {name} » : « {short(tag.text, 40)} » ({tag.where}) ne ferme ni ne "
            f"continue aucun bloc ouvert. Que faire : supprimez-le, ou ajoutez avant lui le "
            f"« {{% if … %}} » ou « {{% for … %}} » qui lui correspond.")


def short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
