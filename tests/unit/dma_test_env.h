// Fakes shared by the DMA model tests (test_dma, test_bdma, test_mdma,
// test_dma2d): a scheduler/clock whose deadlines fire in time order, memories
// as byte vectors (optionally seen by one core only) with a register window
// routed to a device model, and IRQ line levels.
#pragma once

#include "fake_time.h"
#include "device.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace dmatest {

using namespace ampvp;

// Deadlines fire in time order (several streams may be pending at once).
struct FakeTime : testutil::FakeScheduler, ClockSource {
    uint64_t rate = 64000000;
    ClockId clock_id(const std::string &n) const override { return n == "hclk" ? 0 : -1; }
    uint64_t hz(ClockId id) const override { return id == 0 ? rate : 0; }
};

// Memories as byte vectors (optionally seen by one core only), and a
// register window routed to a device model; anything else faults.
struct FakeBus : BusMaster {
    struct Region {
        uint64_t base;
        std::vector<uint8_t> bytes;
        CoreId only; // -1: every core
    };
    std::vector<Region> regions;
    Device *dev = nullptr;
    uint64_t dev_base = 0, dev_size = 0;
    std::vector<std::string> by; // initiator of each register access
    // A fake peripheral register: reads pop `rx`, writes append to `tx`.
    uint64_t fake_reg = 0;
    std::vector<uint32_t> rx, tx;

    uint8_t *memory(CoreId as, uint64_t addr, uint64_t len) override
    {
        for (auto &r : regions) {
            if ((r.only < 0 || r.only == as) && addr >= r.base && len <= r.bytes.size() &&
                addr - r.base <= r.bytes.size() - len) {
                return r.bytes.data() + (addr - r.base);
            }
        }
        return nullptr;
    }
    // An access to the routed device, noted in `by`.
    BusAccess dev_access(CoreId as, uint64_t addr, unsigned size)
    {
        BusAccess a;
        a.core = as;
        a.core_name = as == 0 ? "cm7" : "cm4";
        a.addr = addr;
        a.offset = addr - dev_base;
        a.size = size;
        by.push_back(a.core_name);
        return a;
    }
    bool read(CoreId as, uint64_t addr, unsigned size, uint32_t &v) override
    {
        if (fake_reg && addr == fake_reg) {
            v = rx.empty() ? 0 : rx.front();
            if (!rx.empty()) {
                rx.erase(rx.begin());
            }
            return true;
        }
        if (dev && addr >= dev_base && addr < dev_base + dev_size) {
            BusAccess a = dev_access(as, addr, size);
            v = dev->read(a);
            return !a.fault;
        }
        return false;
    }
    bool write(CoreId as, uint64_t addr, unsigned size, uint32_t v) override
    {
        if (fake_reg && addr == fake_reg) {
            tx.push_back(v);
            return true;
        }
        if (dev && addr >= dev_base && addr < dev_base + dev_size) {
            BusAccess a = dev_access(as, addr, size);
            dev->write(a, v);
            return !a.fault;
        }
        return false;
    }
    const ElfImage *image(CoreId) const override { return nullptr; }
    uint8_t &at(uint64_t addr) { return *memory(0, addr, 1); }
};

struct Level : IrqSink {
    std::map<unsigned, bool> level;
    void set_irq(CoreId, unsigned line, bool l) override { level[line] = l; }
    void send_event(CoreId) override {}
    bool operator[](unsigned line) { return level[line]; }
};

} // namespace dmatest
