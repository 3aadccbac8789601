/*
 * mdma_cm7.c (CM7) - the MDMA as ST's MDMA examples drive it, register for register as
 * ST's HAL does (stm32h7xx_hal_mdma.c: MDMA_Init, MDMA_SetConfig, HAL_MDMA_Start_IT,
 * HAL_MDMA_LinkedList_CreateNode / AddNode, HAL_MDMA_IRQHandler).
 *
 * Part 1, linked list (ST's MDMA_LinkedList): channel 0, software request, TRGM = full
 * transfer, three nodes: node 0 in the channel's registers (AXI SRAM words -> AXI SRAM
 * bytes, buffers of 4 bytes), node 1 (bytes -> SRAM1 bytes, buffers of 2) and node 2
 * (bytes -> SRAM4 words, buffers of 4) in AXI SRAM (RM0399: nodes in the AXI address
 * space, 64-bit aligned), linked through CLAR.  One SWRQ moves all three; the channel
 * transfer complete interrupt (MDMA_IRQn 122) ends it.
 *   HAL_MDMA_Init -> MDMA_Init: CCR = priority; CTCR = increments | sizes | PKE | TLEN |
 *     TRGM | SWRM | BWM; CBNDTR = 0; CBRUR = 0; CTBR = 0; CLAR = 0.
 *   HAL_MDMA_LinkedList_CreateNode: the node's CTCR, CBNDTR, CSAR, CDAR, CBRUR, CTBR
 *     (SBUS/DBUS for 0x00/0x20 addresses), CMAR = CMDR = 0; AddNode: CLAR of the
 *     channel (first node) and of the previous node.
 *   HAL_MDMA_Start_IT: CCR.EN = 0; MDMA_SetConfig (CBNDTR BNDT, BRC; CIFCR all; CDAR;
 *     CSAR; CTBR SBUS/DBUS; CLAR = first node); CCR |= TEIE | CTCIE (BTIE, BRTIE, TCIE
 *     for the callbacks set); CCR.EN = 1; CCR.SWRQ = 1.
 *   HAL_MDMA_IRQHandler: GISR0 bit of the channel; TE (CESR decoded, CIFCR.CTEIF), BFTC,
 *     BT, BRT, CTC (all enables off, CIFCR.CCTCIF, callback).
 * Printed: "mdma: linked list of 3 nodes: <n0>+<n1>+<n2> bytes, transfer-complete <t>,
 * block <b>, errors 0x<e>, mismatches <m>".
 *
 * Part 2, repeated block (ST's MDMA_RepeatBlock_Rotation, without the LCD): a frame of
 * FRAME_W x FRAME_H RGB565 pixels in AXI SRAM is cleared from one colour (source
 * fixed, one block per line, TRGM = repeated block), then an IMG_W x IMG_H image is
 * copied into its centre rotated by 180 degrees (destination decrementing by half
 * words from the image's last pixel, CBNDTR.BRDUM with DUV = the frame's margin), with
 * only TE and CTC interrupts enabled (as ST's example), so BRTIF, BTIF and TCIF are
 * left set in CISR at the end.  Printed: "mdma: repeated block: clear <W>x<H>, rotate
 * <w>x<h>: transfer-complete <t>, flags left 0x<f>, errors 0x<e>, mismatches <m>,
 * checksum 0x<c>" where c = c * 31 + pixel over the frame, mod 2^32.
 * Then "CM7 done".  Failure lines: "mdma: <what> did not happen (...)".
 */
#include <stdint.h>
#include <string.h>

#include "console.h"
#include "cortex_m.h"
#include "demo_time.h"
#include "platform.h"
#include "stm32h745_irq.h"
#include "stm32h745_regs.h"

DEMO_TIME_DEFINE()

/* ---- MDMA (RM0399 register map and bit names) ----------------------------------------- */
struct mdma_channel {
    volatile uint32_t CISR, CIFCR, CESR, CCR, CTCR, CBNDTR, CSAR, CDAR, CBRUR, CLAR, CTBR,
        reserved0, CMAR, CMDR, reserved1[2];
};
_Static_assert(sizeof(struct mdma_channel) == 0x40, "MDMA channel stride");
#define MDMA_GISR0 (*(volatile uint32_t *)0x52000000u)
#define MDMA_CH(n) ((struct mdma_channel *)(0x52000040u + 0x40u * (n)))

