/*
 * ampvp core configuration text: the parser.  See ampvp_config.h.
 */
#include "ampvp_config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORDS 8

static int cfg_fail(char *err, size_t errlen, int line, const char *fmt, ...)
{
    char what[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    if (err && errlen) {
        if (line > 0) {
            snprintf(err, errlen, "line %d: %s", line, what);
        } else {
            snprintf(err, errlen, "%s", what);
        }
    }
    return -1;
}

static int cfg_number(const char *s, uint64_t *v)
{
    char *end;
    if (!s || !*s || *s == '-') {
        return 0;
    }
    errno = 0;
    unsigned long long x = strtoull(s, &end, 0);
    if (errno || *end) {
        return 0;
    }
    *v = (uint64_t)x;
    return 1;
}

static int cfg_copy_name(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n == 0 || n >= cap) {
        return 0;
    }
    memcpy(dst, src, n + 1);
    return 1;
}

int ampvp_config_parse(const char *text, ampvp_config *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    out->cpu_hz = 64000000u;
    if (!text) {
        return cfg_fail(err, errlen, 0, "no configuration text");
    }
    int lineno = 0;
    const char *p = text;
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        char line[512];
        lineno++;
        if (len >= sizeof(line)) {
            return cfg_fail(err, errlen, lineno, "line too long");
        }
        memcpy(line, p, len);
        line[len] = 0;
        p += len + (eol ? 1 : 0);

        char *w[MAX_WORDS + 1];
        int n = 0;
        for (char *t = strtok(line, " \t\r"); t; t = strtok(NULL, " \t\r")) {
            if (t[0] == '#') {
                break;
            }
            if (n == MAX_WORDS) {
                return cfg_fail(err, errlen, lineno, "too many words");
            }
            w[n++] = t;
        }
        if (n == 0) {
            continue;
        }
        const char *k = w[0];
        uint64_t v[MAX_WORDS] = {0};
        /* Every value word of a setting is a number, except the named ones. */
#define NUM(i) (cfg_number(w[i], &v[i]) ? 0 : cfg_fail(err, errlen, lineno, "'%s' is not a number", w[i]))
#define WORDS(cnt) (n == (cnt) ? 0 : cfg_fail(err, errlen, lineno, "'%s' takes %d value(s)", k, (cnt) - 1))
        if (!out->version && strcmp(k, "config-version") != 0) {
            return cfg_fail(err, errlen, lineno, "expected 'config-version %d' first, got '%s'",
                        AMPVP_CONFIG_VERSION, k);
        }
        if (!strcmp(k, "config-version")) {
            if (WORDS(2) || NUM(1)) {
                return -1;
            }
            if (v[1] != AMPVP_CONFIG_VERSION) {
                return cfg_fail(err, errlen, lineno, "configuration version %llu, this QEMU reads %d",
                            (unsigned long long)v[1], AMPVP_CONFIG_VERSION);
            }
            out->version = (unsigned)v[1];
        } else if (!strcmp(k, "core")) {
            if (WORDS(2)) {
                return -1;
            }
            if (!cfg_copy_name(out->core, sizeof(out->core), w[1])) {
                return cfg_fail(err, errlen, lineno, "core name too long");
            }
        } else if (!strcmp(k, "cpu")) {
            if (WORDS(2)) {
                return -1;
            }
            if (!cfg_copy_name(out->cpu, sizeof(out->cpu), w[1])) {
                return cfg_fail(err, errlen, lineno, "cpu type too long");
            }
        } else if (!strcmp(k, "cpu-hz") || !strcmp(k, "num-irq") || !strcmp(k, "boot") ||
                   !strcmp(k, "cpuid") || !strcmp(k, "nvic-prio-bits") || !strcmp(k, "mpu-regions") ||
                   !strcmp(k, "clidr") || !strcmp(k, "ctr") || !strcmp(k, "spin-us") ||
                   !strcmp(k, "lockstep-quantum-ns")) {
            if (WORDS(2) || NUM(1)) {
                return -1;
            }
            if (!strcmp(k, "cpu-hz")) {
                out->cpu_hz = v[1];
            } else if (!strcmp(k, "num-irq")) {
                if (v[1] == 0 || v[1] > 480) {
                    return cfg_fail(err, errlen, lineno, "num-irq must be 1..480");
                }
                out->num_irq = (unsigned)v[1];
            } else if (!strcmp(k, "boot")) {
                out->boot = v[1];
            } else if (!strcmp(k, "cpuid")) {
                out->cpuid = v[1];
            } else if (!strcmp(k, "nvic-prio-bits")) {
                if (v[1] < 2 || v[1] > 8) {
                    return cfg_fail(err, errlen, lineno, "nvic-prio-bits must be 2..8");
                }
                out->nvic_prio_bits = (unsigned)v[1];
            } else if (!strcmp(k, "mpu-regions")) {
                if (v[1] > 16) {
                    return cfg_fail(err, errlen, lineno, "mpu-regions must be 0..16");
                }
                out->mpu_regions = (unsigned)v[1];
                out->has_mpu_regions = 1;
            } else if (!strcmp(k, "clidr")) {
                out->clidr = v[1];
                out->has_clidr = 1;
            } else if (!strcmp(k, "ctr")) {
                out->ctr = v[1];
                out->has_ctr = 1;
            } else if (!strcmp(k, "lockstep-quantum-ns")) {
                if (v[1] == 0) {
                    return cfg_fail(err, errlen, lineno, "lockstep-quantum-ns must be > 0");
                }
                out->lockstep_quantum_ns = v[1];
            } else {
                out->spin_us = v[1];
            }
        } else if (!strcmp(k, "ccsidr")) {
            if (WORDS(3) || NUM(1) || NUM(2)) {
                return -1;
            }
            if (v[1] >= 16) {
                return cfg_fail(err, errlen, lineno, "ccsidr index must be 0..15");
            }
            out->ccsidr[v[1]] = v[2];
            out->has_ccsidr[v[1]] = 1;
        } else if (!strcmp(k, "deep-sleep-stops-clock")) {
            if (WORDS(1)) {
                return -1;
            }
            out->deep_sleep_stops_clock = 1;
        } else if (!strcmp(k, "sysresetreq-to-hub")) {
            if (WORDS(1)) {
                return -1;
            }
            out->sysresetreq_to_hub = 1;
        } else if (!strcmp(k, "file") || !strcmp(k, "alias") || !strcmp(k, "bridge")) {
            if (out->n_regions >= AMPVP_CONFIG_MAX_REGIONS) {
                return cfg_fail(err, errlen, lineno, "more than %d memory regions", AMPVP_CONFIG_MAX_REGIONS);
            }
            ampvp_region *r = &out->regions[out->n_regions];
            memset(r, 0, sizeof(*r));
            if (!strcmp(k, "file")) {
                if ((n != 5 && n != 6) || (n == 6 && strcmp(w[5], "ro"))) {
                    return cfg_fail(err, errlen, lineno, "file takes NAME BASE SIZE PATH [ro]");
                }
                if (NUM(2) || NUM(3)) {
                    return -1;
                }
                if (!cfg_copy_name(r->path, sizeof(r->path), w[4])) {
                    return cfg_fail(err, errlen, lineno, "file path too long");
                }
                r->kind = AMPVP_REGION_FILE;
                r->ro = n == 6;
                r->base = v[2];
                r->size = v[3];
            } else if (!strcmp(k, "alias")) {
                if (n != 6) {
                    return cfg_fail(err, errlen, lineno, "alias takes NAME BASE TARGET OFFSET SIZE");
                }
                if (NUM(2) || NUM(4) || NUM(5)) {
                    return -1;
                }
                int found = 0;
                for (unsigned i = 0; i < out->n_regions; i++) {
                    found |= out->regions[i].kind == AMPVP_REGION_FILE &&
                             !strcmp(out->regions[i].name, w[3]);
                }
                if (!found || !cfg_copy_name(r->target, sizeof(r->target), w[3])) {
                    return cfg_fail(err, errlen, lineno, "alias of unknown region '%s'", w[3]);
                }
                r->kind = AMPVP_REGION_ALIAS;
                r->base = v[2];
                r->offset = v[4];
                r->size = v[5];
            } else {
                if (n != 4) {
                    return cfg_fail(err, errlen, lineno, "bridge takes NAME BASE SIZE");
                }
                if (NUM(2) || NUM(3)) {
                    return -1;
                }
                r->kind = AMPVP_REGION_BRIDGE;
                r->base = v[2];
                r->size = v[3];
            }
            if (!cfg_copy_name(r->name, sizeof(r->name), w[1])) {
                return cfg_fail(err, errlen, lineno, "region name too long");
            }
            out->n_regions++;
        } else {
            return cfg_fail(err, errlen, lineno, "unknown setting '%s'", k);
        }
#undef NUM
#undef WORDS
    }
    if (!out->version) {
        return cfg_fail(err, errlen, 0, "empty configuration (no config-version)");
    }
    if (!out->cpu[0] || !out->num_irq) {
        return cfg_fail(err, errlen, 0, "configuration lacks 'cpu' or 'num-irq'");
    }
    return 0;
}
