/*
 * ampvp bridge protocol: the messages between one QEMU core instance (the
 * "bridge") and the ampvp hub.  Plain C99, no dependencies: compiled into the
 * QEMU machine (C) and into the hub (C++) unchanged.  docs/protocol.md is the
 * prose description; this header is the normative one.
 *
 * Transport: AF_UNIX SOCK_SEQPACKET, so every send() is one whole message and
 * message boundaries need no framing.  Each core opens two connections:
 *   - the BUS channel: the vCPU's blocking requests (READ, non-posted WRITE)
 *     and their responses, plus the boot handshake (HELLO, READY, START);
 *   - the ASYNC channel: everything that must never wait behind a bus access
 *     (IRQ and EVENT from the hub; POWER and EVENT from the core).
 * Both ends run on the same host, so integers are in host byte order; the
 * HELLO magic catches a mismatch.
 */
#ifndef AMPVP_PROTO_H
#define AMPVP_PROTO_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AMPVP_PROTO_MAGIC 0x56504d41u /* "AMPV" in memory order */
#define AMPVP_PROTO_VERSION_MAJOR 2
#define AMPVP_PROTO_VERSION_MINOR 7

/* Largest message on the wire (header included). */
#define AMPVP_MSG_MAX 65536u

enum ampvp_msg_type {
    AMPVP_MSG_HELLO = 1,      /* bridge -> hub, first message on a channel */
    AMPVP_MSG_HELLO_ACK = 2,  /* hub -> bridge, carries the core's config */
    AMPVP_MSG_READY = 3,      /* bridge -> hub: machine built, waiting */
    AMPVP_MSG_START = 4,      /* hub -> bridge: leave reset, vector table given */
    AMPVP_MSG_READ = 16,      /* bridge -> hub, bus channel */
    AMPVP_MSG_READ_RESP = 17, /* hub -> bridge */
    AMPVP_MSG_WRITE = 18,     /* bridge -> hub, bus channel */
    AMPVP_MSG_WRITE_RESP = 19,/* hub -> bridge, unless the write was posted */
    AMPVP_MSG_SYNC = 20,      /* bridge -> hub, bus: answer when the accesses before are done */
    AMPVP_MSG_SYNC_RESP = 21, /* hub -> bridge: they are (what they sent is on the async channel) */
    AMPVP_MSG_IRQ = 32,       /* hub -> bridge: drive an NVIC input */
    AMPVP_MSG_EVENT = 33,     /* either way: CPU event (TXEV out, RXEV in) */
    AMPVP_MSG_POWER = 34,     /* bridge -> hub: run / sleep / deep sleep */
    AMPVP_MSG_CLOCK = 35,     /* hub -> bridge: new CPU clock frequency */
    AMPVP_MSG_WAKE = 37,      /* hub -> bridge: the SoC restarts a stopped core clock */
    AMPVP_MSG_FAULT = 38,     /* bridge -> hub: a fault handler was entered, or lockup */
    AMPVP_MSG_DEBUG = 39,     /* bridge -> hub: the core's debugger halted / resumed it */
    AMPVP_MSG_HALT = 40,      /* hub -> bridge: stop the core (cross-halt) */
    AMPVP_MSG_RESUME = 41,    /* hub -> bridge: run again after HALT */
    AMPVP_MSG_QUANTUM = 42,   /* bridge -> hub, bus: lockstep: my quantum ended at vtime */
    AMPVP_MSG_GO = 43,        /* hub -> bridge, bus: lockstep: run until this local vtime */
    AMPVP_MSG_RESET = 44,     /* hub -> bridge: reset the core (boot again, or hold it) */
    AMPVP_MSG_THREAD = 45,    /* bridge -> hub, async: signal this thread after async messages */
    AMPVP_MSG_SYSRESETREQ = 46, /* bridge -> hub, async: the core wrote AIRCR.SYSRESETREQ */
    AMPVP_MSG_GRANT = 47,     /* hub -> bridge, bus: lockstep: idle to `from`, GO, run on to `last` */
    AMPVP_MSG_ERROR = 48,     /* either way: code + one-line text */
    AMPVP_MSG_BYE = 49,       /* either way: orderly end of the session */
    AMPVP_MSG_IDLE = 50,      /* bridge -> hub, bus: lockstep: QUANTUM, and idle until `next` */
};

