"""Build the sample cohort `data/cohorte-exemple.xlsx`: what `gen init` writes, filled with 30
fictitious students at every step of the process as of 28/11/2026.

    python data/build_sample.py [OUT.xlsx]

Everyone is fictitious: e-mail addresses end in example.org (reserved for examples), phone
numbers are in the ranges kept for fiction (01 99 00…, 06 39 98…), the SIRET numbers pass the
Luhn check but name no real establishment. Each internship can reach its 560 hours between its
dates (presence days, French public holidays excluded). Most rows are valid; the few mistakes
a team makes are marked `# mistake:` below, and tests/test_sample.py checks that `gen check`
finds exactly them. Some cells are typed as people type them and must be accepted: a date
written « 1er mars 2027 », phones with dots or +33, « Madame », « OUI », « lun/mar/jeu/ven ».
Rows whose internship ended before the autumn began it in the previous academic year (evening
classes spread the degree over two years); their Observations say so.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from generator.cohort.columns import COLUMNS
from generator.cohort.values import fold
from generator.workbook.files import save_atomically
from generator.workbook.guide import PARAMETERS_SHEET
from generator.workbook.starter import COHORT_SHEET, HEADER_ROW, LONG_TEXT_KEYS, starter_workbook
from generator.workbook.styles import TOP_WRAP, fit_row_height

OUTPUT = Path(__file__).resolve().parent / "cohorte-exemple.xlsx"
PARAMETERS = {"Coordinatrice de la licence": "Hélène Garnier",
              "Responsable du tutorat": "Marc Lefebvre",
              "Signataire de l'établissement": "Nathalie Perrot",
              "Fonction du signataire": "Directrice de l'École Management et société, par "
                                        "délégation de l'administrateur général",
              "Adresse de la scolarité": "Service de la scolarité, 2 rue Conté, 75003 Paris"}
# The student's health-insurance fund (work-accident clause), by the address's department.
CPAM = {"75": "CPAM de Paris", "91": "CPAM de l'Essonne", "92": "CPAM des Hauts-de-Seine",
        "93": "CPAM de la Seine-Saint-Denis", "94": "CPAM du Val-de-Marne",
        "95": "CPAM du Val-d'Oise"}
D = dt.date
SOIR, JOUR = "cours du soir", "cours du jour"


def _structure(nom: str, type_: str, adresse: str, code_postal: str, ville: str, siret: str,
               representant: str, fonction: str, action: str,
               tuteur: tuple[str, str, str, str], tuteur_telephone: str) -> dict[str, object]:
    civilite, prenom, nom_tuteur, fonction_tuteur = tuteur
    domain = fold(nom).replace("'", "").replace(" ", "-").replace("&", "et")
    return {
        "structure_nom": nom, "structure_type": type_, "structure_adresse": adresse,
        "structure_code_postal": code_postal, "structure_ville": ville,
        "structure_siret": siret, "structure_representant": representant,
        "structure_representant_fonction": fonction, "action_collective": action,
        "tuteur_civilite": civilite, "tuteur_prenom": prenom, "tuteur_nom": nom_tuteur,
        "tuteur_fonction": fonction_tuteur,
        "tuteur_email": f"{fold(prenom)[0]}.{fold(nom_tuteur)}@{domain}.example.org",
        "tuteur_telephone": tuteur_telephone,
        "structure_telephone": tuteur_telephone[:-2] + "00",  # the switchboard
    }


S = {
    "passerelles": _structure(
        "Passerelles pour l'emploi", "association intermédiaire (SIAE)", "27 rue Émile-Zola",
        "93100", "Montreuil", "82601815200015", "Catherine Lemoine", "Directrice",
        "Atelier collectif « Cap vers l'emploi » pour des demandeurs d'emploi de longue durée",
        ("Mme", "Sandrine", "Aubert", "Conseillère en insertion professionnelle"),
        "01 99 00 21 10"),
    "canal": _structure(
        "CHRS La Maison du Canal", "CHRS", "112 quai de la Loire", "75019", "Paris",
        "53016613100017", "Patrick Vidal", "Directeur",
        "Jardin partagé et ateliers cuisine avec les résidents",
        ("M.", "Youssef", "Amrani", "Chef de service éducatif"), "01 99 00 21 20"),
    "mission_locale": _structure(
        "Mission locale Seine-Amont", "mission locale", "8 avenue Danielle-Casanova", "94200",
        "Ivry-sur-Seine", "78609139700012", "Bernard Charpentier", "Président",
        "Forum « Jeunes et métiers » préparé avec les jeunes accompagnés",
        ("Mme", "Laetitia", "Morin", "Conseillère en insertion sociale et professionnelle"),
        "01 99 00 21 30"),
    "regie": _structure(
        "Régie de quartier Belleville-Amandiers", "régie de quartier (SIAE)",
        "14 rue des Amandiers", "75020", "Paris", "79960308900035", "Odile Fabre", "Directrice",
        "Chantier collectif d'embellissement des halls d'immeubles avec les habitants",
        ("M.", "Franck", "Delmas", "Encadrant technique d'insertion"), "01 99 00 21 40"),
    "jardins": _structure(
        "Les Jardins de la Bièvre", "atelier chantier d'insertion (SIAE)", "3 chemin des Prés",
        "94260", "Fresnes", "86281948900017", "Alain Roussel", "Président",
        "Paniers solidaires : vente de légumes aux familles du quartier",
        ("Mme", "Émilie", "Carpentier", "Accompagnatrice socioprofessionnelle"),
        "01 99 00 21 50"),
    "ressourcerie": _structure(
        "La Fabrique circulaire", "entreprise d'insertion (ressourcerie)", "45 rue Delizy",
        "93500", "Pantin", "81993518000011", "Stéphane Hoarau", "Gérant",
        "Ateliers de réparation ouverts aux habitants, animés par les salariés en insertion",
        ("Mme", "Nathalie", "Besson", "Chargée d'insertion"), "01 99 00 21 60"),
    "femmes_relais": _structure(
        "Femmes Relais Créteil", "association", "6 place des Alizés", "94000", "Créteil",
        "79093786600065", "Zohra Belkacem", "Présidente",
        "Groupe collectif d'accès aux droits pour des femmes isolées",
        ("Mme", "Aïcha", "Diop", "Médiatrice sociale"), "01 99 00 21 70"),
    "centre_social": _structure(
        "Centre social Les Trois Rivières", "centre social", "10 allée des Rivières", "95000",
        "Cergy", "49754323100011", "Jean-Luc Marty", "Directeur",
        "Ateliers numériques collectifs pour l'accès aux démarches en ligne",
        ("Mme", "Céline", "Robin", "Référente familles"), "01 99 00 21 80"),
    "plie": _structure(
        "PLIE Est Val-d'Oise", "PLIE (association)", "21 avenue du 8-Mai-1945", "95200",
        "Sarcelles", "79487574000019", "Martine Guérin", "Directrice",
        "Clubs collectifs de recherche d'emploi pour les participants du PLIE",
        ("M.", "Rachid", "Ouali", "Référent de parcours"), "01 99 00 21 90"),
    "epicerie": _structure(
        "Le Panier partagé", "épicerie sociale (association)",
        "18 rue Paul-Vaillant-Couturier", "95100", "Argenteuil", "51186252600080",
        "Brigitte Leclerc", "Présidente",
        "Ateliers collectifs « budget et alimentation » avec les bénéficiaires",
        ("Mme", "Valérie", "Maréchal", "Coordinatrice"), "01 99 00 22 10"),
    "escale": _structure(
        "L'Escale solidaire", "accueil de jour (association)", "5 rue Jean-Colly", "75013",
        "Paris", "40189555200016", "Henri Dumas", "Président",
        "Projet collectif « Retour vers l'emploi » avec les personnes accueillies",
        ("M.", "Sébastien", "Fleury", "Travailleur social"), "01 99 00 22 20"),
    "residence": _structure(
        "CHRS Résidence Jean-Jaurès", "CHRS", "40 rue Jean-Jaurès", "94400",
        "Vitry-sur-Seine", "57971147400018", "Isabelle Poirier", "Directrice",
        "Ateliers collectifs de préparation à l'accès au logement",
        ("M.", "David", "Langlois", "Éducateur spécialisé"), "01 99 00 22 30"),
    "bois": _structure(
        "Bois & Compagnie", "atelier chantier d'insertion (SIAE)", "12 rue des Artisans",
        "91000", "Évry-Courcouronnes", "70497465800012", "Gilles Baron", "Directeur",
        "Fabrication de mobilier pour la recyclerie du quartier",
        ("M.", "Fabrice", "Lopez", "Encadrant technique"), "01 99 00 22 40"),
    "lire": _structure(
        "Lire et écrire ensemble", "association (ateliers sociolinguistiques)",
        "9 rue du Moutier", "93300", "Aubervilliers", "45291703200016", "Françoise Nguyen",
        "Présidente", "Ateliers sociolinguistiques à visée professionnelle",
        ("Mme", "Samia", "Hamdi", "Formatrice coordinatrice"), "01 99 00 22 50"),
    "interim": _structure(
        "Tremplin Intérim 92", "entreprise de travail temporaire d'insertion (SIAE)",
        "30 rue des Anciennes-Mairies", "92000", "Nanterre", "82366712600010",
        "Laurent Chevalier", "Directeur",
        "Job dating collectif avec les entreprises partenaires",
        ("Mme", "Karine", "Prévost", "Chargée de relations entreprises"), "01 99 00 22 60"),
    "maison_emploi": _structure(
        "Maison de l'emploi Grand Orly", "maison de l'emploi", "1 avenue de la Victoire",
        "94310", "Orly", "46842684600076", "Sylvie Renard", "Directrice",
        "Forum territorial de l'emploi et de la formation",
        ("M.", "Olivier", "Giraud", "Chargé de projets"), "01 99 00 22 70"),
}

OBJECTIFS = (
    "Se familiariser avec le champ de l'insertion et les publics accueillis",
    "Connaître la structure, son environnement et ses partenaires",
    "Découvrir les dispositifs d'insertion du territoire",
    "Acquérir la méthodologie de la conduite de projet",
    "Participer à la conduite d'une action collective et en rendre compte",
)
ACTIVITES = (
    "Observer la conduite d'entretiens et l'accompagnement de groupes",
    "Accompagner un professionnel dans ses fonctions",
    "Assister aux réunions d'équipe et de partenaires",
    "Accueillir, informer et conseiller le public",
)


def student(numero: str, civilite: str, prenom: str, nom: str, modalite: str, adresse: str,
            telephone: str | None = None, **more: object) -> dict[str, object]:
    email = f"{fold(prenom).replace(' ', '-')}.{fold(nom).replace(' ', '-')}@example.org"
    row: dict[str, object] = {
        "numero_auditeur": numero, "civilite": civilite, "nom": nom.upper(), "prenom": prenom,
        "email": email, "telephone": telephone, "adresse": adresse, "modalite": modalite,
        "cpam": CPAM.get(adresse.splitlines()[-1][:2]),
    }
    row.update(more)
    return row


def stage(structure: str, debut: object, fin: dt.date, hebdo: float, jours: str | None = None,
          variant: int = 0, gratification: float | None = 4.5,
          **more: object) -> dict[str, object]:
    """The internship's fields; `variant` picks which objectives and activities are listed,
    so that the rows do not all read alike."""
    fields = dict(S[structure])
    action = str(fields["action_collective"])
    objectifs = [o for i, o in enumerate(OBJECTIFS) if i != variant % 3]
    activites = [a for i, a in enumerate(ACTIVITES) if i != (variant + 1) % 4]
    activites += [f"Participer à la mise en œuvre de l'action : {action[0].lower()}{action[1:]}",
                  "Rendre compte de l'action (bilan écrit, présentation à l'équipe)"]
    fields.update({
        "date_debut": debut, "date_fin": fin, "heures_total": 560, "heures_hebdo": hebdo,
        "jours_presence": jours, "gratification_horaire": gratification,
        # leave days agreed with the host (L124-13): a week for a full-time internship
        "conges_jours": 5 if hebdo >= 35 else None,
        "objectifs": "\n".join(objectifs), "activites": "\n".join(activites),
    })
    fields.update(more)
    return fields


def suivi(definition: dt.date | None = None, accord: dt.date | None = None,
          convention: dt.date | None = None, evaluation: dt.date | None = None,
          pieces: bool = False, **more: object) -> dict[str, object]:
    """The workflow dates; `pieces`: the evening-class registrar's pieces are all in."""
    fields: dict[str, object] = {"date_definition": definition, "date_accord": accord,
                                 "date_convention": convention, "date_evaluation": evaluation}
    if pieces:
        fields.update(exemplaires_convention=3, attestation_assurance="oui",
                      carte_auditeur="oui")
    fields.update(more)
    return fields


