/*
 * pwr_d3_system_cm4.c (CM4) - ST's PWR_Domain3SystemControl for the NUCLEO-H745ZI-Q
 * (STM32CubeH7 Projects/NUCLEO-H745ZI-Q/Examples/PWR/PWR_Domain3SystemControl/CM4), the
 * LOW_POWER_BOARD build, register for register as its HAL calls go (ampvp's own code:
 * the facts were read from ST's public sources, none of their code or text is copied).
 * Pair: pwr_d3_system_cm7.elf.
 *
 *  1. __HAL_RCC_HSEM_CLK_ENABLE (RCC_AHB4ENR.HSEMEN, read back); NVIC HSEM2 (IRQ 126)
 *     priority 0, enabled; HAL_HSEM_ActivateNotification(1 << 0): HSEM_C2IER bit 0.
 *  2. HAL_PWREx_ClearPendingEvent (SEV, WFE); HAL_PWREx_EnterSTOPMode(MAINREGULATOR_ON,
 *     WFE, PWR_D2_DOMAIN): PWR_CR1.LPDS = 0, PWR_CPU2CR.PDDS_D2 = 0, SLEEPDEEP, WFE.
 *     The CM7 freeing HSEM 0 wakes it: HSEM2_IRQHandler = HAL_HSEM_IRQHandler (C2MISR
 *     read, those bits cleared in C2IER and written to C2ICR).
 *  3. HAL_HSEM_DeactivateNotification(1 << 0); HAL_Init (twice, as the example): NVIC
 *     priority grouping 4, SysTick at 1 kHz of the D2 clock the RCC registers give
 *     (200 MHz after the CM7's SystemClock_Config).
 *  4. BSP_LED_Init(LED2): RCC_AHB4ENR.GPIOEEN, PE1 output push-pull, no pull, very high
 *     speed, off.
 *  5. Loop: BSP_LED_On(LED2); HAL_Delay(3000); __HAL_PWR_CLEAR_FLAG(PWR_CPU_FLAGS)
 *     (CSSF in PWR_CPUCR and PWR_CPU2CR); with PWR_FLAG_STOP (PWR_CPUCR.STOPF) clear:
 *     BSP_LED_Off(LED2), HAL_PWREx_EnterSTOPMode(..., PWR_D3_DOMAIN) (only
 *     PWR_CPU2CR.PDDS_D3 = 0: D3 may enter DStop), then the same for PWR_D2_DOMAIN with
 *     WFI.  Every wake-up source of the CM4 is off (the CM7 disables the LPUART1 and
 *     BDMA lines for CPU2): it stays in Stop for good.
 * Console (added for the test): "pwr_d3_system: CM4 running, LED2 on" after step 4 and
 * "pwr_d3_system: CM4 enters Stop (LED2 was on for <n> ticks)" before its Stop, n the
 * HAL_GetTick difference over HAL_Delay(3000) (the CM7 owns USART3).
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "hsem.h"
#include "platform.h"
#include "stm32h745_irq.h"
#include "stm32h745_regs.h"

#define HSE_VALUE 8000000u
#define HSI_VALUE 64000000u
#define CSI_VALUE 4000000u
#include "st_hal_lite.h" /* needs the three oscillator values above */
#include "st_lowpower.h"

#define HSEM_ID_0     0u
#define LED2_PORT     4u /* GPIOE */
#define LED2_PIN      1u

void HSEM2_IRQHandler(void);
void HSEM2_IRQHandler(void)
{
    const uint32_t status = HSEM->C2MISR; /* HAL_HSEM_IRQHandler */
    HSEM->C2IER &= ~status;
    HSEM->C2ICR = status;
}

/* HAL_PWREx_EnterSTOPMode(PWR_MAINREGULATOR_ON, entry, PWR_D2_DOMAIN) on the CM4 (the
 * HAL's current dual-core version clears PDDS_D2 in PWR_CPU2CR). */
static void enter_stop_d2(int wfe)
{
    PWR->CR1 &= ~PWR_CR1_LPDS;
    PWR->CPU2CR &= ~PWR_CPU2CR_PDDS_D2;
    lp_deep_sleep(wfe);
}

/* HAL_Init on the CM4: grouping 4, SysTick at 1 kHz of the D2 clock. */
static void hal_init(void)
{
    nvic_set_priority_grouping(3u);
    const uint32_t d1cfgr = RCC->D1CFGR;
    SystemCoreClock = (hal_rcc_get_sys_clock_freq() >>
                       (D1CorePrescTable[(d1cfgr & RCC_D1CFGR_D1CPRE_Msk) >> RCC_D1CFGR_D1CPRE_Pos] & 0x1Fu)) >>
                      (D1CorePrescTable[(d1cfgr & RCC_D1CFGR_HPRE_Msk) >> RCC_D1CFGR_HPRE_Pos] & 0x1Fu);
    systick_config(SystemCoreClock / 1000u);
}

/* BSP_LED_Init / BSP_LED_On / BSP_LED_Off (NUCLEO LEDs are active high). */
static void led2_init(void)
{
    struct h7_gpio *g = GPIO(LED2_PORT);
    RCC->AHB4ENR |= RCC_AHB4ENR_GPIOEN(LED2_PORT);
    (void)RCC->AHB4ENR;
    g->OSPEEDR = (g->OSPEEDR & ~(3u << (2u * LED2_PIN))) | (GPIO_OSPEEDR_VERY_HIGH << (2u * LED2_PIN));
    g->OTYPER &= ~(1u << LED2_PIN);
    g->PUPDR &= ~(3u << (2u * LED2_PIN));
    g->MODER = (g->MODER & ~(3u << (2u * LED2_PIN))) | (GPIO_MODER_OUTPUT << (2u * LED2_PIN));
    g->BSRR = 1u << (LED2_PIN + 16u);
}

static void led2(int on) { GPIO(LED2_PORT)->BSRR = on ? 1u << LED2_PIN : 1u << (LED2_PIN + 16u); }

int main(void)
{
    hsem_clock_enable();
    NVIC->IPR[HSEM2_IRQn] = 0u;
    nvic_enable_irq(HSEM2_IRQn);
    HSEM->C2IER |= 1u << HSEM_ID_0;
    cm_sev(); /* HAL_PWREx_ClearPendingEvent on the CM4 */
    cm_wfe();
    enter_stop_d2(1);
    HSEM->C2IER &= ~(1u << HSEM_ID_0); /* HAL_HSEM_DeactivateNotification */
    hal_init();
    hal_init(); /* the LOW_POWER_BOARD build calls HAL_Init again */
    led2_init();
    uart_attach();
    uart_puts("pwr_d3_system: CM4 running, LED2 on\n");
    for (;;) {
        led2(1);
        const uint32_t t0 = hal_get_tick();
        hal_delay(3000u);
        const uint32_t lit = hal_get_tick() - t0;
        PWR->CPUCR |= PWR_CPUCR_CSSF; /* __HAL_PWR_CLEAR_FLAG(PWR_CPU_FLAGS), dual core */
        PWR->CPU2CR |= PWR_CPU2CR_CSSF;
        if (!(PWR->CPUCR & PWR_CPUCR_STOPF)) {
            led2(0);
            uart_printf("pwr_d3_system: CM4 enters Stop (LED2 was on for %u ticks)\n", (unsigned)lit);
            PWR->CR1 &= ~PWR_CR1_LPDS; /* HAL_PWREx_EnterSTOPMode(..., PWR_D3_DOMAIN) */
            PWR->CPU2CR &= ~PWR_CPU2CR_PDDS_D3;
            enter_stop_d2(0);
        }
    }
}
