#include "stm32_usart.h"
#include "../model_registry.h"

#include "../log.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace ampvp {

Stm32Usart::Stm32Usart(const std::string &name, Kind kind)
    : RegisterDevice(name), kind_(kind), irq_(add_irq("irq")), wkup_(add_irq("wkup")),
      dmareq_tx_(add_irq("dmareq_tx")), dmareq_rx_(add_irq("dmareq_rx")),
      wkup_tx_(kind == Kind::Lpuart ? &add_irq("wkup_tx") : nullptr)
{
    // Bits the USART has and the LPUART lacks (RM0399 "LPUART registers":
    // reserved there) are declared for the USART only, so on an LPUART they
    // read as reserved (0) and a write of 1 to them is a guest error.
    const bool usart = kind == Kind::Usart;
    auto &r = regs_;
    cr1_ = &r.reg("CR1", 0x00, 0x00000000)
                .field("UE", 0, 1, Acc::RW, &ue_)
                .field("UESM", 1, 1, Acc::RW, &uesm_)
                .field("RE", 2, 1, Acc::RW, &re_)
                .field("TE", 3, 1, Acc::RW, &te_)
                .field("IDLEIE", 4, 1, Acc::RW, &idleie_)
                .field("RXNEIE", 5, 1, Acc::RW, &rxneie_)
                .field("TCIE", 6, 1, Acc::RW, &tcie_)
                .field("TXEIE", 7, 1, Acc::RW, &txeie_)
                .field("PEIE", 8, 1, Acc::RW, &peie_)
                .field("PS", 9, 1, Acc::RW, &ps_)
                .field("PCE", 10, 1, Acc::RW, &pce_)
                .unimpl("WAKE", 11, 1)
                .field("M0", 12, 1, Acc::RW, &m0_)
                .unimpl("MME", 13, 1)
                .field("CMIE", 14, 1, Acc::RW, &cmie_);
    if (usart) {
        cr1_->field("OVER8", 15, 1, Acc::RW, &over8_); // LPUART: no oversampling by 8
    }
    cr1_->unimpl("DEDT", 16, 5).unimpl("DEAT", 21, 5);
    if (usart) {
        cr1_->field("RTOIE", 26, 1, Acc::RW, &rtoie_).unimpl("EOBIE", 27, 1);
    }
    cr1_->field("M1", 28, 1, Acc::RW, &m1_)
        .field("FIFOEN", 29, 1, Acc::RW, &fifoen_)
        .field("TXFEIE", 30, 1, Acc::RW, &txfeie_)
        .field("RXFFIE", 31, 1, Acc::RW, &rxffie_)
        .post_write([this](BusAccess &, uint32_t old, uint32_t now, uint32_t) { cr1_written(old, now); });
    // Unmodelled enables (no overload of unimpl() keeps a handle): their
    // flags are never set, but update_irq() keeps the RM's whole table.
    if (usart) {
        eobie_ = cr1_->ref("EOBIE");
    }
    cr2_ = &r.reg("CR2", 0x04, 0x00000000);
    if (usart) {
        cr2_->unimpl("SLVEN", 0, 1).unimpl("DIS_NSS", 3, 1);
    }
    cr2_->unimpl("ADDM7", 4, 1);
    if (usart) {
        cr2_->unimpl("LBDL", 5, 1)
            .unimpl("LBDIE", 6, 1)
            .unimpl("LBCL", 8, 1)
            .unimpl("CPHA", 9, 1)
            .unimpl("CPOL", 10, 1)
            .unimpl("CLKEN", 11, 1);
    }
    cr2_->field("STOP", 12, 2, Acc::RW, &stop_);
    if (usart) {
        cr2_->unimpl("LINEN", 14, 1);
    }
    cr2_->unimpl("SWAP", 15, 1)
        .unimpl("RXINV", 16, 1)
        .unimpl("TXINV", 17, 1)
        .unimpl("DATAINV", 18, 1)
        .unimpl("MSBFIRST", 19, 1);
    if (usart) {
        cr2_->unimpl("ABREN", 20, 1).unimpl("ABRMOD", 21, 2).field("RTOEN", 23, 1, Acc::RW, &rtoen_);
    }
    // ADD: the character CMF compares the whole received character with (the
    // address-mark wake-up and mute mode it also serves are not modelled).
    cr2_->field("ADD", 24, 8, Acc::RW, &add_);
    if (usart) {
        lbdie_ = cr2_->ref("LBDIE");
    }
    cr3_ = &r.reg("CR3", 0x08, 0x00000000).field("EIE", 0, 1, Acc::RW, &eie_);
    if (usart) {
        cr3_->unimpl("IREN", 1, 1).unimpl("IRLP", 2, 1);
    }
    cr3_->unimpl("HDSEL", 3, 1);
    if (usart) {
        cr3_->unimpl("NACK", 4, 1).unimpl("SCEN", 5, 1);
    }
    cr3_->field("DMAR", 6, 1, Acc::RW, &dmar_)
        .field("DMAT", 7, 1, Acc::RW, &dmat_)
        .unimpl("RTSE", 8, 1)
        .unimpl("CTSE", 9, 1)
        .unimpl("CTSIE", 10, 1);
    if (usart) {
        cr3_->field("ONEBIT", 11, 1, Acc::RW);
    }
    cr3_->field("OVRDIS", 12, 1, Acc::RW, &ovrdis_)
        .unimpl("DDRE", 13, 1)
        .unimpl("DEM", 14, 1)
        .unimpl("DEP", 15, 1);
    if (usart) {
        cr3_->unimpl("SCARCNT", 17, 3);
    }
    cr3_->field("WUS", 20, 2, Acc::RW, &wus_)
        .field("WUFIE", 22, 1, Acc::RW, &wufie_)
        .field("TXFTIE", 23, 1, Acc::RW, &txftie_);
    if (usart) {
        cr3_->unimpl("TCBGTIE", 24, 1);
    }
    cr3_->field("RXFTCFG", 25, 3, Acc::RW, &rxftcfg_)
        .field("RXFTIE", 28, 1, Acc::RW, &rxftie_)
        .field("TXFTCFG", 29, 3, Acc::RW, &txftcfg_)
        .post_write([this](BusAccess &a, uint32_t old, uint32_t now, uint32_t) {
            // RM0399 WUS[1:0]: 01 is reserved.
            if (wus_.in(now) == WUS_RESERVED && wus_.in(old) != WUS_RESERVED) {
                log().guest_error(a.core_name, this->name() + ": CR3.WUS = 01 is reserved; "
                                                              "no wake-up event sets WUF");
            }
            // RXFTCFG/TXFTCFG move the thresholds RXFT/TXFT compare against.
            refresh_status();
        });
    ctsie_ = cr3_->ref("CTSIE");
    if (usart) {
        tcbgtie_ = cr3_->ref("TCBGTIE");
    }
    // RM0399: USART_BRR holds a 16-bit USARTDIV; LPUART_BRR 20 bits, and
    // values below 0x300 are forbidden.
    r.reg("BRR", 0x0C, 0x00000000)
        .field("BRR", 0, usart ? 16 : 20, Acc::RW, &brr_)
        .post_write([this](BusAccess &a, uint32_t, uint32_t now, uint32_t) {
            if (kind_ == Kind::Lpuart && brr_.in(now) < kLpuartBrrMin) {
                log().guest_error(a.core_name, this->name() + ": LPUART_BRR = " + hex(brr_.in(now), 1) +
                                                   " is below 0x300, which RM0399 forbids");
            }
        });
    if (usart) { // LPUART: offsets 0x10 and 0x14 are reserved
        r.reg("GTPR", 0x10, 0x00000000).unimpl("PSC", 0, 8).unimpl("GT", 8, 8);
        r.reg("RTOR", 0x14, 0x00000000).field("RTO", 0, 24, Acc::RW, &rto_).unimpl("BLEN", 24, 8);
    }
    rqr_ = &r.reg("RQR", 0x18, 0x00000000);
    if (usart) {
        rqr_->unimpl("ABRRQ", 0, 1, Acc::WO);
    }
    rqr_->unimpl("SBKRQ", 1, 1, Acc::WO)
        .unimpl("MMRQ", 2, 1, Acc::WO)
        .field("RXFRQ", 3, 1, Acc::WO, &rxfrq_)
        .field("TXFRQ", 4, 1, Acc::WO, &txfrq_)
        .post_write([this](BusAccess &, uint32_t, uint32_t now, uint32_t) {
            // RXFRQ discards the received data (RDR and the whole RXFIFO),
            // clearing RXNE/RXFNE.  TXFRQ (FIFO mode only) discards the
            // TXFIFO's data and sets TXFE; the frame in the shift register
            // goes on.
            if (rxfrq_.in(now)) {
                s_.rx.clear();
            }
            if (txfrq_.in(now) && fifoen_.on()) {
                s_.tx.clear();
                txfe_.set(1);
            }
            rqr_->value = 0; // request bits are self-clearing
            refresh_status();
        });
    // Reset value 0x000000C0: TXE and TC set (RM0399, USART_ISR / LPUART_ISR
    // reset value).
    isr_ = &r.reg("ISR", 0x1C, 0x000000C0)
                .field("PE", 0, 1, Acc::RO, &pe_)
                .field("FE", 1, 1, Acc::RO, &fe_)
                .field("NE", 2, 1, Acc::RO, &ne_)
                .field("ORE", 3, 1, Acc::RO, &ore_)
                .field("IDLE", 4, 1, Acc::RO, &idle_)
                .field("RXNE", 5, 1, Acc::RO, &rxne_)
                .field("TC", 6, 1, Acc::RO, &tc_)
                .field("TXE", 7, 1, Acc::RO, &txe_);
    if (usart) {
        isr_->field("LBDF", 8, 1, Acc::RO, &lbdf_);
    }
    isr_->field("CTSIF", 9, 1, Acc::RO, &ctsif_).field("CTS", 10, 1, Acc::RO);
    if (usart) {
        isr_->field("RTOF", 11, 1, Acc::RO, &rtof_)
            .field("EOBF", 12, 1, Acc::RO, &eobf_)
            .field("UDR", 13, 1, Acc::RO, &udr_)
            .field("ABRE", 14, 1, Acc::RO)
            .field("ABRF", 15, 1, Acc::RO);
    }
    isr_->field("BUSY", 16, 1, Acc::RO, &busy_)
        .field("CMF", 17, 1, Acc::RO, &cmf_)
        .field("SBKF", 18, 1, Acc::RO)
        .field("RWU", 19, 1, Acc::RO)
        .field("WUF", 20, 1, Acc::RO, &wuf_)
        .field("TEACK", 21, 1, Acc::RO, &teack_)
        .field("REACK", 22, 1, Acc::RO, &reack_)
        .field("TXFE", 23, 1, Acc::RO, &txfe_)
        .field("RXFF", 24, 1, Acc::RO, &rxff_);
    if (usart) {
        isr_->field("TCBGT", 25, 1, Acc::RO, &tcbgt_);
    }
    isr_->field("RXFT", 26, 1, Acc::RO, &rxft_).field("TXFT", 27, 1, Acc::RO, &txft_);
    // ICR: writing 1 clears the matching ISR flag.
    icr_ = &r.reg("ICR", 0x20, 0x00000000)
                .field("PECF", 0, 1, Acc::WO, &pecf_)
                .field("FECF", 1, 1, Acc::WO, &fecf_)
                .field("NECF", 2, 1, Acc::WO, &necf_)
                .field("ORECF", 3, 1, Acc::WO, &orecf_)
                .field("IDLECF", 4, 1, Acc::WO, &idlecf_)
                .field("TXFECF", 5, 1, Acc::WO, &txfecf_)
                .field("TCCF", 6, 1, Acc::WO, &tccf_);
    if (usart) {
        icr_->field("TCBGTCF", 7, 1, Acc::WO, &tcbgtcf_).field("LBDCF", 8, 1, Acc::WO, &lbdcf_);
    }
    icr_->field("CTSCF", 9, 1, Acc::WO, &ctscf_);
    if (usart) {
        icr_->field("RTOCF", 11, 1, Acc::WO, &rtocf_)
            .field("EOBCF", 12, 1, Acc::WO, &eobcf_)
            .field("UDRCF", 13, 1, Acc::WO, &udrcf_);
    }
    icr_->field("CMCF", 17, 1, Acc::WO, &cmcf_)
        .field("WUCF", 20, 1, Acc::WO, &wucf_)
        .post_write([this](BusAccess &, uint32_t, uint32_t now, uint32_t) {
            // Each ICR clear bit clears its ISR flag (RM0399, USART_ICR).
            for (const Clear &c : clears_) {
                if (c.cf.in(now)) {
                    c.flag.set(0);
                }
            }
            icr_->value = 0;
        });
    rdr_ = &r.reg("RDR", 0x24, 0x00000000)
                .field("RDR", 0, 9, Acc::RO)
                .on_read([this](BusAccess &, uint32_t) { return read_rdr(); });
    r.reg("TDR", 0x28, 0x00000000)
        .field("TDR", 0, 9, Acc::RW)
        .post_write([this](BusAccess &a, uint32_t, uint32_t now, uint32_t) { transmit(a, now); });
    r.reg("PRESC", 0x2C, 0x00000000).field("PRESCALER", 0, 4, Acc::RW, &prescaler_);

    // RM0399 USART_ICR: which ISR flag each clear bit clears.
    clears_ = {
        {pecf_, pe_},     {fecf_, fe_},   {necf_, ne_},     {orecf_, ore_},
        {idlecf_, idle_}, {txfecf_, txfe_}, {tccf_, tc_},   {tcbgtcf_, tcbgt_},
        {lbdcf_, lbdf_},  {ctscf_, ctsif_}, {rtocf_, rtof_}, {eobcf_, eobf_},
        {udrcf_, udr_},   {cmcf_, cmf_},  {wucf_, wuf_},
    };
    // RM0399 "USART interrupt requests": each event flag with its enable bit.
    sources_ = {
        {txe_, cr1_, txeie_},     // transmit data register empty / TXFIFO not full
        {txfe_, cr1_, txfeie_},   // TXFIFO empty
        {txft_, cr3_, txftie_},   // TXFIFO threshold reached
        {ctsif_, cr3_, ctsie_},   // CTS interrupt
        {tc_, cr1_, tcie_},       // transmission complete
        {tcbgt_, cr3_, tcbgtie_}, // transmission complete before guard time
        {rxne_, cr1_, rxneie_},   // receive data register / RXFIFO not empty
        {rxff_, cr1_, rxffie_},   // RXFIFO full
        {rxft_, cr3_, rxftie_},   // RXFIFO threshold reached
        {ore_, cr1_, rxneie_},    // overrun error
        {idle_, cr1_, idleie_},   // idle line
        {pe_, cr1_, peie_},       // parity error
        {lbdf_, cr2_, lbdie_},    // LIN break
        {ne_, cr3_, eie_},        // noise error (multibuffer communication) ...
        {ore_, cr3_, eie_},       // ... overrun error ...
        {fe_, cr3_, eie_},        // ... framing error ...
        {udr_, cr3_, eie_},       // ... SPI slave underrun: all with EIE
        {cmf_, cr1_, cmie_},      // character match
        {rtof_, cr1_, rtoie_},    // receiver timeout
        {eobf_, cr1_, eobie_},    // end of block
        {wuf_, cr3_, wufie_},     // wake-up from low-power mode
    };
    // The LPUART lacks some of these (LIN break, receiver timeout, end of
    // block, SPI underrun, guard time): their handles were never declared.
    sources_.erase(std::remove_if(sources_.begin(), sources_.end(),
                                  [](const Source &x) { return !x.flag.valid() || !x.enable.valid(); }),
                   sources_.end());
    clears_.erase(std::remove_if(clears_.begin(), clears_.end(),
                                 [](const Clear &x) { return !x.cf.valid() || !x.flag.valid(); }),
                  clears_.end());
}

