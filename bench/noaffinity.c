/*
 * LD_PRELOAD shim for benchmarks: knotd pins its worker threads to CPUs by
 * itself, which overrides `taskset` and can land it on the load generator's
 * core. Making the affinity setters no-ops keeps it where taskset put it.
 * Build: gcc -shared -fPIC -O2 -o noaffinity.so noaffinity.c
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>

int pthread_setaffinity_np(pthread_t thread, size_t cpusetsize, const cpu_set_t *cpuset) {
    (void)thread; (void)cpusetsize; (void)cpuset;
    return 0;
}

int sched_setaffinity(pid_t pid, size_t cpusetsize, const cpu_set_t *mask) {
    (void)pid; (void)cpusetsize; (void)mask;
    return 0;
}