/* MDMA_LinkNodeTypeDef: the channel's registers from CTCR on, as they sit in memory. */
struct mdma_node {
    volatile uint32_t CTCR, CBNDTR, CSAR, CDAR, CBRUR, CLAR, CTBR, reserved, CMAR, CMDR;
};

#define MDMA_CISR_TEIF  (1u << 0)
#define MDMA_CISR_CTCIF (1u << 1)
#define MDMA_CISR_BRTIF (1u << 2)
#define MDMA_CISR_BTIF  (1u << 3)
#define MDMA_CISR_TCIF  (1u << 4)
#define MDMA_CCR_EN     (1u << 0)
#define MDMA_CCR_TEIE   (1u << 1)
#define MDMA_CCR_CTCIE  (1u << 2)
#define MDMA_CCR_BRTIE  (1u << 3)
#define MDMA_CCR_BTIE   (1u << 4)
#define MDMA_CCR_TCIE   (1u << 5)
#define MDMA_CCR_PL_HIGH (2u << 6)
#define MDMA_CCR_SWRQ   (1u << 16)
#define MDMA_CTCR_SINC_INC   (2u << 0)
#define MDMA_CTCR_DINC_INC   (2u << 2)
#define MDMA_CTCR_DINC_DEC   (3u << 2)
#define MDMA_CTCR_SSIZE(l2)  ((l2) << 4)
#define MDMA_CTCR_DSIZE(l2)  ((l2) << 6)
#define MDMA_CTCR_SINCOS(l2) ((l2) << 8)
#define MDMA_CTCR_DINCOS(l2) ((l2) << 10)
#define MDMA_CTCR_TLEN_Pos   18u
#define MDMA_CTCR_PKE        (1u << 25)
#define MDMA_CTCR_TRGM_REPEAT (2u << 28)
#define MDMA_CTCR_TRGM_FULL  (3u << 28)
#define MDMA_CTCR_SWRM       (1u << 30)
#define MDMA_CTCR_BWM        (1u << 31)
#define MDMA_CBNDTR_BNDT     0x1FFFFu
#define MDMA_CBNDTR_BRSUM    (1u << 18)
#define MDMA_CBNDTR_BRDUM    (1u << 19)
#define MDMA_CBNDTR_BRC_Pos  20u
#define MDMA_CBNDTR_BRC      (0xFFFu << 20)
#define MDMA_CBRUR_DUV_Pos   16u
#define MDMA_CTBR_SBUS       (1u << 16)
#define MDMA_CTBR_DBUS       (1u << 17)
#define MDMA_CESR_TED        (1u << 7)
#define MDMA_ALL_FLAGS (MDMA_CISR_TEIF | MDMA_CISR_CTCIF | MDMA_CISR_BRTIF | MDMA_CISR_BTIF | \
                        MDMA_CISR_TCIF)
#define MDMA_ALL_IE (MDMA_CCR_TEIE | MDMA_CCR_CTCIE | MDMA_CCR_BRTIE | MDMA_CCR_BTIE | MDMA_CCR_TCIE)

/* HAL_MDMA_ERROR_* */
#define MDMA_ERROR_READ  (1u << 0)
#define MDMA_ERROR_WRITE (1u << 1)

#define WAIT_MS    2000u
#define WAIT_POLLS 100000000u

/* The part of MDMA_HandleTypeDef this demo needs. */
struct mdma_handle {
    struct mdma_channel *instance;
    unsigned index;
    uint32_t tcr;                      /* MDMA_Init's CTCR (SWRM | BWM included) */
    int32_t src_block_offset, dst_block_offset;
    struct mdma_node *first, *last;
    volatile uint32_t error, completes, blocks;
    volatile int done;
    int block_callback;
};

/* The CTCR value of HAL's Init fields: increments, sizes, PKE, TLEN, TRGM; software
 * request: SWRM | BWM. */
static uint32_t tcr_of(uint32_t incs_sizes, uint32_t buffer_len, uint32_t trgm)
{
    return incs_sizes | MDMA_CTCR_PKE | ((buffer_len - 1u) << MDMA_CTCR_TLEN_Pos) | trgm |
           MDMA_CTCR_SWRM | MDMA_CTCR_BWM;
}

