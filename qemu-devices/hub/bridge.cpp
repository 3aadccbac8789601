#include "bridge.h"

#include "../protocol/ampvp_proto.h"
#include "log.h"
#include "timeline.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace ampvp {

BridgeServer::BridgeServer(const MachineDesc &machine, Bus &bus, std::vector<std::string> configs,
                           bool posted_writes)
    : machine_(machine), bus_(bus), configs_(std::move(configs)), posted_writes_(posted_writes),
      cores_(machine.cores.size()), rx_(AMPVP_MSG_MAX)
{
    for (size_t c = 0; c < cores_.size(); c++) {
        cores_[c].sent_irq.assign(machine.cores[c].num_irq, false);
    }
}

BridgeServer::~BridgeServer()
{
    for (auto &kv : conns_) {
        close(kv.first);
    }
}

void BridgeServer::add_connection(CoreId core, int fd) { conns_[fd] = Conn{core}; }

bool BridgeServer::ready(CoreId core) const { return cores_[core].ready; }

bool BridgeServer::connected(CoreId core) const
{
    return cores_[core].bus_fd >= 0 && cores_[core].async_fd >= 0;
}

void BridgeServer::reply(int fd, CoreId core, uint16_t type, uint32_t seq, const void *fixed,
                         size_t len, const char *text)
{
    uint8_t small[128];
    std::vector<uint8_t> big;
    uint8_t *buf = small;
    size_t cap = sizeof(small);
    if (text) {
        big.resize(AMPVP_MSG_MAX);
        buf = big.data();
        cap = big.size();
    }
    if (fd == cores_[core].async_fd || core != grant_core_) {
        cut_grant(); // a message for a core lands at a quantum end (START too)
    }
    if (fd == cores_[core].async_fd) {
        cores_[core].sent_since_go = true;
        if (type != AMPVP_MSG_HELLO_ACK) {
            cores_[core].async_sent++; // what the core's drain counts (KICK_ALL)
        }
    }
    const bool answer = type == AMPVP_MSG_READ_RESP || type == AMPVP_MSG_WRITE_RESP ||
                        type == AMPVP_MSG_SYNC_RESP;
    const uint16_t flags = grant_cut_ && answer && core == grant_core_ ? AMPVP_F_CUT : 0;
    const ampvp_out out{type, flags, seq, cores_[core].vtime, fixed, len, text};
    size_t n = ampvp_encode(buf, cap, &out);
    if (n == 0) {
        log().error("internal: cannot encode " + std::string(ampvp_msg_name(type)) + " for " +
                    machine_.cores[core].name);
        return;
    }
    if (fd == cores_[core].async_fd) {
        // The core's main loop drains this channel only when it can take
        // QEMU's global lock, which its vCPU holds while waiting for us on
        // the bus channel: a blocking send here could deadlock.
        send_async(fd, buf, n);
        return;
    }
    flush_batches(); // the core may look at its async channel once answered (SYNC_RESP)
    ssize_t r;
    do {
        r = send(fd, buf, n, MSG_NOSIGNAL);
    } while (r < 0 && errno == EINTR);
    // A failed send means the core is gone: the runner learns it from the
    // hang-up on this fd and from the process exit.
}

void BridgeServer::send_async(int fd, const uint8_t *buf, size_t n)
{
    uint16_t type = 0;
    std::memcpy(&type, buf, sizeof(type));
    const bool fast = type == AMPVP_MSG_IRQ || type == AMPVP_MSG_EVENT ||
                      type == AMPVP_MSG_CLOCK || type == AMPVP_MSG_WAKE;
    auto conn = conns_.find(fd);
    if (batching_ && fast && conn != conns_.end() &&
        (cores_[conn->second.core].caps & AMPVP_CAP_BATCH)) {
        auto &b = batch_[fd];
        if (b.size() + n > AMPVP_MSG_MAX) {
            send_datagram(fd, b.data(), b.size());
            b.clear();
        }
        b.insert(b.end(), buf, buf + n);
        return;
    }
    flush_batches(); // what was made before this goes before it
    send_datagram(fd, buf, n);
}

