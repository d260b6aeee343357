#!/usr/bin/env python3
"""Watches one name on two DNS servers (dnslb itself and a caching resolver in front of it) and
prints, as epoch milliseconds, the first moment each answered without ADDRESS (with at least one
other address), and the highest TTL the resolver gave while ADDRESS was still in its answers.

One process polling both every 20 ms over plain UDP: a dig per poll costs 100-300 ms of process
start-up on a loaded machine, which would be measured as resolver delay.

  ttl_watch.py NAME ADDRESS DNSLB_PORT RESOLVER_PORT TIMEOUT_MS READY_FILE
  -> "<dnslb_gone_ms> <resolver_gone_ms> <max_resolver_ttl_with_address>" (-1: never)
READY_FILE is created once both servers answered with ADDRESS: the caller stops the backend
only then (starting Python alone can take seconds on a loaded machine).
"""
import socket
import struct
import sys
import time


def query(name, qid):
    q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)  # RD: the resolver recurses
    for label in name.rstrip(".").split("."):
        q += bytes([len(label)]) + label.encode()
    return q + b"\x00" + struct.pack(">HH", 1, 1)  # A, IN


def skip_name(msg, i):
    while True:
        n = msg[i]
        if n == 0:
            return i + 1
        if n & 0xC0 == 0xC0:
            return i + 2
        i += n + 1


def answers(msg):
    """The (address, ttl) pairs of the A records in the answer section."""
    _, _, qd, an, _, _ = struct.unpack(">HHHHHH", msg[:12])
    i = 12
    for _ in range(qd):
        i = skip_name(msg, i) + 4
    out = []
    for _ in range(an):
        i = skip_name(msg, i)
        rtype, _, ttl, rdlen = struct.unpack(">HHIH", msg[i:i + 10])
        i += 10
        if rtype == 1 and rdlen == 4:
            out.append((socket.inet_ntoa(msg[i:i + 4]), ttl))
        i += rdlen
    return out


def ask(sock, port, name, qid):
    sock.sendto(query(name, qid), ("127.0.0.1", port))
    deadline = time.monotonic() + 1.0
    while time.monotonic() < deadline:
        sock.settimeout(max(0.001, deadline - time.monotonic()))
        try:
            data, _ = sock.recvfrom(4096)
        except socket.timeout:
            return None
        if len(data) >= 12 and struct.unpack(">H", data[:2])[0] == qid:
            return answers(data)
    return None


def main():
    name, address, dnslb_port, resolver_port, timeout_ms, ready_file = sys.argv[1:7]
    dnslb_port, resolver_port = int(dnslb_port), int(resolver_port)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    end = time.time() + int(timeout_ms) / 1000
    gone = {dnslb_port: -1, resolver_port: -1}
    max_ttl = -1
    qid = 0
    seen = set()
    while time.time() < end and min(gone.values()) < 0:
        for port in (dnslb_port, resolver_port):
            if gone[port] >= 0:
                continue
            qid = (qid + 1) & 0xFFFF
            rrs = ask(sock, port, name, qid)
            now_ms = int(time.time() * 1000)
            if not rrs:
                continue
            addrs = {a for a, _ in rrs}
            if address in addrs:
                if len(seen) < 2:
                    seen.add(port)
                    if len(seen) == 2:
                        open(ready_file, "w").close()
                if port == resolver_port:
                    max_ttl = max(max_ttl, max(t for _, t in rrs))
            elif len(seen) == 2:  # gone only counts once it was seen in both
                gone[port] = now_ms
        time.sleep(0.02)
    print(gone[dnslb_port], gone[resolver_port], max_ttl)


if __name__ == "__main__":
    main()