def row(*parts: dict[str, object]) -> dict[str, object]:
    merged: dict[str, object] = {}
    for part in parts:
        merged.update(part)
    return merged


ROWS: list[dict[str, object]] = [
    # exempt: 12 months or more of attested experience, no internship
    row(student("PAR26101", "Mme", "Nadia", "Haddad", SOIR, "8 rue Lénine\n94200 Ivry-sur-Seine",
                "06 39 98 10 01", experience_mois=36, experience_attestee="oui",
                observations="Dispensée de stage : 3 ans de conseillère en insertion "
                             "(attestation de l'employeur reçue le 02/10/2026).")),
    row(student("PAR26102", "M.", "Thomas", "Girard", JOUR, "3 allée des Tilleuls\n91300 Massy",
                "06 39 98 10 02", experience_mois=18, experience_attestee="oui")),
    # search: no host structure yet
    row(student("PAR26103", "Mme", "Inès", "Bouaziz", JOUR, "45 rue de Paris\n93170 Bagnolet",
                "06 39 98 10 03", experience_mois=0,
                observations="Piste : centre social de Bagnolet, entretien le 03/12/2026.")),
    # mistake: CELL-EMAIL (a comma instead of a dot)
    row(student("PAR26104", "M.", "Kevin", "Lambert", SOIR, "17 rue Voltaire\n92300 Levallois",
                "06 39 98 10 04", email="kevin.lambert@example,org")),
    row(student("PAR26105", "Mme", "Aurélie", "Petit", SOIR,
                "2 square Jules-Verne\n77200 Torcy", "0639981005")),
    row(student("PAR26106", "M.", "Mamadou", "Diallo", SOIR, "60 boulevard Ney\n75018 Paris",
                "06 39 98 10 06", experience_mois=20, experience_attestee="non",
                observations="Attestation d'expérience demandée à l'ancien employeur.")),
    # definition: structure found, "définition du stage pratique" not handed in yet
    row(student("PAR26107", "Mme", "Julie", "Moreau", JOUR,
                "11 rue du Général-Leclerc\n94000 Créteil", "06 39 98 10 07"),
        stage("femmes_relais", D(2027, 2, 1), D(2027, 5, 28), 35, variant=1,
              structure_siret=None, structure_representant=None,
              structure_representant_fonction=None)),
    row(student("PAR26108", "M.", "Yanis", "Cherif", SOIR, "23 rue Riquet\n75019 Paris",
                "06 39 98 10 08"),
        stage("escale", "1er mars 2027", D(2027, 7, 23), 28,
              "lundi, mardi, jeudi, vendredi", variant=2)),
    row(student("PAR26109", "Mme", "Sophie", "Renaud", JOUR,
                "4 rue Édouard-Vaillant\n93300 Aubervilliers", "06 39 98 10 09",
                memoire_sur_stage="oui"),
        stage("lire", D(2027, 3, 15), D(2027, 7, 9), 35, variant=0)),
    # approval: definition handed in, pedagogical approval awaited
    row(student("PAR26110", "M.", "Olivier", "Fontaine", SOIR,
                "9 avenue de la Division-Leclerc\n95200 Sarcelles", "06 39 98 10 10"),
        stage("plie", D(2027, 1, 18), D(2027, 7, 30), 21, "mardi, jeudi et vendredi", 1,
              gratification=None),  # a warning before the convention step
        suivi(D(2026, 11, 16), observations="Gratification à confirmer par la structure.")),
    # mistake: STAGE-HOURS (525 hours planned instead of 560)
    row(student("PAR26111", "Mme", "Chloé", "Dubois", JOUR, "14 rue du Maréchal-Foch\n94310 Orly",
                "06 39 98 10 11"),
        stage("maison_emploi", D(2027, 2, 8), D(2027, 5, 28), 35, variant=2, heures_total=525),
        suivi(D(2026, 11, 23))),
    row(student("PAR26112", "Madame", "Fatoumata", "Traoré", SOIR,
                "31 rue Henri-Barbusse\n94260 Fresnes", "06 39 98 10 12"),
        stage("jardins", D(2027, 4, 6), D(2027, 8, 27), 28,
              "lundi, mardi, jeudi et vendredi", 0),
        suivi(D(2026, 11, 5))),
    # convention: approval given, convention not established yet
    row(student("PAR26113", "M.", "Lucas", "Bernard", JOUR,
                "7 rue des Anciennes-Mairies\n92000 Nanterre", "06 39 98 10 13"),
        stage("interim", D(2026, 12, 14), D(2027, 4, 9), 35, variant=1),
        suivi(D(2026, 10, 19), D(2026, 10, 26),
              observations="Convention à établir avant le 02/12 (début le 14/12).")),
    row(student("PAR26114", "Mme", "Camille", "Roux", SOIR, "52 rue de Crimée\n75019 Paris",
                "06 39 98 10 14"),
        stage("canal", D(2027, 1, 11), D(2027, 7, 21), 21, "lundi, mardi et mercredi", 2),
        suivi(D(2026, 10, 12), D(2026, 10, 20), exemplaires_convention=3,
              attestation_assurance="oui")),  # the student card is still missing
    row(student("PAR26115", "M.", "Antoine", "Mercier", SOIR,
                "19 rue de Pontoise\n95000 Cergy", "06 39 98 10 15"),
        stage("centre_social", D(2027, 1, 4), D(2027, 5, 28), 28,
              "lundi mardi jeudi vendredi", 0, gratification=4.5),
        suivi(D(2026, 10, 5), D(2026, 10, 13), pieces=True,
              observations="Dossier de convention déposé le 20/11/2026 à la scolarité.")),
    row(student("PAR26116", "Mme", "Sarah", "Benali", JOUR,
                "26 rue Paul-Langevin\n91000 Évry-Courcouronnes", "06 39 98 10 16"),
        stage("bois", D(2027, 2, 1), D(2027, 5, 28), 35, variant=1),
        suivi(D(2026, 11, 2), D(2026, 11, 9))),
    # ongoing: convention established, internship under way
    row(student("PAR26117", "Mme", "Léa", "Marchand", JOUR,
                "5 rue Marat\n94200 Ivry-sur-Seine", "06 39 98 10 17", memoire_sur_stage="oui"),
        stage("mission_locale", D(2026, 9, 7), D(2027, 1, 8), 35, variant=0,
              enseignant_referent="Isabelle Fontaine",
              enseignant_referent_email="isabelle.fontaine@example.org"),
        suivi(D(2026, 6, 8), D(2026, 6, 15), D(2026, 7, 3))),
    row(student("PAR26118", "M.", "Hugo", "Lefort", SOIR,
                "38 rue de Romainville\n93100 Montreuil", "06.39.98.10.18"),
        stage("passerelles", D(2026, 9, 14), D(2027, 3, 18), 21, "lundi, mardi et jeudi", 1),
        suivi(D(2026, 6, 22), D(2026, 6, 29), D(2026, 8, 28), pieces=True)),
    row(student("PAR26119", "Mme", "Amina", "Koné", SOIR,
                "12 avenue Jean-Jaurès\n93300 Aubervilliers", "06 39 98 10 19",
                experience_mois=14, experience_attestee="oui", memoire_sur_stage="oui",
                observations="Stage facultatif (expérience attestée) : support du mémoire."),
        stage("lire", D(2026, 10, 5), D(2027, 4, 19), 21, "lundi, mercredi et vendredi", 2),
        suivi(D(2026, 9, 7), D(2026, 9, 10), D(2026, 9, 18), pieces=True)),
    # mistake: CELL-SIRET (two digits swapped)
    row(student("PAR26120", "M.", "Romain", "Perrin", JOUR,
                "70 rue de Belleville\n75020 Paris", "06 39 98 10 20"),
        stage("regie", D(2026, 10, 5), D(2027, 1, 29), 35, variant=0,
              structure_siret="799 603 809 00035"),
        suivi(D(2026, 9, 1), D(2026, 9, 4), D(2026, 9, 18))),
    # mistake: CONVENTION-DEADLINE (established 5 days before the start)
    row(student("PAR26121", "Mme", "Manon", "Leroy", SOIR,
                "15 rue de la Paix\n95100 Argenteuil", "06 39 98 10 21"),
        stage("epicerie", D(2026, 10, 12), D(2027, 3, 4), 28,
              "lundi, mardi, mercredi et jeudi", 1),
        suivi(D(2026, 9, 14), D(2026, 9, 21), D(2026, 10, 7), pieces=True)),
    # mistake: CONVENTION-PIECES (evening class, no insurance certificate)
    row(student("PAR26122", "M.", "Nicolas", "Caron", SOIR,
                "3 rue Eugène-Pottier\n94400 Vitry-sur-Seine", "+33 6 39 98 10 22"),
        stage("residence", D(2026, 9, 21), D(2027, 3, 31), 21, "mardi, mercredi et jeudi", 2),
        suivi(D(2026, 7, 6), D(2026, 7, 9), D(2026, 9, 4), exemplaires_convention=3,
              attestation_assurance="non", carte_auditeur="oui")),
    # mistake: STAGE-GRATIFICATION (convention established, no amount: an error from then on)
    row(student("PAR26123", "Mme", "Élodie", "Faure", JOUR,
                "8 avenue Jean-Lolive\n93500 Pantin", "06 39 98 10 23"),
        stage("ressourcerie", D(2026, 11, 2), D(2027, 2, 26), 35, variant=0,
              gratification=None),
        suivi(D(2026, 9, 28), D(2026, 10, 5), D(2026, 10, 16),
              observations="Gratification à confirmer par la structure.")),
    row(student("PAR26124", "M.", "Samir", "Mansouri", SOIR,
                "27 rue Pierre-Brossolette\n95200 Sarcelles", "06 39 98 10 24"),
        stage("plie", D(2026, 9, 8), D(2027, 6, 22), 14, "mardi, vendredi", 1,
              gratification=4.5),
        suivi(D(2026, 6, 29), D(2026, 7, 2), D(2026, 8, 21), pieces=True,
              observations="Stage étalé sur l'année, deux jours par semaine.")),
    row(student("PAR26125", "Mme", "Claire", "Vasseur", JOUR,
                "16 rue Raspail\n94200 Ivry-sur-Seine", "06 39 98 10 25"),
        stage("mission_locale", D(2026, 9, 28), D(2027, 2, 12), 30, variant=2,
              tuteur_civilite="M.", tuteur_prenom="Éric", tuteur_nom="Vallet",
              tuteur_fonction="Conseiller emploi",
              tuteur_email="e.vallet@mission-locale-seine-amont.example.org"),
        suivi(D(2026, 9, 2), D(2026, 9, 7), D(2026, 9, 11))),
    row(student("PAR26126", "M.", "Julien", "Morel", SOIR,
                "4 rue des Écoles\n94000 Créteil", "06 39 98 10 26"),
        stage("femmes_relais", D(2026, 11, 18), D(2027, 5, 28), 21,
              "mercredi, jeudi et vendredi", 0, tuteur_telephone="+33 1 99 00 21 71"),
        suivi(D(2026, 10, 7), D(2026, 10, 14), D(2026, 11, 3), pieces=True)),
    # evaluation: internship over, the tutor's evaluation has not come back
    row(student("PAR26127", "Mme", "Pauline", "Rolland", JOUR,
                "21 rue de Meaux\n75019 Paris", "06 39 98 10 27",
                observations="Inscrite en 2025-2026 : stage d'été, évaluation attendue."),
        stage("canal", D(2026, 6, 15), D(2026, 10, 9), 35, variant=1),
        suivi(D(2026, 4, 20), D(2026, 4, 27), D(2026, 5, 22))),
    row(student("PAR26128", "M.", "Karim", "Benhamou", SOIR,
                "10 rue Gambetta\n93100 Montreuil", "06 39 98 10 28",
                observations="Inscrit en 2025-2026 (cours du soir sur deux ans)."),
        stage("passerelles", D(2026, 3, 2), D(2026, 9, 17), 21, "lundi, mardi et jeudi", 2,
              tuteur_civilite="M.", tuteur_prenom="Ludovic", tuteur_nom="Perret",
              tuteur_fonction="Chargé d'accompagnement",
              tuteur_email="l.perret@passerelles-pour-lemploi.example.org"),
        suivi(D(2026, 1, 12), D(2026, 1, 19), D(2026, 2, 13), pieces=True)),
    # done: evaluation received
    row(student("PAR26129", "Mme", "Laura", "Simon", SOIR,
                "6 place de la Paix\n95000 Cergy", "06 39 98 10 29",
                observations="Inscrite en 2025-2026. Stage validé par le jury de septembre."),
        stage("centre_social", D(2026, 3, 9), D(2026, 8, 7), 28, "lun/mar/jeu/ven", 0),
        suivi(D(2026, 1, 19), D(2026, 1, 26), D(2026, 2, 20), D(2026, 9, 15), pieces=True,
              stage_valide="OUI", heures_effectuees=560, gratification_totale=2520)),
    row(student("PAR26130", "M.", "Adrien", "Noël", JOUR,
                "33 rue Hoche\n93500 Pantin", "06 39 98 10 30",
                observations="Inscrit en 2025-2026 ; en attente du jury."),
        stage("ressourcerie", D(2026, 5, 4), D(2026, 8, 28), 35, variant=1),
        suivi(D(2026, 3, 23), D(2026, 3, 30), D(2026, 4, 17), D(2026, 9, 7),
              heures_effectuees=546)),
]


