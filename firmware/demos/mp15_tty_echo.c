/*
 * mp15_tty_echo.c - the STM32MP15 Cortex-M4 side of a Linux ttyRPMSG echo, as ST's
 * CubeMP1 application OpenAMP_TTY_echo behaves (ampvp's own code, no ST or OpenAMP
 * source: the remote side of remoteproc/virtio/RPMsg written out in one file, with
 * the register sequences and polls of ST's HAL and OpenAMP glue). Machine
 * "stm32mp157": the master ("mpu", processor 1) is ampvp's host-side model of Linux
 * remoteproc + virtio_rpmsg_bus; the formats are in mp15_rpmsg.h.
 *
 * 1. The master loads this ELF (segments by physical address), finds .resource_table,
 *    grants features, allocates the vrings (da), writes the table back at its section
 *    address, releases the M4 (RCC_MP_GCR.BOOT_MCU) and sets the vdev status to
 *    DRIVER_OK. Meanwhile the M4 starts: HAL_Init (priority grouping 4, 1 kHz SysTick),
 *    engineering-boot check (SYSCFG_BOOTR), USART3 console, HSEM clock, LED7 on (the
 *    BSP's GPIO set-up under HSEM 0), IPCC init and the RX notifications of channels 1
 *    and 2 (C2MR &= ~(CH1OM | CH2OM); NVIC IPCC_RX1 = 103).
 * 2. It busy-reads the vdev status byte (resource table + 0x30) until DRIVER_OK, with no
 *    time limit (as OpenAMP; after 10 s it says so once on the console).
 * 3. It lays out both vrings as vring_init() does (num 16, align 16) at the addresses
 *    the master wrote: vring0 carries M4 -> master messages (the M4 takes buffers from
 *    its avail ring and returns them filled in its used ring), vring1 master -> M4
 *    messages (the M4 takes them from avail and returns them, read, in used).
 * 4. If the master granted VIRTIO_RPMSG_F_NS it announces two endpoints to the name
 *    service (dst 0x35): "rpmsg-tty" at 0x400 and 0x401, one per virtual UART (Linux's
 *    rpmsg_tty driver binds to that name and makes /dev/ttyRPMSG0 and 1).
 * 5. Main loop, as ST's OPENAMP_check_for_message(): the IPCC RX interrupt (103) only
 *    records which channel rang and acknowledges it at once (C2SCR |= CHnC);
 *      channel 1 (index 0): "buffers free on vring0" - nothing to do, the next send
 *                           looks at vring0's avail ring anyway;
 *      channel 2 (index 1): "new messages on vring1" - each one goes to the endpoint
 *                           its dst names; the endpoint echoes the payload to the
 *                           master address it learnt from its first message (OpenAMP's
 *                           rpmsg_send); the buffer is then returned in vring1's used
 *                           ring (no doorbell: the master asked for none with
 *                           VRING_AVAIL_F_NO_INTERRUPT, and ST's mailbox never rings for
 *                           vring1 anyway).
 *    Between interrupts the M4 sleeps in WFI (ST's loop spins instead).
 * Every send (name service or echo): take a buffer from vring0's avail ring (waiting up
 * to 15 s for the master to offer one, like OpenAMP), write the header and payload,
 * return it in vring0's used ring with the buffer's full length (as ST's OpenAMP does),
 * then, unless the master set VRING_AVAIL_F_NO_INTERRUPT on vring0, ring channel 1:
 * wait with no time limit until the M4's own channel-1 flag is clear (the master took
 * the previous doorbell), then C2SCR |= CH1S.
 *
 * Trace: the resource table's trace entry "cm4_log" points at s_log (2048 bytes, in
 * .bss): lines "[sssss.mmm][INFO ]text\r\n" written as a circular text buffer, each
 * character followed by a NUL, as ST's log_buff() does, so the master (Linux: cat
 * /sys/kernel/debug/remoteproc/remoteproc0/trace0) reads it as a C string.
 *
 * Console (USART3):
 *   [m4] mp15_tty_echo: cm4 started, waiting for DRIVER_OK
 *   [m4] mp15_tty_echo: DRIVER_OK, vring0 0x<da0>, vring1 0x<da1>, <num> buffers each
 *   [m4] mp15_tty_echo: announced rpmsg-tty at 0x400
 *   [m4] mp15_tty_echo: announced rpmsg-tty at 0x401
 * (each echoed message only in the trace buffer: "0x400 echoed <n> bytes")
 * and error lines starting "mp15_tty_echo: " (bad vring address, no TX buffer for 15 s,
 * message for an unknown endpoint, ...).
 */
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "console.h"
#include "cortex_m.h"
#include "demo_time.h"
#include "mp15_rpmsg.h"
#include "platform.h"
#include "stm32mp15_ipcc.h"
#include "stm32mp15_irq.h"
#include "stm32mp15_regs.h"

