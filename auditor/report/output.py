"""The output folder: checked before the audit, written all at once, never half-written.

- ``OutputFolder.prepare()`` runs before any input is read. ``--out`` must be a folder
  (created when missing) that the user can write to, and must not itself be an input
  folder (an output folder inside an input folder is skipped when reading); otherwise ``OutputError`` (Swedish) and exit 2.
- Writers write into a staging folder (``.auditor-tmp-…``) inside ``--out`` (same file
  system, so the final moves are renames). ``commit()`` moves every file in with
  ``os.replace`` while Ctrl-C is held back, removes report files of earlier runs that
  this run did not write, and records the files in the manifest ``.auditor-utdata.json``.
  A run that fails or is interrupted before ``commit()`` leaves the earlier outputs as
  they were; ``abort()`` removes the staging folder.
- Only files the auditor wrote are ever removed: those in the manifest, and for a folder
  from a version without a manifest, the known report names (``findings.*``, HTML pages
  with the auditor's generator tag). The history database (``historik.sqlite``) and
  everything else in the folder is never touched.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
from pathlib import Path

MANIFEST = ".auditor-utdata.json"  # the same name auditor.ingest.discover skips
STAGING_PREFIX = ".auditor-tmp-"
NEVER_REMOVE = frozenset({"historik.sqlite", "historik.sqlite-wal", "historik.sqlite-shm", MANIFEST})
LEGACY_NAMES = frozenset({"findings.json", "findings.xlsx", "findings.csv", "index.html"})


class OutputError(Exception):
    """``--out`` cannot be used; the message is Swedish, for the command line."""


class OutputFolder:
    def __init__(self, out: Path, inputs: list[Path] | None = None):
        self.out = Path(out)
        self.inputs = [Path(p) for p in inputs or []]
        self.stage: Path | None = None

    # -- before the audit -------------------------------------------------------------
    def prepare(self) -> Path:
        """Check ``--out`` and create the staging folder; returns it."""
        out = self.out
        if out.exists() and not out.is_dir():
            raise OutputError(
                f"--out {out} är en fil, inte en mapp. Ange en mapp för rapporterna."
            )
        real_out = out.resolve()
        for p in self.inputs:
            try:
                real = p.resolve()
            except (OSError, RuntimeError):
                continue
            if real == real_out:
                raise OutputError(
                    f"--out {out} är också indata ({p}). Rapporterna skulle blandas med "
                    "exporterna och läsas som indata nästa gång. Ange en annan mapp för --out."
                )
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(
                f"Mappen {out} för rapporterna kan inte skapas ({_why(exc)}). Ange en mapp du "
                "kan skriva i med --out."
            ) from exc
        stage = out / f"{STAGING_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
        try:
            stage.mkdir()
            probe = stage / ".skrivtest"
            probe.write_bytes(b"ok")
            probe.unlink()
        except OSError as exc:
            with contextlib.suppress(OSError):
                stage.rmdir()
            raise OutputError(
                f"Det går inte att skriva i mappen {out} ({_why(exc)}). Ange en mapp du kan "
                "skriva i med --out."
            ) from exc
        self._sweep_stale_stages(stage)
        self.stage = stage
        return stage

    def _sweep_stale_stages(self, keep: Path) -> None:
        """Staging folders of runs that were killed (not of runs still going)."""
        for p in self.out.glob(STAGING_PREFIX + "*"):
            if p == keep or not p.is_dir():
                continue
            pid = p.name[len(STAGING_PREFIX):].split("-", 1)[0]
            if pid.isdigit() and _alive(int(pid)):
                continue
            shutil.rmtree(p, ignore_errors=True)

    # -- after the audit --------------------------------------------------------------
    def commit(self, staged: list[Path]) -> list[Path]:
        """Move the staged files into ``--out``; returns their final paths."""
        assert self.stage is not None, "prepare() first"
        names = sorted({p.relative_to(self.stage).as_posix() for p in staged})
        old = self._previous()
        mask = _block_interrupts()
        try:
            for name in names:
                dest = self.out / name
                dest.parent.mkdir(parents=True, exist_ok=True)
                os.replace(self.stage / name, dest)
            for name in sorted(old - set(names)):
                if Path(name).name in NEVER_REMOVE or Path(name).is_absolute() or ".." in Path(name).parts:
                    continue
                p = self.out / name
                if p.is_file() and not p.is_symlink():
                    p.unlink()
            tmp = self.stage / MANIFEST
            tmp.write_text(
                json.dumps({"filer": names}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
            )
            os.replace(tmp, self.out / MANIFEST)
        finally:
            _restore_interrupts(mask)
            self.abort()
        return [self.out / n for n in names]

    def abort(self) -> None:
        if self.stage is not None:
            shutil.rmtree(self.stage, ignore_errors=True)
            self.stage = None

    def _previous(self) -> set[str]:
        manifest = self.out / MANIFEST
        if manifest.is_file():
            try:
                data = json.loads(manifest.read_text(encoding="utf-8"))
                return {str(n) for n in data.get("filer", []) if isinstance(n, str)}
            except (OSError, ValueError, AttributeError):
                return set()
        # an output folder from before manifests: only the known report files
        out = set()
        for p in self.out.iterdir():
            if not p.is_file():
                continue
            if p.name in LEGACY_NAMES or (p.suffix == ".html" and _is_our_page(p)):
                out.add(p.name)
        return out


def _is_our_page(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    return b'<meta name="generator" content="auditor' in head


def _why(exc: OSError) -> str:
    import errno

    return {
        errno.EACCES: "behörighet saknas",
        errno.EPERM: "behörighet saknas",
        errno.EROFS: "skrivskyddat filsystem",
        errno.ENOSPC: "disken är full",
        errno.ENOTDIR: "en del av sökvägen är en fil",
        errno.EEXIST: "finns redan som fil",
    }.get(exc.errno or 0, "kan inte skrivas")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _block_interrupts():
    if hasattr(signal, "pthread_sigmask"):
        with contextlib.suppress(ValueError, OSError):
            return signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    return None


def _restore_interrupts(mask) -> None:
    if mask is not None and hasattr(signal, "pthread_sigmask"):
        with contextlib.suppress(ValueError, OSError):
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
