#!/usr/bin/env bash
# The ops kit on real host shapes. Ops/deploy.sh installs a worker and a coordinator, each
# into a root of its own with no Swift toolchain (a minimal Debian 12 from debootstrap), each
# root in a network namespace with its own address. Then:
#  - by hand, as user propcast with a clean environment, the command lines of the deployed
#    units (specifiers and variables expanded as systemd would, via sh -c): the worker's
#    readiness check must fail while nothing serves; the worker starts and the check passes;
#    `propcast ping` from outside; the batch unit for a seeded date answers every player; the
#    batch and status units for today (no games) exit 0; SIGTERM drains, exit 0;
#  - booted, with systemd as PID 1 (systemd-nspawn), the units for real, sandbox and all: the
#    worker is active once it serves and is pinged from outside; the timers are active; a
#    no-games day and a retry that finds the date's lock held (exit 6) succeed without an
#    alert; a retry without its store fails and alerts; stopping the worker drains.
#
#   bash Ops/host-test.sh STATIC_PROPCAST [DYNAMIC_PROPCAST]
#
# STATIC_PROPCAST is the binary to deploy (swift build --static-swift-stdlib); the test fails
# if ldd shows it linking anything under /opt/swift. DYNAMIC_PROPCAST, when given, is an
# ordinary build that deploy.sh must refuse. Needs root and `ip netns`; otherwise SKIPPED.
# The Debian root (minbase + systemd) is made once with debootstrap (a minute or two; cached
# as a tar in /var/cache/propcast-host-test). Without debootstrap or the mirror, or with
# PROPCAST_HOST_SHAPE=unshare, the roots are this machine's own system in a mount namespace:
# /opt/swift hidden under a tmpfs, the deployed /etc, /usr/local and /var/lib bound over the
# machine's (and nothing boots). Everything else it creates is removed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
source Ops/netns-lib.sh

if [ "$(id -u)" -ne 0 ] || ! ip netns list >/dev/null 2>&1; then
    echo "host-test: SKIPPED (needs root and iproute2's ip netns)"
    exit 0
