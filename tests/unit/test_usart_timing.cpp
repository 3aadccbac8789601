// STM32H7 USART/LPUART baud-rate timing, one RM0399 rule per test (RM0399
// Rev 4, USART chapter: "USART transmitter", "USART character description",
// "USART baud rate generation", "USART FIFOs and thresholds"; LPUART chapter:
// "LPUART baud rate generation").  What the bus shows: ISR flags read at the
// virtual times of a fake scheduler, the interrupt line, bytes at the host.
#include "dma_test_env.h"
#include "log.h"
#include "models/stm32_usart.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

using namespace ampvp;

namespace {

// The hub's clock and one-shot timers (the DMA tests' fake), with the kernel
// clock every UART of the test runs from, whatever its name.
struct FakeTime : dmatest::FakeTime {
    FakeTime()
    {
        now = 1000000;
        rate = 11520000; // 115200 x 100: BRR = 100 gives exactly 115200 baud
    }
    ClockId clock_id(const std::string &) const override { return 0; }
    void run_to(uint64_t t) { advance(t - now); }
    void run_for(uint64_t ns) { advance(ns); }
    bool has_deadline_at(uint64_t t) const
    {
        for (const auto &d : due) {
            if (d.second == t) {
                return true;
            }
        }
        return false;
    }
};

// The host's side of TX: each byte with the time it arrived.
struct Host : CharSink {
    const FakeTime *time = nullptr;
    std::string out;
    std::vector<uint64_t> at;
    void put_char(const std::string &, const BusAccess &, uint8_t ch) override
    {
        out += static_cast<char>(ch);
        at.push_back(time->now);
    }
};

struct Line : IrqSink {
    int level = -1;
    void set_irq(CoreId, unsigned, bool l) override { level = l; }
    void send_event(CoreId) override {}
};

enum : uint32_t {
    CR1 = 0x00, CR2 = 0x04, CR3 = 0x08, BRR = 0x0C, RQR = 0x18, ISR = 0x1C, ICR = 0x20,
    RDR = 0x24, TDR = 0x28,
};
// RM0399 bit positions (FIFO-mode names in comments).
enum : uint32_t {
    CR1_UE = 1u << 0, CR1_RE = 1u << 2, CR1_TE = 1u << 3, CR1_TCIE = 1u << 6,
    CR1_TXEIE = 1u << 7 /* TXFNFIE */, CR1_PCE = 1u << 10, CR1_M0 = 1u << 12,
    CR1_M1 = 1u << 28, CR1_FIFOEN = 1u << 29,
    CR2_STOP_Pos = 12,
    CR3_TXFTCFG_Pos = 29,
    ISR_RXNE = 1u << 5, ISR_TC = 1u << 6, ISR_TXE = 1u << 7 /* TXFNF */,
    ISR_TXFE = 1u << 23, ISR_TXFT = 1u << 27,
    RQR_TXFRQ = 1u << 4, ICR_TCCF = 1u << 6,
};

// 115200 baud, 8N1: 10 bits of 1/115200 s.
constexpr uint64_t kFrame8N1 = 86806; // ns, 86805.6 rounded

class UsartTiming : public ::testing::Test {
protected:
    FakeTime time;
    Host host;
    Line irq;
    Stm32Usart u{"USART3"};
    Stm32Lpuart lpuart{"LPUART1"};
    Stm32Usart *dev = &u; // what rd/wr and enable() access
    void SetUp() override
    {
        log().clear_once();
        log().set_sink([](const std::string &, bool) {});
        host.time = &time;
        attach(u, "usart234578");
        attach(lpuart, "lpuart1");
        u.irq("irq")->connect(&irq, 0, 39);
    }
    void attach(Stm32Usart &m, const char *clock)
    {
        DeviceContext ctx;
        ctx.chars = &host;
        ctx.scheduler = &time;
        ctx.clock_source = &time;
        m.set_context(ctx);
        m.configure({{"clock", clock}}, {"cm7", "cm4"});
    }
    void TearDown() override { log().reset_sink(); }
    uint32_t rd(uint32_t off)
    {
        BusAccess a;
        a.core_name = "cm7";
        a.offset = off;
        a.time_ns = time.now;
        return dev->read(a);
    }
    void wr(uint32_t off, uint32_t v, CoreId core = 0)
    {
        BusAccess a;
        a.core = core;
        a.core_name = core == 0 ? "cm7" : "cm4";
        a.offset = off;
        a.time_ns = time.now;
        dev->write(a, v);
    }
    bool isr(uint32_t flag) { return (rd(ISR) & flag) != 0; }
    // HAL_UART_Init's order: BRR, then CR1 with UE last.
    void enable(uint32_t cr1 = 0, uint32_t brr = 100)
    {
        wr(BRR, brr);
        wr(CR1, cr1);
        wr(CR1, cr1 | CR1_UE | CR1_TE | CR1_RE);
    }
    // Poll ISR every `step` ns until `flag` is set (as HAL's
    // UART_WaitOnFlagUntilTimeout does); false after `limit` ns.
    bool wait_for(uint32_t flag, uint64_t step = 100, uint64_t limit = 10000000)
    {
        const uint64_t end = time.now + limit;
        while (!isr(flag)) {
            if (time.now >= end) {
                return false;
            }
            time.run_for(step);
        }
        return true;
    }
};

} // namespace

