"""The exit codes elect promises scripts (README "Exit codes")."""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FINDINGS = 1  # the run completed and found problems (validate)
    USAGE = 2  # bad options, or an input that cannot be read
    INTERNAL = 70  # a bug in elect: please report it, with --debug output
    INTERRUPTED = 130  # Ctrl-C
