/*
 * cortex_m.h - Armv7-M system registers used by the ampvp firmware.
 *
 * Written for ampvp from the Armv7-M Architecture Reference Manual (ARM DDI 0403)
 * and the Cortex-M7 / Cortex-M4 Technical Reference Manuals: System Control Block,
 * NVIC, SysTick, FPU context registers, plus the few instructions we need as inline
 * functions. Register names follow the Arm manuals.
 */
#ifndef AMPVP_CORTEX_M_H
#define AMPVP_CORTEX_M_H

#include <stddef.h>
#include <stdint.h>

#define CM_REG_AT(type, member, off) \
    _Static_assert(offsetof(type, member) == (off), #type "." #member " offset")

/* ---- System Control Block, 0xE000ED00 ------------------------------------ */
struct cm_scb {
    volatile uint32_t CPUID;      /* 0x00 CPUID base register (RO)            */
    volatile uint32_t ICSR;       /* 0x04 interrupt control and state         */
    volatile uint32_t VTOR;       /* 0x08 vector table offset                 */
    volatile uint32_t AIRCR;      /* 0x0C application interrupt/reset control */
    volatile uint32_t SCR;        /* 0x10 system control                      */
    volatile uint32_t CCR;        /* 0x14 configuration and control           */
    volatile uint8_t  SHPR[12];   /* 0x18 system handler priority, byte view  */
    volatile uint32_t SHCSR;      /* 0x24 system handler control and state    */
    volatile uint32_t CFSR;       /* 0x28 configurable fault status           */
    volatile uint32_t HFSR;       /* 0x2C HardFault status                    */
    volatile uint32_t DFSR;       /* 0x30 debug fault status                  */
    volatile uint32_t MMFAR;      /* 0x34 MemManage fault address             */
    volatile uint32_t BFAR;       /* 0x38 BusFault address                    */
    volatile uint32_t AFSR;       /* 0x3C auxiliary fault status              */
    volatile uint32_t ID_PFR[2];  /* 0x40 processor feature                   */
    volatile uint32_t ID_DFR0;    /* 0x48 debug feature                       */
    volatile uint32_t ID_AFR0;    /* 0x4C auxiliary feature                   */
    volatile uint32_t ID_MMFR[4]; /* 0x50 memory model feature                */
    volatile uint32_t ID_ISAR[5]; /* 0x60 instruction set attribute           */
    uint32_t          reserved0;  /* 0x74                                     */
    volatile uint32_t CLIDR;      /* 0x78 cache level ID (Cortex-M7)          */
    volatile uint32_t CTR;        /* 0x7C cache type (Cortex-M7)              */
    volatile uint32_t CCSIDR;     /* 0x80 cache size ID (Cortex-M7)           */
    volatile uint32_t CSSELR;     /* 0x84 cache size selection (Cortex-M7)    */
    volatile uint32_t CPACR;      /* 0x88 coprocessor access control          */
};
CM_REG_AT(struct cm_scb, ICSR, 0x04);
CM_REG_AT(struct cm_scb, VTOR, 0x08);
CM_REG_AT(struct cm_scb, AIRCR, 0x0C);
CM_REG_AT(struct cm_scb, SCR, 0x10);
CM_REG_AT(struct cm_scb, SHCSR, 0x24);
CM_REG_AT(struct cm_scb, CFSR, 0x28);
CM_REG_AT(struct cm_scb, HFSR, 0x2C);
CM_REG_AT(struct cm_scb, BFAR, 0x38);
CM_REG_AT(struct cm_scb, CLIDR, 0x78);
CM_REG_AT(struct cm_scb, CPACR, 0x88);

#define SCB_BASE 0xE000ED00u
#define SCB      ((struct cm_scb *)SCB_BASE)

/* CPUID fields */
#define SCB_CPUID_REVISION_Pos    0u
#define SCB_CPUID_REVISION_Msk    (0xFu << 0)
#define SCB_CPUID_PARTNO_Pos      4u
#define SCB_CPUID_PARTNO_Msk      (0xFFFu << 4)
#define SCB_CPUID_ARCHITECTURE_Msk (0xFu << 16)
#define SCB_CPUID_VARIANT_Pos     20u
#define SCB_CPUID_VARIANT_Msk     (0xFu << 20)
#define SCB_CPUID_IMPLEMENTER_Pos 24u
#define SCB_CPUID_IMPLEMENTER_Msk (0xFFu << 24)
#define CPUID_PARTNO_CORTEX_M7    0xC27u
#define CPUID_PARTNO_CORTEX_M4    0xC24u

/* ICSR */
#define SCB_ICSR_VECTACTIVE_Msk   0x1FFu
#define SCB_ICSR_PENDSTCLR        (1u << 25)
#define SCB_ICSR_PENDSTSET        (1u << 26)
#define SCB_ICSR_PENDSVCLR        (1u << 27)
#define SCB_ICSR_PENDSVSET        (1u << 28)
#define SCB_ICSR_NMIPENDSET       (1u << 31)

/* AIRCR: writes need VECTKEY 0x05FA in [31:16] */
#define SCB_AIRCR_VECTKEY         (0x05FAu << 16)
#define SCB_AIRCR_VECTCLRACTIVE   (1u << 1)
#define SCB_AIRCR_SYSRESETREQ     (1u << 2)
#define SCB_AIRCR_PRIGROUP_Pos    8u
#define SCB_AIRCR_PRIGROUP_Msk    (7u << 8)
#define SCB_AIRCR_ENDIANNESS      (1u << 15)

/* SCR */
#define SCB_SCR_SLEEPONEXIT       (1u << 1)
#define SCB_SCR_SLEEPDEEP         (1u << 2)
#define SCB_SCR_SEVONPEND         (1u << 4)

/* CCR */
#define SCB_CCR_UNALIGN_TRP       (1u << 3)
#define SCB_CCR_DIV_0_TRP         (1u << 4)
#define SCB_CCR_STKALIGN          (1u << 9)
#define SCB_CCR_DC                (1u << 16) /* Cortex-M7 data cache enable        */
#define SCB_CCR_IC                (1u << 17) /* Cortex-M7 instruction cache enable */

/* ---- MPU (PMSAv7) and cache maintenance (Cortex-M7), ARMv7-M ARM B3.5 / B2.2.7 ------ */
#define MPU_TYPE        (*(volatile uint32_t *)0xE000ED90u)
#define MPU_CTRL        (*(volatile uint32_t *)0xE000ED94u)
#define MPU_RNR         (*(volatile uint32_t *)0xE000ED98u)
#define MPU_RBAR        (*(volatile uint32_t *)0xE000ED9Cu)
#define MPU_RASR        (*(volatile uint32_t *)0xE000EDA0u)
#define MPU_CTRL_ENABLE     (1u << 0)
#define MPU_CTRL_PRIVDEFENA (1u << 2)
#define MPU_RASR_ENABLE     (1u << 0)
#define MPU_RASR_SIZE_Pos   1u
#define MPU_RASR_SRD_Pos    8u
#define MPU_RASR_B_Pos      16u
#define MPU_RASR_C_Pos      17u
#define MPU_RASR_S_Pos      18u
#define MPU_RASR_TEX_Pos    19u
#define MPU_RASR_AP_Pos     24u
#define MPU_RASR_XN_Pos     28u
#define MPU_TYPE_DREGION(x) (((x) >> 8) & 0xFFu)
#define SCB_ICIALLU     (*(volatile uint32_t *)0xE000EF50u)
#define SCB_DCISW       (*(volatile uint32_t *)0xE000EF60u)
#define CCSIDR_WAYS(x)  (((x) & 0x00001FF8u) >> 3)
#define CCSIDR_SETS(x)  (((x) & 0x0FFFE000u) >> 13)
#define SCB_DCISW_WAY_Pos 30u
#define SCB_DCISW_WAY_Msk (3u << 30)
#define SCB_DCISW_SET_Pos 5u
#define SCB_DCISW_SET_Msk (0x1FFu << 5)

/* SHCSR */
#define SCB_SHCSR_MEMFAULTENA     (1u << 16)
#define SCB_SHCSR_BUSFAULTENA     (1u << 17)
#define SCB_SHCSR_USGFAULTENA     (1u << 18)

/* HFSR */
#define SCB_HFSR_VECTTBL          (1u << 1)
#define SCB_HFSR_FORCED           (1u << 30)

/* CPACR: CP10 [21:20], CP11 [23:22]; 0b11 = full access */
#define SCB_CPACR_CP10_FULL       (3u << 20)
#define SCB_CPACR_CP11_FULL       (3u << 22)

/* ---- SysTick, 0xE000E010 -------------------------------------------------- */
struct cm_systick {
    volatile uint32_t CSR;   /* 0x00 control and status (SYST_CSR) */
    volatile uint32_t RVR;   /* 0x04 reload value                   */
    volatile uint32_t CVR;   /* 0x08 current value                  */
    volatile uint32_t CALIB; /* 0x0C calibration                    */
};
#define SYSTICK_BASE          0xE000E010u
#define SYSTICK               ((struct cm_systick *)SYSTICK_BASE)
#define SYSTICK_CSR_ENABLE    (1u << 0)
#define SYSTICK_CSR_TICKINT   (1u << 1)
#define SYSTICK_CSR_CLKSOURCE (1u << 2)
#define SYSTICK_CSR_COUNTFLAG (1u << 16)

/* ---- NVIC, 0xE000E100 ----------------------------------------------------- */
struct cm_nvic {
    volatile uint32_t ISER[16];   /* 0x000 set-enable     */
    uint32_t          r0[16];
    volatile uint32_t ICER[16];   /* 0x080 clear-enable   */
    uint32_t          r1[16];
    volatile uint32_t ISPR[16];   /* 0x100 set-pending    */
    uint32_t          r2[16];
    volatile uint32_t ICPR[16];   /* 0x180 clear-pending  */
    uint32_t          r3[16];
    volatile uint32_t IABR[16];   /* 0x200 active bit     */
    uint32_t          r4[48];
    volatile uint8_t  IPR[496];   /* 0x300 priority, byte view */
};
CM_REG_AT(struct cm_nvic, ICER, 0x080);
CM_REG_AT(struct cm_nvic, ISPR, 0x100);
CM_REG_AT(struct cm_nvic, ICPR, 0x180);
CM_REG_AT(struct cm_nvic, IABR, 0x200);
CM_REG_AT(struct cm_nvic, IPR, 0x300);
#define NVIC_BASE 0xE000E100u
#define NVIC      ((struct cm_nvic *)NVIC_BASE)

static inline void nvic_enable_irq(unsigned irq)  { NVIC->ISER[irq >> 5] = 1u << (irq & 31u); }
static inline void nvic_disable_irq(unsigned irq) { NVIC->ICER[irq >> 5] = 1u << (irq & 31u); }
static inline void nvic_clear_pending(unsigned irq) { NVIC->ICPR[irq >> 5] = 1u << (irq & 31u); }

/* ---- FPU context control, 0xE000EF34 -------------------------------------- */
#define FPU_FPCCR (*(volatile uint32_t *)0xE000EF34u)
#define FPU_FPCCR_LSPEN (1u << 30)
#define FPU_FPCCR_ASPEN (1u << 31)

/* ---- instructions ---------------------------------------------------------- */
static inline void cm_dsb(void) { __asm volatile("dsb 0xF" ::: "memory"); }
static inline void cm_isb(void) { __asm volatile("isb 0xF" ::: "memory"); }
static inline void cm_dmb(void) { __asm volatile("dmb 0xF" ::: "memory"); }
static inline void cm_wfi(void) { __asm volatile("wfi" ::: "memory"); }
static inline void cm_wfe(void) { __asm volatile("wfe" ::: "memory"); }
static inline void cm_sev(void) { __asm volatile("sev" ::: "memory"); }
static inline void cm_nop(void) { __asm volatile("nop"); }
static inline void cm_disable_irq(void) { __asm volatile("cpsid i" ::: "memory"); }
static inline void cm_enable_irq(void)  { __asm volatile("cpsie i" ::: "memory"); }

static inline uint32_t cm_get_ipsr(void)
{
    uint32_t v;
    __asm volatile("mrs %0, ipsr" : "=r"(v));
    return v;
}

/* Sit in WFI forever (the end of every demo). */
static inline __attribute__((noreturn)) void cm_idle_forever(void)
{
    for (;;) {
        cm_wfi();
    }
}

#endif /* AMPVP_CORTEX_M_H */
