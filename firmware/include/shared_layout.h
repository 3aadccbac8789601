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

struct ampvp_shared {
    volatile uint32_t hello_magic;   /* 0x00: 0 at power-up, HELLO_MAGIC once the CM7 ran */
    volatile uint32_t reserved[15];  /* 0x04: room for later demos, keep offsets stable   */
};
_Static_assert(offsetof(struct ampvp_shared, hello_magic) == 0, "hello_magic offset");
_Static_assert(sizeof(struct ampvp_shared) == 64, "shared header size");

/* Defines the shared block in an image (one translation unit per image). */
#define AMPVP_SHARED_DEFINE() \
    __attribute__((section(".shared.layout"), used)) struct ampvp_shared ampvp_shared

extern struct ampvp_shared ampvp_shared;

#endif /* AMPVP_SHARED_LAYOUT_H */
