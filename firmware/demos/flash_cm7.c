/*
 * flash_cm7.c (CM7) - what ST's FLASH_CoreConfiguration example does (STM32H745I-DISCO):
 * the CM7 erases flash bank 2, programs a dedicated CM4 program there, checks it and
 * releases the CM4, which was gated by the option bytes (run with --option-byte
 * bcm4=0, as ST's readme asks of STM32CubeProgrammer).  Register for register as the
 * HAL does it (stm32h7xx_hal_flash.c / _flash_ex.c, _rcc_ex.c):
 *   HAL_FLASH_Unlock: KEYR1/KEYR2 = 0x45670123, 0xCDEF89AB while CRx.LOCK.
 *   HAL_FLASHEx_Erase (FLASH_WaitForLastOperation: SR2.QW, errors, EOP cleared by CCR2):
 *     ST erases the whole bank (BER: 8 s on the chip); here sector 0 of bank 2, the one
 *     the CM4 program occupies (FLASH_Erase_Sector: CR2.PSIZE = x64, SER, SNB, START),
 *     1 s on the chip, then SER/SNB cleared.
 *   HAL_FLASH_Program(FLASH_TYPEPROGRAM_FLASHWORD) for every 32 bytes: wait, CR2.PG,
 *     ISB/DSB, eight 32-bit stores into the flash memory, ISB/DSB, wait (QW), PG off.
 *   A byte-for-byte check against the embedded program (as ST's example does).
 *   HAL_FLASH_OB_Unlock / HAL_FLASHEx_OBProgram (OPTIONBYTE_CM4_BOOT: OPTSR_PRG.BCM4 = 1)
 *     / HAL_FLASH_OB_Launch (OPTCR.OPTSTART, wait OPTSR_CUR.OPT_BUSY) / OB lock: from the
 *     next reset the CM4 boots by itself from what is now in bank 2.
 *   HAL_RCCEx_EnableBootCore(RCC_BOOT_C2): RCC_GCR.BOOT_C2 starts the CM4 now.
 * Printed: "flash: option bytes BCM7=<b> BCM4=<b>", "flash: bank 2 sector 0 erased in
 * <ms> ms", "flash: programmed <n> bytes (<w> flash words) at 0x08100000 in <ms> ms,
 * mismatches <m>", "flash: option bytes now BCM7=<b> BCM4=<b>", "flash: CM4 released",
 * then the CM4's lines, then "CM7 done".  A step that fails: "flash: <what> failed
 * (SR2=0x...)" and "CM7 done".
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "demo_time.h"
#include "platform.h"
#include "stm32h745_regs.h"

DEMO_TIME_DEFINE()

struct flash_if {
    volatile uint32_t ACR, KEYR1, OPTKEYR, CR1, SR1, CCR1, OPTCR, OPTSR_CUR, OPTSR_PRG;
    uint32_t r0[(0x104u - 0x024u) / 4u];
    volatile uint32_t KEYR2, r1, CR2, SR2, CCR2;
};
#define FLASH_IF ((struct flash_if *)FLASH_R_BASE)
_Static_assert(__builtin_offsetof(struct flash_if, KEYR2) == 0x104, "KEYR2 offset");

#define FLASH_KEY1 0x45670123u
#define FLASH_KEY2 0xCDEF89ABu
#define FLASH_OPT_KEY1 0x08192A3Bu
#define FLASH_OPT_KEY2 0x4C5D6E7Fu
#define FLASH_CR_LOCK  (1u << 0)
#define FLASH_CR_PG    (1u << 1)
#define FLASH_CR_SER   (1u << 2)
#define FLASH_CR_PSIZE (3u << 4)
#define FLASH_CR_PSIZE_X64 (3u << 4) /* FLASH_VOLTAGE_RANGE_4 */
#define FLASH_CR_START (1u << 7)
#define FLASH_CR_SNB   (7u << 8)
#define FLASH_SR_QW    (1u << 2)
#define FLASH_SR_EOP   (1u << 16)
#define FLASH_SR_ALL_ERRORS 0x17EE0000u /* WRPERR PGSERR STRBERR INCERR OPERR RDPERR RDSERR SNECC DBECC CRCRDERR */
#define FLASH_OPTCR_OPTLOCK  (1u << 0)
#define FLASH_OPTCR_OPTSTART (1u << 1)
#define FLASH_OPTSR_OPT_BUSY (1u << 0)
#define FLASH_OPTSR_BCM4     (1u << 22)
#define FLASH_OPTSR_BCM7     (1u << 23)

extern const uint8_t flash_payload[], flash_payload_end[];

static volatile int s_dummy;

static void finish(const char *what)
{
    if (what) {
        uart_printf("flash: %s failed (SR2=0x%08x)\n", what, (unsigned)FLASH_IF->SR2);
    }
    uart_puts("CM7 done\n");
    for (;;) {
        cm_wfi();
    }
}

/* FLASH_WaitForLastOperation(bank 2): QW, then errors, then EOP cleared. */
static int wait_last_operation(uint32_t timeout_ms)
{
    const uint32_t t0 = demo_ms();
    while (FLASH_IF->SR2 & FLASH_SR_QW) {
        if (demo_ms() - t0 > timeout_ms) {
            return 0;
        }
    }
    const uint32_t err = FLASH_IF->SR2 & FLASH_SR_ALL_ERRORS;
    if (err) {
        FLASH_IF->CCR2 = err;
        return 0;
    }
    if (FLASH_IF->SR2 & FLASH_SR_EOP) {
        FLASH_IF->CCR2 = FLASH_SR_EOP;
    }
    return 1;
}

