/*
 * st_hrtim_lite.h - what the HRTIM demo needs of ST's HAL, written for this project from
 * the HAL's register sequences (stm32h7xx_hal_hrtim.c: HRTIM_TimingUnitBase_Config as
 * HAL_HRTIM_TimeBaseConfig does it for a timing unit, HAL_HRTIM_SimplePWMChannelConfig
 * with HRTIM_OutputConfig, HAL_HRTIM_SimplePWMStart / HAL_HRTIM_SimplePWMStop; the
 * macros __HAL_HRTIM_ENABLE / __HAL_HRTIM_DISABLE, __HAL_RCC_HRTIM1_CLK_ENABLE,
 * __HAL_RCC_HRTIM1_CONFIG).  Register names as in RM0399 ("High-Resolution Timer").
 */
#ifndef AMPVP_ST_HRTIM_LITE_H
#define AMPVP_ST_HRTIM_LITE_H

#include <stdint.h>

#include "stm32h745_regs.h"

/* RM0399 HRTIM register map: master timer, timing units A-E (0x80 each), common
 * registers at 0x380. */
struct hrtim_master {
    volatile uint32_t MCR, MISR, MICR, MDIER, MCNTR, MPER, MREP, MCMP1R, RESERVED0, MCMP2R, MCMP3R,
        MCMP4R, RESERVED1[20];
};
struct hrtim_timer {
    volatile uint32_t TIMxCR, TIMxISR, TIMxICR, TIMxDIER, CNTxR, PERxR, REPxR, CMP1xR, CMP1CxR, CMP2xR,
        CMP3xR, CMP4xR, CPT1xR, CPT2xR, DTxR, SETx1R, RSTx1R, SETx2R, RSTx2R, EEFxR1, EEFxR2, RSTxR,
        CHPxR, CPT1xCR, CPT2xCR, OUTxR, FLTxR, RESERVED0[5];
};
struct hrtim_common {
    volatile uint32_t CR1, CR2, ISR, ICR, IER, OENR, ODISR, ODSR;
};
struct hrtim {
    struct hrtim_master m;
    struct hrtim_timer tim[5];
    uint32_t RESERVED0[32];
    struct hrtim_common common;
};
_Static_assert(sizeof(struct hrtim_master) == 0x80, "HRTIM master timer: 0x80 bytes");
_Static_assert(sizeof(struct hrtim_timer) == 0x80, "HRTIM timing unit: 0x80 bytes");
#define HRTIM1 ((struct hrtim *)0x40017400u)

#define HRTIM_TIMERINDEX_TIMER_A 0u /* ... E = 4 */
/* HRTIM_TimeBaseCfgTypeDef values (stm32h7xx_hal_hrtim.h) */
#define HRTIM_TIMCR_CK_PSC        (7u << 0)
#define HRTIM_TIMCR_CONT          (1u << 3)
#define HRTIM_TIMCR_RETRIG        (1u << 4)
#define HRTIM_TIMCR_PREEN         (1u << 27)
#define HRTIM_PRESCALERRATIO_DIV1 5u /* fHRTIM: CKPSC 101 */
#define HRTIM_MODE_CONTINUOUS     HRTIM_TIMCR_CONT
/* Outputs: HRTIM_OUTPUT_TA1 = OENR bit 0, TA2 bit 1, TB1 bit 2 ... TE2 bit 9 */
#define HRTIM_OUTPUT_TX1(x)       (1u << (2u * (x)))
#define HRTIM_MCR_MCEN            (1u << 16)
#define HRTIM_MCR_TACEN           (1u << 17) /* TxCEN: bit 17 + x */
#define HRTIM_PRESCALERRATIO_DIV4 7u /* fHRTIM / 4: CKPSC 111 */
#define HRTIM_MASTER_IT_MREP      (1u << 4)  /* MISR.MREP, MICR.MREPC, MDIER.MREPIE */
/* Set/reset crossbar sources (SETx1R / RSTx1R) */
#define HRTIM_OUTPUTSET_TIMCMP1   (1u << 3)
#define HRTIM_OUTPUTRESET_TIMPER  (1u << 2)
/* HRTIM_OUTxR, output 1 */
#define HRTIM_OUTR_POL1           (1u << 1)
#define HRTIM_OUTR_IDLM1          (1u << 2)
#define HRTIM_OUTR_IDLES1         (1u << 3)
#define HRTIM_OUTR_FAULT1         (3u << 4)
#define HRTIM_OUTR_CHP1           (1u << 6)
#define HRTIM_OUTR_DIDL1          (1u << 7)
#define HRTIM_OUTPUTPOLARITY_LOW  HRTIM_OUTR_POL1
#define HRTIM_OUTPUTIDLELEVEL_INACTIVE 0u

