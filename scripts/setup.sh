#!/usr/bin/env bash
# Set up the project in ./.venv from nothing but Python >= 3.11 and the package registries.
#   scripts/setup.sh          the checker itself
#   scripts/setup.sh --test   plus the test tools and, for the browser tests, Debian's Chromium
set -euo pipefail
cd "$(dirname "$0")/.."

python=""
for candidate in "${PYTHON:-}" python3.11 python3.12 python3; do
  if [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1 \
     && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    python=$candidate; break
  fi
done
[ -n "$python" ] || { echo "setup: Python >= 3.11 is required" >&2; exit 2; }

[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
if [ "${1:-}" = "--test" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
  # Browser tests drive Debian's Chromium; a browser download from the internet is never used.
  packages=()
  command -v chromium >/dev/null 2>&1 || packages+=(chromium)
  command -v pdftotext >/dev/null 2>&1 || packages+=(poppler-utils)
  [ -d /usr/share/fonts/opentype/noto ] || packages+=(fonts-noto-cjk)
  if [ ${#packages[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends "${packages[@]}" >/dev/null
    else
      echo "setup: install ${packages[*]} (Debian packages) for the browser tests" >&2
    fi
  fi
else
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
fi
