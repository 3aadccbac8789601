// Machine descriptions: the STM32H745 file against RM0399's memory map, and
// clear errors for broken descriptions.
#include "machine.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

using namespace ampvp;

namespace {

MachineDesc h745() { return MachineDesc::load_file(testutil::source_dir() + "/machine/stm32h745.json"); }

const Mapping *at(const std::vector<Mapping> &v, uint64_t addr)
{
    for (const auto &m : v) {
        if (addr >= m.base && addr < m.base + m.size) {
            return &m;
        }
    }
    return nullptr;
}

// RM0399 memory map: flash bank 1 at 0x08000000 and bank 2 at 0x08100000, 1 MB each.
TEST(MachineH745, FlashBanks)
{
    auto m = h745();
    auto v = m.view(m.core_index("cm7"));
    ASSERT_TRUE(at(v, 0x08000000));
    EXPECT_EQ(at(v, 0x08000000)->name, "flash_bank1");
    EXPECT_EQ(at(v, 0x080FFFFF)->name, "flash_bank1");
    EXPECT_EQ(at(v, 0x08100000)->name, "flash_bank2");
    EXPECT_EQ(at(v, 0x081FFFFF)->name, "flash_bank2");
    EXPECT_EQ(at(v, 0x08200000), nullptr);
}

// RM0399: ITCM (64 KB at 0) and DTCM (128 KB at 0x20000000) belong to the Cortex-M7 only.
TEST(MachineH745, TcmsArePrivateToTheM7)
{
    auto m = h745();
    auto v7 = m.view(m.core_index("cm7"));
    auto v4 = m.view(m.core_index("cm4"));
    EXPECT_EQ(at(v7, 0x00000000)->name, "itcm");
    EXPECT_EQ(at(v7, 0x2001FFFF)->name, "dtcm");
    EXPECT_EQ(at(v4, 0x00000000), nullptr);
    EXPECT_EQ(at(v4, 0x20000000), nullptr);
}

// RM0399: AXI SRAM 512 KB at 0x24000000, SRAM1/2/3 at 0x30000000 (128+128+32 KB),
// SRAM4 64 KB at 0x38000000 and backup SRAM 4 KB at 0x38800000 are shared.
TEST(MachineH745, SharedSramsSeenByBothCores)
{
    auto m = h745();
    for (const char *core : {"cm7", "cm4"}) {
        auto v = m.view(m.core_index(core));
        EXPECT_EQ(at(v, 0x2407FFFF)->name, "axi_sram") << core;
        EXPECT_EQ(at(v, 0x30000000)->name, "sram1") << core;
        EXPECT_EQ(at(v, 0x30020000)->name, "sram2") << core;
        EXPECT_EQ(at(v, 0x30047FFF)->name, "sram3") << core;
        EXPECT_EQ(at(v, 0x3800FFFF)->name, "sram4") << core;
        EXPECT_EQ(at(v, 0x38800FFF)->name, "backup_sram") << core;
    }
}

// RM0399: SRAM1-3 are also reached at 0x10000000 (same cells), by both cores:
// ST's BootCM7_CM4Gated_RAM template has the CM7 copy the CM4 image there.
TEST(MachineH745, BothCoresSeeSram123AliasAt0x10000000)
{
    auto m = h745();
    auto v4 = m.view(m.core_index("cm4"));
    const Mapping *a = at(v4, 0x10000000);
    ASSERT_TRUE(a);
    EXPECT_TRUE(a->alias);
    EXPECT_EQ(m.memories[a->memory].name, "sram1");
    EXPECT_EQ(m.memories[at(v4, 0x10047FFF)->memory].name, "sram3");
    const Mapping *a7 = at(m.view(m.core_index("cm7")), 0x10000000);
    ASSERT_TRUE(a7);
    EXPECT_EQ(m.memories[a7->memory].name, "sram1");
}

// RM0399 boot: the CM7 boots from 0x08000000, the CM4 from 0x08100000 (BOOT_CM7/BOOT_CM4 defaults).
TEST(MachineH745, BootAddresses)
{
    auto m = h745();
    EXPECT_EQ(m.cores[m.core_index("cm7")].boot, 0x08000000u);
    EXPECT_EQ(m.cores[m.core_index("cm4")].boot, 0x08100000u);
    EXPECT_EQ(m.cores[m.core_index("cm7")].cpu, "cortex-m7");
    EXPECT_EQ(m.cores[m.core_index("cm4")].cpu, "cortex-m4");
}

// ST's reference facts: the CM7 of current silicon reads SCB->CPUID 0x411FC271
// (r1p1; FreeRTOS rejects r0p0/r0p1 parts) and the CM4 0x410FC241.  HAL tells
// the cores apart by CPUID[7:4] (the part number's low nibble) == 7.
TEST(MachineH745, CpuidsOfCurrentSilicon)
{
    auto m = h745();
    EXPECT_EQ(m.cores[m.core_index("cm7")].cpuid, 0x411FC271u);
    EXPECT_EQ(m.cores[m.core_index("cm4")].cpuid, 0x410FC241u);
}

TEST(MachineH745, PeripheralsAreKnownByName)
{
    auto m = h745();
    ASSERT_TRUE(m.peripheral_at(0x4000481C));
    EXPECT_EQ(m.peripheral_at(0x4000481C)->name, "USART3");
    EXPECT_EQ(m.peripheral_at(0x58024400)->name, "RCC");
    EXPECT_EQ(m.peripheral_at(0x58026400)->name, "HSEM");
}

void expect_error(const std::string &json, const std::string &fragment)
{
    try {
        MachineDesc::parse(json, "t.json");
        FAIL() << "no error for " << json;
    } catch (const ConfigError &e) {
        EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
}

TEST(MachineErrors, NamesTheFileAndField)
{
    expect_error("{", "t.json: not valid JSON");
    expect_error(R"({"name":"x"})", "t.json: machine: missing \"cores\"");
    expect_error(R"({"name":"x","cores":[{"name":"a","cpu":"cortex-m4","num_irq":0,"clock_hz":1,"boot":0}]})",
                 "cores[0].num_irq");
    expect_error(R"({"name":"x","cores":[{"name":"a","cpu":"c","num_irq":10,"clock_hz":1,"boot":0}],
                     "memories":[{"name":"r","base":"zz","size":"4K"}]})",
                 "memories[0].base: 'zz' is not a number");
    expect_error(R"({"name":"x","cores":[{"name":"a","cpu":"c","num_irq":10,"clock_hz":1,"boot":0}],
                     "memories":[{"name":"r","base":0,"size":"4K"},{"name":"s","base":"0x800","size":"4K"}]})",
                 "r overlaps s");
    expect_error(R"({"name":"x","cores":[{"name":"a","cpu":"c","num_irq":10,"clock_hz":1,"boot":0}],
                     "memories":[{"name":"r","base":0,"size":"4K","cores":["zz"]}]})",
                 "unknown core 'zz'");
    expect_error(R"({"name":"x","cores":[{"name":"a","cpu":"c","num_irq":10,"clock_hz":1,"boot":0}],
                     "windows":[{"name":"p","base":"0x40000000","size":"0x1000"}],
                     "peripherals":[{"name":"U","base":"0x40000000","irqs":{"irq":{"a":10}}}]})",
                 "below num_irq");
    expect_error(R"({"name":"x","cores":[{"name":"a","cpu":"c","num_irq":10,"clock_hz":1,"boot":0}],
                     "peripherals":[{"name":"U","base":"0x40000000"}]})",
                 "not inside any bridge window");
}

