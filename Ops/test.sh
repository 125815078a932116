#!/usr/bin/env bash
# The test command: installs what a clean Debian machine lacks, then runs every test —
# unit tests, loopback mTLS tests against the openssl CLI, real worker and coordinator
# processes — then checks the systemd units and, as root with `ip netns`, runs the
# several-hosts test (Ops/netns-test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
bash Ops/install-deps.sh
swift build --build-tests
bin="$(swift build --show-bin-path)/propcast"
bash Ops/verify-units.sh "$bin"
bash Ops/netns-test.sh "$bin"
swift test --skip-build
