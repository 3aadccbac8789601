/*
 * ampvp bridge protocol: encoding and validating decoding.  See ampvp_proto.h.
 */
#include "ampvp_proto.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Payload shape per type: fixed size, and whether a NUL-terminated text may
 * follow the fixed part (then the text is mandatory, possibly empty). */
typedef struct shape {
    uint16_t type;
    const char *name;
    uint32_t fixed;
    int has_text;
} shape;

static const shape shapes[] = {
    { AMPVP_MSG_HELLO, "HELLO", sizeof(ampvp_hello), 0 },
    { AMPVP_MSG_HELLO_ACK, "HELLO_ACK", sizeof(ampvp_hello_ack), 1 },
    { AMPVP_MSG_READY, "READY", 0, 0 },
    { AMPVP_MSG_START, "START", sizeof(ampvp_start), 0 },
    { AMPVP_MSG_READ, "READ", sizeof(ampvp_read), 0 },
    { AMPVP_MSG_READ_RESP, "READ_RESP", sizeof(ampvp_read_resp), 0 },
    { AMPVP_MSG_WRITE, "WRITE", sizeof(ampvp_write), 0 },
    { AMPVP_MSG_WRITE_RESP, "WRITE_RESP", sizeof(ampvp_write_resp), 0 },
    { AMPVP_MSG_SYNC, "SYNC", 0, 0 },
    { AMPVP_MSG_SYNC_RESP, "SYNC_RESP", 0, 0 },
    { AMPVP_MSG_IRQ, "IRQ", sizeof(ampvp_irq), 0 },
    { AMPVP_MSG_EVENT, "EVENT", 0, 0 },
    { AMPVP_MSG_POWER, "POWER", sizeof(ampvp_power_msg), 0 },
    { AMPVP_MSG_CLOCK, "CLOCK", sizeof(ampvp_clock), 0 },
    { AMPVP_MSG_WAKE, "WAKE", 0, 0 },
    { AMPVP_MSG_FAULT, "FAULT", sizeof(ampvp_fault), 1 },
    { AMPVP_MSG_DEBUG, "DEBUG", sizeof(ampvp_debug), 0 },
    { AMPVP_MSG_HALT, "HALT", 0, 0 },
    { AMPVP_MSG_RESUME, "RESUME", 0, 0 },
    { AMPVP_MSG_QUANTUM, "QUANTUM", sizeof(ampvp_quantum), 0 },
    { AMPVP_MSG_GO, "GO", sizeof(ampvp_go), 0 },
    { AMPVP_MSG_GRANT, "GRANT", sizeof(ampvp_grant), 0 },
    { AMPVP_MSG_IDLE, "IDLE", sizeof(ampvp_idle), 0 },
    { AMPVP_MSG_RESET, "RESET", sizeof(ampvp_reset), 0 },
    { AMPVP_MSG_THREAD, "THREAD", sizeof(ampvp_thread), 0 },
    { AMPVP_MSG_SYSRESETREQ, "SYSRESETREQ", 0, 0 },
    { AMPVP_MSG_ERROR, "ERROR", sizeof(ampvp_error), 1 },
    { AMPVP_MSG_BYE, "BYE", 0, 0 },
};

static const shape *find_shape(uint16_t type)
{
    for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
        if (shapes[i].type == type) {
            return &shapes[i];
        }
    }
    return NULL;
}

const char *ampvp_msg_name(uint16_t type)
{
    const shape *s = find_shape(type);
    return s ? s->name : "unknown";
}