void BridgeServer::flush_batches()
{
    for (auto &[fd, b] : batch_) {
        if (!b.empty()) {
            send_datagram(fd, b.data(), b.size());
            b.clear();
        }
    }
}

void BridgeServer::send_datagram(int fd, const uint8_t *buf, size_t n)
{
    auto &q = outq_[fd];
    if (q.empty()) {
        ssize_t r;
        do {
            r = send(fd, buf, n, MSG_NOSIGNAL | MSG_DONTWAIT);
        } while (r < 0 && errno == EINTR);
        if (r >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
            if (r >= 0) {
                kick(fd);
            }
            return; // sent, or the core is gone (the runner learns it elsewhere)
        }
    }
    q.emplace_back(buf, buf + n);
    queued_++;
}

// A running core's vCPU thread takes what was just sent itself when signalled
// (THREAD): no wait for its QEMU main loop to be scheduled.  A sleeping core's
// vCPU waits on the channel itself.  With KICK_ALL the core's main loop does
// not watch the channel at all (its wake-up delayed the hub and the vCPU), so
// a datagram no signal followed is remembered: the core is signalled when it
// reports running without having applied it (POWER), or its thread (THREAD).
void BridgeServer::kick(int async_fd)
{
    auto it = conns_.find(async_fd);
    if (it == conns_.end()) {
        return;
    }
    CoreState &cs = cores_[it->second.core];
    if (cs.kick_tid && cs.power == CorePower::Run) {
        signal_vcpu(cs);
    } else {
        cs.unkicked = true;
    }
}

void BridgeServer::signal_vcpu(CoreState &cs)
{
    cs.unkicked = false;
    syscall(SYS_tgkill, cs.kick_pid, cs.kick_tid, cs.kick_signo);
}

void BridgeServer::flush()
{
    if (!queued_) {
        return;
    }
    for (auto &[fd, q] : outq_) {
        while (!q.empty()) {
            ssize_t r = send(fd, q.front().data(), q.front().size(), MSG_NOSIGNAL | MSG_DONTWAIT);
            if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
                break; // still full: try again next time
            }
            q.pop_front(); // sent, or the core is gone
            queued_--;
            kick(fd);
        }
    }
}

void BridgeServer::protocol_error(int fd, CoreId core, uint32_t seq, uint32_t code,
                                  const std::string &what)
{
    protocol_errors_++;
    log().error(machine_.cores[core].name + ": bridge protocol: " + what);
    ampvp_error e{code, 0};
    reply(fd, core, AMPVP_MSG_ERROR, seq, &e, sizeof(e), what.c_str());
}

void BridgeServer::drop(int fd)
{
    auto it = conns_.find(fd);
    if (it == conns_.end()) {
        return;
    }
    CoreState &cs = cores_[it->second.core];
    batch_.erase(fd);
    auto q = outq_.find(fd);
    if (q != outq_.end()) {
        queued_ -= q->second.size();
        outq_.erase(q);
    }
    if (cs.bus_fd == fd) {
        cs.bus_fd = -1;
    }
    if (cs.async_fd == fd) {
        cs.async_fd = -1;
        cs.kick_tid = 0; // the process is going: never signal a recycled tid
    }
    close(fd);
    conns_.erase(it);
}

BridgeServer::Result BridgeServer::on_readable(int fd)
{
    auto it = conns_.find(fd);
    if (it == conns_.end()) {
        return Result::Closed;
    }
    for (int i = 0; i < 64; i++) { // drain, but let other cores have a turn
        ssize_t n = recv(fd, rx_.data(), rx_.size(), MSG_DONTWAIT | MSG_TRUNC);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return Result::Ok;
        }
        if (n <= 0) {
            drop(fd);
            return Result::Closed;
        }
        if (static_cast<size_t>(n) > rx_.size()) {
            protocol_error(fd, it->second.core, 0, AMPVP_E_MALFORMED,
                           "message of " + std::to_string(n) + " bytes exceeds the " +
                               std::to_string(rx_.size()) + "-byte limit");
            continue;
        }
        bool sender_waits = false;
        batching_++;
        const bool keep = handle(fd, it->second, rx_.data(), static_cast<size_t>(n), sender_waits);
        batching_--;
        flush_batches();
        if (!keep) {
            drop(fd);
            return Result::Closed;
        }
        if (sender_waits) {
            // The core is blocked on the answer just sent, so nothing more can
            // be queued behind it: skip the recv() that would only say EAGAIN.
            return Result::Ok;
        }
    }
    return Result::Ok;
}

