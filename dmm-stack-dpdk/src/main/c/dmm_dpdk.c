/*
 * The DPDK shim of DMM's userspace stack: the few DPDK calls Java cannot make through FFM by itself,
 * bound from Java with java.lang.foreign (no JNI). See docs/dpdk.md, "Why a C shim".
 *
 * Two reasons it exists:
 *  - DPDK's fast path (rte_eth_rx_burst, rte_eth_tx_burst, rte_pktmbuf_alloc_bulk) is static
 *    inline in its headers: there is no symbol to bind. Re-implementing the inlines in Java would
 *    hard-code rte_eth_fp_ops and mempool-cache layouts that change between DPDK releases.
 *  - The control path takes large structs (rte_eth_conf, rte_eth_dev_info, rte_mbuf) whose layout
 *    is only known to the headers. Here they are compiled against the installed headers; Java sees
 *    flat signatures of integers and pointers, so the Java side carries no DPDK ABI knowledge.
 *
 * Every function is short and never calls back into Java. The burst functions copy per-packet
 * metadata into arrays owned by Java, so Java never reads an rte_mbuf field itself.
 *
 * Bump DMM_SHIM_ABI whenever a signature or a descriptor format below changes: the Java binding
 * refuses a shim of another ABI.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/if_tun.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_bus.h>
#include <rte_dev.h>
#include <rte_eth_ring.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>
#include <rte_version.h>

#define DMM_SHIM_ABI 4

/* Descriptor flag bits (high 32 bits of a descriptor's second word). */
#define DMM_RX_CKSUM_GOOD (1u << 0)  /* the PMD vouches for the IPv4 and the TCP/UDP checksum */
#define DMM_RX_SEGMENTED  (1u << 1)  /* a chained mbuf: the stack drops it (no scatter configured) */
#define DMM_TX_OFFLOAD    (1u << 0)  /* ask the port for the TCP/UDP checksum of this frame */
#define DMM_TX_TSO        (1u << 1)  /* a TCP/IPv4 frame the port cuts into segments (TSO); size in bits 48-63 */

/* Capability bits reported by dmm_port_setup. */
#define DMM_CAP_TX_L4_CKSUM (1u << 0)
#define DMM_CAP_RX_CKSUM    (1u << 1)
#define DMM_CAP_TSO         (1u << 2)  /* TCP segmentation offload (with IPv4 and TCP checksum offload) */

/*
 * Per port: the largest frame one segment of a TSO send may make (headers included). A NIC's limit
 * is the MTU plus the Ethernet header; net_tap's GSO compares Ethernet, IPv4 and TCP headers plus
 * the segment with the L3 MTU itself, and fails the whole burst beyond it, so its segments are cut
 * 14 bytes shorter.
 */
static uint16_t tso_frame_max[RTE_MAX_ETHPORTS];

/* Results of dmm_port_probe: >= 0 the port works (and its link state), < 0 it went away (how). */
#define DMM_PROBE_LINK_DOWN      0   /* works, but the link (carrier) is down */
#define DMM_PROBE_LINK_UP        1
#define DMM_PROBE_LINK_UNKNOWN   2   /* works; its link state says nothing (net_tap: see dmm_port_probe) */
#define DMM_PROBE_REMOVED       -1   /* the ethdev was removed (RMV event, or the port id is no longer valid) */
#define DMM_PROBE_TAP_GONE      -2   /* the tap interface behind a net_tap port was deleted */
#define DMM_PROBE_IFACE_GONE    -3   /* the kernel interface an af_packet/af_xdp port is bound to was deleted */

/* How dmm_port_probe checks a port that went away, chosen at setup from its driver. */
#define DMM_PROBE_NONE  0
#define DMM_PROBE_TAP   1   /* TUNGETIFF on its queue's tap fd */
#define DMM_PROBE_IFACE 2   /* its kernel interface index still names an interface (this namespace) */

struct port_probe {
    int kind;
    int fd;               /* DMM_PROBE_TAP: the tap fd of rx queue 0 */
    unsigned if_index;    /* DMM_PROBE_IFACE: the interface bound to */
    volatile int removed; /* set by the RMV event callback (EAL interrupt thread) */
};
static struct port_probe probes[RTE_MAX_ETHPORTS];

int dmm_shim_abi(void) { return DMM_SHIM_ABI; }

