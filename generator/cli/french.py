"""click's own texts in French: « Utilisation : », « Erreur : argument manquant », « [par
défaut : output] »…

click marks every text it prints with gettext (`_()` and `ngettext()`, bound in each of its
modules when it is imported) but ships no catalogue, and gettext would pick the language from
the user's environment. `install()` gives those modules this fixed French catalogue instead,
whatever the locale. The names click quotes inside them (an option, an argument, a suggested
command: 'check') are quoted « check », as French is. Texts only a programmer sees (a badly
declared option) stay as click wrote them; `tests/test_cli_french.py` keeps this catalogue
equal to click's own.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import Any

# click's msgid → French. Placeholders keep click's names; `{x!r}` becomes « {x} ».
TEXTS: dict[str, str] = {
    "Usage:": "Utilisation :",
    # section headings: click adds the colon, the space before it is French typography
    "Options": "Options ",
    "Positional arguments": "Arguments ",  # click 8.5+
    "Commands": "Commandes ",
    "Missing command.": "Commande manquante.",
    "Aborted!": "Interrompu.",
    "deprecated": "obsolète",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}":
        "Attention : la commande « {name} » est obsolète.{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}":
        "Attention : le paramètre « {name} » est obsolète.{extra_message}",
    "Value must be an iterable.": "La valeur doit être une liste.",
    "env var: {var}": "variable d'environnement : {var}",
    "default: {default}": "par défaut : {default}",
    "(dynamic)": "(calculé)",
    "required": "obligatoire",
    "Do you want to continue?": "Voulez-vous continuer ?",
    "Confirm the action without prompting.": "Confirme l'action sans la demander.",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "Show the version and exit.": "Affiche la version et quitte.",
    "Show this message and exit.": "Affiche cette aide et quitte.",
    "Missing argument": "Argument manquant",
    "Missing option": "Option manquante",
    "Missing parameter": "Paramètre manquant",
    "Missing parameter: {param_name}": "Paramètre manquant : {param_name}",
    "Missing {param_type}": "{param_type} manquant",
    "argument": "argument",
    "option": "option",
    "parameter": "paramètre",
    "unknown error": "erreur inconnue",
    "Invalid value for {param_hint}: {message}": "Valeur incorrecte pour {param_hint} : {message}",
    "Invalid value: {message}": "Valeur incorrecte : {message}",
    "Could not open file {filename!r}: {message}":
        "Impossible d'ouvrir le fichier « {filename} » : {message}",
    "Error: {message}": "Erreur : {message}",
    "Try '{command} {option}' for help.": "Pour l'aide : « {command} {option} ».",
    "No such option {name!r}.": "L'option « {name} » n'existe pas.",
    "No such option: {name}": "L'option « {name} » n'existe pas.",
    "No such command {name!r}.": "La commande « {name} » n'existe pas.",
    "Invalid start character for option ({option})":
        "Caractère de début d'option incorrect ({option})",
    "Option {name!r} does not take a value.": "L'option « {name} » ne prend pas de valeur.",
    "Argument {name!r} takes {nargs} values.": "L'argument « {name} » prend {nargs} valeurs.",
    "Couldn't detect Bash version, shell completion is not supported.":
        "Version de Bash inconnue : la complétion n'est pas disponible.",
    "Shell completion is not supported for Bash versions older than 4.4.":
        "La complétion demande Bash 4.4 ou plus récent.",
    "Press any key to continue...": "Appuyez sur une touche pour continuer…",
    "Repeat for confirmation": "Répétez pour confirmer",
    "Error: The two entered values do not match.":
        "Erreur : les deux valeurs saisies sont différentes.",
    "Error: invalid input": "Erreur : saisie incorrecte",
    "file": "fichier",
    "directory": "dossier",
    "path": "chemin",
    "Choose from:\n\t{choices}": "Choisissez parmi :\n\t{choices}",
    "Choice({choices})": "Choix({choices})",
    "{value} is not in the range {range}.": "{value} n'est pas dans l'intervalle {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "« {value} » n'est pas oui ou non. Valeurs reconnues : {states}",
    "{value!r} is not a valid {number_type}.": "« {value} » n'est pas un nombre ({number_type}).",
    "{value!r} is not a valid UUID.": "« {value} » n'est pas un UUID.",
    "{name} {filename!r} is a file.": "{name} « {filename} » : c'est un fichier.",
    "{name} {filename!r} is a directory.": "{name} « {filename} » : c'est un dossier.",
    "{name} {filename!r} is not readable.": "{name} « {filename} » : illisible.",
    "{name} {filename!r} is not writable.": "{name} « {filename} » : écriture impossible.",
    "{name} {filename!r} is not executable.": "{name} « {filename} » : non exécutable.",
    "{name} {filename!r} does not exist.": "{name} « {filename} » introuvable.",
    "{editor}: Editing failed": "{editor} : la modification a échoué",
    "{editor}: Editing failed: {e}": "{editor} : la modification a échoué : {e}",
    "Windows error: {error}": "Erreur Windows : {error}",
}

# Singular msgid → (French singular, French plural).
PLURALS: dict[str, tuple[str, str]] = {
    "Got unexpected extra argument ({args})": (
        "Argument en trop : {args}", "Arguments en trop : {args}"),
    "Takes {nargs} values but 1 was given.": (
        "Prend {nargs} valeurs, 1 seule donnée.", "Prend {nargs} valeurs, {len} données."),
    "Did you mean {possibility}?": (
        "Vouliez-vous dire {possibility} ?", "(Vouliez-vous dire l'une de : {possibilities} ?)"),
    "Option {name!r} requires an argument.": (
        "L'option « {name} » demande une valeur.",
        "L'option « {name} » demande {nargs} valeurs."),
    "{value!r} is not {choice}.": (
        "« {value} » n'est pas possible : seule valeur acceptée, {choice}.",
        "« {value} » n'est pas une valeur possible : choisissez parmi {choices}."),
    "{value!r} does not match the format {format}.": (
        "« {value} » n'a pas le format {format}.",
        "« {value} » n'a aucun des formats {formats}."),
    "{len_type} values are required, but {len_value} was given.": (
        "{len_type} valeurs sont demandées, {len_value} donnée.",
        "{len_type} valeurs sont demandées, {len_value} données."),
}

# Texts only a programmer declaring options can trigger: left in English.
DEVELOPER_TEXTS = frozenset({
    "Could not determine name for option with declarations {decls!r}",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument "
    "instead? Did you mean to pass '--{name}'?",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.",
    "Name '{name}' defined twice",
    "Boolean option {decl!r} cannot use the same flag for true/false.",
    "Unknown color {colour!r}",
    "Unknown standard stream '{name}'",
    "d",  # the default key of a choice in `click.pause`
})

CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui",
                 "types", "shell_completion", "_termui_impl", "utils")


def gettext(message: str) -> str:
    """click's `_()`: the French text, or the message itself when it has none."""
    return TEXTS.get(message, message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """click's `ngettext()`: French singular for 0 and 1 (French usage), plural beyond."""
    french = PLURALS.get(singular)
    if french is None:
        return singular if count == 1 else plural
    return french[0] if count <= 1 else french[1]


def install() -> None:
    """Give every click module that marks texts this catalogue (idempotent)."""
    for name in CLICK_MODULES:
        try:
            module = importlib.import_module(f"click.{name}")
        except ImportError:  # a platform-only module (Windows console)
            continue
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
    _quote_names()


def quoted(name: object) -> str:
    """A name inside a French sentence: « --format »."""
    return f"« {name} »"


def _hints(param_hint: Sequence[str] | str | None) -> str | None:
    """click's `_join_param_hints`, quoting in French."""
    if param_hint is not None and not isinstance(param_hint, str):
        return " / ".join(quoted(hint) for hint in param_hint)
    return param_hint


def _possibilities(possibilities: list[str]) -> str:
    """click's `_format_possibilities` (« Vouliez-vous dire « check » ? »)."""
    names = ", ".join(quoted(name) for name in sorted(possibilities))
    return ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)",
                    len(possibilities)).format(possibility=names, possibilities=names)