BusAccess BridgeServer::access(CoreId c, uint64_t addr, uint32_t size, uint64_t vtime) const
{
    BusAccess a;
    a.core = c;
    a.core_name = machine_.cores[c].name;
    a.addr = addr;
    a.size = size;
    a.time_ns = vtime;
    return a;
}

// Returns false when the connection must be dropped.
bool BridgeServer::handle(int fd, Conn &conn, const uint8_t *buf, size_t n, bool &sender_waits)
{
    ampvp_msg m;
    char err[200];
    const CoreId c = conn.core;
    CoreState &cs = cores_[c];
    if (ampvp_decode(buf, n, &m, err, sizeof(err)) != AMPVP_OK) {
        protocol_error(fd, c, 0, AMPVP_E_MALFORMED, err);
        return true;
    }
    cs.vtime = m.hdr.vtime_ns;
    const char *ch = conn.channel == Channel::Bus ? "bus" : conn.channel == Channel::Async ? "async" : "new";

    if (conn.channel == Channel::Unknown) {
        if (m.hdr.type != AMPVP_MSG_HELLO) {
            protocol_error(fd, c, m.hdr.seq, AMPVP_E_UNEXPECTED,
                           std::string(ampvp_msg_name(m.hdr.type)) +
                               " before HELLO on a new connection");
            return false;
        }
        ampvp_hello_ack ack{AMPVP_PROTO_VERSION_MAJOR, AMPVP_PROTO_VERSION_MINOR,
                            (posted_writes_ ? AMPVP_CAP_POSTED_WRITES : 0u) | AMPVP_CAP_EVENTS |
                                AMPVP_CAP_POWER | AMPVP_CAP_CLOCK | AMPVP_CAP_CLOCK_STOP |
                                AMPVP_CAP_FAULTS | AMPVP_CAP_DEBUG | AMPVP_CAP_RESET |
                                AMPVP_CAP_KICK | AMPVP_CAP_SYSRESETREQ | AMPVP_CAP_SYNC |
                                AMPVP_CAP_BATCH | AMPVP_CAP_GRANT | AMPVP_CAP_KICK_ALL,
                            AMPVP_OK, 0};
        if (m.u.hello.major != AMPVP_PROTO_VERSION_MAJOR) {
            protocol_error(fd, c, m.hdr.seq, AMPVP_E_VERSION,
                           "bridge speaks protocol " + std::to_string(m.u.hello.major) + "." +
                               std::to_string(m.u.hello.minor) + ", hub " +
                               std::to_string(AMPVP_PROTO_VERSION_MAJOR) + "." +
                               std::to_string(AMPVP_PROTO_VERSION_MINOR));
            return false;
        }
        int &slot = m.u.hello.channel == AMPVP_CH_BUS ? cs.bus_fd : cs.async_fd;
        if (slot >= 0) {
            protocol_error(fd, c, m.hdr.seq, AMPVP_E_UNEXPECTED,
                           std::string("second ") +
                               (m.u.hello.channel == AMPVP_CH_BUS ? "bus" : "async") +
                               " channel for this core");
            return false;
        }
        slot = fd;
        conn.channel = m.u.hello.channel == AMPVP_CH_BUS ? Channel::Bus : Channel::Async;
        cs.caps = m.u.hello.caps & ack.caps; // what both ends do (the same on both channels)
        const char *text = conn.channel == Channel::Bus ? configs_[c].c_str() : "";
        reply(fd, c, AMPVP_MSG_HELLO_ACK, m.hdr.seq, &ack, sizeof(ack), text);
        log().verbose_info(machine_.cores[c].name + ": " +
                           (conn.channel == Channel::Bus ? "bus" : "async") + " channel connected");
        return true;
    }

    switch (m.hdr.type) {
    case AMPVP_MSG_READ:
        if (conn.channel == Channel::Bus && cs.ready) {
            BusAccess a = access(c, m.u.read.addr, m.u.read.size, m.hdr.vtime_ns);
            Timeline::Scope tl_scope(a.core_name, a.addr, false); // what this read sets off
            ampvp_read_resp r{0, AMPVP_OK, 0};
            if (a.size > 4) {
                a.fault = true;
            } else {
                r.data = bus_.read(a);
            }
            r.status = a.fault ? AMPVP_E_BUS : AMPVP_OK;
            reply(fd, c, AMPVP_MSG_READ_RESP, m.hdr.seq, &r, sizeof(r));
            sender_waits = true;
            return true;
        }
        break;
    case AMPVP_MSG_WRITE:
        if ((m.hdr.flags & AMPVP_F_POSTED) && !(cs.caps & AMPVP_CAP_POSTED_WRITES)) {
            protocol_error(fd, c, m.hdr.seq, AMPVP_E_UNEXPECTED,
                           "posted WRITE, but posted writes were not agreed at HELLO");
            return true;
        }
        if (conn.channel == Channel::Bus && cs.ready) {
            BusAccess a = access(c, m.u.write.addr, m.u.write.size, m.hdr.vtime_ns);
            Timeline::Scope tl_scope(a.core_name, a.addr, true); // what this write sets off
            if (a.size > 4) {
                a.fault = true;
            } else {
                bus_.write(a, static_cast<uint32_t>(m.u.write.data));
            }
            if (!(m.hdr.flags & AMPVP_F_POSTED)) {
                ampvp_write_resp r{a.fault ? (uint32_t)AMPVP_E_BUS : (uint32_t)AMPVP_OK, 0};
                reply(fd, c, AMPVP_MSG_WRITE_RESP, m.hdr.seq, &r, sizeof(r));
                sender_waits = true;
            } else if (a.fault) {
                log().guest_error(a.core_name, "posted write to " + hex(a.addr) +
                                                   " faulted; the core cannot be told");
            }
            return true;
        }
        break;
    case AMPVP_MSG_SYNC:
        // The accesses before it on this channel are done; what they sent the
        // core is on its async channel (sent before this answer).
        if (conn.channel == Channel::Bus && cs.ready && (cs.caps & AMPVP_CAP_SYNC)) {
            reply(fd, c, AMPVP_MSG_SYNC_RESP, m.hdr.seq, nullptr, 0);
            sender_waits = true;
            return true;
        }
        break;
    case AMPVP_MSG_READY:
        if (conn.channel == Channel::Bus && !cs.ready) {
            cs.ready = true;
            log().verbose_info(machine_.cores[c].name + ": built, waiting at the start barrier");
            return true;
        }
        break;
    case AMPVP_MSG_POWER:
        if (conn.channel == Channel::Async) {
            const auto p = static_cast<CorePower>(m.u.power.state);
            const std::string &core = machine_.cores[c].name;
            if (p == CorePower::Run) {
                AMPVP_TRACE("power", core, "wake" + (cs.last_stimulus.empty() ? std::string()
                                                        : " (after " + cs.last_stimulus + ")"));
            } else {
                AMPVP_TRACE("power", core, std::string(p == CorePower::DeepSleep ? "deep sleep" : "sleep") +
                                               " (WFI/WFE" + (p == CorePower::DeepSleep ? ", SLEEPDEEP=1)" : ")"));
            }
            AMPVP_TL(power(core, static_cast<int>(p)));
            cs.power = p;
            if (p == CorePower::Run && cs.unkicked && cs.kick_tid &&
                (cs.caps & AMPVP_CAP_KICK_ALL)) {
                if (m.u.power.reason != cs.async_sent) {
                    signal_vcpu(cs); // it woke before reading what came last
                } else {
                    cs.unkicked = false;
                }
            }
            bus_.core_power(c, p);
            if (p == CorePower::Run && cs.clock_stopped) {
                wake(c, "the core runs again"); // deliver what was held back
            } else if (p == CorePower::DeepSleep && machine_.cores[c].deep_sleep_stops_clock &&
                       (cs.caps & AMPVP_CAP_CLOCK_STOP)) {
                cs.clock_stopped = true;
                AMPVP_TRACE("power", core, "CStop: clock stopped until a wake-up (EXTI)");
                AMPVP_TL(clock_stop(core));
                if (cs.wakeup) {
                    wake(c, "wake-up already active");
                } else if (m.u.power.reason != cs.events_sent) {
                    wake(c, "an event was on its way"); // EXTI events come with a wake-up
                }
            }
            return true;
        }
        break;
    case AMPVP_MSG_EVENT:
        if (conn.channel == Channel::Async) {
            AMPVP_TRACE("power", machine_.cores[c].name, "SEV (TXEV out)");
            Timeline::Scope tl_scope(machine_.cores[c].name);
            AMPVP_TL(sev(machine_.cores[c].name));
            bus_.core_txev(c);
            return true;
        }
        break;
    case AMPVP_MSG_QUANTUM:
    case AMPVP_MSG_IDLE:
        if (conn.channel == Channel::Bus && cs.ready &&
            (m.hdr.type == AMPVP_MSG_QUANTUM || (cs.caps & AMPVP_CAP_GRANT))) {
            cs.quantum_done = true;
            cs.idle_next = m.hdr.type == AMPVP_MSG_IDLE ? m.u.idle.next : 0;
            sender_waits = true; // it waits for GO
            return true;
        }
        break;
    case AMPVP_MSG_FAULT:
        if (conn.channel == Channel::Async) {
            Fault f{m.u.fault.exc, m.u.fault.pc, m.u.fault.lr, m.u.fault.cfsr, m.u.fault.hfsr,
                    m.u.fault.mmfar, m.u.fault.bfar, m.text ? m.text : ""};
            AMPVP_TRACE("power", machine_.cores[c].name,
                        (f.exc == AMPVP_FAULT_LOCKUP ? std::string("lockup") : "fault exception " + std::to_string(f.exc)) +
                            " at " + hex(f.pc));
            if (on_fault) {
                on_fault(c, f);
            }
            return true;
        }
        break;
    case AMPVP_MSG_THREAD:
        if (conn.channel == Channel::Async && (cs.caps & AMPVP_CAP_KICK)) {
            // Signal only the peer process's own thread: the pid must be the
            // socket's peer, the tid one of its threads.
            struct ucred cred {};
            socklen_t len = sizeof(cred);
            const ampvp_thread &t = m.u.thread;
            if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 ||
                static_cast<uint32_t>(cred.pid) != t.pid ||
                syscall(SYS_tgkill, t.pid, t.tid, 0) != 0) {
                protocol_error(fd, c, m.hdr.seq, AMPVP_E_UNEXPECTED,
                               "THREAD names pid " + std::to_string(t.pid) + " tid " +
                                   std::to_string(t.tid) + ", not a thread of the peer");
                return true;
            }
            cs.kick_pid = t.pid;
            cs.kick_tid = t.tid;
            cs.kick_signo = static_cast<int>(t.signo);
            if (cs.unkicked && (cs.caps & AMPVP_CAP_KICK_ALL)) {
                signal_vcpu(cs); // sent before we could signal it
            }
            log().verbose_info(machine_.cores[c].name + ": vCPU thread " + std::to_string(t.tid) +
                               " takes async messages when signalled");
            return true;
        }
        break;
    case AMPVP_MSG_SYSRESETREQ:
        if (conn.channel == Channel::Async && (cs.caps & AMPVP_CAP_SYSRESETREQ)) {
            AMPVP_TRACE("power", machine_.cores[c].name, "SYSRESETREQ (SCB AIRCR)");
            bus_.core_sysresetreq(c);
            return true;
        }
        break;
    case AMPVP_MSG_DEBUG:
        if (conn.channel == Channel::Async) {
            const bool halted = m.u.debug.state == AMPVP_DBG_HALTED;
            AMPVP_TRACE("power", machine_.cores[c].name, halted ? "halted by its debugger" : "resumed by its debugger");
            if (on_debug) {
                on_debug(c, halted);
            }
            return true;
        }
        break;
    case AMPVP_MSG_BYE:
        return false;
    case AMPVP_MSG_ERROR:
        log().error(machine_.cores[c].name + ": bridge reports: " + (m.text ? m.text : ""));
        return true;
    default:
        break;
    }
    protocol_error(fd, c, m.hdr.seq, AMPVP_E_UNEXPECTED,
                   std::string(ampvp_msg_name(m.hdr.type)) + " is not expected on the " + ch +
                       " channel" + (cs.ready ? "" : " before READY"));
    return true;
}

