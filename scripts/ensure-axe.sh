#!/usr/bin/env bash
# axe-core for the accessibility test, from tests/a11y/package-lock.json (exact version).
set -euo pipefail
cd "$(dirname "$0")/../tests/a11y"
[ -f node_modules/axe-core/axe.min.js ] && [ node_modules/.package-lock.json -nt package-lock.json ] && exit 0
command -v npm >/dev/null || { echo "npm is missing: install Node.js 20 to run the accessibility test" >&2; exit 1; }
npm ci --prefer-offline --no-audit --no-fund --loglevel=error
