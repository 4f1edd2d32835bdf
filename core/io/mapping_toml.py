"""A mapping written out as TOML: what ``elect inspect`` suggests, to save, edit and pass
back with ``--map``, for a wide file (its resolved columns) or a long one (its plan)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .interpret import Interpretation
    from .mapping import Resolved


def mapping_toml(resolved: Resolved) -> str:
    """A mapping file that reproduces ``resolved``: a starting point to edit."""
    lines = ["# elect column mapping (pass it back as the mapping)", "[columns]"]
    for key, hs in resolved.columns.items():
        if len(hs) == 1:
            lines.append(f"{key} = {toml_str(hs[0])}")
        else:
            items = ", ".join(f"{{ exact = {toml_str(h)} }}" for h in hs)
            lines.append(f"{key} = {{ any = [{items}], sum = true }}")
    lines += ["", "[options]"]
    lines.append("columns = [" + ", ".join(toml_str(h) for h in resolved.options) + "]")
    lines += ["", "[rows]", "drop_empty = true", "drop_aggregate = true"]
    m = resolved.mapping
    if m.abroad_column:
        lines += ["", "[abroad]", f"column = {toml_str(m.abroad_column)}"]
        vals = [v.text for v in m.abroad_values if v.how == "exact"]
        if vals:
            lines.append("values = [" + ", ".join(toml_str(v) for v in vals) + "]")
    if m.rules:
        lines += ["", "[rules]"]
        lines += [f"{k} = {toml_value(v)}" for k, v in m.rules.items()]
    return "\n".join(lines) + "\n"


def long_mapping_toml(interp: Interpretation) -> str:
    """A ``--map`` file that reproduces a long interpretation."""
    plan = interp.plan
    assert plan is not None
    lines = [
        "# elect column mapping (pass it back as the mapping)",
        'layout = "long"',
        "",
        "[columns]",
    ]
    lines.append("unit = [" + ", ".join(toml_str(h) for h in plan.unit) + "]")
    for key, h in (*plan.single_columns(), *plan.counts.items(), *plan.attrs.items()):
        if h:
            lines.append(f"{key} = {toml_str(h)}")
    if plan.contest_parts:
        lines.append("contest = [" + ", ".join(toml_str(h) for h in plan.contest_parts) + "]")
    if plan.modes:
        lines.append("modes = [" + ", ".join(toml_str(h) for h in plan.modes) + "]")
    ignored = [r.column for r in interp.roles if r.role == "ignored"]
    if ignored:
        lines.append("ignore = [" + ", ".join(toml_str(h) for h in ignored) + "]")
    lines += ["", "[rows]", f"repeated = {toml_str(plan.repeated)}"]
    rules = interp.rule_fields()
    if rules:
        lines += ["", "[rules]"] + [f"{k} = {toml_value(v)}" for k, v in rules.items()]
    return "\n".join(lines) + "\n"


def toml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    return toml_str(str(v))
