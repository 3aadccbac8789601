// STM32H7 USART/UART (RM0399 Rev 4, USART/UART chapter, "USART registers").
//
// Modelled: the whole register table with reset values and access types;
// UE/TE/RE with TEACK/REACK following them; transmission of TDR (7/8/9 data
// bits per M1:M0, parity bit stripped when PCE=1) completes at once, so TXE
// (TXFNF in FIFO mode) and TC are set again immediately; ICR clears flags;
// the interrupt line is TXEIE&TXE | TCIE&TC | RXNEIE&RXNE | IDLEIE&IDLE |
// PEIE&PE | EIE&(FE|NE|ORE).
// Not modelled (stored, logged once when set): baud-rate timing, reception
// from the host, LIN, smartcard, IrDA, synchronous mode, DMA, auto-baud,
// hardware flow control, RS-485 driver enable, wake-up from Stop.
#pragma once

#include "../regs.h"

namespace ampvp {

class Stm32Usart : public RegisterDevice {
public:
    explicit Stm32Usart(const std::string &name);

    // Bit positions named as in RM0399.
    enum : uint32_t {
        CR1_UE = 1u << 0, CR1_RE = 1u << 2, CR1_TE = 1u << 3, CR1_IDLEIE = 1u << 4,
        CR1_RXNEIE = 1u << 5, CR1_TCIE = 1u << 6, CR1_TXEIE = 1u << 7, CR1_PEIE = 1u << 8,
        CR1_PCE = 1u << 10, CR1_M0 = 1u << 12, CR1_M1 = 1u << 28, CR1_FIFOEN = 1u << 29,
        CR3_EIE = 1u << 0,
        ISR_PE = 1u << 0, ISR_FE = 1u << 1, ISR_NE = 1u << 2, ISR_ORE = 1u << 3,
        ISR_IDLE = 1u << 4, ISR_RXNE = 1u << 5, ISR_TC = 1u << 6, ISR_TXE = 1u << 7,
        ISR_TEACK = 1u << 21, ISR_REACK = 1u << 22, ISR_TXFE = 1u << 23,
    };

    // Number of data bits the host sees for the current CR1 (7, 8 or 9 frame
    // bits minus the parity bit when parity is on).
    unsigned data_bits() const;

protected:
    void update_irq() override;

private:
    void transmit(BusAccess &a, uint32_t tdr);
    void follow_enables();
    IrqLine &irq_;
};

} // namespace ampvp