// RM0399 "USART transmitter": "TC: Transmission complete ... set by hardware
// if the transmission of a frame containing data is complete and if TXE is
// set"; a write to TDR clears it.  At 115200 8N1 a frame is 10 / 115200 s.
TEST_F(UsartTiming, TcStaysClearUntilTheFrameHasShiftedOut)
{
    enable();
    const uint64_t t0 = time.now;
    wr(TDR, 'A');
    EXPECT_FALSE(isr(ISR_TC));
    time.run_to(t0 + kFrame8N1 - 1);
    EXPECT_FALSE(isr(ISR_TC));
    time.run_to(t0 + kFrame8N1);
    EXPECT_TRUE(isr(ISR_TC));
}

// RM0399 TXE: "set by hardware when the content of the USART_TDR register
// has been transferred into the shift register": with the shift register
// free, at once.
TEST_F(UsartTiming, TxeIsSetAgainWhenTheShiftRegisterTakesTheData)
{
    enable();
    wr(TDR, 'A');
    EXPECT_TRUE(isr(ISR_TXE)); // 'A' is shifting out, TDR is free
    wr(TDR, 'B');
    EXPECT_FALSE(isr(ISR_TXE)); // 'B' waits in TDR behind 'A'
    time.run_for(kFrame8N1);
    EXPECT_TRUE(isr(ISR_TXE)); // 'A' has left, 'B' moved into the shift register
    EXPECT_FALSE(isr(ISR_TC));
}

// The host receives a byte when its frame's stop bits end (the model's
// choice), one frame time apart for data written back to back.
TEST_F(UsartTiming, HostGetsEachByteAtTheEndOfItsFrame)
{
    enable();
    const uint64_t t0 = time.now;
    wr(TDR, 'h');
    wr(TDR, 'i');
    time.run_for(kFrame8N1 - 1);
    EXPECT_EQ(host.out, "");
    time.run_for(3 * kFrame8N1); // timers only: nobody reads ISR
    ASSERT_EQ(host.out, "hi");
    EXPECT_EQ(host.at[0], t0 + kFrame8N1);
    EXPECT_EQ(host.at[1], t0 + 2 * kFrame8N1);
}

