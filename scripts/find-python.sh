#!/usr/bin/env bash
# Prints the path of a Python 3.13 (preferred) or 3.12 interpreter that really runs.
# A pyenv shim can exist on PATH yet refuse to run, so every candidate is executed.
set -u
runs() { "$@" -c 'import sys, venv; assert sys.version_info >= (3, 12)' >/dev/null 2>&1; }
for minor in 3.13 3.12; do
  if [ -n "${CYAN_PYTHON:-}" ] && runs "$CYAN_PYTHON"; then command -v "$CYAN_PYTHON" || echo "$CYAN_PYTHON"; exit 0; fi
  if command -v "python$minor" >/dev/null 2>&1 && runs "python$minor"; then
    "python$minor" -c 'import sys; print(sys.executable)'; exit 0
  fi
  for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$minor"*/bin/python"$minor" \
                   /usr/local/bin/python"$minor" /usr/bin/python"$minor"; do
    if [ -x "$candidate" ] && runs "$candidate"; then echo "$candidate"; exit 0; fi
  done
done
if runs python3; then python3 -c 'import sys; print(sys.executable)'; exit 0; fi
echo "Cyan needs Python 3.13 or 3.12, and neither python3.13 nor python3.12 runs here." >&2
echo "Install one (e.g. 'apt-get install python3.13' or 'pyenv install 3.13'), or set CYAN_PYTHON=/path/to/python3.13." >&2
exit 1