void Stm32Usart::configure(const std::map<std::string, std::string> &params,
                           const std::vector<std::string> &)
{
    auto it = params.find("clock");
    if (it != params.end()) {
        clock_ = it->second;
    }
}

void Stm32Usart::reset()
{
    s_ = State{};
    if (ctx_.scheduler) {
        for (unsigned tag : {TAG_TX_FRAME, TAG_RX_FRAME, TAG_RX_IDLE, TAG_RX_TIMEOUT}) {
            ctx_.scheduler->schedule(this, tag, 0);
        }
    }
    RegisterDevice::reset();
}

unsigned Stm32Usart::data_bits() const
{
    // RM0399 M[1:0] (M1, M0): 00 8-bit, 01 9-bit, 10 7-bit frames; with PCE=1
    // the most significant frame bit is the parity bit.
    const unsigned frame = m1_.on() ? 7 : m0_.on() ? 9 : 8;
    return pce_.on() ? frame - 1 : frame;
}

unsigned Stm32Usart::fifo_threshold(uint32_t cfg)
{
    // RM0399 TXFTCFG/RXFTCFG: 000 1/8, 001 1/4, 010 1/2, 011 3/4, 100 7/8,
    // 101 full (RXFIFO) / empty (TXFIFO), 110-111 reserved.
    static const unsigned eighths[] = {1, 2, 4, 6, 7, 8};
    return cfg < 6 ? kFifoDepth * eighths[cfg] / 8 : 0;
}