#ifndef MP15_TTY_NAME
#define MP15_TTY_NAME "rpmsg-tty" /* older ST kernels and CubeMP1: "rpmsg-tty-channel" */
#endif

#define LOG_BUF_SIZE  2048u       /* ST's SYSTEM_TRACE_BUF_SZ */
#define NUM_VRINGS    2u
#define VRING_ALIGN   16u
#define VRING_NUM     16u
#define IPCC_CH_VRING0 0u         /* ST's IPCC_CHANNEL_1: vring0 (M4 -> master, buf free) */
#define IPCC_CH_VRING1 1u         /* ST's IPCC_CHANNEL_2: vring1 (master -> M4)           */
#define TX_WAIT_MS    15000u      /* OpenAMP: RPMSG_TICK_COUNT x 1 ms                     */

DEMO_TIME_DEFINE()

/* ---- trace buffer and log ------------------------------------------------------------- */
static char s_log[LOG_BUF_SIZE];

/* ST's log_buff(): circular, each character followed by a terminating NUL. */
static void log_putc(char c)
{
    static uint32_t offset;
    if (offset + 1u >= LOG_BUF_SIZE) {
        offset = 0u;
    }
    s_log[offset] = c;
    s_log[offset + 1u] = '\0';
    offset++;
}

/* log_info(): "[sssss.mmm][INFO ]" + text (HAL_GetTick()) + "\r\n". */
static void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void log_info(const char *fmt, ...)
{
    static const char digits[] = "0123456789";
    const uint32_t ms = demo_ms();
    const uint32_t sec = ms / 1000u, frac = ms % 1000u;
    log_putc('[');
    for (uint32_t div = 10000u; div != 0u; div /= 10u) {
        log_putc(digits[(sec / div) % 10u]);
    }
    log_putc('.');
    log_putc(digits[frac / 100u]);
    log_putc(digits[(frac / 10u) % 10u]);
    log_putc(digits[frac % 10u]);
    for (const char *p = "][INFO ]"; *p; ++p) {
        log_putc(*p);
    }
    va_list ap;
    va_start(ap, fmt);
    console_vformat(log_putc, fmt, ap); /* the console's printf subset */
    va_end(ap);
    log_putc('\r');
    log_putc('\n');
}

/* ---- resource table --------------------------------------------------------------------- */
/* What the master reads from the ELF: an rpmsg vdev (name service offered, two vrings
 * whose addresses it chooses) and the trace buffer. It writes its processed copy back
 * here before the M4 runs, so the M4 reads it through a volatile pointer. */
