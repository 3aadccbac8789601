#include "stm32_usart.h"
#include "../model_registry.h"

#include "../log.h"

#include <cmath>
#include <cstdio>

namespace ampvp {

Stm32Usart::Stm32Usart(const std::string &name)
    : RegisterDevice(name), irq_(add_irq("irq")), wkup_(add_irq("wkup"))
{
    auto &r = regs_;
    r.reg("CR1", 0x00, 0x00000000)
        .field("UE", 0, 1, Acc::RW)
        .field("UESM", 1, 1, Acc::RW)
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
        .field("TXFEIE", 30, 1, Acc::RW)
        .field("RXFFIE", 31, 1, Acc::RW)
        .post_write([this](BusAccess &, uint32_t old, uint32_t now, uint32_t) {
            cr1_written(old, now);
        });
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
        .field("WUS", 20, 2, Acc::RW)
        .field("WUFIE", 22, 1, Acc::RW)
        .field("TXFTIE", 23, 1, Acc::RW)
        .unimpl("TCBGTIE", 24, 1)
        .field("RXFTCFG", 25, 3, Acc::RW)
        .field("RXFTIE", 28, 1, Acc::RW)
        .field("TXFTCFG", 29, 3, Acc::RW)
        .post_write([this](BusAccess &a, uint32_t old, uint32_t now, uint32_t) {
            // RM0399 WUS[1:0]: 01 is reserved.
            const uint32_t reserved = 1u << CR3_WUS_Pos;
            if ((now & CR3_WUS_Msk) == reserved && (old & CR3_WUS_Msk) != reserved) {
                log().guest_error(a.core_name, this->name() + ": CR3.WUS = 01 is reserved; "
                                                              "no wake-up event sets WUF");
            }
            // RXFTCFG/TXFTCFG move the thresholds RXFT/TXFT compare against.
            refresh_status();
        });
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
            // RXFRQ discards the received data (RDR and the whole RXFIFO),
            // clearing RXNE/RXFNE.  TXFRQ flushes the TXFIFO, which sets TXFE
            // (FIFO mode only); the model's TXFIFO is always empty anyway.
            if (now & RQR_RXFRQ) {
                s_.rx.clear();
            }
            if ((now & RQR_TXFRQ) && (regs_["CR1"].value & CR1_FIFOEN)) {
                regs_["ISR"].value |= ISR_TXFE;
            }
            regs_["RQR"].value = 0; // request bits are self-clearing
            refresh_status();
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
        .on_read([this](BusAccess &, uint32_t) { return read_rdr(); });
    r.reg("TDR", 0x28, 0x00000000)
        .field("TDR", 0, 9, Acc::RW)
        .post_write([this](BusAccess &a, uint32_t, uint32_t now, uint32_t) { transmit(a, now); });
    r.reg("PRESC", 0x2C, 0x00000000).field("PRESCALER", 0, 4, Acc::RW);
    // Looked up once: update_irq() and refresh_status() run after every access.
    cr1_ = &r["CR1"];
    cr2_ = &r["CR2"];
    cr3_ = &r["CR3"];
    isr_ = &r["ISR"];
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
    RegisterDevice::reset();
}

unsigned Stm32Usart::data_bits() const
{
    uint32_t cr1 = cr1_->value;
    unsigned frame = (cr1 & CR1_M1) ? 7 : (cr1 & CR1_M0) ? 9 : 8;
    return (cr1 & CR1_PCE) ? frame - 1 : frame;
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
    const uint32_t cr1 = cr1_->value;
    static const char *const stop[] = {"1", "0.5", "2", "1.5"};
    const char parity = !(cr1 & CR1_PCE) ? 'N' : (cr1 & CR1_PS) ? 'O' : 'E';
    return std::to_string(data_bits()) + parity + stop[regs_["CR2"].get("STOP")];
}

void Stm32Usart::log_enable() const
{
    const uint32_t brr = regs_["BRR"].value;
    const bool over8 = cr1_->value & CR1_OVER8;
    const uint32_t presc = regs_["PRESC"].value & 0xFu;
    const uint64_t ker =
        ctx_.clock_source && !clock_.empty() ? ctx_.clock_source->clock_hz(clock_) : 0;
    const double baud = baud_rate(ker, brr, over8, presc);

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
    line += "BRR " + hex(brr, 1) + ", OVER8 " + (over8 ? "1" : "0") + ")";
    log().verbose_info(line);
}

void Stm32Usart::cr1_written(uint32_t old, uint32_t now)
{
    auto &isr = isr_->value;
    if ((old & CR1_UE) && !(now & CR1_UE)) {
        // RM0399 UE: when cleared, current operations are discarded and all
        // the status flags in USART_ISR are set to their default values.
        isr = regs_["ISR"].reset_value();
        s_.rx.clear();
    }
    if ((old & CR1_UESM) && !(now & CR1_UESM)) {
        isr &= ~ISR_WUF; // RM0399 WUF: "When UESM is cleared, WUF flag is also cleared."
    }
    const bool fifo_was = (old & CR1_UE) && (old & CR1_FIFOEN);
    const bool fifo_is = (now & CR1_UE) && (now & CR1_FIFOEN);
    if (fifo_is && !fifo_was) {
        isr |= ISR_TXFE; // an enabled USART starts with an empty TXFIFO
    }
    if (!(now & CR1_FIFOEN)) {
        isr &= ~ISR_TXFE; // ISR bit 23 is reserved with the FIFO disabled
    }
    if (!(old & CR1_UE) && (now & CR1_UE) && (now & (CR1_TE | CR1_RE))) {
        log_enable();
    }
    refresh_status();
}

size_t Stm32Usart::rx_capacity() const
{
    // RM0399: RXFF is set when the number of received data is the RXFIFO size
    // + 1 (RXFIFO full plus one datum in RDR).  With OVRDIS=1 the RXFIFO is
    // bypassed and data go straight to RDR.
    const bool fifo = (cr1_->value & CR1_FIFOEN) && !(cr3_->value & CR3_OVRDIS);
    return fifo ? kFifoDepth + 1 : 1;
}

void Stm32Usart::refresh_status()
{
    // Flags that follow the state rather than latch an event.
    const uint32_t cr1 = cr1_->value;
    const uint32_t cr3 = cr3_->value;
    auto &isr = isr_->value;
    const bool ue = cr1 & CR1_UE;
    isr &= ~(ISR_TEACK | ISR_REACK | ISR_RXNE | ISR_RXFF | ISR_RXFT | ISR_TXFT);
    // RM0399 TEACK/REACK: set when TE/RE is set with the USART enabled.
    if (ue && (cr1 & CR1_TE)) {
        isr |= ISR_TEACK;
    }
    if (ue && (cr1 & CR1_RE)) {
        isr |= ISR_REACK;
    }
    const size_t level = s_.rx.size();
    if (level) {
        isr |= ISR_RXNE; // RXNE, or RXFNE: RXFIFO not empty
    }
    if (cr1 & CR1_FIFOEN) {
        if (level >= kFifoDepth + 1) {
            isr |= ISR_RXFF;
        }
        // RXFT: RXFTCFG reached, counting the datum in RDR.
        const unsigned rx_t = fifo_threshold((cr3 >> 25) & 7u);
        if (rx_t && level >= rx_t) {
            isr |= ISR_RXFT;
        }
        // TXFT: the TXFIFO holds at least TXFTCFG empty locations; it is
        // always empty here.
        if (ue && fifo_threshold((cr3 >> 29) & 7u)) {
            isr |= ISR_TXFT;
        }
    }
}

bool Stm32Usart::accepts_input() const
{
    const uint32_t cr1 = cr1_->value;
    return (cr1 & CR1_UE) && (cr1 & CR1_RE) && s_.rx.size() < rx_capacity();
}

void Stm32Usart::host_input(uint8_t byte)
{
    const uint32_t cr1 = cr1_->value;
    if (!(cr1 & CR1_UE) || !(cr1 & CR1_RE)) {
        // Nothing samples the RX line with the receiver off.
        AMPVP_TRACE("uart", "host", name() + ": byte " + hex(byte, 2) +
                                        " dropped, receiver disabled (UE=0 or RE=0)");
        return;
    }
    // A start bit: the wake-up event of WUS = 10.
    wakeup_event(WUS_START_BIT);
    // The data bits of the frame; a parity bit (PCE=1) reads as 0.
    const uint16_t data = static_cast<uint16_t>(byte & ((1u << data_bits()) - 1u));
    if (s_.rx.size() < rx_capacity()) {
        s_.rx.push_back(data);
        wakeup_event(WUS_RXNE); // RXNE/RXFNE: the datum is in RDR or the RXFIFO
    } else if (cr3_->value & CR3_OVRDIS) {
        // RM0399 OVRDIS: no ORE; the new data overwrites RDR.
        s_.rx.back() = data;
        wakeup_event(WUS_RXNE);
    } else {
        // RM0399 ORE: set when a received frame finds RDR (RXFIFO) full; the
        // held data are kept, the new frame is lost.
        isr_->value |= ISR_ORE;
        AMPVP_TRACE("uart", "host", name() + ": overrun, byte " + hex(byte, 2) + " lost (ORE)");
    }
    regs_["RDR"].value = s_.rx.front();
    refresh_status();
    update_irq();
}

void Stm32Usart::wakeup_event(uint32_t wus)
{
    // RM0399 WUF: set when the wake-up event selected by CR3.WUS[1:0] is
    // detected; "WUF is usable only when UESM = 1".
    const uint32_t cr1 = cr1_->value;
    if (!(cr1 & CR1_UE) || !(cr1 & CR1_UESM)) {
        return;
    }
    const uint32_t selected = (cr3_->value & CR3_WUS_Msk) >> CR3_WUS_Pos;
    if (selected == WUS_ADDRESS && wus == WUS_START_BIT) {
        log().unimplemented(name() + ".CR3.WUS=00",
                            name() + ": wake-up on address match (CR3.WUS = 00, UESM = 1): "
                                     "address detection is not modelled, WUF is never set");
        return;
    }
    if (selected == wus) {
        isr_->value |= ISR_WUF;
    }
}

uint32_t Stm32Usart::read_rdr()
{
    auto &rdr = regs_["RDR"].value;
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

void Stm32Usart::transmit(BusAccess &a, uint32_t tdr)
{
    uint32_t cr1 = cr1_->value;
    if (!(cr1 & CR1_UE) || !(cr1 & CR1_TE)) {
        log().guest_error(a.core_name, name() + ": write of " + hex(tdr, 2) +
                                           " to TDR while the transmitter is disabled "
                                           "(UE=0 or TE=0): character dropped");
        return;
    }
    // The data bits go to the host; with 9 data bits (M=01, PCE=0) only the
    // low 8 fit a host byte and the 9th is dropped.
    const uint32_t data = tdr & ((1u << data_bits()) - 1u);
    if (ctx_.chars) {
        ctx_.chars->put_char(name(), a, static_cast<uint8_t>(data & 0xff));
    }
    // Transmission completes at once: data register (TXFIFO) empty, transfer complete.
    isr_->value |= ISR_TXE | ISR_TC | ((cr1 & CR1_FIFOEN) ? ISR_TXFE : 0u);
}

void Stm32Usart::update_irq()
{
    // RM0399 "USART interrupt requests": each event flag with its enable bit.
    enum Reg { CR1, CR2, CR3 };
    static const struct {
        uint32_t flags;
        Reg reg;
        uint32_t enable;
    } sources[] = {
        {ISR_TXE, CR1, CR1_TXEIE},      // transmit data register empty / TXFIFO not full
        {ISR_TXFE, CR1, CR1_TXFEIE},    // TXFIFO empty
        {ISR_TXFT, CR3, CR3_TXFTIE},    // TXFIFO threshold reached
        {ISR_CTSIF, CR3, CR3_CTSIE},    // CTS interrupt
        {ISR_TC, CR1, CR1_TCIE},        // transmission complete
        {ISR_TCBGT, CR3, CR3_TCBGTIE},  // transmission complete before guard time
        {ISR_RXNE, CR1, CR1_RXNEIE},    // receive data register / RXFIFO not empty
        {ISR_RXFF, CR1, CR1_RXFFIE},    // RXFIFO full
        {ISR_RXFT, CR3, CR3_RXFTIE},    // RXFIFO threshold reached
        {ISR_ORE, CR1, CR1_RXNEIE},     // overrun error
        {ISR_IDLE, CR1, CR1_IDLEIE},    // idle line
        {ISR_PE, CR1, CR1_PEIE},        // parity error
        {ISR_LBDF, CR2, CR2_LBDIE},     // LIN break
        {ISR_NE | ISR_ORE | ISR_FE | ISR_UDR, CR3, CR3_EIE}, // errors, SPI slave underrun
        {ISR_CMF, CR1, CR1_CMIE},       // character match
        {ISR_RTOF, CR1, CR1_RTOIE},     // receiver timeout
        {ISR_EOBF, CR1, CR1_EOBIE},     // end of block
        {ISR_WUF, CR3, CR3_WUFIE},      // wake-up from low-power mode
    };
    const uint32_t cr[] = {cr1_->value, cr2_->value, cr3_->value};
    const uint32_t isr = isr_->value;
    bool level = false;
    for (const auto &s : sources) {
        level = level || ((isr & s.flags) && (cr[s.reg] & s.enable));
    }
    irq_.set(level);
    wkup_.set(wakeup_request());
}

bool Stm32Usart::wakeup_request() const
{
    // RM0399 USART "Wakeup from low-power mode" (RM0440 37.3.14, same IP): with
    // UESM = 1 the USART raises usart_wkup when an action needing the bus
    // clock is required.  FIFO disabled: RXNE with RXNEIE.  FIFO enabled:
    // RXFIFO not empty (RXFNEIE), RXFIFO full (RXFFIE: "the number of received
    // data corresponds to the RXFIFO size, and the RXFF flag is not set"),
    // TXFIFO empty (TXFEIE), RXFIFO threshold (RXFTIE), TXFIFO threshold
    // (TXFTIE).  Plus the wake-up event flag WUF with WUFIE.
    const uint32_t cr1 = cr1_->value;
    const uint32_t cr3 = cr3_->value;
    const uint32_t isr = isr_->value;
    if (!(cr1 & CR1_UE) || !(cr1 & CR1_UESM)) {
        return false;
    }
    if ((isr & ISR_WUF) && (cr3 & CR3_WUFIE)) {
        return true;
    }
    if (!(cr1 & CR1_FIFOEN)) {
        return (isr & ISR_RXNE) && (cr1 & CR1_RXNEIE);
    }
    return ((isr & ISR_RXNE) && (cr1 & CR1_RXNEIE)) ||                 // RXFNE, RXFNEIE
           (s_.rx.size() >= kFifoDepth && (cr1 & CR1_RXFFIE)) ||        // RXFIFO full
           ((isr & ISR_RXFT) && (cr3 & CR3_RXFTIE)) ||                  // RXFIFO threshold
           ((isr & ISR_TXFE) && (cr1 & CR1_TXFEIE)) ||                  // TXFIFO empty
           ((isr & ISR_TXFT) && (cr3 & CR3_TXFTIE));                    // TXFIFO threshold
}

} // namespace ampvp

AMPVP_MODEL("stm32-usart", ampvp::Stm32Usart)
