"""`gen templates check`: every template a run would use (the team folder's copy, else the
one shipped with the program) checked (checking.py) with the example context of the document,
pack letter or reminder that uses it, and the French report."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.documents.checking import ContextFactory, TemplateCheck, check_templates
from generator.documents.context import example_context
from generator.documents.packs import LETTER_TEMPLATE, example_cover_context
from generator.documents.sources import builtin_folder, template_file
from generator.process import DOCUMENTS


@dataclass(frozen=True)
class FolderCheck:
    """`gen templates check`: the team folder (None: the shipped templates alone), each
    template's check, and the templates the program uses that neither the team folder nor
    the installation holds."""

    team: Path | None
    checks: list[TemplateCheck]
    absent: list[str]

    @property
    def ok(self) -> bool:
        return not self.absent and all(check.ok for check in self.checks)


def document_contexts() -> dict[str, ContextFactory]:
    """The example context of each template the documents module fills in."""
    contexts: dict[str, ContextFactory] = {kind.template: example_context
                                           for kind in DOCUMENTS.values()}
    contexts[LETTER_TEMPLATE] = example_cover_context
    return contexts


def check_folder(team: Path | None, contexts: Mapping[str, ContextFactory],
                 names: Iterable[str]) -> FolderCheck:
    """Check each template of `names` (those the program uses) where a run reads it — the
    team folder's copy, else the shipped one — and any other .docx of the team folder (its
    tags only, unless a pattern of `contexts` matches it)."""
    used = {name: template_file(name, team) for name in sorted(set(names))}
    others = sorted(path for path in (team.glob("*.docx") if team else ())
                    if path.name not in used and not path.name.startswith(("~$", ".")))
    paths = [path for path in used.values() if path.is_file()] + others
    absent = [name for name, path in used.items() if not path.is_file()]
    return FolderCheck(team, check_templates(paths, contexts), absent)


def report_lines(result: FolderCheck, contexts: Mapping[str, ContextFactory]
                 ) -> list[tuple[str, bool]]:
    """`gen templates check`'s French report: each template, where it is read from, its keys,
    its problems (True: a problem, for stderr), then the verdict."""
    builtin = builtin_folder()
    if result.team is None:
        heading = f"Modèles fournis avec gen (dossier « {builtin} ») :"
    else:
        heading = (f"Modèles de l'équipe (dossier « {result.team} ») ; pour ceux qui n'y sont "
                   "pas, les modèles fournis avec gen :")
    lines: list[tuple[str, bool]] = [(heading, False)]
    for check in result.checks:
        known = any(fnmatch.fnmatch(check.name, pattern) for pattern in contexts)
        verdict = "correct" if check.ok else f"{len(check.problems)} problème" + (
            "s" if len(check.problems) > 1 else "")
        shipped = " (modèle fourni avec gen)" if result.team and check.path.parent != \
            result.team else ""
        lines.append((f"\n{check.name}{shipped} : {verdict}, {len(check.keys)} clé"
                      f"{'s' if len(check.keys) > 1 else ''}", False))
        if not known:
            lines.append(("  (modèle que le programme n'utilise pas : seules ses balises sont "
                          "vérifiées, pas ses clés)", False))
        lines += [(f"  {line}", False) for line in _grouped(check.keys)]
        lines += [(f"! {problem}", True) for problem in check.problems]
    for name in result.absent:
        where = f"ni dans le dossier « {result.team} », " if result.team else ""
        lines.append((f"! Modèle « {name} » introuvable : {where}ni parmi les modèles fournis "
                      f"avec gen (« {builtin} »). Les commandes qui l'utilisent s'arrêteront. "
                      "Que faire : réinstallez gen (pip install .) ou placez ce modèle dans le "
                      "dossier des modèles de l'équipe (--templates).", True))
    failed = sum(not check.ok for check in result.checks) + len(result.absent)
    lines.append(("\nTous les modèles sont utilisables." if not failed else
                  f"\n{failed} modèle{'s' if failed > 1 else ''} à corriger ou à fournir "
                  "avant de générer des documents.", bool(failed)))
    return lines


def _grouped(keys: Sequence[str]) -> list[str]:
    """`auditeur : email, nom_complet` — one line per namespace, plain keys on their own."""
    groups: dict[str, list[str]] = {}
    for key in keys:
        head, _, rest = key.partition(".")
        groups.setdefault(head if rest else "", []).append(rest or head)
    return [f"{head} : {', '.join(names)}" if head else ", ".join(names)
            for head, names in sorted(groups.items())]
