#!/usr/bin/env bash
# Write requirements.lock: the exact version of every package the project and its tests
# install, resolved afresh in a throw-away venv from the registries. setup.sh installs within
# it (so CI tests what the lock says), wheelhouse.sh builds its offline folder from it.
#   scripts/lock.sh           re-resolve after a change to pyproject.toml's dependencies
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check ".[test,cluster]"
{
  echo "# The exact versions CI tests (scripts/lock.sh wrote this; Python $("$work/venv/bin/python" -c 'import platform; print(platform.python_version())')"
  echo "# on $(uname -sm)). setup.sh installs within it; wheelhouse.sh builds from it."
  "$work/venv/bin/python" -m pip freeze --exclude-editable --all \
    | grep -v -i -E '^(compliance|pip|setuptools|wheel)[ =@]' | LC_ALL=C sort -f
} > requirements.lock
echo "lock.sh: $(grep -cv '^#' requirements.lock) packages in requirements.lock"
