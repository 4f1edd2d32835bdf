"""elect convert: any file elect reads, written as a NIST SP 1500-100 ERR v2 report.

A command of its own rather than ``--format nist-xml`` on ``report``: ``--format``
chooses how a command's *result* is printed (one contest's shares, turnout…),
while a NIST report is the *whole election* (every contest, every unit, every
count by type) in another standard. See the commit that added it.
"""

from __future__ import annotations

from typing import Annotated

import typer

from .command import Inputs, command
from .common import UsageError, tell_notes
from .context import Run
from .options import FileArg, OutputOpt

TARGETS = ("nist-xml", "nist-json")


# Its output is the report --to names, so it takes -o but not --json/--format.
@command(output=False, contest=True)
def convert(
    run: Run,
    inputs: Inputs,
    file: FileArg = None,
    to: Annotated[
        str,
        typer.Option(
            "--to",
            "-t",
            help="The format to write: nist-xml (NIST SP 1500-100 ERR v2 XML) or nist-json "
            "(its JSON form). Example: --to nist-json",
        ),
    ] = "nist-xml",
    output: OutputOpt = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="The election date (YYYY-MM-DD) when the input does not give one; NIST "
            "reports require it. Example: --date 2024-11-05",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write the election in FILE as a NIST SP 1500-100 Election Results Reporting v2 report.

    Every contest, unit and count (with the split by vote type) goes into one report
    that validates against the official NIST XSD (XML) or JSON Schema (JSON).

    Examples: elect convert results.csv -o results.xml · elect convert detail.xml --to
    nist-json · elect convert station.csv --preset ru-cec --date 2018-03-18
    """
    if to not in TARGETS:
        raise UsageError(f"unknown target format {to!r}", hint=f"use one of {', '.join(TARGETS)}")
    run.use_output(output, [file, inputs.map_file])
    election = inputs.load(run, file, contest=False)
    if inputs.contest is not None:
        from elect.core.report import select_contest

        election.contests = [select_contest(election, inputs.contest)]
    from elect.core.io.nist_write import election_report, to_json, to_xml

    notes = list(election.notes)
    doc = election_report(election, date=date, notes=notes)
    text = to_json(doc) if to == "nist-json" else to_xml(doc).decode("utf-8")
    tell_notes(run, notes)
    out = run.stdout()
    out.write(text)
    out.flush()


def register(app: typer.Typer) -> None:
    app.command("convert")(convert)
