#!/usr/bin/env python3
"""Splits a `perf record -g -e cpu-clock` profile of TCP health probing into who pays for what.

  perf script -F comm,pid,tid,cpu,ip,sym -i perf.data | probe-kernel-split.py --pid JVM_PID --probes N [--cpu 1]

On loopback one core does the work of both ends of every probe connection: the probing client's
connect/SYN, its handling of the SYN-ACK and its ACK and RST (the prober's side, which a real
deployment also pays), and the backend's SYN handling, SYN-ACK, accept queue and RST handling
(which on a real deployment run on the backend machines). Each sample is classified from its
leaf upwards, up to the first soft-interrupt boundary (a packet is received in the softirq run
when the sender re-enables bottom halves, so what lies above the boundary is the sender's, what
lies below it the receiver's): the first marker function met decides.

Classes:
  client:user      the prober's JVM threads in user space (Java, JIT code, the JVM, libnetty)
  client:kernel    the prober's own kernel work: socket, setsockopt, connect's SYN, the SYN-ACK
                   handled in connect's backlog, the ACK, epoll, close and its RST
  backend:kernel   the listener's side: listener lookup, SYN -> request socket -> SYN-ACK, the
                   ACK making the child, accept queue, the RST killing the child
  backend:process  the listening process (python3), its accept/close system calls
  rx:generic       receive path below TCP (netif/IP) run for a probe's packet (the softirq ran in
                   a probe's or the listener's system call), not attributable further; of the
                   four packets of a probe the backend receives three (SYN, ACK, RST) and the
                   client one (SYN-ACK), and the summary apportions it so
  tcp:other        TCP receive without a marker (e.g. an established socket's RST or FIN)
  jvm:other        the prober's JVM, other threads (DNS loops, GC, JIT compilers), user+kernel
  other            everything else on the CPU(s) (other processes, idle is not sampled)
"""
import argparse
import collections
import re
import sys

BOUNDARY = {"handle_softirqs", "__do_softirq", "net_rx_action"}
BACKEND = {
    "tcp_v4_conn_request", "tcp_v6_conn_request", "tcp_conn_request", "tcp_check_req",
    "tcp_child_process", "tcp_v4_syn_recv_sock", "tcp_v6_syn_recv_sock", "tcp_make_synack",
    "tcp_v4_send_synack", "tcp_v6_send_synack", "__inet_lookup_listener",
    "inet_csk_reqsk_queue_hash_add", "inet_csk_complete_hashdance", "inet_csk_accept",
    "tcp_reset",
}
CLIENT = {
    "tcp_rcv_synsent_state_process", "tcp_finish_connect", "tcp_connect", "tcp_v4_connect",
    "tcp_v6_connect", "tcp_send_active_reset", "__tcp_close", "tcp_close", "inet_release",
    "__sys_socket", "__sys_connect", "do_epoll_ctl", "do_epoll_wait", "__sys_setsockopt",
    "__sys_getsockopt", "__x64_sys_close", "__release_sock", "__x64_sys_socket",
    "__x64_sys_setsockopt", "__x64_sys_getsockopt", "__x64_sys_epoll_ctl", "__x64_sys_epoll_wait",
    "__x64_sys_connect",
}
RX_TCP = {"tcp_v4_rcv", "tcp_v6_rcv"}
UDP = {"udp_rcv", "__udp4_lib_rcv", "udp_queue_rcv_one_skb", "udp_unicast_rcv_skb",
       "__udp_enqueue_schedule_skb", "udp_sendmsg", "udp_recvmsg", "__sys_sendmmsg", "__sys_recvmmsg"}
KERNEL_ADDR = re.compile(r"^ffffffff[0-9a-f]{8}$")


def samples(stream):
    head, frames = None, []
    for line in stream:
        line = line.rstrip("\n")
        if not line.strip():
            if head is not None:
                yield head, frames
            head, frames = None, []
        elif line[0] not in " \t":
            if head is not None:
                yield head, frames
            head, frames = line, []
        else:
            parts = line.split(None, 1)
            addr = parts[0]
            sym = parts[1] if len(parts) > 1 else "[unknown]"
            sym = sym.split("+")[0].split(" (")[0]
            frames.append((addr, sym))
    if head is not None:
        yield head, frames


HEAD = re.compile(r"^\s*(?P<comm>.*?)\s+(?P<pid>\d+)/(?P<tid>\d+)\s+\[(?P<cpu>\d+)\]")


def classify(comm, pid, jvm_pid, frames):
    seg_has_rx_tcp = False
    crossed = False
    for addr, sym in frames:
        if sym in BOUNDARY:
            crossed = True
            break
        if sym in BACKEND:
            return "backend:kernel"
        if sym in CLIENT:
            return "client:kernel" if pid == jvm_pid else "other"
        if sym in RX_TCP:
            seg_has_rx_tcp = True
    if crossed:
        if seg_has_rx_tcp:
            return "tcp:other"
        # below TCP: a probe's packet when it was sent by a probe (or the listener), else not ours
        syms = {s for _, s in frames}
        if syms & UDP:
            return "other"
        if syms & (CLIENT | BACKEND) or comm.startswith(("dnslb-probe", "python3")):
            return "rx:generic"
        return "other"
    if pid == jvm_pid:
        if comm.startswith("dnslb-probe"):
            kernel = frames and KERNEL_ADDR.match(frames[0][0])
            return "client:kernel" if kernel else "client:user"
        return "jvm:other"
    if comm.startswith("python3"):
        return "backend:process"
    return "other"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--pid", type=int, required=True, help="the prober's JVM")
    p.add_argument("--probes", type=float, required=True, help="probes made in the profiled window")
    p.add_argument("--hz", type=float, default=999, help="perf record -F")
    p.add_argument("--cpu", type=int, action="append", help="only samples on this CPU (repeatable)")
    a = p.parse_args()
    counts = collections.Counter()
    for head, frames in samples(sys.stdin):
        m = HEAD.match(head)
        if not m:
            continue
        if a.cpu and int(m["cpu"]) not in a.cpu:
            continue
        counts[classify(m["comm"], int(m["pid"]), a.pid, frames)] += 1
    total = sum(counts.values())
    per = 1e6 / a.hz / a.probes if a.probes else 0  # us of CPU per probe for one sample
    cpus = ",".join(map(str, a.cpu)) if a.cpu else "all"
    print(f"  kernel split, CPU {cpus}: {total} samples at {a.hz:.0f} Hz, {a.probes:.0f} probes")
    print(f"    {'class':18}{'samples':>9}{'us/probe':>10}{'CPU-s/10k':>11}")
    for k in ["client:user", "client:kernel", "backend:kernel", "backend:process", "rx:generic",
              "tcp:other", "jvm:other", "other"]:
        n = counts.get(k, 0)
        print(f"    {k:18}{n:>9}{n * per:>10.2f}{n * per * 1e4 / 1e6:>11.3f}")
    rx = counts.get("rx:generic", 0)
    client = counts.get("client:user", 0) + counts.get("client:kernel", 0) + rx / 4
    backend = counts.get("backend:kernel", 0) + counts.get("backend:process", 0) + rx * 3 / 4 \
        + counts.get("tcp:other", 0)
    print(f"    prober's side (client + 1/4 rx): {client * per:.2f} us/probe; "
          f"backend's side (+ 3/4 rx + tcp:other): {backend * per:.2f} us/probe; "
          f"backend share {100 * backend / max(1, client + backend):.0f}%")


if __name__ == "__main__":
    main()
