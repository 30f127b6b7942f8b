"""The catalogue of finding codes (rules.md): for each code its severities, a short French
title and what to do. The order is rules.md's: within a row and a severity, `check` lists
findings in this order. A rule is registered with its code (`rules.registry.rule`); a test
keeps every registered code, and every code the reader raises, in this catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.findings import Severity

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
# A CSV cohort has no room for the sheet (its messages say so: `params.where_parameters_are_set`)
_NO_SHEET_IN_CSV = ("une cohorte en CSV n'en a pas et prend les valeurs par défaut : la "
                    "reprendre dans un classeur créé par gen init")


@dataclass(frozen=True)
class Code:
    code: str
    severities: tuple[Severity, ...]  # the first is the usual one
    title: str  # French, a few words
    todo: str  # French: what the team does about it
    # the facts (`Finding.facts`) every finding of the code carries: the numbers, dates and
    # names its message quotes (a finding may carry more, by case)
    facts: tuple[str, ...] = ()


def _codes(*codes: Code) -> dict[str, Code]:
    return {code.code: code for code in codes}


CODES: dict[str, Code] = _codes(
    # The whole file cannot be used (exit status 2), or part of it is ignored.
    Code("FILE-UNREADABLE", (ERROR,), "Fichier illisible",
         "Enregistrer le classeur au format .xlsx, sans mot de passe, puis relancer.",
         facts=("file",)),
    Code("FILE-NO-SHEET", (ERROR,), "Feuille « Cohorte » introuvable",
         "Renommer en « Cohorte » la feuille des auditeurs.",
         facts=("file", "sheets")),
    Code("FILE-NO-HEADER", (ERROR,), "Ligne d'en-têtes introuvable",
         "Remettre la ligne d'en-têtes (dont « N° auditeur ») dans les 10 premières lignes.",
         facts=("sheet", "rows_searched", "known_headers_needed")),
    Code("FILE-MISSING-COLUMN", (ERROR, WARNING), "Colonne absente",
         "Ajouter la colonne avec l'en-tête attendu.",
         facts=("missing_columns",)),
    Code("FILE-DUPLICATE-COLUMN", (ERROR,), "Colonne en double",
         "Garder une seule colonne de ce nom.",
         facts=("sheet", "header_row", "headers", "column_letters")),
    Code("FILE-BAD-PARAMETER", (ERROR,), "Paramètre invalide",
         "Corriger la valeur dans la feuille « Paramètres », ou la vider.",
         facts=("sheet", "parameters", "sheet_rows")),
    Code("FILE-PARAMETER-RAISED", (WARNING,), "Paramètre sous le minimum légal",
         "Vider la cellule ou indiquer un montant au moins égal au minimum légal.",
         facts=("parameter_value", "legal_minimum")),
    Code("FILE-MISSING-PARAMETER", (WARNING,), "Paramètre à renseigner",
         f"Renseigner le paramètre dans la feuille « Paramètres » ({_NO_SHEET_IN_CSV}).",
         facts=("parameter",)),
    Code("FILE-UNKNOWN-COLUMN", (INFO,), "Colonne non reconnue",
         "Rien à faire si la colonne est à l'équipe ; sinon corriger son en-tête.",
         facts=("header", "column_letter")),
    Code("FILE-MERGED-CELLS", (INFO,), "Cellules fusionnées",
         "Vérifier que la valeur fusionnée vaut pour chaque ligne ; sinon défusionner.",
         facts=("first_row", "last_row", "columns")),
    Code("FILE-NOT-STUDENTS", (INFO,), "Lignes qui ne sont pas des auditeurs",
         "Rien à faire pour un total ; pour un auditeur, renseigner son N° auditeur.",
         facts=("rows", "totals")),
    Code("FILE-ENCODING", (INFO,), "Encodage du fichier CSV",
         "Enregistrer le fichier en « CSV UTF-8 » depuis Excel ou LibreOffice.",
         facts=("file", "encoding")),
    Code("ROW-HIDDEN", (INFO,), "Ligne masquée",
         "Rien : la ligne est contrôlée ; l'afficher pour la voir."),
    # Cells.
    Code("CELL-REQUIRED", (ERROR,), "Cellule obligatoire vide",
         "Renseigner la cellule (ou enregistrer le classeur dans Excel si c'est une formule).",
         facts=("formula",)),
    Code("CELL-DATE", (ERROR,), "Date illisible", "Écrire la date en jj/mm/aaaa.",
         facts=("expected",)),
    Code("CELL-NUMBER", (ERROR,), "Nombre illisible", "Écrire un nombre positif.",
         facts=("expected",)),
    Code("CELL-CHOICE", (ERROR,), "Valeur non prévue",
         "Choisir une valeur de la liste déroulante.",
         facts=("expected",)),
    Code("CELL-EMAIL", (ERROR,), "Adresse électronique invalide", "Corriger l'adresse.",
         facts=("expected",)),
    Code("CELL-PHONE", (WARNING,), "Téléphone invalide", "Écrire un numéro à 10 chiffres.",
         facts=("expected",)),
    Code("CELL-POSTCODE", (ERROR,), "Code postal invalide", "Écrire les 5 chiffres.",
         facts=("expected",)),
    Code("CELL-SIRET", (ERROR,), "SIRET invalide",
         "Recopier le SIRET depuis un document de la structure.",
         facts=("expected",)),
    # Rows.
    Code("STUDENT-DUPLICATE", (ERROR,), "Auditeur en double",
         "Garder une seule ligne par auditeur.",
         facts=("numero_auditeur", "other_rows")),
    Code("STAGE-EXEMPT", (INFO,), "Dispensé de stage", "Rien : aucun document n'est produit.",
         facts=("experience_months", "threshold_months")),
    Code("STAGE-OPTIONAL", (WARNING,), "Stage facultatif",
         "Vérifier que l'auditeur dispensé fait bien un stage.",
         facts=("experience_months", "structure")),
    Code("STAGE-NO-STRUCTURE", (INFO, WARNING), "Pas encore de structure d'accueil",
         "Faire le point avec l'auditeur sur sa recherche.",
         facts=("search_limit",)),
    Code("STAGE-EXPERIENCE-UNPROVEN", (WARNING,), "Expérience non attestée",
         "Demander le justificatif, puis écrire « oui ».",
         facts=("experience_months", "threshold_months")),
    Code("STAGE-HOURS", (ERROR, WARNING), "Durée du stage",
         "Porter la durée totale aux heures requises.",
         facts=("hours", "required_hours")),
    Code("STAGE-DATES", (ERROR,), "Dates du stage incohérentes",
         "Corriger la date de début ou de fin.",
         facts=("start", "end")),
    Code("STAGE-WEEKLY-HOURS", (ERROR, WARNING), "Heures par semaine",
         "Ramener les heures par semaine sous le maximum légal.",
         facts=("weekly_hours", "legal_max_hours", "full_time_hours")),
    Code("STAGE-CALENDAR", (ERROR,), "Calendrier insuffisant",
         "Reporter la date de fin ou augmenter les heures par semaine.",
         facts=("start", "end", "hours", "weekly_hours", "presence_days", "hours_per_day",
                "hours_reachable", "earliest_end")),
    Code("STAGE-FULL-TIME", (WARNING,), "Durée d'un temps plein",
         "Vérifier la date de fin ou les heures par semaine.",
         facts=("expected_end", "end", "gap_days", "months", "weekly_hours")),
    Code("STAGE-PUBLIC-HOLIDAY", (WARNING,), "Début un jour non travaillé",
         "Vérifier la date de début avec la structure.",
         facts=("start", "holiday")),
    Code("STAGE-TUTOR", (ERROR, WARNING), "Tuteur incomplet",
         "Indiquer le nom, la fonction et l'adresse électronique du tuteur.",
         facts=("missing",)),
    Code("STAGE-COLLECTIVE-ACTION", (ERROR,), "Action collective manquante",
         "Décrire l'action collective d'insertion soutenue par la structure."),
    Code("STAGE-GRATIFICATION", (WARNING, ERROR), "Gratification",
         "Indiquer la gratification horaire prévue (au moins le minimum légal).",
         facts=("hours", "threshold_hours", "minimum", "minimum_on", "amount")),
    Code("WORKFLOW-ORDER", (ERROR,), "Dates du dossier dans le désordre",
         "Vérifier les dates de définition, d'accord, de convention et d'évaluation."),
    Code("WORKFLOW-NO-APPROVAL", (ERROR,), "Convention sans accord pédagogique",
         "Indiquer la date de l'accord pédagogique.",
         facts=("date_convention",)),
    Code("CONVENTION-DEADLINE", (ERROR, WARNING), "Délai de la convention",
         "Faire établir la convention, ou reporter le début du stage.",
         facts=("date_convention", "deadline", "delay_days", "start")),
    Code("CONVENTION-PIECES", (WARNING, ERROR), "Pièces du dossier de convention",
         "Obtenir les pièces manquantes pour la scolarité.",
         facts=("date_convention", "deadline", "missing_pieces")),
    Code("CONVENTION-REFERENT", (ERROR,), "Enseignant référent manquant",
         "Renseigner l'enseignant référent de la ligne, ou le paramètre « Responsable du "
         f"tutorat » dans la feuille « Paramètres » ({_NO_SHEET_IN_CSV})."),
    Code("EVALUATION-DUE", (WARNING,), "Évaluation attendue", "Relancer le tuteur.",
         facts=("end", "tutor", "tutor_email")),
    Code("EVALUATION-EARLY", (WARNING,), "Évaluation reçue avant la fin",
         "Vérifier la date de réception.",
         facts=("date_evaluation", "end")),
    Code("DEGREE-PENDING", (INFO,), "Décision du jury à reporter",
         "Reporter la décision (oui ou non) quand elle est connue.",
         facts=("date_evaluation",)),
    Code("ATTESTATION-HOURS", (WARNING,), "Heures effectuées sous les heures requises",
         "Voir avec la coordinatrice avant l'attestation de stage.",
         facts=("hours_done", "required_hours")),
    Code("ATTESTATION-GRATIFICATION", (WARNING,), "Gratification totale",
         "Vérifier le montant total versé avec la structure d'accueil.",
         facts=("hours_done", "amount", "minimum")),
)
RANK: dict[str, int] = {code: index for index, code in enumerate(CODES)}
