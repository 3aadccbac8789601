// STM32 CRC unit, one RM0399 rule per test, checked against well-known CRC values.
#include "models/stm32_crc.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

using namespace ampvp;

namespace {

enum : uint32_t { DR = 0x00, IDR = 0x04, CR = 0x08, INIT = 0x10, POL = 0x14 };
enum : uint32_t { CR_RESET = 1u << 0, POLY16 = 1u << 3, POLY8 = 2u << 3, REV_IN_BYTE = 1u << 5,
                  REV_IN_WORD = 3u << 5, REV_OUT = 1u << 7 };

struct CrcTest : ::testing::Test {
    Stm32Crc crc{"CRC"};
    uint32_t rd(uint32_t off) { return testutil::reg_read(crc, off); }
    void wr(uint32_t off, uint32_t v, unsigned size = 4)
    {
        BusAccess a;
        a.offset = off;
        a.size = size;
        crc.write(a, v);
    }
    void bytes(const char *s)
    {
        for (; *s; s++) {
            wr(DR, static_cast<uint8_t>(*s), 1); // right-aligned byte writes
        }
    }
};

// Reset values: DR and INIT 0xFFFFFFFF, POL 0x04C11DB7 (CRC-32 Ethernet), CR 0.
TEST_F(CrcTest, ResetValues)
{
    EXPECT_EQ(rd(DR), 0xFFFFFFFFu);
    EXPECT_EQ(rd(INIT), 0xFFFFFFFFu);
    EXPECT_EQ(rd(POL), 0x04C11DB7u);
    EXPECT_EQ(rd(CR), 0u);
}

// Default unit, bytes of "123456789" MSB first: CRC-32/MPEG-2 = 0x0376E6E7.
TEST_F(CrcTest, DefaultPolynomialByteWritesGiveCrc32Mpeg2)
{
    bytes("123456789");
    EXPECT_EQ(rd(DR), 0x0376E6E7u);
}

// REV_IN by byte and REV_OUT: the reflected CRC-32; without the final XOR the
// standard check value 0xCBF43926 reads inverted.
TEST_F(CrcTest, ReversedInputAndOutputGiveReflectedCrc32)
{
    wr(CR, REV_IN_BYTE | REV_OUT | CR_RESET);
    bytes("123456789");
    EXPECT_EQ(rd(DR) ^ 0xFFFFFFFFu, 0xCBF43926u);
}

// POLYSIZE 16 with POL 0x1021 and INIT 0xFFFF: CRC-16/CCITT-FALSE = 0x29B1, read
// from the low 16 bits of DR.
TEST_F(CrcTest, SixteenBitPolynomialFromTheLowBits)
{
    wr(POL, 0x1021);
    wr(CR, POLY16);
    wr(INIT, 0xFFFF);
    bytes("123456789");
    EXPECT_EQ(rd(DR), 0x29B1u);
}

// POLYSIZE 8 with POL 0x07, INIT 0: CRC-8 (SMBus) = 0xF4.
TEST_F(CrcTest, EightBitPolynomial)
{
    wr(POL, 0x07);
    wr(CR, POLY8);
    wr(INIT, 0);
    bytes("123456789");
    EXPECT_EQ(rd(DR), 0xF4u);
}

// A word write is the same as its four bytes, most significant first (no reversal).
TEST_F(CrcTest, WordWriteEqualsItsBytesMsbFirst)
{
    wr(DR, 0x31323334);
    const uint32_t word = rd(DR);
    wr(CR, CR_RESET);
    bytes("1234");
    EXPECT_EQ(rd(DR), word);
}

// RESET loads CRC_INIT into DR and reads 0; IDR is not affected by RESET; writing
// INIT also loads DR.
TEST_F(CrcTest, ResetLoadsInitAndLeavesIdr)
{
    wr(IDR, 0xCAFEF00D);
    bytes("abc");
    wr(CR, CR_RESET);
    EXPECT_EQ(rd(DR), 0xFFFFFFFFu);
    EXPECT_EQ(rd(CR) & CR_RESET, 0u);
    EXPECT_EQ(rd(IDR), 0xCAFEF00Du);
    wr(INIT, 0x12345678);
    EXPECT_EQ(rd(DR), 0x12345678u);
}

// REV_IN by word reverses the whole 32-bit input: 0x1A2B3C4D is calculated as
// 0xB23CD458 (RM0399's example), so both give the same CRC.
TEST_F(CrcTest, WordReversalUsesTheRmExample)
{
    wr(CR, REV_IN_WORD | CR_RESET);
    wr(DR, 0x1A2B3C4D);
    const uint32_t reversed_in = rd(DR);
    wr(CR, CR_RESET);
    wr(DR, 0xB23CD458);
    EXPECT_EQ(rd(DR), reversed_in);
}

} // namespace
