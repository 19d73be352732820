"""Pseudonymisation and protected identities, applied to a RunResult before any writer runs."""

from auditor.privacy.keys import KeyMissing, load_key, local_key, local_key_path
from auditor.privacy.protect import PROTECTED_NAME, cut_to_sentence, protect

__all__ = [
    "PROTECTED_NAME",
    "KeyMissing",
    "cut_to_sentence",
    "load_key",
    "local_key",
    "local_key_path",
    "protect",
]
