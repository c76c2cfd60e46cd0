#!/usr/bin/env bash
# Installs what the tests need (Debian packages, Go modules) and runs every
# test, integration tests included. Run as root, or with sudo available.
# Set HVRDOCTOR_REQUIRE_INTEGRATION=1 to make a missing component fail the
# tests instead of skipping them (CI does).
set -euo pipefail
cd "$(dirname "$0")/.."

# Real components the integration tests start on loopback.
packages=(
  squid mitmproxy                          # forward proxy, HTTPS-inspecting proxy
  krb5-kdc krb5-admin-server krb5-user     # MIT KDC for SPN checks
  slapd ldap-utils                         # LDAP directory for SPN lookups
  sysstat                                  # pidstat, the sampler's peer in benchmarks
  tmux                                     # end-to-end TUI runs
  htop                                     # the TUI's peer in scripts/bench-tty.sh
  prometheus                               # real Prometheus and promtool for hvrdoctor serve
  fio postgresql                           # real disk workloads for the block-layer figures
  iproute2 iptables openssl procps
  mount util-linux                         # losetup, swapon, mkswap: the page-file training lab
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "installing: ${missing[*]}"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

go mod download
go vet ./...
go test -count=1 -timeout 15m "$@" ./...