/* Header flags. */
#define AMPVP_F_POSTED 0x0001u /* WRITE: the sender does not wait for a reply */
#define AMPVP_F_CUT    0x0002u /* READ_RESP/WRITE_RESP/SYNC_RESP during a GRANT: stop at the next quantum end */

/* Channel kinds named in HELLO. */
enum ampvp_channel { AMPVP_CH_BUS = 0, AMPVP_CH_ASYNC = 1 };

/* Capability bits (HELLO and HELLO_ACK; the session uses the intersection). */
#define AMPVP_CAP_POSTED_WRITES 0x0001u /* hub accepts posted writes */
#define AMPVP_CAP_EVENTS        0x0002u /* core can send/receive EVENT */
#define AMPVP_CAP_POWER         0x0004u /* core reports POWER states */
#define AMPVP_CAP_CLOCK         0x0008u /* core accepts CLOCK */
#define AMPVP_CAP_CLOCK_STOP    0x0010u /* core stops its clock in deep sleep until WAKE */
#define AMPVP_CAP_FAULTS        0x0020u /* core reports FAULT */
#define AMPVP_CAP_DEBUG         0x0040u /* core reports DEBUG and obeys HALT / RESUME */
#define AMPVP_CAP_RESET         0x0080u /* core obeys RESET */
#define AMPVP_CAP_KICK          0x0100u /* core may send THREAD: the hub signals its vCPU */
#define AMPVP_CAP_SYSRESETREQ   0x0200u /* core reports SYSRESETREQ (config sysresetreq-to-hub) */
#define AMPVP_CAP_SYNC          0x0400u /* hub answers SYNC */
#define AMPVP_CAP_BATCH         0x0800u /* core takes several messages in one async datagram */
#define AMPVP_CAP_GRANT         0x1000u /* lockstep: core takes GRANT, honours F_CUT, sends IDLE */
#define AMPVP_CAP_KICK_ALL      0x2000u /* with KICK: the hub signals whenever the vCPU may not see
                                         * a datagram, so the core's main loop need not watch */

/* Status codes (READ_RESP, WRITE_RESP, HELLO_ACK, ERROR). */
enum ampvp_status {
    AMPVP_OK = 0,
    AMPVP_E_BUS = 1,       /* access faulted: the guest sees a bus error */
    AMPVP_E_VERSION = 2,   /* incompatible protocol version */
    AMPVP_E_MALFORMED = 3, /* message could not be decoded */
    AMPVP_E_UNEXPECTED = 4,/* valid message, wrong place or time */
    AMPVP_E_CONFIG = 5,    /* the hub has no configuration for this core */
};

/* Power states (POWER). */
enum ampvp_power { AMPVP_PWR_RUN = 0, AMPVP_PWR_SLEEP = 1, AMPVP_PWR_DEEPSLEEP = 2 };

typedef struct ampvp_hdr {
    uint16_t type;
    uint16_t flags;
    uint32_t len;      /* payload bytes after the header */
    uint32_t seq;      /* sender's counter; a response echoes its request's */
    uint32_t reserved; /* must be 0 */
    uint64_t vtime_ns; /* sender's virtual time when the message was made */
} ampvp_hdr;

#define AMPVP_CORE_NAME_LEN 16

typedef struct ampvp_hello {
    uint32_t magic;
    uint16_t major, minor;
    uint32_t caps;
    uint32_t channel;  /* enum ampvp_channel */
    char core[AMPVP_CORE_NAME_LEN]; /* NUL-terminated, may be empty */
} ampvp_hello;

/* HELLO_ACK: fixed part followed by the configuration text (NUL-terminated,
 * possibly empty) on the bus channel.  The text format is in docs/protocol.md. */
typedef struct ampvp_hello_ack {
    uint16_t major, minor;
    uint32_t caps;
    uint32_t status;   /* AMPVP_OK or an error: then the text says why */
    uint32_t reserved;
} ampvp_hello_ack;

