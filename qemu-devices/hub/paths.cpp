// Where ampvp finds machine descriptions and its QEMU (see runner.h).
//
// Two layouts.  The ampvp in its build tree (the directory it was built in,
// AMPVP_BUILD_DIR) uses the source tree's machine/ and the build tree's QEMU.
// Anywhere else it is an installed copy (`cmake --install`, the .deb) and
// looks only next to itself, so a moved prefix still works and no build tree
// is needed:  <prefix>/bin/ampvp, <prefix>/AMPVP_INSTALL_QEMU_REL
// (libexec/ampvp/qemu-system-arm) and <prefix>/AMPVP_INSTALL_MACHINE_REL
// (share/ampvp/machine), both relative to the binary's directory.
#include "runner.h"

#include "device.h"

#include <climits>
#include <cstdlib>
#include <sys/stat.h>
#include <unistd.h>

#ifndef AMPVP_MACHINE_DIR
#define AMPVP_MACHINE_DIR "machine"
#endif
#ifndef AMPVP_QEMU_DEFAULT
#define AMPVP_QEMU_DEFAULT "qemu-system-arm"
#endif
#ifndef AMPVP_INSTALL_MACHINE_REL
#define AMPVP_INSTALL_MACHINE_REL "../share/ampvp/machine"
#endif
#ifndef AMPVP_INSTALL_QEMU_REL
#define AMPVP_INSTALL_QEMU_REL "../libexec/ampvp/qemu-system-arm"
#endif

namespace ampvp {

namespace {

std::string real_path(const std::string &p)
{
    char buf[PATH_MAX];
    return realpath(p.c_str(), buf) ? std::string(buf) : p;
}

// The directory of the running executable if it is an installed ampvp, or ""
// for a program in the build tree (ampvp, the unit tests, the benchmarks).
const std::string &installed_bin_dir()
{
    static const std::string dir = [] {
#ifdef AMPVP_BUILD_DIR
        char buf[PATH_MAX];
        const ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
        if (n <= 0) {
            return std::string();
        }
        std::string exe(buf, static_cast<size_t>(n));
        std::string d = exe.substr(0, exe.find_last_of('/'));
        return d == real_path(AMPVP_BUILD_DIR) ? std::string() : d;
#else
        return std::string();
#endif
    }();
    return dir;
}

} // namespace

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
    const std::string &bin = installed_bin_dir();
    dirs.push_back(bin.empty() ? std::string(AMPVP_MACHINE_DIR)
                               : real_path(bin + "/" + AMPVP_INSTALL_MACHINE_REL));
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
    const std::string &bin = installed_bin_dir();
    return bin.empty() ? std::string(AMPVP_QEMU_DEFAULT)
                       : real_path(bin + "/" + AMPVP_INSTALL_QEMU_REL);
}

} // namespace ampvp
