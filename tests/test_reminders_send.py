"""`gen reminders --send` end to end, against a real SMTP server on 127.0.0.1 (aiosmtpd):
every message arrives once, a second run sends nothing, `--resend` sends again, a refused
recipient does not stop the others, a dropped connection loses no journal line."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from docx import Document
from reminders_helpers import EXPECTED, LETTERS, TODAY, SmtpServer, points, reminder_cohort

from generator.cli import cli
from generator.process import REASON_WORDS
from generator.reminders.journal import reason_key

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def cohort(tmp_path: Path) -> Path:
    return reminder_cohort(tmp_path)


def _send(cohort: Path, server: SmtpServer, *extra: str) -> Result:
    output = cohort.parent / "sortie"
    return CliRunner().invoke(cli, ["reminders", str(cohort), "--today", TODAY.isoformat(),
                                    "-o", str(output), "--send", "--smtp", server.address,
                                    *extra])


def _journal(cohort: Path) -> list[dict[str, str]]:
    """The journal's lines that end a message (« en cours » lines left out)."""
    path = cohort.parent / "sortie" / "relances" / "journal.csv"
    with path.open(encoding="utf-8-sig", newline="") as stream:
        lines = list(csv.DictReader(stream, delimiter=";"))
    return [line for line in lines if line["statut"] != "en cours"]


def test_every_message_arrives_once_with_its_text_and_attachments(cohort: Path) -> None:
    with SmtpServer() as server:
        result = _send(cohort, server)
    assert result.exit_code == 0, result.output + result.stderr
    received = server.messages
    assert points(received) == Counter(EXPECTED)  # each point exactly once
    assert len(received) == LETTERS  # one message per recipient and student
    for item in received:
        message = item.message
        student, recipient, _reason = item.keys[0]
        reasons = [key[2] for key in item.keys]
        assert item.rcpt_tos == [recipient]
        assert recipient in str(message["To"])
        assert item.mail_from == "par_intervention_sociale@lecnam.net"
        assert str(message["Reply-To"]) == "par_intervention_sociale@lecnam.net"
        assert str(message["Subject"]).startswith("Relance : ")
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert "salutations distinguées" in text and "salutations distinguées" in html
        attachments = list(message.iter_attachments())
        names = [a.get_filename() for a in attachments]
        assert names[0].startswith(f"{student}_")
        assert names[0].endswith(  # in French
            "_" + "_".join(REASON_WORDS[reason] for reason in reasons) + ".docx")
        assert all(a.get_content_type() == DOCX for a in attachments)
        letter = Document(io.BytesIO(attachments[0].get_content()))
        assert any("Objet" in p.text for p in letter.paragraphs)
        if reasons == ["evaluation"]:
            assert len(attachments) == 2 and "fiche-evaluation" in names[1]
            form = Document(io.BytesIO(attachments[1].get_content()))
            assert "Nguyen".upper() in "\n".join(p.text for p in form.paragraphs).upper() + \
                "\n".join(c.text for t in form.tables for r in t.rows for c in r.cells).upper()
        else:
            assert len(attachments) == 1

    by_key = {key: m.message for m in received for key in m.keys}
    definition = by_key[("A1", "helene.dupont@example.org", "definition")]
    assert "définition du stage pratique" in str(definition["Subject"])
    body = definition.get_body(("plain",)).get_content()
    assert "Madame," in body and "4 octobre 2026" in body and "dans 45 jours" in body
    convention = by_key[("C3", "zoe.obrien@example.org", "convention")]
    assert "date limite dépassée (13 août 2026)" in str(convention["Subject"])
    assert "O'BRIEN & <FILS>" in str(convention["To"]) or "Zoé" in str(convention["To"])
    pieces = by_key[("C3", "zoe.obrien@example.org", "pieces")].get_body(("plain",))
    assert "3 exemplaires de la convention (1 remis)" in pieces.get_content()
    assert "pascale.bonnet@lecnam.net" in pieces.get_content()
    day_class = by_key[("B2", "marc.leger@example.org", "convention")].get_body(("plain",))
    assert "Monsieur," in day_class.get_content()
    assert "Sandrine NACREON" in day_class.get_content()

    journal = _journal(cohort)
    assert len(journal) == len(EXPECTED)  # one line per point, under its own identity
    assert {line["statut"] for line in journal} == {"envoyé"}
    ids = {str(m.message["Message-ID"]) for m in received}
    assert {line["message_id"] for line in journal} == ids


