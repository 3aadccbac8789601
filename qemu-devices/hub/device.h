// What a device model sees of the world: accesses with their initiator, and
// named IRQ output lines.  No sockets, no QEMU: models are unit-tested alone.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ampvp {

using CoreId = int; // index of the core in the machine description

// One bus access as a model sees it.  `core` is the initiator: in ampvp simply
// the core whose bridge connection carried the access.
struct BusAccess {
    CoreId core = 0;
    std::string core_name;     // for messages ("cm7")
    uint64_t addr = 0;         // absolute address
    uint64_t offset = 0;       // offset inside the device
    unsigned size = 4;         // bytes: 1, 2 or 4
    uint64_t time_ns = 0;      // initiator's virtual time
    bool fault = false;        // set by a model to answer with a bus error
};

// Something that delivers IRQ levels to a core's NVIC input.
class IrqSink {
public:
    virtual ~IrqSink() = default;
    virtual void set_irq(CoreId core, unsigned line, bool level) = 0;
};

// A named IRQ output of a device.  It fans out to every (core, NVIC line) the
// machine description connects it to, and sends only on change.
class IrqLine {
public:
    explicit IrqLine(std::string name) : name_(std::move(name)) {}
    const std::string &name() const { return name_; }
    void connect(IrqSink *sink, CoreId core, unsigned line)
    {
        targets_.push_back({sink, core, line});
    }
    void set(bool level);
    bool level() const { return level_; }

private:
    struct Target {
        IrqSink *sink;
        CoreId core;
        unsigned line;
    };
    std::string name_;
    std::vector<Target> targets_;
    bool level_ = false;
};

// Where a UART's transmitted characters go (the console multiplexer).
class CharSink {
public:
    virtual ~CharSink() = default;
    virtual void put_char(const std::string &device, const BusAccess &by, uint8_t ch) = 0;
};

// Services a model may use; filled in by the hub (or a test).
struct DeviceContext {
    CharSink *chars = nullptr;
    bool strict = false; // unimplemented registers fault instead of RAZ/WI
};

class Device {
public:
    explicit Device(std::string name) : name_(std::move(name)) {}
    virtual ~Device() = default;
    const std::string &name() const { return name_; }

    virtual uint32_t read(BusAccess &a) = 0;
    virtual void write(BusAccess &a, uint32_t value) = 0;
    virtual void reset() {}

    // IRQ outputs by name ("irq" for a device with a single line).
    IrqLine *irq(const std::string &name);
    const std::vector<std::unique_ptr<IrqLine>> &irqs() const { return irqs_; }

    void set_context(const DeviceContext &c) { ctx_ = c; }

protected:
    IrqLine &add_irq(const std::string &name);
    DeviceContext ctx_;

private:
    std::string name_;
    std::vector<std::unique_ptr<IrqLine>> irqs_;
};

} // namespace ampvp
