/*
 * stm32h745_lowpower.h - the STM32H745 low-power and watchdog blocks the ampvp demos
 * use: RTC, IWDG1/2, WWDG1/2, LPTIM1-5, and the RCC / PWR bits around them.
 *
 * Written for ampvp from public facts: RM0399 register maps and bit positions
 * ("Real-time clock (RTC)", "Independent watchdog (IWDG)", "System window watchdog
 * (WWDG)", "Low-power timer (LPTIM)", RCC and PWR registers) and the IRQ / EXTI
 * numbers of ST's stm32h745xx.h.  Names as in stm32h745_regs.h: RM0399 register names
 * without the peripheral prefix, bit macros PERIPH_REG_FIELD.
 */
#ifndef AMPVP_STM32H745_LOWPOWER_H
#define AMPVP_STM32H745_LOWPOWER_H

#include <stdint.h>

#include "stm32h745_regs.h"

/* ==== Base addresses ========================================================= */
#define LPTIM1_BASE 0x40002400u
#define WWDG2_BASE  0x40002C00u
#define WWDG1_BASE  0x50003000u
#define LPTIM2_BASE 0x58002400u
#define LPTIM3_BASE 0x58002800u
#define LPTIM4_BASE 0x58002C00u
#define LPTIM5_BASE 0x58003000u
#define RTC_BASE    0x58004000u
#define IWDG1_BASE  0x58004800u
#define IWDG2_BASE  0x58004C00u

/* ==== RCC bits of the backup domain, reset flags, LP clocks ===================== */
#define RCC_BDCR_LSEON        (1u << 0)
#define RCC_BDCR_LSERDY       (1u << 1)
#define RCC_BDCR_RTCSEL_Pos   8u
#define RCC_BDCR_RTCSEL_Msk   (3u << 8)
#define RCC_BDCR_RTCSEL_LSE   (1u << 8)
#define RCC_BDCR_RTCSEL_LSI   (2u << 8)
#define RCC_BDCR_RTCEN        (1u << 15)
#define RCC_BDCR_BDRST        (1u << 16)
#define RCC_CSR_LSION         (1u << 0)
#define RCC_CSR_LSIRDY        (1u << 1)
/* RCC_RSR / RCC_C1_RSR / RCC_C2_RSR (ST HAL RCC_FLAG_* codes 0x91..0x9F). */
#define RCC_RSR_RMVF          (1u << 16)
#define RCC_RSR_C1RSTF        (1u << 17)
#define RCC_RSR_C2RSTF        (1u << 18)
#define RCC_RSR_D1RSTF        (1u << 19)
#define RCC_RSR_D2RSTF        (1u << 20)
#define RCC_RSR_BORRSTF       (1u << 21)
#define RCC_RSR_PINRSTF       (1u << 22)
#define RCC_RSR_PORRSTF       (1u << 23)
#define RCC_RSR_SFT1RSTF      (1u << 24)
#define RCC_RSR_SFT2RSTF      (1u << 25)
#define RCC_RSR_IWDG1RSTF     (1u << 26)
#define RCC_RSR_IWDG2RSTF     (1u << 27)
#define RCC_RSR_WWDG1RSTF     (1u << 28)
#define RCC_RSR_WWDG2RSTF     (1u << 29)
#define RCC_RSR_FLAGS         0xFFFE0000u /* every flag, without RMVF */
#define RCC_D2CCIP2R_LPTIM1SEL_Pos 28u
#define RCC_D2CCIP2R_LPTIM1SEL_Msk (7u << 28)
#define RCC_LPTIMSEL_LSE      3u
#define RCC_LPTIMSEL_LSI      4u
#define RCC_APB3ENR_WWDG1EN   (1u << 6)
#define RCC_APB1LENR_LPTIM1EN (1u << 9)
#define RCC_D3CCIPR_LPTIM2SEL_Pos 10u
#define RCC_D3CCIPR_LPTIM2SEL_Msk (7u << 10)
#define RCC_APB4ENR_LPTIM2EN  (1u << 9)
#define RCC_APB1LENR_WWDG2EN  (1u << 11)
#define RCC_APB4ENR_RTCAPBEN  (1u << 16)

/* PWR_CR1: backup domain write access. */
#define PWR_CR1_DBP           (1u << 8)

