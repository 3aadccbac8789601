/*
 * mp15_adc.c - ST's ADC_SingleConversion_TriggerTimer_DMA example for the
 * STM32MP157C-DK2 (STM32CubeMP1 Projects/STM32MP157C-DK2/Examples/ADC/
 * ADC_SingleConversion_TriggerTimer_DMA), register for register and in ST's order
 * (ampvp's own code; facts from ST's main.c, main.h, stm32mp1xx_hal_msp.c,
 * stm32mp1xx_it.c and the HAL's stm32mp1xx_hal_adc.c / _adc_ex.c, _dac.c, _tim.c,
 * _dma.c, _gpio.c, none of their code copied).  Machine stm32mp157, production boot
 * (the hub's remoteproc master releases the M4) or engineering boot
 * (--option-byte boot_pins=4).
 *
 *  1. HAL_Init; engineering boot: SystemClock_Config (mp15_hal_lite.h); HSEM clock.
 *     Engineering boot then runs BSP_PMIC_Init / BSP_PMIC_InitRegulators (I2C4 to
 *     the STPMIC1) and enables VREFBUF: neither is modelled, the demo skips them and
 *     says so (VREF+ is the model's 3.3 V).
 *  2. MX_GPIO_Init (GPIO clocks); MX_DAC1_Init: HAL_DAC_Init (DAC12 clock,
 *     RCC_MC_APB1ENSETR bit 29), HAL_DAC_ConfigChannel(channel 1, no trigger, buffer
 *     off, connected on chip): MCR.MODE1 = 011, CR.CEN1 = 0, CR trigger/wave fields
 *     cleared; MX_TIM2_Init: TIM2 clock and NVIC (28, priority 1), PSC 1, ARR 97999,
 *     EGR.UG, internal clock (SMCR), CR2.MMS = update (TRGO at each update).
 *  3. BSP_LED_Init(LED7); EXTI14_IRQHandler_Config (USER1, PA14 falling edge).
 *  4. Configure_ADC on ADC2: HAL_ADC_DeInit (CFGR.JQM, registers to their reset
 *     values, CR.DEEPPWD, CCR cleared, HAL_ADC_MspDeInit: ADC12 force/release reset
 *     (RCC_AHB2RSTSETR / CLRR bit 5), HAL_GPIO_DeInit(PA4) including EXTI line 4
 *     since EXTICR2 selects port A); HAL_ADC_Init (HAL_ADC_MspInit: ADC12 clock
 *     (RCC_MC_AHB2ENSETR bit 5), engineering boot: ADC kernel clock per_ck
 *     (RCC_ADCCKSELR.ADCSRC = 1), DMA2 and DMAMUX clocks, HAL_DMA_DeInit + HAL_DMA_Init
 *     of DMA2 stream 1 (request 10 = ADC2, peripheral to memory, half-words, memory
 *     increment, circular, priority high), NVIC ADC2 (90, priority 1) and DMA2_Stream1
 *     (57, priority 2); DEEPPWD off, ADVREGEN and 10 us; CCR.CKMODE = 10 (HCLK / 2);
 *     CFGR: 12 bits, EXTSEL 11 (TIM2_TRGO), rising edge, data overwritten,
 *     DMNGT = 11 (DMA circular); BOOST (the clock is above 20 MHz); SQR1.L = 0);
 *     HAL_ADC_ConfigChannel(channel 16 = DAC1 OUT1 inside the chip, rank 1, 810.5
 *     cycles, single-ended): PCSEL bit 16, SQ1 = 16, SMPR2.SMP16 = 111.
 *  5. HAL_ADCEx_Calibration_Start(offset and linearity, single-ended): ADCAL |
 *     ADCALLIN, wait ADCAL = 0.  Generate_waveform_SW_update_Config: DHR12R1 = 2047,
 *     CR.EN1.  HAL_TIM_Base_Start (CEN).  HAL_ADC_Start_DMA(64 half-words):
 *     ADEN, ADRDY; DMA2 stream 1 from DR with TC, HT, TE, DME interrupts; ISR
 *     EOC|EOS|OVR cleared, IER.OVRIE; ADSTART (armed: TIM2 TRGO starts each
 *     conversion, the DMA moves DR into the circular buffer).
 *  6. Loop: DAC1 OUT1 = 4095 * step / 4 (step 0..4, then 0 again), HAL_Delay(1);
 *     wait for USER1; HAL_Delay(200).  DMA half transfer -> LED7 off, transfer
 *     complete -> LED7 on (HAL_ADC_ConvHalfCpltCallback / ConvCpltCallback).
 * The demo adds console lines on USART3:
 *   "mp15_adc: <production|engineering> boot, SystemCoreClock <hz> Hz"
 *   (engineering) "mp15_adc: BSP_PMIC_Init and VREFBUF skipped (I2C4, STPMIC1 and
 *    VREFBUF not modelled)"
 *   "mp15_adc: ADC2 calibrated, CCR 0x<ccr>, CFGR 0x<cfgr>, CR 0x<cr>"
 *   "mp15_adc: conversions started, waiting for USER1"
 *   after each press (before the next DAC step): "mp15_adc: USER1 <n>: DAC1 OUT1
 *   <code>, ADC2 channel 16 min <a> max <b> (<mv> mV at VDDA 2900 mV), DMA half
 *   <h> complete <c>"
 * Any error: "mp15_adc: Error_Handler (<why>)".  ST's stm32mp1xx_it.c names the ADC
 * handler ADC_IRQHandler, which is not in the MP15 vector table (ADC2's vector is
 * ADC2_IRQHandler); here ADC2_IRQHandler reports an overrun as HAL's error callback
 * would (Error_Handler).
 */
