// STM32H7 USART/UART (RM0399 Rev 4, USART/UART chapter: "USART registers",
// "USART interrupts", "USART baud rate generation", "USART FIFOs and
// thresholds").
//
// Modelled: the whole register table with reset values and access types;
// UE/TE/RE with TEACK/REACK following them; UE=0 returns every ISR flag to
// its reset value and discards received data.
// Transmit: a TDR write sends the data bits (7/8/9 frame bits per M1:M0, the
// parity bit stripped when PCE=1; with 9 data bits the host gets the low 8,
// the 9th is dropped) and completes at once (no baud timing), so TXE/TXFNF
// and TC are set again immediately; in FIFO mode (FIFOEN=1) the TXFIFO is
// therefore always empty: TXFE is set after every write and by RQR.TXFRQ
// (ICR.TXFECF clears it), TXFT is set whatever TXFTCFG threshold is chosen.
// Receive (host_input): the byte, masked to the data bits (parity bit read
// as 0), goes to RDR (RXNE) or, with FIFOEN=1, to the 16-entry RXFIFO
// behind RDR (RXFNE, RXFT per RXFTCFG counting RDR, RXFF at 16+1 data).
// Reading RDR pops.  A byte arriving with no room sets ORE and is lost, or
// with OVRDIS=1 (RXFIFO bypassed) overwrites RDR without ORE.  accepts_input()
// says when there is room, so the hub never overruns.  RQR.RXFRQ discards
// received data.  ICR clears flags.  The interrupt line is the OR of every
// flag of RM0399's "USART interrupt requests" table with its enable bit.
// On each UE 0->1 with TE or RE a verbose line gives the frame format and the
// baud rate from the kernel clock (params "clock": "usart16"/"usart234578").
// Wake-up from low-power mode (RM0399 USART "Wakeup from low-power mode";
// RM0440 37.3.14 describes the same IP): the level output "wkup" (usart_wkup,
// an EXTI direct line in the machine description) is high while UE = UESM = 1
// and an action needing the bus clock is pending: WUF with WUFIE; FIFO off:
// RXNE with RXNEIE; FIFO on: RXFNE with RXFNEIE, RXFIFO full (16 data, before
// RXFF) with RXFFIE, RXFT with RXFTIE, TXFE with TXFEIE, TXFT with TXFTIE.
// ISR.WUF is set while UESM = 1 by the event CR3.WUS selects (10 start bit,
// 11 RXNE/RXFNE: both when a character arrives), cleared by ICR.WUCF and by
// clearing UESM; WUF with WUFIE also raises "irq".  The model keeps no clock
// of its own: it runs whether or not the cores are in Stop.
// Offsets without a register (0x30-0x3FF) read as zero / ignore writes with
// one "unimplemented" warning per offset and core (a bus error with --strict).
// Not modelled (stored, logged once when set): baud-rate timing (IDLE, BUSY,
// RTOF never set), receive errors (PE/FE/NE never set), LIN, smartcard,
// IrDA, synchronous/SPI mode, DMA, auto-baud, mute mode, character match,
// hardware flow control, RS-485 driver enable, the address-match wake-up
// event (WUS = 00: logged once when a character arrives with UESM = 1).
#pragma once

#include "../regs.h"

#include <deque>

namespace ampvp {

class Stm32Usart : public RegisterDevice {
public:
    explicit Stm32Usart(const std::string &name);
    void configure(const std::map<std::string, std::string> &params,
                   const std::vector<std::string> &core_names) override;
    void reset() override;
    bool accepts_input() const override;
    void host_input(uint8_t byte) override;