// HAL_UART_Transmit: poll TXE before each TDR write, then TC.  Ten bytes
// leave in ten frame times (the shift register and TDR are double-buffered:
// no gap between frames).
TEST_F(UsartTiming, TenBytesWithTxePollingTakeTenFrameTimes)
{
    enable();
    const uint64_t t0 = time.now;
    for (char c : std::string("0123456789")) {
        ASSERT_TRUE(wait_for(ISR_TXE));
        wr(TDR, static_cast<uint8_t>(c));
    }
    ASSERT_TRUE(wait_for(ISR_TC, 10));
    EXPECT_EQ(host.out, "0123456789");
    EXPECT_GE(time.now - t0, 10 * kFrame8N1);
    EXPECT_LT(time.now - t0, 10 * kFrame8N1 + 10);
    EXPECT_EQ(host.at.back(), t0 + 10 * kFrame8N1);
}

// RM0399 "USART character description": a frame is a start bit, the M[1:0]
// frame bits (parity included) and the CR2.STOP stop bits.
TEST_F(UsartTiming, FrameLengthFollowsWordLengthParityAndStopBits)
{
    struct Case {
        uint32_t cr1, stop;
        double bits;
    } cases[] = {
        {0, 0, 10},                // 8N1
        {CR1_M0, 2, 12},           // 9 bits, 2 stop bits
        {CR1_M1 | CR1_PCE, 1, 8.5}, // 7 bits (6 data + parity), 0.5 stop bit
        {CR1_PCE, 3, 10.5},        // 8 bits (7 data + parity), 1.5 stop bits
    };
    for (const Case &c : cases) {
        wr(CR1, 0);
        wr(CR2, c.stop << CR2_STOP_Pos);
        enable(c.cr1);
        const uint64_t t0 = time.now;
        wr(TDR, 'x');
        const uint64_t ns = static_cast<uint64_t>(c.bits * 1e9 / 115200 + 0.5);
        time.run_to(t0 + ns - 1);
        EXPECT_FALSE(isr(ISR_TC)) << c.bits << " bits";
        time.run_to(t0 + ns);
        EXPECT_TRUE(isr(ISR_TC)) << c.bits << " bits";
    }
}

// RM0399 "USART baud rate generation": the frame time follows BRR (here
// 57600 baud: BRR = 200).
TEST_F(UsartTiming, HalvingTheBaudRateDoublesTheFrameTime)
{
    enable(0, 200);
    const uint64_t t0 = time.now;
    wr(TDR, 'x');
    time.run_to(t0 + 2 * kFrame8N1 - 2);
    EXPECT_FALSE(isr(ISR_TC));
    time.run_to(t0 + 2 * kFrame8N1);
    EXPECT_TRUE(isr(ISR_TC));
}

// RM0399 "USART interrupt requests": TC with TCIE raises the interrupt; the
// line rises at the frame's end, without any bus access (a timer).
TEST_F(UsartTiming, TcInterruptRisesWhenTheFrameEnds)
{
    enable(CR1_TCIE);
    wr(ICR, ICR_TCCF); // TC is set at reset
    EXPECT_EQ(irq.level, 0);
    const uint64_t t0 = time.now;
    wr(TDR, 'x');
    EXPECT_EQ(irq.level, 0);
    time.run_to(t0 + kFrame8N1 - 1);
    EXPECT_EQ(irq.level, 0);
    time.run_to(t0 + kFrame8N1);
    EXPECT_EQ(irq.level, 1);
}

// RM0399 "USART interrupt requests": TXE with TXEIE: the line drops while
// TDR is full and rises when the shift register takes the data.
TEST_F(UsartTiming, TxeInterruptFollowsRoomInTdr)
{
    enable(CR1_TXEIE);
    EXPECT_EQ(irq.level, 1);
    const uint64_t t0 = time.now;
    wr(TDR, 'a');
    wr(TDR, 'b');
    EXPECT_EQ(irq.level, 0);
    time.run_to(t0 + kFrame8N1);
    EXPECT_EQ(irq.level, 1);
}