#include <stdint.h>

#include "console.h"
#include "mp15_hal_lite.h"
#include "st_adc_dac_regs.h"
#define ST_DMA1_BASE    0x48000000u /* RM0436 memory map (MCU AHB2) */
#define ST_DMA2_BASE    0x48001000u
#define ST_DMAMUX1_BASE 0x48002000u
#include "st_dma_lite.h"
#include "st_tim_lite.h"

/* ---- ADC (RM0436 "ADC registers"; ADC1 0x48003000, ADC2 + 0x100, common + 0x300) --- */
#define ADC1      ((struct adc *)0x48003000u)
#define ADC2      ((struct adc *)0x48003100u)
#define ADC12_COM ((struct adc_common *)0x48003300u)
#define ADC_ISR_ALL     0x7FFu    /* AWD3 ... ADRDY, JQOVF */
#define ADC_CR_BOOST    (1u << 8) /* one bit on the STM32MP15 */
/* HAL_ADC_DeInit clears AWD1CH, JAUTO, JAWD1EN, AWD1EN, AWD1SGL, JQM, JDISCEN, DISCNUM,
 * DISCEN, AUTDLY, CONT, OVRMOD, EXTEN, EXTSEL, RES, DMNGT: every field but JQDIS. */
#define ADC_CFGR_DEINIT     0x7FFFFFFFu
#define ADC_CFGR2_DEINIT    ((1u << 10) | (1u << 9) | (15u << 5) | (0x3FFu << 16) | (1u << 1) | (1u << 0))
#define ADC_CCR_CKMODE_DIV2 (2u << 16)
/* ADC_CLEAR_COMMON_CONTROL_REGISTER: CKMODE, PRESC, VBATEN, TSEN, VREFEN, DAMDF, DELAY, DUAL */
#define ADC_CCR_DEINIT      (ADC_CCR_CKMODE | ADC_CCR_PRESC | (7u << 22) | ADC_CCR_DAMDF | ADC_CCR_DELAY | ADC_CCR_DUAL)
#define ADC_EXTERNALTRIG_T2_TRGO (11u << 5) /* ST's MP1 LL_ADC_REG_TRIG_EXT_TIM2_TRGO */
#define ADC_SAMPLETIME_810CYCLES_5 7u
#define ADC_CHANNEL_16  16u

/* ---- DAC1 (RM0436 "DAC registers", 0x40017000) --------------------------------------- */
#define DAC1 ((struct dac *)0x40017000u)
#define DAC_CHIPCONNECT_ENABLE  (1u << 0) /* MODE1_0 */
#define DAC_OUTPUTBUFFER_DISABLE (1u << 1) /* MODE1_1 */

/* HAL_TIM_ConfigClockSource(internal): SMS, TS, ETF, ETPS, ECE, ETP cleared */
#define TIM_SMCR_CLOCK_FIELDS (TIM_SMCR_SMS | (3u << 20) | (7u << 4) | (15u << 8) | (3u << 12) | (1u << 14) | \
                               (1u << 15))