/* The DPDK release the shim was compiled against: year * 100 + month, e.g. 2211. */
int dmm_shim_dpdk_release(void) { return RTE_VER_YEAR * 100 + RTE_VER_MONTH; }

/* The DPDK release of the libraries actually loaded, e.g. "DPDK 22.11.11". */
const char *dmm_runtime_version(void) { return rte_version(); }

int dmm_errno(void) { return rte_errno; }

const char *dmm_strerror(int err) { return rte_strerror(err); }

/*
 * rte_eal_init pins the calling thread to the main lcore's CPUs. The caller is an arbitrary JVM
 * thread, so its affinity is saved and restored: DMM's threads are scheduled by the OS and the JVM.
 * Returns rte_eal_init's result (the number of arguments parsed), or -rte_errno.
 */
int dmm_eal_init(int argc, char **argv) {
    cpu_set_t saved;
    int have_saved = pthread_getaffinity_np(pthread_self(), sizeof(saved), &saved) == 0;
    int ret = rte_eal_init(argc, argv);
    int err = rte_errno;
    if (have_saved) pthread_setaffinity_np(pthread_self(), sizeof(saved), &saved);
    return ret < 0 ? -err : ret;
}

int dmm_eal_cleanup(void) { return rte_eal_cleanup(); }

/* The EAL's runtime directory (e.g. /var/run/dpdk/<file-prefix>), which DMM removes at shutdown. */
const char *dmm_runtime_dir(void) { return rte_eal_get_runtime_dir(); }

/*
 * Finds the port for devargs: an already probed device by name (a PCI address the EAL probed at
 * start, or a vdev name), else probes devargs (hot-plugs a vdev such as "net_tap0,iface=x", or a
 * PCI device). Returns the port id, or -errno. *probed tells whether this call probed the device
 * (then dmm_port_close removes it again).
 */
int dmm_port_attach(const char *devargs, int *probed) {
    char name[RTE_DEV_NAME_MAX_LEN];
    size_t n = strcspn(devargs, ",");
    if (n >= sizeof(name)) return -ENAMETOOLONG;
    memcpy(name, devargs, n);
    name[n] = '\0';
    uint16_t port;
    *probed = 0;
    if (rte_eth_dev_get_port_by_name(name, &port) == 0) return port;
    int ret = rte_dev_probe(devargs);
    if (ret < 0) return ret;
    *probed = 1;
    if (rte_eth_dev_get_port_by_name(name, &port) == 0) return port;
    return -ENODEV;
}

/*
 * Two ring ports wired crosswise (what one sends the other receives), for two stack instances in
 * one process: name_a and name_b are the port names; rings are named after them.
 * Returns 0 and the port ids, or -errno.
 */
int dmm_ring_pair(const char *name_a, const char *name_b, unsigned ring_size, int *port_a, int *port_b) {
    char rname[RTE_RING_NAMESIZE];
    struct rte_ring *ab, *ba;
    snprintf(rname, sizeof(rname), "%s>", name_a);
    ab = rte_ring_create(rname, ring_size, SOCKET_ID_ANY, RING_F_SP_ENQ | RING_F_SC_DEQ);
    if (ab == NULL) return -rte_errno;
    snprintf(rname, sizeof(rname), "%s>", name_b);
    ba = rte_ring_create(rname, ring_size, SOCKET_ID_ANY, RING_F_SP_ENQ | RING_F_SC_DEQ);
    if (ba == NULL) {
        int err = rte_errno;
        rte_ring_free(ab);
        return -err;
    }
    int a = rte_eth_from_rings(name_a, &ba, 1, &ab, 1, SOCKET_ID_ANY);
    if (a < 0) {
        int err = rte_errno;
        rte_ring_free(ab);
        rte_ring_free(ba);
        return -err;
    }
    int b = rte_eth_from_rings(name_b, &ab, 1, &ba, 1, SOCKET_ID_ANY);
    if (b < 0) {
        int err = rte_errno;
        rte_eth_dev_close((uint16_t) a);
        rte_ring_free(ab);
        rte_ring_free(ba);
        return -err;
    }
    *port_a = a;
    *port_b = b;
    return 0;
}

