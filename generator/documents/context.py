"""Row → template values: the clean, documented context every `.docx` template receives.

Everything a template prints is ready to print: dates in French (« 1er mars 2027 »), hours
(« 17,5 »), euros (« 4,35 € »), lists already split, names composed. An empty value is "" (never
None), so a template prints nothing rather than "None" and may test it with `{% if … %}`. Cell
text goes in as typed: the rendering engine escapes it and turns line breaks into Word breaks.

Namespaces (French, for the coordinators who edit the templates; templates/README.md lists
every key with an example): `formation`, `etablissement`, `auditeur`, `structure`, `tuteur`,
`stage`, `dates`, `seed` (the degree's fixed lists), `grille` (the evaluation grid), `extra`
(the workbook's unknown columns, by header) and `aujourdhui`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from generator.cohort.model import Row
from generator.cohort.params import Params, academic_year
from generator.documents.fields import (
    date_text,
    duration_months,
    group_siret,
    hours_text,
    one_line,
    person,
    phone_text,
    presence_days,
    split_items,
    structure_type,
    text,
)
from generator.documents.seed import (
    GRID_ACTIVITIES,
    GRID_LEVELS,
    GRID_OBJECTIVES,
    SEED_ACTIVITIES,
    SEED_OBJECTIVES,
)
from generator.frenchdates import format_amount, format_count, format_date, format_hours, typeset
from generator.process import STEP_LABELS
from generator.rules.attestation import (
    LegalDuration,
    gratification_due,
    legal_duration,
    total_gratification,
)
from generator.rules.derived import Derived


def _formation(params: Params) -> dict[str, object]:
    return {
        "intitule": params.intitule,
        "code": params.code_formation,
        "volume_enseignement": hours_text(params.volume_enseignement),
        "heures_requises": format_hours(params.heures_requises),
        "immersion_jours": str(params.immersion_jours),
        "delai_convention_jours": str(params.delai_convention_jours),
        "temps_plein_mois": str(params.temps_plein_mois),
        "experience_dispense": duration_months(params.experience_dispense_mois),
        "exemplaires_soir": str(params.exemplaires_soir),
        "seuil_gratification": format_hours(params.seuil_gratification_heures),
        "gratification_obligatoire": params.gratification_obligatoire,
        "coordinatrice": params.coordinatrice,
        "responsable_tutorat": params.responsable_tutorat,
        "referent_email": params.referent_email,
    }


def _etablissement(params: Params) -> dict[str, object]:
    return {
        "nom": params.etablissement,
        "adresse": params.etablissement_adresse,
        # who signs for the Cnam: the delegated signatory, else its legal representative
        "signataire": params.signataire,
        "signataire_fonction": params.signataire_fonction,
        "scolarite_email": params.scolarite_soir_email,
        "scolarite_adresse": params.scolarite_adresse,
        "gestionnaire_jour": params.gestionnaire_jour,
    }


def _auditeur(row: Row, derived: Derived) -> dict[str, object]:
    evening = derived.evening or row.modalite == "cours du soir"
    return {
        "numero": text(row.numero_auditeur),
        **person(row.civilite, row.prenom, row.nom),
        "email": text(row.email),
        "telephone": phone_text(row.telephone),
        "adresse": text(row.adresse),
        "adresse_lignes": [line.strip() for line in (row.adresse or "").splitlines()
                           if line.strip()],
        "adresse_ligne": one_line(row.adresse),
        "modalite": text(row.modalite),
        "cpam": text(row.cpam),
        "cours_du_soir": evening,
        "cours_du_jour": row.modalite == "cours du jour",
        "experience_mois": str(row.experience_mois or 0),
        "attestation_assurance": bool(row.attestation_assurance),
        "carte_auditeur": bool(row.carte_auditeur),
        "exemplaires_convention": "" if row.exemplaires_convention is None
        else str(row.exemplaires_convention),
    }


def _structure(row: Row) -> dict[str, object]:
    town = " ".join(p for p in (row.structure_code_postal, row.structure_ville) if p)
    return {
        "nom": text(row.structure_nom),
        "type": structure_type(row.structure_nom, row.structure_type),
        "adresse": text(row.structure_adresse),
        "code_postal": text(row.structure_code_postal),
        "ville": text(row.structure_ville),
        "adresse_complete": ", ".join(p for p in (one_line(row.structure_adresse), town) if p),
        "siret": group_siret(row.structure_siret),
        "representant": text(row.structure_representant),
        "representant_fonction": text(row.structure_representant_fonction),
        "telephone": phone_text(row.structure_telephone),
    }


def _tuteur(row: Row) -> dict[str, object]:
    return {
        **person(row.tuteur_civilite, row.tuteur_prenom, row.tuteur_nom),
        "fonction": text(row.tuteur_fonction),
        "email": text(row.tuteur_email),
        "telephone": phone_text(row.tuteur_telephone),
    }


def _gratification(row: Row, derived: Derived, params: Params) -> dict[str, object]:
    """Due beyond the threshold (L124-6) unless the parameters say it is not compulsory; the
    amount printed is the row's only (an amount nobody entered is never printed: the rule
    STAGE-GRATIFICATION blocks the convention instead)."""
    over_threshold = (row.heures_total or 0) > params.seuil_gratification_heures
    amount = row.gratification_horaire
    return {
        "gratification_due": over_threshold and params.gratification_obligatoire,
        "gratification_sous_seuil": not over_threshold,
        # over the threshold but « Gratification obligatoire » is non (continuing education)
        "gratification_non_obligatoire": over_threshold and not params.gratification_obligatoire,
        "gratification_versee": bool(amount),
        "gratification_horaire": format_amount(amount) if amount else "",
        "gratification_minimale": format_amount(derived.gratification_minimum),
        # Model convention (arrêté du 29 décembre 2014), art. 6: a gratification above 15 % of
        # the hourly social-security ceiling makes the host the declarer of a work accident
        # (CSS L411-1 ff.); up to it the establishment declares it (CSS L412-8, 2°).
        "accident_declare_structure": amount is not None
        and amount > derived.gratification_legal_minimum,
    }


def _referent(row: Row, params: Params) -> dict[str, object]:
    """The Cnam's enseignant référent (D124-4): the row's, else the parameters'."""
    return {
        "nom": row.enseignant_referent or params.responsable_tutorat,
        "email": row.enseignant_referent_email or params.referent_email,
    }


