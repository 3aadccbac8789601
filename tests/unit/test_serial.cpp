// The host side of a UART (--serial): spec parsing, flow control into the
// model, output to the client, and nothing left behind.
#include "serial.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fcntl.h>
#include <string>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <vector>

using namespace ampvp;

namespace {

TEST(SerialSpec, Forms)
{
    auto s = parse_serial_spec("stdin");
    EXPECT_EQ(s.kind, "stdin");
    EXPECT_EQ(s.uart, "");
    s = parse_serial_spec("USART1=pty");
    EXPECT_EQ(s.uart, "USART1");
    EXPECT_EQ(s.kind, "pty");
    s = parse_serial_spec("unix:/tmp/a=b.sock"); // '=' after ':' belongs to the path
    EXPECT_EQ(s.kind, "unix");
    EXPECT_EQ(s.path, "/tmp/a=b.sock");
    EXPECT_EQ(s.uart, "");
    EXPECT_THROW(parse_serial_spec("tcp:1234"), ConfigError);
    EXPECT_THROW(parse_serial_spec("=pty"), ConfigError);
    EXPECT_THROW(parse_serial_spec("unix:"), ConfigError);
}

// A receiver with room for `room` bytes at a time.
struct FakeUart : Device {
    FakeUart() : Device("USART3") {}
    uint32_t read(BusAccess &) override { return 0; }
    void write(BusAccess &, uint32_t) override {}
    bool accepts_input() const override { return got.size() < room; }
    void host_input(uint8_t b) override { got.push_back(b); }
    size_t room = 0;
    std::string got;
};

struct SerialSocket : ::testing::Test {
    std::string dir, path;
    std::vector<int> watched;
    void SetUp() override
    {
        char tmpl[] = "/tmp/ampvp-serial-test-XXXXXX";
        ASSERT_TRUE(mkdtemp(tmpl));
        dir = tmpl;
        path = dir + "/uart.sock";
    }
    void TearDown() override { rmdir(dir.c_str()); }
    HostSerial::Watch watch()
    {
        return [this](int fd, bool on) {
            if (on) {
                watched.push_back(fd);
            } else {
                watched.erase(std::remove(watched.begin(), watched.end(), fd), watched.end());
            }
        };
    }
    int connect_client()
    {
        int c = socket(AF_UNIX, SOCK_STREAM, 0);
        sockaddr_un sa{};
        sa.sun_family = AF_UNIX;
        std::snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path.c_str());
        EXPECT_EQ(connect(c, reinterpret_cast<sockaddr *>(&sa), sizeof(sa)), 0);
        return c;
    }
};

// Bytes wait in the hub while the receiver is full (no overrun), and go in
// one at a time as room appears; transmitted bytes reach the client raw.
TEST_F(SerialSocket, FlowControlAndOutput)
{
    FakeUart u;
    {
        HostSerial s(parse_serial_spec("USART3=unix:" + path), &u, watch());
        ASSERT_EQ(watched.size(), 1u); // the listening socket
        int c = connect_client();
        s.on_readable(watched[0]);
        ASSERT_EQ(watched.size(), 2u); // + the client
        ASSERT_EQ(write(c, "abc", 3), 3);
        usleep(1000);
        s.on_readable(watched[1]);
        EXPECT_EQ(u.got, "");
        EXPECT_TRUE(s.pending());
        u.room = 2;
        s.pump();
        EXPECT_EQ(u.got, "ab");
        u.room = 3;
        s.pump();
        EXPECT_EQ(u.got, "abc");
        EXPECT_FALSE(s.pending());
        s.transmit('Z');
        char b = 0;
        EXPECT_EQ(read(c, &b, 1), 1);
        EXPECT_EQ(b, 'Z');
        close(c);
        usleep(1000);
        s.on_readable(watched[1]); // the client left: back to listening only
        EXPECT_EQ(watched.size(), 1u);
    }
    struct stat st;
    EXPECT_NE(lstat(path.c_str(), &st), 0) << "the socket file was left behind";
}

// An existing path is never replaced: the user may have meant another file.
TEST_F(SerialSocket, ExistingPathIsAnError)
{
    FakeUart u;
    FILE *f = std::fopen(path.c_str(), "w");
    ASSERT_TRUE(f);
    std::fclose(f);
    try {
        HostSerial s(parse_serial_spec("unix:" + path), &u, watch());
        FAIL() << "an existing path was accepted";
    } catch (const std::runtime_error &e) {
        EXPECT_NE(std::string(e.what()).find("exists already"), std::string::npos);
    }
    unlink(path.c_str());
}

// A pty gives the user a terminal path; what is typed there reaches the UART.
TEST(SerialPty, BytesTypedIntoTheTerminalReachTheUart)
{
    FakeUart u;
    u.room = 10;
    std::vector<int> w;
    HostSerial s(parse_serial_spec("pty"), &u, [&](int fd, bool on) {
        if (on) {
            w.push_back(fd);
        }
    });
    ASSERT_EQ(s.where().rfind("/dev/pts/", 0), 0u);
    int t = open(s.where().c_str(), O_RDWR | O_NOCTTY);
    ASSERT_GE(t, 0);
    ASSERT_EQ(write(t, "hi\r", 3), 3);
    usleep(1000);
    s.on_readable(w[0]);
    EXPECT_EQ(u.got, "hi\r");
    s.transmit('!');
    char b = 0;
    EXPECT_EQ(read(t, &b, 1), 1);
    EXPECT_EQ(b, '!');
    close(t);
}

} // namespace
