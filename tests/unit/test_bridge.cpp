// The hub end of the bridge protocol over real SEQPACKET socketpairs: boot
// handshake, reads and writes reaching the models, IRQs, and malformed or
// misplaced messages answered with ERROR (the hub neither crashes nor hangs).
#include "ampvp_proto.h"
#include "bridge.h"
#include "models/stm32_usart.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

using namespace ampvp;

namespace {

struct Peer {
    int fd;
    uint32_t seq = 0;
    void send_msg(uint16_t type, const void *fixed, size_t len, uint16_t flags = 0)
    {
        uint8_t buf[256];
        const ampvp_out out{type, flags, seq++, 100, fixed, len, nullptr};
        size_t n = ampvp_encode(buf, sizeof(buf), &out);
        ASSERT_GT(n, 0u);
        ASSERT_EQ(send(fd, buf, n, 0), static_cast<ssize_t>(n));
    }
    void send_raw(const void *p, size_t n) { ASSERT_EQ(send(fd, p, n, 0), static_cast<ssize_t>(n)); }
    ampvp_msg recv_msg(std::vector<uint8_t> &buf)
    {
        buf.resize(AMPVP_MSG_MAX);
        ssize_t n = recv(fd, buf.data(), buf.size(), MSG_DONTWAIT);
        ampvp_msg m{};
        EXPECT_GT(n, 0) << "expected a message from the hub";
        if (n > 0) {
            char err[200];
            EXPECT_EQ(ampvp_decode(buf.data(), static_cast<size_t>(n), &m, err, sizeof(err)), AMPVP_OK) << err;
        }
        return m;
    }
    bool nothing_pending()
    {
        uint8_t b[8];
        return recv(fd, b, sizeof(b), MSG_DONTWAIT | MSG_PEEK) < 0;
    }
};

// What the models raise goes to the bridge, as in the hub (runner.cpp).
struct ToBridge : IrqSink {
    BridgeServer *srv = nullptr;
    void set_irq(CoreId core, unsigned line, bool level) override { srv->set_irq(core, line, level); }
    void send_event(CoreId core) override { srv->send_event(core); }
};

struct BridgeTest : ::testing::Test {
    MachineDesc m = MachineDesc::load_file(testutil::source_dir() + "/machine/stm32h745.json");
    testutil::LogCapture cap;
    DeviceContext ctx;
    ToBridge to_bridge;
    std::unique_ptr<Bus> bus;
    std::unique_ptr<BridgeServer> srv;
    int hub_bus, hub_async;
    Peer bus_peer{-1}, async_peer{-1};
    std::vector<uint8_t> buf;

    void SetUp() override
    {
        bus = std::make_unique<Bus>(m, ctx, &to_bridge);
        srv = std::make_unique<BridgeServer>(m, *bus, std::vector<std::string>{"core cm7\n", "core cm4\n"}, true);
        to_bridge.srv = srv.get();
        int a[2], b[2];
        ASSERT_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, a), 0);
        ASSERT_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, b), 0);
        hub_bus = a[0];
        bus_peer.fd = a[1];
        hub_async = b[0];
        async_peer.fd = b[1];
        srv->add_connection(0, hub_bus);
        srv->add_connection(0, hub_async);
    }
    void TearDown() override
    {
        srv.reset();
        close(bus_peer.fd);
        close(async_peer.fd);
    }
    uint32_t caps = AMPVP_CAP_POSTED_WRITES;
    void hello(Peer &p, int hub_fd, uint32_t channel)
    {
        ampvp_hello h{AMPVP_PROTO_MAGIC, AMPVP_PROTO_VERSION_MAJOR, AMPVP_PROTO_VERSION_MINOR,
                      caps, channel, "cm7"};
        p.send_msg(AMPVP_MSG_HELLO, &h, sizeof(h));
        ASSERT_EQ(srv->on_readable(hub_fd), BridgeServer::Result::Ok);
    }
    void boot()
    {
        hello(bus_peer, hub_bus, AMPVP_CH_BUS);
        auto ack = bus_peer.recv_msg(buf);
        ASSERT_EQ(ack.hdr.type, AMPVP_MSG_HELLO_ACK);
        hello(async_peer, hub_async, AMPVP_CH_ASYNC);
        async_peer.recv_msg(buf);
        bus_peer.send_msg(AMPVP_MSG_READY, nullptr, 0);
        srv->on_readable(hub_bus);
        ASSERT_TRUE(srv->ready(0));
    }
};

TEST_F(BridgeTest, HelloOnTheBusChannelReturnsTheCoreConfig)
{
    hello(bus_peer, hub_bus, AMPVP_CH_BUS);
    auto ack = bus_peer.recv_msg(buf);
    ASSERT_EQ(ack.hdr.type, AMPVP_MSG_HELLO_ACK);
    EXPECT_EQ(ack.u.hello_ack.status, (uint32_t)AMPVP_OK);
    EXPECT_STREQ(ack.text, "core cm7\n");
    EXPECT_TRUE(ack.u.hello_ack.caps & AMPVP_CAP_POSTED_WRITES);
}