def _stage(row: Row, derived: Derived, params: Params) -> dict[str, object]:
    full_time = bool(derived.full_time)
    return {
        "action_collective": text(row.action_collective),
        "objectifs": split_items(row.objectifs),
        "activites": split_items(row.activites),
        "heures_total": hours_text(row.heures_total),
        "heures_hebdo": hours_text(row.heures_hebdo),
        "heures_par_jour": hours_text(derived.hours_per_day),
        "heures_atteignables": hours_text(derived.hours_reachable),
        "jours_presence": text(row.jours_presence),
        "jours_presence_texte": presence_days(derived.presence_days, row.jours_presence),
        "temps_plein": full_time,
        "temps_partiel": not full_time and row.heures_hebdo is not None,
        "memoire_sur_stage": bool(row.memoire_sur_stage),
        # leave days agreed (L124-13): « 5 jours »; "" when none is agreed
        "conges_jours": format_count(row.conges_jours, "jour") if row.conges_jours else "",
        **_gratification(row, derived, params),
        "etape": derived.step,
        "etape_libelle": STEP_LABELS.get(derived.step, derived.step),
        "facultatif": derived.optional,
        "pieces_manquantes": list(derived.missing_pieces),
        "decision": "" if row.stage_valide is None
        else "validé" if row.stage_valide else "non validé",
        "observations": text(row.observations),
    }


def _dates(row: Row, derived: Derived) -> dict[str, object]:
    return {
        "debut": date_text(row.date_debut),
        "fin": date_text(row.date_fin),
        "fin_immersion": date_text(derived.immersion_end),
        "retour_evaluation": date_text(derived.evaluation_return_by),
        "limite_convention": date_text(derived.convention_deadline),
        "fin_au_plus_tot": date_text(derived.earliest_end),
        "definition": date_text(row.date_definition),
        "accord": date_text(row.date_accord),
        "convention": date_text(row.date_convention),
        "evaluation": date_text(row.date_evaluation),
    }


