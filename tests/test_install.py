"""A normal install, not an editable one: the wheel carries the templates, and `pip install .`
into a new virtual environment runs `gen all` on the sample from another folder, with the
same outcome as the source checkout. Slow (two builds): about 20 s."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE, SAMPLE_TODAY
from print_helpers import run

# What a clone holds that a build must not see (caches, outputs, earlier builds).
_NOT_SOURCES = shutil.ignore_patterns(".git", "output", "build", "dist", "*.egg-info",
                                      "__pycache__", ".*_cache", ".venv", "venv")


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository, so that building leaves the checkout as it is."""
    return Path(shutil.copytree(ROOT, tmp_path_factory.mktemp("clone") / "gen",
                                ignore=_NOT_SOURCES))


def _clean_env() -> dict[str, str]:
    """The environment without the test run's PYTHONPATH (which points at the checkout)."""
    return {key: value for key, value in os.environ.items()
            if key not in {"PYTHONPATH", "PYTHONHOME"}}


def _pip(python: Path | str, *args: str | Path, cwd: Path) -> None:
    done = subprocess.run([str(python), "-m", "pip", "--disable-pip-version-check", "-q",
                           *map(str, args)], cwd=cwd, env=_clean_env(), capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_wheel_holds_every_template(sources: Path, tmp_path: Path) -> None:
    _pip(sys.executable, "wheel", "--no-deps", "-w", tmp_path, ".", cwd=sources)
    wheel = next(tmp_path.glob("gen_lp110-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = sorted(path.name for path in (ROOT / "templates").glob("*.docx"))
    assert len(shipped) >= 10
    for name in [*shipped, "README.md"]:
        assert f"generator/templates/{name}" in names
    # every module and data file too (the subfolders without __init__.py included)
    for path in (ROOT / "generator").rglob("*.*"):
        if "__pycache__" not in path.parts:
            assert path.relative_to(ROOT).as_posix() in names


def test_a_fresh_install_runs_gen_all_on_the_sample(sources: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    # the dependencies come from the interpreter running the tests (no download); gen itself
    # is installed the normal way, not editable
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", venv], check=True,
                   env=_clean_env())
    python = venv / "bin" / "python"
    _pip(python, "install", "--no-deps", ".", cwd=sources)
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    where = subprocess.run([python, "-c", "import generator; print(generator.__file__)"],
                           cwd=elsewhere, env=_clean_env(), capture_output=True, text=True)
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout + where.stderr

    installed = subprocess.run(
        [venv / "bin" / "gen", "all", SAMPLE, "-o", "sortie", "--today",
         SAMPLE_TODAY.isoformat()],
        cwd=elsewhere, env=_clean_env(), capture_output=True, text=True, timeout=300)
    assert "introuvable" not in installed.stderr and "Traceback" not in installed.stderr
    checkout = run("all", SAMPLE, "-o", tmp_path / "reference", "--today",
                   SAMPLE_TODAY.isoformat())
    assert installed.returncode == checkout.exit_code, installed.stderr
    written = sorted(p.relative_to(elsewhere / "sortie").as_posix()
                     for p in (elsewhere / "sortie").rglob("*.docx"))
    expected = sorted(p.relative_to(tmp_path / "reference").as_posix()
                      for p in (tmp_path / "reference").rglob("*.docx"))
    assert written == expected and len(written) > 20
