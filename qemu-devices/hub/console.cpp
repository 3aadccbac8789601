#include "console.h"

#include "log.h"

#include <cstdio>

namespace ampvp {

Console::Console(std::string console_uart, Output out)
    : console_uart_(std::move(console_uart)), out_(std::move(out))
{
    if (!out_) {
        out_ = [](const std::string &line) {
            std::fputs(line.c_str(), stdout);
            std::fputc('\n', stdout);
            std::fflush(stdout);
        };
    }
}

std::string Console::prefix(const std::string &device, const std::string &core) const
{
    bool plain = device == console_uart_ || console_uart_.empty();
    return "[" + core + (plain ? "" : ":" + device) + "] ";
}

void Console::put_char(const std::string &device, const BusAccess &by, uint8_t ch)
{
    const std::string prefix = this->prefix(device, by.core_name);
    std::string &buf = partial_[{device, by.core_name}];
    if (ch == '\n') {
        emit(prefix, buf);
    } else if (ch == '\r') {
        // CR LF line ends: the LF ends the line.
    } else if (ch >= 0x20 && ch < 0x7f) {
        buf += static_cast<char>(ch);
    } else if (ch == '\t') {
        buf += ch;
    } else {
        char esc[8];
        std::snprintf(esc, sizeof(esc), "\\x%02x", ch);
        buf += esc;
    }
    if (buf.size() >= 4096) { // a runaway line without LF: print it anyway
        emit(prefix, buf);
    }
}

void Console::emit(const std::string &prefix, std::string &buf)
{
    std::string line = prefix + buf;
    if (log().tracing("uart")) {
        // The core is the bracketed name at the start of the prefix.
        AMPVP_TRACE("uart", prefix.substr(1, prefix.find_first_of(":]") - 1), "line \"" + buf + "\"");
    }
    buf.clear();
    out_(line);
    for (auto &f : observers_) {
        f(line);
    }
    for (auto &e : expects_) {
        if (!e.seen && std::regex_search(line, e.re)) {
            e.seen = true;
        }
    }
}

void Console::line(const std::string &source, const std::string &text)
{
    std::string buf = text;
    emit("[" + source + "] ", buf);
}

void Console::expect(const std::string &pattern)
{
    expects_.push_back({pattern, std::regex(pattern, std::regex::ECMAScript), false});
}

bool Console::all_seen() const
{
    for (const auto &e : expects_) {
        if (!e.seen) {
            return false;
        }
    }
    return true;
}

std::vector<std::string> Console::unseen() const
{
    std::vector<std::string> v;
    for (const auto &e : expects_) {
        if (!e.seen) {
            v.push_back(e.text);
        }
    }
    return v;
}

void Console::flush()
{
    for (auto &[key, buf] : partial_) {
        if (!buf.empty()) {
            emit(prefix(key.first, key.second), buf);
        }
    }
}

} // namespace ampvp
