"""Checks, one module per rule pack, registered by rule id."""

from __future__ import annotations

from auditor.rules.checks.registry import CHECKS, EVENT_RULES, Check, check

__all__ = ["CHECKS", "EVENT_RULES", "Check", "check", "load_all"]


def load_all() -> dict[str, Check]:
    # Importing the modules registers their checks.
    from auditor.rules.checks import (  # noqa: F401 - modules, not names of this package
        dokumentation,
        goteborg,
        korttid,
        tackar_nej,
    )

    return CHECKS
