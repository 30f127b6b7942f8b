"""The few "cannot go on" exceptions; bad data is reported as findings, never raised."""

from __future__ import annotations

import errno

from generator.findings import Finding


class GenError(Exception):
    """Work cannot go on; the message is one French line for the user (exit status 2)."""

    code = "GEN-ERROR"


class InputError(GenError):
    """The workbook cannot be used at all (a FILE-… finding carries the detail)."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding
        self.code = finding.code


class TemplateError(GenError):
    """A template cannot be used: unknown key, split tag, broken block."""

    code = "TEMPLATE-ERROR"


def file_system_message(error: OSError) -> str:
    """One French line for a file-system error: the path and what to do about it."""
    path = error.filename or "?"
    if error.filename2:
        path = f"{path} → {error.filename2}"
    number = error.errno
    if number in (errno.ENOSPC, errno.EDQUOT):
        return (f"Disque plein en écrivant {path} : libérez de la place, puis relancez la "
                "commande.")
    if number in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (f"Écriture refusée sur {path} (dossier en lecture seule, ou fichier ouvert "
                "dans un autre programme) : fermez le fichier ou choisissez un autre dossier "
                "de sortie (-o), puis relancez la commande.")
    if number == errno.ENOTDIR:
        return (f"{path} : un élément de ce chemin est un fichier, pas un dossier ; renommez ce "
                "fichier ou choisissez un autre dossier de sortie (-o).")
    if number == errno.EEXIST:
        return (f"{path} existe déjà et n'est pas un dossier : renommez-le ou choisissez un "
                "autre dossier de sortie (-o).")
    if number == errno.EISDIR:
        return f"{path} est un dossier : indiquez un nom de fichier."
    if number == errno.ENOENT:
        return f"{path} n'existe pas : vérifiez le chemin."
    if number == errno.ENAMETOOLONG:
        return f"Chemin trop long : {path} ; choisissez un dossier de sortie plus court (-o)."
    return (f"Erreur du système de fichiers sur {path} ({error.strerror or error}) : vérifiez "
            "le dossier, puis relancez la commande.")
