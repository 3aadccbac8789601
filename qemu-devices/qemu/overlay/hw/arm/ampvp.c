/*
 * ampvp: one Cortex-M core of an asymmetric multi-core SoC whose shared
 * peripherals live in the ampvp hub.
 *
 * This machine is generic on purpose.  It knows nothing about any SoC: at
 * init it connects to the hub (machine property "sock"), receives a short
 * configuration text (docs/protocol.md) naming the CPU type, clock, number
 * of NVIC inputs, reset vector table address and the memory map, and builds
 * exactly that:
 *   - "file" regions: RAM backed by a file the hub created and mapped too
 *     (share=on: a store by one core is at once visible to the other core
 *     and to the hub); a read-only one ("ro": flash) is a ROM device in ROMD
 *     mode: reads and instruction fetches come from the file, stores go to
 *     the hub like a bridge window's (the flash interface model programs the
 *     memory: the file changes as the chip's flash does);
 *   - "alias" regions: a second view of part of a file region;
 *   - "cpuid": the SCB->CPUID value of the real part's core revision;
 *   - "bridge" windows: every access is forwarded to the hub over the BUS
 *     channel and answered from there (reads always wait; writes are posted
 *     when the hub allows it, which keeps ordering because the channel is
 *     one ordered stream).
 * IRQ messages from the hub arrive on a separate ASYNC channel served by the
 * main loop, so they never queue behind a bus access.  On the same channel
 * the core reports its SEV (TXEV) as EVENT and its sleep state as POWER, and
 * receives EVENT (RXEV) from the hub; the CPU side of that is our patch
 * 0002-m-profile-events.patch.  Where the SoC stops a core's clock in deep
 * sleep (configuration line "deep-sleep-stops-clock", STM32 CStop), the core
 * and its SysTick stand still from the deep-sleep WFI/WFE until the hub sends
 * WAKE (the SoC's wake-up logic, e.g. EXTI, restarted the clock).
 *
 * Copyright (c) 2026 the ampvp developers.  GPL-2.0-or-later, as QEMU.
 */

#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/error-report.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"
#include "qapi/error.h"
#include "hw/boards.h"
#include "hw/irq.h"
#include "hw/qdev-properties.h"
#include "hw/qdev-clock.h"
#include "hw/arm/boot.h"
#include "hw/arm/armv7m.h"
#include "hw/clock.h"
#include "exec/address-spaces.h"
#include "exec/ram_addr.h"
#include "sysemu/sysemu.h"
#include "sysemu/runstate.h"
#include "sysemu/cpu-timers.h"
#include "hw/core/cpu.h"
#include "sysemu/cpus.h"
#include "qom/object.h"

#include <sched.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>

#include "ampvp_proto.h"
/* The protocol library is compiled into this unit (copied in by scripts/build-qemu). */
#include "ampvp_proto.c"
#include "ampvp_config.h"
#include "ampvp_config.c"
#include "ampvp_host.h"
#include "ampvp_host.c"

#define TYPE_AMPVP_MACHINE MACHINE_TYPE_NAME("ampvp")
OBJECT_DECLARE_SIMPLE_TYPE(AmpvpMachineState, AMPVP_MACHINE)

#define AMPVP_MAX_REGIONS 32

typedef struct AmpvpWindow {
    struct AmpvpMachineState *m;
    MemoryRegion mr;
    uint64_t base;
} AmpvpWindow;

struct AmpvpMachineState {
    MachineState parent_obj;

    char *sock_path;
    int bus_fd;
    int async_fd;
    uint32_t seq;
    uint32_t caps;      /* capabilities both ends agreed on */
    int64_t spin_ns;    /* poll this long for a bus answer before sleeping */
    char *mpu_regions;  /* "mpu-regions N": the MPU regions the SoC implements */
    bool deep_stop;     /* "deep-sleep-stops-clock": deep sleep = clock stopped (CStop) */
    bool systick_frozen;/* SysTick was counting when the clock stopped */
    uint32_t events_seen; /* EVENT messages taken from the hub (main loop, BQL) */
    bool debug_halted;  /* stopped by its own debugger (reported to the hub) */
    bool cross_halted;  /* stopped by the hub's HALT (another core's debugger) */
    bool reset_held;    /* RESET with HOLD: stopped in reset until a RESET without */
    uint64_t quantum_ns; /* lockstep: deterministic mode's quantum (0: free-running) */
    uint64_t last_vtime; /* the last virtual time read (see ampvp_vtime) */
    uint64_t q_until;    /* lockstep: the quantum end GO or GRANT named */
    uint64_t grant_last; /* lockstep: GRANT lets the core run on alone to here */
    bool cut;            /* lockstep: an answer carried F_CUT: stop at the next quantum end */
    bool idle_to_from;   /* lockstep: GRANT's `from` is ahead: idle up to it first */
    int kicked;          /* the hub signalled the vCPU thread (set in the handler) */
    bool accessed;       /* a bridge access since the last exception return */
    bool posted;         /* ... and a posted write among them */
    bool thread_reported;/* THREAD sent: the hub signals the vCPU after async sends */
    int wake_fd;         /* eventfd: qemu_cpu_kick ends an idle vCPU's wait (free-running) */
    int idle_ep;         /* epoll: an idle vCPU's wait (async channel exclusive, wake_fd) */
    int main_ep;         /* epoll: the main loop's view of the async channel (exclusive) */
    QEMUBH *slow_bh;     /* the main loop applies what the vCPU thread left (RESET, HALT) */
    bool slow_waiting;   /* a message only the main loop applies waits on the async channel */
    QEMUTimer *quantum_timer;
    char core[AMPVP_CORE_NAME_LEN];

    ARMv7MState armv7m;
    Clock *sysclk;
    Clock *refclk;
    uint32_t num_irq;

    MemoryRegion regions[AMPVP_MAX_REGIONS];
    int n_regions;
    char *region_names[AMPVP_MAX_REGIONS];
    AmpvpWindow windows[AMPVP_MAX_REGIONS];
    int n_windows;

    uint8_t rxbuf[AMPVP_MSG_MAX];   /* bus channel (the vCPU's accesses) */
    uint8_t arxbuf[AMPVP_MSG_MAX];  /* async channel (main loop, lockstep boundary) */
    uint8_t vrxbuf[AMPVP_MSG_MAX];  /* async channel, read by the vCPU thread */
    uint8_t heldbuf[AMPVP_MSG_MAX]; /* the vCPU took these async bytes; the main loop applies them */
    size_t held_len;
    uint32_t async_applied; /* async messages applied, mod 2^32 (POWER run, KICK_ALL) */
};

/* ---- socket helpers -------------------------------------------------- */

static void G_GNUC_NORETURN ampvp_fatal(AmpvpMachineState *m, const char *what)
{
    error_report("ampvp[%s]: %s", m->core[0] ? m->core : "?", what);
    exit(1);
}

static int ampvp_connect(AmpvpMachineState *m)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    if (strlen(m->sock_path) >= sizeof(sa.sun_path)) {
        ampvp_fatal(m, "hub socket path too long");
    }
    pstrcpy(sa.sun_path, sizeof(sa.sun_path), m->sock_path);
    int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        error_report("ampvp: cannot connect to hub socket %s: %s", m->sock_path,
                     strerror(errno));
        exit(1);
    }
    return fd;
}