__attribute__((section(".resource_table"), used))
struct mp15_resource_table resource_table = {
    .ver = 1u,
    .num = 2u,
    .offset = { offsetof(struct mp15_resource_table, vdev),
                offsetof(struct mp15_resource_table, trace) },
    .vdev = { .type = RSC_VDEV, .id = VIRTIO_ID_RPMSG, .notifyid = 0u,
              .dfeatures = 1u << VIRTIO_RPMSG_F_NS, .gfeatures = 0u, .config_len = 0u,
              .status = 0u, .num_of_vrings = NUM_VRINGS },
    .vring0 = { .da = FW_RSC_U32_ADDR_ANY, .align = VRING_ALIGN, .num = VRING_NUM, .notifyid = 0u },
    .vring1 = { .da = FW_RSC_U32_ADDR_ANY, .align = VRING_ALIGN, .num = VRING_NUM, .notifyid = 1u },
    .trace = { .type = RSC_TRACE, .da = (uint32_t)(uintptr_t)s_log, .len = LOG_BUF_SIZE,
               .name = "cm4_log" },
};
#define RSC ((volatile struct mp15_resource_table *)&resource_table)

/* ---- IPCC as ST's mailbox glue (mbox_ipcc.c) uses it ---------------------------------------- */
static struct ipcc_handle s_ipcc;
static volatile uint32_t s_ch1_buf_free; /* channel 1 rang: buffers free on vring0 */
static volatile uint32_t s_ch2_new_msg;  /* channel 2 rang: messages on vring1      */

static void ipcc_channel1_callback(struct ipcc_handle *h, uint32_t ch, enum ipcc_dir dir)
{
    (void)dir;
    s_ch1_buf_free = 1u;
    ipcc_notify_cpu(h, ch, IPCC_DIR_RX); /* "got your doorbell" */
}

static void ipcc_channel2_callback(struct ipcc_handle *h, uint32_t ch, enum ipcc_dir dir)
{
    (void)dir;
    s_ch2_new_msg = 1u;
    ipcc_notify_cpu(h, ch, IPCC_DIR_RX);
}

void IPCC_RX1_IRQHandler(void);
void IPCC_RX1_IRQHandler(void) { ipcc_rx_irq_handler(&s_ipcc); }

/* MAILBOX_Notify(VRING0_ID): wait until the master took the previous doorbell (own
 * channel-1 flag clear; no time limit, as ST), then ring again. */
static void mailbox_notify_vring0(void)
{
    while (ipcc_get_channel_status(IPCC_CH_VRING0, IPCC_DIR_TX) == IPCC_CHANNEL_OCCUPIED) {
    }
    ipcc_notify_cpu(&s_ipcc, IPCC_CH_VRING0, IPCC_DIR_TX);
}

/* ---- virtqueues (the device side) ----------------------------------------------------------- */
static struct vring s_vring[NUM_VRINGS]; /* [0]: M4 -> master (TX), [1]: master -> M4 (RX) */
static uintptr_t s_shm_start, s_shm_end; /* where buffers may be (the IPC shared memory)   */

/* The next buffer the master offered in vr's avail ring, or 0. */
static void *vring_get_available(struct vring *vr, uint16_t *head, uint32_t *len)
{
    if (vr->last_avail_idx == vr->avail->idx) {
        return 0;
    }
    cm_dmb(); /* read the entry only after seeing the index that published it */
    const uint16_t h = vr->avail->ring[vr->last_avail_idx & (vr->num - 1u)];
    vr->last_avail_idx++;
    const uint32_t addr = (uint32_t)vr->desc[h].addr;
    const uint32_t size = vr->desc[h].len;
    if (h >= vr->num || addr < s_shm_start || addr + size > s_shm_end || size < sizeof(struct rpmsg_hdr)) {
        uart_printf("mp15_tty_echo: bad descriptor %u (addr 0x%08x, len %u)\n", (unsigned)h,
                    (unsigned)addr, (unsigned)size);
        return 0;
    }
    *head = h;
    *len = size;
    return (void *)(uintptr_t)addr;
}

/* Give descriptor head back to the master in vr's used ring. */
static void vring_add_used(struct vring *vr, uint16_t head, uint32_t len)
{
    const uint16_t idx = vr->used->idx;
    vr->used->ring[idx & (vr->num - 1u)].id = head;
    vr->used->ring[idx & (vr->num - 1u)].len = len;
    cm_dmb(); /* the entry is visible before the index that publishes it */
    vr->used->idx = (uint16_t)(idx + 1u);
    cm_dsb();
}

