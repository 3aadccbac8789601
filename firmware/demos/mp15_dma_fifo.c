/*
 * mp15_dma_fifo.c - ST's DMA_FIFOMode example for the STM32MP157C-DK2 (STM32CubeMP1
 * Projects/STM32MP157C-DK2/Examples/DMA/DMA_FIFOMode), register for register and in ST's
 * order (ampvp's own code; facts from ST's main.c, stm32mp1xx_it.c and
 * stm32mp1xx_hal_dma.c, none of their code copied).  Machine stm32mp157, engineering
 * boot (--option-byte boot_pins=4).
 *
 *  1. HAL_Init; engineering boot: SystemClock_Config (mp15_hal_lite.h); HSEM clock.
 *  2. MX_GPIO_Init (GPIO clocks); MX_DMA_Init: __HAL_RCC_DMA2_CLK_ENABLE and
 *     __HAL_RCC_DMAMUX_CLK_ENABLE (RCC_MC_AHB2ENSETR DMA2EN bit 1, DMAMUXEN bit 2);
 *     HAL_DMA_Init(DMA2_Stream0, request MEM2MEM, memory to memory, both increments,
 *     words, normal mode, priority low, FIFO on with threshold full, bursts INC4 on
 *     both ports): SxCR.EN = 0 and wait; SxCR = DIR 10 | PINC | MINC | PSIZE/MSIZE
 *     word | MBURST/PBURST INC4; SxFCR = DMDIS | FTH full; LIFCR = 0x3F; DMAMUX1
 *     channel 8 (DMA2 stream 0): C8CR = 0, CFR = 1 << 8.  NVIC DMA2_Stream0 (56),
 *     priority DEFAULT_IRQ_PRIO (1).
 *  3. BSP_LED_Init(LED7); HAL_DMA_RegisterCallback: transfer complete and error.
 *  4. HAL_DMA_Start_IT(aSRC_Const_Buffer -> aDST_Buffer, 32 words): SxCR.EN = 0,
 *     DMAMUX1 CFR, LIFCR, SxCR.DBM = 0, NDTR = 32, PAR = source (the constant table in
 *     MCU SRAM1 at 0x1000xxxx, as ST's linker script places .rodata), M0AR =
 *     destination; TCIE | TEIE | DMEIE (no half-transfer callback: no HTIE); EN = 1.
 *  5. DMA2_Stream0_IRQHandler -> HAL_DMA_IRQHandler: TC -> LED7 on; an error ->
 *     transferErrorDetected: LED7 toggles every 200 ms.
 * The demo adds console lines on USART3:
 *   "mp15_dma_fifo: SystemCoreClock <hz> Hz"
 *   "mp15_dma_fifo: first poll after EN=1: EN=<e> NDTR=<n>"
 *   "mp15_dma_fifo: DMA2 stream 0 copied 128 bytes from 0x<src> to 0x<dst> through its
 *    FIFO: transfer-complete <t>, errors <e>, mismatches <m>"
 * then "CM4 done" (or "mp15_dma_fifo: Error_Handler (<why>)").
 */
#include <stdint.h>

#include "console.h"
#include "mp15_hal_lite.h"
#define ST_DMA1_BASE    0x48000000u /* RM0436 memory map (MCU AHB2) */
#define ST_DMA2_BASE    0x48001000u
#define ST_DMAMUX1_BASE 0x48002000u
#include "st_dma_lite.h"

#define BUFFER_SIZE 32u
#define DMA2_Stream0_IRQn 56
#define DEFAULT_IRQ_PRIO 1u

static const uint32_t aSRC_Const_Buffer[BUFFER_SIZE] = {
    0x01020304, 0x05060708, 0x090A0B0C, 0x0D0E0F10, 0x11121314, 0x15161718, 0x191A1B1C, 0x1D1E1F20,
    0x21222324, 0x25262728, 0x292A2B2C, 0x2D2E2F30, 0x31323334, 0x35363738, 0x393A3B3C, 0x3D3E3F40,
    0x41424344, 0x45464748, 0x494A4B4C, 0x4D4E4F50, 0x51525354, 0x55565758, 0x595A5B5C, 0x5D5E5F60,
    0x61626364, 0x65666768, 0x696A6B6C, 0x6D6E6F70, 0x71727374, 0x75767778, 0x797A7B7C, 0x7D7E7F80};
