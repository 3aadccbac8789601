// libFuzzer harness for the hub's bus and device models: the input is a
// sequence of 8-byte records, each one access (or event) on a fresh
// stm32h745 Bus with stub sinks.  It must not crash, trip a sanitizer, leak,
// or take long.  Built and run by bench/fuzz; seeds in tests/fuzz/corpus/bus.
//
// Record (8 bytes, little endian):
//   byte 0  bit 0     core (0 or 1, modulo the machine's core count)
//           bit 1     0 = read, 1 = write
//           bits 2-3  size: 0 -> 1 byte, 1 -> 2 bytes, 2 or 3 -> 4 bytes
//           bit 4     a broken peer: keep an unaligned offset and the written
//                     value's bits above the access size (QEMU aligns and
//                     masks; the bridge passes whatever arrives)
//           bits 5-7  0-4 access; 5 advance time by `value` ns and fire due
//                     timers; 6 the core executes SEV; 7 the core reports
//                     power state value % 3
//   byte 1  peripheral: bit 7 clear -> bits 0-6 index the peripherals that
//           have a model (in machine-description order, modulo their count);
//           bit 7 set -> bits 0-6 index all peripherals (most are known by
//           name only: the read-as-zero / write-ignored path)
//   bytes 2-3  offset inside that peripheral's window, modulo its size
//   bytes 4-7  value written (or time / power state)
#include "bus.h"
#include "device.h"
#include "log.h"
#include "machine.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

using namespace ampvp;

namespace {

struct StubIrqs : IrqSink {
    void set_irq(CoreId, unsigned, bool) override {}
    void send_event(CoreId) override {}
    void set_wakeup(CoreId, bool) override {}
};

struct StubChars : CharSink {
    void put_char(const std::string &, const BusAccess &, uint8_t) override {}
};

struct StubClocks : ClockSink {
    void set_core_clock(CoreId, uint64_t) override {}
};

struct StubBoot : BootControl {
    void release_core(CoreId, const std::string &) override {}
};

// A fake clock that moves only when a record says so; timers fire when due.
struct FakeScheduler : Scheduler {
    uint64_t t = 0;
    std::map<std::pair<Device *, unsigned>, uint64_t> due;
    uint64_t now_ns() const override { return t; }
    void schedule(Device *dev, unsigned tag, uint64_t at_ns) override
    {
        if (at_ns) {
            due[{dev, tag}] = at_ns;
        } else {
            due.erase({dev, tag});
        }
    }
    void advance(uint64_t dt)
    {
        t += dt;
        // Bounded: a model that re-arms in the past must not spin forever.
        for (int k = 0; k < 256; k++) {
            auto it = due.begin();
            while (it != due.end() && it->second > t) {
                ++it;
            }
            if (it == due.end()) {
                return;
            }
            auto [dev, tag] = it->first;
            due.erase(it);
            dev->timer_fired(tag);
        }
    }
};

const MachineDesc &machine()
{
    static const MachineDesc m = [] {
#ifdef AMPVP_SOURCE_DIR
        return MachineDesc::load_file(std::string(AMPVP_SOURCE_DIR) + "/machine/stm32h745.json");
#else
        return MachineDesc::load_file("machine/stm32h745.json");
#endif
    }();
    return m;
}

const std::vector<const PeripheralDesc *> &modelled()
{
    static const std::vector<const PeripheralDesc *> v = [] {
        std::vector<const PeripheralDesc *> r;
        for (const auto &p : machine().peripherals) {
            if (!p.model.empty()) {
                r.push_back(&p);
            }
        }
        return r;
    }();
    return v;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    log().set_sink([](const std::string &, bool) {}); // unimplemented-register lines: silent
    (void)modelled();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 8 * 512) {
        return 0; // at most 512 records: each input stays quick
    }
    const MachineDesc &m = machine();
    log().clear_once();
    StubIrqs irqs;
    StubChars chars;
    StubClocks clocks;
    StubBoot boot;
    FakeScheduler sched;
    DeviceContext ctx;
    ctx.chars = &chars;
    ctx.clocks = &clocks;
    ctx.scheduler = &sched;
    ctx.boot = &boot;
    Bus bus(m, ctx, &irqs);
    const size_t ncores = m.cores.size();
    const size_t nper = m.peripherals.size(), nmod = modelled().size();
    if (!ncores || !nper || !nmod) {
        std::abort();
    }
    for (size_t i = 0; i + 8 <= size; i += 8) {
        const uint8_t *r = data + i;
        const CoreId core = static_cast<CoreId>((r[0] & 1) % ncores);
        const unsigned op = r[0] >> 5;
        uint32_t value;
        std::memcpy(&value, r + 4, 4);
        if (op == 5) {
            sched.advance(value);
            continue;
        }
        if (op == 6) {
            bus.core_txev(core);
            continue;
        }
        if (op == 7) {
            bus.core_power(core, static_cast<CorePower>(value % 3));
            continue;
        }
        const PeripheralDesc &p = r[1] & 0x80 ? m.peripherals[(r[1] & 0x7F) % nper]
                                              : *modelled()[(r[1] & 0x7F) % nmod];
        const unsigned sz = (r[0] >> 2 & 3) == 0 ? 1 : (r[0] >> 2 & 3) == 1 ? 2 : 4;
        uint64_t off = (static_cast<uint64_t>(r[2]) | static_cast<uint64_t>(r[3]) << 8) %
                       (p.size ? p.size : 1);
        if (!(r[0] & 0x10)) {
            off &= ~static_cast<uint64_t>(sz - 1);
        }
        BusAccess a;
        a.core = core;
        a.core_name = m.cores[core].name;
        a.addr = p.base + off;
        a.size = sz;
        a.time_ns = sched.t;
        if (r[0] & 2) {
            const bool raw = r[0] & 0x10;
            bus.write(a, raw || sz == 4 ? value : value & ((1u << (8 * sz)) - 1));
        } else {
            (void)bus.read(a);
        }
    }
    return 0;
}