def _attestation(row: Row, params: Params) -> dict[str, object]:
    """The attestation de stage's figures (D124-9): hours done, the duration as L124-18
    counts it, the total gratification (computed ones flagged for the host to check)."""
    done = row.heures_effectuees
    duration = legal_duration(done) if done is not None else None
    amount, computed = total_gratification(row)
    return {
        "heures_effectuees": hours_text(done),
        "jours": str(duration.days) if duration else "",
        "duree_legale": _months_days(duration) if duration else "",
        "gratification_totale": format_amount(amount) if amount is not None else "",
        "gratification_calculee": computed,
        "gratification_due": gratification_due(row, params),
        "sexe": {"Mme": "F", "M.": "M"}.get(row.civilite or "", ""),
        "date_naissance": date_text(row.date_naissance),
    }


def _months_days(duration: LegalDuration) -> str:
    """« 3 mois et 14 jours », « 1 mois », « 12 jours », « moins d'un jour »."""
    parts = [f"{duration.months} mois"] if duration.months else []
    if duration.extra_days:
        parts.append(format_count(duration.extra_days, "jour"))
    return " et ".join(parts) or "moins d'un jour"


# The seed's and the grid's lists, the same for every student: typeset once, not per row.
_SEED_OBJECTIVES, _SEED_ACTIVITIES, _GRID_ACTIVITIES, _GRID_OBJECTIVES, _GRID_LEVELS = (
    tuple(typeset(text) for text in texts)
    for texts in (SEED_OBJECTIVES, SEED_ACTIVITIES, GRID_ACTIVITIES, GRID_OBJECTIVES, GRID_LEVELS))


def build_context(row: Row, derived: Derived, params: Params, today: dt.date) -> dict[str, object]:
    """The values a template may use for one student (templates/README.md lists them), every
    text set in French typography (`typeset`)."""
    # the year the internship was defined in (a convention always follows its définition):
    # printed again later, a convention keeps its year and number
    year = academic_year(params, row.date_definition or row.date_debut or today)
    context: dict[str, object] = _typeset_values({
        "aujourdhui": format_date(today),
        "annee_universitaire": year,
        # stable per student and academic year (documents.md, article 0)
        "numero_convention": f"{params.code_formation}-{year}-{text(row.numero_auditeur)}",
        "formation": _formation(params),
        "etablissement": _etablissement(params),
        "auditeur": _auditeur(row, derived),
        "structure": _structure(row),
        "tuteur": _tuteur(row),
        "referent": _referent(row, params),
        "stage": _stage(row, derived, params),
        "dates": _dates(row, derived),
        "attestation": _attestation(row, params),
        # The workbook's own columns are known only once read, and the reader keeps only the
        # filled cells: an absent header prints "" (templates/README.md promises that
        # `{% if extra["…"] %}` just tests it), in every document, letter and check.
        "extra": defaultdict(str, {header: value or "" for header, value in row.extra.items()}),
    })
    # fresh lists per student: a template cannot change another student's
    context["seed"] = {"objectifs_generaux": list(_SEED_OBJECTIVES),
                       "activites": list(_SEED_ACTIVITIES)}
    context["grille"] = {"activites": list(_GRID_ACTIVITIES), "objectifs": list(_GRID_OBJECTIVES),
                         "niveaux": list(_GRID_LEVELS)}
    return context


def _typeset_values(value: Any) -> Any:
    """``value`` with every text inside it (dict values, list items) typeset."""
    if isinstance(value, str):
        return typeset(value)
    if isinstance(value, dict):
        typeset_dict = {key: _typeset_values(item) for key, item in value.items()}
        return defaultdict(str, typeset_dict) if isinstance(value, defaultdict) else typeset_dict
    if isinstance(value, list):
        return [_typeset_values(item) for item in value]
    return value