TEST_F(BridgeTest, StartIsSentOnlyWhenAsked)
{
    boot();
    EXPECT_TRUE(bus_peer.nothing_pending());
    srv->start(0, 0x10000000);
    auto st = bus_peer.recv_msg(buf);
    EXPECT_EQ(st.hdr.type, AMPVP_MSG_START);
    EXPECT_EQ(st.u.start.vtor, 0x10000000u); // the core boots from the address it is given
}

TEST_F(BridgeTest, ReadIsAnsweredFromTheModelWithTheSameSeq)
{
    boot();
    ampvp_read rd{0x4000481C, 4, 0};
    bus_peer.seq = 77;
    bus_peer.send_msg(AMPVP_MSG_READ, &rd, sizeof(rd));
    srv->on_readable(hub_bus);
    auto r = bus_peer.recv_msg(buf);
    ASSERT_EQ(r.hdr.type, AMPVP_MSG_READ_RESP);
    EXPECT_EQ(r.hdr.seq, 77u);
    EXPECT_EQ(r.u.read_resp.data, 0xC0u);
    EXPECT_EQ(r.u.read_resp.status, (uint32_t)AMPVP_OK);
}

TEST_F(BridgeTest, PostedWriteGetsNoReplyNonPostedDoes)
{
    boot();
    ampvp_write wr{0x4000480C, 0x22B, 4, 0};
    bus_peer.send_msg(AMPVP_MSG_WRITE, &wr, sizeof(wr), AMPVP_F_POSTED);
    srv->on_readable(hub_bus);
    EXPECT_TRUE(bus_peer.nothing_pending());
    bus_peer.send_msg(AMPVP_MSG_WRITE, &wr, sizeof(wr));
    srv->on_readable(hub_bus);
    EXPECT_EQ(bus_peer.recv_msg(buf).hdr.type, AMPVP_MSG_WRITE_RESP);
    BusAccess rd;
    rd.addr = 0x4000480C;
    EXPECT_EQ(bus->read(rd), 0x22Bu); // both writes reached USART3_BRR
}

// Capabilities are what both ends announced: a core that did not agree on posted
// writes may not send one (it would never learn of a fault).
TEST_F(BridgeTest, PostedWriteWithoutTheCapabilityIsRefused)
{
    caps = 0;
    boot();
    ampvp_write wr{0x4000480C, 0x22B, 4, 0};
    bus_peer.send_msg(AMPVP_MSG_WRITE, &wr, sizeof(wr), AMPVP_F_POSTED);
    srv->on_readable(hub_bus);
    auto e = bus_peer.recv_msg(buf);
    ASSERT_EQ(e.hdr.type, AMPVP_MSG_ERROR);
    EXPECT_STREQ(e.text, "posted WRITE, but posted writes were not agreed at HELLO");
    EXPECT_EQ(srv->protocol_errors(), 1u);
}

TEST_F(BridgeTest, MalformedMessageGetsAnErrorAndTheHubCarriesOn)
{
    boot();
    uint8_t junk[30] = {0xde, 0xad};
    bus_peer.send_raw(junk, sizeof(junk));
    EXPECT_EQ(srv->on_readable(hub_bus), BridgeServer::Result::Ok);
    auto e = bus_peer.recv_msg(buf);
    EXPECT_EQ(e.hdr.type, AMPVP_MSG_ERROR);
    EXPECT_EQ(e.u.error.code, (uint32_t)AMPVP_E_MALFORMED);
    EXPECT_EQ(srv->protocol_errors(), 1u);
    EXPECT_TRUE(cap.has("cm7: bridge protocol: message type"));
    // Still serving:
    ampvp_read rd{0x4000481C, 4, 0};
    bus_peer.send_msg(AMPVP_MSG_READ, &rd, sizeof(rd));
    srv->on_readable(hub_bus);
    EXPECT_EQ(bus_peer.recv_msg(buf).hdr.type, AMPVP_MSG_READ_RESP);
}

TEST_F(BridgeTest, ReadBeforeReadyIsRefused)
{
    hello(bus_peer, hub_bus, AMPVP_CH_BUS);
    bus_peer.recv_msg(buf);
    ampvp_read rd{0x4000481C, 4, 0};
    bus_peer.send_msg(AMPVP_MSG_READ, &rd, sizeof(rd));
    srv->on_readable(hub_bus);
    auto e = bus_peer.recv_msg(buf);
    EXPECT_EQ(e.hdr.type, AMPVP_MSG_ERROR);
    EXPECT_NE(std::string(e.text).find("before READY"), std::string::npos);
}

