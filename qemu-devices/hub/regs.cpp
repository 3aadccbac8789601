#include "regs.h"

#include "log.h"

#include <stdexcept>

namespace ampvp {

const char *acc_name(Acc a)
{
    switch (a) {
    case Acc::RW: return "rw";
    case Acc::RO: return "r";
    case Acc::WO: return "w";
    case Acc::W1C: return "rc_w1";
    case Acc::W1S: return "rs_w1";
    case Acc::RC: return "rc_r";
    case Acc::W0C: return "rc_w0";
    }
    return "?";
}

Register &Register::field(const std::string &name, unsigned lsb, unsigned width, Acc acc)
{
    Field f{name, lsb, width, acc, false};
    if (lsb + width > 32 || width == 0 || (defined_ & f.mask())) {
        throw std::logic_error("register " + name_ + ": field " + name + " overlaps or is out of range");
    }
    defined_ |= f.mask();
    acc_mask_[static_cast<unsigned>(acc)] |= f.mask();
    fields_.push_back(f);
    return *this;
}

Register &Register::field(const std::string &name, unsigned lsb, unsigned width, Acc acc,
                          FieldRef *out)
{
    field(name, lsb, width, acc);
    *out = FieldRef(this, fields_.back().mask(), lsb);
    return *this;
}

FieldRef Register::add(const std::string &name, unsigned lsb, unsigned width, Acc acc)
{
    field(name, lsb, width, acc);
    return FieldRef(this, fields_.back().mask(), lsb);
}

FieldRef Register::ref(const std::string &name)
{
    const Field *f = find(name);
    if (!f) {
        throw std::logic_error("register " + name_ + " has no field " + name);
    }
    return FieldRef(this, f->mask(), f->lsb);
}



Register &Register::unimpl(const std::string &name, unsigned lsb, unsigned width, Acc acc,
                           FieldRef *out)
{
    unimpl(name, lsb, width, acc);
    *out = FieldRef(this, fields_.back().mask(), lsb);
    return *this;
}

Register &Register::unimpl(const std::string &name, unsigned lsb, unsigned width, Acc acc)
{
    field(name, lsb, width, acc);
    fields_.back().unimplemented = true;
    unimpl_mask_ |= fields_.back().mask();
    return *this;
}

const Field *Register::find(const std::string &field) const
{
    for (const auto &f : fields_) {
        if (f.name == field) {
            return &f;
        }
    }
    return nullptr;
}

uint32_t Register::get(const std::string &field) const
{
    const Field *f = find(field);
    if (!f) {
        throw std::logic_error("register " + name_ + " has no field " + field);
    }
    return (value & f->mask()) >> f->lsb;
}

void Register::set(const std::string &field, uint32_t v)
{
    const Field *f = find(field);
    if (!f) {
        throw std::logic_error("register " + name_ + " has no field " + field);
    }
    value = (value & ~f->mask()) | ((v << f->lsb) & f->mask());
}

uint32_t Register::bus_read(BusAccess &a)
{
    uint32_t v = value & ~mask_of(Acc::WO);
    if (read_hook_) {
        v = read_hook_(a, v);
    }
    value &= ~mask_of(Acc::RC);
    return v;
}

void Register::bus_write(BusAccess &a, uint32_t written, uint32_t bytes,
                         const std::string &device)
{
    const uint32_t old = value;
    const uint32_t store = (mask_of(Acc::RW) | mask_of(Acc::WO)) & bytes;
    uint32_t next = (old & ~store) | (written & store);
    next &= ~(written & mask_of(Acc::W1C) & bytes);
    next |= written & mask_of(Acc::W1S) & bytes;
    next &= ~(~written & mask_of(Acc::W0C) & bytes);

    // Reserved bits "must be kept at reset value": writing them back as they
    // reset (a read-modify-write of a register whose reserved bits reset to 1,
    // such as IPCC_CxMR) is correct; any other value is the guest's error.
    const uint32_t reserved = (written ^ reset_) & ~defined_ & bytes;
    if (reserved && !warned_reserved_) {
        warned_reserved_ = true;
        log().guest_error(a.core_name, "writes " + hex(reserved) + " to reserved bits of " +
                                           device + "." + name_ + " (ignored)");
    }
    for (const auto &f : fields_) {
        if (!(unimpl_mask_ & (next ^ old) & next)) {
            break; // no unmodelled field was set by this write (the usual case)
        }
        if (f.unimplemented && ((next ^ old) & f.mask()) && (next & f.mask())) {
            log().unimplemented(device + "." + name_ + "." + f.name,
                                a.core_name + " sets " + device + "." + name_ + "." + f.name +
                                    ": stored, but its effect is not modelled");
        }
    }
    if (pre_write_ && !pre_write_(a, old, next, written)) {
        return;
    }
    value = next;
    if (post_write_) {
        post_write_(a, old, value, written);
    }
}

Register &RegisterBank::reg(const std::string &name, uint32_t offset, uint32_t reset)
{
    for (const auto &r : regs_) {
        if (r.offset() == offset || r.name() == name) {
            throw std::logic_error(device_ + ": register " + name + " declared twice");
        }
    }
    if (offset & 3u) {
        throw std::logic_error(device_ + ": register " + name + " at an unaligned offset");
    }
    regs_.emplace_back(name, offset, reset);
    if (by_word_.size() <= offset / 4) {
        by_word_.resize(offset / 4 + 1, nullptr);
    }
    by_word_[offset / 4] = &regs_.back();
    return regs_.back();
}

Register &RegisterBank::operator[](const std::string &name)
{
    for (auto &r : regs_) {
        if (r.name() == name) {
            return r;
        }
    }
    throw std::logic_error(device_ + " has no register " + name);
}

const Register &RegisterBank::operator[](const std::string &name) const
{
    return const_cast<RegisterBank &>(*this)[name];
}

void RegisterBank::no_register(BusAccess &a, bool is_write, uint32_t value,
                               const DeviceContext &ctx)
{
    std::string where = device_ + "+" + hex(a.offset, 3) + " (" + hex(a.addr) + ")";
    std::string what = is_write ? a.core_name + " write of " + hex(value) + " to " + where
                                : a.core_name + " read of " + where;
    log().unimplemented(device_ + "/" + a.core_name + "/" + std::to_string(a.offset),
                        what + ": no such register in the model; " +
                            (ctx.strict ? "bus error (strict)"
                                        : (is_write ? "write ignored" : "reads as 0")));
    a.fault = ctx.strict;
}

uint32_t RegisterBank::read(BusAccess &a, const DeviceContext &ctx)
{
    const uint32_t aligned = a.offset & ~3u;
    Register *r = at(aligned);
    if (!r) {
        no_register(a, false, 0, ctx);
        return 0;
    }
    const unsigned shift = (a.offset & 3u) * 8;
    const uint32_t v = r->bus_read(a) >> shift;
    return a.size >= 4 ? v : v & ((1u << (a.size * 8)) - 1u);
}

void RegisterBank::write(BusAccess &a, uint32_t value, const DeviceContext &ctx)
{
    const uint32_t aligned = a.offset & ~3u;
    Register *r = at(aligned);
    if (!r) {
        no_register(a, true, value, ctx);
        return;
    }
    const unsigned shift = (a.offset & 3u) * 8;
    const uint32_t lanes = a.size >= 4 ? 0xffffffffu : ((1u << (a.size * 8)) - 1u) << shift;
    r->bus_write(a, value << shift, lanes, device_);
}

void RegisterBank::reset()
{
    for (auto &r : regs_) {
        r.reset();
    }
}

uint32_t RegisterDevice::read(BusAccess &a)
{
    uint32_t v = regs_.read(a, ctx_);
    update_irq();
    return v;
}

void RegisterDevice::write(BusAccess &a, uint32_t value)
{
    regs_.write(a, value, ctx_);
    update_irq();
}

void RegisterDevice::reset()
{
    regs_.reset();
    update_irq();
}

} // namespace ampvp
