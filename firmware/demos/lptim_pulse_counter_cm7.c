/*
 * lptim_pulse_counter_cm7.c (CM7, NUCLEO-H745ZI-Q) - ST's LPTIM_PulseCounter example
 * (STM32CubeH7 Projects/NUCLEO-H745ZI-Q/Examples/LPTIM/LPTIM_PulseCounter; the
 * STM32H745I-DISCO and STM32H747I-DISCO variants count on the same pin the same way),
 * register for register in ST's order (ampvp's own code: the facts were read from
 * ST's public sources - the example's main.c, stm32h7xx_hal_msp.c, readme and
 * stm32h7xx_hal_lptim.c - none of their code or text is copied).
 * Pair: lptim_pulse_counter_cm4.elf (the CM4 parked in D2 Stop, as in the example).
 *
 * The example's readme: LPTIM1 counts the rising edges of a square wave on PD12
 * (LPTIM1_IN1), sampled with the LSI; "each time the counter counts (1000 + 1) rising
 * edges", its autoreload match interrupt toggles LED1; the CM7 waits in Stop meanwhile.
 *
 *  1. Spin until RCC_CR.D2CKRDY = 0 (the CM4 sits in D2 Stop), 0xFFFF polls (not in the
 *     STM32H747I-DISCO variant, built with LED1_PORT/LED1_PIN/LED1_ACTIVE_LOW and
 *     WAIT_CM4_STOP = 0: LED1 on PI12, active low).
 *  2. HAL_Init: NVIC priority grouping 4.  Left out: ST's MPU_Config, the caches and
 *     SystemClock_Config's 400 MHz (reset clocks, HSI 64 MHz: the LPTIM runs on the LSI
 *     either way), and HAL_Init's 1 kHz SysTick, which nothing here needs: with it
 *     running, a core entering Stop in deterministic mode stops QEMU ("Bad icount
 *     read": ampvp.c stops SysTick from the WFI hook, where QEMU may not read the
 *     virtual clock).  Added for ampvp: the console on USART3.
 *  3. BSP_LED_Init(LED1): its port's clock, push-pull output (very high speed, no pull),
 *     then LED off (BSRR).
 *  4. LSI_ClockEnable: RCC_CSR.LSION, wait LSIRDY.  HAL_RCCEx_PeriphCLKConfig:
 *     RCC_D2CCIP2R.LPTIM1SEL = 100 (lsi_ck).
 *  5. HAL_LPTIM_Init -> HAL_LPTIM_MspInit: RCC_APB1LENR.LPTIM1EN; APB1LRSTR.LPTIM1RST
 *     set then cleared; GPIOD clock; PD12 alternate function 1 (LPTIM1_IN1), push-pull,
 *     pull-up, medium speed; NVIC LPTIM1_IRQn (93) priority 0, enabled.  Then CFGR
 *     read-modify-write: CKPOL, CKFLT (external counter source), CKSEL, TRIGEN, PRELOAD,
 *     WAVPOL, PRESC, COUNTMODE cleared, COUNTMODE set (LPTIM_COUNTERSOURCE_EXTERNAL, clock source
 *     APBCLOCK_LPOSC, prescaler /1, software trigger, output polarity high, immediate
 *     update); CFGR2 = 0 (Input1 and Input2 from the pins).
 *  6. HAL_LPTIM_Counter_Start_IT(1000): CFGR.PRESC cleared; CR.ENABLE; ICR.ARROKCF;
 *     ARR = 1000; wait ARROK; __HAL_LPTIM_DISABLE = LPTIM_Disable (interrupts off; save
 *     LPTIM1SEL, IER, CFGR, CMP, ARR, CFGR2; LPTIM1 reset through the RCC; with ARR != 0:
 *     LPTIM1SEL = D2PCLK1, CR.ENABLE, ARR restored, wait ARROK, ICR.ARROKCF, LPTIM1SEL
 *     restored; CR.ENABLE cleared; IER, CFGR, CFGR2 restored; interrupts on); IER.ARROKIE,
 *     IER.ARRMIE; CR.ENABLE; CR.CNTSTRT.
 *  7. HAL_PWR_EnterSTOPMode(PWR_LOWPOWERREGULATOR_ON, PWR_STOPENTRY_WFI): PWR_CR1.LPDS =
 *     1, PWR_CPUCR.PDDS_D1 and PDDS_D3 cleared, SLEEPDEEP, WFI.  The ARR match raises
 *     lptim1_wkup (EXTI line 47) and LPTIM1_IRQn: the CM7 leaves Stop.
 *  8. LPTIM1_IRQHandler = HAL_LPTIM_IRQHandler: each flag (CMPM, ARRM, EXTTRIG, CMPOK,
 *     ARROK, UP, DOWN) with its enable cleared through ICR; the ARRM callback,
 *     HAL_LPTIM_AutoReloadMatchCallback, toggles LED1 (HAL_GPIO_TogglePin on BSRR).
 *
 * Printed (ampvp's additions): "lptim_pulse: LPTIM1 counts rising edges on PD12, ARR
 * 1000", "lptim_pulse: CM7 in Stop", "lptim_pulse: ARR match <k>" from the callback,
 * "lptim_pulse: CM7 left Stop", and after the second match "CM7 done".
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "platform.h"
#include "stm32h745_lowpower.h"
#include "stm32h745_regs.h"
#include "st_lowpower.h"

#define PERIOD 1000u
#define IN1_PIN 12u /* PD12: LPTIM1_IN1, alternate function 1, on the three boards */
#ifndef LED1_PORT
/* NUCLEO-H745ZI-Q: LED1 on PB0, active high; the CM7 waits for the CM4's D2 Stop. The
 * STM32H747I-DISCO image: LED1 on PI12, active low, no wait (ST's variant has none). */
