#!/bin/bash
# Waits until a propcast worker serves: polls GET /readyz on its metrics port until it
# answers 200 (the worker answers 503 while it starts and from the moment it drains).
# propcast-worker.service runs it as ExecStartPost=, so `systemctl start` returns, and
# units ordered After= the worker start, only once the worker takes work. Installed as
# /usr/local/lib/propcast/wait-ready; needs only bash (/dev/tcp) and coreutils.
#
#   wait-ready [--timeout SECONDS] LISTEN METRICS_PORT
#   wait-ready 0.0.0.0:7420 9420        # the values of worker.conf
#
# LISTEN is the worker's --listen HOST:PORT (the metrics port listens on that host;
# 0.0.0.0 and [::] are asked on loopback). Exits 0 when ready, 1 after the timeout
# (default 60 s) naming the last answer, 2 on bad usage.
set -euo pipefail

usage() {
    echo "usage: wait-ready [--timeout SECONDS] LISTEN METRICS_PORT   (e.g. wait-ready 0.0.0.0:7420 9420)" >&2
    exit 2
}

timeout_seconds=60
if [ "${1:-}" = "--timeout" ]; then
    [ $# -ge 2 ] || usage
    timeout_seconds="$2"
    shift 2
fi
[ $# -eq 2 ] || usage
listen="$1"
port="$2"
host="${listen%:*}"
host="${host#[}"
host="${host%]}"
case "$host" in
    ""|0.0.0.0) host=127.0.0.1 ;;
    ::) host=::1 ;;
esac
[[ "$port" =~ ^[0-9]+$ ]] || usage
[[ "$timeout_seconds" =~ ^[0-9]+$ ]] || usage

# probe: prints the status line of GET /readyz, or nothing when nobody answers.
probe() {
    # shellcheck disable=SC2016 # the inner script expands its own arguments
    timeout 3 bash -c '
        exec 3<>"/dev/tcp/$1/$2" || exit 1
        printf "GET /readyz HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n" "$1" >&3
        IFS= read -r line <&3 && printf "%s\n" "${line%$'"'\r'"'}"
    ' probe "$host" "$port" 2>/dev/null || true
}

deadline=$((SECONDS + timeout_seconds))
last="no answer"
while :; do
    status="$(probe)"
    case "$status" in
        "HTTP/1."?" 200"*) exit 0 ;;
        "") ;;
        *) last="$status" ;;
    esac
    if [ "$SECONDS" -ge "$deadline" ]; then
        echo "wait-ready: worker not ready after ${timeout_seconds}s: http://$host:$port/readyz: $last" >&2
        exit 1
    fi
    sleep 0.2
done
