#!/usr/bin/env bash
# wrk-ab.sh: the JDK's HttpServer (../wrk/HelloHttpServer.java) under DMM's agent on a userspace
# instance on the stack's own tap driver, loaded by wrk from a namespace: one server per run, agent
# jars alternating, to compare two builds in one sitting (docs/benchmarks.md). Prints requests/s,
# p50, p99 and the server's CPU per second of each run. Root, wrk, ip, a JDK 25 java as $JAVA.
#   dmm-benchmarks/scripts/wrk-ab.sh BYTES CONNS SECONDS ROUNDS AGENT_JAR...
# e.g. JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java dmm-benchmarks/scripts/wrk-ab.sh 64 50 10 2 /tmp/a.jar /tmp/b.jar
# WARMUP (seconds, 5) is wrk's warm-up per run; SETTINGS adds keys to the instance's entry;
# WRK_HTTP_JVM_OPTS the server's JVM options (default as wrk-http.sh's: a fixed, pre-touched heap).
set -euo pipefail
[ $# -ge 5 ] || { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
BYTES=$1 CONNS=$2 SECS=$3 ROUNDS=$4; shift 4
: "${JAVA:?JAVA must name a JDK 25 java}"
read -r -a jvm_opts <<<"${WRK_HTTP_JVM_OPTS--Xms1g -Xmx1g -XX:+AlwaysPreTouch}"
SRC="$(cd "$(dirname "$0")/.." && pwd)/wrk/HelloHttpServer.java"
NS=dab$$ TAP=dabt$$
W=$(mktemp -d /tmp/wrk-ab.XXXXXX) pid=""
cleanup() {
    [ -n "$pid" ] && { kill "$pid" 2>/dev/null; sleep 1; kill -9 "$pid" 2>/dev/null; } || true
    ip netns del "$NS" 2>/dev/null || true
    rm -rf "$W"
}
trap cleanup EXIT
ip netns add "$NS"
ip -n "$NS" link set lo up
cat >"$W/policy.json" <<J
{"stacks": [{"name": "user", "type": "userspace", "address": "10.237.1.1/24",
             "device": {"driver": "tap", "interface": "$TAP"}${SETTINGS:+, $SETTINGS}},
            {"name": "kernel", "type": "kernel"}],
 "default": "user", "rules": [{"name": "IPv6", "dst": "::/0", "stack": "kernel"}]}
J
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
for r in $(seq "$ROUNDS"); do
    for jar in "$@"; do
        "$JAVA" ${jvm_opts[@]+"${jvm_opts[@]}"} --enable-native-access=ALL-UNNAMED "-javaagent:$jar=config=$W/policy.json" "$SRC" 10.237.1.1 8080 \
            >"$W/out" 2>"$W/err" & pid=$!
        for i in $(seq 300); do grep -q '^listening' "$W/out" && break; sleep 0.2; done
        grep -q '^listening' "$W/out" || { cat "$W/err" >&2; exit 1; }
        ip link set "$TAP" netns "$NS"
        ip -n "$NS" addr add 10.237.1.2/24 dev "$TAP"
        ip -n "$NS" link set "$TAP" up
        ip netns exec "$NS" wrk -t2 -c"$CONNS" -d"${WARMUP:-5}s" "http://10.237.1.1:8080/$BYTES" >/dev/null
        c0=$(cpu "$pid")
        ip netns exec "$NS" wrk -t2 -c"$CONNS" -d"${SECS}s" --latency "http://10.237.1.1:8080/$BYTES" >"$W/wrk.txt"
        c1=$(cpu "$pid")
        printf '%s: %s req/s, p50 %s, p99 %s, server CPU %d ms/s\n' "$(basename "$jar")" \
            "$(awk '/^Requests\/sec:/ {print $2}' "$W/wrk.txt")" "$(awk '$1 == "50%" {print $2}' "$W/wrk.txt")" \
            "$(awk '$1 == "99%" {print $2}' "$W/wrk.txt")" $(( (c1 - c0) * 10 / SECS ))
        kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
    done
done
