#!/usr/bin/env bash
# Installs a headless browser (Debian's chromium and chromium-driver) for the dashboard's tests in
# splitter-cli, once. The tests start their own chromedriver and browser on loopback and stop both.
set -euo pipefail

# Cannot install here: a failure with CI=true, else the browser tests are skipped.
unavailable() {
  if [[ "${CI:-}" == "true" ]]; then
    echo "install-chromium.sh: $1" >&2
    exit 1
  fi
  echo "install-chromium.sh: $1; the dashboard's browser tests will be skipped" >&2
  exit 0
}

if command -v chromedriver >/dev/null && { command -v chromium >/dev/null || [[ -x /usr/bin/chromium ]]; }; then
  exit 0
fi
command -v apt-get >/dev/null \
  || unavailable "no apt-get here: install chromium and its chromedriver so that both are on PATH"
sudo=""
if [[ "$(id -u)" != "0" ]]; then
  command -v sudo >/dev/null && sudo -n true 2>/dev/null \
    || unavailable "a headless browser is needed: apt-get install chromium chromium-driver (as root)"
  sudo="sudo -n"
fi
echo "installing chromium and chromium-driver (Debian packages)"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
  chromium chromium-driver fonts-dejavu-core >/dev/null
