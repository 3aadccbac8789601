/*
 * st_boot_cm4.c - ST's dual-core template for the NUCLEO-H745ZI-Q, Cortex-M4 side,
 * register for register and in ST's order (ampvp's own code: the facts were read from
 * ST's public sources, none of their code or text is copied).  Pairs with st_boot_cm7.elf.
 *
 * What it reproduces (STM32CubeH7):
 *   Projects/NUCLEO-H745ZI-Q/Templates/BootCM4_CM7/CM4/Src/main.c
 *   Drivers/STM32H7xx_HAL_Driver: stm32h7xx_hal.c (HAL_Init with the CM4's ART set-up,
 *     HAL_InitTick, HAL_Delay), stm32h7xx_hal_hsem.c / .h (HAL_HSEM_ActivateNotification,
 *     __HAL_HSEM_CLEAR_FLAG), stm32h7xx_hal_pwr_ex.c (HAL_PWREx_ClearPendingEvent,
 *     HAL_PWREx_EnterSTOPMode), stm32h7xx_hal_rcc.c (HAL_RCC_GetSysClockFreq),
 *     stm32h7xx_hal.h (__HAL_ART_*), stm32h7xx_hal_rcc.h (__HAL_RCC_ART_CLK_ENABLE);
 *   Drivers/BSP/STM32H7xx_Nucleo/stm32h7xx_nucleo.c (BSP_LED_Init, BSP_LED_Toggle),
 *     stm32h7xx_hal_gpio.c (HAL_GPIO_Init, HAL_GPIO_WritePin, HAL_GPIO_TogglePin).
 *
 * Startup runs SystemInit (CPACR, SCB->SCR.SEVONPEND, VTOR = 0x08100000), then main:
 *  1. __HAL_RCC_HSEM_CLK_ENABLE: RCC_AHB4ENR.HSEMEN = 1, read back.
 *  2. HAL_HSEM_ActivateNotification(1 << 0): HSEM_C2IER |= 1 (CPU2's bank).
 *  3. HAL_PWREx_ClearPendingEvent: SCB->CPUID read (this is the CM4), SEV, WFE.
 *  4. HAL_PWREx_EnterSTOPMode(PWR_MAINREGULATOR_ON, PWR_STOPENTRY_WFE, PWR_D2_DOMAIN):
 *     PWR_CR1.LPDS = 0 (read-modify-write); PWR_CPUCR.PDDS_D2 = 0 (the HAL clears it in
 *     PWR_CPUCR, offset 0x10, also on the CM4); SCB->CPUID read (CM4: go on);
 *     SCB->SCR.SLEEPDEEP = 1; DSB; ISB; WFE; SCB->SCR.SLEEPDEEP = 0.
 *     The CM7 freeing HSEM 0 sets C2ISR bit 0: HSEM2 (IRQ 126) pends, which with
 *     SEVONPEND ends the WFE, and D2 leaves STOP.
 *  5. __HAL_HSEM_CLEAR_FLAG(1 << 0): SCB->CPUID read, HSEM_C2ICR |= 1 (read-modify-write,
 *     as the macro does).  ST's template leaves IRQ 126 pending in the NVIC (disabled).
 *  6. HAL_Init (CM4 of a dual-core part):
 *     __HAL_RCC_ART_CLK_ENABLE: RCC_AHB1ENR.ARTEN = 1, read back;
 *     __HAL_ART_CONFIG_BASE_ADDRESS(0x08100000): ART_CTR.PCACHEADDR = 0x081 (read-modify-
 *     write of bits [19:8] with (0x08100000 >> 12) & 0xFFF00); __HAL_ART_ENABLE: ART_CTR.EN = 1;
 *     AIRCR.PRIGROUP = 3; SystemCoreClock = the D2 clock from the RCC registers
 *     (HAL_RCC_GetSysClockFreq >> D1CPRE >> HPRE = 200 MHz after the CM7's
 *     SystemClock_Config); HAL_InitTick(15): SysTick_Config(SystemCoreClock / 1000),
 *     SysTick priority 15.
 * ST's template ends there (while (1)).  This demo then adds:
 *  7. uart_attach() (the CM7 owns USART3), "CM4: woke up, SystemCoreClock=<hz>".
 *  8. HAL_Delay(100) between two HAL_GetTick reads:
 *     "CM4: HAL_GetTick advanced <n> ms over HAL_Delay(100)".
 *  9. BSP_LED_Init(LED2): RCC_AHB4ENR.GPIOEEN = 1, read back; HAL_GPIO_Init(PE1, output
 *     push-pull, no pull, very high speed): OSPEEDR1 = 11, OTYPER1 = 0, PUPDR1 = 00,
 *     MODER1 = 01 (read-modify-writes in that order); HAL_GPIO_WritePin(RESET): BSRR =
 *     1 << 17.  Then BSP_LED_Toggle(LED2) twice (HAL_GPIO_TogglePin: read ODR, BSRR =
 *     ((ODR & pin) << 16) | (~ODR & pin)): LED2 on, LED2 off.
 * 10. "CM4 done", WFI forever.
 * If HAL_InitTick fails: "CM4: HAL_Init failed: <why>" (ST's template ignores HAL_Init's
 * status), then "CM4 done".
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "platform.h"
#include "stm32h745_regs.h"


#define HSE_VALUE         8000000u
#define HSI_VALUE         64000000u
#define CSI_VALUE         4000000u
#include "st_hal_lite.h" /* needs the three oscillator values above */
#define TICK_INT_PRIORITY 15u
#define HSEM_ID_0         0u
#define CM4_FLASH_BANK2   0x08100000u
#define LED2_PORT         4u   /* GPIOE */
#define LED2_PIN_MASK     (1u << 1)

