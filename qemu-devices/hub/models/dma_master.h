// What the DMA models (stm32_dma: DMA1/DMA2 streams and BDMA channels,
// stm32h7_mdma, stm32_dma2d) share as bus masters, so each says it once:
//  - Master: where an access goes.  A memory range of the master's view (a
//    core's view, param "view"; without it the view of the core that started
//    the transfer) is read and written in place, in shared memory; outside the
//    memories, the Cortex-M Peripheral region 0x40000000-0x5FFFFFFF goes
//    through the bus as the starting core (registers: USART_TDR ...).  A
//    master whose bus matrix reaches only some areas (RM0399: the BDMA sees
//    only the D3 domain) lists them in param "reach"; an access outside fails
//    as a bus error does (the model sets its transfer-error flag).
//  - Clock gates (param "gated": "BASE+SIZE,..."): areas whose clock another
//    model switches (RM0399: SRAM4 and the backup SRAM follow RCC_D3AMR);
//    set_gate_off(i) says area i's clock is stopped.  clock_stopped() tells
//    whether an access falls in such an area; the DMA model decides what
//    that means for its transfer.
//  - Clock: the master's clock by name (param "clock", default "hclk"),
//    resolved once, and cycles -> ns (64 MHz, the HSI after reset, when the
//    clock model does not answer).
#pragma once

#include "../device.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ampvp::dma {

inline uint32_t le_load(const uint8_t *p, unsigned size)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < size; i++) {
        v |= static_cast<uint32_t>(p[i]) << (8 * i);
    }
    return v;
}

inline void le_store(uint8_t *p, unsigned size, uint32_t v)
{
    for (unsigned i = 0; i < size; i++) {
        p[i] = static_cast<uint8_t>(v >> (8 * i));
    }
}

// ARMv7-M architectural memory map: the Peripheral region.
inline bool peripheral_space(uint64_t addr) { return addr >= 0x40000000u && addr < 0x60000000u; }

class Master {
public:
    void set_view(CoreId core, const std::string &name)
    {
        view_ = core;
        view_name_ = name;
    }
    // "BASE+SIZE,BASE+SIZE..." (hex or decimal); throws ConfigError.
    void set_reach(const std::string &spec);
    bool reachable(uint64_t addr, uint64_t len) const;
    // The bytes of [addr, addr + len) in the view, or nullptr.
    uint8_t *memory(const DeviceContext &ctx, CoreId initiator, uint64_t addr, uint64_t len) const
    {
        if (!ctx.master || !reachable(addr, len)) {
            return nullptr;
        }
        return ctx.master->memory(view_ >= 0 ? view_ : initiator, addr, len);
    }
    // One item of `size` bytes; false: a bus error.
    bool read(const DeviceContext &ctx, CoreId initiator, uint64_t addr, unsigned size,
              uint32_t &v) const
    {
        if (const uint8_t *p = memory(ctx, initiator, addr, size)) {
            v = le_load(p, size);
            return true;
        }
        return ctx.master && reachable(addr, size) && peripheral_space(addr) &&
               ctx.master->read(initiator, addr, size, v);
    }
    bool write(const DeviceContext &ctx, CoreId initiator, uint64_t addr, unsigned size,
               uint32_t v) const
    {
        if (uint8_t *p = memory(ctx, initiator, addr, size)) {
            le_store(p, size, v);
            return true;
        }
        return ctx.master && reachable(addr, size) && peripheral_space(addr) &&
               ctx.master->write(initiator, addr, size, v);
    }
    // " (view of cm4)" / " (outside the BDMA's reach)" for messages about addr.
    std::string where(uint64_t addr) const;
    // "BASE+SIZE,BASE+SIZE..." areas with a switchable clock; throws ConfigError.
    void set_gated(const std::string &spec) { gated_ = parse_ranges(spec, "gated"); gate_off_.assign(gated_.size(), false); }
    unsigned gates() const { return static_cast<unsigned>(gated_.size()); }
    void set_gate_off(unsigned i, bool off)
    {
        if (i < gate_off_.size()) {
            gate_off_[i] = off;
        }
    }
    bool clock_stopped(uint64_t addr, uint64_t len) const
    {
        for (size_t i = 0; i < gated_.size(); i++) {
            if (gate_off_[i] && inside(gated_[i], addr, len)) {
                return true;
            }
        }
        return false;
    }

private:
    struct Range {
        uint64_t base, size;
    };
    static std::vector<Range> parse_ranges(const std::string &spec, const char *param);
    static bool inside(const Range &r, uint64_t addr, uint64_t len)
    {
        return addr >= r.base && len <= r.size && addr - r.base <= r.size - len;
    }
    CoreId view_ = -1;
    std::string view_name_;
    std::vector<Range> reach_; // empty: everything
    std::vector<Range> gated_;  // areas with a switchable clock
    std::vector<bool> gate_off_;
};

class Clock {
public:
    void set_name(const std::string &n)
    {
        name_ = n;
        id_ = -2;
    }
    uint64_t hz(const DeviceContext &ctx)
    {
        if (ctx.clock_source && id_ == -2) {
            id_ = ctx.clock_source->clock_id(name_); // once: no name lookup per transfer
        }
        const uint64_t f = ctx.clock_source ? ctx.clock_source->hz(id_) : 0;
        return f ? f : 64000000; // HSI, the clock after reset
    }
    // The time `cycles` of this clock take, rounded up, at least 1 ns.
    uint64_t ns(const DeviceContext &ctx, uint64_t cycles)
    {
        const uint64_t f = hz(ctx);
        const uint64_t t = (cycles * 1000000000ull + f - 1) / f;
        return t ? t : 1;
    }

private:
    std::string name_ = "hclk";
    ClockId id_ = -2; // -2: not resolved yet
};

} // namespace ampvp::dma
