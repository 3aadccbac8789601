#include "stm32_usart.h"

#include "../log.h"

namespace ampvp {

Stm32Usart::Stm32Usart(const std::string &name) : RegisterDevice(name), irq_(add_irq("irq"))
{
    auto &r = regs_;
    r.reg("CR1", 0x00, 0x00000000)
        .field("UE", 0, 1, Acc::RW)
        .unimpl("UESM", 1, 1)
        .field("RE", 2, 1, Acc::RW)
        .field("TE", 3, 1, Acc::RW)
        .field("IDLEIE", 4, 1, Acc::RW)
        .field("RXNEIE", 5, 1, Acc::RW)
        .field("TCIE", 6, 1, Acc::RW)
        .field("TXEIE", 7, 1, Acc::RW)
        .field("PEIE", 8, 1, Acc::RW)
        .field("PS", 9, 1, Acc::RW)
        .field("PCE", 10, 1, Acc::RW)
        .unimpl("WAKE", 11, 1)
        .field("M0", 12, 1, Acc::RW)
        .unimpl("MME", 13, 1)
        .unimpl("CMIE", 14, 1)
        .field("OVER8", 15, 1, Acc::RW)
        .unimpl("DEDT", 16, 5)
        .unimpl("DEAT", 21, 5)
        .unimpl("RTOIE", 26, 1)
        .unimpl("EOBIE", 27, 1)
        .field("M1", 28, 1, Acc::RW)
        .field("FIFOEN", 29, 1, Acc::RW)
        .unimpl("TXFEIE", 30, 1)
        .unimpl("RXFFIE", 31, 1)
        .post_write([this](BusAccess &, uint32_t, uint32_t, uint32_t) { follow_enables(); });
    r.reg("CR2", 0x04, 0x00000000)
        .unimpl("SLVEN", 0, 1)
        .unimpl("DIS_NSS", 3, 1)
        .unimpl("ADDM7", 4, 1)
        .unimpl("LBDL", 5, 1)
        .unimpl("LBDIE", 6, 1)
        .unimpl("LBCL", 8, 1)
        .unimpl("CPHA", 9, 1)
        .unimpl("CPOL", 10, 1)
        .unimpl("CLKEN", 11, 1)
        .field("STOP", 12, 2, Acc::RW)
        .unimpl("LINEN", 14, 1)
        .unimpl("SWAP", 15, 1)
        .unimpl("RXINV", 16, 1)
        .unimpl("TXINV", 17, 1)
        .unimpl("DATAINV", 18, 1)
        .unimpl("MSBFIRST", 19, 1)
        .unimpl("ABREN", 20, 1)
        .unimpl("ABRMOD", 21, 2)
        .unimpl("RTOEN", 23, 1)
        .unimpl("ADD", 24, 8);
    r.reg("CR3", 0x08, 0x00000000)
        .field("EIE", 0, 1, Acc::RW)
        .unimpl("IREN", 1, 1)
        .unimpl("IRLP", 2, 1)
        .unimpl("HDSEL", 3, 1)
        .unimpl("NACK", 4, 1)
        .unimpl("SCEN", 5, 1)
        .unimpl("DMAR", 6, 1)
        .unimpl("DMAT", 7, 1)
        .unimpl("RTSE", 8, 1)
        .unimpl("CTSE", 9, 1)
        .unimpl("CTSIE", 10, 1)
        .field("ONEBIT", 11, 1, Acc::RW)
        .field("OVRDIS", 12, 1, Acc::RW)
        .unimpl("DDRE", 13, 1)
        .unimpl("DEM", 14, 1)
        .unimpl("DEP", 15, 1)
        .unimpl("SCARCNT", 17, 3)
        .unimpl("WUS", 20, 2)
        .unimpl("WUFIE", 22, 1)
        .unimpl("TXFTIE", 23, 1)
        .unimpl("TCBGTIE", 24, 1)
        .field("RXFTCFG", 25, 3, Acc::RW)
        .unimpl("RXFTIE", 28, 1)
        .field("TXFTCFG", 29, 3, Acc::RW);
    r.reg("BRR", 0x0C, 0x00000000).field("BRR", 0, 16, Acc::RW);
    r.reg("GTPR", 0x10, 0x00000000).unimpl("PSC", 0, 8).unimpl("GT", 8, 8);
    r.reg("RTOR", 0x14, 0x00000000).unimpl("RTO", 0, 24).unimpl("BLEN", 24, 8);
    r.reg("RQR", 0x18, 0x00000000)
        .unimpl("ABRRQ", 0, 1, Acc::WO)
        .unimpl("SBKRQ", 1, 1, Acc::WO)
        .unimpl("MMRQ", 2, 1, Acc::WO)
        .field("RXFRQ", 3, 1, Acc::WO)
        .field("TXFRQ", 4, 1, Acc::WO)
        .post_write([this](BusAccess &, uint32_t, uint32_t now, uint32_t) {
            auto &isr = regs_["ISR"];
            if (now & (1u << 3)) { // RXFRQ: flush the receive data (RXNE = 0)
                isr.value &= ~ISR_RXNE;
            }
            regs_["RQR"].value = 0; // request bits are self-clearing
        });
    // Reset value 0x000000C0: TXE and TC set (RM0399, USART_ISR reset value).
    r.reg("ISR", 0x1C, 0x000000C0)
        .field("PE", 0, 1, Acc::RO)
        .field("FE", 1, 1, Acc::RO)
        .field("NE", 2, 1, Acc::RO)
        .field("ORE", 3, 1, Acc::RO)
        .field("IDLE", 4, 1, Acc::RO)
        .field("RXNE", 5, 1, Acc::RO)
        .field("TC", 6, 1, Acc::RO)
        .field("TXE", 7, 1, Acc::RO)
        .field("LBDF", 8, 1, Acc::RO)
        .field("CTSIF", 9, 1, Acc::RO)
        .field("CTS", 10, 1, Acc::RO)
        .field("RTOF", 11, 1, Acc::RO)
        .field("EOBF", 12, 1, Acc::RO)
        .field("UDR", 13, 1, Acc::RO)
        .field("ABRE", 14, 1, Acc::RO)
        .field("ABRF", 15, 1, Acc::RO)
        .field("BUSY", 16, 1, Acc::RO)
        .field("CMF", 17, 1, Acc::RO)
        .field("SBKF", 18, 1, Acc::RO)
        .field("RWU", 19, 1, Acc::RO)
        .field("WUF", 20, 1, Acc::RO)
        .field("TEACK", 21, 1, Acc::RO)
        .field("REACK", 22, 1, Acc::RO)
        .field("TXFE", 23, 1, Acc::RO)
        .field("RXFF", 24, 1, Acc::RO)
        .field("TCBGT", 25, 1, Acc::RO)
        .field("RXFT", 26, 1, Acc::RO)
        .field("TXFT", 27, 1, Acc::RO);
    // ICR: writing 1 clears the matching ISR flag.
    r.reg("ICR", 0x20, 0x00000000)
        .field("PECF", 0, 1, Acc::WO)
        .field("FECF", 1, 1, Acc::WO)
        .field("NECF", 2, 1, Acc::WO)
        .field("ORECF", 3, 1, Acc::WO)
        .field("IDLECF", 4, 1, Acc::WO)
        .field("TXFECF", 5, 1, Acc::WO)
        .field("TCCF", 6, 1, Acc::WO)
        .field("TCBGTCF", 7, 1, Acc::WO)
        .field("LBDCF", 8, 1, Acc::WO)
        .field("CTSCF", 9, 1, Acc::WO)
        .field("RTOCF", 11, 1, Acc::WO)
        .field("EOBCF", 12, 1, Acc::WO)
        .field("UDRCF", 13, 1, Acc::WO)
        .field("CMCF", 17, 1, Acc::WO)
        .field("WUCF", 20, 1, Acc::WO)
        .post_write([this](BusAccess &, uint32_t, uint32_t now, uint32_t) {
            // Each ICR clear bit clears its ISR flag (RM0399, USART_ICR).
            static const struct { unsigned icr, isr; } map[] = {
                {0, 0},   {1, 1},   {2, 2},   {3, 3},   {4, 4},   {5, 23}, {6, 6},
                {7, 25},  {8, 8},   {9, 9},   {11, 11}, {12, 12}, {13, 13}, {17, 17},
                {20, 20},
            };
            for (const auto &m : map) {
                if (now & (1u << m.icr)) {
                    regs_["ISR"].value &= ~(1u << m.isr);
                }
            }
            regs_["ICR"].value = 0;
        });
    r.reg("RDR", 0x24, 0x00000000)
        .field("RDR", 0, 9, Acc::RO)
        .on_read([this](BusAccess &, uint32_t v) {
            regs_["ISR"].value &= ~ISR_RXNE; // reading RDR clears RXNE
            return v;
        });
    r.reg("TDR", 0x28, 0x00000000)
        .field("TDR", 0, 9, Acc::RW)
        .post_write([this](BusAccess &a, uint32_t, uint32_t now, uint32_t) { transmit(a, now); });
    r.reg("PRESC", 0x2C, 0x00000000).field("PRESCALER", 0, 4, Acc::RW);
}

unsigned Stm32Usart::data_bits() const
{
    uint32_t cr1 = regs_["CR1"].value;
    unsigned frame = (cr1 & CR1_M1) ? 7 : (cr1 & CR1_M0) ? 9 : 8;
    return (cr1 & CR1_PCE) ? frame - 1 : frame;
}

void Stm32Usart::follow_enables()
{
    // RM0399: TEACK/REACK reflect the transmit/receive enable once the USART
    // is enabled (UE=1); they drop when TE/RE or UE are cleared.
    auto &isr = regs_["ISR"];
    uint32_t cr1 = regs_["CR1"].value;
    bool ue = cr1 & CR1_UE;
    isr.value &= ~(ISR_TEACK | ISR_REACK);
    if (ue && (cr1 & CR1_TE)) {
        isr.value |= ISR_TEACK;
    }
    if (ue && (cr1 & CR1_RE)) {
        isr.value |= ISR_REACK;
    }
    if (cr1 & CR1_FIFOEN) {
        isr.value |= ISR_TXFE; // transmit FIFO empty: nothing is ever queued
    }
}

void Stm32Usart::transmit(BusAccess &a, uint32_t tdr)
{
    uint32_t cr1 = regs_["CR1"].value;
    if (!(cr1 & CR1_UE) || !(cr1 & CR1_TE)) {
        log().guest_error(a.core_name, name() + ": write of " + hex(tdr, 2) +
                                           " to TDR while the transmitter is disabled "
                                           "(UE=0 or TE=0): character dropped");
        return;
    }
    const unsigned bits = data_bits();
    const uint32_t data = tdr & ((1u << bits) - 1u);
    if (ctx_.chars) {
        ctx_.chars->put_char(name(), a, static_cast<uint8_t>(data & 0xff));
    }
    // Transmission completes at once: data register empty, transfer complete.
    regs_["ISR"].value |= ISR_TXE | ISR_TC;
}

void Stm32Usart::update_irq()
{
    uint32_t cr1 = regs_["CR1"].value;
    uint32_t cr3 = regs_["CR3"].value;
    uint32_t isr = regs_["ISR"].value;
    bool level = ((cr1 & CR1_TXEIE) && (isr & ISR_TXE)) || ((cr1 & CR1_TCIE) && (isr & ISR_TC)) ||
                 ((cr1 & CR1_RXNEIE) && (isr & ISR_RXNE)) ||
                 ((cr1 & CR1_IDLEIE) && (isr & ISR_IDLE)) || ((cr1 & CR1_PEIE) && (isr & ISR_PE)) ||
                 ((cr3 & CR3_EIE) && (isr & (ISR_FE | ISR_NE | ISR_ORE)));
    irq_.set(level);
}

} // namespace ampvp
