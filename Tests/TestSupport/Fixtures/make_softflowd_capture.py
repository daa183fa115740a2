#!/usr/bin/env python3
"""Writes softflowd-capture.pcap: a small deterministic traffic capture for the softflowd /
nfcapd equality test. TCP (IPv4 and IPv6) and UDP flows spread over several days, so
softflowd exports across long uptimes. Run: python3 make_softflowd_capture.py (needs scapy)."""
import random

from scapy.all import IP, TCP, UDP, Ether, IPv6, Raw, wrpcap

random.seed(20240601)
DAY = 86400
T0 = 1_717_200_000  # 2024-06-01
packets = []


def add(t, pkt):
    pkt.time = t
    packets.append(pkt)


for day in range(4):
    for i in range(12):
        base = T0 + day * DAY + i * 600 + random.randint(0, 60)
        sport = 40000 + day * 100 + i
        if i % 3 == 0:  # IPv6 TCP
            l3 = lambda: Ether() / IPv6(src="2001:db8::%x" % (i + 1), dst="2001:db8:1::%x" % (day + 1))
        else:
            l3 = lambda: Ether() / IP(src="10.0.%d.%d" % (day, i + 1), dst="192.0.2.%d" % (day + 10))
        if i % 4 == 3:  # UDP (DNS-like), a few datagrams
            for k in range(random.randint(1, 4)):
                add(base + k * 0.2, l3() / UDP(sport=sport, dport=53) / Raw(b"q" * random.randint(20, 80)))
        else:  # TCP: handshake, data, FIN
            dport = random.choice([80, 443, 22])
            add(base, l3() / TCP(sport=sport, dport=dport, flags="S"))
            for k in range(random.randint(2, 8)):
                add(base + 0.1 + k * 0.5, l3() / TCP(sport=sport, dport=dport, flags="PA") / Raw(b"d" * random.randint(10, 400)))
            add(base + 5, l3() / TCP(sport=sport, dport=dport, flags="FA"))
packets.sort(key=lambda p: p.time)
wrpcap("softflowd-capture.pcap", packets)
print(len(packets), "packets")
