/*
 * rpmsg_pingpong.h - what the two images of rpmsg_pingpong share (ampvp's own code):
 * RPMsg between the STM32H745's cores as ST's OpenAMP_PingPong application sets it up
 * (CM7 = virtio master, CM4 = remote, HSEM as the mailbox), written out bare-metal.
 *
 *  - The resource table is the object "resource_table" in SRAM4 (here in the NOLOAD
 *    .shared section of both images, at the same address). As in ST's H7 projects it
 *    is NOT loaded from the ELF: the master fills it in at run time and the remote
 *    waits for the vdev status DRIVER_OK. (ampvp finds it by that symbol name.)
 *  - Vrings and buffers in SRAM4 at fixed addresses (ST: VRING_RX/TX_ADDRESS,
 *    VRING_BUFF_ADDRESS in openamp_conf.h): vring0 carries remote -> master messages
 *    (the master posts empty buffers in its avail ring, the remote returns them filled
 *    in its used ring), vring1 master -> remote (the master fills a buffer and offers
 *    it in avail, the remote returns it in used).
 *  - Mailbox (ST's mbox_hsem.c): the master notifies by taking and freeing HSEM 0 (the
 *    CM4 has enabled its notification: HSEM2 IRQ 126), the remote by HSEM 1 (HSEM1
 *    IRQ 125 on the CM7).
 * Formats: mp15_rpmsg.h (the same virtio/remoteproc/RPMsg structures).
 */
#ifndef RPMSG_PINGPONG_H
#define RPMSG_PINGPONG_H

#include <stdint.h>

#include "cortex_m.h"
#include "hsem.h"
#include "mp15_rpmsg.h"
#include "stm32h745_regs.h"

#ifndef RPMSG_PINGPONG_COUNT
#error "RPMSG_PINGPONG_COUNT must be defined (CMake variable)"
#endif
_Static_assert(RPMSG_PINGPONG_COUNT >= 2u && RPMSG_PINGPONG_COUNT % 2u == 0u,
               "an even count: the last message goes CM4 -> CM7");

#define PP_VRING_NUM      4u            /* ST: VRING_NUM_BUFFS */
#define PP_VRING_ALIGN    16u
#define PP_SHM            0x38008000u   /* vring0, vring1 at +0x400, buffers at +0x800 */
#define PP_VRING0         (PP_SHM + 0x000u)
#define PP_VRING1         (PP_SHM + 0x400u)
#define PP_BUFFERS        (PP_SHM + 0x800u) /* 2 x 4 buffers of 512 bytes */
#define PP_BUF_SIZE       512u
#define PP_HSEM_TO_CM4    0u            /* ST: HSEM_ID_0, CM7 -> CM4 notification */
#define PP_HSEM_TO_CM7    1u            /* ST: HSEM_ID_1, CM4 -> CM7 notification */
#define PP_CHANNEL_NAME   "rpmsg-openamp-demo-channel"
#define PP_REMOTE_ADDR    0x400u        /* the CM4's endpoint (first address "any" gets) */
#define PP_MASTER_ADDR    0x401u        /* the CM7's endpoint */

struct pp_resource_table {
    uint32_t ver, num, reserved[2];
    uint32_t offset[1];
    struct fw_rsc_vdev vdev;
    struct fw_rsc_vdev_vring vring0, vring1;
};

/* Defined by both images in .shared (after the shared block, same address in both). */
extern volatile struct pp_resource_table resource_table;
#define PP_TABLE_DEFINE()                                                                   \
    __attribute__((section(".shared.rsc_table"), used, aligned(8)))                         \
    volatile struct pp_resource_table resource_table

/* The mailbox: take and free the semaphore (HAL_HSEM_FastTake + HAL_HSEM_Release). */
static inline void pp_notify(unsigned sem)
{
    const uint32_t me = hsem_core_id();
    (void)hsem_fast_take_raw(sem);
    HSEM->R[sem] = me << HSEM_R_COREID_Pos;
    cm_dsb();
}

static inline volatile struct vring_desc *pp_desc(struct vring *vr, uint32_t i) { return &vr->desc[i]; }

/* Used ring: hand buffer `id` back with `len` bytes written (virtqueue_add_consumed_buffer). */
static inline void pp_used_add(struct vring *vr, uint32_t id, uint32_t len)
{
    const uint16_t i = vr->used->idx;
    vr->used->ring[i % vr->num].id = id;
    vr->used->ring[i % vr->num].len = len;
    cm_dmb();
    vr->used->idx = (uint16_t)(i + 1u);
    cm_dsb();
}

/* Avail ring: offer descriptor `id` (virtqueue_add_buffer). */
static inline void pp_avail_add(struct vring *vr, uint16_t id)
{
    const uint16_t i = vr->avail->idx;
    vr->avail->ring[i % vr->num] = id;
    cm_dmb();
    vr->avail->idx = (uint16_t)(i + 1u);
    cm_dsb();
}

#endif