void BridgeServer::start(CoreId core, uint32_t vtor)
{
    if (cores_[core].bus_fd >= 0) {
        ampvp_start st{};
        st.vtor = vtor;
        reply(cores_[core].bus_fd, core, AMPVP_MSG_START, cores_[core].seq++, &st, sizeof(st));
    }
}

bool BridgeServer::go(CoreId core, uint64_t from, uint64_t until, uint64_t last)
{
    CoreState &cs = cores_[core];
    end_grant();
    cs.sent_since_go = false;
    cs.idle_next = 0;
    if (cs.bus_fd < 0) {
        return false;
    }
    if ((last > until || from > cs.vtime) && (cs.caps & AMPVP_CAP_GRANT)) {
        grant_core_ = last > until ? core : -1;
        ampvp_grant g{from, until, last};
        reply(cs.bus_fd, core, AMPVP_MSG_GRANT, cs.seq++, &g, sizeof(g));
        return last > until;
    }
    ampvp_go g{until};
    reply(cs.bus_fd, core, AMPVP_MSG_GO, cs.seq++, &g, sizeof(g));
    return false;
}

void BridgeServer::reset_core(CoreId core, uint32_t vtor, bool hold)
{
    if (core < 0 || core >= static_cast<CoreId>(cores_.size())) {
        return;
    }
    CoreState &cs = cores_[core];
    const std::string &name = machine_.cores[core].name;
    if (cs.async_fd < 0 || !(cs.caps & AMPVP_CAP_RESET)) {
        log().warn(name + ": the SoC resets it, but its QEMU does not take RESET; it runs on");
        return;
    }
    AMPVP_TRACE("power", name, std::string(hold ? "reset, held in reset" : "reset") + ", vector table " + hex(vtor));
    // The levels the lines have now: what was sent, updated by what was held.
    std::vector<bool> levels = cs.sent_irq;
    for (const auto &[line, level] : cs.held_irq) {
        if (line < levels.size()) {
            levels[line] = level;
        }
    }
    cs.held_irq.clear();
    cs.clock_stopped = false;
    cs.last_stimulus = "reset";
    std::fill(cs.sent_irq.begin(), cs.sent_irq.end(), false);
    ampvp_reset r{vtor, hold ? AMPVP_RESET_HOLD : 0u};
    reply(cs.async_fd, core, AMPVP_MSG_RESET, cs.seq++, &r, sizeof(r));
    for (unsigned line = 0; line < levels.size(); line++) {
        if (levels[line]) {
            send_irq(core, line, true);
        }
    }
    if (cs.power != CorePower::Run) {
        cs.power = CorePower::Run;
        bus_.core_power(core, CorePower::Run);
    }
}

