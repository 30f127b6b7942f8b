"""The convention, article by article (documents.md; Code de l'éducation D124-4 and the model
convention of the arrêté du 29 décembre 2014), and the registrar's bordereau, its own document.
Each mention is asserted on the extracted text of a convention generated from the context."""

from __future__ import annotations

import dataclasses
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLE, SAMPLE_TODAY, TEMPLATES
from engine_helpers import docx_text
from lxml import etree

from generator.cli import cli
from generator.cohort.params import Params
from generator.cohort.reader import read_cohort
from generator.documents.context import (
    EXAMPLE_PARAMS,
    EXAMPLE_TODAY,
    build_context,
    example_context,
    example_derived,
    example_row,
)
from generator.documents.engine import Template
from generator.rules.parameters import parameter_findings
from generator.rules.report import check


def _render(name: str, context: dict[str, object]) -> str:
    """The text of ``templates/<name>.docx`` rendered by the real engine, as one line (the
    extracted text's line breaks and non-breaking spaces made plain spaces)."""
    data = Template.load(TEMPLATES / f"{name}.docx").render(context)
    return " ".join(docx_text(data).replace("\u00a0", " ").split())


def _context(row: dict[str, object] | None = None, derived: dict[str, object] | None = None,
             **params: object) -> dict[str, object]:
    return build_context(dataclasses.replace(example_row(), **(row or {})),
                         dataclasses.replace(example_derived(), **(derived or {})),
                         dataclasses.replace(EXAMPLE_PARAMS, **params), EXAMPLE_TODAY)