/* Frees the rings of a ring pair (after both ports are closed). */
void dmm_ring_pair_free(const char *name_a, const char *name_b) {
    char rname[RTE_RING_NAMESIZE];
    snprintf(rname, sizeof(rname), "%s>", name_a);
    rte_ring_free(rte_ring_lookup(rname));
    snprintf(rname, sizeof(rname), "%s>", name_b);
    rte_ring_free(rte_ring_lookup(rname));
}

/* A packet mbuf pool whose mbufs hold data_room bytes after the headroom. NULL on failure (dmm_errno). */
struct rte_mempool *dmm_pool_create(const char *name, unsigned count, unsigned cache, unsigned data_room, int socket) {
    return rte_pktmbuf_pool_create(name, count, cache, 0, (uint16_t) (RTE_PKTMBUF_HEADROOM + data_room),
                                   socket < 0 ? SOCKET_ID_ANY : socket);
}

void dmm_pool_free(struct rte_mempool *pool) { rte_mempool_free(pool); }

unsigned dmm_pool_available(struct rte_mempool *pool) { return rte_mempool_avail_count(pool); }

/* Where a freshly allocated mbuf's data starts, relative to the mbuf (pools of dmm_pool_create). */
long dmm_mbuf_data_offset(void) { return (long) sizeof(struct rte_mbuf) + RTE_PKTMBUF_HEADROOM; }

int dmm_port_socket(uint16_t port) { return rte_eth_dev_socket_id(port); }

static int on_removed(uint16_t port, enum rte_eth_event_type type, void *arg, void *ret) {
    if (port < RTE_MAX_ETHPORTS) probes[port].removed = 1;
    return 0;
}

/* Chooses how dmm_port_probe tells that a started port went away. */
static void probe_setup(uint16_t port, const struct rte_eth_dev_info *info, int tap, int rmv) {
    struct port_probe *p = &probes[port];
    memset(p, 0, sizeof(*p));
    p->fd = -1;
    if (rmv) rte_eth_dev_callback_register(port, RTE_ETH_EVENT_INTR_RMV, on_removed, NULL);
    if (tap) {
        int fd = rte_eth_dev_rx_intr_ctl_q_get_fd(port, 0);
        if (fd >= 0) {
            p->kind = DMM_PROBE_TAP;
            p->fd = fd;
        }
    } else if (info->if_index != 0 && (strcmp(info->driver_name, "net_af_packet") == 0
                                       || strcmp(info->driver_name, "net_af_xdp") == 0)) {
        p->kind = DMM_PROBE_IFACE;
        p->if_index = info->if_index;
    }
}

/*
 * Whether a started port still works, for a slow periodic check (a system call at most, never per
 * packet). Returns a DMM_PROBE_* result; when the port went away, *err is the errno that shows it.
 *  - Any port: an RMV event (a NIC unplugged), or the port id no longer valid, means it was removed.
 *  - net_tap: a tap fd whose interface was deleted fails TUNGETIFF with EBADFD (read and write
 *    would too, but the PMD only reads after a SIGIO and writes when there is traffic). The tap's
 *    link state is not used: net_tap reads it by name in this process's network namespace, so a
 *    tap moved to another namespace would look down while it works.
 *  - net_af_packet, net_af_xdp: the socket is bound to an interface index of this namespace; once
 *    no interface has that index (deleted, or moved away, which unbinds the socket) it is gone.
 */
int dmm_port_probe(uint16_t port, int *err) {
    *err = 0;
    if (port >= RTE_MAX_ETHPORTS || !rte_eth_dev_is_valid_port(port)) {
        *err = ENODEV;
        return DMM_PROBE_REMOVED;
    }
    struct port_probe *p = &probes[port];
    if (p->removed) {
        *err = ENODEV;
        return DMM_PROBE_REMOVED;
    }
    if (p->kind == DMM_PROBE_TAP) {
        struct ifreq ifr;
        memset(&ifr, 0, sizeof(ifr));
        if (ioctl(p->fd, TUNGETIFF, &ifr) < 0 && (errno == EBADFD || errno == EBADF)) {
            *err = errno;
            return DMM_PROBE_TAP_GONE;
        }
        return DMM_PROBE_LINK_UNKNOWN;
    }
    if (p->kind == DMM_PROBE_IFACE) {
        char name[IF_NAMESIZE];
        if (if_indextoname(p->if_index, name) == NULL && (errno == ENXIO || errno == ENODEV)) {
            *err = errno;
            return DMM_PROBE_IFACE_GONE;
        }
    }
    struct rte_eth_link link;
    memset(&link, 0, sizeof(link));
    if (rte_eth_link_get_nowait(port, &link) != 0) return DMM_PROBE_LINK_UNKNOWN;
    return link.link_status ? DMM_PROBE_LINK_UP : DMM_PROBE_LINK_DOWN;
}

