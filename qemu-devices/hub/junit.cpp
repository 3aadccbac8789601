#include "junit.h"

#include "log.h"
#include "runner.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace ampvp {

namespace {

// Length of the valid UTF-8 sequence at s[i] (1-4), or 0 if it is not one.
size_t utf8_len(const std::string &s, size_t i)
{
    const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = b(i);
    size_t n;
    uint32_t cp;
    if (c < 0x80) {
        return 1;
    } else if ((c & 0xe0) == 0xc0) {
        n = 2, cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
        n = 3, cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
        n = 4, cp = c & 0x07;
    } else {
        return 0;
    }
    if (i + n > s.size()) {
        return 0;
    }
    for (size_t k = 1; k < n; k++) {
        if ((b(i + k) & 0xc0) != 0x80) {
            return 0;
        }
        cp = cp << 6 | (b(i + k) & 0x3f);
    }
    // Overlong forms, surrogates, beyond Unicode, and U+FFFE/U+FFFF are not XML characters.
    static const uint32_t min_cp[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_cp[n] || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff || cp == 0xfffe ||
        cp == 0xffff) {
        return 0;
    }
    return n;
}

// Text for element content and attribute values alike.  In attributes a
// newline or tab would be normalised to a space by the reader: keep them as
// character references there.
std::string esc(const std::string &s, bool attribute = false)
{
    std::string o;
    o.reserve(s.size() + 16);
    for (size_t i = 0; i < s.size();) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        switch (c) {
        case '&': o += "&amp;"; i++; continue;
        case '<': o += "&lt;"; i++; continue;
        case '>': o += "&gt;"; i++; continue;
        case '"': o += attribute ? "&quot;" : "\""; i++; continue;
        case '\n': o += attribute ? "&#10;" : "\n"; i++; continue;
        case '\t': o += attribute ? "&#9;" : "\t"; i++; continue;
        default: break;
        }
        const size_t n = c < 0x20 || c == 0x7f ? 0 : utf8_len(s, i);
        if (n == 0) {
            char b[8];
            std::snprintf(b, sizeof(b), "\\x%02x", c);
            o += b;
            i++;
        } else {
            o.append(s, i, n);
            i += n;
        }
    }
    return o;
}

std::string seconds(double s)
{
    char b[32];
    std::snprintf(b, sizeof(b), "%.3f", s < 0 ? 0.0 : s);
    return b;
}

std::string strip_prefix(const std::string &line, const std::string &p)
{
    return line.compare(0, p.size(), p) == 0 ? line.substr(p.size()) : line;
}

} // namespace

const char *exit_status_meaning(int code)
{
    switch (code) {
    case EXIT_OK: return "every --expect pattern was seen";
    case EXIT_ERROR: return "bad input or setup failure";
    case EXIT_USAGE: return "command-line error";
    case EXIT_TIMEOUT: return "--timeout expired first";
    case EXIT_CORE_DIED: return "a core died";
    case EXIT_FORBIDDEN: return "a line matching --expect-not was seen";
    case EXIT_SIGINT: return "stopped by SIGINT";
    case EXIT_SIGTERM: return "stopped by SIGTERM or SIGHUP";
    default: return "unknown exit status";
    }
}

