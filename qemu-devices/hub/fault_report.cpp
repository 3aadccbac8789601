#include "fault_report.h"

#include "log.h"

namespace ampvp {

namespace {
struct Bit {
    unsigned bit;
    const char *name;
};
// Armv7-M ARM B3.2.15; STKOF (bit 20) is Armv8-M's and reads 0 on v7-M.
const Bit kCfsr[] = {{0, "IACCVIOL"},  {1, "DACCVIOL"},     {3, "MUNSTKERR"}, {4, "MSTKERR"},
                     {5, "MLSPERR"},   {7, "MMARVALID"},    {8, "IBUSERR"},   {9, "PRECISERR"},
                     {10, "IMPRECISERR"}, {11, "UNSTKERR"}, {12, "STKERR"},   {13, "LSPERR"},
                     {15, "BFARVALID"}, {16, "UNDEFINSTR"}, {17, "INVSTATE"}, {18, "INVPC"},
                     {19, "NOCP"},     {20, "STKOF"},       {24, "UNALIGNED"}, {25, "DIVBYZERO"}};
const Bit kHfsr[] = {{1, "VECTTBL"}, {30, "FORCED"}, {31, "DEBUGEVT"}};

template <size_t N> std::string names(uint32_t v, const Bit (&table)[N])
{
    std::string out;
    for (const auto &b : table) {
        if (v & (1u << b.bit)) {
            out += (out.empty() ? "" : " ") + std::string(b.name);
        }
    }
    return out;
}

const char *exc_name(uint32_t exc)
{
    switch (exc) {
    case 3: return "HardFault";
    case 4: return "MemManage";
    case 5: return "BusFault";
    case 6: return "UsageFault";
    default: return "fault";
    }
}

bool mapped(const MachineDesc &m, CoreId c, uint64_t addr)
{
    for (const auto &mp : m.view(c)) {
        if (addr >= mp.base && addr < mp.base + mp.size) {
            return true;
        }
    }
    for (const auto &w : m.windows) {
        if (addr >= w.base && addr < w.base + w.size) {
            return true;
        }
    }
    return addr >= 0xE0000000u; // the core's own private peripheral bus (SCS, debug)
}

std::string where(uint32_t addr, const ElfImage *img)
{
    const std::string sym = img ? img->symbolize(addr) : "";
    return hex(addr) + (sym.empty() ? "" : " <" + sym + ">");
}
} // namespace

std::string cfsr_names(uint32_t cfsr) { return names(cfsr, kCfsr); }
std::string hfsr_names(uint32_t hfsr) { return names(hfsr, kHfsr); }

std::string fault_report(const std::string &core, const FaultInfo &f, const ElfImage *image,
                         const MachineDesc &m, CoreId c)
{
    std::string out = core + ": ";
    if (f.exc == 0xFFFFu) {
        out += "lockup (" + f.why + ")";
    } else {
        out += exc_name(f.exc);
        std::string why = f.exc == 3 ? hfsr_names(f.hfsr) : "";
        const std::string cfsr = cfsr_names(f.cfsr);
        if (!cfsr.empty()) {
            why += (why.empty() ? "" : ", ") + cfsr;
        }
        out += why.empty() ? "" : " (" + why + ")";
    }
    out += " at " + where(f.pc, image) + ", lr " + where(f.lr, image);
    if (f.cfsr & (1u << 7)) {
        out += ", MMFAR " + hex(f.mmfar) + (mapped(m, c, f.mmfar) ? "" : " (unmapped)");
    }
    if (f.cfsr & (1u << 15)) {
        out += ", BFAR " + hex(f.bfar) + (mapped(m, c, f.bfar) ? "" : " (unmapped)");
    }
    return out;
}

} // namespace ampvp
