#!/usr/bin/env bash
# The whole suite: Cyan on SQLite, Cyan on PostgreSQL when CYAN_TEST_DATABASE_URL is set,
# and the Pic-Time and ShootProof stand-ins' own suites; first, `make run`'s path on the
# runtime lock alone.
#
# The passes share nothing (each its own database, Redis database and var dir), so they
# run side by side: each is one pytest process that keeps about one core busy, and CI
# takes the longest pass instead of their sum. CYAN_TEST_SERIAL=1 runs them one after
# another, with their output as it comes.
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python
scripts/smoke-runtime.sh

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
names=()
pids=()

# pass NAME DIR COMMAND...: runs COMMAND in DIR with its own var dir, in the background
# (its output to a log) or, with CYAN_TEST_SERIAL=1, in the foreground.
pass() {
  local name=$1 dir=$2 n=${#names[@]}
  shift 2
  local var="$logs/$n-var"
  mkdir -p "$var"
  if [ "${CYAN_TEST_SERIAL:-0}" = 1 ]; then
    echo "== $name"
    (cd "$dir" && CYAN_VAR_DIR="$var" "$@")
  else
    (cd "$dir" && CYAN_VAR_DIR="$var" "$@") >"$logs/$n.log" 2>&1 &
    names+=("$name")
    pids+=($!)
  fi
}

redis_base=${CYAN_TEST_REDIS_URL:-redis://127.0.0.1:6379/5}
pass "Cyan on SQLite" . env -u DATABASE_URL CYAN_TEST_REDIS_URL="$redis_base" \
  "$py" -m pytest -q "$@"
if [ -n "${CYAN_TEST_DATABASE_URL:-}" ]; then
  # Its own Redis database: both passes FLUSHDB theirs between tests.
  redis_pg=${CYAN_TEST_REDIS_URL_PG:-${redis_base%/*}/7}
  [ "$redis_base" = off ] && redis_pg=off
  pass "Cyan on PostgreSQL ($CYAN_TEST_DATABASE_URL)" . \
    env DATABASE_URL="$CYAN_TEST_DATABASE_URL" CYAN_TEST_REDIS_URL="$redis_pg" \
    "$py" -m pytest -q "$@"
fi
if [ -f sandbox/pictime/pytest.ini ]; then
  pass "Pic-Time stand-in" sandbox/pictime "../../$py" -m pytest -q
fi
if [ -f sandbox/shootproof/pytest.ini ]; then
  pass "ShootProof stand-in" sandbox/shootproof "../../$py" -m pytest -q
fi

failed=0
for i in "${!pids[@]}"; do
  status=0
  wait "${pids[$i]}" || status=$?
  echo "== ${names[$i]} (exit $status)"
  cat "$logs/$i.log"
  [ "$status" = 0 ] || failed=1
done
exit "$failed"