/* ---- RPMsg ----------------------------------------------------------------------------- */
struct endpoint {
    const char *name;
    uint32_t addr;
    uint32_t dest_addr; /* the master's endpoint, learnt from the first message */
};
static struct endpoint s_ept[2] = {
    { MP15_TTY_NAME, RPMSG_RESERVED_ADDRESSES + 0u, RPMSG_ADDR_ANY }, /* virtual UART0 */
    { MP15_TTY_NAME, RPMSG_RESERVED_ADDRESSES + 1u, RPMSG_ADDR_ANY }, /* virtual UART1 */
};

/* rpmsg_send_offchannel_raw(): one message src -> dst on vring0. 0 on success. */
static int rpmsg_send(uint32_t src, uint32_t dst, const void *data, uint32_t len)
{
    struct vring *vr = &s_vring[0];
    uint16_t head;
    uint32_t size;
    void *buf;
    const uint32_t t0 = demo_ms();
    while ((buf = vring_get_available(vr, &head, &size)) == 0) {
        if (demo_ms() - t0 >= TX_WAIT_MS) {
            uart_printf("mp15_tty_echo: no TX buffer from the master for %u ms\n",
                        (unsigned)TX_WAIT_MS);
            return -1;
        }
    }
    if (len > size - sizeof(struct rpmsg_hdr)) {
        len = size - sizeof(struct rpmsg_hdr);
    }
    struct rpmsg_hdr *hdr = buf;
    hdr->src = src;
    hdr->dst = dst;
    hdr->reserved = 0u;
    hdr->len = (uint16_t)len;
    hdr->flags = 0u;
    memcpy(hdr + 1, data, len);
    cm_dsb(); /* the message is in the buffer before the ring says so */
    vring_add_used(vr, head, size);
    /* virtqueue_kick(): ring unless the master asked not to be interrupted. */
    if ((vr->avail->flags & VRING_AVAIL_F_NO_INTERRUPT) == 0u) {
        mailbox_notify_vring0();
    }
    return 0;
}

/* rpmsg_send_ns_message(): announce endpoint e to the master's name service. */
static void rpmsg_announce(const struct endpoint *e)
{
    struct rpmsg_ns_msg ns;
    memset(&ns, 0, sizeof ns);
    for (uint32_t i = 0; i < sizeof ns.name && e->name[i] != '\0'; ++i) {
        ns.name[i] = e->name[i]; /* NUL-padded, not necessarily terminated at 32 */
    }
    ns.addr = e->addr;
    ns.flags = RPMSG_NS_CREATE;
    if (rpmsg_send(e->addr, RPMSG_NS_EPT_ADDR, &ns, sizeof ns) == 0) {
        uart_printf("mp15_tty_echo: announced %s at 0x%x\n", e->name, (unsigned)e->addr);
        log_info("announced %s at 0x%x", e->name, (unsigned)e->addr);
    }
}

/* The virtual UART's receive callback and the echo (VIRT_UART_Transmit). */
static void tty_received(struct endpoint *e, const uint8_t *data, uint32_t len, uint32_t src)
{
    if (e->dest_addr == RPMSG_ADDR_ANY) {
        e->dest_addr = src;
    }
    /* Like ST's application, each message is logged to the trace buffer only: a
     * console line per message would cost ~50 characters of UART time each. */
    if (rpmsg_send(e->addr, e->dest_addr, data, len) == 0) {
        log_info("0x%x echoed %u bytes", (unsigned)e->addr, (unsigned)len);
    }
}

