#!/usr/bin/env python3
"""Wire time to first byte of every HTTP exchange with one loopback port, from kernel packet
timestamps: from the request's first data segment to the response's first data segment, the
span a prober's ttfb measures. It is the truth a prober's own timing is compared with in
bench/timing-accuracy.ts. Needs CAP_NET_RAW (root); Node cannot open a packet socket.

Usage: wire-ttfb.py PORT    prints READY, then one JSON line per exchange:
  {"id": "<the request's id= query value>", "ms": <wire ttfb in ms>}
"""
import json
import re
import socket
import struct
import sys

ETH_P_ALL = 0x0003
SO_TIMESTAMPNS = 35  # Linux: receive timestamps in nanoseconds as ancillary data
ID = re.compile(rb"[?&]id=([A-Za-z0-9_-]+)")


def main(port: int) -> None:
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.ntohs(ETH_P_ALL))
    sock.bind(("lo", 0))
    sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    print("READY", flush=True)
    exchanges = {}  # client port -> {"req": ns, "id": str}
    while True:
        data, ancillary, _flags, address = sock.recvmsg(65535, 64)
        if address[2] == socket.PACKET_OUTGOING:
            continue  # loopback shows every packet twice, once leaving and once arriving
        at = None
        for level, kind, value in ancillary:
            if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
                seconds, nanos = struct.unpack("qq", value[:16])
                at = seconds * 1_000_000_000 + nanos
        ip = data[14:]
        if at is None or len(ip) < 20 or ip[0] >> 4 != 4 or ip[9] != socket.IPPROTO_TCP:
            continue
        tcp = ip[(ip[0] & 15) * 4 : struct.unpack("!H", ip[2:4])[0]]
        source, destination = struct.unpack("!HH", tcp[:4])
        flags = tcp[13]
        payload = tcp[(tcp[12] >> 4) * 4 :]
        if destination == port and flags & 0x02:  # SYN: a new exchange from this client port
            exchanges[source] = {}
        elif destination == port and payload:
            exchange = exchanges.get(source)
            if exchange is not None and "req" not in exchange:
                match = ID.search(payload)
                exchange["req"] = at
                exchange["id"] = match.group(1).decode() if match else None
        elif source == port and payload:
            exchange = exchanges.pop(destination, None)
            if exchange and exchange.get("id"):
                print(json.dumps({"id": exchange["id"], "ms": (at - exchange["req"]) / 1e6}), flush=True)


if __name__ == "__main__":
    try:
        main(int(sys.argv[1]))
    except PermissionError:
        print("a packet socket needs CAP_NET_RAW (run as root)", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        pass
