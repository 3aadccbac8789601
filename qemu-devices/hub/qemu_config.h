// The configuration text a core's QEMU instance gets in its HELLO_ACK (format:
// qemu-devices/protocol/ampvp_config.h, docs/protocol.md), written here from the
// machine description; read on the QEMU side by ampvp_config_parse(), the same
// parser the round-trip test uses.
#pragma once

#include "machine.h"

#include <string>
#include <vector>

namespace ampvp {

// `memory_files[i]` is the shared file behind machine.memories[i].
std::string qemu_config_text(const MachineDesc &machine, CoreId core,
                             const std::vector<std::string> &memory_files, unsigned spin_us,
                             uint64_t lockstep_quantum_ns = 0);

} // namespace ampvp
