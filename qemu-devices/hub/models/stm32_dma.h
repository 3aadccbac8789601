// STM32H7 DMA controller, DMA1 and DMA2 (RM0399 Rev 4, "Direct memory access
// controller (DMA)": "DMA registers", "DMA transactions", "Memory-to-memory
// mode", "Circular mode", "Double-buffer mode", "Programmable data width,
// packing/unpacking, endianness", "Stream configuration procedure", "DMA
// error management").  The register sequences are those of ST's HAL
// (stm32h7xx_hal_dma.c: HAL_DMA_Init, HAL_DMA_Start_IT, HAL_DMA_IRQHandler,
// HAL_DMA_Abort / HAL_DMA_Abort_IT, HAL_DMA_PollForTransfer).
//
// Modelled:
//  - The register table: LISR/HISR (read-only FEIFx, DMEIFx, TEIFx, HTIFx,
//    TCIFx of streams 0-3 / 4-7 at bit offsets 0, 6, 16, 22), LIFCR/HIFCR
//    (writing 1 clears the flag at the same position), and per stream x at
//    0x10 + 0x18 * x: SxCR, SxNDTR, SxPAR, SxM0AR, SxM1AR, SxFCR (reset
//    0x00000021: FIFO empty, threshold 1/2).  HAL clears a stream's flags by
//    writing 0x3F << offset, which includes one reserved bit of LIFCR/HIFCR
//    (1, 7, 17, 23): those bits are accepted silently (RESn fields).
//  - Protection while EN = 1 (RM0399 SxCR, SxNDTR, SxPAR, SxMxAR, SxFCR): only
//    EN and the interrupt enables of SxCR and FEIE of SxFCR change; other
//    writes to those registers are ignored with a guest error.  In
//    double-buffer mode the address register of the memory not in use may be
//    written; writing the one in use (M0AR with CT = 0, M1AR with CT = 1)
//    sets TEIF and disables the stream.
//  - Enabling a stream (EN 0 -> 1) forces what RM0399 says the hardware
//    forces: DIR = 10 (memory-to-memory) sets SxFCR.DMDIS; in direct mode
//    (DMDIS = 0) MSIZE takes PSIZE's value and PINCOS is cleared; DBM = 1
//    sets CIRC.  NDTR = 0 at enable is reloaded with the last value software
//    wrote; if that is 0 too no transfer is served.  Flags of the stream left
//    set, DIR = 11, PSIZE/MSIZE = 11, CIRC or DBM with memory-to-memory are
//    guest errors.
//  - Data: the peripheral port (SxPAR, PSIZE, PINC, PINCOS: +4 per item) and
//    the memory port (SxM0AR, or SxM1AR when CT = 1, MSIZE, MINC) exchange
//    bytes through the stream's FIFO (packing/unpacking, little-endian).
//    NDTR counts peripheral-port items and decrements as each one is moved.
//    Memory-to-memory (DIR = 10): the peripheral port is the source, the
//    memory port the destination, and the transfer starts at once.
//    Peripheral-to-memory (00) and memory-to-peripheral (01): one item per
//    request; numbered inputs 0-7 are the stream request lines dma_str0-7
//    (levels from DMAMUX1's outputs); a stream serves one item per request
//    cycle while its line is high (a USART holds TXE/RXNE high until served).
//    Each item served for a request is a pulse on output "ack<n>" (the
//    acknowledge the DMAMUX channel sees: a request generator counts them).
//  - An access goes to the bytes of a memory (BusMaster::memory) in the view
//    of param "view" (a core name; on the STM32H745 the CM4's, which has no
//    ITCM/DTCM: RM0399's bus matrix gives DMA1/DMA2 no path to the CM7's
//    TCMs), or else, in the Cortex-M Peripheral region 0x40000000-0x5FFFFFFF,
//    through the bus (registers: USART_TDR ...) as the core that enabled the
//    stream, so a console line written by DMA is attributed to that core.
//    Without "view" the enabling core's view is used.
//  - Timing (memory-to-memory): a pass of N items takes N peripheral-port
//    beats plus ceil(N * PSIZE / MSIZE) memory-port beats, one beat per cycle
//    of the DMA's clock (param "clock", default "hclk", the AHB clock
//    rcc_hclk1 of RM0399's D2 domain; 64 MHz if the clock model does not
//    answer): the best case of two AHB master ports with no wait state and no
//    competing master.  Right after EN = 1 the stream reads as busy (EN = 1,
//    NDTR = N, no flag); data, NDTR and HTIF follow the elapsed time: the
//    model moves the items that are due at the half-transfer point, at the
//    end, and whenever a DMA register is accessed, so what software reads
//    (NDTR, flags, the destination bytes) agrees.  Peripheral requests are
//    served one item per 1 + ceil(PSIZE / MSIZE) beats.
//  - End of a pass: TCIF; HTIF once half the items are moved; normal mode:
//    EN cleared, NDTR = 0; circular mode: NDTR reloaded, addresses back to
//    their base; double-buffer mode: also CT toggles and the other memory
//    register is used.  NDT * PSIZE not a multiple of MSIZE: the bytes left in
//    the FIFO are written by bytes (guest error at enable).
//  - Software clearing EN during a transfer stops the stream at once: NDTR
//    keeps the items not moved, what the FIFO holds is written by bytes, and
//    TCIF is set (RM0399: a stream disabled by software signals the end of
//    transfer; HAL_DMA_Abort_IT completes on that TC interrupt).
//  - Bus error (RM0399 "DMA error management"): an address in no memory of
//    the view and outside the Peripheral region (DTCM seen from DMA1, an
//    unmapped area), or a register access the bus faults (ampvp --strict
//    faults on peripherals with no model; without it they read 0 / ignore
//    writes, with the bus's own warning), sets TEIF and clears EN; NDTR keeps
//    the items not moved.
//  - Interrupt outputs "s0".."s7", levels: (TCIF & TCIE) | (HTIF & HTIE) |
//    (TEIF & TEIE) | (DMEIF & DMEIE) | (FEIF & FEIE) of the stream.
// Not modelled: FIFO and direct-mode errors (FEIF/DMEIF are never set: every
// item is moved at once, nothing under/overruns; FEIE/DMEIE are kept for the
// line equation), FIFO threshold timing (FTH stored) and bursts (MBURST/
// PBURST stored; every beat is single), arbitration between streams (PL
// stored: streams never compete, each runs at its own rate), TRBUFF (stored:
// writes complete at once), the peripheral as flow controller (PFCTRL,
// logged), SxFCR.FS always reads 100 (empty), clock gating (RCC_AHB1ENR
// DMAxEN is not checked), the last item of a software disable (EN reads 0 at
// once; the chip finishes the current item first), overlapping source and
// destination in memory-to-memory mode (moved as by memmove per batch).
#pragma once

