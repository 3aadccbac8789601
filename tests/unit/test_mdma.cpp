// STM32H7 MDMA, one RM0399 rule per test (RM0399 Rev 4, "Master direct memory
// access controller (MDMA)"; rules paraphrased in the comments).  The register
// sequences are those of ST's HAL (stm32h7xx_hal_mdma.c: MDMA_Init,
// MDMA_SetConfig, HAL_MDMA_Start_IT, HAL_MDMA_LinkedList_CreateNode) as ST's
// MDMA_LinkedList and MDMA_RepeatBlock_Rotation examples use them.  Memory is
// a fake BusMaster; time a fake Scheduler; the MDMA's clock is 64 MHz, so one
// cycle (one source read or one destination write) takes 15.625 ns.
#include "models/stm32h7_mdma.h"
#include "dma_test_env.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

#include <cstring>

using namespace ampvp;
using testutil::reg_read;
using testutil::reg_write;

namespace {

// RM0399 MDMA register map: GISR0, then channel x at 0x40 + 0x40 * x.
constexpr uint32_t GISR0 = 0x00;
constexpr uint32_t CH(unsigned c) { return 0x40 + 0x40 * c; }
enum : uint32_t {
    ISR = 0x00, IFCR = 0x04, ESR = 0x08, CR = 0x0C, TCR = 0x10, BNDTR = 0x14, SAR = 0x18,
    DAR = 0x1C, BRUR = 0x20, LAR = 0x24, TBR = 0x28, MAR = 0x30, MDR = 0x34,
};
// CxISR / CxIFCR bits.
enum : uint32_t { TEIF = 1u << 0, CTCIF = 1u << 1, BRTIF = 1u << 2, BTIF = 1u << 3, TCIF = 1u << 4,
                  CRQA = 1u << 16 };
// CxCR bits.
enum : uint32_t { EN = 1u << 0, TEIE = 1u << 1, CTCIE = 1u << 2, BRTIE = 1u << 3, BTIE = 1u << 4,
                  TCIE = 1u << 5, PL_HIGH = 2u << 6, SWRQ = 1u << 16 };
// CxTCR fields (HAL's MDMA_SRC_INC_xxx etc. spell the same values).
constexpr uint32_t SINC_INC = 2u << 0, SINC_DEC = 3u << 0, DINC_INC = 2u << 2, DINC_DEC = 3u << 2;
constexpr uint32_t SSIZE(unsigned log2) { return log2 << 4; }
constexpr uint32_t DSIZE(unsigned log2) { return log2 << 6; }
constexpr uint32_t SINCOS(unsigned log2) { return log2 << 8; }
constexpr uint32_t DINCOS(unsigned log2) { return log2 << 10; }
constexpr uint32_t TLEN(unsigned bytes) { return (bytes - 1) << 18; }
constexpr uint32_t PKE = 1u << 25, SWRM = 1u << 30, BWM = 1u << 31;
constexpr uint32_t TRGM_BUFFER = 0u << 28, TRGM_BLOCK = 1u << 28, TRGM_REPEAT = 2u << 28,
                   TRGM_CHANNEL = 3u << 28;
// CxBNDTR
constexpr uint32_t BRC(unsigned n) { return n << 20; }
constexpr uint32_t BRSUM = 1u << 18, BRDUM = 1u << 19;
// CxESR
constexpr uint32_t TED = 1u << 7, TELD = 1u << 8, ASE = 1u << 10, BSE = 1u << 11;

constexpr uint64_t AXI = 0x24000000, SRAM1 = 0x30000000, DTCM = 0x20000000;

struct MdmaTest : ::testing::Test {
    Stm32h7Mdma mdma{"MDMA"};
    dmatest::FakeTime time;
    dmatest::FakeBus bus;
    dmatest::Level irqs;
    testutil::LogCapture cap;
    void SetUp() override
    {
        bus.regions.push_back({AXI, std::vector<uint8_t>(0x20000), -1});
        bus.regions.push_back({SRAM1, std::vector<uint8_t>(0x10000), -1});
        bus.regions.push_back({DTCM, std::vector<uint8_t>(0x1000), -1});
        DeviceContext ctx;
        ctx.scheduler = &time;
        ctx.clock_source = &time;
        ctx.master = &bus;
        mdma.set_context(ctx);
        mdma.irq("irq")->connect(&irqs, 0, 122);
    }
    uint32_t rd(uint32_t off) { return reg_read(mdma, off); }
    void wr(uint32_t off, uint32_t v) { reg_write(mdma, off, v); }
    uint32_t rd(unsigned c, uint32_t r) { return rd(CH(c) + r); }
    void wr(unsigned c, uint32_t r, uint32_t v) { wr(CH(c) + r, v); }
    void fill(uint64_t addr, size_t n, uint8_t seed)
    {
        for (size_t i = 0; i < n; i++) {
            bus.at(addr + i) = static_cast<uint8_t>(seed + 7 * i);
        }
    }
    bool same(uint64_t a, uint64_t b, size_t n)
    {
        return std::memcmp(bus.memory(0, a, n), bus.memory(0, b, n), n) == 0;
    }
    uint16_t half(uint64_t a) { return static_cast<uint16_t>(bus.at(a) | bus.at(a + 1) << 8); }
    // MDMA_Init for a software request: CCR = priority; CTCR = configuration |
    // SWRM | BWM; CBNDTR = BRSUM/BRDUM; CBRUR = offsets; CTBR = 0; CLAR = 0.
    void hal_init(unsigned c, uint32_t tcr, uint32_t brur = 0, uint32_t bndtr = 0)
    {
        wr(c, CR, PL_HIGH);
        wr(c, TCR, tcr | SWRM | BWM);
        wr(c, BNDTR, bndtr);
        wr(c, BRUR, brur);
        wr(c, TBR, 0);
        wr(c, LAR, 0);
    }
    // HAL_MDMA_Start_IT: disable; MDMA_SetConfig (BNDT, BRC, clear flags, DAR,
    // SAR, TBR, LAR = first node); TE | CTC enabled (+ BT/BRT/BFTC when
    // callbacks are set); EN; SWRQ.
    void hal_start_it(unsigned c, uint32_t src, uint32_t dst, uint32_t bytes, uint32_t blocks,
                      uint32_t first_node = 0, uint32_t extra_ie = 0)
    {
        wr(c, CR, rd(c, CR) & ~EN);
        wr(c, BNDTR, (rd(c, BNDTR) & ~0x1FFFFu) | bytes);
        wr(c, BNDTR, (rd(c, BNDTR) & ~0xFFF00000u) | BRC(blocks - 1));
        wr(c, IFCR, TEIF | CTCIF | BRTIF | BTIF | TCIF);
        wr(c, DAR, dst);
        wr(c, SAR, src);
        wr(c, TBR, rd(c, TBR) & ~(3u << 16));
        wr(c, LAR, first_node);
        wr(c, CR, rd(c, CR) | TEIE | CTCIE | extra_ie);
        wr(c, CR, rd(c, CR) | EN);
        wr(c, CR, rd(c, CR) | SWRQ);
    }
    // A node as HAL_MDMA_LinkedList_CreateNode writes it, at `at`.
    void node(uint64_t at, uint32_t tcr, uint32_t bndtr, uint32_t src, uint32_t dst, uint32_t brur,
              uint32_t next)
    {
        const uint32_t w[10] = {tcr | SWRM | BWM, bndtr, src, dst, brur, next, 0, 0, 0, 0};
        std::memcpy(bus.memory(0, at, 40), w, sizeof w);
    }
    // Cycles at 64 MHz -> ns, rounded up per buffer as the model counts them.
    static uint64_t ns(uint64_t cycles) { return (cycles * 1000000000ull + 63999999) / 64000000; }
};

constexpr uint32_t WORD_COPY = SINC_INC | SINCOS(2) | DINC_INC | DINCOS(2) | SSIZE(2) | DSIZE(2) |
                               PKE | TLEN(128);

// ---- the register table ---------------------------------------------------

// RM0399 MDMA register map: every register resets to 0; GISR0 and CxISR are
// read-only, CxCR bits 8-11, 15 and 17-31 are reserved.
TEST_F(MdmaTest, ResetValuesAndReadOnlyRegisters)
{
    for (unsigned c = 0; c < 16; c++) {
        for (uint32_t r : {ISR, ESR, CR, TCR, BNDTR, SAR, DAR, BRUR, LAR, TBR, MAR, MDR}) {
            EXPECT_EQ(rd(c, r), 0u) << "channel " << c << " +" << r;
        }
    }
    EXPECT_EQ(mdma.bank()["C0CR"].defined_mask(), 0x000170FFu);
    wr(GISR0, 0xFFFF);
    wr(0, ISR, 0xFFFFFFFF);
    EXPECT_EQ(rd(GISR0), 0u);
    EXPECT_EQ(rd(0, ISR), 0u);
}

// ---- software request, whole channel -------------------------------------

// RM0399 "MDMA channel transfer": with TRGM = 11 one request moves the whole
// channel transfer; at its end CTCIF is set and the channel is disabled by
// hardware (EN = 0), BNDT is 0 and CxSAR/CxDAR point past the data.
TEST_F(MdmaTest, SoftwareRequestMovesTheChannelThenSetsCtcifAndClearsEn)
{
    fill(AXI, 1024, 3);
    hal_init(0, WORD_COPY | TRGM_CHANNEL);
    hal_start_it(0, AXI, SRAM1, 1024, 1);
    time.advance(ns(512));
    EXPECT_TRUE(same(AXI, SRAM1, 1024));
    EXPECT_EQ(rd(0, CR) & EN, 0u);
    EXPECT_EQ(rd(0, ISR), CTCIF | BRTIF | BTIF | TCIF);
    EXPECT_EQ(rd(0, BNDTR) & 0x1FFFFu, 0u);
    EXPECT_EQ(rd(0, SAR), AXI + 1024);
    EXPECT_EQ(rd(0, DAR), SRAM1 + 1024);
}

// The transfer takes time: one cycle per source item and per destination item
// (model's timing rule).  Right after SWRQ the request is active (CRQA = 1),
// BNDT full and the destination untouched; 256 words + 256 words = 512
// cycles = 8 us later it is done.
TEST_F(MdmaTest, TransferTakesOneCyclePerItemReadAndWritten)
{
    fill(AXI, 1024, 9);
    hal_init(0, WORD_COPY | TRGM_CHANNEL);
    hal_start_it(0, AXI, SRAM1, 1024, 1);
    EXPECT_EQ(rd(0, ISR), CRQA);
    EXPECT_EQ(rd(0, BNDTR), 1024u);
    EXPECT_EQ(bus.at(SRAM1), 0u);
    time.advance(ns(512) - 10);
    EXPECT_EQ(rd(0, CR) & EN, EN);
    EXPECT_NE(rd(0, BNDTR), 0u);
    time.advance(10);
    EXPECT_EQ(rd(0, ISR) & (CTCIF | CRQA), CTCIF);
}

// RM0399 "MDMA interrupts" / MDMA_GISR0: GIFx is the OR of channel x's flags
// whose interrupt is enabled; the MDMA interrupt follows it.  Writing 1 to a
// CxIFCR bit clears the flag.
TEST_F(MdmaTest, GlobalFlagFollowsEnabledFlagsAndIfcrClears)
{
    fill(AXI, 64, 1);
    hal_init(3, WORD_COPY | TRGM_CHANNEL);
    hal_start_it(3, AXI, SRAM1, 64, 1);
    time.advance(ns(32));
    EXPECT_EQ(rd(3, ISR), CTCIF | BRTIF | BTIF | TCIF);
    EXPECT_EQ(rd(GISR0), 1u << 3);
    EXPECT_TRUE(irqs[122]);
    wr(3, IFCR, CTCIF);
    EXPECT_EQ(rd(3, ISR), BRTIF | BTIF | TCIF); // not enabled: no interrupt
    EXPECT_EQ(rd(GISR0), 0u);
    EXPECT_FALSE(irqs[122]);
    wr(3, IFCR, BRTIF | BTIF | TCIF);
    EXPECT_EQ(rd(3, ISR), 0u);
}

// ---- buffers, blocks, repeated blocks ------------------------------------

// RM0399 CxTCR.TLEN / CxISR.TCIF: data moves in buffers of TLEN + 1 bytes;
// TCIF is set at the end of each.  With TRGM = 00 a request moves one buffer
// and CRQA clears; the channel stays enabled for the next request.
TEST_F(MdmaTest, BufferTriggerMovesOneBufferPerRequest)
{
    fill(AXI, 64, 5);
    hal_init(0, (WORD_COPY & ~TLEN(128)) | TLEN(16) | TRGM_BUFFER);
    hal_start_it(0, AXI, SRAM1, 64, 1);
    time.advance(ns(8));
    EXPECT_EQ(rd(0, ISR), TCIF);
    EXPECT_EQ(rd(0, BNDTR), 48u);
    EXPECT_EQ(rd(0, CR) & EN, EN);
    EXPECT_TRUE(same(AXI, SRAM1, 16));
    EXPECT_EQ(bus.at(SRAM1 + 16), 0u);
    wr(0, CR, rd(0, CR) | SWRQ);
    time.advance(ns(8));
    EXPECT_EQ(rd(0, BNDTR), 32u);
    EXPECT_TRUE(same(AXI, SRAM1, 32));
}

// RM0399 CxBNDTR.BRC / CxBRUR: after each block BRC decrements, BNDT is
// reloaded and CxSAR/CxDAR move on by SUV/DUV; BRTIF at the end of the
// repeated block.  (MDMA_RepeatBlock_Rotation: an 8-pixel RGB565 line copied
// into a 12-pixel-wide frame, DUV = the 4 pixels to skip.)
TEST_F(MdmaTest, RepeatedBlocksMoveTheAddressesByTheUpdateValues)
{
    const uint32_t halfs = SINC_INC | SINCOS(1) | DINC_INC | DINCOS(1) | SSIZE(1) | DSIZE(1) | PKE |
                           TLEN(128) | TRGM_REPEAT;
    fill(AXI, 3 * 16, 11);
    hal_init(0, halfs, (8u /* 4 px */) << 16);
    hal_start_it(0, AXI, SRAM1, 16, 3);
    time.advance(ns(3 * 16));
    for (unsigned line = 0; line < 3; line++) {
        EXPECT_TRUE(same(AXI + 16 * line, SRAM1 + 24 * line, 16)) << "line " << line;
        EXPECT_EQ(half(SRAM1 + 24 * line + 16), 0u) << "gap of line " << line;
    }
    EXPECT_EQ(rd(0, ISR), CTCIF | BRTIF | BTIF | TCIF);
    EXPECT_EQ(rd(0, BNDTR) >> 20, 0u); // BRC
}

// RM0399 CxTCR.DINC = 11: the destination address decrements by the DINCOS
// size after each item; BRDUM = 1 subtracts DUV at the end of a block
// (MDMA_RepeatBlock_Rotation's 180 degree rotation).
TEST_F(MdmaTest, DecrementingDestinationReversesTheData)
{
    const uint32_t rev = SINC_INC | SINCOS(1) | DINC_DEC | DINCOS(1) | SSIZE(1) | DSIZE(1) | PKE |
                         TLEN(128) | TRGM_REPEAT;
    for (unsigned i = 0; i < 8; i++) { // two lines of 4 pixels, values 1..8
        bus.at(AXI + 2 * i) = static_cast<uint8_t>(i + 1);
    }
    // Start at the last pixel of a 2 x 4 frame; after a line DAR is 4 pixels
    // lower than it started: nothing more to skip (DUV = 0).
    hal_init(0, rev, 0, BRDUM);
    hal_start_it(0, AXI, SRAM1 + 14, 8, 2);
    time.advance(ns(16));
    for (unsigned i = 0; i < 8; i++) {
        EXPECT_EQ(half(SRAM1 + 2 * i), 8 - i) << "pixel " << i;
    }
}

// RM0399 CxTCR.SINC = 00: the source address stays; a fill from one value
// (MDMA_RepeatBlock_Rotation clears its frame from one RGB565 colour).
TEST_F(MdmaTest, FixedSourceFillsTheDestination)
{
    bus.at(AXI) = 0x34;
    bus.at(AXI + 1) = 0x12;
    hal_init(0, DINC_INC | DINCOS(1) | SSIZE(1) | DSIZE(1) | PKE | TLEN(128) | TRGM_REPEAT);
    hal_start_it(0, AXI, SRAM1, 20, 2);
    time.advance(2 * ns(20)); // two blocks of 10 + 10 cycles
    for (unsigned i = 0; i < 20; i++) {
        EXPECT_EQ(half(SRAM1 + 2 * i), 0x1234) << i;
    }
    EXPECT_EQ(rd(0, SAR), AXI);
}

// RM0399 CxTCR.TRGM = 01: each request moves one block; between blocks CRQA
// is 0 and the channel waits, enabled, for the next request.
TEST_F(MdmaTest, BlockTriggerWaitsForARequestPerBlock)
{
    fill(AXI, 64, 2);
    hal_init(0, (WORD_COPY & ~(3u << 28)) | TRGM_BLOCK);
    hal_start_it(0, AXI, SRAM1, 32, 2, 0, BTIE);
    time.advance(ns(16));
    EXPECT_EQ(rd(0, ISR), BTIF | TCIF);
    EXPECT_EQ(rd(0, CR) & EN, EN);
    EXPECT_TRUE(irqs[122]);
    EXPECT_EQ(bus.at(SRAM1 + 32), 0u);
    wr(0, IFCR, BTIF | TCIF);
    wr(0, CR, rd(0, CR) | SWRQ);
    time.advance(ns(16));
    EXPECT_TRUE(same(AXI, SRAM1, 64));
    EXPECT_EQ(rd(0, ISR), CTCIF | BRTIF | BTIF | TCIF);
}

// ---- linked list ------------------------------------------------------------

// RM0399 "Linked list mode": at the end of the (repeated) block, CxLAR != 0
// loads the next node (CTCR, CBNDTR, CSAR, CDAR, CBRUR, CLAR, CTBR, -, CMAR,
// CMDR) from memory and the transfer goes on; CxLAR = 0 ends the channel.
// (MDMA_LinkedList: node 0 word -> byte, node 1 byte -> byte, node 2 byte
// -> word, one software request, TRGM = 11.)
TEST_F(MdmaTest, LinkedListLoadsEachNodeAndRunsIt)
{
    fill(AXI, 3 * 64, 21);
    const uint32_t n1 = AXI + 0x1000, n2 = AXI + 0x1040;
    node(n1, SINC_INC | SINCOS(0) | DINC_INC | DINCOS(0) | PKE | TLEN(2) | TRGM_CHANNEL, 64,
         AXI + 64, SRAM1 + 64, 0, n2);
    node(n2, SINC_INC | SINCOS(0) | DINC_INC | DINCOS(2) | DSIZE(2) | PKE | TLEN(4) | TRGM_CHANNEL,
         64, AXI + 128, SRAM1 + 128, 0, 0);
    hal_init(0, SINC_INC | SINCOS(2) | DINC_INC | DINCOS(0) | SSIZE(2) | PKE | TLEN(4) |
                    TRGM_CHANNEL);
    hal_start_it(0, AXI, SRAM1, 64, 1, n1);
    time.advance(20000);
    EXPECT_TRUE(same(AXI, SRAM1, 3 * 64));
    EXPECT_EQ(rd(0, ISR) & (CTCIF | TEIF), CTCIF);
    EXPECT_EQ(rd(0, LAR), 0u);
    EXPECT_EQ(rd(0, SAR), AXI + 192); // the last node's registers
    EXPECT_FALSE(cap.has("guest error"));
}

// RM0399 CxESR.TELD: a node that cannot be read is a transfer error (TEIF,
// channel disabled).
TEST_F(MdmaTest, UnreadableNodeIsALinkTransferError)
{
    fill(AXI, 16, 1);
    hal_init(0, WORD_COPY | TRGM_CHANNEL);
    hal_start_it(0, AXI, SRAM1, 16, 1, 0x60000000);
    time.advance(1000);
    EXPECT_EQ(rd(0, ISR) & (TEIF | CTCIF), TEIF);
    EXPECT_EQ(rd(0, ESR) & TELD, TELD);
    EXPECT_EQ(rd(0, CR) & EN, 0u);
    EXPECT_TRUE(irqs[122]); // TEIE
}

// ---- errors and software disable ------------------------------------------

// RM0399 CxESR.BSE: a block size that is not a multiple of the source or
// destination data size is a transfer error; CxIFCR.CTEIF clears TEIF and the
// error status.
TEST_F(MdmaTest, BlockSizeNotAMultipleOfTheDataSizeIsAnError)
{
    hal_init(0, WORD_COPY | TRGM_CHANNEL);
    hal_start_it(0, AXI, SRAM1, 6, 1);
    EXPECT_EQ(rd(0, ISR), TEIF);
    EXPECT_EQ(rd(0, ESR), BSE);
    EXPECT_EQ(rd(0, CR) & EN, 0u);
    wr(0, IFCR, TEIF);
    EXPECT_EQ(rd(0, ISR), 0u);
    EXPECT_EQ(rd(0, ESR), 0u);
}

// RM0399 CxESR.ASE: an address not aligned on its data size is an error.
TEST_F(MdmaTest, UnalignedAddressIsAnAlignmentError)
{
    hal_init(0, WORD_COPY | TRGM_CHANNEL);
    hal_start_it(0, AXI + 2, SRAM1, 16, 1);
    EXPECT_EQ(rd(0, ISR), TEIF);
    EXPECT_EQ(rd(0, ESR), ASE);
}

// RM0399 CxESR: a bus error records the 7 low bits of the address (TEA) and
// whether it was a write (TED = 1); TEIF is set and the channel disabled.
TEST_F(MdmaTest, BusErrorRecordsAddressAndDirection)
{
    fill(AXI, 16, 1);
    hal_init(0, WORD_COPY | TRGM_CHANNEL);
    hal_start_it(0, AXI, 0x70000044, 16, 1);
    time.advance(1000);
    EXPECT_EQ(rd(0, ISR) & (TEIF | CTCIF), TEIF);
    EXPECT_EQ(rd(0, ESR), TED | 0x44u);
    EXPECT_EQ(rd(0, CR) & EN, 0u);
}

// RM0399 CxISR.CTCIF: "CTC is also set when the channel is suspended, as a
// result of writing EN bit to 0"; the registers show where it stopped.
TEST_F(MdmaTest, SoftwareDisableSuspendsAndSetsCtcif)
{
    fill(AXI, 4096, 4);
    hal_init(0, WORD_COPY | TRGM_CHANNEL);
    hal_start_it(0, AXI, SRAM1, 4096, 1);
    time.advance(ns(128)); // 2 buffers of 128 bytes: 64 cycles each
    wr(0, CR, rd(0, CR) & ~EN);
    EXPECT_EQ(rd(0, ISR) & (CTCIF | CRQA), CTCIF);
    EXPECT_EQ(rd(0, BNDTR), 4096u - 256);
    EXPECT_EQ(rd(0, DAR), SRAM1 + 256);
    time.advance(100000);
    EXPECT_EQ(bus.at(SRAM1 + 300), 0u);
}

// RM0399 CxTCR ... CxMDR: "protected, can be written only if EN is 0".
TEST_F(MdmaTest, ConfigurationIsProtectedWhileEnabled)
{
    hal_init(0, WORD_COPY | TRGM_CHANNEL);
    wr(0, CR, rd(0, CR) | EN);
    wr(0, SAR, 0x1234);
    wr(0, TCR, 0);
    EXPECT_EQ(rd(0, SAR), 0u);
    EXPECT_EQ(rd(0, TCR), WORD_COPY | TRGM_CHANNEL | SWRM | BWM);
    EXPECT_TRUE(cap.has("CxSAR written while EN = 1"));
    wr(0, CR, rd(0, CR) | TCIE); // interrupt enables stay writable
    EXPECT_EQ(rd(0, CR) & TCIE, TCIE);
}

// The MDMA reaches the CM7's TCMs (through the CM7's AHBS): a DTCM source is
// copied like any other memory (HAL sets CTBR.SBUS for 0x20xxxxxx).
TEST_F(MdmaTest, DtcmIsReachable)
{
    fill(DTCM, 256, 8);
    hal_init(0, WORD_COPY | TRGM_CHANNEL);
    hal_start_it(0, DTCM, AXI, 256, 1);
    time.advance(ns(128));
    EXPECT_TRUE(same(DTCM, AXI, 256));
}

} // namespace