/*
 * The core's virtual time for a message header.  With instruction counting
 * (deterministic mode) QEMU can read it only where I/O is allowed: in an MMIO
 * access and at a quantum's end (`io` true).  Messages from the SEV, sleep and
 * fault hooks carry the last time read there, which is deterministic (whether
 * QEMU would allow a read at such a hook depends on how the previous TB ended).
 */
static uint64_t ampvp_vtime(AmpvpMachineState *m, bool io)
{
    if (icount_enabled() && !io) {
        return m->last_vtime;
    }
    m->last_vtime = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    return m->last_vtime;
}

static void ampvp_grant_stop(AmpvpMachineState *m, bool cut);

static void ampvp_send(AmpvpMachineState *m, int fd, uint16_t type, uint16_t flags,
                       const void *fixed, size_t fixed_len)
{
    uint8_t buf[sizeof(ampvp_hdr) + 64];
    /* Bus channel messages come from MMIO accesses and quantum ends. */
    uint64_t now = ampvp_vtime(m, fd == m->bus_fd);
    const ampvp_out out = { .type = type, .flags = flags, .seq = qatomic_fetch_inc(&m->seq),
                            .vtime_ns = now,
                            .fixed = fixed, .fixed_len = fixed_len };
    size_t n = ampvp_encode(buf, sizeof(buf), &out);
    assert(n);
    ssize_t r;
    do {
        r = send(fd, buf, n, MSG_NOSIGNAL);
    } while (r < 0 && errno == EINTR);
    if (r != (ssize_t)n) {
        ampvp_fatal(m, "lost the connection to the hub (send)");
    }
    if (fd == m->async_fd) {
        /* SEV, sleep, fault: the hub reads them at the core's next stop. */
        ampvp_grant_stop(m, true);
    }
}

/*
 * Receive one message into the channel's buffer and decode it; exits on hub loss.
 * With spin, poll first for up to m->spin_ns: on a virtual machine a host CPU
 * that went idle takes a very long time to wake (100-200 us measured here,
 * docs/performance.md), far longer than the hub needs to answer.
 */
static uint8_t *ampvp_rxbuf(AmpvpMachineState *m, int fd)
{
    return fd == m->async_fd ? m->arxbuf : m->rxbuf;
}

static ssize_t ampvp_recv_raw(AmpvpMachineState *m, int fd, bool spin)
{
    uint8_t *buf = ampvp_rxbuf(m, fd);
    ssize_t r;
    if (spin && m->spin_ns > 0 && !ampvp_host_overloaded(get_clock())) {
        int64_t deadline = get_clock() + m->spin_ns;
        unsigned tries = 0;
        do {
            r = recv(fd, buf, AMPVP_MSG_MAX, MSG_DONTWAIT);
            if (r >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
                return r;
            }
            /*
             * Two cores and the hub are three busy threads: on a 2-CPU host
             * a spinner must hand its CPU to whoever can make progress
             * (usually the hub), or it waits out a whole time slice.  Every
             * fourth look: a yield per look made each look twice as slow.
             */
            if (++tries % 4 == 0) {
                sched_yield();
            }
        } while (get_clock() < deadline);
    }
    do {
        r = recv(fd, buf, AMPVP_MSG_MAX, 0);
    } while (r < 0 && errno == EINTR);
    return r;
}

static void ampvp_recv_spin(AmpvpMachineState *m, int fd, ampvp_msg *msg, bool spin)
{
    ssize_t r = ampvp_recv_raw(m, fd, spin);
    if (r <= 0) {
        ampvp_fatal(m, "lost the connection to the hub");
    }
    char err[160];
    if (ampvp_decode(ampvp_rxbuf(m, fd), r, msg, err, sizeof(err)) != AMPVP_OK) {
        error_report("ampvp[%s]: malformed message from hub: %s", m->core, err);
        exit(1);
    }
    if (msg->hdr.type == AMPVP_MSG_ERROR) {
        error_report("ampvp[%s]: hub reports error %u: %s", m->core,
                     msg->u.error.code, msg->text);
        exit(1);
    }
    if (msg->hdr.type == AMPVP_MSG_BYE) {
        /* The hub ends the session: leave quietly. */
        exit(0);
    }
}

static void ampvp_expect(AmpvpMachineState *m, int fd, uint16_t type, ampvp_msg *msg)
{
    ampvp_recv_spin(m, fd, msg, fd == m->bus_fd);
    if (msg->hdr.type != type) {
        error_report("ampvp[%s]: expected %s from hub, got %s", m->core,
                     ampvp_msg_name(type), ampvp_msg_name(msg->hdr.type));
        exit(1);
    }
}

/* ---- deterministic lockstep: a core running alone (GRANT) -------------- */

/* The first quantum end at or after local virtual time t. */
static uint64_t ampvp_boundary_at(AmpvpMachineState *m, uint64_t t)
{
    if (t <= m->q_until) {
        return m->q_until;
    }
    return m->q_until + (t - m->q_until + m->quantum_ns - 1) / m->quantum_ns * m->quantum_ns;
}

/*
 * During a GRANT (vCPU thread): stop at the first quantum end at or after the
 * last virtual time read, where the core would have stopped anyway without
 * the grant; `cut`: report there, else only look whether the hub needs us
 * (SYNC, after posted writes).  Bridge accesses, SEV and sleep read the exact
 * time (SEV and WFI/WFE end their TB, patch 0002); a fault report may carry
 * an older one and stop the core early, off a quantum end (the hub copes).
 */
static void ampvp_grant_stop(AmpvpMachineState *m, bool cut)
{
    if (!m->quantum_ns || m->grant_last <= m->q_until) {
        return; /* free-running, or one quantum (GO) */
    }
    m->cut |= cut;
    const uint64_t b = ampvp_boundary_at(m, m->last_vtime);
    if ((int64_t)b < timer_expire_time_ns(m->quantum_timer)) {
        timer_mod(m->quantum_timer, b);
    }
}

/*
 * After a bridge access: the answer says whether the hub needs the core at
 * the next quantum end (F_CUT: it sent a core something, or set a model timer
 * the grant would pass); a posted write has no answer, so the core asks there.
 */
static void ampvp_grant_answer(AmpvpMachineState *m, uint16_t flags)
{
    if (flags & AMPVP_F_CUT) {
        ampvp_grant_stop(m, true);
    } else if (m->posted) {
        ampvp_grant_stop(m, false);
    }
}

/* ---- bridge windows: forward every access to the hub ------------------ */

/*
 * Free-running, a window access lets go of the BQL (QEMU 7.2's TCG takes it
 * for every MMIO access) while it waits for the hub: the round trip touches
 * only this machine's bus channel, its buffer and the atomic sequence number.
 * Holding the BQL through it made a core that polls a peripheral register
 * keep the lock almost all the time, so the main loop, which needs it to
 * apply an IRQ from the hub, waited for it (issue 11: IRQ delivery to a busy
 * core).  Nothing remaps memory at run time, and a vCPU pause (reset, debug
 * halt) waits for the access to end.  In deterministic mode the accesses keep
 * the BQL: the lockstep relies on it.  Returns whether it was released.
 */
