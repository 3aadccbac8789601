/*
 * st_adc_dac_regs.h - the ADC and DAC register blocks and the bits ST's HAL sequences
 * use, common to the STM32H7 (RM0399) and the STM32MP15 (RM0436): the same IPs at other
 * addresses.  Each demo defines its instances (ADC1 ..., DAC1) and what differs
 * (ADC_CR_BOOST: two bits on the H7 revision V, one on the MP15).  Written for this
 * project from the reference manuals' register maps.
 */
#ifndef AMPVP_ST_ADC_DAC_REGS_H
#define AMPVP_ST_ADC_DAC_REGS_H

#include <stdint.h>

#include "cortex_m.h"

/* ---- ADC: one converter (ADCx_ISR at +0x00 ... ADCx_CALFACT at +0xC4) ------------------ */
struct adc {
    volatile uint32_t ISR, IER, CR, CFGR, CFGR2, SMPR1, SMPR2, PCSEL, LTR1, HTR1, r0[2], SQR1, SQR2,
        SQR3, SQR4, DR, r1[2], JSQR, r2[4], OFR[4], r3[4], JDR[4], r4[4], AWD2CR, AWD3CR, r5[2], LTR2,
        HTR2, LTR3, HTR3, DIFSEL, CALFACT;
};
/* The common registers (ADCx_CSR at +0x300 of the pair). */
struct adc_common {
    volatile uint32_t CSR, r0, CCR, CDR, CDR2;
};
CM_REG_AT(struct adc, JDR, 0x80);
CM_REG_AT(struct adc, DIFSEL, 0xC0);

#define ADC_ISR_ADRDY   (1u << 0)
#define ADC_ISR_EOSMP   (1u << 1)
#define ADC_ISR_EOC     (1u << 2)
#define ADC_ISR_EOS     (1u << 3)
#define ADC_ISR_OVR     (1u << 4)
#define ADC_ISR_JEOC    (1u << 5)
#define ADC_ISR_JEOS    (1u << 6)
#define ADC_IER_OVRIE   (1u << 4)
#define ADC_CR_ADEN     (1u << 0)
#define ADC_CR_ADDIS    (1u << 1)
#define ADC_CR_ADSTART  (1u << 2)
#define ADC_CR_JADSTART (1u << 3)
#define ADC_CR_ADSTP    (1u << 4)
#define ADC_CR_JADSTP   (1u << 5)
#define ADC_CR_ADCALLIN (1u << 16)
#define ADC_CR_ADVREGEN (1u << 28)
#define ADC_CR_DEEPPWD  (1u << 29)
#define ADC_CR_ADCALDIF (1u << 30)
#define ADC_CR_ADCAL    (1u << 31)
/* ADC_CR_BITS_PROPERTY_RS: bits set by software, cleared by hardware (never written back). */
#define ADC_CR_RS (ADC_CR_ADCAL | ADC_CR_JADSTP | ADC_CR_ADSTP | ADC_CR_JADSTART | ADC_CR_ADSTART | \
                   ADC_CR_ADDIS | ADC_CR_ADEN)
#define ADC_CFGR_DMNGT      (3u << 0)
#define ADC_CFGR_DMNGT_CIRC (3u << 0)
#define ADC_CFGR_RES        (7u << 2)
#define ADC_CFGR_RES_12B    (2u << 2) /* HAL ADC_RESOLUTION_12B (H7 revision V, MP15) */
#define ADC_CFGR_EXTSEL     (31u << 5)
#define ADC_CFGR_EXTEN      (3u << 10)
#define ADC_CFGR_EXTEN_RISING (1u << 10)
#define ADC_CFGR_OVRMOD     (1u << 12)
#define ADC_CFGR_CONT       (1u << 13)
#define ADC_CFGR_AUTDLY     (1u << 14)
#define ADC_CFGR_DISCEN     (1u << 16)
#define ADC_CFGR_DISCNUM    (7u << 17)
#define ADC_CFGR_JQM        (1u << 21)
#define ADC_CFGR_JQDIS      (1u << 31)
/* The CFGR fields HAL_ADC_Init writes first (ADC_CFGR_FIELDS_1), then AUTDLY and DMNGT. */
#define ADC_CFGR_FIELDS_1   (ADC_CFGR_RES | ADC_CFGR_EXTSEL | ADC_CFGR_EXTEN | ADC_CFGR_OVRMOD | \
                             ADC_CFGR_CONT | ADC_CFGR_DISCEN | ADC_CFGR_DISCNUM)
#define ADC_CFGR2_ROVSE     (1u << 0)
#define ADC_CFGR2_LSHIFT    (15u << 28)
#define ADC_SQR1_L          (15u << 0)
#define ADC_CCR_DUAL        (31u << 0)
#define ADC_CCR_DELAY       (15u << 8)
#define ADC_CCR_DAMDF       (3u << 14)
#define ADC_CCR_CKMODE      (3u << 16)
#define ADC_CCR_PRESC       (15u << 18)
#define ADC_CCR_VREFEN      (1u << 22)

/* ---- DAC ----------------------------------------------------------------------------- */
struct dac {
    volatile uint32_t CR, SWTRGR, DHR12R1, DHR12L1, DHR8R1, DHR12R2, DHR12L2, DHR8R2, DHR12RD, DHR12LD,
        DHR8RD, DOR1, DOR2, SR, CCR, MCR;
};
CM_REG_AT(struct dac, MCR, 0x3C);
#define DAC_CR_EN1     (1u << 0)
#define DAC_CR_TEN1    (1u << 1)
#define DAC_CR_TSEL1   (15u << 2)
#define DAC_CR_WAVE1   (3u << 6)
#define DAC_CR_MAMP1   (15u << 8)
#define DAC_CR_DMAEN1  (1u << 12)
#define DAC_CR_DMAUDRIE1 (1u << 13)
#define DAC_CR_CEN1    (1u << 14)
#define DAC_MCR_MODE1  (7u << 0)

#endif /* AMPVP_ST_ADC_DAC_REGS_H */
