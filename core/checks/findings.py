"""Findings, the per-file result and the run's report (``to_dict()`` is the JSON contract)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from dataclasses import field as _field
from typing import Any

from ..schema import SCHEMA_VERSION
from .catalogue import BY_CODE

VALID, INVALID, UNREADABLE = "valid", "invalid", "unreadable"


@dataclass
class Finding:
    code: str
    severity: str
    file: str
    message: str
    line: int | None = None
    path: str | None = None  # a JSON path, where a line means nothing
    unit: str | None = None
    field: str | None = None
    contest: str | None = None
    values: dict[str, Any] = _field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "file": self.file,
            "location": {
                "line": self.line,
                "path": self.path,
                "contest": self.contest,
                "unit": self.unit,
                "field": self.field,
            },
            "values": self.values,
            "message": self.message,
        }


class Collector:
    """Gathers one file's findings: counts every occurrence, keeps the first N of each check."""

    def __init__(
        self,
        file: str,
        *,
        select: Iterable[str] | None = None,
        ignore: Iterable[str] = (),
        max_examples: int = 0,
    ) -> None:
        self.file = file
        self.select = set(select) if select else None
        self.ignore = set(ignore)
        self.max_examples = max_examples
        self.counts: dict[str, int] = {}
        self.findings: list[Finding] = []
        self._kept: dict[str, int] = {}

    def wants(self, code: str) -> bool:
        if code in self.ignore:
            return False
        return self.select is None or code in self.select

    def room(self, code: str) -> int:
        """How many more examples of ``code`` to format (all, when uncapped)."""
        if self.max_examples <= 0:
            return 1 << 62
        return max(0, self.max_examples - self._kept.get(code, 0))

    def add(
        self,
        code: str,
        *,
        line: int | None = None,
        path: str | None = None,
        unit: str | None = None,
        field: str | None = None,
        contest: str | None = None,
        count: int = 1,
        **values: Any,
    ) -> None:
        if not self.wants(code):
            return
        self.counts[code] = self.counts.get(code, 0) + count
        if self.room(code) <= 0:
            return
        self._kept[code] = self._kept.get(code, 0) + 1
        chk = BY_CODE[code]
        shown_line = line if line is not None else (path or "-")
        text = chk.render(
            {
                "file": self.file,
                "line": shown_line,
                "unit": unit if unit is not None else "-",
                "field": field if field is not None else "-",
                "contest": contest,
                **values,
            }
        )
        self.findings.append(
            Finding(code, chk.severity, self.file, text, line, path, unit, field, contest, values)
        )

    def add_many(self, code: str, positions, make: Callable[[int], dict[str, Any]]) -> None:
        """Count every position in ``positions`` (a numpy index array); format only the first few."""
        total = len(positions)
        if total == 0 or not self.wants(code):
            return
        shown = min(total, self.room(code))
        for k, pos in enumerate(positions[:shown]):
            self.add(code, count=total - shown + 1 if k == 0 else 1, **make(int(pos)))
        if shown == 0:
            self.counts[code] = self.counts.get(code, 0) + total

    def severity_counts(self) -> dict[str, int]:
        out = {"error": 0, "warning": 0, "info": 0}
        for code, n in self.counts.items():
            out[BY_CODE[code].severity] += n
        return out

    def adopt(self, other: Collector) -> None:
        """Take over what ``other`` (same file and options, run elsewhere) has gathered."""
        self.counts, self.findings, self._kept = other.counts, other.findings, other._kept


@dataclass
class FileResult:
    file: str
    status: str
    input_format: str | None = None
    rows: int | None = None
    counts: dict[str, int] = _field(default_factory=dict)
    findings: list[Finding] = _field(default_factory=list)

    def severity_counts(self) -> dict[str, int]:
        out = {"error": 0, "warning": 0, "info": 0}
        for code, n in self.counts.items():
            out[BY_CODE[code].severity] += n
        return out

    def to_dict(self) -> dict[str, Any]:
        sev = self.severity_counts()
        shown: dict[str, int] = {}
        for f in self.findings:
            shown[f.code] = shown.get(f.code, 0) + 1
        return {
            "file": self.file,
            "status": self.status,
            "format": self.input_format,
            "rows": self.rows,
            "errors": sev["error"],
            "warnings": sev["warning"],
            "notes": sev["info"],
            "checks": {
                code: {"count": n, "shown": shown.get(code, 0)}
                for code, n in sorted(self.counts.items())
            },
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass
class ValidationReport:
    files: list[FileResult]
    checks_run: list[str]
    reference: str | None = None

    def totals(self) -> dict[str, int]:
        out = {"files": len(self.files), VALID: 0, INVALID: 0, UNREADABLE: 0}
        sev = {"errors": 0, "warnings": 0, "notes": 0}
        for f in self.files:
            out[f.status] += 1
            s = f.severity_counts()
            sev["errors"] += s["error"]
            sev["warnings"] += s["warning"]
            sev["notes"] += s["info"]
        return {**out, **sev}

    def exit_code(self, strict: bool = False) -> int:
        """0 all valid, 1 errors (or warnings with ``strict``), 2 some file unreadable."""
        if any(f.status == UNREADABLE for f in self.files):
            return 2
        t = self.totals()
        if t["errors"] or (strict and t["warnings"]):
            return 1
        return 0

    def to_dict(self) -> dict[str, Any]:
        t = self.totals()
        return {
            "schema_version": SCHEMA_VERSION,
            "kind": "validate",
            "valid": t[INVALID] == 0 and t[UNREADABLE] == 0,
            "totals": t,
            "reference": self.reference,
            "checks": self.checks_run,
            "files": [f.to_dict() for f in self.files],
        }