/* The kernel interface index the port is bound to (0: none), for messages. */
unsigned dmm_port_if_index(uint16_t port) {
    return port < RTE_MAX_ETHPORTS ? probes[port].if_index : 0;
}

/* Sets a port's link down or up (tests: a ring port's link goes down as a NIC's carrier would). 0 or -errno. */
int dmm_port_set_link(uint16_t port, int up) {
    return up ? rte_eth_dev_set_link_up(port) : rte_eth_dev_set_link_down(port);
}

/*
 * Configures and starts a port: queues rx/tx queue pairs of rxd/txd descriptors, mbufs from pool,
 * the L3 MTU, checksum offloads when want_offloads and the port has them. *caps receives the
 * DMM_CAP_* bits enabled. Returns 0 or -errno; *step names the failing call.
 */
int dmm_port_setup(uint16_t port, uint16_t queues, uint16_t rxd, uint16_t txd, struct rte_mempool *pool,
                   uint16_t mtu, int want_offloads, unsigned *caps, const char **step) {
    struct rte_eth_dev_info info;
    struct rte_eth_conf conf;
    int ret;
    *caps = 0;
    *step = "rte_eth_dev_info_get";
    if ((ret = rte_eth_dev_info_get(port, &info)) != 0) return ret;
    memset(&conf, 0, sizeof(conf));
    if (queues > 1) {
        conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
        conf.rx_adv_conf.rss_conf.rss_hf = (RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP) & info.flow_type_rss_offloads;
    }
    if (want_offloads) {
        const uint64_t tx_l4 = RTE_ETH_TX_OFFLOAD_TCP_CKSUM | RTE_ETH_TX_OFFLOAD_UDP_CKSUM;
        const uint64_t rx_ck = RTE_ETH_RX_OFFLOAD_IPV4_CKSUM | RTE_ETH_RX_OFFLOAD_TCP_CKSUM | RTE_ETH_RX_OFFLOAD_UDP_CKSUM;
        if ((info.tx_offload_capa & tx_l4) == tx_l4) {
            conf.txmode.offloads |= tx_l4;
            *caps |= DMM_CAP_TX_L4_CKSUM;
        }
        if ((info.rx_offload_capa & rx_ck) == rx_ck) {
            conf.rxmode.offloads |= rx_ck;
            *caps |= DMM_CAP_RX_CKSUM;
        }
        /* TSO rewrites each segment's IPv4 header, so the port must do IPv4 checksums too */
        const uint64_t tso = RTE_ETH_TX_OFFLOAD_TCP_TSO | RTE_ETH_TX_OFFLOAD_IPV4_CKSUM;
        if ((*caps & DMM_CAP_TX_L4_CKSUM) && (info.tx_offload_capa & tso) == tso) {
            conf.txmode.offloads |= tso;
            *caps |= DMM_CAP_TSO;
        }
    }
    int tap = strcmp(info.driver_name, "net_tap") == 0;
    tso_frame_max[port] = tap ? mtu : (uint16_t) (mtu + RTE_ETHER_HDR_LEN);
    /* net_tap hands out its queues' tap fds as rx interrupt fds: dmm_port_probe checks them (the
       interrupts themselves are never armed, the poll loop polls) */
    if (tap) conf.intr_conf.rxq = 1;
    int rmv = info.dev_flags != NULL && (*info.dev_flags & RTE_ETH_DEV_INTR_RMV) != 0;
    if (rmv) conf.intr_conf.rmv = 1;
    *step = "rte_eth_dev_configure";
    if ((ret = rte_eth_dev_configure(port, queues, queues, &conf)) != 0) return ret;
    *step = "rte_eth_dev_adjust_nb_rx_tx_desc";
    if ((ret = rte_eth_dev_adjust_nb_rx_tx_desc(port, &rxd, &txd)) != 0) return ret;
    *step = "rte_eth_dev_set_mtu";
    uint16_t current = 0;
    rte_eth_dev_get_mtu(port, &current);
    if (current != mtu && (ret = rte_eth_dev_set_mtu(port, mtu)) != 0) return ret;
    int socket = rte_eth_dev_socket_id(port);
    for (uint16_t q = 0; q < queues; q++) {
        struct rte_eth_rxconf rxconf = info.default_rxconf;
        struct rte_eth_txconf txconf = info.default_txconf;
        rxconf.offloads = conf.rxmode.offloads;
        txconf.offloads = conf.txmode.offloads;
        *step = "rte_eth_rx_queue_setup";
        if ((ret = rte_eth_rx_queue_setup(port, q, rxd, socket, &rxconf, pool)) != 0) return ret;
        *step = "rte_eth_tx_queue_setup";
        if ((ret = rte_eth_tx_queue_setup(port, q, txd, socket, &txconf)) != 0) return ret;
    }
    *step = "rte_eth_dev_start";
    if ((ret = rte_eth_dev_start(port)) != 0) return ret;
    *step = "";
    probe_setup(port, &info, tap, rmv);
    return 0;
}

