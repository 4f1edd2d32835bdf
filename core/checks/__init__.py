"""``elect validate``: a catalogue of checks run over result files, one report for the batch."""

from __future__ import annotations

from .catalogue import BY_CODE, CHECKS, Check
from .findings import FileResult, Finding, ValidationReport
from .run import discover, validate_paths

__all__ = [
    "BY_CODE",
    "CHECKS",
    "Check",
    "FileResult",
    "Finding",
    "ValidationReport",
    "discover",
    "validate_paths",
]
