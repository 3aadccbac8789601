// The timeline of a run: what the cores and the shared devices did, as
// structured events for the tools that show it -- the Chrome trace-event
// JSON of --trace-json (trace_json.h), the RPMsg decoder that watches the
// mailbox notifications (rpmsg_watch.h) and the board page of --web.  The
// text trace (--trace, log.h) stays as it is; both take their time from
// Log::trace_time_ns().
//
// Models, the bridge and the console call the semantic functions below
// through AMPVP_TL(), which costs one test of a static flag when no tool
// listens (the usual case), like AMPVP_TRACE.
//
// Cause and effect.  Everything a core's bus access or SEV sets off happens
// inside the hub's handling of that one message: the bridge opens a Scope
// for it.  Inside a scope, the first cause (a semaphore freed, an IPCC flag
// changed, a SEV, a button, or else the access itself) is linked to every
// effect that reaches a core (HSEM notification, EXTI event or interrupt,
// NVIC line raised, RXEV, clock restarted): one flow per (cause, target
// core), which ends at that core's next wake-up or its next bus access (the
// interrupt handler's first register access).  Effects outside any scope
// (a model's timer) have no cause.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ampvp {

// Where an event is shown: a process and one of its threads (Chrome's
// pid/tid): "cores"/"cm7", "HSEM"/"sem 0", "EXTI"/"line 78", "board"/"LED1".
struct TlTrack {
    std::string process, thread;
    bool operator==(const TlTrack &o) const { return process == o.process && thread == o.thread; }
};

enum class TlKind : uint8_t {
    HsemLock, HsemFree, HsemNotify, IpccOccupy, IpccFree, Exti, Irq, EventIn, Sev, Sleep, Wake,
    ClockStop, ClockRestart, Reset, Access, Console, Led, Input, Rpmsg,
};
const char *tl_kind_name(TlKind k);

struct TlEvent {
    uint64_t t_ns = 0;
    TlKind kind = TlKind::Console;
    char phase = 'i';          // 'B' span begins, 'E' span ends, 'i' instant
    TlTrack track;
    std::string name;          // what a viewer shows
    const char *category = ""; // the --trace category it belongs to
    nlohmann::json args = nlohmann::json::object();
    // Semantic fields for consumers that keep state (the board page, the
    // RPMsg watcher): the core concerned, a number (semaphore, channel, line,
    // IRQ), a value (level, PROCID, power state) and the device.
    std::string core, device;
    int64_t n = -1, v = 0;
    // Arrows for sequence diagrams: from which lifeline to which (a core or
    // a device); empty when the event is a note on its own track.
    std::string from, to;
    // Flows.  A cause gets an id; an effect belongs to flow `flow` and is its
    // first point when `flow_first` (the flow starts at cause `flow_cause`);
    // the last point of a flow has `flow_last`.
    uint64_t cause = 0;
    uint64_t flow = 0, flow_cause = 0;
    bool flow_first = false, flow_last = false;
};

class TimelineSink {
public:
    virtual ~TimelineSink() = default;
    virtual void event(const TlEvent &e) = 0;
};

class Timeline {
public:
    static Timeline &get();
    // True when a sink listens: the call sites test this first.
    static bool on() { return on_; }

    void add_sink(TimelineSink *s);
    void remove_sink(TimelineSink *s);
    // The time stamp of every event (ns): Log::trace_time_ns().  Tests set
    // their own clock.
    uint64_t now_ns() const;
    void set_test_clock(std::function<uint64_t()> c) { test_clock_ = std::move(c); }
    // Core names (machine order): console lines of these go on their tracks.
    void set_cores(std::vector<std::string> cores) { cores_ = std::move(cores); }
    const std::vector<std::string> &cores() const { return cores_; }
    // Name of the peripheral at an address (for access labels); optional.
    void set_address_namer(std::function<std::string(uint64_t)> f) { namer_ = std::move(f); }