def _error_hint(original: Callable[..., str]) -> Callable[..., str]:
    """A parameter's `get_error_hint` whose single quotes become « »: 'CLASSEUR' → « CLASSEUR
    »; applied once."""
    if getattr(original, "french", False):
        return original

    def hint(self: Any, ctx: Any) -> str:
        text = original(self, ctx)
        return " / ".join(quoted(part.strip("'")) if part.startswith("'") else part
                          for part in text.split(" / "))

    hint.french = True  # type: ignore[attr-defined]
    return hint


def _invalid_choice(self: Any, value: object, ctx: Any) -> str:
    """click's `Choice.get_invalid_choice_message` (8.2+), the choices quoted in French."""
    names = ", ".join(quoted(choice) for choice in self._normalized_mapping(ctx=ctx).values())
    return ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.",
                    len(self.choices)).format(value=value, choice=names, choices=names)


def _quote_names() -> None:
    """The private helpers (click 8.2+) and the hint methods that quote names with ' '."""
    exceptions = importlib.import_module("click.exceptions")
    core = importlib.import_module("click.core")
    for name, french in (("_join_param_hints", _hints),
                         ("_format_possibilities", _possibilities)):
        if hasattr(exceptions, name):
            setattr(exceptions, name, french)
    types = importlib.import_module("click.types")
    if hasattr(types.Choice, "get_invalid_choice_message"):
        types.Choice.get_invalid_choice_message = _invalid_choice
    for cls in (core.Parameter, core.Argument):
        if "get_error_hint" in vars(cls):
            cls.get_error_hint = _error_hint(vars(cls)["get_error_hint"])
