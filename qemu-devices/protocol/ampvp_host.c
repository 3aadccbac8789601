/* ampvp host load (see ampvp_host.h). */
#include "ampvp_host.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int ampvp_loadavg_running(const char *text)
{
    const char *p = text;
    for (int field = 0; field < 3; field++) {
        p = strchr(p, ' ');
        if (!p) {
            return -1;
        }
        p++;
    }
    char *end;
    long n = strtol(p, &end, 10);
    if (end == p || *end != '/' || n < 0 || n > 1000000) {
        return -1;
    }
    return (int)n;
}

int ampvp_running_min(int *window, int n, int *next, int sample)
{
    window[*next] = sample;
    *next = (*next + 1) % n;
    int min = sample;
    for (int i = 0; i < n; i++) {
        if (window[i] >= 0 && window[i] < min) {
            min = window[i];
        }
    }
    return min;
}

int ampvp_host_overloaded(int64_t now_ns)
{
    static int64_t last_ns;
    static int sampled, last, cpus, next;
    static int window[AMPVP_LOAD_SAMPLES];
    if (sampled && now_ns - last_ns < 20000000) {
        return last;
    }
    sampled = 1;
    last_ns = now_ns;
    if (!cpus) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        cpus = n > 0 ? (int)n : 1;
        for (int i = 0; i < AMPVP_LOAD_SAMPLES; i++) {
            window[i] = -1; /* empty */
        }
    }
    char buf[128];
    int fd = open("/proc/loadavg", O_RDONLY | O_CLOEXEC);
    ssize_t r = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
    if (fd >= 0) {
        close(fd);
    }
    if (r <= 0) {
        last = 0; /* no /proc: keep polling as configured */
        return last;
    }
    buf[r] = '\0';
    int running = ampvp_loadavg_running(buf);
    if (running < 0) {
        last = 0;
        return last;
    }
    last = ampvp_running_min(window, AMPVP_LOAD_SAMPLES, &next, running) > cpus;
    return last;
}