/* CBNDTR BRSUM/BRDUM and CBRUR from signed block offsets (MDMA_Init / CreateNode). */
static void block_offsets(int32_t src, int32_t dst, uint32_t *bndtr, uint32_t *brur)
{
    *bndtr = 0u;
    *brur = 0u;
    if (src < 0) {
        *bndtr |= MDMA_CBNDTR_BRSUM;
        *brur = (uint32_t)(-src) & 0xFFFFu;
    } else {
        *brur = (uint32_t)src & 0xFFFFu;
    }
    if (dst < 0) {
        *bndtr |= MDMA_CBNDTR_BRDUM;
        *brur |= ((uint32_t)(-dst) & 0xFFFFu) << MDMA_CBRUR_DUV_Pos;
    } else {
        *brur |= ((uint32_t)dst & 0xFFFFu) << MDMA_CBRUR_DUV_Pos;
    }
}

static uint32_t bus_bits(uint32_t src, uint32_t dst)
{
    uint32_t tbr = 0u;
    if ((src & 0xFF000000u) == 0x20000000u || (src & 0xFF000000u) == 0u) {
        tbr |= MDMA_CTBR_SBUS;
    }
    if ((dst & 0xFF000000u) == 0x20000000u || (dst & 0xFF000000u) == 0u) {
        tbr |= MDMA_CTBR_DBUS;
    }
    return tbr;
}

/* HAL_MDMA_Init -> MDMA_Init (software request). */
static void hal_mdma_init(struct mdma_handle *h)
{
    struct mdma_channel *c = h->instance;
    uint32_t bndtr, brur;
    h->index = (unsigned)(c - MDMA_CH(0));
    c->CCR &= ~MDMA_CCR_EN;
    c->CCR = MDMA_CCR_PL_HIGH; /* priority high, little endianness preserved */
    c->CTCR = h->tcr;
    block_offsets(h->src_block_offset, h->dst_block_offset, &bndtr, &brur);
    c->CBNDTR = 0u;
    c->CBNDTR |= bndtr;
    c->CBRUR = brur;
    c->CTBR = 0u;
    c->CLAR = 0u;
    h->first = h->last = 0;
    h->error = 0u;
}

/* HAL_MDMA_LinkedList_CreateNode (software request). */
static void create_node(struct mdma_node *n, uint32_t tcr, uint32_t src, uint32_t dst,
                        uint32_t bytes, uint32_t blocks)
{
    uint32_t bndtr, brur;
    n->CLAR = 0u;
    n->CTBR = 0u;
    n->CMAR = 0u;
    n->CMDR = 0u;
    n->reserved = 0u;
    n->CTCR = tcr;
    block_offsets(0, 0, &bndtr, &brur);
    n->CBNDTR = ((blocks - 1u) << MDMA_CBNDTR_BRC_Pos) | bndtr | bytes;
    n->CBRUR = brur;
    n->CDAR = dst;
    n->CSAR = src;
    n->CTBR |= bus_bits(src, dst);
}

/* HAL_MDMA_LinkedList_AddNode at the end of the list. */
static void add_node(struct mdma_handle *h, struct mdma_node *n)
{
    if (!h->first) {
        h->instance->CLAR = (uint32_t)(uintptr_t)n;
        h->first = h->last = n;
        n->CLAR = 0u;
    } else {
        n->CLAR = h->last->CLAR;
        h->last->CLAR = (uint32_t)(uintptr_t)n;
        h->last = n;
    }
}

