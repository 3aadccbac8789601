/*
 * shared_layout.h - layout of the SRAM4 block both cores use (0x38000000, 64 KB).
 *
 * Both linker scripts place the NOLOAD output section .shared at 0x38000000 and put
 * the input section .shared.layout first in it, so the object defined with
 * AMPVP_SHARED_DEFINE() lands at AMPVP_SHARED_BASE in the CM7 and in the CM4 image
 * (the linker scripts ASSERT it). NOLOAD: no image writes initial contents and the
 * startup code does not zero it; the emulator starts SRAM zeroed.
 *
 * Real hardware note: the CM7 data cache is never enabled by these demos, so no
 * cache maintenance or MPU setup is needed for this region.
 */
#ifndef AMPVP_SHARED_LAYOUT_H
#define AMPVP_SHARED_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#define AMPVP_SHARED_BASE  0x38000000u   /* SRAM4 */
#define AMPVP_SHARED_SIZE  0x10000u

/* hello demo: the CM7 writes this once, the CM4 waits for it. */
#define HELLO_MAGIC        0xC0FFEE45u

/* Flag values of the handshake words below ("ready", "start"). A magic value rather
 * than 1, so that a word that merely is non-zero does not count as set. */
#define SHARED_READY_MAGIC 0x52454459u   /* "REDY" */
#define SHARED_START_MAGIC 0x53545254u   /* "STRT" */

/* Every word has exactly one writer (named below). The demos rely on SRAM4 being zero
 * when the pair starts (the emulator starts SRAM zeroed); each core clears the words it
 * owns where that cannot race with the other core. */
struct ampvp_shared {
    /* 0x00 hello */
    volatile uint32_t hello_magic;     /* 0x00 CM7: HELLO_MAGIC once it ran               */
    volatile uint32_t reserved0[15];   /* 0x04                                            */

    /* 0x40 hsem_mutex (HSEM semaphore 5) */
    volatile uint32_t mutex_counter;   /* 0x40 both: +1 per iteration, under the lock     */
    volatile uint32_t mutex_start;     /* 0x44 CM7: SHARED_START_MAGIC once counter = 0   */
    volatile uint32_t mutex_cm7_phase; /* 0x48 CM7: k = phase k finished and checked,
                                        *      counter reset if needed: go for phase k+1  */
    volatile uint32_t mutex_cm4_phase; /* 0x4C CM4: k = finished its part of phase k      */
    volatile uint32_t reserved1[4];    /* 0x50                                            */

    /* 0x60 sev_pingpong */
    volatile uint32_t pp_ping;         /* 0x60 CM7: trip number i (1..N)                  */
    volatile uint32_t pp_pong;         /* 0x64 CM4: echo of ping                          */
    volatile uint32_t pp_cm4_ready;    /* 0x68 CM4: SHARED_READY_MAGIC once its EMR is set */
    volatile uint32_t reserved2[5];    /* 0x6C                                            */

    /* 0x80 hsem_latency (HSEM semaphore 2) */
    volatile uint32_t lat_cm4_ready;   /* 0x80 CM4: SHARED_READY_MAGIC once armed         */
    volatile uint32_t lat_count;       /* 0x84 CM4 (IRQ handler): notifications taken     */

    /* 0x88 gated boot */
    volatile uint32_t boot_released_running; /* 0x88 the released core: SHARED_READY_MAGIC */
    volatile uint32_t reserved3[5];    /* 0x8C - 0x9C: room for later demos               */

    /* 0xA0 button_exti (EXTI line 13 to both cores) */
    volatile uint32_t btn_cm4_ready;   /* 0xA0 CM4: SHARED_READY_MAGIC once LED2 and its
                                        *      NVIC are set and it waits for B1          */
    volatile uint32_t btn_cm4_presses; /* 0xA4 CM4: presses it has taken and printed      */
    volatile uint32_t reserved4[6];    /* 0xA8 - 0xBC                                     */

    /* 0xC0 sw_exti_doorbell (EXTI software interrupt line 0, CM7 -> CM4) */
    volatile uint32_t db_cm4_ready;    /* 0xC0 CM4: SHARED_READY_MAGIC once EXTI0 is enabled */
    volatile uint32_t db_message;      /* 0xC4 CM7: the message: sequence number 1..N     */
    volatile uint32_t db_ack;          /* 0xC8 CM4: the last message it read (= release)  */
    volatile uint32_t reserved5[5];    /* 0xCC - 0xDC                                     */

    /* 0xE0 gdb_demo (a debugger reads these from either core) */
    volatile uint32_t gdb_cm7_count;   /* 0xE0 CM7: loop iterations                       */
    volatile uint32_t gdb_cm4_count;   /* 0xE4 CM4: loop iterations                       */
    volatile uint32_t reserved6[6];    /* 0xE8 - 0xFC: room for later demos               */
};
_Static_assert(offsetof(struct ampvp_shared, hello_magic) == 0x00, "hello_magic offset");
_Static_assert(offsetof(struct ampvp_shared, mutex_counter) == 0x40, "mutex_counter offset");
_Static_assert(offsetof(struct ampvp_shared, mutex_cm4_phase) == 0x4C, "mutex_cm4_phase offset");
_Static_assert(offsetof(struct ampvp_shared, pp_ping) == 0x60, "pp_ping offset");
_Static_assert(offsetof(struct ampvp_shared, pp_cm4_ready) == 0x68, "pp_cm4_ready offset");
_Static_assert(offsetof(struct ampvp_shared, lat_cm4_ready) == 0x80, "lat_cm4_ready offset");
_Static_assert(offsetof(struct ampvp_shared, lat_count) == 0x84, "lat_count offset");
_Static_assert(offsetof(struct ampvp_shared, boot_released_running) == 0x88, "boot word offset");
_Static_assert(offsetof(struct ampvp_shared, btn_cm4_ready) == 0xA0, "btn_cm4_ready offset");
_Static_assert(offsetof(struct ampvp_shared, btn_cm4_presses) == 0xA4, "btn_cm4_presses offset");
_Static_assert(offsetof(struct ampvp_shared, db_cm4_ready) == 0xC0, "db_cm4_ready offset");
_Static_assert(offsetof(struct ampvp_shared, db_message) == 0xC4, "db_message offset");
_Static_assert(offsetof(struct ampvp_shared, db_ack) == 0xC8, "db_ack offset");
_Static_assert(offsetof(struct ampvp_shared, gdb_cm7_count) == 0xE0, "gdb_cm7_count offset");
_Static_assert(sizeof(struct ampvp_shared) == 0x100, "shared header size");

/* Defines the shared block in an image (one translation unit per image). */
#define AMPVP_SHARED_DEFINE() \
    __attribute__((section(".shared.layout"), used)) struct ampvp_shared ampvp_shared

extern struct ampvp_shared ampvp_shared;

#endif /* AMPVP_SHARED_LAYOUT_H */