def build(path: Path) -> None:
    """Write the sample cohort at `path` (replacing it)."""
    workbook = starter_workbook()
    sheet = workbook[COHORT_SHEET]
    for offset, values in enumerate(ROWS, start=1):
        row_number = HEADER_ROW + offset
        wrapped: list[tuple[object, float]] = []
        for index, column in enumerate(COLUMNS, start=1):
            value = values.get(column.key)
            if value is None:
                continue
            cell = sheet.cell(row=row_number, column=index)
            cell.value = value  # type: ignore[assignment]
            # the cell takes its column's format, as when someone types in Excel
            dimension = sheet.column_dimensions[cell.column_letter]
            cell.number_format = dimension.number_format
            if isinstance(value, dt.date):
                cell.number_format = "DD/MM/YYYY"
            if column.key in LONG_TEXT_KEYS:
                cell.alignment = TOP_WRAP
                wrapped.append((value, dimension.width or 20))
        fit_row_height(sheet, row_number, wrapped, most=8)
    parameters = workbook[PARAMETERS_SHEET]
    for label_cell, value_cell, _explanation in parameters.iter_rows(min_row=2):
        if label_cell.value in PARAMETERS:
            value_cell.value = PARAMETERS[str(label_cell.value)]
    save_atomically(workbook, path, overwrite=True)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else OUTPUT
    build(target)
    print(f"{len(ROWS)} auditeurs écrits dans {target}")