/* ---- RCC (RM0436 RCC register map) ---------------------------------------------------- */
#define RCC_AHB2RSTSETR MP15_REG(RCC_BASE, 0x998u)
#define RCC_AHB2RSTCLRR MP15_REG(RCC_BASE, 0x99Cu)
#define RCC_ADCCKSELR   MP15_REG(RCC_BASE, 0x928u)
#define RCC_ADCCLKSOURCE_PER 1u
#define RCC_APB1_DAC12EN (1u << 29)

/* ---- GPIO / EXTI for HAL_GPIO_DeInit ---------------------------------------------------- */
#define ADC_PIN 4u /* PA4 */

/* ---- the example's constants (main.h) ------------------------------------------------- */
#define ADC_CONVERTED_DATA_BUFFER_SIZE 64u
#define DIGITAL_SCALE_12BITS 0xFFFu
#define VAR_CONVERTED_DATA_INIT_VALUE (DIGITAL_SCALE_12BITS + 1u)
#define VDDA_APPLI 2900u
#define DEFAULT_IRQ_PRIO 1u
#define TIM2_IRQn 28
#define DMA2_Stream1_IRQn 57
#define ADC2_IRQn 90
#define DMA_REQUEST_ADC2 10u
#define DMA_SxCR_PSIZE_HW (1u << 11)
#define DMA_SxCR_MSIZE_HW (1u << 13)

static volatile uint16_t aADCxConvertedData[ADC_CONVERTED_DATA_BUFFER_SIZE];
static uint16_t aADCxConvertedData_Voltage_mVolt[ADC_CONVERTED_DATA_BUFFER_SIZE];
static volatile uint8_t ubDmaTransferStatus = 2u;
static volatile uint8_t ubUserButtonClickEvent;
static struct dma_handle s_dma = {.instance = &DMA2->S[1]}; /* HAL_ADC_MspInit's DmaHandle */
static int s_engineering;

void DMA2_Stream1_IRQHandler(void);
void ADC2_IRQHandler(void);
void EXTI14_IRQHandler(void);

static void error_handler(const char *why)
{
    uart_printf("mp15_adc: Error_Handler (%s)\n", why);
    for (;;) { /* ST's Error_Handler toggles LED7 forever */
        cm_wfi();
    }
}

/* __ADC_CALC_DATA_VOLTAGE over one half of the buffer (the callbacks' loops). */
static void calc_mv(unsigned from, unsigned to)
{
    for (unsigned i = from; i < to; i++) {
        aADCxConvertedData_Voltage_mVolt[i] = (uint16_t)(aADCxConvertedData[i] * VDDA_APPLI / DIGITAL_SCALE_12BITS);
    }
}
/* HAL_ADC_ConvHalfCpltCallback / HAL_ADC_ConvCpltCallback (through ADC_DMAHalfConvCplt /
 * ADC_DMAConvCplt). */
static void conv_half(struct dma_handle *h)
{
    (void)h;
    calc_mv(0u, ADC_CONVERTED_DATA_BUFFER_SIZE / 2u);
    ubDmaTransferStatus = 0u;
    bsp_led7_off();
}
static void conv_cplt(struct dma_handle *h)
{
    (void)h;
    calc_mv(ADC_CONVERTED_DATA_BUFFER_SIZE / 2u, ADC_CONVERTED_DATA_BUFFER_SIZE);
    ubDmaTransferStatus = 1u;
    bsp_led7_on();
}
static void dma_error(struct dma_handle *h)
{
    (void)h;
    error_handler("ADC2 DMA error"); /* ADC_DMAError -> HAL_ADC_ErrorCallback */
}

void DMA2_Stream1_IRQHandler(void) { dma_irq_handler(&s_dma); }

/* HAL_ADC_IRQHandler, overrun part: with DMA an overrun is an error. */
void ADC2_IRQHandler(void)
{
    if ((ADC2->ISR & ADC_ISR_OVR) && (ADC2->IER & ADC_IER_OVRIE)) {
        ADC2->ISR = ADC_ISR_OVR;
        error_handler("ADC2 overrun");
    }
}

static void exti14_falling_cb(void) { ubUserButtonClickEvent = 1u; }
void EXTI14_IRQHandler(void) { mp15_exti14_irq(exti14_falling_cb); }

