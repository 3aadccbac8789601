// Table-driven registers, in the spirit of QEMU's hw/register.h and Renode's
// register framework: each register is declared once with its RM name, offset,
// reset value and fields (in bit order) with their access type.  Masking,
// write-1-to-clear, read-to-clear, reserved bits, sub-word accesses and the
// logging of what the model does not implement live here once; a model file
// holds behaviour only (hooks) plus one update_irq().
#pragma once

#include "device.h"

#include <cstdint>
#include <functional>
#include <string>
#include <deque>
#include <vector>

namespace ampvp {

enum class Acc {
    RW,  // read/write
    RO,  // read-only: writes ignored, only the model changes it
    WO,  // write-only: stored for the model, reads as 0
    W1C, // write 1 to clear, 0 has no effect
    W1S, // write 1 to set, 0 has no effect
    RC,  // read-only, cleared by a read
    W0C, // write 0 to clear, 1 has no effect (STM32 timer status flags, rc_w0)
};

const char *acc_name(Acc a);

struct Field {
    std::string name;
    unsigned lsb;
    unsigned width;
    Acc acc;
    bool unimplemented; // accepted and stored, but the model ignores it
    uint32_t mask() const
    {
        return (width >= 32 ? 0xffffffffu : ((1u << width) - 1u)) << lsb;
    }
};

class Register;

// A field as model code uses it: declared once (Register::add), kept as a member,
// read and written through the handle.  No name lookup, no shift constant.
class FieldRef {
public:
    FieldRef() = default;
    FieldRef(Register *r, uint32_t mask, unsigned lsb) : reg_(r), mask_(mask), lsb_(lsb) {}
    inline uint32_t get() const;      // the field's value, shifted down
    inline void set(uint32_t v) const; // store v in the field (other bits kept)
    bool on() const { return get() != 0; } // a 1-bit flag reads 1
    // `reg_value` with this field replaced by v (for read hooks that build a value).
    uint32_t with(uint32_t reg_value, uint32_t v) const
    {
        return (reg_value & ~mask_) | ((v << lsb_) & mask_);
    }
    uint32_t val(uint32_t v) const { return (v << lsb_) & mask_; } // v placed in the field
    Register *reg() const { return reg_; }
    uint32_t mask() const { return mask_; }  // in the register
    unsigned lsb() const { return lsb_; }
    uint32_t in(uint32_t reg_value) const { return (reg_value & mask_) >> lsb_; } // from a value
    bool valid() const { return reg_ != nullptr; }

private:
    Register *reg_ = nullptr;
    uint32_t mask_ = 0;
    unsigned lsb_ = 0;
};

class Register {
public:
    // Hooks.  `written` is the value on the bus (already shifted for sub-word
    // accesses), `bytes` the byte lanes it covers.
    using ReadHook = std::function<uint32_t(BusAccess &, uint32_t value)>;
    // May change `next` or return false to veto the whole write.
    using PreWriteHook =
        std::function<bool(BusAccess &, uint32_t old, uint32_t &next, uint32_t written)>;
    using PostWriteHook =
        std::function<void(BusAccess &, uint32_t old, uint32_t now, uint32_t written)>;

    Register(std::string name, uint32_t offset, uint32_t reset)
        : value(reset), name_(std::move(name)), offset_(offset), reset_(reset)
    {
    }

    // Declaration (chained, in bit order).
    Register &field(const std::string &name, unsigned lsb, unsigned width, Acc acc);
    Register &unimpl(const std::string &name, unsigned lsb, unsigned width, Acc acc = Acc::RW);
    // An accepted-but-unmodelled field whose value the model still reads (an enable).
    Register &unimpl(const std::string &name, unsigned lsb, unsigned width, Acc acc, FieldRef *out);
    // The same, keeping the field's handle for model code (the RM table stays one
    // chain: .field("UE", 0, 1, Acc::RW, &ue_)).
    Register &field(const std::string &name, unsigned lsb, unsigned width, Acc acc, FieldRef *out);
    // Declaration that returns the field's handle, for fields model code uses.
    FieldRef add(const std::string &name, unsigned lsb, unsigned width, Acc acc);
    // The handle of a field declared with field() (declaration time only: throws
    // std::logic_error for an unknown name).
    FieldRef ref(const std::string &name);
    Register &on_read(ReadHook h) { read_hook_ = std::move(h); return *this; }
    Register &pre_write(PreWriteHook h) { pre_write_ = std::move(h); return *this; }
    Register &post_write(PostWriteHook h) { post_write_ = std::move(h); return *this; }

