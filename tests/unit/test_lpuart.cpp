// STM32H7 LPUART1: the USART model with the LPUART's register table, one
// RM0399 rule per test (RM0399 Rev 4, "Low-power universal asynchronous
// receiver transmitter (LPUART)"; rules paraphrased in the comments).  What
// the LPUART shares with the USART (FIFOs, flags, interrupt table) is tested
// in test_usart.cpp; here is what differs.
#include "bus.h"
#include "dma_test_env.h"
#include "log.h"
#include "machine.h"
#include "models/stm32_usart.h"
#include "models/stm32h7_rcc.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace ampvp;
using testutil::LogCapture;

namespace {

struct Chars : CharSink {
    std::string out;
    void put_char(const std::string &, const BusAccess &, uint8_t ch) override { out += static_cast<char>(ch); }
};

struct Level : IrqSink {
    bool level = false;
    void set_irq(CoreId, unsigned, bool l) override { level = l; }
    void send_event(CoreId) override {}
};

struct OneClock : ClockSource {
    uint64_t rate = 0;
    ClockId clock_id(const std::string &n) const override { return n == "lpuart1" ? 0 : -1; }
    uint64_t hz(ClockId id) const override { return id == 0 ? rate : 0; }
};

// Offsets and bits as RM0399's LPUART register map gives them.
enum : uint32_t {
    CR1 = 0x00, CR2 = 0x04, CR3 = 0x08, BRR = 0x0C, GTPR = 0x10, RTOR = 0x14, RQR = 0x18,
    ISR = 0x1C, ICR = 0x20, RDR = 0x24, TDR = 0x28, PRESC = 0x2C,
};
enum : uint32_t {
    CR1_UE = 1u << 0, CR1_UESM = 1u << 1, CR1_RE = 1u << 2, CR1_TE = 1u << 3,
    CR1_RXNEIE = 1u << 5, CR1_TXEIE = 1u << 7, CR1_OVER8 = 1u << 15, CR1_RTOIE = 1u << 26,
    CR1_EOBIE = 1u << 27, CR1_FIFOEN = 1u << 29, CR1_TXFEIE = 1u << 30,
    CR2_CLKEN = 1u << 11, CR2_LINEN = 1u << 14, CR2_ABREN = 1u << 20, CR2_RTOEN = 1u << 23,
    CR2_STOP_2 = 2u << 12, CR2_SWAP = 1u << 15,
    CR3_IREN = 1u << 1, CR3_HDSEL = 1u << 3, CR3_NACK = 1u << 4, CR3_SCEN = 1u << 5,
    CR3_ONEBIT = 1u << 11, CR3_OVRDIS = 1u << 12, CR3_SCARCNT = 7u << 17, CR3_TCBGTIE = 1u << 24,
    ISR_RXNE = 1u << 5, ISR_TC = 1u << 6, ISR_TXE = 1u << 7,
};

struct LpuartTest : ::testing::Test {
    Stm32Lpuart u{"LPUART1"};
    Chars chars;
    OneClock clock;
    Level irq, wkup_rx, wkup_tx;
    LogCapture cap;
    void SetUp() override
    {
        DeviceContext ctx;
        ctx.chars = &chars;
        ctx.clock_source = &clock;
        u.set_context(ctx);
        u.configure({{"clock", "lpuart1"}}, {"cm7", "cm4"});
        u.reset();
        u.irq("irq")->connect(&irq, 0, 142);
        u.irq("wkup")->connect(&wkup_rx, 0, 34);
        u.irq("wkup_tx")->connect(&wkup_tx, 0, 35);
    }
    uint32_t rd(uint32_t off) { return testutil::reg_read(u, off); }
    void wr(uint32_t off, uint32_t v) { testutil::reg_write(u, off, v); }
};

// RM0399 LPUART_CR1: bit 15 is reserved (no oversampling by 8) as are bits 26
// and 27 (no receiver timeout, no end of block): they read 0 whatever is written.
TEST_F(LpuartTest, Cr1HasNoOver8RtoieOrEobie)
{
    wr(CR1, CR1_OVER8 | CR1_RTOIE | CR1_EOBIE | CR1_TXEIE);
    EXPECT_EQ(rd(CR1), CR1_TXEIE);
    EXPECT_TRUE(cap.has("guest error: cm7: writes 0x0c008000 to reserved bits of LPUART1"));
    // The USART keeps them.
    Stm32Usart usart{"USART3"};
    testutil::reg_write(usart, CR1, CR1_OVER8 | CR1_RTOIE | CR1_EOBIE);
    EXPECT_EQ(testutil::reg_read(usart, CR1), CR1_OVER8 | CR1_RTOIE | CR1_EOBIE);
}

// RM0399 LPUART_CR2 has no synchronous mode (CLKEN), LIN (LINEN), auto baud
// rate (ABREN) or receiver timeout (RTOEN): reserved.  STOP and SWAP remain.
TEST_F(LpuartTest, Cr2HasNoClockLinAutoBaudOrTimeout)
{
    wr(CR2, CR2_CLKEN | CR2_LINEN | CR2_ABREN | CR2_RTOEN | CR2_STOP_2 | CR2_SWAP);
    EXPECT_EQ(rd(CR2), CR2_STOP_2 | CR2_SWAP);
}

// RM0399 LPUART_CR3 has no IrDA (IREN, IRLP), smartcard (NACK, SCEN,
// SCARCNT), one-bit sampling (ONEBIT) or guard time interrupt (TCBGTIE);
// half-duplex (HDSEL) and OVRDIS remain.
TEST_F(LpuartTest, Cr3HasNoIrdaSmartcardOrOneBit)
{
    wr(CR3, CR3_IREN | CR3_NACK | CR3_SCEN | CR3_ONEBIT | CR3_SCARCNT | CR3_TCBGTIE | CR3_HDSEL |
                CR3_OVRDIS);
    EXPECT_EQ(rd(CR3), CR3_HDSEL | CR3_OVRDIS);
}

// RM0399 LPUART register map: offsets 0x10 and 0x14 (the USART's GTPR and
// RTOR) are reserved; every other register is where the USART has it.
TEST_F(LpuartTest, NoGuardTimeOrReceiverTimeoutRegister)
{
    EXPECT_EQ(u.bank().at(GTPR), nullptr);
    EXPECT_EQ(u.bank().at(RTOR), nullptr);
    for (uint32_t off : {CR1, CR2, CR3, BRR, RQR, ISR, ICR, RDR, TDR, PRESC}) {
        EXPECT_NE(u.bank().at(off), nullptr) << std::hex << off;
    }
    EXPECT_EQ(rd(ISR), ISR_TC | ISR_TXE); // reset value 0x000000C0
}

// RM0399 LPUART_BRR: BRR[19:0], 20 bits (the USART's is 16).
TEST_F(LpuartTest, BrrIsTwentyBitsWide)
{
    wr(BRR, 0xFFFFFFFF);
    EXPECT_EQ(rd(BRR), 0xFFFFFu);
    Stm32Usart usart{"USART3"};
    testutil::reg_write(usart, BRR, 0xFFFFFFFF);
    EXPECT_EQ(testutil::reg_read(usart, BRR), 0xFFFFu);
}

// RM0399 "LPUART baud rate generation": it is forbidden to write a value
// lower than 0x300 in LPUART_BRR.
TEST_F(LpuartTest, BrrBelow0x300IsAGuestError)
{
    wr(BRR, 0x300);
    EXPECT_FALSE(cap.has("below 0x300"));
    wr(BRR, 0x2FF);
    EXPECT_TRUE(cap.has("guest error: cm7: LPUART1: LPUART_BRR = 0x2ff is below 0x300"));
}

// RM0399 "LPUART baud rate generation": baud = 256 * lpuart_ker_ckpres /
// LPUARTDIV (BRR); ST's HAL computes BRR = (256 * fck + baud / 2) / baud, so
// 115200 baud from a 64 MHz kernel clock is BRR 142222.
TEST(LpuartBaud, TwoHundredFiftySixTimesTheKernelClockOverBrr)
{
    EXPECT_DOUBLE_EQ(Stm32Usart::lpuart_baud_rate(64000000, 142222, 0), 256.0 * 64000000 / 142222);
    EXPECT_EQ(std::llround(Stm32Usart::lpuart_baud_rate(64000000, 142222, 0)), 115200);
    // The prescaler divides the kernel clock first (PRESCALER 0010: /4).
    EXPECT_DOUBLE_EQ(Stm32Usart::lpuart_baud_rate(64000000, 0x1000, 2), 256.0 * 16000000 / 0x1000);
}

// RM0399: the kernel clock must lie between 3 and 4096 times the baud rate,
// which is BRR in [0x300, 0xFFFFF]: below 0x300 there is no valid rate.
TEST(LpuartBaud, NoRateBelowBrr0x300OrWithoutClock)
{
    EXPECT_EQ(Stm32Usart::lpuart_baud_rate(64000000, 0x2FF, 0), 0.0);
    EXPECT_GT(Stm32Usart::lpuart_baud_rate(64000000, 0x300, 0), 0.0);
    EXPECT_DOUBLE_EQ(Stm32Usart::lpuart_baud_rate(64000000, 0x300, 0), 64000000.0 / 3);
    EXPECT_EQ(Stm32Usart::lpuart_baud_rate(0, 0x1000, 0), 0.0);
}

// The enable line (-v) gives the LPUART's rate from its kernel clock; there
// is no OVER8 to report.
TEST_F(LpuartTest, EnableLogsTheLpuartBaudRate)
{
    log().set_verbose(true);
    clock.rate = 64000000;
    wr(BRR, 142222);
    wr(CR1, CR1_UE | CR1_TE | CR1_RE);
    log().set_verbose(false);
    EXPECT_TRUE(cap.has("LPUART1: 115200 baud 8N1 (kernel clock 64 MHz, BRR 0x22b8e)"));
}

// The LPUART sends and receives as the USART does: a TDR write reaches the
// host, a host byte lands in RDR with RXNE and the interrupt (RXNEIE).
TEST_F(LpuartTest, TransmitsAndReceivesLikeTheUsart)
{
    wr(BRR, 142222);
    wr(CR1, CR1_UE | CR1_TE | CR1_RE | CR1_RXNEIE);
    wr(TDR, 'L');
    EXPECT_EQ(chars.out, "L");
    EXPECT_TRUE(u.accepts_input());
    u.host_input('x');
    EXPECT_TRUE(rd(ISR) & ISR_RXNE);
    EXPECT_TRUE(irq.level);
    EXPECT_EQ(rd(RDR), uint32_t('x'));
    EXPECT_FALSE(irq.level);
}

// RM0399 EXTI event inputs: "LPUART1 RX wakeup" (34) and "LPUART1 TX
// wakeup" (35) are separate lines: a received datum with RXNEIE (UESM = 1)
// raises the RX one, an empty TXFIFO with TXFEIE the TX one.
TEST_F(LpuartTest, RxAndTxWakeupsAreSeparateLines)
{
    wr(CR1, CR1_FIFOEN);
    wr(CR1, CR1_FIFOEN | CR1_UE | CR1_UESM | CR1_RE | CR1_TE | CR1_RXNEIE);
    EXPECT_FALSE(wkup_rx.level);
    EXPECT_FALSE(wkup_tx.level);
    u.host_input('a');
    EXPECT_TRUE(wkup_rx.level);
    EXPECT_FALSE(wkup_tx.level);
    rd(RDR);
    EXPECT_FALSE(wkup_rx.level);
    wr(CR1, CR1_FIFOEN | CR1_UE | CR1_UESM | CR1_RE | CR1_TE | CR1_TXFEIE); // TXFE is set
    EXPECT_TRUE(wkup_tx.level);
    EXPECT_FALSE(wkup_rx.level);
}

// RM0399 "Peripheral clock gating control" / RCC_D3AMR: with its clocks
// stopped (its CPU in CStop without LPUART1AMEN: the RCC's "ck_off.lpuart1")
// the LPUART's registers cannot be accessed (a guest error; reads 0, writes
// ignored) and its receiver samples nothing: the hub holds host bytes back,
// one given anyway is lost.  With the clock back all works again.
TEST_F(LpuartTest, WithoutItsClocksTheLpuartNeitherAnswersNorReceives)
{
    wr(BRR, 142222);
    wr(CR1, CR1_UE | CR1_TE | CR1_RE);
    u.input(Stm32Usart::CLOCK_OFF, true);
    EXPECT_FALSE(u.accepts_input());
    u.host_input('x');
    EXPECT_EQ(rd(CR1), 0u);
    EXPECT_TRUE(cap.has("while its clocks are stopped"));
    wr(TDR, 'L');
    EXPECT_EQ(chars.out, "") << "the write was not taken";
    u.input(Stm32Usart::CLOCK_OFF, false);
    EXPECT_EQ(rd(CR1), CR1_UE | CR1_TE | CR1_RE);
    EXPECT_FALSE(rd(ISR) & ISR_RXNE) << "the byte sent while stopped was lost";
    EXPECT_TRUE(u.accepts_input());
    u.host_input('y');
    EXPECT_EQ(rd(RDR), uint32_t('y'));
}

// RM0399 RCC_D3CCIPR.LPUART1SEL [2:0] selects LPUART1's kernel clock:
// 000 rcc_pclk4 (reset), 001 pll2_q_ck, 010 pll3_q_ck, 011 hsi_ker_ck,
// 100 csi_ker_ck, 101 lse_ck.
TEST(LpuartClock, D3ccipLpuart1selPicksTheKernelClock)
{
    Stm32h7Rcc rcc{"RCC"};
    rcc.configure({{"d1_core", "cm7"}, {"d2_core", "cm4"}, {"hse_hz", "8000000"}}, {"cm7", "cm4"});
    rcc.reset();
    EXPECT_EQ(rcc.clock_hz("lpuart1"), rcc.clock_hz("pclk4"));
    testutil::reg_write(rcc, 0x020, 4u << 4); // RCC_D3CFGR.D3PPRE = 100: PCLK4 = HCLK / 2
    EXPECT_EQ(rcc.clock_hz("lpuart1"), 32000000u);
    testutil::reg_write(rcc, 0x058, 3u);      // hsi_ker_ck
    EXPECT_EQ(rcc.clock_hz("lpuart1"), 64000000u);
    testutil::reg_write(rcc, 0x058, 4u);      // csi_ker_ck
    EXPECT_EQ(rcc.clock_hz("lpuart1"), 4000000u);
    testutil::reg_write(rcc, 0x058, 5u);      // lse_ck: off until LSEON
    EXPECT_EQ(rcc.clock_hz("lpuart1"), 0u);
    testutil::reg_write(rcc, 0x070, 1u);      // RCC_BDCR.LSEON
    EXPECT_EQ(rcc.clock_hz("lpuart1"), 32768u);
    EXPECT_EQ(rcc.clock_hz("usart234578"), rcc.clock_hz("pclk1")); // the USARTs' own selection
}

// The STM32H745 machine: LPUART1 at 0x58000C00, LPUART1_IRQn 142 on both
// cores (ST's stm32h745xx.h), kernel clock "lpuart1".
TEST(LpuartMachine, H745HasLpuart1AtItsBaseAndIrq142)
{
    MachineDesc m = MachineDesc::load_file(testutil::source_dir() + "/machine/stm32h745.json");
    const PeripheralDesc *p = nullptr;
    for (const auto &x : m.peripherals) {
        if (x.name == "LPUART1") {
            p = &x;
        }
    }
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->base, 0x58000C00u);
    EXPECT_EQ(p->model, "stm32-lpuart");
    EXPECT_EQ(p->params.at("clock"), "lpuart1");
    unsigned cores = 0;
    for (const auto &t : p->irqs.at("irq")) {
        if (t.is_core) {
            cores++;
            EXPECT_EQ(t.n, 142u);
        }
    }
    EXPECT_EQ(cores, 2u);
}

