// The host side of a UART (`ampvp run --serial [UART=]SPEC`): bytes from
// stdin, a pseudo-terminal or a Unix socket go into the UART model's receiver,
// and (pty, socket) what the UART transmits goes back out raw.  The console
// lines ("[cm7] text") are printed as always.
//
// Flow control instead of overrun: host bytes wait in a buffer here while the
// model does not accept them (receiver disabled, RDR or FIFO full), the way
// QEMU's chardev front ends use can_receive.
#pragma once

#include "device.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <string>

namespace ampvp {

struct SerialSpec {
    std::string uart;   // peripheral name; empty = the machine's console UART
    std::string kind;   // "stdin", "pty", "unix"
    std::string path;   // unix: socket path
};
// "stdin", "pty", "unix:PATH", each optionally prefixed "UART=" ("USART1=pty").
// Throws ConfigError naming what is wrong.
SerialSpec parse_serial_spec(const std::string &text);

class HostSerial {
public:
    // Start or stop watching a descriptor for input (the hub's event loop).
    using Watch = std::function<void(int fd, bool watch)>;
    // Opens the endpoint (creates the pty, or listens on the socket, which
    // must not exist yet); throws std::runtime_error with a one-line reason.
    HostSerial(const SerialSpec &spec, Device *uart, Watch watch);
    ~HostSerial();
    HostSerial(const HostSerial &) = delete;
    HostSerial &operator=(const HostSerial &) = delete;

    const std::string &uart() const { return spec_.uart; }
    // Where the user connects ("/dev/pts/3", the socket path, "stdin").
    std::string where() const;
    // True if `fd` is one of this endpoint's descriptors.
    bool owns(int fd) const { return fd >= 0 && (fd == fd_ || fd == listen_fd_); }
    // The descriptor bytes are written to (-1: no client connected).
    int out_fd() const { return spec_.kind == "stdin" ? -1 : fd_; }
    // `fd` is readable: accept a client, or read bytes into the buffer.
    void on_readable(int fd);
    // Offer buffered bytes to the UART while it accepts them; returns them.
    std::string pump();
    // Deterministic mode: bytes read from the host wait for the runner's pump()
    // at a quantum boundary instead of going to the UART at once.
    void set_deferred(bool d) { deferred_ = d; }
    bool deferred() const { return deferred_; }
    // The device the bytes go to (the UART, or a model's proxy).
    Device *device() const { return uart_; }
    bool pending() const { return !rx_.empty(); }
    // A byte the UART transmitted: out to the pty or the socket client.
    void transmit(uint8_t byte) { transmit(&byte, 1); }
    void transmit(const uint8_t *bytes, size_t n);
    // As much of `bytes` as the pty or socket takes now (without blocking);
    // returns how many were taken.  Without a client (socket) or on stdin,
    // everything is taken and dropped.
    size_t write_some(const uint8_t *bytes, size_t n);

private:
    void drop_client();
    SerialSpec spec_;
    Device *uart_;
    Watch watch_;
    int fd_ = -1;        // stdin, pty master, or the connected socket client
    int listen_fd_ = -1; // unix: the listening socket
    int pty_slave_ = -1; // kept open so the master does not read EIO without a client
    std::string pty_name_;
    std::deque<uint8_t> rx_;
    bool deferred_ = false;
};

} // namespace ampvp