TEST_F(BridgeTest, MessageBeforeHelloClosesTheConnection)
{
    bus_peer.send_msg(AMPVP_MSG_READY, nullptr, 0);
    EXPECT_EQ(srv->on_readable(hub_bus), BridgeServer::Result::Closed);
    EXPECT_EQ(bus_peer.recv_msg(buf).hdr.type, AMPVP_MSG_ERROR);
}

TEST_F(BridgeTest, WrongProtocolVersionIsRefused)
{
    ampvp_hello h{AMPVP_PROTO_MAGIC, 99, 0, 0, AMPVP_CH_BUS, "cm7"};
    bus_peer.send_msg(AMPVP_MSG_HELLO, &h, sizeof(h));
    EXPECT_EQ(srv->on_readable(hub_bus), BridgeServer::Result::Closed);
    auto e = bus_peer.recv_msg(buf);
    EXPECT_EQ(e.u.error.code, (uint32_t)AMPVP_E_VERSION);
}

TEST_F(BridgeTest, IrqGoesOutOnTheAsyncChannel)
{
    boot();
    srv->set_irq(0, 39, true);
    auto irq = async_peer.recv_msg(buf);
    ASSERT_EQ(irq.hdr.type, AMPVP_MSG_IRQ);
    EXPECT_EQ(irq.u.irq.line, 39u);
    EXPECT_EQ(irq.u.irq.level, 1u);
    EXPECT_TRUE(bus_peer.nothing_pending());
}

// CStop (RM0399 "CPU CStop": SLEEPDEEP + WFI/WFE stops the CPU clock, NVIC and
// SysTick included; only an EXTI wake-up restarts it).  The machine says the CM7's
// deep sleep stops its clock; the core announced it can (AMPVP_CAP_CLOCK_STOP).
struct BridgeCStop : BridgeTest {
    void SetUp() override
    {
        BridgeTest::SetUp();
        caps = AMPVP_CAP_POSTED_WRITES | AMPVP_CAP_CLOCK_STOP | AMPVP_CAP_RESET;
        boot();
    }
    void power(uint32_t state, uint32_t events_taken = 0)
    {
        ampvp_power_msg p{state, events_taken};
        async_peer.send_msg(AMPVP_MSG_POWER, &p, sizeof(p));
        ASSERT_EQ(srv->on_readable(hub_async), BridgeServer::Result::Ok);
    }
};

// An interrupt that comes and goes while the clock is stopped never reaches the
// NVIC (it is not clocked); the core is not woken.
TEST_F(BridgeCStop, IrqPulseWhileStoppedIsLostAndDoesNotWake)
{
    power(AMPVP_PWR_DEEPSLEEP);
    EXPECT_TRUE(srv->clock_stopped(0));
    srv->set_irq(0, 54, true);
    srv->set_irq(0, 54, false);
    EXPECT_TRUE(async_peer.nothing_pending());
    srv->set_wakeup(0, true);
    EXPECT_EQ(async_peer.recv_msg(buf).hdr.type, AMPVP_MSG_WAKE);
    EXPECT_TRUE(async_peer.nothing_pending()) << "the lost pulse was delivered after all";
}

// The EXTI wake-up restarts the clock: WAKE first, then the interrupt levels that
// changed meanwhile, as the NVIC samples them once clocked again.
TEST_F(BridgeCStop, WakeupSendsWakeThenTheLevelsStillActive)
{
    power(AMPVP_PWR_DEEPSLEEP);
    srv->set_irq(0, 6, true);
    EXPECT_TRUE(async_peer.nothing_pending());
    srv->set_wakeup(0, true);
    EXPECT_EQ(async_peer.recv_msg(buf).hdr.type, AMPVP_MSG_WAKE);
    auto irq = async_peer.recv_msg(buf);
    ASSERT_EQ(irq.hdr.type, AMPVP_MSG_IRQ);
    EXPECT_EQ(irq.u.irq.line, 6u);
    EXPECT_FALSE(srv->clock_stopped(0));
}

// Entering deep sleep while the wake-up request is active does not stop the clock
// for good: the core is woken at once (RM0399: CStop is not entered, or left at
// once, while a wake-up source is pending).
TEST_F(BridgeCStop, DeepSleepWithWakeupActiveWakesAtOnce)
{
    srv->set_wakeup(0, true);
    power(AMPVP_PWR_DEEPSLEEP);
    EXPECT_EQ(async_peer.recv_msg(buf).hdr.type, AMPVP_MSG_WAKE);
    EXPECT_FALSE(srv->clock_stopped(0));
}

// An EXTI event comes with a wake-up.  One the core had not taken when it stopped its
// clock (POWER counts the EVENTs it took) finds it stopped: the hub wakes it.
TEST_F(BridgeCStop, EventInFlightWhenTheCoreStopsWakesIt)
{
    srv->send_event(0);
    EXPECT_EQ(async_peer.recv_msg(buf).hdr.type, AMPVP_MSG_EVENT);
    power(AMPVP_PWR_DEEPSLEEP, 0);
    EXPECT_EQ(async_peer.recv_msg(buf).hdr.type, AMPVP_MSG_WAKE);
}

