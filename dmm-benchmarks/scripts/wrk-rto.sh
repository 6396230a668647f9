#!/bin/bash
# wrk against the JDK's HttpServer (jdk.httpserver serving a 64-byte file), run either on DMM's
# userspace stack on a DPDK net_tap port (tap) or on the kernel over a veth pair (veth), wrk in a
# network namespace; prints wrk's latency percentiles and the timeout counters: the instance's
# tcp_* / drop_* counters (tap), or the namespace's nstat deltas (veth). The measurement behind the
# RTO floor (docs/benchmarks.md, "Tail latency"). Needs root, DPDK, wrk, ip; run from the repository
# after building dmm-agent (mvn -q -DskipTests package -pl dmm-agent -am). Removes what it made.
#   dmm-benchmarks/scripts/wrk-rto.sh tap|veth [connections] [duration] ['"tcp": {"minRto": "50ms"}']
set -u
MODE=$1; C=${2:-400}; D=${3:-10s}; KEYS=${4:-}
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
J=${DMM_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
NS=dmmwrk$$; TAP=dwt$$; VETH=dwv$$
WORK="$(mktemp -d)"
head -c 64 /dev/zero | tr '\0' a > "$WORK/small.txt"
cleanup() { kill "${PID:-0}" 2>/dev/null; wait "${PID:-0}" 2>/dev/null; ip link del $VETH 2>/dev/null; ip netns del $NS 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
ip netns add $NS; ip -n $NS link set lo up
if [ "$MODE" = tap ]; then
  ADDR=10.213.0.1
  cat > "$WORK/policy.json" <<P
{"stacks": [{"name": "kernel", "type": "kernel"},
  {"name": "dp", "type": "userspace", "address": "$ADDR/24", "device": {"driver": "dpdk", "port": "net_tap_$TAP,iface=$TAP"}${KEYS:+, $KEYS}}],
 "default": "kernel",
 "rules": [{"name": "server", "role": "server", "dst": "$ADDR/32", "stack": "dp"}]}
P
  "$J" --enable-native-access=ALL-UNNAMED -javaagent:"$ROOT/dmm-agent/target/dmm-agent.jar=config=$WORK/policy.json" \
      -m jdk.httpserver -b $ADDR -p 8000 -d "$WORK" -o none > "$WORK/server.log" 2>&1 &
  PID=$!
  # moved only once DPDK has started the port (it brings the interface up): earlier, the port fails
  for i in $(seq 300); do ip link show $TAP 2>/dev/null | grep -q "[<,]UP[,>]" && break; sleep 0.2; done
  sleep 0.5
  ip link set $TAP netns $NS; ip -n $NS addr add 10.213.0.2/24 dev $TAP; ip -n $NS link set $TAP up
else
  ADDR=10.214.0.1
  ip link add $VETH type veth peer name ${VETH}p; ip link set ${VETH}p netns $NS
  ip addr add $ADDR/24 dev $VETH; ip link set $VETH up
  ip -n $NS addr add 10.214.0.2/24 dev ${VETH}p; ip -n $NS link set ${VETH}p up
  "$J" -m jdk.httpserver -b $ADDR -p 8000 -d "$WORK" -o none > "$WORK/server.log" 2>&1 &
  PID=$!
fi
# the server answers once its JVM, DPDK port and listener are up (ARP too): wait for that, 60 s at most
for i in $(seq 300); do ip netns exec $NS timeout 1 bash -c "echo > /dev/tcp/$ADDR/8000" 2>/dev/null && break; sleep 0.2; done
export NSTAT_HISTORY="$WORK/nstat.ns"; ip netns exec $NS nstat -n
export NSTAT_HISTORY="$WORK/nstat.root"; nstat -n
ip netns exec $NS wrk -t2 -c$C -d$D --latency http://$ADDR:8000/small.txt | grep -E "^ +(50|90|99)%|Requests/sec|errors|requests in"
if [ "$MODE" = tap ]; then
  "$ROOT/dmm" stacks $PID --json | grep -oE "\"(tcp|drop)_[a-z_]+\" *: *[0-9]+" | grep -vE ": *0$|segments_|active_conn" | tr -d '" ' | tr '\n' ' '; echo
else
  for where in ns root; do
    if [ $where = ns ]; then export NSTAT_HISTORY="$WORK/nstat.ns"; X="ip netns exec $NS"; else export NSTAT_HISTORY="$WORK/nstat.root"; X=""; fi
    $X nstat | grep -E "TcpExtTCPTimeouts|TcpExtTCPSpuriousRTOs|TcpExtTCPLossProbes|TcpRetransSegs|TcpExtListenOverflows" | tr -s ' ' | cut -d' ' -f1,2 | tr '\n' ' '
  done; echo "(wrk's side, then the server's side; the server's includes other traffic of the host)"
fi