// RM0399 "USART FIFOs and thresholds": TXFNF "set when the TXFIFO is not
// full"; the 16-deep TXFIFO sits between TDR writes and the shift register.
TEST_F(UsartTiming, TxFifoHoldsSixteenDataBehindTheShiftRegister)
{
    enable(CR1_FIFOEN);
    for (int i = 0; i < 17; i++) { // one shifting, sixteen waiting
        ASSERT_TRUE(isr(ISR_TXE)) << i;
        wr(TDR, 'a' + i);
    }
    EXPECT_FALSE(isr(ISR_TXE)); // TXFNF = 0: TXFIFO full
    EXPECT_FALSE(isr(ISR_TXFE));
    time.run_for(kFrame8N1);
    EXPECT_TRUE(isr(ISR_TXE)); // one entry free again
}

// RM0399 TXFE: "set by hardware when TXFIFO is empty"; TC only when the last
// frame has also left the shift register.
TEST_F(UsartTiming, TxfeIsSetWhenTheLastDatumEntersTheShiftRegisterAndTcAfterItsFrame)
{
    enable(CR1_FIFOEN);
    const uint64_t t0 = time.now;
    for (char c : std::string("abc")) {
        wr(TDR, static_cast<uint8_t>(c));
    }
    EXPECT_FALSE(isr(ISR_TXFE)); // 'b', 'c' wait in the TXFIFO
    time.run_to(t0 + 2 * kFrame8N1 - 1);
    EXPECT_FALSE(isr(ISR_TXFE));
    time.run_to(t0 + 2 * kFrame8N1); // 'c' enters the shift register
    EXPECT_TRUE(isr(ISR_TXFE));
    EXPECT_FALSE(isr(ISR_TC));
    time.run_to(t0 + 3 * kFrame8N1);
    EXPECT_TRUE(isr(ISR_TC));
    EXPECT_EQ(host.out, "abc");
}

// RM0399 TXFT: "set by hardware when the TXFIFO reaches the threshold
// programmed in TXFTCFG ... i.e. the TXFIFO contains TXFTCFG empty
// locations" (010: half of 16 = 8).
TEST_F(UsartTiming, TxftIsSetWhenTheTxFifoHasTxftcfgEmptyEntries)
{
    wr(CR3, 2u << CR3_TXFTCFG_Pos);
    enable(CR1_FIFOEN);
    const uint64_t t0 = time.now;
    for (int i = 0; i < 13; i++) { // 1 shifting, 12 in the TXFIFO: 4 free
        wr(TDR, 'a' + i);
    }
    EXPECT_FALSE(isr(ISR_TXFT));
    time.run_to(t0 + 4 * kFrame8N1 - 1); // 3 frames done: 9 in the TXFIFO
    EXPECT_FALSE(isr(ISR_TXFT));
    time.run_to(t0 + 4 * kFrame8N1); // 4 frames done: 8 in the TXFIFO, 8 free
    EXPECT_TRUE(isr(ISR_TXFT));
}

// RM0399 RQR.TXFRQ: "Writing 1 to this bit sets the TXFE flag. This allows to
// discard the transmit data."  The frame already shifting completes.
TEST_F(UsartTiming, TxfrqDiscardsTheTxFifoButNotTheFrameOnTheLine)
{
    enable(CR1_FIFOEN);
    for (char c : std::string("abcd")) {
        wr(TDR, static_cast<uint8_t>(c));
    }
    wr(RQR, RQR_TXFRQ);
    EXPECT_TRUE(isr(ISR_TXFE));
    time.run_for(5 * kFrame8N1);
    EXPECT_EQ(host.out, "a");
    EXPECT_TRUE(isr(ISR_TC));
}

// RM0399 UE: "When this bit is cleared, the USART prescalers and outputs are
// stopped immediately, and all current operations are discarded."
TEST_F(UsartTiming, ClearingUeDiscardsTheFrameOnTheLine)
{
    enable();
    wr(TDR, 'a');
    wr(TDR, 'b');
    wr(CR1, 0);
    EXPECT_TRUE(isr(ISR_TXE));
    EXPECT_TRUE(isr(ISR_TC)); // ISR back to its reset value
    time.run_for(5 * kFrame8N1);
    EXPECT_EQ(host.out, "");
}