    const std::string &name() const { return name_; }
    uint32_t offset() const { return offset_; }
    uint32_t reset_value() const { return reset_; }
    const std::vector<Field> &fields() const { return fields_; }
    const Field *find(const std::string &field) const;

    // Bits that are part of some field.
    uint32_t defined_mask() const { return defined_; }
    uint32_t mask_of(Acc a) const { return acc_mask_[static_cast<unsigned>(a)]; }

    // Field access by name: for tests and tools (a lookup per call); model code
    // uses FieldRef handles.
    uint32_t get(const std::string &field) const;
    void set(const std::string &field, uint32_t v);

    // Bus access semantics (used by RegisterBank).
    uint32_t bus_read(BusAccess &a);
    void bus_write(BusAccess &a, uint32_t written, uint32_t bytes, const std::string &device);

    void reset() { value = reset_; }
    // For models whose reset value depends on the instance (set at configure).
    void set_reset(uint32_t v) { reset_ = value = v; }

    uint32_t value; // current contents; models may read and write it directly

private:
    std::string name_;
    uint32_t offset_;
    uint32_t reset_;
    std::vector<Field> fields_;
    uint32_t defined_ = 0;
    uint32_t acc_mask_[7] = {};   // per Acc: computed at declaration
    uint32_t unimpl_mask_ = 0;    // fields accepted but not modelled
    bool warned_reserved_ = false;
    ReadHook read_hook_;
    PreWriteHook pre_write_;
    PostWriteHook post_write_;
};

// FieldRef's accessors, inline: a handle costs what a mask and a shift cost.
inline uint32_t FieldRef::get() const { return (reg_->value & mask_) >> lsb_; }
inline void FieldRef::set(uint32_t v) const { reg_->value = with(reg_->value, v); }

// A peripheral's register file: the table, plus dispatch by offset.
class RegisterBank {
public:
    explicit RegisterBank(std::string device) : device_(std::move(device)) {}
    Register &reg(const std::string &name, uint32_t offset, uint32_t reset = 0);
    // O(1): a table indexed by word offset, filled at declaration.
    Register *at(uint32_t offset)
    {
        const uint32_t i = offset >> 2;
        return (offset & 3u) == 0 && i < by_word_.size() ? by_word_[i] : nullptr;
    }
    Register &operator[](const std::string &name);
    const Register &operator[](const std::string &name) const;
    const std::deque<Register> &registers() const { return regs_; }

    uint32_t read(BusAccess &a, const DeviceContext &ctx);
    void write(BusAccess &a, uint32_t value, const DeviceContext &ctx);
    void reset();

private:
    void no_register(BusAccess &a, bool is_write, uint32_t value, const DeviceContext &ctx);
    std::string device_;
    std::deque<Register> regs_; // a deque: references stay valid as registers are added
    std::vector<Register *> by_word_; // offset / 4 -> register (nullptr: none)
};

// A device whose behaviour is a register bank plus hooks.
class RegisterDevice : public Device {
public:
    explicit RegisterDevice(const std::string &name) : Device(name), regs_(name) {}
    uint32_t read(BusAccess &a) override;
    void write(BusAccess &a, uint32_t value) override;
    void reset() override;
    RegisterBank &bank() { return regs_; }

protected:
    // Recompute every IRQ output from the state; called after every access.
    virtual void update_irq() {}
    RegisterBank regs_;
};

} // namespace ampvp