size_t ampvp_encode(void *buf, size_t cap, const ampvp_out *m)
{
    const uint16_t type = m->type;
    const void *fixed = m->fixed;
    const size_t fixed_len = m->fixed_len;
    const char *text = m->text;
    const shape *s = find_shape(type);
    if (!s || fixed_len != s->fixed || (s->fixed && !fixed) || (text && !s->has_text)) {
        return 0;
    }
    size_t text_len = s->has_text ? (text ? strlen(text) : 0) + 1 : 0;
    size_t total = sizeof(ampvp_hdr) + fixed_len + text_len;
    if (total > cap || total > AMPVP_MSG_MAX) {
        return 0;
    }
    ampvp_hdr h;
    memset(&h, 0, sizeof(h));
    h.type = type;
    h.flags = m->flags;
    h.len = (uint32_t)(fixed_len + text_len);
    h.seq = m->seq;
    h.vtime_ns = m->vtime_ns;
    unsigned char *p = (unsigned char *)buf;
    memcpy(p, &h, sizeof(h));
    if (fixed_len) {
        memcpy(p + sizeof(h), fixed, fixed_len);
    }
    if (text_len) {
        if (text_len > 1) {
            memcpy(p + sizeof(h) + fixed_len, text, text_len - 1);
        }
        p[sizeof(h) + fixed_len + text_len - 1] = '\0';
    }
    return total;
}

size_t ampvp_first_len(const void *buf, size_t n)
{
    ampvp_hdr h;
    if (n < sizeof(h)) {
        return 0;
    }
    memcpy(&h, buf, sizeof(h));
    if (h.len > n - sizeof(h)) {
        return 0;
    }
    return sizeof(h) + h.len;
}

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return AMPVP_E_MALFORMED;
}

