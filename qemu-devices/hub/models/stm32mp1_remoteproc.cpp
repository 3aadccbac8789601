#include "stm32mp1_remoteproc.h"
#include "../model_registry.h"

#include "../elf_loader.h"
#include "../log.h"
#include "../machine.h"
#include "../timeline.h"

#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <unistd.h>

namespace ampvp {

namespace {
// IPCC processor 1 registers (RM0436 "IPCC registers"; Linux stm32-ipcc.c).
enum : uint32_t { C1CR = 0x00, C1MR = 0x04, C1SCR = 0x08, C1TOC2SR = 0x0C, C2TOC1SR = 0x1C };
constexpr uint32_t RXOIE = 1u << 0, TXFIE = 1u << 16;
constexpr uint32_t ALL_CHANNELS = 0x3F;
uint32_t rx_bit(unsigned ch) { return 1u << ch; }        // CHnOM / CHnC
uint32_t tx_bit(unsigned ch) { return 1u << (16 + ch); } // CHnFM / CHnS
constexpr int EXIT_ERROR_CODE = 1;                        // runner.h EXIT_ERROR

uint64_t num(const std::map<std::string, std::string> &p, const std::string &k, uint64_t dflt)
{
    auto it = p.find(k);
    if (it == p.end()) {
        return dflt;
    }
    try {
        return parse_size(it->second);
    } catch (const ConfigError &e) {
        throw ConfigError("param " + k + ": " + e.what());
    }
}
} // namespace

// A host endpoint: where the bytes of one remote endpoint go.  The proxy
// Device lets HostSerial (ptys, sockets, flow control) feed it like a UART.
struct Stm32mp1Remoteproc::Endpoint : Device {
    Endpoint(const std::string &n, uint32_t remote, uint32_t local)
        : Device("rpmsg " + n), name(n), remote_addr(remote), local_addr(local)
    {
    }
    uint32_t read(BusAccess &) override { return 0; }
    void write(BusAccess &, uint32_t) override {}
    bool accepts_input() const override { return pending.size() < rpmsg::MAX_PAYLOAD; }
    void host_input(uint8_t b) override { pending.push_back(b); }
    std::string name;
    uint32_t remote_addr, local_addr;
    std::vector<uint8_t> pending; // bytes for the next message
    std::vector<uint8_t> out;     // bytes from the remote the pty/socket has not taken yet
    bool waiting_writable = false;
    std::unique_ptr<HostSerial> port;
};

Stm32mp1Remoteproc::Stm32mp1Remoteproc(const std::string &name) : Device(name) {}

Stm32mp1Remoteproc::~Stm32mp1Remoteproc()
{
    for (auto &ep : endpoints_) {
        if (ctx_.host && ep->port) {
            ctx_.host->forget_host_input(ep->port.get());
        }
    }
    endpoints_.clear(); // closes ptys and removes socket files
    if (!socket_dir_.empty()) {
        rmdir(socket_dir_.c_str());
    }
}

uint32_t Stm32mp1Remoteproc::read(BusAccess &) { return 0; } // not on the bus
void Stm32mp1Remoteproc::write(BusAccess &, uint32_t) {}

void Stm32mp1Remoteproc::configure(const std::map<std::string, std::string> &params,
                                   const std::vector<std::string> &core_names)
{
    as_ = param_core(params, "as", core_names);
    remote_ = param_core(params, "remote", core_names);
    remote_name_ = core_names[remote_];
    ipcc_ = num(params, "ipcc", 0);
    holdboot_ = num(params, "holdboot", 0);
    holdboot_mask_ = static_cast<uint32_t>(num(params, "holdboot_mask", 1));
    rx_irq_ = static_cast<unsigned>(num(params, "rx_irq", 0));
    tx_irq_ = static_cast<unsigned>(num(params, "tx_irq", 0));
    if (!ipcc_ || !holdboot_ || !rx_irq_ || !tx_irq_) {
        throw ConfigError("params ipcc, holdboot, rx_irq and tx_irq are required");
    }
    vq_channel_[0] = static_cast<unsigned>(num(params, "vq0_channel", 0));
    vq_channel_[1] = static_cast<unsigned>(num(params, "vq1_channel", 1));
    shutdown_channel_ = static_cast<unsigned>(num(params, "shutdown_channel", 2));
    shutdown_timeout_ns_ = num(params, "shutdown_timeout_ms", 500) * 1000000ull;
    auto range = [&](const std::string &k) {
        auto it = params.find(k);
        Range r;
        const size_t colon = it == params.end() ? std::string::npos : it->second.find(':');
        if (colon == std::string::npos) {
            throw ConfigError("param " + k + " must be ADDRESS:SIZE (a device-tree carve-out)");
        }
        r.addr = parse_size(it->second.substr(0, colon));
        r.size = parse_size(it->second.substr(colon + 1));
        return r;
    };
    vring_carveout_[0] = range("vdev0vring0");
    vring_carveout_[1] = range("vdev0vring1");
    buffers_ = range("vdev0buffer");
    // RM0436 boot modes: BOOT pins 0b100 is engineering boot (no Linux).
    engineering_boot_ = num(params, "boot_pins", 0) == 4;
}

uint8_t *Stm32mp1Remoteproc::mem(uint64_t da, uint64_t len) { return ctx_.master->memory(remote_, da, len); }

uint32_t Stm32mp1Remoteproc::ipcc_read(uint32_t off)
{
    uint32_t v = 0;
    ctx_.master->read(as_, ipcc_ + off, 4, v);
    return v;
}

void Stm32mp1Remoteproc::ipcc_write(uint32_t off, uint32_t v) { ctx_.master->write(as_, ipcc_ + off, 4, v); }

void Stm32mp1Remoteproc::fail(const std::string &why)
{
    started_ = false;
    ctx_.host->fail(remote_name_ + ": " + why, EXIT_ERROR_CODE);
}

void Stm32mp1Remoteproc::run_started()
{
    if (!ctx_.master || !ctx_.host || !ctx_.scheduler) {
        return; // not in a run (a scratch bus, a unit test without services)
    }
    if (engineering_boot_) {
        log().verbose_info(name() + ": engineering boot: the " + remote_name_ + " runs without Linux");
        return;
    }
    try {
        start();
    } catch (const rpmsg::TableError &e) {
        fail(e.what());
    }
}

void Stm32mp1Remoteproc::start()
{
    const ElfImage *img = ctx_.master->image(remote_);
    if (!img) {
        log().info(name() + ": no image for " + remote_name_ + ": it stays in reset, as without firmware");
        return;
    }
    // Linux's stm32-ipcc probe: everything masked, then RX and TX-free
    // interrupts enabled; a channel's RX is unmasked when it is used.
    ipcc_write(C1MR, ipcc_read(C1MR) | ALL_CHANNELS | (ALL_CHANNELS << 16));
    ipcc_write(C1CR, ipcc_read(C1CR) | RXOIE | TXFIE);
    ipcc_write(C1MR, ipcc_read(C1MR) & ~(rx_bit(vq_channel_[0]) | rx_bit(vq_channel_[1])));

    const Section *rt = img->section(".resource_table");
    if (!rt) {
        ctx_.host->console_line("rpmsg", img->path + " has no .resource_table: " + remote_name_ +
                                             " started without RPMsg or trace buffer (as Linux does)");
    } else {
        try {
            process_table(rt->bytes, rt->addr);
        } catch (const rpmsg::TableError &e) {
            throw rpmsg::TableError(img->path + ": .resource_table: " + e.what());
        }
    }
    started_ = true;
    // Release the hold-boot bit: the RCC model starts the core.
    uint32_t gcr = 0;
    ctx_.master->read(as_, holdboot_, 4, gcr);
    ctx_.master->write(as_, holdboot_, 4, gcr | holdboot_mask_);
    if (rpmsg_) {
        // rpmsg probe: features, DRIVER_OK, then the first kick of vring0.
        kick(vq_channel_[0]);
    }
    if (log_len_) {
        ctx_.scheduler->schedule(this, LOG, ctx_.scheduler->now_ns() + 20000000);
    }
}

void Stm32mp1Remoteproc::process_table(const std::vector<uint8_t> &bytes_in, uint64_t addr)
{
    std::vector<uint8_t> t = bytes_in;
    const rpmsg::Table table = rpmsg::parse_table(t);
    uint8_t *loaded = mem(addr, t.size());
    if (!loaded) {
        throw rpmsg::TableError("its address " + hex(addr) + " (" + std::to_string(t.size()) +
                                " bytes) is outside the memories of " + remote_name_);
    }
    for (const auto &tr : table.traces) {
        if (!tr.len || !mem(tr.da, tr.len)) {
            throw rpmsg::TableError("erroneous trace resource entry '" + tr.name + "': " + hex(tr.da) + " (" +
                                    std::to_string(tr.len) + " bytes) is outside the memories of " +
                                    remote_name_);
        }
        if (!log_len_) {
            log_da_ = tr.da;
            log_len_ = tr.len;
        }
    }
    const rpmsg::VdevRsc *vdev = nullptr;
    for (const auto &v : table.vdevs) {
        if (v.id == rpmsg::VIRTIO_ID_RPMSG && !vdev) {
            vdev = &v;
        }
    }
    if (!vdev) {
        std::memcpy(loaded, t.data(), t.size());
        return; // no RPMsg device: a trace buffer at most
    }
    if (vdev->vrings.size() != 2) {
        throw rpmsg::TableError("the rpmsg vdev has " + std::to_string(vdev->vrings.size()) +
                                " vrings; virtio_rpmsg_bus needs 2");
    }
    uint64_t ring_da[2];
    for (unsigned k = 0; k < 2; k++) {
        const auto &r = vdev->vrings[k];
        const uint32_t need = rpmsg::Vring::bytes(r.num, r.align);
        ring_da[k] = r.da == rpmsg::ADDR_ANY ? vring_carveout_[k].addr : r.da;
        if (r.da == rpmsg::ADDR_ANY && need > vring_carveout_[k].size) {
            throw rpmsg::TableError("vring " + std::to_string(k) + " needs " + std::to_string(need) +
                                    " bytes; the vdev0vring" + std::to_string(k) + " carve-out has " +
                                    std::to_string(vring_carveout_[k].size));
        }
        uint8_t *p = mem(ring_da[k], need);
        if (!p) {
            throw rpmsg::TableError("vring " + std::to_string(k) + " at " + hex(ring_da[k]) + " (" +
                                    std::to_string(need) + " bytes) is outside the memories of " +
                                    remote_name_);
        }
        rpmsg::put32(t, r.offset, static_cast<uint32_t>(ring_da[k]));
        (k == 0 ? rvq_ : svq_) = rpmsg::Vring(p, r.num, r.align);
    }
    // Linux: num_bufs = 2 x vring size (up to 512), half to receive, half to send.
    nbufs_ = vdev->vrings[0].num;
    if (uint64_t(2) * nbufs_ * rpmsg::BUF_SIZE > buffers_.size || !mem(buffers_.addr, buffers_.size)) {
        throw rpmsg::TableError(std::to_string(2 * nbufs_) + " buffers of 512 bytes do not fit in the vdev0buffer "
                                "carve-out (" + hex(buffers_.addr) + ", " + std::to_string(buffers_.size) + " bytes)");
    }
    bufs_ = buffers_.addr;
    // The processed table goes where the firmware has it (status 0), then
    // the rings, then the vdev comes up (features, DRIVER_OK).
    const uint32_t gfeatures = vdev->dfeatures & rpmsg::F_NS;
    t[vdev->status_offset()] = 0;
    std::memcpy(loaded, t.data(), t.size());
    rvq_.clear();
    svq_.clear();
    for (unsigned i = 0; i < nbufs_; i++) {
        rvq_.set_desc(static_cast<uint16_t>(i), bufs_ + uint64_t(i) * rpmsg::BUF_SIZE, rpmsg::BUF_SIZE,
                      rpmsg::Vring::DESC_F_WRITE);
        rvq_.add_avail(static_cast<uint16_t>(i));
    }
    svq_.set_avail_flags(rpmsg::Vring::AVAIL_F_NO_INTERRUPT); // virtqueue_disable_cb(svq)
    free_tx_.clear();
    for (unsigned i = nbufs_; i-- > 0;) {
        free_tx_.push_back(static_cast<uint16_t>(i));
    }
    std::memcpy(loaded + vdev->gfeatures_offset(), &gfeatures, 4);
    __atomic_thread_fence(__ATOMIC_RELEASE);
    loaded[vdev->status_offset()] = rpmsg::STATUS_ACKNOWLEDGE | rpmsg::STATUS_DRIVER |
                                    rpmsg::STATUS_FEATURES_OK | rpmsg::STATUS_DRIVER_OK;
    rpmsg_ = true;
    AMPVP_TRACE("rpmsg", "mpu", "vrings at " + hex(ring_da[0]) + " and " + hex(ring_da[1]) + ", " +
                                    std::to_string(nbufs_) + "+" + std::to_string(nbufs_) + " buffers at " +
                                    hex(bufs_) + ", features " + hex(gfeatures, 1) + ", DRIVER_OK");
}

void Stm32mp1Remoteproc::input(unsigned n, bool level)
{
    if (n == rx_irq_) {
        rx_level_ = level;
    } else if (n == tx_irq_) {
        tx_level_ = level;
    }
    if (level && started_) {
        schedule_work(); // Linux handles the mailbox in a threaded IRQ / workqueue too
    }
}

void Stm32mp1Remoteproc::schedule_work()
{
    if (!work_scheduled_) {
        work_scheduled_ = true;
        ctx_.scheduler->schedule(this, WORK, ctx_.scheduler->now_ns() + 1);
    }
}

void Stm32mp1Remoteproc::timer_fired(unsigned tag)
{
    if (tag == WORK) {
        work_scheduled_ = false;
        work();
    } else if (tag == LOG) {
        poll_log();
        if (started_) {
            ctx_.scheduler->schedule(this, LOG, ctx_.scheduler->now_ns() + 20000000);
        }
    } else if (tag == RETRY_TX) {
        for (auto &ep : endpoints_) {
            send_from(*ep);
        }
    }
}

// The stm32-ipcc interrupt handlers, then the vring work they trigger.
void Stm32mp1Remoteproc::work()
{
    if (!started_) {
        return;
    }
    const uint32_t mr = ipcc_read(C1MR);
    // RX: channels the remote has set and we have unmasked; clear each.
    const uint32_t rx = ipcc_read(C2TOC1SR) & ~mr & ALL_CHANNELS;
    for (unsigned ch = 0; ch < 6; ch++) {
        if (rx & rx_bit(ch)) {
            AMPVP_TRACE("ipcc", "mpu", "channel " + std::to_string(ch + 1) + " notification from " + remote_name_);
            ipcc_write(C1SCR, rx_bit(ch));
        }
    }
    // TX-free: a pending kick can go now; mask the channel's TX-free again.
    const uint32_t own = ipcc_read(C1TOC2SR);
    for (unsigned ch = 0; ch < 6; ch++) {
        if ((kick_pending_ & (1u << ch)) && !(own & (1u << ch))) {
            kick_pending_ &= ~(1u << ch);
            ipcc_write(C1MR, ipcc_read(C1MR) | tx_bit(ch));
            kick(ch);
        }
    }
    if (rpmsg_) {
        receive_messages();
        for (auto &ep : endpoints_) {
            send_from(*ep);
        }
    }
}

void Stm32mp1Remoteproc::kick(unsigned ch)
{
    if (ipcc_read(C1TOC2SR) & (1u << ch)) {
        // The previous notification is not taken yet: send when the channel
        // is free (TX-free interrupt), as the mailbox framework queues it.
        kick_pending_ |= 1u << ch;
        ipcc_write(C1MR, ipcc_read(C1MR) & ~tx_bit(ch));
        return;
    }
    AMPVP_TRACE("ipcc", "mpu", "kick channel " + std::to_string(ch + 1));
    ipcc_write(C1SCR, tx_bit(ch));
}

void Stm32mp1Remoteproc::flush_out(Endpoint &ep)
{
    if (ep.out.empty()) {
        return;
    }
    const size_t n = ep.port->write_some(ep.out.data(), ep.out.size());
    ep.out.erase(ep.out.begin(), ep.out.begin() + static_cast<long>(n));
    if (!ep.out.empty() && ep.port->out_fd() >= 0 && !ep.waiting_writable) {
        // The pty or socket is full: go on when its reader has made room.
        ep.waiting_writable = true;
        Endpoint *raw = &ep;
        ctx_.host->when_writable(ep.port->out_fd(), [this, raw](int) {
            raw->waiting_writable = false;
            flush_out(*raw);
            if (rpmsg_ && started_) {
                receive_messages();
            }
        });
    }
}

// Whether a pty or socket holds more than a tty's buffer of undelivered
// bytes: then messages stay in vring0 (the firmware runs out of buffers and
// waits, like a UART whose receiver is full) until the host side reads.
bool Stm32mp1Remoteproc::host_side_full()
{
    bool full = false;
    for (auto &ep : endpoints_) {
        flush_out(*ep);
        full |= ep->out.size() >= kHostBuffer;
    }
    return full; // flush_out resumes receive_messages once there is room
}

// rpmsg_recv_done: every used buffer of vring0, then re-post and kick.
void Stm32mp1Remoteproc::receive_messages()
{
    uint32_t id = 0, len = 0;
    unsigned received = 0;
    while (!host_side_full() && rvq_.take_used(id, len)) {
        const uint64_t da = rvq_.desc_addr(static_cast<uint16_t>(id));
        const uint8_t *buf = mem(da, rpmsg::BUF_SIZE);
        if (!buf || id >= nbufs_) {
            fail("RPMsg: the firmware returned buffer " + std::to_string(id) + " at " + hex(da) +
                 ", which the master never posted");
            return;
        }
        const rpmsg::Header h = rpmsg::read_header(buf);
        if (h.len > rpmsg::MAX_PAYLOAD) {
            log().warn(name() + ": RPMsg message from " + hex(h.src, 1) + " says " + std::to_string(h.len) +
                       " bytes (at most 496 fit a buffer): dropped, as Linux does");
        } else {
            deliver(h, buf + rpmsg::HDR_SIZE);
        }
        rvq_.add_avail(static_cast<uint16_t>(id));
        received++;
    }
    if (received && rvq_.device_wants_kick()) {
        kick(vq_channel_[0]);
    }
}

void Stm32mp1Remoteproc::deliver(const rpmsg::Header &h, const uint8_t *payload)
{
    messages_in_++;
    AMPVP_TRACE("rpmsg", remote_name_, rpmsg::describe(h, payload, h.len));
    AMPVP_TL(rpmsg(remote_name_, "mpu", h.src, h.dst, h.len, rpmsg::describe(h, payload, h.len)));
    if (h.dst == rpmsg::NS_ADDR) {
        name_service(payload, h.len);
        return;
    }
    for (auto &ep : endpoints_) {
        if (ep->local_addr == h.dst) {
            ep->out.insert(ep->out.end(), payload, payload + h.len);
            flush_out(*ep);
            return;
        }
    }
    log().warn(name() + ": RPMsg message from " + hex(h.src, 1) + " to " + hex(h.dst, 1) +
               ", which is no endpoint of the host: dropped");
}

void Stm32mp1Remoteproc::name_service(const uint8_t *payload, uint32_t len)
{
    rpmsg::NsMessage ns;
    if (!rpmsg::parse_ns(payload, len, ns)) {
        log().warn(name() + ": malformed name-service message (" + std::to_string(len) + " bytes): ignored");
        return;
    }
    if (ns.flags & rpmsg::NS_DESTROY) {
        ctx_.host->console_line("rpmsg", "name service: '" + ns.name + "' at " + hex(ns.addr, 1) + " destroyed");
        for (auto it = endpoints_.begin(); it != endpoints_.end(); ++it) {
            if ((*it)->remote_addr == ns.addr) {
                ctx_.host->forget_host_input((*it)->port.get());
                endpoints_.erase(it);
                break;
            }
        }
        return;
    }
    ctx_.host->console_line("rpmsg", "name service: '" + ns.name + "' at " + hex(ns.addr, 1));
    open_endpoint(ns.name, ns.addr);
}

void Stm32mp1Remoteproc::open_endpoint(const std::string &ns_name, uint32_t remote_addr)
{
    auto ep = std::make_unique<Endpoint>(ns_name, remote_addr, next_addr_++);
    SerialSpec spec;
    spec.uart = ep->Device::name();
    if (ns_name.rfind("rpmsg-tty", 0) == 0) {
        spec.kind = "pty";
    } else {
        if (socket_dir_.empty()) {
            // Named after the hub's pid like every file a run creates.
            std::string tmpl = "/tmp/ampvp-" + std::to_string(getpid()) + "-rpmsg-XXXXXX";
            if (!mkdtemp(tmpl.data())) {
                log().warn(name() + ": cannot create a directory for endpoint sockets: " + std::strerror(errno));
                return;
            }
            socket_dir_ = tmpl;
        }
        std::string safe = ns_name;
        for (char &c : safe) {
            c = (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
        }
        spec.kind = "unix";
        spec.path = socket_dir_ + "/" + safe + "." + hex(remote_addr, 1);
    }
    Endpoint *raw = ep.get();
    try {
        ep->port = std::make_unique<HostSerial>(spec, raw, [this, raw](int fd, bool on) {
            if (on) {
                ctx_.host->watch(fd, [this, raw](int rfd) {
                    raw->port->on_readable(rfd);
                    if (!raw->port->deferred()) {
                        send_from(*raw); // else at the next quantum boundary (--deterministic)
                    }
                });
            } else {
                ctx_.host->unwatch(fd);
            }
        });
    } catch (const std::exception &e) {
        log().warn(name() + ": endpoint '" + ns_name + "': " + e.what());
        return;
    }
    // Deterministic mode: what the host writes enters at quantum boundaries
    // and is recorded as "rpmsg:<name>.<remote address>".
    std::string tag = ns_name;
    for (char &c : tag) {
        c = std::isgraph(static_cast<unsigned char>(c)) ? c : '_';
    }
    ctx_.host->host_input(raw->port.get(), "rpmsg:" + tag + "." + hex(remote_addr, 1),
                          [this, raw] { send_from(*raw); });
    ctx_.host->console_line("rpmsg", ns_name + " " + hex(remote_addr, 1) + " <-> host " +
                                         hex(raw->local_addr, 1) + ": " + raw->port->where());
    endpoints_.push_back(std::move(ep));
}

// Free sent buffers the remote has returned on vring1's used ring.
bool Stm32mp1Remoteproc::reclaim_tx()
{
    uint32_t id = 0, len = 0;
    bool any = false;
    while (svq_.take_used(id, len)) {
        if (id < nbufs_) {
            free_tx_.push_back(static_cast<uint16_t>(id));
            any = true;
        }
    }
    return any;
}

// rpmsg_send: bytes from the host side, up to 496 per message, on vring1.
void Stm32mp1Remoteproc::send_from(Endpoint &ep)
{
    if (!rpmsg_ || !started_ || stopping_) {
        return;
    }
    bool sent = false;
    for (;;) {
        ep.port->pump();
        if (ep.pending.empty()) {
            break;
        }
        if (free_tx_.empty() && !reclaim_tx()) {
            // All send buffers are with the remote: try again shortly (the
            // firmware returns them without notifying, as OpenAMP does).
            ctx_.scheduler->schedule(this, RETRY_TX, ctx_.scheduler->now_ns() + 1000000);
            break;
        }
        const uint16_t d = free_tx_.back();
        free_tx_.pop_back();
        const uint64_t da = bufs_ + uint64_t(nbufs_ + d) * rpmsg::BUF_SIZE;
        uint8_t *buf = mem(da, rpmsg::BUF_SIZE);
        const uint16_t n = static_cast<uint16_t>(ep.pending.size());
        rpmsg::write_header(buf, {ep.local_addr, ep.remote_addr, n, 0});
        std::memcpy(buf + rpmsg::HDR_SIZE, ep.pending.data(), n);
        ep.pending.clear();
        svq_.set_desc(d, da, rpmsg::HDR_SIZE + n, 0);
        svq_.add_avail(d);
        messages_out_++;
        AMPVP_TRACE("rpmsg", "mpu", rpmsg::describe({ep.local_addr, ep.remote_addr, n, 0}, buf + rpmsg::HDR_SIZE, n));
        AMPVP_TL(rpmsg("mpu", remote_name_, ep.local_addr, ep.remote_addr, n,
                       rpmsg::describe({ep.local_addr, ep.remote_addr, n, 0}, buf + rpmsg::HDR_SIZE, n)));
        sent = true;
    }
    if (sent && svq_.device_wants_kick()) {
        kick(vq_channel_[1]);
    }
}

// ST's trace buffer: text written circularly, NUL after the last character.
void Stm32mp1Remoteproc::poll_log()
{
    const uint8_t *b = log_len_ ? mem(log_da_, log_len_) : nullptr;
    if (!b) {
        return;
    }
    std::string fresh;
    for (uint32_t guard = 0; guard < log_len_; guard++) {
        if (log_pos_ + 1 >= log_len_) {
            // The writer never uses the last byte: its next character goes to
            // 0 (followed by a NUL at 1).  Follow it once index 0 or 1 changed.
            if (log_seen_.size() != log_len_ || std::memcmp(b, log_seen_.data(), 2) == 0) {
                break;
            }
            log_pos_ = 0;
        }
        if (b[log_pos_] == 0) {
            break;
        }
        fresh += static_cast<char>(b[log_pos_++]);
    }
    log_seen_.assign(b, b + log_len_);
    for (char c : fresh) {
        if (c == '\n') {
            if (!log_partial_.empty() && log_partial_.back() == '\r') {
                log_partial_.pop_back();
            }
            ctx_.host->console_line(remote_name_ + "-log", log_partial_);
            log_partial_.clear();
        } else {
            log_partial_ += c;
        }
    }
}

uint64_t Stm32mp1Remoteproc::stop_requested()
{
    if (!started_) {
        return 0;
    }
    poll_log();
    stopping_ = true;
    // stm32_rproc_stop: "shutdown" on its mailbox channel, blocking until the
    // remote takes it or 500 ms pass.
    ipcc_write(C1SCR, tx_bit(shutdown_channel_));
    AMPVP_TRACE("ipcc", "mpu", "shutdown request on channel " + std::to_string(shutdown_channel_ + 1));
    return shutdown_timeout_ns_;
}

bool Stm32mp1Remoteproc::stop_done() const
{
    if (!started_ || !stopping_) {
        return true;
    }
    uint32_t own = 0;
    ctx_.master->read(as_, ipcc_ + C1TOC2SR, 4, own);
    return !(own & (1u << shutdown_channel_));
}

} // namespace ampvp

AMPVP_MODEL("stm32mp1-remoteproc", ampvp::Stm32mp1Remoteproc)
