"""elect: election results in the terminal.

The installed package is assembled from the repository's top-level folders
(see pyproject.toml): ``elect.core`` is the importable engine, ``elect.cli``
the command line over it, ``elect.fixtures`` the bundled elections.
"""

__all__ = ["__version__"]


def __getattr__(name: str):
    # importlib.metadata costs ~20 ms: only --version pays for it.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("elect")
        except PackageNotFoundError:  # a source tree that was never installed
            return "0.0.0"
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
