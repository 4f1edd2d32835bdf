"""Generate docs/cli-reference.md from the commands' --help (plain text, 100 columns).

Run from the repository root: ``python tests/tools/gen_cli_reference.py``.
tests/test_docs.py fails when the committed file is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cli_run import run_cli  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "cli-reference.md"


def help_text(args: list[str]) -> str:
    return run_cli([*args, "--help"], TYPER_USE_RICH="0").rstrip() + "\n"


def commands() -> list[str]:
    from elect.cli.main import COMMAND_MODULES

    return list(COMMAND_MODULES)


def build() -> str:
    parts = [
        "# elect command reference\n",
        "Generated from `--help` by `python tests/tools/gen_cli_reference.py`; "
        "`tests/test_docs.py` fails when it is stale. Do not edit by hand.\n",
        "## elect\n",
        "```\n" + help_text([]) + "```\n",
    ]
    for name in commands():
        parts.append(f"## elect {name}\n")
        parts.append("```\n" + help_text([name]) + "```\n")
    return "\n".join(parts)


def main() -> None:
    OUT.write_text(build(), encoding="utf-8")
    print(OUT, file=sys.stderr)


if __name__ == "__main__":
    main()
