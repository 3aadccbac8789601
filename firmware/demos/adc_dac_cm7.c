/*
 * adc_dac_cm7.c (CM7, NUCLEO-H745ZI-Q) - ADC and DAC the way ST's examples use them,
 * register for register as the HAL does (stm32h7xx_hal_adc.c / _adc_ex.c, _dac.c,
 * _tim.c, _dma.c), at the reset clocks (HSI 64 MHz; ADC kernel clock per_ck = HSI,
 * ADC_CLOCK_ASYNC_DIV2: the ADC runs at 64 / 2 / 2 = 16 MHz on revision V).
 *
 *  1. ADC_RegularConversion_Polling: ADC1 channel 16 (PA0, analog), 16 bits, 64.5
 *     cycles sampling; HAL_ADC_Init (DEEPPWD off, ADVREGEN, CCR clock, CFGR), HAL_ADC_
 *     ConfigChannel (PCSEL, SQR1, SMPR2), HAL_ADCEx_Calibration_Start (offset and
 *     linearity), HAL_ADC_Start (ADEN, ADRDY, flags, ADSTART), HAL_ADC_PollForConversion
 *     (EOC), HAL_ADC_GetValue (DR).  Printed: "adc: ADC1 channel 16 (PA0) = <code>
 *     (<mV> mV)"; after 50 ms the same again (the host may change PA0 meanwhile).
 *  2. DAC1 channel 1 (PA4: DAC_SignalsGeneration's output pin) read back by ADC1
 *     channel 18 on the same pad (as ST's ADC_DualModeInterleaved does): HAL_DAC_
 *     ConfigChannel (no trigger, buffer on), HAL_DAC_SetValue (DHR12R1), HAL_DAC_Start;
 *     ADC1 in 12 bits.  Printed per code: "dac->adc: DAC1 OUT1 <code> -> ADC1 channel
 *     18 <code>".
 *  3. ADC_Regular_injected_groups' injected group: ADC3 converts VREFINT (channel 19,
 *     CCR.VREFEN, 64.5 cycles) by HAL_ADCEx_InjectedConfigChannel (JSQR, software
 *     trigger) and HAL_ADCEx_InjectedStart (JADSTART), then JEOS, JDR1.  Printed:
 *     "adc: ADC3 injected VREFINT = <code> (<mV> mV)".
 *  4. ADC_DualModeInterleaved (ADC_TRIGGER_FROM_TIMER, WAVEFORM_VOLTAGE_GENERATION_FOR_
 *     TEST): ADC1 (master, triggered by TIM3 TRGO at 1 kHz) and ADC2 (slave) interleaved
 *     on channel 18 (PA4), 16 bits, 2.5 cycles, CCR.DUAL = 00111, DAMDF = 10; DMA1
 *     stream 1 (DMAMUX1 request 9, ADC1) moves CDR into a 256-word circular buffer
 *     (HAL_ADCEx_MultiModeStart_DMA); DAC1 channel 1 triggered by TIM6 TRGO at 500 Hz
 *     takes a 5-step waveform (0, 1/4, 1/2, 3/4, 1 of 3.3 V as 8-bit codes 0, 63, 127,
 *     191, 255) from DMA1 stream 3 (request 67, circular, bytes to DHR8R1:
 *     HAL_DAC_Start_DMA).  LED1 (PB0) is off at each half-transfer and on at each
 *     transfer-complete interrupt, as in ST's example.  After 4 complete buffers the
 *     last buffer is checked: every master and slave result must be one of the five
 *     DAC levels as the ADC converts them.  Printed: "adc_dual: <n> buffers (half <h>,
 *     complete <c>), levels <n0>/<n1>/<n2>/<n3>/<n4> of 512 results, other 0, slave =
 *     master in <k> of 256, overruns 0".
 *  Then "CM7 done".  A step that does not happen prints "adc: ... did not happen" and
 *  "CM7 done".
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "demo_time.h"
#include "platform.h"
#include "st_adc_dac_regs.h"
#include "st_dma_lite.h"
#include "st_tim_lite.h"
#include "stm32h745_regs.h"

DEMO_TIME_DEFINE()

/* ---- ADC (RM0399 ADC registers; the blocks in st_adc_dac_regs.h) ------------------- */
#define ADC1      ((struct adc *)0x40022000u)
#define ADC2      ((struct adc *)0x40022100u)
#define ADC12_COM ((struct adc_common *)0x40022300u)
#define ADC3      ((struct adc *)0x58026000u)
#define ADC3_COM  ((struct adc_common *)0x58026300u)
#define ADC_CR_BOOST   (3u << 8)
#define ADC_CCR_PRESC_DIV2 (1u << 18)
#define ADC_DUALMODE_INTERL (7u << 0)
#define ADC_DUALMODEDATAFORMAT_32_10_BITS (2u << 14)
#define ADC_EXTERNALTRIG_T3_TRGO (4u << 5)
#define ADC_SAMPLETIME_2CYCLES_5  1u
#define ADC_SAMPLETIME_64CYCLES_5 5u

