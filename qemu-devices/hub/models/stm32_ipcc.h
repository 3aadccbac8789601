// STM32MP15 inter-processor communication controller IPCC (RM0436, chapter
// "Inter-processor communication controller (IPCC)"; the same IP as RM0434
// (STM32WB) and RM0453 (STM32WL) describe in their IPCC chapters).
//
// Modelled: 6 channels in each direction.  Processor 1 (CPU1, the Cortex-A7
// on the MP15) and processor 2 (CPU2, the Cortex-M4) each own a register set:
//  - CxCR: RXOIE (bit 0), TXFIE (bit 16);
//  - CxMR: CHnOM (bits 0-5, RX-occupied mask), CHnFM (bits 16-21, TX-free
//    mask); 1 = masked; reset 0xFFFFFFFF (reserved bits read 1);
//  - CxSCR: write-only, reads 0 (ST's HAL sets bits in it with a read-modify-
//    write).  CHnC (bits 0-5) clears the OTHER processor's flag CyTOCxSR.CHnF
//    (the receiver frees the channel); CHnS (bits 16-21) sets the processor's
//    own flag CxTOCySR.CHnF (the sender marks it occupied); 0 does nothing;
//  - CxTOCySR: read-only CHnF flags (1 = occupied).
// Interrupts, one level line each, recomputed in update_irq():
//  - "cN.rx" (RX occupied to processor x) = CxCR.RXOIE and some channel n
//    with CyTOCxSR.CHnF = 1 and CxMR.CHnOM = 0;
//  - "cN.tx" (TX free to processor x) = CxCR.TXFIE and some channel n with
//    CxTOCySR.CHnF = 0 and CxMR.CHnFM = 0;
//  - "cN.exti" = "cN.rx" or "cN.tx": processor x's IPCC interrupt as the
//    EXTI sees it, for its wake-up event input (MP15 EXTI line 61 "IPCC
//    interrupt CPU1", line 62 "IPCC interrupt CPU2"; ST's CMSIS header notes
//    that all four IPCC interrupts also go to the EXTI).  The OR is our
//    reading of that note, not an RM0436 equation.
// Which register set an access uses is decided by its address only.  The
// IPCC is one AHB slave both processors reach and RM0436 names no initiator
// check for it (unlike HSEM's COREID): an access by processor x to processor
// y's set acts exactly as processor y's own access would.  The drivers rely
// on part of that -- Linux (drivers/mailbox/stm32-ipcc.c) and ST's HAL read
// the other processor's CyTOCxSR to see what it posted -- and a write to the
// other processor's CR, MR or SCR is equally accepted (traced, not an
// error).  Params "processor1" / "processor2" name the cores, for traces.
// Identification (RM0436 reset values): HWCFGR.CHANNELS = 6, VERR 0x10
// (MAJREV 1, MINREV 0), IPIDR 0x00100071, SIDR 0xA3C5DD01.
// Not modelled: the MP15 IPCC has no security or privilege filter (the
// MP25's IPCC_CxSECCFGR/PRIVCFGR do not exist here); clock gating (RCC
// MC_AHB3ENSETR.IPCCEN) is not checked.
// Register access goes through handles kept at declaration (FieldRef
// members): no access path looks a register or field up by name.
#pragma once

#include "../regs.h"

namespace ampvp {

class Stm32Ipcc : public RegisterDevice {
public:
    static constexpr unsigned CHANNELS = 6;

    explicit Stm32Ipcc(const std::string &name);
    void configure(const std::map<std::string, std::string> &params,
                   const std::vector<std::string> &core_names) override;

protected:
    void update_irq() override;

private:
    void scr_written(BusAccess &a, unsigned p, uint32_t now);
    void note_foreign(const BusAccess &a, unsigned p, const char *reg) const;

    // Per processor p (0 = processor 1, 1 = processor 2).  RM0436 describes
    // CHnOM, CHnFM, CHnC, CHnS and CHnF as vectors with bit n-1 for channel
    // n; these handles cover the whole vector.
    FieldRef rxoie_[2], txfie_[2];
    FieldRef om_[2], fm_[2];      // CxMR.CHnOM, CxMR.CHnFM
    FieldRef clr_[2], set_[2];    // CxSCR.CHnC, CxSCR.CHnS
    FieldRef flag_[2];            // CxTOCySR.CHnF: processor p's own TX flags
    IrqLine *rx_[2], *tx_[2], *exti_[2];
    CoreId core_[2] = {-1, -1};
    std::string proc_name_[2] = {"processor 1", "processor 2"};
};

} // namespace ampvp
