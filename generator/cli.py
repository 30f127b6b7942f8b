"""The `gen` command line: thin commands over the library; the only place with exit statuses,
colours and click."""

from __future__ import annotations

import datetime as dt
import functools
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


@click.group(cls=GenGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", message="gen %(version)s")
@debug_option
def cli() -> None:
    """Stages de la licence professionnelle LP110 (Cnam) : contrôle du classeur de cohorte et
    génération des documents (définitions, accords pédagogiques, conventions, évaluations,
    relances).

    Exemple : gen check data/cohorte-exemple.xlsx
    """


def main() -> None:
    cli(prog_name="gen")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