/* START: the core leaves reset and fetches SP and PC from `vtor` (the boot
 * address the SoC's boot logic chose: option bytes, or the address another
 * core wrote before releasing a gated core). */
typedef struct ampvp_start {
    uint32_t vtor;
    uint32_t reserved; /* must be 0 */
} ampvp_start;

typedef struct ampvp_read {
    uint64_t addr;
    uint32_t size;     /* 1, 2, 4 or 8 */
    uint32_t attrs;    /* reserved, 0 */
} ampvp_read;

typedef struct ampvp_read_resp {
    uint64_t data;
    uint32_t status;
    uint32_t reserved;
} ampvp_read_resp;

typedef struct ampvp_write {
    uint64_t addr;
    uint64_t data;
    uint32_t size;
    uint32_t attrs;
} ampvp_write;

typedef struct ampvp_write_resp {
    uint32_t status;
    uint32_t reserved;
} ampvp_write_resp;

typedef struct ampvp_irq {
    uint32_t line;     /* NVIC external interrupt number */
    uint32_t level;    /* 0 or 1 */
} ampvp_irq;

typedef struct ampvp_power_msg {
    uint32_t state;    /* enum ampvp_power */
    uint32_t reason;   /* DEEPSLEEP with CLOCK_STOP: EVENTs the core has taken
                        * (mod 2^32); RUN with KICK_ALL: async messages it has
                        * applied (mod 2^32); otherwise 0 */
} ampvp_power_msg;

typedef struct ampvp_clock {
    uint64_t hz;
} ampvp_clock;

/* FAULT: the core entered a fault handler (exc = 3 HardFault, 4 MemManage,
 * 5 BusFault, 6 UsageFault) or locks up (exc = AMPVP_FAULT_LOCKUP; then the
 * text says why and the core will not run on).  pc/lr: the interrupted
 * context; the fault status registers as the handler sees them.  Fixed part
 * followed by NUL-terminated text (may be empty). */
#define AMPVP_FAULT_LOCKUP 0xFFFFu
typedef struct ampvp_fault {
    uint32_t exc;
    uint32_t pc, lr;
    uint32_t cfsr, hfsr, mmfar, bfar;
    uint32_t reserved;
} ampvp_fault;

/* DEBUG: the core's own debugger (QEMU's gdbstub) halted it (state 1) or it
 * runs again (state 0).  HALT / RESUME carry nothing. */
enum ampvp_debug_state { AMPVP_DBG_RUNNING = 0, AMPVP_DBG_HALTED = 1 };
typedef struct ampvp_debug {
    uint32_t state;
    uint32_t reserved;
} ampvp_debug;

/* Deterministic lockstep (configuration line "lockstep-quantum-ns"): the
 * core runs with instruction counting and stops at the end of each quantum:
 * QUANTUM reports its virtual time there and it waits for GO, which names the
 * end of the next quantum (in its own virtual time).  Between the two it
 * applies everything the hub sent on the async channel before GO, so IRQs,
 * events and clock changes land at quantum boundaries. */
typedef struct ampvp_quantum {
    uint64_t vtime;
} ampvp_quantum;
typedef struct ampvp_go {
    uint64_t until;
} ampvp_go;
/* GRANT (protocol 2.6, cap GRANT): a core that runs alone (the others
 * absent, held in reset or ended) need not stop at every quantum end.  Like
 * GO it names the end of the next quantum (`until`); the core then goes on,
 * quantum by quantum, without reporting, up to `last` (a later quantum end,
 * in its own virtual time), unless an answer to one of its accesses carries
 * F_CUT: something it did needs the hub at a quantum end (an IRQ or event
 * for a core, a model timer due before `last`); it then stops and reports
 * QUANTUM at the first quantum end at or after that access.  Posted writes
 * are answered only by SYNC: a core that posted writes sends SYNC at the next
 * quantum end and reads F_CUT there.
 * A core that ends its turn idle (halted with nothing pending: WFI, WFE,
 * CStop) reports IDLE instead of QUANTUM, with its own next timer deadline
 * (SysTick): the hub may leave it out of the rounds until then or until it
 * sends it anything.  Its next GRANT names in `from` where that idle time
 * ends (its own virtual time): it stays idle up to `from` (the clock jumps
 * there), applies what the hub sent, then runs to `until`.  For a core that
 * took part in every round, `from` is the end of its last turn. */
