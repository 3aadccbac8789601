/*
 * button_exti.c - the NUCLEO-H745ZI-Q user button B1 (PC13, active high, external
 * pull-down) as EXTI line 13 to BOTH cores; built once per core (button_exti_cm7.elf,
 * button_exti_cm4.elf).
 *
 * Reproduces ST's dual-core example STM32CubeH7 Projects/NUCLEO-H745ZI-Q/Examples/GPIO/
 * GPIO_EXTI ("GPIO EXTI to both cores"), register for register as its HAL and BSP calls
 * do it. As there, the CM7 configures PC13 and EXTI line 13 for both CPUs; each CPU
 * enables EXTI15_10 (IRQ 40) in its own NVIC, clears its own pending bit and toggles its
 * own LED.
 *
 * CM7 (CPU1; its EXTI registers are the C1 bank, "EXTI_D1" in ST's headers):
 *   uart_init; HAL_Init: AIRCR.PRIGROUP = 3 (NVIC_PRIORITYGROUP_4), SysTick 1 kHz at
 *     priority 15 (it bounds the waits for the CM4 below);
 *   BSP_LED_Init(LED1): RCC_AHB4ENR.GPIOBEN = 1, read back; HAL_GPIO_Init(PB0, output
 *     push-pull, no pull, very high speed): OSPEEDR0 = 11, OTYPER0 = 0, PUPDR0 = 00,
 *     MODER0 = 01, each a read-modify-write in this order; HAL_GPIO_WritePin(RESET):
 *     BSRR = 1 << 16 (LED1 off);
 *   EXTI15_10_IRQHandler_Config:
 *     RCC_AHB4ENR.GPIOCEN = 1, read back;
 *     HAL_GPIO_Init(PC13, GPIO_MODE_IT_RISING, GPIO_NOPULL): PUPDR13 = 00, MODER13 = 00
 *       (input); RCC_APB4ENR.SYSCFGEN = 1, read back; SYSCFG_EXTICR4.EXTI13 = 0010 (PC);
 *       EXTI_C1IMR1 bit 13 = 1; EXTI_C1EMR1 bit 13 = 0; EXTI_RTSR1 bit 13 = 1;
 *       EXTI_FTSR1 bit 13 = 0 (read-modify-writes, in HAL_GPIO_Init's order);
 *     HAL_NVIC_SetPriority(EXTI15_10_IRQn, 2, 0): IPR[40] = 0x20; HAL_NVIC_EnableIRQ;
 *     HAL_EXTI_D2_EventInputConfig(EXTI_LINE13, EXTI_MODE_IT, ENABLE):
 *       EXTI_C2IMR1 |= 1 << 13 (the CM4's interrupt mask, set by the CM7).
 * CM4 (CPU2; C2 bank, "EXTI_D2"):
 *   uart_attach; HAL_Init's AIRCR.PRIGROUP = 3 (no SysTick: nothing but B1 wakes it);
 *   BSP_LED_Init(LED2): the same for PE1 (RCC_AHB4ENR.GPIOEEN);
 *   HAL_NVIC_SetPriority(EXTI15_10_IRQn, 2, 0), HAL_NVIC_EnableIRQ(EXTI15_10_IRQn).
 * Both: EXTI15_10_IRQHandler = HAL_GPIO_EXTI_IRQHandler(GPIO_PIN_13): if this core's
 *   PR1 bit 13 is set (EXTI_C1PR1 0x58000088 on the CM7, EXTI_C2PR1 0x580000C8 on the
 *   CM4), write 1 << 13 to that register (clear), then HAL_GPIO_EXTI_Callback:
 *   BSP_LED_Toggle = HAL_GPIO_TogglePin (read ODR, one BSRR write: the pin's reset bit if
 *   it is high, else its set bit), and count the press.
 *
 * ST's example only toggles the LEDs. For a test to know when to press, this demo adds
 * console lines and a handshake through SRAM4 (struct ampvp_shared):
 *   CM4: "CM4: waiting for B1", then btn_cm4_ready = SHARED_READY_MAGIC.
 *   CM7: "CM7: waiting for B1"; sleeps (WFI, woken by SysTick; at most 10 s) until
 *        btn_cm4_ready, then "button_exti: both cores waiting for B1"   <- press 1 here
 *   Each core, for n = 1, 2: sleeps in WFI until its handler counted press n (no time
 *        bound: a person presses the button), then "CMx: B1 press <n>"; the CM4 then sets
 *        btn_cm4_presses = n.
 *   CM7, after its own line: sleeps (at most 10 s) until btn_cm4_presses >= n, then
 *        until B1 is released (HAL_GPIO_ReadPin(PC13) reads 0; no bound), then
 *        "button_exti: press <n> seen by both cores, B1 released"        <- press 2 here
 *   After press 2: "CM4 done" and "CM7 done".
 * The CM4 sleeps with PRIMASK set around the check (WFI still wakes on the pending
 * interrupt, which is taken at CPSIE), so a press between the check and the WFI is not
 * slept through; the CM7 does the same while waiting for its own presses.
 * Failure lines on the CM7 (then "CM7 done"): "button_exti: SysTick not running",
 * "button_exti: CM4 not ready", "button_exti: CM4 did not take press <n>".
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "platform.h"
#include "shared_layout.h"
#include "stm32h745_irq.h"
#include "stm32h745_regs.h"

#if defined(FW_TARGET_CM7)
#include "demo_time.h"
#endif

#define BUTTON_PRESSES    2u
#define PORT_B            1u
#define PORT_C            2u
#define PORT_E            4u
#define B1_PIN            13u   /* PC13 = EXTI line 13 */
#define B1_LINE           EXTI_LINE_BIT1(B1_PIN)
#define EXTI15_10_PRIO    0x20u /* HAL_NVIC_SetPriority(EXTI15_10_IRQn, 2, 0), 4 bits */