// An event the core took before it went to sleep does not wake it again, nor do
// wake-up edges that came and went while it was running (a level that has ended).
TEST_F(BridgeCStop, PastEventsAndEndedWakeupsDoNotWake)
{
    srv->send_event(0);
    async_peer.recv_msg(buf);
    srv->set_wakeup(0, true);
    srv->set_wakeup(0, false);
    power(AMPVP_PWR_DEEPSLEEP, 1);
    EXPECT_TRUE(srv->clock_stopped(0));
    EXPECT_TRUE(async_peer.nothing_pending());
}

// Plain sleep (SLEEPDEEP = 0, CSleep) keeps the clock: interrupts go through.
TEST_F(BridgeCStop, PlainSleepKeepsTheClock)
{
    power(AMPVP_PWR_SLEEP);
    EXPECT_FALSE(srv->clock_stopped(0));
    srv->set_irq(0, 54, true);
    EXPECT_EQ(async_peer.recv_msg(buf).hdr.type, AMPVP_MSG_IRQ);
}

// A core that did not announce AMPVP_CAP_CLOCK_STOP is never held.
TEST_F(BridgeTest, NoClockStopWithoutTheCapability)
{
    boot();
    ampvp_power_msg p{AMPVP_PWR_DEEPSLEEP, 0};
    async_peer.send_msg(AMPVP_MSG_POWER, &p, sizeof(p));
    ASSERT_EQ(srv->on_readable(hub_async), BridgeServer::Result::Ok);
    EXPECT_FALSE(srv->clock_stopped(0));
}

// The hub must never block on a core: a core whose main loop does not drain
// its async channel (its vCPU may hold QEMU's lock, waiting for the hub on
// the bus channel) would otherwise deadlock the whole machine.  Messages the
// socket cannot take are queued and delivered, in order, once it drains.
TEST_F(BridgeTest, AFullAsyncChannelNeverBlocksAndLosesNothing)
{
    boot();
    const unsigned n = 20000; // far more than a SEQPACKET socket buffers
    for (unsigned i = 0; i < n; i++) {
        srv->set_irq(0, i % 150, (i & 1) != 0); // returns at once even when full
    }
    EXPECT_TRUE(srv->pending());
    unsigned got = 0;
    for (int round = 0; round < 100000 && got < n; round++) {
        srv->flush();
        std::vector<uint8_t> b(256);
        while (recv(async_peer.fd, b.data(), b.size(), MSG_DONTWAIT) > 0) {
            ampvp_msg m;
            ASSERT_EQ(ampvp_decode(b.data(), sizeof(ampvp_hdr) + sizeof(ampvp_irq), &m, nullptr, 0), AMPVP_OK);
            ASSERT_EQ(m.u.irq.line, got % 150) << "out of order at " << got;
            got++;
        }
    }
    EXPECT_EQ(got, n);
    EXPECT_FALSE(srv->pending());
}

// A reset by the SoC (watchdog, a domain leaving Standby, system reset): RESET
// on the async channel with the vector table to boot from; the core's clock
// runs again (a reset ends CStop) and, as its NVIC forgot every input, the
// interrupt lines that are high are sent again after it, including a change
// held back while the clock was stopped.
TEST_F(BridgeCStop, ResetEndsCStopAndResendsTheHighIrqLines)
{
    srv->set_irq(0, 41, true);
    EXPECT_EQ(async_peer.recv_msg(buf).hdr.type, AMPVP_MSG_IRQ);
    power(AMPVP_PWR_DEEPSLEEP);
    srv->set_irq(0, 3, true); // held: the clock is stopped
    EXPECT_TRUE(async_peer.nothing_pending());
    srv->reset_core(0, 0x08000000, false);
    auto r = async_peer.recv_msg(buf);
    ASSERT_EQ(r.hdr.type, AMPVP_MSG_RESET);
    EXPECT_EQ(r.u.reset.vtor, 0x08000000u);
    EXPECT_EQ(r.u.reset.flags, 0u);
    auto a = async_peer.recv_msg(buf);
    auto b = async_peer.recv_msg(buf);
    ASSERT_EQ(a.hdr.type, AMPVP_MSG_IRQ);
    ASSERT_EQ(b.hdr.type, AMPVP_MSG_IRQ);
    EXPECT_EQ(a.u.irq.line, 3u);
    EXPECT_EQ(b.u.irq.line, 41u);
    EXPECT_FALSE(srv->clock_stopped(0));
    EXPECT_EQ(srv->power(0), CorePower::Run);
    EXPECT_TRUE(async_peer.nothing_pending());
}

