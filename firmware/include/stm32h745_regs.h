/*
 * stm32h745_regs.h - STM32H745 peripheral registers used by the ampvp firmware.
 *
 * Written for ampvp from public facts: RM0399 (STM32H745/755, STM32H747/757 reference
 * manual) register maps and bit positions. Register names are the RM0399 names
 * without the peripheral prefix (RCC_CR -> RCC->CR, EXTI_C2IMR1 -> EXTI->C2IMR1);
 * bit macros are PERIPH_REG_FIELD. Offsets are checked at compile time.
 *
 * Only what the demos use, or will soon use, is defined; extend as needed and keep
 * the _Static_assert offset checks next to each block.
 */
#ifndef AMPVP_STM32H745_REGS_H
#define AMPVP_STM32H745_REGS_H

#include <stddef.h>
#include <stdint.h>

#include "cortex_m.h"
#include "stm32_usart.h"

#define H7_REG_AT(type, member, off) CM_REG_AT(type, member, off)

/* ==== Base addresses (RM0399 memory map) ==================================== */
#define D2_APB1_BASE      0x40000000u
#define USART2_BASE       0x40004400u
#define USART3_BASE       0x40004800u
#define UART4_BASE        0x40004C00u
#define USART1_BASE       0x40011000u
#define LPUART1_BASE      0x58000C00u  /* D3 APB4 */
#define ART_BASE          0x40024400u  /* CM4 ART accelerator                  */
#define AXI_GPV_BASE      0x51000000u  /* AXI interconnect configuration       */
#define FLASH_R_BASE      0x52002000u  /* embedded flash interface registers   */
#define FMC_R_BASE        0x52004000u
#define EXTI_BASE         0x58000000u
#define SYSCFG_BASE       0x58000400u
#define GPIOA_BASE        0x58020000u
#define GPIO_PORT_STRIDE  0x400u
#define GPIO_BASE(port)   (GPIOA_BASE + (uint32_t)(port) * GPIO_PORT_STRIDE) /* 0=A ... 10=K */
#define RCC_BASE          0x58024400u
#define PWR_BASE          0x58024800u
#define HSEM_BASE         0x58026400u
#define DBGMCU_BASE       0x5C001000u

/* Memories */
#define FLASH_BANK1_BASE  0x08000000u  /* CM7 boot (BOOT_CM7_ADD0 default)     */
#define FLASH_BANK2_BASE  0x08100000u  /* CM4 boot (BOOT_CM4_ADD0 default)     */
#define ITCM_BASE         0x00000000u
#define DTCM_BASE         0x20000000u
#define AXI_SRAM_BASE     0x24000000u
#define D2_SRAM_BASE      0x30000000u  /* SRAM1-3 (CM7 view)                   */
#define D2_SRAM_CM4_ALIAS 0x10000000u  /* SRAM1-3 (CM4 I/D-bus alias)          */
#define SRAM4_BASE        0x38000000u
#define BKPSRAM_BASE      0x38800000u

