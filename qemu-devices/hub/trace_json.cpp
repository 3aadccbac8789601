#include "trace_json.h"

#include "log.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace ampvp {

std::string json_us(uint64_t ns)
{
    char b[40];
    std::snprintf(b, sizeof(b), "%llu.%03llu", (unsigned long long)(ns / 1000), (unsigned long long)(ns % 1000));
    return b;
}

namespace {
// A number written as the text json_us() makes (nlohmann would print a double).
nlohmann::json us(uint64_t ns) { return nlohmann::json::parse(json_us(ns)); }

// Room kept below the size bound for what close() still writes: the marker
// of the cut, one "E" per open span (each well under 96 bytes) and the end.
constexpr uint64_t kCloseReserve = 512;
constexpr uint64_t kPerOpenSpan = 96;

std::string size_text(uint64_t n)
{
    if (n % (1u << 20) == 0) {
        return std::to_string(n >> 20) + " MiB";
    }
    if (n % 1024 == 0) {
        return std::to_string(n >> 10) + " KiB";
    }
    return std::to_string(n) + " bytes";
}
} // namespace

JsonTrace::JsonTrace(const std::string &path, const std::vector<std::string> &cores,
                     const std::vector<std::string> &devices, uint64_t max_bytes)
    : path_(path), max_bytes_(max_bytes), causes_(64)
{
    tmp_ = path + ".tmp-XXXXXX";
    const int fd = mkstemp(tmp_.data());
    if (fd < 0) {
        throw std::runtime_error("--trace-json: " + path + ": cannot create: " + std::strerror(errno));
    }
    fchmod(fd, 0644); // as a plain file would be (mkstemp makes it 0600)
    f_ = fdopen(fd, "w");
    put("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"producer\":\"ampvp\"},\"traceEvents\":[\n");
    // Tracks in a fixed order: the cores first (machine order), then the
    // shared devices, whether or not anything happens on them.
    for (const auto &c : cores) {
        ids({"cores", c});
    }
    for (const auto &d : devices) {
        ids({d, ""});
    }
}

JsonTrace::~JsonTrace()
{
    if (f_) {
        std::fclose(f_);
        unlink(tmp_.c_str());
    }
}

void JsonTrace::put(const std::string &s)
{
    if (std::fputs(s.c_str(), f_) < 0) {
        failed_ = true;
    }
    bytes_ += s.size();
}

bool JsonTrace::write(const nlohmann::json &j)
{
    if (!f_ || truncated_) {
        return false;
    }
    std::string s = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (max_bytes_ && !closing_) {
        uint64_t open = 0;
        for (const auto &kv : open_) {
            open += static_cast<uint64_t>(kv.second);
        }
        if (bytes_ + s.size() + 2 + kCloseReserve + open * kPerOpenSpan > max_bytes_) {
            truncate(j.contains("ts") ? static_cast<uint64_t>(std::llround(j["ts"].get<double>() * 1000.0)) : cut_ns_);
            return false;
        }
    }
    if (!first_) {
        put(",\n");
    }
    first_ = false;
    put(s);
    count_++;
    if (j.contains("ts")) {
        cut_ns_ = std::max(cut_ns_, static_cast<uint64_t>(std::llround(j["ts"].get<double>() * 1000.0)));
    }
    return true;
}

// The bound is reached: mark the cut, say so once, write nothing more.
void JsonTrace::truncate(uint64_t t_ns)
{
    cut_ns_ = std::max(cut_ns_, t_ns);
    const std::string what = "size limit of " + size_text(max_bytes_) + " reached";
    put(std::string(first_ ? "" : ",\n") +
        nlohmann::json({{"ph", "i"},
                        {"s", "g"},
                        {"name", "trace-json " + what},
                        {"cat", "ampvp"},
                        {"ts", us(cut_ns_)},
                        {"pid", 0},
                        {"tid", 0},
                        {"args", {{"limit", max_bytes_}, {"option", "--trace-json-max"}}}})
            .dump());
    first_ = false;
    count_++;
    truncated_ = true;
    log().warn("--trace-json: " + path_ + ": " + what + " at " + json_us(cut_ns_) +
               " us: later events are not written (--trace-json-max SIZE, 0 for no limit)");
}

