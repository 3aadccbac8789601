#include "stm32_iwdg.h"
#include "../model_registry.h"

#include "../log.h"
#include "../machine.h"

namespace ampvp {

Stm32Iwdg::Stm32Iwdg(const std::string &name) : RegisterDevice(name)
{
    rst_ = &add_irq("rst");
    auto &r = regs_;
    r.reg("KR", 0x00, 0)
        .field("KEY", 0, 16, Acc::WO, &key_)
        .post_write([this](BusAccess &a, uint32_t, uint32_t now, uint32_t) {
            const uint32_t key = key_.in(now);
            key_.set(0);
            // RM0399 IWDG_KR: 0x5555 enables access to PR/RLR/WINR, any other
            // value protects them again.
            unlocked_ = key == 0x5555;
            if (key == 0xCCCC) {
                if (!running_) {
                    running_ = true;
                    AMPVP_TRACE("power", a.core_name, this->name() + " started");
                    reload_val_ = 0xFFF; // the counter starts from its reset value
                    pr_active_ = pr_.get();
                    reload_ns_ = this->now();
                    if (ctx_.scheduler) {
                        ctx_.scheduler->schedule(this, 0, reload_ns_ + (uint64_t(reload_val_) + 1) * tick_ns());
                    }
                }
            } else if (key == 0xAAAA) {
                if (running_ && counter() > win_.get()) {
                    log().guest_error(a.core_name, this->name() + " refreshed while its counter (" +
                                                       std::to_string(counter()) + ") is above the window (WINR " +
                                                       std::to_string(win_.get()) + "): reset");
                    rst_->pulse();
                    return;
                }
                reload();
            }
        });
    r.reg("PR", 0x04, 0)
        .field("PR", 0, 3, Acc::RW, &pr_)
        .pre_write([this](BusAccess &a, uint32_t, uint32_t &, uint32_t) { return writable(a, "PR", pvu_); });
    r.reg("RLR", 0x08, 0x00000FFF)
        .field("RL", 0, 12, Acc::RW, &rl_)
        .pre_write([this](BusAccess &a, uint32_t, uint32_t &, uint32_t) { return writable(a, "RLR", rvu_); });
    r.reg("SR", 0x0C, 0)
        .field("PVU", 0, 1, Acc::RO, &pvu_)
        .field("RVU", 1, 1, Acc::RO, &rvu_)
        .field("WVU", 2, 1, Acc::RO, &wvu_)
        .on_read([this](BusAccess &, uint32_t v) {
            const uint64_t t = now();
            v = pvu_.with(v, t < busy_until_[0]);
            v = rvu_.with(v, t < busy_until_[1]);
            return wvu_.with(v, t < busy_until_[2]);
        });
    r.reg("WINR", 0x10, 0x00000FFF)
        .field("WIN", 0, 12, Acc::RW, &win_)
        .pre_write([this](BusAccess &a, uint32_t, uint32_t &, uint32_t) { return writable(a, "WINR", wvu_); })
        .post_write([this](BusAccess &, uint32_t, uint32_t, uint32_t) {
            // RM0399: writing WINR also reloads the counter.
            if (running_) {
                reload();
            }
        });
}

void Stm32Iwdg::configure(const std::map<std::string, std::string> &params, const std::vector<std::string> &)
{
    auto it = params.find("lsi_hz");
    if (it != params.end()) {
        lsi_hz_ = parse_size(it->second);
        if (!lsi_hz_) {
            throw ConfigError("lsi_hz must not be 0");
        }
    }
}

bool Stm32Iwdg::writable(BusAccess &a, const char *reg, FieldRef busy)
{
    if (!unlocked_) {
        log().guest_error(a.core_name, this->name() + "." + reg + " written without the 0x5555 key in KR: ignored");
        return false;
    }
    // The update crosses to the LSI domain: busy for 5 LSI cycles.
    const unsigned k = busy.lsb(); // PVU 0, RVU 1, WVU 2
    busy_until_[k] = now() + 5 * 1000000000ull / lsi_hz_;
    return true;
}

uint64_t Stm32Iwdg::now() const { return ctx_.scheduler ? ctx_.scheduler->now_ns() : 0; }

uint64_t Stm32Iwdg::tick_ns() const
{
    const unsigned div = 4u << (pr_active_ > 6 ? 6 : pr_active_);
    return div * 1000000000ull / lsi_hz_;
}

uint32_t Stm32Iwdg::counter() const
{
    if (!running_) {
        return reload_val_;
    }
    const uint64_t ticks = (now() - reload_ns_) / tick_ns();
    return ticks >= reload_val_ ? 0 : reload_val_ - static_cast<uint32_t>(ticks);
}

void Stm32Iwdg::reload()
{
    if (!running_) {
        return;
    }
    reload_val_ = rl_.get();
    pr_active_ = pr_.get();
    reload_ns_ = now();
    AMPVP_TRACE("power", name(), "reloaded: reset in " + std::to_string((uint64_t(reload_val_) + 1) * tick_ns() / 1000) + " us");
    if (ctx_.scheduler) {
        ctx_.scheduler->schedule(this, 0, reload_ns_ + (uint64_t(reload_val_) + 1) * tick_ns());
    }
}

void Stm32Iwdg::timer_fired(unsigned)
{
    if (!running_) {
        return;
    }
    AMPVP_TRACE("power", name(), "counter reached 0: reset");
    rst_->pulse();
    // Counting on until the reset comes (the RCC runs it from the hub's loop).
    reload_ns_ = now();
    reload_val_ = 0xFFF;
}

void Stm32Iwdg::reset()
{
    RegisterDevice::reset();
    running_ = false;
    unlocked_ = false;
    reload_val_ = 0xFFF;
    pr_active_ = 0;
    busy_until_[0] = busy_until_[1] = busy_until_[2] = 0;
    if (ctx_.scheduler) {
        ctx_.scheduler->schedule(this, 0, 0);
    }
}

} // namespace ampvp

AMPVP_MODEL("stm32-iwdg", ampvp::Stm32Iwdg)