// A TDR write with TXE = 0 replaces the character waiting in TDR (a guest
// error: the firmware did not wait for TXE).
TEST_F(UsartTiming, WritingTdrWithTxeClearOverwritesTheWaitingCharacter)
{
    enable();
    wr(TDR, 'a');
    wr(TDR, 'b');
    wr(TDR, 'c'); // 'b' still waits in TDR
    time.run_for(3 * kFrame8N1);
    EXPECT_EQ(host.out, "ac");
}

// Two cores printing on one USART (ampvp's console keeps their output apart):
// both saw TXE = 1 and wrote; the second character waits behind the first
// instead of replacing it, and the line carries them one frame after the
// other.
TEST_F(UsartTiming, CharactersOfTwoCoresShareTheLineWithoutLoss)
{
    enable();
    const uint64_t t0 = time.now;
    wr(TDR, 'a', 0);
    wr(TDR, 'b', 0); // TDR full: TXE = 0 for both cores now
    wr(TDR, 'x', 1); // the CM4 saw TXE = 1 just before
    EXPECT_FALSE(isr(ISR_TXE));
    time.run_to(t0 + 2 * kFrame8N1 - 1);
    EXPECT_FALSE(isr(ISR_TXE)); // 'b' shifts out, 'x' waits in TDR
    time.run_to(t0 + 2 * kFrame8N1);
    EXPECT_TRUE(isr(ISR_TXE)); // 'x' in the shift register
    time.run_to(t0 + 3 * kFrame8N1);
    EXPECT_TRUE(isr(ISR_TC));
    EXPECT_EQ(host.out, "abx");
}

// No baud rate (BRR below 16: RM0399 forbids it), no timing: the frame
// leaves at once, as before the model timed anything.
TEST_F(UsartTiming, UnknownBaudRateTransmitsAtOnce)
{
    enable(0, 0);
    wr(TDR, 'a');
    EXPECT_TRUE(isr(ISR_TC));
    EXPECT_EQ(host.out, "a");
}

// Receive: a host byte is a frame on the RX line; the next one cannot start
// before it has ended, so host bytes arrive one frame time apart
// (accepts_input), and a timer at that moment wakes the hub to offer it.
TEST_F(UsartTiming, HostBytesAreOneFrameTimeApart)
{
    enable(CR1_FIFOEN); // the RXFIFO has room for both
    ASSERT_TRUE(u.accepts_input());
    const uint64_t t0 = time.now;
    u.host_input('a');
    EXPECT_TRUE(isr(ISR_RXNE));
    EXPECT_FALSE(u.accepts_input());
    EXPECT_TRUE(time.has_deadline_at(t0 + kFrame8N1));
    time.run_to(t0 + kFrame8N1 - 1);
    EXPECT_FALSE(u.accepts_input());
    time.run_to(t0 + kFrame8N1);
    EXPECT_TRUE(u.accepts_input());
    u.host_input('b');
    EXPECT_EQ(rd(RDR), 'a');
    EXPECT_EQ(rd(RDR), 'b');
}

// The RX line being free is not room: without the FIFO a byte waits for RDR
// to be read even after its line time (no overrun by the hub).
TEST_F(UsartTiming, HostByteWaitsForBothTheLineAndRdr)
{
    enable();
    u.host_input('a');
    time.run_for(kFrame8N1);
    EXPECT_FALSE(u.accepts_input()); // RDR still holds 'a'
    EXPECT_EQ(rd(RDR), 'a');
    EXPECT_TRUE(u.accepts_input());
}

// RM0399 "LPUART baud rate generation": baud = 256 x fck / LPUART_BRR
// (here 256 x 11.52 MHz / 25600 = 115200).
TEST_F(UsartTiming, LpuartFrameTimeFollowsTheLpuartBaudRateFormula)
{
    dev = &lpuart;
    enable(0, 25600);
    const uint64_t t0 = time.now;
    wr(TDR, 'x');
    time.run_to(t0 + kFrame8N1 - 1);
    EXPECT_FALSE(isr(ISR_TC));
    time.run_to(t0 + kFrame8N1);
    EXPECT_TRUE(isr(ISR_TC));
    EXPECT_EQ(host.out, "x");
}

