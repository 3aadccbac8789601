#include "serial.h"

#include "log.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

namespace ampvp {

SerialSpec parse_serial_spec(const std::string &text)
{
    SerialSpec s;
    std::string rest = text;
    const size_t eq = rest.find('=');
    const size_t colon = rest.find(':');
    if (eq != std::string::npos && (colon == std::string::npos || eq < colon)) {
        s.uart = rest.substr(0, eq);
        rest = rest.substr(eq + 1);
        if (s.uart.empty()) {
            throw ConfigError("--serial '" + text + "': no UART name before '='");
        }
    }
    if (rest == "stdin" || rest == "pty") {
        s.kind = rest;
    } else if (rest.rfind("unix:", 0) == 0 && rest.size() > 5) {
        s.kind = "unix";
        s.path = rest.substr(5);
    } else {
        throw ConfigError("--serial '" + text + "': expected [UART=]stdin, [UART=]pty or "
                          "[UART=]unix:PATH");
    }
    return s;
}

namespace {
[[noreturn]] void fail(const std::string &what)
{
    throw std::runtime_error(what + ": " + std::strerror(errno));
}
void nonblock(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }
} // namespace

HostSerial::HostSerial(const SerialSpec &spec, Device *uart, Watch watch)
    : spec_(spec), uart_(uart), watch_(std::move(watch))
{
    if (spec_.kind == "stdin") {
        fd_ = dup(0);
        if (fd_ < 0) {
            fail("--serial stdin: cannot use standard input");
        }
        fcntl(fd_, F_SETFD, FD_CLOEXEC);
        nonblock(fd_);
    } else if (spec_.kind == "pty") {
        fd_ = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (fd_ < 0 || grantpt(fd_) != 0 || unlockpt(fd_) != 0) {
            fail("--serial pty: cannot create a pseudo-terminal");
        }
        const char *name = ptsname(fd_);
        pty_name_ = name ? name : "?";
        pty_slave_ = open(pty_name_.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (pty_slave_ >= 0) {
            termios t;
            if (tcgetattr(pty_slave_, &t) == 0) {
                cfmakeraw(&t); // bytes pass unchanged, like a USB-serial adapter
                tcsetattr(pty_slave_, TCSANOW, &t);
            }
        }
        nonblock(fd_);
    } else {
        struct stat st;
        if (lstat(spec_.path.c_str(), &st) == 0) {
            throw std::runtime_error("--serial unix:" + spec_.path +
                                     ": the path exists already (remove it or pick another)");
        }
        sockaddr_un sa{};
        sa.sun_family = AF_UNIX;
        if (spec_.path.size() >= sizeof(sa.sun_path)) {
            throw std::runtime_error("--serial unix:" + spec_.path + ": path too long");
        }
        std::strcpy(sa.sun_path, spec_.path.c_str());
        listen_fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (listen_fd_ < 0 || bind(listen_fd_, reinterpret_cast<sockaddr *>(&sa), sizeof(sa)) != 0 ||
            listen(listen_fd_, 1) != 0) {
            const int e = errno;
            if (listen_fd_ >= 0) {
                close(listen_fd_);
                listen_fd_ = -1;
            }
            errno = e;
            fail("--serial unix:" + spec_.path + ": cannot listen");
        }
    }
    try {
        watch_(listen_fd_ >= 0 ? listen_fd_ : fd_, true);
    } catch (const std::runtime_error &) {
        if (spec_.kind != "stdin") {
            throw;
        }
        // A regular file or /dev/null cannot be polled: it is all there, so
        // take it now (the UART still gets it as fast as it accepts bytes).
        fcntl(fd_, F_SETFL, fcntl(fd_, F_GETFL) & ~O_NONBLOCK);
        uint8_t buf[4096];
        ssize_t n;
        while ((n = read(fd_, buf, sizeof(buf))) > 0) {
            rx_.insert(rx_.end(), buf, buf + n);
        }
        close(fd_);
        fd_ = -1;
    }
}

HostSerial::~HostSerial()
{
    if (fd_ >= 0) {
        close(fd_);
    }
    if (pty_slave_ >= 0) {
        close(pty_slave_);
    }
    if (listen_fd_ >= 0) {
        close(listen_fd_);
        unlink(spec_.path.c_str()); // the socket file is ours: leave nothing behind
    }
}

std::string HostSerial::where() const
{
    return spec_.kind == "pty" ? pty_name_ : spec_.kind == "unix" ? spec_.path : "stdin";
}

void HostSerial::drop_client()
{
    watch_(fd_, false);
    close(fd_);
    fd_ = -1;
}

void HostSerial::on_readable(int fd)
{
    if (fd == listen_fd_) {
        const int c = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (c < 0) {
            return;
        }
        if (fd_ >= 0) { // one client at a time: the newest wins
            drop_client();
        }
        fd_ = c;
        watch_(fd_, true);
        log().verbose_info(spec_.uart + ": a client connected to " + spec_.path);
        return;
    }
    if (fd != fd_) {
        return;
    }
    uint8_t buf[512];
    for (;;) {
        const ssize_t n = read(fd_, buf, sizeof(buf));
        if (n > 0) {
            rx_.insert(rx_.end(), buf, buf + n);
            continue;
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            break;
        }
        // End of input (stdin EOF, the socket client left) or a pty error:
        // stop watching; bytes already read are still delivered.
        if (spec_.kind == "pty" && n < 0 && errno == EIO) {
            break; // no process has the terminal open: nothing to read now
        }
        drop_client();
        break;
    }
    if (!deferred_) {
        pump();
    }
}

std::string HostSerial::pump()
{
    std::string given;
    while (!rx_.empty() && uart_->accepts_input()) {
        const uint8_t b = rx_.front();
        rx_.pop_front();
        uart_->host_input(b);
        given += static_cast<char>(b);
    }
    return given;
}

size_t HostSerial::write_some(const uint8_t *bytes, size_t n)
{
    if (spec_.kind == "stdin" || fd_ < 0) {
        return n;
    }
    const ssize_t w = write(fd_, bytes, n);
    if (w >= 0) {
        return static_cast<size_t>(w);
    }
    if (errno == EAGAIN || errno == EINTR) {
        return 0;
    }
    if (spec_.kind == "unix") {
        drop_client();
    }
    return n; // a pty nobody has open (EIO): nothing waits for these bytes
}

void HostSerial::transmit(const uint8_t *bytes, size_t n)
{
    if (spec_.kind == "stdin" || fd_ < 0) {
        return; // stdin mode: the console lines are the output
    }
    // Best effort: a terminal nobody reads must not stall the machine.
    if (write(fd_, bytes, n) < 0 && errno != EAGAIN && spec_.kind == "unix") {
        drop_client();
    }
}

} // namespace ampvp
