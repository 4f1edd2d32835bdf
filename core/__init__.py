"""elect's importable engine: load result files, tally them, check them.

Nothing here prints, exits, or imports typer or rich; pandas is imported inside
the functions that need it.

    >>> from elect.core import load, build_report
    >>> report = build_report(load("fixtures/kz-2022-presidential.json"))
    >>> report.outcome.winner_name, str(report.outcome.winner_share)
    ('Kassym-Jomart Tokayev', '81.31')
"""

from .errors import ElectError
from .io import bundled_path, load
from .report import SCHEMA_VERSION, Report, build_report, contest_rows, select_contest

__all__ = [
    "SCHEMA_VERSION",
    "ElectError",
    "Report",
    "build_report",
    "bundled_path",
    "contest_rows",
    "load",
    "select_contest",
]
