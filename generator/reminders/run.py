"""`gen reminders` as one library call: the plan, then letters, messages and sending.

Output layout (under the output folder):

    relances/
      lettres/<N° auditeur>_<NOM>_<Prénom>_<motif>.docx    one letter per recipient and
                                                           student, every point due
      lettres-a-imprimer.docx                              all letters, each on a new page,
                                                           a tutor's form after its letter
      courriels/<N° auditeur>_<NOM>_<Prénom>_<motif>.eml   one message per letter
      journal.csv                                          what the SMTP server accepted

With `--eml` the messages are drafts (`X-Unsent: 1`: Outlook opens them ready to send); with
`--send` they are the messages as sent, written once the server has answered.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from email.errors import MessageError
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.utils import format_datetime
from pathlib import Path

from generator.atomic import work_folder
from generator.cohort.params import Params, where_parameters_are_set
from generator.cohort.reader import read_cohort
from generator.collect.retours import find_retours, incomplete_returns
from generator.documents.engine import Template
from generator.documents.naming import NameAllocator, safe_name
from generator.documents.outputs import set_aside
from generator.documents.pdf import PdfResult, combined_pdfs, convert, summary_lines
from generator.errors import InputError
from generator.findings import Severity
from generator.frenchdates import format_count, format_date, format_list
from generator.process import (
    EVALUATION,
    INCOMPLETE_EVALUATION,
    REASON_KEYS,
    REASON_WORDS,
    REASONS,
)
from generator.reminders.journal import DEFERRED, FAILED, PENDING, SENT, Journal, lock
from generator.reminders.letters import (
    COMBINED_NAME,
    Letter,
    combine_letters,
    delay_text,
    ensure_templates,
    letter_parts,
    reminder_stem,
    render_letter,
    write_letters,
)
from generator.reminders.mail import Attachment, compose, write_eml
from generator.reminders.plan import (
    REASON_LABELS,
    WORKFLOW_KEYS,
    Notice,
    Plan,
    Reminder,
    notices,
    plan,
)
from generator.reminders.send import Outgoing, SendReport, SmtpSettings, send_all
from generator.rules.cells import missing_columns
from generator.rules.report import PIECE_KEYS, absent_columns, check, select_rows

FOLDER, LETTERS, EMAILS, JOURNAL = "relances", "lettres", "courriels", "journal.csv"
# a stage's title → its progress callback (done, total), or None
Progress = Callable[[str], Callable[[int, int], None] | None]


@dataclass
class Outcome:
    folder: Path
    letters: list[Letter] = field(default_factory=list)
    combined: Path | None = None
    emls: list[Path] = field(default_factory=list)
    set_aside: list[Path] = field(default_factory=list)  # moved to anciens/ (_tidy)
    without_email: list[Notice] = field(default_factory=list)  # letter only
    unsendable: list[tuple[Notice, str]] = field(default_factory=list)  # no message, why
    sending: SendReport | None = None

    @property
    def ok(self) -> bool:
        return not self.without_email and not self.unsendable and (
            self.sending is None or self.sending.ok)


def prepare(cohort: Path, today: dt.date, only: Sequence[str] = (),
            reasons: Sequence[str] = (), force: bool = False,
            output: Path | None = None) -> tuple[Params, Plan]:
    """Read and check the workbook, then plan the reminders due `today`. InputError when the
    workbook cannot be used; GenError when `only` names a student absent from it. A form the
    last `gen collect` found incomplete (its retours.xlsx, recorded in the workbook, beside
    it, else under `output`: `find_retours`) gets its own reminder."""
    incomplete = incomplete_returns(find_retours(cohort, output))
    report = check(read_cohort(cohort), today, incomplete=incomplete)
    rows = select_rows(report.cohort.rows, only)
    # An absent column reads as empty cells: every student would be reminded of it.
    absent = absent_columns(report.cohort)
    lacking = absent & WORKFLOW_KEYS
    if lacking:
        raise InputError(missing_columns(report.cohort, lacking, Severity.ERROR)[0])
    wanted = list(reasons) or list(REASON_KEYS)
    notes = []
    of_pieces = [reason for reason in wanted if REASONS[reason].lists_pieces]
    if absent & PIECE_KEYS and of_pieces:
        wanted = [reason for reason in wanted if reason not in of_pieces]
        notes += [finding.message for finding in missing_columns(
            report.cohort, absent & PIECE_KEYS,
            consequence="pas de relance « " + ", ".join(of_pieces) + " »")]
    if INCOMPLETE_EVALUATION in wanted and EVALUATION not in wanted:
        wanted.append(EVALUATION)  # the incomplete reminder replaces an evaluation one
    result = plan(rows, report.derived, today, report.findings, reasons=wanted, force=force,
                  incomplete=incomplete)
    if reasons and EVALUATION not in reasons:
        result.reminders = [r for r in result.reminders if r.reason != EVALUATION]
    result.notes.extend(notes)
    # the reading's, not the check's: a parameter or a column of the documents concerns no
    # reminder (the reminders' own columns are checked above)
    result.file_findings = [finding for finding in report.cohort.findings if finding.row is None]
    return report.cohort.params, result


def plan_warnings(plan: Plan) -> list[str]:
    """What the plan leaves out, and why, in French lines (for stderr)."""
    lines = [f"Attention : {note}" for note in plan.notes]
    lines += [f"Ligne {skip.row.row_number} ({skip.row.student}) : relance « {skip.reason} » "
              f"non préparée : {skip.message}" for skip in plan.skipped]
    return lines


# What the plan says of a reminder, from its last journal line.
JOURNAL_STATUS = {SENT: "déjà envoyée", PENDING: "incertaine (non renvoyée sans --resend)",
                  FAILED: "refusée (non renvoyée sans --resend)", DEFERRED: "à réessayer"}


def journal_path(output: Path) -> Path:
    return Path(output) / FOLDER / JOURNAL


def plan_table(plan: Plan, journal: Journal | None = None) -> list[dict[str, str]]:
    """The plan as rows of French columns, for the terminal."""
    table = []
    # the points that share a letter (one per recipient and student): each names the others
    shared = {id(point): notice for notice in notices(plan.reminders) for point in notice.points
              if len(notice.points) > 1}
    for reminder in plan.reminders:
        recipient = reminder.recipient
        details = list(reminder.missing_pieces) or [
            f"{REASON_LABELS[r]} à faire d'abord" for r in reminder.prerequisites]
        last = None  # the journal's last status for this reminder
        if journal is not None and recipient.email:
            last = journal.status(reminder.identity)
        status = "" if last is None else JOURNAL_STATUS[last]
        table.append({
            "Ligne": str(reminder.row.row_number),
            "Auditeur": f"{reminder.student} {reminder.row.full_name}".strip(),
            "Destinataire": f"{recipient.display} ({recipient.role_word})",
            "Courriel": recipient.email or "— (lettre seule)",
            "Motif": REASON_LABELS[reminder.reason],
            "Échéance": format_date(reminder.deadline),
            "Délai": delay_text(reminder.days),
            "Détail": format_list(details),
            "Envoi": status,
            "Lettre": (f"une seule lettre pour {_labels(shared[id(reminder)])}"
                       if id(reminder) in shared else ""),
        })
    return table


def plan_text(rows: Sequence[dict[str, str]], width: int = 80) -> str:
    """The plan for a terminal `width` columns wide (80: a small one): per reminder a short
    heading line (row, student, motif), then its facts each wrapped whole beneath — never a
    table whose narrow columns would cut an address. An empty plan says so."""
    if not rows:
        return "Aucune relance à faire."
    blocks = []
    for row in rows:
        lines = textwrap.wrap(f"Ligne {row['Ligne']} — {row['Auditeur']} — {row['Motif']}",
                              width, subsequent_indent="  ", break_long_words=False,
                              break_on_hyphens=False)
        for label in ("Destinataire", "Courriel", "Échéance", "Détail", "Lettre", "Envoi"):
            value = row[label]
            if label == "Échéance":
                value = f"{value} ({row['Délai']})"
            if value:
                lines += textwrap.wrap(f"{label} : {value}", width, initial_indent="  ",
                                       subsequent_indent="    ", break_long_words=False,
                                       break_on_hyphens=False)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def produce(plan: Plan, params: Params, templates: Path | None, output: Path, *,
            emails: bool = False, smtp: SmtpSettings | None = None, resend: bool = False,
            progress: Progress | None = None, now: dt.datetime | None = None) -> Outcome:
    """Write the letters, one per recipient and student listing every point due
    (`plan.notices`), and the combined one; with `emails` the .eml drafts; with `smtp` send
    the messages (journaled point by point), writing each one sent or tried as a .eml.
    `templates` None: the program's own."""
    folder = Path(output) / FOLDER
    outcome = Outcome(folder)

    def step(stage: str) -> Callable[[int, int], None] | None:
        return progress(stage) if progress else None

    prepared = ensure_templates(templates, {reminder.reason for reminder in plan.reminders})
    outcome.letters = write_letters(notices(plan.reminders), params, prepared,
                                    folder / LETTERS, step("Lettres"))
    outcome.combined = combine_letters(outcome.letters, folder / COMBINED_NAME)
    outcome.set_aside += _tidy(folder / LETTERS, [letter.path for letter in outcome.letters])
    if not emails and smtp is None:
        return outcome
    names = NameAllocator()
    if smtp is None:
        for item in _messages(outcome, [(letter.notice, letter) for letter in outcome.letters],
                              params, prepared, now):
            path = folder / EMAILS / f"{names.allocate(reminder_stem(item.notice))}.eml"
            outcome.emls.append(write_eml(path, item.message, draft=True))
        outcome.set_aside += _tidy(folder / EMAILS, outcome.emls)
        return outcome
    with lock(folder / JOURNAL):
        journal = Journal(folder / JOURNAL)
        parts = [(part, letter) for letter in outcome.letters
                 for part in ([letter.notice] if resend else _unsent(letter.notice, journal))]
        outgoing = _messages(outcome, parts, params, prepared, now)
        report = send_all(outgoing, smtp, journal, resend=resend, progress=step("Envoi"))
    stems = {id(item): names.allocate(reminder_stem(item.notice)) for item in outgoing}
    tried = report.sent + report.uncertain + [item for item, _why in
                                              report.failed + report.deferred]
    for item in tried:
        outcome.emls.append(write_eml(folder / EMAILS / f"{stems[id(item)]}.eml", item.message))
    for item in report.already_sent:  # a run killed before writing its copy: written now
        path = folder / EMAILS / f"{stems[id(item)]}.eml"
        if not path.exists():
            outcome.emls.append(write_eml(path, _as_sent(item.message, journal, item)))
    outcome.sending = report
    outcome.set_aside += _tidy(folder / EMAILS, outcome.emls)
    return outcome


