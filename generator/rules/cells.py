"""Cell rules: a value not of its column's type (CELL-…), a required cell left empty
(CELL-REQUIRED), and a needed column absent from the file (FILE-MISSING-COLUMN)."""

from __future__ import annotations

import difflib
import functools
import operator
import re
from collections.abc import Callable, Iterable, Iterator

from generator.clean import show_invisible
from generator.cohort.columns import BY_KEY, COLUMNS, IDENTITY_KEYS
from generator.cohort.model import Cohort
from generator.cohort.values import fold
from generator.findings import Finding, Severity
from generator.process import DOCUMENT_KINDS, DOCUMENTS
from generator.rules.registry import ERROR, WARNING, Hit, RowCheck, RowContext, rule
from generator.rules.wording import format_list

# Cells that a specific rule reports when empty, instead of CELL-REQUIRED (one mistake, one
# finding): the tutor (STAGE-TUTOR) and the collective action (STAGE-COLLECTIVE-ACTION).
TUTOR_KEYS = ("tuteur_nom", "tuteur_prenom", "tuteur_fonction", "tuteur_email")
SPECIFIC_KEYS = frozenset(TUTOR_KEYS) | {"action_collective"}

_CHOICES = {
    "civilite": "« M. » ou « Mme »",
    "modalite": "« cours du soir » ou « cours du jour »",
    "bool": "« oui » ou « non »",
}


def _date(label: str, value: str, _type: str) -> str:
    return (f"« {label} » : « {value} » n'est pas une date. Écrivez la date sous la forme "
            f"jj/mm/aaaa, par exemple 14/09/2026.")


def _number(label: str, value: str, type_: str) -> str:
    kind = "un nombre entier positif ou nul" if type_ == "int" else "un nombre positif ou nul"
    example = "3" if type_ == "int" else "560 ou 17,5"
    return (f"« {label} » : « {value} » n'est pas {kind}. Écrivez un nombre, par exemple "
            f"{example}.")


def _choice(label: str, value: str, type_: str) -> str:
    return (f"« {label} » : « {value} » n'est pas une valeur possible. Valeurs acceptées : "
            f"{_CHOICES[type_]}.")


def _email(label: str, value: str, _type: str) -> str:
    return (f"« {label} » : « {value} » n'est pas une adresse électronique. Corrigez-la, par "
            f"exemple prenom.nom@exemple.fr.")


def _phone(label: str, value: str, _type: str) -> str:
    return (f"« {label} » : « {value} » n'est pas un numéro de téléphone français. Écrivez "
            f"10 chiffres, par exemple 01 23 45 67 89 (ou +33 1 23 45 67 89).")


def _postcode(label: str, value: str, _type: str) -> str:
    return (f"« {label} » : « {value} » n'est pas un code postal. Écrivez les 5 chiffres, "
            f"par exemple 75003.")


def _siret(label: str, value: str, _type: str) -> str:
    digits = re.sub(r"\D", "", value)
    if len(digits) != 14 or len(digits) != len(re.sub(r"[\s.\-\u00a0]", "", value)):
        problem = f"il faut 14 chiffres, la cellule en compte {len(digits)}"
    else:
        problem = "les 14 chiffres ne forment pas un numéro SIRET valide (clé de contrôle)"
    return (f"« {label} » : « {value} » : {problem}. Recopiez le SIRET depuis un document "
            f"de la structure ou l'annuaire des entreprises (annuaire-entreprises.data.gouv.fr).")


# code → (column types, severity, message)
CELL_TYPES = {
    "CELL-DATE": (("date",), ERROR, _date),
    "CELL-NUMBER": (("number", "int"), ERROR, _number),
    "CELL-CHOICE": (("civilite", "modalite", "bool"), ERROR, _choice),
    "CELL-EMAIL": (("email",), ERROR, _email),
    "CELL-PHONE": (("phone",), WARNING, _phone),
    "CELL-POSTCODE": (("postcode",), ERROR, _postcode),
    "CELL-SIRET": (("siret",), ERROR, _siret),
}


def _type_rule(types: tuple[str, ...], message: Callable[[str, str, str], str]) -> RowCheck:
    def check(ctx: RowContext) -> Iterator[Hit]:
        for key in in_column_order(frozenset(ctx.row.invalid)):
            column = BY_KEY[key]
            if column.type in types:
                value = ctx.row.raw.get(key, "")
                yield Hit(key, message(ctx.label(key), show_invisible(value), column.type),
                          facts={"expected": column.type})

    return check


for _code, (_types, _severity, _message) in CELL_TYPES.items():
    rule(_code, _severity, internship=False, needs="invalid")(_type_rule(_types, _message))