unsigned Stm32Usart::prescaler_divider(uint32_t prescaler)
{
    static const unsigned div[] = {1, 2, 4, 6, 8, 10, 12, 16, 32, 64, 128, 256};
    return prescaler < 12 ? div[prescaler] : 256;
}

double Stm32Usart::lpuart_baud_rate(uint64_t ker_hz, uint32_t brr, uint32_t prescaler)
{
    brr &= 0xFFFFFu;
    if (ker_hz == 0 || brr < kLpuartBrrMin) {
        return 0.0;
    }
    const double ker = static_cast<double>(ker_hz) / prescaler_divider(prescaler);
    return 256.0 * ker / brr;
}

double Stm32Usart::baud_rate(uint64_t ker_hz, uint32_t brr, bool over8, uint32_t prescaler)
{
    brr &= 0xFFFFu;
    const uint32_t usartdiv = over8 ? (brr & 0xFFF0u) | ((brr & 0x7u) << 1) : brr;
    if (ker_hz == 0 || usartdiv < 16) {
        return 0.0;
    }
    const double ker = static_cast<double>(ker_hz) / prescaler_divider(prescaler);
    return (over8 ? 2.0 * ker : ker) / usartdiv;
}

std::string Stm32Usart::frame_format() const
{
    static const char *const stop[] = {"1", "0.5", "2", "1.5"};
    const char parity = !pce_.on() ? 'N' : ps_.on() ? 'O' : 'E';
    return std::to_string(data_bits()) + parity + stop[stop_.get()];
}

