// STM32H7 independent watchdog IWDG1 / IWDG2 (RM0399 Rev 4, chapter
// "Independent watchdog (IWDG)").
//
// Modelled:
//  - KR: 0xCCCC starts the watchdog (it cannot be stopped but by a reset; the
//    LSI is forced on), 0xAAAA refreshes it (the counter reloads RLR), 0x5555
//    unlocks PR, RLR and WINR; any other key locks them again.  A write to a
//    locked register is ignored (guest error).
//  - The 12-bit down-counter runs at LSI / (4 << PR) (PR 6 and 7: / 256),
//    LSI = params "lsi_hz" (default 32 kHz: RM0399's LSI, which the IWDG
//    forces on, so the RCC's LSION does not matter); it starts at 0xFFF, and
//    when it reaches 0 the output "rst" pulses (to the RCC: IWDG1 / IWDG2
//    reset, a system reset with IWDGxRSTF).
//  - Window: a refresh while the counter is above WINR resets at once; a
//    write of WINR reloads the counter.  PR, RLR and WINR take effect at the
//    next reload.
//  - SR: PVU / RVU / WVU are set while a written value crosses to the LSI
//    domain (5 LSI cycles, host time) and read 0 after.
//  - Device::reset (system reset): the watchdog stops, the registers return
//    to their reset values.
// Not modelled: the hardware watchdog option bytes (IWDGx_SW), the freeze in
// Stop/Standby (FZ_IWDG_STOP/STDBY option bytes) and in debug (DBGMCU).
#pragma once

#include "../regs.h"

namespace ampvp {

class Stm32Iwdg : public RegisterDevice {
public:
    explicit Stm32Iwdg(const std::string &name);
    void configure(const std::map<std::string, std::string> &params,
                   const std::vector<std::string> &core_names) override;
    void reset() override;
    void timer_fired(unsigned tag) override;
    bool running() const { return running_; }

private:
    uint64_t now() const;
    uint64_t tick_ns() const; // one counter tick at the active prescaler
    uint32_t counter() const;
    void reload();
    bool writable(BusAccess &a, const char *reg, FieldRef busy);

    uint64_t lsi_hz_ = 32000;
    bool running_ = false;
    bool unlocked_ = false;
    uint64_t reload_ns_ = 0;    // time of the last reload
    uint32_t reload_val_ = 0xFFF, pr_active_ = 0;
    uint64_t busy_until_[3] = {0, 0, 0}; // PVU, RVU, WVU
    IrqLine *rst_;
    FieldRef key_, pr_, rl_, win_, pvu_, rvu_, wvu_;
};

} // namespace ampvp
