/*
 * pwr_d3_system_cm7.c (CM7) - ST's PWR_Domain3SystemControl for the NUCLEO-H745ZI-Q
 * (STM32CubeH7 Projects/NUCLEO-H745ZI-Q/Examples/PWR/PWR_Domain3SystemControl/CM7), the
 * LOW_POWER_BOARD build: the D3 domain alone receives LPUART1 data into SRAM4 with the
 * BDMA while both CPUs are stopped; the CM7 wakes after 5 chunks of 4 bytes and sends
 * them back.  Register for register as the example's HAL calls go (ampvp's own code: the
 * facts were read from ST's public sources, none of their code or text is copied).
 * Pair: pwr_d3_system_cm4.elf.  The second board of ST's set-up is the host: it sends
 * 20 bytes to LPUART1 (PB7) and reads them back (PB6).
 *
 *  1. CPU_CACHE_Enable (CCR.IC, CCR.DC; ampvp has no cache to invalidate); wait (0xFFFF
 *     polls) until RCC_CR.D2CKRDY = 0: the CM4 parked D2 in Stop.
 *  2. HAL_Init (grouping 4, SysTick 1 kHz); SystemClock_Config: PWR_D3CR.VOS = scale 1
 *     (SYSCFG_PWRCR.ODEN = 0), wait VOSRDY; HSE bypass (HSEBYP, HSEON, wait HSERDY);
 *     PLL1 off, PLLCKSELR = HSE / M 4, PLL1DIVR N 400 P 2 Q 4 R 2, FRACN 0, PLL1RGE 2-4
 *     MHz, wide VCO, DIVP1EN/DIVQ1EN/DIVR1EN, PLL1 on, wait PLL1RDY; the APB dividers /2,
 *     HPRE /2, D1CPRE /1, SW = PLL1 (wait SWS), FLASH latency 4: CM7 400 MHz, HCLK 200.
 *  3. HSEM: RCC_AHB4ENR.HSEMEN; HAL_HSEM_FastTake(0), HAL_HSEM_Release(0, 0) wake the
 *     CM4; wait until D2CKRDY = 1.
 *  4. BSP_LED_Init(LED1 PB0, LED3 PB14).  LPUART_Config: HSI on (wait HSIRDY);
 *     HAL_UART_MspInit: D3CCIPR.LPUART1SEL = HSI, APB4ENR.LPUART1EN, PB6/PB7 AF8 pull-up;
 *     HAL_UART_Init 115200 8N1 (BRR = 256 x 64 MHz / 115200 = 142222, UE, TEACK/REACK);
 *     HAL_UARTEx_EnableFifoMode; HAL_UARTEx_SetRxFifoThreshold(1/4: 4 data);
 *     HAL_UARTEx_StopModeWakeUpSourceConfig(start bit: CR3.WUS = 10, UE cycled, REACK);
 *     HAL_UARTEx_EnableStopMode (CR1.UESM); CR3.RXFTIE on, CR3.WUFIE off.  LED1 on.
 *  5. __HAL_RCC_BDMA_CLK_ENABLE; HAL_DMA_Init(BDMA channel 7, peripheral to memory,
 *     memory increment, bytes, normal, priority high, request BDMA_REQUEST_GENERATOR0);
 *     HAL_DMAEx_ConfigMuxSync(event generation on, 4 requests, no synchronization):
 *     DMAMUX2_C7CR.EGE, NBREQ = 3; NVIC BDMA_Channel7 (136); HAL_DMAEx_Config/Enable
 *     MuxRequestGenerator(LPUART1 RX wake-up = signal 7, rising, 4 requests): RG0CR;
 *     NVIC DMAMUX2_OVR (128).
 *  6. RCC_D3AMR: LPUART1AMEN, BDMAAMEN, SRAM4AMEN (so they run while the CM7 is in
 *     CStop); __HAL_RCC_FLASH_C2_ALLOCATE (RCC_C2_AHB3ENR.FLASHEN).
 *  7. EXTI: lines 34 (LPUART1 RX wake-up) and 64 (LPUART1 interrupt) off for both CPUs;
 *     HAL_EXTI_D3_EventInputConfig(34, ENABLE, BDMA_CH7_CLEAR): D3PMR2.MR34 and
 *     D3PCR2L.PCS34 = 01 (dmamux2_evt7); HAL_EXTI_EdgeConfig(34, rising) (RTSR2/FTSR2
 *     bit 2, which RM0399 reserves for a direct line); line 73 (BDMA channel 7) on for
 *     CPU1 (interrupt and event), off for CPU2.
 *  8. HAL_Delay(5000).  Loop: HAL_DMA_Start_IT(RDR -> SRAM4 0x38000000, 20 bytes);
 *     __HAL_PWR_CLEAR_FLAG; LED1 off; HAL_PWREx_EnterSTOPMode(MAINREGULATOR_ON, WFI,
 *     PWR_D1_DOMAIN).  What happens then is the D3 domain's: each 4-byte chunk reaches
 *     the RXFIFO threshold, LPUART1's RX wake-up both pends a D3 wake-up in EXTI (D3
 *     leaves DStop, the CPUs stay stopped) and triggers request generator 0: 4 BDMA
 *     reads of RDR into SRAM4; the 4th makes DMAMUX2 channel 7's event, which clears the
 *     D3 pending request: D3 stops again.  After 5 chunks the BDMA's transfer complete
 *     (EXTI line 73) wakes the CM7: HAL_DMA_IRQHandler counts it, the CM7 checks one
 *     completion and no error, and HAL_UART_Transmit sends the 20 bytes back.
 * Built with PWR_D3_NO_BDMA_AUTONOMOUS (pwr_d3_system_noam_cm7.elf) it leaves BDMAAMEN
 * clear: the BDMA's clock stops with the CM7 (RM0399 RCC_D3AMR), so the first chunk
 * wakes D3 but nothing moves, D3 stays in Run (its pending request is never cleared)
 * and the CM7 is never woken.
 * Also added: the receive buffer is zeroed before each round (the data seen is fresh).
 * Error_Handler (ST's: while (1)) prints the reason and lights LED3 (the readme's error
 * signal).  Console (USART3 on the HSI kernel clock, so the same baud rate before and
 * after Stop; added for the test): "pwr_d3_system: CM7 ready at 400 MHz, LED1 on, Stop in
 * 5 s", "pwr_d3_system: CM7 HAL_Delay(5000) took <n> ticks" (HAL_GetTick); per round
 * "pwr_d3_system: round <n>: CM7 enters Stop" and, after the wake-up,
 * "pwr_d3_system: round <n>: BDMA moved <k> bytes '<data>' while the CM7 was stopped
 * (SYSCLK=<HSI|PLL1|...>, STOPF=<0|1>), sent back on LPUART1".
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "hsem.h"
#include "platform.h"
#include "stm32h745_irq.h"
#include "stm32h745_regs.h"
#include "st_bdma_lite.h"

#define HSE_VALUE 8000000u
#define HSI_VALUE 64000000u
#define CSI_VALUE 4000000u
#include "st_hal_lite.h" /* needs the three oscillator values above */
#include "st_lowpower.h"
#include "st_clock_lite.h" /* HAL_Init, the example's SystemClock_Config */