#define RCC_AHB1ENR_ADC12EN  (1u << 5)
#define RCC_APB1LENR_DAC12EN (1u << 29)
#define RCC_D3CCIPR_ADCSEL   (3u << 16)
#define RCC_D3CCIPR_ADCSEL_CLKP (2u << 16)

#define ADC_IRQn 18u
#define DMA1_Stream1_IRQn 12u
#define DMA1_Stream3_IRQn 14u
#define DMA_REQUEST_ADC1     9u
#define DMA_REQUEST_DAC1_CH1 67u
#define WAIT_POLLS 20000000u

/* ---- DAC (RM0399 DAC registers) ----------------------------------------------------- */
#define DAC1 ((struct dac *)0x40007400u)
#define DAC_TRIGGER_NONE    0u
#define DAC_TRIGGER_T6_TRGO ((5u << 2) | DAC_CR_TEN1)

static int wait_set(volatile uint32_t *reg, uint32_t bits)
{
    for (uint32_t i = 0; i < WAIT_POLLS; i++) {
        if ((*reg & bits) == bits) {
            return 1;
        }
    }
    return 0;
}
static int wait_clear(volatile uint32_t *reg, uint32_t bits)
{
    for (uint32_t i = 0; i < WAIT_POLLS; i++) {
        if (!(*reg & bits)) {
            return 1;
        }
    }
    return 0;
}

static void finish(const char *why)
{
    if (why) {
        uart_printf("adc: %s did not happen\n", why);
    }
    uart_puts("CM7 done\n");
    for (;;) {
        cm_wfi();
    }
}

/* ADC_Disable: stop conversions (ADSTP/JADSTP), then ADDIS and wait for ADEN = 0. */
static void adc_disable(struct adc *a)
{
    if (a->CR & (ADC_CR_ADSTART | ADC_CR_JADSTART)) {
        a->CR = (a->CR & ~ADC_CR_RS) | ADC_CR_ADSTP | ADC_CR_JADSTP;
        if (!wait_clear(&a->CR, ADC_CR_ADSTART | ADC_CR_JADSTART)) {
            finish("ADC stop");
        }
    }
    if (a->CR & ADC_CR_ADEN) {
        a->CR = (a->CR & ~ADC_CR_RS) | ADC_CR_ADDIS;
        if (!wait_clear(&a->CR, ADC_CR_ADEN)) {
            finish("ADC disable");
        }
    }
}

