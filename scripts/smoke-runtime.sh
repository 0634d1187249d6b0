#!/usr/bin/env bash
# A newcomer's `make run` on the runtime lock alone. A venv built from requirements.lock
# (no dev tools) must (1) resolve every import of the code `make run` runs and (2) start
# `cyan up` — migrate, demo, web + worker + Pic-Time and ShootProof stand-ins — on spare ports and a scratch
# var dir, serve the login page and place the demo orders at both stand-ins.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=var/runtime-venv
stamp="$venv/.installed-requirements.lock"
if [ ! -x "$venv/bin/python" ] || ! cmp -s requirements.lock "$stamp"; then
  rm -rf "$venv"
  "$(scripts/find-python.sh)" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements.lock \
    2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -e . \
    2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
  cp requirements.lock "$stamp"
fi
echo "== Runtime lock: imports"
"$venv/bin/python" scripts/check_runtime_imports.py

echo "== Runtime lock: cyan up, as a newcomer"
scratch=$(mktemp -d)
ports=$("$venv/bin/python" -c '
import socket
socks = [socket.socket() for _ in range(3)]
for s in socks: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))')
read -r cyan_port pictime_port shootproof_port <<<"$ports"
log="$scratch/up.log"
CYAN_VAR_DIR="$scratch" PICTIME_DB="$scratch/pictime.sqlite3" CYAN_PORT="$cyan_port" \
  PICTIME_PORT="$pictime_port" SHOOTPROOF_DB="$scratch/shootproof.sqlite3" \
  SHOOTPROOF_PORT="$shootproof_port" setsid "$venv/bin/cyan" up >"$log" 2>&1 &
up_pid=$!
stop() { kill -TERM -- "-$up_pid" 2>/dev/null || true; wait "$up_pid" 2>/dev/null || true; rm -rf "$scratch"; }
trap stop EXIT
for _ in $(seq 1 240); do
  if grep -q -e "Placed demo orders at the ShootProof" -e "Could not place" "$log" || ! kill -0 "$up_pid" 2>/dev/null; then
    break
  fi
  sleep 0.5
done
fail() { echo "smoke-runtime: $1"; echo "--- cyan up said:"; cat "$log"; exit 1; }
grep -q "Placed demo orders at the Pic-Time" "$log" || fail "no demo orders at the Pic-Time stand-in"
grep -q "Placed demo orders at the ShootProof" "$log" ||
  fail "no demo orders at the ShootProof stand-in"
login=$(curl -fsS "http://127.0.0.1:$cyan_port/accounts/login/") || fail "Cyan's login page did not load"
grep -q "Log in" <<<"$login" || fail "Cyan's login page has no 'Log in'"
echo "cyan up on the runtime lock: Cyan serves, both stand-ins took the demo orders."
