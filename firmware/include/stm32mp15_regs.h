/*
 * stm32mp15_regs.h - STM32MP15 registers used by the ampvp firmware (MCU side).
 *
 * Written for ampvp from public facts: RM0436 (STM32MP157 reference manual) register
 * maps and the register offsets/bit positions of ST's public CMSIS device header.
 * Register names are the RM0436 names without the peripheral prefix
 * (RCC_MP_GCR -> RCC->MP_GCR, IPCC_C2SCR -> IPCC->C2SCR); bit macros are
 * PERIPH_REG_FIELD. Offsets are checked at compile time.
 *
 * Two kinds of image use it (platform.h): the Cortex-M4 (FW_TARGET_MP15_M4, IPCC
 * processor 2, HSEM COREID 2) and, on the ampvp machine "stm32mp157-2m", a second
 * Cortex-M instance playing the Cortex-A7 side (FW_TARGET_MP15_P1, IPCC processor 1,
 * HSEM COREID 1). The peripherals are the same; which register bank a core uses (RCC
 * MP_ vs MC_ enables, IPCC C1 vs C2) is chosen by the code, as ST's HAL does with
 * CORE_CA7 / CORE_CM4.
 *
 * Only what the demos use is defined; extend as needed.
 */
#ifndef AMPVP_STM32MP15_REGS_H
#define AMPVP_STM32MP15_REGS_H

#include <stddef.h>
#include <stdint.h>

#include "cortex_m.h"
#include "stm32_usart.h"

/* ==== Memories (RM0436 memory map, Cortex-M4 view) ============================ */
#define RETRAM_BASE       0x00000000u  /* 64 KB, M4 vector table (A7: 0x38000000)  */
#define MCU_SRAM1_BASE    0x10000000u  /* 128 KB (alias 0x30000000)                */
#define MCU_SRAM2_BASE    0x10020000u  /* 128 KB                                   */
#define MCU_SRAM3_BASE    0x10040000u  /* 64 KB: OpenAMP IPC shared memory         */
#define MCU_SRAM4_BASE    0x10050000u  /* 64 KB                                    */
#define SYSRAM_BASE       0x2FFC0000u  /* 256 KB                                   */

/* ==== Peripheral base addresses =============================================== */
#define TIM2_BASE         0x40000000u
#define USART3_BASE       0x4000F000u
#define HSEM_BASE         0x4C000000u
#define IPCC_BASE         0x4C001000u
#define RCC_BASE          0x50000000u
#define PWR_BASE          0x50001000u
#define GPIOA_BASE        0x50002000u
#define GPIO_PORT_STRIDE  0x1000u
#define GPIO_BASE(port)   (GPIOA_BASE + (uint32_t)(port) * GPIO_PORT_STRIDE) /* 0=A ... 10=K */
#define EXTI_BASE         0x5000D000u
#define SYSCFG_BASE       0x50020000u

