"""The elect command line: the app, global flags, and the one place errors become exit codes.

Start-up stays light: pandas is imported by the core only when a command runs,
so ``elect --help`` and shell completion never pay for it (tests/test_imports.py).
"""

from __future__ import annotations

import importlib
import sys
from typing import Annotated

import typer
from typer.core import TyperGroup

from elect.core.errors import ElectError

from .context import Run, run_of
from .exit_codes import ExitCode


class ElectGroup(TyperGroup):
    """Turns core errors into one stderr line and an exit code (README "Exit codes")."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._escaped: set[object] = set()  # commands whose help is already escaped

    def resolve_command(self, ctx, args):
        """The command; when its help is asked for, its options' help escaped once first:
        help is shown as Rich markup, where "needs elect[plots]" would lose "[plots]"
        (tests/test_help_text.py). Only then: escaping imports rich, which a run that
        prints JSON never needs (start-up, tests/bench/bench_startup.py)."""
        name, command, rest = super().resolve_command(ctx, args)
        wants_help = any(a in ctx.help_option_names for a in rest)
        if command is not None and wants_help and command not in self._escaped:
            from rich.markup import escape
            from typer.core import TyperArgument, TyperOption

            for param in command.params:
                if isinstance(param, (TyperOption, TyperArgument)) and param.help:
                    param.help = escape(param.help)
            self._escaped.add(command)
        return name, command, rest

    def invoke(self, ctx):
        try:
            try:
                result = super().invoke(ctx)
            except typer.Exit as exc:
                # -o FILE gets the result of a run that ended, findings (exit 1) included.
                if exc.exit_code in (ExitCode.OK, ExitCode.FINDINGS):
                    run_of(ctx).commit_output()
                else:
                    run_of(ctx).discard_output()
                raise
            run_of(ctx).commit_output()
            return result
        except typer.Exit:
            raise
        except ElectError as exc:
            run = run_of(ctx)
            run.discard_output()
            if run.debug:
                raise
            from .common import as_flag

            _print_error(run, exc.one_line(as_flag))
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:
            _silence_stdout()
            raise typer.Exit(ExitCode.OK) from None
        except KeyboardInterrupt:
            run_of(ctx).discard_output()
            _print_error(run_of(ctx), "interrupted (nothing was written)", label="elect:")
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        except typer.Abort:
            run_of(ctx).discard_output()
            raise
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            # Usage errors (typer's vendored click exceptions) keep their own handling.
            if hasattr(exc, "show") and hasattr(exc, "exit_code"):
                raise
            run = run_of(ctx)
            run.discard_output()
            if run.debug:
                raise
            _print_error(
                run,
                f"internal error: {type(exc).__name__}: {exc} "
                "(this is a bug in elect; re-run with --debug and report the traceback)",
            )
            raise typer.Exit(ExitCode.INTERNAL) from None


def _print_error(run: Run, line: str, label: str = "elect: error:") -> None:
    from rich.markup import escape

    from .names import visible

    run.err_console().print(f"[bold red]{label}[/bold red] {escape(visible(line))}", soft_wrap=True)


def _silence_stdout() -> None:
    """After a closed pipe (``elect … | head``), make the final flush a no-op."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


app = typer.Typer(
    cls=ElectGroup,
    name="elect",
    help="Election results in the terminal: who won and with what share, whether the "
    "majority rule was met, where turnout was highest and lowest, and how voters abroad "
    "voted.\n\nExample: elect report results.csv --json",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from elect import __version__

        sys.stdout.write(f"elect {__version__}\n")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback for errors.")] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print nothing but the result.")
    ] = False,
    max_bytes: Annotated[
        str | None,
        typer.Option(
            "--max-bytes",
            help="Most bytes read from one input after decompression (and from stdin); "
            "default 512M, env ELECT_MAX_BYTES. Example: elect --max-bytes 4G report big.csv.gz",
            show_default=False,
        ),
    ] = None,
) -> None:
    """elect: election results in the terminal."""
    import os

    from elect.core.limits import ENV_VAR, parse_size

    # The run's state, created once here; every command receives it (cli/command.py).
    run = ctx.obj = Run(quiet=quiet, debug=debug)

    given, where = (max_bytes, "--max-bytes") if max_bytes is not None else (None, None)
    if given is None and os.environ.get(ENV_VAR):
        given, where = os.environ[ENV_VAR], ENV_VAR
    try:
        run.max_bytes = parse_size(given) if given is not None else None
    except ValueError as exc:
        from .common import UsageError

        _print_error(run, UsageError(f"{where}: {exc}", hint="e.g. 500M, 2G").one_line())
        raise typer.Exit(ExitCode.USAGE) from None


# One module per command, each with a register(app); listed here in help order.
COMMAND_MODULES = (
    "report",
    "shares",
    "turnout",
    "diaspora",
    "results",
    "contests",
    "validate",
    "compare",
    "reconcile",
    "forensics",
    "inspect",
    "convert",
    "schema",
)

for _name in COMMAND_MODULES:
    importlib.import_module(f"{__package__}.{_name}").register(app)


def run() -> None:
    """Console-script entry point."""
    import signal

    # `elect report --json | head` closes the pipe early; die quietly like other
    # Unix filters instead of printing a BrokenPipeError (csvkit#150).
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(ExitCode.INTERRUPTED)
