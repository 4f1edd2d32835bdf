"""elect: election results in the terminal.

The installed package is assembled from the repository's top-level folders
(see pyproject.toml): ``elect.core`` is the importable engine, ``elect.cli``
the command line over it, ``elect.fixtures`` the bundled elections.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("elect")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

__all__ = ["__version__"]
