"""The parameters: the seed's defaults, overridden by the workbook's `Paramètres` sheet. Part of
the cohort (read with its rows, by `cohort/reader.py`), so that every later step imports it
downstream of the workbook."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from generator.cohort import values
from generator.findings import Finding, Severity

PARAMETERS_SHEET = "Paramètres"  # as `gen init` writes it


@dataclass(frozen=True)
class Params:
    intitule: str = (
        "Licence professionnelle « Intervention sociale – Coordonnateur de projets collectifs "
        "en insertion »"
    )
    code_formation: str = "LP110"
    etablissement: str = "Conservatoire national des arts et métiers (Cnam)"
    etablissement_adresse: str = "292 rue Saint-Martin, 75003 Paris"
    heures_requises: float = 560
    delai_convention_jours: int = 12
    immersion_jours: int = 15
    temps_plein_mois: int = 4
    experience_dispense_mois: int = 12
    exemplaires_soir: int = 3
    seuil_gratification_heures: float = 308
    # None: the legal minimum in force on the convention's date (generator.law); a value
    # may only raise it (L124-6, D124-8)
    gratification_minimale: float | None = None
    gratification_obligatoire: bool = True
    calendrier_feries: str = "métropole"  # or "Alsace-Moselle"
    date_limite_recherche: tuple[int, int] = (1, 3)  # (day, month)
    fenetre_alerte_jours: int = 14
    relance_definition_jours: int = 45
    delai_retour_evaluation_jours: int = 15  # evaluation_return_by = date_fin + this
    coordinatrice: str = ""
    responsable_tutorat: str = ""
    referent_email: str = "par_intervention_sociale@lecnam.net"
    scolarite_soir_email: str = "pascale.bonnet@lecnam.net"
    gestionnaire_jour: str = "Sandrine NACREON"
    scolarite_adresse: str = ""
    # The Cnam signs the convention through a delegated signatory (empty: the legal
    # representative, the administrateur général, and a file-level warning).
    signataire: str = ""
    signataire_fonction: str = ""
    annee_universitaire: str = ""  # empty: derived from today, September to August
    volume_enseignement: float | None = None  # the degree's teaching hours, for the convention
    # Law and the seed, not in the Paramètres sheet: a full-time week, the legal weekly maximum,
    # and how far a full-time internship's end may stray from start + temps_plein_mois.
    heures_temps_plein: float = 35
    heures_hebdo_max: float = 48
    tolerance_temps_plein_jours: int = 14
    # Not a parameter: where the team sets them, the workbook's sheet (to be added when it
    # has none); None for a CSV cohort, which has no room for one: the defaults above apply.
    sheet: str | None = PARAMETERS_SHEET


def where_parameters_are_set(params: Params) -> str:
    """French, to end a sentence naming a parameter (« …, ou le paramètre « X » » + this +
    « . »): « dans la feuille « Paramètres » », or, for a CSV cohort (`params.sheet` None),
    that a CSV file has no such sheet, that the defaults apply, and that `gen init` makes a
    workbook that has one."""
    if params.sheet is not None:
        return f"dans la feuille « {params.sheet} »"
    return (f"dans la feuille « {PARAMETERS_SHEET} » d'un classeur : un fichier CSV n'en a "
            f"pas, ses valeurs par défaut s'appliquent ; « gen init cohorte.xlsx » crée un "
            f"classeur qui en a une, où recopier la cohorte")


def _day_month(raw: object) -> tuple[int, int] | None:
    day_text = values.text(raw)
    if day_text is None:
        return None
    parts = day_text.replace("-", "/").split("/")
    if len(parts) == 3:  # a full date typed or stored by Excel: keep day and month
        parsed = values.date(raw)
        assert parsed is not None
        return parsed.day, parsed.month
    day, month = (int(p) for p in parts)
    values.date(f"{day}/{month}/2000")  # validates the day of the month
    return day, month


def _calendar(raw: object) -> str | None:
    value = values.text(raw)
    if value is None:
        return None
    folded = values.fold(value).replace("-", " ")
    if folded in ("metropole", "france metropolitaine"):
        return "métropole"
    if folded in ("alsace moselle", "alsace", "moselle"):
        return "Alsace-Moselle"
    raise ValueError(value)


def _academic_year(raw: object) -> str | None:
    value = values.text(raw)
    if value is None:
        return None
    first, _, second = value.replace("/", "-").replace("–", "-").partition("-")
    if not (first.strip().isdigit() and second.strip().isdigit()
            and int(second) == int(first) + 1):
        raise ValueError(value)
    return f"{int(first)}-{int(second)}"


def academic_year(params: Params, day: dt.date) -> str:
    """« 2026-2027 »: the parameter, else the academic year (September to August) of ``day``
    (for a student's documents, the day the internship was defined: a convention printed
    again later keeps its year and its number, documents.md, article 0)."""
    if params.annee_universitaire:
        return params.annee_universitaire
    first = day.year if day.month >= 9 else day.year - 1
    return f"{first}-{first + 1}"


# Paramètre label (as written by `gen init`) → (field, normaliser, what the value must be)
PARAMETERS: dict[str, tuple[str, Callable[[object], object], str]] = {
    "Intitulé de la formation": ("intitule", values.text, "un texte"),
    "Code de la formation": ("code_formation", values.text, "un texte"),
    "Établissement": ("etablissement", values.text, "un texte"),
    "Adresse de l'établissement": ("etablissement_adresse", values.text, "un texte"),
    "Heures de stage requises": ("heures_requises", values.hours, "un nombre"),
    "Délai minimal convention (jours)": ("delai_convention_jours", values.integer,
                                         "un nombre entier"),
    "Durée d'immersion (jours)": ("immersion_jours", values.integer, "un nombre entier"),
    "Durée temps plein (mois)": ("temps_plein_mois", values.integer, "un nombre entier"),
    "Expérience dispensant du stage (mois)": ("experience_dispense_mois", values.integer,
                                              "un nombre entier"),
    "Exemplaires convention cours du soir": ("exemplaires_soir", values.integer,
                                             "un nombre entier"),
    "Seuil gratification (heures)": ("seuil_gratification_heures", values.hours, "un nombre"),
    "Gratification horaire minimale (€)": ("gratification_minimale", values.euros,
                                           "un montant, par exemple 4,50"),
    "Gratification obligatoire": ("gratification_obligatoire", values.boolean, "oui ou non"),
    "Calendrier des jours fériés": ("calendrier_feries", _calendar,
                                    "« métropole » ou « Alsace-Moselle »"),
    "Date limite de recherche": ("date_limite_recherche", _day_month,
                                 "un jour et un mois, par exemple 01/03"),
    "Fenêtre d'alerte convention (jours)": ("fenetre_alerte_jours", values.integer,
                                            "un nombre entier"),
    "Relance définition (jours avant le début)": ("relance_definition_jours", values.integer,
                                                  "un nombre entier"),
    "Délai de retour de l'évaluation (jours)": ("delai_retour_evaluation_jours",
                                                values.integer, "un nombre entier"),
    "Coordinatrice de la licence": ("coordinatrice", values.text, "un texte"),
    "Responsable du tutorat": ("responsable_tutorat", values.text, "un texte"),
    "Courriel référent stage": ("referent_email", values.email, "une adresse électronique"),
    "Courriel scolarité cours du soir": ("scolarite_soir_email", values.email,
                                         "une adresse électronique"),
    "Gestionnaire conventions cours du jour": ("gestionnaire_jour", values.text, "un texte"),
    "Adresse de la scolarité": ("scolarite_adresse", values.text, "un texte"),
    "Volume horaire d'enseignement (heures)": ("volume_enseignement", values.number,
                                               "un nombre d'heures"),
    "Signataire de l'établissement": ("signataire", values.text, "un texte"),
    "Fonction du signataire": ("signataire_fonction", values.text, "un texte"),
    "Année universitaire": ("annee_universitaire", _academic_year,
                            "deux années qui se suivent, par exemple 2026-2027"),
}
_BY_FOLDED = {values.header(label): label for label in PARAMETERS}


def default_value(label: str) -> object:
    """The default as a user reads it in the `Paramètres` sheet."""
    field = PARAMETERS[label][0]
    value = getattr(Params(), field)
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    if value is None:
        return ""
    if isinstance(value, tuple):
        return f"{value[0]:02d}/{value[1]:02d}"
    return value


def parse_params(
    raw: Mapping[object, tuple[int, object]], sheet: str = PARAMETERS_SHEET
) -> tuple[Params, list[Finding]]:
    """Parameters from `{label as typed: (row number, value)}`; an empty value keeps the
    default, a value of the wrong type gives FILE-BAD-PARAMETER and keeps the default."""
    overrides: dict[str, Any] = {}  # each value typed by its normaliser
    findings: list[Finding] = []
    for typed_label, (row, raw_value) in raw.items():
        label = _BY_FOLDED.get(values.header(typed_label))
        if label is None:
            continue
        field, normalise, expected = PARAMETERS[label]
        try:
            value = normalise(raw_value)
        except (ValueError, TypeError):
            findings.append(Finding(
                "FILE-BAD-PARAMETER", Severity.ERROR,
                f"Feuille « {sheet} », ligne {row} : le paramètre « {label} » vaut "
                f"« {values.text(raw_value)} », ce n'est pas {expected}. Corrigez la valeur "
                f"ou videz la cellule pour reprendre la valeur par défaut "
                f"({default_value(label) or 'vide'}).",
                column="Valeur", value=values.text(raw_value),
                facts={"sheet": sheet, "parameter": label, "sheet_row": row}))
            continue
        if value is not None:
            overrides[field] = value
    return dataclasses.replace(Params(), **overrides, sheet=sheet), findings