def test_a_second_run_sends_nothing_and_resend_sends_again(cohort: Path) -> None:
    with SmtpServer() as server:
        first = _send(cohort, server)
        second = _send(cohort, server)
        assert second.exit_code == 0, second.output + second.stderr
        assert len(server.messages) == LETTERS
        assert "déjà envoyés (non renvoyés) : 4" in second.stdout
        assert len(_journal(cohort)) == len(EXPECTED)
        again = _send(cohort, server, "--resend")
    assert first.exit_code == 0 and again.exit_code == 0
    assert points(server.messages) == Counter({key: 2 for key in EXPECTED})
    assert len(_journal(cohort)) == 2 * len(EXPECTED)


def test_the_plan_shows_what_was_already_sent(cohort: Path) -> None:
    with SmtpServer() as server:
        _send(cohort, server, "--only", "A1")
    result = CliRunner().invoke(cli, ["reminders", str(cohort), "--today", TODAY.isoformat(),
                                      "-o", str(cohort.parent / "sortie")])
    assert result.exit_code == 0
    # one block per reminder: « Ligne N — <N° auditeur> <name> — <motif> », its facts beneath
    blocks = {block.split()[3]: block for block in result.stdout.strip().split("\n\n")}
    assert "Envoi : déjà envoyée" in blocks["A1"]
    assert "déjà envoyée" not in blocks["B2"]


def test_a_refused_recipient_is_journaled_failed_not_retried_without_resend(
        cohort: Path) -> None:
    refused = "marc.leger@example.org"
    with SmtpServer(refuse={refused}) as server:
        result = _send(cohort, server)
    assert result.exit_code == 1
    assert "Refusé par le serveur : marc.leger@example.org" in result.stderr
    assert set(points(server.messages)) == {k for k in EXPECTED if k[1] != refused}
    journal = _journal(cohort)
    failed = [line for line in journal if line["statut"] == "échec"]
    assert {(line["auditeur"], line["motif"]) for line in failed} == {
        ("B2", "accord pédagogique"), ("B2", "convention de stage")}
    assert all("550" in line["detail"] for line in failed)
    assert "--resend --only B2 --reason accord" in result.stderr  # the option's French word
    plan = CliRunner().invoke(cli, ["reminders", str(cohort), "--today", TODAY.isoformat(),
                                    "-o", str(cohort.parent / "sortie")])
    assert plan.stdout.count("refusée (non renvoyée sans --resend)") == 2
    # A permanent refusal is not retried by the next run, only with --resend.
    with SmtpServer() as server:
        retry = _send(cohort, server)
        assert retry.exit_code == 1 and server.messages == []
        assert "Non renvoyé (refusé par le serveur" in retry.stderr
        again = _send(cohort, server, "--resend", "--only", "B2")
    assert again.exit_code == 0, again.output + again.stderr
    assert points(server.messages) == Counter(k for k in EXPECTED if k[1] == refused)


def test_a_connection_dropped_after_the_content_is_uncertain_and_never_resent(
        cohort: Path) -> None:
    # The third message (C3: convention + pieces) is transmitted, then the server hangs up
    # without answering.
    with SmtpServer(hang_up_after=2, hang_ups=1) as server:
        result = _send(cohort, server)
        assert result.exit_code == 1
        assert "Envoi incertain" in result.stderr and "incertains : 1" in result.stdout
        assert len(server.messages) == LETTERS - 1  # the others went on a new connection
        second = _send(cohort, server)
    assert second.exit_code == 1
    assert "Non renvoyé (envoi incertain" in second.stderr
    assert len(server.messages) == LETTERS - 1
    statuses = Counter(line["statut"] for line in _journal(cohort))
    assert statuses == {"envoyé": len(EXPECTED) - 2}  # the uncertain points have no end line


def test_a_server_hanging_up_for_good_loses_no_journal_line(cohort: Path) -> None:
    with SmtpServer(hang_up_after=2) as server:
        result = _send(cohort, server)
    assert result.exit_code == 1
    assert "Envoi interrompu" in result.stderr and "deux fois de suite" in result.stderr
    assert len(server.messages) == 2
    delivered = [key for m in server.messages for key in m.keys]
    journal = _journal(cohort)
    assert Counter((line["auditeur"], line["destinataire"], reason_key(line["motif"]))
                   for line in journal) == Counter(delivered)
    assert {line["statut"] for line in journal} == {"envoyé"}
    with SmtpServer() as server:
        rest = _send(cohort, server)
    assert rest.exit_code == 1  # the two unanswered ones are held
    assert rest.stderr.count("Non renvoyé (envoi incertain") == 2
    assert set(points(server.messages)) == EXPECTED - set(delivered) - {
        k for k in EXPECTED if k not in delivered and _uncertain(k, rest.stderr)}
    assert len(server.messages) == LETTERS - 2 - 2