void Stm32Usart::log_enable() const
{
    if (!log().verbose()) {
        return; // a verbose line: nothing to build otherwise
    }
    const uint32_t brr = brr_.get();
    const bool lpuart = kind_ == Kind::Lpuart;
    const bool over8 = !lpuart && over8_.on();
    const uint32_t presc = prescaler_.get();
    const uint64_t ker = kernel_hz();
    const double baud = this->baud();

    std::string line = name() + ": ";
    if (baud > 0) {
        line += std::to_string(std::llround(baud)) + " baud ";
    }
    line += frame_format() + " (";
    if (ker) {
        char mhz[32];
        std::snprintf(mhz, sizeof(mhz), "%.6g MHz", ker / 1e6);
        line += std::string("kernel clock ") + mhz + ", ";
    }
    if (presc) {
        line += "PRESC /" + std::to_string(prescaler_divider(presc)) + ", ";
    }
    line += "BRR " + hex(brr, 1) + (lpuart ? std::string(")") : std::string(", OVER8 ") + (over8 ? "1" : "0") + ")");
    log().verbose_info(line);
}

void Stm32Usart::cr1_written(uint32_t old, uint32_t now)
{
    if (ue_.in(old) && !ue_.in(now)) {
        // RM0399 UE: when cleared, current operations are discarded and all
        // the status flags in USART_ISR are set to their default values.
        isr_->value = isr_->reset_value();
        s_.rx.clear();
        s_.tx.clear();
        s_.shifting = false;
        s_.shift_end_ns = 0;
        s_.rx_free_ns = 0;
        s_.idle_armed = false;
        if (ctx_.scheduler) {
            ctx_.scheduler->schedule(this, TAG_RX_IDLE, 0);
            ctx_.scheduler->schedule(this, TAG_RX_TIMEOUT, 0);
        }
        schedule_tx();
    }
    if (uesm_.in(old) && !uesm_.in(now)) {
        wuf_.set(0); // RM0399 WUF: "When UESM is cleared, WUF flag is also cleared."
    }
    const bool fifo_was = ue_.in(old) && fifoen_.in(old);
    const bool fifo_is = ue_.in(now) && fifoen_.in(now);
    if (fifo_is && !fifo_was) {
        txfe_.set(1); // an enabled USART starts with an empty TXFIFO
    }
    if (!fifoen_.in(now)) {
        txfe_.set(0); // ISR bit 23 is reserved with the FIFO disabled
    }
    if (!ue_.in(old) && ue_.in(now) && (te_.in(now) || re_.in(now))) {
        log_enable();
    }
    refresh_status();
}

