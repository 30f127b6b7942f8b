"""`gen dashboard` and `gen calendar`: the cohort at a glance, and its deadlines for the
team's calendar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import click

from generator.cli.base import F, cli, cohort_argument, debug_option, today_option


def _file_option(default: str, help_text: str) -> Callable[[F], F]:
    return click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
                        default=Path(default), show_default=True, help=help_text)


@cli.command("dashboard")
@cohort_argument
@_file_option("output/tableau.html", "Page HTML à écrire.")
@click.option("--documents", type=click.Path(path_type=Path, file_okay=False),
              help="Dossier des documents déjà produits, pour les liens (par défaut : le "
                   "dossier de la page).")
@today_option
@debug_option
def dashboard_command(cohort: Path, output: Path, documents: Path | None,
                      today: dt.date) -> None:
    """Écrit le tableau de bord de la cohorte : une page HTML qui s'ouvre d'un double-clic,
    sans connexion. Échéances de la semaine et retards, nombre d'auditeurs à chaque étape,
    calendrier des stages, et tableau des auditeurs avec leurs constats et les liens vers
    leurs documents ; filtres par étape, modalité et gravité, et recherche. S'imprime en A4
    paysage.

    Exemple : gen dashboard cohorte.xlsx -o output/tableau.html
    """
    from generator.cohort.reader import read_cohort
    from generator.collect.retours import find_retours, incomplete_returns
    from generator.frenchdates import format_count
    from generator.rules.report import check
    from generator.views.dashboard import write_dashboard

    incomplete = incomplete_returns(find_retours(cohort, documents or output.parent))
    students = write_dashboard(check(read_cohort(cohort), today, incomplete=incomplete), output,
                               documents)
    click.echo(f"Tableau de bord écrit dans « {output} » ({format_count(students, 'auditeur')}) : "
               "ouvrez-le dans votre navigateur.")


@cli.command("calendar")
@cohort_argument
@_file_option("output/echeances.ics", "Fichier iCalendar (.ics) à écrire.")
@today_option
@debug_option
def calendar_command(cohort: Path, output: Path, today: dt.date) -> None:
    """Écrit les échéances de la cohorte dans un fichier iCalendar à importer dans Outlook
    ou Thunderbird : dates limites des conventions, fins d'immersion, retours des
    évaluations et date limite de recherche. Chaque événement nomme l'auditeur et ce qu'il
    faut faire ; importer un fichier plus récent met à jour les événements au lieu de les
    dupliquer.

    Exemple : gen calendar cohorte.xlsx -o echeances.ics
    """
    from generator.cohort.reader import read_cohort
    from generator.frenchdates import format_count
    from generator.rules.report import check
    from generator.views.ical import write_calendar

    count = write_calendar(check(read_cohort(cohort), today), output)
    click.echo(f"{format_count(count, 'événement')} écrit{'s' if count > 1 else ''} dans "
               f"« {output} » : importez ce fichier dans votre agenda (Outlook, Thunderbird).")
