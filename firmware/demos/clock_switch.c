/*
 * clock_switch.c (CM7) - SysTick must keep real time across a clock switch.
 *
 * Phase 1: reset clocks (HSI 64 MHz); SysTick reload for 1 ms at 64 MHz;
 *          count CLOCK_SWITCH_TICKS ticks between "tick phase 1 start/end".
 * Switch, as HAL_RCC_OscConfig / HAL_RCC_ClockConfig do: PLL1 off, wait
 *          PLL1RDY = 0; PLLCKSELR = HSI, DIVM1 4 (16 MHz); PLL1DIVR N 50, P 2
 *          (800 MHz VCO, 400 MHz P); PLLCFGR; PLL1 on, wait PLL1RDY; FLASH_ACR_REG
 *          LATENCY 4 (read back); D1CFGR HPRE /2 + D1PPRE /2, D2CFGR, D3CFGR
 *          /2; CFGR.SW = PLL1, wait SWS = PLL1.
 * Phase 2: SysTick reload for 1 ms at 400 MHz; count the same number of ticks
 *          between "tick phase 2 start/end".
 * If the emulated core clock follows the RCC, both phases last the same host
 * time; if it stayed at 64 MHz, phase 2 would last 6.25 times longer.
 * (The USART's baud rate is not reconfigured: the emulator does not time it.)
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "platform.h"
#include "stm32h745_regs.h"

#ifndef CLOCK_SWITCH_TICKS
#define CLOCK_SWITCH_TICKS 300u
#endif

static volatile uint32_t ticks;

void SysTick_Handler(void);
void SysTick_Handler(void) { ticks++; }

static void systick_1ms(uint32_t hz)
{
    SYSTICK->CSR = 0;
    SYSTICK->RVR = hz / 1000u - 1u;
    SYSTICK->CVR = 0;
    SYSTICK->CSR = 7u; /* processor clock, interrupt, enable */
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
    systick_1ms(64000000u);
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
    FLASH_ACR_REG = (FLASH_ACR_REG & ~0xFu) | 4u;          /* 4 wait states */
    if ((FLASH_ACR_REG & 0xFu) != 4u) {
        uart_puts("clock_switch: FLASH_ACR_REG latency did not read back\n");
    }
    RCC_REG(0x18) = (0x8u << 0) | (0x4u << 4);     /* D1CFGR: HPRE /2, D1PPRE /2 */
    RCC_REG(0x1C) = (0x4u << 4) | (0x4u << 8);     /* D2CFGR: D2PPRE1/2 /2 */
    RCC_REG(0x20) = 0x4u << 4;                     /* D3CFGR: D3PPRE /2 */
    RCC_REG(0x10) = (RCC_REG(0x10) & ~7u) | 3u;    /* SW = PLL1 */
    while (((RCC_REG(0x10) >> 3) & 7u) != 3u) {    /* SWS = PLL1 */
    }
    uart_puts("clock_switch: SYSCLK = PLL1 (400 MHz)\n");

    systick_1ms(400000000u);
    count_ticks("phase 2");
    uart_puts("CM7 done\n");
    for (;;) {
        cm_wfi();
    }
}