fi
if [ $# -lt 1 ] || [ ! -x "$1" ]; then
    echo "usage: $0 STATIC_PROPCAST [DYNAMIC_PROPCAST]" >&2
    exit 2
fi
bin="$(realpath "$1")"
dynamic="${2:-}"

fail() {
    echo "host-test: FAILED: $*" >&2
    exit 1
}

tag="ph$$"
bridge="br-$tag"
subnet="10.231.78"
worker_ip="$subnet.21"
coordinator_ip="$subnet.31"
work="$(mktemp -d /tmp/propcast-host.XXXXXX)"
pids=()

cleanup() {
    set +e
    # systemd-nspawn powers its container off on SIGTERM; give it 20 s.
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
    for _ in $(seq 1 200); do
        local alive=0 pid
        for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        [ "$alive" = 0 ] && break
        sleep 0.1
    done
    for ns in "$tag-w" "$tag-c"; do
        ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
    done
    for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
    netns_remove "$tag-w" "v$tag-w"
    netns_remove "$tag-c" "v$tag-c"
    ip link del "$bridge" 2>/dev/null
    # The roots' /proc mounts lived in mount namespaces that are gone; never cross into one.
    rm -rf --one-file-system "$work"
    echo "host-test: cleaned up namespaces, links and $work"
}
trap cleanup EXIT INT TERM

# 1. The binary needs nothing from the toolchain.
links="$(ldd "$bin" 2>&1 || true)"
echo "host-test: ldd $bin:"
printf '    %s\n' "${links//$'\n'/$'\n'    }"
if grep -Eq '/opt/swift|libswift|libFoundation|libdispatch|libBlocksRuntime|not found' <<<"$links"; then
    fail "$bin links the toolchain's Swift runtime (build it with --static-swift-stdlib)"
fi

# 2. A root with no toolchain: debootstrap's minimal Debian, or the fallback.
shape="${PROPCAST_HOST_SHAPE:-debootstrap}"
packages="systemd,systemd-sysv,dbus,libssl3,libsqlite3-0,libpq5"
cache="/var/cache/propcast-host-test/bookworm-minbase-${packages//,/-}.tar"
if [ "$shape" = debootstrap ] && [ ! -s "$cache" ]; then
    if ! command -v debootstrap >/dev/null; then
        echo "host-test: no debootstrap (apt-get install debootstrap); falling back to a mount namespace"
        shape=unshare
    else
        echo "host-test: debootstrap --variant=minbase bookworm (once; then cached in $cache)"
        started=$SECONDS
        if debootstrap --variant=minbase --include="$packages" bookworm "$work/bootstrap" \
            "${PROPCAST_DEBIAN_MIRROR:-http://deb.debian.org/debian}" >"$work/debootstrap.log" 2>&1; then
            mkdir -p "$(dirname "$cache")"
            tar -C "$work/bootstrap" -cf "$cache.partial" . && mv "$cache.partial" "$cache"
            rm -rf --one-file-system "$work/bootstrap"
            echo "host-test: debootstrap took $((SECONDS - started)) s"
        else
            tail -5 "$work/debootstrap.log" >&2
            echo "host-test: debootstrap failed; falling back to a mount namespace"
            shape=unshare
        fi
    fi
fi
echo "host-test: host shape: $shape"

# make_root DIR: a host's file system before the deploy.
make_root() {
    mkdir -p "$1"
    if [ "$shape" = debootstrap ]; then
        tar -C "$1" -xf "$cache"
    else
        cp -a /etc "$1/etc"
        mkdir -p "$1/usr/local" "$1/var/lib"
    fi
}

# in_root NS ROOT USER COMMAND...: runs COMMAND on that host — network namespace NS, file
# system ROOT, as USER, with only PATH in its environment (prefix VAR=VALUE via env).
in_root() {
    local ns="$1" root="$2" user="$3" uid gid
    shift 3
    uid="$(awk -F: -v u="$user" '$1 == u { print $3 }' "$root/etc/passwd")"
    gid="$(awk -F: -v u="$user" '$1 == u { print $4 }' "$root/etc/passwd")"
    [ -n "$uid" ] || fail "no user $user in $root/etc/passwd"
    local -a as_user=(setpriv --reuid="$uid" --regid="$gid" --clear-groups --
        env -i PATH=/usr/local/bin:/usr/bin:/bin)
    if [ "$shape" = debootstrap ]; then
        # shellcheck disable=SC2016 # the inner script expands its own arguments
        ip netns exec "$ns" unshare --mount --propagation private sh -c \
            'root="$1"; shift; mount -t proc proc "$root/proc" && exec chroot "$root" "$@"' \
            in_root "$root" "${as_user[@]}" "$@"
    else
        # shellcheck disable=SC2016
        ip netns exec "$ns" unshare --mount --propagation private sh -c '
            root="$1"; shift
            if [ -d /opt/swift ]; then mount -t tmpfs -o size=1m tmpfs /opt/swift; fi
            for dir in /etc /usr/local /var/lib; do mount --bind "$root$dir" "$dir"; done
            exec "$@"' in_root "$root" "${as_user[@]}" "$@"
    fi
}

# unit_command UNIT KEY INSTANCE: the unit's KEY= command line, continuation lines joined and
# specifiers (%H %i %n %%) expanded.
unit_command() {
    local unit="$1" key="$2" instance="${3:-}" line
    line="$(awk -v key="$key=" '
        index($0, key) == 1 || joining {
            part = joining ? $0 : substr($0, length(key) + 1)
            if (part ~ /\\$/) { line = line substr(part, 1, length(part) - 1); joining = 1; next }
            print line part; exit
        }' "$unit")"
    [ -n "$line" ] || fail "no $key= in $unit"
    line="${line//%%/$'\001'}"
    line="${line//%H/host-test-worker}"
    line="${line//%i/$instance}"
    line="${line//%n/$(basename "$unit")}"
    printf '%s\n' "${line//$'\001'/%}"
}

# conf_env FILE: the EnvironmentFile's assignments, one VAR=VALUE a line, for env(1).
conf_env() {
    grep -Ev '^[[:space:]]*(#|$)' "$1"
}

# run_unit NS ROOT UNIT KEY INSTANCE CONF [DATE]: runs that command line on that host as
# propcast with CONF's variables, the way systemd would (the game date fixed when DATE is given).
run_unit() {
    local ns="$1" root="$2" unit="$3" key="$4" instance="$5" conf="$6" date="${7:-}" command
    # shellcheck disable=SC2016 # the unit's text, not to be expanded here
    local today='$(TZ=America/Los_Angeles date +%F)'
    command="$(unit_command "$root/etc/systemd/system/$unit" "$key" "$instance")"
    if [ -n "$date" ]; then
        [[ "$command" == *"$today"* ]] || fail "$unit: the game date is no longer $today; update this test"
        command="${command//"$today"/$date}"
    fi
    local -a environment=()
    mapfile -t environment < <(conf_env "$root/etc/propcast/$conf")
    in_root "$ns" "$root" propcast "${environment[@]}" /bin/sh -c "exec $command"
}

echo "host-test: bridge $bridge, worker host $worker_ip, coordinator host $coordinator_ip"
netns_bridge "$bridge" "$subnet.1/24"
netns_host "$tag-w" "v$tag-w" "$bridge" "$worker_ip/24"
netns_host "$tag-c" "v$tag-c" "$bridge" "$coordinator_ip/24"

bash Ops/certs.sh --dir "$work/certs" "$worker_ip" >/dev/null
printf '%s:7420\n' "$worker_ip" >"$work/workers.txt"
wroot="$work/worker-host"
croot="$work/coordinator-host"
make_root "$wroot"
make_root "$croot"
for root in "$wroot" "$croot"; do
    [ "$shape" = unshare ] || [ ! -e "$root/opt/swift" ] || fail "$root has /opt/swift"
done

# 3. Deploy, as the README says, into each root.
if [ -n "$dynamic" ]; then
    if bash Ops/deploy.sh worker --certs "$work/certs" --binary "$dynamic" --local --root "$wroot" \
        "$worker_ip" >"$work/refused.out" 2>&1; then
        fail "deploy.sh shipped $dynamic, which links the toolchain's runtime"
    fi
    grep -q 'links the Swift runtime' "$work/refused.out" || { cat "$work/refused.out"; fail "refusal unclear"; }
    echo "host-test: deploy.sh refuses the dynamically linked build: $(head -1 "$work/refused.out")"
fi
bash Ops/deploy.sh worker --certs "$work/certs" --binary "$bin" --local --root "$wroot" "$worker_ip"
bash Ops/deploy.sh worker --certs "$work/certs" --binary "$bin" --local --root "$wroot" "$worker_ip" \
    >"$work/redeploy.out"
grep -q 'keeping /etc/propcast/worker.conf' "$work/redeploy.out" || fail "a second worker deploy did not keep worker.conf"
bash Ops/deploy.sh coordinator --certs "$work/certs" --workers-file "$work/workers.txt" --binary "$bin" \
    --local --root "$croot"

# What the deploy left: modes, owners, enabled units, and a binary that loads there.
propcast_gid="$(awk -F: '$1 == "propcast" { print $3 }' "$croot/etc/group")"
[ "$(stat -c '%a %u %g' "$croot/etc/propcast/coordinator.key")" = "640 0 $propcast_gid" ] \
    || fail "coordinator.key is $(stat -c '%a %u:%g' "$croot/etc/propcast/coordinator.key"), not 0640 root:propcast"
cmp -s "$work/workers.txt" "$croot/etc/propcast/workers.txt" || fail "workers.txt not deployed"
for link in timers.target.wants/propcast-batch-run.timer timers.target.wants/propcast-batch-retry-0615.timer \
    timers.target.wants/propcast-batch-retry-0630.timer timers.target.wants/propcast-batch-status.timer; do
    [ -L "$croot/etc/systemd/system/$link" ] || fail "coordinator: $link not enabled"
done
[ -L "$wroot/etc/systemd/system/multi-user.target.wants/propcast-worker.service" ] || fail "worker unit not enabled"
[ -L "$croot/etc/systemd/system/multi-user.target.wants/propcast-coordinator.service" ] \
    || fail "coordinator: propcast-coordinator.service not enabled"
# shellcheck disable=SC2016 # expanded on the worker host
in_root "$tag-w" "$wroot" propcast sh -c '
    if command -v swift || [ -e /opt/swift/usr/bin/swift ]; then echo "a Swift toolchain is visible" >&2; exit 1; fi
    links="$(ldd /usr/local/bin/propcast)" || exit 1
    if printf "%s\n" "$links" | grep -E "not found|/opt/swift" >&2; then exit 1; fi
    /usr/local/bin/propcast --version' >"$work/version" || fail "the deployed binary does not load on the worker host"
echo "host-test: deployed propcast $(cat "$work/version") loads on a host without /opt/swift"

# 4. The worker, as its unit runs it; readiness as the unit checks it.
ready_check="$(unit_command "$wroot/etc/systemd/system/propcast-worker.service" ExecStartPost)"
mapfile -t worker_env < <(conf_env "$wroot/etc/propcast/worker.conf")
if in_root "$tag-w" "$wroot" propcast "${worker_env[@]}" /bin/sh -c \
    "exec ${ready_check/--timeout 60/--timeout 1}" 2>"$work/not-ready.err"; then
    fail "the readiness check passed with no worker running"
fi
echo "host-test: with no worker, the readiness check says: $(cat "$work/not-ready.err")"

started=$SECONDS
run_unit "$tag-w" "$wroot" propcast-worker.service ExecStart "" worker.conf \
    >"$work/worker.out" 2>"$work/worker.log" &
worker=$!
pids+=("$worker")
run_unit "$tag-w" "$wroot" propcast-worker.service ExecStartPost "" worker.conf \
    || { cat "$work/worker.log"; fail "the readiness check failed"; }
kill -0 "$worker" 2>/dev/null || { cat "$work/worker.log"; fail "the worker exited"; }
for _ in $(seq 1 50); do grep -q "listening on" "$work/worker.out" && break; sleep 0.1; done
grep "listening on" "$work/worker.out" || fail "ready, but no ready line: $(cat "$work/worker.out")"
echo "host-test: worker ready after $((SECONDS - started)) s"

# 5. From outside: ping the worker host over mutual TLS.
"$bin" ping "$worker_ip:7420" --cert "$work/certs/coordinator.pem" --key "$work/certs/coordinator.key" \
    --ca "$work/certs/ca.pem" || { tail -30 "$work/worker.log"; fail "propcast ping $worker_ip:7420"; }

# 6. The coordinator host: the batch unit with the deployed coordinator.conf, workers.txt and
# key, as propcast — for a seeded date, then for today (no games), then the status unit.
store="$(grep '^PROPCAST_STORE=' "$croot/etc/propcast/coordinator.conf" | cut -d= -f2-)"
"$bin" store seed --store "$croot$store" --season 2024-25 --players 450 --seed 42 \
    --last-date 2024-12-08 >/dev/null
chown -R "$(awk -F: '$1 == "propcast" { print $3 ":" $4 }' "$croot/etc/passwd")" "$croot/var/lib/propcast"
date="2024-12-07"
status=0
run_unit "$tag-c" "$croot" propcast-batch@.service ExecStart run coordinator.conf "$date" \
    >"$work/batch.out" 2>"$work/batch.err" || status=$?
sed -n '1,12p' "$work/batch.out"
[ "$status" -eq 0 ] || { sed -n '1,20p' "$work/batch.err"; fail "batch run on the coordinator host exited $status"; }
run_unit "$tag-c" "$croot" propcast-status.service ExecStart "" coordinator.conf "$date" \
    >"$work/status.out" || { cat "$work/status.out"; fail "the status unit for $date exited non-zero"; }
in_root "$tag-c" "$croot" propcast /usr/local/bin/propcast batch status --date "$date" --store "$store" \
    --journal-dir /var/lib/propcast/journal --json >"$work/status.json"
python3 - "$work/status.json" <<'PY' || fail "players missing or failed"
import json, sys
c = json.load(open(sys.argv[1]))["coverage"]
print("host-test: %d of %d players covered, %d skipped (invalid features), %d failed, %d missing"
      % (c["covered_players"], c["expected_players"], len(c["skipped"]), len(c["failed"]), len(c["missing"])))
sys.exit(0 if not c["failed"] and not c["missing"]
         and c["covered_players"] + len(c["skipped"]) == c["expected_players"] else 1)
PY
for unit in propcast-batch@.service:run propcast-batch@.service:retry propcast-status.service:; do
    status=0
    run_unit "$tag-c" "$croot" "${unit%%:*}" ExecStart "${unit#*:}" coordinator.conf \
        >"$work/today.out" 2>&1 || status=$?
    [ "$status" -eq 0 ] || { cat "$work/today.out"; fail "${unit%%:*} ${unit#*:} for today exited $status"; }
    grep -q "no games scheduled" "$work/today.out" || { cat "$work/today.out"; fail "today is not a no-games date"; }
done
echo "host-test: today (no games): batch run, retry and status exit 0 — $(head -1 "$work/today.out")"

# 7. Stop the worker as systemd would (KillSignal=SIGTERM): it drains and exits 0.
worker_pid=""
for pid in $(ip netns pids "$tag-w"); do
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = propcast ] && worker_pid="$pid"
done
[ -n "$worker_pid" ] || fail "no propcast process on the worker host"
kill -TERM "$worker_pid"
for _ in $(seq 1 450); do kill -0 "$worker_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$worker_pid" 2>/dev/null && fail "the worker did not stop within 45 s of SIGTERM (TimeoutStopSec)"
status=0
wait "$worker" || status=$?
pids=()
[ "$status" -eq 0 ] || { tail -5 "$work/worker.log"; fail "the worker exited $status on SIGTERM"; }
echo "host-test: the deployed units, run by hand, did what they should"