#define HSEM_ID_0            0u
#define BUFFER_SIZE          20u
#define DMAMUX_REQUEST_NUMBER 4u
#define RX_BUFFER            ((volatile uint8_t *)0x38000000u) /* aRxBuffer in .RAM_D3 */
#define LPUART1_RX_WKUP_LINE 34u
#define LPUART1_IT_LINE      64u
#define BDMA_CH7_LINE        73u
#define BDMA_CH7_CLEAR       1u  /* D3PCR value: dmamux2_evt7 */
#define DMAMUX2_REQ_GEN_LPUART1_RX_WKUP 7u
#define LPUART_BAUD          115200u
#define LPUART_BRR           ((256ull * HSI_VALUE + LPUART_BAUD / 2u) / LPUART_BAUD)
_Static_assert(LPUART_BRR == 142222u, "UART_DIV_LPUART(64 MHz, 115200)");
#define LED_PORT_B           1u
#define LED1_PIN             0u
#define LED3_PIN             14u
#define GPIO_AF8             8u
#define RCC_AHB3ENR_FLASHEN  (1u << 8)
/* RCC_D3AMR (ST's CMSIS positions) */
#define RCC_D3AMR_BDMAAMEN    (1u << 0)
#define RCC_D3AMR_LPUART1AMEN (1u << 3)
#define RCC_D3AMR_SRAM4AMEN   (1u << 29)

