/*
 * mp15_rpmsg.h - the data structures a remoteproc/RPMsg remote shares with its master
 * (ampvp's own, written from the public formats: Linux include/linux/remoteproc.h and
 * virtio_ring.h, OpenAMP's remoteproc.h / virtio_ring.h / rpmsg_virtio.h), for
 * mp15_tty_echo.c. Everything is little-endian; every field is naturally aligned, so
 * the C layout is the wire layout without packing (the asserts check it), and the
 * 16- and 32-bit fields are read and written whole (no torn ring indexes).
 *
 * 1. Resource table (ELF section .resource_table): a header, then the entries the
 *    offsets point to. The master fills in what the firmware leaves open (vring
 *    addresses, granted features), writes the table back at the section's address and
 *    moves the vdev status to DRIVER_OK when its side is ready.
 * 2. Virtio split vrings (one per direction), laid out by vring_init():
 *      desc[num]      16 bytes each: addr (u64), len, flags, next
 *      avail          flags, idx, ring[num], used_event        (u16 each)
 *      used           at the next multiple of align: flags, idx (u16),
 *                     ring[num] of {id, len} (u32), avail_event (u16)
 *    The master (virtio "driver") offers buffers in avail; the remote (virtio
 *    "device") takes them in order and gives them back in used.
 * 3. RPMsg messages: each buffer starts with a 16-byte header {src, dst, reserved,
 *    len, flags}, then the payload. Address 0x35 (53) is the name service: a message
 *    there announces an endpoint {name[32], addr, flags (0 = create, 1 = destroy)}.
 */
#ifndef AMPVP_MP15_RPMSG_H
#define AMPVP_MP15_RPMSG_H

#include <stddef.h>
#include <stdint.h>

/* ---- resource table ------------------------------------------------------------------ */
#define RSC_TRACE            2u
#define RSC_VDEV             3u
#define VIRTIO_ID_RPMSG      7u
#define VIRTIO_RPMSG_F_NS    0u           /* feature bit: name service announcements */
#define FW_RSC_U32_ADDR_ANY  0xFFFFFFFFu  /* "the master chooses"                   */
#define VIRTIO_CONFIG_S_ACKNOWLEDGE 0x01u
#define VIRTIO_CONFIG_S_DRIVER      0x02u
#define VIRTIO_CONFIG_S_DRIVER_OK   0x04u
#define VIRTIO_CONFIG_S_FEATURES_OK 0x08u

struct fw_rsc_vdev_vring {
    uint32_t da;        /* device address of the ring (the master fills it in) */
    uint32_t align;     /* alignment of the used ring                          */
    uint32_t num;       /* entries (a power of two)                            */
    uint32_t notifyid;  /* which doorbell means "look at this ring"            */
    uint32_t reserved;
};

struct fw_rsc_vdev {
    uint32_t type;        /* RSC_VDEV                                         */
    uint32_t id;          /* virtio device id: VIRTIO_ID_RPMSG                */
    uint32_t notifyid;
    uint32_t dfeatures;   /* features the firmware offers                     */
    uint32_t gfeatures;   /* features the master granted                      */
    uint32_t config_len;
    uint8_t  status;      /* virtio status, written by the master: DRIVER_OK  */
    uint8_t  num_of_vrings;
    uint8_t  reserved[2];
    /* the vrings follow */
};

struct fw_rsc_trace {
    uint32_t type;        /* RSC_TRACE                                        */
    uint32_t da;          /* the text buffer                                  */
    uint32_t len;
    uint32_t reserved;
    char     name[32];
};

