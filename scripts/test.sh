#!/usr/bin/env bash
# Set up and run every check: ruff, the rule linter, the whole pytest suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
.venv/bin/ruff check .
.venv/bin/compliance rules lint
status=0
.venv/bin/python -m pytest -q -p no:cacheprovider "$@" || status=$?
if [ "$status" = 5 ]; then
  echo "test.sh: pytest collected no tests - that is a failure here" >&2
  exit 1
fi
exit "$status"
