// What a device model sees of the world: accesses with their initiator, and
// named IRQ output lines.  No sockets, no QEMU: models are unit-tested alone.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace ampvp {

using CoreId = int; // index of the core in the machine description

struct ConfigError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

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

// What the hub can do to a core: drive an NVIC input, or signal an event
// (the core's RXEV input: sets its event register, wakes it from WFE).
class IrqSink {
public:
    virtual ~IrqSink() = default;
    virtual void set_irq(CoreId core, unsigned line, bool level) = 0;
    virtual void send_event(CoreId core) = 0;
    // The SoC's wake-up request for a core (STM32: EXTI cN_wakeup, a level).
    // For a core whose clock stops in deep sleep (CStop), only this restarts it;
    // other cores ignore it.
    virtual void set_wakeup(CoreId core, bool level) { (void)core; (void)level; }
};

class Device;
class SharedLine;
class HostSerial;

// A periodic rectangular signal, such as a timer's PWM output: high during
// [start_ns + k * period_ns, start_ns + k * period_ns + high_ns) for every k,
// in hub time.  A waveform that is not periodic (period_ns == 0, or high for
// none or all of the period) is the constant `level`.  For a periodic one,
// `level` is its level at the moment it was set (what a receiver that only
// takes levels sees).  An output carries it whole, so a 20 kHz PWM is one
// message, not 40000 edges a second.
struct Waveform {
    uint64_t period_ns = 0;
    uint64_t high_ns = 0;
    uint64_t start_ns = 0; // a rising edge (any one: compared modulo the period)
    bool level = false;

    static Waveform constant(bool level)
    {
        Waveform w;
        w.level = level;
        return w;
    }
    bool periodic() const { return period_ns != 0 && high_ns != 0 && high_ns < period_ns; }
    // The same signal in canonical form: constant if not periodic, else the
    // start reduced modulo the period (so equal signals compare equal).
    Waveform normalized() const;
    // The normalized signal with `level` set to its level at t_ns (what a
    // receiver that only takes levels sees).
    Waveform at(uint64_t t_ns) const;
    // The complement: high where this one is low (a timer output's polarity bit).
    Waveform inverted() const;
    bool level_at(uint64_t t_ns) const;
    // The first rising (`rising`) or falling edge strictly after `after_ns`;
    // 0 for a constant signal, which has none.
    uint64_t next_edge(uint64_t after_ns, bool rising) const;
    // "pwm 50% 1 kHz" / "1" / "0": what board lines and traces print.
    std::string describe() const;
    bool operator==(const Waveform &o) const
    {
        return period_ns == o.period_ns && high_ns == o.high_ns && start_ns == o.start_ns &&
               (periodic() || level == o.level);
    }
    bool operator!=(const Waveform &o) const { return !(*this == o); }
};

// A named output of a device.  It fans out to every target the machine
// description connects it to: a core's NVIC line, a core's event input, or
// another device's numbered input (HSEM interrupt -> EXTI line 78).  Levels
// are sent only on change; pulse() is a 0-1-0 edge for event-like outputs.
class IrqLine {
public:
    explicit IrqLine(std::string name) : name_(std::move(name)) {}
    const std::string &name() const { return name_; }
    void connect(IrqSink *sink, CoreId core, unsigned line)
    {
        targets_.push_back({Kind::Nvic, sink, core, line, nullptr});
    }
    void connect_event(IrqSink *sink, CoreId core)
    {
        targets_.push_back({Kind::Event, sink, core, 0, nullptr});
    }
    void connect_wakeup(IrqSink *sink, CoreId core)
    {
        targets_.push_back({Kind::Wakeup, sink, core, 0, nullptr});
    }
    void connect_input(Device *dev, unsigned input)
    {
        targets_.push_back({Kind::Input, nullptr, -1, input, dev});
    }
    // One of the sources of a shared input (SharedLine::add_source).
    void connect_shared(SharedLine *shared, unsigned source)
    {
        targets_.push_back({Kind::Shared, nullptr, -1, source, nullptr, shared});
    }
    void set(bool level);
    void pulse();
    bool level() const { return level_; }
    // A periodic signal (or a constant one: then the same as set()).  Inputs
    // of other devices receive it whole (Device::input_wave); a core's NVIC,
    // event and wake-up inputs get its level at this moment.  Sent only on a
    // change of the (normalized) waveform.
    void set_wave(const Waveform &w);
    const Waveform &wave() const { return wave_; }
    // Whether set_wave(w) would change what the line carries (for a model
    // that traces its outputs once per change).
    bool changes(const Waveform &w) const;
    // Send what the line carries to the device inputs again: an output that
    // drives its targets from reset on, before any change (a timer output
    // stage at its idle level), says so once.
    void resend();

private:
    enum class Kind { Nvic, Event, Wakeup, Input, Shared };
    struct Target {
        Kind kind;
        IrqSink *sink;
        CoreId core;
        unsigned line; // NVIC line, input number, or source number (Shared)
        Device *dev;
        SharedLine *shared = nullptr;
    };
    void drive(const Target &t, bool level);
    std::string name_;
    std::vector<Target> targets_;
    bool level_ = false;
    Waveform wave_; // constant level_ unless periodic
};

