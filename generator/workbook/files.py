"""Saving a workbook without ever leaving a half-written file behind."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook

from generator.atomic import write_atomic
from generator.errors import GenError


def save_atomically(workbook: Workbook, destination: Path, *, overwrite: bool,
                    finish: Callable[[bytes], bytes] | None = None) -> None:
    """Save `workbook` to a temporary file beside `destination`, then rename it into place,
    so that an interrupted run leaves either the old file or the new one, never a broken one.
    `finish` may change the saved bytes before they are written.

    Raises GenError (French message) when `destination` exists and `overwrite` is false, or
    when the file cannot be written (folder missing, file open in Excel, no permission).
    """
    if destination.exists() and not overwrite:
        raise GenError(f"Le fichier « {destination} » existe déjà : il n'est pas remplacé. "
                       "Choisissez un autre nom ou déplacez l'ancien fichier.")
    if not destination.parent.is_dir():
        raise GenError(f"Le dossier « {destination.parent} » n'existe pas : créez-le d'abord.")
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = finish(buffer.getvalue()) if finish is not None else buffer.getvalue()
    try:
        write_atomic(destination, data)
    except OSError as error:
        raise GenError(f"Impossible d'écrire « {destination} » ({error.strerror or error}). "
                       "Le fichier est peut-être ouvert dans Excel ou LibreOffice : fermez-le "
                       "et recommencez.") from error
