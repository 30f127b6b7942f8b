"""File-level findings on the `Paramètres` sheet that depend on the run (today, the steps the
rows have reached): a gratification minimum below the law, a convention signatory missing."""

from __future__ import annotations

import datetime as dt

from generator.cohort.params import Params, where_parameters_are_set
from generator.findings import Finding, Severity
from generator.law import legal_gratification_minimum
from generator.rules.wording import format_euros


def parameter_findings(params: Params, today: dt.date, conventions: bool) -> list[Finding]:
    """FILE-PARAMETER-RAISED (warning) when « Gratification horaire minimale (€) » is below
    the legal minimum in force ``today`` (L124-6, D124-8: a parameter may only raise it, the
    legal amount applies); FILE-MISSING-PARAMETER (warning) when some row needs a convention
    (``conventions``) and « Signataire de l'établissement » is empty, or filled without its
    « Fonction du signataire » (the convention then says « par délégation de l'administrateur
    général » without the function: D124-4 names the signatory and their capacity)."""
    found: list[Finding] = []
    legal = legal_gratification_minimum(today)
    if params.gratification_minimale is not None and params.gratification_minimale < legal:
        found.append(Finding(
            "FILE-PARAMETER-RAISED", Severity.WARNING,
            f"Paramètre « Gratification horaire minimale (€) » : "
            f"{format_euros(params.gratification_minimale)} est inférieur au minimum légal en "
            f"vigueur ({format_euros(legal)} de l'heure, 15 % du plafond horaire de la sécurité "
            f"sociale) ; le minimum légal s'applique. Videz la cellule ou indiquez un montant "
            f"au moins égal.",
            column="Valeur", value=format_euros(params.gratification_minimale),
            facts={"parameter_value": params.gratification_minimale, "legal_minimum": legal}))
    if conventions and not params.signataire:
        found.append(Finding(
            "FILE-MISSING-PARAMETER", Severity.WARNING,
            "Paramètre « Signataire de l'établissement » vide : les conventions sont signées "
            "pour le Cnam par son administrateur général. Indiquez la personne qui signe par "
            "délégation et sa fonction, paramètres « Signataire de l'établissement » et "
            f"« Fonction du signataire », {where_parameters_are_set(params)}.",
            column="Valeur", facts={"parameter": "Signataire de l'établissement"}))
    elif conventions and not params.signataire_fonction:
        found.append(Finding(
            "FILE-MISSING-PARAMETER", Severity.WARNING,
            f"Paramètre « Fonction du signataire » vide : les conventions nomment "
            f"{params.signataire} « par délégation de l'administrateur général », sans sa "
            f"fonction. Indiquez sa fonction (par exemple « Directrice de l'École Management "
            f"et société, par délégation de l'administrateur général ») "
            f"{where_parameters_are_set(params)}.",
            column="Valeur", facts={"parameter": "Fonction du signataire"}))
    return found
