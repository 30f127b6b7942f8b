"""`gen templates check`: a template the team edited is checked against what the code provides,
before any document is written.

Two looks. The raw XML, as Word saved it, before docxtpl's preprocessing (which would hide
what it repairs): a tag cut into several runs, a tag left open, `{% %}` blocks that do not
balance, a `{%tr %}` outside a table row. Then the prepared template (the engine's own
loading): its keys against an example context holding every key the code provides, and one
rendering with that context for what a static look cannot see (a loop variable's attribute, a
filter that does not exist). Every problem is one French sentence naming the template, where
the tag is and what to do.
"""

from __future__ import annotations

import difflib
import fnmatch
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from lxml import etree

from generator.documents.batch import DEFAULT_TEMPLATES, DOCUMENTS
from generator.documents.context import example_context
from generator.documents.engine import Template, missing_keys
from generator.documents.packs import LETTER_TEMPLATE, example_cover_context
from generator.documents.tags import Tag, block_problems, scan
from generator.errors import TemplateError

ContextFactory = Callable[[], Mapping[str, Any]]

_README = "templates/README.md"


@dataclass(frozen=True)
class TemplateCheck:
    """One template's keys (dotted, as the template uses them) and its problems (French)."""

    name: str
    path: Path
    keys: tuple[str, ...]
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def check_template(path: Path, context: Mapping[str, Any] | None) -> TemplateCheck:
    """Check one template; `context` is an example holding every key the code gives this
    template (None: a template the program does not use, only its structure is checked)."""
    name = path.name
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
    return TemplateCheck(name, path, keys, tuple(problems))


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


def ensure_usable(paths: Sequence[Path], contexts: Mapping[str, ContextFactory]) -> None:
    """Run the check before a batch: TemplateError naming the missing templates, or listing
    every problem when one is not usable, so that no document is written from a broken one."""
    missing = [path for path in paths if not path.is_file()]
    if missing:
        plural = "s" if len(missing) > 1 else ""
        raise TemplateError(
            f"Modèle{plural} absent{plural} du dossier « {missing[0].parent} » : "
            f"{', '.join(path.name for path in missing)}. Que faire : copiez-y le modèle "
            "fourni avec le programme (dossier templates/), puis adaptez-le.")
    problems = [problem for check in check_templates(paths, contexts)
                for problem in check.problems]
    if problems:
        raise TemplateError("\n".join(problems))


@dataclass(frozen=True)
class FolderCheck:
    """`gen templates check`: the folder, each template's check, the program's templates
    that the folder lacks."""

    folder: Path
    checks: list[TemplateCheck]
    absent: list[str]

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)


def document_contexts() -> dict[str, ContextFactory]:
    """The example context of each template the documents module fills in."""
    contexts: dict[str, ContextFactory] = {kind.template: example_context
                                           for kind in DOCUMENTS.values()}
    contexts[LETTER_TEMPLATE] = example_cover_context
    return contexts


def check_folder(folder: Path | None, contexts: Mapping[str, ContextFactory]) -> FolderCheck:
    """Check every .docx of `folder` (default: the program's templates/)."""
    folder = folder or DEFAULT_TEMPLATES
    paths = sorted(p for p in folder.glob("*.docx") if not p.name.startswith(("~$", ".")))
    present = {p.name for p in paths}
    absent = sorted(name for name in contexts if "*" not in name and name not in present)
    return FolderCheck(folder, check_templates(paths, contexts), absent)


def ensure_documents_usable(documents: Iterable[str], templates: Path | None,
                            packs: bool = False) -> None:
    """Before a batch: the templates of `documents` (and the pack letter) pass the check, or
    TemplateError lists what to fix; a template missing from `templates` is named."""
    folder = templates or DEFAULT_TEMPLATES
    names = [DOCUMENTS[document].template for document in documents]
    if packs:
        names.append(LETTER_TEMPLATE)
    ensure_usable([folder / name for name in names], document_contexts())


def report_lines(result: FolderCheck, contexts: Mapping[str, ContextFactory]
                 ) -> list[tuple[str, bool]]:
    """`gen templates check`'s French report: each template, its keys, its problems (True:
    a problem, for stderr), then the verdict."""
    lines: list[tuple[str, bool]] = [(f"Modèles du dossier « {result.folder} » :", False)]
    for check in result.checks:
        known = any(fnmatch.fnmatch(check.name, pattern) for pattern in contexts)
        verdict = "correct" if check.ok else f"{len(check.problems)} problème" + (
            "s" if len(check.problems) > 1 else "")
        lines.append((f"\n{check.name} : {verdict}, {len(check.keys)} clé"
                      f"{'s' if len(check.keys) > 1 else ''}", False))
        if not known:
            lines.append(("  (modèle que le programme n'utilise pas : seules ses balises sont "
                          "vérifiées, pas ses clés)", False))
        lines += [(f"  {line}", False) for line in _grouped(check.keys)]
        lines += [(f"! {problem}", True) for problem in check.problems]
    for name in result.absent:
        lines.append((f"\nAttention : « {name} » est absent de ce dossier ; les commandes "
                      "qui l'utilisent échoueront avec ce dossier de modèles.", False))
    failed = sum(not check.ok for check in result.checks)
    lines.append(("\nTous les modèles sont utilisables." if not failed else
                  f"\n{failed} modèle{'s' if failed > 1 else ''} à corriger avant de générer "
                  "des documents.", bool(failed)))
    return lines


def _grouped(keys: Sequence[str]) -> list[str]:
    """`auditeur : email, nom_complet` — one line per namespace, plain keys on their own."""
    groups: dict[str, list[str]] = {}
    for key in keys:
        head, _, rest = key.partition(".")
        groups.setdefault(head if rest else "", []).append(rest or head)
    return [f"{head} : {', '.join(names)}" if head else ", ".join(names)
            for head, names in sorted(groups.items())]


# --- Keys ------------------------------------------------------------------------------------

def _key_problems(name: str, template: Template, context: Mapping[str, Any],
                  tags: list[Tag]) -> list[str]:
    known = _known_paths(context)
    problems = []
    for key in sorted(missing_keys(template, context)):
        if key.startswith("extra."):  # the workbook's own columns, unknown until read
            continue
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
        template.render(_Permissive(context))
    except TemplateError as error:
        return [f"Modèle « {name} » : {_french(error)}. Que faire : corrigez la balise "
                f"concernée (les clés disponibles sont dans {_README})."]
    return []


class _Permissive(dict):  # type: ignore[type-arg]
    """The example context whose `extra` answers any header (the workbook's own columns)."""

    def __init__(self, context: Mapping[str, Any]) -> None:
        super().__init__(context)
        if isinstance(context.get("extra"), Mapping):
            self["extra"] = defaultdict(str, context["extra"])


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
