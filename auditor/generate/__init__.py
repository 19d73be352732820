"""Synthetic Treserva-style exports with labelled violations (``auditor generate``).

``generate(out, clients=…, months=…, seed=…)`` writes all six export kinds in varied formats
and ``labels.json``, the list of every violation, warning and demanded not_evaluated the data
contains, judged by the rule catalogue. See ``core.generate`` for the parameters.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .core import LABELS_FILE, GenerationSummary, generate

__all__ = ["LABELS_FILE", "GenerationSummary", "generate"]


def __getattr__(name: str) -> Any:
    """The generator is loaded on first use, so ``auditor run`` does not pay for it."""
    if name in __all__:
        from . import core

        return getattr(core, name)
    raise AttributeError(name)