static bool ampvp_bql_release(AmpvpMachineState *m)
{
    if (m->quantum_ns || !qemu_mutex_iothread_locked()) {
        return false;
    }
    qemu_mutex_unlock_iothread();
    return true;
}

static void ampvp_bql_retake(bool released)
{
    if (released) {
        qemu_mutex_lock_iothread();
    }
}

static MemTxResult ampvp_window_read(void *opaque, hwaddr addr, uint64_t *data,
                                     unsigned size, MemTxAttrs attrs)
{
    AmpvpWindow *w = opaque;
    AmpvpMachineState *m = w->m;
    ampvp_read rd = { .addr = w->base + addr, .size = size };
    ampvp_msg msg;
    bool released = ampvp_bql_release(m);

    m->accessed = true;
    ampvp_send(m, m->bus_fd, AMPVP_MSG_READ, 0, &rd, sizeof(rd));
    ampvp_expect(m, m->bus_fd, AMPVP_MSG_READ_RESP, &msg);
    ampvp_bql_retake(released);
    ampvp_grant_answer(m, msg.hdr.flags);
    *data = msg.u.read_resp.data;
    return msg.u.read_resp.status == AMPVP_OK ? MEMTX_OK : MEMTX_ERROR;
}

static MemTxResult ampvp_window_write(void *opaque, hwaddr addr, uint64_t data,
                                      unsigned size, MemTxAttrs attrs)
{
    AmpvpWindow *w = opaque;
    AmpvpMachineState *m = w->m;
    ampvp_write wr = { .addr = w->base + addr, .data = data, .size = size };
    bool posted = m->caps & AMPVP_CAP_POSTED_WRITES;
    ampvp_msg msg;

    m->accessed = true;
    ampvp_send(m, m->bus_fd, AMPVP_MSG_WRITE, posted ? AMPVP_F_POSTED : 0, &wr, sizeof(wr));
    if (posted) {
        m->posted = true;
        ampvp_grant_answer(m, 0);
        return MEMTX_OK;
    }
    bool released = ampvp_bql_release(m);
    ampvp_expect(m, m->bus_fd, AMPVP_MSG_WRITE_RESP, &msg);
    ampvp_bql_retake(released);
    ampvp_grant_answer(m, msg.hdr.flags);
    return msg.u.write_resp.status == AMPVP_OK ? MEMTX_OK : MEMTX_ERROR;
}

static const MemoryRegionOps ampvp_window_ops = {
    .read_with_attrs = ampvp_window_read,
    .write_with_attrs = ampvp_window_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid.min_access_size = 1,
    .valid.max_access_size = 4,
    .impl.min_access_size = 1,
    .impl.max_access_size = 4,
};

/* ---- clock stop (CStop): the core and its SysTick stand still ---------- */

/* Called with the BQL held. */
static void ampvp_clock_stop(AmpvpMachineState *m, bool stop)
{
    ARMCPU *cpu = ARM_CPU(first_cpu);
    SysTickState *st = &m->armv7m.systick[M_REG_NS];

    if (stop == qatomic_read(&cpu->env.v7m.clock_stopped)) {
        return;
    }
    ptimer_transaction_begin(st->ptimer);
    if (stop) {
        /* SysTick counts on the core's clock (or its /8 reference): frozen. */
        m->systick_frozen = st->control & 1; /* SYST_CSR.ENABLE */
        if (m->systick_frozen) {
            ptimer_stop(st->ptimer);
        }
    } else if (m->systick_frozen && (st->control & 1)) {
        ptimer_run(st->ptimer, 0);
    }
    ptimer_transaction_commit(st->ptimer);
    qatomic_set(&cpu->env.v7m.clock_stopped, stop);
    if (!stop) {
        qemu_cpu_kick(CPU(cpu));
    }
}

/* ---- reset by the SoC (watchdog, a domain leaving Standby, system reset) - */

/*
 * Called with the BQL held, from the main loop.  Done as the main loop
 * serves a guest's reset request (softmmu/runstate.c): vCPU stopped, every
 * device reset (CPU, NVIC, SysTick: SP and PC from `vtor`), vCPU resumed.
 * The memories keep their contents.  HOLD keeps the core stopped in reset.
 */
static void ampvp_reset_core(AmpvpMachineState *m, uint32_t vtor, bool hold)
{
    ARMCPU *cpu = ARM_CPU(first_cpu);

    ampvp_clock_stop(m, false); /* a reset restarts a stopped clock */
    m->systick_frozen = false;
    cpu->init_nsvtor = vtor;
    pause_all_vcpus();
    qemu_system_reset(SHUTDOWN_CAUSE_GUEST_RESET);
    if (hold) {
        m->reset_held = true;
        if (runstate_is_running()) {
            vm_stop(RUN_STATE_PAUSED);
        }
    } else if (m->reset_held) {
        m->reset_held = false;
        if (!runstate_is_running()) {
            vm_start();
        }
    } else {
        resume_all_vcpus();
    }
}

/* ---- async channel: IRQs from the hub, served by the main loop -------- */

/* One message from the async channel (main loop, or a lockstep boundary; BQL held). */
static void ampvp_handle_async(AmpvpMachineState *m, const ampvp_msg *mp)
{
    const ampvp_msg msg = *mp;
    switch (msg.hdr.type) {
    case AMPVP_MSG_IRQ:
        if (msg.u.irq.line >= m->num_irq) {
            warn_report("ampvp[%s]: hub raised IRQ %u, the NVIC has only %u inputs",
                        m->core, msg.u.irq.line, m->num_irq);
            break;
        }
        qemu_set_irq(qdev_get_gpio_in(DEVICE(&m->armv7m), msg.u.irq.line),
                     msg.u.irq.level);
        break;
    case AMPVP_MSG_EVENT:
        m->events_seen++;
        arm_m_profile_signal_event(ARM_CPU(first_cpu));
        break;
    case AMPVP_MSG_CLOCK:
        clock_update_hz(m->sysclk, msg.u.clock.hz);
        clock_update_hz(m->refclk, msg.u.clock.hz / 8);
        break;
    case AMPVP_MSG_WAKE:
        ampvp_clock_stop(m, false);
        break;
    case AMPVP_MSG_RESET:
        ampvp_reset_core(m, msg.u.reset.vtor, msg.u.reset.flags & AMPVP_RESET_HOLD);
        break;
    case AMPVP_MSG_HALT:
        /* Cross-halt: another core's debugger stopped it; so do we. */
        if (runstate_is_running()) {
            m->cross_halted = true;
            vm_stop(RUN_STATE_PAUSED);
        }
        break;
    case AMPVP_MSG_RESUME:
        if (m->cross_halted) {
            m->cross_halted = false;
            if (!runstate_is_running()) {
                vm_start();
            }
        }
        break;
    default:
        warn_report("ampvp[%s]: ignoring unexpected %s on the async channel",
                    m->core, ampvp_msg_name(msg.hdr.type));
        break;
    }
}