static struct bdma_handle s_bdma7 = {.ch = 7u, .request = BDMA_REQUEST_GENERATOR0};
static volatile uint32_t s_xfer_complete, s_xfer_error;

void BDMA_Channel7_IRQHandler(void);
void DMAMUX2_OVR_IRQHandler(void);

/* HAL_DMA_IRQHandler with the example's callbacks (TransferComplete / TransferError). */
void BDMA_Channel7_IRQHandler(void)
{
    const uint32_t completes = s_bdma7.completes;
    hal_bdma_irq_handler(&s_bdma7);
    s_xfer_complete += s_bdma7.completes - completes;
    if (s_bdma7.error) {
        s_xfer_error++;
    }
}

void DMAMUX2_OVR_IRQHandler(void)
{
    hal_bdma_mux_irq_handler(&s_bdma7);
    if (s_bdma7.error) {
        s_xfer_error++;
    }
}

/* ---- board ------------------------------------------------------------------------ */
static void gpio_pin_config(unsigned port, unsigned pin, uint32_t mode, uint32_t pull, uint32_t af)
{
    struct h7_gpio *g = GPIO(port);
    RCC->AHB4ENR |= RCC_AHB4ENR_GPIOEN(port);
    (void)RCC->AHB4ENR;
    if (mode == GPIO_MODER_AF) {
        g->AFR[pin / 8u] = (g->AFR[pin / 8u] & ~(0xFu << GPIO_AFR_AFSEL_Pos(pin))) | (af << GPIO_AFR_AFSEL_Pos(pin));
    }
    g->OSPEEDR = (g->OSPEEDR & ~(3u << (2u * pin))) | (GPIO_OSPEEDR_VERY_HIGH << (2u * pin));
    g->OTYPER &= ~(1u << pin);
    g->PUPDR = (g->PUPDR & ~(3u << (2u * pin))) | (pull << (2u * pin));
    g->MODER = (g->MODER & ~(3u << (2u * pin))) | (mode << (2u * pin));
}

static void led(unsigned pin, int on) { GPIO(LED_PORT_B)->BSRR = on ? 1u << pin : 1u << (pin + 16u); }

static void bsp_led_init(unsigned pin)
{
    gpio_pin_config(LED_PORT_B, pin, GPIO_MODER_OUTPUT, GPIO_PUPDR_NONE, 0u);
    led(pin, 0);
}

static void error_handler(const char *what) __attribute__((noreturn));
static void error_handler(const char *what)
{
    uart_printf("pwr_d3_system: Error_Handler: %s\n", what);
    led(LED3_PIN, 1);
    for (;;) {
        cm_wfi();
    }
}

static void wait_set(volatile uint32_t *reg, uint32_t mask, const char *what)
{
    if (!lp_wait_set(reg, mask)) {
        error_handler(what);
    }
}