def _tidy(folder: Path, produced: Sequence[Path]) -> list[Path]:
    """Move into `<folder>/anciens/` each letter (and its PDF) or draft message this run did
    not write, so that nothing left there looks due (a form since recorded, a reminder whose
    reason changed). A message as sent (no `X-Unsent` header) stays: with journal.csv it is
    the record of what went out. The moved files' new paths."""
    if not folder.is_dir():
        return []
    earlier = {path.name: "" for path in folder.iterdir()
               if (path.suffix == ".docx" or path.suffix == ".eml" and _draft(path))}
    return set_aside(folder, earlier, (path.name for path in produced))


def _draft(path: Path) -> bool:
    """A .eml written by --eml, not sent (`mail.eml_bytes` marks drafts `X-Unsent: 1`)."""
    try:
        with path.open("rb") as stream:
            headers = BytesHeaderParser().parse(stream)
    except OSError:
        return False
    return headers.get("X-Unsent", "").strip() == "1"


def _unsent(notice: Notice, journal: Journal) -> list[Notice]:
    """A letter's points split by what the journal holds of each (sent, uncertain, refused,
    to send): a point already sent is never sent again, and one message goes per part, each
    worded by its own lead (`plan.notices`). A letter whose points share one status stays
    whole."""
    by_status: dict[str | None, list[Reminder]] = {}
    for point in notice.points:
        status = journal.status(point.identity)
        by_status.setdefault(None if status == DEFERRED else status, []).append(point)
    if len(by_status) == 1:
        return [notice]
    return [part for points in by_status.values() for part in notices(points)]