/* HAL_ADC_Init: regulator, common clock (asynchronous /2), boost, CFGR, CFGR2, SQR1.L. */
static void adc_init(struct adc *a, struct adc_common *c, uint32_t cfgr, uint32_t dmngt)
{
    if (a->CR & ADC_CR_DEEPPWD) {
        a->CR &= ~(ADC_CR_RS | ADC_CR_DEEPPWD); /* LL_ADC_DisableDeepPowerDown */
    }
    if (!(a->CR & ADC_CR_ADVREGEN)) {
        a->CR = (a->CR & ~(ADC_CR_RS | ADC_CR_DEEPPWD | ADC_CR_ADVREGEN)) | ADC_CR_ADVREGEN;
        const uint32_t t0 = demo_us();
        while (demo_us() - t0 < 10u) { /* ADC_STAB_DELAY_US */
        }
    }
    if (!(a->CR & ADC_CR_ADVREGEN)) {
        finish("ADC voltage regulator enable");
    }
    c->CCR = (c->CCR & ~(ADC_CCR_CKMODE | ADC_CCR_PRESC)) | ADC_CCR_PRESC_DIV2;
    /* ADC_ConfigureBoostMode (revision V): 64 MHz / 2 / 2 = 16 MHz -> BOOST = 10. */
    a->CR = (a->CR & ~(ADC_CR_RS | ADC_CR_BOOST)) | (2u << 8);
    a->CFGR = (a->CFGR & ~ADC_CFGR_FIELDS_1) | (cfgr & ADC_CFGR_FIELDS_1);
    a->CFGR = (a->CFGR & ~(ADC_CFGR_AUTDLY | ADC_CFGR_DMNGT)) | dmngt;
    a->CFGR2 &= ~(ADC_CFGR2_LSHIFT | ADC_CFGR2_ROVSE);
    a->SQR1 &= ~ADC_SQR1_L;
}

/* HAL_ADC_ConfigChannel: rank 1, single-ended, no offset. */
static void adc_config_channel(struct adc *a, unsigned ch, uint32_t smp)
{
    a->PCSEL |= 1u << ch;
    a->SQR1 = (a->SQR1 & ~(31u << 6)) | (ch << 6);
    volatile uint32_t *smpr = ch < 10u ? &a->SMPR1 : &a->SMPR2;
    const unsigned sh = 3u * (ch % 10u);
    *smpr = (*smpr & ~(7u << sh)) | (smp << sh);
    for (unsigned o = 0; o < 4; o++) { /* offsets on this channel: saturation off */
        if (((a->OFR[o] >> 26) & 31u) == ch) {
            a->OFR[o] &= ~(1u << 31);
        }
    }
}

/* HAL_ADCEx_Calibration_Start(offset and linearity, single-ended). */
static void adc_calibrate(struct adc *a)
{
    adc_disable(a);
    a->CR = (a->CR & ~(ADC_CR_RS | ADC_CR_ADCALDIF | ADC_CR_ADCALLIN)) | ADC_CR_ADCAL | ADC_CR_ADCALLIN;
    if (!wait_clear(&a->CR, ADC_CR_ADCAL)) {
        finish("ADC calibration");
    }
}

/* ADC_Enable. */
static void adc_enable(struct adc *a)
{
    if (a->CR & ADC_CR_ADEN) {
        return;
    }
    a->CR = (a->CR & ~ADC_CR_RS) | ADC_CR_ADEN;
    if (!wait_set(&a->ISR, ADC_ISR_ADRDY)) {
        finish("ADC ready (ADRDY)");
    }
}

/* HAL_ADC_Start + HAL_ADC_PollForConversion + HAL_ADC_GetValue. */
static uint32_t adc_convert_once(struct adc *a)
{
    adc_enable(a);
    a->ISR = ADC_ISR_EOC | ADC_ISR_EOS | ADC_ISR_OVR;
    a->CR = (a->CR & ~ADC_CR_RS) | ADC_CR_ADSTART;
    if (!wait_set(&a->ISR, ADC_ISR_EOC)) {
        finish("ADC end of conversion (EOC)");
    }
    return a->DR;
}

/* HAL_DAC_ConfigChannel, channel 1: buffer on, pin, no trimming, trigger. */
static void dac_config_ch1(uint32_t trigger)
{
    DAC1->MCR &= ~DAC_MCR_MODE1; /* mode 000: buffer enabled, external pin */
    DAC1->CR &= ~DAC_CR_CEN1;
    uint32_t cr = DAC1->CR;
    cr &= ~(DAC_CR_MAMP1 | DAC_CR_WAVE1 | DAC_CR_TSEL1 | DAC_CR_TEN1);
    cr |= trigger;
    DAC1->CR = cr;
    DAC1->CR &= ~DAC_CR_WAVE1;
}

static unsigned mv16(uint32_t code) { return (unsigned)((code * 3300u + 32767u) / 65535u); }