#include "../regs.h"
#include "dma_master.h"

#include <array>

namespace ampvp {

class Stm32Dma : public RegisterDevice {
public:
    static constexpr unsigned STREAMS = 8;

    // Stream: DMA1/DMA2 (streams, FIFO); Bdma: the BDMA's channel-style
    // registers over the same transfer engine (see Stm32Bdma).
    enum class Kind { Stream, Bdma };
    explicit Stm32Dma(const std::string &name, Kind kind = Kind::Stream);
    void configure(const std::map<std::string, std::string> &params,
                   const std::vector<std::string> &core_names) override;
    uint32_t read(BusAccess &a) override;
    void write(BusAccess &a, uint32_t value) override;
    void reset() override;
    // Input n (0-7): stream n's request line (dma_strn), a level.  Input
    // CLOCK_OFF: high while the controller's clock is stopped (RCC); input
    // MEM_CLOCK_OFF + i: high while area i of param "gated" has no clock.
    static constexpr unsigned CLOCK_OFF = 16, MEM_CLOCK_OFF = 17;
    void input(unsigned n, bool level) override;
    void timer_fired(unsigned tag) override; // tag: the stream

protected:
    void update_irq() override;

private:
    // RM0399 SxCR.DIR.
    enum : uint32_t { DIR_P2M = 0, DIR_M2P = 1, DIR_M2M = 2, DIR_RESERVED = 3 };

    // One port of a stream for the current pass: its base, item size and
    // address step (0: fixed address).
    struct Port {
        uint64_t base = 0;
        unsigned size = 1;
        unsigned step = 0;
    };

    // Mutable state of one stream beyond its registers.
    struct StreamState {
        bool request = false;         // dma_strx input level
        bool running = false;         // enabled with items to move
        bool service_pending = false; // a request cycle is scheduled
        bool half = false;            // HTIF given in this pass
        uint32_t programmed = 0;      // last NDT written by software
        uint32_t dir = DIR_P2M;
        uint32_t total = 0;           // items of the pass
        uint32_t done = 0;            // peripheral-port items moved in this pass
        uint64_t mem_units = 0;       // memory-port items moved in this pass
        Port per, mem;
        uint8_t fifo[8] = {};         // bytes read, not yet written
        unsigned fifo_n = 0;
        uint64_t t0 = 0, t_end = 0;   // memory-to-memory pass: start, end (ns)
        CoreId initiator = 0;         // the core that set EN
        std::string initiator_name;
        bool said_gated = false;      // the "no clock" guest error went out for this pass
    };
    struct State {
        std::array<StreamState, STREAMS> s;
        bool clock_off = false;       // CLOCK_OFF: nothing moves
    };

    // A stream's registers and fields, declared once in the constructor.
    struct Stream {
        Register *cr = nullptr, *ndtr = nullptr, *par = nullptr, *m0ar = nullptr,
                 *m1ar = nullptr, *fcr = nullptr;
        FieldRef en, dmeie, teie, htie, tcie, pfctrl, dir, circ, pinc, minc, psize, msize,
            pincos, pl, dbm, ct, trbuff, pburst, mburst;  // SxCR
        FieldRef ndt;                                     // SxNDTR
        FieldRef fth, dmdis, fs, feie;                    // SxFCR
        FieldRef feif, dmeif, teif, htif, tcif;           // LISR / HISR
        FieldRef mem2mem, gif;                            // BDMA only
        uint32_t flags = 0;  // the stream's five flags in its ISR
        IrqLine *irq = nullptr;
        IrqLine *ack = nullptr; // a pulse per peripheral request served
    };
    void served(unsigned s); // one item moved for a peripheral request