/* ---- LPUART_Config ---------------------------------------------------------------- */
static void lpuart_config(void)
{
    RCC->CR |= RCC_CR_HSION; /* __HAL_RCC_HSI_ENABLE, then HAL_RCC_OscConfig(HSI on) */
    wait_set(&RCC->CR, RCC_CR_HSIRDY, "HSIRDY");
    /* HAL_UART_MspInit */
    gpio_pin_config(LED_PORT_B, 6u, GPIO_MODER_AF, GPIO_PUPDR_PULLUP, GPIO_AF8); /* PB6 TX */
    gpio_pin_config(LED_PORT_B, 7u, GPIO_MODER_AF, GPIO_PUPDR_PULLUP, GPIO_AF8); /* PB7 RX */
    RCC->D3CCIPR = (RCC->D3CCIPR & ~RCC_D3CCIPR_LPUART1SEL_Msk) | 3u; /* hsi_ker_ck */
    RCC->APB4ENR |= RCC_APB4ENR_LPUART1EN;
    (void)RCC->APB4ENR;
    /* HAL_UART_Init: UART_SetConfig for an LPUART (no OVER8, no ONEBIT), 8N1, TX_RX. */
    LPUART1->CR1 &= ~USART_CR1_UE;
    LPUART1->CR1 = (LPUART1->CR1 & ~(USART_CR1_M0 | USART_CR1_M1 | USART_CR1_PCE | USART_CR1_PS | USART_CR1_TE |
                                     USART_CR1_RE | USART_CR1_FIFOEN)) |
                   USART_CR1_TE | USART_CR1_RE;
    LPUART1->CR2 &= ~USART_CR2_STOP_Msk;
    LPUART1->CR3 &= ~(USART_CR3_RTSE | USART_CR3_CTSE | USART_CR3_TXFTCFG_Msk | USART_CR3_RXFTCFG_Msk);
    LPUART1->PRESC &= ~USART_PRESC_PRESCALER_Msk;
    LPUART1->BRR = (uint32_t)LPUART_BRR;
    LPUART1->CR2 &= ~(USART_CR2_LINEN | USART_CR2_CLKEN);
    LPUART1->CR3 &= ~(USART_CR3_SCEN | USART_CR3_HDSEL | USART_CR3_IREN);
    LPUART1->CR1 |= USART_CR1_UE;
    wait_set(&LPUART1->ISR, USART_ISR_TEACK, "LPUART1 TEACK");
    wait_set(&LPUART1->ISR, USART_ISR_REACK, "LPUART1 REACK");
    /* HAL_UARTEx_EnableFifoMode */
    uint32_t cr1 = LPUART1->CR1;
    LPUART1->CR1 = cr1 & ~USART_CR1_UE;
    LPUART1->CR1 = cr1 | USART_CR1_FIFOEN;
    /* HAL_UARTEx_SetRxFifoThreshold(UART_RXFIFO_THRESHOLD_1_4) */
    cr1 = LPUART1->CR1;
    LPUART1->CR1 = cr1 & ~USART_CR1_UE;
    LPUART1->CR3 = (LPUART1->CR3 & ~USART_CR3_RXFTCFG_Msk) | (USART_FIFO_THRESHOLD_1_4 << USART_CR3_RXFTCFG_Pos);
    LPUART1->CR1 = cr1;
    /* HAL_UARTEx_StopModeWakeUpSourceConfig(UART_WAKEUP_ON_STARTBIT) */
    LPUART1->CR1 &= ~USART_CR1_UE;
    LPUART1->CR3 = (LPUART1->CR3 & ~USART_CR3_WUS_Msk) | (2u << USART_CR3_WUS_Pos);
    LPUART1->CR1 |= USART_CR1_UE;
    wait_set(&LPUART1->ISR, USART_ISR_REACK, "LPUART1 REACK after WUS");
    LPUART1->CR1 |= USART_CR1_UESM;   /* HAL_UARTEx_EnableStopMode */
    LPUART1->CR3 |= USART_CR3_RXFTIE; /* __HAL_UART_ENABLE_IT(UART_IT_RXFT) */
    LPUART1->CR3 &= ~USART_CR3_WUFIE; /* __HAL_UART_DISABLE_IT(UART_IT_WUF) */
}

/* HAL_UART_Transmit (polling): each datum after TXFNF, then TC. */
static void lpuart_transmit(const volatile uint8_t *p, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        wait_set(&LPUART1->ISR, USART_ISR_TXFNF, "LPUART1 TXFNF");
        LPUART1->TDR = p[i];
    }
    wait_set(&LPUART1->ISR, USART_ISR_TC, "LPUART1 TC");
}

/* ---- EXTI (stm32h7xx_hal.c) -------------------------------------------------------- */
/* HAL_EXTI_D1/D2_EventInputConfig(line, EXTI_MODE_IT | EXTI_MODE_EVT, cmd): the CPU's
 * IMR and EMR bit of the line (bank = line / 32, 0x10 apart). */