/* ==== RCC (RM0399 section "RCC register map") ================================ */
struct h7_rcc {
    volatile uint32_t CR;          /* 0x000 */
    volatile uint32_t HSICFGR;     /* 0x004 */
    volatile uint32_t CRRCR;       /* 0x008 */
    volatile uint32_t CSICFGR;     /* 0x00C */
    volatile uint32_t CFGR;        /* 0x010 */
    uint32_t          reserved0;   /* 0x014 */
    volatile uint32_t D1CFGR;      /* 0x018 */
    volatile uint32_t D2CFGR;      /* 0x01C */
    volatile uint32_t D3CFGR;      /* 0x020 */
    uint32_t          reserved1;   /* 0x024 */
    volatile uint32_t PLLCKSELR;   /* 0x028 */
    volatile uint32_t PLLCFGR;     /* 0x02C */
    volatile uint32_t PLL1DIVR;    /* 0x030 */
    volatile uint32_t PLL1FRACR;   /* 0x034 */
    volatile uint32_t PLL2DIVR;    /* 0x038 */
    volatile uint32_t PLL2FRACR;   /* 0x03C */
    volatile uint32_t PLL3DIVR;    /* 0x040 */
    volatile uint32_t PLL3FRACR;   /* 0x044 */
    uint32_t          reserved2;   /* 0x048 */
    volatile uint32_t D1CCIPR;     /* 0x04C */
    volatile uint32_t D2CCIP1R;    /* 0x050 */
    volatile uint32_t D2CCIP2R;    /* 0x054 */
    volatile uint32_t D3CCIPR;     /* 0x058 */
    uint32_t          reserved3;   /* 0x05C */
    volatile uint32_t CIER;        /* 0x060 */
    volatile uint32_t CIFR;        /* 0x064 */
    volatile uint32_t CICR;        /* 0x068 */
    uint32_t          reserved4;   /* 0x06C */
    volatile uint32_t BDCR;        /* 0x070 */
    volatile uint32_t CSR;         /* 0x074 */
    uint32_t          reserved5;   /* 0x078 */
    volatile uint32_t AHB3RSTR;    /* 0x07C */
    volatile uint32_t AHB1RSTR;    /* 0x080 */
    volatile uint32_t AHB2RSTR;    /* 0x084 */
    volatile uint32_t AHB4RSTR;    /* 0x088 */
    volatile uint32_t APB3RSTR;    /* 0x08C */
    volatile uint32_t APB1LRSTR;   /* 0x090 */
    volatile uint32_t APB1HRSTR;   /* 0x094 */
    volatile uint32_t APB2RSTR;    /* 0x098 */
    volatile uint32_t APB4RSTR;    /* 0x09C */
    volatile uint32_t GCR;         /* 0x0A0 */
    uint32_t          reserved6;   /* 0x0A4 */
    volatile uint32_t D3AMR;       /* 0x0A8 */
    uint32_t          reserved7[9];/* 0x0AC - 0x0CC */
    volatile uint32_t RSR;         /* 0x0D0 */
    volatile uint32_t AHB3ENR;     /* 0x0D4 */
    volatile uint32_t AHB1ENR;     /* 0x0D8 */
    volatile uint32_t AHB2ENR;     /* 0x0DC */
    volatile uint32_t AHB4ENR;     /* 0x0E0 */
    volatile uint32_t APB3ENR;     /* 0x0E4 */
    volatile uint32_t APB1LENR;    /* 0x0E8 */
    volatile uint32_t APB1HENR;    /* 0x0EC */
    volatile uint32_t APB2ENR;     /* 0x0F0 */
    volatile uint32_t APB4ENR;     /* 0x0F4 */
    uint32_t          reserved8;   /* 0x0F8 */
    volatile uint32_t AHB3LPENR;   /* 0x0FC */
    volatile uint32_t AHB1LPENR;   /* 0x100 */
    volatile uint32_t AHB2LPENR;   /* 0x104 */
    volatile uint32_t AHB4LPENR;   /* 0x108 */
    volatile uint32_t APB3LPENR;   /* 0x10C */
    volatile uint32_t APB1LLPENR;  /* 0x110 */
    volatile uint32_t APB1HLPENR;  /* 0x114 */
    volatile uint32_t APB2LPENR;   /* 0x118 */
    volatile uint32_t APB4LPENR;   /* 0x11C */
    uint32_t          reserved9[4];/* 0x120 - 0x12C */
    volatile uint32_t C1_RSR;      /* 0x130 per-core (CPU1 = CM7) views */
    volatile uint32_t C1_AHB3ENR;  /* 0x134 */
    volatile uint32_t C1_AHB1ENR;  /* 0x138 */
    volatile uint32_t C1_AHB2ENR;  /* 0x13C */
    volatile uint32_t C1_AHB4ENR;  /* 0x140 */
    volatile uint32_t C1_APB3ENR;  /* 0x144 */
    volatile uint32_t C1_APB1LENR; /* 0x148 */
    volatile uint32_t C1_APB1HENR; /* 0x14C */
    volatile uint32_t C1_APB2ENR;  /* 0x150 */
    volatile uint32_t C1_APB4ENR;  /* 0x154 */
    uint32_t          reserved10;  /* 0x158 */
    volatile uint32_t C1_AHB3LPENR;  /* 0x15C */
    volatile uint32_t C1_AHB1LPENR;  /* 0x160 */
    volatile uint32_t C1_AHB2LPENR;  /* 0x164 */
    volatile uint32_t C1_AHB4LPENR;  /* 0x168 */
    volatile uint32_t C1_APB3LPENR;  /* 0x16C */
    volatile uint32_t C1_APB1LLPENR; /* 0x170 */
    volatile uint32_t C1_APB1HLPENR; /* 0x174 */
    volatile uint32_t C1_APB2LPENR;  /* 0x178 */
    volatile uint32_t C1_APB4LPENR;  /* 0x17C */
    uint32_t          reserved11[4]; /* 0x180 - 0x18C */
    volatile uint32_t C2_RSR;      /* 0x190 per-core (CPU2 = CM4) views */
    volatile uint32_t C2_AHB3ENR;  /* 0x194 */
    volatile uint32_t C2_AHB1ENR;  /* 0x198 */
    volatile uint32_t C2_AHB2ENR;  /* 0x19C */
    volatile uint32_t C2_AHB4ENR;  /* 0x1A0 */
    volatile uint32_t C2_APB3ENR;  /* 0x1A4 */
    volatile uint32_t C2_APB1LENR; /* 0x1A8 */
    volatile uint32_t C2_APB1HENR; /* 0x1AC */
    volatile uint32_t C2_APB2ENR;  /* 0x1B0 */
    volatile uint32_t C2_APB4ENR;  /* 0x1B4 */
    uint32_t          reserved12;  /* 0x1B8 */
    volatile uint32_t C2_AHB3LPENR;  /* 0x1BC */
    volatile uint32_t C2_AHB1LPENR;  /* 0x1C0 */
    volatile uint32_t C2_AHB2LPENR;  /* 0x1C4 */
    volatile uint32_t C2_AHB4LPENR;  /* 0x1C8 */
    volatile uint32_t C2_APB3LPENR;  /* 0x1CC */
    volatile uint32_t C2_APB1LLPENR; /* 0x1D0 */
    volatile uint32_t C2_APB1HLPENR; /* 0x1D4 */
    volatile uint32_t C2_APB2LPENR;  /* 0x1D8 */
    volatile uint32_t C2_APB4LPENR;  /* 0x1DC */
};
H7_REG_AT(struct h7_rcc, CFGR, 0x010);
H7_REG_AT(struct h7_rcc, D1CFGR, 0x018);
H7_REG_AT(struct h7_rcc, PLLCKSELR, 0x028);
H7_REG_AT(struct h7_rcc, PLL1DIVR, 0x030);
H7_REG_AT(struct h7_rcc, D1CCIPR, 0x04C);
H7_REG_AT(struct h7_rcc, D2CCIP2R, 0x054);
H7_REG_AT(struct h7_rcc, CIER, 0x060);
H7_REG_AT(struct h7_rcc, BDCR, 0x070);
H7_REG_AT(struct h7_rcc, AHB3RSTR, 0x07C);
H7_REG_AT(struct h7_rcc, GCR, 0x0A0);
H7_REG_AT(struct h7_rcc, D3AMR, 0x0A8);
H7_REG_AT(struct h7_rcc, RSR, 0x0D0);
H7_REG_AT(struct h7_rcc, AHB1ENR, 0x0D8);
H7_REG_AT(struct h7_rcc, AHB4ENR, 0x0E0);
H7_REG_AT(struct h7_rcc, APB1LENR, 0x0E8);
H7_REG_AT(struct h7_rcc, APB4ENR, 0x0F4);
H7_REG_AT(struct h7_rcc, AHB3LPENR, 0x0FC);
H7_REG_AT(struct h7_rcc, APB4LPENR, 0x11C);
H7_REG_AT(struct h7_rcc, C1_RSR, 0x130);
H7_REG_AT(struct h7_rcc, C1_APB4ENR, 0x154);
H7_REG_AT(struct h7_rcc, C1_AHB3LPENR, 0x15C);
H7_REG_AT(struct h7_rcc, C2_RSR, 0x190);
H7_REG_AT(struct h7_rcc, C2_AHB3LPENR, 0x1BC);
H7_REG_AT(struct h7_rcc, C2_APB4LPENR, 0x1DC);