/* The table of ST's OpenAMP_TTY_echo: one rpmsg vdev with two vrings, one trace. */
struct mp15_resource_table {
    uint32_t ver;                 /* 1 */
    uint32_t num;                 /* entries: 2 */
    uint32_t reserved[2];
    uint32_t offset[2];           /* of vdev and trace, from the table start */
    struct fw_rsc_vdev vdev;
    struct fw_rsc_vdev_vring vring0;
    struct fw_rsc_vdev_vring vring1;
    struct fw_rsc_trace trace;
};
_Static_assert(offsetof(struct mp15_resource_table, vdev) == 0x18, "vdev entry offset");
_Static_assert(offsetof(struct mp15_resource_table, vdev.status) == 0x30, "vdev status offset");
_Static_assert(offsetof(struct mp15_resource_table, vring0) == 0x34, "vring0 offset");
_Static_assert(offsetof(struct mp15_resource_table, vring1) == 0x48, "vring1 offset");
_Static_assert(offsetof(struct mp15_resource_table, trace) == 0x5C, "trace entry offset");
_Static_assert(sizeof(struct fw_rsc_vdev) == 28, "vdev entry size");
_Static_assert(sizeof(struct fw_rsc_trace) == 48, "trace entry size");
_Static_assert(sizeof(struct mp15_resource_table) == 0x8C, "resource table size");

/* ---- virtio split vring ---------------------------------------------------------------- */
#define VRING_AVAIL_F_NO_INTERRUPT 1u  /* driver: "no need to kick me when you use a buffer" */

struct vring_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};

struct vring_avail {
    uint16_t flags;
    uint16_t idx;        /* free-running: next entry the driver will fill */
    uint16_t ring[];
};

struct vring_used_elem {
    uint32_t id;         /* descriptor index that was used  */
    uint32_t len;        /* bytes written into it           */
};

struct vring_used {
    uint16_t flags;
    uint16_t idx;        /* free-running: next entry the device will fill */
    struct vring_used_elem ring[];
};
_Static_assert(sizeof(struct vring_desc) == 16, "vring descriptor size");
_Static_assert(offsetof(struct vring_avail, ring) == 4, "avail ring offset");
_Static_assert(offsetof(struct vring_used, ring) == 4, "used ring offset");
_Static_assert(sizeof(struct vring_used_elem) == 8, "used element size");

/* One ring as the remote sees it. */
struct vring {
    uint32_t num;
    volatile struct vring_desc *desc;
    volatile struct vring_avail *avail;
    volatile struct vring_used *used;
    uint16_t last_avail_idx;  /* the next avail entry this side will take */
};

/* vring_init(): the split layout for num entries at p, used ring aligned to align. */
static inline void vring_init(struct vring *vr, uint32_t num, uintptr_t p, uint32_t align)
{
    vr->num = num;
    vr->desc = (volatile struct vring_desc *)p;
    vr->avail = (volatile struct vring_avail *)(p + num * sizeof(struct vring_desc));
    /* avail: flags, idx, ring[num], used_event */
    const uintptr_t avail_end = (uintptr_t)vr->avail + (2u + num + 1u) * sizeof(uint16_t);
    vr->used = (volatile struct vring_used *)((avail_end + align - 1u) & ~(uintptr_t)(align - 1u));
    vr->last_avail_idx = 0u;
}

/* ---- RPMsg ----------------------------------------------------------------------------- */
#define RPMSG_NS_EPT_ADDR        0x35u
#define RPMSG_RESERVED_ADDRESSES 1024u  /* endpoints created with "any" start here */
#define RPMSG_ADDR_ANY           0xFFFFFFFFu
#define RPMSG_NAME_SIZE          32u
#define RPMSG_NS_CREATE          0u
#define RPMSG_NS_DESTROY         1u

struct rpmsg_hdr {
    uint32_t src;
    uint32_t dst;
    uint32_t reserved;
    uint16_t len;        /* payload bytes after this header */
    uint16_t flags;
};
_Static_assert(sizeof(struct rpmsg_hdr) == 16, "rpmsg header size");

struct rpmsg_ns_msg {
    char     name[RPMSG_NAME_SIZE];
    uint32_t addr;
    uint32_t flags;
};
_Static_assert(sizeof(struct rpmsg_ns_msg) == 40, "name service message size");

#endif /* AMPVP_MP15_RPMSG_H */