// A gated core after a system reset: RESET with HOLD (it stays in reset).
TEST_F(BridgeCStop, ResetCanHoldTheCoreInReset)
{
    srv->reset_core(0, 0x08100000, true);
    auto r = async_peer.recv_msg(buf);
    ASSERT_EQ(r.hdr.type, AMPVP_MSG_RESET);
    EXPECT_EQ(r.u.reset.flags, AMPVP_RESET_HOLD);
}

// A QEMU that did not agree on AMPVP_CAP_RESET gets no RESET: the hub says so.
TEST_F(BridgeTest, NoResetWithoutTheCapability)
{
    boot();
    srv->reset_core(0, 0x08000000, false);
    EXPECT_TRUE(async_peer.nothing_pending());
    EXPECT_TRUE(cap.has("does not take RESET"));
}

TEST_F(BridgeTest, PeerHangUpIsReportedAsClosed)
{
    boot();
    close(bus_peer.fd);
    bus_peer.fd = socket(AF_UNIX, SOCK_SEQPACKET, 0); // keep TearDown happy
    EXPECT_EQ(srv->on_readable(hub_bus), BridgeServer::Result::Closed);
    EXPECT_FALSE(srv->connected(0));
}

} // namespace

// Protocol 2.4, THREAD: a running core's vCPU thread is signalled after each
// async send, so it applies the IRQ without waiting for its main loop.  The
// peer here is this process, the named thread this test's own.
static volatile sig_atomic_t g_kicks = 0;
static void count_kick(int) { g_kicks = g_kicks + 1; }

struct BridgeKick : BridgeTest {
    const int signo = SIGRTMIN + 3;
    struct sigaction old {};
    void SetUp() override
    {
        caps = AMPVP_CAP_POSTED_WRITES | AMPVP_CAP_KICK | AMPVP_CAP_POWER;
        BridgeTest::SetUp();
        struct sigaction sa {};
        sa.sa_handler = count_kick;
        sigemptyset(&sa.sa_mask);
        sigaction(signo, &sa, &old);
        g_kicks = 0;
        boot();
    }
    void TearDown() override
    {
        sigaction(signo, &old, nullptr);
        BridgeTest::TearDown();
    }
    void thread(uint32_t pid, uint32_t tid)
    {
        ampvp_thread t{pid, tid, static_cast<uint32_t>(signo), 0};
        async_peer.send_msg(AMPVP_MSG_THREAD, &t, sizeof(t));
        srv->on_readable(hub_async);
    }
};

TEST_F(BridgeKick, AnIrqToARunningCoreSignalsItsVcpuThread)
{
    thread(getpid(), static_cast<uint32_t>(syscall(SYS_gettid)));
    EXPECT_TRUE(async_peer.nothing_pending()) << "THREAD is not answered";
    srv->set_irq(0, 39, true);
    EXPECT_EQ(g_kicks, 1);
    EXPECT_EQ(async_peer.recv_msg(buf).hdr.type, AMPVP_MSG_IRQ);
}

TEST_F(BridgeKick, ASleepingCoreIsNotSignalled)
{
    thread(getpid(), static_cast<uint32_t>(syscall(SYS_gettid)));
    ampvp_power_msg p{AMPVP_PWR_SLEEP, 0};
    async_peer.send_msg(AMPVP_MSG_POWER, &p, sizeof(p));
    srv->on_readable(hub_async);
    srv->set_irq(0, 39, true);
    EXPECT_EQ(g_kicks, 0) << "its idle vCPU waits on the channel itself";
}

// Protocol 2.7, KICK_ALL: the core's main loop no longer watches the async
// channel, so the hub must signal whenever the vCPU may not have seen a
// datagram: one sent while the core slept is signalled when the core reports
// running without having applied it (POWER run counts the messages it applied),
// one sent before THREAD when THREAD comes.
struct BridgeKickAll : BridgeKick {
    void SetUp() override
    {
        caps = AMPVP_CAP_POSTED_WRITES | AMPVP_CAP_KICK | AMPVP_CAP_POWER | AMPVP_CAP_KICK_ALL;
        BridgeTest::SetUp();
        struct sigaction sa {};
        sa.sa_handler = count_kick;
        sigemptyset(&sa.sa_mask);
        sigaction(signo, &sa, &old);
        boot();
        thread(getpid(), static_cast<uint32_t>(syscall(SYS_gettid)));
        drain_async();
        g_kicks = 0;
    }
    void power(uint32_t state, uint32_t reason)
    {
        ampvp_power_msg p{state, reason};
        async_peer.send_msg(AMPVP_MSG_POWER, &p, sizeof(p));
        srv->on_readable(hub_async);
    }
    uint32_t applied = 0; // what the core's count would be
    void drain_async()
    {
        while (!async_peer.nothing_pending()) {
            async_peer.recv_msg(buf);
            applied++;
        }
    }
};

