// The remoteproc master (models/stm32mp1_remoteproc, rpmsg.h): resource-table
// checks and processing as Linux's remoteproc does them, the vring layout, and
// the master's handshake seen through memory and the IPCC registers of
// processor 1 (a real stm32-ipcc model behind a small bus).
#include "elf_loader.h"
#include "models/stm32_ipcc.h"
#include "models/stm32mp1_remoteproc.h"
#include "rpmsg.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

#include <cstring>
#include <map>

using namespace ampvp;

namespace {

// A resource table as ST's OpenAMP applications declare it: one rpmsg vdev
// (2 vrings, da "any", 16 entries, align 16) and a trace buffer "cm4_log".
struct TableBuilder {
    uint32_t version = 1, dfeatures = 1, vring_da = rpmsg::ADDR_ANY, trace_da = 0x10020000, trace_len = 2048;
    uint32_t num = 16, align = 16;
    std::vector<uint8_t> bytes() const
    {
        std::vector<uint8_t> t(16 + 8 + 4 + 24 + 40 + 4 + 44, 0);
        auto put = [&](size_t off, uint32_t v) { std::memcpy(t.data() + off, &v, 4); };
        put(0, version);
        put(4, 2);
        put(16, 24);                 // vdev entry
        put(20, 24 + 4 + 24 + 40);   // trace entry
        put(24, rpmsg::RSC_VDEV);
        put(28, rpmsg::VIRTIO_ID_RPMSG);
        put(36, dfeatures);
        t[49] = 2;                   // num_of_vrings
        for (unsigned k = 0; k < 2; k++) {
            put(52 + 20 * k, vring_da == rpmsg::ADDR_ANY ? vring_da : vring_da + 0x1000 * k);
            put(56 + 20 * k, align);
            put(60 + 20 * k, num);
            put(64 + 20 * k, k);
        }
        put(92, rpmsg::RSC_TRACE);
        put(96, trace_da);
        put(100, trace_len);
        std::memcpy(t.data() + 108, "cm4_log", 7);
        return t;
    }
};

// Offsets in the table above.
constexpr uint32_t STATUS = 0x30, GFEATURES = 0x28, VRING0_DA = 0x34, VRING1_DA = 0x48;

TEST(ResourceTable, StOpenAmpTableParses)
{
    rpmsg::Table t = rpmsg::parse_table(TableBuilder().bytes());
    ASSERT_EQ(t.vdevs.size(), 1u);
    EXPECT_EQ(t.vdevs[0].status_offset(), STATUS); // ST's firmware polls table + 0x30
    EXPECT_EQ(t.vdevs[0].vrings.size(), 2u);
    EXPECT_EQ(t.vdevs[0].vrings[1].offset, VRING1_DA);
    ASSERT_EQ(t.traces.size(), 1u);
    EXPECT_EQ(t.traces[0].name, "cm4_log");
}

// remoteproc: "we don't support any version beyond the first".
TEST(ResourceTable, OnlyVersionOneIsAccepted)
{
    TableBuilder b;
    b.version = 2;
    try {
        rpmsg::parse_table(b.bytes());
        FAIL();
    } catch (const rpmsg::TableError &e) {
        EXPECT_NE(std::string(e.what()).find("unsupported resource table version 2"), std::string::npos);
    }
}

// remoteproc: a table shorter than its header or its offsets array is refused;
// an entry outside the table is "truncated".
TEST(ResourceTable, TruncatedTablesAreRefused)
{
    EXPECT_THROW(rpmsg::parse_table(std::vector<uint8_t>(8, 0)), rpmsg::TableError);
    auto t = TableBuilder().bytes();
    t.resize(60); // cuts the vdev's vrings
    EXPECT_THROW(rpmsg::parse_table(t), rpmsg::TableError);
    auto u = TableBuilder().bytes();
    const uint32_t far = 4096;
    std::memcpy(u.data() + 20, &far, 4);
    EXPECT_THROW(rpmsg::parse_table(u), rpmsg::TableError);
}

// rproc_parse_vring: a vring of size 0 or an alignment that is not a power
// of two is invalid.
TEST(ResourceTable, VringSizeAndAlignmentAreChecked)
{
    TableBuilder b;
    b.num = 0;
    EXPECT_THROW(rpmsg::parse_table(b.bytes()), rpmsg::TableError);
    b.num = 16;
    b.align = 24;
    EXPECT_THROW(rpmsg::parse_table(b.bytes()), rpmsg::TableError);
}

// virtio split vring (vring_init): descriptors, then the available ring,
// then the used ring at the next multiple of the alignment.
TEST(Vring, LayoutOfSixteenEntriesAlignedTo16)
{
    EXPECT_EQ(rpmsg::Vring::bytes(16, 16), 304u + 6 + 8 * 16);
    std::vector<uint8_t> mem(4096, 0);
    rpmsg::Vring v(mem.data(), 16, 16);
    v.set_desc(3, 0x10042000, 512, rpmsg::Vring::DESC_F_WRITE);
    v.add_avail(3);
    uint16_t idx, entry;
    std::memcpy(&idx, mem.data() + 256 + 2, 2);
    std::memcpy(&entry, mem.data() + 256 + 4, 2);
    EXPECT_EQ(idx, 1);
    EXPECT_EQ(entry, 3);
    // The device returns it on the used ring at offset 304.
    const uint32_t used[2] = {3, 20};
    std::memcpy(mem.data() + 304 + 4, used, 8);
    const uint16_t one = 1;
    std::memcpy(mem.data() + 304 + 2, &one, 2);
    uint32_t id = 0, len = 0;
    ASSERT_TRUE(v.take_used(id, len));
    EXPECT_EQ(id, 3u);
    EXPECT_EQ(len, 20u);
    EXPECT_FALSE(v.take_used(id, len));
}

// The master's world: MCU SRAM 0x10000000..0x1005FFFF as the remote sees it,
// processor 1's view of a real IPCC at 0x4C001000, and an RCC hold-boot
// register at 0x5000010C.
struct Harness : BusMaster, HostPort, Scheduler {
    std::vector<uint8_t> sram = std::vector<uint8_t>(0x60000, 0);
    Stm32Ipcc ipcc{"IPCC"};
    uint32_t gcr = 0;
    ElfImage img;
    bool has_image = true;
    std::vector<std::string> lines, failures;
    std::map<std::pair<Device *, unsigned>, uint64_t> timers;
    uint64_t t = 1000;

