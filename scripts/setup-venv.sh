#!/usr/bin/env bash
# Creates .venv from the lock files; reinstalls only when a lock file changed.
# Usage: scripts/setup-venv.sh [--dev]
set -euo pipefail
cd "$(dirname "$0")/.."
python=$(scripts/find-python.sh)
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; assert sys.version_info >= (3, 12)' 2>/dev/null; then
  rm -rf .venv
  echo "Creating .venv with $python"
  "$python" -m venv .venv
fi
quiet_pip() {  # the machine's pip config names local mirrors that may not exist: drop that noise
  .venv/bin/python -m pip "$@" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
}
install() {  # $1 = lock file
  local stamp=".venv/.installed-$(basename "$1")"
  if [ ! -f "$stamp" ] || ! cmp -s "$1" "$stamp"; then
    quiet_pip install --quiet --disable-pip-version-check -r "$1"
    cp "$1" "$stamp"
  fi
}
install requirements.lock
if [ "${1:-}" = "--dev" ]; then install requirements-dev.lock; fi
if [ ! -x .venv/bin/cyan ] || [ pyproject.toml -nt .venv/bin/cyan ]; then
  quiet_pip install --quiet --disable-pip-version-check --no-deps -e .
  touch .venv/bin/cyan
fi
