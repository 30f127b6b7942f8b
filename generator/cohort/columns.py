"""The header table of cohort.md: each column's key, French label and type; which documents
need it filled follows from the document kinds' fields (process.py)."""

from __future__ import annotations

from dataclasses import dataclass

from generator.process import DOCUMENT_KINDS, IDENTITY_FIELDS


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    type: str  # text, civilite, email, phone, modalite, int, bool, date, number, postcode, siret
    required_for: frozenset[str] = frozenset()  # the document kinds that need it filled
    help: str = ""  # one French sentence for the "Mode d'emploi" sheet

    @property
    def identity(self) -> bool:
        return self.key in IDENTITY_FIELDS


def _c(key: str, label: str, type_: str, help_: str) -> Column:
    required = frozenset(kind.key for kind in DOCUMENT_KINDS
                         if key in kind.needs and kind.follows is None)
    return Column(key, label, type_, required, help_)


COLUMNS: tuple[Column, ...] = (
    _c("numero_auditeur", "N° auditeur", "text",
       "Numéro d'auditeur Cnam, unique dans le classeur."),
    _c("civilite", "Civilité", "civilite", "M. ou Mme."),
    _c("nom", "Nom", "text", "Nom de famille de l'auditeur."),
    _c("prenom", "Prénom", "text", "Prénom de l'auditeur."),
    _c("email", "Courriel", "email", "Adresse électronique de l'auditeur."),
    _c("telephone", "Téléphone", "phone", "Numéro de téléphone (facultatif)."),
    _c("adresse", "Adresse", "text",
       "Adresse postale (plusieurs lignes possibles avec Alt+Entrée) pour les courriers."),
    _c("modalite", "Modalité", "modalite", "cours du soir ou cours du jour."),
    _c("experience_mois", "Expérience insertion (mois)", "int",
       "Mois d'expérience professionnelle dans l'insertion (vide = 0)."),
    _c("experience_attestee", "Expérience attestée", "bool",
       "oui si l'expérience est attestée par un justificatif."),
    _c("memoire_sur_stage", "Mémoire sur le stage", "bool",
       "oui si le stage sert de support au mémoire professionnel."),
    _c("structure_nom", "Structure d'accueil", "text",
       "Nom de la structure qui accueille le stagiaire."),
    _c("structure_type", "Type de structure", "text",
       "Association, CHRS, SIAE, mission locale…"),
    _c("structure_adresse", "Adresse structure", "text", "Adresse postale de la structure."),
    _c("structure_code_postal", "Code postal structure", "postcode", "5 chiffres."),
    _c("structure_ville", "Ville structure", "text", "Commune de la structure."),
    _c("structure_siret", "SIRET structure", "siret",
       "14 chiffres (les espaces sont acceptés)."),
    _c("structure_representant", "Représentant structure", "text",
       "Personne qui signe la convention pour la structure."),
    _c("structure_representant_fonction", "Fonction représentant", "text",
       "Fonction du signataire (directrice, président…)."),
    _c("action_collective", "Action collective", "text",
       "Le projet ou l'action collective d'insertion que le stage soutient."),
    _c("tuteur_civilite", "Civilité tuteur", "civilite", "M. ou Mme."),
    _c("tuteur_nom", "Nom tuteur", "text", "Nom du tuteur."),
    _c("tuteur_prenom", "Prénom tuteur", "text", "Prénom du tuteur."),
    _c("tuteur_fonction", "Fonction tuteur", "text",
       "Fonction du tuteur dans la structure."),
    _c("tuteur_email", "Courriel tuteur", "email",
       "Adresse électronique du tuteur."),
    _c("tuteur_telephone", "Téléphone tuteur", "phone", "Numéro du tuteur (facultatif)."),
    _c("date_debut", "Date de début", "date",
       "Premier jour du stage (jj/mm/aaaa)."),
    _c("date_fin", "Date de fin", "date",
       "Dernier jour du stage (jj/mm/aaaa)."),
    _c("heures_total", "Heures totales", "number",
       "Durée totale du stage en heures (560 requises)."),
    _c("heures_hebdo", "Heures par semaine", "number",
       "Heures de présence par semaine (35 = temps plein)."),
    _c("jours_presence", "Jours de présence", "text",
       "Jours de présence pour un temps partiel, par exemple « lundi, mardi »."),
    _c("gratification_horaire", "Gratification horaire (€)", "number",
       "Montant horaire de la gratification en euros (minimum légal au-delà de 308 heures)."),
    _c("objectifs", "Objectifs", "text",
       "Objectifs du stage, un par ligne (Alt+Entrée)."),
    _c("activites", "Activités", "text",
       "Activités confiées, une par ligne (Alt+Entrée)."),
    _c("date_definition", "Définition remise le", "date",
       "Date de remise de la « définition du stage pratique » à la coordinatrice."),
    _c("date_accord", "Accord pédagogique le", "date",
       "Date de l'accord pédagogique de la coordinatrice."),
    _c("date_convention", "Convention établie le", "date",
       "Date à laquelle le dossier de convention est complet à la scolarité."),
    _c("exemplaires_convention", "Exemplaires convention", "int",
       "Nombre d'exemplaires de la convention remis (3 en cours du soir)."),
    _c("attestation_assurance", "Attestation assurance", "bool",
       "oui si l'attestation d'assurance responsabilité civile a été remise."),
    _c("carte_auditeur", "Carte d'auditeur", "bool",
       "oui si la copie de la carte d'auditeur a été remise."),
    _c("date_evaluation", "Évaluation reçue le", "date",
       "Date de retour de la fiche d'évaluation du tuteur."),
    _c("stage_valide", "Stage validé", "bool", "oui / non, ou vide en attente du jury."),
    _c("enseignant_referent", "Enseignant référent", "text",
       "Enseignant du Cnam qui suit le stagiaire (vide : le paramètre « Responsable du "
       "tutorat »)."),
    _c("enseignant_referent_email", "Courriel enseignant référent", "email",
       "Adresse de l'enseignant référent (vide : le paramètre « Courriel référent stage »)."),
    _c("heures_effectuees", "Heures effectuées", "number",
       "Heures de stage réellement effectuées (reportées par gen collect depuis la fiche "
       "d'évaluation, ou saisies) : nécessaires à l'attestation de stage."),
    _c("gratification_totale", "Gratification totale versée (€)", "number",
       "Montant total de la gratification versée pendant le stage, pour l'attestation de "
       "stage (vide : heures effectuées × gratification horaire, à vérifier)."),
    _c("structure_telephone", "Téléphone structure", "phone",
       "Numéro de la structure d'accueil, imprimé sur l'attestation de stage."),
    _c("date_naissance", "Date de naissance", "date",
       "Date de naissance de l'auditeur (facultatif : imprimée sur l'attestation si remplie)."),
    _c("cpam", "CPAM", "text",
       "Caisse primaire d'assurance maladie de l'auditeur (clause accident du travail)."),
    _c("conges_jours", "Jours de congé", "int",
       "Jours de congé convenus pendant le stage, imprimés dans la convention (article "
       "L124-13 du Code de l'éducation) ; vide : aucun jour de congé prévu."),
    _c("observations", "Observations", "text", "Texte libre, jamais contrôlé."),
)

BY_KEY: dict[str, Column] = {c.key: c for c in COLUMNS}
# The number columns that count hours (read to the minute) or euros (read to the cent): a
# stored 559.9999999999999 is 560 h, everywhere it is compared and printed.
UNITS: dict[str, str] = {"heures_total": "hours", "heures_hebdo": "hours",
                         "heures_effectuees": "hours", "gratification_horaire": "euros",
                         "gratification_totale": "euros"}
IDENTITY_KEYS: tuple[str, ...] = tuple(c.key for c in COLUMNS if c.identity)