// RM0399 EXTI event input mapping: 64 "LPUART1 global interrupt" is a direct
// input; unmasked in EXTI_C1IMR3 it wakes CPU1 (a core whose clock stopped in
// CStop sees its NVIC line only once woken).
TEST(LpuartMachine, GlobalInterruptReachesExtiLine64AndWakesTheCpu)
{
    struct Wakeups : IrqSink {
        std::vector<std::pair<CoreId, bool>> seen;
        void set_irq(CoreId, unsigned, bool) override {}
        void send_event(CoreId) override {}
        CoreId core = 0; // the one recorded
        void set_wakeup(CoreId c, bool l) override
        {
            if (c == core) {
                seen.emplace_back(c, l);
            }
        }
    } sink;
    MachineDesc m = MachineDesc::load_file(testutil::source_dir() + "/machine/stm32h745.json");
    DeviceContext ctx;
    sink.core = m.core_index("cm7");
    Bus bus(m, ctx, &sink);
    auto w = [&](uint64_t addr, uint32_t v) {
        BusAccess a;
        a.core = m.core_index("cm7");
        a.core_name = "cm7";
        a.addr = addr;
        bus.write(a, v);
    };
    const CoreId cm7 = m.core_index("cm7");
    w(0x580000A0, 0);                         // EXTI_C1IMR3: everything masked
    sink.seen.clear();
    w(0x58000C00, CR1_UE | CR1_TE | CR1_TXEIE); // LPUART1 interrupt (TXE)
    EXPECT_TRUE(sink.seen.empty()) << "line 64 masked for CPU1";
    w(0x580000A0, 1u << (64 - 64));           // EXTI_C1IMR3.MR64
    ASSERT_FALSE(sink.seen.empty());
    EXPECT_EQ(sink.seen.back(), std::make_pair(cm7, true));
    w(0x58000C00, 0);                         // interrupt gone: the wake-up falls
    EXPECT_EQ(sink.seen.back(), std::make_pair(cm7, false));
}