    void declare_stream(unsigned s);
    void declare_bdma();
    Register::PreWriteHook cr_guard(unsigned s);
    Register::PostWriteHook cr_enable(unsigned s);
    Register::PreWriteHook protect(unsigned s, const char *reg);
    Register::PostWriteHook ndt_programmed(unsigned s);
    Register::PreWriteHook mxar_guard(unsigned s, unsigned m);
    void update_gif();
    uint32_t direction(unsigned s) const;
    void start(unsigned s, const BusAccess &a);
    void stop_by_software(unsigned s);
    void bus_error(unsigned s, const char *what, uint64_t addr);
    void complete(unsigned s);
    void progress(unsigned s);
    void advance(unsigned s, uint64_t now);
    void advance_all();
    void schedule_m2m(unsigned s);
    void schedule_service(unsigned s);
    bool move_items(unsigned s, uint32_t n);
    bool move_one(unsigned s);
    void flush_fifo(unsigned s);
    bool port_read(unsigned s, uint64_t addr, unsigned size, uint32_t &v);
    bool port_write(unsigned s, uint64_t addr, unsigned size, uint32_t v);
    uint8_t *mem(unsigned s, uint64_t addr, uint64_t len);
    uint64_t duration_ns(unsigned s, uint64_t items);
    uint64_t now() const;
    void cancel(unsigned s);
    void set_clock_off(bool off);
    bool gated_access(unsigned s, uint64_t addr, unsigned size, const char *what);
    std::string sname(unsigned s) const;

    State st_;
    std::array<Stream, STREAMS> str_;
    Register *isr_[2] = {nullptr, nullptr};
    Kind kind_;
    dma::Master bus_;
    dma::Clock clock_;
};

// STM32H7 basic DMA controller, BDMA (RM0399 Rev 4, "Basic direct memory
// access controller (BDMA)"), in the D3 domain, driven by ST's HAL through the
// same stm32h7xx_hal_dma.c paths (BDMA_Channel_TypeDef branch).  Modelled
// with the DMA1/DMA2 engine above and RM0399's differences:
//  - Registers: ISR (0x00; GIFx, TCIFx, HTIFx, TEIFx at 4x..4x+3, read-only;
//    GIFx = TCIFx | HTIFx | TEIFx), IFCR (0x04; CGIFx clears the channel's
//    four flags, CTCIFx/CHTIFx/CTEIFx one each), per channel x at
//    0x08 + 0x14 * x: CCR (EN, TCIE, HTIE, TEIE, DIR, CIRC, PINC, MINC, PSIZE,
//    MSIZE, PL, MEM2MEM, DBM, CT), CNDTR, CPAR, CM0AR, CM1AR.
//  - Direction: MEM2MEM = 1 starts at once (CPAR the source, CM0AR the
//    destination, as HAL programs DMA_MEMORY_TO_MEMORY); otherwise DIR = 0
//    reads the peripheral, DIR = 1 the memory, one item per request
//    (inputs 0-7: DMAMUX2 channels 0-7).
//  - No FIFO: an item read at PSIZE (MSIZE) is written at MSIZE (PSIZE),
//    zero-extended or truncated to its low bytes; one read and one write beat
//    per item.  Disabling a channel by software stops it without a flag.
//  - Reach (param "reach"): RM0399's bus matrix gives the BDMA the D3 domain
//    only: SRAM4, the backup SRAM and the D3 peripherals; any other address
//    is a bus error (TEIFx, channel disabled), as for DMA1/DMA2.
//  - Clocks (RM0399 RCC_D3AMR, the machine wires the RCC's "ck_off.*"):
//    while input CLOCK_OFF is high (the BDMA's clock stopped: its CPU in
//    CStop without BDMAAMEN, or D3 in DStop) no request is served and a
//    memory-to-memory pass stands still; both go on where they stopped when
//    the clock returns.  An item whose source or destination lies in an area
//    of param "gated" whose clock is stopped (SRAM4 without SRAM4AMEN, the
//    backup SRAM without BKPRAMAMEN): RM0399 does not support accesses to a
//    block without its clock: a guest error, the item reads as 0 / is not
//    written, the transfer goes on.
// Not modelled: MEM2MEM with DIR = 1 (logged, no transfer), CNDTR = 0 at
// enable (no reload: nothing moves), the rest as for DMA1/DMA2 above.
class Stm32Bdma : public Stm32Dma {
public:
    explicit Stm32Bdma(const std::string &name) : Stm32Dma(name, Kind::Bdma) {}
};

} // namespace ampvp