// ---- the RX line after the host's frames: IDLE, BUSY, receiver timeout, CMF ----

namespace {
enum : uint32_t {
    RTOR = 0x14,
    CR1_IDLEIE = 1u << 4, CR1_CMIE = 1u << 14, CR1_RTOIE = 1u << 26,
    CR2_RTOEN = 1u << 23, CR2_ADD_Pos = 24,
    ISR_IDLE = 1u << 4, ISR_RTOF = 1u << 11, ISR_BUSY = 1u << 16, ISR_CMF = 1u << 17,
    ICR_IDLECF = 1u << 4, ICR_RTOCF = 1u << 11, ICR_CMCF = 1u << 17,
};
constexpr double kBit115200 = 1e9 / 115200; // ns
} // namespace

// RM0399 "USART character description": "An Idle character is interpreted as
// an entire frame of 1s"; ISR IDLE: "set by hardware when an Idle line is
// detected". The host's frame ends one frame time after it starts; the idle
// frame after it ends one frame time later.
TEST_F(UsartTiming, IdleIsSetOneIdleFrameAfterTheLastFrame)
{
    enable();
    const uint64_t t0 = time.now;
    u.host_input('a');
    time.run_to(t0 + 2 * kFrame8N1 - 1);
    EXPECT_FALSE(isr(ISR_IDLE));
    time.run_to(t0 + 2 * kFrame8N1);
    EXPECT_TRUE(isr(ISR_IDLE));
}

// Frames back to back leave the line no idle frame: IDLE only after the last
// (what HAL_UARTEx_ReceiveToIdle relies on to end a message).
TEST_F(UsartTiming, BackToBackFramesSetIdleOnlyAfterTheLast)
{
    enable(CR1_FIFOEN);
    const uint64_t t0 = time.now;
    u.host_input('a');
    time.run_to(t0 + kFrame8N1);
    ASSERT_TRUE(u.accepts_input());
    u.host_input('b');
    time.run_to(t0 + 3 * kFrame8N1 - 1);
    EXPECT_FALSE(isr(ISR_IDLE));
    time.run_to(t0 + 3 * kFrame8N1);
    EXPECT_TRUE(isr(ISR_IDLE));
}

// RM0399 IDLE: "cleared by software, writing 1 to the IDLECF ... The IDLE bit
// is not set again until the RXNE bit has been set (i.e. a new idle line
// occurs)"; with IDLEIE=1 it interrupts.
TEST_F(UsartTiming, IdleInterruptsOnceUntilTheNextDatum)
{
    enable(CR1_IDLEIE);
    u.host_input('a');
    time.run_for(2 * kFrame8N1);
    EXPECT_TRUE(isr(ISR_IDLE));
    EXPECT_EQ(irq.level, 1);
    wr(ICR, ICR_IDLECF);
    EXPECT_FALSE(isr(ISR_IDLE));
    EXPECT_EQ(irq.level, 0);
    time.run_for(10 * kFrame8N1);
    EXPECT_FALSE(isr(ISR_IDLE)) << "the line stays idle, but no datum came since";
    EXPECT_EQ(rd(RDR), 'a');
    u.host_input('b');
    time.run_for(2 * kFrame8N1);
    EXPECT_TRUE(isr(ISR_IDLE));
}

// RM0399 BUSY: "active when a communication is ongoing on the RX line
// (successful start bit detected). It is reset at the end of the reception".
TEST_F(UsartTiming, BusyWhileTheHostFrameIsOnTheLine)
{
    enable();
    EXPECT_FALSE(isr(ISR_BUSY));
    const uint64_t t0 = time.now;
    u.host_input('a');
    EXPECT_TRUE(isr(ISR_BUSY));
    time.run_to(t0 + kFrame8N1 - 1);
    EXPECT_TRUE(isr(ISR_BUSY));
    time.run_to(t0 + kFrame8N1);
    EXPECT_FALSE(isr(ISR_BUSY));
}