def _as_sent(message: EmailMessage, journal: Journal, item: Outgoing) -> EmailMessage:
    """The message dated as the journal says it was sent (its date, when readable)."""
    entry = journal.last(item.notice.identities[0])
    try:
        sent_at = dt.datetime.fromisoformat(entry.date) if entry else None
    except ValueError:
        sent_at = None
    if sent_at is not None and sent_at.tzinfo is not None:
        message.replace_header("Date", format_datetime(sent_at))
    return message


def _messages(outcome: Outcome, parts: Sequence[tuple[Notice, Letter]], params: Params,
              prepared: Mapping[str, Template], now: dt.datetime | None) -> list[Outgoing]:
    """One message per notice, worded by its letter (`parts`: each notice and the letter it
    comes from; a notice that is only part of its letter gets its own wording, rendered)."""
    outgoing = []
    sender_setting = (f"paramètre « Courriel référent stage » "
                      f"{where_parameters_are_set(params)}")
    for notice, letter in parts:
        if not notice.recipient.email:
            if notice is letter.notice:
                outcome.without_email.append(notice)
            continue
        name, data, form = letter.path.name, letter.data, letter.form
        if notice is not letter.notice:
            name = safe_name(reminder_stem(notice)) + ".docx"
            data, form = render_letter(notice, params, prepared)
        extra: Sequence[Attachment] = ()
        if form is not None:
            extra = (Attachment(safe_name(reminder_stem(notice, "fiche-evaluation"))
                                + ".docx", form),)
        try:
            message = compose(notice, Attachment(name, data), params, extra, now)
        except (ValueError, MessageError) as error:  # one row's message, not the batch
            outcome.unsendable.append((notice, str(error)))
            continue
        outgoing.append(Outgoing(notice, message, sender_setting))
    return outgoing


