/*
 * ampvp host load: whether busy-polling for the other end of the bridge would
 * take a CPU from a thread that needs it.  Both ends poll before they sleep
 * (`spin-us`, docs/performance.md) because waking an idle host CPU costs
 * 100-200 us on a VM; but when the host already has more runnable threads
 * than CPUs (the cores, the hub, other work), a poller only delays the very
 * thread it waits for (measured under a CPU hog: a busy core's interrupt
 * latency went from ~80 us to ~1 ms with spinning on).  Plain C99; used by
 * the QEMU machine (hw/arm/ampvp.c) and the hub.
 */
#ifndef AMPVP_HOST_H
#define AMPVP_HOST_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The runnable-thread count of a /proc/loadavg text ("0.52 0.58 0.59 3/421
 * 12345": the 4th field's numerator), or -1 if the text is not that.
 */
int ampvp_loadavg_running(const char *text);

/*
 * Record `sample` in the ring `window` of `n` counts (-1: empty; `*next` the
 * slot to fill) and return the smallest count it holds.
 */
int ampvp_running_min(int *window, int n, int *next, int sample);

#define AMPVP_LOAD_SAMPLES 4

/*
 * Nonzero when the host has had more runnable threads (the caller included)
 * than online CPUs in each of the last AMPVP_LOAD_SAMPLES samples.  Samples
 * /proc/loadavg at most every 20 ms of `now_ns` (any monotonic clock);
 * between samples it returns the last answer.  The smallest of the recent
 * counts, not the last one: a caller samples just after traffic woke it,
 * when the thread that sent it is often still runnable, so a single count
 * said "overloaded" on a quiet host with one busy core (and the hub stopped
 * polling for the interrupt handler's write, issue 11); other work that
 * keeps the CPUs busy is runnable in every sample.  Not thread-safe: one
 * caller thread per process (a core's vCPU, the hub's loop).
 */
int ampvp_host_overloaded(int64_t now_ns);

#ifdef __cplusplus
}
#endif

#endif
