#!/usr/bin/env bash
# Installs Propcast on worker hosts and on the coordinator host (Debian 12 or newer with
# systemd). Run from a checkout, on the machine that holds the certificates (Ops/certs.sh).
#
#   Ops/deploy.sh worker      --certs DIR [options] HOST...
#   Ops/deploy.sh coordinator --certs DIR --workers-file FILE [options] HOST
#
# worker       per HOST: the binary, the models, the HOST's certificate (worker-HOST.pem),
#              worker.conf (kept if present) and propcast-worker.service; enables and
#              restarts the worker, which returns once it serves (/readyz), host by host.
# coordinator  the binary, the coordinator certificate and key (key 0640 root:propcast),
#              /etc/propcast/workers.txt (FILE: one HOST:PORT a line), coordinator.conf
#              (kept if present), the coordinator service (primary) and the batch, status and
#              alert units; enables the service and the timers (the backup path).
# Both create the system user propcast and use sudo on the host only when not root there.
#
# options:
#   --certs DIR          certificates made by Ops/certs.sh --dir DIR HOST...
#   --workers-file FILE  coordinator: the workers the batch dials
#   --binary PATH        what to ship (default .build-static/release/propcast); refused
#                        when it links the Swift runtime of the toolchain (check: ldd)
#   --build              build that binary first:
#                        swift build -c release --static-swift-stdlib --product propcast --scratch-path .build-static
#   --user USER          ssh login user (default: ssh's own); needs root or sudo there
#   --root DIR           install under DIR instead of / (units enabled, nothing started)
#   --local              install on this machine instead of over ssh (worker: one HOST,
#                        the name its certificate is for; coordinator: no HOST)
#
# example:
#   Ops/certs.sh --dir ~/propcast-certs 10.0.0.5 10.0.0.6
#   Ops/deploy.sh worker --build --certs ~/propcast-certs 10.0.0.5 10.0.0.6
#   printf '10.0.0.5:7420\n10.0.0.6:7420\n' > workers.txt
#   Ops/deploy.sh coordinator --certs ~/propcast-certs --workers-file workers.txt 10.0.0.2
#   Ops/deploy.sh worker --certs DIR --local --root /tmp/host 127.0.0.1   # as the tests do
#
# A host needs glibc 2.36 or newer, libssl3, libsqlite3-0 and libpq5 (Debian 12 has them; the
# install refuses a host where the binary would not load and says what to apt-get).
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
    if [ "${1:-0}" = 0 ]; then
        sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
    else
        sed -n '5,6{s/^# *//;p}' "$0" >&2
        echo "(Ops/deploy.sh --help for the options and an example)" >&2
    fi
    exit "${1:-0}"
}

fail() {
    echo "deploy.sh: $*" >&2
    exit 2
}

worker_units=(propcast-worker.service)
coordinator_units=(propcast-coordinator.service propcast-batch@.service propcast-status.service propcast-alert@.service
    propcast-batch-run.timer propcast-batch-retry-0615.timer propcast-batch-retry-0630.timer
    propcast-batch-status.timer)

