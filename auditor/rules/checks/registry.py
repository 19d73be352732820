"""The registry of checks written in Python: ``@check(rule_id)`` adds one by rule id."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from auditor.findings.model import Finding

Check = Callable[..., Iterable[Finding]]
CHECKS: dict[str, Check] = {}
# Event rules judge occasions (catalogue: "Event rules count occasions"): a case without
# any occasion gets one ok finding whose basis is "no_events".
EVENT_RULES: set[str] = set()


def check(rule_id: str, *, events: bool = False) -> Callable[[Check], Check]:
    def register(fn: Check) -> Check:
        if rule_id in CHECKS:
            raise RuntimeError(f"check for {rule_id} registered twice")
        CHECKS[rule_id] = fn
        if events:
            EVENT_RULES.add(rule_id)
        return fn

    return register
