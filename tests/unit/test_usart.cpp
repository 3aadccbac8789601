// STM32H7 USART transmit path, one RM0399 rule per test (RM0399 Rev 4,
// USART/UART chapter; rules paraphrased in the comments).
#include "log.h"
#include "models/stm32_usart.h"

#include <gtest/gtest.h>

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

enum : uint32_t { CR1 = 0x00, CR3 = 0x08, BRR = 0x0C, RQR = 0x18, ISR = 0x1C, ICR = 0x20, RDR = 0x24, TDR = 0x28 };

struct UsartTest : ::testing::Test {
    Stm32Usart u{"USART3"};
    Chars chars;
    Irqs irqs;
    void SetUp() override
    {
        log().clear_once();
        log().set_sink([](const std::string &, bool) {});
        DeviceContext ctx;
        ctx.chars = &chars;
        u.set_context(ctx);
        u.irq("irq")->connect(&irqs, 0, 39);
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
    void enable_tx() { wr(CR1, Stm32Usart::CR1_UE | Stm32Usart::CR1_TE); }
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
    wr(CR1, Stm32Usart::CR1_TE);
    EXPECT_FALSE(rd(ISR) & Stm32Usart::ISR_TEACK);
    enable_tx();
    EXPECT_TRUE(rd(ISR) & Stm32Usart::ISR_TEACK);
    wr(CR1, Stm32Usart::CR1_UE);
    EXPECT_FALSE(rd(ISR) & Stm32Usart::ISR_TEACK);
}

// RM0399 REACK: set when RE is set and the USART is enabled.
TEST_F(UsartTest, ReackFollowsRe)
{
    wr(CR1, Stm32Usart::CR1_UE | Stm32Usart::CR1_RE);
    EXPECT_TRUE(rd(ISR) & Stm32Usart::ISR_REACK);
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
    wr(CR1, Stm32Usart::CR1_UE);
    wr(TDR, 'x');
    EXPECT_EQ(chars.out, "");
}

// RM0399 word length M[1:0]: 00 = 8 data bits, 01 = 9, 10 = 7; with PCE=1 the
// most significant bit of the frame is the parity bit, not data.
TEST_F(UsartTest, WordLengthAndParityDecideTheDataBits)
{
    wr(CR1, 0);
    EXPECT_EQ(u.data_bits(), 8u);
    wr(CR1, Stm32Usart::CR1_M1);
    EXPECT_EQ(u.data_bits(), 7u);
    wr(CR1, Stm32Usart::CR1_M0);
    EXPECT_EQ(u.data_bits(), 9u);
    wr(CR1, Stm32Usart::CR1_M0 | Stm32Usart::CR1_PCE);
    EXPECT_EQ(u.data_bits(), 8u);
    // 7 data bits + parity in an 8-bit frame: bit 7 is parity, the host sees 7 bits.
    wr(CR1, Stm32Usart::CR1_UE | Stm32Usart::CR1_TE | Stm32Usart::CR1_PCE);
    wr(TDR, 0x80 | 'A');
    EXPECT_EQ(chars.out, "A");
}

// RM0399 USART_ICR: writing 1 to TCCF clears TC in USART_ISR.
TEST_F(UsartTest, IcrTccfClearsTc)
{
    enable_tx();
    wr(ICR, 1u << 6);
    EXPECT_FALSE(rd(ISR) & Stm32Usart::ISR_TC);
    EXPECT_TRUE(rd(ISR) & Stm32Usart::ISR_TXE); // TXE is not touched by ICR
    wr(TDR, 'a');
    EXPECT_TRUE(rd(ISR) & Stm32Usart::ISR_TC);
}

// RM0399 USART_ICR: TCBGTCF (bit 7) clears TCBGT (ISR bit 25), not TXE (ISR bit 7).
TEST_F(UsartTest, IcrBit7DoesNotClearTxe)
{
    wr(ICR, 1u << 7);
    EXPECT_TRUE(rd(ISR) & Stm32Usart::ISR_TXE);
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
    wr(CR1, Stm32Usart::CR1_UE | Stm32Usart::CR1_TE | Stm32Usart::CR1_TXEIE);
    EXPECT_EQ(irqs.level, 1);
    wr(CR1, Stm32Usart::CR1_UE | Stm32Usart::CR1_TE);
    EXPECT_EQ(irqs.level, 0);
}

TEST_F(UsartTest, TcieInterruptClearedByTccf)
{
    wr(CR1, Stm32Usart::CR1_UE | Stm32Usart::CR1_TE | Stm32Usart::CR1_TCIE);
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

} // namespace
