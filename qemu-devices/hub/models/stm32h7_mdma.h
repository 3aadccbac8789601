// STM32H7 master direct memory access controller, MDMA (RM0399 Rev 4,
// "Master direct memory access controller (MDMA)": "MDMA functional
// description" (channel transfer, block / repeated block / buffer transfer,
// linked list), "MDMA interrupts", "MDMA registers").  The register sequences
// are those of ST's HAL (stm32h7xx_hal_mdma.c: HAL_MDMA_Init, HAL_MDMA_Start_IT,
// HAL_MDMA_LinkedList_CreateNode / AddNode, HAL_MDMA_IRQHandler,
// HAL_MDMA_Abort, HAL_MDMA_PollForTransfer) as ST's MDMA examples use them
// (MDMA_LinkedList, MDMA_RepeatBlock_*).
//
// Modelled:
//  - The register table: GISR0 (0x00, GIFx read-only), per channel x at
//    0x40 + 0x40 * x: CxISR (TEIF, CTCIF, BRTIF, BTIF, TCIF, CRQA; read-only),
//    CxIFCR (write 1 to clear: CTEIF, CCTCIF, CBRTIF, CBTIF, CLTCIF; clearing
//    TEIF also clears CxESR), CxESR (TEA, TED, TELD, TEMD, ASE, BSE;
//    read-only), CxCR (EN, TEIE, CTCIE, BRTIE, BTIE, TCIE, PL, BEX, HEX, WEX,
//    SWRQ write-only), CxTCR, CxBNDTR, CxSAR, CxDAR, CxBRUR, CxLAR, CxTBR,
//    CxMAR, CxMDR.  With EN = 1 only the interrupt enables, EN and SWRQ of
//    CxCR change; writes to the other configuration registers are ignored
//    with a guest error (RM0399: "protected, can be written only if EN is 0").
//  - Software requests (CxTCR.SWRM = 1): SWRQ with EN = 1 sets CRQA and
//    starts the amount TRGM selects: 00 one buffer (TLEN + 1 bytes), 01 one
//    block (BNDT bytes), 10 the repeated block (BRC + 1 blocks), 11 the whole
//    channel transfer including the linked list.  CRQA clears when it is done.
//  - Data: bytes go from the source (CxSAR, SSIZE items, SINC: fixed,
//    + or - the SINCOS size per item) to the destination (CxDAR, DSIZE, DINC,
//    DINCOS) as a byte stream (PKE = 1, or equal sizes).  CxSAR, CxDAR and
//    BNDT follow the transfer; at the end of a block BNDT is reloaded with
//    the value software (or the node) programmed, BRC decrements and CxSAR /
//    CxDAR move by SUV / DUV (subtracted when BRSUM / BRDUM is set).
//  - Flags: TCIF at the end of each buffer transfer (and of the last, short
//    one of a block), BTIF at the end of each block, BRTIF at the end of the
//    repeated block (BRC = 0).  Then, CxLAR != 0: the next node is loaded from
//    memory (CTCR, CBNDTR, CSAR, CDAR, CBRUR, CLAR, CTBR, reserved, CMAR, CMDR
//    at +0x00..+0x24 of LAR: the layout HAL_MDMA_LinkedList_CreateNode fills);
//    CxLAR = 0: CTCIF, EN cleared by hardware.
//  - Software clearing EN suspends the channel: the data due so far is moved,
//    CxSAR/CxDAR/CxBNDTR show where it stopped, CTCIF is set ("CTC is also set
//    when the channel is suspended, as a result of writing EN bit to 0").
//  - Errors, TEIF set and EN cleared: BNDT not a multiple of SSIZE or DSIZE
//    (BSE), CxSAR/CxDAR not aligned on SSIZE/DSIZE (ASE), a source or
//    destination address with nothing behind it (TEA = the address's 7 low
//    bits, TED = 1 for a write), a node address that cannot be read (TELD).
//  - Interrupt output "irq": GISR0.GIFx = CxISR flags AND their enables, ORed
//    over the channels (MDMA_IRQn, 122 on both cores).
//  - Time: one cycle of the MDMA's clock (param "clock", default "hclk") per
//    source item read and per destination item written, no wait state, no
//    competing master; the data, registers and flags follow the elapsed time
//    buffer by buffer (brought up to date at each MDMA register access and
//    at the interrupt-worthy boundaries).  Memories are those of param "view"
//    (the CM7's: the MDMA reaches the TCMs through the CM7's AHBS port).
// Not modelled: hardware requests (SWRM = 0: TSEL, the peripheral triggers,
// CxMAR/CxMDR post-request writes; logged as unimplemented at EN, the channel
// waits for a software request that HAL never sends), PKE = 0 with different
// sizes (PAM padding/truncation: moved as if packed, logged), endianness
// exchange (BEX/HEX/WEX, logged), bursts (SBURST/DBURST stored), priorities
// and arbitration between channels (PL stored), SBUS/DBUS (stored: every
// memory of the view is reached either way), the buffer-transfer TCIF when a
// hardware request would matter, clock gating (RCC_AHB3ENR.MDMAEN not
// checked), the TEMD mask-data error.
#pragma once