# (mention of documents.md, what the example's convention must print)
MENTIONS = [
    ("academic year", "Année universitaire 2025-2026"),
    ("convention number", "convention n° LP110-2025-2026-PAR12345"),
    ("degree and code", "Licence professionnelle « Intervention sociale – Coordonnateur de "
                        "projets collectifs en insertion » (LP110)"),
    ("establishment", "Conservatoire national des arts et métiers (Cnam) 292 rue Saint-Martin, "
                      "75003 Paris"),
    ("internship office", "Bureau des stages de la formation : "
                          "par_intervention_sociale@lecnam.net"),
    ("signatory by delegation", "Représenté par Mme Sophie MOREAU, directrice de l'École "
                                "Management et société, par délégation de l'administrateur "
                                "général"),
    ("host", "Association Horizons Insertion 45 avenue Jean Jaurès, 75019 Paris"),
    ("host SIRET and phone", "SIRET : 732 829 320 00074 – Tél. : 01 40 00 00 00"),
    ("host signatory", "Représentée par M. Paul MARTIN, directeur"),
    ("student", "Mme Claire DUPONT – N° auditeur PAR12345 12 rue des Lilas, 93100 Montreuil "
                "Courriel : claire.dupont@example.org – Tél. : 06 12 34 56 78"),
    ("teaching volume", "volume pédagogique d'enseignement : 450 heures"),
    ("not a permanent job (L124-7)", "poste de travail permanent de la structure d'accueil ne "
                                     "peut être confiée au stagiaire (article L124-7"),
    ("dates", "Du 14 septembre 2026 au 27 avril 2027 inclus"),
    ("total hours", "560 heures de présence effective"),
    ("weekly hours", "17,5 heures, à temps partiel"),
    ("presence days", "lundi et mardi (8,75 heures par jour)"),
    ("immersion phase", "jusqu'au 29 septembre 2026"),
    ("night, Sunday, public holidays (L124-14)", "Il n'est présent ni la nuit, ni le dimanche, "
                                                 "ni les jours fériés (article L124-14"),
    ("skills", "Compétences à acquérir ou à développer : Connaissance du public"),
    ("row's objectives", "Conduire une action collective de bout en bout"),
    ("row's activities", "Animer les séances de l'atelier collectif"),
    ("collective action", "Atelier collectif de recherche d'emploi pour les jeunes du quartier"),
    ("tutor", "M. Karim BERNARD, conseiller en insertion professionnelle (courriel : "
              "k.bernard@horizons.example.org, tél. : 01 42 00 00 00)"),
    ("enseignant référent", "L'enseignant référent de l'établissement, Mme Isabelle FONTAINE "
                            "(courriel : isabelle.fontaine@lecnam.net), suit le stagiaire"),
    ("how the referent follows", "notamment à la fin de la phase d'immersion, le 29 septembre "
                                 "2026, il s'assure du bon déroulement du stage"),
    ("Cnam classes and exams", "autorisé à se rendre au Cnam pour suivre les enseignements, "
                               "passer les examens"),
    ("gratification amount", "gratification de 4,50 € par heure de stage"),
    ("minimum in force (L124-6, D124-8)", "ne peut être inférieur à 4,50 €, minimum en vigueur "
                                          "à la date de la présente convention (articles "
                                          "L124-6 et D124-8"),
    ("pro rata on suspension", "elle est due au prorata de la durée de stage effectuée"),
    ("benefits (L124-13)", "restaurant d'entreprise ou aux titres-restaurant"),
    ("expenses and housing", "Les frais de déplacement, d'hébergement et de repas"),
    ("work-accident cover (L412-8)", "article L412-8, 2°, du Code de la sécurité sociale"),
    ("who declares an accident, to which CPAM", "l'établissement déclare l'accident à la CPAM "
                                                "de Seine-Saint-Denis"),
    ("civil liability", "assurance responsabilité civile"),
    ("discipline by the establishment only", "Toute sanction disciplinaire ne peut être décidée "
                                             "que par l'établissement"),
    ("discretion and confidentiality", "tenu à la discrétion et à la confidentialité"),
    ("intellectual property", "Code de la propriété intellectuelle"),
    ("leave days (L124-13)", "bénéficie de 5 jours de congé, pris en accord avec le tuteur "
                             "(article L124-13"),
    ("suspension", "Le stage peut être suspendu"),
    ("validation of an interrupted internship (L124-15)", "l'établissement valide le stage même "
                                                          "s'il n'a pas atteint la durée "
                                                          "prévue"),
    ("termination and amendment", "la résiliation est notifiée par écrit"),
    ("evaluation returned by evaluation_return_by", "la retourne à l'enseignant référent "
                                                    "(isabelle.fontaine@lecnam.net) au plus "
                                                    "tard le 12 mai 2027"),
    ("attestation (D124-9)", "attestation de stage mentionnant sa durée effective totale"),
    ("governing law", "régie par le droit français"),
    ("signature of the establishment", "Pour l'établissement Mme Sophie MOREAU"),
    ("signature of the host", "Pour la structure d'accueil M. Paul MARTIN, directeur"),
    ("signature of the student", "Le stagiaire Mme Claire DUPONT"),
    ("signature of the tutor", "Le tuteur M. Karim BERNARD"),
    ("signature of the referent", "L'enseignant référent Mme Isabelle FONTAINE"),
]


@pytest.fixture(scope="module")
def convention_text() -> str:
    return _render("convention", example_context())


@pytest.mark.parametrize(("mention", "expected"), MENTIONS, ids=[m for m, _ in MENTIONS])
def test_the_convention_states_each_mention(convention_text: str, mention: str,
                                            expected: str) -> None:
    assert expected in convention_text, mention


def test_articles_are_numbered_as_documents_md() -> None:
    text = _render("convention", example_context())
    titles = re.findall(r"Article (\d+(?:er)?) –", text)
    assert titles == ["1er", *map(str, range(2, 13))]


def test_the_convention_carries_nothing_internal() -> None:
    text = _render("convention", example_context())
    for internal in ("Reçu", "Cadre réservé", "Pièces encore manquantes", "pascale.bonnet",
                     "Relancée par courriel"):
        assert internal not in text


def test_no_gratification_when_the_parameter_says_it_is_not_compulsory() -> None:
    text = _render("convention", _context(row={"gratification_horaire": None},
                                          gratification_obligatoire=False))
    assert ("Aucune gratification n'est due : le stagiaire suit la formation au titre de la "
            "formation professionnelle continue") in text
    assert "L124-6" not in text


