#!/usr/bin/env bash
# Set up and run every check: ruff, the rule linter, the whole pytest suite.
#   scripts/test.sh            everything (what CI runs)
#   scripts/test.sh --quick    the same without the tests marked `slow` (under a minute)
# Other arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
arguments=()
for argument in "$@"; do
  if [ "$argument" = --quick ]; then
    arguments+=(-m "not slow")
  else
    arguments+=("$argument")
  fi
done
bash scripts/setup.sh --test
.venv/bin/ruff check .
.venv/bin/compliance rules lint
status=0
.venv/bin/python -m pytest -q -p no:cacheprovider ${arguments[@]+"${arguments[@]}"} || status=$?
if [ "$status" = 5 ]; then
  echo "test.sh: pytest collected no tests - that is a failure here" >&2
  exit 1
fi
exit "$status"
