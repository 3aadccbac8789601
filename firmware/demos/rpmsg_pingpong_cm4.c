/*
 * rpmsg_pingpong_cm4.c - RPMsg ping-pong, the CM4 as remote (ampvp's own code; ST's
 * OpenAMP_PingPong CM4 side, see rpmsg_pingpong.h).
 *
 *   uart_attach; HSEM clock; C2IER bit 0 (the CM7's notifications), NVIC HSEM2 (126)
 *   wait for resource_table.vdev.status DRIVER_OK (rproc_virtio_wait_remote_ready)
 *   rings at the addresses of the table; an endpoint at 0x400, announced to the name
 *   service (0x35) as "rpmsg-openamp-demo-channel"
 *   every send: the next buffer of vring0's avail ring, filled, returned in its used
 *   ring, then HSEM 1 taken and freed (the CM7's IRQ 125)
 *   sleep (WFI) until HSEM 0 is freed; each new avail entry of vring1 is a message v:
 *   v + 1 goes back; the buffer is returned in vring1's used ring (no notification,
 *   as OpenAMP does for the master's send ring)
 *   after sending COUNT - 1: "CM4 done"
 */
#include <stdint.h>
#include <string.h>

#include "console.h"
#include "platform.h"
#include "rpmsg_pingpong.h"
#include "shared_layout.h"
#include "stm32h745_irq.h"

AMPVP_SHARED_DEFINE();
PP_TABLE_DEFINE();

static volatile uint32_t s_notified;
static struct vring s_tx, s_rx; /* vring0: to the CM7; vring1: from the CM7 */

void HSEM2_IRQHandler(void);
void HSEM2_IRQHandler(void)
{
    HSEM->C2ICR = HSEM->C2MISR;
    s_notified = 1u;
}

static void send(uint32_t dst, const void *payload, uint16_t len)
{
    while (s_tx.avail->idx == s_tx.last_avail_idx) {
        /* every buffer is with the master */
    }
    const uint16_t d = s_tx.avail->ring[s_tx.last_avail_idx % s_tx.num];
    s_tx.last_avail_idx++;
    uint8_t *b = (uint8_t *)(uint32_t)s_tx.desc[d].addr;
    struct rpmsg_hdr h = {PP_REMOTE_ADDR, dst, 0u, len, 0u};
    memcpy(b, &h, sizeof(h));
    memcpy(b + sizeof(h), payload, len);
    pp_used_add(&s_tx, d, sizeof(h) + len);
    pp_notify(PP_HSEM_TO_CM7);
}

int main(void)
{
    uart_attach();
    hsem_clock_enable();
    HSEM->C2IER |= HSEM_SEM_BIT(PP_HSEM_TO_CM4);
    nvic_enable_irq(HSEM2_IRQn);

    while (!(resource_table.vdev.status & VIRTIO_CONFIG_S_DRIVER_OK)) {
    }
    cm_dmb();
    vring_init(&s_tx, resource_table.vring0.num, resource_table.vring0.da, resource_table.vring0.align);
    vring_init(&s_rx, resource_table.vring1.num, resource_table.vring1.da, resource_table.vring1.align);

    struct rpmsg_ns_msg ns;
    memset(&ns, 0, sizeof(ns));
    strcpy(ns.name, PP_CHANNEL_NAME);
    ns.addr = PP_REMOTE_ADDR;
    ns.flags = RPMSG_NS_CREATE;
    send(RPMSG_NS_EPT_ADDR, &ns, sizeof(ns));

    for (int done = 0; !done;) {
        cm_disable_irq();
        if (!s_notified) {
            cm_wfi();
        }
        s_notified = 0u;
        cm_enable_irq();
        while (s_rx.avail->idx != s_rx.last_avail_idx) {
            const uint16_t d = s_rx.avail->ring[s_rx.last_avail_idx % s_rx.num];
            s_rx.last_avail_idx++;
            const uint8_t *b = (const uint8_t *)(uint32_t)s_rx.desc[d].addr;
            struct rpmsg_hdr h;
            uint32_t v = 0;
            memcpy(&h, b, sizeof(h));
            memcpy(&v, b + sizeof(h), 4);
            pp_used_add(&s_rx, d, s_rx.desc[d].len);
            v++;
            send(h.src, &v, 4u);
            if (v + 1u >= RPMSG_PINGPONG_COUNT) {
                done = 1;
            }
        }
    }
    uart_puts("CM4 done\n");
    fw_finish();
}