    uint8_t *memory(CoreId, uint64_t addr, uint64_t len) override
    {
        if (addr < 0x10000000 || addr - 0x10000000 + len > sram.size()) {
            return nullptr;
        }
        return sram.data() + (addr - 0x10000000);
    }
    bool read(CoreId as, uint64_t addr, unsigned size, uint32_t &v) override
    {
        if (addr == 0x5000010C) {
            v = gcr;
            return true;
        }
        BusAccess a{as, "mpu", addr, addr - 0x4C001000, size};
        v = ipcc.read(a);
        return true;
    }
    bool write(CoreId as, uint64_t addr, unsigned size, uint32_t v) override
    {
        if (addr == 0x5000010C) {
            gcr = v;
            return true;
        }
        BusAccess a{as, "mpu", addr, addr - 0x4C001000, size};
        ipcc.write(a, v);
        return true;
    }
    const ElfImage *image(CoreId) const override { return has_image ? &img : nullptr; }
    void watch(int, std::function<void(int)>) override {}
    void unwatch(int) override {}
    void when_writable(int, std::function<void(int)>) override {}
    void console_line(const std::string &s, const std::string &text) override { lines.push_back("[" + s + "] " + text); }
    void fail(const std::string &m, int) override { failures.push_back(m); }
    uint64_t now_ns() const override { return t; }
    void schedule(Device *d, unsigned tag, uint64_t at) override { timers[{d, tag}] = at; }

