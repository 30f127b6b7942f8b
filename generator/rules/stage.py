"""Internship rules: one structure per student, who must do an internship, hours, dates,
tutor, collective action, gratification (rules.md, "Row level")."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence

from generator.process import CONVENTION, DEFINITION, SEARCH, STEP_KEYS, reached
from generator.rules.cells import TUTOR_KEYS
from generator.rules.registry import (
    ERROR,
    INFO,
    WARNING,
    Hit,
    RowContext,
    cohort_rule,
    rule,
)
from generator.rules.wording import agreed, format_date, format_euros, format_hours


@cohort_rule("STUDENT-DUPLICATE", ERROR)
def student_duplicate(contexts: Sequence[RowContext]) -> Iterator[tuple[RowContext, Hit]]:
    """The same N° auditeur on two rows: the internship takes place in a single structure."""
    # spaces do not count, nor case (a number made of letters and digits has no space)
    numbers = [(number if number.isalnum() else "".join(number.split())).upper()
               if (number := ctx.row.numero_auditeur) else None for ctx in contexts]
    twice = {n for n, count in Counter(numbers).items() if count > 1 and n is not None}
    if not twice:  # nearly always: counted in C, no group built
        return
    by_number: dict[str, list[RowContext]] = defaultdict(list)
    for number, ctx in zip(numbers, contexts, strict=True):
        if number in twice:
            by_number[number].append(ctx)
    for group in by_number.values():
        for ctx in group:
            others = [str(o.row.row_number) for o in group if o is not ctx]
            lines = "aux lignes" if len(others) > 1 else "à la ligne"
            yield ctx, Hit("numero_auditeur", (
                f"Le N° auditeur « {ctx.row.numero_auditeur} » figure aussi {lines} "
                f"{', '.join(others)} : le stage doit se dérouler dans une seule structure, une "
                f"seule ligne par auditeur. Regroupez les informations sur une ligne et "
                f"supprimez l'autre (ou corrigez le numéro)."),
                facts={"numero_auditeur": ctx.row.numero_auditeur,
                       "other_rows": tuple(o.row.row_number for o in group if o is not ctx)})


def _months(months: int) -> str:
    return f"{months} mois"


@rule("STAGE-EXEMPT", INFO, internship=False)
def stage_exempt(ctx: RowContext) -> Iterator[Hit]:
    """Attested experience and no structure: no internship, no document."""
    if ctx.derived.exempt:
        yield Hit("experience_mois", (
            f"Expérience de {_months(ctx.row.experience_mois or 0)} dans l'insertion, attestée "
            f"(au moins {ctx.params.experience_dispense_mois} mois) : le stage n'est pas "
            f"obligatoire pour obtenir le diplôme. Aucun document de stage n'est produit ; si "
            f"l'{agreed('auditeur', ctx.row.civilite)} fait tout de même un stage facultatif, "
            f"renseignez sa structure d'accueil."),
            facts={"experience_months": ctx.row.experience_mois or 0,
                   "threshold_months": ctx.params.experience_dispense_mois})


@rule("STAGE-OPTIONAL", WARNING)
def stage_optional(ctx: RowContext) -> Iterator[Hit]:
    """Exempt by experience, yet a structure is filled: an optional internship."""
    if ctx.derived.optional:
        yield Hit("structure_nom", (
            f"Expérience de {_months(ctx.row.experience_mois or 0)} attestée : le stage n'est "
            f"pas obligatoire, mais une structure d'accueil est renseignée "
            f"(« {ctx.row.structure_nom} ») ; il s'agit d'un stage facultatif. Les règles du "
            f"stage s'appliquent et les documents sont produits comme pour les autres ; videz "
            f"la structure si l'{agreed('auditeur', ctx.row.civilite)} ne fait pas de stage."),
            facts={"experience_months": ctx.row.experience_mois or 0,
                   "structure": ctx.row.structure_nom})


def search_limit(params_limit: tuple[int, int], today: dt.date) -> dt.date:
    """The search limit (day, month) of today's academic year (September to August)."""
    day, month = params_limit
    first_year = today.year if today.month >= 9 else today.year - 1
    year = first_year if month >= 9 else first_year + 1
    try:
        return dt.date(year, month, day)
    except ValueError:  # 29 February of a common year
        return dt.date(year, month, 28)