#if defined(FW_TARGET_CM7)
#define LED_PORT          PORT_B  /* LED1 = PB0 */
#define LED_PIN           0u
#define EXTI_PR1          (EXTI->C1PR1)
#define WAIT_CM4_MS       10000u
#define WAIT_POLL_LIMIT   1000000000u
#else
#define LED_PORT          PORT_E  /* LED2 = PE1 */
#define LED_PIN           1u
#define EXTI_PR1          (EXTI->C2PR1)
#endif

AMPVP_SHARED_DEFINE();

static volatile uint32_t s_presses; /* counted by EXTI15_10_IRQHandler */

/* HAL_Init: NVIC_SetPriorityGrouping(NVIC_PRIORITYGROUP_4) = PRIGROUP 3. */
static void hal_priority_grouping(void)
{
    uint32_t v = SCB->AIRCR;
    v &= ~(0xFFFFu << 16 | SCB_AIRCR_PRIGROUP_Msk);
    SCB->AIRCR = v | SCB_AIRCR_VECTKEY | (3u << SCB_AIRCR_PRIGROUP_Pos);
}

/* __HAL_RCC_GPIOx_CLK_ENABLE: set the bit, read it back (the clock-enable delay). */
static void gpio_clock_enable(unsigned port)
{
    RCC->AHB4ENR |= RCC_AHB4ENR_GPIOEN(port);
    (void)(RCC->AHB4ENR & RCC_AHB4ENR_GPIOEN(port));
}

/* BSP_LED_Init: clock, HAL_GPIO_Init(output push-pull, no pull, very high speed),
 * HAL_GPIO_WritePin(RESET). */
static void bsp_led_init(unsigned port, unsigned pin)
{
    struct h7_gpio *g = GPIO(port);
    uint32_t t;
    gpio_clock_enable(port);
    t = g->OSPEEDR;
    t &= ~(3u << (2u * pin));
    t |= GPIO_OSPEEDR_VERY_HIGH << (2u * pin);
    g->OSPEEDR = t;
    t = g->OTYPER;
    t &= ~(1u << pin); /* push-pull */
    g->OTYPER = t;
    t = g->PUPDR;
    t &= ~(3u << (2u * pin));
    t |= GPIO_PUPDR_NONE << (2u * pin);
    g->PUPDR = t;
    t = g->MODER;
    t &= ~(3u << (2u * pin));
    t |= GPIO_MODER_OUTPUT << (2u * pin);
    g->MODER = t;
    g->BSRR = 1u << (pin + 16u);
}

/* HAL_GPIO_TogglePin: one BSRR write from the ODR just read. */
static void hal_gpio_toggle(unsigned port, unsigned pin)
{
    struct h7_gpio *g = GPIO(port);
    const uint32_t odr = g->ODR;
    g->BSRR = ((odr & (1u << pin)) << 16) | (~odr & (1u << pin));
}

/* HAL_GPIO_EXTI_IRQHandler(GPIO_PIN_13) with HAL_GPIO_EXTI_Callback inlined. */
void EXTI15_10_IRQHandler(void);
void EXTI15_10_IRQHandler(void)
{
    if ((EXTI_PR1 & B1_LINE) != 0u) {
        EXTI_PR1 = B1_LINE; /* write 1: clear this core's pending bit only */
        hal_gpio_toggle(LED_PORT, LED_PIN);
        s_presses = s_presses + 1u;
    }
}

static void nvic_exti15_10_enable(void)
{
    NVIC->IPR[EXTI15_10_IRQn] = EXTI15_10_PRIO;
    nvic_enable_irq(EXTI15_10_IRQn);
}

/* Sleep until the handler has counted n presses. PRIMASK around the check: the WFI
 * still wakes on the pending EXTI15_10 interrupt, which is taken at CPSIE. */
static void sleep_until_press(uint32_t n)
{
    for (;;) {
        cm_disable_irq();
        if (s_presses >= n) {
            cm_enable_irq();
            return;
        }
        cm_wfi();
        cm_enable_irq();
        cm_isb();
    }
}

#if defined(FW_TARGET_CM7)

DEMO_TIME_DEFINE()

static __attribute__((noreturn)) void finish(void)
{
    uart_puts("CM7 done\n");
    fw_finish();
}