/* Messages the vCPU thread may apply itself (the hub batches only these). */
static bool ampvp_fast_message(uint16_t t)
{
    return t == AMPVP_MSG_IRQ || t == AMPVP_MSG_EVENT || t == AMPVP_MSG_CLOCK ||
           t == AMPVP_MSG_WAKE;
}

/*
 * Apply the messages of one datagram from `buf` in order; with `fast_only`
 * (the vCPU thread) stop before the first one only the main loop may apply
 * (RESET, HALT, RESUME).  Returns the offset where it stopped (n: all done).
 * One datagram: one message, or (cap BATCH) what one hub step sent this
 * core, back to back, e.g. the EVENT and the IRQ of an HSEM notification:
 * one wake-up for both.
 */
static size_t ampvp_apply_datagram(AmpvpMachineState *m, const uint8_t *buf, size_t n,
                                   bool fast_only)
{
    ampvp_msg msg;
    size_t len;
    for (size_t off = 0; off < n; off += len) {
        char err[160];
        len = ampvp_first_len(buf + off, n - off);
        if (len && fast_only) {
            ampvp_hdr h;
            memcpy(&h, buf + off, sizeof(h));
            if (!ampvp_fast_message(h.type)) {
                return off;
            }
        }
        if (!len || ampvp_decode(buf + off, len, &msg, err, sizeof(err)) != AMPVP_OK) {
            if (!len) {
                snprintf(err, sizeof(err), "%zu bytes at offset %zu of a %zu-byte datagram "
                         "are not a whole message", n - off, off, n);
            }
            error_report("ampvp[%s]: malformed message from hub: %s", m->core, err);
            exit(1);
        }
        if (msg.hdr.type == AMPVP_MSG_ERROR) {
            error_report("ampvp[%s]: hub reports error %u: %s", m->core,
                         msg.u.error.code, msg.text);
            exit(1);
        }
        if (msg.hdr.type == AMPVP_MSG_BYE) {
            exit(0);
        }
        m->async_applied++;
        ampvp_handle_async(m, &msg);
    }
    return n;
}

/*
 * Apply what waits on the async channel, in order, without blocking (BQL
 * held).  Both the main loop and the vCPU thread (idle, or signalled by the
 * hub) drain the channel; the BQL makes them take turns, so messages are
 * applied in the order sent.  `fast_only` (the vCPU thread): stop before a
 * message only the main loop may apply; the rest of that datagram is kept
 * (held) for the main loop, which applies it before reading on, and returns
 * true.  Each datagram is taken with one recv (no look first: a syscall
 * less on the way to an interrupt handler).
 */
static bool ampvp_drain_async(AmpvpMachineState *m, bool fast_only)
{
    /*
     * Each thread reads into its own buffer: applying a message may let the
     * BQL go (HALT: vm_stop waits for the vCPU), and the other thread may
     * drain meanwhile: so held bytes are looked for before every read.
     */
    uint8_t *buf = fast_only ? m->vrxbuf : m->arxbuf;
    for (;;) {
        if (m->held_len) {
            if (fast_only) {
                return true; /* what came after the held bytes waits behind them */
            }
            const size_t n = m->held_len;
            m->held_len = 0;
            memcpy(buf, m->heldbuf, n);
            ampvp_apply_datagram(m, buf, n, false);
            continue;
        }
        ssize_t r = recv(m->async_fd, buf, AMPVP_MSG_MAX, MSG_DONTWAIT);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return false;
        }
        if (r <= 0) {
            ampvp_fatal(m, "lost the connection to the hub");
        }
        const size_t stop = ampvp_apply_datagram(m, buf, (size_t)r, fast_only);
        if (stop < (size_t)r) {
            m->held_len = (size_t)r - stop;
            memcpy(m->heldbuf, buf + stop, m->held_len);
            return true;
        }
    }
}

static void ampvp_async_readable(void *opaque)
{
    AmpvpMachineState *m = opaque;
    ampvp_drain_async(m, false);
    if (m->slow_waiting) {
        /*
         * The idle vCPU waited on its condition variable for this: back to
         * waiting on the channel (with KICK_ALL nobody else watches it).
         */
        m->slow_waiting = false;
        qemu_cpu_kick(first_cpu);
    }
}

/*
 * vCPU thread (BQL held): apply the messages it may apply; from one it may
 * not on, the bytes are held and the main loop is told to take them (only
 * this thread may have been woken for the datagram).
 */
static void ampvp_vcpu_drain(AmpvpMachineState *m)
{
    if (ampvp_drain_async(m, true)) {
        m->slow_waiting = true;
        if (m->slow_bh) {
            qemu_bh_schedule(m->slow_bh);
        }
    }
}

/* ---- the vCPU thread takes async messages itself (free-running) -------- */

/*
 * An IRQ for a core that is running reached it through its QEMU main-loop
 * thread, which first had to be scheduled: on a loaded host (two busy vCPUs
 * and the hub on two CPUs) that took milliseconds (issue 11).  Instead, the
 * vCPU thread reports itself (THREAD) and the hub signals it after each async
 * send; the handler only asks the vCPU to leave its execution loop, and the
 * exec hook, run as it enters the loop again, applies the messages.  A
 * sleeping vCPU waits on a condition variable a signal does not end: the hub
 * does not signal it, the main loop wakes it as before.
 */
#define AMPVP_KICK_SIGNAL (SIGRTMIN + 3)

static AmpvpMachineState *ampvp_kick_machine; /* one machine per process */

static void ampvp_kick_handler(int sig)
{
    AmpvpMachineState *m = ampvp_kick_machine;
    if (m && first_cpu) {
        qatomic_set(&m->kicked, 1);
        cpu_exit(first_cpu); /* atomic stores only: async-signal-safe */
    }
}

static void ampvp_report_thread(AmpvpMachineState *m)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, AMPVP_KICK_SIGNAL);
    /* QEMU starts its threads with every signal blocked. */
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    const ampvp_thread t = { .pid = getpid(), .tid = syscall(SYS_gettid),
                             .signo = AMPVP_KICK_SIGNAL };
    ampvp_send(m, m->async_fd, AMPVP_MSG_THREAD, 0, &t, sizeof(t));
}

/* vCPU thread, entering the execution loop (no BQL under MTTCG). */
static void ampvp_exec_hook(void *opaque)
{
    AmpvpMachineState *m = opaque;

    if (!m->thread_reported) {
        m->thread_reported = true;
        ampvp_report_thread(m);
    }
    if (qatomic_xchg(&m->kicked, 0)) {
        bool locked = qemu_mutex_iothread_locked();
        if (!locked) {
            qemu_mutex_lock_iothread();
        }
        ampvp_vcpu_drain(m);
        if (!locked) {
            qemu_mutex_unlock_iothread();
        }
    }
}

