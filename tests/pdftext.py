"""The text of a PDF as poppler's pdftotext reads it: what a person sees on the pages."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def pdf_text(path: Path) -> str | None:
    """Every page's text, or None without pdftotext (apt-get install poppler-utils)."""
    binary = shutil.which("pdftotext")
    if binary is None:
        return None
    completed = subprocess.run([binary, "-enc", "UTF-8", str(path), "-"], capture_output=True,
                               timeout=60, check=False)
    return completed.stdout.decode("utf-8", "replace") if completed.returncode == 0 else ""
