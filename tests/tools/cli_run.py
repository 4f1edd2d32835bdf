"""Run an elect command in-process with a fixed terminal, for the doc generators."""

from __future__ import annotations

import os

FIXED_TERMINAL = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}


def run_cli(args: list[str], **env: str) -> str:
    """stdout of ``elect ARGS`` under FIXED_TERMINAL (overridden by ``env``)."""
    from typer.testing import CliRunner

    from elect.cli.main import app

    wanted = {**FIXED_TERMINAL, **env}
    old = {k: os.environ.get(k) for k in wanted}
    os.environ.update(wanted)
    try:
        return CliRunner().invoke(app, args, prog_name="elect").stdout
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