/* ---- part 4: dual interleaved, DMA, DAC waveform ------------------------------------ */
#define BUF_WORDS 256u
static uint32_t s_dual[BUF_WORDS] __attribute__((section(".axisram"), aligned(32)));
static uint8_t s_wave[5] __attribute__((section(".axisram"), aligned(32)));
static uint32_t s_snapshot[BUF_WORDS];
static struct dma_handle s_adc_dma = {.instance = &DMA1->S[1]};
static struct dma_handle s_dac_dma = {.instance = &DMA1->S[3]};
static volatile uint32_t s_overruns;

static void led1(int on) { GPIOB->BSRR = on ? (1u << 0) : (1u << 16); }
static void adc_half(struct dma_handle *h) { (void)h; led1(0); }
static void adc_cplt(struct dma_handle *h)
{
    (void)h;
    led1(1);
    if (h->completes == 4u) {
        for (unsigned i = 0; i < BUF_WORDS; i++) {
            s_snapshot[i] = s_dual[i];
        }
    }
}

void DMA1_Stream1_IRQHandler(void);
void DMA1_Stream1_IRQHandler(void) { dma_irq_handler(&s_adc_dma); }
void DMA1_Stream3_IRQHandler(void);
void DMA1_Stream3_IRQHandler(void) { dma_irq_handler(&s_dac_dma); }
/* HAL_DAC_Start_DMA installs DAC_DMAHalfConvCpltCh1: the stream's HT interrupt is on. */
static void dac_dma_half(struct dma_handle *h) { (void)h; }
void ADC_IRQHandler(void);
void ADC_IRQHandler(void)
{
    if ((ADC1->ISR & ADC_ISR_OVR) && (ADC1->IER & ADC_IER_OVRIE)) {
        ADC1->ISR = ADC_ISR_OVR;
        s_overruns++;
    }
}

