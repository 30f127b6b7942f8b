"""Where each template is read from: the team's folder (`--templates`) when it holds that file,
else the one shipped with the program.

The shipped templates are package data: the repository's `templates/` folder is installed as
`generator/templates/` (setup.py's package-dir mapping), read through importlib.resources. In
a source checkout (tests, `python -m generator` from the repository) the folder is read where
it is.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import generator


def builtin_folder() -> Path:
    """The folder of the templates shipped with the program (it may lack a file only when the
    installation is broken: `gen templates check` then says so)."""
    shipped = resources.files(generator) / "templates"
    if shipped.is_dir():
        return Path(str(shipped))
    return Path(generator.__file__).resolve().parents[1] / "templates"  # a source checkout


def template_file(name: str, team: Path | None = None) -> Path:
    """The template `name` (a file name such as `convention.docx`): the team folder's copy when
    there is one, else the shipped one. The path may not exist when neither has it; the caller
    reports it (`checking.ensure_usable`)."""
    if team is not None and (Path(team) / name).is_file():
        return Path(team) / name
    return builtin_folder() / name
