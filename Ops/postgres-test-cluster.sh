#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the tests: initdb in a temporary directory, started on a
# loopback port as a non-root user, with TLS (a certificate from Ops/certs.sh's CA) and password
# logins, the feature store schema applied.
#
#   Ops/postgres-test-cluster.sh start DIR    prints `export PROPCAST_TEST_POSTGRES_*=…` lines
#   Ops/postgres-test-cluster.sh stop DIR     stops it (DIR can then be deleted)
#
# Run as root (CI), the cluster belongs to the system user propcast-pg (created if missing),
# since PostgreSQL refuses to run as root. Needs Debian's postgresql package.
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
action="$1"
dir="$(mkdir -p "$2" && cd "$2" && pwd)"
here="$(cd "$(dirname "$0")" && pwd)"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -x "$bin/initdb" ] || { echo "postgres-test-cluster: initdb not found (apt-get install postgresql)" >&2; exit 1; }

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u propcast-pg -- "$@"; else "$@"; fi
}

case "$action" in
start)
    if [ "$(id -u)" -eq 0 ]; then
        id propcast-pg >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin propcast-pg
        chown propcast-pg "$dir"
    fi
    port="${PROPCAST_TEST_POSTGRES_PORT:-$(( 20000 + RANDOM % 20000 ))}"
    password="propcast-test-$RANDOM$RANDOM"
    printf '%s\n' "$password" > "$dir/pwfile"
    [ "$(id -u)" -ne 0 ] || chown propcast-pg "$dir/pwfile"
    as_owner "$bin/initdb" -D "$dir/data" -U propcast --pwfile="$dir/pwfile" --auth=scram-sha-256 \
        --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    # Server certificate for 127.0.0.1 from a CA of its own.
    bash "$here/certs.sh" --dir "$dir/tls" 127.0.0.1 >/dev/null
    cp "$dir/tls/worker-127.0.0.1.pem" "$dir/data/server.crt"
    cp "$dir/tls/worker-127.0.0.1.key" "$dir/data/server.key"
    chmod 0600 "$dir/data/server.key"
    [ "$(id -u)" -ne 0 ] || chown propcast-pg "$dir/data/server.crt" "$dir/data/server.key"
    chmod 0755 "$dir/tls"; chmod 0644 "$dir/tls/ca.pem"
    cat >> "$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
ssl = on
fsync = on
max_connections = 50
EOF
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null \
        || { cat "$dir/server.log" >&2; exit 1; }
    url="postgresql://propcast:$password@127.0.0.1:$port/postgres"
    PGPASSWORD="$password" psql -q -v ON_ERROR_STOP=1 "$url" -c "CREATE DATABASE propcast" >/dev/null
    url="postgresql://propcast:$password@127.0.0.1:$port/propcast"
    psql -q -v ON_ERROR_STOP=1 "$url" -f "$here/sql/propcast-store.sql" >/dev/null
    echo "export PROPCAST_TEST_POSTGRES_URL='$url'"
    echo "export PROPCAST_TEST_POSTGRES_CA='$dir/tls/ca.pem'"
    ;;
stop)
    [ -f "$dir/data/postmaster.pid" ] || exit 0  # never started, or stopped already
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    ;;
*) usage ;;
esac
