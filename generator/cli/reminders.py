"""`gen reminders`: the plan, the letters, the e-mails sent once."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import click

from generator.cli.base import (
    EXIT_OK,
    EXIT_ROWS,
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
from generator.process import REASON_WORDS

if TYPE_CHECKING:  # the library is imported when the command runs: `gen --help` stays fast
    from generator.reminders.send import SmtpSettings


def _smtp_settings(server: str | None, user: str | None, starttls: bool, implicit_tls: bool,
                   clear_password: bool, timeout: float | None) -> SmtpSettings:
    """The SMTP settings of --send; the password from GEN_SMTP_PASSWORD, else asked (hidden),
    never an option (it would stay in the shell's history). Port 465 is implicit TLS."""
    import os

    from generator.reminders.send import IMPLICIT_TLS_PORT, SmtpSettings, Timeouts, parse_server

    host, port = parse_server(server or "")
    password = None
    if user:
        password = os.environ.get("GEN_SMTP_PASSWORD") or click.prompt(
            f"Mot de passe SMTP de « {user} »", hide_input=True)
    return SmtpSettings(host, port, user=user, password=password, starttls=starttls,
                        implicit_tls=implicit_tls or port == IMPLICIT_TLS_PORT,
                        clear_password=clear_password, timeouts=Timeouts().capped(timeout))


def _reason_keys(words: tuple[str, ...]) -> tuple[str, ...]:
    """--reason's French words (`process.REASON_WORDS`) → the reasons' keys."""
    return tuple(key for key, word in REASON_WORDS.items() if word in words)


@cli.command("reminders")
@cohort_argument
@output_option
@only_option
@click.option("--reason", "reasons", multiple=True,
              type=click.Choice(list(REASON_WORDS.values())),
              callback=lambda _context, _param, words: _reason_keys(words),
              help="Seulement ce motif de relance (option répétable).")
@today_option
@templates_option
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
@click.option("--starttls", is_flag=True,
              help="Exiger STARTTLS (utilisé de toute façon quand le serveur le propose).")
@click.option("--smtp-tls", "implicit_tls", is_flag=True,
              help="TLS implicite dès la connexion (automatique sur le port 465).")
@click.option("--smtp-clear-password", "clear_password", is_flag=True,
              help="Accepter d'envoyer le mot de passe sur une connexion non chiffrée "
                   "(déconseillé).")
@click.option("--smtp-timeout", type=click.FloatRange(min=0.1), metavar="SECONDES",
              help="Attente maximale de chaque réponse du serveur (par défaut : les délais de "
                   "la RFC 5321, jusqu'à 10 minutes après l'envoi d'un message).")
@click.option("--resend", is_flag=True,
              help="Renvoyer même ce que le journal dit envoyé, incertain ou refusé (à "
                   "limiter avec --only et --reason).")
@click.option("--pdf", is_flag=True, help="Aussi un PDF de chaque lettre (LibreOffice).")
@quiet_option
@debug_option
def reminders_command(cohort: Path, output: Path, only: tuple[str, ...],
                      reasons: tuple[str, ...], today: dt.date, templates: Path | None,
                      force: bool, mode: str | None, smtp: str | None, smtp_user: str | None,
                      starttls: bool, implicit_tls: bool, clear_password: bool,
                      smtp_timeout: float | None, resend: bool, pdf: bool, quiet: bool) -> None:
    """Relances (lettres et courriels) : qui relancer aujourd'hui, et pourquoi. Seule, la
    commande affiche ce plan sans rien écrire ; --letters écrit les lettres, --eml aussi les
    courriels, --send les envoie (une seule fois : voir relances/journal.csv).

    Exemple : gen reminders cohorte.xlsx --today 2027-02-15 --send --smtp smtp.example.org:587
    --smtp-user moi --starttls
    """
    announce(cohort, quiet)
    from generator.reminders import run
    from generator.reminders.journal import Journal
    from generator.views.terminal import file_lines

    if (smtp or smtp_user or starttls or implicit_tls or clear_password or smtp_timeout) \
            and mode != "send":
        raise click.UsageError("--smtp, --smtp-user, --starttls et les autres options --smtp-… "
                               "vont avec --send.")
    if mode == "send" and not smtp:
        raise click.UsageError("--send demande le serveur : --smtp HÔTE:PORT.")
    if pdf and mode is not None:
        from generator.documents.pdf import find_soffice

        find_soffice()  # before anything is written: LibreOffice is there
    params, plan = run.prepare(cohort, today, only, reasons, force, output)
    echo_lines(file_lines(plan.file_findings), quiet)
    for line in run.plan_warnings(plan):
        click.echo(line, err=True)
    journal = Journal(run.journal_path(output))
    if not quiet:
        width = min(shutil.get_terminal_size().columns, 100)
        click.echo(run.plan_text(run.plan_table(plan, journal), width))
    context = click.get_current_context()
    if mode is None:
        context.exit(EXIT_ROWS if plan.skipped else EXIT_OK)
    settings = _smtp_settings(smtp, smtp_user, starttls, implicit_tls, clear_password,
                              smtp_timeout) if mode == "send" else None
    outcome = run.produce(plan, params, templates, output,
                          emails=mode != "letters", smtp=settings, resend=resend,
                          progress=progress_bars(quiet))
    converted = run.letters_pdf(outcome) if pdf else None
    echo_lines(run.summary(outcome, converted), quiet)
    pdf_ok = all(result.ok for result in converted or ())
    context.exit(EXIT_OK if outcome.ok and not plan.skipped and pdf_ok else EXIT_ROWS)
