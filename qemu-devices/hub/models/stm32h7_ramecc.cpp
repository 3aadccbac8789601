#include "stm32h7_ramecc.h"
#include "../model_registry.h"

#include "../log.h"
#include "../machine.h"

#include <stdexcept>

namespace ampvp {

namespace {
constexpr unsigned kMaxMonitors = 6; // the largest unit of the H7 family
}

Stm32h7Ramecc::Stm32h7Ramecc(const std::string &name) : RegisterDevice(name), irq_(add_irq("irq"))
{
    regs_.reg("IER", 0x00, 0)
        .field("GIE", 0, 1, Acc::RW, &gie_)
        .field("GECCSEIE", 1, 1, Acc::RW, &gseie_)
        .field("GECCDEIE", 2, 1, Acc::RW, &gdeie_)
        .field("GECCDEBWIE", 3, 1, Acc::RW, &gdebwie_);
}

// The monitor count is per unit: declared once, at configuration.
void Stm32h7Ramecc::configure(const std::map<std::string, std::string> &params, const std::vector<std::string> &)
{
    auto it = params.find("monitors");
    const uint64_t n = it == params.end() ? 0 : parse_size(it->second);
    if (n < 1 || n > kMaxMonitors) {
        throw std::runtime_error(name() + ": params \"monitors\" must be 1.." + std::to_string(kMaxMonitors));
    }
    if (mon_.empty()) {
        declare_monitors(static_cast<unsigned>(n));
    }
}

void Stm32h7Ramecc::declare_monitors(unsigned n)
{
    mon_.resize(n);
    for (unsigned x = 1; x <= n; x++) {
        Monitor &m = mon_[x - 1];
        const std::string p = "M" + std::to_string(x);
        const uint32_t base = 0x20 * x;
        regs_.reg(p + "CR", base + 0x00, 0)
            .field("ECCSEIE", 2, 1, Acc::RW, &m.seie)
            .field("ECCDEIE", 3, 1, Acc::RW, &m.deie)
            .field("ECCDEBWIE", 4, 1, Acc::RW, &m.debwie)
            .field("ECCELEN", 5, 1, Acc::RW, &m.elen);
        regs_.reg(p + "SR", base + 0x04, 0)
            .field("SEDCF", 0, 1, Acc::W0C, &m.sedcf)
            .field("DEDF", 1, 1, Acc::W0C, &m.dedf)
            .field("DEBWDF", 2, 1, Acc::W0C, &m.debwdf);
        m.far = &regs_.reg(p + "FAR", base + 0x08, 0).field("FADD", 0, 32, Acc::RO);
        m.fdrl = &regs_.reg(p + "FDRL", base + 0x0C, 0).field("FDATAL", 0, 32, Acc::RO);
        m.fdrh = &regs_.reg(p + "FDRH", base + 0x10, 0).field("FDATAH", 0, 32, Acc::RO);
        m.fecr = &regs_.reg(p + "FECR", base + 0x14, 0).field("FEC", 0, 32, Acc::RO);
    }
}

bool Stm32h7Ramecc::inject(unsigned x, Error e, uint32_t addr, uint64_t data, uint32_t ecc)
{
    if (x < 1 || x > mon_.size()) {
        return false;
    }
    Monitor &m = mon_[x - 1];
    const FieldRef &flag = e == Error::SingleCorrected ? m.sedcf : e == Error::DoubleRead ? m.dedf : m.debwdf;
    flag.set(1);
    // RM0399: the failing context is latched only with ECCELEN set.
    if (m.elen.on()) {
        m.far->value = addr;
        m.fdrl->value = static_cast<uint32_t>(data);
        m.fdrh->value = static_cast<uint32_t>(data >> 32);
        m.fecr->value = ecc;
    }
    AMPVP_TRACE("bus", name(), "M" + std::to_string(x) + ": injected ECC error at " + hex(addr));
    update_irq();
    return true;
}

void Stm32h7Ramecc::update_irq()
{
    const bool all = gie_.on();
    bool level = false;
    for (const auto &m : mon_) {
        level |= m.sedcf.on() && (m.seie.on() || all || gseie_.on());
        level |= m.dedf.on() && (m.deie.on() || all || gdeie_.on());
        level |= m.debwdf.on() && (m.debwie.on() || all || gdebwie_.on());
    }
    irq_.set(level);
}

} // namespace ampvp

AMPVP_MODEL("stm32h7-ramecc", ampvp::Stm32h7Ramecc)