/* HAL_MDMA_Start_IT. */
static void hal_mdma_start_it(struct mdma_handle *h, uint32_t src, uint32_t dst, uint32_t bytes,
                              uint32_t blocks)
{
    struct mdma_channel *c = h->instance;
    h->error = 0u;
    h->done = 0;
    c->CCR &= ~MDMA_CCR_EN;
    /* MDMA_SetConfig */
    c->CBNDTR = (c->CBNDTR & ~MDMA_CBNDTR_BNDT) | (bytes & MDMA_CBNDTR_BNDT);
    c->CBNDTR = (c->CBNDTR & ~MDMA_CBNDTR_BRC) | (((blocks - 1u) << MDMA_CBNDTR_BRC_Pos) &
                                                  MDMA_CBNDTR_BRC);
    c->CIFCR = MDMA_ALL_FLAGS;
    c->CDAR = dst;
    c->CSAR = src;
    c->CTBR = (c->CTBR & ~(MDMA_CTBR_SBUS | MDMA_CTBR_DBUS)) | bus_bits(src, dst);
    c->CLAR = (uint32_t)(uintptr_t)h->first;
    c->CCR |= MDMA_CCR_TEIE | MDMA_CCR_CTCIE;
    if (h->block_callback) {
        c->CCR |= MDMA_CCR_BTIE;
    }
    c->CCR |= MDMA_CCR_EN;
    c->CCR |= MDMA_CCR_SWRQ;
}

/* HAL_MDMA_IRQHandler. */
static void hal_mdma_irq_handler(struct mdma_handle *h)
{
    struct mdma_channel *c = h->instance;
    if (!(MDMA_GISR0 & (1u << h->index))) {
        return;
    }
    if ((c->CISR & MDMA_CISR_TEIF) && (c->CCR & MDMA_CCR_TEIE)) {
        c->CCR &= ~MDMA_CCR_TEIE;
        h->error |= (c->CESR & MDMA_CESR_TED) ? MDMA_ERROR_WRITE : MDMA_ERROR_READ;
        c->CIFCR = MDMA_CISR_TEIF;
    }
    if ((c->CISR & MDMA_CISR_BTIF) && (c->CCR & MDMA_CCR_BTIE)) {
        c->CIFCR = MDMA_CISR_BTIF;
        h->blocks++;
    }
    if ((c->CISR & MDMA_CISR_CTCIF) && (c->CCR & MDMA_CCR_CTCIE)) {
        c->CCR &= ~MDMA_ALL_IE;
        c->CIFCR = MDMA_CISR_CTCIF;
        h->completes++;
        h->done = 1;
    }
    if (h->error) {
        c->CCR &= ~MDMA_CCR_EN;
        h->done = 1;
    }
}

static struct mdma_handle s_mdma = {.instance = MDMA_CH(0)};

void MDMA_IRQHandler(void);
void MDMA_IRQHandler(void) { hal_mdma_irq_handler(&s_mdma); }

static int wait_done(struct mdma_handle *h) { return demo_wait_flag(&h->done, WAIT_MS, WAIT_POLLS); }

static void finish(void)
{
    uart_puts("CM7 done\n");
    for (;;) {
        cm_wfi();
    }
}

/* ---- part 1: linked list ---------------------------------------------------------------- */
#define N0_WORDS 64u
#define N1_BYTES 200u
#define N2_BYTES 128u
static uint32_t s_src0[N0_WORDS] __attribute__((section(".axisram"), aligned(32)));
static uint8_t s_src1[N1_BYTES] __attribute__((section(".axisram"), aligned(32)));
static uint8_t s_src2[N2_BYTES] __attribute__((section(".axisram"), aligned(32)));
static uint32_t s_dst0[N0_WORDS] __attribute__((section(".axisram"), aligned(32)));
#define S_DST1 ((uint8_t *)0x30000000u) /* SRAM1 (D2) */
static uint8_t s_dst2[N2_BYTES] __attribute__((section(".shared"), aligned(32))); /* SRAM4 */
static struct mdma_node s_node1 __attribute__((section(".axisram"), aligned(32)));
static struct mdma_node s_node2 __attribute__((section(".axisram"), aligned(32)));

