"""Inputs on disk: files and folders (recursive) in a deterministic order, each with
the path users see and whether it is an export to read or a file to skip.

Only regular files are read. A FIFO, a device or a socket is skipped before it is
opened (opening a FIFO blocks, reading /dev/zero never ends). Inside an input folder a
symbolic link is followed only when its target stays inside that folder; a link out of
the folder, a dangling link and a link loop are reported without reading anything.
Folders that hold the auditor's own outputs (marked by its manifest) are never read.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path, PurePath

EXPORT_EXTENSIONS = frozenset({".csv", ".txt", ".xlsx", ".xlsm", ".xls"})
SKIP_DIRS = frozenset({"__MACOSX", "__pycache__"})
# Written by auditor.report.output into every folder it manages.
OUTPUT_MANIFEST = ".auditor-utdata.json"
STAGING_PREFIX = ".auditor-tmp-"

MSG_NOT_REGULAR = "Inte en vanlig fil (t.ex. en namngiven rörledning eller en enhet) – lästes inte."
MSG_LINK_OUTSIDE = (
    "Länken pekar utanför indatamappen och följdes inte. Kopiera filen till mappen om den "
    "ska granskas."
)
MSG_LINK_DANGLING = "Länken pekar på en fil som inte finns."
MSG_LINK_LOOP = "Länken pekar på sig själv i en slinga och kunde inte följas."
MSG_OUTPUT_DIR = "Mappen innehåller auditors egna rapporter och lästes inte som indata."


@dataclass(frozen=True)
class Candidate:
    path: Path
    display: str  # the path as users see it: relative where possible, "/" separators
    skip: str | None = None  # Swedish reason when the file is not read
    missing: bool = False
    error: str | None = None  # Swedish reason when the file cannot be read at all
    regular: bool = False  # a regular file inside the input (safe to open)


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


def _resolve(path: Path) -> Path | None:
    """The real path, or None for a link loop."""
    try:
        return path.resolve(strict=False)
    except (RuntimeError, OSError):  # RuntimeError: symlink loop (Python < 3.13)
        return None


def _display(path: Path, given: str, rel: PurePath | None, base: Path) -> str:
    shown = PurePath(given) / rel if rel is not None else PurePath(given)
    try:
        return Path(os.path.abspath(path)).relative_to(Path(os.path.abspath(base))).as_posix()
    except ValueError:
        pass
    real, real_base = _resolve(path), _resolve(base)
    if real is not None and real_base is not None and real.is_relative_to(real_base):
        return real.relative_to(real_base).as_posix()
    return shown.as_posix()


def is_output_dir(path: Path) -> bool:
    return path.name.startswith(STAGING_PREFIX) or (path / OUTPUT_MANIFEST).is_file()


def _check_entry(path: Path, root: Path | None) -> tuple[str | None, str | None, Path | None]:
    """(skip reason, error, real path) for one file entry, without opening it.

    ``root`` is the real path of the input folder the entry was found in (None for a file
    given on the command line, which is followed wherever it points).
    """
    try:
        st = path.lstat()
    except OSError:
        return None, "Filen kunde inte nås.", None
    real = _resolve(path)
    if stat.S_ISLNK(st.st_mode):
        if real is None:
            return None, MSG_LINK_LOOP, None
        if root is not None and not real.is_relative_to(root):
            return MSG_LINK_OUTSIDE, None, None
        try:
            st = os.stat(path)
        except OSError as exc:
            if exc.errno == 40:  # ELOOP
                return None, MSG_LINK_LOOP, None
            return None, MSG_LINK_DANGLING, None
    if not stat.S_ISREG(st.st_mode):
        return MSG_NOT_REGULAR, None, real
    return None, None, real


def discover(
    paths: list[Path | str], base: Path | None = None, exclude: list[Path] | None = None
) -> list[Candidate]:
    """Candidates for every file under ``paths``; ``exclude`` are folders never read
    (the output folder)."""
    base = Path(base) if base is not None else Path.cwd()
    excluded = {r for r in (_resolve(Path(e)) for e in exclude or []) if r is not None}
    out: list[Candidate] = []
    seen: set[Path] = set()

    def add(path: Path, given: str, rel: PurePath | None, root: Path | None) -> None:
        display = _display(path, given, rel, base)
        skip, error, real = _check_entry(path, root)
        key = real or Path(os.path.abspath(path))
        if key in seen:
            return
        seen.add(key)
        if error:
            out.append(Candidate(path, display, error=error))
            return
        if skip:
            out.append(Candidate(path, display, skip))
            return
        out.append(Candidate(path, display, skip_reason(path.name), regular=True))

    for raw in paths:
        given = os.fspath(raw)
        p = Path(given)
        if p.is_dir():
            root = _resolve(p)
            if root is None:
                out.append(Candidate(p, PurePath(given).as_posix(), error=MSG_LINK_LOOP))
                continue
            if root in excluded or is_output_dir(p):
                out.append(Candidate(p, PurePath(given).as_posix(), skip=MSG_OUTPUT_DIR))
                continue
            found = []
            for dirpath, dirs, files in os.walk(p, followlinks=False):
                keep = []
                for d in sorted(dirs):
                    dp = Path(dirpath) / d
                    if d.startswith(".") or d in SKIP_DIRS:
                        continue
                    if dp.is_symlink():
                        # a linked folder is not walked into; say so unless it is hidden
                        found.append((dp.relative_to(p).as_posix(), dp, "link-dir"))
                        continue
                    if _resolve(dp) in excluded or is_output_dir(dp):
                        continue
                    keep.append(d)
                dirs[:] = keep
                for f in files:
                    fp = Path(dirpath) / f
                    found.append((fp.relative_to(p).as_posix(), fp, "file"))
            for rel, fp, what in sorted(found):
                if what == "link-dir":
                    target = _resolve(fp)
                    reason = (
                        MSG_LINK_OUTSIDE
                        if target is None or not target.is_relative_to(root)
                        else "Länk till en mapp – följdes inte (mappen läses direkt om den ligger i indata)."
                    )
                    out.append(Candidate(fp, _display(fp, given, PurePath(rel), base), skip=reason))
                    continue
                add(fp, given, PurePath(rel), root)
        elif p.exists() or p.is_symlink():
            add(p, given, None, None)
        else:
            out.append(Candidate(p, PurePath(given).as_posix(), None, missing=True))
    return out


def open_regular(path: Path):
    """Open ``path`` for binary reading only if it is a regular file (never blocks on a FIFO)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise IsADirectoryError(MSG_NOT_REGULAR)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    try:
        with open_regular(path) as fh:
            for chunk in iter(lambda: fh.read(1024 * 1024), b""):
                h.update(chunk)
    except OSError:
        return ""
    return h.hexdigest()