#define RCC ((struct h7_rcc *)RCC_BASE)

/* RCC_CR */
#define RCC_CR_HSION       (1u << 0)
#define RCC_CR_HSIKERON    (1u << 1)
#define RCC_CR_HSIRDY      (1u << 2)
#define RCC_CR_HSIDIV_Pos  3u
#define RCC_CR_HSIDIV_Msk  (3u << 3)
#define RCC_CR_HSIDIVF     (1u << 5)
#define RCC_CR_CSION       (1u << 7)
#define RCC_CR_CSIRDY      (1u << 8)
#define RCC_CR_CSIKERON    (1u << 9)
#define RCC_CR_HSI48ON     (1u << 12)
#define RCC_CR_HSI48RDY    (1u << 13)
#define RCC_CR_D1CKRDY     (1u << 14)
#define RCC_CR_D2CKRDY     (1u << 15)
#define RCC_CR_HSEON       (1u << 16)
#define RCC_CR_HSERDY      (1u << 17)
#define RCC_CR_HSEBYP      (1u << 18)
#define RCC_CR_HSECSSON    (1u << 19)
#define RCC_CR_PLL1ON      (1u << 24)
#define RCC_CR_PLL1RDY     (1u << 25)
#define RCC_CR_PLL2ON      (1u << 26)
#define RCC_CR_PLL2RDY     (1u << 27)
#define RCC_CR_PLL3ON      (1u << 28)
#define RCC_CR_PLL3RDY     (1u << 29)

/* RCC_CFGR */
#define RCC_CFGR_SW_Pos    0u
#define RCC_CFGR_SW_Msk    (7u << 0)
#define RCC_CFGR_SWS_Pos   3u
#define RCC_CFGR_SWS_Msk   (7u << 3)

/* RCC_GCR */
#define RCC_GCR_WW1RSC     (1u << 0)
#define RCC_GCR_WW2RSC     (1u << 1)
#define RCC_GCR_BOOT_C1    (1u << 2)
#define RCC_GCR_BOOT_C2    (1u << 3)

/* RCC_D2CCIP2R: USART kernel clock selection, 000 = rcc_pclk1 (USART2/3, UART4/5/7/8)
 * or rcc_pclk2 (USART1/6) */
#define RCC_D2CCIP2R_USART234578SEL_Pos 0u
#define RCC_D2CCIP2R_USART234578SEL_Msk (7u << 0)
#define RCC_D2CCIP2R_USART234578SEL_HSI (3u << 0) /* 011: hsi_ker_ck */
#define RCC_D2CCIP2R_USART16SEL_Pos     3u
#define RCC_D2CCIP2R_USART16SEL_Msk     (7u << 3)