/* ADC_ConversionStop (both groups) and ADC_Disable. */
static void adc_stop_and_disable(struct adc *a)
{
    if (a->CR & (ADC_CR_ADSTART | ADC_CR_JADSTART)) {
        a->CR = (a->CR & ~ADC_CR_RS) | ADC_CR_ADSTP | ADC_CR_JADSTP;
        if (!hal_wait(&a->CR, ADC_CR_ADSTART | ADC_CR_JADSTART, 0u)) {
            error_handler("ADC stop");
        }
    }
}
static void adc_disable(struct adc *a)
{
    if ((a->CR & ADC_CR_ADEN) && !(a->CR & ADC_CR_ADDIS)) {
        a->CR = (a->CR & ~ADC_CR_RS) | ADC_CR_ADDIS;
        a->ISR = ADC_ISR_EOSMP | ADC_ISR_ADRDY;
        if (!hal_wait(&a->CR, ADC_CR_ADEN, 0u)) {
            error_handler("ADC disable");
        }
    }
}

/* HAL_GPIO_DeInit(GPIOA, PA4) under PERIPH_LOCK(GPIOA): the EXTI line of the pin is
 * cleared if EXTICR selects this port for it; the pin goes back to analog. */
static void hal_gpio_deinit_pa4(void)
{
    const uint32_t bit = 1u << ADC_PIN, shift = 8u * (ADC_PIN & 3u);
    struct mp15_gpio *g = GPIO(GPIO_PORT_A);
    if (!periph_lock(MP15_HSEM_GPIO)) {
        error_handler("PERIPH_LOCK(GPIOA)");
    }
    if ((MP15_EXTI_EXTICR(ADC_PIN >> 2) & (0x0Fu << shift)) == (GPIO_PORT_A << shift)) {
        EXTI_C2IMR1 &= ~bit;
        EXTI_C2EMR1 &= ~bit;
        MP15_EXTI_RTSR1 &= ~bit;
        MP15_EXTI_FTSR1 &= ~bit;
        MP15_EXTI_EXTICR(ADC_PIN >> 2) &= ~(0x0Fu << shift);
    }
    g->MODER |= 3u << (2u * ADC_PIN);
    g->AFR[ADC_PIN >> 3] &= ~(0xFu << (4u * (ADC_PIN & 7u)));
    g->OSPEEDR &= ~(3u << (2u * ADC_PIN));
    g->OTYPER &= ~bit;
    g->PUPDR &= ~(3u << (2u * ADC_PIN));
    hal_hsem_release(MP15_HSEM_GPIO);
}

/* HAL_ADC_DeInit(ADC2): ADC1 is disabled too, so the common register is cleared and
 * HAL_ADC_MspDeInit runs (ADC12 reset, PA4 de-initialised; the DMA handle is not yet
 * linked: no HAL_DMA_DeInit; NVIC lines disabled). */
static void adc_deinit(struct adc *a)
{
    adc_stop_and_disable(a);
    a->CFGR |= ADC_CFGR_JQM;
    adc_disable(a);
    a->IER &= ~ADC_ISR_ALL;
    a->ISR = ADC_ISR_ALL;
    a->CR = (a->CR & ~(ADC_CR_RS | ADC_CR_ADVREGEN | ADC_CR_ADCALDIF));
    a->CR = (a->CR & ~ADC_CR_RS) | ADC_CR_DEEPPWD;
    a->CFGR &= ~ADC_CFGR_DEINIT;
    a->CFGR |= ADC_CFGR_JQDIS;
    a->CFGR2 &= ~ADC_CFGR2_DEINIT;
    /* SMPR1/2, the watchdog thresholds, SQR1-4, OFR1-4, AWD2CR/AWD3CR, DIFSEL, CALFACT:
     * their fields cleared, in the HAL's order. */
    volatile uint32_t *const regs[] = {&a->SMPR1, &a->SMPR2, &a->LTR1, &a->HTR1, &a->LTR2, &a->HTR2, &a->LTR3,
                                       &a->HTR3, &a->SQR1, &a->SQR2, &a->SQR3, &a->SQR4, &a->OFR[0], &a->OFR[1],
                                       &a->OFR[2], &a->OFR[3], &a->AWD2CR, &a->AWD3CR, &a->DIFSEL, &a->CALFACT};
    static const uint32_t fields[] = {0x3FFFFFFFu, 0x3FFFFFFFu, 0x03FFFFFFu, 0x03FFFFFFu, 0x03FFFFFFu,
                                      0x03FFFFFFu, 0x03FFFFFFu, 0x03FFFFFFu, 0x1F7DF7CFu, 0x1F7DF7DFu,
                                      0x1F7DF7DFu, 0x000007DFu, 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu,
                                      0xFFFFFFFFu, 0x000FFFFFu, 0x000FFFFFu, 0x000FFFFFu, 0x07FF07FFu};
    for (unsigned i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        *regs[i] &= ~fields[i];
    }
    if (!((ADC1->CR | ADC2->CR) & ADC_CR_ADEN)) {
        ADC12_COM->CCR &= ~ADC_CCR_DEINIT;
        /* HAL_ADC_MspDeInit */
        RCC_AHB2RSTSETR = RCC_AHB2_ADC12EN;
        RCC_AHB2RSTCLRR = RCC_AHB2_ADC12EN;
        hal_gpio_deinit_pa4();
        nvic_disable_irq(ADC2_IRQn);
        nvic_disable_irq(DMA2_Stream1_IRQn);
    }
}

