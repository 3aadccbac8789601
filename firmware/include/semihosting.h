/*
 * semihosting.h - the two Arm semihosting calls the MPS2 benchmark images use.
 * Only linked into FW_TARGET_MPS2 images (QEMU run with -semihosting).
 */
#ifndef AMPVP_SEMIHOSTING_H
#define AMPVP_SEMIHOSTING_H

#include <stdint.h>

#define SEMIHOST_SYS_WRITE0                 0x04u
#define SEMIHOST_SYS_EXIT                   0x18u
#define SEMIHOST_ADP_STOPPED_APPLICATION_EXIT 0x20026u /* QEMU exit status 0 */
#define SEMIHOST_ADP_STOPPED_RUNTIME_ERROR    0x20023u /* QEMU exit status 1 */

static inline uint32_t semihost_call(uint32_t op, uint32_t arg)
{
    register uint32_t r0 __asm("r0") = op;
    register uint32_t r1 __asm("r1") = arg;
    __asm volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

/* On AArch32 SYS_EXIT takes the reason code itself in r1 (not a parameter block). */
static inline __attribute__((noreturn)) void semihost_exit(uint32_t reason)
{
    for (;;) {
        (void)semihost_call(SEMIHOST_SYS_EXIT, reason);
    }
}

#endif /* AMPVP_SEMIHOSTING_H */
