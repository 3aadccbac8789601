// The console multiplexer: UART characters become lines, one buffer per
// (UART, core), printed as "[cm7] text" (or "[cm7:USART1] text" for a UART
// other than the machine's console).  --expect patterns are matched here.
#pragma once

#include "device.h"

#include <functional>
#include <map>
#include <regex>
#include <string>
#include <utility>
#include <vector>

namespace ampvp {

class Console : public CharSink {
public:
    using Output = std::function<void(const std::string &line)>;
    explicit Console(std::string console_uart, Output out = nullptr);

    void put_char(const std::string &device, const BusAccess &by, uint8_t ch) override;

    // ECMAScript regex searched in each printed line (prefix included).
    // Throws std::regex_error on a bad pattern.
    void expect(const std::string &pattern);
    bool expecting() const { return !expects_.empty(); }
    bool all_seen() const;
    std::vector<std::string> unseen() const;
    // A whole line from a source other than a UART (a remoteproc master's view
    // of the firmware's trace buffer): printed as "[source] text" and matched
    // like console lines.
    void line(const std::string &source, const std::string &text);
    // Print what is left in partial lines (at the end of a run).
    void flush();
    // Also tell `f` every printed line (after it is printed).
    void on_line(Output f) { observers_.push_back(std::move(f)); }

private:
    std::string prefix(const std::string &device, const std::string &core) const;
    void emit(const std::string &prefix, std::string &buf);
    struct Expect {
        std::string text;
        std::regex re;
        bool seen = false;
    };
    std::string console_uart_;
    Output out_;
    std::vector<Output> observers_;
    std::map<std::pair<std::string, std::string>, std::string> partial_;
    std::vector<Expect> expects_;
};

} // namespace ampvp