def test_no_gratification_under_the_threshold_cites_l124_6() -> None:
    text = _render("convention", _context(row={"heures_total": 300.0,
                                               "gratification_horaire": None}))
    assert ("Aucune gratification n'est due au titre du présent stage, sa durée n'excédant pas "
            "308 heures de présence (article L124-6") in text


def test_the_host_declares_an_accident_when_the_gratification_exceeds_the_franchise() -> None:
    text = _render("convention", _context(row={"gratification_horaire": 5.0, "cpam": None}))
    assert ("la structure d'accueil déclare tout accident survenu au stagiaire pendant le stage "
            "ou sur le trajet à la caisse primaire d'assurance maladie dont relève le "
            "stagiaire") in text
    assert "l'établissement déclare l'accident" not in text


def test_signatory_defaults_and_leave_days_fallback() -> None:
    text = _render("convention", _context(row={"conges_jours": None}, signataire="",
                                          signataire_fonction=""))
    assert "Représenté par son administrateur général" in text
    assert "Aucun jour de congé n'est prévu pendant le stage" in text
    named = _render("convention", _context(signataire_fonction=""))
    assert "Mme Sophie MOREAU, par délégation de l'administrateur général" in named


def test_the_bordereau_lists_pieces_and_signatures_for_the_registrar() -> None:
    evening = _render("bordereau", example_context())
    for fragment in ("BORDEREAU DU DOSSIER DE CONVENTION", "en 3 exemplaires",
                     "pascale.bonnet@lecnam.net", "2 septembre 2026",
                     "La copie de la carte d'auditeur", "L'enseignant référent – Mme Isabelle "
                     "FONTAINE", "Cadre réservé au Cnam", "N° LP110-2025-2026-PAR12345"):
        assert fragment in evening, fragment
    day = _render("bordereau", _context(row={"modalite": "cours du jour"},
                                        derived={"evening": False, "missing_pieces": ()}))
    assert "Sandrine NACREON, gestionnaire des conventions des cours du jour" in day
    assert "carte d'auditeur" not in day and "pascale.bonnet" not in day


def test_the_bordereau_is_ready_for_the_rows_of_the_convention() -> None:
    for today in (SAMPLE_TODAY, SAMPLE_TODAY.replace(year=2027)):
        report = check(read_cohort(SAMPLE), today)
        assert report.issuable("bordereau") == report.issuable("convention")
        assert report.readiness()["bordereau"] == report.readiness()["convention"]


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_BROKEN = {
    "an empty list item « , , »": re.compile(r",\s*,"),
    "« par » with nothing after it": re.compile(r"\bpar\s*[,.;)]"),
    "an empty « : »": re.compile(r":[ \u00a0]*(?:[,;.)–]|[ \u00a0]{2})"),
    "a missing value « ( ) »": re.compile(r"\(\s*\)"),
}


def _paragraphs(path: Path) -> Iterator[str]:
    """Every paragraph's text in every part of ``path``, form fields' content included (a
    content control shows « Cliquez pour saisir », not an empty « : »)."""
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if name.startswith("word/") and name.endswith(".xml"):
                root = etree.fromstring(package.read(name))
                for paragraph in root.iter(f"{{{W}}}p"):
                    yield "".join(t.text or "" for t in paragraph.iter(f"{{{W}}}t"))


def test_no_generated_document_of_the_sample_prints_a_half_sentence(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["all", str(SAMPLE), "--today", str(SAMPLE_TODAY), "-q",
                                 "-o", str(tmp_path)])
    assert result.exit_code in (0, 1), result.output
    letters = runner.invoke(cli, ["reminders", str(SAMPLE), "--today", str(SAMPLE_TODAY),
                                  "--letters", "-o", str(tmp_path)])
    assert letters.exit_code in (0, 1), letters.output
    documents = sorted(tmp_path.rglob("*.docx"))
    folders = {path.parent.name for path in documents}
    assert {"conventions", "bordereaux", "definitions", "accords", "evaluations"} <= folders
    for path in documents:
        for line in _paragraphs(path):
            for what, pattern in _BROKEN.items():
                assert not pattern.search(line), f"{path.name} : {what} : {line!r}"