TEST_F(BridgeKickAll, ACoreThatWokeBeforeReadingTheIrqIsSignalledWhenItReportsRunning)
{
    power(AMPVP_PWR_SLEEP, 0);
    srv->set_irq(0, 39, true);
    EXPECT_EQ(g_kicks, 0) << "asleep: its vCPU waits on the channel itself";
    power(AMPVP_PWR_RUN, applied); // woke by its own timer, the IRQ not applied
    EXPECT_EQ(g_kicks, 1);
    EXPECT_EQ(async_peer.recv_msg(buf).hdr.type, AMPVP_MSG_IRQ);
}

TEST_F(BridgeKickAll, ACoreThatAppliedEverythingIsNotSignalledWhenItReportsRunning)
{
    power(AMPVP_PWR_SLEEP, 0);
    srv->set_irq(0, 39, true);
    drain_async(); // its vCPU took the IRQ, which woke it
    power(AMPVP_PWR_RUN, applied);
    EXPECT_EQ(g_kicks, 0);
    srv->set_irq(0, 39, false);
    EXPECT_EQ(g_kicks, 1) << "running: every datagram is followed by a signal";
}

TEST_F(BridgeKickAll, WhatWasSentBeforeThreadIsSignalledWithThread)
{
    BridgeTest::TearDown(); // a fresh hub and core, no THREAD yet
    BridgeTest::SetUp();
    boot();
    srv->set_irq(0, 39, true);
    EXPECT_EQ(g_kicks, 0);
    thread(getpid(), static_cast<uint32_t>(syscall(SYS_gettid)));
    EXPECT_EQ(g_kicks, 1);
}

TEST_F(BridgeKick, AThreadOfAnotherProcessIsRefused)
{
    thread(1, 1); // init: not the socket's peer
    EXPECT_EQ(async_peer.recv_msg(buf).hdr.type, AMPVP_MSG_ERROR);
    EXPECT_TRUE(cap.has("not a thread of the peer"));
    srv->set_irq(0, 39, true);
    EXPECT_EQ(g_kicks, 0);
}

TEST_F(BridgeTest, ThreadWithoutTheKickCapabilityIsRefused)
{
    boot(); // caps without KICK
    struct sigaction sa {}, old {};
    sa.sa_handler = count_kick;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGRTMIN + 3, &sa, &old);
    g_kicks = 0;
    ampvp_thread t{static_cast<uint32_t>(getpid()), static_cast<uint32_t>(syscall(SYS_gettid)),
                   static_cast<uint32_t>(SIGRTMIN + 3), 0};
    async_peer.send_msg(AMPVP_MSG_THREAD, &t, sizeof(t));
    srv->on_readable(hub_async);
    EXPECT_EQ(async_peer.recv_msg(buf).hdr.type, AMPVP_MSG_ERROR);
    srv->set_irq(0, 39, true);
    EXPECT_EQ(g_kicks, 0);
    sigaction(SIGRTMIN + 3, &old, nullptr);
}

// Protocol 2.4, SYSRESETREQ: the core's AIRCR.SYSRESETREQ goes where the machine
// routes it: on the H745, the RCC's reset input SYSRESETREQ1 for the CM7, so
// RCC_C1_RSR shows SFT1RSTF (RM0399 "Reset source identification").
TEST_F(BridgeTest, SysresetreqReachesTheRccAsTheMachineRoutesIt)
{
    caps = AMPVP_CAP_POSTED_WRITES | AMPVP_CAP_SYSRESETREQ;
    boot();
    async_peer.send_msg(AMPVP_MSG_SYSRESETREQ, nullptr, 0);
    srv->on_readable(hub_async);
    BusAccess a;
    a.core = 0;
    a.core_name = "cm7";
    a.addr = 0x58024400 + 0x130; // RCC_C1_RSR
    a.size = 4;
    EXPECT_TRUE(bus->read(a) & (1u << 24)) << "SFT1RSTF";
    EXPECT_TRUE(async_peer.nothing_pending());
}

// Protocol 2.4, SYNC: answered once the accesses before it on the bus channel
// are done, and what they sent the core is already on its async channel: here
// two posted writes make EXTI line 0 interrupt the CM7 (RM0399 EXTI: a 1 written
// to SWIER1 with the line unmasked in C1IMR1 raises it), so the IRQ is there to
// be applied when SYNC_RESP arrives (the core does this at exception return).
TEST_F(BridgeTest, SyncIsAnsweredAfterThePostedWritesAndTheirEffects)
{
    caps = AMPVP_CAP_POSTED_WRITES | AMPVP_CAP_SYNC;
    boot();
    ampvp_write imr{0x58000080, 0x1, 4, 0}, swier{0x58000008, 0x1, 4, 0};
    bus_peer.send_msg(AMPVP_MSG_WRITE, &imr, sizeof(imr), AMPVP_F_POSTED);
    bus_peer.send_msg(AMPVP_MSG_WRITE, &swier, sizeof(swier), AMPVP_F_POSTED);
    bus_peer.send_msg(AMPVP_MSG_SYNC, nullptr, 0);
    srv->on_readable(hub_bus);
    EXPECT_EQ(bus_peer.recv_msg(buf).hdr.type, AMPVP_MSG_SYNC_RESP);
    auto irq = async_peer.recv_msg(buf);
    ASSERT_EQ(irq.hdr.type, AMPVP_MSG_IRQ);
    EXPECT_EQ(irq.u.irq.line, 6u) << "EXTI0";
    EXPECT_EQ(irq.u.irq.level, 1u);
}

