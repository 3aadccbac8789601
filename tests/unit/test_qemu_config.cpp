// The configuration text the hub writes for each core, read back by the parser
// the QEMU machine uses (ampvp_config.c): every setting of the machine
// description survives the round trip, and bad text gets a one-line reason
// naming the line.
#include "ampvp_config.h"
#include "qemu_config.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

using namespace ampvp;

namespace {

ampvp_config parse(const std::string &text, std::string *error = nullptr)
{
    ampvp_config c;
    char err[256] = "";
    const int rc = ampvp_config_parse(text.c_str(), &c, err, sizeof(err));
    if (error) {
        *error = rc == 0 ? "" : err;
    } else {
        EXPECT_EQ(rc, 0) << err << "\n" << text;
    }
    return c;
}

TEST(QemuConfig, EveryCoreOfEveryMachineRoundTrips)
{
    for (const char *name : {"stm32h745", "stm32h747"}) {
        const auto m = MachineDesc::load_file(testutil::source_dir() + "/machine/" + name + ".json");
        std::vector<std::string> files;
        for (const auto &mem : m.memories) {
            files.push_back("/dev/shm/ampvp-1-x/mem-" + mem.name);
        }
        for (CoreId c = 0; c < (CoreId)m.cores.size(); c++) {
            const CoreDesc &cd = m.cores[c];
            SCOPED_TRACE(std::string(name) + " " + cd.name);
            const ampvp_config q = parse(qemu_config_text(m, c, files, 77));
            EXPECT_EQ(q.version, (unsigned)AMPVP_CONFIG_VERSION);
            EXPECT_EQ(std::string(q.core), cd.name);
            EXPECT_EQ(std::string(q.cpu), cd.cpu);
            EXPECT_EQ(q.cpu_hz, cd.clock_hz);
            EXPECT_EQ(q.num_irq, cd.num_irq);
            EXPECT_EQ(q.boot, cd.boot);
            EXPECT_EQ(q.cpuid, cd.cpuid);
            EXPECT_EQ(q.nvic_prio_bits, cd.nvic_prio_bits);
            EXPECT_EQ(q.mpu_regions, cd.mpu_regions);
            EXPECT_EQ(q.deep_sleep_stops_clock != 0, cd.deep_sleep_stops_clock);
            EXPECT_EQ(q.spin_us, 77u);
            EXPECT_EQ(q.has_clidr != 0, cd.cache_id.count("clidr") != 0);
            if (cd.cache_id.count("clidr")) {
                EXPECT_EQ(q.clidr, cd.cache_id.at("clidr"));
                EXPECT_EQ(q.ctr, cd.cache_id.at("ctr"));
                EXPECT_EQ(q.ccsidr[0], cd.cache_id.at("ccsidr0"));
                EXPECT_EQ(q.ccsidr[1], cd.cache_id.at("ccsidr1"));
            }
            // The memory map: the core's view in order, then the bridge windows.
            const auto view = m.view(c);
            ASSERT_EQ(q.n_regions, view.size() + m.windows.size());
            for (size_t i = 0; i < view.size(); i++) {
                const ampvp_region &r = q.regions[i];
                const MemoryDesc &md = m.memories[view[i].memory];
                EXPECT_EQ(r.base, view[i].alias ? view[i].base : md.base) << r.name;
                if (view[i].alias) {
                    EXPECT_EQ(r.kind, AMPVP_REGION_ALIAS);
                    EXPECT_EQ(std::string(r.target), md.name);
                    EXPECT_EQ(r.offset, view[i].offset);
                    EXPECT_EQ(r.size, view[i].size);
                } else {
                    EXPECT_EQ(r.kind, AMPVP_REGION_FILE);
                    EXPECT_EQ(std::string(r.name), md.name);
                    EXPECT_EQ(r.size, md.size);
                    EXPECT_EQ(std::string(r.path), files[view[i].memory]);
                    EXPECT_EQ(r.ro != 0, md.flash);
                }
            }
            for (size_t i = 0; i < m.windows.size(); i++) {
                const ampvp_region &r = q.regions[view.size() + i];
                EXPECT_EQ(r.kind, AMPVP_REGION_BRIDGE);
                EXPECT_EQ(r.base, m.windows[i].base);
                EXPECT_EQ(r.size, m.windows[i].size);
            }
        }
    }
}

TEST(QemuConfig, BadTextGetsALineNumberedReason)
{
    auto error_of = [](const std::string &text) {
        std::string e;
        parse(text, &e);
        return e;
    };
    const std::string head = "config-version 1\ncpu cortex-m4\nnum-irq 150\n";
    EXPECT_EQ(error_of("cpu cortex-m4\n"), "line 1: expected 'config-version 1' first, got 'cpu'");
    EXPECT_EQ(error_of("config-version 2\n"), "line 1: configuration version 2, this QEMU reads 1");
    EXPECT_EQ(error_of(head + "cpu-hz fast\n"), "line 4: 'fast' is not a number");
    EXPECT_EQ(error_of(head + "warp-drive on\n"), "line 4: unknown setting 'warp-drive'");
    EXPECT_EQ(error_of(head + "alias a 0x0 nowhere 0 16\n"), "line 4: alias of unknown region 'nowhere'");
    EXPECT_EQ(error_of(head + "nvic-prio-bits 9\n"), "line 4: nvic-prio-bits must be 2..8");
    EXPECT_EQ(error_of(head + "file f 0 16\n"), "line 4: file takes NAME BASE SIZE PATH [ro]");
    EXPECT_EQ(error_of("config-version 1\ncpu cortex-m4\n"), "configuration lacks 'cpu' or 'num-irq'");
    EXPECT_EQ(error_of(head + "# a comment\n\n"), "");
}

} // namespace
