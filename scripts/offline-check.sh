#!/usr/bin/env bash
# Prove the offline install: build the wheelhouse, set up a fresh venv from it alone (no
# registry, no pip configuration), and check an example project with what was installed.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bash scripts/wheelhouse.sh "$work/wheels"
VENV="$work/venv" bash scripts/setup.sh --offline "$work/wheels"
status=0
"$work/venv/bin/compliance" check --format json \
  examples/projects/anyang-coking-4.3m-oven-rejected.yaml > "$work/verdict.json" || status=$?
verdict=$("$work/venv/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["verdict"])' \
  < "$work/verdict.json")
if [ "$status" != 1 ] || [ "$verdict" != rejected ]; then
  echo "offline-check: expected a rejection (exit 1), got exit $status, verdict $verdict" >&2
  exit 1
fi
echo "offline-check: a fresh venv set up from the wheelhouse alone checks an example: $verdict"