static void exti_cpu_config(volatile uint32_t *imr1, unsigned line, int enable)
{
    volatile uint32_t *imr = imr1 + 4u * (line >> 5), *emr = imr + 1;
    const uint32_t bit = 1u << (line & 0x1Fu);
    *imr = enable ? *imr | bit : *imr & ~bit;
    *emr = enable ? *emr | bit : *emr & ~bit;
}

/* HAL_EXTI_D3_EventInputConfig(line, ENABLE, source): D3PMRx bit, then the 2-bit PCS
 * field at (line * 2) mod 32 of D3PCRxL (line bit 4 clear) or D3PCRxH. */
static void exti_d3_config(unsigned line, uint32_t source)
{
    volatile uint32_t *bank = &EXTI->RTSR1 + 8u * (line >> 5); /* registers 0x20 apart */
    bank[3] |= 1u << (line & 0x1Fu);                                /* D3PMRx */
    volatile uint32_t *pcr = &bank[((line >> 4) % 2u) ? 5 : 4];       /* D3PCRxH / L */
    const unsigned sh = (line * 2u) & 0x1Fu;
    *pcr = (*pcr & ~(3u << sh)) | (source << sh);
}

/* HAL_EXTI_EdgeConfig(line, EXTI_RISING_EDGE). */
static void exti_edge_rising(unsigned line)
{
    volatile uint32_t *bank = &EXTI->RTSR1 + 8u * (line >> 5);
    const uint32_t bit = 1u << (line & 0x1Fu);
    bank[1] &= ~bit; /* FTSRx */
    bank[0] &= ~bit; /* RTSRx */
    bank[0] |= bit;
}

static const char *sysclk_name(void)
{
    static const char *const names[] = {"HSI", "CSI", "HSE", "PLL1"};
    const uint32_t sws = (RCC->CFGR & RCC_CFGR_SWS_Msk) >> RCC_CFGR_SWS_Pos;
    return sws < 4u ? names[sws] : "?";
}

