// Where ampvp finds machine descriptions and its QEMU (see runner.h).
#include "runner.h"

#include "device.h"

#include <cstdlib>
#include <sys/stat.h>

#ifndef AMPVP_MACHINE_DIR
#define AMPVP_MACHINE_DIR "machine"
#endif
#ifndef AMPVP_QEMU_DEFAULT
#define AMPVP_QEMU_DEFAULT "qemu-system-arm"
#endif

namespace ampvp {

std::vector<std::string> machine_dirs()
{
    std::vector<std::string> dirs;
    if (const char *env = std::getenv("AMPVP_MACHINE_PATH")) {
        std::string s = env;
        size_t pos;
        while ((pos = s.find(':')) != std::string::npos) {
            dirs.push_back(s.substr(0, pos));
            s.erase(0, pos + 1);
        }
        if (!s.empty()) {
            dirs.push_back(s);
        }
    }
    dirs.push_back(AMPVP_MACHINE_DIR);
    return dirs;
}

std::string find_machine(const std::string &name)
{
    struct stat st;
    const bool is_path = name.find('/') != std::string::npos ||
                         (name.size() > 5 && name.substr(name.size() - 5) == ".json");
    if (is_path) {
        if (stat(name.c_str(), &st) == 0) {
            return name;
        }
        throw ConfigError(name + ": no such machine description file");
    }
    std::string tried;
    for (const auto &d : machine_dirs()) {
        std::string p = d + "/" + name + ".json";
        if (stat(p.c_str(), &st) == 0) {
            return p;
        }
        tried += (tried.empty() ? "" : ", ") + d;
    }
    throw ConfigError("unknown machine '" + name + "' (looked in " + tried +
                      "; 'ampvp machines' lists them)");
}

std::string default_qemu()
{
    if (const char *env = std::getenv("AMPVP_QEMU")) {
        return env;
    }
    return AMPVP_QEMU_DEFAULT;
}

} // namespace ampvp