int main(void)
{
    uart_init();
    demo_time_start();

    /* HAL_ADC_MspInit / HAL_DAC_MspInit: clocks, analog pins. */
    RCC->AHB1ENR |= RCC_AHB1ENR_ADC12EN | RCC_AHB1ENR_DMA1EN;
    (void)RCC->AHB1ENR;
    RCC->AHB4ENR |= RCC_AHB4ENR_ADC3EN;
    (void)RCC->AHB4ENR;
    RCC->APB1LENR |= RCC_APB1LENR_DAC12EN | RCC_APB1LENR_TIM3EN | RCC_APB1LENR_TIM6EN;
    (void)RCC->APB1LENR;
    RCC->D3CCIPR = (RCC->D3CCIPR & ~RCC_D3CCIPR_ADCSEL) | RCC_D3CCIPR_ADCSEL_CLKP;
    gpio_init_pin(0, 0, GPIO_MODE_ANALOG, 0); /* PA0 */
    gpio_init_pin(0, 4, GPIO_MODE_ANALOG, 0); /* PA4 */

    /* ---- 1. polling, ADC1 channel 16 ---- */
    adc_init(ADC1, ADC12_COM, 0u, 0u);
    adc_config_channel(ADC1, 16, ADC_SAMPLETIME_64CYCLES_5);
    adc_calibrate(ADC1);
    uint32_t v = adc_convert_once(ADC1);
    uart_printf("adc: ADC1 channel 16 (PA0) = %u (%u mV)\n", (unsigned)v, mv16(v));
    const uint32_t t0 = demo_ms();
    while (demo_ms() - t0 < 50u) {
        cm_wfi();
    }
    v = adc_convert_once(ADC1);
    uart_printf("adc: ADC1 channel 16 (PA0) = %u (%u mV)\n", (unsigned)v, mv16(v));

    /* ---- 2. DAC1 OUT1 (PA4) -> ADC1 channel 18, 12 bits ---- */
    adc_disable(ADC1);
    adc_init(ADC1, ADC12_COM, ADC_CFGR_RES_12B, 0u);
    adc_config_channel(ADC1, 18, ADC_SAMPLETIME_64CYCLES_5);
    dac_config_ch1(DAC_TRIGGER_NONE);
    static const uint32_t codes[5] = {0u, 1024u, 2048u, 3072u, 4095u};
    for (unsigned i = 0; i < 5; i++) {
        DAC1->DHR12R1 = codes[i]; /* HAL_DAC_SetValue(DAC_ALIGN_12B_R) */
        DAC1->CR |= DAC_CR_EN1;   /* HAL_DAC_Start (no software trigger to give) */
        v = adc_convert_once(ADC1);
        uart_printf("dac->adc: DAC1 OUT1 %u -> ADC1 channel 18 %u\n", (unsigned)codes[i], (unsigned)v);
    }

    /* ---- 3. ADC3 injected group: VREFINT ---- */
    adc_init(ADC3, ADC3_COM, 0u, 0u);
    ADC3->PCSEL |= 1u << 19;
    ADC3->SMPR2 = (ADC3->SMPR2 & ~(7u << 27)) | (ADC_SAMPLETIME_64CYCLES_5 << 27);
    ADC3_COM->CCR |= ADC_CCR_VREFEN; /* LL_ADC_SetCommonPathInternalCh */
    ADC3->JSQR = 19u << 9;           /* JL = 0, JSQ1 = 19, software trigger (JEXTEN = 00) */
    adc_calibrate(ADC3);
    adc_enable(ADC3);
    ADC3->ISR = ADC_ISR_JEOC | ADC_ISR_JEOS;
    ADC3->CR = (ADC3->CR & ~ADC_CR_RS) | ADC_CR_JADSTART; /* HAL_ADCEx_InjectedStart */
    if (!wait_set(&ADC3->ISR, ADC_ISR_JEOS)) {
        finish("ADC3 injected end of sequence (JEOS)");
    }
    v = ADC3->JDR[0];
    uart_printf("adc: ADC3 injected VREFINT = %u (%u mV)\n", (unsigned)v, mv16(v));

    /* ---- 4. dual interleaved ADC1/ADC2, TIM3 trigger, DMA; DAC waveform by TIM6 + DMA ---- */
    adc_disable(ADC1);
    adc_init(ADC1, ADC12_COM, ADC_EXTERNALTRIG_T3_TRGO | ADC_CFGR_EXTEN_RISING | ADC_CFGR_OVRMOD,
             ADC_CFGR_DMNGT_CIRC);
    adc_init(ADC2, ADC12_COM, ADC_CFGR_OVRMOD, ADC_CFGR_DMNGT_CIRC);
    adc_config_channel(ADC1, 18, ADC_SAMPLETIME_2CYCLES_5);
    adc_config_channel(ADC2, 18, ADC_SAMPLETIME_2CYCLES_5);
    adc_calibrate(ADC1);
    adc_calibrate(ADC2);
    /* HAL_ADCEx_MultiModeConfigChannel: DAMDF, then DUAL and DELAY (ADCs disabled). */
    ADC12_COM->CCR = (ADC12_COM->CCR & ~ADC_CCR_DAMDF) | ADC_DUALMODEDATAFORMAT_32_10_BITS;
    ADC12_COM->CCR = (ADC12_COM->CCR & ~(ADC_CCR_DUAL | ADC_CCR_DELAY)) | ADC_DUALMODE_INTERL;

    /* TIM3: 1 kHz, TRGO on update; TIM6: 500 Hz, TRGO on update (TIM_Config and
     * WaveformVoltageGenerationForTest's timers). */
    tim_base_set_config(TIM3, 64u - 1u, 1000u - 1u);
    tim_master_trgo_update(TIM3);
    tim_base_set_config(TIM6, 64u - 1u, 2000u - 1u);
    tim_master_trgo_update(TIM6);

    /* LED1 (PB0) as output, off (BSP_LED_Init). */
    gpio_init_pin(1, 0, GPIO_MODER_OUTPUT, 0);
    GPIOB->OTYPER &= ~1u;
    led1(0);

    /* DAC1 channel 1 on TIM6 TRGO, DMA1 stream 3 (HAL_DAC_MspInit, HAL_DAC_Start_DMA). */
    static const uint8_t levels[5] = {0u, 63u, 127u, 191u, 255u};
    for (unsigned i = 0; i < 5; i++) {
        s_wave[i] = levels[i];
    }
    dma_init(&s_dac_dma, DMA_SxCR_DIR_M2P | DMA_SxCR_MINC | DMA_SxCR_CIRC | DMA_SxCR_PL_HIGH,
             DMA_REQUEST_DAC1_CH1);
    NVIC->IPR[DMA1_Stream3_IRQn] = 0x10;
    nvic_enable_irq(DMA1_Stream3_IRQn);
    dac_config_ch1(DAC_TRIGGER_T6_TRGO);
    TIM3->CR1 |= TIM_CR1_CEN; /* HAL_TIM_Base_Start (ADC trigger) */
    TIM6->CR1 |= TIM_CR1_CEN; /* HAL_TIM_Base_Start (DAC trigger) */
    DAC1->CR |= DAC_CR_DMAEN1;
    DAC1->CR |= DAC_CR_DMAUDRIE1;
    s_dac_dma.xfer_half = dac_dma_half;
    dma_start_it(&s_dac_dma, (uint32_t)(uintptr_t)s_wave, (uint32_t)(uintptr_t)&DAC1->DHR8R1, 5u);
    DAC1->CR |= DAC_CR_EN1;

    /* ADC DMA: DMA1 stream 1, request ADC1, CDR -> buffer, words, circular. */
    dma_init(&s_adc_dma, DMA_SxCR_MINC | DMA_SxCR_PSIZE_W | DMA_SxCR_MSIZE_W | DMA_SxCR_CIRC | DMA_SxCR_PL_HIGH,
             DMA_REQUEST_ADC1);
    s_adc_dma.xfer_half = adc_half;
    s_adc_dma.xfer_cplt = adc_cplt;
    NVIC->IPR[DMA1_Stream1_IRQn] = 0x10;
    NVIC->IPR[ADC_IRQn] = 0x00;
    nvic_enable_irq(DMA1_Stream1_IRQn);
    nvic_enable_irq(ADC_IRQn);
    /* HAL_ADCEx_MultiModeStart_DMA. */
    adc_enable(ADC1);
    adc_enable(ADC2);
    ADC1->ISR = ADC_ISR_EOC | ADC_ISR_EOS | ADC_ISR_OVR;
    ADC1->IER |= ADC_IER_OVRIE;
    dma_start_it(&s_adc_dma, (uint32_t)(uintptr_t)&ADC12_COM->CDR, (uint32_t)(uintptr_t)s_dual, BUF_WORDS);
    ADC1->CR = (ADC1->CR & ~ADC_CR_RS) | ADC_CR_ADSTART;

    const uint32_t t1 = demo_ms();
    while (s_adc_dma.completes < 4u && demo_ms() - t1 < 3000u) {
        cm_wfi();
    }
    if (s_adc_dma.completes < 4u) {
        uart_printf("adc_dual: only %u buffers (half %u) in 3 s, DMA errors %u\n", (unsigned)s_adc_dma.completes,
                    (unsigned)s_adc_dma.halves, (unsigned)s_adc_dma.errors);
        finish(0);
    }
    /* The DAC levels as the ADC (16 bits) converts them: 8-bit code c is DHR = c << 4. */
    uint32_t expect[5], count[5] = {0, 0, 0, 0, 0}, other = 0, equal = 0;
    for (unsigned i = 0; i < 5; i++) {
        expect[i] = ((uint32_t)levels[i] * 16u * 65535u + 2047u) / 4095u;
    }
    for (unsigned i = 0; i < BUF_WORDS; i++) {
        const uint32_t m = s_snapshot[i] & 0xFFFFu, s = s_snapshot[i] >> 16;
        equal += m == s;
        for (unsigned k = 0; k < 2; k++) {
            const uint32_t x = k ? s : m;
            unsigned j = 0;
            while (j < 5 && expect[j] != x) {
                j++;
            }
            if (j < 5) {
                count[j]++;
            } else {
                other++;
            }
        }
    }
    uart_printf("adc_dual: %u buffers (half %u, complete %u), levels %u/%u/%u/%u/%u of %u results, "
                "other %u, slave = master in %u of %u, overruns %u\n",
                (unsigned)s_adc_dma.completes, (unsigned)s_adc_dma.halves, (unsigned)s_adc_dma.completes,
                (unsigned)count[0], (unsigned)count[1], (unsigned)count[2], (unsigned)count[3],
                (unsigned)count[4], 2u * BUF_WORDS, (unsigned)other, (unsigned)equal, BUF_WORDS,
                (unsigned)s_overruns);
    finish(0);
}