size_t Stm32Usart::rx_capacity() const
{
    // RM0399: RXFF is set when the number of received data is the RXFIFO size
    // + 1 (RXFIFO full plus one datum in RDR).  With OVRDIS=1 the RXFIFO is
    // bypassed and data go straight to RDR.
    const bool fifo = fifoen_.on() && !ovrdis_.on();
    return fifo ? kFifoDepth + 1 : 1;
}

void Stm32Usart::refresh_status()
{
    // Flags that follow the state rather than latch an event.
    const bool ue = ue_.on();
    // RM0399 TEACK/REACK: set when TE/RE is set with the USART enabled.
    teack_.set(ue && te_.on());
    reack_.set(ue && re_.on());
    const size_t level = s_.rx.size();
    rxne_.set(level != 0); // RXNE, or RXFNE: RXFIFO not empty
    const bool fifo = fifoen_.on();
    // RXFF: RXFIFO full plus the datum in RDR.
    rxff_.set(fifo && level >= kFifoDepth + 1);
    // RXFT: RXFTCFG reached, counting the datum in RDR.
    const unsigned rx_t = fifo_threshold(rxftcfg_.get());
    rxft_.set(fifo && rx_t && level >= rx_t);
    // Transmit side: TXE while TDR is empty, or TXFNF while the TXFIFO has
    // room; TXFE drops while the TXFIFO holds data (it is set when it
    // empties, see load_shifter); TXFT while the TXFIFO has at least TXFTCFG
    // empty locations.
    const size_t tx_level = s_.tx.size();
    if (fifo) {
        txe_.set(tx_level < kFifoDepth);
        if (tx_level) {
            txfe_.set(0);
        }
    } else {
        txe_.set(tx_level == 0);
    }
    const unsigned tx_t = fifo_threshold(txftcfg_.get());
    txft_.set(fifo && ue && tx_t && tx_level <= kFifoDepth && kFifoDepth - tx_level >= tx_t);
}

bool Stm32Usart::accepts_input() const
{
    // Room for the datum, and the host's previous frame has left the line;
    // a receiver without its kernel clock samples nothing.
    return !clock_off_ && ue_.on() && re_.on() && s_.rx.size() < rx_capacity() && now() >= s_.rx_free_ns;
}

void Stm32Usart::host_input(uint8_t byte)
{
    if (clock_off_) {
        AMPVP_TRACE("uart", "host", name() + ": byte " + hex(byte, 2) + " lost, no kernel clock (RCC)");
        return;
    }
    if (!ue_.on() || !re_.on()) {
        // Nothing samples the RX line with the receiver off.
        AMPVP_TRACE("uart", "host", name() + ": byte " + hex(byte, 2) +
                                        " dropped, receiver disabled (UE=0 or RE=0)");
        return;
    }
    // The frame occupies the RX line for one frame time: the next host byte
    // waits for its end (accepts_input), when a timer wakes the hub.
    const uint64_t fns = frame_ns();
    if (fns && ctx_.scheduler) {
        s_.rx_free_ns = now() + fns;
        ctx_.scheduler->schedule(this, TAG_RX_FRAME, s_.rx_free_ns);
    }
    // A start bit: the wake-up event of WUS = 10.
    wakeup_event(WUS_START_BIT);
    // The data bits of the frame; a parity bit (PCE=1) reads as 0.
    const uint16_t data = static_cast<uint16_t>(byte & ((1u << data_bits()) - 1u));
    if (s_.rx.size() < rx_capacity()) {
        s_.rx.push_back(data);
        wakeup_event(WUS_RXNE); // RXNE/RXFNE: the datum is in RDR or the RXFIFO
        // RM0399 CMF: "set by hardware, when the character defined by
        // ADD[7:0] is received"; the whole 8-bit character is compared.
        if ((byte & 0xffu) == add_.get()) {
            cmf_.set(1);
        }
    } else if (ovrdis_.on()) {
        // RM0399 OVRDIS: no ORE; the new data overwrites RDR.
        s_.rx.back() = data;
        wakeup_event(WUS_RXNE);
    } else {
        // RM0399 ORE: set when a received frame finds RDR (RXFIFO) full; the
        // held data are kept, the new frame is lost.
        ore_.set(1);
        AMPVP_TRACE("uart", "host", name() + ": overrun, byte " + hex(byte, 2) + " lost (ORE)");
    }
    s_.idle_armed = true;
    schedule_rx_line_events(fns);
    rdr_->value = s_.rx.front();
    refresh_status();
    update_irq();
}

