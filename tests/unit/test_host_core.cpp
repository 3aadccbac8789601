// Machine descriptions: a core played by a hub model ("cpu": "host"), models
// with no registers on the bus, and variants that drop peripherals.  See
// docs/machine-format.md.
#include "bus.h"
#include "machine.h"
#include "model_registry.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

using namespace ampvp;

namespace {

// A model that records its inputs (what a host core's NVIC receives).
struct Recorder : Device {
    explicit Recorder(const std::string &n) : Device(n) { add_irq("out"); }
    uint32_t read(BusAccess &) override { return 0; }
    void write(BusAccess &, uint32_t) override {}
    void input(unsigned n, bool level) override { inputs.emplace_back(n, level); }
    std::vector<std::pair<unsigned, bool>> inputs;
};

const char *kMachine = R"({
  "name": "t", "title": "t",
  "cores": [ { "name": "host", "cpu": "host", "played_by": "PLAYER", "num_irq": 64 },
             { "name": "mcu", "cpu": "cortex-m4", "num_irq": 64, "clock_hz": 1, "boot": 0 } ],
  "memories": [ { "name": "ram", "base": "0x20000000", "size": "4K" } ],
  "windows": [ { "name": "p", "base": "0x40000000", "size": "0x1000" } ],
  "peripherals": [
    { "name": "PLAYER", "model": "test-recorder" },
    { "name": "SRC", "base": "0x40000000", "model": "test-recorder",
      "irqs": { "out": { "host": 42, "mcu": 7 } } } ] })";

struct Sink : IrqSink {
    std::vector<std::tuple<CoreId, unsigned, bool>> irqs;
    void set_irq(CoreId c, unsigned l, bool v) override { irqs.emplace_back(c, l, v); }
    void send_event(CoreId) override {}
};

} // namespace

AMPVP_MODEL("test-recorder", Recorder)

// A core with "cpu": "host" is played by the named model: no clock or boot
// address needed, and the machine knows who plays it.
TEST(HostCore, IsPlayedByTheNamedModel)
{
    MachineDesc m = MachineDesc::parse(kMachine, "t.json");
    ASSERT_EQ(m.cores.size(), 2u);
    EXPECT_TRUE(m.cores[0].host());
    EXPECT_EQ(m.cores[0].played_by, "PLAYER");
    EXPECT_FALSE(m.cores[1].host());
}

// What the machine sends to a host core's NVIC line n arrives as the playing
// model's input n; the other targets of the same output are unchanged.
TEST(HostCore, ItsNvicLinesAreInputsOfThePlayingModel)
{
    MachineDesc m = MachineDesc::parse(kMachine, "t.json");
    DeviceContext ctx;
    Sink sink;
    Bus bus(m, ctx, &sink);
    auto *player = dynamic_cast<Recorder *>(bus.device("PLAYER"));
    ASSERT_TRUE(player);
    bus.device("SRC")->irq("out")->set(true);
    ASSERT_EQ(player->inputs.size(), 1u);
    EXPECT_EQ(player->inputs[0], std::make_pair(42u, true));
    ASSERT_EQ(sink.irqs.size(), 1u);
    EXPECT_EQ(sink.irqs[0], std::make_tuple(CoreId(1), 7u, true));
}

// A model given without "base" has no registers on the bus: it exists, but
// no address reaches it.
TEST(HostCore, AModelWithoutBaseIsNotOnTheBus)
{
    MachineDesc m = MachineDesc::parse(kMachine, "t.json");
    EXPECT_FALSE(m.peripheral_named("PLAYER")->mapped);
    EXPECT_EQ(m.peripheral_at(0), nullptr);
    EXPECT_EQ(m.peripheral_at(0x40000000)->name, "SRC");
}

// Errors name the field: played_by must name a modelled peripheral, and only
// a host core is played.
TEST(HostCore, ErrorsNameTheField)
{
    std::string bad = kMachine;
    bad.replace(bad.find("\"played_by\": \"PLAYER\""), 21, "\"played_by\": \"NOPE\"");
    try {
        MachineDesc::parse(bad, "t.json");
        FAIL();
    } catch (const ConfigError &e) {
        EXPECT_NE(std::string(e.what()).find("cores[0].played_by"), std::string::npos) << e.what();
    }
    std::string bad2 = kMachine;
    bad2.replace(bad2.find("\"clock_hz\": 1,"), 14, "\"clock_hz\": 1, \"played_by\": \"PLAYER\",");
    EXPECT_THROW(MachineDesc::parse(bad2, "t.json"), ConfigError);
}

// docs/machine-format.md "extends": "peripherals_remove" drops peripherals of
// the base by name; a name the base does not have is an error.
TEST(MachineExtends, PeripheralsRemoveDropsByNameAndChecksTheName)
{
    const std::string dir = testutil::source_dir() + "/machine";
    auto j = MachineDesc::resolve_extends(
        nlohmann::json::parse(R"({"extends": "stm32h745", "name": "x", "peripherals_remove": ["CRC"]})"),
        dir + "/x.json", 0);
    MachineDesc m = MachineDesc::from_json(j, dir + "/x.json");
    EXPECT_EQ(m.peripheral_named("CRC"), nullptr);
    EXPECT_NE(m.peripheral_named("HSEM"), nullptr);
    EXPECT_THROW(MachineDesc::resolve_extends(
                     nlohmann::json::parse(R"({"extends": "stm32h745", "peripherals_remove": ["NOPE"]})"),
                     dir + "/x.json", 0),
                 ConfigError);
}
