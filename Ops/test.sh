#!/usr/bin/env bash
# The test command: installs what a clean Debian machine lacks, then runs every test
# (unit tests, loopback mTLS tests against the openssl CLI, real child processes).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
bash Ops/install-deps.sh
swift build --build-tests
swift test --skip-build