/* ==== RCC (RM0436 "RCC register map"; only the registers used here) =========== */
struct mp15_rcc {
    volatile uint32_t TZCR;            /* 0x000 */
    uint32_t          r0[5];           /* 0x004 */
    volatile uint32_t HSICFGR;         /* 0x018 */
    uint32_t          r1[11];          /* 0x01C */
    volatile uint32_t MSSCKSELR;       /* 0x048 */
    uint32_t          r2[45];          /* 0x04C */
    volatile uint32_t MP_BOOTCR;       /* 0x100 */
    volatile uint32_t MP_SREQSETR;     /* 0x104 */
    volatile uint32_t MP_SREQCLRR;     /* 0x108 */
    volatile uint32_t MP_GCR;          /* 0x10C global control: BOOT_MCU */
    uint32_t          r3[452];         /* 0x110 */
    volatile uint32_t RCK3SELR;        /* 0x820 */
    uint32_t          r4[3];           /* 0x824 */
    volatile uint32_t MCUDIVR;         /* 0x830 */
    volatile uint32_t APB1DIVR;        /* 0x834 */
    uint32_t          r5[45];          /* 0x838 */
    volatile uint32_t UART35CKSELR;    /* 0x8EC USART3/UART5 kernel clock: 0 = pclk1 */
    uint32_t          r6[68];          /* 0x8F0 */
    volatile uint32_t MP_APB1ENSETR;   /* 0xA00 MPU view: write 1 to set, read = state */
    volatile uint32_t MP_APB1ENCLRR;   /* 0xA04 */
    uint32_t          r7[6];           /* 0xA08 */
    volatile uint32_t MP_AHB3ENSETR;   /* 0xA20 */
    volatile uint32_t MP_AHB3ENCLRR;   /* 0xA24 */
    volatile uint32_t MP_AHB4ENSETR;   /* 0xA28 */
    volatile uint32_t MP_AHB4ENCLRR;   /* 0xA2C */
    uint32_t          r8[20];          /* 0xA30 */
    volatile uint32_t MC_APB1ENSETR;   /* 0xA80 MCU view */
    volatile uint32_t MC_APB1ENCLRR;   /* 0xA84 */
    uint32_t          r9[6];           /* 0xA88 */
    volatile uint32_t MC_AHB3ENSETR;   /* 0xAA0 */
    volatile uint32_t MC_AHB3ENCLRR;   /* 0xAA4 */
    volatile uint32_t MC_AHB4ENSETR;   /* 0xAA8 */
    volatile uint32_t MC_AHB4ENCLRR;   /* 0xAAC */
    uint32_t          r10[84];         /* 0xAB0 */
    volatile uint32_t MC_RSTSCLRR;     /* 0xC00 MCU reset flags, write 1 to clear */
};
CM_REG_AT(struct mp15_rcc, HSICFGR, 0x018);
CM_REG_AT(struct mp15_rcc, MSSCKSELR, 0x048);
CM_REG_AT(struct mp15_rcc, MP_GCR, 0x10C);
CM_REG_AT(struct mp15_rcc, RCK3SELR, 0x820);
CM_REG_AT(struct mp15_rcc, MCUDIVR, 0x830);
CM_REG_AT(struct mp15_rcc, UART35CKSELR, 0x8EC);
CM_REG_AT(struct mp15_rcc, MP_APB1ENSETR, 0xA00);
CM_REG_AT(struct mp15_rcc, MP_AHB3ENSETR, 0xA20);
CM_REG_AT(struct mp15_rcc, MP_AHB4ENSETR, 0xA28);
CM_REG_AT(struct mp15_rcc, MC_APB1ENSETR, 0xA80);
CM_REG_AT(struct mp15_rcc, MC_AHB3ENSETR, 0xAA0);
CM_REG_AT(struct mp15_rcc, MC_AHB4ENSETR, 0xAA8);
CM_REG_AT(struct mp15_rcc, MC_RSTSCLRR, 0xC00);
#define RCC ((struct mp15_rcc *)RCC_BASE)

/* RCC_MP_GCR: BOOT_MCU = 1 lets the MCU boot (Linux remoteproc's "hold boot" release) */
#define RCC_MP_GCR_BOOT_MCU        (1u << 0)
/* APB1 enables (same bit in the MP_ and MC_ SETR/CLRR registers) */
#define RCC_APB1ENSETR_TIM2EN      (1u << 0)
#define RCC_APB1ENSETR_USART3EN    (1u << 15)
/* AHB3 enables */
#define RCC_AHB3ENSETR_HSEMEN      (1u << 11)
#define RCC_AHB3ENSETR_IPCCEN      (1u << 12)
/* AHB4 enables: GPIOA (bit 0) ... GPIOK (bit 10) */
#define RCC_AHB4ENSETR_GPIOEN(port) (1u << (port))

/* ==== IPCC (RM0436 "IPCC registers"; same IP as the STM32WB's) ================= */
/* One bank per processor: C1 = processor 1 (Cortex-A7, or the "mpu" core of
 * stm32mp157-2m), C2 = processor 2 (Cortex-M4). */
struct mp15_ipcc_bank {
    volatile uint32_t CR;    /* +0x0 CxCR: RXOIE, TXFIE                                   */
    volatile uint32_t MR;    /* +0x4 CxMR: CHnOM (bits 0-5), CHnFM (16-21); 1 = masked    */
    volatile uint32_t SCR;   /* +0x8 CxSCR (write-only, reads 0): CHnC clears the OTHER
                              *      side's flag, CHnS sets this side's flag              */
    volatile uint32_t TOSR;  /* +0xC CxTOCySR: this side's flags (occupied = 1), read-only */
};
struct mp15_ipcc {
    struct mp15_ipcc_bank C1; /* 0x00 C1CR, C1MR, C1SCR, C1TOC2SR */
    struct mp15_ipcc_bank C2; /* 0x10 C2CR, C2MR, C2SCR, C2TOC1SR */
    uint32_t          r0[244];
    volatile uint32_t HWCFGR; /* 0x3F0 [7:0] number of channels */
    volatile uint32_t VERR;   /* 0x3F4 */
    volatile uint32_t IPIDR;  /* 0x3F8 */
    volatile uint32_t SIDR;   /* 0x3FC */
};
CM_REG_AT(struct mp15_ipcc, C2, 0x10);
CM_REG_AT(struct mp15_ipcc, HWCFGR, 0x3F0);
CM_REG_AT(struct mp15_ipcc, SIDR, 0x3FC);
#define IPCC ((struct mp15_ipcc *)IPCC_BASE)

