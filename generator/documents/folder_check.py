"""`gen templates check`: every .docx of a templates folder checked (checking.py), with the
example context of the document, pack letter or reminder that uses it, and the French report."""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.documents.batch import DEFAULT_TEMPLATES, DOCUMENTS
from generator.documents.checking import ContextFactory, TemplateCheck, check_templates
from generator.documents.context import example_context
from generator.documents.packs import LETTER_TEMPLATE, example_cover_context


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


