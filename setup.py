"""The packages and their data files. The templates are package data: the repository's
`templates/` folder (where the team finds and edits them) is installed as
`generator/templates/`. pyproject.toml's `packages.find` cannot map a folder from outside the
package, hence these few lines; everything else is in pyproject.toml."""

from setuptools import find_namespace_packages, setup

setup(
    packages=[*find_namespace_packages(include=["generator", "generator.*"]),
              "generator.templates"],
    package_dir={"generator.templates": "templates"},
    package_data={"generator.templates": ["*.docx", "README.md"],
                  "generator.views": ["*.html", "*.css", "*.js"]},
)
