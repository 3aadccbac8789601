// Machine descriptions (machine/*.json): cores, memories (shared or private to
// some cores, with aliases), bridge windows and peripheral instances.  The
// format is documented in docs/machine-format.md.
#pragma once

#include "device.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace ampvp {

// Where a device output or a core's TXEV goes: a core (NVIC line, or its
// event input), or a numbered input of another peripheral.
struct SignalTarget {
    std::string target; // core or peripheral name
    bool is_core = false;
    bool event = false; // core target: its RXEV rather than an NVIC line
    bool wakeup = false; // core target: its wake-up (clock restart) input
    bool reset = false;  // peripheral target: its reset (Device::reset on each rising edge)
    unsigned n = 0;     // NVIC line or device input
};

struct CoreDesc {
    std::string name; // "cm7"
    std::string cpu;  // QEMU CPU model: "cortex-m7"; "host": played by a hub model
    // "cpu": "host": no QEMU instance; the peripheral named here (a model that
    // is a bus master, such as a remoteproc master playing the Cortex-A7 of an
    // STM32MP15) plays this core: its accesses carry this core's id, and what
    // the machine sends to the core's NVIC line n arrives as that model's
    // input n.  Events and wake-ups to a host core are ignored.
    std::string played_by;
    bool host() const { return !played_by.empty(); }
    unsigned num_irq = 0;
    uint64_t clock_hz = 0;
    uint64_t boot = 0;  // address of the reset vector table
    uint32_t cpuid = 0; // SCB->CPUID to show (0: QEMU's default for the CPU model)
    unsigned nvic_prio_bits = 0; // priority bits the NVIC implements (0: QEMU's default)
    unsigned mpu_regions = 0;    // MPU regions (0: QEMU's default for the CPU model)
    // Cache identification registers (CLIDR, CTR, CCSIDR by CSSELR index) as
    // the silicon reports them; absent: QEMU's (none for the Cortex-M7).
    std::map<std::string, uint32_t> cache_id; // "clidr", "ctr", "ccsidr0".."ccsidr15
    std::vector<SignalTarget> txev; // where this core's SEV goes
    // Where this core's SYSRESETREQ (SCB AIRCR) goes, e.g. the RCC's reset
    // input; none: the core's QEMU resets that core alone (QEMU's default).
    std::vector<SignalTarget> sysresetreq;
    // Deep sleep (SLEEPDEEP + WFI/WFE) stops this core's clock (STM32 CStop):
    // the core and its SysTick stand still until a "wakeup" target wakes it.
    bool deep_sleep_stops_clock = false;
};

struct AliasDesc {
    uint64_t base = 0;
    std::vector<std::string> cores; // empty = every core that sees the memory
};

struct MemoryDesc {
    std::string name;
    uint64_t base = 0, size = 0;
    bool flash = false;             // erased to 0xFF, read-only to the cores
    std::vector<std::string> cores; // empty = shared by all cores
    std::vector<AliasDesc> aliases;
};

struct WindowDesc {
    std::string name;
    uint64_t base = 0, size = 0;
};

struct PeripheralDesc {
    std::string name;  // "USART3"
    uint64_t base = 0, size = 0;
    bool mapped = true; // false: a model with no registers on the bus ("base" omitted)
    std::string model; // empty: known by name only (accesses are "unimplemented")
    // Output name -> targets.
    std::map<std::string, std::vector<SignalTarget>> irqs;
    std::map<std::string, std::string> params; // model parameters
};

// One range of a core's address space backed by a memory.
struct Mapping {
    std::string name; // the memory's name, or an alias name
    uint64_t base = 0, size = 0;
    size_t memory = 0; // index into MachineDesc::memories
    uint64_t offset = 0;
    bool alias = false;
};

struct MachineDesc {
    std::string name, title, source;
    std::string console; // the UART whose output is the plain "[core] text" console
    // The peripherals generic code needs by what they do, not by model name:
    // "clocks" answers clock questions (ClockSource) and takes the board's
    // "hse_hz".  Checked at load: each names a peripheral with a model.
    std::map<std::string, std::string> roles;
    const std::string *role(const std::string &r) const
    {
        auto it = roles.find(r);
        return it == roles.end() ? nullptr : &it->second;
    }
    std::vector<CoreDesc> cores;
    std::vector<MemoryDesc> memories;
    std::vector<WindowDesc> windows;
    std::vector<PeripheralDesc> peripherals;
    // Option bytes (non-volatile chip configuration, e.g. STM32H7 BCM4 = 0
    // gates the CM4's boot), given to every model with its params.
    std::map<std::string, std::string> option_bytes;
    // Change an option byte (`ampvp run --option-byte`); throws ConfigError
    // naming the known ones if this machine has no option byte `key`.
    void set_option_byte(const std::string &key, const std::string &value);

    // Load and validate; throws ConfigError naming the file and the field.
    static MachineDesc load_file(const std::string &path);
    static MachineDesc parse(const std::string &json_text, const std::string &source);
    static MachineDesc from_json(const nlohmann::json &j, const std::string &source);
    // Expand "extends" (see docs/machine-format.md).
    static nlohmann::json resolve_extends(nlohmann::json j, const std::string &path, int depth);

    int core_index(const std::string &name) const; // -1 if unknown
    const PeripheralDesc *peripheral_named(const std::string &name) const;
    std::vector<SignalTarget> parse_targets(const nlohmann::json &j, const std::string &where) const;
    bool sees(CoreId core, const MemoryDesc &m) const;
    std::vector<Mapping> view(CoreId core) const;
    const PeripheralDesc *peripheral_at(uint64_t addr) const;
};

// Read and parse a JSON description file (comments allowed); throws
// ConfigError naming the file.
nlohmann::json load_json_file(const std::string &path, const char *what);

// Parse "0x1000", "4096", "64K", "1M" (a JSON number is accepted too).
uint64_t parse_size(const std::string &text);

} // namespace ampvp