void BridgeServer::halt(CoreId core)
{
    if (cores_[core].async_fd >= 0 && (cores_[core].caps & AMPVP_CAP_DEBUG)) {
        reply(cores_[core].async_fd, core, AMPVP_MSG_HALT, cores_[core].seq++, nullptr, 0);
    }
}

void BridgeServer::resume(CoreId core)
{
    if (cores_[core].async_fd >= 0 && (cores_[core].caps & AMPVP_CAP_DEBUG)) {
        reply(cores_[core].async_fd, core, AMPVP_MSG_RESUME, cores_[core].seq++, nullptr, 0);
    }
}

void BridgeServer::send_event(CoreId core)
{
    if (core < 0 || core >= static_cast<CoreId>(cores_.size())) {
        return;
    }
    CoreState &cs = cores_[core];
    AMPVP_TRACE("irq", machine_.cores[core].name, "event (RXEV)");
    AMPVP_TL(event_in(machine_.cores[core].name));
    cs.last_stimulus = "event";
    if (cs.async_fd >= 0) {
        cs.events_sent++;
        reply(cs.async_fd, core, AMPVP_MSG_EVENT, cs.seq++, nullptr, 0);
    }
}

void BridgeServer::send_clock(CoreId core, uint64_t hz)
{
    if (core < 0 || core >= static_cast<CoreId>(cores_.size()) || cores_[core].async_fd < 0) {
        return;
    }
    AMPVP_TRACE("clock", machine_.cores[core].name, "CPU clock set to " + std::to_string(hz) + " Hz");
    ampvp_clock c{hz};
    reply(cores_[core].async_fd, core, AMPVP_MSG_CLOCK, cores_[core].seq++, &c, sizeof(c));
}