int ampvp_decode(const void *buf, size_t n, ampvp_msg *out, char *err, size_t errlen)
{
    const unsigned char *p = (const unsigned char *)buf;
    memset(out, 0, sizeof(*out));
    if (n < sizeof(ampvp_hdr)) {
        return fail(err, errlen, "message: %lu bytes is shorter than the %lu-byte header",
                    (unsigned long)n, (unsigned long)sizeof(ampvp_hdr));
    }
    memcpy(&out->hdr, p, sizeof(ampvp_hdr));
    const shape *s = find_shape(out->hdr.type);
    if (!s) {
        return fail(err, errlen, "message type %u is not known (length %lu)",
                    (unsigned)out->hdr.type, (unsigned long)n);
    }
    if ((size_t)out->hdr.len != n - sizeof(ampvp_hdr)) {
        return fail(err, errlen, "%s: header says %lu payload bytes, %lu received", s->name,
                    (unsigned long)out->hdr.len, (unsigned long)(n - sizeof(ampvp_hdr)));
    }
    if (out->hdr.reserved != 0) {
        return fail(err, errlen, "%s: reserved header field is 0x%lx, must be 0", s->name,
                    (unsigned long)out->hdr.reserved);
    }
    const uint16_t type = out->hdr.type;
    if (out->hdr.flags & ~(AMPVP_F_POSTED | AMPVP_F_CUT) ||
        ((out->hdr.flags & AMPVP_F_POSTED) && type != AMPVP_MSG_WRITE) ||
        ((out->hdr.flags & AMPVP_F_CUT) && type != AMPVP_MSG_READ_RESP &&
         type != AMPVP_MSG_WRITE_RESP && type != AMPVP_MSG_SYNC_RESP)) {
        return fail(err, errlen, "%s: unknown or misplaced flags 0x%x", s->name,
                    (unsigned)out->hdr.flags);
    }
    size_t payload = n - sizeof(ampvp_hdr);
    if (s->has_text ? payload < (size_t)s->fixed + 1 : payload != s->fixed) {
        return fail(err, errlen, "%s: payload of %lu bytes, expected %lu", s->name,
                    (unsigned long)payload, (unsigned long)s->fixed + (s->has_text ? 1 : 0));
    }
    if (s->fixed) {
        memcpy(&out->u, p + sizeof(ampvp_hdr), s->fixed);
    }
    if (s->has_text) {
        const char *t = (const char *)p + sizeof(ampvp_hdr) + s->fixed;
        size_t tl = payload - s->fixed;
        if (memchr(t, '\0', tl) != t + tl - 1) {
            return fail(err, errlen, "%s: text of %lu bytes is not one NUL-terminated string",
                        s->name, (unsigned long)tl);
        }
        out->text = t;
    }
    /* Per-type field checks. */
    switch (out->hdr.type) {
    case AMPVP_MSG_HELLO:
        if (out->u.hello.magic != AMPVP_PROTO_MAGIC) {
            return fail(err, errlen, "%s: bad magic 0x%08lx (byte order, or not an ampvp peer)",
                        s->name, (unsigned long)out->u.hello.magic);
        }
        if (out->u.hello.channel > AMPVP_CH_ASYNC) {
            return fail(err, errlen, "%s: unknown channel %lu", s->name,
                        (unsigned long)out->u.hello.channel);
        }
        if (!memchr(out->u.hello.core, '\0', AMPVP_CORE_NAME_LEN)) {
            return fail(err, errlen, "%s: core name is not NUL-terminated", s->name);
        }
        break;
    case AMPVP_MSG_READ:
    case AMPVP_MSG_WRITE: {
        uint32_t size = out->hdr.type == AMPVP_MSG_READ ? out->u.read.size : out->u.write.size;
        if (size != 1 && size != 2 && size != 4 && size != 8) {
            return fail(err, errlen, "%s: access size %lu is not 1, 2, 4 or 8", s->name,
                        (unsigned long)size);
        }
        break;
    }
    case AMPVP_MSG_IRQ:
        if (out->u.irq.level > 1) {
            return fail(err, errlen, "%s: level %lu is not 0 or 1", s->name,
                        (unsigned long)out->u.irq.level);
        }
        break;
    case AMPVP_MSG_START:
        /* ARMv7-M: VTOR holds a table address with bits [6:0] zero. */
        if (out->u.start.vtor & 0x7Fu || out->u.start.reserved) {
            return fail(err, errlen, "%s: vector table address 0x%08lx is not 128-byte aligned "
                        "or reserved field is not 0", s->name, (unsigned long)out->u.start.vtor);
        }
        break;
    case AMPVP_MSG_RESET:
        if (out->u.reset.vtor & 0x7Fu || out->u.reset.flags & ~AMPVP_RESET_HOLD) {
            return fail(err, errlen, "%s: vector table address 0x%08lx is not 128-byte aligned "
                        "or unknown flags 0x%lx", s->name, (unsigned long)out->u.reset.vtor,
                        (unsigned long)out->u.reset.flags);
        }
        break;
    case AMPVP_MSG_THREAD:
        /* Linux real-time signals are 32..64. */
        if (!out->u.thread.pid || !out->u.thread.tid || out->u.thread.signo < 32 ||
            out->u.thread.signo > 64 || out->u.thread.reserved) {
            return fail(err, errlen, "%s: pid %lu, tid %lu or signal %lu out of range", s->name,
                        (unsigned long)out->u.thread.pid, (unsigned long)out->u.thread.tid,
                        (unsigned long)out->u.thread.signo);
        }
        break;
    case AMPVP_MSG_FAULT:
        if ((out->u.fault.exc < 3 || out->u.fault.exc > 6) && out->u.fault.exc != AMPVP_FAULT_LOCKUP) {
            return fail(err, errlen, "%s: exception %lu is not a fault (3-6) or lockup", s->name,
                        (unsigned long)out->u.fault.exc);
        }
        break;
    case AMPVP_MSG_DEBUG:
        if (out->u.debug.state > AMPVP_DBG_HALTED) {
            return fail(err, errlen, "%s: unknown debug state %lu", s->name,
                        (unsigned long)out->u.debug.state);
        }
        break;
    case AMPVP_MSG_POWER:
        if (out->u.power.state > AMPVP_PWR_DEEPSLEEP) {
            return fail(err, errlen, "%s: unknown power state %lu", s->name,
                        (unsigned long)out->u.power.state);
        }
        break;
    case AMPVP_MSG_GRANT:
        if (out->u.grant.last < out->u.grant.until || out->u.grant.until <= out->u.grant.from) {
            return fail(err, errlen, "%s: from %llu, until %llu, last %llu are not in order",
                        s->name, (unsigned long long)out->u.grant.from,
                        (unsigned long long)out->u.grant.until,
                        (unsigned long long)out->u.grant.last);
        }
        break;
    default:
        break;
    }
    return AMPVP_OK;
}