/*
 * Exception return (vCPU thread, BQL held), before the NVIC completes the
 * exception.  A handler that cleared its interrupt's cause in a peripheral
 * (HAL_HSEM_IRQHandler's ICR write, a USART's RDR read) lowered the line in
 * the hub, but that level reaches us as an async message; until it is
 * applied the NVIC sees the line high and re-enters the handler (on the chip
 * the line drops as the write completes).  So: if the handler wrote to the
 * hub without waiting (posted), ask the hub to answer once those writes are
 * done (SYNC); then apply what the hub sent, which is by now on the async
 * channel.  Deterministic too: the hub answers in bus order, and during a
 * quantum only the running core's own accesses send it anything.
 */
static void ampvp_exc_return_hook(void *opaque)
{
    AmpvpMachineState *m = opaque;
    ampvp_msg msg;

    if (!m->accessed) {
        return;
    }
    m->accessed = false;
    if (m->posted) {
        /* One round trip, with the BQL kept: the exception exit is under way. */
        m->posted = false;
        ampvp_send(m, m->bus_fd, AMPVP_MSG_SYNC, 0, NULL, 0);
        ampvp_expect(m, m->bus_fd, AMPVP_MSG_SYNC_RESP, &msg);
        ampvp_grant_answer(m, msg.hdr.flags);
    }
    ampvp_vcpu_drain(m);
}

/*
 * An idle (halted) vCPU waits here instead of on QEMU's condition variable
 * (patch 0008; vCPU thread, BQL held on entry and return): on the async
 * channel itself, so an IRQ from the hub wakes this thread directly (one
 * wake-up instead of the main loop's and then the vCPU's), and on an eventfd
 * every qemu_cpu_kick writes (pause, reset, QEMU's own timers).  A message
 * only the main loop applies (RESET, HALT) is handed to it (held bytes and a
 * bottom half): the vCPU then waits on the condition variable as QEMU does,
 * until the main loop has applied it and kicks it.
 *
 * Only one thread wakes for a datagram.  With cap KICK_ALL (protocol 2.7)
 * the main loop does not watch the channel at all; without it both watch
 * through epoll sets with EPOLLEXCLUSIVE, this thread's registered first, so
 * the kernel wakes the idle vCPU when it waits and the main loop only
 * otherwise.  Waking both put the main loop on the free host CPU and the
 * vCPU on the hub's, where it preempted the hub until it slept again: the
 * ISR's first bus write waited there (perf sched: 237 of 308 notifications
 * woke both, issue 11).
 */
static void ampvp_idle_wait(CPUState *cs)
{
    AmpvpMachineState *m = ampvp_kick_machine;

    if (m->slow_waiting) {
        qemu_cond_wait_iothread(cs->halt_cond);
        return;
    }
    struct epoll_event ev[2];
    qemu_mutex_unlock_iothread();
    int r;
    do {
        r = epoll_wait(m->idle_ep, ev, 2, -1);
    } while (r < 0 && errno == EINTR);
    qemu_mutex_lock_iothread();
    for (int i = 0; i < r; i++) {
        uint64_t v;
        if (ev[i].data.fd == m->wake_fd && read(m->wake_fd, &v, sizeof(v)) < 0) {
            /* EAGAIN: another reader took it; nothing to do */
        }
    }
    ampvp_vcpu_drain(m); /* whatever woke us: the channel may hold something */
}

static void ampvp_kick_hook(CPUState *cs)
{
    AmpvpMachineState *m = ampvp_kick_machine;
    const uint64_t one = 1;
    /* The vCPU's own thread (an IRQ applied by its own drain) is not waiting. */
    if (m && m->wake_fd >= 0 && !qemu_cpu_is_self(cs) &&
        write(m->wake_fd, &one, sizeof(one)) < 0) {
        /* EAGAIN: the counter is already non-zero; the waiter wakes anyway */
    }
}

static bool ampvp_epoll_add(int ep, int fd, uint32_t events)
{
    struct epoll_event ev = { .events = events, .data.fd = fd };
    return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == 0;
}

/*
 * Free-running with cap KICK: the vCPU thread takes async messages itself.
 * Returns the descriptor the main loop watches for the async channel: the
 * main-loop epoll set (see ampvp_idle_wait), or the channel itself if the
 * idle wait could not be set up (the vCPU then idles as QEMU does).
 */
static int ampvp_kick_setup(AmpvpMachineState *m)
{
    struct sigaction sa = { .sa_handler = ampvp_kick_handler, .sa_flags = SA_RESTART };
    sigemptyset(&sa.sa_mask);
    ampvp_kick_machine = m;
    if (sigaction(AMPVP_KICK_SIGNAL, &sa, NULL) != 0) {
        ampvp_fatal(m, "cannot install the kick signal handler");
    }
    ARM_CPU(first_cpu)->m_exec_hook = ampvp_exec_hook;
    m->slow_bh = qemu_bh_new(ampvp_async_readable, m);
    m->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    /*
     * Order matters: exclusive waiters are woken in the order they were
     * added.  With KICK_ALL the main loop does not watch the channel: a
     * running vCPU is signalled, an idle one waits on it, and what only the
     * main loop may apply reaches it as a bottom half.
     */
    const bool main_watches = !(m->caps & AMPVP_CAP_KICK_ALL);
    m->idle_ep = epoll_create1(EPOLL_CLOEXEC);
    m->main_ep = main_watches ? epoll_create1(EPOLL_CLOEXEC) : -1;
    if (m->wake_fd >= 0 && m->idle_ep >= 0 && (!main_watches || m->main_ep >= 0) &&
        ampvp_epoll_add(m->idle_ep, m->async_fd, EPOLLIN | EPOLLEXCLUSIVE) &&
        ampvp_epoll_add(m->idle_ep, m->wake_fd, EPOLLIN) &&
        (!main_watches ||
         ampvp_epoll_add(m->main_ep, m->async_fd, EPOLLIN | EPOLLEXCLUSIVE))) {
        qemu_cpu_kick_hook = ampvp_kick_hook;
        qemu_cpu_idle_wait_hook = ampvp_idle_wait;
        return main_watches ? m->main_ep : -1;
    }
    warn_report("ampvp[%s]: no direct wake-up of the idle vCPU (%s)", m->core, strerror(errno));
    int *fds[] = { &m->wake_fd, &m->idle_ep, &m->main_ep };
    for (size_t i = 0; i < ARRAY_SIZE(fds); i++) {
        if (*fds[i] >= 0) {
            close(*fds[i]);
        }
        *fds[i] = -1;
    }
    return m->async_fd;
}

/* ---- deterministic lockstep: the core stops at each quantum's end ------ */

/*
 * A QEMU_CLOCK_VIRTUAL timer at the quantum's end (instruction counting: the
 * vCPU stops exactly there, its budget being the time to this deadline).  It
 * runs in the main loop with the BQL held, so the vCPU cannot go on while we
 * wait for the hub: report, wait for GO, apply what the hub sent before GO
 * (IRQs, events, clock, wake), re-arm.
 */
/*
 * Wait for GO (or GRANT), apply what the hub sent before it, run until its
 * deadline: the quantum's end, or a GRANT's last quantum end (see
 * ampvp_grant_answer for the stops in between).
 */
