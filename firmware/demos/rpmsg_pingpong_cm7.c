/*
 * rpmsg_pingpong_cm7.c - RPMsg ping-pong, the CM7 as virtio master (ampvp's own code;
 * the behaviour of ST's OpenAMP_PingPong on an H745/H747, see rpmsg_pingpong.h).
 *
 *   uart_init; HSEM clock; C1IER bit 1 (the CM4's notifications), NVIC HSEM1 (125)
 *   resource table filled in at run time (version 1, one rpmsg vdev, features NS,
 *   vring0 0x38008000, vring1 0x38008400, 4 buffers each, align 16); rings zeroed;
 *   the 4 receive buffers posted in vring0's avail ring; status = DRIVER_OK
 *   sleep (WFI) until HSEM 1 is freed; then for each new used entry of vring0:
 *     to 0x35 (name service): "rpmsg_pingpong: channel '<name>' at 0x<addr>", and the
 *       first message: 4 bytes, value 0, from 0x401 to the announced address
 *     else a value v: v + 1 goes back unless v = COUNT - 1 (the last)
 *   each receive buffer is posted again; each send takes a buffer of its own (4..7),
 *   offered in vring1's avail ring, then HSEM 0 taken and freed (the CM4's IRQ 126).
 *   "rpmsg_pingpong: <COUNT> messages, last value <COUNT-1>", "CM7 done"
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
static struct vring s_rx, s_tx; /* vring0: from the CM4; vring1: to the CM4 */
static uint32_t s_next_tx;      /* next never-used send buffer */
static uint32_t s_remote = 0;   /* the CM4's endpoint, once announced */

void HSEM1_IRQHandler(void);
void HSEM1_IRQHandler(void)
{
    HSEM->C1ICR = HSEM->C1MISR;
    s_notified = 1u;
}

static uint8_t *buffer(uint32_t i) { return (uint8_t *)(PP_BUFFERS + i * PP_BUF_SIZE); }

static void send(uint32_t value)
{
    uint32_t d;
    if (s_next_tx < PP_VRING_NUM) {
        d = s_next_tx++;
        s_tx.desc[d].addr = (uint32_t)buffer(PP_VRING_NUM + d);
    } else {
        /* a buffer the CM4 has returned in vring1's used ring */
        static uint16_t last_used;
        while (s_tx.used->idx == last_used) {
        }
        d = s_tx.used->ring[last_used % PP_VRING_NUM].id;
        last_used++;
    }
    uint8_t *b = (uint8_t *)(uint32_t)s_tx.desc[d].addr;
    struct rpmsg_hdr h = {PP_MASTER_ADDR, s_remote, 0u, 4u, 0u};
    memcpy(b, &h, sizeof(h));
    memcpy(b + sizeof(h), &value, 4);
    s_tx.desc[d].len = sizeof(h) + 4u;
    s_tx.desc[d].flags = 0u;
    pp_avail_add(&s_tx, (uint16_t)d);
    pp_notify(PP_HSEM_TO_CM4);
}

int main(void)
{
    uart_init();
    hsem_clock_enable();
    HSEM->C1IER |= HSEM_SEM_BIT(PP_HSEM_TO_CM7);
    nvic_enable_irq(HSEM1_IRQn);

    /* resource_table_init(), master side: the table lives in RAM, written now */
    memset((void *)&resource_table, 0, sizeof(resource_table));
    resource_table.ver = 1u;
    resource_table.num = 1u;
    resource_table.offset[0] = offsetof(struct pp_resource_table, vdev);
    resource_table.vdev.type = RSC_VDEV;
    resource_table.vdev.id = VIRTIO_ID_RPMSG;
    resource_table.vdev.dfeatures = 1u << VIRTIO_RPMSG_F_NS;
    resource_table.vdev.num_of_vrings = 2u;
    resource_table.vring0 = (struct fw_rsc_vdev_vring){PP_VRING0, PP_VRING_ALIGN, PP_VRING_NUM, 0u, 0u};
    resource_table.vring1 = (struct fw_rsc_vdev_vring){PP_VRING1, PP_VRING_ALIGN, PP_VRING_NUM, 1u, 0u};

    memset((void *)PP_SHM, 0, 0x800u);
    vring_init(&s_rx, PP_VRING_NUM, PP_VRING0, PP_VRING_ALIGN);
    vring_init(&s_tx, PP_VRING_NUM, PP_VRING1, PP_VRING_ALIGN);
    for (uint32_t i = 0; i < PP_VRING_NUM; i++) {
        s_rx.desc[i].addr = (uint32_t)buffer(i);
        s_rx.desc[i].len = PP_BUF_SIZE;
        s_rx.desc[i].flags = 2u; /* VRING_DESC_F_WRITE: the remote writes it */
        pp_avail_add(&s_rx, (uint16_t)i);
    }
    resource_table.vdev.gfeatures = 1u << VIRTIO_RPMSG_F_NS;
    cm_dsb();
    resource_table.vdev.status = VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
                                 VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK;
    cm_dsb();

    uint16_t last_used = 0;
    uint32_t received = 0, last_value = 0;
    for (int done = 0; !done;) {
        cm_disable_irq();
        if (!s_notified) {
            cm_wfi();
        }
        s_notified = 0u;
        cm_enable_irq();
        while (s_rx.used->idx != last_used) {
            const uint32_t id = s_rx.used->ring[last_used % PP_VRING_NUM].id;
            last_used++;
            const uint8_t *b = buffer(id);
            struct rpmsg_hdr h;
            memcpy(&h, b, sizeof(h));
            if (h.dst == RPMSG_NS_EPT_ADDR && h.len >= sizeof(struct rpmsg_ns_msg)) {
                struct rpmsg_ns_msg ns;
                memcpy(&ns, b + sizeof(h), sizeof(ns));
                ns.name[RPMSG_NAME_SIZE - 1] = 0;
                uart_printf("rpmsg_pingpong: channel '%s' at 0x%x\n", ns.name, (unsigned)ns.addr);
                s_remote = ns.addr;
                send(0u);
            } else if (h.dst == PP_MASTER_ADDR && h.len == 4u) {
                memcpy(&last_value, b + sizeof(h), 4);
                received++;
                if (last_value + 1u < RPMSG_PINGPONG_COUNT) {
                    send(last_value + 1u);
                } else {
                    done = 1;
                }
            }
            pp_avail_add(&s_rx, (uint16_t)id); /* the buffer is free again */
        }
    }
    uart_printf("rpmsg_pingpong: %u messages, last value %u\n", (unsigned)RPMSG_PINGPONG_COUNT,
                (unsigned)last_value);
    uart_puts("CM7 done\n");
    fw_finish();
}