std::string junit_xml(const JunitReport &r)
{
    struct Case {
        std::string name;
        double time;
        const char *kind = nullptr; // "failure" / "error" / nullptr: passed
        std::string type, message, text;
    };
    std::vector<Case> cases;
    std::string previous; // ordered: the pattern before this one
    for (const auto &e : r.expectations) {
        Case c;
        if (e.kind == Expectation::Expect) {
            c.name = "expect: " + e.pattern;
            if (e.matched) {
                c.time = e.at_ns / 1e9;
            } else {
                c.time = r.time_s;
                c.kind = "failure";
                c.type = "not-seen";
                c.message = "never saw a line matching '" + e.pattern + "'" +
                            (r.reason.empty() ? "" : ": " + r.reason);
                if (!e.early_line.empty()) {
                    c.message += " (a line matched before '" + previous + "' was seen: " +
                                 e.early_line + ")";
                }
                c.text = c.message + "\n";
            }
            previous = e.pattern;
        } else {
            c.name = "expect-not: " + e.pattern;
            if (e.matched) {
                c.time = e.at_ns / 1e9;
                c.kind = "failure";
                c.type = "forbidden";
                c.message = "forbidden line seen at " + seconds(c.time) + " s: " + e.line;
                c.text = c.message + "\n";
            } else {
                c.time = r.time_s;
            }
        }
        cases.push_back(std::move(c));
    }
    bool any_failed = false;
    for (const auto &c : cases) {
        any_failed |= c.kind != nullptr;
    }
    if (cases.empty() || (r.exit_code != EXIT_OK && !any_failed)) {
        Case c;
        c.name = "run";
        c.time = r.time_s;
        if (r.exit_code != EXIT_OK) {
            c.kind = "error";
            c.type = "exit-status-" + std::to_string(r.exit_code);
            c.message = r.reason.empty() ? exit_status_meaning(r.exit_code) : r.reason;
            c.text = "ampvp exited with status " + std::to_string(r.exit_code) + " (" +
                     exit_status_meaning(r.exit_code) + "): " + c.message + "\n";
        }
        cases.push_back(std::move(c));
    }
    unsigned failures = 0, errors = 0;
    for (const auto &c : cases) {
        failures += c.kind && std::strcmp(c.kind, "failure") == 0;
        errors += c.kind && std::strcmp(c.kind, "error") == 0;
    }

    const std::string suite = esc(r.suite, true);
    std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    x += "<testsuites name=\"ampvp\" tests=\"" + std::to_string(cases.size()) + "\" failures=\"" +
         std::to_string(failures) + "\" errors=\"" + std::to_string(errors) + "\" time=\"" +
         seconds(r.time_s) + "\">\n";
    x += "  <testsuite name=\"" + suite + "\" id=\"0\" package=\"ampvp\" tests=\"" +
         std::to_string(cases.size()) + "\" failures=\"" + std::to_string(failures) +
         "\" errors=\"" + std::to_string(errors) + "\" skipped=\"0\" time=\"" + seconds(r.time_s) +
         "\" timestamp=\"" + esc(r.timestamp, true) + "\" hostname=\"" +
         esc(r.hostname.empty() ? "localhost" : r.hostname, true) + "\">\n";
    x += "    <properties>\n";
    auto props = r.properties;
    props.emplace_back("expect-order", r.ordered ? "true" : "false");
    props.emplace_back("exit-status", std::to_string(r.exit_code));
    for (const auto &[k, v] : props) {
        x += "      <property name=\"" + esc(k, true) + "\" value=\"" + esc(v, true) + "\"/>\n";
    }
    x += "    </properties>\n";
    for (const auto &c : cases) {
        x += "    <testcase name=\"" + esc(c.name, true) + "\" classname=\"" + suite +
             "\" time=\"" + seconds(c.time) + "\"";
        if (!c.kind) {
            x += "/>\n";
            continue;
        }
        x += ">\n      <" + std::string(c.kind) + " message=\"" + esc(c.message, true) +
             "\" type=\"" + esc(c.type, true) + "\">" + esc(c.text) + "</" + c.kind + ">\n";
        x += "    </testcase>\n";
    }
    x += "    <system-out>" + esc(r.system_out) + "</system-out>\n";
    x += "    <system-err>" + esc(r.system_err) + "</system-err>\n";
    x += "  </testsuite>\n</testsuites>\n";
    return x;
}

void write_file_atomically(const std::string &path, const std::string &text)
{
    std::string tmpl = path + ".tmp-XXXXXX";
    const int fd = mkostemp(tmpl.data(), O_CLOEXEC);
    if (fd < 0) {
        throw std::runtime_error(path + ": cannot create: " + std::strerror(errno));
    }
    auto fail = [&](const char *what) {
        const std::string e = std::strerror(errno);
        close(fd);
        unlink(tmpl.c_str());
        throw std::runtime_error(path + ": cannot " + what + ": " + e);
    };
    // mkstemp makes the file 0600; give it what a plain create would.
    const mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0) {
        fail("set the mode of the temporary file");
    }
    size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            fail("write");
        }
        done += static_cast<size_t>(n);
    }
    if (fsync(fd) != 0) {
        fail("sync");
    }
    if (close(fd) != 0) {
        const std::string e = std::strerror(errno);
        unlink(tmpl.c_str());
        throw std::runtime_error(path + ": cannot write: " + e);
    }
    if (rename(tmpl.c_str(), path.c_str()) != 0) {
        const std::string e = std::strerror(errno);
        unlink(tmpl.c_str());
        throw std::runtime_error(path + ": cannot rename the temporary file into place: " + e);
    }
}

JunitRecorder::JunitRecorder(std::string path, std::string suite)
    : path_(std::move(path)), suite_(std::move(suite))
{
    log().set_tee([this](const std::string &line, bool to_stdout) {
        if (to_stdout) {
            return; // trace lines: not part of the report
        }
        err_ += line + "\n";
        if (first_error_.empty() && line.compare(0, 13, "ampvp: error:") == 0) {
            first_error_ = strip_prefix(line, "ampvp: error: ");
        }
    });
}

JunitRecorder::~JunitRecorder() { log().set_tee(nullptr); }

void JunitRecorder::console_line(const std::string &line) { out_ += line + "\n"; }

bool JunitRecorder::write(JunitReport r)
{
    r.suite = suite_;
    char host[256] = "";
    gethostname(host, sizeof(host) - 1);
    r.hostname = host;
    if (r.timestamp.empty()) {
        const std::time_t now = std::time(nullptr) - static_cast<std::time_t>(r.time_s);
        std::tm tm{};
        gmtime_r(&now, &tm);
        char ts[32];
        std::strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
        r.timestamp = ts;
    }
    if (r.reason.empty() && r.exit_code != EXIT_OK) {
        r.reason = first_error_.empty() ? exit_status_meaning(r.exit_code) : first_error_;
    }
    r.system_out = out_;
    r.system_err = err_;
    try {
        write_file_atomically(path_, junit_xml(r));
    } catch (const std::exception &e) {
        log().error(std::string("--junit: ") + e.what());
        return false;
    }
    log().verbose_info("JUnit report written to " + path_);
    return true;
}

} // namespace ampvp
