#!/usr/bin/env bash
# WeasyPrint (invoice PDFs) needs Pango's shared libraries; install Debian's when missing
# (needs root or sudo), the way ensure-chromium.sh installs Chromium.
set -euo pipefail
have_pango() {
  local libs
  libs=$(ldconfig -p 2>/dev/null || true)  # read whole: grep -q closing the pipe early trips pipefail
  [[ $libs == *"libpango-1.0.so.0"* && $libs == *"libpangoft2-1.0.so.0"* ]]
}
have_pango && exit 0
echo "Installing Debian's Pango for WeasyPrint (invoice PDFs)..."
sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
$sudo_cmd apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core >/dev/null
have_pango || { echo "Pango did not install" >&2; exit 1; }
