"""The `gen` group, the options its commands share, and the progress bars."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import click

from generator import __version__
from generator.cli import french
from generator.errors import GenError, file_system_message

french.install()  # click's own texts (Usage, Error, Missing argument…) in French

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_ROWS, EXIT_INPUT = 0, 1, 2


class GenCommand(click.Command):
    """A command whose --help option and usage line speak French."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[OPTIONS]")
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "Affiche cette aide et quitte."
        return option


class GenGroup(GenCommand, click.Group):
    """Turns "cannot go on" exceptions into one French line and exit status 2."""

    command_class = GenCommand
    group_class = type  # subgroups are GenGroups too

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("subcommand_metavar", "COMMANDE [ARGUMENTS]...")
        super().__init__(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except GenError as error:
            if ctx.meta.get("debug"):
                raise
            click.echo(f"Erreur : {error}", err=True)
            ctx.exit(EXIT_INPUT)
        except BrokenPipeError:
            # the reader of stdout has gone (`gen templates check | head`): click's main ends
            # quietly, as Unix tools do, without a message
            raise
        except OSError as error:  # a file that cannot be written or read: never a traceback
            if ctx.meta.get("debug"):
                raise
            click.echo(f"Erreur : {file_system_message(error)}", err=True)
            ctx.exit(EXIT_INPUT)


def _debug(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    ctx.meta["debug"] = ctx.meta.get("debug") or value
    return value


def _today(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date:
    """--today as the user types it: 2026-11-30 or, as French spreadsheets show it,
    30/11/2026."""
    if value is None:
        return dt.date.today()
    for layout in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value.strip(), layout).date()
        except ValueError:
            continue
    raise click.BadParameter(f"« {value} » n'est pas une date (AAAA-MM-JJ ou JJ/MM/AAAA, "
                             "par exemple 30/11/2026).")


def debug_option(func: F) -> F:
    return click.option("--debug", is_flag=True, expose_value=False, is_eager=True,
                        callback=_debug, help="Affiche la trace complète d'une erreur.")(func)


def today_option(func: F) -> F:
    return click.option("--today", callback=_today, metavar="DATE",
                        help="Date du jour à retenir pour les délais, 2026-11-30 ou "
                             "30/11/2026 (par défaut : aujourd'hui)."
                        )(func)


def cohort_argument(func: F) -> F:
    return click.argument("cohort", metavar="CLASSEUR",
                          type=click.Path(path_type=Path, dir_okay=False))(func)


output_option = click.option("-o", "--output", type=click.Path(path_type=Path, file_okay=False),
                             default=Path("output"), show_default=True, metavar="DOSSIER",
                             help="Dossier de sortie.")
only_option = click.option("--only", multiple=True, metavar="N°AUDITEUR",
                           help="Seulement cet auditeur (option répétable).")
templates_option = click.option(
    "--templates", type=click.Path(path_type=Path, file_okay=False, exists=True),
    metavar="DOSSIER",
    help="Dossier des modèles de l'équipe ; un modèle qu'il ne contient pas est pris parmi "
         "ceux fournis avec gen.")
quiet_option = click.option("-q", "--quiet", is_flag=True, help="N'afficher que les problèmes.")


def announce(cohort: Path, quiet: bool = False) -> None:
    """On a terminal, say at once which workbook the command reads: this line comes before
    the heavy libraries (the workbook reader, the templates) are imported, so that the user
    sees within a fraction of a second that the command has started. Nothing when piped or
    quiet."""
    if not quiet and sys.stderr.isatty():
        click.echo(f"Lecture du classeur « {cohort.name} »…", err=True)


def echo_lines(lines: Iterable[tuple[str, bool]], quiet: bool) -> None:
    """French lines (line, is a problem): a problem on stderr, always; the others on stdout,
    unless --quiet."""
    for line, problem in lines:
        if problem or not quiet:
            click.echo(line, err=problem)


def progress_bars(quiet: bool) -> Callable[[str], Callable[[int, int], None]] | None:
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
@click.version_option(__version__, "--version", message="gen %(version)s",
                      help="Affiche la version et quitte.")
@debug_option
def cli() -> None:
    """Stages de la licence professionnelle LP110 (Cnam) : contrôle du classeur de cohorte et
    génération des documents (définitions, accords pédagogiques, conventions, évaluations,
    relances).

    Exemple, depuis n'importe quel dossier : gen init cohorte.xlsx, puis, une fois le
    classeur rempli, gen check cohorte.xlsx
    """


def main() -> None:
    cli(prog_name="gen")

