// STM32H7 USART/UART (RM0399 Rev 4, USART/UART chapter: "USART registers",
// "USART interrupts", "USART baud rate generation", "USART FIFOs and
// thresholds").
//
// Modelled: the whole register table with reset values and access types;
// UE/TE/RE with TEACK/REACK following them; UE=0 returns every ISR flag to
// its reset value and discards received data.
// Transmit (RM0399 "USART transmitter"): a TDR write goes to TDR (FIFOEN=0)
// or the 16-entry TXFIFO (FIFOEN=1), and from there to the shift register as
// soon as it is free; a frame takes (1 start + 7/8/9 frame bits, parity
// included, + 0.5/1/1.5/2 stop bits per CR2.STOP) / baud to shift out, the
// baud rate from the kernel clock and BRR/OVER8/PRESC (baud_rate /
// lpuart_baud_rate).  TXE (TXFNF) follows TDR (TXFIFO) having room; TC is set
// when a frame ends with TDR (TXFIFO) empty and cleared by a TDR write or
// ICR.TCCF; TXFE is set when the TXFIFO empties (its last datum moves to the
// shift register) or by RQR.TXFRQ (which also discards the TXFIFO), cleared
// while it holds data or by ICR.TXFECF; TXFT is set while the TXFIFO has at
// least TXFTCFG free entries.  The host (console) gets the data bits (the
// parity bit stripped when PCE=1; with 9 data bits the low 8) when the
// frame's stop bits end.  The state catches up with the hub's clock on
// every access and a scheduler timer at each frame's end moves the flags,
// the interrupt line and the DMA request on.  A TDR write with TXE (TXFNF) =
// 0 is a guest error: FIFOEN=0 it overwrites TDR, FIFOEN=1 it is lost;
// except when the datum waiting there came from the other core (two cores
// printing on one USART, which ampvp's console keeps apart per core): then
// it waits behind it, so the cores share the line's time and lose nothing.
// With no baud rate (no scheduler, kernel clock 0, BRR below its minimum) a
// frame leaves at once, as if the line were infinitely fast.  UE=0 discards
// TDR, the TXFIFO and the frame being sent.  Flags read by polling are exact
// in time; an interrupt raised at a frame's end waits for the timer
// (deterministic mode: the next quantum boundary).
// Receive (host_input): the byte, masked to the data bits (parity bit read
// as 0), goes to RDR (RXNE) or, with FIFOEN=1, to the 16-entry RXFIFO
// behind RDR (RXFNE, RXFT per RXFTCFG counting RDR, RXFF at 16+1 data).
// Reading RDR pops.  A byte arriving with no room sets ORE and is lost, or
// with OVRDIS=1 (RXFIFO bypassed) overwrites RDR without ORE.  accepts_input()
// says when there is room, so the hub never overruns, and, with a known baud
// rate, not before one frame time after the previous host byte (the byte
// enters RDR as its frame ends; the next frame needs the line that long): a
// timer at that moment wakes the hub to offer the next one.  RQR.RXFRQ
// discards received data.  ICR clears flags.  The interrupt line is the OR of every
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
// DMA requests (RM0399 USART "Transmission using DMA", "Reception using DMA"):
// level outputs "dmareq_tx" = CR3.DMAT & UE & TE & ISR.TXE (TXFNF) and
// "dmareq_rx" = CR3.DMAR & ISR.RXNE (RXFNE), the usart_tx_dma / usart_rx_dma
// request lines of DMAMUX1 (USART3: 46 / 45).  A DMA write of TDR or read of
// RDR is an ordinary bus access.  DDRE (DMA disable on reception error)
// stays unmodelled (no reception error is ever detected).
// Offsets without a register (0x30-0x3FF) read as zero / ignore writes with
// one "unimplemented" warning per offset and core (a bus error with --strict).
// LPUART (model "stm32-lpuart"; RM0399 Rev 4, "Low-power universal
// asynchronous receiver transmitter (LPUART)"): the same IP with less.  Its
// register table leaves out what RM0399's LPUART register map has as
// reserved, so those bits read 0 and a write of 1 is a guest error: CR1
// OVER8 (no oversampling by 8), RTOIE, EOBIE; CR2 SLVEN, DIS_NSS, LBDL,
// LBDIE, LBCL, CPHA, CPOL, CLKEN (no synchronous mode), LINEN, ABREN, ABRMOD,
// RTOEN; CR3 IREN, IRLP (no IrDA), NACK, SCEN, SCARCNT (no smartcard),
// ONEBIT, TCBGTIE; RQR ABRRQ; ISR LBDF, RTOF, EOBF, UDR, ABRE, ABRF, TCBGT;
// ICR TCBGTCF, LBDCF, RTOCF, EOBCF, UDRCF; no GTPR (0x10) or RTOR (0x14).
// BRR is 20 bits, baud = 256 * fck / (presc * BRR) (RM0399 "LPUART baud
// rate generation"), BRR below 0x300 is forbidden (a guest error when
// written).  Its wake-up requests are two outputs: "wkup" (receive side and
// WUF: EXTI "LPUART1 RX wakeup") and "wkup_tx" (TXFIFO empty / threshold:
// "LPUART1 TX wakeup").  Kernel clock: params "clock": "lpuart1" (RCC
// D3CCIPR.LPUART1SEL).
// Clock gating (RM0399 "Peripheral clock gating control", RCC_D3AMR; the
// machine wires the RCC's "ck_off.lpuart1" to LPUART1's input CLOCK_OFF):
// while that input is high the USART has neither bus nor kernel clock: a
// register access is not supported (a guest error; reads 0, writes are
// ignored), the receiver does not sample the line (accepts_input() is false,
// so the hub holds host bytes back; a byte given anyway, as a --replay does,
// is lost).  Not modelled: a frame being shifted out when the clock stops
// still completes.
// Not modelled (stored, logged once when set): IDLE, BUSY (receive side: a
// host byte arrives as a whole frame) and RTOF are never set, receive
// errors (PE/FE/NE never set), LIN, smartcard, IrDA, synchronous/SPI mode,
// auto-baud, mute mode, character match, hardware flow control, RS-485
// driver enable, the address-match wake-up
// event (WUS = 00: logged once when a character arrives with UESM = 1).
#pragma once

