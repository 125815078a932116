#!/usr/bin/env bash
# Deploys a worker to each HOST over ssh/scp: the propcast binary, the models, the host's
# certificate (from a directory made by Ops/certs.sh), the worker config and unit, then
# enables and (re)starts propcast-worker. Run from the repository root after
# `swift build -c release`.
#
#   Ops/deploy.sh --certs DIR [--user root] [--binary .build/release/propcast] HOST...
#
# Prerequisites on each host: Debian 12 (or a glibc as new), systemd, ssh access as a user
# who may sudo, and the Swift runtime libraries the binary links (copy
# /opt/swift/usr/lib/swift/linux/*.so to /usr/local/lib/swift on the host, or build with
# `swift build -c release --static-swift-stdlib`). HOST must be the name or IP the
# coordinator dials (it is the certificate's SAN). This script cannot be tested here: the
# sandbox has no remote hosts.
set -euo pipefail
cd "$(dirname "$0")/.."

certs=""
user="root"
binary=".build/release/propcast"
hosts=()
while [ $# -gt 0 ]; do
    case "$1" in
        --certs) certs="$2"; shift 2 ;;
        --user) user="$2"; shift 2 ;;
        --binary) binary="$2"; shift 2 ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        -*) echo "deploy.sh: unknown option $1" >&2; exit 2 ;;
        *) hosts+=("$1"); shift ;;
    esac
done
[ -n "$certs" ] && [ ${#hosts[@]} -gt 0 ] || { echo "usage: $0 --certs DIR [--user U] [--binary PATH] HOST..." >&2; exit 2; }
[ -x "$binary" ] || { echo "deploy.sh: $binary missing; run swift build -c release first" >&2; exit 2; }

for host in "${hosts[@]}"; do
    [ -f "$certs/worker-$host.pem" ] || { echo "deploy.sh: no $certs/worker-$host.pem; run Ops/certs.sh --dir $certs $host" >&2; exit 2; }
    echo "== $host"
    stage="/tmp/propcast-deploy-$$"
    ssh "$user@$host" "mkdir -p $stage/models"
    scp -q "$binary" "$user@$host:$stage/propcast"
    scp -q Ops/models/* "$user@$host:$stage/models/"
    scp -q "$certs/ca.pem" "$certs/worker-$host.pem" "$certs/worker-$host.key" "$user@$host:$stage/"
    scp -q Ops/systemd/propcast-worker.service Ops/worker.conf.example Ops/certs.sh "$user@$host:$stage/"
    ssh "$user@$host" "sudo sh -euc '
        id propcast >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin propcast
        install -m 0755 $stage/propcast /usr/local/bin/propcast
        install -d -m 0755 /usr/local/share/propcast/models
        install -m 0644 $stage/models/* /usr/local/share/propcast/models/
        install -m 0755 $stage/certs.sh /usr/local/share/propcast/certs.sh
        install -d -m 0750 -g propcast /etc/propcast
        install -m 0644 $stage/ca.pem /etc/propcast/ca.pem
        install -m 0644 $stage/worker-$host.pem /etc/propcast/worker.pem
        install -m 0640 -g propcast $stage/worker-$host.key /etc/propcast/worker.key
        [ -e /etc/propcast/worker.conf ] || install -m 0644 $stage/worker.conf.example /etc/propcast/worker.conf
        install -m 0644 $stage/propcast-worker.service /etc/systemd/system/propcast-worker.service
        rm -rf $stage
        systemctl daemon-reload
        systemctl enable propcast-worker.service
        systemctl restart propcast-worker.service
        systemctl --no-pager --lines=3 status propcast-worker.service
    '"
done