    // The handling of one message from a core (or one hub action): see the
    // file comment.  `core` empty: the hub itself (a stimulus, a model timer).
    class Scope {
    public:
        Scope(const std::string &core, uint64_t addr, bool write)
        {
            if (on_) {
                active_ = true;
                get().open(core, addr, write, true);
            }
        }
        explicit Scope(const std::string &core)
        {
            if (on_) {
                active_ = true;
                get().open(core, 0, false, false);
            }
        }
        ~Scope()
        {
            if (active_) {
                get().close();
            }
        }
        Scope(const Scope &) = delete;
        Scope &operator=(const Scope &) = delete;

    private:
        bool active_ = false;
    };

    // --- causes ---
    void hsem_lock(const std::string &dev, const std::string &core, unsigned sem, unsigned procid,
                   const char *how);
    void hsem_free(const std::string &dev, const std::string &core, unsigned sem, const char *how);
    // `owner` set (or, when !occupied, freed) its channel towards `peer`; `by`
    // made the access (normally `owner` to occupy, `peer` to free).
    void ipcc(const std::string &dev, const std::string &by, const std::string &owner,
              const std::string &peer, unsigned channel, bool occupied);
    void sev(const std::string &core);
    void input(const std::string &label, bool level); // a button or pin driven by the host
    // --- effects ---
    void hsem_notify(const std::string &dev, const std::string &target, unsigned sem);
    // what: "event", "interrupt pending", "interrupt"
    void exti(const std::string &dev, const std::string &target, unsigned line, const char *what,
              const std::string &why);
    void irq(const std::string &core, unsigned line, bool level, bool held);
    void event_in(const std::string &core);
    void clock_restart(const std::string &core, const std::string &why);
    // --- a core's own state ---
    void power(const std::string &core, int state); // CorePower: 0 run, 1 sleep, 2 deep sleep
    void clock_stop(const std::string &core);
    void reset(const std::string &core, const std::string &why);
    // --- output ---
    void console(const std::string &source, const std::string &text);
    void led(const std::string &name, bool on);
    // An RPMsg message (or a problem reading one when `error` is set), sent by
    // core `from` to core `to`.
    void rpmsg(const std::string &from, const std::string &to, uint32_t src, uint32_t dst, uint32_t len,
               const std::string &summary, const std::string &error = "");

    // For tests: drop flows, spans and scopes.
    void clear();

private:
    Timeline() = default;
    void open(const std::string &core, uint64_t addr, bool write, bool access);
    void close();
    void emit(TlEvent &e);
    // A cause inside the current scope (replaces an implicit access cause).
    void cause(TlEvent &e);
    // An effect reaching `target`: joins the current cause's flow to it.
    void effect(TlEvent &e, const std::string &target);
    // A core wakes or accesses the bus: ends the flows waiting for it.
    void arrive(TlEvent &e, const std::string &core);
    TlTrack core_track(const std::string &core) const;

    static inline bool on_ = false;
    std::vector<TimelineSink *> sinks_;
    std::vector<std::string> cores_;
    std::function<std::string(uint64_t)> namer_;
    std::function<uint64_t()> test_clock_;
    uint64_t next_id_ = 1;

    struct Current {
        bool open = false;
        bool access = false; // opened for a bus access: that is the cause until a better one
        std::string core;
        uint64_t addr = 0;
        bool write = false;
        uint64_t t_ns = 0;
        uint64_t cause = 0; // 0: none emitted yet
        std::vector<std::pair<std::string, uint64_t>> flows; // target core -> flow id
    } cur_;
    std::vector<std::pair<std::string, uint64_t>> waiting_; // core -> flow ending at its next step
    std::vector<std::string> asleep_;                         // cores with an open sleep span
};

inline Timeline &timeline() { return Timeline::get(); }

// Call a Timeline function only when someone listens; the arguments are not
// evaluated otherwise.
#define AMPVP_TL(call)                                                                             \
    do {                                                                                           \
        if (::ampvp::Timeline::on()) {                                                             \
            ::ampvp::timeline().call;                                                              \
        }                                                                                          \
    } while (0)

} // namespace ampvp
