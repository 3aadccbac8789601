// ELF loading: images are placed by physical (load) address; anything that is
// not a loadable 32-bit ARM image gets a one-line error naming the file.
#include "elf_loader.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

using namespace ampvp;
using testutil::make_elf32;
using testutil::Seg;
using testutil::TempFile;

namespace {

MachineDesc h745() { return MachineDesc::load_file(testutil::source_dir() + "/machine/stm32h745.json"); }

std::string error_of(const std::string &contents, CoreId core = 0)
{
    TempFile f(contents);
    try {
        auto img = read_elf(f.path);
        auto m = h745();
        place_elf(img, m, core);
        return "";
    } catch (const ImageError &e) {
        std::string s = e.what();
        EXPECT_EQ(s.find(f.path), 0u) << "error must start with the file name: " << s;
        EXPECT_EQ(s.find('\n'), std::string::npos) << "error must be one line";
        return s;
    }
}

TEST(Elf, MissingFile)
{
    EXPECT_THROW(read_elf("/nonexistent/x.elf"), ImageError);
    try {
        read_elf("/nonexistent/x.elf");
    } catch (const ImageError &e) {
        EXPECT_NE(std::string(e.what()).find("cannot open"), std::string::npos);
    }
}

TEST(Elf, NotAnElf) { EXPECT_NE(error_of("hello world\n").find("not an ELF file"), std::string::npos); }

TEST(Elf, EmptyFile) { EXPECT_NE(error_of("").find("not an ELF file"), std::string::npos); }

TEST(Elf, WrongMachine)
{
    auto s = error_of(make_elf32({{0x08000000, {1, 2, 3, 4}}}, EM_386));
    EXPECT_NE(s.find("not ARM"), std::string::npos) << s;
}

TEST(Elf, SixtyFourBitHostBinary)
{
    // The test binary itself is a 64-bit x86 ELF.
    try {
        read_elf("/proc/self/exe");
        FAIL();
    } catch (const ImageError &e) {
        EXPECT_NE(std::string(e.what()).find("64-bit"), std::string::npos);
    }
}

TEST(Elf, NoLoadableSegment)
{
    auto s = error_of(make_elf32({{0x08000000, {}, 0x100}}));
    EXPECT_NE(s.find("no loadable segment"), std::string::npos) << s;
}

TEST(Elf, SegmentOutsideMemoryNamesAddressAndCore)
{
    auto s = error_of(make_elf32({{0x90000000, {1, 2, 3, 4}}}));
    EXPECT_NE(s.find("0x90000000-0x90000003"), std::string::npos) << s;
    EXPECT_NE(s.find("outside the memories of core cm7"), std::string::npos) << s;
}

TEST(Elf, SegmentCrossingTheEndOfFlashIsRejected)
{
    auto s = error_of(make_elf32({{0x081FFFFE, {1, 2, 3, 4}}}));
    EXPECT_NE(s.find("outside"), std::string::npos) << s;
}

TEST(Elf, Cm4CannotLoadIntoM7PrivateDtcm)
{
    auto m = h745();
    auto s = error_of(make_elf32({{0x20000000, {1, 2, 3, 4}}}), m.core_index("cm4"));
    EXPECT_NE(s.find("core cm4"), std::string::npos) << s;
}

TEST(Elf, TruncatedSegmentIsRejected)
{
    std::string e = make_elf32({{0x08000000, std::vector<uint8_t>(64, 0xAA)}});
    e.resize(e.size() - 10);
    auto s = error_of(e);
    EXPECT_NE(s.find("outside the file"), std::string::npos) << s;
}

// Like a flash programmer: file bytes go to the load address; the rest of
// memsz (.bss / NOLOAD) is not part of the image.
TEST(Elf, PlacesByPhysicalAddressAndOnlyFileBytes)
{
    TempFile f(make_elf32({{0x08000000, {1, 2, 3, 4}, 0x100}, {0x08000400, {9, 9}}}));
    auto img = read_elf(f.path);
    ASSERT_EQ(img.segments.size(), 2u);
    EXPECT_EQ(img.segments[0].bytes.size(), 4u);
    auto m = h745();
    auto p = place_elf(img, m, 0);
    ASSERT_EQ(p.size(), 2u);
    EXPECT_EQ(p[0].mapping.name, "flash_bank1");
    EXPECT_EQ(p[1].offset, 0x400u);
}

TEST(Elf, Cm4ImageThroughTheSramAliasLandsInSram1)
{
    TempFile f(make_elf32({{0x10000010, {7, 7, 7, 7}}}));
    auto img = read_elf(f.path);
    auto m = h745();
    auto p = place_elf(img, m, m.core_index("cm4"));
    EXPECT_EQ(m.memories[p[0].mapping.memory].name, "sram1");
    EXPECT_EQ(p[0].offset, 0x10u);
}

} // namespace

