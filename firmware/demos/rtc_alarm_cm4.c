/*
 * rtc_alarm_cm4.c (CM4) - ST's RTC_Alarm for the NUCLEO-H745ZI-Q, Cortex-M4 side
 * (STM32CubeH7, Projects/NUCLEO-H745ZI-Q/Examples/RTC/RTC_Alarm/CM4).  Pair:
 * rtc_alarm_cm7.elf, which sets the RTC and its alarm A and routes EXTI line 17 to
 * this core.
 *
 *  1. HAL_Init (SysTick 1 kHz).
 *  2. HAL_NVIC_SetPriority(RTC_Alarm_IRQn, 0xF, 0), HAL_NVIC_EnableIRQ (IRQ 41).
 *  3. HAL_PWREx_EnterSTOPMode(PWR_MAINREGULATOR_ON, PWR_STOPENTRY_WFI, PWR_D2_DOMAIN):
 *     LPDS = 0, PWR_CPUCR.PDDS_D2 = 0, SLEEPDEEP, WFI.  Only the EXTI wake-up of line 17
 *     (C2IMR1, pending in C2PR1) restarts the CPU; then RTC_Alarm_IRQHandler runs:
 *     HAL_RTC_AlarmIRQHandler on the CM4 clears the EXTI line for this core
 *     (__HAL_RTC_ALARM_EXTID2_CLEAR_FLAG: C2PR1 bit 17), then ALRAF (RTC_ISR, rc_w0).
 *  4. BSP_LED_On(LED2) (PE1) - ST's success signal; this demo also prints it.
 * Console: "CM4: woke up from Stop by the RTC alarm (<n> interrupt), RTC hh:mm:ss",
 * "CM4 done".
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "demo_time.h"
#include "platform.h"
#include "stm32h745_irq.h"
#include "stm32h745_lowpower.h"
#include "stm32h745_regs.h"
#include "st_lowpower.h"

#define LED2_PORT 4u /* GPIOE */
#define LED2_PIN  1u

DEMO_TIME_DEFINE()

static volatile uint32_t s_alarms;

void RTC_Alarm_IRQHandler(void);
void RTC_Alarm_IRQHandler(void)
{
    EXTI->C2PR1 = 1u << EXTI_LINE_RTC_ALARM;
    if ((RTC->CR & RTC_CR_ALRAIE) && (RTC->ISR & RTC_ISR_ALRAF)) {
        RTC->ISR = ~(RTC_ISR_ALRAF | RTC_ISR_INIT) | (RTC->ISR & RTC_ISR_INIT);
        s_alarms = s_alarms + 1u; /* HAL_RTC_AlarmAEventCallback */
    }
}

int main(void)
{
    demo_time_start();
    NVIC->IPR[RTC_Alarm_IRQn] = 0xF0u;
    nvic_enable_irq(RTC_Alarm_IRQn);

    pwr_enter_stop(LP_D2, 0);

    /* BSP_LED_Init(LED2) + BSP_LED_On(LED2): PE1 output, set. */
    RCC->AHB4ENR |= RCC_AHB4ENR_GPIOEEN;
    (void)RCC->AHB4ENR;
    struct h7_gpio *e = GPIO(LED2_PORT);
    e->OSPEEDR |= 3u << (2u * LED2_PIN);
    e->OTYPER &= ~(1u << LED2_PIN);
    e->PUPDR &= ~(3u << (2u * LED2_PIN));
    e->MODER = (e->MODER & ~(3u << (2u * LED2_PIN))) | (1u << (2u * LED2_PIN));
    e->BSRR = 1u << LED2_PIN;

    uart_attach();
    uint32_t tr = 0;
    (void)rtc_now_ms(&tr);
    uart_printf("CM4: woke up from Stop by the RTC alarm (%u interrupt), RTC %02x:%02x:%02x\n",
                (unsigned)s_alarms, (unsigned)((tr >> 16) & 0x3Fu), (unsigned)((tr >> 8) & 0x7Fu),
                (unsigned)(tr & 0x7Fu));
    uart_puts("CM4 done\n");
    cm_idle_forever();
}
