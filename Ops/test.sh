#!/usr/bin/env bash
# The test command: installs what a clean Debian machine lacks, then runs every test —
# unit tests, loopback mTLS tests against the openssl CLI, real worker and coordinator
# processes — then checks the systemd units and, as root with `ip netns`, runs the
# several-hosts test (Ops/netns-test.sh) and the deploy test on hosts without a Swift
# toolchain (Ops/host-test.sh); the tests run with a throw-away PostgreSQL server
# (Ops/postgres-test-cluster.sh); last, a short run of each fuzz target (Ops/fuzz.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
bash Ops/install-deps.sh
swift build --build-tests
bin="$(swift build --show-bin-path)/propcast"
# What a host runs: the Swift runtime linked in. Its own scratch path, since the flag changes
# how every module compiles; debug, as a release build takes nearly twice as long (deploy.sh --build
# makes the release one).
swift build --static-swift-stdlib --product propcast --scratch-path .build-static
static="$(swift build --static-swift-stdlib --scratch-path .build-static --show-bin-path)/propcast"
bash Ops/verify-units.sh "$bin"
bash Ops/netns-test.sh "$bin"
bash Ops/host-test.sh "$static" "$bin"
# A throw-away PostgreSQL server for the PostgreSQL tests (initdb in a temporary directory, a
# loopback port, a non-root owner), stopped and removed at exit.
pg="$(mktemp -d /tmp/propcast-pg.XXXXXX)"
trap 'bash Ops/postgres-test-cluster.sh stop "$pg"; rm -rf "$pg"' EXIT
eval "$(bash Ops/postgres-test-cluster.sh start "$pg")"
export PROPCAST_REQUIRE_POSTGRES=1
swift test --skip-build
bash Ops/postgres-test-cluster.sh stop "$pg"
# Coverage-guided fuzzing, a short bounded run of each target (about 4 minutes with its builds);
# a crash fails the run with its input kept in .build-fuzz/TARGET/crashes/.
FUZZ_OPTIMIZATION=-Onone bash Ops/fuzz.sh all 20