# install_host MODE STAGE ROOT: the install steps, run as root on the host itself. The very
# same function runs here (--local) and, written into STAGE/install.sh, on each ssh host.
# STAGE holds what stage_files put there; ROOT is / or the directory to install under.
install_host() {
    local mode="$1" stage="$2" root="${3:-/}"
    local r="${root%/}"
    local say="install ($mode${r:+ under $r})"
    if [ -z "$r" ] && command -v ldd >/dev/null; then
        local unresolved
        unresolved="$(ldd "$stage/propcast" 2>&1 | grep 'not found' || true)"
        if [ -n "$unresolved" ]; then
            echo "$say: the binary would not load here: $unresolved" >&2
            echo "$say: install its libraries first: apt-get install libssl3 libsqlite3-0 libpq5" >&2
            return 1
        fi
    fi

    local -a at_root=()
    [ -z "$r" ] || at_root=(--root "$r")
    if ! grep -q '^propcast:' "$r/etc/passwd"; then
        useradd "${at_root[@]}" --system --user-group --home-dir /var/lib/propcast --no-create-home \
            --shell /usr/sbin/nologin propcast
        echo "$say: created system user propcast"
    fi
    # Numeric ids from the target's own files: under --root, this machine's names differ.
    local uid gid
    uid="$(awk -F: '$1 == "propcast" { print $3 }' "$r/etc/passwd")"
    gid="$(awk -F: '$1 == "propcast" { print $3 }' "$r/etc/group")"

    install -D -m 0755 "$stage/propcast" "$r/usr/local/bin/propcast"
    install -D -m 0644 "$stage/README.md" "$r/usr/local/share/doc/propcast/README.md"
    install -d -m 0750 -o 0 -g "$gid" "$r/etc/propcast"
    install -m 0644 "$stage/ca.pem" "$r/etc/propcast/ca.pem"
    install -m 0644 "$stage/$mode.pem" "$r/etc/propcast/$mode.pem"
    install -m 0640 -o 0 -g "$gid" "$stage/$mode.key" "$r/etc/propcast/$mode.key"
    if [ -e "$r/etc/propcast/$mode.conf" ]; then
        echo "$say: keeping /etc/propcast/$mode.conf"
    else
        install -m 0644 "$stage/$mode.conf.example" "$r/etc/propcast/$mode.conf"
    fi
    case "$mode" in
        worker)
            rm -rf "$r/usr/local/share/propcast/models"
            install -d -m 0755 "$r/usr/local/share/propcast/models"
            install -m 0644 "$stage"/models/* "$r/usr/local/share/propcast/models/"
            install -D -m 0755 "$stage/wait-ready" "$r/usr/local/lib/propcast/wait-ready"
            ;;
        coordinator)
            install -m 0644 "$stage/workers.txt" "$r/etc/propcast/workers.txt"
            install -d -m 0750 -o "$uid" -g "$gid" "$r/var/lib/propcast"
            ;;
    esac
    local unit
    local -a enable=()
    for unit in "$stage"/systemd/*; do
        install -D -m 0644 "$unit" "$r/etc/systemd/system/${unit##*/}"
        case "$unit" in *.timer|*/propcast-coordinator.service) enable+=("${unit##*/}") ;; esac
    done
    [ "$mode" = coordinator ] || enable=(propcast-worker.service)
    if [ -z "$r" ] && [ -d /run/systemd/system ]; then
        systemctl daemon-reload
        if [ "$mode" = worker ]; then
            systemctl enable propcast-worker.service
            # Returns once ExecStartPost (wait-ready) sees /readyz answer 200.
            systemctl restart propcast-worker.service
            systemctl --no-pager --lines=3 status propcast-worker.service
        else
            systemctl enable --now "${enable[@]}"
            systemctl --no-pager list-timers 'propcast-*'
        fi
    elif command -v systemctl >/dev/null; then
        systemctl --root="$root" --quiet enable "${enable[@]}"
        echo "$say: enabled ${enable[*]}; systemd is not running there, so nothing was started"
    else
        echo "$say: no systemctl here: units installed in /etc/systemd/system, not enabled"
    fi
    echo "$say: done"
}

# check_binary PATH: refuses a binary that needs the toolchain's Swift runtime.
check_binary() {
    local binary="$1" links
    [ -x "$binary" ] || fail "no binary at $binary; build it with --build, or:
    swift build -c release --static-swift-stdlib --product propcast --scratch-path .build-static"
    links="$(ldd "$binary" 2>&1 || true)"
    if grep -Eq '/opt/swift|libswift|libFoundation|libdispatch|libBlocksRuntime' <<<"$links"; then
        fail "$binary links the Swift runtime of the toolchain, which a host does not have:
$(grep -E '/opt/swift|libswift|libFoundation|libdispatch|libBlocksRuntime' <<<"$links")
  ship a binary with the runtime linked in: run Ops/deploy.sh with --build, or
    swift build -c release --static-swift-stdlib --product propcast --scratch-path .build-static"
    fi
}

