#!/usr/bin/env bash
# A real kube-apiserver for splitter-k8s's tests, on loopback, with the Istio and Gateway API CRDs.
#
#   tools/kube-apiserver.sh build       builds kube-apiserver, kubectl and etcd from the Go module
#                                        proxy into a cache outside the repository (once per
#                                        version; cold: minutes, see docs/benchmarks.md) and copies
#                                        the CRDs there; prints the cache directory
#   tools/kube-apiserver.sh run WORKDIR [PID]
#                                        starts etcd and kube-apiserver on free loopback ports,
#                                        applies the CRDs, writes WORKDIR/kubeconfig, prints
#                                        "ready WORKDIR/kubeconfig", and runs until it gets SIGTERM
#                                        or SIGINT, or process PID (default: its parent) is gone,
#                                        even by SIGKILL; then stops both
#
# Without Go, `build` fails when CI=true and otherwise says the tests will be skipped.
set -euo pipefail
KUBE_VERSION="1.37.2"
ETCD_VERSION="3.7.3"
GATEWAY_API_VERSION="1.6.3"
ISTIO_API_VERSION="1.32.0"
cache="${SPLITTER_KUBE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/splitter/k8s-$KUBE_VERSION}"
bin="$cache/bin"
crds="$cache/crds"
export PATH="$PATH:/usr/local/go/bin"
export GOFLAGS=-mod=mod

built() {
  [[ -x "$bin/kube-apiserver" && -x "$bin/kubectl" && -x "$bin/etcd" && -f "$crds/.complete" ]]
}

