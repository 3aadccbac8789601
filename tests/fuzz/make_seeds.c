/*
 * Writes the seed corpora under tests/fuzz/corpus/ (committed; rerun only
 * when the protocol or the record format changes):
 *   cc -I qemu-devices/protocol tests/fuzz/make_seeds.c \
 *      qemu-devices/protocol/ampvp_proto.c -o /tmp/make_seeds
 *   /tmp/make_seeds tests/fuzz/corpus
 * protocol/: valid messages made with ampvp_encode.
 * bus/: record sequences in fuzz_bus.cpp's format.  Byte 1 indexes the
 * modelled peripherals of machine/stm32h745.json in file order (TIM2 0,
 * USART3 7, EXTI 20, GPIOA 22, RCC 33, HSEM 35 when this was written; if the
 * file changes they hit other models, which is still a fine seed).
 */
#include "ampvp_proto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *dir;

static void put(const char *sub, const char *name, const void *p, size_t n)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s/%s", dir, sub, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

static void msg(const char *name, uint16_t type, uint16_t flags, const void *fixed, size_t len,
                const char *text)
{
    unsigned char buf[512];
    const ampvp_out out = { type, flags, 7, 123456789, fixed, len, text };
    size_t n = ampvp_encode(buf, sizeof(buf), &out);
    if (!n) {
        fprintf(stderr, "make_seeds: cannot encode %s\n", name);
        exit(1);
    }
    put("protocol", name, buf, n);
}

/* Bus records. */
enum { RD = 0, WR = 2, W4 = 8, ADV = 5 << 5, SEV = 6 << 5, PWR = 7 << 5 };
enum { TIM2 = 0, USART3 = 7, EXTI = 20, GPIOA = 22, RCC = 33, HSEM = 35 };

static unsigned char rec[64 * 8];
static size_t nrec;

static void r(unsigned flags, unsigned per, unsigned off, uint32_t value)
{
    unsigned char *p = rec + 8 * nrec++;
    p[0] = (unsigned char)flags;
    p[1] = (unsigned char)per;
    p[2] = (unsigned char)(off & 0xff);
    p[3] = (unsigned char)(off >> 8);
    memcpy(p + 4, &value, 4);
}