namespace {
// Intel HEX, as STM32CubeProgrammer writes it: extended linear address (04)
// records set the upper 16 bits; data (00) records go to base + offset; one
// file may hold both cores' flash banks.
const char *kTwoBanks = ":020000040800F2\n"
                        ":0400000000000220DA\n"    // 0x08000000: 00 00 02 20
                        ":020000040810E2\n"
                        ":040000000080041068\n"    // 0x08100000: 00 80 04 10
                        ":0400040011001008CF\n"    // 0x08100004: 11 00 10 08
                        ":00000001FF\n";

TEST(IntelHex, RecordsBecomeSegmentsAtTheirAddresses)
{
    TempFile f(kTwoBanks);
    auto img = read_image(f.path); // detected by content
    ASSERT_EQ(img.segments.size(), 2u);
    EXPECT_EQ(img.segments[0].paddr, 0x08000000u);
    EXPECT_EQ(img.segments[0].bytes, (std::vector<uint8_t>{0x00, 0x00, 0x02, 0x20}));
    EXPECT_EQ(img.segments[1].paddr, 0x08100000u);
    EXPECT_EQ(img.segments[1].bytes.size(), 8u); // two adjacent records join
    auto m = h745();
    auto pl = place_combined(img, m);
    ASSERT_EQ(pl.size(), 2u);
    EXPECT_EQ(m.memories[pl[0].mapping.memory].name, "flash_bank1");
    EXPECT_EQ(m.memories[pl[1].mapping.memory].name, "flash_bank2");
}

TEST(IntelHex, ErrorsNameFileAndLine)
{
    auto err = [](const std::string &text) {
        TempFile f(text);
        try {
            read_ihex(f.path);
            return std::string();
        } catch (const ImageError &e) {
            return std::string(e.what()).substr(f.path.size());
        }
    };
    EXPECT_EQ(err(":020000040800F3\n:00000001FF\n"), ":1: checksum mismatch");
    EXPECT_EQ(err(":020000040800F2\n"), ": no end-of-file record (truncated Intel HEX?)");
    EXPECT_EQ(err(":020000040800F2\nhello\n:00000001FF\n"), ":2: not an Intel HEX record");
    EXPECT_EQ(err(":0400000000000220\n:00000001FF\n"), ":1: record length 4 does not match the line");
    EXPECT_EQ(err(":00000001FF\n"), ": no data records");
}

TEST(IntelHex, CombinedSegmentOutsideEveryCoreIsAnError)
{
    TempFile g(":0200000460009A\n:0100000000FF\n:00000001FF\n"); // 0x60000000: FMC space, no memory
    auto img = read_ihex(g.path);
    auto m = h745();
    EXPECT_THROW(place_combined(img, m), ImageError);
}
} // namespace

namespace {
// Two images as a debugger loads them one after the other.
ElfImage image_with(const std::string &path, uint64_t paddr, std::vector<uint8_t> bytes)
{
    ElfImage img;
    img.path = path;
    img.segments.push_back(Segment{0, paddr, bytes.size(), std::move(bytes)});
    return img;
}

TEST(ImageOverlap, RamSharedBySeveralImagesLoadsAndTheLaterWins)
{
    // ST's FreeRTOS_AMP_Dual_RTOS: both images carry a PROGBITS section in SRAM4
    // (LMA = VMA = 0x38000000) for the message-buffer handles.
    auto m = h745();
    std::vector<ElfImage> imgs{image_with("cm7.elf", 0x38000000, {1, 2, 3, 4}),
                               image_with("cm4.elf", 0x38000002, {3, 9, 9})};
    std::vector<std::vector<Placement>> pl{place_elf(imgs[0], m, m.core_index("cm7")),
                                           place_elf(imgs[1], m, m.core_index("cm4"))};
    auto notes = check_overlaps(imgs, pl, m);
    ASSERT_EQ(notes.size(), 1u);
    EXPECT_EQ(notes[0], "cm7.elf and cm4.elf both load sram4 0x38000002-0x38000003; 1 byte differs, "
                        "cm4.elf (loaded later) wins");
}

TEST(ImageOverlap, IdenticalBytesAreSilent)
{
    auto m = h745();
    std::vector<ElfImage> imgs{image_with("a.elf", 0x08000000, {1, 2, 3, 4}),
                               image_with("b.elf", 0x08000000, {1, 2, 3, 4})};
    std::vector<std::vector<Placement>> pl{place_elf(imgs[0], m, 0), place_elf(imgs[1], m, 0)};
    EXPECT_TRUE(check_overlaps(imgs, pl, m).empty());
}

TEST(ImageOverlap, DifferentFlashContentsAreAnError)
{
    auto m = h745();
    std::vector<ElfImage> imgs{image_with("a.elf", 0x08000000, {1, 2, 3, 4}),
                               image_with("b.elf", 0x08000001, {2, 7})};
    std::vector<std::vector<Placement>> pl{place_elf(imgs[0], m, 0), place_elf(imgs[1], m, 0)};
    try {
        check_overlaps(imgs, pl, m);
        FAIL() << "no error";
    } catch (const ImageError &e) {
        EXPECT_STREQ(e.what(), "a.elf and b.elf program different contents into flash_bank1 "
                               "0x08000001-0x08000002 (1 byte differs)");
    }
}
} // namespace