#define LED1_PORT 1u
#define LED1_PIN 0u
#define LED1_ACTIVE_LOW 0
#define WAIT_CM4_STOP 1
#endif
#define LED1_GPIO GPIO(LED1_PORT)

static volatile uint32_t s_matches;

/* HAL_GPIO_TogglePin: BSRR sets the pins that are low and resets those that are high. */
static void bsp_led1_toggle(void)
{
    const uint32_t odr = LED1_GPIO->ODR;
    LED1_GPIO->BSRR = ((odr & (1u << LED1_PIN)) << 16) | (~odr & (1u << LED1_PIN));
}

/* HAL_LPTIM_IRQHandler: a flag is handled when it is set and its interrupt enabled. */
static int lptim_it(uint32_t flag)
{
    if ((LPTIM1->ISR & flag) && (LPTIM1->IER & flag)) {
        LPTIM1->ICR = flag;
        return 1;
    }
    return 0;
}

void LPTIM1_IRQHandler(void);
void LPTIM1_IRQHandler(void)
{
    (void)lptim_it(LPTIM_ISR_CMPM);
    if (lptim_it(LPTIM_ISR_ARRM)) {
        bsp_led1_toggle(); /* HAL_LPTIM_AutoReloadMatchCallback */
        s_matches = s_matches + 1u;
        uart_printf("lptim_pulse: ARR match %u\n", (unsigned)s_matches);
    }
    (void)lptim_it(LPTIM_ISR_EXTTRIG);
    (void)lptim_it(LPTIM_ISR_CMPOK);
    (void)lptim_it(LPTIM_ISR_ARROK);
    (void)lptim_it(LPTIM_ISR_UP);
    (void)lptim_it(LPTIM_ISR_DOWN);
}

static int wait_flag(uint32_t flag)
{
    for (uint32_t i = 0; i < 1000000u; i++) { /* LPTIM_WaitForFlag's bounded poll */
        if (LPTIM1->ISR & flag) {
            return 1;
        }
    }
    return 0;
}

static void set_lptim1sel(uint32_t sel)
{
    RCC->D2CCIP2R = (RCC->D2CCIP2R & ~RCC_D2CCIP2R_LPTIM1SEL_Msk) | (sel << RCC_D2CCIP2R_LPTIM1SEL_Pos);
}

/* HAL_GPIO_Init for one pin: speed, type (output and AF), pull, AF, then the mode. */
static void gpio_init(struct h7_gpio *g, unsigned pin, unsigned mode, unsigned speed, unsigned pull, unsigned af)
{
    g->OSPEEDR = (g->OSPEEDR & ~(3u << (2u * pin))) | (speed << (2u * pin));
    g->OTYPER &= ~(1u << pin);
    g->PUPDR = (g->PUPDR & ~(3u << (2u * pin))) | (pull << (2u * pin));
    if (mode == GPIO_MODER_AF) {
        volatile uint32_t *afr = &g->AFR[pin >> 3];
        const unsigned sh = 4u * (pin & 7u);
        *afr = (*afr & ~(15u << sh)) | (af << sh);
    }
    g->MODER = (g->MODER & ~(3u << (2u * pin))) | (mode << (2u * pin));
}

/* __HAL_LPTIM_DISABLE: LPTIM_Disable (ST's workaround of the "MCU may remain stuck in
 * LPTIM interrupt when entering Stop mode" erratum). */