# 8. The same roots booted with systemd as PID 1: the units for real.
if [ "$shape" != debootstrap ] || ! command -v systemd-nspawn >/dev/null; then
    echo "host-test: PASSED without booting ($shape; booting needs debootstrap and systemd-nspawn: apt-get install systemd-container)"
    exit 0
fi

# boot NS ROOT: boots ROOT in network namespace NS and waits for systemd; sets $leader (its PID 1).
boot() {
    local ns="$1" root="$2" nspawn state
    systemd-nspawn --quiet --boot --directory="$root" --machine="$ns" --register=no --keep-unit \
        --network-namespace-path="/run/netns/$ns" --console=read-only >"$work/$ns-boot.log" 2>&1 &
    nspawn=$!
    pids+=("$nspawn")
    leader=""
    for _ in $(seq 1 100); do
        leader="$(pgrep -P "$nspawn" | head -1 || true)"
        [ -n "$leader" ] && [ "$(cat "/proc/$leader/comm" 2>/dev/null)" = systemd ] && break
        leader=""
        sleep 0.1
    done
    for _ in $(seq 1 300); do
        [ -n "$leader" ] && nsenter -t "$leader" -a test -S /run/systemd/private && break
        sleep 0.1
    done
    nsenter -t "$leader" -a test -S /run/systemd/private 2>/dev/null \
        || { tail -20 "$work/$ns-boot.log"; fail "$root did not boot"; }
    state="$(nsenter -t "$leader" -a timeout 90 systemctl is-system-running --wait || true)"
    echo "host-test: booted $ns: $state"
}