static void print_option_bytes(const char *when)
{
    const uint32_t o = FLASH_IF->OPTSR_CUR;
    uart_printf("flash: option bytes %sBCM7=%u BCM4=%u\n", when, (unsigned)((o & FLASH_OPTSR_BCM7) != 0),
                (unsigned)((o & FLASH_OPTSR_BCM4) != 0));
}

int main(void)
{
    uart_init();
    demo_time_start();
    print_option_bytes("");

    /* HAL_FLASH_Unlock (both banks). */
    if (FLASH_IF->CR1 & FLASH_CR_LOCK) {
        FLASH_IF->KEYR1 = FLASH_KEY1;
        FLASH_IF->KEYR1 = FLASH_KEY2;
    }
    if (FLASH_IF->CR2 & FLASH_CR_LOCK) {
        FLASH_IF->KEYR2 = FLASH_KEY1;
        FLASH_IF->KEYR2 = FLASH_KEY2;
    }
    if ((FLASH_IF->CR1 | FLASH_IF->CR2) & FLASH_CR_LOCK) {
        finish("unlock");
    }

    /* HAL_FLASHEx_Erase: sector 0 of bank 2, x64. */
    uint32_t t0 = demo_ms();
    if (!wait_last_operation(50000u)) {
        finish("wait before erase");
    }
    FLASH_IF->CR2 &= ~(FLASH_CR_PSIZE | FLASH_CR_SNB);
    FLASH_IF->CR2 |= FLASH_CR_SER | FLASH_CR_PSIZE_X64 | (0u << 8) | FLASH_CR_START;
    if (!wait_last_operation(50000u)) {
        finish("sector erase");
    }
    FLASH_IF->CR2 &= ~(FLASH_CR_SER | FLASH_CR_SNB);
    uart_printf("flash: bank 2 sector 0 erased in %u ms\n", (unsigned)(demo_ms() - t0));

    /* HAL_FLASH_Program, one 256-bit flash word at a time (the last one padded with the
     * bytes that follow the program in the CM7's flash, as ST's loop does). */
    const uint32_t size = (uint32_t)(flash_payload_end - flash_payload);
    const uint32_t words = size / 32u + 1u;
    t0 = demo_ms();
    volatile uint32_t *dst = (volatile uint32_t *)FLASH_BANK2_BASE;
    const uint32_t *src = (const uint32_t *)(const void *)flash_payload;
    for (uint32_t w = 0; w < words; w++) {
        if (!wait_last_operation(1000u)) {
            finish("wait before program");
        }
        FLASH_IF->CR2 |= FLASH_CR_PG;
        __asm volatile("isb\n dsb" ::: "memory");
        for (unsigned i = 0; i < 8; i++) {
            *dst++ = *src++;
        }
        __asm volatile("isb\n dsb" ::: "memory");
        if (!wait_last_operation(1000u)) {
            finish("program");
        }
        FLASH_IF->CR2 &= ~FLASH_CR_PG;
    }
    const uint32_t prog_ms = demo_ms() - t0;
    uint32_t mismatches = 0;
    const volatile uint8_t *check = (const volatile uint8_t *)FLASH_BANK2_BASE;
    for (uint32_t i = 0; i < size; i++) {
        mismatches += check[i] != flash_payload[i];
    }
    FLASH_IF->CR1 |= FLASH_CR_LOCK; /* HAL_FLASH_Lock */
    FLASH_IF->CR2 |= FLASH_CR_LOCK;
    uart_printf("flash: programmed %u bytes (%u flash words) at 0x%08x in %u ms, mismatches %u\n",
                (unsigned)size, (unsigned)words, (unsigned)FLASH_BANK2_BASE, (unsigned)prog_ms,
                (unsigned)mismatches);
    if (mismatches) {
        finish("verify");
    }

    /* HAL_FLASH_OB_Unlock, HAL_FLASHEx_OBProgram(OPTIONBYTE_CM4_BOOT, BCM4 on),
     * HAL_FLASH_OB_Launch, HAL_FLASH_OB_Lock. */
    if (FLASH_IF->OPTCR & FLASH_OPTCR_OPTLOCK) {
        FLASH_IF->OPTKEYR = FLASH_OPT_KEY1;
        FLASH_IF->OPTKEYR = FLASH_OPT_KEY2;
    }
    FLASH_IF->OPTSR_PRG |= FLASH_OPTSR_BCM4;
    FLASH_IF->OPTCR |= FLASH_OPTCR_OPTSTART;
    t0 = demo_ms();
    while (FLASH_IF->OPTSR_CUR & FLASH_OPTSR_OPT_BUSY) {
        if (demo_ms() - t0 > 1000u) {
            finish("option byte programming");
        }
    }
    FLASH_IF->OPTCR |= FLASH_OPTCR_OPTLOCK;
    print_option_bytes("now ");

    /* HAL_RCCEx_EnableBootCore(RCC_BOOT_C2). */
    RCC->GCR |= RCC_GCR_BOOT_C2;
    uart_puts("flash: CM4 released\n");
    t0 = demo_ms();
    while (demo_ms() - t0 < 200u) {
        cm_wfi();
    }
    (void)s_dummy;
    finish(0);
}