def test_a_signatory_without_function_is_a_file_warning() -> None:
    def codes(**params: object) -> list[str]:
        found = parameter_findings(Params(**params), EXAMPLE_TODAY, conventions=True)  # type: ignore[arg-type]
        return [f.message.split(" vide")[0] for f in found if f.code == "FILE-MISSING-PARAMETER"]

    assert codes() == ["Paramètre « Signataire de l'établissement »"]
    assert codes(signataire="Mme Sophie MOREAU") == ["Paramètre « Fonction du signataire »"]
    assert codes(signataire="Mme Sophie MOREAU", signataire_fonction="directrice") == []


@pytest.mark.parametrize(("civilite", "words"), [
    ("Mme", ("L'auditrice prend contact", "munie de toutes", "La stagiaire –",
             "la stagiaire mènera", "Activités confiées à la stagiaire")),
    ("M.", ("L'auditeur prend contact", "muni de toutes", "Le stagiaire –",
            "le stagiaire mènera", "Activités confiées au stagiaire"))])
def test_the_student_is_named_in_the_rows_gender(civilite: str, words: tuple[str, ...]) -> None:
    """The bordereau and the définition agree with the row's civilité."""
    context = _context(row={"civilite": civilite})
    text = _render("bordereau", context) + " " + _render("definition", context)
    for fragment in words:
        assert fragment in text, fragment


@pytest.mark.parametrize(("civilite", "words"), [
    ("Mme", {"definition": ("Tutrice Mme Karim BERNARD", "La tutrice Mme Karim BERNARD"),
             "convention": ("La tutrice Mme Karim BERNARD",),
             "bordereau": ("La tutrice – Mme Karim BERNARD",),
             "accord": ("établie avec votre tutrice, Mme Karim BERNARD",
                        "Tutrice Mme Karim BERNARD", "sous la responsabilité de votre tutrice ; "
                        "son évaluation et sa validation seront effectuées par la tutrice"),
             "evaluation": ("À compléter par la tutrice", "Tutrice Mme Karim BERNARD",
                            "Appréciation de la tutrice", "Décision de la tutrice",
                            "La tutrice Nom")}),
    ("M.", {"definition": ("Tuteur M. Karim BERNARD", "Le tuteur M. Karim BERNARD"),
            "convention": ("Le tuteur M. Karim BERNARD",),
            "bordereau": ("Le tuteur – M. Karim BERNARD",),
            "accord": ("établie avec votre tuteur, M. Karim BERNARD", "Tuteur M. Karim BERNARD",
                       "sous la responsabilité de votre tuteur ; son évaluation et sa "
                       "validation seront effectuées par le tuteur"),
            "evaluation": ("À compléter par le tuteur", "Tuteur M. Karim BERNARD",
                           "Appréciation du tuteur", "Décision du tuteur", "Le tuteur Nom")}),
    (None, {"convention": ("Le tuteur Karim BERNARD",),
            "bordereau": ("Le tuteur – Karim BERNARD",)})])
def test_the_tutor_is_named_in_the_tutors_gender(civilite: str | None,
                                                  words: dict[str, tuple[str, ...]]) -> None:
    """Where a document names the tutor (her box, her signature block, the form she fills),
    the role agrees with her civilité; without one it reads « Le tuteur ». The law's generic
    mentions (« sous la responsabilité d'un tuteur », L124-9) stay as they are."""
    context = _context(row={"tuteur_civilite": civilite})
    for name, fragments in words.items():
        text = _render(name, context)
        for fragment in fragments:
            assert fragment in text, (name, fragment)
        assert ("tutrice" in text.casefold()) == (civilite == "Mme"), name
    assert "sous la responsabilité d'un tuteur" in _render("convention", context)
