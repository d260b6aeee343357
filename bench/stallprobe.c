/*
 * Machine-stall probe for bench/run.sh: a busy loop pinned to one CPU that reads CLOCK_MONOTONIC
 * as fast as it can and records every gap between two consecutive reads above 50 us. With
 * nothing else runnable on that CPU, such a gap is time the loop did not run although it never
 * gave the CPU up: the hypervisor ran something else (a vCPU not scheduled, steal time not
 * reported) or the kernel ran interrupts/softirqs. Any gap a server thread on that CPU meets the
 * same way holds every query that arrives meanwhile, which is what a fixed-rate p99 sees.
 *
 * Gaps while the probe was switched out (another task ran: the guest scheduler's doing, not the
 * machine's) are counted apart, from the probe's context switches (getrusage RUSAGE_THREAD) read
 * at each gap and every millisecond; `perf sched record -C N` over a run shows the same.
 *
 * Usage: stallprobe SECONDS CPU   (prints one line; exit 2 on bad arguments or no CPU)
 * Build: gcc -O2 -o stallprobe stallprobe.c
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static long switches(void) {
    struct rusage ru;
    getrusage(RUSAGE_THREAD, &ru);
    return ru.ru_nvcsw + ru.ru_nivcsw;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s SECONDS CPU\n", argv[0]);
        return 2;
    }
    double secs = atof(argv[1]);
    int cpu = atoi(argv[2]);
    if (secs <= 0 || cpu < 0) {
        fprintf(stderr, "stallprobe: bad SECONDS or CPU\n");
        return 2;
    }
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0) {
        perror("stallprobe: sched_setaffinity");
        return 2;
    }
    /* Gap classes in ns; a gap falls into the last class whose lower bound it reaches. */
    static const int64_t lower[] = {50000, 300000, 1000000, 3000000};
    long count[4] = {0}, switched = 0;
    int64_t lost = 0, longest = 0, switched_lost = 0;

    const int64_t start = now_ns(), end = start + (int64_t)(secs * 1e9);
    int64_t prev = start, next_sw = start + 1000000;
    long sw = switches();
    for (;;) {
        int64_t t = now_ns();
        int64_t gap = t - prev;
        prev = t;
        if (gap >= lower[0]) {
            int k = 3;
            while (gap < lower[k]) k--;
            count[k]++;
            lost += gap;
            if (gap > longest) longest = gap;
            long s = switches();
            if (s != sw) {            /* switched out since the last read: another task ran */
                switched++;
                switched_lost += gap;
            }
            sw = s;
            next_sw = t + 1000000;
            prev = now_ns();           /* the getrusage call is not a gap */
        } else if (t >= next_sw) {
            sw = switches();
            next_sw = t + 1000000;
            prev = now_ns();
        }
        if (t >= end) break;
    }
    double total = (double)(prev - start);
    printf("CPU%d: %.0f s, gaps 50-300us %ld, 0.3-1ms %ld, 1-3ms %ld, >3ms %ld; lost %.1f ms (%.2f%%), "
           "longest %.2f ms; switched out in %ld of them (%.1f ms)\n",
           cpu, total / 1e9, count[0], count[1], count[2], count[3], lost / 1e6, 100.0 * lost / total,
           longest / 1e6, switched, switched_lost / 1e6);
    return 0;
}