/* ==== RTC (RM0399 "RTC registers") ============================================== */
struct h7_rtc {
    volatile uint32_t TR;       /* 0x00 */
    volatile uint32_t DR;       /* 0x04 */
    volatile uint32_t CR;       /* 0x08 */
    volatile uint32_t ISR;      /* 0x0C */
    volatile uint32_t PRER;     /* 0x10 */
    volatile uint32_t WUTR;     /* 0x14 */
    uint32_t          reserved0;/* 0x18 */
    volatile uint32_t ALRMAR;   /* 0x1C */
    volatile uint32_t ALRMBR;   /* 0x20 */
    volatile uint32_t WPR;      /* 0x24 */
    volatile uint32_t SSR;      /* 0x28 */
    volatile uint32_t SHIFTR;   /* 0x2C */
    volatile uint32_t TSTR;     /* 0x30 */
    volatile uint32_t TSDR;     /* 0x34 */
    volatile uint32_t TSSSR;    /* 0x38 */
    volatile uint32_t CALR;     /* 0x3C */
    volatile uint32_t TAMPCR;   /* 0x40 */
    volatile uint32_t ALRMASSR; /* 0x44 */
    volatile uint32_t ALRMBSSR; /* 0x48 */
    volatile uint32_t OR;       /* 0x4C */
    volatile uint32_t BKPR[32]; /* 0x50 BKP0R .. 0x9C BKP31R */
};
H7_REG_AT(struct h7_rtc, ALRMAR, 0x1C);
H7_REG_AT(struct h7_rtc, ALRMASSR, 0x44);
H7_REG_AT(struct h7_rtc, BKPR, 0x50);
#define RTC ((struct h7_rtc *)RTC_BASE)

#define RTC_CR_WUCKSEL_Msk    (7u << 0)
#define RTC_CR_WUCKSEL_DIV16  0u       /* RTCCLK / 16 */
#define RTC_CR_WUCKSEL_SPRE   4u       /* ck_spre (1 Hz) */
#define RTC_CR_BYPSHAD        (1u << 5)
#define RTC_CR_FMT            (1u << 6)
#define RTC_CR_ALRAE          (1u << 8)
#define RTC_CR_ALRBE          (1u << 9)
#define RTC_CR_WUTE           (1u << 10)
#define RTC_CR_ALRAIE         (1u << 12)
#define RTC_CR_WUTIE          (1u << 14)
#define RTC_CR_OSEL_Msk       (3u << 21)
#define RTC_CR_POL            (1u << 20)
#define RTC_ISR_ALRAWF        (1u << 0)
#define RTC_ISR_WUTWF         (1u << 2)
#define RTC_ISR_INITS         (1u << 4)
#define RTC_ISR_RSF           (1u << 5)
#define RTC_ISR_INITF         (1u << 6)
#define RTC_ISR_INIT          (1u << 7)
#define RTC_ISR_ALRAF         (1u << 8)
#define RTC_ISR_WUTF          (1u << 10)
#define RTC_INIT_MASK         0xFFFFFFFFu                     /* HAL's enter-init write */
#define RTC_RSF_MASK          (~(RTC_ISR_INIT | RTC_ISR_RSF)) /* HAL_RTC_WaitForSynchro */
#define RTC_ALRMAR_MSK1       (1u << 7)
#define RTC_ALRMAR_MSK2       (1u << 15)
#define RTC_ALRMAR_MSK3       (1u << 23)
#define RTC_ALRMAR_WDSEL      (1u << 30)
#define RTC_ALRMAR_MSK4       (1u << 31)
#define RTC_ALRMASSR_MASKSS_Pos 24u
#define RTC_WPR_KEY1          0xCAu
#define RTC_WPR_KEY2          0x53u

/* EXTI lines of the RTC (RM0399 EXTI event input mapping): configurable. */
#define EXTI_LINE_RTC_ALARM   17u
#define EXTI_LINE_RTC_TAMP    18u
#define EXTI_LINE_RTC_WAKEUP  19u
/* EXTI direct lines of the LPTIMs' wake-up. */
#define EXTI_LINE_LPTIM1      47u

/* ==== IWDG (RM0399 "IWDG registers") ============================================ */
struct h7_iwdg {
    volatile uint32_t KR;   /* 0x00 */
    volatile uint32_t PR;   /* 0x04 */
    volatile uint32_t RLR;  /* 0x08 */
    volatile uint32_t SR;   /* 0x0C */
    volatile uint32_t WINR; /* 0x10 */
};
H7_REG_AT(struct h7_iwdg, WINR, 0x10);
#define IWDG1 ((struct h7_iwdg *)IWDG1_BASE)
#define IWDG2 ((struct h7_iwdg *)IWDG2_BASE)
#define IWDG_KEY_RELOAD       0xAAAAu
#define IWDG_KEY_ENABLE       0xCCCCu
#define IWDG_KEY_WRITE_ACCESS 0x5555u
#define IWDG_SR_PVU           (1u << 0)
#define IWDG_SR_RVU           (1u << 1)
#define IWDG_SR_WVU           (1u << 2)