# stage_files MODE DIR [HOST]: puts into DIR what install_host installs for MODE.
stage_files() {
    local mode="$1" dir="$2" host="${3:-}" unit
    mkdir -p "$dir/systemd"
    cp "$binary" "$dir/propcast"
    cp README.md "$dir/README.md"
    cp "$certs/ca.pem" "$dir/ca.pem"
    if [ "$mode" = worker ]; then
        cp "$certs/worker-$host.pem" "$dir/worker.pem"
        cp "$certs/worker-$host.key" "$dir/worker.key"
        mkdir "$dir/models"
        cp Ops/models/*.json "$dir/models/"
        cp Ops/wait-ready.sh "$dir/wait-ready"
        for unit in "${worker_units[@]}"; do cp "Ops/systemd/$unit" "$dir/systemd/"; done
    else
        cp "$certs/coordinator.pem" "$certs/coordinator.key" "$dir/"
        cp "$workers_file" "$dir/workers.txt"
        for unit in "${coordinator_units[@]}"; do cp "Ops/systemd/$unit" "$dir/systemd/"; done
    fi
    cp "Ops/$mode.conf.example" "$dir/"
    { echo '#!/bin/bash'; echo 'set -euo pipefail'; declare -f install_host; echo 'install_host "$@"'; } \
        > "$dir/install.sh"
}

# deploy_to MODE HOST: stages the files, then installs them here or on HOST over ssh.
deploy_to() {
    local mode="$1" host="$2" stage="$work/$2"
    stage_files "$mode" "$stage" "$host"
    if [ "$local_install" = 1 ]; then
        if [ "$(id -u)" = 0 ]; then
            bash "$stage/install.sh" "$mode" "$stage" "$root"
        else
            sudo bash "$stage/install.sh" "$mode" "$stage" "$root"
        fi
        return
    fi
    local target="${user:+$user@}$host" remote
    local -a tty=()
    [ -t 0 ] && tty=(-t)   # lets sudo ask for a password
    echo "== $target"
    remote="$(ssh "$target" 'mktemp -d /tmp/propcast-deploy.XXXXXX')"
    # shellcheck disable=SC2029 # expanded here on purpose: the remote paths, mode and root
    tar -C "$stage" -czf - . | ssh "$target" "tar -C '$remote' -xzf -"
    # shellcheck disable=SC2029
    ssh "${tty[@]}" "$target" "if [ \"\$(id -u)\" = 0 ]; then run=; else run=sudo; fi
        \$run bash '$remote/install.sh' '$mode' '$remote' '$root'; status=\$?
        rm -rf '$remote'; exit \$status"
}

[ $# -gt 0 ] || usage 2
case "$1" in
    worker|coordinator) mode="$1"; shift ;;
    -h|--help) usage 0 ;;
    *) echo "deploy.sh: first say worker or coordinator, not '$1'" >&2; usage 2 ;;
esac
certs=""
workers_file=""
binary=".build-static/release/propcast"
build=0
user=""
root="/"
local_install=0
hosts=()
while [ $# -gt 0 ]; do
    case "$1" in
        --certs|--workers-file|--binary|--user|--root)
            [ $# -ge 2 ] || fail "$1 needs a value"
            case "$1" in
                --certs) certs="$2" ;;
                --workers-file) workers_file="$2" ;;
                --binary) binary="$2" ;;
                --user) user="$2" ;;
                --root) root="$2" ;;
            esac
            shift 2 ;;
        --build) build=1; shift ;;
        --local) local_install=1; shift ;;
        -h|--help) usage 0 ;;
        -*) fail "unknown option $1 (see --help)" ;;
        *) hosts+=("$1"); shift ;;
    esac
done

[ -n "$certs" ] || fail "--certs DIR is required (a directory made by Ops/certs.sh)"
[ -f "$certs/ca.pem" ] || fail "no $certs/ca.pem; make the certificates with Ops/certs.sh --dir $certs HOST..."
[[ "$root" =~ ^/[A-Za-z0-9/._-]*$ ]] || fail "--root takes an absolute path of letters, digits and /._- (not $root)"
if [ "$mode" = worker ]; then
    [ ${#hosts[@]} -gt 0 ] || fail "name the worker HOSTs (the names or IPs the coordinator dials)"
    [ "$local_install" = 0 ] || [ ${#hosts[@]} -eq 1 ] || fail "--local installs one worker: give one HOST"
    for host in "${hosts[@]}"; do
        for file in "worker-$host.pem" "worker-$host.key"; do
            [ -f "$certs/$file" ] || fail "no $certs/$file; run Ops/certs.sh --dir $certs $host"
        done
    done
else
    [ -n "$workers_file" ] || fail "coordinator needs --workers-file FILE (one HOST:PORT a line)"
    [ -f "$workers_file" ] || fail "--workers-file $workers_file: no such file"
    grep -Evq '^[[:space:]]*(#.*)?$' "$workers_file" || fail "$workers_file names no worker"
    for file in coordinator.pem coordinator.key; do
        [ -f "$certs/$file" ] || fail "no $certs/$file; run Ops/certs.sh --dir $certs"
    done
    if [ "$local_install" = 1 ]; then
        [ ${#hosts[@]} -le 1 ] || fail "--local installs one coordinator"
        hosts=(localhost)
    else
        [ ${#hosts[@]} -eq 1 ] || fail "name exactly one coordinator HOST (two would each run every batch)"
    fi
fi
if [ "$build" = 1 ]; then
    binary=".build-static/release/propcast"
    PATH="/opt/swift/usr/bin:$PATH" swift build -c release --static-swift-stdlib --product propcast \
        --scratch-path .build-static
fi
check_binary "$binary"

work="$(mktemp -d /tmp/propcast-deploy.XXXXXX)"   # copies of keys: removed on exit
trap 'rm -rf "$work"' EXIT
for host in "${hosts[@]}"; do
    deploy_to "$mode" "$host"
done
