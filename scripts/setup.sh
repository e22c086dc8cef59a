#!/usr/bin/env bash
# Set up the project in ./.venv (or $VENV) from nothing but Python >= 3.11 and either the
# package registries or a wheelhouse folder (scripts/wheelhouse.sh) on a machine without them.
#   scripts/setup.sh                  the checker itself, versions as requirements.lock says
#   scripts/setup.sh --test           plus the test tools and, for the browser tests, Debian's
#                                     Chromium
#   scripts/setup.sh --offline DIR    from the wheels in DIR only: no registry is asked
set -euo pipefail
cd "$(dirname "$0")/.."

test=false
offline=""
while [ $# -gt 0 ]; do
  case "$1" in
    --test) test=true ;;
    --offline)
      [ $# -ge 2 ] || { echo "setup: --offline needs the wheelhouse folder" >&2; exit 2; }
      offline=$2; shift ;;
    *) echo "setup: unknown option $1 (--test, --offline DIR)" >&2; exit 2 ;;
  esac
  shift
done

python=""
for candidate in "${PYTHON:-}" python3.11 python3.12 python3; do
  if [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1 \
     && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    python=$candidate; break
  fi
done
[ -n "$python" ] || { echo "setup: Python >= 3.11 is required" >&2; exit 2; }

venv=${VENV:-.venv}
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
target="."
$test && target=".[test]"

if [ -n "$offline" ]; then
  [ -d "$offline" ] || { echo "setup: no wheelhouse folder $offline" >&2; exit 2; }
  # Nothing but the folder: no index, and no pip configuration that names another source.
  env -u PIP_FIND_LINKS -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL PIP_CONFIG_FILE=/dev/null \
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-index \
    --find-links "$offline" -c requirements.lock -e "$target"
  $test && ! command -v chromium >/dev/null 2>&1 \
    && echo "setup: the browser tests need Debian's chromium package" >&2
  exit 0
fi

"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -c requirements.lock \
  -e "$target"
if $test; then
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
fi