/* RCC_AHB3ENR */
#define RCC_AHB3ENR_MDMAEN   (1u << 0)
#define RCC_AHB3ENR_FMCEN    (1u << 12)
/* RCC_AHB1ENR */
#define RCC_AHB1ENR_ARTEN    (1u << 14)
/* RCC_AHB4ENR */
#define RCC_AHB4ENR_GPIOEN(port) (1u << (port)) /* GPIOAEN bit 0 ... GPIOKEN bit 10 */
#define RCC_AHB4ENR_GPIOAEN  (1u << 0)
#define RCC_AHB4ENR_GPIOBEN  (1u << 1)
#define RCC_AHB4ENR_GPIOCEN  (1u << 2)
#define RCC_AHB4ENR_GPIODEN  (1u << 3)
#define RCC_AHB4ENR_GPIOEEN  (1u << 4)
#define RCC_AHB4ENR_CRCEN    (1u << 19)
#define RCC_AHB4ENR_BDMAEN   (1u << 21)
#define RCC_AHB4ENR_ADC3EN   (1u << 24)
#define RCC_AHB4ENR_HSEMEN   (1u << 25)
#define RCC_AHB4ENR_BKPRAMEN (1u << 28)
/* RCC_APB1LENR */
#define RCC_APB1LENR_TIM2EN   (1u << 0)
#define RCC_APB1LENR_TIM6EN   (1u << 4)
#define RCC_APB1LENR_TIM7EN   (1u << 5)
#define RCC_APB1LENR_USART2EN (1u << 17)
#define RCC_APB1LENR_USART3EN (1u << 18)
#define RCC_APB1LENR_UART4EN  (1u << 19)
#define RCC_APB1LENR_UART5EN  (1u << 20)
/* RCC_APB2ENR */
#define RCC_APB2ENR_USART1EN  (1u << 4)
/* RCC_APB4ENR */
#define RCC_APB4ENR_SYSCFGEN  (1u << 1)
#define RCC_APB4ENR_LPUART1EN (1u << 3)
/* RCC_D3CCIPR: LPUART1SEL [2:0], 000 rcc_pclk4 */
#define RCC_D3CCIPR_LPUART1SEL_Msk (7u << 0)

/* Reset values (RM0399) used by the optional full SystemInit */
#define RCC_PLLCKSELR_RESET   0x02020200u
#define RCC_PLLCFGR_RESET     0x01FF0000u
#define RCC_PLLxDIVR_RESET    0x01010280u

/* ==== PWR ===================================================================== */
struct h7_pwr {
    volatile uint32_t CR1;     /* 0x00 */
    volatile uint32_t CSR1;    /* 0x04 */
    volatile uint32_t CR2;     /* 0x08 */
    volatile uint32_t CR3;     /* 0x0C */
    volatile uint32_t CPUCR;   /* 0x10 CPU1 (CM7) power control */
    volatile uint32_t CPU2CR;  /* 0x14 CPU2 (CM4) power control */
    volatile uint32_t D3CR;    /* 0x18 */
    uint32_t          reserved0; /* 0x1C */
    volatile uint32_t WKUPCR;  /* 0x20 */
    volatile uint32_t WKUPFR;  /* 0x24 */
    volatile uint32_t WKUPEPR; /* 0x28 */
};
H7_REG_AT(struct h7_pwr, CPU2CR, 0x14);
H7_REG_AT(struct h7_pwr, D3CR, 0x18);
H7_REG_AT(struct h7_pwr, WKUPEPR, 0x28);
#define PWR ((struct h7_pwr *)PWR_BASE)

#define PWR_CR1_LPDS          (1u << 0)
#define PWR_CSR1_ACTVOSRDY    (1u << 13)
#define PWR_CSR1_ACTVOS_Msk   (3u << 14)
#define PWR_CR3_BYPASS        (1u << 0)
#define PWR_CR3_LDOEN         (1u << 1)
#define PWR_CR3_SMPSEN        (1u << 2)
#define PWR_CPUCR_PDDS_D1     (1u << 0)
#define PWR_CPUCR_PDDS_D2     (1u << 1)
#define PWR_CPUCR_PDDS_D3     (1u << 2)
#define PWR_CPUCR_STOPF       (1u << 5)
#define PWR_CPUCR_SBF         (1u << 6)
#define PWR_CPUCR_SBF_D1      (1u << 7)
#define PWR_CPUCR_SBF_D2      (1u << 8)
#define PWR_CPUCR_CSSF        (1u << 9)
#define PWR_CPUCR_HOLD2F      (1u << 4)  /* CPU2 on hold, CPU1 woken by its source */
#define PWR_CPUCR_HOLD2       (1u << 10) /* hold CPU2 when the system leaves Stop */
#define PWR_CPUCR_RUN_D3      (1u << 11)
#define PWR_CPU2CR_PDDS_D1    (1u << 0)
#define PWR_CPU2CR_PDDS_D2    (1u << 1)
#define PWR_CPU2CR_PDDS_D3    (1u << 2)
#define PWR_CPU2CR_STOPF      (1u << 5)
#define PWR_CPU2CR_SBF        (1u << 6)
#define PWR_CPU2CR_SBF_D1     (1u << 7)
#define PWR_CPU2CR_SBF_D2     (1u << 8)
#define PWR_CPU2CR_CSSF       (1u << 9)
#define PWR_CPU2CR_HOLD1F     (1u << 4)
#define PWR_CPU2CR_HOLD1      (1u << 10)
#define PWR_CPU2CR_RUN_D3     (1u << 11)
#define PWR_D3CR_VOSRDY       (1u << 13)
#define PWR_D3CR_VOS_Pos      14u
#define PWR_D3CR_VOS_Msk      (3u << 14)

/* ==== USART: register block and bits in stm32_usart.h (same IP on the MP15) ====== */
#define USART1 ((struct stm32_usart *)USART1_BASE)
#define USART2 ((struct stm32_usart *)USART2_BASE)
#define USART3 ((struct stm32_usart *)USART3_BASE)
#define LPUART1 ((struct stm32_usart *)LPUART1_BASE) /* the LPUART's subset of the same map */