# on LEADER COMMAND...: runs COMMAND in that booted host, as root.
on() {
    local leader="$1"
    shift
    nsenter -t "$leader" -a "$@"
}

# unit_state LEADER UNIT: "Result ExecMainStatus ActiveState" of UNIT.
unit_state() {
    on "$1" systemctl show -p Result -p ExecMainStatus -p ActiveState --value "$2" | tr '\n' ' ' | sed 's/ $//'
}

boot "$tag-w" "$wroot"
wleader="$leader"
[ "$(on "$wleader" systemctl is-active propcast-worker.service)" = active ] \
    || { on "$wleader" journalctl -u propcast-worker --no-pager | tail -20; fail "propcast-worker is not active after boot"; }
# Active means serving: the readiness check (which fails while nothing serves, step 4) passed.
post="$(on "$wleader" systemctl show -p ExecStartPost --value propcast-worker.service)"
[[ "$post" == *"code=exited ; status=0"* ]] || fail "propcast-worker's readiness check: $post"
"$bin" ping "$worker_ip:7420" --cert "$work/certs/coordinator.pem" --key "$work/certs/coordinator.key" \
    --ca "$work/certs/ca.pem" >/dev/null || fail "propcast ping $worker_ip:7420 (worker under systemd)"
echo "host-test: systemd started propcast-worker once it served; pinged from outside"

