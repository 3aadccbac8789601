/*
 * clock_switch.c (CM7 or CM4, alone) - HAL_Delay keeps real time across ST's clock switch.
 *
 * The SysTick sequence is exactly the HAL's, because that is where QEMU 7.2 went wrong:
 *   HAL_Init -> HAL_InitTick at the reset clock (HSI 64 MHz): SysTick_Config(64 MHz / 1000):
 *            LOAD, SHPR3, VAL = 0, CTRL = CLKSOURCE | TICKINT | ENABLE.
 *   phase 1: count CLOCK_SWITCH_TICKS ticks between "tick phase 1 start/end".
 *   SystemClock_Config (HAL_RCC_OscConfig + HAL_RCC_ClockConfig, register for register):
 *            PLL1 off, wait PLL1RDY = 0; PLLCKSELR = HSI, DIVM1 4 (16 MHz); PLL1DIVR N 50,
 *            P 2 (800 MHz VCO, 400 MHz P); PLLCFGR; PLL1 on, wait PLL1RDY; FLASH_ACR
 *            LATENCY 4 (read back); D1CFGR HPRE /2 + D1PPRE /2, D2CFGR, D3CFGR /2;
 *            CFGR.SW = PLL1, wait SWS = PLL1.  Then HAL_RCC_ClockConfig's own
 *            HAL_InitTick(SystemCoreClock = 400 MHz on the CM7, HCLK 200 MHz on the CM4):
 *            the same four writes, CTRL written with the SAME CLKSOURCE (no CTRL = 0 first).
 *   phase 2: count the same number of ticks between "tick phase 2 start/end".
 * On the chip both phases last CLOCK_SWITCH_TICKS ms.  QEMU 7.2's SysTick, told of the new
 * CPU clock and reference clock (HCLK/8), took its period from the reference clock while
 * CLKSOURCE selects the CPU clock: phase 2 lasted 8 times longer (ampvp QEMU patch 0004).
 * tests/integration/clock_switch.sh asserts the ratio of the two phases.
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "platform.h"
#include "stm32h745_regs.h"

#ifndef CLOCK_SWITCH_TICKS
#define CLOCK_SWITCH_TICKS 300u
#endif

#if defined(FW_TARGET_CM4)
#define CORE_LABEL "CM4"
#define CORE_HZ_AFTER 200000000u /* HCLK: sys_ck 400 MHz / HPRE 2 */
#else
#define CORE_LABEL "CM7"
#define CORE_HZ_AFTER 400000000u /* sys_ck / D1CPRE 1 */
#endif

static volatile uint32_t ticks;

void SysTick_Handler(void);
void SysTick_Handler(void) { ticks++; }

/* CMSIS SysTick_Config as HAL_InitTick calls it: no CTRL = 0 before. */
static void hal_init_tick(uint32_t core_hz)
{
    SYSTICK->RVR = core_hz / 1000u - 1u;
    SCB->SHPR[15u - 4u] = (uint8_t)(0xFu << 4);
    SYSTICK->CVR = 0u;
    SYSTICK->CSR = 7u; /* CLKSOURCE = processor clock, TICKINT, ENABLE */
}

static void count_ticks(const char *phase)
{
    uint32_t t0 = ticks;
    while (ticks == t0) {
    }
    uart_printf("tick %s start\n", phase);
    t0 = ticks;
    while (ticks - t0 < CLOCK_SWITCH_TICKS) {
        cm_wfi();
    }
    uart_printf("tick %s end\n", phase);
}

#define RCC_REG(off) (*(volatile uint32_t *)(0x58024400u + (off)))
#define FLASH_ACR_REG (*(volatile uint32_t *)0x52002000u)

int main(void)
{
    uart_init();
    hal_init_tick(64000000u);
    count_ticks("phase 1");

    RCC_REG(0x00) &= ~(1u << 24);                  /* PLL1ON = 0 */
    while (RCC_REG(0x00) & (1u << 25)) {           /* PLL1RDY = 0 */
    }
    RCC_REG(0x28) = (4u << 4) | 0u;                /* PLLCKSELR: DIVM1 4, source HSI */
    RCC_REG(0x30) = (1u << 9) | (50u - 1u);        /* PLL1DIVR: P /2, N 50 */
    RCC_REG(0x2C) &= ~1u;                          /* PLLCFGR: no fractional part */
    RCC_REG(0x00) |= 1u << 24;                     /* PLL1ON */
    while (!(RCC_REG(0x00) & (1u << 25))) {        /* PLL1RDY */
    }
    FLASH_ACR_REG = (FLASH_ACR_REG & ~0xFu) | 4u;  /* 4 wait states */
    if ((FLASH_ACR_REG & 0xFu) != 4u) {
        uart_puts("clock_switch: FLASH_ACR latency did not read back\n");
    }
    RCC_REG(0x18) = (0x8u << 0) | (0x4u << 4);     /* D1CFGR: HPRE /2, D1PPRE /2 */
    RCC_REG(0x1C) = (0x4u << 4) | (0x4u << 8);     /* D2CFGR: D2PPRE1/2 /2 */
    RCC_REG(0x20) = 0x4u << 4;                     /* D3CFGR: D3PPRE /2 */
    RCC_REG(0x10) = (RCC_REG(0x10) & ~7u) | 3u;    /* SW = PLL1 */
    while (((RCC_REG(0x10) >> 3) & 7u) != 3u) {    /* SWS = PLL1 */
    }
    hal_init_tick(CORE_HZ_AFTER);                  /* end of HAL_RCC_ClockConfig */
    uart_puts("clock_switch: SYSCLK = PLL1 (400 MHz)\n");

    count_ticks("phase 2");
    uart_puts(CORE_LABEL " done\n");
    for (;;) {
        cm_wfi();
    }
}
