"""Where the pseudonymisation key comes from.

The key for ``--pseudonymize`` comes from ``--key-file`` or the environment variable
``AUDITOR_PSEUDONYM_KEY``; the same key gives the same pseudonyms in every run. Protected
identities are hidden even without ``--pseudonymize``: when no key is configured, a random
key is created once in the user's configuration folder (readable by the user alone) and
reused by later runs, so a protected case keeps its ``SKYDDAD-`` id from month to month.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ENV_VAR = "AUDITOR_PSEUDONYM_KEY"
LOCAL_KEY_NAME = "nyckel"


class KeyMissing(Exception):
    """No usable key where one is needed. The message is Swedish, for the command line."""


def load_key(key_file: Path | None, *, required: bool) -> bytes | None:
    """The configured key: ``key_file`` if given, else ``$AUDITOR_PSEUDONYM_KEY``.

    Returns None when neither is set and ``required`` is false. Raises ``KeyMissing`` when
    a key is required and none is configured, or when the key file cannot be used.
    """
    if key_file is not None:
        try:
            key = Path(key_file).read_bytes().strip()
        except OSError as exc:
            raise KeyMissing(
                f"Nyckelfilen {key_file} kan inte läsas ({exc.strerror or exc}). "
                "Kontrollera sökvägen och att du har läsrätt till filen."
            ) from exc
        if not key:
            raise KeyMissing(f"Nyckelfilen {key_file} är tom. Lägg en hemlig nyckel i filen.")
        return key
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return env.encode("utf-8")
    if required:
        raise KeyMissing(
            "Pseudonymisering kräver en nyckel, men ingen nyckel är angiven. "
            f"Ange en nyckelfil med --key-file FIL eller sätt miljövariabeln {ENV_VAR}. "
            "Använd samma nyckel varje månad så att samma brukare får samma pseudonym."
        )
    return None


def local_key_path() -> Path:
    """``$XDG_CONFIG_HOME/auditor/nyckel``, or ``~/.config/auditor/nyckel``."""
    base = os.environ.get("XDG_CONFIG_HOME", "").strip()
    root = Path(base) if base else Path.home() / ".config"
    return root / "auditor" / LOCAL_KEY_NAME


def local_key() -> bytes:
    """The local key for protected identities, created (mode 0600) on first use."""
    path = local_key_path()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            key = path.read_bytes().strip()
            if key:
                if path.stat().st_mode & 0o077:
                    path.chmod(0o600)
                return key
            raise KeyMissing(
                f"Den lokala nyckelfilen {path} är tom. Ta bort filen så skapas en ny."
            ) from None
        key = secrets.token_hex(32).encode("ascii")
        with os.fdopen(fd, "wb") as fh:
            fh.write(key + b"\n")
        return key
    except OSError as exc:
        raise KeyMissing(
            f"Kunde inte skapa eller läsa den lokala nyckelfilen {path} ({exc.strerror or exc}). "
            f"Ange en nyckel med --key-file FIL eller miljövariabeln {ENV_VAR}."
        ) from exc