void Stm32Usart::schedule_rx_line_events(uint64_t fns)
{
    if (!fns || !ctx_.scheduler) {
        return; // no baud rate: no frame time to measure an idle line by
    }
    // RM0399 "USART character description": "An Idle character is
    // interpreted as an entire frame of 1s", so IDLE comes one frame time
    // after the last frame's stop bits, unless another start bit came first
    // (host_input then schedules again, replacing this deadline).
    ctx_.scheduler->schedule(this, TAG_RX_IDLE, s_.rx_free_ns + fns);
    // RM0399 "Receiver timeout": "The receiver timeout counter starts
    // counting from the end of the stop bit of the last received character";
    // RTOR.RTO is "in terms of number of bit duration".
    if (kind_ == Kind::Usart && rtoen_.on()) {
        const double bit_ns = 1e9 / baud();
        ctx_.scheduler->schedule(this, TAG_RX_TIMEOUT,
                                 s_.rx_free_ns + static_cast<uint64_t>(std::llround(rto_.get() * bit_ns)));
    } else {
        ctx_.scheduler->schedule(this, TAG_RX_TIMEOUT, 0);
    }
}

void Stm32Usart::rx_line_event(unsigned tag)
{
    if (!ue_.on() || !re_.on()) {
        return;
    }
    if (tag == TAG_RX_IDLE && s_.idle_armed) {
        // RM0399 IDLE: "set by hardware when an Idle line is detected ...
        // The IDLE bit is not set again until the RXNE bit has been set".
        idle_.set(1);
        s_.idle_armed = false;
    } else if (tag == TAG_RX_TIMEOUT && rtoen_.on()) {
        rtof_.set(1); // RM0399 RTOF: "the timeout duration has elapsed"
    }
}

void Stm32Usart::wakeup_event(uint32_t wus)
{
    // RM0399 WUF: set when the wake-up event selected by CR3.WUS[1:0] is
    // detected; "WUF is usable only when UESM = 1".
    if (!ue_.on() || !uesm_.on()) {
        return;
    }
    const uint32_t selected = wus_.get();
    if (selected == WUS_ADDRESS && wus == WUS_START_BIT) {
        if (!said_address_wakeup_) { // the log says it once; build its text once
            said_address_wakeup_ = true;
            log().unimplemented(name() + ".CR3.WUS=00",
                                name() + ": wake-up on address match (CR3.WUS = 00, UESM = 1): "
                                         "address detection is not modelled, WUF is never set");
        }
        return;
    }
    if (selected == wus) {
        wuf_.set(1);
    }
}

uint32_t Stm32Usart::read_rdr()
{
    auto &rdr = rdr_->value;
    if (!s_.rx.empty()) {
        rdr = s_.rx.front(); // reading RDR pops the oldest datum
        s_.rx.pop_front();
    }
    const uint32_t v = rdr;
    if (!s_.rx.empty()) {
        rdr = s_.rx.front();
    }
    refresh_status();
    return v;
}

uint64_t Stm32Usart::now() const { return ctx_.scheduler ? ctx_.scheduler->now_ns() : 0; }

uint64_t Stm32Usart::kernel_hz() const
{
    if (!ctx_.clock_source || clock_.empty()) {
        return 0;
    }
    if (!clock_resolved_) { // once: no name lookup per frame
        clock_id_ = ctx_.clock_source->clock_id(clock_);
        clock_resolved_ = true;
    }
    return ctx_.clock_source->hz(clock_id_);
}

double Stm32Usart::baud() const
{
    const uint64_t ker = kernel_hz();
    if (kind_ == Kind::Lpuart) {
        return lpuart_baud_rate(ker, brr_.get(), prescaler_.get());
    }
    return baud_rate(ker, brr_.get(), over8_.on(), prescaler_.get());
}

