"""The audit history: every run's findings and the review decisions, in one SQLite file.

Public interface:
- ``audit_session(path, result, key=...)``: compare a run with earlier runs (``result.history``
  gets a ``HistoryLayer``) and record it, in one transaction;
- ``import_reviews(path, workbook, ...)``: record decisions from a filled-in Åtgärdslista;
- ``forget_before(path, day)``: remove runs older than a date;
- ``open_history``, ``default_path``, ``HistoryError``.
"""

from auditor.history.layer import HistoryLayer, Review, RuleReviewStats
from auditor.history.run import AuditSession, audit_session
from auditor.history.store import HISTORY_FILENAME, HistoryError, default_path, open_history

__all__ = [
    "HISTORY_FILENAME",
    "AuditSession",
    "HistoryError",
    "HistoryLayer",
    "Review",
    "RuleReviewStats",
    "audit_session",
    "default_path",
    "open_history",
]
