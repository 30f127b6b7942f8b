"""`gen check` and `gen init`: the workbook, checked or started."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from generator.cli.base import (
    EXIT_INPUT,
    announce,
    cli,
    cohort_argument,
    debug_option,
    today_option,
)


@cli.command("check")
@cohort_argument
@today_option
@click.option("--format", "output_format", type=click.Choice(["text", "json"]),
              default="text", show_default=True,
              help="Forme du résultat. text : lisible, un tableau pour vous ; json : pour un "
                   "programme, un objet JSON sur la sortie standard.")
@click.option("--report", "annotated", type=click.Path(path_type=Path, dir_okay=False),
              metavar="ANNOTÉ.xlsx",
              help="Écrit une copie du classeur où chaque problème est coloré et commenté.")
@debug_option
def check_command(cohort: Path, today: dt.date, output_format: str,
                  annotated: Path | None) -> None:
    """Contrôle le classeur de cohorte : chaque règle du stage, ligne par ligne. Code de
    sortie : 0 sans erreur (avertissements permis), 1 si des lignes ont des erreurs, 2 si le
    fichier est inutilisable.

    Exemple : gen check cohorte.xlsx --today 2026-11-28 --report controles.xlsx
    """
    announce(cohort)
    from generator.collector import collector_paused

    with collector_paused():  # until the report is printed and freed
        status = _check(cohort, today, output_format, annotated)
    click.get_current_context().exit(status)


def _check(cohort: Path, today: dt.date, output_format: str, annotated: Path | None) -> int:
    """`gen check`'s work and output; its exit status."""
    import json

    from generator.cohort.reader import read_cohort
    from generator.collect.retours import find_retours, incomplete_returns
    from generator.errors import InputError
    from generator.rules.report import check
    from generator.views.json_report import refused_json, report_json_text

    try:
        report = check(read_cohort(cohort), today,
                       incomplete=incomplete_returns(find_retours(cohort, None)))
    except InputError as error:
        if output_format != "json":
            raise
        click.echo(json.dumps(refused_json(str(cohort), today, error.finding),
                              ensure_ascii=False))
        return EXIT_INPUT
    if output_format == "json":
        for text in report_json_text(report, str(cohort)):
            click.echo(text, nl=False)
        click.echo()
    else:  # rich, only for a person reading
        from rich.console import Console

        from generator.views import terminal as display

        if (console := Console(highlight=False)).is_terminal:
            for item in display.rich_renderables(report):
                console.print(item)
        else:
            click.echo("\n".join(display.text_lines(report)))
    if annotated is not None:
        from generator.frenchdates import format_list
        from generator.workbook.annotate import write_annotated

        lost = write_annotated(cohort, report, annotated)
        click.echo(f"Copie annotée écrite : {annotated}", err=output_format == "json")
        if lost:
            click.echo(f"Attention : la copie annotée n'a pas pu garder {format_list(lost)} "
                       f"du classeur d'origine (le classeur d'origine n'est pas modifié).",
                       err=True)
    return report.exit_status


# --- gen init (workbook) -------------------------------------------------------------------
@cli.command("init")
@cohort_argument
@debug_option
def init_command(cohort: Path) -> None:
    """Crée un classeur de cohorte vide, prêt à remplir : en-têtes, listes déroulantes,
    paramètres par défaut et mode d'emploi. Un fichier existant n'est jamais remplacé.

    Exemple : gen init cohorte-2026.xlsx
    """
    from generator.workbook.starter import write_starter

    write_starter(cohort)
    click.echo(f"Classeur « {cohort} » créé : remplissez une ligne par auditeur dans la feuille "
               f"« Cohorte », puis lancez « gen check {cohort} ».")
