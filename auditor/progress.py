"""Progress bars on a terminal; silent in CI and when output is piped."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


def enabled() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI") and not os.environ.get("AUDITOR_NO_PROGRESS")


@contextmanager
def bar(total: int, desc: str) -> Iterator[Callable[[int], None]]:
    if not enabled() or total <= 0:
        yield lambda n=1: None
        return
    from tqdm import tqdm

    with tqdm(total=total, desc=desc, unit=" ärenden", leave=False, file=sys.stderr) as t:
        yield t.update


def step(message: str) -> None:
    """A one-line stage message on a terminal."""
    if enabled():
        print(message, file=sys.stderr, flush=True)
