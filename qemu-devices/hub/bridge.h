// The hub end of the bridge protocol (qemu-devices/protocol): per-core BUS and
// ASYNC connections, the boot handshake and start barrier, bus accesses
// dispatched to the Bus, IRQs sent out.  No processes and no event loop here:
// the runner owns those; tests drive this class over socketpairs.
#pragma once

#include "bus.h"
#include "device.h"
#include "machine.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace ampvp {

class BridgeServer : public IrqSink {
public:
    // configs[c] is the configuration text sent to core c in its HELLO_ACK.
    BridgeServer(const MachineDesc &machine, Bus &bus, std::vector<std::string> configs,
                 bool posted_writes);
    ~BridgeServer() override;

    // A connection accepted on core c's socket (channel not known yet).
    void add_connection(CoreId core, int fd);

    enum class Result { Ok, Closed };
    // Handle what is readable on fd (drains it).  Closed: the peer hung up or
    // broke the protocol; the fd is closed and forgotten.
    Result on_readable(int fd);

    bool ready(CoreId core) const;
    bool connected(CoreId core) const;
    // Leave reset, fetching SP and PC from the vector table at `vtor`.
    void start(CoreId core, uint32_t vtor);
    // Ask the core to exit (`in_reset`: it has not been started yet).
    void bye(CoreId core, bool in_reset = false);
    void set_irq(CoreId core, unsigned line, bool level) override;
    void send_event(CoreId core) override;
    // CStop (machine: deep_sleep_stops_clock): from the core's deep-sleep report
    // until its wake-up input is active, its clock is stopped: IRQ changes are
    // held back (its NVIC is not clocked: a pulse that comes and goes is lost, a
    // level still active is delivered) and the core stays asleep.  A rising
    // wake-up, or deep sleep entered while the wake-up is (or since the core last
    // ran was) active, sends WAKE, then the IRQ levels that changed.
    void set_wakeup(CoreId core, bool level) override;
    bool clock_stopped(CoreId core) const { return cores_[core].clock_stopped; }
    void send_clock(CoreId core, uint64_t hz);
    CorePower power(CoreId core) const;

    // A core entered a fault handler or locked up (FAULT), and its debugger
    // halted or resumed it (DEBUG): the runner reports and decides.
    struct Fault {
        uint32_t exc = 0; // 3 HardFault .. 6 UsageFault, AMPVP_FAULT_LOCKUP
        uint32_t pc = 0, lr = 0, cfsr = 0, hfsr = 0, mmfar = 0, bfar = 0;
        std::string why; // lockup: the reason
    };
    std::function<void(CoreId, const Fault &)> on_fault;
    std::function<void(CoreId, bool halted)> on_debug;
    // Deterministic lockstep: GO lets a core run until `until` (its own
    // virtual time); QUANTUM says it got there.  With `last` > `until` (a
    // core running alone; protocol 2.6 GRANT) it may go on, quantum by
    // quantum, up to `last` without reporting, until the hub cuts the grant:
    // any message to a core's async channel or to another core (START of a
    // gated one) does, and cut_grant(); the
    // answers to its accesses then carry F_CUT and it stops at the next
    // quantum end.  Returns whether a grant was given (the core has GRANT).
    // `from`: a core the runner left out of the rounds while idle first stays
    // idle up to there (GRANT; its own virtual time, as until and last).
    bool go(CoreId core, uint64_t from, uint64_t until, uint64_t last);
    // The core ended its last turn idle (IDLE): its own next timer deadline
    // (UINT64_MAX: none); 0: it did not.
    uint64_t idle_next(CoreId core) const { return cores_[core].idle_next; }
    // The hub sent the core something on its async channel since its last turn began.
    bool sent_since_go(CoreId core) const { return cores_[core].sent_since_go; }
    void cut_grant() { grant_cut_ = grant_core_ >= 0; }
    void end_grant() { grant_core_ = -1, grant_cut_ = false; }
    bool quantum_done(CoreId core) const { return cores_[core].quantum_done; }
    void clear_quantum(CoreId core) { cores_[core].quantum_done = false; }
    uint64_t vtime(CoreId core) const { return cores_[core].vtime; } // of its last message
    int async_fd(CoreId core) const { return cores_[core].async_fd; }
    bool is_async(int fd) const
    {
        auto it = conns_.find(fd);
        return it != conns_.end() && it->second.channel == Channel::Async;
    }