static void part_linked_list(void)
{
    for (uint32_t i = 0; i < N0_WORDS; i++) {
        s_src0[i] = i * 0x01010101u + 0x00C0FFEEu;
        s_dst0[i] = 0u;
    }
    for (uint32_t i = 0; i < N1_BYTES; i++) {
        s_src1[i] = (uint8_t)(i * 7u + 1u);
        S_DST1[i] = 0u;
    }
    for (uint32_t i = 0; i < N2_BYTES; i++) {
        s_src2[i] = (uint8_t)(0xA5u ^ i);
        s_dst2[i] = 0u;
    }
    s_mdma.tcr = tcr_of(MDMA_CTCR_SINC_INC | MDMA_CTCR_SINCOS(2) | MDMA_CTCR_DINC_INC |
                            MDMA_CTCR_DINCOS(0) | MDMA_CTCR_SSIZE(2) | MDMA_CTCR_DSIZE(0),
                        4u, MDMA_CTCR_TRGM_FULL);
    s_mdma.src_block_offset = s_mdma.dst_block_offset = 0;
    s_mdma.block_callback = 0;
    s_mdma.completes = 0u;
    hal_mdma_init(&s_mdma);
    create_node(&s_node1,
                tcr_of(MDMA_CTCR_SINC_INC | MDMA_CTCR_SINCOS(0) | MDMA_CTCR_DINC_INC |
                           MDMA_CTCR_DINCOS(0),
                       2u, MDMA_CTCR_TRGM_FULL),
                (uint32_t)(uintptr_t)s_src1, (uint32_t)(uintptr_t)S_DST1, N1_BYTES, 1u);
    create_node(&s_node2,
                tcr_of(MDMA_CTCR_SINC_INC | MDMA_CTCR_SINCOS(0) | MDMA_CTCR_DINC_INC |
                           MDMA_CTCR_DINCOS(2) | MDMA_CTCR_DSIZE(2),
                       4u, MDMA_CTCR_TRGM_FULL),
                (uint32_t)(uintptr_t)s_src2, (uint32_t)(uintptr_t)s_dst2, N2_BYTES, 1u);
    add_node(&s_mdma, &s_node1);
    add_node(&s_mdma, &s_node2);

    hal_mdma_start_it(&s_mdma, (uint32_t)(uintptr_t)s_src0, (uint32_t)(uintptr_t)s_dst0,
                      4u * N0_WORDS, 1u);
    if (!wait_done(&s_mdma)) {
        uart_printf("mdma: linked-list transfer complete did not happen (CISR=0x%08x CCR=0x%08x "
                    "CBNDTR=0x%08x CLAR=0x%08x)\n",
                    (unsigned)s_mdma.instance->CISR, (unsigned)s_mdma.instance->CCR,
                    (unsigned)s_mdma.instance->CBNDTR, (unsigned)s_mdma.instance->CLAR);
        finish();
    }
    unsigned mismatches = 0u;
    mismatches += memcmp(s_src0, s_dst0, sizeof s_src0) != 0;
    mismatches += memcmp(s_src1, S_DST1, N1_BYTES) != 0;
    mismatches += memcmp(s_src2, s_dst2, N2_BYTES) != 0;
    uart_printf("mdma: linked list of 3 nodes: %u+%u+%u bytes, transfer-complete %u, block %u, "
                "errors 0x%x, mismatches %u\n",
                (unsigned)(4u * N0_WORDS), (unsigned)N1_BYTES, (unsigned)N2_BYTES,
                (unsigned)s_mdma.completes, (unsigned)s_mdma.blocks, (unsigned)s_mdma.error,
                mismatches);
}

/* ---- part 2: repeated block ------------------------------------------------------------- */
#define FRAME_W 48u
#define FRAME_H 32u
#define IMG_W   32u
#define IMG_H   20u
#define FILL_COLOR 0x7BEFu /* RGB565 grey */
static uint16_t s_frame[FRAME_W * FRAME_H] __attribute__((section(".axisram"), aligned(32)));
static uint16_t s_image[IMG_W * IMG_H] __attribute__((section(".axisram"), aligned(32)));
static uint16_t s_fill __attribute__((section(".axisram"), aligned(4)));