/* rpmsg_virtio_rx_callback(): every message the master put on vring1. */
static void rpmsg_receive_all(void)
{
    struct vring *vr = &s_vring[1];
    uint16_t head;
    uint32_t size;
    void *buf;
    while ((buf = vring_get_available(vr, &head, &size)) != 0) {
        const struct rpmsg_hdr *hdr = buf;
        struct endpoint *e = 0;
        for (uint32_t i = 0; i < sizeof s_ept / sizeof s_ept[0]; ++i) {
            if (s_ept[i].addr == hdr->dst) {
                e = &s_ept[i];
            }
        }
        if (e == 0) {
            uart_printf("mp15_tty_echo: message for unknown endpoint 0x%x dropped\n",
                        (unsigned)hdr->dst);
        } else if (hdr->len > size - sizeof(struct rpmsg_hdr)) {
            uart_printf("mp15_tty_echo: message of %u bytes in a %u-byte buffer dropped\n",
                        (unsigned)hdr->len, (unsigned)size);
        } else {
            tty_received(e, (const uint8_t *)(hdr + 1), hdr->len, hdr->src);
        }
        vring_add_used(vr, head, size); /* buffer read: back to the master */
    }
    /* OpenAMP now "kicks" vring1: no doorbell (see the header comment). */
}

/* ---- board: LED7 (PH7, active high) as ST's BSP_LED_Init / BSP_LED_On do it --------------- */
#define HSEM_GPIO 0u /* the BSP's lock for GPIO configuration */
static int hsem_fast_take(unsigned n)
{
    return HSEM->RLR[n] == (HSEM_R_LOCK | (HSEM_COREID_MCU << HSEM_R_COREID_Pos));
}
static void hsem_release(unsigned n)
{
    HSEM->R[n] = HSEM_COREID_MCU << HSEM_R_COREID_Pos;
}

static void led7_init_on(void)
{
    const uint32_t port = GPIO_PORT_H, pin = 7u;
    RCC->MC_AHB4ENSETR = RCC_AHB4ENSETR_GPIOEN(port);

    /* BSP_ENTER_CRITICAL_SECTION: HSEM 0, retried for up to 100 ms. */
    const uint32_t t0 = demo_ms();
    int locked;
    while (!(locked = hsem_fast_take(HSEM_GPIO)) && demo_ms() - t0 < 100u) {
    }
    if (!locked) {
        uart_puts("mp15_tty_echo: HSEM 0 (GPIO lock) not granted, LED7 left alone\n");
        return;
    }
    struct mp15_gpio *g = GPIO(port);
    /* HAL_GPIO_Init, output push-pull, pull-up, very high speed: OSPEEDR, OTYPER,
     * PUPDR, MODER in that order. */
    g->OSPEEDR = (g->OSPEEDR & ~(3u << (2u * pin))) | (GPIO_OSPEEDR_VERY_HIGH << (2u * pin));
    g->OTYPER &= ~(1u << pin);
    g->PUPDR = (g->PUPDR & ~(3u << (2u * pin))) | (GPIO_PUPDR_PULLUP << (2u * pin));
    g->MODER = (g->MODER & ~(3u << (2u * pin))) | (GPIO_MODER_OUTPUT << (2u * pin));
    hsem_release(HSEM_GPIO);

    g->BSRR = 1u << (pin + 16u); /* BSP_LED_Init ends with the LED off ... */
    g->BSRR = 1u << pin;         /* ... and the application turns it on    */
}

/* ---- main ---------------------------------------------------------------------------------- */
static int have_work(void)
{
    return s_ch1_buf_free || s_ch2_new_msg;
}