/* HAL_ADC_MspInit. */
static void adc_msp_init(void)
{
    RCC->MC_AHB4ENSETR = RCC_AHB4ENSETR_GPIOEN(GPIO_PORT_A);
    RCC_MC_AHB2ENSETR = RCC_AHB2_ADC12EN;
    if (s_engineering) { /* HAL_RCCEx_PeriphCLKConfig(RCC_PERIPHCLK_ADC, RCC_ADCCLKSOURCE_PER) */
        modify(&RCC_ADCCKSELR, 3u, RCC_ADCCLKSOURCE_PER);
    }
    RCC_MC_AHB2ENSETR = RCC_AHB2_DMA2EN;
    RCC_MC_AHB2ENSETR = RCC_AHB2_DMAMUXEN;
    dma_deinit(&s_dma);
    dma_init(&s_dma, DMA_SxCR_MINC | DMA_SxCR_PSIZE_HW | DMA_SxCR_MSIZE_HW | DMA_SxCR_CIRC | DMA_SxCR_PL_HIGH,
             DMA_REQUEST_ADC2);
    hal_nvic_set_priority(ADC2_IRQn, DEFAULT_IRQ_PRIO);
    nvic_enable_irq(ADC2_IRQn);
    hal_nvic_set_priority(DMA2_Stream1_IRQn, DEFAULT_IRQ_PRIO + 1u);
    nvic_enable_irq(DMA2_Stream1_IRQn);
}

/* HAL_ADC_Init with Configure_ADC's parameters. */
static void adc_init(struct adc *a)
{
    adc_msp_init();
    if (a->CR & ADC_CR_DEEPPWD) {
        a->CR &= ~(ADC_CR_RS | ADC_CR_DEEPPWD); /* LL_ADC_DisableDeepPowerDown */
    }
    if (!(a->CR & ADC_CR_ADVREGEN)) {
        a->CR = (a->CR & ~(ADC_CR_RS | ADC_CR_DEEPPWD | ADC_CR_ADVREGEN)) | ADC_CR_ADVREGEN;
        /* LL_ADC_DELAY_INTERNAL_REGUL_STAB_US (10 us) as a CPU loop */
        for (volatile uint32_t i = 10u * (SystemCoreClock / (100000u * 2u)) + 1u; i != 0u; i--) {
        }
    }
    if (!(a->CR & ADC_CR_ADVREGEN)) {
        error_handler("ADC voltage regulator");
    }
    if (!(a->CR & ADC_CR_ADSTART) && !(a->CR & ADC_CR_ADEN)) {
        ADC12_COM->CCR = (ADC12_COM->CCR & ~(ADC_CCR_CKMODE | ADC_CCR_PRESC)) | ADC_CCR_CKMODE_DIV2;
    }
    a->CFGR = (a->CFGR & ~ADC_CFGR_FIELDS_1) |
              (ADC_CFGR_OVRMOD | ADC_CFGR_RES_12B | ADC_EXTERNALTRIG_T2_TRGO | ADC_CFGR_EXTEN_RISING);
    a->CFGR = (a->CFGR & ~(ADC_CFGR_AUTDLY | ADC_CFGR_DMNGT)) | ADC_CFGR_DMNGT_CIRC;
    a->CFGR2 &= ~ADC_CFGR2_ROVSE;
    a->CFGR2 &= ~ADC_CFGR2_LSHIFT;
    /* ADC_ConfigureBoostMode: HCLK2 (the MCU clock) / 2 > 20 MHz -> BOOST */
    if (hal_rcc_get_mcu_freq() / 2u > 20000000u) {
        a->CR = (a->CR & ~ADC_CR_RS) | ADC_CR_BOOST;
    }
    a->SQR1 &= ~ADC_SQR1_L;
}

