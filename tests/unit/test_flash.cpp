// STM32H7 embedded flash interface: programming, erase and option bytes, one
// RM0399 rule per test (RM0399 Rev 4, "Embedded flash memory (FLASH)"; rules
// paraphrased).  Register sequences as ST's HAL uses them
// (stm32h7xx_hal_flash.c / _flash_ex.c).  The flash arrays are byte vectors
// behind a fake BusMaster; time is a fake scheduler.  (Boot option bytes read
// at reset: test_sys.cpp.)
#include "fake_time.h"
#include "bus.h"
#include "machine.h"
#include "models/stm32h7_flash.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

#include <map>

using namespace ampvp;
using testutil::reg_read;
using testutil::reg_write;

namespace {

using FakeTime = testutil::FakeScheduler;

// Two 1 MiB banks, erased.
struct FakeFlash : BusMaster {
    std::vector<uint8_t> bytes = std::vector<uint8_t>(2u << 20, 0xFF);
    uint8_t *memory(CoreId, uint64_t addr, uint64_t len) override
    {
        if (addr < 0x08000000 || addr + len > 0x08200000) {
            return nullptr;
        }
        return bytes.data() + (addr - 0x08000000);
    }
    uint8_t &at(uint64_t addr) { return bytes[addr - 0x08000000]; }
    uint32_t word(uint64_t addr) { uint32_t v; std::memcpy(&v, &at(addr), 4); return v; }
    bool read(CoreId, uint64_t, unsigned, uint32_t &) override { return false; }
    bool write(CoreId, uint64_t, unsigned, uint32_t) override { return false; }
    const ElfImage *image(CoreId) const override { return nullptr; }
};

struct Level : IrqSink {
    bool level = false;
    void set_irq(CoreId, unsigned, bool l) override { level = l; }
    void send_event(CoreId) override {}
};

enum : uint32_t {
    KEYR1 = 0x004, OPTKEYR = 0x008, CR1 = 0x00C, SR1 = 0x010, CCR1 = 0x014, OPTCR = 0x018,
    OPTSR_CUR = 0x01C, OPTSR_PRG = 0x020, BOOT4_CUR = 0x048, BOOT4_PRG = 0x04C,
    KEYR2 = 0x104, CR2 = 0x10C, SR2 = 0x110, CCR2 = 0x114,
};
enum : uint32_t {
    LOCK = 1u << 0, PG = 1u << 1, SER = 1u << 2, BER = 1u << 3, PSIZE_X64 = 3u << 4, FW = 1u << 6,
    START = 1u << 7, EOPIE = 1u << 16,
    BSY = 1u << 0, WBNE = 1u << 1, QW = 1u << 2, EOP = 1u << 16, PGSERR = 1u << 18, STRBERR = 1u << 19,
    INCERR = 1u << 21,
    OPTLOCK = 1u << 0, OPTSTART = 1u << 1, BCM4 = 1u << 22,
};
uint32_t snb(uint32_t s) { return s << 8; }
constexpr uint64_t kProgX64 = 100000, kSectorX64 = 1000000000ull;
constexpr uint64_t BANK2 = 0x08100000;

struct FlashTest : ::testing::Test {
    Stm32h7Flash f{"FLASH"};
    FakeTime time;
    FakeFlash flash;
    Level irq;
    testutil::LogCapture cap;
    void SetUp() override
    {
        DeviceContext ctx;
        ctx.scheduler = &time;
        ctx.master = &flash;
        f.set_context(ctx);
        f.configure({{"cpu1", "cm7"}, {"cpu2", "cm4"}}, {"cm7", "cm4"});
        f.reset();
        f.irq("irq")->connect(&irq, 0, 4);
    }
    uint32_t rd(uint32_t off) { return reg_read(f, off); }
    void wr(uint32_t off, uint32_t v) { reg_write(f, off, v); }
    // A core's 32-bit store to the flash memory (the bus routes it here).
    bool store(uint64_t addr, uint32_t v)
    {
        BusAccess a;
        a.core_name = "cm7";
        a.addr = addr;
        a.size = 4;
        f.memory_write(a, v);
        return !a.fault;
    }
    // HAL_FLASH_Unlock for bank 2.
    void unlock2()
    {
        wr(KEYR2, Stm32h7Flash::KEY1);
        wr(KEYR2, Stm32h7Flash::KEY2);
    }
    // HAL_FLASH_Program(FLASHWORD): PG, eight words, (wait), PG off.
    void program_word(uint64_t addr, uint32_t base)
    {
        wr(CR2, PSIZE_X64 | PG);
        for (unsigned i = 0; i < 8; i++) {
            store(addr + 4 * i, base + i);
        }
    }
};

// RM0399 "FLASH configuration protection": KEY1 then KEY2 in FLASH_KEYRx clear
// LOCK in FLASH_CRx; CRx cannot be written while locked.
TEST_F(FlashTest, KeySequenceUnlocksCr)
{
    EXPECT_EQ(rd(CR2), 0x31u); // LOCK, PSIZE = x64
    wr(CR2, PG);
    EXPECT_EQ(rd(CR2) & PG, 0u);
    EXPECT_TRUE(cap.has("CR2 written while locked"));
    unlock2();
    EXPECT_EQ(rd(CR2) & LOCK, 0u);
    EXPECT_EQ(rd(CR1) & LOCK, LOCK); // the other bank is still locked
    wr(CR2, LOCK); // HAL_FLASH_Lock
    EXPECT_EQ(rd(CR2) & LOCK, LOCK);
}

// RM0399: a wrong key sequence is a bus error and locks FLASH_CRx until the
// next reset.
TEST_F(FlashTest, WrongKeyLocksUntilReset)
{
    BusAccess a;
    a.core_name = "cm7";
    a.offset = KEYR2;
    f.write(a, 0x12345678);
    EXPECT_TRUE(a.fault);
    unlock2();
    EXPECT_EQ(rd(CR2) & LOCK, LOCK);
    f.reset();
    unlock2();
    EXPECT_EQ(rd(CR2) & LOCK, 0u);
}

// RM0399 "FLASH program operations": with PG the stores fill the 256-bit write
// buffer (WBNE); the eighth 32-bit word starts programming (QW, BSY) for tprog
// (x64: 100 us), after which the flash word is in the memory and EOP is set.
TEST_F(FlashTest, EightWordsProgramAFlashWord)
{
    unlock2();
    wr(CR2, PSIZE_X64 | PG);
    for (unsigned i = 0; i < 7; i++) {
        store(BANK2 + 4 * i, 0xA0000000u + i);
    }
    EXPECT_EQ(rd(SR2) & (WBNE | QW), WBNE);
    store(BANK2 + 28, 0xA0000007u);
    EXPECT_EQ(rd(SR2) & (WBNE | QW | BSY), QW | BSY);
    EXPECT_EQ(flash.word(BANK2), 0xFFFFFFFFu); // not yet
    time.advance(kProgX64 - 1000);
    EXPECT_EQ(rd(SR2) & QW, QW);
    time.advance(1000);
    EXPECT_EQ(rd(SR2) & (QW | BSY | EOP), EOP);
    for (unsigned i = 0; i < 8; i++) {
        EXPECT_EQ(flash.word(BANK2 + 4 * i), 0xA0000000u + i);
    }
}

// The datasheet's programming time grows as the parallelism (PSIZE) shrinks:
// x8 takes 290 us.
TEST_F(FlashTest, ProgrammingTimeFollowsPsize)
{
    unlock2();
    wr(CR2, PG); // PSIZE = x8
    for (unsigned i = 0; i < 8; i++) {
        store(BANK2 + 4 * i, i);
    }
    time.advance(289000);
    EXPECT_EQ(rd(SR2) & QW, QW);
    time.advance(1000);
    EXPECT_EQ(rd(SR2) & QW, 0u);
}

// RM0399 PGSERR: a write to the flash memory without PG is a programming
// sequence error; nothing is written.
TEST_F(FlashTest, StoreWithoutPgIsASequenceError)
{
    unlock2();
    store(BANK2, 0);
    EXPECT_EQ(rd(SR2) & PGSERR, PGSERR);
    EXPECT_EQ(flash.word(BANK2), 0xFFFFFFFFu);
    wr(CCR2, PGSERR); // cleared by writing 1 to CLR_PGSERR
    EXPECT_EQ(rd(SR2) & PGSERR, 0u);
}

// RM0399 INCERR: a store into another flash word while the write buffer holds
// part of one; the partial word is not programmed.
TEST_F(FlashTest, StoreIntoAnotherWordIsAnInconsistency)
{
    unlock2();
    wr(CR2, PSIZE_X64 | PG);
    store(BANK2, 1);
    store(BANK2 + 64, 2);
    EXPECT_EQ(rd(SR2) & INCERR, INCERR);
}

// RM0399 STRBERR: the same bytes written twice into the write buffer.
TEST_F(FlashTest, SameWordTwiceIsAStrobeError)
{
    unlock2();
    wr(CR2, PSIZE_X64 | PG);
    store(BANK2, 1);
    store(BANK2, 2);
    EXPECT_EQ(rd(SR2) & STRBERR, STRBERR);
}

// RM0399 FW: force-write programs a partly filled write buffer; the bytes not
// written are programmed as 1s (erased).
TEST_F(FlashTest, ForceWriteProgramsAPartialWord)
{
    unlock2();
    wr(CR2, PSIZE_X64 | PG);
    store(BANK2, 0x11223344);
    wr(CR2, PSIZE_X64 | PG | FW);
    EXPECT_EQ(rd(SR2) & QW, QW);
    time.advance(kProgX64);
    EXPECT_EQ(flash.word(BANK2), 0x11223344u);
    EXPECT_EQ(flash.word(BANK2 + 4), 0xFFFFFFFFu);
}

// RM0399: a flash word can be programmed only once after erase (ECC); doing it
// again is the firmware's error (the model stores old AND new).
TEST_F(FlashTest, ReprogrammingWithoutEraseIsAGuestError)
{
    unlock2();
    program_word(BANK2, 0xF0F0F0F0u);
    time.advance(kProgX64);
    program_word(BANK2, 0x0F0F0F0Fu);
    time.advance(kProgX64);
    EXPECT_TRUE(cap.has("without being erased"));
    EXPECT_EQ(flash.word(BANK2) & 0xFF, 0x00u);
}

// RM0399 "FLASH erase operations": SER + SNB + START erases one 128 KiB sector
// (x64: 1 s): it reads 0xFF after, its neighbours keep their data; START is
// cleared and EOP set at the end, with the interrupt if EOPIE.
TEST_F(FlashTest, SectorEraseErasesOneSector)
{
    flash.at(BANK2 + 0x20000) = 0x00;     // sector 1
    flash.at(BANK2 + 0x3FFFF) = 0x00;     // its last byte
    flash.at(BANK2 + 0x40000) = 0x00;     // sector 2
    unlock2();
    wr(CR2, PSIZE_X64 | SER | snb(1) | EOPIE);
    wr(CR2, PSIZE_X64 | SER | snb(1) | EOPIE | START);
    EXPECT_EQ(rd(SR2) & QW, QW);
    time.advance(kSectorX64 - 1000);
    EXPECT_EQ(flash.at(BANK2 + 0x20000), 0x00);
    EXPECT_FALSE(irq.level);
    time.advance(1000);
    EXPECT_EQ(flash.at(BANK2 + 0x20000), 0xFF);
    EXPECT_EQ(flash.at(BANK2 + 0x3FFFF), 0xFF);
    EXPECT_EQ(flash.at(BANK2 + 0x40000), 0x00);
    EXPECT_EQ(rd(CR2) & START, 0u);
    EXPECT_EQ(rd(SR2) & (EOP | QW), EOP);
    EXPECT_TRUE(irq.level);
    wr(CCR2, EOP);
    EXPECT_FALSE(irq.level);
}

// RM0399: BER + START erases the whole bank (8 sectors), not the other bank.
TEST_F(FlashTest, BankEraseErasesTheBank)
{
    flash.at(BANK2 + 0xFFFFF) = 0;
    flash.at(0x08000000) = 0;
    unlock2();
    wr(CR2, PSIZE_X64 | BER);
    wr(CR2, PSIZE_X64 | BER | START);
    time.advance(8 * kSectorX64);
    EXPECT_EQ(flash.at(BANK2 + 0xFFFFF), 0xFF);
    EXPECT_EQ(flash.at(0x08000000), 0x00);
}

// RM0399: SER and BER set together is a programming sequence error: no erase.
TEST_F(FlashTest, SerWithBerIsASequenceError)
{
    flash.at(BANK2) = 0;
    unlock2();
    wr(CR2, PSIZE_X64 | SER | BER | START);
    EXPECT_EQ(rd(SR2) & PGSERR, PGSERR);
    time.advance(8 * kSectorX64);
    EXPECT_EQ(flash.at(BANK2), 0x00);
}

// RM0399 "FLASH option bytes": OPTKEY1/OPTKEY2 unlock OPTCR; OPTSTART loads
// OPTSR_PRG and BOOTx_PRG into the _CUR registers.  The new option bytes are
// the chip's: a reset keeps them (BCM4 = 0: the CM4 is gated from then on).
TEST_F(FlashTest, OptionBytesProgrammedByOptstartSurviveReset)
{
    wr(OPTSR_PRG, rd(OPTSR_CUR) & ~BCM4); // locked: ignored
    EXPECT_EQ(rd(OPTSR_PRG) & BCM4, BCM4);
    wr(OPTKEYR, Stm32h7Flash::OPTKEY1);
    wr(OPTKEYR, Stm32h7Flash::OPTKEY2);
    EXPECT_EQ(rd(OPTCR) & OPTLOCK, 0u);
    wr(OPTSR_PRG, rd(OPTSR_CUR) & ~BCM4);
    wr(BOOT4_PRG, 0x10001000);
    EXPECT_EQ(rd(OPTSR_CUR) & BCM4, BCM4); // not yet
    wr(OPTCR, OPTSTART);
    EXPECT_EQ(rd(OPTSR_CUR) & BCM4, 0u);
    EXPECT_EQ(rd(BOOT4_CUR), 0x10001000u);
    EXPECT_EQ(rd(OPTCR) & OPTSTART, 0u);
    wr(OPTCR, OPTLOCK);
    f.reset();
    EXPECT_EQ(rd(OPTSR_CUR) & BCM4, 0u);
    EXPECT_EQ(rd(OPTCR) & OPTLOCK, OPTLOCK);
    EXPECT_EQ(f.boot_gated(1), std::optional<bool>(true));
}

// The machine routes the cores' stores to flash to the FLASH model (role
// "flash"): a store without PG reaches it as a sequence error.
TEST(FlashOnTheBus, StoresToFlashReachTheFlashInterface)
{
    testutil::LogCapture cap;
    struct : IrqSink {
        void set_irq(CoreId, unsigned, bool) override {}
        void send_event(CoreId) override {}
    } irqs;
    MachineDesc m = MachineDesc::load_file(testutil::source_dir() + "/machine/stm32h745.json");
    DeviceContext ctx;
    Bus bus(m, ctx, &irqs);
    BusAccess a;
    a.core_name = "cm7";
    a.addr = BANK2;
    a.size = 4;
    bus.write(a, 0);
    a.addr = 0x52002110; // FLASH_SR2
    EXPECT_EQ(bus.read(a) & PGSERR, PGSERR);
}

} // namespace