int main(void)
{
    /* HAL_Init: priority grouping 4, 1 kHz SysTick. */
    uint32_t aircr = SCB->AIRCR;
    aircr &= ~(0xFFFFu << 16 | SCB_AIRCR_PRIGROUP_Msk);
    SCB->AIRCR = aircr | SCB_AIRCR_VECTKEY | (3u << SCB_AIRCR_PRIGROUP_Pos);
    demo_time_start();

    uart_init(); /* nobody else uses USART3 on this machine */
    const uint32_t bootr = SYSCFG_BOOTR;
    if ((bootr & SYSCFG_BOOTR_BOOT_Msk) == SYSCFG_BOOTR_BOOT_ENGI) {
        /* ST's application would run SystemClock_Config here; this demo stays on the
         * reset clocks (64 MHz HSI) either way. */
        uart_puts("mp15_tty_echo: engineering boot mode (clocks left at reset values)\n");
    }
    log_info("cm4 started");

    RCC->MC_AHB3ENSETR = RCC_AHB3ENSETR_HSEMEN; /* __HAL_RCC_HSEM_CLK_ENABLE */
    led7_init_on();

    /* MX_IPCC_Init (the MSP: IPCC clock, NVIC IPCC_RX1 only) and MAILBOX_Init. */
    ipcc_clock_enable();
    NVIC->IPR[IPCC_RX1_IRQn] = (uint8_t)(1u << 4);
    nvic_enable_irq(IPCC_RX1_IRQn);
    ipcc_init(&s_ipcc);
    ipcc_activate_notification(&s_ipcc, IPCC_CH_VRING0, IPCC_DIR_RX, ipcc_channel1_callback);
    ipcc_activate_notification(&s_ipcc, IPCC_CH_VRING1, IPCC_DIR_RX, ipcc_channel2_callback);

    /* rproc_virtio_wait_remote_ready(): the master's DRIVER_OK in the vdev status. */
    uart_puts("mp15_tty_echo: cm4 started, waiting for DRIVER_OK\n");
    const uint32_t t0 = demo_ms();
    int said = 0;
    while ((RSC->vdev.status & VIRTIO_CONFIG_S_DRIVER_OK) == 0u) {
        if (!said && demo_ms() - t0 >= 10000u) {
            uart_puts("mp15_tty_echo: no DRIVER_OK after 10 s, still waiting\n");
            said = 1;
        }
    }
    cm_dmb();

    /* rproc_virtio_init_vring() x 2, with what the master wrote into the table. */
    extern char __OPENAMP_region_start__[], __OPENAMP_region_end__[];
    s_shm_start = (uintptr_t)__OPENAMP_region_start__;
    s_shm_end = (uintptr_t)__OPENAMP_region_end__;
    const uint32_t da0 = RSC->vring0.da, da1 = RSC->vring1.da;
    const uint32_t num0 = RSC->vring0.num, num1 = RSC->vring1.num;
    if (da0 == FW_RSC_U32_ADDR_ANY || da1 == FW_RSC_U32_ADDR_ANY || num0 == 0u ||
        (num0 & (num0 - 1u)) != 0u || num1 == 0u || (num1 & (num1 - 1u)) != 0u) {
        uart_printf("mp15_tty_echo: the master left the vrings unusable (da 0x%08x/0x%08x,"
                    " num %u/%u)\n",
                    (unsigned)da0, (unsigned)da1, (unsigned)num0, (unsigned)num1);
        fw_finish();
    }
    vring_init(&s_vring[0], num0, da0, RSC->vring0.align);
    vring_init(&s_vring[1], num1, da1, RSC->vring1.align);
    uart_printf("mp15_tty_echo: DRIVER_OK, vring0 0x%08x, vring1 0x%08x, %u buffers each\n",
                (unsigned)da0, (unsigned)da1, (unsigned)num0);

    /* rpmsg_init_vdev() + VIRT_UART_Init() x 2: the name service announcements. */
    const uint32_t features = RSC->vdev.dfeatures & RSC->vdev.gfeatures;
    if (features & (1u << VIRTIO_RPMSG_F_NS)) {
        rpmsg_announce(&s_ept[0]);
        rpmsg_announce(&s_ept[1]);
    } else {
        uart_puts("mp15_tty_echo: name service not granted, endpoints not announced\n");
    }

    for (;;) {
        if (s_ch1_buf_free) {
            s_ch1_buf_free = 0u; /* rproc_virtio_notified(vdev, VRING0_ID): nothing waits */
        }
        if (s_ch2_new_msg) {
            s_ch2_new_msg = 0u;
            rpmsg_receive_all();
            continue;
        }
        cm_disable_irq();
        if (!have_work()) {
            cm_wfi();
        }
        cm_enable_irq();
    }
}
