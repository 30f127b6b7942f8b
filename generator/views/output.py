"""Writing a view (page, calendar) without leaving a half-written file behind."""

from __future__ import annotations

from pathlib import Path

from generator.atomic import write_atomic
from generator.errors import GenError


def write_view(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename, creating its folder.
    Raises GenError (one French line) when the file cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data)
    except OSError as error:
        raise GenError(f"Impossible d'écrire « {path} » ({error.strerror or error}). Vérifiez "
                       "le dossier et que le fichier n'est pas ouvert dans un autre "
                       "programme.") from error