#include "../regs.h"

#include <deque>

namespace ampvp {

class Stm32Usart : public RegisterDevice {
public:
    enum class Kind { Usart, Lpuart };
    explicit Stm32Usart(const std::string &name, Kind kind = Kind::Usart);
    void configure(const std::map<std::string, std::string> &params,
                   const std::vector<std::string> &core_names) override;
    void reset() override;
    bool accepts_input() const override;
    void host_input(uint8_t byte) override;
    uint32_t read(BusAccess &a) override;
    void write(BusAccess &a, uint32_t value) override;
    void timer_fired(unsigned tag) override;
    // Input CLOCK_OFF: high while the RCC has stopped the USART's clocks.
    static constexpr unsigned CLOCK_OFF = 0;
    void input(unsigned n, bool level) override;

    // RM0399: the RXFIFO and TXFIFO are 16 data deep.
    static constexpr unsigned kFifoDepth = 16;

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
    // RM0399 "LPUART baud rate generation": 256 * ker / presc / BRR; 0 if the
    // clock is unknown or BRR < 0x300 (forbidden).
    static double lpuart_baud_rate(uint64_t ker_hz, uint32_t brr, uint32_t prescaler);
    static constexpr uint32_t kLpuartBrrMin = 0x300;

protected:
    void update_irq() override;

private:
    // CR3.WUS[1:0]: the event that sets WUF (01 is reserved).
    enum : uint32_t { WUS_ADDRESS = 0, WUS_RESERVED = 1, WUS_START_BIT = 2, WUS_RXNE = 3 };

    // Scheduler tags: the end of the frame in the shift register, the end of
    // the host byte's frame on the RX line.
    // the idle frame after the host's last one (IDLE), the receiver timeout
    // after it (RTOF).
    enum : unsigned { TAG_TX_FRAME = 1, TAG_RX_FRAME = 2, TAG_RX_IDLE = 3, TAG_RX_TIMEOUT = 4 };

    // A datum on its way out, with the access that wrote it (the console
    // names the core).
    struct TxDatum {
        uint16_t data = 0;
        BusAccess by;
    };

    // Mutable state beyond the register bank.
    struct State {
        // Received frames not yet read: front() is in RDR, the rest in the RXFIFO.
        std::deque<uint16_t> rx;
        // Written, not yet in the shift register: TDR (FIFOEN=0, at most
        // one) or the TXFIFO.
        std::deque<TxDatum> tx;
        bool shifting = false;     // a frame is in the shift register
        TxDatum shift;             // ... this one
        uint64_t shift_end_ns = 0; // ... until then (its stop bits end)
        uint64_t rx_free_ns = 0;   // the RX line carries the host's last frame until then
        bool idle_armed = false;   // a datum came since IDLE was last set (RM0399 IDLE note)
    };

    // An interrupt request of RM0399's "USART interrupt requests" table: an
    // event flag in ISR and its enable bit in `control` (CR1, CR2 or CR3).
    struct Source {
        FieldRef flag;
        const Register *control;
        FieldRef enable;
    };
    // An ICR clear bit and the ISR flag it clears.
    struct Clear {
        FieldRef cf, flag;
    };