static uint32_t SystemD2Clock = 64000000u;

/* HAL_GetCurrentCPUID: CPUID[7:4] == 7 is the Cortex-M7. */
static int current_cpu_is_cm7(void) { return ((SCB->CPUID & 0xF0u) >> 4) == 7u; }

static const char *hal_init_tick(uint32_t prio)
{
    if (systick_config(SystemCoreClock / 1000u) > 0u) {
        return "HAL_InitTick: SysTick reload out of range";
    }
    if (prio >= 16u) {
        return "HAL_InitTick: bad priority";
    }
    /* HAL_NVIC_SetPriority(SysTick_IRQn, prio, 0), PRIGROUP read back from AIRCR */
    const uint32_t group = (SCB->AIRCR & SCB_AIRCR_PRIGROUP_Msk) >> SCB_AIRCR_PRIGROUP_Pos;
    const uint32_t pre_bits = (7u - group) > 4u ? 4u : 7u - group;
    const uint32_t sub_bits = (group + 4u) < 7u ? 0u : group + 4u - 7u;
    systick_set_priority((prio & ((1u << pre_bits) - 1u)) << sub_bits);
    return 0;
}


/* ---- HAL_Init (CM4 of a dual-core part) ---------------------------------------------- */
static const char *hal_init(void)
{
    /* Cortex-M4 instruction cache through the ART accelerator, on flash bank 2 */
    RCC->AHB1ENR |= RCC_AHB1ENR_ARTEN; /* __HAL_RCC_ART_CLK_ENABLE */
    (void)(RCC->AHB1ENR & RCC_AHB1ENR_ARTEN);
    ART_CTR = (ART_CTR & ~ART_CTR_PCACHEADDR_Msk) | ((CM4_FLASH_BANK2 >> 12) & 0x000FFF00u);
    ART_CTR |= ART_CTR_EN;

    nvic_set_priority_grouping(3u); /* NVIC_PRIORITYGROUP_4 */

    const uint32_t common = hal_rcc_get_sys_clock_freq() >>
        (D1CorePrescTable[(RCC->D1CFGR & RCC_D1CFGR_D1CPRE_Msk) >> RCC_D1CFGR_D1CPRE_Pos] & 0x1Fu);
    SystemD2Clock = common >> (D1CorePrescTable[(RCC->D1CFGR & RCC_D1CFGR_HPRE_Msk) >> RCC_D1CFGR_HPRE_Pos] & 0x1Fu);
    SystemCoreClock = SystemD2Clock; /* the CM4 runs on the D2 (HCLK) clock */

    const char *err = hal_init_tick(TICK_INT_PRIORITY);
    /* HAL_MspInit: empty in the template. */
    return err;
}