/* The port's MAC address in the low 48 bits (first octet most significant), or -errno. */
int64_t dmm_port_mac(uint16_t port) {
    struct rte_ether_addr a;
    int ret = rte_eth_macaddr_get(port, &a);
    if (ret != 0) return ret;
    int64_t v = 0;
    for (int i = 0; i < RTE_ETHER_ADDR_LEN; i++) v = v << 8 | a.addr_bytes[i];
    return v;
}

int dmm_port_set_mac(uint16_t port, int64_t mac) {
    struct rte_ether_addr a;
    for (int i = RTE_ETHER_ADDR_LEN - 1; i >= 0; i--) {
        a.addr_bytes[i] = (uint8_t) mac;
        mac >>= 8;
    }
    return rte_eth_dev_default_mac_addr_set(port, &a);
}

/* Receive every frame (a port that cannot take our MAC must not filter on its own). 0 or -errno. */
int dmm_port_promiscuous(uint16_t port) { return rte_eth_promiscuous_enable(port); }

/* The most multicast addresses handed to the port's filter; more and it receives all multicast. */
#define DMM_MC_FILTER_MAX 128

/*
 * Receive the frames sent to these n multicast MACs (each in the low 48 bits, first octet most
 * significant), replacing the earlier list. A port without a multicast filter (or with more groups
 * than it, or DMM_MC_FILTER_MAX, takes) receives all multicast instead; a port that has neither
 * (net_ring) passes every frame anyway. 0: filtered; 1: all multicast; 2: the port passes everything;
 * -errno on failure.
 */
int dmm_port_set_multicast(uint16_t port, const int64_t *macs, unsigned n) {
    int ret = -ENOSPC;
    if (n <= DMM_MC_FILTER_MAX) {
        struct rte_ether_addr list[DMM_MC_FILTER_MAX];
        for (unsigned k = 0; k < n; k++) {
            int64_t mac = macs[k];
            for (int i = RTE_ETHER_ADDR_LEN - 1; i >= 0; i--) {
                list[k].addr_bytes[i] = (uint8_t) mac;
                mac >>= 8;
            }
        }
        ret = rte_eth_dev_set_mc_addr_list(port, list, n);
        if (ret == 0) {
            rte_eth_allmulticast_disable(port);  /* a filter now does the job an earlier fallback did */
            return 0;
        }
    }
    if (ret != -ENOTSUP && ret != -ENOSPC && ret != -EINVAL) return ret;
    ret = rte_eth_allmulticast_enable(port);
    if (ret == -ENOTSUP) return 2;
    return ret == 0 ? 1 : ret;
}

/* Link state without waiting: speed in Mbit/s in the low 32 bits, bit 32 set when the link is up. */
int64_t dmm_port_link(uint16_t port) {
    struct rte_eth_link link;
    memset(&link, 0, sizeof(link));
    if (rte_eth_link_get_nowait(port, &link) != 0) return -1;
    return (int64_t) link.link_speed | (int64_t) (link.link_status ? 1 : 0) << 32;
}

/*
 * Port statistics into out[0..7]: ipackets opackets ibytes obytes imissed ierrors oerrors rx_nombuf;
 * then out[8 + q] = packets received on rx queue q, for q < DMM_STATS_QUEUES.
 */
