"""`gen collect`: the evaluation forms the tutors send back, brought into the cohort."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from generator.cli.base import (
    EXIT_OK,
    EXIT_ROWS,
    cli,
    cohort_argument,
    debug_option,
    echo_lines,
    output_option,
    progress_bars,
    quiet_option,
    today_option,
)


@cli.command("collect")
@cohort_argument
@click.argument("sources", nargs=-1, required=True, metavar="FICHIER_OU_DOSSIER...",
                type=click.Path(path_type=Path))
@output_option
@click.option("--in-place", is_flag=True,
              help="Mettre à jour le classeur lui-même (après une copie de sauvegarde datée à "
                   "côté) au lieu d'en écrire une copie.")
@today_option
@quiet_option
@debug_option
@click.pass_context
def collect_command(context: click.Context, cohort: Path, sources: tuple[Path, ...],
                    output: Path, in_place: bool, today: dt.date, quiet: bool) -> None:
    """Lit les fiches d'évaluation renvoyées par les tuteurs (.docx remplis dans Word ou
    LibreOffice, PDF remplis, courriels .eml enregistrés avec la fiche en pièce jointe),
    retrouve l'auditeur de chacune, vérifie qu'elle est complète et écrit
    output/evaluations/retours.xlsx. Les fiches complètes remplissent « Évaluation reçue
    le », « Stage validé » et « Heures effectuées » dans une copie du classeur
    (output/evaluations/<classeur>-avec-retours.xlsx), ou dans le classeur lui-même avec
    --in-place. Statut 1 si une fiche n'a pas pu être reportée.

    Exemple : gen collect cohorte.xlsx retours/ --in-place
    """
    from generator.collect.run import collect, summary_lines

    progress = progress_bars(quiet)
    result = collect(cohort, list(sources), output, today, in_place,
                     progress=progress("Fiches") if progress else None)
    echo_lines(summary_lines(result), quiet)
    context.exit(EXIT_ROWS if result.problems else EXIT_OK)
