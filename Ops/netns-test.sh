#!/usr/bin/env bash
# Several hosts for real, on one machine: three network namespaces act as worker hosts with
# their own addresses (veth pairs on a private test bridge), each runs a worker with a
# certificate for its address, a batch runs from the root namespace, one host's link is cut
# mid-batch, and the batch must still finish with every player answered (covered, or skipped
# for invalid features), no missing or failed player, no duplicate prediction
# and a journal that verifies. Everything it creates is removed on exit.
#
#   bash Ops/netns-test.sh [path/to/propcast]
#
# Needs root and `ip netns`; otherwise it says so and exits 0 (skipped).
set -euo pipefail
cd "$(dirname "$0")/.."
source Ops/netns-lib.sh

if [ "$(id -u)" -ne 0 ] || ! ip netns list >/dev/null 2>&1; then
    echo "netns-test: SKIPPED (needs root and iproute2's ip netns)"
    exit 0
fi
bin="${1:-$(swift build --show-bin-path)/propcast}"
[ -x "$bin" ] || { echo "netns-test: no propcast binary at $bin (swift build first)" >&2; exit 1; }

tag="pc$$"
bridge="br-$tag"
subnet="10.231.77"
hosts=(11 12 13)
work="$(mktemp -d /tmp/propcast-netns.XXXXXX)"
pids=()

cleanup() {
    set +e
    for pid in "${pids[@]}"; do kill -CONT "$pid" 2>/dev/null; kill "$pid" 2>/dev/null; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
    for n in "${hosts[@]}"; do
        netns_remove "$tag-h$n" "v$tag$n"
    done
    ip link del "$bridge" 2>/dev/null
    rm -rf "$work"
    echo "netns-test: cleaned up namespaces, links and $work"
}
trap cleanup EXIT INT TERM

echo "netns-test: bridge $bridge with $subnet.1/24 and hosts ${hosts[*]/#/$subnet.}"
netns_bridge "$bridge" "$subnet.1/24"
for n in "${hosts[@]}"; do netns_host "$tag-h$n" "v$tag$n" "$bridge" "$subnet.$n/24"; done

bash Ops/certs.sh --dir "$work/certs" "${hosts[@]/#/$subnet.}" >/dev/null
"$bin" store seed --store "$work/store.sqlite" --season 2024-25 --players 450 --seed 42 --last-date 2024-12-08 >/dev/null

workers=()
for n in "${hosts[@]}"; do
    address="$subnet.$n"
    ip netns exec "$tag-h$n" "$bin" worker --listen "$address:7420" --slots 1 --node-id "host-$n" \
        --models Ops/models --simulate-latency 15ms \
        --cert "$work/certs/worker-$address.pem" --key "$work/certs/worker-$address.key" --ca "$work/certs/ca.pem" \
        --log-level warning >"$work/worker-$n.out" 2>"$work/worker-$n.log" &
    pids+=($!)
    workers+=("$address:7420")
done
for n in "${hosts[@]}"; do
    for _ in $(seq 1 300); do grep -q "listening on" "$work/worker-$n.out" 2>/dev/null && break; sleep 0.1; done
    cat "$work/worker-$n.out"
done

date="2024-12-07"
"$bin" batch run --date "$date" --store "$work/store.sqlite" --journal-dir "$work/journal" \
    --workers "$(IFS=,; echo "${workers[*]}")" --wait 0s --request-timeout 3s --heartbeat 500ms \
    --cert "$work/certs/coordinator.pem" --key "$work/certs/coordinator.key" --ca "$work/certs/ca.pem" \
    --log-level warning >"$work/batch.out" 2>"$work/batch.err" &
batch=$!

journal="$work/journal/$date.journal"
for _ in $(seq 1 600); do
    [ -f "$journal" ] && [ "$(grep -c '"type":"prediction"' "$journal" || true)" -ge 200 ] && break
    sleep 0.05
done
before="$(grep -c '"type":"prediction"' "$journal" || true)"
echo "netns-test: cutting the link of host $subnet.${hosts[1]} after $before predictions"
ip link set "v$tag${hosts[1]}" down

status=0
wait "$batch" || status=$?
cat "$work/batch.out"
sed -n '1,20p' "$work/batch.err"
[ "$status" -eq 0 ] || { echo "netns-test: FAILED: batch exited $status" >&2; exit 1; }

"$bin" journal verify --date "$date" --journal-dir "$work/journal"
total="$(cut -d' ' -f2- "$journal" | grep -c '"type":"prediction"')"
unique="$(cut -d' ' -f2- "$journal" | grep '"type":"prediction"' | grep -o '"prediction_id":"[^"]*"' | sort -u | wc -l)"
echo "netns-test: $total predictions, $unique distinct ids"
[ "$total" -eq "$unique" ] || { echo "netns-test: FAILED: duplicate predictions" >&2; exit 1; }
"$bin" batch status --date "$date" --store "$work/store.sqlite" --journal-dir "$work/journal" --json >"$work/status.json"
python3 - "$work/status.json" <<'PY' || { echo "netns-test: FAILED: players missing or failed" >&2; exit 1; }
import json, sys
c = json.load(open(sys.argv[1]))["coverage"]
print("netns-test: %d of %d players covered, %d skipped (invalid features), %d failed, %d missing"
      % (c["covered_players"], c["expected_players"], len(c["skipped"]), len(c["failed"]), len(c["missing"])))
sys.exit(0 if not c["failed"] and not c["missing"] and c["players_without_features"] == 0
         and c["covered_players"] + len(c["skipped"]) == c["expected_players"] else 1)
PY
echo "netns-test: PASSED (link cut mid-batch, every player answered, 0 duplicates, journal verifies)"
