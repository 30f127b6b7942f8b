"""`gen templates check`: a template the team edited is checked against what the code provides,
before any document is written.

Two looks. The raw XML, as Word saved it, before docxtpl's preprocessing (which would hide
what it repairs): a tag cut into several runs, a tag left open, `{% %}` blocks that do not
balance, a `{%tr %}` outside a table row. Then the prepared template (the engine's own
loading): its keys against an example context holding every key the code provides, and one
rendering with that context for what a static look cannot see (a loop variable's attribute, a
filter that does not exist). Every problem is one French sentence naming the template, where
the tag is and what to do.

A template is loaded once per run: `ensure_usable` gives the prepared templates it checked,
and the batch, the packs and the reminders render those. The folder's report (`gen templates
check`) is in folder_check.py.
"""

from __future__ import annotations

import difflib
import fnmatch
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from lxml import etree

from generator.documents.engine import Template
from generator.documents.tags import Tag, block_problems, scan
from generator.errors import TemplateError
from generator.zipguard import file_bomb_reason

ContextFactory = Callable[[], Mapping[str, Any]]

_README = "templates/README.md"


@dataclass(frozen=True)
class TemplateCheck:
    """One template's keys (dotted, as the template uses them), its problems (French) and,
    once it could be loaded, the prepared template (what a batch renders)."""

    name: str
    path: Path
    keys: tuple[str, ...]
    problems: tuple[str, ...]
    template: Template | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def check_template(path: Path, context: Mapping[str, Any] | None) -> TemplateCheck:
    """Check one template; `context` is an example holding every key the code gives this
    template (None: a template the program does not use, only its structure is checked)."""
    name = path.name
    # Decided from the archive's directory before any part is read: the tags' scan below
    # would decompress a bomb hidden in the text itself (word/document.xml).
    if bomb := file_bomb_reason(path):
        return TemplateCheck(name, path, (), (
            f"Modèle « {name} » : refusé, {bomb}. Que faire : reprenez le modèle d'origine "
            "(templates/) ; ce fichier n'est pas un document Word ordinaire.",))
    try:
        tags, problems = scan(path)
    except (OSError, zipfile.BadZipFile, KeyError, etree.XMLSyntaxError):
        return TemplateCheck(name, path, (), (
            f"Modèle « {name} » : ce n'est pas un document Word (.docx) lisible. Que faire : "
            "ouvrez-le dans Word ou LibreOffice et enregistrez-le au format .docx.",))
    problems += block_problems(name, tags)
    if problems:  # the engine would stumble on the same tags, less clearly
        return TemplateCheck(name, path, _typed_keys(tags), tuple(problems))
    try:
        template = Template.load(path)
    except (TemplateError, jinja2.TemplateError) as error:
        return TemplateCheck(name, path, _typed_keys(tags), (
            f"Modèle « {name} » : {_french(error)}. Que faire : corrigez la balise dans le "
            "modèle (voir " + _README + ").",))
    keys = tuple(sorted(_leaves(template.references)))
    if context is not None:
        problems += _key_problems(name, template, context, tags)
    return TemplateCheck(name, path, keys, tuple(problems), template)


def check_templates(paths: Iterable[Path], contexts: Mapping[str, ContextFactory]
                    ) -> list[TemplateCheck]:
    """Check each template, with the example context of the first pattern of `contexts`
    (`"relance-*.docx"`…) matching its file name."""
    built: dict[str, Mapping[str, Any]] = {}
    checks = []
    for path in paths:
        pattern = next((p for p in contexts if fnmatch.fnmatch(path.name, p)), None)
        if pattern is not None and pattern not in built:
            built[pattern] = contexts[pattern]()
        checks.append(check_template(path, built.get(pattern) if pattern else None))
    return checks


def ensure_usable(paths: Sequence[Path], contexts: Mapping[str, ContextFactory]
                  ) -> dict[str, Template]:
    """Run the check before a batch and give its prepared templates by file name (each loaded
    once, for the check and the batch); TemplateError naming the missing templates, or listing
    every problem when one is not usable, so that no document is written from a broken one."""
    missing = [path for path in paths if not path.is_file()]
    if missing:
        plural = "s" if len(missing) > 1 else ""
        raise TemplateError(
            f"Modèle{plural} introuvable{plural} : {', '.join(path.name for path in missing)}, "
            "ni dans le dossier des modèles de l'équipe ni parmi les modèles fournis avec gen. "
            "Que faire : réinstallez gen (pip install .) ou placez le modèle dans le dossier "
            "des modèles de l'équipe (--templates).")
    checks = check_templates(paths, contexts)
    problems = [problem for check in checks for problem in check.problems]
    if problems:
        raise TemplateError("\n".join(problems))
    return {check.name: check.template for check in checks if check.template is not None}


