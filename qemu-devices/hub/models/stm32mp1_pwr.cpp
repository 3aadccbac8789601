#include "stm32mp1_pwr.h"
#include "../model_registry.h"

namespace ampvp {

Stm32mp1Pwr::Stm32mp1Pwr(const std::string &name) : RegisterDevice(name)
{
    auto &r = regs_;
    r.reg("CR1", 0x00, 0)
        .unimpl("LPDS", 0, 1)
        .unimpl("LPCFG", 1, 1)
        .unimpl("LVDS", 2, 1)
        .unimpl("PVDEN", 4, 1)
        .unimpl("PLS", 5, 3)
        .field("DBP", 8, 1, Acc::RW)
        .unimpl("AVDEN", 16, 1)
        .unimpl("ALS", 17, 2);
    r.reg("CSR1", 0x04, 0).field("PVDO", 4, 1, Acc::RO).field("AVDO", 16, 1, Acc::RO);
    // RM0436 PWR_CR2: BRRDY / RRRDY report the backup / retention regulator
    // ready after BREN / RREN (at once here).
    r.reg("CR2", 0x08, 0)
        .unimpl("BREN", 0, 1, Acc::RW, &cr2_[0].en)
        .unimpl("RREN", 1, 1, Acc::RW, &cr2_[1].en)
        .unimpl("MONEN", 4, 1)
        .field("BRRDY", 16, 1, Acc::RO, &cr2_[0].rdy)
        .field("RRRDY", 17, 1, Acc::RO, &cr2_[1].rdy)
        .field("VBATL", 20, 1, Acc::RO)
        .field("VBATH", 21, 1, Acc::RO)
        .field("TEMPL", 22, 1, Acc::RO)
        .field("TEMPH", 23, 1, Acc::RO)
        .on_read([this](BusAccess &, uint32_t v) {
            for (const Ready &f : cr2_) {
                v = f.rdy.with(v, f.en.in(v));
            }
            return v;
        });
    // PWR_CR3 (reset: REG18EN, REG11EN and their ready flags): USB33RDY,
    // REG18RDY, REG11RDY follow their enables.
    r.reg("CR3", 0x0C, 0xF0000000)
        .unimpl("VBE", 8, 1)
        .unimpl("VBRS", 9, 1)
        .unimpl("DDRSREN", 10, 1)
        .unimpl("DDRSRDIS", 11, 1)
        .unimpl("DDRRETEN", 12, 1)
        .unimpl("POPL", 17, 5)
        .unimpl("USB33DEN", 24, 1, Acc::RW, &cr3_[0].en)
        .field("USB33RDY", 26, 1, Acc::RO, &cr3_[0].rdy)
        .unimpl("REG18EN", 28, 1, Acc::RW, &cr3_[1].en)
        .field("REG18RDY", 29, 1, Acc::RO, &cr3_[1].rdy)
        .unimpl("REG11EN", 30, 1, Acc::RW, &cr3_[2].en)
        .field("REG11RDY", 31, 1, Acc::RO, &cr3_[2].rdy)
        .on_read([this](BusAccess &, uint32_t v) {
            for (const Ready &f : cr3_) {
                v = f.rdy.with(v, f.en.in(v));
            }
            return v;
        });
    // PWR_MPUCR / MCUCR: PDDS selects Standby (1) or Stop (0) for the CPU's
    // deep sleep; STOPF / SBF report the mode left; writing 1 to CSSF clears
    // them (CSSF reads 0).
    r.reg("MPUCR", 0x10, 0)
        .unimpl("PDDS", 0, 1)
        .unimpl("CSTBYDIS", 3, 1)
        .field("STOPF", 5, 1, Acc::RO, &mpu_stopf_)
        .field("SBF", 6, 1, Acc::RO, &mpu_sbf_)
        .field("SBFMPU", 7, 1, Acc::RO, &mpu_sbfmpu_)
        .field("CSSF", 9, 1, Acc::WO, &mpu_cssf_)
        .field("STANDBYWFIL2", 15, 1, Acc::RO)
        .post_write([this](BusAccess &, uint32_t, uint32_t, uint32_t) {
            if (mpu_cssf_.on()) {
                mpu_stopf_.set(0);
                mpu_sbf_.set(0);
                mpu_sbfmpu_.set(0);
                mpu_cssf_.set(0);
            }
        });
    r.reg("MCUCR", 0x14, 0)
        .unimpl("PDDS", 0, 1)
        .field("STOPF", 5, 1, Acc::RO, &mcu_stopf_)
        .field("SBF", 6, 1, Acc::RO, &mcu_sbf_)
        .field("CSSF", 9, 1, Acc::WO, &mcu_cssf_)
        .field("DEEPSLEEP", 15, 1, Acc::RO)
        .post_write([this](BusAccess &, uint32_t, uint32_t, uint32_t) {
            if (mcu_cssf_.on()) {
                mcu_stopf_.set(0);
                mcu_sbf_.set(0);
                mcu_cssf_.set(0);
            }
        });
    // PWR_WKUPCR: writing 1 to WKUPCx clears WKUPFR.WKUPFx (reads 0).
    Register &wkupcr = r.reg("WKUPCR", 0x20, 0)
                           .field("WKUPC", 0, 6, Acc::WO, &wkupc_)
                           .unimpl("WKUPP", 8, 6)
                           .unimpl("WKUPPUPD", 16, 12);
    r.reg("WKUPFR", 0x24, 0).field("WKUPF", 0, 6, Acc::RO, &wkupf_);
    wkupcr.post_write([this](BusAccess &, uint32_t, uint32_t, uint32_t) {
        wkupf_.set(wkupf_.get() & ~wkupc_.get());
        wkupc_.set(0);
    });
    r.reg("MPUWKUPENR", 0x28, 0).unimpl("WKUPEN", 0, 6);
    r.reg("MCUWKUPENR", 0x2C, 0).unimpl("WKUPEN", 0, 6);
    r.reg("VER", 0x3F4, 0x00000011).field("MINREV", 0, 4, Acc::RO).field("MAJREV", 4, 4, Acc::RO);
    r.reg("ID", 0x3F8, 0x00010001).field("ID", 0, 32, Acc::RO);
    r.reg("SID", 0x3FC, 0xA3C5DD01).field("SID", 0, 32, Acc::RO);
}

} // namespace ampvp

AMPVP_MODEL("stm32mp1-pwr", ampvp::Stm32mp1Pwr)
