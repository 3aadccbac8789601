// --trace-json FILE: the timeline of a run in Chrome's trace-event format (a
// JSON object with "traceEvents"), which ui.perfetto.dev and chrome://tracing
// open.  Layout (docs/user-guide.md, "Timeline trace"):
//   process "cores": one thread per core, in machine order: sleep / deep
//     sleep spans, IRQs raised and lowered, events, SEV, console lines, the
//     first bus access after an interrupt; thread "<core> clock": CStop spans;
//   one process per shared device: HSEM ("sem N": held spans, "interrupt
//     <core>": notifications), IPCC ("chN owner->peer": occupied spans), EXTI
//     ("line N": events and interrupts), RPMsg ("<from>-><to>": messages),
//     board (LED spans, host inputs), hub (other console sources);
//   flows ("s"/"t"/"f", category "cause") from a cause (a semaphore freed, an
//     IPCC flag, SEV, a button, a bus access) through each effect on the way
//     to a core (notification, EXTI, IRQ, RXEV) to that core's wake-up or
//     next bus access.
// Times ("ts") are microseconds with ns decimals, from Log::trace_time_ns().
// Every event's "args" carry the semantic fields (core, semaphore, line ...)
// and "from"/"to" lifelines that scripts/trace-render draws as arrows.
// The file is written to FILE.tmp-XXXXXX next to FILE and renamed over it by
// close(): a reader never sees half a trace.
// Size bound (--trace-json-max, default 256 MiB, 0 = none): an event that
// would take the file past the bound is not written, nor any after it; one
// warning line says so, an instant "trace-json size limit reached" (global
// scope) marks the cut, the spans still open end there, and the file is
// closed as valid JSON as usual, never larger than the bound (room for the
// closing events is kept below it).
#pragma once

#include "timeline.h"

#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace ampvp {

class JsonTrace : public TimelineSink {
public:
    static constexpr uint64_t kDefaultMaxBytes = 256ull << 20;
    // Creates the temporary file; throws std::runtime_error naming FILE.
    // `max_bytes`: the size bound (0: none).
    JsonTrace(const std::string &path, const std::vector<std::string> &cores,
              const std::vector<std::string> &devices, uint64_t max_bytes = kDefaultMaxBytes);
    ~JsonTrace() override; // removes the temporary file unless close() renamed it
    void event(const TlEvent &e) override;
    // Ends open spans at `end_ns`, completes the JSON and renames it into
    // place.  Returns false (with `error` set) when it cannot be written.
    bool close(uint64_t end_ns, std::string &error);
    const std::string &path() const { return path_; }
    uint64_t events() const { return count_; }
    uint64_t bytes() const { return bytes_; }
    bool truncated() const { return truncated_; }

private:
    struct Ids {
        int pid, tid;
    };
    Ids ids(const TlTrack &t);
    // False (and nothing written) once the bound is reached.
    bool write(const nlohmann::json &j);
    void put(const std::string &s);
    void truncate(uint64_t t_ns);
    std::string path_, tmp_;
    uint64_t max_bytes_ = 0, bytes_ = 0;
    bool truncated_ = false, closing_ = false;
    uint64_t cut_ns_ = 0;
    FILE *f_ = nullptr;
    bool first_ = true;
    bool failed_ = false;
    uint64_t count_ = 0;
    std::map<std::string, int> pids_;
    std::map<std::pair<int, std::string>, int> tids_;
    std::map<int, int> next_tid_;
    std::map<std::pair<int, int>, int> open_; // spans open per (pid, tid)
    // Latest timestamp written per (pid, tid): the importer refuses a track's
    // events going back in time ("Timestamps are moving backward").  In
    // deterministic mode an event one core's access makes on another core's
    // track (an IRQ) carries the first core's virtual time, which can be
    // behind what the other core already did in its quantum.
    std::map<std::pair<int, int>, uint64_t> last_ns_;
    struct Where {
        uint64_t cause = 0;
        int pid = 0, tid = 0;
        uint64_t t_ns = 0;
    };
    std::vector<Where> causes_; // the last causes (a ring)
    size_t cause_next_ = 0;
};

// "12345.678": a time in ns as Chrome's microseconds.
std::string json_us(uint64_t ns);

} // namespace ampvp
