#!/usr/bin/env bash
# Installs the Debian packages Propcast builds and tests with, when they are missing:
# libssl-dev + openssl (TLS, journal hashes), libsqlite3-dev (feature store), libpq-dev (the
# PostgreSQL client), and the tools the tests use as independent peers and hosts (debootstrap,
# systemd-nspawn: Ops/host-test.sh; curl and headless chromium: the coordinator service's API and
# dashboard; postgresql: the throw-away server of Ops/postgres-test-cluster.sh).
# Needs root (or sudo) only if something is missing.
set -euo pipefail

packages=(libssl-dev openssl libsqlite3-dev libpq-dev postgresql pkg-config iproute2 procps systemd debootstrap systemd-container curl chromium)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
echo "install-deps: installing ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
elif command -v sudo >/dev/null; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
else
    echo "install-deps: run as root to install: ${missing[*]}" >&2
    exit 1
fi
