#!/usr/bin/env bash
# The whole suite: Cyan on SQLite, Cyan on PostgreSQL when CYAN_TEST_DATABASE_URL is set,
# and the Pic-Time and ShootProof stand-ins' own suites; first, `make run`'s path on the runtime lock alone.
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python
scripts/smoke-runtime.sh
echo "== Cyan on SQLite"
env -u DATABASE_URL "$py" -m pytest -q "$@"
if [ -n "${CYAN_TEST_DATABASE_URL:-}" ]; then
  echo "== Cyan on PostgreSQL ($CYAN_TEST_DATABASE_URL)"
  DATABASE_URL="$CYAN_TEST_DATABASE_URL" "$py" -m pytest -q "$@"
fi
if [ -f sandbox/pictime/pytest.ini ]; then
  echo "== Pic-Time stand-in"
  (cd sandbox/pictime && "../../$py" -m pytest -q)
fi
if [ -f sandbox/shootproof/pytest.ini ]; then
  echo "== ShootProof stand-in"
  (cd sandbox/shootproof && "../../$py" -m pytest -q)
fi
