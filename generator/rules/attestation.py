"""The attestation de stage (Code de l'éducation D124-9): the effective duration as the law
counts it, the total gratification, and the rules on the hours and amount it certifies."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from generator.cohort.model import Row
from generator.cohort.params import Params
from generator.findings import Fact
from generator.frenchdates import format_euros, format_hours
from generator.rules.registry import WARNING, Hit, RowContext, rule

# Code de l'éducation L124-18: « chaque période au moins égale à sept heures de présence,
# consécutives ou non, est considérée comme équivalente à un jour et chaque période au moins
# égale à vingt-deux jours de présence, consécutifs ou non, est considérée comme équivalente
# à un mois ».
HOURS_PER_DAY = 7
DAYS_PER_MONTH = 22


@dataclass(frozen=True)
class LegalDuration:
    """An effective presence counted as L124-18 counts it: whole days of 7 hours, then whole
    months of 22 days and the days left over (both floors: a part-day is no day)."""

    days: int  # whole days of 7 hours of presence
    months: int  # whole months of 22 of those days
    extra_days: int  # days beyond the whole months (0 to 21)


def legal_duration(hours: float) -> LegalDuration:
    """`hours` of effective presence (≥ 0) → days, months and days left (L124-18).
    560 h → 80 days → 3 months and 14 days; 154 h → 22 days → 1 month and 0 days."""
    days = int(hours // HOURS_PER_DAY)
    return LegalDuration(days, days // DAYS_PER_MONTH, days % DAYS_PER_MONTH)


def total_gratification(row: Row) -> tuple[float | None, bool]:
    """The total gratification paid (euros) and whether it was computed: the column
    « Gratification totale versée (€) » when filled, else hours done × hourly gratification
    (computed: the host must check it before signing), else None."""
    if row.gratification_totale is not None:
        return row.gratification_totale, False
    if row.heures_effectuees is not None and row.gratification_horaire is not None:
        with localcontext() as exact:  # any typed size, even absurd, rounds to the cent
            exact.prec = 400
            product = Decimal(str(row.heures_effectuees)) * Decimal(
                str(row.gratification_horaire))
            return float(product.quantize(Decimal("0.01"), ROUND_HALF_UP)), True
    return None, False


def gratification_due(row: Row, params: Params) -> bool:
    """Code de l'éducation L124-6: due beyond two months (the threshold in hours), unless the
    parameters say the cohort falls outside the rule."""
    return (params.gratification_obligatoire and row.heures_total is not None
            and row.heures_total > params.seuil_gratification_heures)


@rule("ATTESTATION-HOURS", WARNING, needs="heures_effectuees")
def hours_below_required(ctx: RowContext) -> Iterator[Hit]:
    """Hours done below the hours the degree requires: the coordinator decides what follows
    (the seed: 560 hours)."""
    done, required = ctx.row.heures_effectuees, ctx.params.heures_requises
    if done is not None and done < required:
        yield Hit("heures_effectuees", (
            f"{format_hours(done)} heures effectuées, moins que les {format_hours(required)} "
            "heures requises pour le stage : voyez avec la coordinatrice (stage à prolonger, "
            "ou validation décidée par l'équipe pédagogique) avant l'attestation de stage."),
            facts={"hours_done": done, "required_hours": required})


@rule("ATTESTATION-GRATIFICATION", WARNING, needs="heures_effectuees")
def gratification_below_minimum(ctx: RowContext) -> Iterator[Hit]:
    """A total gratification below hours done × the hourly minimum, when it is due (L124-6)."""
    row, params = ctx.row, ctx.params
    amount, _computed = total_gratification(row)
    done = row.heures_effectuees
    if done is None or not gratification_due(row, params):
        return
    minimum = ctx.derived.gratification_minimum  # in force on the convention's date (D124-8)
    floor = round(done * minimum, 2)
    facts: dict[str, Fact] = {"hours_done": done, "amount": amount, "minimum": minimum}
    if amount is None:
        yield Hit("gratification_totale", (
            f"La gratification est due (stage de plus de "
            f"{format_hours(params.seuil_gratification_heures)} heures) mais ni « "
            f"{ctx.label('gratification_totale')} » ni la gratification horaire ne sont "
            "remplies : l'attestation de stage doit en indiquer le montant total."),
            facts={**facts, "threshold_hours": params.seuil_gratification_heures})
    elif amount + 0.005 < floor:
        yield Hit("gratification_totale", (
            f"Gratification totale de {format_euros(amount)} pour {format_hours(done)} heures "
            f"effectuées : moins que le minimum légal de {format_euros(floor)} "
            f"({format_euros(minimum)} de l'heure). Vérifiez le montant "
            "avec la structure d'accueil."), facts={**facts, "legal_floor": floor})
