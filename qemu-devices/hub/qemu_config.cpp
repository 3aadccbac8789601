#include "qemu_config.h"

#include "ampvp_config.h"
#include "log.h"

namespace ampvp {

std::string qemu_config_text(const MachineDesc &machine, CoreId core,
                             const std::vector<std::string> &memory_files, unsigned spin_us,
                             uint64_t lockstep_quantum_ns)
{
    const CoreDesc &cd = machine.cores[core];
    std::string t = "config-version " + std::to_string(AMPVP_CONFIG_VERSION) + "\n";
    t += "core " + cd.name + "\ncpu " + cd.cpu + "\ncpu-hz " + std::to_string(cd.clock_hz) +
         "\nnum-irq " + std::to_string(cd.num_irq) + "\nboot " + hex(cd.boot) + "\n";
    if (cd.cpuid) {
        t += "cpuid " + hex(cd.cpuid) + "\n";
    }
    if (cd.nvic_prio_bits) {
        t += "nvic-prio-bits " + std::to_string(cd.nvic_prio_bits) + "\n";
    }
    if (cd.mpu_regions) {
        t += "mpu-regions " + std::to_string(cd.mpu_regions) + "\n";
    }
    if (cd.deep_sleep_stops_clock) {
        t += "deep-sleep-stops-clock\n";
    }
    if (!cd.sysresetreq.empty()) {
        t += "sysresetreq-to-hub\n";
    }
    for (const auto &[reg, v] : cd.cache_id) {
        t += reg.rfind("ccsidr", 0) == 0 ? "ccsidr " + reg.substr(6) + " " + hex(v) + "\n"
                                         : reg + " " + hex(v) + "\n";
    }
    t += "spin-us " + std::to_string(spin_us) + "\n";
    if (lockstep_quantum_ns) {
        t += "lockstep-quantum-ns " + std::to_string(lockstep_quantum_ns) + "\n";
    }
    for (const auto &mp : machine.view(core)) {
        const MemoryDesc &md = machine.memories[mp.memory];
        if (mp.alias) {
            t += "alias " + mp.name + " " + hex(mp.base) + " " + md.name + " " + hex(mp.offset) + " " +
                 hex(mp.size) + "\n";
        } else {
            t += "file " + md.name + " " + hex(md.base) + " " + hex(md.size) + " " +
                 memory_files.at(mp.memory) + (md.flash ? " ro" : "") + "\n";
        }
    }
    for (const auto &w : machine.windows) {
        t += "bridge " + w.name + " " + hex(w.base) + " " + hex(w.size) + "\n";
    }
    return t;
}

} // namespace ampvp