static void ampvp_lockstep_go(AmpvpMachineState *m)
{
    ampvp_msg msg;

    uint64_t from = 0;
    ampvp_recv_spin(m, m->bus_fd, &msg, true);
    if (msg.hdr.type == AMPVP_MSG_GRANT) {
        from = msg.u.grant.from;
        m->q_until = msg.u.grant.until;
        m->grant_last = msg.u.grant.last;
    } else if (msg.hdr.type == AMPVP_MSG_GO) {
        m->q_until = m->grant_last = msg.u.go.until;
    } else {
        error_report("ampvp[%s]: expected GO or GRANT from hub, got %s", m->core,
                     ampvp_msg_name(msg.hdr.type));
        exit(1);
    }
    m->cut = false;
    if (from && (int64_t)from > qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL)) {
        /*
         * The hub left us out of the rounds while we were idle (IDLE): stay
         * idle up to `from` (nothing of ours is due before it, so the clock
         * jumps there), then take what it sent.
         */
        m->idle_to_from = true;
        timer_mod(m->quantum_timer, from);
        return;
    }
    ampvp_drain_async(m, false);
    timer_mod(m->quantum_timer, m->grant_last);
}

static void ampvp_quantum_end(void *opaque)
{
    AmpvpMachineState *m = opaque;
    const ampvp_quantum q = { .vtime = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) };
    ampvp_msg msg;

    if (m->idle_to_from) {
        m->idle_to_from = false;
        m->last_vtime = q.vtime;
        ampvp_drain_async(m, false);
        timer_mod(m->quantum_timer, m->grant_last);
        return;
    }
    if (q.vtime < m->grant_last && !m->cut && m->posted) {
        /* Inside a GRANT, after posted writes: does the hub need us here? */
        m->posted = false;
        ampvp_send(m, m->bus_fd, AMPVP_MSG_SYNC, 0, NULL, 0);
        ampvp_expect(m, m->bus_fd, AMPVP_MSG_SYNC_RESP, &msg);
        m->cut = msg.hdr.flags & AMPVP_F_CUT;
    }
    if (q.vtime < m->grant_last && !m->cut) {
        timer_mod(m->quantum_timer, m->grant_last); /* on, alone */
        return;
    }
    CPUState *cs = first_cpu;
    if ((m->caps & AMPVP_CAP_GRANT) && cs->halted && !cpu_has_work(cs)) {
        /* Idle: the hub may leave us out until our own next timer (SysTick). */
        const int64_t d = qemu_clock_deadline_ns_all(QEMU_CLOCK_VIRTUAL, QEMU_TIMER_ATTR_ALL);
        const ampvp_idle idle = { .vtime = q.vtime, .next = d < 0 ? UINT64_MAX : q.vtime + d };
        ampvp_send(m, m->bus_fd, AMPVP_MSG_IDLE, 0, &idle, sizeof(idle));
    } else {
        ampvp_send(m, m->bus_fd, AMPVP_MSG_QUANTUM, 0, &q, sizeof(q));
    }
    ampvp_lockstep_go(m);
}

/* ---- CPU hooks (vCPU thread): SEV and sleep go out on the async channel -- */

static void ampvp_txev(void *opaque)
{
    AmpvpMachineState *m = opaque;
    ampvp_vtime(m, true); /* SEV ends its TB like an I/O access (patch 0002): exact */
    ampvp_send(m, m->async_fd, AMPVP_MSG_EVENT, 0, NULL, 0);
}

static void ampvp_sleep(void *opaque, int state)
{
    AmpvpMachineState *m = opaque;
    ampvp_power_msg p = { .state = state };

    /*
     * The virtual clock may be read here (the report's exact time, and
     * stopping SysTick below), although instruction counting refuses reads in
     * the middle of a TB ("Bad icount read": every ST example entering Stop
     * with its HAL tick running died under --deterministic): waking is
     * reported between TBs, and WFI and WFE end theirs, whose instructions
     * are counted as it starts, so the count is exact.  Allow the read, as
     * gen_io_start() does for an I/O instruction at the end of its TB.
     */
    CPUState *cs = first_cpu;
    const uint32_t can_do_io = cs->can_do_io;
    cs->can_do_io = 1;
    ampvp_vtime(m, true);

    /*
     * Deep sleep where the SoC stops the clock: stop it before the hub hears
     * of it, so that a WAKE the hub sends in answer always finds it stopped;
     * tell the hub how many of its EVENTs we took by then (`reason`): one in
     * flight finds the clock stopped, and the hub answers it with WAKE.  An
     * event taken after WFE looked (the main loop holds the BQL for it) means
     * the core does not stop at all.
     */
    if (state == AMPVP_PWR_DEEPSLEEP && m->deep_stop && (m->caps & AMPVP_CAP_CLOCK_STOP)) {
        ARMCPU *cpu = ARM_CPU(first_cpu);
        bool locked = qemu_mutex_iothread_locked();
        if (!locked) {
            qemu_mutex_lock_iothread();
        }
        if (!(cpu->env.v7m.wfe_sleep && cpu->env.v7m.event_register)) {
            ampvp_clock_stop(m, true);
        }
        p.reason = m->events_seen;
        if (!locked) {
            qemu_mutex_unlock_iothread();
        }
    }
    if (state == AMPVP_PWR_RUN && (m->caps & AMPVP_CAP_KICK_ALL)) {
        p.reason = m->async_applied; /* the hub signals us if it sent more */
    }
    cs->can_do_io = can_do_io;
    ampvp_send(m, m->async_fd, AMPVP_MSG_POWER, 0, &p, sizeof(p));
}

/* ---- SYSRESETREQ: the SoC's reset controller decides ------------------ */

/* The NVIC pulses its SYSRESETREQ output (AIRCR write; vCPU thread, BQL held). */
static void ampvp_sysresetreq(void *opaque, int n, int level)
{
    AmpvpMachineState *m = opaque;
    if (level) {
        ampvp_send(m, m->async_fd, AMPVP_MSG_SYSRESETREQ, 0, NULL, 0);
    }
}

/* ---- faults and debug state ------------------------------------------ */

static void ampvp_send_fault(AmpvpMachineState *m, uint32_t exc, uint32_t pc, uint32_t lr,
                             const char *why)
{
    CPUARMState *env = &ARM_CPU(first_cpu)->env;
    const ampvp_fault f = { .exc = exc, .pc = pc, .lr = lr,
                            .cfsr = env->v7m.cfsr[M_REG_NS], .hfsr = env->v7m.hfsr,
                            .mmfar = env->v7m.mmfar[M_REG_NS], .bfar = env->v7m.bfar };
    uint8_t buf[sizeof(ampvp_hdr) + sizeof(f) + 128];
    const ampvp_out out = { .type = AMPVP_MSG_FAULT, .seq = qatomic_fetch_inc(&m->seq),
                            .vtime_ns = ampvp_vtime(m, false),
                            .fixed = &f, .fixed_len = sizeof(f), .text = why ? why : "" };
    size_t n = ampvp_encode(buf, sizeof(buf), &out);
    if (n && send(m->async_fd, buf, n, MSG_NOSIGNAL) != (ssize_t)n) {
        ampvp_fatal(m, "lost the connection to the hub (send)");
    }
    ampvp_grant_stop(m, true);
}

