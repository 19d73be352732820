"""Inputs on disk: files and folders (recursive) in a deterministic order, each with
the path users see and whether it is an export to read or a file to skip."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path, PurePath

EXPORT_EXTENSIONS = frozenset({".csv", ".txt", ".xlsx", ".xlsm", ".xls"})
SKIP_DIRS = frozenset({"__MACOSX", "__pycache__"})


@dataclass(frozen=True)
class Candidate:
    path: Path
    display: str  # the path as users see it: relative where possible, "/" separators
    skip: str | None = None  # Swedish reason when the file is not read
    missing: bool = False


def skip_reason(name: str) -> str | None:
    lower = name.lower()
    if name.startswith("~$"):
        return "Office-låsfil (~$…) – hoppades över."
    if lower == "labels.json" or lower.startswith("labels.") or ".labels." in lower:
        return "Generatorns facitfil (etiketter) – hoppades över."
    suffix = PurePath(lower).suffix
    if suffix not in EXPORT_EXTENSIONS:
        return f"Inte en exportfil ({suffix or 'utan filändelse'}) – hoppades över."
    return None


def _display(path: Path, given: str, rel: PurePath | None, base: Path) -> str:
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except (ValueError, OSError):
        shown = PurePath(given) / rel if rel is not None else PurePath(given)
        return shown.as_posix()


def discover(paths: list[Path | str], base: Path | None = None) -> list[Candidate]:
    base = Path(base) if base is not None else Path.cwd()
    out: list[Candidate] = []
    seen: set[Path] = set()

    def add(path: Path, given: str, rel: PurePath | None) -> None:
        try:
            key = path.resolve()
        except OSError:
            key = path.absolute()
        if key in seen:
            return
        seen.add(key)
        out.append(Candidate(path, _display(path, given, rel, base), skip_reason(path.name)))

    for raw in paths:
        given = os.fspath(raw)
        p = Path(given)
        if p.is_dir():
            found = []
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS)
                for f in files:
                    fp = Path(root) / f
                    found.append((fp.relative_to(p).as_posix(), fp))
            for rel, fp in sorted(found):
                add(fp, given, PurePath(rel))
        elif p.is_file():
            add(p, given, None)
        else:
            out.append(Candidate(p, PurePath(given).as_posix(), None, missing=True))
    return out


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1024 * 1024), b""):
                h.update(chunk)
    except OSError:
        return ""
    return h.hexdigest()