@rule("STAGE-NO-STRUCTURE", INFO, WARNING)
def stage_no_structure(ctx: RowContext) -> Iterator[Hit]:
    """Still searching; a warning once the search limit (1 March) is past."""
    if ctx.derived.step != SEARCH or not ctx.blank("structure_nom"):
        return
    limit = search_limit(ctx.params.date_limite_recherche, ctx.today)
    if ctx.today > limit:
        yield Hit("structure_nom", (
            f"Toujours pas de structure d'accueil alors que la date limite de recherche "
            f"({format_date(limit)}) est passée. Contactez "
            f"l'{agreed('auditeur', ctx.row.civilite)} pour faire le point sur sa recherche "
            f"de stage."), WARNING, facts={"search_limit": limit})
    else:
        yield Hit("structure_nom", (
            f"Pas encore de structure d'accueil : l'{agreed('auditeur', ctx.row.civilite)} "
            f"recherche un stage (date limite de recherche : {format_date(limit)})."),
            facts={"search_limit": limit})


@rule("STAGE-EXPERIENCE-UNPROVEN", WARNING)
def stage_experience_unproven(ctx: RowContext) -> Iterator[Hit]:
    """Enough experience declared but not attested: the internship stays required."""
    row, threshold = ctx.row, ctx.params.experience_dispense_mois
    if (row.experience_mois is not None and row.experience_mois >= threshold
            and row.experience_attestee is not True and "experience_attestee" not in row.invalid):
        yield Hit("experience_attestee", (
            f"{_months(row.experience_mois)} d'expérience dans l'insertion sont déclarés, mais "
            f"« {ctx.label('experience_attestee')} » ne vaut pas « oui » : le stage reste "
            f"obligatoire tant que l'expérience n'est pas attestée. Dès que le justificatif est "
            f"reçu, écrivez « oui »."),
            facts={"experience_months": row.experience_mois, "threshold_months": threshold})


@rule("STAGE-HOURS", ERROR, WARNING)
def stage_hours(ctx: RowContext) -> Iterator[Hit]:
    """Below the required hours: error; above: warning."""
    total, required = ctx.row.heures_total, ctx.params.heures_requises
    if total is None or total == required:
        return
    facts = {"hours": total, "required_hours": required}
    if total < required:
        yield Hit("heures_total", (
            f"Le stage prévoit {format_hours(total)} heures, moins que les "
            f"{format_hours(required)} heures requises pour le diplôme. Portez la durée totale "
            f"à {format_hours(required)} heures au moins."), facts=facts)
    else:
        yield Hit("heures_total", (
            f"Le stage prévoit {format_hours(total)} heures, plus que les "
            f"{format_hours(required)} heures requises. Vérifiez le total : la convention "
            f"portera ce nombre d'heures."), WARNING, facts=facts)


@rule("STAGE-DATES", ERROR)
def stage_dates(ctx: RowContext) -> Iterator[Hit]:
    """The end must come after the start."""
    start, end = ctx.row.date_debut, ctx.row.date_fin
    if start is not None and end is not None and end <= start:
        yield Hit("date_fin", (
            f"La date de fin ({format_date(end)}) n'est pas postérieure à la date de début "
            f"({format_date(start)}). Corrigez l'une des deux dates."),
            facts={"start": start, "end": end})


@rule("STAGE-WEEKLY-HOURS", ERROR, WARNING)
def stage_weekly_hours(ctx: RowContext) -> Iterator[Hit]:
    """0 or above the legal maximum (48 h): error; above full time (35 h): warning."""
    weekly, params = ctx.row.heures_hebdo, ctx.params
    if weekly is None:
        return
    facts = {"weekly_hours": weekly, "legal_max_hours": params.heures_hebdo_max,
             "full_time_hours": params.heures_temps_plein}
    if weekly == 0:
        yield Hit("heures_hebdo", (
            "Les heures par semaine valent 0 : le stage ne peut pas avancer. Indiquez le nombre "
            "d'heures de présence par semaine."), facts=facts)
    elif weekly > params.heures_hebdo_max:
        yield Hit("heures_hebdo", (
            f"{format_hours(weekly)} heures par semaine dépassent la durée maximale légale de "
            f"{format_hours(params.heures_hebdo_max)} heures. Réduisez les heures par "
            f"semaine (et allongez la période si besoin)."), facts=facts)
    elif weekly > params.heures_temps_plein:
        yield Hit("heures_hebdo", (
            f"{format_hours(weekly)} heures par semaine, plus qu'un temps plein "
            f"({format_hours(params.heures_temps_plein)} heures). Vérifiez ce nombre avec la "
            f"structure d'accueil."), WARNING, facts=facts)