/* ==== HSEM (hardware semaphores) ================================================ */
struct h7_hsem {
    volatile uint32_t R[32];    /* 0x000 HSEM_Rx: 2-step lock (write) / status   */
    volatile uint32_t RLR[32];  /* 0x080 HSEM_RLRx: 1-step read lock             */
    volatile uint32_t C1IER;    /* 0x100 CPU1 (CM7) interrupt enable              */
    volatile uint32_t C1ICR;    /* 0x104 CPU1 interrupt clear (w1c)               */
    volatile uint32_t C1ISR;    /* 0x108 CPU1 interrupt status                    */
    volatile uint32_t C1MISR;   /* 0x10C CPU1 masked interrupt status             */
    volatile uint32_t C2IER;    /* 0x110 CPU2 (CM4) interrupt enable              */
    volatile uint32_t C2ICR;    /* 0x114 */
    volatile uint32_t C2ISR;    /* 0x118 */
    volatile uint32_t C2MISR;   /* 0x11C */
    uint32_t          reserved0[8]; /* 0x120 - 0x13C */
    volatile uint32_t CR;       /* 0x140 clear (unlock all of a COREID with KEY) */
    volatile uint32_t KEYR;     /* 0x144 clear key                               */
};
H7_REG_AT(struct h7_hsem, RLR, 0x080);
H7_REG_AT(struct h7_hsem, C1IER, 0x100);
H7_REG_AT(struct h7_hsem, C1ICR, 0x104);
H7_REG_AT(struct h7_hsem, C1MISR, 0x10C);
H7_REG_AT(struct h7_hsem, C2IER, 0x110);
H7_REG_AT(struct h7_hsem, C2ICR, 0x114);
H7_REG_AT(struct h7_hsem, C2ISR, 0x118);
H7_REG_AT(struct h7_hsem, C2MISR, 0x11C);
H7_REG_AT(struct h7_hsem, CR, 0x140);
H7_REG_AT(struct h7_hsem, KEYR, 0x144);
#define HSEM ((struct h7_hsem *)HSEM_BASE)

#define HSEM_R_PROCID_Pos   0u
#define HSEM_R_PROCID_Msk   (0xFFu << 0)
#define HSEM_R_COREID_Pos   8u
#define HSEM_R_COREID_Msk   (0xFu << 8)
#define HSEM_R_LOCK         (1u << 31)
#define HSEM_CR_COREID_Pos  8u
#define HSEM_CR_KEY_Pos     16u
#define HSEM_KEYR_KEY_Pos   16u
#define HSEM_COREID_CM7     3u   /* bus master id of CPU1 */
#define HSEM_COREID_CM4     1u   /* bus master id of CPU2 */
#define HSEM_SEMAPHORE_COUNT 32u
/* CxIER / CxICR / CxISR / CxMISR: bit n belongs to semaphore n */
#define HSEM_SEM_BIT(n)     (1u << (n))
/* CR / KEYR: KEY[31:16]; CR also COREID[11:8] (clears all semaphores of that core) */
#define HSEM_CR_KEY_Msk     (0xFFFFu << 16)
#define HSEM_CR_COREID_Msk  (0xFu << 8)

/* ==== EXTI (per-CPU mask/pending banks: C1 = CM7, C2 = CM4) ===================== */
struct h7_exti {
    volatile uint32_t RTSR1;    /* 0x00 */
    volatile uint32_t FTSR1;    /* 0x04 */
    volatile uint32_t SWIER1;   /* 0x08 */
    volatile uint32_t D3PMR1;   /* 0x0C */
    volatile uint32_t D3PCR1L;  /* 0x10 */
    volatile uint32_t D3PCR1H;  /* 0x14 */
    uint32_t          reserved0[2];
    volatile uint32_t RTSR2;    /* 0x20 */
    volatile uint32_t FTSR2;    /* 0x24 */
    volatile uint32_t SWIER2;   /* 0x28 */
    volatile uint32_t D3PMR2;   /* 0x2C */
    volatile uint32_t D3PCR2L;  /* 0x30 */
    volatile uint32_t D3PCR2H;  /* 0x34 */
    uint32_t          reserved1[2];
    volatile uint32_t RTSR3;    /* 0x40 */
    volatile uint32_t FTSR3;    /* 0x44 */
    volatile uint32_t SWIER3;   /* 0x48 */
    volatile uint32_t D3PMR3;   /* 0x4C */
    volatile uint32_t D3PCR3L;  /* 0x50 */
    volatile uint32_t D3PCR3H;  /* 0x54 */
    uint32_t          reserved2[10]; /* 0x58 - 0x7C */
    volatile uint32_t C1IMR1;   /* 0x80 */
    volatile uint32_t C1EMR1;   /* 0x84 */
    volatile uint32_t C1PR1;    /* 0x88 */
    uint32_t          reserved3;
    volatile uint32_t C1IMR2;   /* 0x90 */
    volatile uint32_t C1EMR2;   /* 0x94 */
    volatile uint32_t C1PR2;    /* 0x98 */
    uint32_t          reserved4;
    volatile uint32_t C1IMR3;   /* 0xA0 */
    volatile uint32_t C1EMR3;   /* 0xA4 */
    volatile uint32_t C1PR3;    /* 0xA8 */
    uint32_t          reserved5[5]; /* 0xAC - 0xBC */
    volatile uint32_t C2IMR1;   /* 0xC0 */
    volatile uint32_t C2EMR1;   /* 0xC4 */
    volatile uint32_t C2PR1;    /* 0xC8 */
    uint32_t          reserved6;
    volatile uint32_t C2IMR2;   /* 0xD0 */
    volatile uint32_t C2EMR2;   /* 0xD4 */
    volatile uint32_t C2PR2;    /* 0xD8 */
    uint32_t          reserved7;
    volatile uint32_t C2IMR3;   /* 0xE0 */
    volatile uint32_t C2EMR3;   /* 0xE4 */
    volatile uint32_t C2PR3;    /* 0xE8 */
};
H7_REG_AT(struct h7_exti, RTSR2, 0x20);
H7_REG_AT(struct h7_exti, RTSR3, 0x40);
H7_REG_AT(struct h7_exti, D3PCR3H, 0x54);
H7_REG_AT(struct h7_exti, C1IMR1, 0x80);
H7_REG_AT(struct h7_exti, C1PR1, 0x88);
H7_REG_AT(struct h7_exti, C1IMR2, 0x90);
H7_REG_AT(struct h7_exti, C1IMR3, 0xA0);
H7_REG_AT(struct h7_exti, C1EMR3, 0xA4);
H7_REG_AT(struct h7_exti, C2IMR1, 0xC0);
H7_REG_AT(struct h7_exti, C2PR1, 0xC8);
H7_REG_AT(struct h7_exti, C2IMR3, 0xE0);
H7_REG_AT(struct h7_exti, C2EMR3, 0xE4);
H7_REG_AT(struct h7_exti, C2PR3, 0xE8);
#define EXTI ((struct h7_exti *)EXTI_BASE)

