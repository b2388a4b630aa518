"""The same French words for the same system failure, whatever command met it."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from sheets_sync.backends.excel.read import read_bytes
from sheets_sync.backends.files.os_reasons import reason
from sheets_sync.errors import SourceError


@pytest.mark.parametrize(("code", "words"), [
    (errno.ENOSPC, "espace insuffisant"), (errno.EFBIG, "espace insuffisant"),
    (errno.EACCES, "permission refusée"), (errno.EPERM, "permission refusée"),
    (errno.EROFS, "disque en lecture seule"), (errno.EBUSY, "fichier utilisé"),
    (errno.EISDIR, "c'est un dossier"), (errno.ENOENT, "introuvable"),
    (errno.EIO, "erreur du système"),
])
def test_each_cause_has_its_french_words(code: int, words: str) -> None:
    assert words in reason(OSError(code, "English text from the system"))


def test_an_unreadable_source_says_why_in_french(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "reponses.xlsx"
    source.write_bytes(b"PK")

    def denied(self: Path) -> bytes:
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(SourceError) as caught:
        read_bytes(source)
    assert "permission refusée" in str(caught.value)
    assert "Permission denied" not in str(caught.value)
