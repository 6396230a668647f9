#!/bin/bash
# What the tap path itself costs a round trip, without any TCP stack: ICMP echoes from a network
# namespace over a tap whose other end is tapecho.c (a C responder busy-polling the tap's fd as
# DPDK's net_tap PMD does, and costing next to nothing), against the same pings over a veth pair to
# the kernel; alternating, same run. Needs root, gcc, ip, ping, python3. Removes what it made.
#   dmm-benchmarks/scripts/tap-path-cost.sh [rounds] [pings per round]
set -eu
ROUNDS=${1:-3}; N=${2:-5000}
DIR="$(cd "$(dirname "$0")" && pwd)"
BIN="$(mktemp -d)"
NS=dmmpc$$; TAP=dpct$$; VETH=dpcv$$
gcc -O2 -o "$BIN/tapecho" "$DIR/tapecho.c"
cleanup() { kill "${EPID:-0}" 2>/dev/null || true; ip link del "$VETH" 2>/dev/null || true; ip netns del $NS 2>/dev/null || true; rm -rf "$BIN"; }
trap cleanup EXIT
ip netns add $NS; ip -n $NS link set lo up
"$BIN/tapecho" $TAP 10.215.0.1 & EPID=$!
for i in $(seq 50); do ip link show $TAP >/dev/null 2>&1 && break; sleep 0.1; done
ip link set $TAP netns $NS; ip -n $NS addr add 10.215.0.2/24 dev $TAP; ip -n $NS link set $TAP up
ip link add $VETH type veth peer name ${VETH}p; ip link set ${VETH}p netns $NS
ip addr add 10.216.0.1/24 dev $VETH; ip link set $VETH up
ip -n $NS addr add 10.216.0.2/24 dev ${VETH}p; ip -n $NS link set ${VETH}p up
sleep 1
pct() { python3 -c '
import sys, re
v = sorted(float(m.group(1)) for m in re.finditer(r"time=([0-9.]+) ms", sys.stdin.read()))
n = len(v); print("n %d p50 %.0f p90 %.0f p99 %.0f us" % (n, v[n//2]*1000, v[n*9//10]*1000, v[n*99//100]*1000))'; }
for r in $(seq $ROUNDS); do
  echo -n "tap + busy-polling C responder: "; ip netns exec $NS ping -i 0 -c $N 10.215.0.1 | pct
  echo -n "veth + kernel:                  "; ip netns exec $NS ping -i 0 -c $N 10.216.0.1 | pct
done