TEST(MachineErrors, SizesWithSuffixes)
{
    EXPECT_EQ(parse_size("64K"), 65536u);
    EXPECT_EQ(parse_size("1M"), 1048576u);
    EXPECT_EQ(parse_size("0x400"), 1024u);
    EXPECT_THROW(parse_size("12Q"), ConfigError);
    EXPECT_THROW(parse_size(""), ConfigError);
}

} // namespace

namespace {
// RM0399 option bytes: the description carries them; --option-byte changes a
// known one and names the known ones when the key is wrong.
TEST(MachineH745, OptionBytesCanBeChangedByName)
{
    auto m = h745();
    EXPECT_EQ(m.option_bytes.at("bcm4"), "1");
    m.set_option_byte("bcm4", "0");
    EXPECT_EQ(m.option_bytes.at("bcm4"), "0");
    try {
        m.set_option_byte("bcm5", "0");
        FAIL() << "unknown option byte accepted";
    } catch (const ConfigError &e) {
        EXPECT_NE(std::string(e.what()).find("bcm5"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("bcm4, bcm7, boot4, boot7"), std::string::npos);
    }
    EXPECT_THROW(m.set_option_byte("boot4", "banana"), ConfigError);
}
} // namespace

namespace {
// RM0399 covers the H745 and the H747 alike: the H747 description extends the
// H745's and adds the DSI host; everything else (cores, memories, IPC
// peripherals, option bytes) is the same.
TEST(MachineH747, ExtendsTheH745AndAddsTheDsiHost)
{
    auto a = h745();
    auto b = MachineDesc::load_file(testutil::source_dir() + "/machine/stm32h747.json");
    EXPECT_EQ(b.name, "stm32h747");
    EXPECT_EQ(b.cores.size(), a.cores.size());
    EXPECT_EQ(b.cores[0].cpuid, a.cores[0].cpuid);
    EXPECT_EQ(b.memories.size(), a.memories.size());
    EXPECT_EQ(b.peripherals.size(), a.peripherals.size() + 1);
    ASSERT_TRUE(b.peripheral_named("DSIHOST"));
    EXPECT_EQ(b.peripheral_named("DSIHOST")->base, 0x50000000u);
    ASSERT_TRUE(b.peripheral_named("HSEM"));
    EXPECT_EQ(b.peripheral_named("HSEM")->model, "stm32-hsem");
    EXPECT_EQ(b.option_bytes, a.option_bytes);
}

TEST(MachineExtends, MissingBaseIsNamed)
{
    const std::string dir = testutil::source_dir() + "/machine";
    try {
        MachineDesc::from_json(MachineDesc::resolve_extends(nlohmann::json::parse(R"({"extends": "nope"})"),
                                                            dir + "/x.json", 0),
                               dir + "/x.json");
        FAIL();
    } catch (const ConfigError &e) {
        EXPECT_NE(std::string(e.what()).find("nope.json"), std::string::npos);
    }
}
} // namespace

namespace {
// Cortex-M7 TRM cache identification and the H7's 16 MPU regions come from
// the description; a misspelt register is an error naming the field.
TEST(MachineH745, Cm7CacheIdentificationAndMpuRegions)
{
    auto m = h745();
    const CoreDesc &c = m.cores[m.core_index("cm7")];
    EXPECT_EQ(c.mpu_regions, 16u);
    EXPECT_EQ(c.cache_id.at("ccsidr0"), 0xF00FE019u);
    EXPECT_EQ(c.cache_id.at("clidr"), 0x09000003u);
    try {
        MachineDesc::parse(R"({"name": "t", "cores": [ { "name": "a", "cpu": "cortex-m7", "num_irq": 1,
                               "clock_hz": 1, "boot": 0, "cache_id": { "ccsidr16": "0" } } ] })",
                           "t.json");
        FAIL();
    } catch (const ConfigError &e) {
        EXPECT_NE(std::string(e.what()).find("cores[0].cache_id.ccsidr16"), std::string::npos) << e.what();
    }
}
} // namespace