def letters_pdf(outcome: Outcome) -> list[PdfResult]:
    """A PDF beside each letter, and the combined one made of its letters' and forms' own
    PDFs (each numbering its pages): the letters and the forms they enclose converted once,
    in one LibreOffice run, the combined file made of those PDFs; the result of each letter's
    PDF then the combined one's (a failure's French reason in its `error`)."""
    letters = [letter.path for letter in outcome.letters]
    with work_folder("relances") as scratch:
        parts = letter_parts(outcome.letters, Path(scratch)) if outcome.combined else []
        converted = convert([*letters, *(part for part in parts if part not in letters)])
        results = converted[:len(letters)]
        if outcome.combined is not None:
            results += combined_pdfs([(parts, outcome.combined)], converted=converted)
    return results


def summary(outcome: Outcome, converted: Sequence[PdfResult] | None = None
            ) -> list[tuple[str, bool]]:
    """What was done, in French lines; True marks a problem (for stderr). `converted`: the
    PDFs of a run with --pdf, said in the document commands' words (« PDF : 3 sur 3
    produits »)."""
    lines: list[tuple[str, bool]] = []
    count = len(outcome.letters)
    lines.append((f"{count} lettre{'s' if count > 1 else ''} écrite{'s' if count > 1 else ''} "
                  f"dans {outcome.folder / LETTERS}", False))
    if outcome.combined is not None:
        lines.append((f"Lettres à imprimer en une fois : {outcome.combined}", False))
    if converted is not None:
        lines += summary_lines(converted)
    for suffix, word, moved in ((".docx", "lettre", "déplacée"), (".eml", "courriel", "déplacé")):
        paths = [path for path in outcome.set_aside if path.suffix == suffix]
        if paths:
            lines.append((f"{format_count(len(paths), word)} {moved}{'s' if len(paths) > 1 else ''}"
                          f" dans {paths[0].parent} (relances qui ne sont plus à faire)", False))
    for notice, why in outcome.unsendable:
        lines.append((f"Courriel impossible à préparer pour {notice.recipient.display} "
                      f"({notice.student}, relance {_labels(notice)}) : "
                      f"{why}. La lettre est écrite.", True))
    for notice in outcome.without_email:
        lines.append((f"Pas d'adresse électronique pour {notice.recipient.display} "
                      f"({notice.student}, relance {_labels(notice)}) : "
                      "lettre seule.",
                      True))
    report = outcome.sending
    if report is None:
        if outcome.emls:
            ready = len(outcome.emls)
            lines.append((f"{format_count(ready, 'courriel')} prêt{'s' if ready > 1 else ''} "
                          f"à envoyer dans {outcome.folder / EMAILS}", False))
        return lines
    lines.append((f"Courriels envoyés : {len(report.sent)} ; déjà envoyés (non renvoyés) : "
                  f"{len(report.already_sent)} ; refusés : {len(report.failed)} ; à réessayer : "
                  f"{len(report.deferred)} ; incertains : "
                  f"{len(report.uncertain) + sum(s == PENDING for _i, s in report.held)}",
                  False))
    for item, why in report.failed:
        lines.append((f"Refusé par le serveur : {_who(item)} : {why}. Corrigez l'adresse dans "
                      f"le classeur, puis relancez avec {_resend(item)}.", True))
    for item, why in report.deferred:
        lines.append((f"Refus temporaire du serveur : {_who(item)} : {why}. Le prochain "
                      "lancement de la commande réessaiera.", True))
    for item in report.uncertain:
        lines.append((f"Envoi incertain : {_who(item)} : le message a été transmis mais le "
                      "serveur n'a pas confirmé sa réception ; il n'est pas renvoyé. Vérifiez "
                      f"auprès du destinataire, puis, s'il ne l'a pas reçu : {_resend(item)}.",
                      True))
    for item, status in report.held:
        held = ("envoi incertain lors d'un lancement précédent" if status == PENDING
                else "refusé par le serveur lors d'un lancement précédent")
        lines.append((f"Non renvoyé ({held}) : {_who(item)}. Pour le renvoyer : "
                      f"{_resend(item)}.", True))
    if report.interruption:
        left = len(report.not_sent)
        them = "les envoyer" if left > 1 else "l'envoyer"
        lines.append((f"Envoi interrompu : {report.interruption}. "
                      f"{format_count(left, 'courriel')} non envoyé{'s' if left > 1 else ''} ; "
                      f"relancez la commande pour {them} (le journal évite tout doublon).",
                      True))
    lines.append((f"Journal : {outcome.folder / JOURNAL}", False))
    return lines


def _who(item: Outgoing) -> str:
    notice = item.notice
    return f"{notice.recipient.email} ({notice.student}, {_labels(notice)})"


def _labels(notice: Notice) -> str:
    """« convention de stage » + « pièces du dossier de convention », each kept on one line
    (no-break spaces inside the quotes, as French typography has it)."""
    return " + ".join(f"«\u00a0{REASON_LABELS[reason]}\u00a0»" for reason in notice.reasons)


def _resend(item: Outgoing) -> str:
    reasons = " ".join(f"--reason {REASON_WORDS[reason]}" for reason in item.notice.reasons)
    return f"gen reminders … --send --resend --only {item.notice.student} {reasons}"
