#include "dma_master.h"

#include "../log.h"

#include <cstdlib>
#include <sstream>

namespace ampvp::dma {

std::vector<Master::Range> Master::parse_ranges(const std::string &spec, const char *param)
{
    std::vector<Range> out;
    std::stringstream in(spec);
    std::string item;
    while (std::getline(in, item, ',')) {
        const auto plus = item.find('+');
        char *end1 = nullptr, *end2 = nullptr;
        const std::string b = item.substr(0, plus);
        const std::string s = plus == std::string::npos ? "" : item.substr(plus + 1);
        const uint64_t base = std::strtoull(b.c_str(), &end1, 0);
        const uint64_t size = std::strtoull(s.c_str(), &end2, 0);
        if (plus == std::string::npos || b.empty() || s.empty() || *end1 || *end2 || !size) {
            throw ConfigError(std::string("param ") + param + ": \"" + item + "\" is not BASE+SIZE");
        }
        out.push_back({base, size});
    }
    return out;
}

void Master::set_reach(const std::string &spec) { reach_ = parse_ranges(spec, "reach"); }

bool Master::reachable(uint64_t addr, uint64_t len) const
{
    if (reach_.empty()) {
        return true;
    }
    for (const Range &r : reach_) {
        if (inside(r, addr, len)) {
            return true;
        }
    }
    return false;
}

std::string Master::where(uint64_t addr) const
{
    if (!reachable(addr, 1)) {
        return " (outside the areas its bus matrix reaches)";
    }
    return view_name_.empty() ? "" : " (view of " + view_name_ + ")";
}

} // namespace ampvp::dma