TEST_F(BridgeTest, SyncWithoutTheCapabilityIsRefused)
{
    boot();
    bus_peer.send_msg(AMPVP_MSG_SYNC, nullptr, 0);
    srv->on_readable(hub_bus);
    EXPECT_EQ(bus_peer.recv_msg(buf).hdr.type, AMPVP_MSG_ERROR);
}

// Protocol 2.5, BATCH: what one access makes for a core leaves as one datagram.
// RM0399 EXTI: a 1 written to SWIER1 raises line 0's interrupt where C1IMR1
// unmasks it and its event where C1EMR1 does, so this write makes the CM7 both
// an EVENT (RXEV) and an IRQ (EXTI0, NVIC 6): one wake-up of the core for both.
struct BridgeBatch : BridgeTest {
    void swier_with_imr_and_emr()
    {
        boot();
        ampvp_write imr{0x58000080, 0x1, 4, 0}, emr{0x58000084, 0x1, 4, 0}, swier{0x58000008, 0x1, 4, 0};
        for (auto *w : {&imr, &emr, &swier}) {
            bus_peer.send_msg(AMPVP_MSG_WRITE, w, sizeof(*w), AMPVP_F_POSTED);
            srv->on_readable(hub_bus);
        }
    }
    std::vector<size_t> datagram_sizes()
    {
        std::vector<size_t> sizes;
        buf.resize(AMPVP_MSG_MAX);
        ssize_t n;
        while ((n = recv(async_peer.fd, buf.data(), buf.size(), MSG_DONTWAIT)) > 0) {
            sizes.push_back(static_cast<size_t>(n));
        }
        return sizes;
    }
};

TEST_F(BridgeBatch, TheEventAndTheIrqOfOneWriteShareADatagram)
{
    caps = AMPVP_CAP_POSTED_WRITES | AMPVP_CAP_EVENTS | AMPVP_CAP_BATCH;
    swier_with_imr_and_emr();
    buf.resize(AMPVP_MSG_MAX);
    ssize_t n = recv(async_peer.fd, buf.data(), buf.size(), MSG_DONTWAIT);
    ASSERT_GT(n, 0);
    std::vector<uint16_t> types;
    std::vector<uint32_t> lines;
    for (size_t off = 0, len; off < static_cast<size_t>(n); off += len) {
        len = ampvp_first_len(buf.data() + off, n - off);
        ASSERT_GT(len, 0u);
        ampvp_msg m;
        ASSERT_EQ(ampvp_decode(buf.data() + off, len, &m, nullptr, 0), AMPVP_OK);
        types.push_back(m.hdr.type);
        if (m.hdr.type == AMPVP_MSG_IRQ) {
            lines.push_back(m.u.irq.line);
        }
    }
    EXPECT_EQ(types.size(), 2u);
    EXPECT_NE(std::find(types.begin(), types.end(), AMPVP_MSG_EVENT), types.end());
    EXPECT_EQ(lines, std::vector<uint32_t>{6u}) << "EXTI0";
    EXPECT_TRUE(async_peer.nothing_pending()) << "one datagram";
}

TEST_F(BridgeBatch, WithoutTheCapabilityEachMessageIsADatagram)
{
    caps = AMPVP_CAP_POSTED_WRITES | AMPVP_CAP_EVENTS;
    swier_with_imr_and_emr();
    const size_t one = sizeof(ampvp_hdr);
    EXPECT_EQ(datagram_sizes(), (std::vector<size_t>{one, one + sizeof(ampvp_irq)}));
}

// Protocol 2.6, GRANT (docs/determinism.md): a core running alone may pass
// quantum ends without reporting; the answers to its accesses say when the hub
// needs it at the next one (F_CUT).
struct BridgeGrant : BridgeTest {
    void SetUp() override
    {
        BridgeTest::SetUp();
        caps = AMPVP_CAP_POSTED_WRITES | AMPVP_CAP_SYNC | AMPVP_CAP_GRANT;
        boot();
    }
    uint16_t read_flags(uint64_t addr)
    {
        ampvp_read rd{addr, 4, 0};
        bus_peer.send_msg(AMPVP_MSG_READ, &rd, sizeof(rd));
        srv->on_readable(hub_bus);
        const auto r = bus_peer.recv_msg(buf);
        EXPECT_EQ(r.hdr.type, AMPVP_MSG_READ_RESP);
        return r.hdr.flags;
    }
};

