"""The template context (generator/documents/context.py) and the four .docx templates."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import zipfile
from pathlib import Path

import jinja2.sandbox
import pytest
from docx import Document
from docxtpl import DocxTemplate
from engine_helpers import docx_text, make_template

from generator.cohort.model import Row
from generator.cohort.params import Params
from generator.documents.context import (
    CONTEXT_KEYS,
    EXAMPLE_PARAMS,
    EXAMPLE_TODAY,
    build_context,
    context_keys,
    example_context,
    example_derived,
    example_row,
)
from generator.documents.engine import Template
from generator.documents.fields import group_siret, presence_days, split_items
from generator.rules.derived import Derived

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
TEMPLATE_NAMES = ("definition", "accord", "convention", "evaluation")
TODAY = dt.date(2026, 7, 1)


def make(row: dict[str, object] | None = None, derived: dict[str, object] | None = None,
         params: Params | None = None) -> dict:
    """The context of the example row with some cells and derived values changed."""
    return build_context(dataclasses.replace(example_row(), **(row or {})),
                         dataclasses.replace(example_derived(), **(derived or {})),
                         params or Params(), TODAY)


# --- values --------------------------------------------------------------------------------

def test_evening_part_time_student_at_convention_step() -> None:
    ctx = make(row={"objectifs": "• Connaître les publics\n\n  2) Conduire une action  \n"
                                 "- 3.5 heures d'atelier par semaine\n",
                    "date_fin": dt.date(2027, 3, 1)})
    assert ctx["aujourdhui"] == "1er juillet 2026"
    assert ctx["auditeur"]["nom_complet"] == "Mme Claire DUPONT"
    assert ctx["auditeur"]["formule"] == "Madame"
    assert ctx["auditeur"]["cours_du_soir"] is True
    assert ctx["auditeur"]["cours_du_jour"] is False
    assert ctx["tuteur"]["nom_complet"] == "M. Karim BERNARD"
    assert ctx["structure"]["siret"] == "732 829 320 00074"
    assert ctx["structure"]["adresse_complete"] == "45 avenue Jean Jaurès, 75019 Paris"
    assert ctx["stage"]["objectifs"] == ["Connaître les publics", "Conduire une action",
                                         "3.5 heures d'atelier par semaine"]
    assert ctx["stage"]["activites"] == ["Accueillir et conseiller le public",
                                         "Animer les séances de l'atelier collectif",
                                         "Rédiger le bilan de l'action"]
    assert ctx["stage"]["heures_total"] == "560"
    assert ctx["stage"]["heures_hebdo"] == "17,5"
    assert ctx["stage"]["heures_par_jour"] == "8,75"
    assert ctx["stage"]["temps_plein"] is False and ctx["stage"]["temps_partiel"] is True
    assert ctx["stage"]["jours_presence_texte"] == "lundi et mardi"
    assert ctx["stage"]["etape"] == "convention"
    assert ctx["stage"]["etape_libelle"] == "convention à établir"
    assert ctx["stage"]["pieces_manquantes"] == ["la copie de la carte d'auditeur"]
    assert ctx["dates"] == {
        "debut": "14 septembre 2026", "fin": "1er mars 2027",
        "fin_immersion": "29 septembre 2026", "retour_evaluation": "12 mai 2027",
        "limite_convention": "2 septembre 2026",
        "fin_au_plus_tot": "27 avril 2027", "definition": "15 juin 2026",
        "accord": "22 juin 2026", "convention": "", "evaluation": "",
    }
    assert ctx["formation"]["code"] == "LP110"
    assert ctx["stage"]["gratification_minimale"] == "4,50\u00a0€"
    assert ctx["referent"] == {"nom": "Mme Isabelle FONTAINE",
                               "email": "isabelle.fontaine@lecnam.net"}
    assert ctx["numero_convention"] == "LP110-2025-2026-PAR12345"
    assert ctx["etablissement"]["scolarite_email"] == "pascale.bonnet@lecnam.net"
    assert ctx["extra"] == {"Référent de l'employeur": "Mme Sophie LEROY"}


def test_day_class_full_time_student_done() -> None:
    ctx = make(row={"modalite": "cours du jour", "civilite": "M.", "prenom": "Jean-Marc",
                    "nom": "de la Tour", "heures_hebdo": 35.0, "jours_presence": None,
                    "memoire_sur_stage": False, "date_evaluation": dt.date(2027, 3, 10),
                    "stage_valide": True},
               derived={"step": "done", "evening": False, "full_time": True,
                        "presence_days": (0, 1, 2, 3, 4), "hours_per_day": 7.0,
                        "missing_pieces": ()})
    assert ctx["auditeur"]["nom_complet"] == "M. Jean-Marc DE LA TOUR"
    assert ctx["auditeur"]["formule"] == "Monsieur"
    assert ctx["auditeur"]["cours_du_soir"] is False
    assert ctx["auditeur"]["cours_du_jour"] is True
    assert ctx["stage"]["temps_plein"] is True and ctx["stage"]["temps_partiel"] is False
    assert ctx["stage"]["heures_hebdo"] == "35"
    assert ctx["stage"]["jours_presence_texte"] == "du lundi au vendredi"
    assert ctx["stage"]["memoire_sur_stage"] is False
    assert ctx["stage"]["decision"] == "validé"
    assert ctx["stage"]["pieces_manquantes"] == []
    assert ctx["stage"]["etape_libelle"] == "stage terminé"
    assert ctx["dates"]["evaluation"] == "10 mars 2027"


@pytest.mark.parametrize(("cells", "params", "due", "under", "paid", "amount"), [
    ({"heures_total": 560.0, "gratification_horaire": 4.5}, Params(), True, False, True,
     "4,50\u00a0€"),
    # due but not filled in: no amount is printed (STAGE-GRATIFICATION blocks the convention)
    ({"heures_total": 560.0, "gratification_horaire": None}, Params(), True, False, False,
     ""),
    ({"heures_total": 300.0, "gratification_horaire": None}, Params(), False, True, False, ""),
    ({"heures_total": 300.0, "gratification_horaire": 3.0}, Params(), False, True, True,
     "3,00\u00a0€"),
    ({"heures_total": 560.0, "gratification_horaire": None},
     Params(gratification_obligatoire=False), False, False, False, ""),
])
def test_gratification(cells: dict, params: Params, due: bool, under: bool, paid: bool,
                       amount: str) -> None:
    stage = make(row=cells, params=params)["stage"]
    assert stage["gratification_due"] is due
    assert stage["gratification_sous_seuil"] is under
    assert stage["gratification_versee"] is paid
    assert stage["gratification_horaire"] == amount


def test_an_empty_row_gives_empty_strings_never_none() -> None:
    derived = Derived(step="search", stage_required=True, exempt=False, optional=False,
                      convention_deadline=None, immersion_end=None, presence_days=(),
                      hours_per_day=None, hours_reachable=None, earliest_end=None,
                      full_time=None, evening=False, missing_pieces=(),
                      gratification_minimum=4.5, evaluation_return_by=None)
    ctx = build_context(Row(row_number=7), derived, Params(), TODAY)

    def leaves(value: object) -> list[object]:
        if isinstance(value, dict):
            return [leaf for inner in value.values() for leaf in leaves(inner)]
        return [value]

    assert None not in leaves(ctx)
    assert ctx["auditeur"]["nom_complet"] == ""
    assert ctx["auditeur"]["formule"] == "Madame, Monsieur"
    assert ctx["structure"]["siret"] == ""
    assert ctx["stage"]["objectifs"] == [] and ctx["stage"]["activites"] == []
    assert ctx["stage"]["heures_total"] == "" and ctx["dates"]["debut"] == ""
    assert ctx["stage"]["temps_partiel"] is False
    assert set(context_keys(ctx)) == set(CONTEXT_KEYS)


def test_split_items_strips_list_marks_and_blank_lines() -> None:
    cell = ("• Observer\n\n2) Accompagner\n- Animer\n  *  Rédiger  \n1- Évaluer\n—Accueillir\n"
            "3.5 heures de réunion\na) Rendre compte\n12. Conclure\nM. Dupont présente\n \n")
    assert split_items(cell) == ["Observer", "Accompagner", "Animer", "Rédiger", "Évaluer",
                                 "Accueillir", "3.5 heures de réunion", "Rendre compte",
                                 "Conclure", "M. Dupont présente"]
    assert split_items(None) == []


def test_siret_and_presence_days() -> None:
    assert group_siret("73282932000074") == "732 829 320 00074"
    assert group_siret("123") == "123"
    assert presence_days((0, 2, 3), "lun mer jeu") == "lundi, mercredi et jeudi"
    assert presence_days((5,), "samedi") == "samedi"
    assert presence_days((), "les lundis") == "les lundis"


def test_seed_lists_and_grid() -> None:
    ctx = example_context()
    assert len(ctx["seed"]["objectifs_generaux"]) == 2
    objectives = ctx["seed"]["objectifs_generaux"]
    assert objectives[1] == "Acquérir la méthodologie de la conduite de projet"
    assert "Accueillir et conseiller le public" in ctx["seed"]["activites"]
    assert len(ctx["grille"]["activites"]) == 6 and len(ctx["grille"]["objectifs"]) == 2
    assert ctx["grille"]["niveaux"] == ["Très satisfaisant", "Satisfaisant", "À améliorer",
                                        "Insuffisant", "Non observé"]


def test_an_extra_column_the_row_lacks_prints_nothing(tmp_path: Path) -> None:
    """The context itself keeps templates/README.md's promise, for every template it fills
    (documents, and the evaluation form a reminder encloses), with no wrapper around it."""
    template = Template.load(make_template(tmp_path / "extra.docx", [
        '{% if extra["Colonne absente"] %}oui{% endif %}[{{ extra["Colonne absente"] }}]',
        '{{ extra["Référent de l\'employeur"] }}']))
    text = docx_text(template.render(example_context()))
    assert "[]" in text and "oui" not in text
    assert "Mme Sophie LEROY" in text


def test_readme_lists_exactly_the_context_keys() -> None:
    readme = (TEMPLATES / "README.md").read_text(encoding="utf-8").split("## Les clés")[1]
    listed = re.findall(r"^\| `([^`]+)` \|", readme, flags=re.MULTILINE)
    assert len(listed) == len(set(listed))
    assert set(listed) == set(CONTEXT_KEYS)


# --- templates ------------------------------------------------------------------------------

def render(name: str, context: dict, out: Path) -> str:
    template = DocxTemplate(str(TEMPLATES / f"{name}.docx"))
    template.render(context, jinja_env=jinja2.sandbox.SandboxedEnvironment(autoescape=True))
    path = out / f"{name}.docx"
    template.save(str(path))
    return docx_text(path)


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_template_renders_the_example_without_leftover_tags(name: str, tmp_path: Path) -> None:
    ctx = example_context()
    text = render(name, ctx, tmp_path).replace("\u00a0", " ")  # French typography
    for tag in ("{{", "}}", "{%", "%}"):
        assert tag not in text
    for expected in ("Mme Claire DUPONT", "Association Horizons Insertion", "14 septembre 2026",
                     "27 avril 2027", "560 heures", "LP110", "Page "):
        assert expected in text, expected
    for activity in ctx["stage"]["activites"]:  # type: ignore[index]
        assert activity in text
    assert "None" not in text


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_template_survives_a_day_class_row_and_hostile_cells(name: str, tmp_path: Path) -> None:
    ctx = make(row={"modalite": "cours du jour", "structure_nom": "Café & Co <SIAE> {{ 7*7 }}",
                    "activites": "Accueillir le public « jeunes »\n{% if x %}oups",
                    "telephone": None, "adresse": None, "gratification_horaire": None},
               derived={"evening": False, "missing_pieces": ()},
               params=Params(gratification_obligatoire=False))
    text = render(name, ctx, tmp_path)
    assert "Café & Co <SIAE> {{ 7*7 }}" in text
    assert "{% if x %}oups" in text
    assert "49" not in text
    assert "DOSSIER DE CONVENTION" not in text


def test_convention_has_no_registrar_cover_its_bordereau_has_it(tmp_path: Path) -> None:
    evening = render("convention", example_context(), tmp_path).replace("\u00a0", " ")
    assert "DOSSIER DE CONVENTION" not in evening and "carte d'auditeur" not in evening
    assert "3 exemplaires" in evening and "732 829 320 00074" in evening
    bordereau = render("bordereau", example_context(), tmp_path).replace("\u00a0", " ")
    assert "BORDEREAU DU DOSSIER DE CONVENTION" in bordereau
    assert "3 exemplaires" in bordereau and "pascale.bonnet@lecnam.net" in bordereau
    assert "2 septembre 2026" in bordereau and "carte d'auditeur" in bordereau


def test_convention_states_no_gratification_when_none_is_due(tmp_path: Path) -> None:
    text = render("convention", make(row={"heures_total": 300.0, "gratification_horaire": None}),
                  tmp_path)
    assert "Aucune gratification n'est due" in text
    assert "308\u00a0heures" in text


def test_evaluation_form_asks_what_the_seed_asks_the_tutor(tmp_path: Path) -> None:
    """documents.md: the grid, the immersion phase, professional conduct, absences and
    interruptions, the row's objectives, a reason when « non validé », the return date."""
    ctx = example_context()
    text = render("evaluation", ctx, tmp_path)
    for criterion in ctx["grille"]["activites"] + ctx["grille"]["objectifs"]:  # type: ignore[index, operator]
        assert criterion in text
    for objective in ctx["stage"]["objectifs"]:  # type: ignore[index]
        assert objective in text
    for asked in ("Phase d'immersion", "Assiduité et ponctualité", "Posture professionnelle",
                  "Discrétion et confidentialité", "Absences et interruptions",
                  "Motif si le stage n'est pas validé", "au plus tard le 12 mai 2027",
                  "Très satisfaisant, Satisfaisant, À améliorer, Insuffisant, Non observé"):
        assert asked in text