/* HAL_ADC_ConfigChannel: rank 1, 810.5 cycles, single-ended, no offset. */
static void adc_config_channel(struct adc *a, unsigned ch)
{
    a->PCSEL |= 1u << ch;
    a->SQR1 = (a->SQR1 & ~(31u << 6)) | (ch << 6);
    const unsigned sh = 3u * (ch % 10u);
    volatile uint32_t *smpr = ch < 10u ? &a->SMPR1 : &a->SMPR2;
    *smpr = (*smpr & ~(7u << sh)) | (ADC_SAMPLETIME_810CYCLES_5 << sh);
    for (unsigned o = 0; o < 4u; o++) {
        if (((a->OFR[o] >> 26) & 31u) == ch) {
            a->OFR[o] &= ~(1u << 31); /* SSATE */
        }
    }
    if (!(a->CR & ADC_CR_ADEN)) {
        a->DIFSEL &= ~(1u << ch);
    }
}

/* HAL_ADCEx_Calibration_Start(ADC_CALIB_OFFSET_LINEARITY, ADC_SINGLE_ENDED). */
static void adc_calibrate(struct adc *a)
{
    adc_disable(a);
    a->CR = (a->CR & ~(ADC_CR_RS | ADC_CR_ADCALDIF | ADC_CR_ADCALLIN)) | ADC_CR_ADCAL | ADC_CR_ADCALLIN;
    if (!hal_wait(&a->CR, ADC_CR_ADCAL, 0u)) {
        error_handler("ADC calibration");
    }
}

/* HAL_ADC_Start_DMA: ADC_Enable, DMA from DR with the half / complete callbacks, flags,
 * OVRIE, ADSTART. */
static void adc_start_dma(struct adc *a, volatile uint16_t *buf, uint32_t n)
{
    if (!(a->CR & ADC_CR_ADEN)) {
        a->CR = (a->CR & ~ADC_CR_RS) | ADC_CR_ADEN;
        const uint32_t t0 = hal_get_tick();
        while (!(a->ISR & ADC_ISR_ADRDY)) {
            if (!(a->CR & ADC_CR_ADEN)) {
                a->CR = (a->CR & ~ADC_CR_RS) | ADC_CR_ADEN;
            }
            if (hal_get_tick() - t0 > 2u) { /* ADC_ENABLE_TIMEOUT */
                error_handler("ADC ready (ADRDY)");
            }
        }
    }
    s_dma.xfer_half = conv_half;
    s_dma.xfer_cplt = conv_cplt;
    s_dma.xfer_error = dma_error;
    a->ISR = ADC_ISR_EOC | ADC_ISR_EOS | ADC_ISR_OVR;
    a->IER |= ADC_IER_OVRIE;
    dma_start_it(&s_dma, (uint32_t)(uintptr_t)&a->DR, (uint32_t)(uintptr_t)buf, n);
    a->CR = (a->CR & ~ADC_CR_RS) | ADC_CR_ADSTART;
}

/* MX_DAC1_Init: HAL_DAC_Init + HAL_DAC_ConfigChannel(channel 1). */
static void mx_dac1_init(void)
{
    RCC->MC_APB1ENSETR = RCC_APB1_DAC12EN;
    DAC1->MCR = (DAC1->MCR & ~DAC_MCR_MODE1) | DAC_OUTPUTBUFFER_DISABLE | DAC_CHIPCONNECT_ENABLE;
    DAC1->CR &= ~DAC_CR_CEN1;
    DAC1->CR &= ~(DAC_CR_MAMP1 | DAC_CR_WAVE1 | DAC_CR_TSEL1 | DAC_CR_TEN1); /* DAC_TRIGGER_NONE */
    DAC1->CR &= ~DAC_CR_WAVE1;
}

