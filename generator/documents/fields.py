"""One value → the text a document prints: names, SIRET, list cells, durations, day lists.

Each returns "" for an empty value, never None (a template then prints nothing).
"""

from __future__ import annotations

import datetime as dt
import re

from generator.cohort.values import fold
from generator.frenchdates import WEEKDAYS, format_date, format_hours, format_list

# A bullet, dash or number that a user typed at the start of a line: "- ", "•", "1.", "2)",
# "3°", "a)". A number must not be followed by a digit ("3.5 heures" stays whole).
_LIST_MARK = re.compile(
    r"^(?:[-–—•·∙◦▪▫■□►▶➢➤✓✔*+>]+|\d{1,2}\s*[.)°/-](?!\d)|[a-zA-Z]\))\s*"
)


def split_items(text: str | None) -> list[str]:
    """One item per line of a cell: list marks at the start of lines stripped, empty lines
    dropped."""
    items = []
    for line in (text or "").splitlines():
        item = _LIST_MARK.sub("", line.strip(" \t\u00a0\u202f")).strip(" \t\u00a0\u202f")
        if item:
            items.append(item)
    return items


def group_siret(siret: str | None) -> str:
    """« 732 829 320 00074 »: SIREN in threes, then the establishment's five digits."""
    if not siret:
        return ""
    digits = siret.replace(" ", "")
    if len(digits) != 14 or not digits.isdigit():
        return siret
    return f"{digits[0:3]} {digits[3:6]} {digits[6:9]} {digits[9:]}"


def date_text(value: dt.date | None) -> str:
    return format_date(value) if value else ""


def hours_text(value: float | None) -> str:
    return format_hours(value) if value is not None else ""


def text(value: str | None) -> str:
    return value or ""


def phone_text(value: str | None) -> str:
    """A phone number that never breaks across lines: « 01 42 00 00 00 » with no-break
    spaces."""
    return " ".join((value or "").split()).replace(" ", "\u00a0")


def structure_type(name: str | None, kind: str | None) -> str:
    """The structure's type, to print after its name, or "" when the name already says it:
    « Mission locale Seine-Amont » is not followed by « (mission locale) »; of « PLIE
    (association) » after « PLIE Est Val-d'Oise » only « association » is left."""
    if not kind:
        return ""
    named = _words(name)
    if _words(kind) in named:
        return ""
    head, _, rest = kind.partition("(")
    if rest.endswith(")") and _words(head).strip() and _words(head) in named:
        return rest[:-1].strip()
    return kind


def _words(value: str | None) -> str:
    """« Mission locale, Seine-Amont » → " mission locale seine amont ": whole words match."""
    return " " + " ".join(re.findall(r"\w+", fold(value or ""))) + " "


def one_line(value: str | None) -> str:
    """A multi-line cell (an address) on one line, for a sentence."""
    return ", ".join(line.strip() for line in (value or "").splitlines() if line.strip())


def salutation(civilite: str | None) -> str:
    """The salutation of a letter, « Madame », « Monsieur », or « Madame, Monsieur » without
    a civility (the letter adds the comma). French correspondence writes the word in full
    here and abbreviated before a name (`addressed`)."""
    return {"Mme": "Madame", "M.": "Monsieur"}.get(civilite or "", "Madame, Monsieur")


def addressed(civilite: str | None, full_name: str) -> str:
    """A person as a letter's address block and its running text name them: « M. Karim
    BERNARD », « Mme Claire DUPONT » (the abbreviation before a name), the name alone without
    a civility."""
    return " ".join(part for part in (civilite, full_name) if part)


def person(civilite: str | None, prenom: str | None, nom: str | None) -> dict[str, object]:
    surname = (nom or "").upper()
    prenom_nom = " ".join(p for p in (prenom, surname) if p)
    return {
        "civilite": text(civilite),
        "formule": salutation(civilite),
        "feminin": civilite == "Mme",
        "nom": surname,
        "prenom": text(prenom),
        "prenom_nom": prenom_nom,
        "nom_complet": addressed(civilite, prenom_nom),
    }


def presence_days(days: tuple[int, ...], typed: str | None) -> str:
    """The presence days as a phrase: « du lundi au vendredi », « lundi, mardi et jeudi »."""
    if tuple(sorted(days)) == (0, 1, 2, 3, 4):
        return "du lundi au vendredi"
    names = [WEEKDAYS[d] for d in sorted(days) if 0 <= d < 7]
    if not names:
        return text(typed)
    return format_list(names)


def duration_months(months: int) -> str:
    """« un an », « deux ans », « 18 mois »."""
    if months and months % 12 == 0:
        years = months // 12
        return "un an" if years == 1 else f"{years} ans"
    return f"{months} mois"
