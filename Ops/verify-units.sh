#!/usr/bin/env bash
# Checks the systemd units in Ops/systemd with `systemd-analyze verify`. The units name
# /usr/local/bin/propcast and /usr/local/lib/propcast/wait-ready, which are not installed on
# a build machine, so a copy of each unit pointing at the freshly built binary and
# Ops/wait-ready.sh is verified instead (templates as one instance each).
#
#   bash Ops/verify-units.sh [path/to/propcast]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v systemd-analyze >/dev/null || { echo "verify-units: SKIPPED (systemd-analyze not installed)"; exit 0; }
bin="$(realpath "${1:-$(swift build --show-bin-path)/propcast}")"
wait_ready="$(realpath Ops/wait-ready.sh)"
[ -x "$bin" ] || { echo "verify-units: no propcast binary at $bin" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for unit in Ops/systemd/*; do
    name="$(basename "$unit")"
    case "$name" in
        propcast-batch@.service) name="propcast-batch@run.service" ;;
        propcast-alert@.service) name="propcast-alert@propcast-status.service.service" ;;
    esac
    sed -e "s|/usr/local/bin/propcast|$bin|g" -e "s|/usr/local/lib/propcast/wait-ready|$wait_ready|g" \
        "$unit" > "$work/$name"
done
# Timers point at propcast-batch@retry.service too.
cp "$work/propcast-batch@run.service" "$work/propcast-batch@retry.service"
cd "$work"
output="$(SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --man=no ./*.service ./*.timer 2>&1 || true)"
if [ -n "$output" ]; then
    echo "$output"
    echo "verify-units: FAILED" >&2
    exit 1
fi
echo "verify-units: $(ls | wc -l) units verified with systemd-analyze"
