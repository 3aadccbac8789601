// STM32H7 Chrom-Art Accelerator controller, DMA2D (RM0399 Rev 4, "Chrom-Art
// Accelerator controller (DMA2D)": "DMA2D functional description" (transfer
// modes, foreground/background/output PFC, blender, output FIFO, transfer
// control, watermark, error management), "DMA2D interrupts", "DMA2D
// registers").  The register sequences are those of ST's HAL
// (stm32h7xx_hal_dma2d.c: HAL_DMA2D_Init, HAL_DMA2D_ConfigLayer,
// DMA2D_SetConfig, HAL_DMA2D_Start / Start_IT / BlendingStart_IT,
// HAL_DMA2D_PollForTransfer, HAL_DMA2D_IRQHandler, HAL_DMA2D_Abort) as ST's
// DMA2D examples for the STM32H747I-DISCO use them.
//
// Modelled:
//  - The register table: CR, ISR (read-only), IFCR (write 1 to clear), FGMAR,
//    FGOR, BGMAR, BGOR, FGPFCCR, FGCOLR, BGPFCCR, BGCOLR, FGCMAR, BGCMAR,
//    OPFCCR, OCOLR, OMAR, OOR, NLR, LWR, AMTCR (0x00-0x4C).
//  - Modes (CR.MODE): 000 memory-to-memory (foreground copied, no
//    conversion), 001 memory-to-memory with pixel-format conversion, 010
//    memory-to-memory with blending, 011 register-to-memory (OCOLR, already
//    in the output format, fills the area), 100 / 101 blending with a fixed
//    foreground (FGCOLR) / background (BGCOLR) colour.
//  - Pixel formats: input ARGB8888, RGB888, RGB565, ARGB1555, ARGB4444
//    (colour channels widened by bit replication: 5 bits v -> v << 3 | v >> 2,
//    6 bits v -> v << 2 | v >> 4, 4 bits v -> v * 17, alpha 1 bit -> 0 / 255);
//    output ARGB8888, RGB888, RGB565, ARGB1555, ARGB4444 (channels truncated
//    to their width).  Alpha mode AM (00 keep, 01 replace by ALPHA, 10
//    multiply by ALPHA / 255), alpha inversion AI and red/blue swap RBS on the
//    layers and the output; OPFCCR.SB swaps the bytes of 16-bit outputs.
//  - Blending as RM0399 gives it: aM = aFG * aBG / 255, aOUT = aFG + aBG - aM,
//    C = (CFG * aFG + CBG * aBG - CBG * aM) / aOUT (integer division; the last
//    bit may differ from the chip's rounding).
//  - Geometry: NLR (PL pixels per line, NL lines), line offsets FGOR/BGOR/OOR
//    in pixels (CR.LOM = 0) or bytes (LOM = 1) added after each line.
//  - Transfer control: START starts; at the end START is cleared by hardware
//    and TCIF set; TWIF when the line LWR has been written; ABORT stops the
//    transfer (START and ABORT read 0 afterwards, no flag).
//  - Errors: CEIF (configuration error, nothing transferred) for a reserved
//    MODE, a reserved or CLUT-based colour mode the model does not convert
//    (see below), a memory address not aligned on its pixel size; TEIF
//    (transfer error, transfer stopped) for an address with nothing behind it.
//  - Interrupt output "irq": ISR flags AND their enables (CR.TEIE ... CEIE),
//    DMA2D_IRQn 90 on both cores.
//  - Time: one cycle of the DMA2D's clock (param "clock", default "hclk") per
//    pixel written, plus one per pixel read from each memory layer, no wait
//    state; data, flags and START follow the elapsed time line by line.
// Not modelled: CLUT-based input modes L8, AL44, AL88, L4, A8, A4 and YCbCr
// (a configuration error here, logged as unimplemented), CLUT loading
// (FGPFCCR/BGPFCCR.START, CCM, CS; CLUT memories at 0x400-0xBFF: CAEIF and
// CTCIF are never set), suspend (CR.SUSP, logged), dead time (AMTCR stored),
// chroma subsampling (CSS stored), NLR counting down during the transfer
// (it keeps its programmed value), clock gating (RCC_AHB3ENR.DMA2DEN not
// checked).
#pragma once

#include "../regs.h"
#include "dma_master.h"

namespace ampvp {

class Stm32Dma2d : public RegisterDevice {
public:
    explicit Stm32Dma2d(const std::string &name);
    void configure(const std::map<std::string, std::string> &params,
                   const std::vector<std::string> &core_names) override;
    uint32_t read(BusAccess &a) override;
    void write(BusAccess &a, uint32_t value) override;
    void reset() override;
    void timer_fired(unsigned tag) override;

protected:
    void update_irq() override;

private:
    // A memory layer (foreground, background) or the output as the transfer
    // uses it.
    struct Plane {
        uint32_t base = 0;
        uint32_t cm = 0;      // colour mode
        uint32_t bpp = 4;     // bytes per pixel
        uint32_t stride = 0;  // bytes from a line to the next
    };
    struct State {
        bool running = false;
        uint32_t line = 0;        // lines written so far
        uint64_t t_done = 0;      // time at which they were done (ns)
        CoreId initiator = 0;
        std::string initiator_name;
        Plane fg, bg, out;
    };
    // A layer's pixel-format register (FGPFCCR / BGPFCCR).
    struct Layer {
        Register *mar = nullptr, *pfccr = nullptr, *colr = nullptr;
        FieldRef lo, cm, am, ai, rbs, alpha;
    };

    void start(const BusAccess &a);
    bool configure_plane(Plane &p, uint32_t mar, uint32_t cm, uint32_t lo, bool input,
                         const char *what);
    void advance(uint64_t t);
    bool move_line();
    bool read_pixel(const Layer &l, const Plane &p, uint64_t addr, uint32_t &argb);
    uint32_t layer_pixel(const Layer &l, uint32_t argb) const;
    uint64_t line_ns();
    void stop();
    void config_error(const std::string &what);
    uint64_t now() const;

    State st_;
    Layer fg_, bg_;
    Register *cr_ = nullptr, *isr_ = nullptr, *opfccr_ = nullptr, *ocolr_ = nullptr,
             *omar_ = nullptr, *nlr_ = nullptr, *lwr_ = nullptr;
    FieldRef start_, abort_, lom_, mode_;
    FieldRef teif_, tcif_, twif_, ceif_;
    FieldRef ocm_, osb_, oai_, orbs_, oolo_, nl_, pl_;
    IrqLine *irq_ = nullptr;
    dma::Master bus_;
    dma::Clock clock_;
};

} // namespace ampvp
