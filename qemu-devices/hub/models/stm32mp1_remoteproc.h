// The STM32MP15's Cortex-A7 as Linux plays it for the Cortex-M4: a remoteproc
// master with RPMsg over IPCC, built into the hub.  It plays the core the
// machine description declares with "cpu": "host" (IPCC processor 1).
//
// What it does, in Linux's order (drivers/remoteproc/stm32_rproc.c,
// remoteproc_core.c, remoteproc_virtio.c, drivers/rpmsg/virtio_rpmsg_bus.c,
// drivers/mailbox/stm32-ipcc.c, drivers/tty/rpmsg_tty.c):
//  1. Once the cores are at the start barrier, takes the .resource_table
//     section of the remote core's ELF (the hub has loaded its segments by
//     physical address, as Linux does), checks it as Linux does (rpmsg.h),
//     gives each vdev vring the device-tree carve-out address when the
//     firmware asks for any (da 0xFFFFFFFF: vdev0vring0 / vdev0vring1),
//     checks that vrings and the trace buffer lie in the remote's memory, and
//     writes the processed table at the section's address.
//  2. Zeroes the vrings, posts the receive half of the vdev0buffer carve-out
//     (16 x 512 bytes for 16-entry vrings) on vring0, sets NO_INTERRUPT on
//     vring1, releases the M4 (RCC MP_GCR.BOOT_MCU, the hold-boot bit), grants
//     the features it supports (name service) and sets the vdev status to
//     DRIVER_OK, then kicks vring0 (IPCC channel 1).
//  3. IPCC as Linux's stm32-ipcc driver drives processor 1's registers: RX
//     interrupt enabled, channels unmasked as they are used; a received
//     notification is cleared (C1SCR CHnC) and handled: vring0 = messages
//     from the M4, vring1 = sent buffers returned.  A kick sets C1SCR CHnS
//     once the channel is free (a busy channel waits for its TX-free
//     interrupt, as the mailbox framework's queue does).
//  4. RPMsg: name-service announcements create host endpoints (addresses
//     from 0x400), each printed as one line; "rpmsg-tty*" endpoints get a
//     pseudo-terminal (the /dev/ttyRPMSGn of rpmsg_tty), any other endpoint a
//     Unix stream socket in a private directory; bytes written there become
//     messages of at most 496 bytes to the remote endpoint, messages from it
//     are written back.  When a pty or socket has 64 KB its reader has not
//     taken, further messages wait in vring0 (the firmware runs out of
//     buffers and waits) instead of being dropped.
//  5. The firmware's trace buffer (resource-table trace entry, ST's
//     "cm4_log") is read every 20 ms and printed as "[<remote>-log] text"
//     lines (matched by --expect like console lines).
//  6. When the run ends, requests shutdown on the shutdown channel (IPCC
//     channel 3) and waits up to 500 ms for the M4 to take it (Linux's
//     mailbox tx timeout for "shutdown"); ST's OpenAMP examples never unmask
//     that channel, so the wait ends by the bound, as on the board.
// A firmware without a .resource_table starts as Linux starts it: no RPMsg,
// no trace buffer (one line says so).
// In engineering boot (option byte boot_pins = 4) there is no Linux: the M4
// boots by itself and this model does nothing.
// Not modelled: carve-out/devmem resources beyond address checks, vdev config
// space, several vdevs (Linux supports them; ST's firmware has one), the
// "detach" channel, crash recovery, the A7's other mailboxes.
#pragma once

#include "../device.h"
#include "../rpmsg.h"
#include "../serial.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ampvp {

class Stm32mp1Remoteproc : public Device {
public:
    explicit Stm32mp1Remoteproc(const std::string &name);
    ~Stm32mp1Remoteproc() override;
    uint32_t read(BusAccess &a) override;
    void write(BusAccess &a, uint32_t value) override;
    void configure(const std::map<std::string, std::string> &params,
                   const std::vector<std::string> &core_names) override;
    void input(unsigned n, bool level) override;
    void timer_fired(unsigned tag) override;
    void run_started() override;
    uint64_t stop_requested() override;
    bool stop_done() const override;

private:
    struct Endpoint; // a host endpoint bound to one remote endpoint
    enum Tag : unsigned { WORK = 1, LOG = 2, RETRY_TX = 3 };
    static constexpr size_t kHostBuffer = 65536; // per endpoint, like a tty's flip buffer
    struct Range {
        uint64_t addr = 0, size = 0;
    };
    void start();
    void process_table(const std::vector<uint8_t> &section_bytes, uint64_t section_addr);
    uint32_t ipcc_read(uint32_t off);
    void ipcc_write(uint32_t off, uint32_t v);
    void kick(unsigned channel);
    void work();
    void receive_messages();
    void deliver(const rpmsg::Header &h, const uint8_t *payload);
    void name_service(const uint8_t *payload, uint32_t len);
    void open_endpoint(const std::string &name, uint32_t remote_addr);
    void send_from(Endpoint &ep);
    void flush_out(Endpoint &ep);
    bool host_side_full();
    bool reclaim_tx();
    void poll_log();
    uint8_t *mem(uint64_t da, uint64_t len); // the remote's view (Linux: rproc_da_to_va)
    void fail(const std::string &why);
    void schedule_work();

    // Configuration (machine description params, device-tree-like).
    CoreId as_ = -1, remote_ = -1;
    std::string remote_name_;
    uint64_t ipcc_ = 0, holdboot_ = 0;
    uint32_t holdboot_mask_ = 0;
    unsigned rx_irq_ = 0, tx_irq_ = 0;
    unsigned vq_channel_[2] = {0, 1};
    unsigned shutdown_channel_ = 2;
    uint64_t shutdown_timeout_ns_ = 500000000;
    Range vring_carveout_[2], buffers_;
    bool engineering_boot_ = false;

    // Run state.
    bool started_ = false, rpmsg_ = false, stopping_ = false, work_scheduled_ = false;
    bool rx_level_ = false, tx_level_ = false;
    unsigned kick_pending_ = 0; // channel bit mask waiting for TX-free
    rpmsg::Vring rvq_, svq_;    // vring0: messages from the remote; vring1: to it
    uint64_t bufs_ = 0;         // da of the buffer area
    unsigned nbufs_ = 0;        // per direction
    std::vector<uint16_t> free_tx_;
    uint64_t log_da_ = 0;
    uint32_t log_len_ = 0, log_pos_ = 0;
    std::string log_partial_;
    std::vector<uint8_t> log_seen_; // the buffer at the previous poll
    std::vector<std::unique_ptr<Endpoint>> endpoints_;
    uint32_t next_addr_ = rpmsg::FIRST_HOST_ADDR;
    std::string socket_dir_;
    uint64_t messages_in_ = 0, messages_out_ = 0;
};

} // namespace ampvp
