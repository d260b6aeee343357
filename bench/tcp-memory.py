#!/usr/bin/env python3
"""TCP memory bound under the issue-12 attack (loopback only, never port 53).

Starts dnslb (JAR, default target/dnslb.jar) with a zone whose biggest.big.test. A RRset is a
64 KB answer, then opens CONNS connections (20 per /24, from 127.0.1.1, 127.0.2.1, ...) that
each send 60 KB of pipelined queries for it in one write and never read. Meanwhile it asks
www.big.test. over UDP for DURATION seconds and reports how many went unanswered, and the
server's peak RSS against its RSS before the attack.

Usage: bench/tcp-memory.py            (build the jar first: mvn -B -q -DskipTests package)
Environment: JAR, CONNS [80], DURATION [10], PORT [15390], JAVA_OPTS [-Xmx256m -XX:MaxDirectMemorySize=256m]
"""
import os, random, socket, struct, subprocess, sys, tempfile, time

JAR = os.environ.get("JAR", os.path.join(os.path.dirname(__file__), "..", "target", "dnslb.jar"))
CONNS = int(os.environ.get("CONNS", "80"))
DURATION = float(os.environ.get("DURATION", "10"))
PORT = int(os.environ.get("PORT", "15390"))
JAVA_OPTS = os.environ.get("JAVA_OPTS", "-Xmx256m -XX:MaxDirectMemorySize=256m").split()


def query(name, qtype=1):
    qid = random.randrange(65536)
    labels = b"".join(bytes([len(p)]) + p.encode() for p in name.strip(".").split("."))
    return qid, struct.pack(">HHHHHH", qid, 0, 1, 0, 0, 0) + labels + b"\0" + struct.pack(">HH", qtype, 1)


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def udp_ok(sock, name):
    qid, q = query(name)
    sock.sendto(q, ("127.0.0.1", PORT))
    try:
        while True:
            data, _ = sock.recvfrom(4096)
            if struct.unpack(">H", data[:2])[0] == qid:
                return (data[3] & 0xF) == 0
    except socket.timeout:
        return False


def main():
    work = tempfile.mkdtemp(prefix="dnslb-tcpmem.")
    with open(os.path.join(work, "big.test.zone"), "w") as z:
        z.write("$ORIGIN big.test.\n$TTL 60\n@ SOA ns1 h 1 3600 600 86400 60\n@ NS ns1\n"
                "ns1 A 127.0.0.1\nwww A 192.0.2.1\n")
        for i in range(4000):
            z.write(f"biggest A 10.1.{i // 250}.{i % 250}\n")
    server = subprocess.Popen(["java", *JAVA_OPTS, "-jar", JAR, "serve", "--zones", work,
                               "--dns", f"127.0.0.1:{PORT}", "--http", "off"],
                              stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "log"), "w"))
    conns = []
    try:
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.settimeout(1.0)
        deadline = time.time() + 60
        while not udp_ok(u, "www.big.test."):
            if time.time() > deadline or server.poll() is not None:
                sys.exit("dnslb did not start; log in " + work)
        time.sleep(2)
        before = rss_kib(server.pid)
        _, q = query("biggest.big.test.")
        frame = struct.pack(">H", len(q)) + q
        attack = frame * (60_000 // len(frame))
        for i in range(CONNS):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.bind((f"127.0.{1 + i // 20}.1", 0))
            s.connect(("127.0.0.1", PORT))
            s.setblocking(False)
            try:
                s.send(attack)
            except BlockingIOError:
                pass
            conns.append(s)
        sent = lost = 0
        peak = before
        end = time.time() + DURATION
        while time.time() < end:
            sent += 1
            lost += 0 if udp_ok(u, "www.big.test.") else 1
            if sent % 50 == 0:
                peak = max(peak, rss_kib(server.pid))
        peak = max(peak, rss_kib(server.pid))
        print(f"connections {len(conns)} x {len(attack)} bytes of pipelined queries, never read")
        print(f"RSS before {before // 1024} MiB, peak during {peak // 1024} MiB (+{(peak - before) // 1024} MiB)")
        print(f"UDP during the attack: {sent} queries, {lost} unanswered ({100.0 * lost / max(1, sent):.1f}%)")
        print(f"dnslb still running: {server.poll() is None}")
    finally:
        for s in conns:
            s.close()
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