/* ==== WWDG (RM0399 "WWDG registers") ============================================ */
struct h7_wwdg {
    volatile uint32_t CR;  /* 0x00 */
    volatile uint32_t CFR; /* 0x04 */
    volatile uint32_t SR;  /* 0x08 */
};
H7_REG_AT(struct h7_wwdg, SR, 0x08);
#define WWDG1 ((struct h7_wwdg *)WWDG1_BASE)
#define WWDG2 ((struct h7_wwdg *)WWDG2_BASE)
#define WWDG_CR_T_Msk         0x7Fu
#define WWDG_CR_WDGA          (1u << 7)
#define WWDG_CFR_W_Msk        0x7Fu
#define WWDG_CFR_EWI          (1u << 9)
#define WWDG_CFR_WDGTB_Pos    11u
#define WWDG_SR_EWIF          (1u << 0)

/* ==== LPTIM (RM0399 "LPTIM registers") ========================================== */
struct h7_lptim {
    volatile uint32_t ISR;   /* 0x00 */
    volatile uint32_t ICR;   /* 0x04 */
    volatile uint32_t IER;   /* 0x08 */
    volatile uint32_t CFGR;  /* 0x0C */
    volatile uint32_t CR;    /* 0x10 */
    volatile uint32_t CMP;   /* 0x14 */
    volatile uint32_t ARR;   /* 0x18 */
    volatile uint32_t CNT;   /* 0x1C */
    uint32_t reserved20;     /* 0x20 */
    volatile uint32_t CFGR2; /* 0x24 */
};
H7_REG_AT(struct h7_lptim, CNT, 0x1C);
H7_REG_AT(struct h7_lptim, CFGR2, 0x24);
#define LPTIM1 ((struct h7_lptim *)LPTIM1_BASE)
#define LPTIM2 ((struct h7_lptim *)LPTIM2_BASE)
#define LPTIM3 ((struct h7_lptim *)LPTIM3_BASE)
#define LPTIM_ISR_CMPM        (1u << 0)
#define LPTIM_ISR_ARRM        (1u << 1)
#define LPTIM_ISR_CMPOK       (1u << 3)
#define LPTIM_ISR_ARROK       (1u << 4)
#define LPTIM_CFGR_PRESC_Pos  9u
#define LPTIM_CR_ENABLE       (1u << 0)
#define LPTIM_CR_SNGSTRT      (1u << 1)
#define LPTIM_CR_CNTSTRT      (1u << 2)
#define LPTIM_ISR_EXTTRIG     (1u << 2)
#define LPTIM_ISR_UP          (1u << 5)
#define LPTIM_ISR_DOWN        (1u << 6)
/* LPTIM_CFGR fields (RM0399 "LPTIM configuration register"). */
#define LPTIM_CFGR_CKSEL      (1u << 0)
#define LPTIM_CFGR_CKPOL_Msk  (3u << 1)
#define LPTIM_CFGR_CKFLT_Msk  (3u << 3)
#define LPTIM_CFGR_TRGFLT_Msk (3u << 6)
#define LPTIM_CFGR_PRESC_Msk  (7u << 9)
#define LPTIM_CFGR_TRIGSEL_Msk (7u << 13)
#define LPTIM_CFGR_TRIGEN_Msk (3u << 17)
#define LPTIM_CFGR_TIMOUT     (1u << 19)
#define LPTIM_CFGR_WAVE       (1u << 20)
#define LPTIM_CFGR_WAVPOL     (1u << 21)
#define LPTIM_CFGR_PRELOAD    (1u << 22)
#define LPTIM_CFGR_COUNTMODE  (1u << 23)
#define LPTIM_CFGR_ENC        (1u << 24)
/* RCC bits around LPTIM1: its reset (APB1LRSTR) and the D2PCLK1 kernel clock. */
#define RCC_APB1LRSTR_LPTIM1RST (1u << 9)
#define RCC_LPTIMSEL_PCLK     0u
#define LPTIM1_IRQ            93u

#endif /* AMPVP_STM32H745_LOWPOWER_H */