#define DMM_STATS_QUEUES 16
int dmm_port_stats(uint16_t port, uint64_t *out) {
    struct rte_eth_stats s;
    int ret = rte_eth_stats_get(port, &s);
    if (ret != 0) return ret;
    out[0] = s.ipackets;
    out[1] = s.opackets;
    out[2] = s.ibytes;
    out[3] = s.obytes;
    out[4] = s.imissed;
    out[5] = s.ierrors;
    out[6] = s.oerrors;
    out[7] = s.rx_nombuf;
    for (int q = 0; q < DMM_STATS_QUEUES && q < RTE_ETHDEV_QUEUE_STAT_CNTRS; q++) out[8 + q] = s.q_ipackets[q];
    return 0;
}

/* Stops and closes a port; with remove, also detaches its device (a hot-plugged vdev). */
int dmm_port_close(uint16_t port, int remove) {
    if (port < RTE_MAX_ETHPORTS) {
        memset(&probes[port], 0, sizeof(probes[port]));
        probes[port].fd = -1;
    }
    if (!rte_eth_dev_is_valid_port(port)) return -ENODEV;  /* gone already (its ethdev was released) */
    rte_eth_dev_callback_unregister(port, RTE_ETH_EVENT_INTR_RMV, on_removed, NULL);
    struct rte_eth_dev_info info;
    struct rte_device *dev = NULL;
    if (rte_eth_dev_info_get(port, &info) == 0) dev = info.device;
    rte_eth_dev_stop(port);
    int ret = rte_eth_dev_close(port);
    if (remove && dev != NULL) {
        int r = rte_dev_remove(dev);
        if (ret == 0) ret = r;
    }
    return ret;
}

/*
 * Receives up to n frames of queue into mbufs[0..). For frame i, desc[2i] is the data address and
 * desc[2i+1] is the data length in the low 32 bits and DMM_RX_* flags in the high 32 bits.
 * The caller gives the mbufs back with dmm_free_bulk after it has read them.
 */
uint16_t dmm_rx_burst(uint16_t port, uint16_t queue, struct rte_mbuf **mbufs, uint16_t n, uint64_t *desc) {
    uint16_t got = rte_eth_rx_burst(port, queue, mbufs, n);
    for (uint16_t i = 0; i < got; i++) {
        struct rte_mbuf *m = mbufs[i];
        uint32_t flags = 0;
        uint64_t ol = m->ol_flags;
        if ((ol & RTE_MBUF_F_RX_IP_CKSUM_MASK) == RTE_MBUF_F_RX_IP_CKSUM_GOOD
                && (ol & RTE_MBUF_F_RX_L4_CKSUM_MASK) == RTE_MBUF_F_RX_L4_CKSUM_GOOD) {
            flags |= DMM_RX_CKSUM_GOOD;
        }
        if (m->nb_segs != 1) flags |= DMM_RX_SEGMENTED;
        desc[2 * i] = (uint64_t) (uintptr_t) rte_pktmbuf_mtod(m, void *);
        desc[2 * i + 1] = (uint64_t) m->data_len | (uint64_t) flags << 32;
    }
    return got;
}

void dmm_free_bulk(struct rte_mbuf **mbufs, unsigned n) { rte_pktmbuf_free_bulk(mbufs, n); }

/* Fills mbufs[0..n) with fresh mbufs of pool (all or none): 0, or -ENOBUFS. */
int dmm_alloc_bulk(struct rte_mempool *pool, struct rte_mbuf **mbufs, unsigned n) {
    return rte_pktmbuf_alloc_bulk(pool, mbufs, n) == 0 ? 0 : -ENOBUFS;
}

/*
 * Prepares a frame's checksum offload: the port computes the TCP/UDP checksum when the L4 field
 * holds the pseudo-header sum (what every PMD with L4 tx offload expects). Only whole IPv4 packets
 * (not fragments) with TCP or UDP are offloaded; anything else leaves as the stack wrote it.
 */