static uint32_t aDST_Buffer[BUFFER_SIZE];

static struct dma_handle hdma_memtomem_dma2_stream0 = {.instance = &DMA2->S[0]};
static volatile uint32_t transferErrorDetected;
static volatile int s_done;

void DMA2_Stream0_IRQHandler(void);
void DMA2_Stream0_IRQHandler(void) { dma_irq_handler(&hdma_memtomem_dma2_stream0); }

static void TransferComplete(struct dma_handle *h)
{
    (void)h;
    bsp_led7_on();
    s_done = 1;
}
static void TransferError(struct dma_handle *h)
{
    (void)h;
    transferErrorDetected = 1u;
    s_done = 1;
}

static void error_handler(const char *why)
{
    uart_printf("mp15_dma_fifo: Error_Handler (%s)\n", why);
    uart_puts("CM4 done\n");
    for (;;) {
    }
}

int main(void)
{
    transferErrorDetected = 0u;
    const char *clk_err = mp15_example_start(0);
    if (clk_err) {
        error_handler(clk_err);
    }
    uart_printf("mp15_dma_fifo: SystemCoreClock %u Hz\n", (unsigned)SystemCoreClock);
    RCC->MC_AHB3ENSETR = RCC_AHB3ENSETR_HSEMEN;

    mp15_mx_gpio_init_dk2(); /* MX_GPIO_Init */

    /* MX_DMA_Init */
    RCC_MC_AHB2ENSETR = RCC_AHB2_DMA2EN;
    RCC_MC_AHB2ENSETR = RCC_AHB2_DMAMUXEN;
    dma_init_fifo(&hdma_memtomem_dma2_stream0,
                  DMA_SxCR_DIR_M2M | DMA_SxCR_PINC | DMA_SxCR_MINC | DMA_SxCR_PSIZE_W | DMA_SxCR_MSIZE_W |
                      DMA_SxCR_MBURST_INC4 | DMA_SxCR_PBURST_INC4,
                  DMA_SxFCR_DMDIS | DMA_SxFCR_FTH_FULL, 0u);
    hal_nvic_set_priority(DMA2_Stream0_IRQn, DEFAULT_IRQ_PRIO);
    nvic_enable_irq(DMA2_Stream0_IRQn);

    if (!bsp_led7_init()) {
        error_handler("BSP_LED_Init: HSEM 0 not granted");
    }
    hdma_memtomem_dma2_stream0.xfer_cplt = TransferComplete;
    hdma_memtomem_dma2_stream0.xfer_error = TransferError;

    dma_start_it(&hdma_memtomem_dma2_stream0, (uint32_t)(uintptr_t)aSRC_Const_Buffer,
                 (uint32_t)(uintptr_t)aDST_Buffer, BUFFER_SIZE);
    const uint32_t en0 = hdma_memtomem_dma2_stream0.instance->CR & DMA_SxCR_EN;
    const uint32_t ndtr0 = hdma_memtomem_dma2_stream0.instance->NDTR;

    const uint32_t t0 = hal_get_tick();
    while (!s_done && hal_get_tick() - t0 < 1000u) {
        cm_wfi();
    }
    uart_printf("mp15_dma_fifo: first poll after EN=1: EN=%u NDTR=%u\n", (unsigned)en0, (unsigned)ndtr0);
    if (!s_done) {
        error_handler("no transfer-complete interrupt in 1 s");
    }
    uint32_t mismatches = 0u;
    for (unsigned i = 0; i < BUFFER_SIZE; i++) {
        mismatches += aDST_Buffer[i] != aSRC_Const_Buffer[i];
    }
    uart_printf("mp15_dma_fifo: DMA2 stream 0 copied %u bytes from 0x%08x to 0x%08x through its FIFO: "
                "transfer-complete %u, errors %u, mismatches %u\n",
                (unsigned)(4u * BUFFER_SIZE), (unsigned)(uintptr_t)aSRC_Const_Buffer,
                (unsigned)(uintptr_t)aDST_Buffer, (unsigned)hdma_memtomem_dma2_stream0.completes,
                (unsigned)hdma_memtomem_dma2_stream0.errors, (unsigned)mismatches);
    uart_puts("CM4 done\n");
    while (1) { /* ST's main loop */
        if (transferErrorDetected == 1u) {
            bsp_led7_toggle();
            hal_delay(200u);
        }
    }
}
