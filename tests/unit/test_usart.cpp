// STM32H7 USART transmit and receive paths, one RM0399 rule per test
// (RM0399 Rev 4, USART/UART chapter; rules paraphrased in the comments).
#include "log.h"
#include "machine.h"
#include "models/stm32_usart.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

using namespace ampvp;

namespace {

struct Chars : CharSink {
    std::string out;
    std::string by;
    void put_char(const std::string &, const BusAccess &a, uint8_t ch) override
    {
        out += static_cast<char>(ch);
        by = a.core_name;
    }
};

struct Irqs : IrqSink {
    int level = -1;
    void set_irq(CoreId, unsigned, bool l) override { level = l; }
    void send_event(CoreId) override {}
};

struct Clocks : ClockSource {
    std::map<std::string, uint64_t> rates; // by clock name
    std::vector<std::string> names;        // id -> name
    ClockId clock_id(const std::string &n) const override
    {
        for (size_t i = 0; i < names.size(); i++) {
            if (names[i] == n) {
                return static_cast<ClockId>(i);
            }
        }
        auto &self = const_cast<Clocks &>(*this);
        self.names.push_back(n);
        return static_cast<ClockId>(names.size() - 1);
    }
    uint64_t hz(ClockId id) const override
    {
        if (id < 0 || id >= static_cast<ClockId>(names.size())) {
            return 0;
        }
        auto it = rates.find(names[id]);
        return it == rates.end() ? 0 : it->second;
    }
};

enum : uint32_t {
    CR1 = 0x00, CR2 = 0x04, CR3 = 0x08, BRR = 0x0C, RQR = 0x18, ISR = 0x1C, ICR = 0x20,
    RDR = 0x24, TDR = 0x28, PRESC = 0x2C,
};
using U = Stm32Usart;

// Bits as RM0399's USART register descriptions name them (FIFO-mode names in
// comments): the tests state the RM's layout themselves rather than borrow
// the model's.
enum : uint32_t {
    CR1_UE = 1u << 0, CR1_UESM = 1u << 1, CR1_RE = 1u << 2, CR1_TE = 1u << 3,
    CR1_RXNEIE = 1u << 5 /* RXFNEIE */, CR1_TCIE = 1u << 6, CR1_TXEIE = 1u << 7 /* TXFNFIE */,
    CR1_PS = 1u << 9, CR1_PCE = 1u << 10, CR1_M0 = 1u << 12, CR1_M1 = 1u << 28,
    CR1_FIFOEN = 1u << 29, CR1_TXFEIE = 1u << 30, CR1_RXFFIE = 1u << 31,
    CR3_EIE = 1u << 0, CR3_DMAR = 1u << 6, CR3_DMAT = 1u << 7,
    CR3_OVRDIS = 1u << 12, CR3_WUS_Pos = 20, CR3_WUS_Msk = 3u << 20,
    CR3_WUFIE = 1u << 22, CR3_TXFTIE = 1u << 23, CR3_RXFTCFG_Pos = 25, CR3_RXFTIE = 1u << 28,
    CR3_TXFTCFG_Pos = 29,
    ISR_ORE = 1u << 3, ISR_RXNE = 1u << 5 /* RXFNE */, ISR_TC = 1u << 6,
    ISR_TXE = 1u << 7 /* TXFNF */, ISR_WUF = 1u << 20, ISR_TEACK = 1u << 21,
    ISR_REACK = 1u << 22, ISR_TXFE = 1u << 23, ISR_RXFF = 1u << 24, ISR_RXFT = 1u << 26,
    ISR_TXFT = 1u << 27,
    RQR_RXFRQ = 1u << 3, RQR_TXFRQ = 1u << 4,
    ICR_WUCF = 1u << 20,
};

struct UsartTest : ::testing::Test {
    Stm32Usart u{"USART3"};
    Chars chars;
    Irqs irqs;
    Irqs wkup_irqs; // where "wkup" goes (EXTI line 28 in the machine)
    void SetUp() override
    {
        log().clear_once();
        log().set_sink([](const std::string &, bool) {});
        DeviceContext ctx;
        ctx.chars = &chars;
        u.set_context(ctx);
        u.irq("irq")->connect(&irqs, 0, 39);
        u.irq("wkup")->connect(&wkup_irqs, 0, 28);
    }
    void TearDown() override { log().reset_sink(); }
    uint32_t rd(uint32_t off, const char *core = "cm7")
    {
        BusAccess a;
        a.core_name = core;
        a.offset = off;
        a.addr = 0x40004800 + off;
        return u.read(a);
    }
    void wr(uint32_t off, uint32_t v, const char *core = "cm7", unsigned size = 4)
    {
        BusAccess a;
        a.core_name = core;
        a.offset = off;
        a.addr = 0x40004800 + off;
        a.size = size;
        u.write(a, v);
    }
    void enable_tx() { wr(CR1, CR1_UE | CR1_TE); }
    bool line() const { return irqs.level == 1; } // the USART interrupt line is high
    bool wkup() const { return wkup_irqs.level == 1; } // the wake-up output is high
    void enable_rx(uint32_t extra = 0) { wr(CR1, CR1_UE | CR1_RE | CR1_TE | extra); }
    // FIFO mode: FIFOEN is written with UE=0 first, as HAL_UARTEx_EnableFifoMode does.
    void enable_fifo(uint32_t extra = 0)
    {
        wr(CR1, CR1_FIFOEN);
        enable_rx(CR1_FIFOEN | extra);
    }
    void feed(const std::string &bytes)
    {
        for (char c : bytes) {
            u.host_input(static_cast<uint8_t>(c));
        }
    }
    std::string drain()
    {
        std::string got;
        while (rd(ISR) & ISR_RXNE) {
            got += static_cast<char>(rd(RDR));
        }
        return got;
    }
};

// RM0399 USART_ISR reset value is 0x0000 00C0: TXE (data register empty) and
// TC (transmission complete) are set after reset.
TEST_F(UsartTest, IsrResetValueHasTxeAndTc)
{
    EXPECT_EQ(rd(ISR), 0xC0u);
}

// RM0399 TEACK: set by hardware when TE is set and the USART is enabled; it
// is the acknowledge HAL_UART_Init waits for (UART_CheckIdleState).
TEST_F(UsartTest, TeackFollowsTeOnceUeIsSet)
{
    wr(CR1, CR1_TE);
    EXPECT_FALSE(rd(ISR) & ISR_TEACK);
    enable_tx();
    EXPECT_TRUE(rd(ISR) & ISR_TEACK);
    wr(CR1, CR1_UE);
    EXPECT_FALSE(rd(ISR) & ISR_TEACK);
}

// RM0399 REACK: set when RE is set and the USART is enabled.
TEST_F(UsartTest, ReackFollowsRe)
{
    wr(CR1, CR1_UE | CR1_RE);
    EXPECT_TRUE(rd(ISR) & ISR_REACK);
}

// RM0399: writing TDR with the transmitter enabled sends the character; here
// it completes at once, so TXE and TC read 1 again for the next HAL poll.
TEST_F(UsartTest, TdrWriteTransmitsAndLeavesTxeAndTcSet)
{
    enable_tx();
    wr(TDR, 'h');
    wr(TDR, 'i');
    EXPECT_EQ(chars.out, "hi");
    EXPECT_EQ(rd(ISR) & 0xC0u, 0xC0u);
}

// The initiator of the TDR write is the core the character is credited to.
TEST_F(UsartTest, CharacterIsCreditedToTheWritingCore)
{
    enable_tx();
    wr(TDR, 'x', "cm4");
    EXPECT_EQ(chars.by, "cm4");
}

// RM0399: data is not sent while TE=0 (or UE=0); ampvp reports it as a guest
// error instead of printing.
TEST_F(UsartTest, TdrWriteWithTransmitterDisabledIsDropped)
{
    testutil::LogCapture cap;
    wr(CR1, CR1_UE);
    wr(TDR, 'x', "cm4");
    EXPECT_EQ(chars.out, "");
    EXPECT_EQ(cap.count("guest error: cm4: USART3: write of 0x78 to TDR while the transmitter "
                        "is disabled (UE=0 or TE=0): character dropped"),
              1);
}

// RM0399 word length M[1:0]: 00 = 8 data bits, 01 = 9, 10 = 7; with PCE=1 the
// most significant bit of the frame is the parity bit, not data.  What the
// bus shows: a host byte of all ones reads back from RDR masked to the data
// bits, the parity position as 0 (a 9-bit frame holds the whole host byte).
TEST_F(UsartTest, WordLengthAndParityDecideTheDataBits)
{
    const struct {
        uint32_t m_pce;
        uint32_t rdr;
    } cases[] = {
        {0, 0xFF},                // 8 data bits
        {CR1_M1, 0x7F},           // 7 data bits
        {CR1_M0, 0xFF},           // 9 data bits: the host byte is bits 7:0
        {CR1_PCE, 0x7F},          // 7 data bits + parity
        {CR1_M1 | CR1_PCE, 0x3F}, // 6 data bits + parity
        {CR1_M0 | CR1_PCE, 0xFF}, // 8 data bits + parity
    };
    for (const auto &c : cases) {
        wr(CR1, 0);
        enable_rx(c.m_pce);
        u.host_input(0xFF);
        EXPECT_EQ(rd(RDR), c.rdr) << "CR1 " << std::hex << c.m_pce;
    }
    // 7 data bits + parity in an 8-bit frame: bit 7 is parity, the host sees 7 bits.
    wr(CR1, CR1_UE | CR1_TE | CR1_PCE);
    wr(TDR, 0x80 | 'A');
    EXPECT_EQ(chars.out, "A");
}

// RM0399 USART_ICR: writing 1 to TCCF clears TC in USART_ISR.
TEST_F(UsartTest, IcrTccfClearsTc)
{
    enable_tx();
    wr(ICR, 1u << 6);
    EXPECT_FALSE(rd(ISR) & ISR_TC);
    EXPECT_TRUE(rd(ISR) & ISR_TXE); // TXE is not touched by ICR
    wr(TDR, 'a');
    EXPECT_TRUE(rd(ISR) & ISR_TC);
}

// RM0399 USART_ICR: TCBGTCF (bit 7) clears TCBGT (ISR bit 25), not TXE (ISR bit 7).
TEST_F(UsartTest, IcrBit7DoesNotClearTxe)
{
    wr(ICR, 1u << 7);
    EXPECT_TRUE(rd(ISR) & ISR_TXE);
}

// RM0399: ISR is read-only; writes to it change nothing.
TEST_F(UsartTest, IsrIgnoresWrites)
{
    wr(ISR, 0);
    EXPECT_EQ(rd(ISR), 0xC0u);
}

// RM0399 interrupt table: TXE with TXEIE, TC with TCIE raise the USART
// interrupt; the line drops when the enable is cleared.
TEST_F(UsartTest, TxeieRaisesTheInterruptWhileTxeIsSet)
{
    enable_tx();
    EXPECT_EQ(irqs.level, -1); // never changed yet
    wr(CR1, CR1_UE | CR1_TE | CR1_TXEIE);
    EXPECT_EQ(irqs.level, 1);
    wr(CR1, CR1_UE | CR1_TE);
    EXPECT_EQ(irqs.level, 0);
}

TEST_F(UsartTest, TcieInterruptClearedByTccf)
{
    wr(CR1, CR1_UE | CR1_TE | CR1_TCIE);
    EXPECT_EQ(irqs.level, 1);
    wr(ICR, 1u << 6);
    EXPECT_EQ(irqs.level, 0);
}

// RM0399: BRR holds the baud-rate divider; HAL reads it back.
TEST_F(UsartTest, BrrReadsBack16Bits)
{
    wr(BRR, 0x1234022B);
    EXPECT_EQ(rd(BRR), 0x022Bu);
}

// RM0399 USART_RQR: request bits are write-only and read as 0.
TEST_F(UsartTest, RqrReadsZero)
{
    wr(RQR, 1u << 3);
    EXPECT_EQ(rd(RQR), 0u);
}

// Byte-wide TDR writes (HAL writes TDR as a 16-bit or 8-bit access) transmit too.
TEST_F(UsartTest, ByteWideTdrWriteTransmits)
{
    enable_tx();
    wr(TDR, 'z', "cm7", 1);
    EXPECT_EQ(chars.out, "z");
}

// ---- receive path --------------------------------------------------------

// RM0399: the receiver samples the RX line only when UE=1 and RE=1; the hub
// holds host bytes back until then.
TEST_F(UsartTest, ReceiverAcceptsInputOnlyWithUeAndRe)
{
    EXPECT_FALSE(u.accepts_input());
    wr(CR1, CR1_RE);
    EXPECT_FALSE(u.accepts_input());
    wr(CR1, CR1_UE | CR1_TE);
    EXPECT_FALSE(u.accepts_input());
    wr(CR1, CR1_UE | CR1_RE);
    EXPECT_TRUE(u.accepts_input());
}

// RM0399 RXNE: set when the received data is transferred to RDR; reading RDR
// clears it.
TEST_F(UsartTest, ReceivedByteIsInRdrWithRxneUntilRead)
{
    enable_rx();
    u.host_input('a');
    EXPECT_TRUE(rd(ISR) & ISR_RXNE);
    EXPECT_EQ(rd(RDR), uint32_t('a'));
    EXPECT_FALSE(rd(ISR) & ISR_RXNE);
}

// RM0399 (FIFO disabled): RDR holds one datum; until it is read a new frame
// would overrun, so the model refuses input while RXNE=1.
TEST_F(UsartTest, WithoutFifoRdrIsTheOnlyRoom)
{
    enable_rx();
    u.host_input('a');
    EXPECT_FALSE(u.accepts_input());
    rd(RDR);
    EXPECT_TRUE(u.accepts_input());
}

// RM0399 interrupt table: RXNE with RXNEIE raises the USART interrupt; it
// drops when RDR is read.
TEST_F(UsartTest, RxneieRaisesTheInterruptUntilRdrIsRead)
{
    enable_rx(CR1_RXNEIE);
        u.host_input('x');
    EXPECT_TRUE(line());
    rd(RDR);
    EXPECT_FALSE(line());
}

// RM0399 ORE: set when a frame is received while RDR is still full; RDR keeps
// its content, the new frame is lost; ORE interrupts with RXNEIE (or EIE) and
// is cleared by ICR.ORECF, not by reading RDR.
TEST_F(UsartTest, OverrunSetsOreAndKeepsRdr)
{
    enable_rx();
    feed("ab");
    EXPECT_TRUE(rd(ISR) & ISR_ORE);
    EXPECT_EQ(rd(RDR), uint32_t('a'));
    EXPECT_TRUE(rd(ISR) & ISR_ORE);
    EXPECT_FALSE(rd(ISR) & ISR_RXNE);
    wr(ICR, 1u << 3);
    EXPECT_FALSE(rd(ISR) & ISR_ORE);
}

TEST_F(UsartTest, OreInterruptsThroughRxneieOrEie)
{
    enable_rx();
    feed("ab");
    rd(RDR); // RXNE=0, ORE=1
    EXPECT_FALSE(line());
    wr(CR1, CR1_UE | CR1_RE | CR1_RXNEIE);
    EXPECT_TRUE(line());
    wr(CR1, CR1_UE | CR1_RE);
    EXPECT_FALSE(line());
    wr(CR3, CR3_EIE);
    EXPECT_TRUE(line());
}

// RM0399 OVRDIS: with overrun detection disabled ORE is not set and the new
// data overwrite RDR.
TEST_F(UsartTest, OvrdisOverwritesRdrWithoutOre)
{
    wr(CR3, CR3_OVRDIS);
    enable_rx();
    feed("ab");
    EXPECT_FALSE(rd(ISR) & ISR_ORE);
    EXPECT_EQ(rd(RDR), uint32_t('b'));
}

// RM0399 RQR.RXFRQ: discards the received data without reading them (clears
// RXNE/RXFNE), for RDR and the whole RXFIFO.
TEST_F(UsartTest, RxfrqDiscardsReceivedData)
{
    enable_rx();
    u.host_input('a');
    wr(RQR, RQR_RXFRQ);
    EXPECT_FALSE(rd(ISR) & ISR_RXNE);
    EXPECT_TRUE(u.accepts_input());

    // FIFO mode, RXFIFO full + RDR (RXFF, RXFT at any threshold): all gone.
    enable_fifo();
    feed(std::string(17, 'a'));
    ASSERT_EQ(rd(ISR) & (ISR_RXNE | ISR_RXFF | ISR_RXFT), ISR_RXNE | ISR_RXFF | ISR_RXFT);
    wr(RQR, RQR_RXFRQ);
    EXPECT_EQ(rd(ISR) & (ISR_RXNE | ISR_RXFF | ISR_RXFT), 0u);
    EXPECT_TRUE(u.accepts_input());
    feed("z");
    EXPECT_EQ(drain(), "z"); // nothing of the discarded data comes back
}

// RM0399 UE: clearing it discards current operations and returns every
// USART_ISR flag to its default value.
TEST_F(UsartTest, ClearingUeDiscardsDataAndResetsFlags)
{
    enable_rx();
    feed("ab"); // RXNE and ORE
    wr(ICR, 1u << 6); // TC cleared
    wr(CR1, CR1_RE);
    EXPECT_EQ(rd(ISR), 0xC0u);
    enable_rx(); // the discarded data do not come back with UE
    EXPECT_FALSE(rd(ISR) & ISR_RXNE);
    feed("c");
    EXPECT_EQ(drain(), "c");
}

// ---- FIFO mode -------------------------------------------------------------

// RM0399: the RXFIFO is 16 data deep and sits behind RDR; RXFF is set when the
// number of received data is the RXFIFO size + 1 (full RXFIFO plus RDR).
TEST_F(UsartTest, RxFifoHoldsSixteenDataBehindRdr)
{
    enable_fifo();
    for (int i = 0; i < 16; i++) {
        ASSERT_TRUE(u.accepts_input()) << i;
        u.host_input(static_cast<uint8_t>('A' + i));
        EXPECT_FALSE(rd(ISR) & ISR_RXFF) << i;
    }
    ASSERT_TRUE(u.accepts_input());
    u.host_input('Q');
    EXPECT_TRUE(rd(ISR) & ISR_RXFF);
    EXPECT_FALSE(u.accepts_input());
    EXPECT_FALSE(rd(ISR) & ISR_ORE);
    EXPECT_EQ(drain(), "ABCDEFGHIJKLMNOPQ"); // first in, first out
    EXPECT_FALSE(rd(ISR) & ISR_RXFF);
}

// RM0399 ORE in FIFO mode: set when a frame completes while RXFF=1.
TEST_F(UsartTest, FullRxFifoOverruns)
{
    enable_fifo();
    feed(std::string(17, 'a') + "b");
    EXPECT_TRUE(rd(ISR) & ISR_ORE);
    EXPECT_EQ(drain(), std::string(17, 'a'));
}

// RM0399 OVRDIS with FIFOEN=1: the RXFIFO is bypassed and data are written
// directly in RDR.
TEST_F(UsartTest, OvrdisBypassesTheRxFifo)
{
    wr(CR3, CR3_OVRDIS);
    enable_fifo();
    u.host_input('a');
    EXPECT_FALSE(u.accepts_input());
    u.host_input('b');
    EXPECT_EQ(drain(), "b");
}

// RM0399 RXFTCFG: 000 1/8, 001 1/4, 010 1/2, 011 3/4, 100 7/8, 101 full; RXFT
// is set when that many data are received, counting the one in RDR.
TEST_F(UsartTest, RxftFollowsTheRxFifoThreshold)
{
    const unsigned expected[] = {2, 4, 8, 12, 14, 16};
    for (uint32_t cfg = 0; cfg < 6; cfg++) {
        wr(CR1, 0);
        wr(CR3, cfg << CR3_RXFTCFG_Pos);
        enable_fifo();
        for (unsigned n = 1; n <= 17; n++) {
            u.host_input('x');
            EXPECT_EQ(bool(rd(ISR) & ISR_RXFT), n >= expected[cfg])
                << "cfg " << cfg << " n " << n;
        }
        rd(RDR);
        EXPECT_EQ(bool(rd(ISR) & ISR_RXFT), 16 >= expected[cfg]);
    }
}

TEST_F(UsartTest, ReservedRxftcfgNeverReachesTheThreshold)
{
    wr(CR3, 6u << CR3_RXFTCFG_Pos);
    enable_fifo();
    feed(std::string(17, 'x'));
    EXPECT_FALSE(rd(ISR) & ISR_RXFT);
}

// RM0399: the RXFIFO flags exist in FIFO mode only (reserved bits otherwise).
TEST_F(UsartTest, FifoFlagsReadZeroWithTheFifoDisabled)
{
    enable_rx();
    u.host_input('x');
    enable_tx();
    wr(TDR, 'y');
    EXPECT_EQ(rd(ISR) & (ISR_TXFE | ISR_RXFF | ISR_RXFT | ISR_TXFT), 0u);
}

// RM0399 interrupt table: RXFT with RXFTIE (CR3 bit 28) and RXFF with RXFFIE
// (CR1 bit 31) raise the USART interrupt.  HAL's UART_Start_Receive_IT in
// FIFO mode enables RXFTIE; UART_RxISR_8BIT_FIFOEN then reads RDR while RXFNE.
TEST_F(UsartTest, RxftieInterruptsAtTheThreshold)
{
    wr(CR3, (1u << CR3_RXFTCFG_Pos) | CR3_RXFTIE); // threshold 1/4 = 4 data
    enable_fifo();
    feed("abc");
    EXPECT_FALSE(line());
    u.host_input('d');
    EXPECT_TRUE(line());
    EXPECT_EQ(drain(), "abcd");
    EXPECT_FALSE(line());
}

TEST_F(UsartTest, RxffieInterruptsWhenTheRxFifoIsFull)
{
    enable_fifo(CR1_RXFFIE);
    feed(std::string(16, 'x'));
    EXPECT_FALSE(line());
    u.host_input('x');
    EXPECT_TRUE(line());
    rd(RDR);
    EXPECT_FALSE(line());
}

// RM0399 FIFO mode transmit: TXFNF (bit 7, TXE's place) stays set while the
// TXFIFO has room, TXFE is set when it is empty; transmission completes at
// once here, so after every write TXFNF, TXFE and TC are set.
TEST_F(UsartTest, FifoModeTransmitLeavesTxfnfTxfeAndTcSet)
{
    enable_fifo();
    wr(ICR, (1u << 5) | (1u << 6)); // TXFECF, TCCF
    EXPECT_FALSE(rd(ISR) & ISR_TXFE);
    wr(TDR, 'a');
    EXPECT_EQ(chars.out, "a");
    const uint32_t isr = rd(ISR);
    EXPECT_TRUE(isr & ISR_TXE);
    EXPECT_TRUE(isr & ISR_TXFE);
    EXPECT_TRUE(isr & ISR_TC);
}

// RM0399 RQR.TXFRQ: flushes the TXFIFO, which sets TXFE.
TEST_F(UsartTest, TxfrqSetsTxfe)
{
    enable_fifo();
    wr(ICR, 1u << 5);
    wr(RQR, RQR_TXFRQ);
    EXPECT_TRUE(rd(ISR) & ISR_TXFE);
}

// RM0399 TXFT: set when the TXFIFO holds TXFTCFG empty locations; the model's
// TXFIFO is always empty, so every valid threshold is reached.
TEST_F(UsartTest, TxftIsSetForEveryValidThreshold)
{
    for (uint32_t cfg = 0; cfg < 8; cfg++) {
        wr(CR1, 0);
        wr(CR3, cfg << CR3_TXFTCFG_Pos);
        enable_fifo();
        EXPECT_EQ(bool(rd(ISR) & ISR_TXFT), cfg < 6) << cfg;
    }
}

// RM0399 interrupt table: TXFT with TXFTIE (CR3 bit 23), TXFE with TXFEIE (CR1
// bit 30).  HAL_UART_Transmit_IT in FIFO mode enables TXFTIE, and
// UART_TxISR_8BIT_FIFOEN swaps it for TCIE after the last byte.
TEST_F(UsartTest, TxftieAndTxfeieRaiseTheInterrupt)
{
    enable_fifo();
    EXPECT_FALSE(line());
    wr(CR3, CR3_TXFTIE);
    EXPECT_TRUE(line());
    wr(CR3, 0);
    EXPECT_FALSE(line());
    enable_fifo(CR1_TXFEIE);
    EXPECT_TRUE(line());
    wr(ICR, 1u << 5); // TXFECF
    EXPECT_FALSE(line());
}

// HAL_UARTEx_SetTxFifoThreshold / SetRxFifoThreshold / DisableFifoMode each
// save CR1, clear UE, change CR3 or FIFOEN and write the saved CR1 back; the
// USART must come out enabled with TEACK/REACK set.
TEST_F(UsartTest, HalFifoConfigurationSequenceKeepsTheUsartEnabled)
{
    enable_rx();
    for (uint32_t cr3 : {0u << CR3_TXFTCFG_Pos, 0u << CR3_RXFTCFG_Pos}) {
        const uint32_t saved = rd(CR1);
        wr(CR1, saved & ~CR1_UE);
        wr(CR3, cr3);
        wr(CR1, saved);
    }
    const uint32_t saved = rd(CR1);
    wr(CR1, saved & ~CR1_UE);
    wr(CR1, saved & ~CR1_FIFOEN);
    EXPECT_EQ(rd(ISR) & (ISR_TEACK | ISR_REACK), ISR_TEACK | ISR_REACK);
    EXPECT_TRUE(u.accepts_input());
}

// ---- wake-up from low-power mode ----------------------------------------------
// RM0399 USART "Wakeup from low-power mode" (RM0440 37.3.14 documents the same
// IP): usart_wkup is the output that reaches EXTI; usart_it the NVIC one.

// "The USART is able to wake up the MCU from low-power mode when the UESM bit
// is set."
TEST_F(UsartTest, WakeUpNeedsUesm)
{
    enable_rx(CR1_RXNEIE);
    u.host_input('a');
    EXPECT_TRUE(line());
    EXPECT_FALSE(wkup());
    enable_rx(CR1_RXNEIE | CR1_UESM);
    EXPECT_TRUE(wkup());
    EXPECT_EQ(rd(CR1) & CR1_UESM, CR1_UESM); // UESM reads back
}

// "If FIFO mode is disabled ... the usart_wkup interrupt source is RXNE set to
// 1.  The RXNEIE bit must be set before entering low-power mode."
TEST_F(UsartTest, FifoDisabledRxneWithRxneieWakesUp)
{
    enable_rx(CR1_UESM);
    u.host_input('a');
    EXPECT_FALSE(wkup()); // RXNE without RXNEIE
    enable_rx(CR1_UESM | CR1_RXNEIE);
    EXPECT_TRUE(wkup());
    rd(RDR);
    EXPECT_FALSE(wkup());
}

// FIFO enabled: "RXFIFO not empty. In this case, the RXFNEIE bit must be set
// before entering low-power mode."
TEST_F(UsartTest, RxFifoNotEmptyWithRxfneieWakesUp)
{
    enable_fifo(CR1_UESM | CR1_RXNEIE);
    EXPECT_FALSE(wkup());
    u.host_input('a');
    EXPECT_TRUE(wkup());
}

// FIFO enabled: "RXFIFO full. In this case, the RXFFIE bit must be set before
// entering low-power mode, the number of received data corresponds to the
// RXFIFO size, and the RXFF flag is not set."  RXFF itself (and the usart_it
// request RXFF/RXFFIE) comes with RXFIFO size + 1 data (RM0399 USART_ISR).
TEST_F(UsartTest, RxFifoFullWithRxffieWakesUpBeforeRxff)
{
    enable_fifo(CR1_UESM | CR1_RXFFIE);
    feed(std::string(15, 'x'));
    EXPECT_FALSE(wkup());
    u.host_input('x'); // the 16th datum: the RXFIFO size
    EXPECT_TRUE(wkup());
    EXPECT_FALSE(rd(ISR) & ISR_RXFF);
    EXPECT_FALSE(line());
    u.host_input('x'); // RXFIFO full + 1 in RDR
    EXPECT_TRUE(rd(ISR) & ISR_RXFF);
    EXPECT_TRUE(line());
    rd(RDR);
    rd(RDR);
    EXPECT_FALSE(wkup());
    EXPECT_FALSE(line());
}

// FIFO enabled: "RXFIFO threshold. In this case, the RXFTIE bit must be set
// before entering low-power mode."  (ST's UART_WakeUpFromStopUsingFIFO, part 1:
// threshold 1/4 = 4 data.)
TEST_F(UsartTest, RxFifoThresholdWithRxftieWakesUp)
{
    wr(CR3, (1u << CR3_RXFTCFG_Pos) | CR3_RXFTIE);
    enable_fifo(CR1_UESM);
    feed("abc");
    EXPECT_FALSE(wkup());
    u.host_input('d');
    EXPECT_TRUE(wkup());
    EXPECT_TRUE(line());
}

// FIFO enabled: "TXFIFO empty. In this case, the TXFEIE bit must be set before
// entering low-power mode" and "TXFIFO threshold ... TXFTIE".
TEST_F(UsartTest, TxFifoEmptyAndThresholdWakeUp)
{
    enable_fifo(CR1_UESM);
    EXPECT_FALSE(wkup());
    enable_fifo(CR1_UESM | CR1_TXFEIE);
    EXPECT_TRUE(wkup());
    enable_fifo(CR1_UESM);
    EXPECT_FALSE(wkup());
    wr(CR3, CR3_TXFTIE);
    EXPECT_TRUE(wkup());
}

// The FIFO sources apply only with the FIFO enabled: with FIFOEN = 0 the TXFE
// and threshold flags are reserved and only RXNE/RXNEIE wakes up.
TEST_F(UsartTest, FifoSourcesDoNotWakeUpWithTheFifoDisabled)
{
    wr(CR3, CR3_TXFTIE | CR3_RXFTIE);
    enable_rx(CR1_UESM | CR1_TXFEIE | CR1_RXFFIE);
    feed("a");
    EXPECT_FALSE(wkup());
}

// RM0399 USART_CR3.WUS[1:0] = 10: "WUF active on Start bit detection".
TEST_F(UsartTest, WusStartBitSetsWuf)
{
    wr(CR3, 2u << CR3_WUS_Pos);
    enable_rx(CR1_UESM);
    EXPECT_FALSE(rd(ISR) & ISR_WUF);
    u.host_input('a');
    EXPECT_TRUE(rd(ISR) & ISR_WUF);
    EXPECT_EQ(rd(CR3) & CR3_WUS_Msk, 2u << CR3_WUS_Pos); // WUS reads back
}

// RM0399 USART_CR3.WUS[1:0] = 11: "WUF active on RXNE/RXFNE".
TEST_F(UsartTest, WusRxneSetsWufWhenACharacterIsReceived)
{
    wr(CR3, 3u << CR3_WUS_Pos);
    enable_fifo(CR1_UESM);
    u.host_input('a');
    EXPECT_TRUE(rd(ISR) & ISR_WUF);
}

// RM0399 USART_ICR.WUCF: "Writing 1 to this bit clears the WUF flag in the
// USART_ISR register."
TEST_F(UsartTest, WucfClearsWuf)
{
    wr(CR3, 3u << CR3_WUS_Pos);
    enable_rx(CR1_UESM);
    u.host_input('a');
    wr(ICR, ICR_WUCF);
    EXPECT_FALSE(rd(ISR) & ISR_WUF);
    EXPECT_TRUE(rd(ISR) & ISR_RXNE); // the character stays
}

// RM0399 USART_ISR.WUF: "When UESM is cleared, WUF flag is also cleared"; the
// wake-up event sets it only while UESM = 1.
TEST_F(UsartTest, WufNeedsUesmAndClearingUesmClearsIt)
{
    wr(CR3, 3u << CR3_WUS_Pos);
    enable_rx();
    u.host_input('a');
    EXPECT_FALSE(rd(ISR) & ISR_WUF);
    rd(RDR);
    enable_rx(CR1_UESM);
    u.host_input('b');
    EXPECT_TRUE(rd(ISR) & ISR_WUF);
    enable_rx();
    EXPECT_FALSE(rd(ISR) & ISR_WUF);
}

// RM0399 USART interrupt requests: "Wakeup from low-power mode: WUF, WUFIE"
// raises usart_it; it is also a usart_wkup source.
TEST_F(UsartTest, WufWithWufieRaisesTheInterruptAndTheWakeUp)
{
    wr(CR3, (2u << CR3_WUS_Pos) | CR3_WUFIE);
    enable_rx(CR1_UESM);
    u.host_input('a');
    EXPECT_TRUE(line());
    EXPECT_TRUE(wkup());
    wr(ICR, ICR_WUCF);
    EXPECT_FALSE(line()); // RXNE is there, but RXNEIE is 0
    EXPECT_FALSE(wkup());
    EXPECT_EQ(rd(CR3) & CR3_WUFIE, CR3_WUFIE); // WUFIE reads back
}

// RM0399 USART_CR3.WUS[1:0] = 00: "WUF active on address match" (CR2.ADD);
// address detection is not modelled: said once, WUF stays 0.
TEST_F(UsartTest, WusAddressMatchIsReportedUnimplementedOnce)
{
    testutil::LogCapture cap;
    wr(CR3, CR3_WUFIE);
    enable_rx(CR1_UESM);
    feed("ab");
    EXPECT_FALSE(rd(ISR) & ISR_WUF);
    EXPECT_EQ(cap.count("unimplemented: USART3: wake-up on address match"), 1);
}

// RM0399 WUS = 01 is reserved: a guest error, and no event sets WUF.
TEST_F(UsartTest, ReservedWusIsAGuestError)
{
    testutil::LogCapture cap;
    wr(CR3, 1u << CR3_WUS_Pos);
    enable_rx(CR1_UESM);
    u.host_input('a');
    EXPECT_FALSE(rd(ISR) & ISR_WUF);
    EXPECT_EQ(cap.count("guest error: cm7: USART3: CR3.WUS = 01 is reserved"), 1);
}

// ---- offsets without a register -----------------------------------------------

// The CMSIS USART_TypeDef (and RM0399's register map) ends with PRESC at 0x2C;
// offsets 0x30-0x3FF of the 1 KB slot hold no register.  DESIGN.md: read as
// zero / write ignored with one warning per register naming the peripheral
// and the offset; a bus error with --strict.
TEST_F(UsartTest, OffsetsAfterPrescAreUnimplementedOncePerOffset)
{
    testutil::LogCapture cap;
    EXPECT_EQ(rd(0x44), 0u);
    EXPECT_EQ(rd(0x44), 0u);
    wr(0x64, 0x1234);
    wr(0x64, 0x1234);
    EXPECT_EQ(rd(0x3FC), 0u);
    EXPECT_EQ(cap.count("unimplemented:"), 3);
    EXPECT_EQ(cap.count("cm7 read of USART3+0x044 (0x40004844): no such register"), 1);
    EXPECT_EQ(cap.count("cm7 write of 0x00001234 to USART3+0x064 (0x40004864)"), 1);
    EXPECT_EQ(cap.count("USART3+0x3fc"), 1);
}

TEST_F(UsartTest, OffsetsAfterPrescFaultWhenStrict)
{
    testutil::LogCapture cap;
    DeviceContext ctx;
    ctx.strict = true;
    u.set_context(ctx);
    BusAccess a;
    a.core_name = "cm7";
    a.offset = 0x48;
    a.addr = 0x40004848;
    EXPECT_EQ(u.read(a), 0u);
    EXPECT_TRUE(a.fault);
    EXPECT_EQ(cap.count("USART3+0x048 (0x40004848): no such register in the model; bus error "
                        "(strict)"),
              1);
    BusAccess ok = a;
    ok.fault = false;
    ok.offset = 0x2C; // PRESC is a register: no fault
    ok.addr = 0x4000482C;
    u.read(ok);
    EXPECT_FALSE(ok.fault);
}

// ---- DMA requests -------------------------------------------------------------

// RM0399 USART "Transmission using DMA": with CR3.DMAT set, the USART requests
// a DMA write of TDR whenever TXE (TXFNF) is set ("dmareq_tx", DMAMUX1 line 46
// for USART3); the request also needs the transmitter enabled.
TEST_F(UsartTest, DmatRequestsATdrWriteWhileTxeIsSet)
{
    Irqs req;
    u.irq("dmareq_tx")->connect(&req, 0, 46);
    wr(CR3, CR3_DMAT);
    EXPECT_NE(req.level, 1); // UE = TE = 0: no request
    enable_tx();
    EXPECT_EQ(req.level, 1);
    wr(TDR, 'x'); // sent at once: TXE is set again, the request stays
    EXPECT_EQ(req.level, 1);
    wr(CR3, 0); // UART_DMATransmitCplt clears DMAT
    EXPECT_EQ(req.level, 0);
}

// RM0399 USART "Reception using DMA": with CR3.DMAR set, each received
// character (RXNE) requests a DMA read of RDR ("dmareq_rx", DMAMUX1 line 45 for
// USART3); reading RDR ends the request.
TEST_F(UsartTest, DmarRequestsAnRdrReadWhileRxneIsSet)
{
    Irqs req;
    u.irq("dmareq_rx")->connect(&req, 0, 45);
    enable_rx();
    wr(CR3, CR3_DMAR);
    EXPECT_NE(req.level, 1);
    feed("k");
    EXPECT_EQ(req.level, 1);
    EXPECT_EQ(rd(RDR), static_cast<uint32_t>('k'));
    EXPECT_EQ(req.level, 0);
    wr(CR3, 0);
    feed("l");
    EXPECT_EQ(req.level, 0); // DMAR off: RXNE alone requests nothing
}

// ---- data bits ---------------------------------------------------------------

// RM0399 M[1:0]: 00 = 8-bit, 01 = 9-bit, 10 = 7-bit frames; with PCE=1 the
// MSB of the frame is the parity bit.  The host sees the data bits: on
// transmit the parity position is stripped (with 9 data bits the 9th is
// dropped: a host byte has 8), on receive the byte is masked to the data bits
// and the parity position of RDR reads 0.
struct Framing {
    const char *name; // the data bits are in the name
    uint32_t cr1;
    uint32_t tdr, host_sees;  // transmit
    uint8_t host_sends;       // receive
    uint32_t rdr;
};

// Printed by GoogleTest (and in CTest's test names) instead of a byte dump.
void PrintTo(const Framing &f, std::ostream *os) { *os << f.name; }

struct UsartFraming : UsartTest, ::testing::WithParamInterface<Framing> {};

TEST_P(UsartFraming, HostSeesTheDataBits)
{
    const Framing &f = GetParam();
    wr(CR1, CR1_UE | CR1_TE | CR1_RE | f.cr1);
    wr(TDR, f.tdr);
    ASSERT_EQ(chars.out.size(), 1u);
    EXPECT_EQ(uint8_t(chars.out[0]), f.host_sees);
    u.host_input(f.host_sends);
    EXPECT_EQ(rd(RDR), f.rdr);
}

INSTANTIATE_TEST_SUITE_P(
    AllWordLengths, UsartFraming,
    ::testing::Values(
        Framing{"Frame7NoParity_7DataBits", CR1_M1, 0x1FF, 0x7F, 0xFF, 0x7F},
        Framing{"Frame7Parity_6DataBits", CR1_M1 | CR1_PCE, 0x1FF, 0x3F, 0xFF, 0x3F},
        Framing{"Frame8NoParity_8DataBits", 0, 0x1A5, 0xA5, 0xA5, 0xA5},
        Framing{"Frame8Parity_7DataBits", CR1_PCE, 0x1C1, 0x41, 0xC1, 0x41},
        Framing{"Frame9NoParity_9DataBits", CR1_M0, 0x1A5, 0xA5, 0xA5, 0x0A5},
        Framing{"Frame9Parity_8DataBits", CR1_M0 | CR1_PCE, 0x1A5, 0xA5, 0xFF, 0xFF}),
    [](const ::testing::TestParamInfo<Framing> &i) { return std::string(i.param.name); });

// ---- baud rate and the enable log -----------------------------------------

// RM0399 "USART baud rate generation": OVER8=0: baud = usart_ker_ckpres /
// USARTDIV, BRR = USARTDIV.  HAL's BRR for 115200 at 64 MHz is 556 (0x22C).
TEST(UsartBaud, Oversampling16)
{
    EXPECT_DOUBLE_EQ(U::baud_rate(64000000, 0x22C, false, 0), 64000000.0 / 556);
    EXPECT_EQ(std::llround(U::baud_rate(64000000, 0x22C, false, 0)), 115108);
}

// OVER8=1: baud = 2 * usart_ker_ckpres / USARTDIV, BRR[15:4] = USARTDIV[15:4],
// BRR[2:0] = USARTDIV[3:0] >> 1, BRR[3] unused.  USARTDIV 1111 = 0x457 is
// written as BRR 0x453.
TEST(UsartBaud, Oversampling8UsesTheShiftedLowNibble)
{
    EXPECT_DOUBLE_EQ(U::baud_rate(64000000, 0x453, true, 0), 2 * 64000000.0 / 0x456);
    // BRR[3] is not part of USARTDIV with OVER8=1.
    EXPECT_DOUBLE_EQ(U::baud_rate(64000000, 0x45B, true, 0), 2 * 64000000.0 / 0x456);
}

// RM0399 USART_PRESC: 0000 /1, 0001 /2, 0010 /4, 0011 /6 ... 1011 /256; other
// values act as 1011.
TEST(UsartBaud, PrescalerDividesTheKernelClock)
{
    const unsigned div[] = {1, 2, 4, 6, 8, 10, 12, 16, 32, 64, 128, 256, 256, 256, 256, 256};
    for (uint32_t p = 0; p < 16; p++) {
        EXPECT_EQ(U::prescaler_divider(p), div[p]) << p;
    }
    EXPECT_DOUBLE_EQ(U::baud_rate(64000000, 0x10, false, 2), 64000000.0 / 4 / 16);
}

// RM0399: BRR (USARTDIV) must be at least 16; an unknown clock gives no rate.
TEST(UsartBaud, NoRateForBrrBelow16OrUnknownClock)
{
    EXPECT_EQ(U::baud_rate(64000000, 15, false, 0), 0.0);
    EXPECT_EQ(U::baud_rate(0, 0x22C, false, 0), 0.0);
}

struct UsartLogTest : UsartTest {
    Clocks clocks;
    testutil::LogCapture cap;
    void SetUp() override
    {
        UsartTest::SetUp();
        log().set_verbose(true);
        log().set_sink([this](const std::string &l, bool) { cap.lines.push_back(l); });
        clocks.rates["usart234578"] = 64000000;
        DeviceContext ctx;
        ctx.chars = &chars;
        ctx.clock_source = &clocks;
        u.set_context(ctx);
        u.configure({{"clock", "usart234578"}}, {"cm7", "cm4"});
        wr(BRR, 0x22C);
    }
    void TearDown() override
    {
        log().set_verbose(false);
        UsartTest::TearDown();
    }
};

// One verbose line each time UE goes 0->1 with TE or RE: frame format, baud
// rate from the kernel clock named by the "clock" parameter.
TEST_F(UsartLogTest, EnableLogsFormatAndBaudRateOnce)
{
    enable_rx();
    EXPECT_EQ(cap.count("USART3: 115108 baud 8N1 (kernel clock 64 MHz, BRR 0x22c, OVER8 0)"), 1);
    enable_rx(CR1_RXNEIE); // UE stays 1: no new line
    EXPECT_EQ(cap.count("USART3:"), 1);
    wr(CR1, 0);
    wr(CR1, CR1_PCE | CR1_PS | CR1_M0);
    wr(CR2, 2u << 12);
    wr(PRESC, 1);
    wr(CR1, CR1_UE | CR1_TE | CR1_PCE | CR1_PS | CR1_M0);
    EXPECT_EQ(
        cap.count("USART3: 57554 baud 8O2 (kernel clock 64 MHz, PRESC /2, BRR 0x22c, OVER8 0)"), 1);
}

TEST_F(UsartLogTest, EnableWithoutTeOrReLogsNothing)
{
    wr(CR1, CR1_UE);
    EXPECT_EQ(cap.count("USART3:"), 0);
}

// Without a clock model (or a clock it does not know) the baud rate is left out.
TEST_F(UsartLogTest, UnknownKernelClockOmitsTheBaudRate)
{
    clocks.rates.clear();
    enable_tx();
    EXPECT_EQ(cap.count("USART3: 8N1 (BRR 0x22c, OVER8 0)"), 1);
}

// ---- machine description ----------------------------------------------------

// machine/stm32h745.json: every USART/UART of the STM32H745 has the model and
// its global interrupt on both cores (IRQ numbers from ST's stm32h745xx.h:
// USART1_IRQn 37, USART2_IRQn 38, USART3_IRQn 39, UART4_IRQn 52, UART5_IRQn
// 53, USART6_IRQn 71, UART7_IRQn 82, UART8_IRQn 83) and the kernel clock of
// its RCC_D2CCIP2R selector (USART16SEL or USART234578SEL).
TEST(UsartMachine, Stm32h745WiresEveryUsartToItsIrqOnBothCores)
{
    const auto m = MachineDesc::load_file(testutil::source_dir() + "/machine/stm32h745.json");
    const struct {
        const char *name;
        uint64_t base;
        unsigned irq;
        const char *clock;
    } expected[] = {
        {"USART1", 0x40011000, 37, "usart16"},     {"USART2", 0x40004400, 38, "usart234578"},
        {"USART3", 0x40004800, 39, "usart234578"}, {"UART4", 0x40004C00, 52, "usart234578"},
        {"UART5", 0x40005000, 53, "usart234578"},  {"USART6", 0x40011400, 71, "usart16"},
        {"UART7", 0x40007800, 82, "usart234578"},  {"UART8", 0x40007C00, 83, "usart234578"},
    };
    for (const auto &e : expected) {
        const PeripheralDesc *p = m.peripheral_at(e.base);
        ASSERT_TRUE(p) << e.name;
        EXPECT_EQ(p->name, e.name);
        EXPECT_EQ(p->base, e.base) << e.name;
        EXPECT_EQ(p->model, "stm32-usart") << e.name;
        EXPECT_EQ(p->params.count("clock") ? p->params.at("clock") : "", e.clock) << e.name;
        ASSERT_EQ(p->irqs.count("irq"), 1u) << e.name;
        const auto &targets = p->irqs.at("irq");
        ASSERT_EQ(targets.size(), 2u) << e.name;
        std::set<std::string> cores;
        for (const auto &t : targets) {
            EXPECT_TRUE(t.is_core && !t.event) << e.name;
            EXPECT_EQ(t.n, e.irq) << e.name << " on " << t.target;
            cores.insert(t.target);
        }
        EXPECT_EQ(cores, (std::set<std::string>{"cm7", "cm4"})) << e.name;
    }
}

// machine/stm32h745.json: each USART/UART's usart_wkup drives its EXTI direct
// line (RM0399 EXTI event input mapping, HAL stm32h7xx_hal_exti.h): USART1 26,
// USART2 27, USART3 28, USART6 29, UART4 30, UART5 31, UART7 32, UART8 33.
TEST(UsartMachine, Stm32h745WiresEveryUsartWakeUpToItsExtiLine)
{
    const auto m = MachineDesc::load_file(testutil::source_dir() + "/machine/stm32h745.json");
    const struct {
        const char *name;
        unsigned line;
    } expected[] = {
        {"USART1", 26}, {"USART2", 27}, {"USART3", 28}, {"USART6", 29},
        {"UART4", 30},  {"UART5", 31},  {"UART7", 32},  {"UART8", 33},
    };
    for (const auto &e : expected) {
        const PeripheralDesc *p = nullptr;
        for (const auto &q : m.peripherals) {
            if (q.name == e.name) {
                p = &q;
            }
        }
        ASSERT_TRUE(p) << e.name;
        ASSERT_EQ(p->irqs.count("wkup"), 1u) << e.name;
        const auto &targets = p->irqs.at("wkup");
        ASSERT_EQ(targets.size(), 1u) << e.name;
        EXPECT_FALSE(targets[0].is_core) << e.name;
        EXPECT_EQ(targets[0].target, "EXTI") << e.name;
        EXPECT_EQ(targets[0].n, e.line) << e.name;
    }
}

} // namespace