#define IPCC_CHANNELS         6u
#define IPCC_CR_RXOIE         (1u << 0)
#define IPCC_CR_TXFIE         (1u << 16)
#define IPCC_MR_CHnOM(n)      (1u << (n))          /* n = channel index 0..5 */
#define IPCC_MR_CHnFM(n)      (1u << (16u + (n)))
#define IPCC_SCR_CHnC(n)      (1u << (n))
#define IPCC_SCR_CHnS(n)      (1u << (16u + (n)))
#define IPCC_SR_CHnF(n)       (1u << (n))
#define IPCC_ALL_RX_BUF       0x0000003Fu          /* HAL's names for the six OM / C bits */
#define IPCC_ALL_TX_BUF       0x003F0000u          /* ... and the six FM / S bits         */

/* ==== HSEM (RM0436 "HSEM registers") ============================================ */
struct mp15_hsem {
    volatile uint32_t R[32];    /* 0x000 HSEM_Rx: 2-step lock (write) / status  */
    volatile uint32_t RLR[32];  /* 0x080 HSEM_RLRx: 1-step read lock            */
};
CM_REG_AT(struct mp15_hsem, RLR, 0x080);
#define HSEM ((struct mp15_hsem *)HSEM_BASE)
#define HSEM_R_LOCK           (1u << 31)
#define HSEM_R_COREID_Pos     8u
#define HSEM_COREID_MPU       1u   /* Cortex-A7 (and the "mpu" core of stm32mp157-2m) */
#define HSEM_COREID_MCU       2u   /* Cortex-M4 */

/* ==== EXTI (RM0436 "EXTI registers": the CPU2 = MCU mask bank) =================== */
#define EXTI_C2IMR1 (*(volatile uint32_t *)(EXTI_BASE + 0x0C0u))
#define EXTI_C2EMR1 (*(volatile uint32_t *)(EXTI_BASE + 0x0C4u))
#define EXTI_C2IMR2 (*(volatile uint32_t *)(EXTI_BASE + 0x0D0u))
#define EXTI_C2EMR2 (*(volatile uint32_t *)(EXTI_BASE + 0x0D4u))
#define EXTI_C2IMR3 (*(volatile uint32_t *)(EXTI_BASE + 0x0E0u))
#define EXTI_C2EMR3 (*(volatile uint32_t *)(EXTI_BASE + 0x0E4u))

/* ==== SYSCFG ====================================================================== */
/* SYSCFG_BOOTR: BOOT[2:0] = the BOOT pins latched at reset; 0b100 = engineering boot
 * (the M4 runs alone and sets up its clocks itself). */
#define SYSCFG_BOOTR          (*(volatile uint32_t *)(SYSCFG_BASE + 0x000u))
#define SYSCFG_BOOTR_BOOT_Msk 7u
#define SYSCFG_BOOTR_BOOT_ENGI 4u

/* ==== GPIO (RM0436 "GPIO registers"; same layout as the STM32H7's) ================ */
struct mp15_gpio {
    volatile uint32_t MODER;   /* 0x00 */
    volatile uint32_t OTYPER;  /* 0x04 */
    volatile uint32_t OSPEEDR; /* 0x08 */
    volatile uint32_t PUPDR;   /* 0x0C */
    volatile uint32_t IDR;     /* 0x10 */
    volatile uint32_t ODR;     /* 0x14 */
    volatile uint32_t BSRR;    /* 0x18 */
    volatile uint32_t LCKR;    /* 0x1C */
    volatile uint32_t AFR[2];  /* 0x20 */
};
CM_REG_AT(struct mp15_gpio, BSRR, 0x18);
#define GPIO(port) ((struct mp15_gpio *)GPIO_BASE(port))
#define GPIO_PORT_A 0u
#define GPIO_PORT_H 7u
#define GPIO_MODER_OUTPUT     1u
#define GPIO_OSPEEDR_VERY_HIGH 3u
#define GPIO_PUPDR_PULLUP     1u

/* ==== USART3 (console; register block in stm32_usart.h) =========================== */
#define USART3 ((struct stm32_usart *)USART3_BASE)

#endif /* AMPVP_STM32MP15_REGS_H */