uint64_t Stm32Usart::frame_ns() const
{
    if (!ctx_.scheduler) {
        return 0;
    }
    const double rate = baud();
    if (rate <= 0) {
        return 0;
    }
    // RM0399 "USART character description": a start bit, 7, 8 or 9 frame
    // bits (M[1:0]; the parity bit is one of them) and 0.5, 1, 1.5 or 2 stop
    // bits (CR2.STOP 01, 00, 11, 10).
    static const double stop_bits[] = {1.0, 0.5, 2.0, 1.5};
    const unsigned frame = m1_.on() ? 7 : m0_.on() ? 9 : 8;
    const double bits = 1.0 + frame + stop_bits[stop_.get()];
    return static_cast<uint64_t>(std::llround(bits * 1e9 / rate));
}

void Stm32Usart::input(unsigned n, bool level)
{
    if (n == CLOCK_OFF && level != clock_off_) {
        clock_off_ = level;
        AMPVP_TRACE("clock", name(), level ? "clocks stopped (RCC)" : "clocks run again");
    }
}

// RM0399: a peripheral's registers cannot be accessed while its clock is off.
bool Stm32Usart::unclocked_access(BusAccess &a)
{
    if (!clock_off_) {
        return false;
    }
    log().guest_error(a.core_name, name() + ": access at offset " + hex(a.offset, 2) +
                                       " while its clocks are stopped (RCC: the CPU that enabled it in CStop, "
                                       "no autonomous mode): not supported, read as 0 / ignored");
    return true;
}

uint32_t Stm32Usart::read(BusAccess &a)
{
    if (unclocked_access(a)) {
        return 0;
    }
    advance_tx(now()); // flags as they are at this moment
    // RM0399 BUSY: "active when a communication is ongoing on the RX line
    // (successful start bit detected). It is reset at the end of the
    // reception": the host's frame occupies the line until rx_free_ns.
    busy_.set(ue_.on() && re_.on() && now() < s_.rx_free_ns);
    return RegisterDevice::read(a);
}

void Stm32Usart::write(BusAccess &a, uint32_t value)
{
    if (unclocked_access(a)) {
        return;
    }
    advance_tx(now());
    RegisterDevice::write(a, value);
}

void Stm32Usart::timer_fired(unsigned tag)
{
    if (tag == TAG_TX_FRAME) {
        advance_tx(now());
    }
    if (tag == TAG_RX_IDLE || tag == TAG_RX_TIMEOUT) {
        rx_line_event(tag);
    }
    // TAG_RX_FRAME: the RX line is free; the hub offers the next host byte
    // after this callback (accepts_input).
    update_irq();
}

void Stm32Usart::send_to_host(const TxDatum &d)
{
    if (ctx_.chars) {
        ctx_.chars->put_char(name(), d.by, static_cast<uint8_t>(d.data & 0xff));
    }
}

void Stm32Usart::load_shifter(uint64_t at)
{
    // RM0399 "USART transmitter": the data go from TDR (the TXFIFO) to the
    // shift register when it is free; TXE (TXFNF) is set again then.
    while (!s_.shifting && !s_.tx.empty()) {
        s_.shift = std::move(s_.tx.front());
        s_.tx.pop_front();
        if (fifoen_.on() && s_.tx.empty()) {
            txfe_.set(1); // RM0399 TXFE: set when the TXFIFO is empty
        }
        const uint64_t fns = frame_ns();
        if (fns == 0) {
            send_to_host(s_.shift); // no baud rate: the frame leaves at once
            continue;
        }
        s_.shifting = true;
        s_.shift_end_ns = at + fns;
    }
    if (!s_.shifting) {
        // RM0399 TC: set when the transmission of a frame is complete and TXE
        // (TXFE) is set: nothing left to send.
        tc_.set(1);
    }
    refresh_status();
}

void Stm32Usart::advance_tx(uint64_t t)
{
    bool moved = false;
    while (s_.shifting && s_.shift_end_ns <= t) {
        // The frame's stop bits have ended: the host has the byte, and the
        // next datum (if any) starts right behind it.
        s_.shifting = false;
        send_to_host(s_.shift);
        load_shifter(s_.shift_end_ns);
        moved = true;
    }
    if (moved) {
        schedule_tx();
    }
}

void Stm32Usart::schedule_tx()
{
    if (ctx_.scheduler) {
        ctx_.scheduler->schedule(this, TAG_TX_FRAME, s_.shifting ? s_.shift_end_ns : 0);
    }
}

