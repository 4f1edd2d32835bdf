"""Option groups, each defined once, and the decorator that attaches them to a command.

In the way of sqlite-utils' ``output_options``: a command names the groups it takes,
and receives them gathered in one object instead of ten parameters:

- ``run`` (always): the run context (:class:`.context.Run`), with the output chosen by
  the output group (``--json``, ``--format``, ``-o``) already set up;
- ``inputs`` (with ``source=True``): :class:`Inputs`, the source group (``--input-format``,
  ``--encoding``, ``--map``, ``--preset``, ``--sheet``) plus ``--contest`` (``contest``),
  ``--base`` (``shares``) and ``--rule`` (``decides``) for the commands they make sense for.

Every command that reads a results file takes the same source options with the same
names and help (tests/test_options.py walks the commands to keep it so).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import typer

from .context import Run, run_of

if TYPE_CHECKING:
    from .common import Choice
from .options import (
    TEXT_FORMATS,
    BaseOpt,
    ContestOpt,
    EncodingOpt,
    FormatOpt,
    InputFormatOpt,
    JsonFlag,
    MapOpt,
    OutputFormat,
    OutputOpt,
    PresetOpt,
    RuleOpt,
    SheetOpt,
)

# name: (annotation, default), in help order.
OUTPUT_GROUP: dict[str, tuple[Any, Any]] = {
    "json_flag": (JsonFlag, False),
    "output": (OutputOpt, None),
    "fmt": (FormatOpt, None),
}
SOURCE_GROUP: dict[str, tuple[Any, Any]] = {
    "input_format": (InputFormatOpt, "auto"),
    "encoding": (EncodingOpt, None),
    "map_file": (MapOpt, None),
    "preset": (PresetOpt, None),
    "sheet": (SheetOpt, None),
}
CONTEST_OPTION = {"contest": (ContestOpt, None)}
SHARES_OPTION = {"base": (BaseOpt, None)}
DECIDES_OPTION = {"rule": (RuleOpt, None)}
# Positional parameters that name files the command reads: registered before any work,
# so ``-o`` never replaces one of them.
FILE_PARAMETERS = ("file", "file_a", "file_b", "files", "paths")


@dataclass(frozen=True)
class Inputs:
    """How to read the results file(s) of this run: the source group's values."""

    input_format: str = "auto"
    encoding: str | None = None
    map_file: str | None = None
    preset: str | None = None
    sheet: str | None = None
    contest: str | None = None
    base: str | None = None
    rule: str | None = None

    def load(self, run: Run, path: str | None, *, contest: bool = True):
        """The election in PATH (stdin for ``-``, the bundled one for None).

        With ``contest`` a long file builds only the ``--contest`` chosen.
        """
        from .common import load_input

        return load_input(
            run,
            path,
            input_format=self.input_format,
            encoding=self.encoding,
            map_file=self.map_file,
            preset=self.preset,
            rule=self.rule,
            sheet=self.sheet,
            contest=self.contest if contest else None,
        )

    def report(self, run: Run, path: str | None, *, top: int = 3):
        """Load PATH, pick the contest and tally it (report, shares, turnout, diaspora)."""
        from .common import report_from

        return report_from(run, self.load(run, path), contest=self.contest, base=self.base, top=top)


def command(
    *,
    output: bool = True,
    source: bool = True,
    contest: bool = False,
    shares: bool = False,
    decides: bool = False,
    formats: tuple[str, ...] = TEXT_FORMATS,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Attach the option groups to a command function (see the module docstring).

    ``formats`` limits the output formats the command writes (validate: no CSV).
    """
    groups: dict[str, tuple[Any, Any]] = {}
    if output:
        groups.update(OUTPUT_GROUP)
    if source:
        groups.update(SOURCE_GROUP)
        if contest:
            groups.update(CONTEST_OPTION)
        if shares:
            groups.update(SHARES_OPTION)
        if decides:
            groups.update(DECIDES_OPTION)

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        own = inspect.signature(func, eval_str=True).parameters
        visible = [p for name, p in own.items() if name not in ("run", "inputs")]
        added = [
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=d, annotation=a)
            for name, (a, d) in groups.items()
        ]
        ctx_param = inspect.Parameter(
            "ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context
        )
        params = [ctx_param] + [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in visible]

        @functools.wraps(func)
        def wrapper(ctx: typer.Context, **kwargs: Any) -> Any:
            run = run_of(ctx)
            taken = {name: kwargs.pop(name) for name in groups}
            inputs = _inputs(taken)
            if output:
                out = _output_choice(taken, formats)
                run.output_format = out.output
                if source:  # --format wide|long forces the input layout
                    inputs = replace(inputs, input_format=out.input_format)
                files = [kwargs.get(name) for name in FILE_PARAMETERS]
                named = [f for f in files if isinstance(f, str)]
                named += [x for f in files if isinstance(f, list) for x in f]
                if out.output is OutputFormat.xlsx:  # written by the command, not buffered
                    run.use_output(None, [*named, inputs.map_file])
                    run.output_path = taken["output"]
                else:
                    run.use_output(taken["output"], [*named, inputs.map_file])
            call = dict(kwargs)
            if "run" in own:
                call["run"] = run
            if "inputs" in own:
                call["inputs"] = inputs
            return func(**call)

        # An attribute set on a function object: mypy's Callable type has none (the only
        # ignore in cli/).
        wrapper.__signature__ = inspect.Signature([*params, *added])  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in [*params, *added]}
        del wrapper.__wrapped__  # typer reads the new signature, not the function's
        return wrapper

    return decorate


def _inputs(taken: dict[str, Any]) -> Inputs:
    fields = Inputs.__dataclass_fields__
    return Inputs(**{k: v for k, v in taken.items() if k in fields})


def _output_choice(taken: dict[str, Any], formats: tuple[str, ...]) -> Choice:
    from .common import resolve_format

    fmt = taken["fmt"]
    if "xlsx" in formats and not fmt and (taken["output"] or "").lower().endswith(".xlsx"):
        fmt = "xlsx"  # -o results.xlsx says it
    choice = resolve_format(fmt, taken["json_flag"], taken.get("input_format", "auto"))
    if choice.output.value not in formats:
        from .common import UsageError

        raise UsageError(
            f"this command does not write {choice.output.value}",
            hint=f"use --format {' or '.join(formats)}",
        )
    return choice