static uint32_t part_repeat_block(void)
{
    const uint32_t px = 2u; /* RGB565 bytes per pixel */
    const uint32_t x0 = (FRAME_W - IMG_W) / 2u, y0 = (FRAME_H - IMG_H) / 2u;
    const uint32_t margin = (FRAME_W - IMG_W) * px;
    unsigned completes = 0u;
    uint32_t flags = 0u;
    for (uint32_t i = 0; i < IMG_W * IMG_H; i++) {
        s_image[i] = (uint16_t)(i * 0x9E37u + 0x1234u);
    }
    for (uint32_t i = 0; i < FRAME_W * FRAME_H; i++) {
        s_frame[i] = 0u;
    }
    s_fill = FILL_COLOR;

    /* Config 0: clear the frame, source fixed, a block per line. */
    s_mdma.tcr = tcr_of(MDMA_CTCR_DINC_INC | MDMA_CTCR_DINCOS(1) | MDMA_CTCR_SSIZE(1) |
                            MDMA_CTCR_DSIZE(1),
                        128u, MDMA_CTCR_TRGM_REPEAT);
    s_mdma.src_block_offset = s_mdma.dst_block_offset = 0;
    s_mdma.block_callback = 0;
    s_mdma.completes = 0u;
    hal_mdma_init(&s_mdma);
    hal_mdma_start_it(&s_mdma, (uint32_t)(uintptr_t)&s_fill, (uint32_t)(uintptr_t)s_frame,
                      FRAME_W * px, FRAME_H);
    if (!wait_done(&s_mdma) || s_mdma.error) {
        uart_printf("mdma: frame clear did not happen (CISR=0x%08x CESR=0x%08x)\n",
                    (unsigned)s_mdma.instance->CISR, (unsigned)s_mdma.instance->CESR);
        finish();
    }
    completes += s_mdma.completes;

    /* Config 3: 180 degree rotation, destination from the image's last pixel, decrementing;
     * the block offset skips the margin backwards. */
    s_mdma.tcr = tcr_of(MDMA_CTCR_SINC_INC | MDMA_CTCR_SINCOS(1) | MDMA_CTCR_DINC_DEC |
                            MDMA_CTCR_DINCOS(1) | MDMA_CTCR_SSIZE(1) | MDMA_CTCR_DSIZE(1),
                        128u, MDMA_CTCR_TRGM_REPEAT);
    s_mdma.dst_block_offset = -(int32_t)margin;
    s_mdma.completes = 0u;
    hal_mdma_init(&s_mdma);
    const uint32_t last = (uint32_t)(uintptr_t)&s_frame[(y0 + IMG_H - 1u) * FRAME_W + x0 + IMG_W - 1u];
    hal_mdma_start_it(&s_mdma, (uint32_t)(uintptr_t)s_image, last, IMG_W * px, IMG_H);
    if (!wait_done(&s_mdma) || s_mdma.error) {
        uart_printf("mdma: rotation did not happen (CISR=0x%08x CESR=0x%08x)\n",
                    (unsigned)s_mdma.instance->CISR, (unsigned)s_mdma.instance->CESR);
        finish();
    }
    completes += s_mdma.completes;
    /* The flags whose interrupts were not enabled stay set after CTC. */
    flags = s_mdma.instance->CISR & MDMA_ALL_FLAGS;

    unsigned mismatches = 0u;
    uint32_t c = 0u;
    for (uint32_t y = 0; y < FRAME_H; y++) {
        for (uint32_t x = 0; x < FRAME_W; x++) {
            uint16_t want = FILL_COLOR;
            if (x >= x0 && x < x0 + IMG_W && y >= y0 && y < y0 + IMG_H) {
                want = s_image[(IMG_H - 1u - (y - y0)) * IMG_W + (IMG_W - 1u - (x - x0))];
            }
            const uint16_t got = s_frame[y * FRAME_W + x];
            mismatches += got != want;
            c = c * 31u + got;
        }
    }
    uart_printf("mdma: repeated block: clear %ux%u, rotate %ux%u: transfer-complete %u, flags left "
                "0x%02x, errors 0x%x, mismatches %u, checksum 0x%08x\n",
                (unsigned)FRAME_W, (unsigned)FRAME_H, (unsigned)IMG_W, (unsigned)IMG_H, completes,
                (unsigned)flags, (unsigned)s_mdma.error, mismatches, (unsigned)c);
    return c;
}

int main(void)
{
    uart_init();
    demo_time_start();
    /* __HAL_RCC_MDMA_CLK_ENABLE */
    RCC->AHB3ENR |= RCC_AHB3ENR_MDMAEN;
    (void)RCC->AHB3ENR;
    NVIC->IPR[MDMA_IRQn] = 0x00;
    nvic_enable_irq(MDMA_IRQn);

    part_linked_list();
    (void)part_repeat_block();
    finish();
}
