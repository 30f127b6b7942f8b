"""The catalogue of finding codes (rules.md): for each code its severities, a short French
title and what to do. The order is rules.md's: within a row and a severity, `check` lists
findings in this order. A rule is registered with its code (`rules.registry.rule`); a test
keeps every registered code, and every code the reader raises, in this catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.findings import Severity

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


@dataclass(frozen=True)
class Code:
    code: str
    severities: tuple[Severity, ...]  # the first is the usual one
    title: str  # French, a few words
    todo: str  # French: what the team does about it


def _codes(*codes: Code) -> dict[str, Code]:
    return {code.code: code for code in codes}


CODES: dict[str, Code] = _codes(
    # The whole file cannot be used (exit status 2), or part of it is ignored.
    Code("FILE-UNREADABLE", (ERROR,), "Fichier illisible",
         "Enregistrer le classeur au format .xlsx, sans mot de passe, puis relancer."),
    Code("FILE-NO-SHEET", (ERROR,), "Feuille « Cohorte » introuvable",
         "Renommer en « Cohorte » la feuille des auditeurs."),
    Code("FILE-NO-HEADER", (ERROR,), "Ligne d'en-têtes introuvable",
         "Remettre la ligne d'en-têtes (dont « N° auditeur ») dans les 10 premières lignes."),
    Code("FILE-MISSING-COLUMN", (ERROR, WARNING), "Colonne absente",
         "Ajouter la colonne avec l'en-tête attendu."),
    Code("FILE-DUPLICATE-COLUMN", (ERROR,), "Colonne en double",
         "Garder une seule colonne de ce nom."),
    Code("FILE-BAD-PARAMETER", (ERROR,), "Paramètre invalide",
         "Corriger la valeur dans la feuille « Paramètres », ou la vider."),
    Code("FILE-PARAMETER-RAISED", (WARNING,), "Paramètre sous le minimum légal",
         "Vider la cellule ou indiquer un montant au moins égal au minimum légal."),
    Code("FILE-MISSING-PARAMETER", (WARNING,), "Paramètre à renseigner",
         "Renseigner le paramètre dans la feuille « Paramètres »."),
    Code("FILE-UNKNOWN-COLUMN", (INFO,), "Colonne non reconnue",
         "Rien à faire si la colonne est à l'équipe ; sinon corriger son en-tête."),
    Code("FILE-MERGED-CELLS", (INFO,), "Cellules fusionnées",
         "Vérifier que la valeur fusionnée vaut pour chaque ligne ; sinon défusionner."),
    Code("FILE-NOT-STUDENTS", (INFO,), "Lignes qui ne sont pas des auditeurs",
         "Rien à faire pour un total ; pour un auditeur, renseigner son N° auditeur."),
    Code("FILE-ENCODING", (INFO,), "Encodage du fichier CSV",
         "Enregistrer le fichier en « CSV UTF-8 » depuis Excel ou LibreOffice."),
    Code("ROW-HIDDEN", (INFO,), "Ligne masquée",
         "Rien : la ligne est contrôlée ; l'afficher pour la voir."),
    # Cells.
    Code("CELL-REQUIRED", (ERROR,), "Cellule obligatoire vide",
         "Renseigner la cellule (ou enregistrer le classeur dans Excel si c'est une formule)."),
    Code("CELL-DATE", (ERROR,), "Date illisible", "Écrire la date en jj/mm/aaaa."),
    Code("CELL-NUMBER", (ERROR,), "Nombre illisible", "Écrire un nombre positif."),
    Code("CELL-CHOICE", (ERROR,), "Valeur non prévue",
         "Choisir une valeur de la liste déroulante."),
    Code("CELL-EMAIL", (ERROR,), "Adresse électronique invalide", "Corriger l'adresse."),
    Code("CELL-PHONE", (WARNING,), "Téléphone invalide", "Écrire un numéro à 10 chiffres."),
    Code("CELL-POSTCODE", (ERROR,), "Code postal invalide", "Écrire les 5 chiffres."),
    Code("CELL-SIRET", (ERROR,), "SIRET invalide",
         "Recopier le SIRET depuis un document de la structure."),
    # Rows.
    Code("STUDENT-DUPLICATE", (ERROR,), "Auditeur en double",
         "Garder une seule ligne par auditeur."),
    Code("STAGE-EXEMPT", (INFO,), "Dispensé de stage", "Rien : aucun document n'est produit."),
    Code("STAGE-OPTIONAL", (WARNING,), "Stage facultatif",
         "Vérifier que l'auditeur dispensé fait bien un stage."),
    Code("STAGE-NO-STRUCTURE", (INFO, WARNING), "Pas encore de structure d'accueil",
         "Faire le point avec l'auditeur sur sa recherche."),
    Code("STAGE-EXPERIENCE-UNPROVEN", (WARNING,), "Expérience non attestée",
         "Demander le justificatif, puis écrire « oui »."),
    Code("STAGE-HOURS", (ERROR, WARNING), "Durée du stage",
         "Porter la durée totale aux heures requises."),
    Code("STAGE-DATES", (ERROR,), "Dates du stage incohérentes",
         "Corriger la date de début ou de fin."),
    Code("STAGE-WEEKLY-HOURS", (ERROR, WARNING), "Heures par semaine",
         "Ramener les heures par semaine sous le maximum légal."),
    Code("STAGE-CALENDAR", (ERROR,), "Calendrier insuffisant",
         "Reporter la date de fin ou augmenter les heures par semaine."),
    Code("STAGE-FULL-TIME", (WARNING,), "Durée d'un temps plein",
         "Vérifier la date de fin ou les heures par semaine."),
    Code("STAGE-PUBLIC-HOLIDAY", (WARNING,), "Début un jour non travaillé",
         "Vérifier la date de début avec la structure."),
    Code("STAGE-TUTOR", (ERROR, WARNING), "Tuteur incomplet",
         "Indiquer le nom, la fonction et l'adresse électronique du tuteur."),
    Code("STAGE-COLLECTIVE-ACTION", (ERROR,), "Action collective manquante",
         "Décrire l'action collective d'insertion soutenue par la structure."),
    Code("STAGE-GRATIFICATION", (WARNING, ERROR), "Gratification",
         "Indiquer la gratification horaire prévue (au moins le minimum légal)."),
    Code("WORKFLOW-ORDER", (ERROR,), "Dates du dossier dans le désordre",
         "Vérifier les dates de définition, d'accord, de convention et d'évaluation."),
    Code("WORKFLOW-NO-APPROVAL", (ERROR,), "Convention sans accord pédagogique",
         "Indiquer la date de l'accord pédagogique."),
    Code("CONVENTION-DEADLINE", (ERROR, WARNING), "Délai de la convention",
         "Faire établir la convention, ou reporter le début du stage."),
    Code("CONVENTION-PIECES", (WARNING, ERROR), "Pièces du dossier de convention",
         "Obtenir les pièces manquantes pour la scolarité."),
    Code("CONVENTION-REFERENT", (ERROR,), "Enseignant référent manquant",
         "Renseigner l'enseignant référent de la ligne, ou le paramètre « Responsable du "
         "tutorat »."),
    Code("EVALUATION-DUE", (WARNING,), "Évaluation attendue", "Relancer le tuteur."),
    Code("EVALUATION-EARLY", (WARNING,), "Évaluation reçue avant la fin",
         "Vérifier la date de réception."),
    Code("DEGREE-PENDING", (INFO,), "Décision du jury à reporter",
         "Reporter la décision (oui ou non) quand elle est connue."),
    Code("ATTESTATION-HOURS", (WARNING,), "Heures effectuées sous les heures requises",
         "Voir avec la coordinatrice avant l'attestation de stage."),
    Code("ATTESTATION-GRATIFICATION", (WARNING,), "Gratification totale",
         "Vérifier le montant total versé avec la structure d'accueil."),
)
RANK: dict[str, int] = {code: index for index, code in enumerate(CODES)}