_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")


@pytest.mark.parametrize("name", (*TEMPLATE_NAMES, "bordereau"))
def test_every_tag_sits_in_one_run(name: str) -> None:
    """Word splits text into runs; a tag split across runs would not render."""
    document = Document(str(TEMPLATES / f"{name}.docx"))
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs.extend(cell.paragraphs)
    for section in document.sections:
        paragraphs.extend(section.header.paragraphs)
        paragraphs.extend(section.footer.paragraphs)
        for table in section.header.tables:
            for cell in table._cells:
                paragraphs.extend(cell.paragraphs)
    tags = 0
    for paragraph in paragraphs:
        whole = _TAG.findall(paragraph.text)
        in_runs = [tag for run in paragraph.runs for tag in _TAG.findall(run.text)]
        assert whole == in_runs, paragraph.text
        tags += len(whole)
        if re.search(r"\{%(p|tr) ", paragraph.text):
            assert _TAG.fullmatch(paragraph.text.strip()), paragraph.text
    assert tags > 10


@pytest.mark.parametrize(("name", "kind", "printed"), [
    ("Mission locale Seine-Amont", "mission locale", ""),
    ("CHRS La Maison du Canal", "CHRS", ""),
    ("PLIE Est Val-d'Oise", "PLIE (association)", "association"),
    ("Femmes Relais Créteil", "association", "association"),
    ("Lire et écrire ensemble", "association (ateliers sociolinguistiques)",
     "association (ateliers sociolinguistiques)"),
])
def test_the_structure_type_is_not_repeated_after_a_name_that_says_it(
        name: str, kind: str, printed: str) -> None:
    row = dataclasses.replace(example_row(), structure_nom=name, structure_type=kind)
    context = build_context(row, example_derived(), EXAMPLE_PARAMS, EXAMPLE_TODAY)
    assert context["structure"]["type"] == printed  # type: ignore[index]