build() {
  if built; then
    echo "$cache"
    return
  fi
  if ! command -v go >/dev/null; then
    if [[ "${CI:-}" == "true" ]]; then
      echo "kube-apiserver.sh: Go is needed to build kube-apiserver (https://go.dev/dl)" >&2
      exit 1
    fi
    echo "kube-apiserver.sh: no Go here; the real API server tests will be skipped" \
      "(install Go 1.26, then run tools/kube-apiserver.sh build)" >&2
    return
  fi
  mkdir -p "$bin" "$cache/src" "$crds"
  work="$cache/src"

  # kube-apiserver and kubectl: one module that requires k8s.io/kubernetes and points each staging
  # module kubernetes requires at v0.0.0 to its published v0.<minor>.<patch> tag.
  kmod="$work/kube"
  mkdir -p "$kmod/apiserver" "$kmod/kubectl"
  kube_mod="$(go mod download -json "k8s.io/kubernetes@v$KUBE_VERSION" | sed -n 's/.*"GoMod": "\(.*\)",/\1/p')"
  staging_version="v0.${KUBE_VERSION#1.}"
  {
    echo "module splitter.dev/kube"
    echo
    echo "go 1.26"
    echo
    echo "require k8s.io/kubernetes v$KUBE_VERSION"
    echo
    echo "replace ("
    grep -E '^\s+k8s\.io/[a-z0-9-]+ v0\.0\.0$' "$kube_mod" | awk -v v="$staging_version" '{print "\t" $1 " => " $1 " " v}'
    echo ")"
  } >"$kmod/go.mod"
  cat >"$kmod/apiserver/main.go" <<'GO'
package main

import (
	"os"

	"k8s.io/component-base/cli"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() { os.Exit(cli.Run(app.NewAPIServerCommand())) }
GO
  cat >"$kmod/kubectl/main.go" <<'GO'
package main

import (
	"k8s.io/component-base/cli"
	"k8s.io/kubectl/pkg/cmd"
)

func main() { cli.RunNoErrOutput(cmd.NewDefaultKubectlCommand()) }
GO
  version_flags="-s -w -X k8s.io/component-base/version.gitVersion=v$KUBE_VERSION -X k8s.io/client-go/pkg/version.gitVersion=v$KUBE_VERSION"
  (
    cd "$kmod"
    go mod tidy
    echo "kube-apiserver.sh: building kube-apiserver v$KUBE_VERSION (minutes, the first time)" >&2
    go build -trimpath -ldflags="$version_flags" -o "$bin/kube-apiserver.tmp" ./apiserver
    go build -trimpath -ldflags="$version_flags" -o "$bin/kubectl.tmp" ./kubectl
  )

  # etcd: its own module, so its dependencies never meet kubernetes'.
  emod="$work/etcd"
  mkdir -p "$emod"
  cat >"$emod/go.mod" <<GOMOD
module splitter.dev/etcd

go 1.26

require go.etcd.io/etcd/server/v3 v$ETCD_VERSION
GOMOD
  cat >"$emod/main.go" <<'GO'
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
  (
    cd "$emod"
    go mod tidy
    go build -trimpath -ldflags="-s -w" -o "$bin/etcd.tmp" .
  )
  for name in kube-apiserver kubectl etcd; do mv "$bin/$name.tmp" "$bin/$name"; done

  # The CRDs, from the modules that publish them.
  gateway_dir="$(go mod download -json "sigs.k8s.io/gateway-api@v$GATEWAY_API_VERSION" | sed -n 's/.*"Dir": "\(.*\)",/\1/p')"
  istio_dir="$(go mod download -json "istio.io/api@v$ISTIO_API_VERSION" | sed -n 's/.*"Dir": "\(.*\)",/\1/p')"
  for file in "$gateway_dir"/config/crd/standard/gateway.networking.k8s.io_*.yaml; do
    [[ "$file" == *vap* ]] || cp "$file" "$crds/"
  done
  cp "$istio_dir/kubernetes/customresourcedefinitions.gen.yaml" "$crds/istio.yaml"
  chmod -R u+w "$crds"
  touch "$crds/.complete"
  echo "$cache"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

run() {
  local dir="$1" parent="${2:-$PPID}"
  built || { echo "kube-apiserver.sh: not built; run tools/kube-apiserver.sh build" >&2; exit 1; }
  mkdir -p "$dir"
  local etcd_pid="" apiserver_pid=""
  stop() {
    trap - EXIT TERM INT
    for pid in $apiserver_pid $etcd_pid; do kill -TERM "$pid" 2>/dev/null || true; done
    for _ in $(seq 50); do
      alive=""
      for pid in $apiserver_pid $etcd_pid; do kill -0 "$pid" 2>/dev/null && alive=1; done
      [[ -z "$alive" ]] && break
      sleep 0.1
    done
    for pid in $apiserver_pid $etcd_pid; do kill -KILL "$pid" 2>/dev/null || true; done
    exit 0
  }
  trap stop EXIT TERM INT

  local etcd_port peer_port api_port token
  etcd_port="$(free_port)"; peer_port="$(free_port)"; api_port="$(free_port)"
  token="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
  echo "$token,splitter-tests,splitter-tests,system:masters" >"$dir/tokens.csv"
  openssl genrsa -out "$dir/service-account.key" 2048 2>/dev/null

  "$bin/etcd" --name default --data-dir "$dir/etcd" --unsafe-no-fsync \
    --listen-client-urls "http://127.0.0.1:$etcd_port" \
    --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-cluster "default=http://127.0.0.1:$peer_port" \
    --log-level error >"$dir/etcd.log" 2>&1 &
  etcd_pid=$!

  # No --tls-cert-file: the server writes a self-signed certificate for 127.0.0.1 to --cert-dir.
  "$bin/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$etcd_port" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" \
    --cert-dir "$dir/certs" \
    --service-account-issuer https://kubernetes.default.svc \
    --service-account-key-file "$dir/service-account.key" \
    --service-account-signing-key-file "$dir/service-account.key" \
    --token-auth-file "$dir/tokens.csv" \
    --authorization-mode AlwaysAllow \
    --service-cluster-ip-range 10.96.0.0/16 \
    --endpoint-reconciler-type none \
    --disable-admission-plugins ServiceAccount \
    >"$dir/kube-apiserver.log" 2>&1 &
  apiserver_pid=$!

  cat >"$dir/kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: splitter-tests
  cluster:
    server: https://127.0.0.1:$api_port
    insecure-skip-tls-verify: true
users:
- name: splitter-tests
  user:
    token: $token
contexts:
- name: splitter-tests
  context: {cluster: splitter-tests, user: splitter-tests, namespace: default}
current-context: splitter-tests
KUBECONFIG

  local kubectl=("$bin/kubectl" --kubeconfig "$dir/kubeconfig")
  for _ in $(seq 600); do
    kill -0 "$apiserver_pid" 2>/dev/null || { tail -20 "$dir/kube-apiserver.log" >&2; exit 1; }
    "${kubectl[@]}" get --raw /readyz >/dev/null 2>&1 && break
    sleep 0.1
  done
  "${kubectl[@]}" get --raw /readyz >/dev/null
  "${kubectl[@]}" apply --server-side -f "$crds" >"$dir/crds.log"
  "${kubectl[@]}" wait --for condition=Established --timeout 60s crd --all >>"$dir/crds.log"
  echo "ready $dir/kubeconfig"

  # Until told to stop, or until whoever started us is gone (even by SIGKILL).
  while kill -0 "$parent" 2>/dev/null && kill -0 "$apiserver_pid" 2>/dev/null \
    && kill -0 "$etcd_pid" 2>/dev/null; do
    sleep 1 &
    wait $! || true
  done
}

case "${1:-}" in
  build) build ;;
  run) run "${2:?usage: tools/kube-apiserver.sh run WORKDIR [PID]}" "${3:-$PPID}" ;;
  *) echo "usage: tools/kube-apiserver.sh build | run WORKDIR [PID]" >&2; exit 2 ;;
esac