TEST_F(BridgeGrant, AGrantNamesTheQuantumEndAndTheLastOne)
{
    EXPECT_TRUE(srv->go(0, 0, 100000, 900000));
    const auto g = bus_peer.recv_msg(buf);
    ASSERT_EQ(g.hdr.type, AMPVP_MSG_GRANT);
    EXPECT_EQ(g.u.grant.until, 100000u);
    EXPECT_EQ(g.u.grant.last, 900000u);
}

TEST_F(BridgeGrant, OneQuantumIsAPlainGo)
{
    EXPECT_FALSE(srv->go(0, 0, 100000, 100000));
    EXPECT_EQ(bus_peer.recv_msg(buf).hdr.type, AMPVP_MSG_GO);
}

TEST_F(BridgeGrant, WithoutTheCapabilityACoreGetsGo)
{
    TearDown();
    BridgeTest::SetUp();
    caps = AMPVP_CAP_POSTED_WRITES;
    boot();
    EXPECT_FALSE(srv->go(0, 0, 100000, 900000));
    EXPECT_EQ(bus_peer.recv_msg(buf).hdr.type, AMPVP_MSG_GO);
}

TEST_F(BridgeGrant, AccessesThatSendNothingLeaveTheGrantUncut)
{
    srv->go(0, 0, 100000, 900000);
    bus_peer.recv_msg(buf);
    EXPECT_EQ(read_flags(0x4000481C), 0) << "USART3_ISR";
    EXPECT_TRUE(async_peer.nothing_pending());
}

// RM0399 EXTI: a 1 written to SWIER1 raises line 0's interrupt where C1IMR1
// unmasks it: the IRQ goes to the core's async channel, which it reads at
// quantum ends, so the grant is cut: the answer to the next access and the
// SYNC after the posted writes carry F_CUT, until the grant ends.
TEST_F(BridgeGrant, AMessageForACoreCutsTheGrant)
{
    srv->go(0, 0, 100000, 900000);
    bus_peer.recv_msg(buf);
    ampvp_write imr{0x58000080, 0x1, 4, 0}, swier{0x58000008, 0x1, 4, 0};
    bus_peer.send_msg(AMPVP_MSG_WRITE, &imr, sizeof(imr), AMPVP_F_POSTED);
    bus_peer.send_msg(AMPVP_MSG_WRITE, &swier, sizeof(swier), AMPVP_F_POSTED);
    bus_peer.send_msg(AMPVP_MSG_SYNC, nullptr, 0);
    srv->on_readable(hub_bus);
    const auto s = bus_peer.recv_msg(buf);
    ASSERT_EQ(s.hdr.type, AMPVP_MSG_SYNC_RESP);
    EXPECT_EQ(s.hdr.flags, AMPVP_F_CUT);
    EXPECT_EQ(async_peer.recv_msg(buf).hdr.type, AMPVP_MSG_IRQ);
    EXPECT_EQ(read_flags(0x4000481C), AMPVP_F_CUT) << "still cut";
    srv->end_grant();
    EXPECT_EQ(read_flags(0x4000481C), 0) << "no grant, no cut";
}

TEST_F(BridgeGrant, TheRunnerCutsAGrantForAModelTimer)
{
    srv->go(0, 0, 100000, 900000);
    bus_peer.recv_msg(buf);
    srv->cut_grant();
    EXPECT_EQ(read_flags(0x4000481C), AMPVP_F_CUT);
    srv->go(0, 0, 200000, 900000);
    bus_peer.recv_msg(buf);
    EXPECT_EQ(read_flags(0x4000481C), 0) << "a new grant starts uncut";
}

// A core that ends its turn idle says until when (IDLE); the runner may leave
// it out of the rounds until then, or until the hub sends it anything.
TEST_F(BridgeGrant, AnIdleCoreSaysItsNextDeadlineAndAMessageForItIsNoted)
{
    srv->go(0, 0, 100000, 100000);
    bus_peer.recv_msg(buf);
    ampvp_idle idle{100000, 1000000};
    bus_peer.send_msg(AMPVP_MSG_IDLE, &idle, sizeof(idle));
    srv->on_readable(hub_bus);
    EXPECT_TRUE(srv->quantum_done(0));
    EXPECT_EQ(srv->idle_next(0), 1000000u);
    EXPECT_FALSE(srv->sent_since_go(0));
    srv->set_irq(0, 6, true);
    EXPECT_TRUE(srv->sent_since_go(0));
    // Its next turn starts where its idle time ends: a GRANT names it.
    srv->clear_quantum(0);
    EXPECT_FALSE(srv->go(0, 500000, 600000, 600000)) << "one quantum, no grant";
    const auto g = bus_peer.recv_msg(buf);
    ASSERT_EQ(g.hdr.type, AMPVP_MSG_GRANT);
    EXPECT_EQ(g.u.grant.from, 500000u);
    EXPECT_EQ(srv->idle_next(0), 0u);
    EXPECT_FALSE(srv->sent_since_go(0));
}