/* EXTI line 78 as seen from register bank 3 (lines 64..88): bit 14 */
#define EXTI_LINE_BIT3(line) (1u << ((line) - 64u))

/* Direct (event/wake-up only, no pending bit) lines of bank 3 used by the dual-core
 * demos (RM0399 EXTI event input mapping). CxEMR3 bit = event to that CPU (wakes WFE),
 * CxIMR3 bit = interrupt to that CPU's NVIC. */
#define EXTI_LINE_HSEM1     77u  /* HSEM1 interrupt (CPU1 = CM7) as CM7 event/wake-up  */
#define EXTI_LINE_HSEM2     78u  /* HSEM2 interrupt (CPU2 = CM4) as CM4 event/wake-up  */
#define EXTI_LINE_CM4_SEV   79u  /* CM4 SEV -> CM7: C1EMR3 bit 15 event, C1IMR3 IRQ 65 */
#define EXTI_LINE_CM7_SEV   80u  /* CM7 SEV -> CM4: C2EMR3 bit 16 event, C2IMR3 IRQ 64 */
_Static_assert(EXTI_LINE_BIT3(EXTI_LINE_CM4_SEV) == (1u << 15), "line 79 = bank 3 bit 15");
_Static_assert(EXTI_LINE_BIT3(EXTI_LINE_CM7_SEV) == (1u << 16), "line 80 = bank 3 bit 16");

/* Configurable lines 0..21 live in bank 1: bit n of RTSR1, FTSR1, SWIER1, CxIMR1,
 * CxEMR1 and CxPR1 (write 1 to clear) belongs to line n.
 * Lines 0..15 are GPIO pin n of the port SYSCFG_EXTICRx selects; SWIER1 raises any of
 * them by software (a write of 1 triggers, the bit reads 0). */
#define EXTI_LINE_BIT1(line) (1u << (line))
H7_REG_AT(struct h7_exti, FTSR1, 0x04);
H7_REG_AT(struct h7_exti, SWIER1, 0x08);
H7_REG_AT(struct h7_exti, C1EMR1, 0x84);
H7_REG_AT(struct h7_exti, C2EMR1, 0xC4);

/* ==== SYSCFG ===================================================================== */
struct h7_syscfg {
    uint32_t          reserved0;    /* 0x000 */
    volatile uint32_t PMCR;         /* 0x004 */
    volatile uint32_t EXTICR[4];    /* 0x008 - 0x014 */
    volatile uint32_t CFGR;         /* 0x018 */
    uint32_t          reserved1;    /* 0x01C */
    volatile uint32_t CCCSR;        /* 0x020 compensation cell control/status */
    volatile uint32_t CCVR;         /* 0x024 */
    volatile uint32_t CCCR;         /* 0x028 */
    volatile uint32_t PWRCR;        /* 0x02C */
    uint32_t          reserved2[61];/* 0x030 - 0x120 */
    volatile uint32_t PKGR;         /* 0x124 */
    uint32_t          reserved3[118]; /* 0x128 - 0x2FC */
    volatile uint32_t UR[18];       /* 0x300 - 0x344 user registers UR0..UR17 */
};
H7_REG_AT(struct h7_syscfg, EXTICR, 0x008);
H7_REG_AT(struct h7_syscfg, CCCSR, 0x020);
H7_REG_AT(struct h7_syscfg, PKGR, 0x124);
H7_REG_AT(struct h7_syscfg, UR, 0x300);
#define SYSCFG ((struct h7_syscfg *)SYSCFG_BASE)
/* SYSCFG_EXTICR1..4 (EXTICR[0..3]): EXTIx[3:0] selects the GPIO port of EXTI line x,
 * 0000 = PA ... 1010 = PK (the port index of GPIO(port)); line x is in EXTICR[x / 4]
 * at bit 4 * (x % 4). */
