"""elect's importable engine: load result files, tally them, check them.

Nothing here prints, exits, or imports typer or rich; pandas is imported inside
the functions that need it. Names are imported on first use, so that importing
``elect.core.errors`` (as the CLI does at start-up) stays cheap.

    >>> from elect.core import load, build_report
    >>> report = build_report(load("fixtures/kz-2022-presidential.json"))
    >>> report.outcome.winner_name, str(report.outcome.winner_share)
    ('Kassym-Jomart Tokayev', '81.31')
"""

from importlib import import_module

_EXPORTS = {
    "ElectError": "errors",
    "load": "io",
    "bundled_path": "io",
    "SCHEMA_VERSION": "schema",
    "Report": "report",
    "build_report": "report",
    "contest_rows": "report",
    "select_contest": "report",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
