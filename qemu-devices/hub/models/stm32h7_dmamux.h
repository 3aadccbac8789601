// STM32H7 DMA request multiplexers DMAMUX1 and DMAMUX2 (RM0399 Rev 4, "DMA
// request multiplexer (DMAMUX)": "DMAMUX registers", "DMAMUX request line
// multiplexer", "DMAMUX request generator", "DMAMUX1 implementation",
// "DMAMUX2 implementation").  The register sequences are those of ST's HAL
// (stm32h7xx_hal_dma.c: HAL_DMA_Init writes CxCR = request, clears CSR through
// CFR, and for a generator request RGxCR = 0 and RGCFR; HAL_DMA_Start_IT sets
// CxCR.SOIE when SE is set and RGxCR.OIE for a generator;
// stm32h7xx_hal_dma_ex.c: HAL_DMAEx_ConfigMuxSync, HAL_DMAEx_ConfigMuxRequest
// Generator, HAL_DMAEx_EnableMuxRequestGenerator, HAL_DMAEx_MUX_IRQHandler).
// One model serves both: DMAMUX1 (16 channels, DMA1/DMA2) and DMAMUX2 (8
// channels, BDMA); what differs is wiring (machine description).
//
// Modelled:
//  - The register table: C0CR..C15CR (0x00-0x3C: DMAREQ_ID[7:0], SOIE, EGE,
//    SE, SPOL, NBREQ, SYNC_ID), CSR (0x80, SOFx, read-only), CFR (0x84, CSOFx
//    write 1 to clear), RG0CR..RG7CR (0x100-0x11C: SIG_ID, OIE, GE, GPOL,
//    GNBREQ), RGSR (0x140, OFx, read-only), RGCFR (0x144, COFx write 1 to
//    clear).
//  - Request lines: numbered input n < 256 is request line n (dmamux_req_in n,
//    a level; RM0399's DMAMUX1 table: 1-8 the request generators, 9 ADC1 ...
//    23 TIM3_CH1 ... 45 USART3_RX, 46 USART3_TX ...).  Output "req_out<c>"
//    (c = 0..15) is channel c's request to its DMA stream/channel: the line
//    its DMAREQ_ID selects (0: none, the value HAL writes for memory-to-
//    memory), gated by synchronization (below).  The DMA's acknowledge of
//    channel c comes back on input 512 + c (a pulse: the "ack" output of the
//    stream/channel c drives); RM0399 "DMAMUX request line multiplexer": the
//    request/acknowledge pair is routed both ways, so the acknowledge goes on
//    to the peripheral whose line the channel selects, output "req_ack<n>"
//    (n = 9..255; a timer drops its DMA request on it).
//  - Request generators: generator g drives request line g + 1.  Numbered
//    input 256 + k is trigger input k (dmamux_trg k).  With RGxCR.GE = 1, an
//    edge GPOL selects (01 rising, 10 falling, 11 both) on trigger SIG_ID
//    starts GNBREQ + 1 requests: the line stays high until the DMA has served
//    that many (acknowledges of the channel whose DMAREQ_ID selects the line).
//    A trigger edge while requests are still due sets RGSR.OFx (trigger
//    overrun; the edge is otherwise ignored).  Clearing GE stops the
//    generator (its line falls).
//  - Synchronization (CxCR.SE = 1): numbered input 768 + k is synchronization
//    input k (dmamux_syncx).  An edge SPOL selects on input SYNC_ID, while the
//    selected request line is pending, opens the channel for NBREQ + 1
//    requests; the channel forwards nothing otherwise.  An edge with no
//    pending request is discarded; one while the channel is still open (its
//    request counter has not underrun) sets CSR.SOFx.
//  - Event generation (CxCR.EGE = 1): the request counter (NBREQ, reloaded
//    when it underruns and whenever CxCR's configuration is written) counts
//    the requests served; at its underrun output "evt<c>" pulses
//    (dmamux_evtx: the machine routes DMAMUX1 events 0-2 and DMAMUX2 events
//    0-6 back to their trigger and synchronization inputs 0-2 / 0-6).
//  - Trigger and synchronization inputs take levels or waveforms (a PWM such
//    as an LPTIM output is one periodic signal): every edge of a periodic
//    input that an enabled generator or synchronized channel waits for is
//    found at its time (a deadline per edge, none while nobody waits).
//  - Output "ovr" (DMAMUXx_OVR): OR of CSR.SOFx & CxCR.SOIE and RGSR.OFx &
//    RGxCR.OIE.
// Not modelled: the two-AHB-cycle stability of trigger and synchronization
// edges and the three cycles they are masked after a CxCR/RGxCR write (every
// edge counts at once); clock gating is not checked.
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
    void write(BusAccess &a, uint32_t value) override;
    // Input n < 256: request line n (a level); 256 + k: request generator
    // trigger input k; 512 + c: the DMA's acknowledge for channel c (pulse);
    // 768 + k: synchronization input k.
    static constexpr unsigned TRIGGER_BASE = 256, TRIGGERS = 32, ACK_BASE = 512;
    static constexpr unsigned SYNC_BASE = 768, SYNCS = 32;
    void input(unsigned n, bool level) override;
    void input_wave(unsigned n, const Waveform &w) override;
    void timer_fired(unsigned tag) override; // tag: the signal (trigger k, or TRIGGERS + sync k)

protected:
    void update_irq() override;

private:
    // A trigger or synchronization input: its signal, and the time up to
    // which its edges have been handled.
    struct Signal {
        Waveform w;
        uint64_t seen = 0;
    };
    // A channel's request counter (synchronization and event generation).
    struct Counter {
        bool open = false;  // synchronization: forwarding after an event
        uint32_t left = 0;  // requests before the underrun
    };
    struct State {
        std::array<bool, REQUEST_LINES> request{}; // input levels
        std::array<Signal, TRIGGERS + SYNCS> sig{}; // triggers, then synchronization inputs
        std::array<unsigned, GENERATORS> due{};    // requests a generator still owes
        std::array<Counter, CHANNELS> cnt{};
    };
    struct Channel {
        Register *cr = nullptr;
        FieldRef dmareq_id, soie, ege, se, spol, nbreq, sync_id;
        FieldRef sof; // in CSR
        IrqLine *out = nullptr, *evt = nullptr;
    };
    struct Generator {
        Register *cr = nullptr;
        FieldRef sig_id, oie, ge, gpol, gnbreq;
        FieldRef of; // in RGSR
    };

    uint64_t now() const;
    bool pending(unsigned c) const; // the line channel c selects is requesting
    uint32_t wanted_edges(unsigned s) const; // 1 rising, 2 falling: who waits on signal s
    void signal_edge(unsigned s, bool rising);
    void catch_up(unsigned s, uint64_t t);
    void schedule(unsigned s);
    void trigger_edge(unsigned k, bool rising);
    void sync_edge(unsigned k, bool rising);
    void acknowledged(unsigned c);

    State st_;
    std::vector<Channel> ch_;
    std::array<Generator, GENERATORS> gen_;
    std::vector<IrqLine *> req_ack_; // by request line (nullptr: none)
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