#define SYSCFG_EXTICR_EXTI_Pos(line) (((uint32_t)(line) & 3u) * 4u)
#define SYSCFG_EXTICR_EXTI_Msk(line) (0xFu << SYSCFG_EXTICR_EXTI_Pos(line))
H7_REG_AT(struct h7_syscfg, EXTICR[3], 0x014); /* SYSCFG_EXTICR4: lines 12..15 */
#define SYSCFG_CCCSR_EN  (1u << 0)
#define SYSCFG_CCCSR_READY (1u << 8)
/* User registers mirroring the option bytes (dual-core layout, boot address = value << 16):
 * UR1 BCM4 bit 0, BCM7 bit 16; UR2[31:16] BCM7_ADD0; UR3[15:0] BCM7_ADD1,
 * UR3[31:16] BCM4_ADD0; UR4[15:0] BCM4_ADD1. */
#define SYSCFG_UR3_BCM4_ADD0_Pos 16u
#define SYSCFG_UR3_BCM4_ADD0     (0xFFFFu << SYSCFG_UR3_BCM4_ADD0_Pos)

/* ==== GPIO ======================================================================= */
struct h7_gpio {
    volatile uint32_t MODER;   /* 0x00 */
    volatile uint32_t OTYPER;  /* 0x04 */
    volatile uint32_t OSPEEDR; /* 0x08 */
    volatile uint32_t PUPDR;   /* 0x0C */
    volatile uint32_t IDR;     /* 0x10 */
    volatile uint32_t ODR;     /* 0x14 */
    volatile uint32_t BSRR;    /* 0x18 */
    volatile uint32_t LCKR;    /* 0x1C */
    volatile uint32_t AFR[2];  /* 0x20 AFRL, 0x24 AFRH */
};
H7_REG_AT(struct h7_gpio, ODR, 0x14);
H7_REG_AT(struct h7_gpio, BSRR, 0x18);
H7_REG_AT(struct h7_gpio, AFR, 0x20);
#define GPIO(port) ((struct h7_gpio *)GPIO_BASE(port))
#define GPIOA GPIO(0)
#define GPIOB GPIO(1)
#define GPIOC GPIO(2)
#define GPIOD GPIO(3)
#define GPIOE GPIO(4)
#define GPIOI GPIO(8)
#define GPIOJ GPIO(9)
#define GPIO_MODER_INPUT  0u
#define GPIO_MODER_OUTPUT 1u
#define GPIO_MODER_AF     2u
#define GPIO_MODER_ANALOG 3u
/* GPIOx_OSPEEDR OSPEEDy[1:0] / GPIOx_PUPDR PUPDy[1:0] values (2 bits per pin) */
#define GPIO_OSPEEDR_LOW       0u
#define GPIO_OSPEEDR_MEDIUM    1u
#define GPIO_OSPEEDR_HIGH      2u
#define GPIO_OSPEEDR_VERY_HIGH 3u
#define GPIO_PUPDR_NONE        0u
#define GPIO_PUPDR_PULLUP      1u
#define GPIO_PUPDR_PULLDOWN    2u
H7_REG_AT(struct h7_gpio, OSPEEDR, 0x08);
H7_REG_AT(struct h7_gpio, PUPDR, 0x0C);
H7_REG_AT(struct h7_gpio, IDR, 0x10);
/* GPIOx_AFRL (pins 0-7) / AFRH (pins 8-15): AFSELy[3:0] per pin */
#define GPIO_AFR_AFSEL_Pos(pin) (((uint32_t)(pin) & 7u) * 4u)

/* ==== DBGMCU ===================================================================== */
struct h7_dbgmcu {
    volatile uint32_t IDCODE;  /* 0x00 DEV_ID [11:0], REV_ID [31:16] */
    volatile uint32_t CR;      /* 0x04 */
};
#define DBGMCU ((struct h7_dbgmcu *)DBGMCU_BASE)
#define DBGMCU_IDCODE_DEV_ID_Msk 0xFFFu
#define DBGMCU_IDCODE_REV_ID_Pos 16u
#define DBGMCU_REV_ID_Y          0x1003u  /* revision Y; revision V is 0x2003 */

/* ==== FLASH interface (a few registers, for later boot-address demos) ============ */
#define FLASH_ACR        (*(volatile uint32_t *)(FLASH_R_BASE + 0x00u))
#define FLASH_OPTSR_CUR  (*(volatile uint32_t *)(FLASH_R_BASE + 0x1Cu))
#define FLASH_BOOT7_CUR  (*(volatile uint32_t *)(FLASH_R_BASE + 0x40u))
#define FLASH_BOOT4_CUR  (*(volatile uint32_t *)(FLASH_R_BASE + 0x48u))
#define FLASH_ACR_LATENCY_Msk 0xFu
#define FLASH_OPTSR_BCM4 (1u << 22)
#define FLASH_OPTSR_BCM7 (1u << 23)

/* ==== FMC bank 1 control register 1 (used by ST's CM7 SystemInit) ================ */
#define FMC_BTCR0        (*(volatile uint32_t *)(FMC_R_BASE + 0x00u))

/* ==== AXI interconnect target-1 read issuing register (rev Y workaround) ========= */
#define AXI_TARG7_FN_MOD (*(volatile uint32_t *)(AXI_GPV_BASE + 0x8108u))