CorePower BridgeServer::power(CoreId core) const { return cores_[core].power; }

void BridgeServer::bye(CoreId core, bool in_reset)
{
    // A core still in reset waits for START on its bus channel and reads
    // nothing else; a running one reads BYE on the async channel, but in
    // deterministic mode only at a quantum end, and one waiting there for GO
    // reads its bus channel: so BYE goes on both.
    const CoreState &cs = cores_[core];
    for (const int fd : {in_reset ? -1 : cs.async_fd, cs.bus_fd}) {
        if (fd >= 0) {
            reply(fd, core, AMPVP_MSG_BYE, cores_[core].seq++, nullptr, 0);
        }
    }
}

void BridgeServer::set_irq(CoreId core, unsigned line, bool level)
{
    if (core < 0 || core >= static_cast<CoreId>(cores_.size())) {
        return;
    }
    CoreState &cs = cores_[core];
    if (cs.clock_stopped) {
        AMPVP_TRACE("irq", machine_.cores[core].name,
                    std::string(level ? "raise" : "lower") + " IRQ " + std::to_string(line) +
                        " held: clock stopped (CStop)");
        AMPVP_TL(irq(machine_.cores[core].name, line, level, true));
        cs.held_irq[line] = level;
        return;
    }
    send_irq(core, line, level);
}