// The BDMA channel interrupts and DMAMUX2_OVR also enter EXTI as direct
// inputs 66-73 and 74 (RM0399 EXTI event input mapping), besides their NVIC
// lines: ST's PWR_Domain3SystemControl wakes the CM7 from Stop on line 73.
TEST(LpuartMachine, BdmaChannelsAndDmamux2ReachTheirExtiLines)
{
    MachineDesc m = MachineDesc::load_file(testutil::source_dir() + "/machine/stm32h745.json");
    auto exti_line = [&](const std::string &periph, const std::string &out) -> int {
        for (const auto &p : m.peripherals) {
            if (p.name != periph || !p.irqs.count(out)) {
                continue;
            }
            for (const auto &t : p.irqs.at(out)) {
                if (!t.is_core && t.target == "EXTI") {
                    return static_cast<int>(t.n);
                }
            }
        }
        return -1;
    };
    for (unsigned c = 0; c < 8; c++) {
        EXPECT_EQ(exti_line("BDMA", "c" + std::to_string(c)), static_cast<int>(66 + c)) << c;
    }
    EXPECT_EQ(exti_line("DMAMUX2", "ovr"), 74);
    EXPECT_EQ(exti_line("LPUART1", "irq"), 64);
}

// ST's PWR_Domain3SystemControl data path on the H745 machine: LPUART1 with
// its RXFIFO threshold (1/4: 4 bytes) as wake-up source (UESM, RXFTIE) drives
// DMAMUX2 request generator 0 (trigger 7, rising, GNBREQ 3), which feeds BDMA
// channel 7 reading LPUART1_RDR into SRAM4: each chunk of 4 received bytes is
// moved without a CPU, and the transfer-complete interrupt comes after 8.
TEST(LpuartMachine, RxWakeupFeedsBdmaThroughTheRequestGenerator)
{
    MachineDesc m = MachineDesc::load_file(testutil::source_dir() + "/machine/stm32h745.json");
    dmatest::FakeTime time;
    dmatest::FakeBus mem;
    dmatest::Level nvic;
    mem.regions.push_back({0x38000000, std::vector<uint8_t>(0x1000), -1});
    DeviceContext ctx;
    ctx.scheduler = &time;
    ctx.master = &mem;
    Bus bus(m, ctx, &nvic);
    Device *lpuart = bus.device("LPUART1");
    mem.dev = lpuart;
    mem.dev_base = 0x58000C00;
    mem.dev_size = 0x400;
    auto w = [&](uint64_t addr, uint32_t v) {
        BusAccess a;
        a.core_name = "cm7";
        a.addr = addr;
        bus.write(a, v);
    };
    auto r = [&](uint64_t addr) {
        BusAccess a;
        a.core_name = "cm7";
        a.addr = addr;
        return bus.read(a);
    };
    // LPUART_Config: FIFO on, RXFTCFG = 001 (1/4), WUS = 10 (start bit), UESM,
    // RXFTIE; BRR for 115200 at 64 MHz.
    w(0x58000C0C, 142222);
    w(0x58000C00, CR1_FIFOEN);
    w(0x58000C08, (1u << 25) | (2u << 20) | (1u << 28));
    w(0x58000C00, CR1_FIFOEN | CR1_UE | CR1_UESM | CR1_RE | CR1_TE);
    // DMAMUX2: C7CR.DMAREQ_ID = 1 (generator 0); RG0CR SIG_ID 7, rising,
    // GNBREQ 3, then GE.
    w(0x5802581C, 1);
    w(0x58025900, 7u | (1u << 17) | (3u << 19));
    w(0x58025900, r(0x58025900) | (1u << 16));
    // BDMA channel 7: LPUART1_RDR -> SRAM4, 8 bytes, MINC, TCIE, EN.
    w(0x58025498, 8);
    w(0x5802549C, 0x58000C24);
    w(0x580254A0, 0x38000000);
    w(0x58025494, (1u << 7) | (1u << 1) | 1u);
    for (const char *chunk : {"ABCD", "EFGH"}) {
        for (const char *c = chunk; *c; ++c) {
            // As the hub does: offer the byte once the previous frame (86.8
            // us at 115200 baud) has left the RX line.
            for (int us = 0; us < 100 && !lpuart->accepts_input(); us++) {
                time.advance(1000);
            }
            ASSERT_TRUE(lpuart->accepts_input());
            lpuart->host_input(static_cast<uint8_t>(*c));
        }
        time.advance(100000);
        EXPECT_EQ(r(0x58000C1C) & ISR_RXNE, 0u) << "the BDMA emptied the RXFIFO";
    }
    EXPECT_EQ(std::string(reinterpret_cast<char *>(mem.memory(0, 0x38000000, 8)), 8), "ABCDEFGH");
    EXPECT_EQ(r(0x58025498), 0u);  // CNDTR7
    EXPECT_TRUE(nvic[136]);        // BDMA_Channel7_IRQn
    EXPECT_EQ(r(0x58025940), 0u);  // DMAMUX2_RGSR: no trigger overrun
}

} // namespace