#define RCC_APB2ENR_HRTIMEN       (1u << 29)
#define RCC_CFGR_HRTIMSEL         (1u << 14) /* 1: RCC_HRTIM1CLK_CPUCLK */

/* __HAL_RCC_HRTIM1_CLK_ENABLE: set, then read back (the HAL's clock-enable delay). */
static inline void hrtim_clk_enable(void)
{
    RCC->APB2ENR |= RCC_APB2ENR_HRTIMEN;
    (void)(RCC->APB2ENR & RCC_APB2ENR_HRTIMEN);
}

/* HAL_HRTIM_TimeBaseConfig for timing unit x (HRTIM_TimingUnitBase_Config). */
static inline void hrtim_time_base_config(unsigned x, uint32_t mode, uint32_t period, uint32_t prescaler,
                                          uint32_t repetition)
{
    struct hrtim_timer *t = &HRTIM1->tim[x];
    uint32_t cr = t->TIMxCR;
    cr &= ~HRTIM_TIMCR_CK_PSC;
    cr |= prescaler;
    cr &= ~(HRTIM_TIMCR_CONT | HRTIM_TIMCR_RETRIG);
    cr |= mode;
    t->TIMxCR = cr;
    t->PERxR = period;
    t->REPxR = repetition;
}

/* HAL_HRTIM_TimeBaseConfig for the master timer (HRTIM_MasterBase_Config). */
static inline void hrtim_master_base_config(uint32_t mode, uint32_t period, uint32_t prescaler, uint32_t repetition)
{
    uint32_t mcr = HRTIM1->m.MCR;
    mcr &= ~HRTIM_TIMCR_CK_PSC;
    mcr |= prescaler;
    mcr &= ~(HRTIM_TIMCR_CONT | HRTIM_TIMCR_RETRIG);
    mcr |= mode;
    HRTIM1->m.MCR = mcr;
    HRTIM1->m.MPER = period;
    HRTIM1->m.MREP = repetition;
}

/* HAL_HRTIM_SimpleBaseStart_IT for the master timer: MDIER.MREPIE, then MCR.MCEN. */
static inline void hrtim_master_simple_base_start_it(void)
{
    HRTIM1->m.MDIER |= HRTIM_MASTER_IT_MREP;
    HRTIM1->m.MCR |= HRTIM_MCR_MCEN;
}

/* HAL_HRTIM_SimplePWMChannelConfig for output 1 of timing unit x: CMP1xR = pulse,
 * HRTIM_OutputConfig (set on CMP1, reset on the period, polarity and idle level; no
 * idle mode, fault level, chopper or delayed burst entry), then PREEN. */
static inline void hrtim_simple_pwm_channel_config(unsigned x, uint32_t polarity, uint32_t idle_level,
                                                   uint32_t pulse)
{
    struct hrtim_timer *t = &HRTIM1->tim[x];
    t->CMP1xR = pulse;
    uint32_t outr = t->OUTxR;
    const uint32_t dtr = t->DTxR; /* read for the delayed burst entry, REGULAR (0) here */
    t->SETx1R = HRTIM_OUTPUTSET_TIMCMP1;
    t->RSTx1R = HRTIM_OUTPUTRESET_TIMPER;
    outr &= ~(HRTIM_OUTR_POL1 | HRTIM_OUTR_IDLM1 | HRTIM_OUTR_IDLES1 | HRTIM_OUTR_FAULT1 | HRTIM_OUTR_CHP1 |
              HRTIM_OUTR_DIDL1);
    outr |= polarity & HRTIM_OUTR_POL1;
    outr |= idle_level & HRTIM_OUTR_IDLES1;
    (void)dtr;
    t->OUTxR = outr;
    t->TIMxCR |= HRTIM_TIMCR_PREEN;
}

/* HAL_HRTIM_SimplePWMStart: OENR |= output, then __HAL_HRTIM_ENABLE (MCR |= TxCEN). */
static inline void hrtim_simple_pwm_start(unsigned x, uint32_t output)
{
    HRTIM1->common.OENR |= output;
    HRTIM1->m.MCR |= HRTIM_MCR_TACEN << x;
}

/* HAL_HRTIM_SimplePWMStop: ODISR |= output, then __HAL_HRTIM_DISABLE (MCR &= ~TxCEN). */
static inline void hrtim_simple_pwm_stop(unsigned x, uint32_t output)
{
    HRTIM1->common.ODISR |= output;
    HRTIM1->m.MCR &= ~(HRTIM_MCR_TACEN << x);
}

#endif /* AMPVP_ST_HRTIM_LITE_H */