    // Bit positions named as in RM0399 (FIFO-mode names in comments).
    enum : uint32_t {
        CR1_UE = 1u << 0, CR1_UESM = 1u << 1, CR1_RE = 1u << 2, CR1_TE = 1u << 3, CR1_IDLEIE = 1u << 4,
        CR1_RXNEIE = 1u << 5 /* RXFNEIE */, CR1_TCIE = 1u << 6, CR1_TXEIE = 1u << 7 /* TXFNFIE */,
        CR1_PEIE = 1u << 8, CR1_PS = 1u << 9, CR1_PCE = 1u << 10, CR1_M0 = 1u << 12,
        CR1_CMIE = 1u << 14, CR1_OVER8 = 1u << 15, CR1_RTOIE = 1u << 26, CR1_EOBIE = 1u << 27,
        CR1_M1 = 1u << 28, CR1_FIFOEN = 1u << 29, CR1_TXFEIE = 1u << 30, CR1_RXFFIE = 1u << 31,
        CR2_LBDIE = 1u << 6,
        CR3_EIE = 1u << 0, CR3_CTSIE = 1u << 10, CR3_OVRDIS = 1u << 12,
        CR3_WUS_Pos = 20, CR3_WUS_Msk = 3u << 20, CR3_WUFIE = 1u << 22,
        CR3_TXFTIE = 1u << 23, CR3_TCBGTIE = 1u << 24, CR3_RXFTIE = 1u << 28,
        ISR_PE = 1u << 0, ISR_FE = 1u << 1, ISR_NE = 1u << 2, ISR_ORE = 1u << 3,
        ISR_IDLE = 1u << 4, ISR_RXNE = 1u << 5 /* RXFNE */, ISR_TC = 1u << 6,
        ISR_TXE = 1u << 7 /* TXFNF */, ISR_LBDF = 1u << 8, ISR_CTSIF = 1u << 9,
        ISR_RTOF = 1u << 11, ISR_EOBF = 1u << 12, ISR_UDR = 1u << 13, ISR_CMF = 1u << 17,
        ISR_WUF = 1u << 20, ISR_TEACK = 1u << 21, ISR_REACK = 1u << 22, ISR_TXFE = 1u << 23,
        ISR_RXFF = 1u << 24, ISR_TCBGT = 1u << 25, ISR_RXFT = 1u << 26, ISR_TXFT = 1u << 27,
        RQR_RXFRQ = 1u << 3, RQR_TXFRQ = 1u << 4,
        ICR_WUCF = 1u << 20,
    };
    // CR3.WUS[1:0]: the event that sets WUF (01 is reserved).
    enum : uint32_t { WUS_ADDRESS = 0, WUS_START_BIT = 2, WUS_RXNE = 3 };
    // RM0399: the RXFIFO and TXFIFO are 16 data deep.
    static constexpr unsigned kFifoDepth = 16;

    // Number of data bits the host sees for the current CR1 (7, 8 or 9 frame
    // bits minus the parity bit when parity is on).
    unsigned data_bits() const;
    // Received frames held (RDR plus RXFIFO).
    size_t rx_level() const { return s_.rx.size(); }

    // FIFO threshold in data for a TXFTCFG/RXFTCFG value (1/8, 1/4, 1/2, 3/4,
    // 7/8, full of kFifoDepth); 0 for the reserved values 110 and 111.
    static unsigned fifo_threshold(uint32_t cfg);
    // Division factor of USART_PRESC.PRESCALER (1, 2, 4, 6 ... 256; the
    // reserved values 1100-1111 act as 1011, i.e. 256).
    static unsigned prescaler_divider(uint32_t prescaler);
    // Baud rate for a kernel clock and BRR/OVER8/PRESC (RM0399 "USART baud
    // rate generation"): ker/presc/USARTDIV with OVER8=0 (BRR = USARTDIV),
    // 2*ker/presc/USARTDIV with OVER8=1 (BRR[2:0] = USARTDIV[3:1], BRR[3]
    // unused).  0 if the clock is unknown or USARTDIV < 16 (not allowed).
    static double baud_rate(uint64_t ker_hz, uint32_t brr, bool over8, uint32_t prescaler);
    // "8N1"-style frame format of the current configuration.
    std::string frame_format() const;

protected:
    void update_irq() override;

private:
    // Mutable state beyond the register bank.
    struct State {
        // Received frames not yet read: front() is in RDR, the rest in the RXFIFO.
        std::deque<uint16_t> rx;
    };

    void cr1_written(uint32_t old, uint32_t now);
    void wakeup_event(uint32_t wus);
    bool wakeup_request() const;
    void transmit(BusAccess &a, uint32_t tdr);
    uint32_t read_rdr();
    void refresh_status();
    size_t rx_capacity() const;
    void log_enable() const;

    State s_;
    std::string clock_;
    IrqLine &irq_;  // usart_it: the global interrupt (NVIC)
    IrqLine &wkup_; // usart_wkup: the wake-up request (an EXTI direct line)
    Register *cr1_ = nullptr, *cr2_ = nullptr, *cr3_ = nullptr, *isr_ = nullptr;
};

} // namespace ampvp
