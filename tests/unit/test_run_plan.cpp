// The run plan alone (no processes, no sockets): which machine, which images
// where, which cores run or wait, host connections, notes and warnings.
#include "run_plan.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

#include <regex>

using namespace ampvp;
using testutil::make_elf32;
using testutil::Seg;
using testutil::TempFile;

namespace {

struct RunPlanTest : ::testing::Test {
    // A vector table at each core's boot address (H745: CM7 bank 1, CM4 bank 2).
    TempFile cm7{make_elf32({Seg{0x08000000, {0, 0, 2, 0x20, 0x41, 0, 0, 0x08}}})};
    TempFile cm4{make_elf32({Seg{0x08100000, {0, 0, 4, 0x10, 0x41, 0, 0x10, 0x08}}})};
    RunOptions opt;
    void SetUp() override
    {
        opt.machine = "stm32h745";
        opt.qemu = "/bin/true"; // only checked for being executable
    }
    std::string error_of()
    {
        try {
            make_run_plan(opt);
        } catch (const std::exception &e) {
            return e.what();
        }
        return "";
    }
};

TEST_F(RunPlanTest, BothCoresRunFromTheirImages)
{
    opt.images = {{"cm7", cm7.path}, {"cm4", cm4.path}};
    RunPlan p = make_run_plan(opt);
    EXPECT_EQ(p.machine.name, "stm32h745");
    EXPECT_EQ(p.run_cores, (std::vector<CoreId>{0, 1}));
    EXPECT_EQ(p.gated, (std::vector<bool>{false, false}));
    ASSERT_EQ(p.images.size(), 2u);
    EXPECT_EQ(p.image_core, (std::vector<CoreId>{0, 1})); // machine core order
    EXPECT_TRUE(p.warnings.empty());
    EXPECT_TRUE(p.idle_cores.empty());
}

TEST_F(RunPlanTest, ACoreWithoutImageStaysInResetUnlessGated)
{
    opt.images = {{"cm7", cm7.path}};
    RunPlan p = make_run_plan(opt);
    EXPECT_EQ(p.run_cores, (std::vector<CoreId>{0}));
    EXPECT_EQ(p.idle_cores, (std::vector<std::string>{"cm4"}));
    // Option byte BCM4 = 0: the CM4 waits in reset for the CM7 to release it.
    opt.option_bytes = {{"bcm4", "0"}};
    RunPlan g = make_run_plan(opt);
    EXPECT_EQ(g.run_cores, (std::vector<CoreId>{0, 1}));
    EXPECT_EQ(g.gated, (std::vector<bool>{false, true}));
}

TEST_F(RunPlanTest, EveryImageGatedIsAnError)
{
    opt.images = {{"cm7", cm7.path}};
    opt.option_bytes = {{"bcm7", "0"}};
    EXPECT_EQ(error_of(), "every core given an image is held in reset by the option bytes (boot "
                          "gated); nothing would run: set one of them to boot");
}

TEST_F(RunPlanTest, NothingAtTheBootAddressIsAWarning)
{
    TempFile elsewhere(make_elf32({Seg{0x08010000, {1, 2, 3, 4, 5, 6, 7, 8}}}));
    opt.images = {{"cm7", elsewhere.path}};
    RunPlan p = make_run_plan(opt);
    ASSERT_EQ(p.warnings.size(), 1u);
    EXPECT_NE(p.warnings[0].find("cm7: " + elsewhere.path + " puts nothing at the boot address 0x08000000"),
              std::string::npos)
        << p.warnings[0];
}

TEST_F(RunPlanTest, BoardAndMachineMustAgree)
{
    opt.images = {{"cm7", cm7.path}};
    opt.board = "stm32h747i-disco";
    EXPECT_EQ(error_of(), "board stm32h747i-disco carries a stm32h747, not a stm32h745 (drop --machine "
                          "or pick another board)");
    opt.machine.clear();
    RunPlan p = make_run_plan(opt);
    EXPECT_EQ(p.machine.name, "stm32h747");
    EXPECT_EQ(p.machine.console, "USART1"); // the board's console
}

TEST_F(RunPlanTest, UnknownCoreAndMissingImagesAreErrors)
{
    EXPECT_EQ(error_of().substr(0, 24), "no firmware image given ");
    opt.images = {{"ca7", cm7.path}};
    EXPECT_EQ(error_of(), "machine stm32h745 has no core 'ca7' (cores: cm7, cm4)");
}

TEST_F(RunPlanTest, SerialGoesToTheConsoleUnlessNamed)
{
    opt.images = {{"cm7", cm7.path}};
    opt.serials = {"stdin", "USART1=pty"};
    RunPlan p = make_run_plan(opt);
    ASSERT_EQ(p.serials.size(), 2u);
    EXPECT_EQ(p.serials[0].uart, "USART3");
    EXPECT_EQ(p.serials[1].uart, "USART1");
    opt.serials = {"I2C1=pty"};
    EXPECT_EQ(error_of(), "--serial I2C1=pty: machine stm32h745 has no modelled UART 'I2C1'");
}

TEST_F(RunPlanTest, ABadExpectPatternFailsBeforeAnythingRuns)
{
    opt.images = {{"cm7", cm7.path}};
    opt.expects = {"("};
    EXPECT_THROW(make_run_plan(opt), std::regex_error);
}

TEST_F(RunPlanTest, OverlappingRamIsANoteNotAnError)
{
    TempFile a(make_elf32({Seg{0x08000000, {0, 0, 2, 0x20, 0x41, 0, 0, 0x08}}, Seg{0x38000000, {1, 1}}}));
    TempFile b(make_elf32({Seg{0x08100000, {0, 0, 4, 0x10, 0x41, 0, 0x10, 0x08}}, Seg{0x38000000, {2, 2}}}));
    opt.images = {{"cm7", a.path}, {"cm4", b.path}};
    RunPlan p = make_run_plan(opt);
    ASSERT_EQ(p.notes.size(), 1u);
    EXPECT_NE(p.notes[0].find("both load sram4 0x38000000-0x38000001; 2 bytes differ"), std::string::npos)
        << p.notes[0];
}

} // namespace
