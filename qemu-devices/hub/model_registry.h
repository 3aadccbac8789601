// Device models register themselves, in their own source file, under the type
// name a machine description uses ("model": "stm32-hsem"):
//
//     AMPVP_MODEL("stm32-hsem", Stm32Hsem);
//
// Nothing else in the hub names a model: adding one is its source, its unit test
// and a machine description entry (docs/adding-a-peripheral.md).  The models are
// linked as objects (CMake: an OBJECT library globbing models/*.cpp), so no linker
// drops a model nobody references by name.
#pragma once

#include "device.h"

#include <memory>
#include <string>
#include <vector>

namespace ampvp {

using ModelFactory = std::unique_ptr<Device> (*)(const std::string &instance);

// Returns true; throws std::logic_error when the name is taken (a programming error).
bool register_model(const char *type, ModelFactory make);

// Create the model named in a machine description; throws ConfigError naming the
// instance and the known models for an unknown type.
std::unique_ptr<Device> make_model(const std::string &type, const std::string &instance);
std::vector<std::string> model_names(); // sorted

} // namespace ampvp

#define AMPVP_MODEL_CAT2(a, b) a##b
#define AMPVP_MODEL_CAT(a, b) AMPVP_MODEL_CAT2(a, b)
#define AMPVP_MODEL(type_name, Class)                                                              \
    namespace {                                                                                    \
    [[maybe_unused]] const bool AMPVP_MODEL_CAT(ampvp_registered_, __LINE__) =                     \
        ::ampvp::register_model(type_name,                                                         \
                                [](const std::string &n) -> std::unique_ptr<::ampvp::Device> {     \
                                    return std::make_unique<Class>(n);                             \
                                });                                                                \
    }