// An input several outputs drive, such as an NVIC line that interrupt sources
// share (STM32H7: TIM6 and the DAC's underrun on TIM6_DAC_IRQn; RAMECC1-3 on
// ECC_IRQn): it sees the OR of their levels, so it stays high while any source
// is high and falls when the last one does.  Each source is an IrqLine
// connected with connect_shared(this, add_source()); out() goes to the input
// itself.  Levels only: a source's waveform counts by its level at each change.
class SharedLine {
public:
    explicit SharedLine(std::string name) : out_(std::move(name)) {}
    IrqLine &out() { return out_; }
    unsigned add_source()
    {
        high_.push_back(false);
        return static_cast<unsigned>(high_.size() - 1);
    }
    unsigned sources() const { return static_cast<unsigned>(high_.size()); }
    void set(unsigned source, bool level);

private:
    IrqLine out_;
    std::vector<bool> high_; // per source
    unsigned n_high_ = 0;
};

// Power states a core reports (protocol POWER): run, sleep, deep sleep.
enum class CorePower { Run = 0, Sleep = 1, DeepSleep = 2 };
const char *core_power_name(CorePower p);

// Where a UART's transmitted characters go (the console multiplexer).
class CharSink {
public:
    virtual ~CharSink() = default;
    virtual void put_char(const std::string &device, const BusAccess &by, uint8_t ch) = 0;
};

// Where a clock model sends a core's new CPU clock (SysTick follows it).
class ClockSink {
public:
    virtual ~ClockSink() = default;
    virtual void set_core_clock(CoreId core, uint64_t hz) = 0;
};

// Time for models: the hub's clock (host time in free-running mode) and
// one-shot callbacks (Device::timer_fired) at a given time.  Scheduling the
// same (device, tag) again replaces the earlier deadline; 0 cancels it.
class Scheduler {
public:
    virtual ~Scheduler() = default;
    virtual uint64_t now_ns() const = 0;
    virtual void schedule(Device *dev, unsigned tag, uint64_t at_ns) = 0;
};

// Named clock frequencies of the SoC ("tim_apb1", "pclk1" ...), answered by
// the clock model; 0 when unknown.  A model resolves its clock's name to an id
// once (clock_id) and asks by id on its access paths (no string compared there).
using ClockId = int;
class ClockSource {
public:
    virtual ~ClockSource() = default;
    virtual ClockId clock_id(const std::string &name) const = 0; // -1: no such clock
    virtual uint64_t hz(ClockId id) const = 0;                    // 0 for -1
    // By name: for tests, tools and one-off questions.
    uint64_t clock_hz(const std::string &name) const { return hz(clock_id(name)); }
};

// The SoC's boot logic as the hub runs it: a model that releases a core held
// in reset (STM32H7 RCC_GCR BOOT_C1/BOOT_C2) asks here; the hub starts that
// core from the boot address the models report (Device::boot_address).
class BootControl {
public:
    virtual ~BootControl() = default;
    virtual void release_core(CoreId core, const std::string &by) = 0;
    // A reset of one core by the SoC (a watchdog's CPU reset, its domain
    // leaving Standby): the core's CPU, NVIC and SysTick return to their reset
    // state and it boots again from its boot address; memories and the other
    // cores go on.  A core that is not running is left alone.
    virtual void reset_core(CoreId core, const std::string &why)
    {
        (void)core;
        (void)why;
    }
    // A system reset: every model returns to its reset state (Device::reset();
    // what survives one on the chip, such as the backup domain or the reset
    // flags, is the model's business), then every running core boots again;
    // a core the boot logic gates (option bytes) stays in reset until released.
    virtual void reset_system(const std::string &why) { (void)why; }
};

struct ElfImage;

// What a model that is a bus master uses (a DMA, or the model playing a core
// with "cpu": "host" such as a remoteproc master): the memories and registers
// as core `as` sees them, and the images the run loaded.
class BusMaster {
public:
    virtual ~BusMaster() = default;
    // The bytes of [addr, addr + len) in core `as`'s view of the memories
    // (shared with the cores: writes are seen at once); nullptr unless the
    // range lies inside one memory of that view.
    virtual uint8_t *memory(CoreId as, uint64_t addr, uint64_t len) = 0;
    // A register access through the bus as core `as` (the devices see that
    // initiator).  Returns false on a bus fault.
    virtual bool read(CoreId as, uint64_t addr, unsigned size, uint32_t &value) = 0;
    virtual bool write(CoreId as, uint64_t addr, unsigned size, uint32_t value) = 0;
    // The image given for `core` (--<core> / --image core=), or nullptr.
    virtual const ElfImage *image(CoreId core) const = 0;
};

