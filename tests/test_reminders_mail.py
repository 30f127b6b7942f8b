"""`gen reminders --eml`: one RFC 5322 message per reminder that parses back, with Python's
`email` package, into the letter's own text and the same attachments."""

from __future__ import annotations

import io
from email import message_from_bytes, policy
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from docx import Document
from reminders_helpers import EXPECTED, TODAY, reminder_cohort, reminder_rows
from workbooks import write_workbook

from generator.cli import cli
from generator.process import REASON_WORDS
from generator.reminders.journal import reason_key
from generator.reminders.mail import MESSAGE_POLICY, eml_bytes, letter_blocks, letter_body
from generator.reminders.plan import REASON_LABELS


def _run(cohort: Path, *options: str) -> Result:
    return CliRunner().invoke(cli, ["reminders", str(cohort), "--today", TODAY.isoformat(),
                                    "-o", str(cohort.parent / "sortie"), *options])


def _parse(path: Path) -> EmailMessage:
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


@pytest.fixture(scope="module")
def relances(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cohort = reminder_cohort(tmp_path_factory.mktemp("eml"))
    result = _run(cohort, "--eml")
    assert result.exit_code == 0, result.output + result.stderr
    return cohort.parent / "sortie" / "relances"


def test_one_message_per_letter_beside_it(relances: Path) -> None:
    emls = sorted((relances / "courriels").glob("*.eml"))
    letters = sorted((relances / "lettres").glob("*.docx"))
    assert [p.stem for p in emls] == [p.stem for p in letters]
    assert len(emls) == 4  # B2 (approval + convention) and C3 (convention + pieces): one each
    keys = set()
    for path in emls:
        message = _parse(path)
        student, motifs, deadline = (p.strip() for p in str(message["X-Relance"]).split(";"))
        reasons = [reason_key(motif) for motif in motifs.split(" + ")]
        for motif in motifs.split(" + "):
            assert motif in REASON_LABELS.values()  # the French label, never the internal key
        keys |= {(student, message["To"].addresses[0].addr_spec, r) for r in reasons}
        assert path.stem.startswith(f"{student}_")
        assert path.stem.endswith("_" + "_".join(REASON_WORDS[r] for r in reasons))
    assert keys == EXPECTED
    assert not (relances / "journal.csv").exists()  # nothing was sent


def test_messages_parse_back_into_the_letter_text_and_attachments(relances: Path) -> None:
    for path in sorted((relances / "courriels").glob("*.eml")):
        raw = path.read_bytes()
        assert b"\r\n" in raw and raw.isascii()  # 7-bit transport-safe, CRLF lines
        message = _parse(path)
        assert message["X-Unsent"] == "1"  # Outlook opens it ready to send
        assert str(message["From"]) == "Référent stage LP110 <par_intervention_sociale@lecnam.net>"
        assert message["Message-ID"].endswith("@lecnam.net>")
        assert message.get_content_type() == "multipart/mixed"
        letter_file = relances / "lettres" / f"{path.stem}.docx"
        attachments = list(message.iter_attachments())
        assert attachments[0].get_filename() == letter_file.name
        assert attachments[0].get_content() == letter_file.read_bytes()
        # The text is the letter's, from the salutation to the signature.
        blocks = letter_blocks(letter_file.read_bytes())
        letter = Document(io.BytesIO(letter_file.read_bytes()))
        objet = next(p.text for p in letter.paragraphs if p.text.startswith("Objet"))
        assert str(message["Subject"]) == "Relance : " + objet.split(":", 1)[1].strip()
        salutation = next(b.text for b in blocks if b.text.endswith(","))
        body = letter_body(blocks, salutation)
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        for block in body:
            assert block.text.replace("\t", " ") in text
        assert text.startswith(salutation)
        assert "Pièce" in text and letter_file.name in text
        assert html.startswith("<!DOCTYPE html>") and 'lang="fr"' in html
        if "O'BRIEN" in path.stem:  # a name full of markup characters stays text
            assert "C3_O&#x27;BRIEN-&amp;-FILS-_Zoé_" in html


def test_the_evaluation_message_also_carries_the_tutor_form(relances: Path) -> None:
    (path,) = (relances / "courriels").glob("*_evaluation.eml")
    message = _parse(path)
    names = [a.get_filename() for a in message.iter_attachments()]
    assert names == ["D4_NGUYEN_Anh_evaluation.docx", "D4_NGUYEN_Anh_fiche-evaluation.docx"]
    form = Document(io.BytesIO(list(message.iter_attachments())[1].get_content()))
    text = "\n".join([p.text for p in form.paragraphs]
                     + [c.text for t in form.tables for r in t.rows for c in r.cells])
    assert "NGUYEN" in text and "Association Tremplin" in text
    assert str(message["To"]) == "Sophie DURAND <sophie.durand@example.org>"


def test_a_recipient_without_address_gets_a_letter_only(tmp_path: Path) -> None:
    rows = [row for row in reminder_rows() if row["numero_auditeur"] == "D4"]
    rows[0]["tuteur_email"] = None
    cohort = write_workbook(tmp_path / "cohorte.xlsx", rows)
    result = _run(cohort, "--eml")
    assert result.exit_code == 1
    assert "Pas d'adresse électronique pour Mme Sophie DURAND" in result.stderr
    folder = tmp_path / "sortie" / "relances"
    assert [p.name for p in (folder / "lettres").iterdir()] == ["D4_NGUYEN_Anh_evaluation.docx"]
    assert not (folder / "courriels").exists()


def test_subjects_and_addresses_parse_back_exactly_with_long_accented_names(
        tmp_path: Path) -> None:
    """Python 3.11's folder drops the space before « – » after a long accented name (« M.
    Karim BENHAMOU– fiche » on the sample) and adds one inside a long encoded display name;
    a display name holding a comma must stay one address."""
    rows = reminder_rows()
    for row in rows:
        if row["numero_auditeur"] == "D4":  # the evaluation subject names the student
            row.update(prenom="Héloïse-Bérénice", nom="de Saint-André-des-Échelles",
                       tuteur_prenom="Anne-Cécile", tuteur_nom="Roux, épouse Lévêque-Duméril")
        if row["numero_auditeur"] == "B2":
            row.update(prenom="Anna", nom="Roux, Jr")
    cohort = write_workbook(tmp_path / "cohorte.xlsx", rows)
    result = _run(cohort, "--eml")
    assert result.exit_code == 0, result.output + result.stderr
    folder = tmp_path / "sortie" / "relances"
    names = {"D4": "Anne-Cécile ROUX, ÉPOUSE LÉVÊQUE-DUMÉRIL", "B2": "Anna ROUX, JR"}
    seen = set()
    for path in sorted((folder / "courriels").glob("*.eml")):
        message = _parse(path)
        letter = Document(io.BytesIO((folder / "lettres" / f"{path.stem}.docx").read_bytes()))
        objet = next(p.text for p in letter.paragraphs if p.text.startswith("Objet"))
        intended = "Relance : " + " ".join(objet.split(":", 1)[1].split())
        assert str(message["Subject"]) == intended
        student = path.stem.split("_")[0]
        if student in names:
            (address,) = message["To"].addresses
            assert address.display_name == names[student]
            seen.add(student)
        if student == "D4":
            assert "Héloïse-Bérénice DE SAINT-ANDRÉ-DES-ÉCHELLES – " in intended
    assert seen == set(names)


@pytest.mark.parametrize("subject", [
    "Relance : convention de stage de Joëlle LÉVÊQUE – à retourner avant le 12 mai 2027",
    "Relance : pièces du dossier de François-Xavier DE SAINT-ANDRÉ-DES-ÉCHELLES – convention "
    "à établir",
    "Relance : " + "x" * 120,
])
def test_a_folded_subject_decodes_to_the_same_text(subject: str) -> None:
    message = EmailMessage(policy=MESSAGE_POLICY)
    message["Subject"] = subject
    message["To"] = Address("Roux, Anna", addr_spec="anna.roux@example.org")
    message.set_content("texte")
    for data in (eml_bytes(message), eml_bytes(message, draft=True)):
        assert max(len(line) for line in data.split(b"\r\n")) <= 998
        back = message_from_bytes(data, policy=policy.default)
        assert str(back["Subject"]) == subject
        (address,) = back["To"].addresses
        assert (address.display_name, address.addr_spec) == ("Roux, Anna",
                                                              "anna.roux@example.org")