static int lptim_disable(void)
{
    int ok = 1;
    cm_disable_irq();
    const uint32_t clksource = (RCC->D2CCIP2R & RCC_D2CCIP2R_LPTIM1SEL_Msk) >> RCC_D2CCIP2R_LPTIM1SEL_Pos;
    const uint32_t ier = LPTIM1->IER, cfgr = LPTIM1->CFGR, cmp = LPTIM1->CMP, arr = LPTIM1->ARR;
    const uint32_t cfgr2 = LPTIM1->CFGR2;
    RCC->APB1LRSTR |= RCC_APB1LRSTR_LPTIM1RST;
    RCC->APB1LRSTR &= ~RCC_APB1LRSTR_LPTIM1RST;
    if (cmp != 0u || arr != 0u) {
        set_lptim1sel(RCC_LPTIMSEL_PCLK);
        if (cmp != 0u) {
            LPTIM1->CR |= LPTIM_CR_ENABLE;
            LPTIM1->CMP = cmp;
            ok &= wait_flag(LPTIM_ISR_CMPOK);
            LPTIM1->ICR = LPTIM_ISR_CMPOK;
        }
        if (arr != 0u) {
            LPTIM1->CR |= LPTIM_CR_ENABLE;
            LPTIM1->ARR = arr;
            ok &= wait_flag(LPTIM_ISR_ARROK);
            LPTIM1->ICR = LPTIM_ISR_ARROK;
        }
        set_lptim1sel(clksource);
    }
    LPTIM1->CR &= ~LPTIM_CR_ENABLE;
    LPTIM1->IER = ier;
    LPTIM1->CFGR = cfgr;
    LPTIM1->CFGR2 = cfgr2;
    cm_enable_irq();
    return ok;
}

static void error_handler(const char *what)
{
    uart_printf("lptim_pulse: %s\n", what);
    uart_puts("CM7 done\n");
    cm_idle_forever();
}

int main(void)
{
    /* 1 */
    int32_t timeout = 0xFFFF;
    while (WAIT_CM4_STOP && (RCC->CR & RCC_CR_D2CKRDY) && (timeout-- > 0)) {
    }
    /* 2 */
    SCB->AIRCR = SCB_AIRCR_VECTKEY | (3u << SCB_AIRCR_PRIGROUP_Pos);
    uart_init();
    if (timeout < 0) {
        error_handler("the CM4 did not enter D2 Stop");
    }
    /* 3 */
    RCC->AHB4ENR |= RCC_AHB4ENR_GPIOEN(LED1_PORT);
    (void)RCC->AHB4ENR;
    gpio_init(LED1_GPIO, LED1_PIN, GPIO_MODER_OUTPUT, GPIO_OSPEEDR_VERY_HIGH, GPIO_PUPDR_NONE, 0u);
    LED1_GPIO->BSRR = 1u << (LED1_PIN + (LED1_ACTIVE_LOW ? 0u : 16u)); /* LED off */
    /* 4 */
    RCC->CSR |= RCC_CSR_LSION;
    for (uint32_t i = 0; !(RCC->CSR & RCC_CSR_LSIRDY); i++) {
        if (i > 1000000u) {
            error_handler("LSI not ready");
        }
    }
    set_lptim1sel(RCC_LPTIMSEL_LSI);
    /* 5: HAL_LPTIM_MspInit */
    RCC->APB1LENR |= RCC_APB1LENR_LPTIM1EN;
    (void)RCC->APB1LENR;
    RCC->APB1LRSTR |= RCC_APB1LRSTR_LPTIM1RST;
    RCC->APB1LRSTR &= ~RCC_APB1LRSTR_LPTIM1RST;
    RCC->AHB4ENR |= RCC_AHB4ENR_GPIOEN(3);
    (void)RCC->AHB4ENR;
    gpio_init(GPIOD, IN1_PIN, GPIO_MODER_AF, GPIO_OSPEEDR_MEDIUM, GPIO_PUPDR_PULLUP, 1u);
    NVIC->IPR[LPTIM1_IRQ] = 0x00u;
    nvic_enable_irq(LPTIM1_IRQ);
    /*    HAL_LPTIM_Init proper (st_lowpower.h) */
    lptim_init(LPTIM1, LPTIM_CFGR_COUNTMODE);
    /* 6: HAL_LPTIM_Counter_Start_IT(&LptimHandle, 1000) */
    LPTIM1->CFGR &= ~LPTIM_CFGR_PRESC_Msk;
    LPTIM1->CR |= LPTIM_CR_ENABLE;
    LPTIM1->ICR = LPTIM_ISR_ARROK;
    LPTIM1->ARR = PERIOD;
    if (!wait_flag(LPTIM_ISR_ARROK) || !lptim_disable()) {
        error_handler("ARROK timeout");
    }
    LPTIM1->IER |= LPTIM_ISR_ARROK;
    LPTIM1->IER |= LPTIM_ISR_ARRM;
    LPTIM1->CR |= LPTIM_CR_ENABLE;
    LPTIM1->CR |= LPTIM_CR_CNTSTRT;
    uart_printf("lptim_pulse: LPTIM1 counts rising edges on PD12, ARR %u\n", PERIOD);
    /* 7: HAL_PWR_EnterSTOPMode(PWR_LOWPOWERREGULATOR_ON, PWR_STOPENTRY_WFI) */
    uart_puts("lptim_pulse: CM7 in Stop\n");
    hal_pwr_enter_stop_mode(1, 0);
    uart_puts("lptim_pulse: CM7 left Stop\n");
    /* The example's while (1): the later matches come as interrupts. */
    while (s_matches < 2u) {
        cm_wfi();
    }
    uart_puts("CM7 done\n");
    cm_idle_forever();
}
