"""Progress bars on a terminal; silent in CI and when output is piped."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


def enabled() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI") and not os.environ.get("AUDITOR_NO_PROGRESS")


def _no_progress(n: int = 1) -> None:
    return None


@contextmanager
def bar(total: int, desc: str, unit: str = " ärenden") -> Iterator[Callable[[int], None]]:
    """A bar for one stage; yields ``tick(n)`` (a no-op when progress is off)."""
    if not enabled() or total <= 0:
        yield _no_progress
        return
    from tqdm import tqdm

    with tqdm(total=total, desc=desc, unit=unit, leave=False, file=sys.stderr) as t:
        yield t.update


def step(message: str) -> None:
    """A one-line stage message on a terminal."""
    if enabled():
        print(message, file=sys.stderr, flush=True)