// RM0399 "Receiver timeout": enabled by CR2.RTOEN, "The receiver timeout
// counter starts counting from the end of the stop bit of the last received
// character. When the timeout duration has elapsed, the RTOF flag in the
// USART_ISR register is set. A timeout is generated if RTOIE bit in USART_CR1
// is set"; RTOR.RTO is "in terms of number of bit duration". HAL's
// HAL_UART_ReceiverTimeout_Config / HAL_UART_EnableReceiverTimeout order.
TEST_F(UsartTiming, ReceiverTimeoutCountsRtoBitTimesAfterTheLastFrame)
{
    wr(RTOR, 20);
    wr(CR2, CR2_RTOEN);
    enable(CR1_RTOIE);
    const uint64_t t0 = time.now;
    u.host_input('a');
    const uint64_t due = t0 + kFrame8N1 + static_cast<uint64_t>(std::llround(20 * kBit115200));
    time.run_to(due - 1);
    EXPECT_FALSE(isr(ISR_RTOF));
    time.run_to(due);
    EXPECT_TRUE(isr(ISR_RTOF));
    EXPECT_EQ(irq.level, 1);
    wr(ICR, ICR_RTOCF);
    EXPECT_FALSE(isr(ISR_RTOF));
}

// Without RTOEN the counter does not run; a new frame before the timeout
// restarts it from that frame's end.
TEST_F(UsartTiming, ReceiverTimeoutNeedsRtoenAndRestartsWithEachFrame)
{
    wr(RTOR, 20);
    enable(CR1_FIFOEN);
    u.host_input('a');
    time.run_for(kFrame8N1 * 5);
    EXPECT_FALSE(isr(ISR_RTOF)) << "RTOEN = 0";
    wr(CR1, 0); // RTOEN is written with the USART disabled, as HAL does
    wr(CR2, CR2_RTOEN);
    enable(CR1_FIFOEN);
    const uint64_t t0 = time.now;
    u.host_input('a');
    time.run_to(t0 + kFrame8N1 + 10 * static_cast<uint64_t>(kBit115200));
    u.host_input('b');
    const uint64_t t1 = time.now;
    time.run_to(t0 + kFrame8N1 + static_cast<uint64_t>(std::llround(20 * kBit115200)));
    EXPECT_FALSE(isr(ISR_RTOF)) << "'b' restarted the counter";
    time.run_to(t1 + kFrame8N1 + static_cast<uint64_t>(std::llround(20 * kBit115200)));
    EXPECT_TRUE(isr(ISR_RTOF));
}

// RM0399 CMF: "set by hardware, when the character defined by ADD[7:0] is
// received"; ADD: "the whole received character (8-bit) is compared to the
// ADD[7:0] value and CMF flag is set on match"; CMIE enables its interrupt,
// CMCF clears it. (The LPUART has the same bits.)
TEST_F(UsartTiming, CharacterMatchFlagsTheAddCharacter)
{
    for (Stm32Usart *d : {static_cast<Stm32Usart *>(&u), static_cast<Stm32Usart *>(&lpuart)}) {
        dev = d;
        wr(CR2, static_cast<uint32_t>('\r') << CR2_ADD_Pos);
        enable(CR1_FIFOEN | CR1_CMIE, d == &u ? 100 : 25600);
        d->host_input('a');
        EXPECT_FALSE(isr(ISR_CMF));
        time.run_for(kFrame8N1);
        d->host_input('\r');
        EXPECT_TRUE(isr(ISR_CMF));
        if (d == &u) {
            EXPECT_EQ(irq.level, 1);
        }
        wr(ICR, ICR_CMCF);
        EXPECT_FALSE(isr(ISR_CMF));
    }
}
