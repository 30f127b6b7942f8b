"""Make the templates French and current, as `gen` makes every document it writes: every text
`fr-FR`, no « Mode de compatibilité », no `stylesWithEffects.xml` nor thumbnail left by
python-docx's default template, core properties naming the template and the establishment,
and the template's own text in French typography (a no-break space before « : ; ! ? » »).

    python data/normalise_templates.py [TEMPLATE.docx ...]

Without arguments, every `templates/*.docx`. Re-run it after editing a template (in Word,
LibreOffice or a script): a template already normal is left untouched, byte for byte.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

from generator.atomic import write_atomic
from generator.cohort.params import Params
from generator.documents.package import (
    core_part,
    core_properties,
    generation_time,
    normalise,
    package_bytes,
    template_label,
    typeset_template,
)

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
# What python-docx's default template leaves in the core properties.
_LEFTOVERS = (b"python-docx", b"2013-12-23")


def normalise_template(path: Path) -> bool:
    """Rewrite `path` normalised; whether it changed."""
    with zipfile.ZipFile(path) as source:
        members = {info.filename: source.read(info) for info in source.infolist()
                   if not info.is_dir()}
        dates = {info.filename: info.date_time for info in source.infolist()}
    fixed = normalise(typeset_template(members))
    core = core_part(fixed["_rels/.rels"])
    if any(leftover in fixed[core] for leftover in _LEFTOVERS) or core not in members:
        title = f"Modèle : {template_label(path.name)}"
        fixed[core] = core_properties(title, Params().etablissement, generation_time())
    if fixed == members:
        return False
    write_atomic(path, package_bytes(fixed, dates))
    return True


def main(arguments: list[str]) -> int:
    paths = [Path(argument) for argument in arguments] or sorted(TEMPLATES.glob("*.docx"))
    for path in paths:
        print(f"{path.name} : {'normalisé' if normalise_template(path) else 'déjà normal'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