def test_phone_numbers_never_break_across_lines() -> None:
    context = build_context(example_row(), example_derived(), EXAMPLE_PARAMS, EXAMPLE_TODAY)
    for person in ("auditeur", "tuteur", "structure"):
        assert context[person]["telephone"].count("\u00a0") == 4  # type: ignore[index]


def test_amounts_are_typeset_in_documents_and_plain_in_messages() -> None:
    """Babel's French amounts: a line never breaks inside « 2 520,00 € » in a document;
    messages keep plain spaces, to be typed back or searched for."""
    from generator.frenchdates import format_amount, format_euros

    assert format_amount(2520) == "2\u202f520,00\u00a0€"
    assert format_amount(4.5) == "4,50\u00a0€"
    assert format_euros(2520) == "2520,00 €"
    assert format_euros(4.05) == "4,05 €"


def test_typed_text_and_templates_get_french_typography() -> None:
    """A no-break space before « : ; ! ? » » and after « « », in the values a cell gives and in
    a template's own text; what is not a typed space (an address, a template tag) is kept."""
    from generator.documents.package import typeset_template
    from generator.frenchdates import typeset

    assert typeset("Association « Le Relais » : accueil ; écoute !") == \
        "Association «\u00a0Le Relais\u00a0»\u00a0: accueil\u00a0; écoute\u00a0!"
    assert typeset("https://exemple.fr 10h30") == "https://exemple.fr 10h30"
    assert typeset("{% if a != b %}Oui ?{% endif %}") == "{% if a != b %}Oui\u00a0?{% endif %}"
    row = dataclasses.replace(example_row(), structure_nom="Association « Le Relais »")
    context = build_context(row, example_derived(), EXAMPLE_PARAMS, EXAMPLE_TODAY)
    assert context["structure"]["nom"] == "Association «\u00a0Le Relais\u00a0»"  # type: ignore[index]
    for name in sorted(TEMPLATES.glob("*.docx")):  # the templates as shipped are normal
        with zipfile.ZipFile(name) as package:
            members = {info.filename: package.read(info) for info in package.infolist()}
        assert typeset_template(members) == members, name


def test_the_convention_number_does_not_change_with_the_day_it_is_printed() -> None:
    """Without the « Année universitaire » parameter, the year is the one the internship was
    defined in, not the run's: a convention printed again in November keeps its number."""
    row = dataclasses.replace(example_row(), date_definition=dt.date(2026, 4, 2),
                              date_debut=dt.date(2026, 6, 15))
    for today in (dt.date(2026, 5, 22), dt.date(2026, 11, 28)):
        context = build_context(row, example_derived(), Params(), today)
        assert context["numero_convention"] == f"LP110-2025-2026-{row.numero_auditeur}"
        assert context["annee_universitaire"] == "2025-2026"