/* vCPU thread (exception entry, BQL held). */
static void ampvp_fault_hook(void *opaque, int exc, uint32_t pc, uint32_t lr)
{
    AmpvpMachineState *m = opaque;
    if (m->caps & AMPVP_CAP_FAULTS) {
        ampvp_send_fault(m, exc, pc, lr, NULL);
    }
}

/* The core locks up: tell the hub before QEMU's cpu_abort (register dump, abort). */
static void ampvp_lockup_hook(void *opaque, const char *why)
{
    AmpvpMachineState *m = opaque;
    CPUARMState *env = &ARM_CPU(first_cpu)->env;
    if (m->caps & AMPVP_CAP_FAULTS) {
        ampvp_send_fault(m, AMPVP_FAULT_LOCKUP, env->regs[15], env->regs[14], why);
    }
}

/* The gdbstub stops the VM with RUN_STATE_DEBUG (breakpoint, step, Ctrl-C). */
static void ampvp_vm_state(void *opaque, bool running, RunState state)
{
    AmpvpMachineState *m = opaque;
    if (!(m->caps & AMPVP_CAP_DEBUG)) {
        return;
    }
    if (!running && state == RUN_STATE_DEBUG && !m->debug_halted) {
        m->debug_halted = true;
        const ampvp_debug d = { .state = AMPVP_DBG_HALTED };
        ampvp_send(m, m->async_fd, AMPVP_MSG_DEBUG, 0, &d, sizeof(d));
    } else if (running && m->debug_halted) {
        m->debug_halted = false;
        const ampvp_debug d = { .state = AMPVP_DBG_RUNNING };
        ampvp_send(m, m->async_fd, AMPVP_MSG_DEBUG, 0, &d, sizeof(d));
    }
}

/* ---- configuration text (parsed by ampvp_config.c, shared with the hub) -- */

static MemoryRegion *ampvp_region_named(AmpvpMachineState *m, const char *name)
{
    for (int i = 0; i < m->n_regions; i++) {
        if (m->region_names[i] && !strcmp(m->region_names[i], name)) {
            return &m->regions[i];
        }
    }
    return NULL;
}

/* The memory map: file regions, aliases of them, bridge windows. */
static void ampvp_map_memories(AmpvpMachineState *m, const ampvp_config *cfg)
{
    MemoryRegion *sysmem = get_system_memory();

    for (unsigned i = 0; i < cfg->n_regions; i++) {
        const ampvp_region *r = &cfg->regions[i];
        if (r->kind == AMPVP_REGION_BRIDGE) {
            AmpvpWindow *win = &m->windows[m->n_windows++];
            win->m = m;
            win->base = r->base;
            memory_region_init_io(&win->mr, NULL, &ampvp_window_ops, win, r->name, r->size);
            /* Below RAM so that nothing it overlaps is hidden by it. */
            memory_region_add_subregion_overlap(sysmem, win->base, &win->mr, -1);
            continue;
        }
        MemoryRegion *mr = &m->regions[m->n_regions];
        if (r->kind == AMPVP_REGION_FILE && r->ro) {
            /* Flash: a ROM device in ROMD mode over the shared file (as
             * memory_region_init_rom_device does, with the file's RAM block):
             * reads come from the file, stores reach the hub on the BUS
             * channel, addressed as they are. */
            AmpvpWindow *win = &m->windows[m->n_windows++];
            Error *err = NULL;
            win->m = m;
            win->base = r->base;
            memory_region_init_io(mr, NULL, &ampvp_window_ops, win, r->name, r->size);
            mr->rom_device = true; /* romd_mode is on from memory_region_init */
            mr->ram_block = qemu_ram_alloc_from_file(r->size, mr, RAM_SHARED, r->path, true, &err);
            if (err) {
                error_reportf_err(err, "ampvp[%s]: memory '%s': ", m->core, r->name);
                exit(1);
            }
        } else if (r->kind == AMPVP_REGION_FILE) {
            Error *err = NULL;
            memory_region_init_ram_from_file(mr, NULL, r->name, r->size, 0, RAM_SHARED, r->path,
                                             r->ro, &err);
            if (err) {
                error_reportf_err(err, "ampvp[%s]: memory '%s': ", m->core, r->name);
                exit(1);
            }
        } else {
            /* The parser checked that the target is an earlier file region. */
            memory_region_init_alias(mr, NULL, r->name, ampvp_region_named(m, r->target),
                                     r->offset, r->size);
        }
        m->region_names[m->n_regions++] = g_strdup(r->name);
        memory_region_add_subregion(sysmem, r->base, mr);
    }
}

/* ---- machine ---------------------------------------------------------- */

static void ampvp_say_hello(AmpvpMachineState *m, int fd, uint32_t channel, ampvp_msg *ack)
{
    ampvp_hello h = {
        .magic = AMPVP_PROTO_MAGIC,
        .major = AMPVP_PROTO_VERSION_MAJOR,
        .minor = AMPVP_PROTO_VERSION_MINOR,
        .caps = AMPVP_CAP_POSTED_WRITES | AMPVP_CAP_CLOCK | AMPVP_CAP_EVENTS |
                AMPVP_CAP_POWER | AMPVP_CAP_CLOCK_STOP | AMPVP_CAP_FAULTS | AMPVP_CAP_DEBUG |
                AMPVP_CAP_RESET | AMPVP_CAP_KICK | AMPVP_CAP_SYSRESETREQ | AMPVP_CAP_SYNC |
                AMPVP_CAP_BATCH | AMPVP_CAP_GRANT | AMPVP_CAP_KICK_ALL,
        .channel = channel,
    };
    ampvp_send(m, fd, AMPVP_MSG_HELLO, 0, &h, sizeof(h));
    ampvp_expect(m, fd, AMPVP_MSG_HELLO_ACK, ack);
    if (ack->u.hello_ack.status != AMPVP_OK) {
        error_report("ampvp: hub refused this core: %s", ack->text);
        exit(1);
    }
    if (ack->u.hello_ack.major != AMPVP_PROTO_VERSION_MAJOR) {
        error_report("ampvp: hub speaks protocol %u.%u, this QEMU %u.%u",
                     ack->u.hello_ack.major, ack->u.hello_ack.minor,
                     AMPVP_PROTO_VERSION_MAJOR, AMPVP_PROTO_VERSION_MINOR);
        exit(1);
    }
    m->caps = h.caps & ack->u.hello_ack.caps;
}

