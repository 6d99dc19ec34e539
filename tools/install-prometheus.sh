#!/usr/bin/env bash
# Installs Prometheus (Debian's package) for splitter-k8s's metrics tests, once. The tests start
# their own server on loopback with a temporary configuration and storage; the package's own
# service, where the system starts one, is not used.
set -euo pipefail

# Cannot install here: a failure with CI=true, else the metrics tests are skipped.
unavailable() {
  if [[ "${CI:-}" == "true" ]]; then
    echo "install-prometheus.sh: $1" >&2
    exit 1
  fi
  echo "install-prometheus.sh: $1; the metrics tests will be skipped" >&2
  exit 0
}

if command -v prometheus >/dev/null || [[ -x /usr/bin/prometheus ]]; then
  exit 0
fi
command -v apt-get >/dev/null \
  || unavailable "no apt-get here: install Prometheus 2.x so that 'prometheus' is on PATH"
sudo=""
if [[ "$(id -u)" != "0" ]]; then
  command -v sudo >/dev/null && sudo -n true 2>/dev/null \
    || unavailable "Prometheus is needed: apt-get install prometheus (as root)"
  sudo="sudo -n"
fi
echo "installing prometheus (Debian package)"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends prometheus >/dev/null
# Debian starts the service on install where systemd runs; the tests need only the binary.
if command -v systemctl >/dev/null && systemctl is-active --quiet prometheus 2>/dev/null; then
  $sudo systemctl disable --now prometheus >/dev/null 2>&1 || true
fi