    // The remote's side of the IPCC (processor 2).
    uint32_t p2_read(uint32_t off)
    {
        BusAccess a{1, "m4", 0x4C001000 + off, off, 4};
        return ipcc.read(a);
    }
    uint32_t word(uint64_t addr) { uint32_t v; std::memcpy(&v, memory(0, addr, 4), 4); return v; }
};

struct MasterTest : ::testing::Test {
    Harness h;
    Stm32mp1Remoteproc rp{"REMOTEPROC"};
    testutil::LogCapture cap;
    static constexpr uint64_t TABLE = 0x10020800;
    void SetUp() override
    {
        h.ipcc.configure({{"processor1", "mpu"}, {"processor2", "m4"}}, {"mpu", "m4"});
        h.ipcc.reset();
        rp.configure({{"as", "mpu"}, {"remote", "m4"}, {"ipcc", "0x4C001000"}, {"rx_irq", "100"},
                      {"tx_irq", "101"}, {"holdboot", "0x5000010C"}, {"vdev0vring0", "0x10040000:0x1000"},
                      {"vdev0vring1", "0x10041000:0x1000"}, {"vdev0buffer", "0x10042000:0x4000"}},
                     {"mpu", "m4"});
        DeviceContext ctx;
        ctx.master = &h;
        ctx.host = &h;
        ctx.scheduler = &h;
        rp.set_context(ctx);
        set_table(TableBuilder());
    }
    void set_table(const TableBuilder &b)
    {
        h.img.path = "fw.elf";
        h.img.sections = {Section{".resource_table", TABLE, b.bytes().size(), b.bytes()}};
    }
};

// Linux (remoteproc_virtio / virtio_rpmsg_bus): vrings get the carve-out
// addresses when the firmware asks for any, the name-service feature is
// granted, the vdev ends DRIVER_OK, rx buffers are posted on vring0, the M4
// is released (hold boot) and vring0 is kicked on IPCC channel 1.
TEST_F(MasterTest, ProcessesTheTableReleasesTheCoreAndKicks)
{
    rp.run_started();
    EXPECT_TRUE(h.failures.empty());
    EXPECT_EQ(h.word(TABLE + VRING0_DA), 0x10040000u);
    EXPECT_EQ(h.word(TABLE + VRING1_DA), 0x10041000u);
    EXPECT_EQ(h.word(TABLE + GFEATURES), rpmsg::F_NS);
    EXPECT_EQ(h.sram[TABLE + STATUS - 0x10000000], 0x0F);
    uint16_t avail_idx;
    std::memcpy(&avail_idx, h.memory(0, 0x10040000 + 256 + 2, 2), 2);
    EXPECT_EQ(avail_idx, 16); // 16 receive buffers of 512 bytes
    EXPECT_EQ(h.gcr & 1u, 1u); // BOOT_MCU
    EXPECT_EQ(h.p2_read(0x0C) & 1u, 1u); // C1TOC2SR.CH1F: vring0 kicked
}

// Feature negotiation: only what the firmware offers is granted.
TEST_F(MasterTest, GrantsNoNameServiceTheFirmwareDoesNotOffer)
{
    TableBuilder b;
    b.dfeatures = 0;
    set_table(b);
    rp.run_started();
    EXPECT_EQ(h.word(TABLE + GFEATURES), 0u);
}

// rproc_handle_trace / vring allocation: a vring or trace buffer outside the
// remote's memory is refused with one line naming it; the core stays held.
TEST_F(MasterTest, VringOutsideMemoryIsRefusedAndTheCoreStaysHeld)
{
    TableBuilder b;
    b.vring_da = 0x20000000;
    set_table(b);
    rp.run_started();
    ASSERT_EQ(h.failures.size(), 1u);
    EXPECT_NE(h.failures[0].find("vring 0 at 0x20000000"), std::string::npos) << h.failures[0];
    EXPECT_NE(h.failures[0].find("fw.elf: .resource_table"), std::string::npos) << h.failures[0];
    EXPECT_EQ(h.gcr & 1u, 0u);
}

TEST_F(MasterTest, UnsupportedVersionIsRefused)
{
    TableBuilder b;
    b.version = 2;
    set_table(b);
    rp.run_started();
    ASSERT_EQ(h.failures.size(), 1u);
    EXPECT_NE(h.failures[0].find("version 2"), std::string::npos);
    EXPECT_EQ(h.gcr & 1u, 0u);
}

// Linux boots a firmware without a resource table (no RPMsg, no trace): so
// does the master, saying so in one line.
TEST_F(MasterTest, FirmwareWithoutTableStartsWithoutRpmsg)
{
    h.img.sections.clear();
    rp.run_started();
    EXPECT_TRUE(h.failures.empty());
    EXPECT_EQ(h.gcr & 1u, 1u);
    ASSERT_EQ(h.lines.size(), 1u);
    EXPECT_NE(h.lines[0].find("has no .resource_table"), std::string::npos);
    EXPECT_EQ(h.p2_read(0x0C), 0u); // nothing kicked
}

// A name-service announcement from the remote (to address 53) is printed as
// one line with its name and address, and the channel is cleared (C1SCR CH1C)
// as stm32-ipcc's RX handler does.
TEST_F(MasterTest, NameServiceAnnouncementIsPrintedAndTheChannelCleared)
{
    rp.run_started();
    // The remote takes rx buffer 0 from vring0, writes an NS message, returns it.
    const uint64_t buf = 0x10042000;
    uint8_t *p = h.memory(0, buf, 512);
    rpmsg::write_header(p, {0x400, rpmsg::NS_ADDR, 40, 0});
    std::memcpy(p + 16, "my-service", 10);
    const uint32_t addr = 0x400;
    std::memcpy(p + 16 + 32, &addr, 4);
    const uint32_t used[2] = {0, 56};
    std::memcpy(h.memory(0, 0x10040000 + 304 + 4, 8), used, 8);
    const uint16_t one = 1;
    std::memcpy(h.memory(0, 0x10040000 + 304 + 2, 2), &one, 2);
    BusAccess a{1, "m4", 0x4C001018, 0x18, 4};
    h.ipcc.write(a, 1u << 16); // C2SCR CH1S: the M4 notifies channel 1
    rp.input(100, true);
    rp.timer_fired(1);         // the deferred work
    EXPECT_EQ(h.p2_read(0x1C) & 1u, 0u); // C2TOC1SR.CH1F cleared by the master
    ASSERT_GE(h.lines.size(), 1u);
    EXPECT_EQ(h.lines[0], "[rpmsg] name service: 'my-service' at 0x400");
}
} // namespace