static void ampvp_init(MachineState *ms)
{
    AmpvpMachineState *m = AMPVP_MACHINE(ms);
    static ampvp_config cfg; /* large: not on the stack */
    char err[256];
    ampvp_msg ack;

    if (!m->sock_path) {
        error_report("ampvp: the machine needs sock=PATH (the hub's socket); "
                     "it is normally started by 'ampvp run'");
        exit(1);
    }
    m->bus_fd = ampvp_connect(m);
    ampvp_say_hello(m, m->bus_fd, AMPVP_CH_BUS, &ack);
    g_autofree char *config = g_strdup(ack.text);
    m->async_fd = ampvp_connect(m);
    ampvp_say_hello(m, m->async_fd, AMPVP_CH_ASYNC, &ack);

    if (ampvp_config_parse(config, &cfg, err, sizeof(err)) != 0) {
        error_report("ampvp: bad configuration from the hub: %s", err);
        exit(1);
    }
    pstrcpy(m->core, sizeof(m->core), cfg.core);
    m->num_irq = cfg.num_irq;
    m->spin_ns = (int64_t)cfg.spin_us * 1000;
    m->quantum_ns = cfg.lockstep_quantum_ns;
    if (m->quantum_ns && !icount_enabled()) {
        ampvp_fatal(m, "deterministic mode needs QEMU's -icount (ampvp run passes it)");
    }
    m->deep_stop = cfg.deep_sleep_stops_clock;
    if (cfg.has_mpu_regions) {
        m->mpu_regions = g_strdup_printf("%u", cfg.mpu_regions);
    }
    g_autofree char *cpu_type = g_strdup_printf("%s-" TYPE_ARM_CPU, cfg.cpu);
    if (!object_class_by_name(cpu_type)) {
        error_report("ampvp[%s]: this QEMU has no CPU type '%s'", m->core, cpu_type);
        exit(1);
    }

    m->sysclk = clock_new(OBJECT(ms), "SYSCLK");
    clock_set_hz(m->sysclk, cfg.cpu_hz);
    m->refclk = clock_new(OBJECT(ms), "REFCLK");
    clock_set_hz(m->refclk, cfg.cpu_hz / 8);

    ampvp_map_memories(m, &cfg);

    object_initialize_child(OBJECT(ms), "armv7m", &m->armv7m, TYPE_ARMV7M);
    DeviceState *dev = DEVICE(&m->armv7m);
    if (m->mpu_regions) {
        object_register_sugar_prop(cpu_type, "pmsav7-dregion", m->mpu_regions, false);
    }
    qdev_prop_set_string(dev, "cpu-type", cpu_type);
    qdev_prop_set_uint32(dev, "num-irq", m->num_irq);
    qdev_prop_set_uint32(dev, "init-nsvtor", cfg.boot);
    qdev_connect_clock_in(dev, "cpuclk", m->sysclk);
    qdev_connect_clock_in(dev, "refclk", m->refclk);
    object_property_set_link(OBJECT(&m->armv7m), "memory", OBJECT(get_system_memory()),
                             &error_abort);
    sysbus_realize(SYS_BUS_DEVICE(&m->armv7m), &error_fatal);
    ARMCPU *armcpu = ARM_CPU(first_cpu);
    if (cfg.cpuid) {
        /* The silicon revision the SoC really has (SCB->CPUID reads MIDR). */
        armcpu->midr = cfg.cpuid;
    }
    if (cfg.nvic_prio_bits) {
        /*
         * Priority bits the SoC implements (STM32: 4).  QEMU 7.2 fixes 8 for
         * v7-M at realize; the mask is applied on every priority write, so
         * setting it before the guest runs is enough.
         */
        m->armv7m.nvic.num_prio_bits = cfg.nvic_prio_bits;
    }
    /* Read by the SCB at run time (CLIDR 0xE000ED78, CTR, CCSIDR via CSSELR). */
    if (cfg.has_clidr) {
        armcpu->clidr = cfg.clidr;
    }
    if (cfg.has_ctr) {
        armcpu->ctr = cfg.ctr;
    }
    for (int i = 0; i < 16; i++) {
        if (cfg.has_ccsidr[i]) {
            armcpu->ccsidr[i] = cfg.ccsidr[i];
        }
    }
    armcpu->m_txev_hook = ampvp_txev;
    armcpu->m_sleep_hook = ampvp_sleep;
    armcpu->m_fault_hook = ampvp_fault_hook;
    armcpu->m_lockup_hook = ampvp_lockup_hook;
    armcpu->m_hook_opaque = m;
    if (m->caps & AMPVP_CAP_SYNC) {
        armcpu->m_exc_return_hook = ampvp_exc_return_hook;
    }
    qemu_add_vm_change_state_handler(ampvp_vm_state, m);
    if (cfg.sysresetreq_to_hub && (m->caps & AMPVP_CAP_SYSRESETREQ)) {
        /* Connected, the NVIC no longer resets this QEMU by itself. */
        qdev_connect_gpio_out_named(dev, "SYSRESETREQ", 0,
                                    qemu_allocate_irq(ampvp_sysresetreq, m, 0));
    }

    /* Registers the reset handler that loads SP and PC from the vector table. */
    armv7m_load_kernel(ARM_CPU(first_cpu), NULL, 0, 0);

    /*
     * Start barrier: tell the hub we are built, wait until every core is.  A
     * core whose boot the SoC gates (STM32H7 option byte BCMx = 0) waits here
     * until another core releases it.  START names the vector table to boot
     * from; the system reset that follows machine init loads SP and PC from it.
     */
    ampvp_send(m, m->bus_fd, AMPVP_MSG_READY, 0, NULL, 0);
    ampvp_expect(m, m->bus_fd, AMPVP_MSG_START, &ack);
    armcpu->init_nsvtor = ack.u.start.vtor;

    if (m->quantum_ns) {
        /* Deterministic: the async channel is read only at quantum ends. */
        m->quantum_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, ampvp_quantum_end, m);
        ampvp_lockstep_go(m); /* the core starts when the schedule reaches it */
    } else {
        int fd = (m->caps & AMPVP_CAP_KICK) ? ampvp_kick_setup(m) : m->async_fd;
        if (fd >= 0) {
            qemu_set_fd_handler(fd, ampvp_async_readable, NULL, m);
        }
    }
}

static char *ampvp_get_sock(Object *obj, Error **errp)
{
    return g_strdup(AMPVP_MACHINE(obj)->sock_path);
}

static void ampvp_set_sock(Object *obj, const char *value, Error **errp)
{
    AmpvpMachineState *m = AMPVP_MACHINE(obj);
    g_free(m->sock_path);
    m->sock_path = g_strdup(value);
}

static void ampvp_machine_class_init(ObjectClass *oc, void *data)
{
    MachineClass *mc = MACHINE_CLASS(oc);

    mc->desc = "ampvp: one Cortex-M core of a multi-core SoC (started by 'ampvp run')";
    mc->init = ampvp_init;
    mc->max_cpus = 1;
    mc->default_cpus = 1;
    mc->min_cpus = 1;
    mc->default_ram_size = 0;
    mc->ignore_memory_transaction_failures = false;
    object_class_property_add_str(oc, "sock", ampvp_get_sock, ampvp_set_sock);
    object_class_property_set_description(oc, "sock",
                                          "Unix socket of the ampvp hub to connect to");
}

static const TypeInfo ampvp_machine_type = {
    .name = TYPE_AMPVP_MACHINE,
    .parent = TYPE_MACHINE,
    .instance_size = sizeof(AmpvpMachineState),
    .class_init = ampvp_machine_class_init,
};

static void ampvp_machine_register(void)
{
    type_register_static(&ampvp_machine_type);
}

type_init(ampvp_machine_register)