EMAIL_KEY = "tuteur_email"
# Before the convention the tutor's e-mail is only announced (rules.md, STAGE-TUTOR).
EMAIL_WARNED_STEPS = frozenset(step for step in STEP_KEYS
                               if reached(step, DEFINITION) and not reached(step, CONVENTION))

_TUTOR_WHAT = {
    "tuteur_nom": "le nom du tuteur",
    "tuteur_prenom": "le prénom du tuteur",
    "tuteur_fonction": "la fonction du tuteur dans la structure",
    "tuteur_email": "l'adresse électronique du tuteur (convention, envoi de la fiche "
                    "d'évaluation)",
}


@rule("STAGE-TUTOR", ERROR, WARNING)
def stage_tutor(ctx: RowContext) -> Iterator[Hit]:
    """The tutor's name, function or e-mail missing where the row's documents need them
    (error). The e-mail, needed from the convention on (the convention and the evaluation
    use it), is a warning at the definition and approval steps: the team learns early and
    nothing is blocked (rules.md, STAGE-TUTOR)."""
    row = ctx.row
    for key in TUTOR_KEYS:
        if getattr(row, key) is not None:  # the value first: cheaper
            continue
        if ctx.missing(key):
            yield Hit(key, (
                f"« {ctx.label(key)} » est vide : le stage se déroule sous la responsabilité "
                f"d'un tuteur, professionnel de la structure d'accueil. Indiquez "
                f"{_TUTOR_WHAT[key]}."), facts={"missing": key})
        elif key == EMAIL_KEY and ctx.blank(key) and ctx.has_column(key) and (
                ctx.derived.step in EMAIL_WARNED_STEPS):
            yield Hit(key, (
                f"« {ctx.label(key)} » est vide : la convention et l'envoi de la fiche "
                f"d'évaluation en auront besoin. Demandez dès maintenant l'adresse "
                f"électronique du tuteur."), WARNING, facts={"missing": key})


@rule("STAGE-COLLECTIVE-ACTION", ERROR)
def stage_collective_action(ctx: RowContext) -> Iterator[Hit]:
    """The structure must support a collective project or action in insertion."""
    if ctx.row.action_collective is None and ctx.missing("action_collective"):
        yield Hit("action_collective", (
            f"« {ctx.label('action_collective')} » est vide : la structure d'accueil doit "
            f"pouvoir être le support d'un projet collectif ou d'une action collective "
            f"d'insertion. Décrivez en une phrase l'action à laquelle le stagiaire participera."))


@rule("STAGE-GRATIFICATION", WARNING, ERROR)
def stage_gratification(ctx: RowContext) -> Iterator[Hit]:
    """Beyond the threshold (308 h, more than two months: Code de l'éducation L124-6), the
    hourly gratification is due, at least the minimum in force on the convention's date
    (D124-8; `generator.law`). A warning before the convention step, an error from it on:
    the convention never prints an amount nobody entered, nor one below the law."""
    row, params, derived = ctx.row, ctx.params, ctx.derived
    total, amount = row.heures_total, row.gratification_horaire
    if (not params.gratification_obligatoire or total is None
            or total <= params.seuil_gratification_heures):
        return
    if amount is None and not ctx.blank("gratification_horaire"):
        return  # not a number: CELL-NUMBER already says so
    if amount is not None and amount >= derived.gratification_minimum:
        return
    found = "n'est pas renseignée" if amount is None else f"est de {format_euros(amount)}"
    minimum = format_euros(derived.gratification_minimum)
    on = (f"au {format_date(row.date_convention)}, date de la convention"
          if row.date_convention else "à ce jour")
    blocks = reached(derived.step, CONVENTION)
    lacking = "manque" if amount is None else "reste sous ce minimum"
    consequence = f" La convention n'est pas produite tant que le montant {lacking}." \
        if blocks else ""
    yield Hit("gratification_horaire", (
        f"Stage de {format_hours(total)} heures, au-delà de "
        f"{format_hours(params.seuil_gratification_heures)} heures : une gratification d'au "
        f"moins {minimum} de l'heure (minimum légal en vigueur {on}) est obligatoire ; la "
        f"gratification horaire {found}. Indiquez le montant prévu par la structure "
        f"({minimum} au minimum).{consequence}"), ERROR if blocks else None,
        facts={"hours": total, "threshold_hours": params.seuil_gratification_heures,
               "minimum": derived.gratification_minimum, "minimum_on": row.date_convention,
               "amount": amount})