boot "$tag-c" "$croot"
cleader="$leader"
for timer in propcast-batch-run propcast-batch-retry-0615 propcast-batch-retry-0630 propcast-batch-status; do
    [ "$(on "$cleader" systemctl is-active "$timer.timer")" = active ] || fail "$timer.timer is not active"
done
alerts() { on "$cleader" journalctl -q -t propcast-alert -o cat --no-pager | wc -l; }

# Today has no games in this store: success, no alert.
on "$cleader" systemctl start propcast-batch@run.service || fail "propcast-batch@run failed on a no-games day"
[ "$(alerts)" -eq 0 ] || fail "a no-games day raised an alert"

# A retry while another batch holds the date's lock: exit 6, a success, no alert. The units'
# date is today; a drop-in gives them the seeded date instead.
dropin="$croot/etc/systemd/system/propcast-batch@.service.d"
mkdir -p "$dropin"
# shellcheck disable=SC2016 # the unit's text
today='$(TZ=America/Los_Angeles date +%%F)'
execstart="$(awk '/^ExecStart=/ || more { print; more = /\\$/ }' "$croot/etc/systemd/system/propcast-batch@.service")"
[[ "$execstart" == *"$today"* ]] || fail "propcast-batch@.service: the game date is no longer $today; update this test"
printf '[Service]\nExecStart=\n%s\n' "${execstart//"$today"/$date}" >"$dropin/date.conf"
on "$cleader" systemctl daemon-reload
mkfifo "$work/hold"
on "$cleader" setpriv --reuid="$(awk -F: '$1 == "propcast" { print $3 }' "$croot/etc/passwd")" \
    --regid="$propcast_gid" --clear-groups /usr/local/bin/propcast journal stress-append \
    --dir /var/lib/propcast/journal --date "$date" --hold <"$work/hold" >"$work/hold.out" 2>&1 &