/* MX_TIM2_Init: HAL_TIM_Base_Init (MspInit: clock, NVIC), internal clock, TRGO = update. */
static void mx_tim2_init(void)
{
    RCC->MC_APB1ENSETR = RCC_APB1ENSETR_TIM2EN;
    hal_nvic_set_priority(TIM2_IRQn, DEFAULT_IRQ_PRIO);
    nvic_enable_irq(TIM2_IRQn);
    tim_base_set_config(TIM2, 1u, 97999u);
    TIM2->SMCR &= ~TIM_SMCR_CLOCK_FIELDS;
    tim_master_trgo_update(TIM2);
}

/* Generate_waveform_SW_update: DAC1 OUT1 at 0, 1/4, 1/2, 3/4, 4/4 of full scale. */
static uint32_t generate_waveform_sw_update(void)
{
    static uint8_t ub_dac_steps_count;
    const uint32_t code = DIGITAL_SCALE_12BITS * ub_dac_steps_count / 4u;
    DAC1->DHR12R1 = code;
    hal_delay(1u);
    ub_dac_steps_count = ub_dac_steps_count < 4u ? (uint8_t)(ub_dac_steps_count + 1u) : 0u;
    return code;
}

int main(void)
{
    const char *clk_err = mp15_example_start(&s_engineering);
    if (clk_err) {
        error_handler(clk_err);
    }
    RCC->MC_AHB3ENSETR = RCC_AHB3ENSETR_HSEMEN;
    uart_printf("mp15_adc: %s boot, SystemCoreClock %u Hz\n", s_engineering ? "engineering" : "production",
                (unsigned)SystemCoreClock);
    if (s_engineering) {
        uart_puts("mp15_adc: BSP_PMIC_Init and VREFBUF skipped (I2C4, STPMIC1 and VREFBUF not modelled)\n");
    }

    mp15_mx_gpio_init_dk2(); /* MX_GPIO_Init */
    mx_dac1_init();
    mx_tim2_init();
    for (unsigned i = 0; i < ADC_CONVERTED_DATA_BUFFER_SIZE; i++) {
        aADCxConvertedData[i] = VAR_CONVERTED_DATA_INIT_VALUE;
    }
    if (!bsp_led7_init() || !mp15_exti14_user1_config()) {
        error_handler("PERIPH_LOCK timed out");
    }

    /* Configure_ADC */
    adc_deinit(ADC2);
    adc_init(ADC2);
    adc_config_channel(ADC2, ADC_CHANNEL_16);
    adc_calibrate(ADC2);
    uart_printf("mp15_adc: ADC2 calibrated, CCR 0x%08x, CFGR 0x%08x, CR 0x%08x\n", (unsigned)ADC12_COM->CCR,
                (unsigned)ADC2->CFGR, (unsigned)ADC2->CR);

    /* Generate_waveform_SW_update_Config: HAL_DAC_SetValue(0xFFF / 2), HAL_DAC_Start */
    DAC1->DHR12R1 = DIGITAL_SCALE_12BITS / 2u;
    DAC1->CR |= DAC_CR_EN1;

    TIM2->CR1 |= TIM_CR1_CEN; /* HAL_TIM_Base_Start */
    adc_start_dma(ADC2, aADCxConvertedData, ADC_CONVERTED_DATA_BUFFER_SIZE);
    uart_puts("mp15_adc: conversions started, waiting for USER1\n");

    for (unsigned press = 1;; press++) {
        const uint32_t code = generate_waveform_sw_update();
        while (!ubUserButtonClickEvent) {
            cm_wfi();
        }
        hal_delay(200u);
        ubUserButtonClickEvent = 0u;
        /* The demo's report: the last 64 results (the DAC level held since the update). */
        uint32_t lo = 0xFFFFu, hi = 0u;
        for (unsigned i = 0; i < ADC_CONVERTED_DATA_BUFFER_SIZE; i++) {
            const uint32_t v = aADCxConvertedData[i];
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
        uart_printf("mp15_adc: USER1 %u: DAC1 OUT1 %u, ADC2 channel 16 min %u max %u (%u mV at VDDA %u mV), "
                    "DMA half %u complete %u\n",
                    press, (unsigned)code, (unsigned)lo, (unsigned)hi, (unsigned)(hi * VDDA_APPLI / DIGITAL_SCALE_12BITS),
                    (unsigned)VDDA_APPLI, (unsigned)s_dma.halves, (unsigned)s_dma.completes);
    }
}
