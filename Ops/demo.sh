#!/usr/bin/env bash
# The demo command for a fresh machine: installs what is missing, builds Propcast, makes a
# dev CA and certificates with Ops/certs.sh, starts a local worker on a free loopback port,
# pings it over mutual TLS as the coordinator, and stops the worker again (also on Ctrl-C).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
bash Ops/install-deps.sh
swift build --product propcast
bin="$(swift build --show-bin-path)/propcast"
demo_dir="${PROPCAST_DEMO_DIR:-propcast-demo}"
mkdir -p "$demo_dir"
bash Ops/certs.sh --dir "$demo_dir/certs" 127.0.0.1 >/dev/null

worker_log="$demo_dir/worker.log"
"$bin" worker --listen 127.0.0.1:0 --slots 2 --node-id demo-worker \
    --cert "$demo_dir/certs/worker-127.0.0.1.pem" --key "$demo_dir/certs/worker-127.0.0.1.key" \
    --ca "$demo_dir/certs/ca.pem" >"$worker_log.out" 2>"$worker_log" &
worker_pid=$!
trap 'kill "$worker_pid" 2>/dev/null || true; wait "$worker_pid" 2>/dev/null || true' EXIT INT TERM

for _ in $(seq 1 100); do
    grep -q "listening on" "$worker_log.out" 2>/dev/null && break
    kill -0 "$worker_pid" 2>/dev/null || { cat "$worker_log" >&2; exit 1; }
    sleep 0.1
done
port="$(grep -o 'listening on [^ ]*' "$worker_log.out" | grep -o '[0-9]*$')"
echo "worker started: $(cat "$worker_log.out")"
"$bin" ping "127.0.0.1:$port" --count 3 \
    --cert "$demo_dir/certs/coordinator.pem" --key "$demo_dir/certs/coordinator.key" --ca "$demo_dir/certs/ca.pem"
echo "worker log ($worker_log):"
cat "$worker_log"