void Stm32Usart::transmit(BusAccess &a, uint32_t tdr)
{
    if (!ue_.on() || !te_.on()) {
        log().guest_error(a.core_name, name() + ": write of " + hex(tdr, 2) +
                                           " to TDR while the transmitter is disabled "
                                           "(UE=0 or TE=0): character dropped");
        return;
    }
    // The data bits go to the host; with 9 data bits (M=01, PCE=0) only the
    // low 8 fit a host byte and the 9th is dropped.
    TxDatum d;
    d.data = static_cast<uint16_t>(tdr & ((1u << data_bits()) - 1u));
    d.by.core = a.core;
    d.by.core_name = a.core_name;
    d.by.addr = a.addr;
    d.by.offset = a.offset;
    d.by.time_ns = a.time_ns;
    const bool fifo = fifoen_.on();
    const size_t room = fifo ? kFifoDepth : 1;
    if (s_.tx.size() >= room && !s_.tx.empty() && s_.tx.back().by.core != a.core) {
        // Two cores sharing the USART both saw TXE (TXFNF) = 1 and wrote: on
        // the chip one character would replace the other (and the line would
        // mix both cores' text anyway).  ampvp's console keeps each core's
        // output apart, so the character waits behind the other core's: the
        // line is shared in time, no character is lost.
        if (!said_shared_tdr_) {
            said_shared_tdr_ = true;
            log().verbose_info(name() + ": " + a.core_name + " and " + s_.tx.back().by.core_name +
                               " write TDR concurrently; each core's characters are kept "
                               "(on the chip one would overwrite the other)");
        }
        s_.tx.push_back(std::move(d));
    } else if (s_.tx.size() >= room) {
        if (fifo) {
            log().guest_error(a.core_name, name() + ": write of " + hex(tdr, 2) +
                                               " to TDR with the TXFIFO full (TXFNF=0): "
                                               "character lost");
            return;
        }
        log().guest_error(a.core_name, name() + ": write of " + hex(tdr, 2) +
                                           " to TDR while TXE=0: it overwrites the "
                                           "character waiting in TDR");
        s_.tx.back() = std::move(d);
    } else {
        s_.tx.push_back(std::move(d));
    }
    tc_.set(0); // RM0399 TC: cleared by a write to TDR
    if (!s_.shifting) {
        // The line is free from now on, but not before the previous frame's end.
        const uint64_t t = now();
        load_shifter(std::max(t, s_.shift_end_ns));
        schedule_tx();
    }
    refresh_status();
}

void Stm32Usart::update_irq()
{
    // RM0399 "USART interrupt requests": the line is the OR of every flag
    // with its enable bit (sources_, built in the constructor).
    // Runs after every access: register values are read once and the
    // handles only pick fields out of them (FieldRef::in is inline).
    const uint32_t isr = isr_->value;
    bool level = false;
    for (const Source &src : sources_) {
        if (src.flag.in(isr) && src.enable.in(src.control->value)) {
            level = true;
            break;
        }
    }
    irq_.set(level);
    const bool rx_wake = wakeup_request(false), tx_wake = wakeup_request(true);
    if (wkup_tx_) {
        // LPUART: two lines (RM0399 EXTI event inputs "LPUART1 RX wakeup"
        // and "LPUART1 TX wakeup").
        wkup_.set(rx_wake);
        wkup_tx_->set(tx_wake);
    } else {
        wkup_.set(rx_wake || tx_wake);
    }
    // RM0399 USART "Transmission / Reception using DMA": with DMAT the USART
    // requests a write of TDR while TXE (TXFNF) is set, with DMAR a read of
    // RDR while RXNE (RXFNE) is set.  The transmit request also needs the
    // transmitter on (UE, TE): TXE is set at reset and a disabled transmitter
    // drops what it is given.
    const uint32_t cr1 = cr1_->value, cr3 = cr3_->value;
    dmareq_tx_.set(dmat_.in(cr3) && ue_.in(cr1) && te_.in(cr1) && txe_.in(isr));
    dmareq_rx_.set(dmar_.in(cr3) && rxne_.in(isr));
}

bool Stm32Usart::wakeup_request(bool tx) const
{
    // RM0399 USART "Wakeup from low-power mode" (RM0440 37.3.14, same IP): with
    // UESM = 1 the USART raises usart_wkup when an action needing the bus
    // clock is required.  FIFO disabled: RXNE with RXNEIE.  FIFO enabled:
    // RXFIFO not empty (RXFNEIE), RXFIFO full (RXFFIE: "the number of received
    // data corresponds to the RXFIFO size, and the RXFF flag is not set"),
    // TXFIFO empty (TXFEIE), RXFIFO threshold (RXFTIE), TXFIFO threshold
    // (TXFTIE).  Plus the wake-up event flag WUF with WUFIE.  `tx`: the
    // transmit side's requests (the TXFIFO ones), else the receive side's.
    const uint32_t cr1 = cr1_->value, cr3 = cr3_->value, isr = isr_->value;
    if (!ue_.in(cr1) || !uesm_.in(cr1)) {
        return false;
    }
    if (tx) {
        return fifoen_.in(cr1) && ((txfe_.in(isr) && txfeie_.in(cr1)) ||  // TXFIFO empty
                                   (txft_.in(isr) && txftie_.in(cr3)));   // TXFIFO threshold
    }
    if (wuf_.in(isr) && wufie_.in(cr3)) {
        return true;
    }
    if (!fifoen_.in(cr1)) {
        return rxne_.in(isr) && rxneie_.in(cr1);
    }
    return (rxne_.in(isr) && rxneie_.in(cr1)) ||                 // RXFNE, RXFNEIE
           (s_.rx.size() >= kFifoDepth && rxffie_.in(cr1)) ||    // RXFIFO full
           (rxft_.in(isr) && rxftie_.in(cr3));                   // RXFIFO threshold
}

} // namespace ampvp

AMPVP_MODEL("stm32-usart", ampvp::Stm32Usart)
AMPVP_MODEL("stm32-lpuart", ampvp::Stm32Lpuart)