    // The SoC resets a core (RESET): it boots again from `vtor`, or with
    // `hold` stays in reset until reset again without.  Its CStop ends, IRQ
    // changes held back are dropped, and the NVIC lines that are high now are
    // sent again (the core's NVIC forgot them); it counts as running.
    void reset_core(CoreId core, uint32_t vtor, bool hold);
    // Cross-halt: stop a core (as if its debugger had) and let it run again.
    void halt(CoreId core);
    void resume(CoreId core);

    // Protocol errors seen (malformed / unexpected messages), for tests.
    unsigned protocol_errors() const { return protocol_errors_; }

    // Messages to a core's async channel never block the hub: what the socket
    // cannot take now is queued and sent by flush(), which the runner calls on
    // every loop iteration (and at least every millisecond while pending()).
    void flush();
    bool pending() const { return queued_ > 0; }

private:
    enum class Channel { Unknown, Bus, Async };
    struct Conn {
        CoreId core;
        Channel channel = Channel::Unknown;
    };
    struct CoreState {
        int bus_fd = -1;
        int async_fd = -1;
        bool ready = false;
        uint32_t seq = 0;
        uint64_t vtime = 0;
        CorePower power = CorePower::Run;
        std::string last_stimulus; // what the hub last sent: the likely wake reason
        uint32_t caps = 0;          // capabilities agreed at HELLO (async channel)
        bool clock_stopped = false; // in CStop: waiting for its wake-up input
        bool quantum_done = false;  // lockstep: QUANTUM received, waiting for GO
        uint64_t idle_next = 0;     // lockstep: IDLE's next own deadline (0: not idle)
        bool sent_since_go = false; // lockstep: async messages since its last GO
        uint32_t kick_pid = 0, kick_tid = 0; // THREAD: signal this vCPU thread after async sends
        int kick_signo = 0;
        uint32_t async_sent = 0;    // messages sent on the async channel (mod 2^32)
        bool unkicked = false;      // KICK_ALL: a datagram went out that no signal followed
        bool wakeup = false;        // wake-up input level
        uint32_t events_sent = 0;   // EVENT messages sent (compared with POWER's count)
        std::vector<bool> sent_irq;         // NVIC levels the core has been sent, by line
        std::map<unsigned, bool> held_irq;  // levels to send when the clock restarts
    };
    CoreId grant_core_ = -1; // lockstep: the core running a GRANT
    bool grant_cut_ = false; // ... which must stop at its next quantum end
    void wake(CoreId core, const std::string &why);
    void send_irq(CoreId core, unsigned line, bool level);
    void kick(int async_fd);
    void signal_vcpu(CoreState &cs);

    bool handle(int fd, Conn &conn, const uint8_t *buf, size_t n, bool &sender_waits);
    void reply(int fd, CoreId core, uint16_t type, uint32_t seq, const void *fixed, size_t len,
               const char *text = nullptr);
    void protocol_error(int fd, CoreId core, uint32_t seq, uint32_t code, const std::string &what);
    void drop(int fd);
    BusAccess access(CoreId c, uint64_t addr, uint32_t size, uint64_t vtime) const;

    const MachineDesc &machine_;
    Bus &bus_;
    std::vector<std::string> configs_;
    bool posted_writes_;
    std::map<int, Conn> conns_;
    std::map<int, std::deque<std::vector<uint8_t>>> outq_; // per async fd
    size_t queued_ = 0;
    void send_async(int fd, const uint8_t *buf, size_t n);
    void send_datagram(int fd, const uint8_t *buf, size_t n);
    // Cap BATCH: while the hub handles one message from a core, the IRQ /
    // EVENT / CLOCK / WAKE messages it makes for a core wait here and leave
    // as one datagram (one wake-up of that core) when the handling ends, or
    // before any other message is sent, so the order on every channel stays.
    int batching_ = 0;
    std::map<int, std::vector<uint8_t>> batch_; // per async fd
    void flush_batches();
    std::vector<CoreState> cores_;
    unsigned protocol_errors_ = 0;
    std::vector<uint8_t> rx_;
};

} // namespace ampvp
