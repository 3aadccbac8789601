// STM32H7 DMA request multiplexer DMAMUX1 (RM0399 Rev 4, "DMA request
// multiplexer (DMAMUX)": "DMAMUX registers", "DMAMUX request line
// multiplexer", "DMAMUX1 implementation").  The register sequences are those
// of ST's HAL (stm32h7xx_hal_dma.c: HAL_DMA_Init writes CxCR = request,
// clears CSR through CFR; HAL_DMA_Start_IT / HAL_DMA_Abort).
//
// Modelled:
//  - The register table: C0CR..C15CR (0x00-0x3C: DMAREQ_ID[7:0], SOIE, EGE,
//    SE, SPOL, NBREQ, SYNC_ID), CSR (0x80, SOFx, read-only), CFR (0x84, CSOFx
//    write 1 to clear), RG0CR..RG7CR (0x100-0x11C: SIG_ID, OIE, GE, GPOL,
//    GNBREQ), RGSR (0x140, OFx, read-only), RGCFR (0x144, COFx write 1 to
//    clear).
//  - The request line multiplexer: numbered input n is request line n
//    (dmamux1_req_in n, a level; RM0399's DMAMUX1 table: 1-8 the request
//    generators, 9 ADC1 ... 45 USART3_RX, 46 USART3_TX ...).  Output
//    "req_out<c>" (c = 0..15) is the level of the line channel c's DMAREQ_ID
//    selects (0: none, the value HAL writes for memory-to-memory).  RM0399:
//    DMAMUX1 channels 0-7 drive DMA1 streams 0-7, channels 8-15 DMA2 streams
//    0-7 (the machine description wires them).
//  - Output "ovr" (DMAMUX1_OVR): OR of CSR.SOFx & CxCR.SOIE and RGSR.OFx &
//    RGxCR.OIE.
//  - The request generators (RM0399 "DMAMUX request generator"): generator
//    g drives request line g + 1 (dmamux_req_gen g).  Numbered input 256 + k
//    is trigger input k (dmamux_trg k; DMAMUX2: 7 LPUART1 RX wake-up, 8
//    LPUART1 TX wake-up, as ST's HAL_DMAMUX2_REQ_GEN_* numbers them).  With
//    RGxCR.GE = 1, an edge GPOL selects (01 rising, 10 falling, 11 both) on
//    trigger SIG_ID starts GNBREQ + 1 requests: the line stays high until the
//    DMA has served that many, counted on input 512 + c (a pulse: the
//    acknowledge of the DMA stream/channel channel c drives, its "ack"
//    output) for the channel whose DMAREQ_ID selects the line.  A trigger
//    edge while requests are still due sets RGSR.OFx (trigger overrun; the
//    edge is otherwise ignored) and, with OIE, raises "ovr".  Clearing GE
//    stops the generator (its line falls).
//  - Event generation (RM0399 "DMAMUX request line multiplexer", CxCR.EGE
//    and NBREQ: "the number of DMA requests ... before an output event is
//    generated"): with EGE = 1, channel c counts the requests the DMA serves
//    on it (its acknowledges) and pulses output "evt<c>" (dmamux_evtc) at
//    every NBREQ + 1st, then counts again; setting EGE starts the count.
//    NBREQ "shall only be written when both SE and EGE are low": a write
//    changing it while either is set is a guest error (the new value is
//    kept).  DMAMUX2's evt6 / evt7 are EXTI D3 pendclear sources.
// Not modelled: synchronization (SE, logged; SPOL, SYNC_ID stored): SOFx is
// never set.  Clock gating is not checked (DMAMUX2 runs with the BDMA's
// clock; its request generators see their triggers at once, and the BDMA
// serves their requests only while its own clock runs).
#pragma once

#include "../regs.h"

#include <array>
#include <vector>

namespace ampvp {

class Stm32h7Dmamux : public RegisterDevice {
public:
    static constexpr unsigned CHANNELS = 16;
    static constexpr unsigned GENERATORS = 8;
    static constexpr unsigned REQUEST_LINES = 256; // DMAREQ_ID is 8 bits

    // `channels`: 16 for DMAMUX1, 8 for DMAMUX2 (RM0399 "DMAMUX2 implementation").
    explicit Stm32h7Dmamux(const std::string &name, unsigned channels = CHANNELS);
    void reset() override;
    // Input n < 256: request line n (a level); 256 + k: request generator
    // trigger input k; 512 + c: the DMA's acknowledge for channel c (pulse).
    static constexpr unsigned TRIGGER_BASE = 256, TRIGGERS = 32, ACK_BASE = 512;
    void input(unsigned n, bool level) override;

protected:
    void update_irq() override;

private:
    struct State {
        std::array<bool, REQUEST_LINES> request{}; // input levels
        std::array<bool, TRIGGERS> trigger{};      // trigger input levels
        std::array<unsigned, GENERATORS> due{};    // requests a generator still owes
        std::array<unsigned, CHANNELS> to_event{}; // EGE: requests left before the next event
    };
    void trigger_edge(unsigned k, bool rising);
    void acknowledged(unsigned c);
    struct Channel {
        Register *cr = nullptr;
        FieldRef dmareq_id, soie, ege, se, nbreq;
        FieldRef sof; // in CSR
        IrqLine *out = nullptr;
        IrqLine *evt = nullptr; // dmamux_evt<c>
    };
    struct Generator {
        Register *cr = nullptr;
        FieldRef sig_id, oie, ge, gpol, gnbreq;
        FieldRef of; // in RGSR
    };

    State st_;
    std::vector<Channel> ch_;
    std::array<Generator, GENERATORS> gen_;
    Register *csr_ = nullptr, *rgsr_ = nullptr;
    IrqLine *ovr_ = nullptr;
};

// DMAMUX2 (RM0399 "DMAMUX2 implementation"): the same block with 8 channels
// driving BDMA channels 0-7 and 8 request generators; request lines by
// DMAREQ_ID from RM0399's DMAMUX2 table.  The "ovr" output is DMAMUX2_OVR.
class Stm32h7Dmamux2 : public Stm32h7Dmamux {
public:
    explicit Stm32h7Dmamux2(const std::string &name) : Stm32h7Dmamux(name, 8) {}
};

} // namespace ampvp
