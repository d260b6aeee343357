#!/usr/bin/env python3
"""Tiny health-check targets for the dnslb benchmarks (loopback only).

One process, one epoll loop, any number of listening sockets:
  backends.py --port 8080 127.0.0.21 127.0.0.22          # TCP: accept, then close
  backends.py --port 8080 --http 127.0.0.21               # HTTP: 200 "ok" to any request
  backends.py --port 8080 --range 127.1.0.1 10000         # 10,000 consecutive addresses
  backends.py --port 8080 --defer-accept --range 127.1.0.1 10000   # TCP probes never reach it

It exits on SIGTERM/SIGINT. Every address must be in 127.0.0.0/8 (refuses anything else).
"""
import argparse
import ipaddress
import os
import selectors
import signal
import socket
import sys
import time


def addresses(args):
    out = [ipaddress.IPv4Address(a) for a in args.addr]
    if args.range:
        start, count = ipaddress.IPv4Address(args.range[0]), int(args.range[1])
        out += [start + i for i in range(count)]
    for a in out:
        if not a.is_loopback:
            sys.exit(f"backends.py: {a} is not a loopback address")
    return [str(a) for a in out]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--http", action="store_true", help="answer HTTP/1.0 200 instead of closing at once")
    p.add_argument("--range", nargs=2, metavar=("FIRST", "COUNT"))
    p.add_argument("--count-file", help="write the number of accepted connections here every second")
    p.add_argument("--defer-accept", action="store_true",
                   help="TCP_DEFER_ACCEPT: a connection that sends nothing (a TCP health probe) is"
                        " never handed to this process; the kernel answers the SYN and drops the"
                        " half-open connection at the prober's reset, so the process does no work")
    p.add_argument("addr", nargs="*")
    args = p.parse_args()
    addrs = addresses(args)
    if not addrs:
        p.error("no address given")

    sel = selectors.DefaultSelector()
    for a in addrs:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if args.defer_accept:
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_DEFER_ACCEPT, 3600)
        s.bind((a, args.port))
        s.listen(1024)
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ, "listen")

    running = True

    def stop(*_):
        nonlocal running
        running = False

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"backends.py: pid {os.getpid()} listening on {len(addrs)} address(es) port {args.port}"
          f"{' (http)' if args.http else ''}", flush=True)
    accepted = 0
    last_write = 0.0
    body = b"HTTP/1.0 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n"
    while running:
        if args.count_file and time.monotonic() - last_write >= 1.0:
            last_write = time.monotonic()
            with open(args.count_file + ".tmp", "w") as f:
                f.write(f"{accepted}\n")
            os.replace(args.count_file + ".tmp", args.count_file)
        for key, _ in sel.select(timeout=0.5):
            if key.data == "listen":
                while True:
                    try:
                        c, _ = key.fileobj.accept()
                    except (BlockingIOError, InterruptedError):
                        break
                    except OSError:
                        break
                    accepted += 1
                    if args.http:
                        c.setblocking(False)
                        sel.register(c, selectors.EVENT_READ, "conn")
                    else:
                        c.close()
            else:
                c = key.fileobj
                try:
                    data = c.recv(4096)
                    if data:
                        c.sendall(body)
                except OSError:
                    pass
                sel.unregister(c)
                c.close()


if __name__ == "__main__":
    main()