def _documents_needing(key: str, documents: Iterable[str]) -> tuple[str, ...]:
    """The document kinds among ``documents`` that need ``key`` (process.DOCUMENTS keys)."""
    return tuple(kind.key for kind in DOCUMENT_KINDS
                 if kind.key in documents and kind.key in BY_KEY[key].required_for)


def _needed_for(key: str, documents: Iterable[str]) -> str:
    names = [DOCUMENTS[document].label for document in _documents_needing(key, documents)]
    if key in IDENTITY_KEYS or not names:
        return "tout document"
    return format_list(names)


_POSITION = {column.key: index for index, column in enumerate(COLUMNS)}


@functools.cache
def in_column_order(keys: frozenset[str]) -> tuple[str, ...]:
    """``keys`` in the order of the columns (cached: rows share a few required sets)."""
    return tuple(sorted(keys, key=_POSITION.__getitem__))


@functools.cache
def _in_order_with_getter(keys: frozenset[str]
                          ) -> tuple[tuple[str, ...], Callable[[object], tuple[object, ...]]]:
    """``keys`` in the order of the columns, and a function giving a row's values of them as
    a tuple in one C call (attrgetter gives a lone key's value unwrapped, and needs a key)."""
    ordered = in_column_order(keys)
    if len(ordered) > 1:
        return ordered, operator.attrgetter(*ordered)
    return ordered, lambda row: tuple(getattr(row, key) for key in ordered)


@rule("CELL-REQUIRED", ERROR, internship=False)
def cell_required(ctx: RowContext) -> Iterator[Hit]:
    """An empty cell that the row's documents need; a formula never computed."""
    row = ctx.row
    keys, cells = _in_order_with_getter(
        ctx.required | row.uncached if row.uncached else ctx.required)
    if None not in cells(row):
        return  # every needed cell filled: most rows
    for key in keys:
        if getattr(row, key) is not None:
            continue
        if key in row.uncached:
            yield Hit(key, f"« {ctx.label(key)} » contient une formule dont le résultat n'a "
                           f"jamais été calculé (fichier produit par un programme). Ouvrez le "
                           f"classeur dans Excel ou LibreOffice, enregistrez-le, puis relancez.",
                          facts={"formula": True})
        elif key in SPECIFIC_KEYS or (key == "date_accord" and row.date_convention is not None):
            continue  # a specific rule speaks for it (WORKFLOW-NO-APPROVAL for date_accord)
        elif ctx.missing(key):
            yield Hit(key, f"« {ctx.label(key)} » est vide ; cette information est nécessaire "
                           f"pour {_needed_for(key, ctx.documents)}. Renseignez la cellule.",
                      facts={"formula": False,
                             "needed_for": _documents_needing(key, ctx.documents)})


def missing_columns(cohort: Cohort, needed: Iterable[str],
                    severity: Severity = Severity.WARNING,
                    consequence: str | None = None) -> list[Finding]:
    """FILE-MISSING-COLUMN, once per absent column that some row needs; `consequence` says
    what the absence does (by default, what it does to a check or to a document batch)."""
    findings = []
    for key in (c.key for c in COLUMNS if c.key in set(needed)):
        if key in cohort.headers:
            continue
        label = BY_KEY[key].label
        closest = _closest_header(cohort, label)
        hint = f" L'en-tête le plus proche trouvé est « {closest} »." if closest else ""
        effect = consequence or (
            "les lignes qui en ont besoin sont traitées comme si la cellule était vide"
            if severity == Severity.WARNING
            else "les documents demandés ne peuvent pas être produits")
        findings.append(Finding(
            "FILE-MISSING-COLUMN", severity,
            f"La colonne « {label} » est absente de la feuille « {cohort.sheet} » : "
            f"{effect}. Ajoutez cette colonne (en-tête « {label} ») à la ligne "
            f"{cohort.header_row}.{hint}",
            row=None, column=label, key=key,
            facts={"missing_columns": (label,), "closest_header": closest}))
    return findings


def _closest_header(cohort: Cohort, label: str) -> str | None:
    """The unknown header of the file that looks most like ``label`` (a misspelt column)."""
    unknown = {f.column for f in cohort.findings if f.code == "FILE-UNKNOWN-COLUMN" and f.column}
    if cohort.rows:
        unknown.update(cohort.rows[0].extra)
    by_folded = {fold(header): header for header in unknown}
    match = difflib.get_close_matches(fold(label), list(by_folded), n=1, cutoff=0.6)
    if not match:  # a retitled column (« Début du stage »): a word of the label kept
        words = {word for word in fold(label).split() if len(word) >= 4}
        sharing = [folded for folded in by_folded if words & set(folded.split())]
        match = difflib.get_close_matches(fold(label), sharing, n=1, cutoff=0.3)
    return by_folded[match[0]] if match else None
