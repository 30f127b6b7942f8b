"""The document commands (`gen definitions` … `gen all`, `--pdf`, `--packs`) and
`gen templates check`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from generator.cli.base import (
    EXIT_INPUT,
    EXIT_OK,
    EXIT_ROWS,
    F,
    announce,
    cli,
    cohort_argument,
    debug_option,
    echo_lines,
    only_option,
    output_option,
    progress_bars,
    quiet_option,
    templates_option,
    today_option,
)
from generator.frenchdates import format_list
from generator.process import DOCUMENT_KEYS, DOCUMENT_KINDS, EVALUATION, DocumentKind


def pdf_option(func: F) -> F:
    return click.option("--pdf", is_flag=True,
                        help="Aussi un PDF de chaque document, à côté du .docx (LibreOffice, "
                             "un processus par cœur, lancé une fois pour tout le lot).")(func)


def _template_contexts() -> dict[str, Any]:
    """Template file pattern → example context factory: the keys each template may use."""
    from generator.documents.folder_check import document_contexts
    from generator.reminders.letters import template_contexts

    return document_contexts() | template_contexts()


def _template_names() -> list[str]:
    """The file name of every template the program uses (documents, pack letter, reminders)."""
    from generator.documents.folder_check import document_contexts
    from generator.process import REMINDER_REASONS

    return [*document_contexts(), *(reason.template for reason in REMINDER_REASONS)]


@cli.group("templates")
def templates_group() -> None:
    """Les modèles .docx des documents et des lettres.

    Exemple : gen templates check --templates modeles-equipe
    """


@templates_group.command("check", short_help="Vérifie les modèles et liste leurs clés.")
@templates_option
@debug_option
@click.pass_context
def templates_check_command(context: click.Context, templates: Path | None) -> None:
    """Vérifie chaque modèle avant usage : toutes ses clés sont fournies par le programme,
    aucune balise n'est coupée par Word, chaque bloc {% %} est fermé, chaque {%tr %} est
    dans une ligne de tableau. Liste les clés de chaque modèle. Le dossier de l'équipe
    (--templates) peut ne contenir que les modèles modifiés : les autres sont ceux fournis
    avec gen. Statut 2 si un modèle est à corriger ou introuvable.

    Exemple : gen templates check --templates modeles-equipe
    """
    from generator.documents.folder_check import check_folder, report_lines

    contexts = _template_contexts()
    result = check_folder(templates, contexts, _template_names())
    for line, problem in report_lines(result, contexts):
        click.echo(line, err=problem)
    context.exit(EXIT_OK if result.ok else EXIT_INPUT)


# --- gen definitions | approvals | conventions | evaluations | all (engine) -----------------
def document_options(func: F) -> F:
    """The options every document command shares (cli.md)."""
    options = [
        output_option,
        only_option,
        today_option,
        templates_option,
        click.option("--force", is_flag=True,
                     help="Générer même les lignes en erreur sur les champs du document "
                          "(les erreurs restent affichées), et remplacer un document modifié "
                          "à la main depuis le dernier lancement."),
        quiet_option,
        pdf_option,
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _documents(context: click.Context, cohort: Path, documents: tuple[str, ...], output: Path,
               only: tuple[str, ...], today: dt.date, templates: Path | None, force: bool,
               quiet: bool, pdf: bool = False, packs: bool = False) -> None:
    announce(cohort, quiet)
    from generator.documents.produce import produce

    produced = produce(cohort, documents, output, today, templates=templates,
                       only=set(only) or None, force=force, with_pdf=pdf, with_packs=packs,
                       progress=progress_bars(quiet))
    from generator.views.terminal import file_lines

    echo_lines(file_lines(produced.file_findings) + produced.lines, quiet)
    context.exit(EXIT_ROWS if produced.failed else EXIT_OK)


def _document_command(kind: DocumentKind) -> None:
    """Register `gen <kind.command>`: its help is the kind's, the evaluations add --packs."""

    def command(context: click.Context, cohort: Path, **options: Any) -> None:
        _documents(context, cohort, (kind.key,), **options)

    command.__name__ = f"{kind.command}_command"
    command = debug_option(command)
    if kind.key == EVALUATION:
        command = click.option(
            "--packs", is_flag=True,
            help="Aussi un dossier par tuteur : lettre d'accompagnement et fiches, dans "
                 f"output/{kind.folder}/packs/<structure>_<tuteur>.zip, plus un .docx unique "
                 "à imprimer.")(command)
    decorated = click.pass_context(cohort_argument(document_options(command)))
    cli.command(kind.command, help=kind.help)(decorated)


for _kind in DOCUMENT_KINDS:
    _document_command(_kind)


_ALL_HELP = (
    "Tous les documents auxquels chaque auditeur est arrivé : "
    + format_list([kind.title[0].lower() + kind.title[1:] for kind in DOCUMENT_KINDS])
    + ", chacun dans son dossier sous output/.\n\n"
    "Exemple : gen all cohorte.xlsx -o sortie --today 2026-11-28")


@cli.command("all", help=_ALL_HELP)
@cohort_argument
@document_options
@debug_option
@click.pass_context
def all_command(context: click.Context, cohort: Path, **options: Any) -> None:
    _documents(context, cohort, DOCUMENT_KEYS, **options)
