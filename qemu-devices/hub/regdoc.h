// The register reference in docs/ is generated from the models themselves
// (`ampvp registers --machine NAME`), so it cannot drift from the code: every
// register each model declares, with offset, reset value, fields, access
// types (RM0399 notation) and what the model leaves unimplemented.
#pragma once

#include "machine.h"

#include <ostream>

namespace ampvp {

// Markdown for one machine: the peripherals with a model (grouped by model,
// one register table per model), then those known by name only.
void write_register_reference(std::ostream &out, const MachineDesc &machine);

} // namespace ampvp
