#!/usr/bin/env bash
# The demo for a fresh machine: installs what is missing, builds Propcast, and in
# ./propcast-demo seeds a feature store (once), makes a dev CA and certificates with
# Ops/certs.sh, starts two local workers on free loopback ports, runs `batch run` for a
# sample date over mutual TLS, prints the summary and the commands to audit the journal,
# and stops the workers (also on Ctrl-C). Re-running reuses what exists and has nothing new
# to predict.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
bash Ops/install-deps.sh
swift build --product propcast
bin="$(swift build --show-bin-path)/propcast"
demo="${PROPCAST_DEMO_DIR:-propcast-demo}"
date="${PROPCAST_DEMO_DATE:-2025-01-15}"
mkdir -p "$demo"

if [ ! -e "$demo/store.sqlite" ]; then
    "$bin" store seed --path "$demo/store.sqlite" --season 2024-25 --players 450 --seed 42
fi
bash Ops/certs.sh --dir "$demo/certs" 127.0.0.1 >/dev/null

pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

workers=()
for n in 1 2; do
    "$bin" worker --listen 127.0.0.1:0 --slots 2 --node-id "demo-worker-$n" --models Ops/models \
        --cert "$demo/certs/worker-127.0.0.1.pem" --key "$demo/certs/worker-127.0.0.1.key" \
        --ca "$demo/certs/ca.pem" --log-level warning >"$demo/worker-$n.out" 2>"$demo/worker-$n.log" &
    pids+=($!)
    for _ in $(seq 1 300); do
        grep -q "listening on" "$demo/worker-$n.out" 2>/dev/null && break
        kill -0 "${pids[-1]}" 2>/dev/null || { cat "$demo/worker-$n.log" >&2; exit 1; }
        sleep 0.1
    done
    cat "$demo/worker-$n.out"
    workers+=("$(grep -o 'listening on [^ ]*' "$demo/worker-$n.out" | cut -d' ' -f3)")
done

status=0
"$bin" batch run --date "$date" --store "$demo/store.sqlite" --journal-dir "$demo/journal" \
    --workers "$(IFS=,; echo "${workers[*]}")" --wait 0s \
    --cert "$demo/certs/coordinator.pem" --key "$demo/certs/coordinator.key" --ca "$demo/certs/ca.pem" || status=$?

cat <<EOF

Audit the journal:
  $bin journal tail --date $date --journal-dir $demo/journal -n 5
  $bin journal verify --date $date --journal-dir $demo/journal
  $bin batch status --date $date --store $demo/store.sqlite --journal-dir $demo/journal
  cut -d' ' -f2- $demo/journal/$date.journal | jq -c 'select(.type=="prediction")' | head
EOF
exit "$status"
