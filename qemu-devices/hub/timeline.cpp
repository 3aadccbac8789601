#include "timeline.h"

#include "log.h"

#include <algorithm>
#include <cstdio>

namespace ampvp {

const char *tl_kind_name(TlKind k)
{
    switch (k) {
    case TlKind::HsemLock: return "hsem_lock";
    case TlKind::HsemFree: return "hsem_free";
    case TlKind::HsemNotify: return "hsem_notify";
    case TlKind::IpccOccupy: return "ipcc_occupy";
    case TlKind::IpccFree: return "ipcc_free";
    case TlKind::Exti: return "exti";
    case TlKind::Irq: return "irq";
    case TlKind::EventIn: return "event";
    case TlKind::Sev: return "sev";
    case TlKind::Sleep: return "sleep";
    case TlKind::Wake: return "wake";
    case TlKind::ClockStop: return "clock_stop";
    case TlKind::ClockRestart: return "clock_restart";
    case TlKind::Reset: return "reset";
    case TlKind::Access: return "access";
    case TlKind::Console: return "console";
    case TlKind::Led: return "led";
    case TlKind::Input: return "input";
    case TlKind::Rpmsg: return "rpmsg";
    }
    return "?";
}

Timeline &Timeline::get()
{
    static Timeline t;
    return t;
}

void Timeline::add_sink(TimelineSink *s)
{
    sinks_.push_back(s);
    on_ = true;
}

void Timeline::remove_sink(TimelineSink *s)
{
    sinks_.erase(std::remove(sinks_.begin(), sinks_.end(), s), sinks_.end());
    on_ = !sinks_.empty();
    if (!on_) {
        clear();
    }
}

void Timeline::clear()
{
    cur_ = Current{};
    waiting_.clear();
    asleep_.clear();
}

uint64_t Timeline::now_ns() const { return test_clock_ ? test_clock_() : log().trace_time_ns(); }

TlTrack Timeline::core_track(const std::string &core) const
{
    if (core.empty()) {
        return {"hub", "hub"};
    }
    return {"cores", core};
}

void Timeline::emit(TlEvent &e)
{
    if (!e.t_ns) {
        e.t_ns = now_ns();
    }
    for (auto *s : sinks_) {
        s->event(e);
    }
}

void Timeline::open(const std::string &core, uint64_t addr, bool write, bool access)
{
    cur_.open = true;
    cur_.access = access;
    cur_.core = core;
    cur_.addr = addr;
    cur_.write = write;
    cur_.t_ns = now_ns();
    cur_.cause = 0;
    cur_.flows.clear();
    if (access) {
        // The core runs code: a flow waiting for it ends here (the handler's
        // first access after its interrupt, or the first after it woke).
        for (auto it = waiting_.begin(); it != waiting_.end(); ++it) {
            if (it->first == core) {
                TlEvent e;
                e.t_ns = cur_.t_ns;
                e.kind = TlKind::Access;
                e.track = core_track(core);
                e.category = "bus";
                e.core = core;
                const std::string dev = namer_ ? namer_(addr) : "";
                char a[16];
                std::snprintf(a, sizeof(a), "0x%08llx", (unsigned long long)addr);
                e.name = std::string(write ? "write " : "read ") + (dev.empty() ? a : dev);
                e.args = {{"addr", a}, {"access", write ? "write" : "read"}};
                if (!dev.empty()) {
                    e.args["device"] = dev;
                    e.from = core;
                    e.to = dev;
                }
                e.flow = it->second;
                e.flow_last = true;
                waiting_.erase(it);
                emit(e);
                break;
            }
        }
    }
}

void Timeline::close() { cur_.open = false; }

void Timeline::cause(TlEvent &e)
{
    e.cause = next_id_++;
    if (cur_.open && (cur_.cause == 0 || cur_.access)) {
        // A semaphore freed explains the interrupt better than "write HSEM".
        cur_.cause = e.cause;
        cur_.access = false;
        cur_.flows.clear();
    }
}

void Timeline::effect(TlEvent &e, const std::string &target)
{
    if (!cur_.open) {
        return;
    }
    if (cur_.cause == 0) {
        if (!cur_.access) {
            return;
        }
        // The access itself is the cause: shown now, at its own time.
        TlEvent a;
        a.t_ns = cur_.t_ns;
        a.kind = TlKind::Access;
        a.track = core_track(cur_.core);
        a.category = "bus";
        a.core = cur_.core;
        const std::string dev = namer_ ? namer_(cur_.addr) : "";
        char addr[16];
        std::snprintf(addr, sizeof(addr), "0x%08llx", (unsigned long long)cur_.addr);
        a.name = std::string(cur_.write ? "write " : "read ") + (dev.empty() ? addr : dev);
        a.args = {{"addr", addr}, {"access", cur_.write ? "write" : "read"}};
        if (!dev.empty()) {
            a.args["device"] = dev;
            a.from = cur_.core;
            a.to = dev;
        }
        a.cause = next_id_++;
        cur_.cause = a.cause;
        emit(a);
    }
    uint64_t flow = 0;
    for (const auto &f : cur_.flows) {
        if (f.first == target) {
            flow = f.second;
        }
    }
    if (!flow) {
        flow = next_id_++;
        cur_.flows.emplace_back(target, flow);
        e.flow_first = true;
        e.flow_cause = cur_.cause;
    }
    e.flow = flow;
    // The flow ends where the target next runs.
    bool found = false;
    for (auto &w : waiting_) {
        if (w.first == target) {
            w.second = flow;
            found = true;
        }
    }
    if (!found) {
        waiting_.emplace_back(target, flow);
    }
}

void Timeline::arrive(TlEvent &e, const std::string &core)
{
    for (auto it = waiting_.begin(); it != waiting_.end(); ++it) {
        if (it->first == core) {
            e.flow = it->second;
            e.flow_last = true;
            waiting_.erase(it);
            return;
        }
    }
}

// ---- causes ----

void Timeline::hsem_lock(const std::string &dev, const std::string &core, unsigned sem, unsigned procid,
                         const char *how)
{
    TlEvent e;
    e.kind = TlKind::HsemLock;
    e.phase = 'B';
    e.track = {dev, "sem " + std::to_string(sem)};
    e.name = "held by " + core;
    e.category = "hsem";
    e.core = core;
    e.device = dev;
    e.n = sem;
    e.v = procid;
    e.args = {{"core", core}, {"semaphore", sem}, {"procid", procid}, {"lock", how}};
    e.from = core;
    e.to = dev;
    emit(e);
}

void Timeline::hsem_free(const std::string &dev, const std::string &core, unsigned sem, const char *how)
{
    TlEvent e;
    e.kind = TlKind::HsemFree;
    e.track = {dev, "sem " + std::to_string(sem)};
    e.name = std::string(how) + " by " + core;
    e.category = "hsem";
    e.core = core;
    e.device = dev;
    e.n = sem;
    e.args = {{"core", core}, {"semaphore", sem}, {"how", how}};
    e.from = core;
    e.to = dev;
    cause(e);
    // The span ends first, then the instant: a flow can still bind to it.
    TlEvent end;
    end.t_ns = e.t_ns = now_ns();
    end.kind = TlKind::HsemFree;
    end.phase = 'E';
    end.track = e.track;
    end.category = "hsem";
    end.device = dev;
    end.n = sem;
    emit(end);
    emit(e);
}

void Timeline::ipcc(const std::string &dev, const std::string &by, const std::string &owner,
                    const std::string &peer, unsigned channel, bool occupied)
{
    TlEvent e;
    e.kind = occupied ? TlKind::IpccOccupy : TlKind::IpccFree;
    e.track = {dev, "ch" + std::to_string(channel + 1) + " " + owner + "->" + peer};
    e.category = "ipcc";
    e.core = by;
    e.device = dev;
    e.n = channel;
    e.args = {{"channel", channel + 1}, {"owner", owner}, {"peer", peer}, {"by", by}};
    e.from = by;
    e.to = dev;
    if (occupied) {
        e.phase = 'B';
        e.name = "occupied (" + owner + " -> " + peer + ")";
        cause(e);
        emit(e);
        return;
    }
    e.name = "freed by " + by;
    cause(e);
    TlEvent end;
    end.t_ns = e.t_ns = now_ns();
    end.kind = TlKind::IpccFree;
    end.phase = 'E';
    end.track = e.track;
    end.category = "ipcc";
    end.device = dev;
    end.n = channel;
    emit(end);
    emit(e);
}

void Timeline::sev(const std::string &core)
{
    TlEvent e;
    e.kind = TlKind::Sev;
    e.track = core_track(core);
    e.name = "SEV (TXEV out)";
    e.category = "power";
    e.core = core;
    cause(e);
    emit(e);
}

void Timeline::input(const std::string &label, bool level)
{
    TlEvent e;
    e.kind = TlKind::Input;
    e.track = {"board", "inputs"};
    e.name = label;
    e.category = "gpio";
    e.v = level;
    e.args = {{"input", label}, {"level", level ? 1 : 0}};
    cause(e);
    emit(e);
}

// ---- effects ----

void Timeline::hsem_notify(const std::string &dev, const std::string &target, unsigned sem)
{
    TlEvent e;
    e.kind = TlKind::HsemNotify;
    e.track = {dev, "interrupt " + target};
    e.name = "sem " + std::to_string(sem) + " free: notify " + target;
    e.category = "hsem";
    e.core = target;
    e.device = dev;
    e.n = sem;
    e.args = {{"semaphore", sem}, {"to", target}};
    e.from = dev;
    e.to = target;
    effect(e, target);
    emit(e);
}

void Timeline::exti(const std::string &dev, const std::string &target, unsigned line, const char *what,
                    const std::string &why)
{
    TlEvent e;
    e.kind = TlKind::Exti;
    e.track = {dev, "line " + std::to_string(line)};
    e.name = std::string(what) + " -> " + target;
    e.category = "exti";
    e.core = target;
    e.device = dev;
    e.n = line;
    e.args = {{"line", line}, {"to", target}, {"what", what}};
    if (!why.empty()) {
        e.args["why"] = why;
    }
    e.from = dev;
    e.to = target;
    effect(e, target);
    emit(e);
}

void Timeline::irq(const std::string &core, unsigned line, bool level, bool held)
{
    TlEvent e;
    e.kind = TlKind::Irq;
    e.track = core_track(core);
    e.name = std::string(level ? "IRQ " : "IRQ ") + std::to_string(line) + (level ? " raised" : " lowered") +
             (held ? " (held: CStop)" : "");
    e.category = "irq";
    e.core = core;
    e.n = line;
    e.v = level;
    e.args = {{"irq", line}, {"level", level ? 1 : 0}};
    if (held) {
        e.args["held"] = true;
    }
    if (level) {
        effect(e, core);
    }
    emit(e);
}

void Timeline::event_in(const std::string &core)
{
    TlEvent e;
    e.kind = TlKind::EventIn;
    e.track = core_track(core);
    e.name = "event (RXEV)";
    e.category = "irq";
    e.core = core;
    effect(e, core);
    emit(e);
}

void Timeline::clock_restart(const std::string &core, const std::string &why)
{
    TlEvent e;
    e.kind = TlKind::ClockRestart;
    e.phase = 'E';
    e.track = {"cores", core + " clock"};
    e.name = "CStop";
    e.category = "power";
    e.core = core;
    e.args = {{"restarted", why}};
    emit(e);
}

// ---- a core's own state ----

void Timeline::power(const std::string &core, int state)
{
    auto it = std::find(asleep_.begin(), asleep_.end(), core);
    if (it != asleep_.end()) {
        TlEvent end;
        end.kind = TlKind::Wake;
        end.phase = 'E';
        end.track = core_track(core);
        end.category = "power";
        end.core = core;
        emit(end);
        asleep_.erase(it);
    }
    TlEvent e;
    e.track = core_track(core);
    e.category = "power";
    e.core = core;
    e.v = state;
    if (state == 0) {
        e.kind = TlKind::Wake;
        e.name = "wake";
        arrive(e, core);
        emit(e);
        return;
    }
    e.kind = TlKind::Sleep;
    e.phase = 'B';
    e.name = state == 2 ? "deep sleep" : "sleep";
    e.args = {{"state", e.name}};
    asleep_.push_back(core);
    emit(e);
}

void Timeline::clock_stop(const std::string &core)
{
    TlEvent e;
    e.kind = TlKind::ClockStop;
    e.phase = 'B';
    e.track = {"cores", core + " clock"};
    e.name = "CStop";
    e.category = "power";
    e.core = core;
    e.args = {{"state", "clock stopped until an EXTI wake-up"}};
    emit(e);
}

void Timeline::reset(const std::string &core, const std::string &why)
{
    TlEvent e;
    e.kind = TlKind::Reset;
    e.track = core_track(core);
    e.name = "reset released";
    e.category = "power";
    e.core = core;
    e.args = {{"why", why}};
    emit(e);
}

// ---- output ----

void Timeline::console(const std::string &source, const std::string &text)
{
    TlEvent e;
    e.kind = TlKind::Console;
    const std::string core = source.substr(0, source.find(':'));
    const bool is_core = std::find(cores_.begin(), cores_.end(), core) != cores_.end();
    e.track = is_core ? core_track(core) : TlTrack{"hub", source};
    e.name = text.size() > 60 ? text.substr(0, 57) + "..." : text;
    e.category = "uart";
    e.core = is_core ? core : "";
    e.device = source;
    e.args = {{"source", source}, {"text", text}};
    emit(e);
}

void Timeline::led(const std::string &name, bool on)
{
    TlEvent e;
    e.kind = TlKind::Led;
    e.phase = on ? 'B' : 'E';
    e.track = {"board", name};
    e.name = name + " on";
    e.category = "gpio";
    e.device = name;
    e.v = on;
    emit(e);
}

void Timeline::rpmsg(const std::string &from, const std::string &to, uint32_t src, uint32_t dst, uint32_t len,
                     const std::string &summary, const std::string &error)
{
    TlEvent e;
    e.kind = TlKind::Rpmsg;
    e.track = {"RPMsg", from + "->" + to};
    e.category = "rpmsg";
    e.core = from;
    e.n = dst;
    e.v = len;
    char s[16], d[16];
    std::snprintf(s, sizeof(s), "0x%x", src);
    std::snprintf(d, sizeof(d), "0x%x", dst);
    if (error.empty()) {
        e.name = std::string(s) + " -> " + d + ", " + std::to_string(len) + " bytes";
        e.args = {{"src", s}, {"dst", d}, {"len", len}, {"from", from}, {"to", to}, {"data", summary}};
        e.from = from;
        e.to = to;
    } else {
        e.name = "malformed: " + error;
        e.args = {{"error", error}, {"from", from}, {"to", to}};
    }
    emit(e);
}

} // namespace ampvp
