"""Synthetic Treserva-style exports with labelled violations (``auditor generate``).

``generate(out, clients=…, months=…, seed=…)`` writes all six export kinds in varied formats
and ``labels.json``, the list of every violation, warning and demanded not_evaluated the data
contains, judged by the rule catalogue. See ``core.generate`` for the parameters.
"""

from .core import LABELS_FILE, GenerationSummary, generate

__all__ = ["LABELS_FILE", "GenerationSummary", "generate"]