holder=$!
pids+=("$holder")
exec 4>"$work/hold"
for _ in $(seq 1 100); do grep -q '^ready' "$work/hold.out" && break; sleep 0.1; done
grep -q '^ready' "$work/hold.out" || fail "could not take the journal lock: $(cat "$work/hold.out")"
on "$cleader" systemctl start propcast-batch@retry.service || fail "a retry that found the lock held failed"
[ "$(unit_state "$cleader" propcast-batch@retry.service)" = "success 6 inactive" ] \
    || fail "retry with the lock held: $(unit_state "$cleader" propcast-batch@retry.service), not 'success 6 inactive'"
exec 4>&-
wait "$holder" || true
[ "$(alerts)" -eq 0 ] || fail "a retry that found the lock held raised an alert"
echo "host-test: no-games day and a retry finding the lock held (exit 6): success, no alert"

# A real failure alerts: the store gone.
mv "$croot$store" "$croot$store.away"
if on "$cleader" systemctl start propcast-batch@retry.service 2>/dev/null; then
    fail "a retry without its store succeeded"
fi
for _ in $(seq 1 100); do [ "$(alerts)" -gt 0 ] && break; sleep 0.1; done
[ "$(alerts)" -gt 0 ] || fail "a failed retry raised no alert"
echo "host-test: a retry without its store ($(unit_state "$cleader" propcast-batch@retry.service)) alerted: $(on "$cleader" journalctl -q -t propcast-alert -o cat --no-pager | tail -1)"
mv "$croot$store.away" "$croot$store"

