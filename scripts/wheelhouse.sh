#!/usr/bin/env bash
# Build a folder of every wheel the project needs, for a machine with no registry (a government
# intranet): copy the folder and the checkout there, then `scripts/setup.sh --offline DIR`.
# durable_rules ships only as source: it is compiled once here (a C compiler is needed here,
# not there). The folder holds the versions requirements.lock pins, the project's own wheel
# and the build backend an editable install needs.
#   scripts/wheelhouse.sh [DIR] [--test]    DIR defaults to ./wheelhouse; --test adds the
#                                           test tools
set -euo pipefail
cd "$(dirname "$0")/.."

folder=wheelhouse
target="."
for argument in "$@"; do
  case "$argument" in
    --test) target=".[test]" ;;
    -*) echo "wheelhouse: unknown option $argument (--test)" >&2; exit 2 ;;
    *) folder=$argument ;;
  esac
done

python=${PYTHON:-python3}
mkdir -p "$folder"
pip=("$python" -m pip --disable-pip-version-check)
"${pip[@]}" wheel --quiet --wheel-dir "$folder" -c requirements.lock "$target"
"${pip[@]}" wheel --quiet --wheel-dir "$folder" hatchling editables
echo "wheelhouse: $(find "$folder" -name '*.whl' | wc -l) wheels in $folder" \
     "($(du -sh "$folder" | cut -f1))"