/* EXTI15_10_IRQHandler_Config of ST's CM7 main.c. */
static void exti15_10_config(void)
{
    struct h7_gpio *g = GPIOC;
    uint32_t t;
    gpio_clock_enable(PORT_C);

    /* HAL_GPIO_Init(GPIOC, {GPIO_PIN_13, GPIO_MODE_IT_RISING, GPIO_NOPULL}) */
    t = g->PUPDR;
    t &= ~(3u << (2u * B1_PIN));
    t |= GPIO_PUPDR_NONE << (2u * B1_PIN); /* the board pulls PC13 down */
    g->PUPDR = t;
    t = g->MODER;
    t &= ~(3u << (2u * B1_PIN));
    t |= GPIO_MODER_INPUT << (2u * B1_PIN);
    g->MODER = t;
    RCC->APB4ENR |= RCC_APB4ENR_SYSCFGEN; /* __HAL_RCC_SYSCFG_CLK_ENABLE */
    (void)(RCC->APB4ENR & RCC_APB4ENR_SYSCFGEN);
    t = SYSCFG->EXTICR[B1_PIN >> 2];
    t &= ~SYSCFG_EXTICR_EXTI_Msk(B1_PIN);
    t |= PORT_C << SYSCFG_EXTICR_EXTI_Pos(B1_PIN);
    SYSCFG->EXTICR[B1_PIN >> 2] = t;
    /* EXTI_CurrentCPU = EXTI_D1 (the C1 registers) on the CM7 */
    t = EXTI->C1IMR1;
    t &= ~B1_LINE;
    t |= B1_LINE; /* GPIO_MODE_IT */
    EXTI->C1IMR1 = t;
    t = EXTI->C1EMR1;
    t &= ~B1_LINE; /* no GPIO_MODE_EVT */
    EXTI->C1EMR1 = t;
    t = EXTI->RTSR1;
    t &= ~B1_LINE;
    t |= B1_LINE; /* rising edge */
    EXTI->RTSR1 = t;
    t = EXTI->FTSR1;
    t &= ~B1_LINE; /* no falling edge */
    EXTI->FTSR1 = t;

    nvic_exti15_10_enable();

    /* HAL_EXTI_D2_EventInputConfig(EXTI_LINE13, EXTI_MODE_IT, ENABLE): SET_BIT */
    EXTI->C2IMR1 |= B1_LINE;
}

/* 1 if the CM4's word says so: == value (exact) or >= value. */
static int cm4_word_is(volatile uint32_t *word, uint32_t value, int exact)
{
    const uint32_t v = *word;
    return exact ? v == value : v >= value;
}

/* Sleep (WFI, SysTick wakes it) until the CM4's word says so, at most WAIT_CM4_MS. */
static int wait_cm4(volatile uint32_t *word, uint32_t value, int exact)
{
    struct demo_deadline d;
    deadline_start(&d, WAIT_CM4_MS, WAIT_POLL_LIMIT);
    while (!cm4_word_is(word, value, exact)) {
        cm_wfi();
        if (deadline_expired(&d)) {
            return cm4_word_is(word, value, exact);
        }
    }
    return 1;
}

int main(void)
{
    uart_init();
    hal_priority_grouping();
    demo_time_start();
    if (!demo_time_running(100000000u)) {
        uart_puts("button_exti: SysTick not running\n");
        finish();
    }
    bsp_led_init(LED_PORT, LED_PIN);
    exti15_10_config();
    uart_puts("CM7: waiting for B1\n");

    if (!wait_cm4(&ampvp_shared.btn_cm4_ready, SHARED_READY_MAGIC, 1)) {
        uart_puts("button_exti: CM4 not ready\n");
        finish();
    }
    cm_dmb();
    uart_puts("button_exti: both cores waiting for B1\n");

    for (uint32_t n = 1; n <= BUTTON_PRESSES; ++n) {
        sleep_until_press(n);
        uart_printf("CM7: B1 press %u\n", (unsigned)n);
        if (!wait_cm4(&ampvp_shared.btn_cm4_presses, n, 0)) {
            uart_printf("button_exti: CM4 did not take press %u\n", (unsigned)n);
            finish();
        }
        while ((GPIOC->IDR & (1u << B1_PIN)) != 0u) { /* HAL_GPIO_ReadPin: B1 held */
            cm_wfi();
        }
        uart_printf("button_exti: press %u seen by both cores, B1 released\n", (unsigned)n);
    }
    finish();
}

#else /* FW_TARGET_CM4 */

int main(void)
{
    uart_attach(); /* the CM7 owns USART3 */
    hal_priority_grouping();
    bsp_led_init(LED_PORT, LED_PIN);
    nvic_exti15_10_enable();
    uart_puts("CM4: waiting for B1\n");
    cm_dsb();
    ampvp_shared.btn_cm4_ready = SHARED_READY_MAGIC;
    cm_dsb();

    for (uint32_t n = 1; n <= BUTTON_PRESSES; ++n) {
        sleep_until_press(n);
        uart_printf("CM4: B1 press %u\n", (unsigned)n);
        ampvp_shared.btn_cm4_presses = n;
        cm_dsb();
    }
    uart_puts("CM4 done\n");
    fw_finish();
}

#endif