void BridgeServer::send_irq(CoreId core, unsigned line, bool level)
{
    CoreState &cs = cores_[core];
    AMPVP_TRACE("irq", machine_.cores[core].name,
                std::string(level ? "raise" : "lower") + " IRQ " + std::to_string(line));
    AMPVP_TL(irq(machine_.cores[core].name, line, level, false));
    if (level) {
        cs.last_stimulus = "IRQ " + std::to_string(line);
    }
    if (line < cs.sent_irq.size()) {
        cs.sent_irq[line] = level;
    }
    if (cs.async_fd < 0) {
        return; // core not running (no image): nothing to deliver
    }
    ampvp_irq irq{line, level ? 1u : 0u};
    reply(cs.async_fd, core, AMPVP_MSG_IRQ, cs.seq++, &irq, sizeof(irq));
}

void BridgeServer::set_wakeup(CoreId core, bool level)
{
    if (core < 0 || core >= static_cast<CoreId>(cores_.size())) {
        return;
    }
    CoreState &cs = cores_[core];
    const bool rising = level && !cs.wakeup;
    cs.wakeup = level;
    if (!rising) {
        return;
    }
    if (cs.clock_stopped) {
        wake(core, "wake-up input");
    }
}

void BridgeServer::wake(CoreId core, const std::string &why)
{
    CoreState &cs = cores_[core];
    cs.clock_stopped = false;
    AMPVP_TRACE("power", machine_.cores[core].name, "clock restarted (" + why + ")");
    AMPVP_TL(clock_restart(machine_.cores[core].name, why));
    cs.last_stimulus = "wake-up";
    if (cs.async_fd >= 0) {
        reply(cs.async_fd, core, AMPVP_MSG_WAKE, cs.seq++, nullptr, 0);
    }
    // What the NVIC sees once clocked again: the lines' present levels.
    std::map<unsigned, bool> held;
    held.swap(cs.held_irq);
    for (const auto &[line, level] : held) {
        const bool was = line < cs.sent_irq.size() && cs.sent_irq[line];
        if (was != level) {
            send_irq(core, line, level);
        }
    }
}

} // namespace ampvp