    void cr1_written(uint32_t old, uint32_t now);
    // The RX line after the host's last frame (ends at s_.rx_free_ns): IDLE
    // one idle frame later, RTOF RTOR.RTO bit times later.
    void schedule_rx_line_events(uint64_t fns);
    void rx_line_event(unsigned tag);
    void wakeup_event(uint32_t wus);
    bool wakeup_request(bool tx) const;
    void transmit(BusAccess &a, uint32_t tdr);
    // Transmitter: frames that have ended by `now` leave (host gets their
    // data), TDR/TXFIFO data move into the free shift register.
    void advance_tx(uint64_t now);
    void load_shifter(uint64_t at);
    void send_to_host(const TxDatum &d);
    void schedule_tx();
    uint64_t now() const;
    // Kernel clock (params "clock") in Hz, 0 if unknown.
    uint64_t kernel_hz() const;
    // Baud rate of the current configuration, 0 if unknown.
    double baud() const;
    // Duration of one frame of the current configuration in ns; 0 when the
    // baud rate is unknown (frames then take no time).
    uint64_t frame_ns() const;
    uint32_t read_rdr();
    void refresh_status();
    size_t rx_capacity() const;
    // Number of data bits the host sees for the current CR1 (7, 8 or 9 frame
    // bits minus the parity bit when parity is on).
    unsigned data_bits() const;
    // "8N1"-style frame format of the current configuration.
    std::string frame_format() const;
    void log_enable() const;

    State s_;
    Kind kind_;
    std::string clock_;
    mutable ClockId clock_id_ = -1;
    mutable bool clock_resolved_ = false;
    bool clock_off_ = false;           // input CLOCK_OFF
    bool unclocked_access(BusAccess &a);
    bool said_address_wakeup_ = false; // the WUS = 00 "unimplemented" line went out
    bool said_shared_tdr_ = false;     // the "cores write TDR concurrently" line went out
    IrqLine &irq_;  // usart_it: the global interrupt (NVIC)
    IrqLine &wkup_; // usart_wkup: the wake-up request (an EXTI direct line)
    IrqLine &dmareq_tx_; // usart_tx_dma: DMA request for TDR (DMAMUX1 input)
    IrqLine &dmareq_rx_; // usart_rx_dma: DMA request for RDR (DMAMUX1 input)
    IrqLine *wkup_tx_;   // LPUART only: lpuart_tx_wkup (the TX side's wake-up request)

    // Registers the behaviour touches, and the fields it uses (RM0399 names;
    // FIFO-mode names in comments).  Declared once, in the constructor's table.
    Register *cr1_ = nullptr, *cr2_ = nullptr, *cr3_ = nullptr, *rqr_ = nullptr, *isr_ = nullptr,
             *icr_ = nullptr, *rdr_ = nullptr;
    FieldRef ue_, uesm_, re_, te_, idleie_, rxneie_ /* RXFNEIE */, tcie_,
        txeie_ /* TXFNFIE */, peie_, ps_, pce_, m0_, cmie_, over8_, rtoie_, eobie_, m1_,
        fifoen_, txfeie_, rxffie_;                                       // CR1
    FieldRef lbdie_, stop_, rtoen_, add_;                                // CR2
    FieldRef rto_;                                                       // RTOR
    FieldRef eie_, dmar_, dmat_, ctsie_, ovrdis_, wus_, wufie_, txftie_, tcbgtie_, rxftcfg_,
        rxftie_, txftcfg_;                                               // CR3
    FieldRef brr_;                                                       // BRR
    FieldRef rxfrq_, txfrq_;                                             // RQR
    FieldRef pe_, fe_, ne_, ore_, idle_, rxne_ /* RXFNE */, tc_, txe_ /* TXFNF */, lbdf_,
        ctsif_, rtof_, eobf_, udr_, busy_, cmf_, wuf_, teack_, reack_, txfe_, rxff_, tcbgt_, rxft_,
        txft_;                                                           // ISR
    FieldRef pecf_, fecf_, necf_, orecf_, idlecf_, txfecf_, tccf_, tcbgtcf_, lbdcf_, ctscf_,
        rtocf_, eobcf_, udrcf_, cmcf_, wucf_;                            // ICR
    FieldRef prescaler_;                                                 // PRESC
    std::vector<Source> sources_; // the interrupt requests, built once
    std::vector<Clear> clears_;   // ICR bit -> ISR flag, built once
};

// The LPUART: the same model with the LPUART's register table.
class Stm32Lpuart : public Stm32Usart {
public:
    explicit Stm32Lpuart(const std::string &name) : Stm32Usart(name, Kind::Lpuart) {}
};

} // namespace ampvp