int main(void)
{
    SCB->CCR |= SCB_CCR_IC | SCB_CCR_DC; /* CPU_CACHE_Enable (no cache to invalidate here) */
    cm_dsb();
    cm_isb();
    const int parked = lp_wait_cm4_parked();
    if (hal_init() != ST_OK) {
        error_handler(s_failed);
    }
    /* The console (not in ST's example) on the HSI kernel clock: the same BRR at any SYSCLK. */
    RCC->D2CCIP2R = (RCC->D2CCIP2R & ~RCC_D2CCIP2R_USART234578SEL_Msk) | RCC_D2CCIP2R_USART234578SEL_HSI;
    uart_init();
    if (!parked) {
        error_handler("the CM4 did not park D2 in Stop");
    }
    system_clock_config_pll1_400mhz(); /* the example's SystemClock_Config: no ConfigSupply */

    hsem_clock_enable();
    (void)hsem_fast_take(HSEM_ID_0, hsem_core_id()); /* HAL_HSEM_FastTake(0) */
    hsem_release(HSEM_ID_0, hsem_core_id(), 0u);      /* HAL_HSEM_Release(0, 0): wakes the CM4 */
    wait_set(&RCC->CR, RCC_CR_D2CKRDY, "the CM4 did not wake up");

    bsp_led_init(LED1_PIN);
    bsp_led_init(LED3_PIN);
    lpuart_config();
    led(LED1_PIN, 1);

    /* -4- BDMA channel 7 as D3 pendclear source, -5- DMAMUX synchronization block. */
    RCC->AHB4ENR |= RCC_AHB4ENR_BDMAEN;
    (void)RCC->AHB4ENR;
    hal_bdma_init(&s_bdma7, BDMA_CCR_MINC | BDMA_CCR_PL_HIGH);
    /* HAL_DMAEx_ConfigMuxSync: no synchronization, event generation every 4 requests. */
    dmamux_config_sync(DMAMUX2, s_bdma7.ch, 0u, 0u, 0, 1, DMAMUX_REQUEST_NUMBER);
    NVIC->IPR[BDMA_Channel7_IRQn] = 0u;
    nvic_enable_irq(BDMA_Channel7_IRQn);
    /* -6- DMAMUX request generator 0 on LPUART1's RX wake-up. */
    dmamux_request_generator(DMAMUX2, s_bdma7.request, DMAMUX2_REQ_GEN_LPUART1_RX_WKUP, HAL_DMAMUX_REQ_GEN_RISING,
                             DMAMUX_REQUEST_NUMBER);
    NVIC->IPR[DMAMUX2_OVR_IRQn] = 0u;
    nvic_enable_irq(DMAMUX2_OVR_IRQn);
    /* -7- Autonomous mode for LPUART1, the BDMA and SRAM4; the flash for the CM4 too. */
    RCC->D3AMR |= RCC_D3AMR_LPUART1AMEN;
#if !defined(PWR_D3_NO_BDMA_AUTONOMOUS)
    RCC->D3AMR |= RCC_D3AMR_BDMAAMEN;
#endif
    RCC->D3AMR |= RCC_D3AMR_SRAM4AMEN;
    RCC->C2_AHB3ENR |= RCC_AHB3ENR_FLASHEN;
    /* -8- EXTI. */
    exti_cpu_config(&EXTI->C1IMR1, LPUART1_RX_WKUP_LINE, 0);
    exti_cpu_config(&EXTI->C1IMR1, LPUART1_IT_LINE, 0);
    exti_d3_config(LPUART1_RX_WKUP_LINE, BDMA_CH7_CLEAR);
    exti_edge_rising(LPUART1_RX_WKUP_LINE);
    exti_cpu_config(&EXTI->C2IMR1, LPUART1_RX_WKUP_LINE, 0);
    exti_cpu_config(&EXTI->C2IMR1, LPUART1_IT_LINE, 0);
    exti_cpu_config(&EXTI->C1IMR1, BDMA_CH7_LINE, 1);
    exti_cpu_config(&EXTI->C2IMR1, BDMA_CH7_LINE, 0);

    uart_puts("pwr_d3_system: CM7 ready at 400 MHz, LED1 on, Stop in 5 s\n");
    const uint32_t t0 = hal_get_tick();
    hal_delay(5000u); /* -9- */
    uart_printf("pwr_d3_system: CM7 HAL_Delay(5000) took %u ticks\n", (unsigned)(hal_get_tick() - t0));
    for (unsigned round = 1;; round++) {
        s_xfer_complete = 0u;
        s_xfer_error = 0u;
        for (uint32_t i = 0; i < BUFFER_SIZE; i++) {
            RX_BUFFER[i] = 0u;
        }
        hal_bdma_start_it(&s_bdma7, (uint32_t)(uintptr_t)&LPUART1->RDR, (uint32_t)(uintptr_t)RX_BUFFER, BUFFER_SIZE);
        uart_printf("pwr_d3_system: round %u: CM7 enters Stop\n", round);
        PWR->CPUCR |= PWR_CPUCR_CSSF; /* __HAL_PWR_CLEAR_FLAG(PWR_CPU_FLAGS), dual core */
        PWR->CPU2CR |= PWR_CPU2CR_CSSF;
        led(LED1_PIN, 0);
        pwr_enter_stop(LP_D1, 0);
        /* -12- */
        if (s_xfer_complete != 1u) {
            error_handler("not one BDMA transfer complete");
        }
        if (s_xfer_error != 0u) {
            error_handler("BDMA or DMAMUX2 error");
        }
        const uint32_t stopf = (PWR->CPUCR & PWR_CPUCR_STOPF) ? 1u : 0u;
        char got[BUFFER_SIZE + 1u];
        uint32_t n = BUFFER_SIZE - BDMA->C[7].CNDTR;
        for (uint32_t i = 0; i < BUFFER_SIZE; i++) {
            got[i] = (char)RX_BUFFER[i];
        }
        got[BUFFER_SIZE] = '\0';
        lpuart_transmit(RX_BUFFER, BUFFER_SIZE); /* -13- */
        uart_printf("pwr_d3_system: round %u: BDMA moved %u bytes '%s' while the CM7 was stopped "
                    "(SYSCLK=%s, STOPF=%u), sent back on LPUART1\n",
                    round, (unsigned)n, got, sysclk_name(), (unsigned)stopf);
    }
}
