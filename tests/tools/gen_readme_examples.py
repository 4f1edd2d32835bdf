"""Refresh the command examples in README.md with real output from the bundled election.

Each example sits between ``<!-- example: ARGS -->`` and ``<!-- /example -->``; this
runs ``elect ARGS`` (90 columns, no colour) and puts the output in a code block.
Run from the repository root: ``python tests/tools/gen_readme_examples.py``;
tests/test_docs.py fails when an example is stale.
"""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cli_run import run_cli  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
BLOCK = re.compile(r"(<!-- example: (.*?) -->\n)(.*?)(<!-- /example -->)", re.S)


def run(args: str) -> str:
    lines = [line.rstrip() for line in run_cli(shlex.split(args), COLUMNS="90").splitlines()]
    return "\n".join(lines).strip("\n") + "\n"


CHECKS_BLOCK = re.compile(r"(<!-- checks -->\n)(.*?)(<!-- /checks -->)", re.S)


def checks_table() -> str:
    """The check reference: one row per check of the catalogue."""
    from elect.core.checks import CHECKS

    rows = ["| code | family | severity | what it finds |", "|---|---|---|---|"]
    for c in CHECKS:
        what = f"**{c.title}.** {c.description}".replace("|", "\\|").replace("\n", " ")
        rows.append(f"| `{c.code}` | {c.family} | {c.severity} | {what} |")
    return "\n".join(rows) + "\n"


def refresh(text: str) -> str:
    def sub(m: re.Match) -> str:
        return f"{m.group(1)}```\n$ elect {m.group(2)}\n{run(m.group(2))}```\n{m.group(4)}"

    text = BLOCK.sub(sub, text)
    return CHECKS_BLOCK.sub(lambda m: f"{m.group(1)}{checks_table()}{m.group(3)}", text)


def main() -> None:
    README.write_text(refresh(README.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main()
