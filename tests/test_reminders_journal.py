"""The sent-once journal: a CSV read before sending, appended and synced line by line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from reminders_helpers import TODAY, reminder_cohort

from generator.errors import GenError
from generator.reminders import run
from generator.reminders.journal import (
    DEFERRED,
    FAILED,
    PENDING,
    SENT,
    Entry,
    Journal,
    identity,
    lock,
)

DEADLINE = dt.date(2027, 3, 1)


def _entry(status: str = SENT, recipient: str = "Claire.Martin@example.org",
           reason: str = "convention", message_id: str = "<1@lecnam.net>") -> Entry:
    return Entry("2027-02-15T09:30:00+01:00", "PAR0002", recipient, reason,
                 DEADLINE.isoformat(), message_id, status, "")


def test_a_recorded_send_is_read_back_by_the_next_run(tmp_path: Path) -> None:
    path = tmp_path / "relances" / "journal.csv"
    Journal(path).record(_entry())
    again = Journal(path)
    key = identity("PAR0002", "claire.martin@example.org", "convention", DEADLINE)
    assert again.sent(key)  # the e-mail compared without case
    assert again.status(key) == SENT
    assert not again.sent(identity("PAR0002", "claire.martin@example.org", "convention",
                                   DEADLINE + dt.timedelta(days=1)))
    assert not again.sent(identity("PAR0002", "claire.martin@example.org", "pieces", DEADLINE))


def test_header_once_bom_semicolons_french_status(tmp_path: Path) -> None:
    path = tmp_path / "journal.csv"
    journal = Journal(path)
    journal.record(_entry(FAILED, message_id="<1@x>"))
    journal.record(_entry(SENT, message_id="<2@x>"))
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode())
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "date;auditeur;destinataire;motif;echeance;message_id;statut;detail"
    assert [line.split(";")[6] for line in lines[1:]] == ["échec", "envoyé"]
    assert Journal(path).status(journal.entries[0].identity) == SENT  # the last one wins


def test_the_motif_is_the_french_label_and_older_journals_with_keys_still_count(
        tmp_path: Path) -> None:
    path = tmp_path / "journal.csv"
    Journal(path).record(_entry(reason="approval"))
    assert path.read_text("utf-8-sig").splitlines()[1].split(";")[3] == "accord pédagogique"
    older = tmp_path / "ancien.csv"  # as earlier versions wrote it: the internal key
    older.write_text("date;auditeur;destinataire;motif;echeance;message_id;statut;detail\r\n"
                     "x;PAR0002;claire.martin@example.org;approval;2027-03-01;<1@x>;envoyé;\r\n"
                     "x;PAR0002;claire.martin@example.org;PIÈCES DU DOSSIER DE CONVENTION;"
                     "01/03/2027;<2@x>;envoyé;\r\n", encoding="utf-8-sig")
    journal = Journal(older)
    for reason in ("approval", "pieces"):
        assert journal.sent(identity("PAR0002", "claire.martin@example.org", reason, DEADLINE))
    journal.record(_entry(reason="evaluation"))  # rewritten in labels before appending
    motifs = [line.split(";")[3] for line in older.read_text("utf-8-sig").splitlines()[1:]]
    assert motifs == ["accord pédagogique", "pièces du dossier de convention",
                      "fiche d'évaluation du stage"]


def test_a_failed_send_is_not_a_send(tmp_path: Path) -> None:
    path = tmp_path / "journal.csv"
    Journal(path).record(_entry(FAILED))
    journal = Journal(path)
    assert not journal.sent(_entry().identity)
    assert journal.status(_entry().identity) == FAILED


def test_a_line_cut_by_a_crash_is_ignored_and_the_next_starts_afresh(tmp_path: Path) -> None:
    path = tmp_path / "journal.csv"
    Journal(path).record(_entry(message_id="<1@x>"))
    with path.open("a", encoding="utf-8") as stream:
        stream.write("2027-02-15T09:31:00+01:00;PAR0003;x@example.org;pieces")  # no newline
    journal = Journal(path)
    assert len(journal.entries) == 1
    journal.record(_entry(reason="pieces", message_id="<2@x>"))
    reread = Journal(path)
    assert [e.message_id for e in reread.entries] == ["<1@x>", "<2@x>"]


def test_texts_with_separators_survive(tmp_path: Path) -> None:
    path = tmp_path / "journal.csv"
    entry = Entry("2027-02-15T09:30:00+01:00", "PAR;2", "a@example.org", "convention",
                  DEADLINE.isoformat(), "<1@x>", FAILED, '550 "non"; ligne\nsuivante')
    Journal(path).record(entry)
    assert Journal(path).entries == [entry]


def test_the_plan_table_shows_what_the_journal_says(tmp_path: Path) -> None:
    _params, plan = run.prepare(reminder_cohort(tmp_path), TODAY)
    sent, failed, *others = plan.reminders
    journal = Journal(tmp_path / "journal.csv")
    for reminder, status in ((sent, SENT), (failed, SENT), (failed, FAILED)):
        student, recipient, reason, deadline = reminder.identity
        journal.record(Entry("2026-08-19T09:30:00+02:00", student, recipient, reason, deadline,
                             "<1@x>", status))
    table = run.plan_table(plan, journal)
    assert [line["Envoi"] for line in table] == [  # the last status wins
        "déjà envoyée", "refusée (non renvoyée sans --resend)", *("" for _ in others)]
    assert {line["Envoi"] for line in run.plan_table(plan)} == {""}


def _spreadsheet_copy(path: Path, encoding: str, delimiter: str = ";") -> None:
    """The journal as a spreadsheet saves it again: another encoding, dates as dd/mm/yyyy,
    no BOM, no quoting of plain texts."""
    entries = Journal(path).entries
    lines = [delimiter.join(("date", "auditeur", "destinataire", "motif", "echeance",
                             "message_id", "statut", "detail"))]
    for e in entries:
        day = dt.date.fromisoformat(e.deadline)
        lines.append(delimiter.join((e.date, e.student, e.recipient, e.reason,
                                     day.strftime("%d/%m/%Y"), e.message_id, e.status,
                                     e.detail)))
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))


def test_a_journal_saved_again_by_a_spreadsheet_is_read_and_kept_in_one_encoding(
        tmp_path: Path) -> None:
    path = tmp_path / "journal.csv"
    journal = Journal(path)
    for status in (PENDING, SENT):
        journal.record(_entry(status))
    journal.record(_entry(DEFERRED, reason="pieces", message_id="<2@x>"))
    _spreadsheet_copy(path, "cp1252")
    reread = Journal(path)
    key = identity("PAR0002", "claire.martin@example.org", "convention", DEADLINE)
    assert reread.status(key) == SENT  # not sent again
    assert reread.status(identity("PAR0002", "claire.martin@example.org", "pieces",
                                  DEADLINE)) == DEFERRED
    reread.record(_entry(FAILED, reason="evaluation", message_id="<3@x>"))
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")  # one encoding again, nothing lost
    assert text.count("envoyé") == 1 and "échec" in text and "à réessayer" in text
    assert len(Journal(path).entries) == 4


def test_comma_separated_utf8_without_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "journal.csv"
    Journal(path).record(_entry())
    _spreadsheet_copy(path, "utf-8", ",")
    assert Journal(path).sent(_entry().identity)


@pytest.mark.parametrize("content", [
    b"date;auditeur;destinataire;motif;echeance;message_id;statut;detail\r\n"
    b"x;PAR1;a@example.org;convention;2027-03-01;<1@x>;parti;\r\n",
    b"date;auditeur;destinataire;motif;echeance;message_id;statut;detail\r\n"
    b"x;PAR1;a@example.org;convention;le mois prochain;<1@x>;envoy\xc3\xa9;\r\n",
    b"\x81\x8d\x8f\x90\x9d;\xff\xfe\x00",
])
def test_a_journal_that_cannot_be_understood_stops_never_counts_as_empty(
        tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "journal.csv"
    path.write_bytes(content)
    with pytest.raises(GenError, match="journal des envois .* illisible"):
        Journal(path)


def test_values_that_look_like_formulas_are_written_as_text(tmp_path: Path) -> None:
    path = tmp_path / "journal.csv"
    entry = Entry("2027-02-15T09:30:00+01:00", "=HYPERLINK(\"http://example.net\",\"x\")",
                  "@SUM(1+1)", "convention", DEADLINE.isoformat(), "<1@x>", FAILED,
                  "-2+3 +cmd")
    Journal(path).record(entry)
    cells = path.read_text(encoding="utf-8-sig").splitlines()[1].split(";")
    assert not any(cell.lstrip('"').startswith(("=", "@", "+", "-")) for cell in cells)
    assert Journal(path).entries == [entry]  # read back as they were


def test_a_second_run_on_the_same_journal_is_refused_in_french(tmp_path: Path) -> None:
    path = tmp_path / "relances" / "journal.csv"
    with lock(path), pytest.raises(GenError, match="Un autre envoi de relances"), lock(path):
        pass
    with lock(path):  # released
        pass