/* ---- BSP LED2 (PE1) --------------------------------------------------------------------- */
static void bsp_led2_init(void)
{
    RCC->AHB4ENR |= RCC_AHB4ENR_GPIOEEN; /* LED2_GPIO_CLK_ENABLE */
    (void)(RCC->AHB4ENR & RCC_AHB4ENR_GPIOEEN);
    struct h7_gpio *g = GPIO(LED2_PORT);
    const uint32_t pos = 1u; /* pin 1 */
    /* HAL_GPIO_Init, output push-pull: speed, output type, pull, then mode */
    g->OSPEEDR = (g->OSPEEDR & ~(3u << (2u * pos))) | (GPIO_OSPEEDR_VERY_HIGH << (2u * pos));
    g->OTYPER = (g->OTYPER & ~(1u << pos)) | (0u << pos);
    g->PUPDR = (g->PUPDR & ~(3u << (2u * pos))) | (GPIO_PUPDR_NONE << (2u * pos));
    g->MODER = (g->MODER & ~(3u << (2u * pos))) | (GPIO_MODER_OUTPUT << (2u * pos));
    g->BSRR = LED2_PIN_MASK << 16; /* HAL_GPIO_WritePin(GPIO_PIN_RESET) */
}

static void bsp_led2_toggle(void)
{
    struct h7_gpio *g = GPIO(LED2_PORT);
    const uint32_t odr = g->ODR; /* HAL_GPIO_TogglePin */
    g->BSRR = ((odr & LED2_PIN_MASK) << 16) | (~odr & LED2_PIN_MASK);
}

int main(void)
{
    /* 1-2: HSEM clock; notification of semaphore 0 for this CPU (C2 bank). */
    RCC->AHB4ENR |= RCC_AHB4ENR_HSEMEN;
    (void)(RCC->AHB4ENR & RCC_AHB4ENR_HSEMEN);
    HSEM->C2IER |= HSEM_SEM_BIT(HSEM_ID_0);

    /* 3: HAL_PWREx_ClearPendingEvent (CM4: SEV then WFE). */
    if (current_cpu_is_cm7()) {
        cm_wfe();
    } else {
        cm_sev();
        cm_wfe();
    }

    /* 4: HAL_PWREx_EnterSTOPMode(PWR_MAINREGULATOR_ON, PWR_STOPENTRY_WFE, PWR_D2_DOMAIN) */
    PWR->CR1 = (PWR->CR1 & ~PWR_CR1_LPDS) | 0u;
    PWR->CPUCR &= ~PWR_CPUCR_PDDS_D2;
    if (!current_cpu_is_cm7()) {
        SCB->SCR |= SCB_SCR_SLEEPDEEP;
        cm_dsb();
        cm_isb();
        cm_wfe();
        SCB->SCR &= ~SCB_SCR_SLEEPDEEP;
    }

    /* 5: __HAL_HSEM_CLEAR_FLAG(semaphore 0 mask) on this CPU's bank */
    if (current_cpu_is_cm7()) {
        HSEM->C1ICR |= HSEM_SEM_BIT(HSEM_ID_0);
    } else {
        HSEM->C2ICR |= HSEM_SEM_BIT(HSEM_ID_0);
    }

    /* 6 */
    const char *init_err = hal_init();

    /* ---- ST's template stops here; the report ------------------------------------- */
    uart_attach();
    if (init_err) {
        uart_printf("CM4: HAL_Init failed: %s\n", init_err);
        uart_puts("CM4 done\n");
        fw_finish();
    }
    uart_printf("CM4: woke up, SystemCoreClock=%u\n", (unsigned)SystemCoreClock);
    const uint32_t t0 = hal_get_tick();
    hal_delay(100u);
    const uint32_t t1 = hal_get_tick();
    uart_printf("CM4: HAL_GetTick advanced %u ms over HAL_Delay(100)\n", (unsigned)(t1 - t0));
    bsp_led2_init();
    bsp_led2_toggle();
    bsp_led2_toggle();
    uart_puts("CM4 done\n");
    fw_finish();
}