# The coordinator service, the primary path, as systemd runs it (sandbox and all): active since
# boot, its API on 127.0.0.1:9430 of the coordinator host (this machine's curl in that network
# namespace), a POSTed run of an earlier date predicted by the worker host, the complete date
# answered "already complete", and SIGTERM a clean stop.
[ "$(on "$cleader" systemctl is-active propcast-coordinator.service)" = active ] \
    || { on "$cleader" journalctl -u propcast-coordinator --no-pager | tail -20; fail "propcast-coordinator is not active"; }
api() { nsenter -t "$cleader" -n curl -s -S --max-time 10 "$@"; }
for _ in $(seq 1 100); do api -o /dev/null http://127.0.0.1:9430/healthz 2>/dev/null && break; sleep 0.1; done
[ "$(api -o /dev/null -w '%{http_code}' http://127.0.0.1:9430/healthz)" = 200 ] \
    || { on "$cleader" journalctl -u propcast-coordinator --no-pager | tail -20; fail "propcast-coordinator: /healthz"; }
earlier="$(python3 - "$croot$store" "$date" <<'PY'
import sqlite3, sys
query = "SELECT MAX(game_date) FROM ml_feature_store_v2 WHERE game_date < ?"
print(sqlite3.connect(sys.argv[1]).execute(query, (sys.argv[2],)).fetchone()[0])
PY
)"
code="$(api -o "$work/trigger.json" -w '%{http_code}' -X POST "http://127.0.0.1:9430/api/v1/dates/$earlier/runs")"
[ "$code" = 202 ] || fail "coordinator service: POST a run of $earlier → $code $(cat "$work/trigger.json")"
ended() {
    python3 -c 'import json, sys; r = json.load(open(sys.argv[1]))["runs"]; sys.exit(0 if r and r[0]["state"] == "ended" else 1)' "$1"
}
for _ in $(seq 1 600); do
    api "http://127.0.0.1:9430/api/v1/dates/$earlier/runs" >"$work/runs.json" && ended "$work/runs.json" && break
    sleep 0.2
done
summary="$(python3 -c 'import json, sys; r = json.load(open(sys.argv[1]))["runs"][0]; print(r.get("outcome"), r.get("predictions_written"))' "$work/runs.json")"
[ "${summary%% *}" = finished ] || fail "coordinator service: the run of $earlier: $(cat "$work/runs.json")"
code="$(api -o "$work/complete.json" -w '%{http_code}' -X POST "http://127.0.0.1:9430/api/v1/dates/$date/runs")"
[ "$code" = 200 ] || fail "coordinator service: POST a run of the complete $date → $code $(cat "$work/complete.json")"
on "$cleader" systemctl stop propcast-coordinator.service
[ "$(unit_state "$cleader" propcast-coordinator.service)" = "success 0 inactive" ] \
    || { on "$cleader" journalctl -u propcast-coordinator --no-pager | tail -20
         fail "stopping the coordinator service: $(unit_state "$cleader" propcast-coordinator.service)"; }
echo "host-test: systemd ran propcast-coordinator: /healthz 200; POST $earlier → 202, finished with ${summary#* } predictions; POST $date (complete) → 200; SIGTERM → exit 0"

on "$wleader" systemctl stop propcast-worker.service
[ "$(unit_state "$wleader" propcast-worker.service)" = "success 0 inactive" ] \
    || fail "stopping the worker: $(unit_state "$wleader" propcast-worker.service)"
echo "host-test: PASSED (hosts without a Swift toolchain: deploy, the units by hand and under systemd, readiness, exit 6, no-games day, alerting, the coordinator service, drain)"