JsonTrace::Ids JsonTrace::ids(const TlTrack &t)
{
    auto p = pids_.find(t.process);
    if (p == pids_.end()) {
        const int pid = static_cast<int>(pids_.size()) + 1;
        p = pids_.emplace(t.process, pid).first;
        write({{"ph", "M"}, {"name", "process_name"}, {"pid", pid}, {"tid", 0}, {"args", {{"name", t.process}}}});
        write({{"ph", "M"},
               {"name", "process_sort_index"},
               {"pid", pid},
               {"tid", 0},
               {"args", {{"sort_index", pid}}}});
    }
    const int pid = p->second;
    if (t.thread.empty()) {
        return {pid, 0};
    }
    auto k = std::make_pair(pid, t.thread);
    auto it = tids_.find(k);
    if (it == tids_.end()) {
        const int tid = ++next_tid_[pid];
        it = tids_.emplace(k, tid).first;
        write({{"ph", "M"}, {"name", "thread_name"}, {"pid", pid}, {"tid", tid}, {"args", {{"name", t.thread}}}});
        write({{"ph", "M"},
               {"name", "thread_sort_index"},
               {"pid", pid},
               {"tid", tid},
               {"args", {{"sort_index", tid}}}});
    }
    return {pid, it->second};
}

void JsonTrace::event(const TlEvent &e)
{
    if (truncated_) {
        return;
    }
    const Ids id = ids(e.track);
    int &open = open_[{id.pid, id.tid}];
    if (e.phase == 'E' && open == 0) {
        return; // its beginning came before the trace did
    }
    // Never behind the track's last event; an event that was (deterministic
    // mode: made by another core earlier in virtual time) keeps its own time
    // in args.at_us.
    uint64_t &last = last_ns_[{id.pid, id.tid}];
    const uint64_t t_ns = std::max(e.t_ns, last);
    nlohmann::json j = {{"ph", std::string(1, e.phase)}, {"ts", us(t_ns)}, {"pid", id.pid}, {"tid", id.tid},
                        {"cat", e.category}};
    if (e.phase != 'E') {
        j["name"] = e.name;
        nlohmann::json args = e.args;
        args["kind"] = tl_kind_name(e.kind);
        if (!e.from.empty()) {
            args["from"] = e.from;
            args["to"] = e.to;
        }
        if (t_ns != e.t_ns) {
            args["at_us"] = us(e.t_ns);
        }
        j["args"] = std::move(args);
    }
    if (e.phase == 'i') {
        j["s"] = "t";
    }
    // A flow starting here: its "s" follows the cause's own instant.
    if (e.flow && e.flow_first) {
        for (const auto &w : causes_) {
            if (w.cause == e.flow_cause) {
                write({{"ph", "s"},
                       {"id", e.flow},
                       {"name", "cause"},
                       {"cat", "cause"},
                       {"ts", us(w.t_ns)},
                       {"pid", w.pid},
                       {"tid", w.tid}});
            }
        }
    }
    if (!write(j)) {
        return; // the size bound is reached
    }
    last = t_ns;
    if (e.phase == 'B') {
        open++;
    } else if (e.phase == 'E') {
        open--;
    }
    if (e.cause) {
        causes_[cause_next_++ % causes_.size()] = {e.cause, id.pid, id.tid, t_ns};
    }
    if (e.flow) {
        nlohmann::json fl = {{"ph", e.flow_last ? "f" : "t"}, {"id", e.flow}, {"name", "cause"}, {"cat", "cause"},
                             {"ts", us(t_ns)},             {"pid", id.pid}, {"tid", id.tid}};
        if (e.flow_last) {
            fl["bp"] = "e";
        }
        write(fl);
    }
}

bool JsonTrace::close(uint64_t end_ns, std::string &error)
{
    if (!f_) {
        error = "--trace-json: " + path_ + ": already closed";
        return false;
    }
    // Spans still open (a semaphore held, a core asleep) end with the run,
    // or at the cut when the size bound stopped the trace.
    const uint64_t t_end = truncated_ ? cut_ns_ : end_ns;
    truncated_ = false; // room for these was kept
    closing_ = true;
    for (auto &[k, n] : open_) {
        for (; n > 0; n--) {
            write({{"ph", "E"}, {"ts", us(std::max(t_end, last_ns_[k]))}, {"pid", k.first}, {"tid", k.second}});
        }
    }
    put("\n]}\n");
    const bool ok = !failed_ && std::fflush(f_) == 0 && fsync(fileno(f_)) == 0;
    const int err = errno;
    std::fclose(f_);
    f_ = nullptr;
    if (!ok) {
        unlink(tmp_.c_str());
        error = "--trace-json: " + path_ + ": cannot write: " + std::strerror(err);
        return false;
    }
    if (std::rename(tmp_.c_str(), path_.c_str()) != 0) {
        error = "--trace-json: " + path_ + ": cannot rename " + tmp_ + " over it: " + std::strerror(errno);
        unlink(tmp_.c_str());
        return false;
    }
    return true;
}

} // namespace ampvp
