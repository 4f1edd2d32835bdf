#!/usr/bin/env bash
# mypy over elect.core and elect.cli, with the settings in pyproject.toml ([tool.mypy]).
# pyproject maps the repository root to the package `elect` (cli/ -> elect.cli, core/ ->
# elect.core), a layout mypy cannot see from the checkout itself: run it from a temporary
# directory holding a symlink `elect` -> the checkout. Exits with mypy's status.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ln -s "$root" "$tmp/elect"
cd "$tmp"
python -m mypy --config-file "$root/pyproject.toml" --cache-dir "$root/.mypy_cache" -p elect.core -p elect.cli "$@"
