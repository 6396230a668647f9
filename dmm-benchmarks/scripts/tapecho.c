/* ICMP echo and ARP responder on a tap device, busy-polling a non-blocking fd as DPDK's net_tap PMD
   does: what the tap path itself costs a round trip, with a responder that costs next to nothing
   (tap-path-cost.sh). Usage: tapecho IFNAME IPV4 [block] */
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <arpa/inet.h>

static const uint8_t MAC[6] = {0x02, 0x00, 0x00, 0x00, 0x15, 0x01};

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: tapecho IFNAME IPV4 [block]\n"); return 2; }
    int block = argc > 3;
    uint32_t ip = inet_addr(argv[2]);
    int fd = open("/dev/net/tun", O_RDWR | (block ? 0 : O_NONBLOCK));
    if (fd < 0) { perror("open"); return 1; }
    struct ifreq ifr; memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    strncpy(ifr.ifr_name, argv[1], IFNAMSIZ - 1);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) { perror("TUNSETIFF"); return 1; }
    uint8_t f[2048];
    for (;;) {
        ssize_t n = read(fd, f, sizeof f);
        if (n <= 0) continue;
        uint16_t type = (f[12] << 8) | f[13];
        if (type == 0x0806 && n >= 42 && f[21] == 1 && memcmp(f + 38, &ip, 4) == 0) {  /* ARP request for us */
            memcpy(f, f + 6, 6); memcpy(f + 6, MAC, 6);
            f[21] = 2;
            memcpy(f + 32, f + 22, 10);          /* target = sender */
            memcpy(f + 22, MAC, 6); memcpy(f + 28, &ip, 4);
            write(fd, f, 42);
        } else if (type == 0x0800 && n >= 42 && f[23] == 1 && memcmp(f + 30, &ip, 4) == 0) {
            int ihl = (f[14] & 15) * 4;
            uint8_t *icmp = f + 14 + ihl;
            if (icmp[0] != 8) continue;
            uint8_t t[6]; memcpy(t, f, 6); memcpy(f, f + 6, 6); memcpy(f + 6, t, 6);
            uint8_t a[4]; memcpy(a, f + 26, 4); memcpy(f + 26, f + 30, 4); memcpy(f + 30, a, 4);
            icmp[0] = 0;
            uint32_t sum = ((icmp[2] << 8) | icmp[3]) + 0x0800;  /* RFC 1624: type 8 -> 0 */
            sum = (sum & 0xffff) + (sum >> 16);
            icmp[2] = sum >> 8; icmp[3] = sum & 0xff;
            write(fd, f, n);
        }
    }
}