static void seq(const char *name)
{
    put("bus", name, rec, 8 * nrec);
    nrec = 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: make_seeds CORPUS_DIR (with protocol/ and bus/ in it)\n");
        return 2;
    }
    dir = argv[1];

    ampvp_hello h;
    memset(&h, 0, sizeof(h));
    h.magic = AMPVP_PROTO_MAGIC;
    h.major = AMPVP_PROTO_VERSION_MAJOR;
    h.minor = AMPVP_PROTO_VERSION_MINOR;
    h.caps = AMPVP_CAP_POSTED_WRITES | AMPVP_CAP_EVENTS | AMPVP_CAP_POWER;
    h.channel = AMPVP_CH_BUS;
    strcpy(h.core, "cm7");
    msg("hello_bus", AMPVP_MSG_HELLO, 0, &h, sizeof(h), NULL);
    h.channel = AMPVP_CH_ASYNC;
    strcpy(h.core, "cm4");
    msg("hello_async", AMPVP_MSG_HELLO, 0, &h, sizeof(h), NULL);

    ampvp_hello_ack ack = {AMPVP_PROTO_VERSION_MAJOR, AMPVP_PROTO_VERSION_MINOR, 3, AMPVP_OK, 0};
    msg("hello_ack", AMPVP_MSG_HELLO_ACK, 0, &ack, sizeof(ack), "cpu=cortex-m7\nboot=0x08000000\n");

    ampvp_read rd = {0x4000481C, 4, 0}; /* USART3_ISR */
    msg("read_usart3_isr", AMPVP_MSG_READ, 0, &rd, sizeof(rd), NULL);
    ampvp_read rd1 = {0x58026480, 1, 0}; /* HSEM_RLR0, byte */
    msg("read_hsem_rlr0_byte", AMPVP_MSG_READ, 0, &rd1, sizeof(rd1), NULL);
    ampvp_read_resp rr = {0xC0, AMPVP_OK, 0};
    msg("read_resp", AMPVP_MSG_READ_RESP, 0, &rr, sizeof(rr), NULL);

    ampvp_write wr = {0x40004828, 'A', 4, 0}; /* USART3_TDR */
    msg("write_usart3_tdr", AMPVP_MSG_WRITE, 0, &wr, sizeof(wr), NULL);
    msg("write_usart3_tdr_posted", AMPVP_MSG_WRITE, AMPVP_F_POSTED, &wr, sizeof(wr), NULL);
    ampvp_write_resp wresp = {AMPVP_E_BUS, 0};
    msg("write_resp_bus_error", AMPVP_MSG_WRITE_RESP, 0, &wresp, sizeof(wresp), NULL);

    ampvp_irq irq = {126, 1}; /* HSEM2 to the CM4 */
    msg("irq_126_high", AMPVP_MSG_IRQ, 0, &irq, sizeof(irq), NULL);
    msg("event", AMPVP_MSG_EVENT, 0, NULL, 0, NULL);
    ampvp_power_msg pw = {AMPVP_PWR_DEEPSLEEP, 0};
    msg("power_deepsleep", AMPVP_MSG_POWER, 0, &pw, sizeof(pw), NULL);
    ampvp_start st = {0x08100000, 0};
    msg("start", AMPVP_MSG_START, 0, &st, sizeof(st), NULL);
    ampvp_error er = {AMPVP_E_UNEXPECTED, 0};
    msg("error", AMPVP_MSG_ERROR, 0, &er, sizeof(er), "READ before HELLO");

    /* USART3: enable, send a character, poll ISR, read RDR. */
    r(WR | W4, USART3, 0x0C, 0x22B);     /* BRR */
    r(WR | W4, USART3, 0x00, 0x0D);      /* CR1: UE | RE | TE */
    r(WR | 4, USART3, 0x28, 'A');        /* TDR, halfword */
    r(RD | W4, USART3, 0x1C, 0);         /* ISR */
    r(RD | W4, USART3, 0x24, 0);         /* RDR */
    seq("usart3_send");

    /* HSEM: 1-step lock by each core, 2-step lock, release, interrupt. */
    r(WR | W4, HSEM, 0x100, 1);          /* C1IER: semaphore 0 */
    r(RD | W4, HSEM, 0x80, 0);           /* core 0 RLR0: lock */
    r(1 | RD | W4, HSEM, 0x80, 0);       /* core 1 RLR0: fails */
    r(WR | W4, HSEM, 0x00, 0x300);       /* core 0 R0 unlock (COREID 3) */
    r(1 | WR | W4, HSEM, 0x04, 0x80000105); /* core 1 2-step lock R1, PROCID 5 */
    r(1 | WR | W4, HSEM, 0x04, 0x00000105); /* and release */
    r(RD | W4, HSEM, 0x10C, 0);          /* C1MISR */
    r(WR | W4, HSEM, 0x104, 1);          /* C1ICR */
    r(WR | W4, HSEM, 0x144, 0xABCD0000); /* KEYR */
    r(WR | W4, HSEM, 0x140, 0xABCD0300); /* CR: clear all of COREID 3 */
    seq("hsem_lock_release");

    /* RCC: clock enables through the per-core banks, HSE on, boot release. */
    r(WR | W4, RCC, 0xE8, 0x00040000);   /* APB1LENR: USART3EN */
    r(1 | WR | W4, RCC, 0xE8, 0x00000001); /* core 1: TIM2EN */
    r(WR | W4, RCC, 0x00, 0x00010000);   /* CR: HSEON */
    r(RD | W4, RCC, 0x00, 0);
    r(WR | W4, RCC, 0x10, 0x00000003);   /* CFGR: SW = PLL1 */
    r(WR | W4, RCC, 0xA0, 0x00000008);   /* GCR: BOOT_C2 */
    seq("rcc_clocks_boot");

    /* TIM2: count, update interrupt, time passes. */
    r(WR | W4, TIM2, 0x28, 0);           /* PSC */
    r(WR | W4, TIM2, 0x2C, 1000);        /* ARR */
    r(WR | W4, TIM2, 0x0C, 1);           /* DIER: UIE */
    r(WR | W4, TIM2, 0x00, 1);           /* CR1: CEN */
    r(ADV, 0, 0, 100000);                /* 100 us */
    r(RD | W4, TIM2, 0x24, 0);           /* CNT */
    r(RD | W4, TIM2, 0x10, 0);           /* SR */
    r(WR | W4, TIM2, 0x10, 0);           /* SR: clear (rc_w0) */
    seq("tim2_update");

    /* GPIO pin -> EXTI line, SEV, power states. */
    r(WR | W4, GPIOA, 0x00, 0xABFFFFFD); /* MODER: PA0 output */
    r(WR | W4, GPIOA, 0x14, 1);          /* ODR */
    r(WR | W4, GPIOA, 0x18, 0x00010000); /* BSRR: reset PA0 */
    r(WR | W4, EXTI, 0x00, 1);           /* RTSR1 */
    r(WR | W4, EXTI, 0x80, 1);           /* C1IMR1 */
    r(WR | W4, EXTI, 0x08, 1);           /* SWIER1 */
    r(RD | W4, EXTI, 0x88, 0);           /* C1PR1 */
    r(SEV, 0, 0, 0);                     /* core 0 SEV */
    r(1 | PWR, 0, 0, 2);                 /* core 1 deep sleep */
    r(1 | PWR, 0, 0, 0);                 /* and run */
    seq("gpio_exti_sev_power");

    /* Unmodelled peripherals and an unaligned broken-peer access. */
    r(RD | W4, 0x80 | 0, 0x00, 0);
    r(WR | W4, 0x80 | 5, 0x10, 0x1234);
    r(0x10 | WR | W4, USART3, 0x0D, 0xFFFFFFFF);
    seq("unmodelled_unaligned");
    return 0;
}
