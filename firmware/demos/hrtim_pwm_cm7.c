/*
 * hrtim_pwm_cm7.c (CM7, NUCLEO-H745ZI-Q) - ST's HRTIM_MultiplePWM example, Cortex-M7
 * side, register for register and in ST's order (ampvp's own code: the facts were read
 * from ST's public sources, none of their code or text is copied).  Pairs with
 * st_boot_cm4.elf, the CM4 side of ST's dual-core examples (HSEM notification, D2 Stop
 * until the CM7 frees HSEM 0, HAL_Init).
 *
 * What it reproduces (STM32CubeH7):
 *   Projects/NUCLEO-H745ZI-Q/Examples/HRTIM/HRTIM_MultiplePWM/CM7/Src/main.c,
 *     .../CM7/Src/stm32h7xx_hal_msp.c, .../CM7/Inc/main.h (pins and alternate functions),
 *     readme.txt (2 MHz; 15, 25, 40, 60, 80 % on TA1-TE1);
 *   Drivers/STM32H7xx_HAL_Driver/Src/stm32h7xx_hal_hrtim.c (see st_hrtim_lite.h),
 *     stm32h7xx_hal_gpio.c (HAL_GPIO_Init), and for the clocks st_clock_lite.h.
 *   (The STM32H745I-DISCO and STM32H747I-DISCO variants program the HRTIM the same way,
 *   from a 25 MHz HSE; the H747I-DISCO one drives TA1 and TD1 only.)
 *
 * main (CM7), in ST's order:
 *  1. CPU_CACHE_Enable, HAL_Init, SystemClock_Config (400 MHz; HCLK 200 MHz, PCLK2
 *     100 MHz, so the HRTIM clock, the APB2 timers' clock, is 200 MHz).
 *  2. RCC_AHB4ENR.HSEMEN; HAL_HSEM_FastTake(0) (read HSEM_RLR0); HAL_HSEM_Release(0, 0)
 *     (HSEM_R0 = COREID): the CM4 wakes up.
 *  3. HAL_HRTIM_Init (no sync options, no interrupts): HAL_HRTIM_MspInit:
 *     RCC_APB2ENR.HRTIMEN (read back), GPIOA/C/G clocks, then HAL_GPIO_Init of PC6 (AF1,
 *     HRTIM_CHA1), PC8 (AF1, CHB1), PA9, PA11, PG6 (AF2, CHC1, CHD1, CHE1): alternate
 *     function push-pull, pull-up, very high speed.
 *  4. For timers A to E in turn: HAL_HRTIM_TimeBaseConfig (continuous, DIV1, period 100,
 *     repetition 0: TIMxCR, PERxR, REPxR), HAL_HRTIM_SimplePWMChannelConfig (output 1,
 *     polarity low, idle inactive, pulse 15/25/40/60/80: CMP1xR; OUTxR and DTxR read,
 *     SETx1R = CMP1, RSTx1R = PER, OUTxR = POL1; TIMxCR.PREEN).
 *  5. HAL_HRTIM_SimplePWMStart for TA1, TB1, TC1, TD1, TE1: OENR |= TxOEN1, MCR |= TxCEN.
 * ST's example loops forever here.  This demo then adds:
 *  6. The console (USART3 at the new clocks), "hrtim: TA1-TE1 started, period 100,
 *     CMP1 15/25/40/60/80" from the registers read back.
 *  7. HAL_Delay(2); the clock the example's comment offers instead
 *     (__HAL_RCC_HRTIM1_CONFIG(RCC_HRTIM1CLK_CPUCLK), RCC_CFGR.HRTIMSEL = 1: the 400 MHz
 *     CPU clock): HAL_HRTIM_SimplePWMStop of the five outputs, HRTIMSEL = 1,
 *     HAL_HRTIM_SimplePWMStart again: the same duties at 4 MHz;
 *     "hrtim: HRTIM clock = CPU clock".
 *  8. The master timer as a time base (HAL_HRTIM_TimeBaseConfig(MASTER: continuous,
 *     fHRTIM / 4 = 100 MHz, period 50000 = 500 us, repetition 9: a repetition event
 *     every 10 periods, 5 ms), HAL_HRTIM_SimpleBaseStart_IT(MASTER): MDIER.MREPIE,
 *     MCR.MCEN; HRTIM1_Master IRQ 103, whose handler clears MREP through MICR as
 *     HAL_HRTIM_IRQHandler does); the repetition interrupts counted over
 *     HAL_Delay(100): "hrtim: <n> master repetition interrupts in <ms> ms" (one every
 *     5 ms: 20).
 *  9. "CM7 done", WFI forever.
 * The waveforms are seen on the pins (--trace gpio, --trace tim).
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "platform.h"
#include "stm32h745_regs.h"

/* ST's constants for this board (stm32h7xx_hal_conf.h of the example) */
#define HSE_VALUE 8000000u
#define HSI_VALUE 64000000u
#define CSI_VALUE 4000000u
#include "st_hal_lite.h" /* needs the three oscillator values above */
#include "st_clock_lite.h"
#include "st_hrtim_lite.h"
#include "st_tim_lite.h" /* HAL_GPIO_Init of one pin */

#define HSEM_ID_0        0u
#define HRTIM_MAX_PERIOD 100u
#define PORT_A 0u
#define PORT_C 2u
#define PORT_G 6u

static const uint32_t s_pulse[5] = {15u, 25u, 40u, 60u, 80u}; /* HRTIM_TIMx_PULSE1 */
static volatile uint32_t s_master_reps;

