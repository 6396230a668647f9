#!/usr/bin/env bash
# Builds the DPDK shim (dmm_dpdk.c) into the jar's classes, where the Java binding finds it.
# Run by Maven (exec-maven-plugin, compile phase): build-shim.sh SOURCE_DIR OUTPUT_DIR.
# Without libdpdk-dev the build goes on without the shim: the JVM and the other stacks work, and a
# stack instance on a DPDK port reports what is missing (see docs/dpdk.md).
set -euo pipefail
src="$1"
out="$2"
mkdir -p "$out"
if ! pkg-config --exists libdpdk 2>/dev/null; then
    echo "[dmm] WARNING: libdpdk-dev not found (pkg-config libdpdk): building without the DPDK shim;" \
         "DPDK ports will be unavailable (apt-get install dpdk libdpdk-dev, then rebuild)" >&2
    rm -f "$out/libdmmdpdk.so"
    exit 0
fi
# Link only the libraries the shim calls: the PMDs (net_tap, net_ring, ...) are loaded by the EAL
# from its driver directory, as for any DPDK application linked against the shared libraries.
gcc -O2 -g -fPIC -shared -Wall -Wextra -Werror -Wno-unused-parameter \
    $(pkg-config --cflags libdpdk) \
    -o "$out/libdmmdpdk.so" "$src/dmm_dpdk.c" \
    -Wl,--no-as-needed -lrte_eal -lrte_ethdev -lrte_mbuf -lrte_mempool -lrte_ring -lrte_net_ring -lrte_net
echo "[dmm] built the DPDK shim against DPDK $(pkg-config --modversion libdpdk): $out/libdmmdpdk.so"