# --- Keys ------------------------------------------------------------------------------------

def missing_keys(template: Template, context: Mapping[str, object]) -> set[str]:
    """The template's keys and dotted paths that the context does not provide (the shortest
    failing path of each reference)."""
    missing: set[str] = set()
    for reference in template.references:
        value: object = context
        walked: list[str] = []
        for name in reference.split("."):
            walked.append(name)
            value = _lookup(value, name)
            if value is _MISSING:
                missing.add(".".join(walked))
                break
    return missing


def check_context(template: Template, context: Mapping[str, object]) -> None:
    """Raise TemplateError, in French and naming the template and the key, when the template
    uses a key the context lacks; then render once to catch what a static look cannot see
    (a loop variable's attribute, a filter that does not exist). The short form of
    `check_template`, for a template already loaded (`batch.load_template`)."""
    missing = missing_keys(template, context)
    if missing:
        key = min(missing, key=lambda k: (k.count("."), k))
        raise TemplateError(f"Le modèle « {template.name} » utilise la clé « {key} », "
                            "que le programme ne fournit pas.")
    template.render(context)


_MISSING = object()


def _lookup(value: object, name: str) -> object:
    """One step of a dotted path, as Jinja resolves it: attribute, then item (a mapping's
    default counts: the context's `extra`, a defaultdict, answers any header)."""
    if isinstance(value, Mapping):
        try:
            return value[name]
        except KeyError:
            pass
    return getattr(value, name, _MISSING)


def _key_problems(name: str, template: Template, context: Mapping[str, Any],
                  tags: list[Tag]) -> list[str]:
    known = _known_paths(context)
    problems = []
    for key in sorted(missing_keys(template, context)):
        tag = next((t for t in tags if key.rsplit(".", 1)[-1] in t.text), None)
        where = f" ({tag.where})" if tag else ""
        guess = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        hint = f" Vouliez-vous dire « {guess[0]} » ?" if guess else ""
        problems.append(
            f"Modèle « {name} » : la clé « {key} »{where} n'est pas fournie par le "
            f"programme. Que faire : corrigez-la dans le modèle.{hint} Les clés disponibles "
            f"sont décrites dans {_README}.")
    if problems:
        return problems
    try:
        template.render(context)
    except TemplateError as error:
        return [f"Modèle « {name} » : {_french(error)}. Que faire : corrigez la balise "
                f"concernée (les clés disponibles sont dans {_README})."]
    return []


def _known_paths(context: Mapping[str, Any], prefix: str = "") -> list[str]:
    paths = []
    for key, value in context.items():
        path = f"{prefix}{key}"
        paths.append(path)
        if isinstance(value, Mapping):
            paths += _known_paths(value, path + ".")
    return paths


def _leaves(references: Iterable[str]) -> set[str]:
    """Dotted paths that no other path extends: `auditeur.nom` rather than `auditeur`."""
    paths = set(references)
    return {p for p in paths if not any(q.startswith(p + ".") for q in paths)}


def _typed_keys(tags: list[Tag]) -> tuple[str, ...]:
    """Best-effort keys of a template that cannot be loaded: the dotted names in `{{ }}`."""
    found = set()
    for tag in tags:
        if tag.text.startswith("{{"):
            expression = re.sub(r"\|\s*\w+", "", tag.text[2:-2])  # filters are no keys
            found |= set(re.findall(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*", expression))
    return tuple(sorted(found))


def _french(error: Exception) -> str:
    """The engine's French message without its leading template name, or a French reading
    of Jinja's English one."""
    text = str(getattr(error, "message", None) or error).strip().rstrip(".")
    text = re.sub(r"^Le modèle « [^»]* » ", "le modèle ", text)
    for pattern, french in (
            (r"has no attribute '([^']+)'", "la clé « {} » n'est pas fournie par le programme"),
            (r"'([^']+)' is undefined", "la clé « {} » n'est pas fournie par le programme"),
            (r"No filter named '([^']+)'", "le filtre « {} » n'existe pas"),
            (r"No test named '([^']+)'", "le test « {} » n'existe pas")):
        found = re.search(pattern, text)
        if found:
            return french.format(found.group(1))
    return text