// The host side of a run for models that talk to the user (a remoteproc
// master's ptys and log): descriptors watched by the hub's event loop, lines
// printed as "[source] text" like console lines (--expect sees them).
class HostPort {
public:
    virtual ~HostPort() = default;
    virtual void watch(int fd, std::function<void(int fd)> on_readable) = 0;
    virtual void unwatch(int fd) = 0;
    // Once, the next time fd can be written to (it was full).
    virtual void when_writable(int fd, std::function<void(int fd)> cb) = 0;
    virtual void console_line(const std::string &source, const std::string &text) = 0;
    // End the run with an error (one line naming what and where) and `exit_code`.
    virtual void fail(const std::string &message, int exit_code) = 0;
    // A host input a model owns (a remoteproc master's endpoint pty), named
    // `name` in recordings.  Free-running, the model pumps it as bytes come;
    // with --deterministic the hub defers it and pumps it at quantum
    // boundaries, records what it gave, replays it, and calls `delivered`
    // after each pump that gave bytes.  forget_host_input before it goes away.
    virtual void host_input(HostSerial *port, const std::string &name, std::function<void()> delivered)
    {
        (void)port;
        (void)name;
        (void)delivered;
    }
    virtual void forget_host_input(HostSerial *port) { (void)port; }
};

// Analog voltages on the package's pins ("PA4"): what an ADC channel samples.
// Drivers are the host (`ampvp run --analog PA0=1.65`) and models with an
// analog output (a DAC channel on its pin).  A pin nothing drives reads 0 V.
class AnalogPins {
public:
    virtual ~AnalogPins() = default;
    // The pin's voltage now, in volts.
    virtual double volts(const std::string &pin) const = 0;
    // Drive the pin to `volts` (the last driver wins); `by` names the driver
    // for traces ("DAC1", "host").
    virtual void drive(const std::string &pin, double volts, const std::string &by) = 0;
};

// Services a model may use; filled in by the hub (or a test).
struct DeviceContext {
    CharSink *chars = nullptr;
    ClockSink *clocks = nullptr;
    Scheduler *scheduler = nullptr;
    const ClockSource *clock_source = nullptr;
    BootControl *boot = nullptr;
    BusMaster *master = nullptr;
    HostPort *host = nullptr;
    AnalogPins *analog = nullptr;
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
    // A numbered input driven by another device's output or a core's TXEV.
    virtual void input(unsigned n, bool level) { (void)n; (void)level; }
    // The same input driven by a waveform (IrqLine::set_wave).  A model that
    // does not take waveforms sees its level at each change of the waveform
    // (not every edge of a periodic one).
    virtual void input_wave(unsigned n, const Waveform &w) { input(n, w.level); }
    // A core wrote to a memory this device controls (machine role "flash":
    // the flash arrays, which the cores map read-only; a write is a
    // programming step of the flash interface).  a.addr is the address.
    virtual void memory_write(BusAccess &a, uint32_t value);
    // A deadline set through DeviceContext::scheduler has come.
    virtual void timer_fired(unsigned tag) { (void)tag; }
    // A core changed power state (every device is told; most ignore it).
    virtual void core_power_changed(CoreId core, CorePower p) { (void)core; (void)p; }
    // Every core has reached the start barrier and the cores that boot are
    // running: a model playing a host core starts its work here.
    virtual void run_started() {}
    // The run is ending (expectations met, timeout, signal).  A model that has
    // to tell the firmware first (a remoteproc master's shutdown request) starts
    // that here and returns the longest it may take (ns); the hub keeps running
    // until stop_done() or that bound.  0: nothing to do.
    virtual uint64_t stop_requested() { return 0; }
    virtual bool stop_done() const { return true; }
    // Bytes from the host (a UART's receive side fed from stdin, a pty or a
    // socket).  The hub offers one byte at a time while accepts_input() is
    // true and keeps the rest, so a receiver that is disabled or full holds
    // the host back instead of overrunning (like QEMU's can_receive).
    // Boot configuration a model holds for a core (STM32H7: FLASH option
    // bytes BCMx gate it; SYSCFG UR boot addresses say where it starts).
    // Models that do not know answer nothing.
    virtual std::optional<bool> boot_gated(CoreId core) const { (void)core; return std::nullopt; }
    virtual std::optional<uint32_t> boot_address(CoreId core) const
    {
        (void)core;
        return std::nullopt;
    }
    virtual bool accepts_input() const { return false; }
    virtual void host_input(uint8_t byte) { (void)byte; }
    // Per-instance parameters from the machine description ("params").
    virtual void configure(const std::map<std::string, std::string> &params,
                           const std::vector<std::string> &core_names)
    {
        (void)params;
        (void)core_names;
    }

    // IRQ outputs by name ("irq" for a device with a single line).
    IrqLine *irq(const std::string &name);
    const std::vector<std::unique_ptr<IrqLine>> &irqs() const { return irqs_; }

    void set_context(const DeviceContext &c) { ctx_ = c; }

protected:
    IrqLine &add_irq(const std::string &name);
    // The core a parameter names ("cpu1": "cm7"); throws ConfigError if the
    // parameter is missing or names no core.
    static CoreId param_core(const std::map<std::string, std::string> &params,
                             const std::string &key, const std::vector<std::string> &core_names);
    DeviceContext ctx_;

private:
    std::string name_;
    std::vector<std::unique_ptr<IrqLine>> irqs_;
};

} // namespace ampvp
