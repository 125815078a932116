#!/usr/bin/env bash
# The demo command for a fresh machine: installs what is missing, builds Propcast, and runs
# `propcast demo` in ./propcast-demo — a seeded store, a dev CA and certificates, two local
# workers over mutual TLS, one batch, the summary and the commands to audit the journal.
# Re-running reuses everything and has nothing new to predict.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
bash Ops/install-deps.sh
swift build --product propcast
exec "$(swift build --show-bin-path)/propcast" demo --dir "${PROPCAST_DEMO_DIR:-propcast-demo}" "$@"
