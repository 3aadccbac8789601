#include "model_registry.h"

#include <map>
#include <stdexcept>

namespace ampvp {

namespace {
// A function-local static: filled by the models' static initialisers, whatever
// their order.
std::map<std::string, ModelFactory> &registry()
{
    static std::map<std::string, ModelFactory> r;
    return r;
}
} // namespace

bool register_model(const char *type, ModelFactory make)
{
    if (!registry().emplace(type, make).second) {
        throw std::logic_error(std::string("device model '") + type + "' registered twice");
    }
    return true;
}

std::unique_ptr<Device> make_model(const std::string &type, const std::string &instance)
{
    auto it = registry().find(type);
    if (it == registry().end()) {
        std::string known;
        for (const auto &kv : registry()) {
            known += (known.empty() ? "" : ", ") + kv.first;
        }
        throw ConfigError("peripheral " + instance + ": unknown model '" + type + "' (known: " +
                          known + ")");
    }
    return it->second(instance);
}

std::vector<std::string> model_names()
{
    std::vector<std::string> v;
    for (const auto &kv : registry()) {
        v.push_back(kv.first);
    }
    return v;
}

} // namespace ampvp