typedef struct ampvp_grant {
    uint64_t from;
    uint64_t until;
    uint64_t last;
} ampvp_grant;
typedef struct ampvp_idle {
    uint64_t vtime; /* as QUANTUM */
    uint64_t next;  /* its own next timer deadline; UINT64_MAX: none */
} ampvp_idle;

/* RESET: the SoC resets the core (a watchdog, a domain leaving Standby, a
 * system reset): its CPU, NVIC and SysTick return to their reset state, as
 * at power-on, and it fetches SP and PC from `vtor`; memories are kept.
 * flags AMPVP_RESET_HOLD: it stays in reset (not running) until a RESET
 * without HOLD (the STM32H7 boot gate after a system reset). */
#define AMPVP_RESET_HOLD 0x1u
typedef struct ampvp_reset {
    uint32_t vtor;
    uint32_t flags;
} ampvp_reset;

/* THREAD (free-running only): the core's vCPU thread `tid` of process `pid`
 * takes async messages itself when the hub sends it signal `signo` (a
 * real-time signal) after writing to the async channel; a running core then
 * gets an IRQ without waiting for its main-loop thread to be scheduled.  The
 * hub checks `pid` against the socket's peer. */
typedef struct ampvp_thread {
    uint32_t pid;
    uint32_t tid;
    uint32_t signo;
    uint32_t reserved;
} ampvp_thread;

/* ERROR: fixed part followed by NUL-terminated text. */
typedef struct ampvp_error {
    uint32_t code;
    uint32_t reserved;
} ampvp_error;

/* A decoded message.  `text` points into the caller's receive buffer. */
typedef struct ampvp_msg {
    ampvp_hdr hdr;
    union {
        ampvp_hello hello;
        ampvp_hello_ack hello_ack;
        ampvp_start start;
        ampvp_read read;
        ampvp_read_resp read_resp;
        ampvp_write write;
        ampvp_write_resp write_resp;
        ampvp_irq irq;
        ampvp_power_msg power;
        ampvp_clock clock;
        ampvp_fault fault;
        ampvp_debug debug;
        ampvp_quantum quantum;
        ampvp_go go;
        ampvp_grant grant;
        ampvp_idle idle;
        ampvp_reset reset;
        ampvp_thread thread;
        ampvp_error error;
    } u;
    const char *text;  /* HELLO_ACK / ERROR text, else NULL */
} ampvp_msg;

/* A message to encode: the header fields and the payload. */
typedef struct ampvp_out {
    uint16_t type;
    uint16_t flags;
    uint32_t seq;
    uint64_t vtime_ns;
    const void *fixed;  /* the type's fixed payload; NULL when it has none */
    size_t fixed_len;
    const char *text;   /* appended with its NUL (HELLO_ACK, ERROR, FAULT); may be NULL */
} ampvp_out;

/*
 * Encode *m into buf (capacity cap).  Returns the number of bytes to send, or
 * 0 if it does not fit or the type/size is invalid.
 */
size_t ampvp_encode(void *buf, size_t cap, const ampvp_out *m);

/*
 * Decode and validate one received message of n bytes.  Returns AMPVP_OK and
 * fills *out, or AMPVP_E_MALFORMED and writes a one-line reason into err
 * (errlen bytes) naming the type and what is wrong.  Never reads past n.
 */
int ampvp_decode(const void *buf, size_t n, ampvp_msg *out, char *err, size_t errlen);

/*
 * Length of the first message in a datagram of n bytes (header plus the
 * payload its header announces), or 0 if the header or that payload is cut
 * short.  A hub -> core async datagram may carry several messages back to
 * back (cap BATCH, protocol 2.5): split it with this, decode each part.
 */
size_t ampvp_first_len(const void *buf, size_t n);

/* Name of a message type for logs ("READ"), or "unknown". */
const char *ampvp_msg_name(uint16_t type);

#ifdef __cplusplus
}
#endif

#endif /* AMPVP_PROTO_H */