#include "../regs.h"
#include "dma_master.h"

#include <array>

namespace ampvp {

class Stm32h7Mdma : public RegisterDevice {
public:
    static constexpr unsigned CHANNELS = 16;

    explicit Stm32h7Mdma(const std::string &name);
    void configure(const std::map<std::string, std::string> &params,
                   const std::vector<std::string> &core_names) override;
    uint32_t read(BusAccess &a) override;
    void write(BusAccess &a, uint32_t value) override;
    void reset() override;
    void timer_fired(unsigned tag) override; // tag: the channel

protected:
    void update_irq() override;

private:
    // A channel's registers and fields, declared once in the constructor.
    struct Channel {
        Register *isr = nullptr, *ifcr = nullptr, *esr = nullptr, *cr = nullptr, *tcr = nullptr,
                 *bndtr = nullptr, *sar = nullptr, *dar = nullptr, *brur = nullptr, *lar = nullptr,
                 *tbr = nullptr, *mar = nullptr, *mdr = nullptr;
        FieldRef teif, ctcif, brtif, btif, tcif, crqa;                         // CxISR
        FieldRef tea, ted, teld, asee, bse;                                   // CxESR
        FieldRef en, teie, ctcie, brtie, btie, tcie;                          // CxCR
        FieldRef sinc, dinc, ssize, dsize, sincos, dincos, tlen, pke, trgm, swrm; // CxTCR
        FieldRef bndt, brsum, brdum, brc;                                     // CxBNDTR
        FieldRef suv, duv;                                                    // CxBRUR
    };
    // Mutable state of one channel beyond its registers.
    struct ChannelState {
        bool active = false;      // a request is being served (CRQA)
        uint32_t trgm = 0;        // what the request moves (TRGM at its start)
        uint32_t block = 0;       // BNDT as programmed (reloaded per block)
        uint64_t t_done = 0;      // time at which the data moved so far was done (ns)
        CoreId initiator = 0;     // the core that set SWRQ
        std::string initiator_name;
    };
    struct State {
        std::array<ChannelState, CHANNELS> c;
    };

    void declare_channel(unsigned c);
    void enable(unsigned c, const BusAccess &a);
    void request(unsigned c, const BusAccess &a);
    void suspend(unsigned c);
    bool check(unsigned c);
    void error(unsigned c, const std::string &what);
    void advance(unsigned c, uint64_t t);
    void advance_all();
    void schedule(unsigned c);
    uint32_t buffer_bytes(unsigned c) const;
    uint64_t buffer_ns(unsigned c, uint32_t bytes);
    bool move_buffer(unsigned c, uint32_t bytes);
    bool end_of_buffer(unsigned c); // false: the request is over
    bool load_node(unsigned c);
    void finish_request(unsigned c, bool channel_done);
    uint64_t now() const;
    std::string cname(unsigned c) const;

    State st_;
    std::array<Channel, CHANNELS> ch_;
    Register *gisr_ = nullptr;
    IrqLine *irq_ = nullptr;
    dma::Master bus_;
    dma::Clock clock_;
};

} // namespace ampvp
