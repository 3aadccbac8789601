#include "log.h"

#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace ampvp {

namespace {
bool deferred = false;
FILE *pending_file = nullptr; // the stream of the lines waiting in `pending`
std::string pending;
} // namespace

void Log::write_line(FILE *f, const std::string &line)
{
    if (!deferred) {
        std::fputs(line.c_str(), f);
        std::fputc('\n', f);
        std::fflush(f);
        return;
    }
    if (pending_file != f || pending.size() > 65536) {
        flush_output(); // the other stream's lines first: the order is kept
    }
    pending_file = f;
    pending += line;
    pending += '\n';
}

void Log::flush_output()
{
    if (!pending.empty()) {
        std::fwrite(pending.data(), 1, pending.size(), pending_file);
        std::fflush(pending_file);
        pending.clear();
    }
}

void Log::defer_output(bool defer)
{
    static bool at_exit = false;
    if (!at_exit) {
        at_exit = true;
        std::atexit(flush_output); // an exit from anywhere still writes what waits
    }
    if (!defer) {
        flush_output();
    }
    deferred = defer;
}

static void default_sink(const std::string &line, bool to_stdout)
{
    Log::write_line(to_stdout ? stdout : stderr, line);
}

Log &Log::get()
{
    static Log instance;
    return instance;
}

Log::Log() : sink_(default_sink) {}

void Log::reset_sink() { sink_ = default_sink; }

const std::set<std::string> &Log::trace_categories()
{
    // Categories later issues fill in are listed already so that --help and
    // --trace validation are stable.
    static const std::set<std::string> cats = {"bus", "irq", "uart", "hsem", "exti", "power", "clock", "gpio",
                                               "ipcc", "rpmsg", "tim", "adc", "flash"};
    return cats;
}

std::string Log::enable_trace(const std::string &list)
{
    std::stringstream ss(list);
    std::string item;
    while (std::getline(ss, item, ',')) {
        if (item.empty()) {
            continue;
        }
        if (item == "all") {
            trace_all_ = any_trace_ = true;
        } else if (trace_categories().count(item)) {
            trace_.insert(item);
            any_trace_ = true;
        } else {
            return item;
        }
    }
    return "";
}

void Log::emit(const std::string &line, bool to_stdout)
{
    sink_(line, to_stdout);
    if (tee_) {
        tee_(line, to_stdout);
    }
}

void Log::info(const std::string &msg) { emit("ampvp: " + msg, false); }

void Log::verbose_info(const std::string &msg)
{
    if (verbose_) {
        emit("ampvp: " + msg, false);
    }
}

void Log::warn(const std::string &msg)
{
    warnings_++;
    emit("ampvp: warning: " + msg, false);
}

void Log::error(const std::string &msg) { emit("ampvp: error: " + msg, false); }

void Log::guest_error(const std::string &core, const std::string &msg)
{
    warnings_++;
    emit("ampvp: guest error: " + core + ": " + msg, false);
}

void Log::unimplemented(const std::string &key, const std::string &msg)
{
    if (once_.insert(key).second) {
        warnings_++;
        emit("ampvp: unimplemented: " + msg, false);
    }
}

void Log::trace(const char *category, const std::string &core, const std::string &what)
{
    if (!tracing(category)) {
        return;
    }
    const long long ns = clock_ ? static_cast<long long>(clock_())
                                : std::chrono::duration_cast<std::chrono::nanoseconds>(
                                      std::chrono::steady_clock::now() - t0_)
                                      .count();
    char t[32];
    std::snprintf(t, sizeof(t), "%lld.%03lld", (long long)(ns / 1000), (long long)(ns % 1000));
    emit(std::string("[trace] ") + t + " " + core + " " + category + " " + what, true);
}

uint64_t Log::trace_time_ns() const
{
    if (clock_) {
        return clock_(); // --deterministic: virtual time, as the text lines
    }
    return static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0_).count());
}

std::string hex(uint64_t v, int width)
{
    char buf[32];
    std::snprintf(buf, sizeof(buf), "0x%0*llx", width, (unsigned long long)v);
    return buf;
}

} // namespace ampvp
