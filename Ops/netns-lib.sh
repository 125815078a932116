# Shared by Ops/netns-test.sh and Ops/host-test.sh (sourced): test hosts as network namespaces
# on one bridge, each with eth0 on a veth pair, and their removal.

# netns_bridge BRIDGE ADDRESS/PREFIX — the bridge the hosts hang on, with the test's own address.
netns_bridge() {
    ip link add "$1" type bridge
    ip addr add "$2" dev "$1"
    ip link set "$1" up
}

# netns_host NAMESPACE VETH BRIDGE ADDRESS/PREFIX — one host: its namespace, eth0 and lo up.
netns_host() {
    ip netns add "$1"
    ip link add "$2" type veth peer name eth0 netns "$1"
    ip link set "$2" master "$3" up
    ip -n "$1" addr add "$4" dev eth0
    ip -n "$1" link set eth0 up
    ip -n "$1" link set lo up
}

# netns_remove NAMESPACE VETH — a host gone (quietly, for cleanup traps).
netns_remove() {
    ip netns del "$1" 2>/dev/null
    ip link del "$2" 2>/dev/null
    return 0
}
