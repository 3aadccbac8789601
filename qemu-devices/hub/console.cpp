#include "console.h"

#include "log.h"
#include "timeline.h"

#include <cstdio>

namespace ampvp {

Console::Console(std::string console_uart, Output out)
    : console_uart_(std::move(console_uart)), out_(std::move(out))
{
    if (!out_) {
        out_ = [](const std::string &line) { Log::write_line(stdout, line); };
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
    AMPVP_TL(console(prefix.substr(1, prefix.size() > 3 ? prefix.size() - 3 : 0), buf));
    if (stamped_ && clock_) {
        const uint64_t ns = clock_();
        char t[40];
        std::snprintf(t, sizeof(t), "[%llu.%03llu] ", (unsigned long long)(ns / 1000),
                      (unsigned long long)(ns % 1000));
        out_(prefix + t + buf);
    } else {
        out_(line);
    }
    buf.clear();
    for (auto &f : observers_) {
        f(line);
    }
    match(line);
}

void Console::match(const std::string &line)
{
    const uint64_t now = clock_ ? clock_() : 0;
    bool next_taken = false; // ordered: this line already satisfied the pattern awaited
    bool predecessors_seen = true;
    for (size_t i = 0; i < expects_.size(); i++) {
        Expectation &e = expects_[i];
        if (e.kind == Expectation::ExpectNot) {
            if (!e.matched && std::regex_search(line, res_[i])) {
                e.matched = true;
                e.at_ns = now;
                e.line = line;
                if (on_forbidden_) {
                    on_forbidden_(e);
                }
            }
            continue;
        }
        if (e.matched) {
            continue;
        }
        if (!ordered_) {
            if (std::regex_search(line, res_[i])) {
                e.matched = true;
                e.at_ns = now;
                e.line = line;
            }
            continue;
        }
        // Ordered: only the first pattern not yet seen may match, once per line.
        const bool its_turn = predecessors_seen && !next_taken;
        predecessors_seen = false;
        if (std::regex_search(line, res_[i])) {
            if (its_turn) {
                e.matched = true;
                e.at_ns = now;
                e.line = line;
                next_taken = true;
            } else if (!next_taken && e.early_line.empty()) {
                e.early_line = line;
            }
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
    res_.emplace_back(pattern, std::regex::ECMAScript);
    expects_.push_back({Expectation::Expect, pattern, false, 0, "", ""});
}

void Console::expect_not(const std::string &pattern)
{
    res_.emplace_back(pattern, std::regex::ECMAScript);
    expects_.push_back({Expectation::ExpectNot, pattern, false, 0, "", ""});
}

bool Console::expecting() const
{
    for (const auto &e : expects_) {
        if (e.kind == Expectation::Expect) {
            return true;
        }
    }
    return false;
}

bool Console::all_seen() const
{
    for (const auto &e : expects_) {
        if (e.kind == Expectation::Expect && !e.matched) {
            return false;
        }
    }
    return true;
}

std::vector<std::string> Console::unseen() const
{
    std::vector<std::string> v;
    for (const auto &e : expects_) {
        if (e.kind == Expectation::Expect && !e.matched) {
            v.push_back(e.pattern);
        }
    }
    return v;
}

std::string Console::describe_unseen() const
{
    std::string s, previous;
    for (const auto &e : expects_) {
        if (e.kind != Expectation::Expect) {
            continue;
        }
        if (!e.matched) {
            s += (s.empty() ? "'" : ", '") + e.pattern + "'";
            if (!e.early_line.empty()) {
                s += " (matched before '" + previous + "': " + e.early_line + ")";
            }
        }
        previous = e.pattern;
    }
    return s;
}

const Expectation *Console::forbidden() const
{
    for (const auto &e : expects_) {
        if (e.kind == Expectation::ExpectNot && e.matched) {
            return &e;
        }
    }
    return nullptr;
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