def example_row() -> Row:
    """A student at step `convention`, in evening classes, part time: every key filled."""
    return Row(
        row_number=2, numero_auditeur="PAR12345", civilite="Mme", nom="Dupont",
        prenom="Claire", email="claire.dupont@example.org", telephone="06 12 34 56 78",
        adresse="12 rue des Lilas\n93100 Montreuil", modalite="cours du soir",
        experience_mois=0, experience_attestee=False, memoire_sur_stage=True,
        structure_nom="Association Horizons Insertion", structure_type="association",
        structure_adresse="45 avenue Jean Jaurès", structure_code_postal="75019",
        structure_ville="Paris", structure_siret="73282932000074",
        structure_representant="M. Paul MARTIN", structure_representant_fonction="directeur",
        action_collective="Atelier collectif de recherche d'emploi pour les jeunes du quartier",
        tuteur_civilite="M.", tuteur_nom="Bernard", tuteur_prenom="Karim",
        tuteur_fonction="conseiller en insertion professionnelle",
        tuteur_email="k.bernard@horizons.example.org", tuteur_telephone="01 42 00 00 00",
        date_debut=dt.date(2026, 9, 14), date_fin=dt.date(2027, 4, 27), heures_total=560,
        heures_hebdo=17.5, jours_presence="lundi, mardi", gratification_horaire=4.5,
        objectifs="- Connaître les publics accueillis et leurs parcours\n"
                  "- Conduire une action collective de bout en bout",
        activites="1. Accueillir et conseiller le public\n"
                  "2. Animer les séances de l'atelier collectif\n"
                  "3. Rédiger le bilan de l'action",
        date_definition=dt.date(2026, 6, 15), date_accord=dt.date(2026, 6, 22),
        exemplaires_convention=3, attestation_assurance=True, carte_auditeur=False,
        observations="Relancée par courriel le 20 juin.",
        heures_effectuees=548.5, structure_telephone="01 40 00 00 00",
        date_naissance=dt.date(1994, 4, 12),
        enseignant_referent="Mme Isabelle FONTAINE",
        enseignant_referent_email="isabelle.fontaine@lecnam.net", cpam="CPAM de Seine-Saint-Denis",
        conges_jours=5,
        extra={"Référent de l'employeur": "Mme Sophie LEROY"},
    )


def example_derived() -> Derived:
    """The derived values of `example_row()` as of 1 July 2026."""
    return Derived(
        step="convention", stage_required=True, exempt=False, optional=False,
        convention_deadline=dt.date(2026, 9, 2), immersion_end=dt.date(2026, 9, 29),
        evaluation_return_by=dt.date(2027, 5, 12),
        presence_days=(0, 1), hours_per_day=8.75, hours_reachable=560,
        earliest_end=dt.date(2027, 4, 27), full_time=False, evening=True,
        missing_pieces=("la copie de la carte d'auditeur",),
        gratification_minimum=4.5, gratification_legal_minimum=4.5,
    )


EXAMPLE_TODAY = dt.date(2026, 7, 1)
# The default parameters, with the optional ones a team fills in once.
EXAMPLE_PARAMS = Params(
    coordinatrice="Mme Anne ROUSSEAU", responsable_tutorat="M. Louis GARNIER",
    scolarite_adresse="Service de la scolarité, 2 rue Conté, 75003 Paris",
    volume_enseignement=450, signataire="Mme Sophie MOREAU",
    signataire_fonction="directrice de l'École Management et société, par délégation de "
                        "l'administrateur général",
)


def example_context() -> dict[str, object]:
    """A full context with example values: every key a template may use (`gen templates
    check` knows the keys from it; templates/README.md shows it)."""
    return build_context(example_row(), example_derived(), EXAMPLE_PARAMS, EXAMPLE_TODAY)


def context_keys(context: dict[str, object] | None = None) -> list[str]:
    """The dotted keys of a context (`stage.activites`, `dates.debut`…); lists and the
    `extra` mapping are leaves (`extra` is indexed by the workbook's own headers)."""
    keys: list[str] = []

    def walk(prefix: str, value: object) -> None:
        if isinstance(value, dict) and prefix != "extra":
            for name, inner in value.items():
                walk(f"{prefix}.{name}" if prefix else name, inner)
        else:
            keys.append(prefix)

    walk("", example_context() if context is None else context)
    return keys


CONTEXT_KEYS: tuple[str, ...] = tuple(context_keys())
