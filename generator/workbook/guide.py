"""The `Paramètres` and `Mode d'emploi` sheets of the starter workbook: every parameter with
its default, and what each column means and when it is needed, in French. The numbers come
from the parameters' defaults, never typed twice."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from generator.cohort.columns import BY_KEY, COLUMNS, Column
from generator.cohort.params import PARAMETERS, PARAMETERS_SHEET, Params, default_value
from generator.process import (
    APPROVAL,
    CONVENTION,
    DEFINITION,
    DOCUMENT_KINDS,
    EVALUATION,
    INTERNSHIP_STEPS,
    ONGOING,
    SEARCH,
    STEPS_BY_KEY,
)
from generator.workbook.styles import (
    SECTION_FONT,
    TITLE_FONT,
    TOP_WRAP,
    print_on_page_width,
    solid,
    style_header_row,
)

GUIDE_SHEET = "Mode d'emploi"

EXPLANATIONS = {
    "Intitulé de la formation": "Intitulé complet du diplôme, repris dans les documents.",
    "Code de la formation": "Code du diplôme au Cnam.",
    "Établissement": "Nom de l'établissement, repris dans les documents.",
    "Adresse de l'établissement": "Adresse postale de l'établissement.",
    "Heures de stage requises": "Durée minimale du stage en heures.",
    "Délai minimal convention (jours)":
        "La convention doit être établie au moins ce nombre de jours avant le début du stage.",
    "Durée d'immersion (jours)": "Durée de la première phase d'immersion (15 jours environ).",
    "Durée temps plein (mois)": "Durée d'un stage à temps plein (35 heures par semaine).",
    "Expérience dispensant du stage (mois)":
        "Expérience attestée dans l'insertion qui dispense du stage obligatoire.",
    "Exemplaires convention cours du soir":
        "Nombre d'exemplaires de la convention à remettre à la scolarité en cours du soir.",
    "Seuil gratification (heures)":
        "Au-delà de ce nombre d'heures, la gratification est obligatoire (loi).",
    "Gratification horaire minimale (€)":
        "Vide : le minimum légal en vigueur à la date de la convention (4,50 € depuis le "
        "1er janvier 2026). Une valeur ne peut que le relever.",
    "Gratification obligatoire":
        "non pour ne pas contrôler la gratification (certains stagiaires de formation "
        "continue n'y ont pas droit).",
    "Calendrier des jours fériés":
        "métropole ou Alsace-Moselle : jours fériés exclus du calcul des heures.",
    "Date limite de recherche":
        "Jour et mois (jj/mm) après lesquels un auditeur sans structure est signalé.",
    "Fenêtre d'alerte convention (jours)":
        "Une convention attendue dans ce nombre de jours est signalée à l'avance.",
    "Relance définition (jours avant le début)":
        "Une définition du stage manquante est relancée ce nombre de jours avant le début.",
    "Délai de retour de l'évaluation (jours)":
        "La fiche d'évaluation du tuteur est attendue ce nombre de jours après la fin du stage.",
    "Coordinatrice de la licence":
        "Nom de la coordinatrice qui signe les accords (vide : une ligne pour signer).",
    "Responsable du tutorat":
        "Enseignant référent par défaut, nommé dans les conventions quand la colonne "
        "« Enseignant référent » est vide.",
    "Courriel référent stage": "Adresse de l'équipe administrative de la licence.",
    "Courriel scolarité cours du soir":
        "Adresse de la scolarité qui établit les conventions des cours du soir.",
    "Gestionnaire conventions cours du jour":
        "Personne qui établit les conventions des cours du jour.",
    "Adresse de la scolarité": "Adresse postale de la scolarité (facultatif).",
    "Volume horaire d'enseignement (heures)":
        "Heures d'enseignement de la formation, reprises dans la convention (facultatif).",
    "Signataire de l'établissement":
        "Personne qui signe les conventions pour le Cnam par délégation (vide : "
        "l'administrateur général).",
    "Fonction du signataire": "Fonction du signataire par délégation.",
    "Année universitaire":
        "Par exemple 2026-2027 (vide : l'année en cours, de septembre à août).",
}

TYPE_NAMES = {
    "text": "texte", "civilite": "M. ou Mme", "email": "adresse électronique",
    "phone": "téléphone", "modalite": "cours du soir ou cours du jour",
    "int": "nombre entier", "bool": "oui ou non", "date": "date (jj/mm/aaaa)",
    "number": "nombre", "postcode": "code postal (5 chiffres)", "siret": "SIRET (14 chiffres)",
}


def add_parameters_sheet(workbook: Workbook) -> None:
    """A `Paramètres` sheet: Paramètre | Valeur | Explication, one row per parameter, each
    holding its default (numbers as numbers, the day/month limit as text)."""
    sheet = workbook.create_sheet(PARAMETERS_SHEET)
    style_header_row(sheet, ["Paramètre", "Valeur", "Explication"], [42, 60, 90])
    sheet.freeze_panes = "A2"
    print_on_page_width(sheet)
    choices = {"Gratification obligatoire": '"oui,non"',
               "Calendrier des jours fériés": '"métropole,Alsace-Moselle"'}
    for row, label in enumerate(PARAMETERS, start=2):
        sheet.cell(row=row, column=1, value=label)
        value_cell = sheet.cell(row=row, column=2, value=_sheet_value(label))
        if isinstance(value_cell.value, str):
            value_cell.number_format = "@"  # "01/03" must not become a date
        sheet.cell(row=row, column=3, value=EXPLANATIONS.get(label, ""))
        if label in choices:
            validation = DataValidation(type="list", formula1=choices[label], allow_blank=True)
            validation.add(value_cell.coordinate)
            sheet.add_data_validation(validation)


def _sheet_value(label: str) -> object:
    field = PARAMETERS[label][0]
    value = getattr(Params(), field)
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    return default_value(label) or None


def add_guide_sheet(workbook: Workbook, groups: list[tuple[str, str]]) -> None:
    """A `Mode d'emploi` sheet: the process step by step, the colour legend of the headers,
    then one row per column (type, documents that need it, explanation)."""
    sheet = workbook.create_sheet(GUIDE_SHEET)
    print_on_page_width(sheet)
    for letter, width in zip("ABCD", (34, 30, 42, 90), strict=True):
        sheet.column_dimensions[letter].width = width
    row = 1
    sheet.cell(row=row, column=1, value="Mode d'emploi du classeur de cohorte").font = TITLE_FONT
    row += 2
    for title, lines in _sections():
        sheet.cell(row=row, column=1, value=title).font = SECTION_FONT
        row += 1
        for line in lines:
            sheet.cell(row=row, column=1, value=line)
            row += 1
        row += 1
    sheet.cell(row=row, column=1, value="Couleurs des en-têtes").font = SECTION_FONT
    row += 1
    for label, color in groups:
        sheet.cell(row=row, column=1, value=label).fill = solid(color)
        row += 1
    row += 1
    sheet.cell(row=row, column=1, value="Les colonnes de la feuille Cohorte").font = SECTION_FONT
    row += 1
    style_header_row(sheet, ["Colonne", "Type", "Nécessaire pour", "Explication"],
                     [34, 30, 42, 90], row=row)
    for column in COLUMNS:
        row += 1
        cells = (column.label, TYPE_NAMES.get(column.type, column.type), _needed_for(column),
                 column.help)
        for index, value in enumerate(cells, start=1):
            sheet.cell(row=row, column=index, value=value).alignment = TOP_WRAP


def _needed_for(column: Column) -> str:
    if column.identity:
        return "toutes les lignes"
    if not column.required_for:
        return "facultatif"
    return ", ".join(kind.short for kind in DOCUMENT_KINDS if kind.key in column.required_for)


def _sections() -> list[tuple[str, list[str]]]:
    p = Params()
    return [
        ("Le classeur", [
            "Une ligne par auditeur dans la feuille « Cohorte », sous la ligne d'en-têtes "
            "(ne renommez pas les en-têtes).",
            "Les listes déroulantes proposent les valeurs attendues ; les dates s'écrivent "
            "jj/mm/aaaa ; Alt+Entrée passe à la ligne dans une cellule.",
            "La feuille « Paramètres » reprend les règles du diplôme : modifiez une valeur pour "
            "l'adapter, videz-la pour revenir à la valeur par défaut.",
            "Les autres feuilles et les colonnes ajoutées sont ignorées par les contrôles.",
        ]),
        ("Les étapes du stage", [
            *_step_lines(p),
            f"Dispense : {p.experience_dispense_mois} mois d'expérience dans l'insertion, "
            "attestée (« oui » dans « Expérience attestée »), dispensent du stage.",
            "Un auditeur dispensé qui fait quand même un stage (stage facultatif) suit les "
            "mêmes étapes.",
        ]),
        ("Les commandes", [
            "gen check cohorte.xlsx : contrôle chaque ligne et dit quoi corriger "
            "(--report controles.xlsx écrit une copie annotée du classeur).",
            ", ".join(f"gen {kind.command}" for kind in DOCUMENT_KINDS)
            + ", gen all : les documents des lignes prêtes.",
            "gen reminders : les relances (courriers, courriels).",
        ]),
    ]


def _step_lines(p: Params) -> list[str]:
    """One numbered line per step of `process.STEPS` (its label, what the degree asks, the
    documents gen writes at it, the column that closes it), then the documents written after
    the last step; the numbers are the parameters' defaults (the seed)."""
    limit = f"{p.date_limite_recherche[0]:02d}/{p.date_limite_recherche[1]:02d}"
    asks = {  # what the degree asks at a step (the seed)
        SEARCH: f"avant le {limit} ; une seule structure, qui soutient un projet ou une "
                "action collective d'insertion",
        DEFINITION: "complétée avec le tuteur puis remise à la coordinatrice",
        APPROVAL: "donné par la coordinatrice",
        CONVENTION: f"établie au moins {p.delai_convention_jours} jours avant le début du "
                    "stage",
        ONGOING: f"{p.heures_requises:g} heures, à temps plein sur {p.temps_plein_mois} mois "
                 f"ou à temps partiel, après une immersion d'environ {p.immersion_jours} jours",
        EVALUATION: "par le tuteur, sur le document du Cnam, puis « Stage validé »",
    }
    details = {CONVENTION: [
        f"   Cours du soir : {p.exemplaires_soir} exemplaires de la convention, l'accord "
        "pédagogique, l'attestation d'assurance et la copie de la carte d'auditeur, à la "
        f"scolarité ({p.scolarite_soir_email}).",
        f"   Cours du jour : la convention est établie par {p.gestionnaire_jour} après "
        "l'accord pédagogique."]}
    lines: list[str] = []
    placed: set[str] = set()
    opened_by: str | None = None  # the column that closed the step before
    for number, key in enumerate(INTERNSHIP_STEPS, start=1):
        step = STEPS_BY_KEY[key]
        line = f"{number}. {step.label[0].upper()}{step.label[1:]}"
        line += f" ({asks[key]})" if key in asks else ""
        line += f" — colonne « {BY_KEY[step.closed_by].label} »" if step.closed_by else ""
        written = [kind for kind in DOCUMENT_KINDS if opened_by and kind.ready_when == opened_by]
        placed.update(kind.key for kind in written)
        line += "".join(f". gen {kind.command} écrit {kind.label}" for kind in written)
        lines += [line + ".", *details.get(key, [])]
        opened_by = step.closed_by
    lines += [f"Ensuite, gen {kind.command} écrit {kind.label} dès que la colonne "
              f"« {BY_KEY[kind.ready_when].label} » est remplie."
              for kind in DOCUMENT_KINDS if kind.key not in placed]
    return lines
