// The console multiplexer: UART characters become lines, one buffer per
// (UART, core), printed as "[cm7] text" (or "[cm7:USART1] text" for a UART
// other than the machine's console).  --expect / --expect-not patterns are
// matched here.
#pragma once

#include "device.h"

#include <cstdint>
#include <functional>
#include <map>
#include <regex>
#include <string>
#include <utility>
#include <vector>

namespace ampvp {

// One --expect or --expect-not pattern and what became of it (for the exit
// condition, the error message and the JUnit report).
struct Expectation {
    enum Kind { Expect, ExpectNot };
    Kind kind = Expect;
    std::string pattern;
    bool matched = false;   // Expect: seen (in its turn when ordered); ExpectNot: seen (a failure)
    uint64_t at_ns = 0;     // when it matched, on the console's clock
    std::string line;       // the line that matched
    std::string early_line; // ordered: first line that matched before the previous pattern had
};

class Console : public CharSink {
public:
    using Output = std::function<void(const std::string &line)>;
    explicit Console(std::string console_uart, Output out = nullptr);

    void put_char(const std::string &device, const BusAccess &by, uint8_t ch) override;

    // ECMAScript regex searched in each printed line (prefix included).
    // Throws std::regex_error on a bad pattern.
    void expect(const std::string &pattern);
    // A line matching `pattern` is a failure: `on_forbidden` is told at once.
    void expect_not(const std::string &pattern);
    // Ordered: the --expect patterns must match in the order given; each line
    // can satisfy only the next pattern awaited, and a line matching a later
    // pattern before its turn does not count.  Default: any order, and one
    // line may satisfy several patterns.
    void set_ordered(bool ordered) { ordered_ = ordered; }
    bool ordered() const { return ordered_; }
    bool expecting() const;
    bool all_seen() const;
    std::vector<std::string> unseen() const;
    // "'a', 'b'" naming the --expect patterns not seen, with why when ordered
    // ("'b' (matched before 'a': [cm7] b)").
    std::string describe_unseen() const;
    const std::vector<Expectation> &expectations() const { return expects_; }
    // The first --expect-not match, or nullptr.
    const Expectation *forbidden() const;
    void on_forbidden(std::function<void(const Expectation &)> f) { on_forbidden_ = std::move(f); }
    // Time stamps of matches (ns); default: always 0.
    void set_clock(std::function<uint64_t()> clock) { clock_ = std::move(clock); }
    // Print each line with that clock's time in us after its source tag,
    // "[cm7] [1001.944] text" (--timestamps); matching and observers still see
    // "[cm7] text".
    void set_stamped(bool on) { stamped_ = on; }
    // A whole line from a source other than a UART (a remoteproc master's view
    // of the firmware's trace buffer): printed as "[source] text" and matched
    // like console lines.
    void line(const std::string &source, const std::string &text);
    // Print what is left in partial lines (at the end of a run).
    void flush();
    // Also tell `f` every printed line (after it is printed).
    void on_line(Output f) { observers_.push_back(std::move(f)); }

private:
    bool stamped_ = false;
    std::string prefix(const std::string &device, const std::string &core) const;
    void emit(const std::string &prefix, std::string &buf);
    void match(const std::string &line);
    std::string console_uart_;
    Output out_;
    std::vector<Output> observers_;
    std::map<std::pair<std::string, std::string>, std::string> partial_;
    std::vector<Expectation> expects_; // in command-line order, Expect and ExpectNot mixed
    std::vector<std::regex> res_;      // parallel to expects_
    bool ordered_ = false;
    std::function<uint64_t()> clock_;
    std::function<void(const Expectation &)> on_forbidden_;
};

} // namespace ampvp
