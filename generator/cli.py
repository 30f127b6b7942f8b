"""The `gen` command line: thin commands over the library; the only place with exit statuses,
colours and click."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from generator import __version__
from generator.errors import GenError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_ROWS, EXIT_INPUT = 0, 1, 2


class GenGroup(click.Group):
    """Turns "cannot go on" exceptions into one French line and exit status 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except GenError as error:
            if ctx.meta.get("debug"):
                raise
            click.echo(f"Erreur : {error}", err=True)
            ctx.exit(EXIT_INPUT)


def _debug(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    ctx.meta["debug"] = ctx.meta.get("debug") or value
    return value


def _today(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"« {value} » n'est pas une date AAAA-MM-JJ.") from None


def debug_option(func: F) -> F:
    return click.option("--debug", is_flag=True, expose_value=False, is_eager=True,
                        callback=_debug, help="Affiche la trace complète d'une erreur.")(func)


def today_option(func: F) -> F:
    return click.option("--today", callback=_today, metavar="AAAA-MM-JJ",
                        help="Date du jour à retenir pour les délais (par défaut : aujourd'hui)."
                        )(func)


def cohort_argument(func: F) -> F:
    return click.argument("cohort", type=click.Path(path_type=Path, dir_okay=False))(func)


def _progress_bars(quiet: bool) -> Callable[[str], Callable[[int, int], None]] | None:
    """A factory of progress bars, one per stage title, on a terminal; None when piped or
    quiet. The library reports progress through the callbacks it gives."""
    if quiet or not sys.stderr.isatty():
        return None

    def for_stage(title: str) -> Callable[[int, int], None]:
        bar: list[Any] = []

        def progress(done: int, total: int) -> None:
            if not bar:
                bar.append(click.progressbar(length=total, label=title, file=sys.stderr))
                bar[0].__enter__()
            bar[0].update(done - bar[0].pos)
            if done >= total:
                bar[0].__exit__(None, None, None)

        return progress

    return for_stage


@click.group(cls=GenGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", message="gen %(version)s")
@debug_option
def cli() -> None:
    """Stages de la licence professionnelle LP110 (Cnam) : contrôle du classeur de cohorte et
    génération des documents (définitions, accords pédagogiques, conventions, évaluations,
    relances).

    Exemple : gen check data/cohorte-exemple.xlsx
    """


# --- gen check (rules) ---------------------------------------------------------------------
@cli.command("check")
@cohort_argument
@today_option
@click.option("--format", "output_format", type=click.Choice(["text", "json"]),
              default="text", show_default=True,
              help="text : tableau lisible ; json : un objet JSON sur la sortie standard.")
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
    from generator.collector import collector_paused

    with collector_paused():  # until the report is printed and freed
        status = _check(cohort, today, output_format, annotated)
    click.get_current_context().exit(status)


def _check(cohort: Path, today: dt.date, output_format: str, annotated: Path | None) -> int:
    """`gen check`'s work and output; its exit status."""
    import json

    from rich.console import Console

    from generator.cohort.reader import read_cohort
    from generator.errors import InputError
    from generator.findings import summarize
    from generator.rules import display
    from generator.rules.report import check

    try:
        report = check(read_cohort(cohort), today)
    except InputError as error:
        if output_format != "json":
            raise
        click.echo(json.dumps({"file": str(cohort), "today": today.isoformat(), "rows": 0,
                               "findings": [error.finding.as_json()],
                               "summary": summarize([error.finding])}, ensure_ascii=False))
        return EXIT_INPUT
    if output_format == "json":
        click.echo(json.dumps(report.as_json(str(cohort)), ensure_ascii=False))
    elif (console := Console(highlight=False)).is_terminal:
        for item in display.rich_renderables(report):
            console.print(item)
    else:
        click.echo("\n".join(display.text_lines(report)))
    if annotated is not None:
        from generator.workbook.annotate import write_annotated

        write_annotated(cohort, report, annotated)
        click.echo(f"Copie annotée écrite : {annotated}", err=output_format == "json")
    return report.exit_status


# --- gen init (workbook) -------------------------------------------------------------------
@cli.command("init")
@click.argument("cohort", type=click.Path(path_type=Path, dir_okay=False))
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


# --- gen reminders (reminders) -------------------------------------------------------------
def _smtp_settings(server: str | None, user: str | None, starttls: bool) -> Any:
    """The SMTP settings of --send; the password from GEN_SMTP_PASSWORD, else asked (hidden),
    never an option (it would stay in the shell's history)."""
    import os

    from generator.reminders.send import SmtpSettings, parse_server

    password = None
    if user:
        password = os.environ.get("GEN_SMTP_PASSWORD") or click.prompt(
            f"Mot de passe SMTP de « {user} »", hide_input=True)
    return SmtpSettings(*parse_server(server or ""), user=user, password=password,
                        starttls=starttls)


@cli.command("reminders")
@cohort_argument
@click.option("-o", "--output", type=click.Path(path_type=Path, file_okay=False),
              default=Path("output"), show_default=True, help="Dossier de sortie.")
@click.option("--only", multiple=True, metavar="N°AUDITEUR",
              help="Seulement cet auditeur (option répétable).")
@click.option("--reason", "reasons", multiple=True,
              type=click.Choice(["definition", "approval", "convention", "pieces",
                                 "evaluation"]),
              help="Seulement ce motif de relance (option répétable).")
@today_option
@click.option("--templates", type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="Dossier des modèles de l'équipe (par défaut : templates/).")
@click.option("--force", is_flag=True,
              help="Relancer même quand une cellule lue par la relance est illisible.")
@click.option("--letters", "mode", flag_value="letters", help="Écrire les lettres.")
@click.option("--eml", "mode", flag_value="eml",
              help="Écrire les lettres et les courriels (.eml) prêts à envoyer.")
@click.option("--send", "mode", flag_value="send",
              help="Écrire les lettres et envoyer les courriels par SMTP (--smtp).")
@click.option("--smtp", metavar="HÔTE:PORT", help="Serveur SMTP pour --send.")
@click.option("--smtp-user", metavar="IDENTIFIANT",
              help="Identifiant SMTP ; le mot de passe est lu dans la variable "
                   "GEN_SMTP_PASSWORD, sinon demandé.")
@click.option("--starttls", is_flag=True, help="Chiffrer la connexion SMTP (STARTTLS).")
@click.option("--resend", is_flag=True, help="Renvoyer même ce que le journal dit envoyé.")
@click.option("--pdf", is_flag=True, help="Aussi un PDF de chaque lettre (LibreOffice).")
@click.option("-q", "--quiet", is_flag=True, help="N'afficher que les problèmes.")
@debug_option
def reminders_command(cohort: Path, output: Path, only: tuple[str, ...],
                      reasons: tuple[str, ...], today: dt.date, templates: Path | None,
                      force: bool, mode: str | None, smtp: str | None, smtp_user: str | None,
                      starttls: bool, resend: bool, pdf: bool, quiet: bool) -> None:
    """Relances (lettres et courriels) : qui relancer aujourd'hui, et pourquoi. Seule, la
    commande affiche ce plan sans rien écrire ; --letters écrit les lettres, --eml aussi les
    courriels, --send les envoie (une seule fois : voir relances/journal.csv).

    Exemple : gen reminders cohorte.xlsx --today 2027-02-15 --send --smtp smtp.example.org:587
    --smtp-user moi --starttls
    """
    from generator.reminders import run
    from generator.reminders.journal import Journal

    if (smtp or smtp_user or starttls) and mode != "send":
        raise click.UsageError("--smtp, --smtp-user et --starttls vont avec --send.")
    if mode == "send" and not smtp:
        raise click.UsageError("--send demande le serveur : --smtp HÔTE:PORT.")
    if pdf and mode is not None:
        from generator.documents.pdf import find_soffice

        find_soffice()  # before anything is written: LibreOffice is there
    params, plan = run.prepare(cohort, today, only, reasons, force)
    for note in plan.notes:
        click.echo(f"Attention : {note}", err=True)
    for skip in plan.skipped:
        click.echo(f"Ligne {skip.row.row_number} ({skip.row.student}) : relance « {skip.reason} »"
                   f" non préparée : {skip.message}", err=True)
    journal = Journal(run.journal_path(output))
    if not quiet:
        click.echo(run.text_table(run.plan_table(plan, journal)))
    context = click.get_current_context()
    if mode is None:
        context.exit(EXIT_ROWS if plan.skipped else EXIT_OK)
    settings = _smtp_settings(smtp, smtp_user, starttls) if mode == "send" else None
    outcome = run.produce(plan, params, templates, output,
                          emails=mode != "letters", smtp=settings, resend=resend,
                          progress=_progress_bars(quiet))
    pdf_failed = run.letters_pdf(outcome) if pdf else []
    for line, problem in run.summary(outcome, pdf_failed):
        if problem or not quiet:
            click.echo(line, err=problem)
    context.exit(EXIT_OK if outcome.ok and not plan.skipped and not pdf_failed else EXIT_ROWS)


# --- --pdf, gen evaluations --packs, gen templates check (print) ----------------------------
def pdf_option(func: F) -> F:
    return click.option("--pdf", is_flag=True,
                        help="Aussi un PDF de chaque document, à côté du .docx (LibreOffice, "
                             "un seul lancement pour tout le lot).")(func)


def _template_contexts() -> dict[str, Any]:
    """Template file pattern → example context factory: the keys each template may use."""
    from generator.documents.checking import document_contexts
    from generator.reminders.letters import template_contexts

    return document_contexts() | template_contexts()


def _before_batch(documents: tuple[str, ...], templates: Path | None, pdf: bool,
                  packs: bool) -> str | None:
    """Before any file is written: LibreOffice is installed (--pdf) and the templates pass
    `gen templates check`; else GenError, one French message and exit 2."""
    from generator.documents.checking import ensure_documents_usable
    from generator.documents.pdf import find_soffice

    soffice = find_soffice() if pdf else None
    ensure_documents_usable(documents, templates, packs=packs)
    return soffice


def _after_batch(results: list[Any], output: Path, today: dt.date,
                 templates: Path | None, soffice: str | None, packs: bool,
                 quiet: bool) -> list[tuple[str, bool]]:
    """--packs, then --pdf over everything written; the French lines to print."""
    from generator.documents import packs as packing
    from generator.documents import pdf as printing

    progress = _progress_bars(quiet)
    lines: list[tuple[str, bool]] = []
    written: list[Any] = []
    for result in results if packs else []:
        if result.document == "evaluation":
            written = packing.write_batch_packs(
                result, today, output, templates,
                progress=progress("Dossiers tuteurs") if progress else None)
            lines += packing.summary_lines(written)
    if soffice:
        converted = printing.convert_batches(results, [pack.combined for pack in written],
                                             soffice=soffice,
                                             progress=progress("PDF") if progress else None)
        lines += printing.summary_lines(converted, results)
    return lines


@cli.group("templates")
def templates_group() -> None:
    """Les modèles .docx des documents et des lettres.

    Exemple : gen templates check --templates modeles-equipe
    """


@templates_group.command("check", short_help="Vérifie les modèles et liste leurs clés.")
@click.option("--templates", type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="Dossier des modèles de l'équipe (par défaut : templates/).")
@debug_option
@click.pass_context
def templates_check_command(context: click.Context, templates: Path | None) -> None:
    """Vérifie chaque modèle avant usage : toutes ses clés sont fournies par le programme,
    aucune balise n'est coupée par Word, chaque bloc {% %} est fermé, chaque {%tr %} est
    dans une ligne de tableau. Liste les clés de chaque modèle. Statut 2 si un modèle est à
    corriger.

    Exemple : gen templates check --templates modeles-equipe
    """
    from generator.documents.checking import check_folder, report_lines

    contexts = _template_contexts()
    result = check_folder(templates, contexts)
    for line, problem in report_lines(result, contexts):
        click.echo(line, err=problem)
    context.exit(EXIT_OK if result.ok else EXIT_INPUT)


# --- gen definitions | approvals | conventions | evaluations | all (engine) -----------------
def document_options(func: F) -> F:
    """The options every document command shares (cli.md)."""
    options = [
        click.option("-o", "--output", type=click.Path(path_type=Path, file_okay=False),
                     default=Path("output"), show_default=True, help="Dossier de sortie."),
        click.option("--only", multiple=True, metavar="N°AUDITEUR",
                     help="Seulement cet auditeur (option répétable)."),
        today_option,
        click.option("--templates", type=click.Path(path_type=Path, file_okay=False,
                                                    exists=True),
                     help="Dossier des modèles de l'équipe (par défaut : templates/)."),
        click.option("--force", is_flag=True,
                     help="Générer même les lignes en erreur sur les champs du document "
                          "(les erreurs restent affichées)."),
        click.option("-q", "--quiet", is_flag=True, help="N'afficher que les problèmes."),
        pdf_option,
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _documents(context: click.Context, cohort: Path, documents: tuple[str, ...], output: Path,
               only: tuple[str, ...], today: dt.date, templates: Path | None, force: bool,
               quiet: bool, pdf: bool = False, packs: bool = False) -> None:
    from generator.documents import batch

    soffice = _before_batch(documents, templates, pdf, packs)
    results = batch.run(cohort, documents, output, today, templates, set(only) or None, force,
                        progress=_progress_bars(quiet))
    after = _after_batch(results, output, today, templates, soffice, packs, quiet)
    for line, problem in batch.summary_lines(results) + after:
        if problem or not quiet:
            click.echo(line, err=problem)
    # a document forced past its errors (--force) is printed as a problem but was written
    failed = any(result.problems for result in results) or any(problem for _, problem in after)
    context.exit(EXIT_ROWS if failed else EXIT_OK)


@cli.command("definitions")
@cohort_argument
@document_options
@debug_option
@click.pass_context
def definitions_command(context: click.Context, cohort: Path, **options: Any) -> None:
    """Définitions du stage pratique (objectifs, activités, calendrier), une par auditeur
    ayant une structure d'accueil : output/definitions/<N°>_<NOM>_<Prénom>.docx.

    Exemple : gen definitions cohorte.xlsx --only 100001
    """
    _documents(context, cohort, ("definition",), **options)


@cli.command("approvals")
@cohort_argument
@document_options
@debug_option
@click.pass_context
def approvals_command(context: click.Context, cohort: Path, **options: Any) -> None:
    """Accords pédagogiques, un par auditeur dont la définition est remise :
    output/accords/<N°>_<NOM>_<Prénom>.docx.

    Exemple : gen approvals cohorte.xlsx -o sortie
    """
    _documents(context, cohort, ("approval",), **options)


@cli.command("conventions")
@cohort_argument
@document_options
@debug_option
@click.pass_context
def conventions_command(context: click.Context, cohort: Path, **options: Any) -> None:
    """Conventions de stage, une par auditeur ayant l'accord pédagogique :
    output/conventions/<N°>_<NOM>_<Prénom>.docx, et output/conventions/manifest.csv.

    Exemple : gen conventions cohorte.xlsx --today 2026-11-28
    """
    _documents(context, cohort, ("convention",), **options)


@cli.command("evaluations")
@cohort_argument
@document_options
@click.option("--packs", is_flag=True,
              help="Aussi un dossier par tuteur : lettre d'accompagnement et fiches, dans "
                   "output/evaluations/packs/<structure>_<tuteur>.zip, plus un .docx unique "
                   "à imprimer.")
@debug_option
@click.pass_context
def evaluations_command(context: click.Context, cohort: Path, **options: Any) -> None:
    """Fiches d'évaluation pour les tuteurs, une par convention établie :
    output/evaluations/<N°>_<NOM>_<Prénom>.docx.

    Exemple : gen evaluations cohorte.xlsx --packs
    """
    _documents(context, cohort, ("evaluation",), **options)


@cli.command("all")
@cohort_argument
@document_options
@debug_option
@click.pass_context
def all_command(context: click.Context, cohort: Path, **options: Any) -> None:
    """Tous les documents auxquels chaque auditeur est arrivé : définitions, accords,
    conventions et fiches d'évaluation, chacun dans son dossier sous output/.

    Exemple : gen all cohorte.xlsx -o sortie --today 2026-11-28
    """
    _documents(context, cohort, ("definition", "approval", "convention", "evaluation"),
               **options)


def main() -> None:
    cli(prog_name="gen")


if __name__ == "__main__":  # pragma: no cover
    main()