static void prepare_tx_offload(struct rte_mbuf *m) {
    uint8_t *frame = rte_pktmbuf_mtod(m, uint8_t *);
    if (m->data_len < RTE_ETHER_HDR_LEN + sizeof(struct rte_ipv4_hdr)) return;
    if (frame[12] != 0x08 || frame[13] != 0x00) return;
    struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *) (frame + RTE_ETHER_HDR_LEN);
    unsigned ihl = (ip->version_ihl & 0x0F) * 4u;
    if (ihl < sizeof(*ip) || (ip->fragment_offset & rte_cpu_to_be_16(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)) != 0) return;
    uint8_t *l4 = (uint8_t *) ip + ihl;
    uint64_t flag;
    uint16_t *cksum;
    if (ip->next_proto_id == IPPROTO_TCP) {
        if (m->data_len < RTE_ETHER_HDR_LEN + ihl + 20) return;
        cksum = (uint16_t *) (l4 + 16);
        flag = RTE_MBUF_F_TX_TCP_CKSUM;
    } else if (ip->next_proto_id == IPPROTO_UDP) {
        if (m->data_len < RTE_ETHER_HDR_LEN + ihl + 8) return;
        cksum = (uint16_t *) (l4 + 6);
        flag = RTE_MBUF_F_TX_UDP_CKSUM;
    } else {
        return;
    }
    m->l2_len = RTE_ETHER_HDR_LEN;
    m->l3_len = ihl;
    m->ol_flags |= RTE_MBUF_F_TX_IPV4 | flag;
    *cksum = rte_ipv4_phdr_cksum(ip, m->ol_flags);
}

/*
 * Prepares a TSO send: the port cuts the TCP/IPv4 frame into segments of seg_size payload bytes,
 * each with a copy of the headers (sequence number, IPv4 length and id adjusted) and its own IPv4
 * and TCP checksums; the TCP checksum field holds the pseudo-header sum without the length, the
 * IPv4 one 0, as DPDK's TSO contract asks. A frame that fits one segment, or that is no TCP/IPv4,
 * goes as an ordinary checksum-offloaded frame.
 */
static void prepare_tx_tso(struct rte_mbuf *m, uint16_t port, unsigned seg_size) {
    uint8_t *frame = rte_pktmbuf_mtod(m, uint8_t *);
    if (m->data_len < RTE_ETHER_HDR_LEN + sizeof(struct rte_ipv4_hdr) || frame[12] != 0x08 || frame[13] != 0x00) return;
    struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *) (frame + RTE_ETHER_HDR_LEN);
    unsigned ihl = (ip->version_ihl & 0x0F) * 4u;
    if (ip->next_proto_id != IPPROTO_TCP || m->data_len < RTE_ETHER_HDR_LEN + ihl + 20) return;
    uint8_t *tcp = (uint8_t *) ip + ihl;
    unsigned thl = (tcp[12] >> 4) * 4u;
    unsigned headers = RTE_ETHER_HDR_LEN + ihl + thl;
    if (headers + seg_size > tso_frame_max[port]) seg_size = tso_frame_max[port] - headers;
    if (m->data_len <= headers + seg_size) {
        prepare_tx_offload(m);
        return;
    }
    m->l2_len = RTE_ETHER_HDR_LEN;
    m->l3_len = ihl;
    m->l4_len = thl;
    m->tso_segsz = (uint16_t) seg_size;
    m->ol_flags |= RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_TCP_SEG;
    ip->hdr_checksum = 0;
    *(uint16_t *) (tcp + 16) = rte_ipv4_phdr_cksum(ip, m->ol_flags);
}

/*
 * Sends mbufs[0..n) on queue: meta[i] holds frame i's length in the low 32 bits, DMM_TX_* flags in
 * bits 32-47 and, with DMM_TX_TSO, the segment payload size in bits 48-63. Frames the queue does
 * not take are freed (dropped, as a full NIC queue drops; TCP retransmits). Returns how many were sent.
 */
uint16_t dmm_tx_burst(uint16_t port, uint16_t queue, struct rte_mbuf **mbufs, const uint64_t *meta, uint16_t n) {
    for (uint16_t i = 0; i < n; i++) {
        struct rte_mbuf *m = mbufs[i];
        uint32_t len = (uint32_t) meta[i];
        m->data_len = (uint16_t) len;
        m->pkt_len = len;
        uint32_t flags = (uint32_t) (meta[i] >> 32) & 0xFFFF;
        if (flags & DMM_TX_TSO) prepare_tx_tso(m, port, (unsigned) (meta[i] >> 48));
        else if (flags & DMM_TX_OFFLOAD) prepare_tx_offload(m);
    }
    uint16_t sent = rte_eth_tx_burst(port, queue, mbufs, n);
    if (sent < n) rte_pktmbuf_free_bulk(mbufs + sent, n - sent);
    return sent;
}