def _uncertain(key: tuple[str, str, str], stderr: str) -> bool:
    return any(f"--only {key[0]} " in line and f"--reason {REASON_WORDS[key[2]]}" in line
               for line in stderr.splitlines())


def test_login_password_comes_from_the_environment(cohort: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[bytes, bytes]] = []

    def authenticator(server: object, session: object, envelope: object, mechanism: str,
                      data: object) -> object:
        from aiosmtpd.smtp import AuthResult, LoginPassword

        assert isinstance(data, LoginPassword)
        seen.append((data.login, data.password))
        # handled=False: aiosmtpd then answers 535 itself
        return AuthResult(success=data.password == "s3cret é".encode(), handled=False)

    monkeypatch.setenv("GEN_SMTP_PASSWORD", "s3cret é")
    with SmtpServer(authenticator=authenticator, auth_require_tls=False) as server:
        result = _send(cohort, server, "--smtp-user", "relances", "--only", "A1",
                       "--smtp-clear-password")
    assert result.exit_code == 0, result.output + result.stderr
    assert seen == [(b"relances", "s3cret é".encode())]
    assert len(server.messages) == 1


def test_a_wrong_password_is_one_french_line(cohort: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    def authenticator(*_args: object) -> object:
        from aiosmtpd.smtp import AuthResult

        return AuthResult(success=False, handled=False)

    monkeypatch.setenv("GEN_SMTP_PASSWORD", "faux")
    with SmtpServer(authenticator=authenticator, auth_require_tls=False) as server:
        result = _send(cohort, server, "--smtp-user", "relances", "--smtp-clear-password")
    assert result.exit_code == 2
    assert "refuse l'identifiant ou le mot de passe" in result.stderr
    assert "Traceback" not in result.stderr
    assert server.messages == []


def test_send_needs_a_server(cohort: Path) -> None:
    result = CliRunner().invoke(cli, ["reminders", str(cohort), "--send"])
    assert result.exit_code == 2
    assert "--smtp" in result.stderr


def test_without_the_variable_the_password_is_asked_hidden(cohort: Path,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    from aiosmtpd.smtp import AuthResult, LoginPassword

    def authenticator(server: object, session: object, envelope: object, mechanism: str,
                      data: object) -> object:
        assert isinstance(data, LoginPassword)
        return AuthResult(success=data.password == b"tap\xc3\xa9", handled=False)

    monkeypatch.delenv("GEN_SMTP_PASSWORD", raising=False)
    with SmtpServer(authenticator=authenticator, auth_require_tls=False) as server:
        output = cohort.parent / "sortie"
        result = CliRunner().invoke(
            cli, ["reminders", str(cohort), "--today", TODAY.isoformat(), "-o", str(output),
                  "--send", "--smtp", server.address, "--smtp-user", "relances", "--only", "A1",
                  "--smtp-clear-password"],
            input="tapé\n")
    assert result.exit_code == 0, result.output
    assert "Mot de passe SMTP" in result.output and "tapé" not in result.output
    assert len(server.messages) == 1


def test_a_busy_answer_at_rcpt_reconnects_instead_of_failing(cohort: Path) -> None:
    with SmtpServer(busy_once={"zoe.obrien@example.org"}) as server:
        result = _send(cohort, server)
    assert result.exit_code == 0, result.output
    assert points(server.messages) == Counter(EXPECTED)
    assert {line["statut"] for line in _journal(cohort)} == {"envoyé"}


def test_a_point_already_sent_is_not_sent_again_with_the_letter_listing_it(
        cohort: Path) -> None:
    with SmtpServer() as server:
        first = _send(cohort, server, "--only", "B2", "--reason", "accord")
        assert first.exit_code == 0, first.output + first.stderr
        second = _send(cohort, server, "--only", "B2")
    assert second.exit_code == 0, second.output + second.stderr
    approval, convention = (("B2", "marc.leger@example.org", reason)
                            for reason in ("approval", "convention"))
    assert [item.keys for item in server.messages] == [[approval], [convention]]
    # the second message carries the convention alone, worded by its own letter
    attachment = next(server.messages[1].message.iter_attachments())
    assert attachment.get_filename() == "B2_LÉGER_Marc_convention.docx"
    assert "déjà envoyés (non renvoyés) : 1" in second.stdout
    journal = _journal(cohort)
    assert [(line["motif"], line["statut"]) for line in journal] == [
        ("accord pédagogique", "envoyé"), ("convention de stage", "envoyé")]
    # the printed letter of the run still lists both points
    letters = cohort.parent / "sortie" / "relances" / "lettres"
    assert (letters / "B2_LÉGER_Marc_accord_convention.docx").is_file()
