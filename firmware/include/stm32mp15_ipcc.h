/*
 * stm32mp15_ipcc.h - IPCC driver for the MP15 images (ampvp's own), with the register
 * sequences and polls of ST's CubeMP1 HAL IPCC driver (stm32mp1xx_hal_ipcc.c), so the
 * emulated IPCC sees what it would see from ST's firmware.
 *
 * The IPCC has one register bank per processor. This core's bank ("own") is C2 on the
 * Cortex-M4 (processor 2) and C1 on the core playing the Cortex-A7 (processor 1, the
 * "mpu" core of ampvp's stm32mp157-2m machine); "other" is the opposite one.
 * Channel n (index 0..5, ST's IPCC_CHANNEL_1..6) has one flag per direction:
 *   own TOSR.CHnF    set by own SCR.CHnS ("I sent"), cleared by the other's SCR.CHnC;
 *   other TOSR.CHnF  set by the other side, cleared by own SCR.CHnC ("I have read it").
 * TX direction = this core's flag, RX direction = the other's flag:
 *   ipcc_notify_cpu(TX)  sets own flag (message for the other side)       SCR |= CHnS
 *   ipcc_notify_cpu(RX)  clears the other's flag (message consumed)       SCR |= CHnC
 * Interrupts: RX occupied (CR.RXOIE, unmasked CHnOM, other flag = 1) and TX free
 * (CR.TXFIE, unmasked CHnFM, own flag = 0); level lines, M4: IPCC_RX1 103 / IPCC_TX1
 * 104, processor 1: IPCC_RX0 100 / IPCC_TX0 101.
 *
 * HAL behaviour kept on purpose:
 *   - ipcc_init: CR = 0, MR = all masked (0x003F003F), SCR = 0x3F (clears every flag
 *     the OTHER side had set!), then CR |= RXOIE | TXFIE. So a processor that initialises
 *     its IPCC after the other one already sent would lose that message: the demos
 *     hand-shake through shared memory first.
 *   - activating an RX notification unmasks CHnOM at once; a TX notification is only
 *     unmasked by ipcc_notify_cpu(TX), after the flag is set (else "free" would fire
 *     immediately);
 *   - the IRQ handlers mask the channel (MR |= bit) before calling the callback; the
 *     RX callback is expected to call ipcc_notify_cpu(RX), which clears the flag and
 *     unmasks CHnOM again; a TX channel stays masked until the next notify(TX);
 *   - SCR and MR are written read-modify-write ("SCR |= bit"), so the emulator's SCR
 *     must read as 0.
 */
#ifndef AMPVP_STM32MP15_IPCC_H
#define AMPVP_STM32MP15_IPCC_H

#include <stdint.h>

#include "stm32mp15_irq.h"
#include "stm32mp15_regs.h"

enum ipcc_dir { IPCC_DIR_TX = 0, IPCC_DIR_RX = 1 };
enum ipcc_status { IPCC_CHANNEL_FREE = 0, IPCC_CHANNEL_OCCUPIED = 1 };

struct ipcc_handle;
typedef void (*ipcc_callback)(struct ipcc_handle *h, uint32_t channel, enum ipcc_dir dir);

struct ipcc_handle {
    ipcc_callback rx_cb[IPCC_CHANNELS];
    ipcc_callback tx_cb[IPCC_CHANNELS];
    /* MR bits (CHnOM / CHnFM) whose interrupt a callback was registered for (HAL's
     * callbackRequest): ipcc_notify_cpu unmasks only those. */
    uint32_t callback_request;
};

#if defined(FW_TARGET_MP15_P1)
#define IPCC_OWN   (&IPCC->C1)
#define IPCC_OTHER (&IPCC->C2)
#define IPCC_RX_IRQn IPCC_RX0_IRQn
#define IPCC_TX_IRQn IPCC_TX0_IRQn
#else
#define IPCC_OWN   (&IPCC->C2)
#define IPCC_OTHER (&IPCC->C1)
#define IPCC_RX_IRQn IPCC_RX1_IRQn
#define IPCC_TX_IRQn IPCC_TX1_IRQn
#endif

/* __HAL_RCC_IPCC_CLK_ENABLE: one write of the AHB3 set register (MC_ on the M4, MP_ on
 * the Cortex-A7 side). */
void ipcc_clock_enable(void);
/* HAL_IPCC_Init (without the MSP part: call ipcc_clock_enable and set up the NVIC). */
void ipcc_init(struct ipcc_handle *h);
/* HAL_IPCC_ActivateNotification / DeActivateNotification. */
void ipcc_activate_notification(struct ipcc_handle *h, uint32_t channel, enum ipcc_dir dir,
                                ipcc_callback cb);
void ipcc_deactivate_notification(struct ipcc_handle *h, uint32_t channel, enum ipcc_dir dir);
/* HAL_IPCC_GetChannelStatus: TX = own flag ("my last message not yet taken"), RX = the
 * other side's flag ("a message for me"). */
enum ipcc_status ipcc_get_channel_status(uint32_t channel, enum ipcc_dir dir);
/* HAL_IPCC_NotifyCPU: TX sets own flag, RX clears the other's; then unmasks the
 * matching interrupt if a callback asked for it. */
void ipcc_notify_cpu(struct ipcc_handle *h, uint32_t channel, enum ipcc_dir dir);
/* HAL_IPCC_RX_IRQHandler / HAL_IPCC_TX_IRQHandler: call from IPCC_RX1_IRQHandler /
 * IPCC_TX1_IRQHandler (M4) or IPCC_RX0_IRQHandler / IPCC_TX0_IRQHandler (processor 1). */
void ipcc_rx_irq_handler(struct ipcc_handle *h);
void ipcc_tx_irq_handler(struct ipcc_handle *h);

#endif /* AMPVP_STM32MP15_IPCC_H */