#define HRTIM1_Master_IRQn 103u

void HRTIM1_Master_IRQHandler(void);
void HRTIM1_Master_IRQHandler(void)
{
    /* HAL_HRTIM_IRQHandler(HRTIM_TIMERINDEX_MASTER): HRTIM_Master_ISR, repetition part */
    const uint32_t isr = HRTIM1->m.MISR, ier = HRTIM1->m.MDIER;
    if ((isr & HRTIM_MASTER_IT_MREP) && (ier & HRTIM_MASTER_IT_MREP)) {
        HRTIM1->m.MICR = HRTIM_MASTER_IT_MREP;
        s_master_reps++; /* HAL_HRTIM_RepetitionEventCallback */
    }
}

static void error_handler(const char *what)
{
    console_init_from_rcc();
    uart_printf("CM7: Error_Handler: %s\n", what);
    fw_fatal_stop();
}

/* HAL_HRTIM_MspInit of the example: clocks, then the five pins. */
static void hrtim_msp_init(void)
{
    static const struct {
        unsigned port, pin, af;
    } pins[5] = {{PORT_C, 6, 1}, {PORT_C, 8, 1}, {PORT_A, 9, 2}, {PORT_A, 11, 2}, {PORT_G, 6, 2}};
    hrtim_clk_enable();
    static const unsigned ports[3] = {PORT_A, PORT_C, PORT_G}; /* HRTIM_CHANNEL_GPIO_PORT */
    for (unsigned i = 0; i < 3u; i++) {
        RCC->AHB4ENR |= RCC_AHB4ENR_GPIOEN(ports[i]);
        (void)RCC->AHB4ENR;
    }
    for (unsigned i = 0; i < 5u; i++) {
        gpio_init_pin_pull(pins[i].port, pins[i].pin, GPIO_MODE_AF, pins[i].af, GPIO_PULLUP);
    }
}

static void start_all(void)
{
    for (unsigned x = 0; x < 5u; x++) {
        hrtim_simple_pwm_start(x, HRTIM_OUTPUT_TX1(x));
    }
}

int main(void)
{
    cpu_cache_enable();
    if (hal_init() != ST_OK) {
        error_handler(s_failed);
    }
    system_clock_config();

    /* Release the CM4: take and free HSEM 0 (its notification wakes CPU2). */
    RCC->AHB4ENR |= RCC_AHB4ENR_HSEMEN; /* __HAL_RCC_HSEM_CLK_ENABLE */
    (void)(RCC->AHB4ENR & RCC_AHB4ENR_HSEMEN);
    (void)HSEM->RLR[HSEM_ID_0];                                 /* HAL_HSEM_FastTake */
    HSEM->R[HSEM_ID_0] = (0u | (HSEM_COREID_CM7 << HSEM_R_COREID_Pos)); /* HAL_HSEM_Release */

    /* ##-1- HAL_HRTIM_Init ##-2..6- one timer after the other ##-7- start */
    hrtim_msp_init();
    for (unsigned x = 0; x < 5u; x++) {
        hrtim_time_base_config(x, HRTIM_MODE_CONTINUOUS, HRTIM_MAX_PERIOD, HRTIM_PRESCALERRATIO_DIV1, 0u);
        hrtim_simple_pwm_channel_config(x, HRTIM_OUTPUTPOLARITY_LOW, HRTIM_OUTPUTIDLELEVEL_INACTIVE, s_pulse[x]);
    }
    start_all();

    /* ---- ST's example stops here; the report ------------------------------------ */
    console_init_from_rcc();
    uint32_t per = HRTIM1->tim[0].PERxR, cmp[5];
    for (unsigned x = 0; x < 5u; x++) {
        cmp[x] = HRTIM1->tim[x].CMP1xR;
        if (HRTIM1->tim[x].PERxR != per) {
            per = 0u;
        }
    }
    uart_printf("hrtim: TA1-TE1 started, period %u, CMP1 %u/%u/%u/%u/%u\n", (unsigned)per, (unsigned)cmp[0],
                (unsigned)cmp[1], (unsigned)cmp[2], (unsigned)cmp[3], (unsigned)cmp[4]);

    /* The example's alternative clock: the CPU clock (the timers stopped meanwhile). */
    hal_delay(2u);
    for (unsigned x = 0; x < 5u; x++) {
        hrtim_simple_pwm_stop(x, HRTIM_OUTPUT_TX1(x));
    }
    RCC->CFGR |= RCC_CFGR_HRTIMSEL; /* __HAL_RCC_HRTIM1_CONFIG(RCC_HRTIM1CLK_CPUCLK) */
    start_all();
    uart_puts("hrtim: HRTIM clock = CPU clock\n");

    /* The master timer as a time base: a repetition interrupt every 5 ms. */
    hrtim_master_base_config(HRTIM_MODE_CONTINUOUS, 50000u, HRTIM_PRESCALERRATIO_DIV4, 9u);
    NVIC->IPR[HRTIM1_Master_IRQn] = 0x00;
    nvic_enable_irq(HRTIM1_Master_IRQn);
    hrtim_master_simple_base_start_it();
    const uint32_t n0 = s_master_reps, t0 = hal_get_tick();
    hal_delay(100u);
    const uint32_t n1 = s_master_reps, t1 = hal_get_tick();
    uart_printf("hrtim: %u master repetition interrupts in %u ms\n", (unsigned)(n1 - n0), (unsigned)(t1 - t0));
    uart_puts("CM7 done\n");
    fw_finish();
}
