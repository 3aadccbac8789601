/*
 * ampvp core configuration text: what the hub tells one QEMU core instance in
 * its HELLO_ACK (CPU type and clock, NVIC, boot address, cache and MPU
 * identification, clock-stop behaviour, memory map).  One line per setting,
 * "key value...", '#' starts a comment; docs/protocol.md lists every line.
 * Plain C99, no dependencies: the QEMU machine (hw/arm/ampvp.c) and the hub's
 * round-trip test use this one parser; the hub writes the text
 * (qemu-devices/hub/qemu_config.cpp).
 */
#ifndef AMPVP_CONFIG_H
#define AMPVP_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version this parser reads ("config-version 1", the first setting). */
#define AMPVP_CONFIG_VERSION 1
#define AMPVP_CONFIG_MAX_REGIONS 32
#define AMPVP_CONFIG_NAME_LEN 32
#define AMPVP_CONFIG_PATH_LEN 256

enum ampvp_region_kind {
    AMPVP_REGION_FILE = 1,   /* file NAME BASE SIZE PATH [ro]: RAM backed by a shared file */
    AMPVP_REGION_ALIAS = 2,  /* alias NAME BASE TARGET OFFSET SIZE: another view of a file region */
    AMPVP_REGION_BRIDGE = 3, /* bridge NAME BASE SIZE: accesses forwarded to the hub */
};

typedef struct ampvp_region {
    int kind;
    char name[AMPVP_CONFIG_NAME_LEN];
    uint64_t base, size;
    char path[AMPVP_CONFIG_PATH_LEN];   /* FILE */
    int ro;                             /* FILE: read-only to the core (flash) */
    char target[AMPVP_CONFIG_NAME_LEN]; /* ALIAS: the FILE region it shows */
    uint64_t offset;                    /* ALIAS: offset into the target */
} ampvp_region;

typedef struct ampvp_config {
    unsigned version;
    char core[16];                      /* core NAME */
    char cpu[AMPVP_CONFIG_NAME_LEN];    /* cpu TYPE (QEMU model, e.g. cortex-m7) */
    uint64_t cpu_hz;                    /* cpu-hz N (default 64 MHz) */
    unsigned num_irq;                   /* num-irq N */
    uint64_t boot;                      /* boot ADDR: reset vector table */
    uint64_t cpuid;                     /* cpuid N (0: QEMU's) */
    unsigned nvic_prio_bits;            /* nvic-prio-bits N, 2..8 (0: QEMU's) */
    unsigned mpu_regions;               /* mpu-regions N, 0..16 */
    int has_mpu_regions;
    uint64_t clidr, ctr, ccsidr[16];    /* clidr N, ctr N, ccsidr INDEX N */
    int has_clidr, has_ctr, has_ccsidr[16];
    int deep_sleep_stops_clock;         /* deep-sleep-stops-clock (no value) */
    int sysresetreq_to_hub;             /* sysresetreq-to-hub (no value): AIRCR.SYSRESETREQ is
                                           reported (SYSRESETREQ message), not a local reset */
    uint64_t spin_us;                   /* spin-us N */
    uint64_t lockstep_quantum_ns;       /* lockstep-quantum-ns N: deterministic mode (0: off) */
    unsigned n_regions;
    ampvp_region regions[AMPVP_CONFIG_MAX_REGIONS]; /* in the text's order */
} ampvp_config;

/*
 * Parse `text` into *out.  Returns 0, or -1 with a one-line reason in err
 * ("line 3: 'cpu-hz x' is not a number") naming the line.  Requires
 * config-version, cpu and num-irq; an alias must name an earlier file region.
 */
int ampvp_config_parse(const char *text, ampvp_config *out, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif /* AMPVP_CONFIG_H */
