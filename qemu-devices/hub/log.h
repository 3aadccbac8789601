// Logging for the hub, in the three kinds DESIGN.md asks for:
//   guest errors  - the firmware did something the reference manual forbids;
//   unimplemented - an access the models do not cover, reported once per key;
//   trace         - opt-in, per category, one line per event.
// Plus plain info/warning/error lines for the tool itself.  All go to stderr
// except trace lines, which go to stdout so they interleave with the console.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <set>
#include <string>

namespace ampvp {

class Log {
public:
    // Where lines go; tests replace it to capture output.
    using Sink = std::function<void(const std::string &line, bool to_stdout)>;

    static Log &get();

    void set_sink(Sink s) { sink_ = std::move(s); }
    void reset_sink();
    // Also hand every line to `t` (the JUnit report records the hub's
    // messages this way); nullptr: stop.
    void set_tee(Sink t) { tee_ = std::move(t); }
    void set_verbose(bool v) { verbose_ = v; }
    bool verbose() const { return verbose_; }

    // Enable trace categories: a comma-separated list or "all".  Returns an
    // empty string, or the name of the first unknown category.
    std::string enable_trace(const std::string &list);
    // Cheap when nothing is traced (the usual case): one flag test.
    bool tracing(const char *category) const
    {
        return any_trace_ && (trace_all_ || trace_.count(category));
    }
    static const std::set<std::string> &trace_categories();

    void info(const std::string &msg);
    void verbose_info(const std::string &msg);
    void warn(const std::string &msg);
    void error(const std::string &msg);
    void guest_error(const std::string &core, const std::string &msg);
    // Reported once per key for the lifetime of the log (or until clear_once).
    void unimplemented(const std::string &key, const std::string &msg);
    // "[trace] <host us since start> <core> <category> <what>".  Host time
    // (not a core's virtual time) so lines of different cores compare.
    void trace(const char *category, const std::string &core, const std::string &what);
    void clear_once() { once_.clear(); }
    // The time stamp of trace events (ns) that are not text lines: the
    // --trace-json timeline and the board page (timeline.h) take it here.
    uint64_t trace_time_ns() const;
    // Where trace times come from (ns): host time since start by default; the
    // deterministic mode's virtual time when set.  Null restores host time.
    void set_clock(std::function<uint64_t()> ns) { clock_ = std::move(ns); }

    unsigned warnings() const { return warnings_; }

    // Hub output (the default sinks and the console): one line to stdout or
    // stderr.  Flushed line by line, unless deferred: then lines wait, in
    // order, for flush_output(), which the run loop calls on every turn, so
    // what one hub step prints (a trace line per access) costs one write
    // after the step's messages are out, not one per line on the way.
    static void write_line(FILE *f, const std::string &line);
    static void flush_output();
    static void defer_output(bool defer);

private:
    Log();
    void emit(const std::string &line, bool to_stdout);
    Sink sink_;
    Sink tee_;
    bool verbose_ = false;
    bool trace_all_ = false;
    bool any_trace_ = false;
    std::set<std::string, std::less<>> trace_; // transparent: no string built per lookup
    std::set<std::string> once_;
    unsigned warnings_ = 0;
    std::chrono::steady_clock::time_point t0_ = std::chrono::steady_clock::now();
    std::function<uint64_t()> clock_;
};

inline Log &log() { return Log::get(); }

// A trace line whose text is built only when its category is on: the arguments
// after `core` (a std::string expression) are not evaluated otherwise.
#define AMPVP_TRACE(category, core, ...)                                                           \
    do {                                                                                           \
        if (::ampvp::log().tracing(category)) {                                                    \
            ::ampvp::log().trace(category, core, __VA_ARGS__);                                     \
        }                                                                                          \
    } while (0)

// "0x%08x"-style formatting helpers used everywhere in messages.
std::string hex(uint64_t v, int width = 8);

} // namespace ampvp
