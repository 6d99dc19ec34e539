#!/usr/bin/env bash
# Installs moto's server (the AWS wire protocol on loopback, for splitter-aws's tests) into
# .venv at the repository root, once. The version is pinned; the build runs this before the tests.
set -euo pipefail
MOTO_VERSION="5.2.5"
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.venv"
stamp="$venv/moto-$MOTO_VERSION.installed"
if [[ -f "$stamp" && -x "$venv/bin/moto_server" ]]; then
  exit 0
fi
echo "installing moto[server]==$MOTO_VERSION into $venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"
"$venv/bin/moto_server" --help >/dev/null
touch "$stamp"
