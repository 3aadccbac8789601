// The register engine: access types, reserved bits, sub-word accesses,
// hooks, unknown offsets.
#include "log.h"
#include "regs.h"

#include <gtest/gtest.h>

#include <vector>

using namespace ampvp;

namespace {

struct LogCapture {
    std::vector<std::string> lines;
    LogCapture()
    {
        log().clear_once();
        log().set_sink([this](const std::string &l, bool) { lines.push_back(l); });
    }
    ~LogCapture() { log().reset_sink(); }
    bool has(const std::string &s) const
    {
        for (const auto &l : lines) {
            if (l.find(s) != std::string::npos) {
                return true;
            }
        }
        return false;
    }
};

struct TestDev : RegisterDevice {
    TestDev() : RegisterDevice("DEV")
    {
        regs_.reg("CTRL", 0x0, 0x00000010)
            .field("EN", 0, 1, Acc::RW)
            .field("MODE", 4, 4, Acc::RW)
            .field("RDY", 8, 1, Acc::RO)
            .unimpl("FANCY", 12, 1);
        regs_.reg("SR", 0x4, 0x0000000F).field("F", 0, 4, Acc::W1C).field("S", 4, 4, Acc::W1S);
        regs_.reg("CMD", 0x8, 0).field("GO", 0, 1, Acc::WO);
        regs_.reg("DR", 0xC, 0).field("D", 0, 8, Acc::RC);
    }
};

BusAccess acc(uint64_t off, unsigned size = 4)
{
    BusAccess a;
    a.core_name = "cm7";
    a.offset = off;
    a.addr = 0x40000000 + off;
    a.size = size;
    return a;
}

TEST(Regs, ResetValuesComeFromTheTable)
{
    TestDev d;
    auto a = acc(0);
    EXPECT_EQ(d.read(a), 0x10u);
    a = acc(4);
    EXPECT_EQ(d.read(a), 0xFu);
}

TEST(Regs, ReadOnlyFieldIgnoresWrites)
{
    TestDev d;
    auto a = acc(0);
    d.write(a, 0x101);
    EXPECT_EQ(d.read(a), 0x001u); // EN set, MODE cleared, RDY stays 0
}

TEST(Regs, WriteOneToClearAndWriteOneToSet)
{
    TestDev d;
    auto a = acc(4);
    d.write(a, 0x15); // clear F bits 0 and 2, set S bit 4
    EXPECT_EQ(d.read(a), 0x1Au);
    d.write(a, 0x00); // zeros do nothing
    EXPECT_EQ(d.read(a), 0x1Au);
}

TEST(Regs, WriteOnlyReadsAsZero)
{
    TestDev d;
    auto a = acc(8);
    d.write(a, 1);
    EXPECT_EQ(d.bank()["CMD"].value, 1u);
    EXPECT_EQ(d.read(a), 0u);
}

TEST(Regs, ReadToClear)
{
    TestDev d;
    d.bank()["DR"].value = 0x5A;
    auto a = acc(0xC);
    EXPECT_EQ(d.read(a), 0x5Au);
    EXPECT_EQ(d.read(a), 0u);
}

TEST(Regs, ReservedBitsAreIgnoredAndReportedOnce)
{
    LogCapture cap;
    TestDev d;
    auto a = acc(0);
    d.write(a, 0x80000001);
    d.write(a, 0x80000001);
    EXPECT_EQ(d.read(a), 0x1u);
    int n = 0;
    for (const auto &l : cap.lines) {
        n += l.find("reserved bits of DEV.CTRL") != std::string::npos;
    }
    EXPECT_EQ(n, 1);
}

// RM convention "Reserved, must be kept at reset value": a read-modify-write
// that writes reserved bits back as they reset (1s in IPCC_CxMR) is no error.
TEST(Regs, ReservedBitsWrittenAtTheirResetValueAreNoError)
{
    LogCapture cap;
    struct Ones : RegisterDevice {
        Ones() : RegisterDevice("ONES") { regs_.reg("MR", 0, 0xFFFFFFFFu).field("M", 0, 6, Acc::RW); }
    } d;
    auto a = acc(0);
    const uint32_t v = d.read(a);
    EXPECT_EQ(v, 0xFFFFFFFFu);
    d.write(a, v & ~1u);
    EXPECT_EQ(d.read(a), 0xFFFFFFFEu);
    EXPECT_FALSE(cap.has("reserved bits"));
    d.write(a, 0x3Fu); // reserved bits written 0: not their reset value
    EXPECT_TRUE(cap.has("reserved bits of ONES.MR"));
}

TEST(Regs, UnimplementedFieldIsStoredAndNamedOnce)
{
    LogCapture cap;
    TestDev d;
    auto a = acc(0);
    d.write(a, 1u << 12);
    EXPECT_EQ(d.read(a), 1u << 12);
    EXPECT_TRUE(cap.has("DEV.CTRL.FANCY"));
}

TEST(Regs, ByteWriteTouchesOnlyItsLane)
{
    TestDev d;
    auto a = acc(0);
    d.write(a, 0x11); // EN=1, MODE=1
    auto b = acc(1, 1);
    d.write(b, 0x10); // byte 1: bit 12 (FANCY)
    EXPECT_EQ(d.read(a), 0x1011u);
    auto r = acc(1, 1);
    EXPECT_EQ(d.read(r), 0x10u);
}

TEST(Regs, ByteWriteToW1CRegisterClearsOnlyThatLane)
{
    TestDev d;
    d.bank()["SR"].value = 0x0F;
    auto b = acc(5, 1); // byte 1 of SR: nothing there; must not clear byte 0
    d.write(b, 0xFF);
    EXPECT_EQ(d.bank()["SR"].value, 0x0Fu);
}

TEST(Regs, UnknownOffsetReadsZeroAndIsReportedWithCoreAndAddress)
{
    LogCapture cap;
    TestDev d;
    auto a = acc(0x40);
    EXPECT_EQ(d.read(a), 0u);
    EXPECT_FALSE(a.fault);
    EXPECT_TRUE(cap.has("cm7 read of DEV+0x040 (0x40000040)"));
}

TEST(Regs, UnknownOffsetFaultsInStrictMode)
{
    LogCapture cap;
    TestDev d;
    DeviceContext ctx;
    ctx.strict = true;
    d.set_context(ctx);
    auto a = acc(0x40);
    d.write(a, 1);
    EXPECT_TRUE(a.fault);
}

TEST(Regs, PreWriteHookCanVeto)
{
    TestDev d;
    d.bank()["CTRL"].pre_write([](BusAccess &, uint32_t, uint32_t &, uint32_t) { return false; });
    auto a = acc(0);
    d.write(a, 1);
    EXPECT_EQ(d.read(a), 0x10u);
}

// Field handles: declared once in the table, then read and written through the
// handle; the bus sees exactly what the handle stored.
TEST(FieldHandle, HandleReadsAndWritesItsBitsOnly)
{
    RegisterBank b("DEV");
    FieldRef mode, en;
    Register &cr = b.reg("CR", 0x04, 0).field("EN", 0, 1, Acc::RW, &en).field("MODE", 4, 3, Acc::RW, &mode);
    mode.set(5);
    EXPECT_EQ(cr.value, 0x50u);
    EXPECT_FALSE(en.on());
    cr.value |= 1;
    EXPECT_TRUE(en.on());
    EXPECT_EQ(mode.get(), 5u);
    EXPECT_EQ(mode.in(0x70u), 7u);
    mode.set(0xFF); // wider than the field: masked
    EXPECT_EQ(cr.value, 0x71u);
    EXPECT_EQ(cr.ref("MODE").mask(), 0x70u);
}

// Dispatch by offset: every declared register is found at its offset, nothing else.
TEST(RegisterBankDispatch, FindsRegistersByWordOffsetOnly)
{
    RegisterBank b("DEV");
    Register &a = b.reg("A", 0x00);
    Register &c = b.reg("C", 0x3FC);
    EXPECT_EQ(b.at(0x00), &a);
    EXPECT_EQ(b.at(0x3FC), &c);
    EXPECT_EQ(b.at(0x04), nullptr);
    EXPECT_EQ(b.at(0x400), nullptr);
    EXPECT_EQ(b.at(0x02), nullptr);
    EXPECT_THROW(b.reg("D", 0x06), std::logic_error);
}

} // namespace
