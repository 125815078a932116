#!/usr/bin/env bash
# Creates the pool's certificate authority and per-node certificates with the openssl CLI.
#
#   Ops/certs.sh --dir DIR [--days N] HOST...
#
# In DIR it creates, when absent:
#   ca.pem / ca.key                        the pool CA (never overwritten once it exists)
#   coordinator.pem / coordinator.key      client certificate, role "coordinator" (OU)
#   worker-HOST.pem / worker-HOST.key      server certificate per HOST, role "worker" (OU),
#                                          SAN = DNS:HOST or IP:HOST
#   coordinator-api-HOST.pem / .key        for a HOST given as api:HOST: the coordinator service's
#                                          HTTPS API (role "coordinator", serverAuth, SAN = HOST)
# Keys are EC P-256, mode 0600. Re-running is safe: existing files are kept, so adding a
# host only issues that host's certificate. To rotate a node's certificate, delete its
# .pem/.key pair and run the script again; to rotate the CA, use a new DIR and redeploy all.
set -euo pipefail

usage() {
    echo "usage: $0 --dir DIR [--days N] HOST..." >&2
    echo "  HOST is a DNS name or an IP address of a worker host; api:HOST issues the coordinator API's certificate" >&2
    exit 2
}

dir=""
days=825
hosts=()
while [ $# -gt 0 ]; do
    case "$1" in
        --dir) [ $# -ge 2 ] || usage; dir="$2"; shift 2 ;;
        --days) [ $# -ge 2 ] || usage; days="$2"; shift 2 ;;
        -h|--help) usage ;;
        -*) echo "certs.sh: unknown option $1" >&2; usage ;;
        *) hosts+=("$1"); shift ;;
    esac
done
[ -n "$dir" ] || usage
command -v openssl >/dev/null || { echo "certs.sh: openssl not found (apt-get install openssl)" >&2; exit 1; }
mkdir -p "$dir"
umask 077

new_key() {
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null
    chmod 600 "$1"
}

is_ip() {
    [[ "$1" =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ || "$1" == *:* ]]
}

# issue NAME OU CN EXTENSIONS: signs NAME.pem with the CA.
issue() {
    local name="$1" ou="$2" cn="$3" extensions="$4"
    local ext_file
    ext_file="$(mktemp)"
    printf '%s\n' "$extensions" > "$ext_file"
    new_key "$dir/$name.key"
    openssl req -new -key "$dir/$name.key" -subj "/O=Propcast/OU=$ou/CN=$cn" -out "$dir/$name.csr"
    openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial \
        -days "$days" -sha256 -extfile "$ext_file" -out "$dir/$name.pem" 2>/dev/null
    rm -f "$dir/$name.csr" "$ext_file"
    chmod 644 "$dir/$name.pem"
    echo "certs.sh: issued $dir/$name.pem ($ou, CN=$cn)"
}

if [ -e "$dir/ca.pem" ] || [ -e "$dir/ca.key" ]; then
    [ -e "$dir/ca.pem" ] && [ -e "$dir/ca.key" ] || {
        echo "certs.sh: $dir has only one of ca.pem/ca.key; refusing to guess (restore the pair or use a new --dir)" >&2
        exit 1
    }
    echo "certs.sh: keeping existing CA $dir/ca.pem"
else
    new_key "$dir/ca.key"
    openssl req -x509 -new -key "$dir/ca.key" -sha256 -days 3650 -subj "/O=Propcast/CN=Propcast pool CA" \
        -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -addext "subjectKeyIdentifier=hash" -out "$dir/ca.pem"
    chmod 644 "$dir/ca.pem"
    echo "certs.sh: created CA $dir/ca.pem"
fi

leaf_common="basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid"

if [ ! -e "$dir/coordinator.pem" ]; then
    issue coordinator coordinator "propcast-coordinator" "$leaf_common
extendedKeyUsage=clientAuth"
fi

for host in "${hosts[@]}"; do
    # api:HOST is the coordinator service's HTTPS API; any other HOST a worker.
    if [[ "$host" == api:* ]]; then host="${host#api:}"; name="coordinator-api-$host"; ou=coordinator
    else name="worker-$host"; ou=worker; fi
    [ -e "$dir/$name.pem" ] && { echo "certs.sh: keeping $dir/$name.pem"; continue; }
    if is_ip "$host"; then san="IP:$host"; else san="DNS:$host"; fi
    issue "$name" "$ou" "$host" "$leaf_common
extendedKeyUsage=serverAuth
subjectAltName=$san"
done