/* ==== Clock tree, supply and CM4 ART fields (ST's SystemClock_Config / HAL_Init) == */
/* RCC_CFGR.SW (SWS reads the same codes at [5:3]) */
#define RCC_CFGR_SW_HSI           0u
#define RCC_CFGR_SW_CSI           1u
#define RCC_CFGR_SW_HSE           2u
#define RCC_CFGR_SW_PLL1          3u
/* RCC_D1CFGR / RCC_D2CFGR / RCC_D3CFGR prescalers.  HPRE and D1CPRE: 0xxx = /1,
 * 1000 = /2 ... 1111 = /512; DxPPREx: 0xx = /1, 100 = /2 ... 111 = /16. */
#define RCC_D1CFGR_HPRE_Pos       0u
#define RCC_D1CFGR_HPRE_Msk       (0xFu << 0)
#define RCC_D1CFGR_D1PPRE_Pos     4u
#define RCC_D1CFGR_D1PPRE_Msk     (7u << 4)
#define RCC_D1CFGR_D1CPRE_Pos     8u
#define RCC_D1CFGR_D1CPRE_Msk     (0xFu << 8)
#define RCC_D2CFGR_D2PPRE1_Pos    4u
#define RCC_D2CFGR_D2PPRE1_Msk    (7u << 4)
#define RCC_D2CFGR_D2PPRE2_Pos    8u
#define RCC_D2CFGR_D2PPRE2_Msk    (7u << 8)
#define RCC_D3CFGR_D3PPRE_Pos     4u
#define RCC_D3CFGR_D3PPRE_Msk     (7u << 4)
#define RCC_HPRE_DIV1             0u
#define RCC_HPRE_DIV2             8u
#define RCC_PPRE_DIV1             0u
#define RCC_PPRE_DIV2             4u
/* RCC_PLLCKSELR: PLLSRC [1:0] (00 HSI, 01 CSI, 10 HSE, 11 none), DIVM1 [9:4] */
#define RCC_PLLCKSELR_PLLSRC_Pos  0u
#define RCC_PLLCKSELR_PLLSRC_Msk  (3u << 0)
#define RCC_PLLCKSELR_PLLSRC_HSI  0u
#define RCC_PLLCKSELR_PLLSRC_CSI  1u
#define RCC_PLLCKSELR_PLLSRC_HSE  2u
#define RCC_PLLCKSELR_PLLSRC_NONE 3u
#define RCC_PLLCKSELR_DIVM1_Pos   4u
#define RCC_PLLCKSELR_DIVM1_Msk   (0x3Fu << 4)
/* RCC_PLLCFGR, PLL1 fields: PLL1RGE = reference range (0: 1-2, 1: 2-4, 2: 4-8,
 * 3: 8-16 MHz); PLL1VCOSEL 0 = wide VCO range (192-836 MHz), 1 = medium (150-420 MHz) */
#define RCC_PLLCFGR_PLL1FRACEN    (1u << 0)
#define RCC_PLLCFGR_PLL1VCOSEL    (1u << 1)
#define RCC_PLLCFGR_PLL1RGE_Pos   2u
#define RCC_PLLCFGR_PLL1RGE_Msk   (3u << 2)
#define RCC_PLLCFGR_DIVP1EN       (1u << 16)
#define RCC_PLLCFGR_DIVQ1EN       (1u << 17)
#define RCC_PLLCFGR_DIVR1EN       (1u << 18)
/* RCC_PLL1DIVR: DIVN1 [8:0] (N - 1), DIVP1 [15:9], DIVQ1 [22:16], DIVR1 [30:24] (div - 1) */
#define RCC_PLL1DIVR_DIVN1_Pos    0u
#define RCC_PLL1DIVR_DIVN1_Msk    (0x1FFu << 0)
#define RCC_PLL1DIVR_DIVP1_Pos    9u
#define RCC_PLL1DIVR_DIVP1_Msk    (0x7Fu << 9)
#define RCC_PLL1DIVR_DIVQ1_Pos    16u
#define RCC_PLL1DIVR_DIVQ1_Msk    (0x7Fu << 16)
#define RCC_PLL1DIVR_DIVR1_Pos    24u
#define RCC_PLL1DIVR_DIVR1_Msk    (0x7Fu << 24)
/* RCC_PLL1FRACR: FRACN1 [15:3] */
#define RCC_PLL1FRACR_FRACN1_Pos  3u
#define RCC_PLL1FRACR_FRACN1_Msk  (0x1FFFu << 3)
/* PWR_CR3 under RM0399's names (SDEN is the bit ST's headers call SMPSEN) */
#define PWR_CR3_SDEN              (1u << 2)
#define PWR_CR3_SDEXTHP           (1u << 3)
#define PWR_CR3_SDLEVEL_Msk       (3u << 4)
#define PWR_CR3_SDEXTRDY          (1u << 16)
/* SYSCFG_PWRCR: ODEN, overdrive (VOS0) enable */
#define SYSCFG_PWRCR_ODEN         (1u << 0)
/* ART accelerator (CM4 instruction cache) control register ART_CTR */
#define ART_CTR                   (*(volatile uint32_t *)(ART_BASE + 0x00u))
#define ART_CTR_EN                (1u << 0)
#define ART_CTR_PCACHEADDR_Pos    8u
#define ART_CTR_PCACHEADDR_Msk    (0xFFFu << 8)  /* cached 1 MB region: address [31:20] */

#endif /* AMPVP_STM32H745_REGS_H */
