// The hub's view of the peripheral space: every access that arrives from a
// bridge window is dispatched by address to the device model there.  Places
// with no model read as zero and ignore writes, with one warning per register
// naming core, address and (if known) peripheral; strict mode faults instead.
#pragma once

#include "device.h"
#include "machine.h"
#include "model_registry.h"

#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

namespace ampvp {


class Bus {
public:
    // Instantiates every peripheral with a model and connects its IRQ outputs.
    Bus(const MachineDesc &machine, const DeviceContext &ctx, IrqSink *irqs);

    // `a.addr`, `a.core`, `a.size` set by the caller; fills a.offset.
    uint32_t read(BusAccess &a);
    void write(BusAccess &a, uint32_t value);

    Device *device(const std::string &name);
    void reset();

    // A core executed SEV: its TXEV goes where the machine description says.
    void core_txev(CoreId core);
    // The core wrote SCB AIRCR.SYSRESETREQ: a pulse on its "sysresetreq" targets.
    void core_sysresetreq(CoreId core);
    // A core reported a power state: every device is told.
    void core_power(CoreId core, CorePower p);
    // Boot configuration of a core as the models report it (first answer).
    std::optional<bool> boot_gated(CoreId core) const;
    std::optional<uint32_t> boot_address(CoreId core) const;
    const std::vector<std::unique_ptr<Device>> &devices() const { return devices_; }

private:
    struct Entry {
        uint64_t base, size;
        Device *dev; // null: known peripheral without a model
        const PeripheralDesc *desc;
    };
    const Entry *find(uint64_t addr) const;
    void unmodelled(BusAccess &a, const Entry *e, bool is_write, uint32_t value);
    void connect(IrqLine &line, const SignalTarget &t, IrqSink *irqs, const std::string &what);
    // The shared input behind a core's NVIC line (or wake-up input): made and
    // connected to the core on first use.
    SharedLine &core_input(CoreId c, bool wakeup, unsigned n, IrqSink *irqs);

    const MachineDesc &machine_;
    DeviceContext ctx_;
    // Writes to a flash memory (read-only to the cores) go to the peripheral
    // with role "flash" (Device::memory_write), or are refused.
    struct FlashRange {
        uint64_t base, size;
    };
    std::vector<FlashRange> flash_;
    Device *flash_ctl_ = nullptr;
    std::vector<std::unique_ptr<Device>> devices_;
    std::vector<Entry> map_; // sorted by base
    std::vector<std::unique_ptr<IrqLine>> txev_; // per core
    std::vector<std::unique_ptr<IrqLine>> sysresetreq_; // per core
    std::vector<std::unique_ptr<Device>> reset_inputs_;  // "reset" targets (ResetInput)
    // A core's level inputs (NVIC lines, wake-up) are wired-OR: every output
    // the machine connects to one drives it through its SharedLine.
    std::map<std::tuple<CoreId, bool, unsigned>, std::unique_ptr<SharedLine>> core_inputs_;
};

} // namespace ampvp
