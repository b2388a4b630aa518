"""Why a file operation failed, in French: the system's own text (strerror) is often English.

One wording for the reader, the writer, the template writer and the key-file reader, so a
coordinator reads the same words for the same cause whatever command met it.
"""

from __future__ import annotations

import errno

_NO_SPACE = frozenset({errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)})
_WINDOWS_BUSY = frozenset({32, 33})  # sharing / lock violation
_WINDOWS_IN_USE = _WINDOWS_BUSY | {5}  # access denied: a file open without delete sharing

REASONS = {
    "space": "espace insuffisant (disque plein, quota atteint ou taille de fichier limitée)",
    "read-only": "disque en lecture seule",
    "busy": "fichier utilisé par un autre programme",
    "denied": "permission refusée (dossier ou fichier en lecture seule, ou réservé à un autre "
              "utilisateur)",
    "directory": "c'est un dossier, pas un fichier",
    "missing": "fichier ou dossier introuvable",
}


def cause(exc: OSError) -> str:
    """The kind of failure: a key of REASONS, or "other"."""
    if exc.errno in _NO_SPACE:
        return "space"
    if exc.errno == errno.EROFS:
        return "read-only"
    if getattr(exc, "winerror", None) in _WINDOWS_BUSY or exc.errno == errno.EBUSY:
        return "busy"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "denied"
    if exc.errno == errno.EISDIR:
        return "directory"
    if exc.errno == errno.ENOENT:
        return "missing"
    return "other"


def open_elsewhere(exc: OSError) -> bool:
    """Windows refused to replace a file because a program (Excel) keeps it open.

    Where the folder let us create the temp file and the file is not read-only (both checked
    before), ERROR_ACCESS_DENIED from the replace means the same as a sharing violation.
    """
    return getattr(exc, "winerror", None) in _WINDOWS_IN_USE


def reason(exc: OSError) -> str:
    """The cause of `exc`, in French."""
    return REASONS.get(cause(exc)) or f"erreur du système : {exc.strerror or exc}"


_WHAT_TO_DO = {
    "space": "libérez de la place puis relancez la synchronisation",
    "read-only": "copiez le classeur sur un disque où vous pouvez écrire, puis relancez",
    "busy": "fermez le programme qui l'utilise (Excel, synchronisation en ligne…) puis relancez",
    "denied": "vérifiez que vous pouvez écrire dans ce dossier, ou copiez le classeur dans un "
              "dossier à vous, puis relancez",
}


def disk_problem(exc: OSError) -> tuple[str, str]:
    """(why, what to do), in French, for a failed write or file creation."""
    return reason(exc), _WHAT_TO_DO.get(
        cause(exc), "relancez, et si l'erreur persiste, copiez le classeur dans un dossier local")
