// Remoteproc resource tables, virtio split vrings and RPMsg messages as a
// remoteproc master (Linux on the STM32MP15's Cortex-A7) handles them, over
// memory shared with the remote core.  Layouts follow Linux
// include/linux/remoteproc.h, include/uapi/linux/virtio_ring.h and
// drivers/rpmsg/virtio_rpmsg_bus.c; checks and their messages follow
// remoteproc_core.c / remoteproc_elf_loader.c.  No devices, no sockets: the
// remoteproc model (models/stm32mp1_remoteproc.cpp) uses these, and the unit
// test (tests/unit/test_rpmsg.cpp) checks them alone.
#pragma once

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace ampvp::rpmsg {

struct TableError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Resource types (remoteproc.h) and the constants a master uses.
enum : uint32_t { RSC_CARVEOUT = 0, RSC_DEVMEM = 1, RSC_TRACE = 2, RSC_VDEV = 3 };
constexpr uint32_t ADDR_ANY = 0xFFFFFFFFu;      // FW_RSC_ADDR_ANY: "the master chooses"
constexpr uint32_t VIRTIO_ID_RPMSG = 7;
constexpr uint32_t F_NS = 1u << 0;              // VIRTIO_RPMSG_F_NS: name-service announcements
constexpr uint8_t STATUS_ACKNOWLEDGE = 1, STATUS_DRIVER = 2, STATUS_DRIVER_OK = 4,
                  STATUS_FEATURES_OK = 8;
constexpr uint32_t NS_ADDR = 53;                // RPMSG_NS_ADDR
constexpr uint32_t FIRST_HOST_ADDR = 1024;      // RPMSG_RESERVED_ADDRESSES
constexpr uint32_t BUF_SIZE = 512;              // RPMSG_BUF_SIZE, header included
constexpr uint32_t HDR_SIZE = 16;               // struct rpmsg_hdr
constexpr uint32_t MAX_PAYLOAD = BUF_SIZE - HDR_SIZE;
constexpr uint32_t NS_NAME_SIZE = 32;           // RPMSG_NAME_SIZE
constexpr uint32_t NS_CREATE = 0, NS_DESTROY = 1;

struct VringRsc {
    uint32_t offset = 0; // of this fw_rsc_vdev_vring inside the table
    uint32_t da = 0, align = 0, num = 0, notifyid = 0;
};
struct VdevRsc {
    uint32_t offset = 0; // of the fw_rsc_vdev (after its type word) inside the table
    uint32_t id = 0, notifyid = 0, dfeatures = 0, gfeatures = 0, config_len = 0;
    uint8_t status = 0;
    std::vector<VringRsc> vrings;
    uint32_t status_offset() const { return offset + 20; }
    uint32_t gfeatures_offset() const { return offset + 12; }
};
struct TraceRsc {
    uint32_t da = 0, len = 0;
    std::string name;
};
struct CarveoutRsc {
    uint32_t offset = 0;
    uint32_t da = 0, pa = 0, len = 0, flags = 0;
    std::string name;
};
struct Table {
    uint32_t version = 0;
    std::vector<VdevRsc> vdevs;
    std::vector<TraceRsc> traces;
    std::vector<CarveoutRsc> carveouts;
};

// Parse and check a resource table as Linux does before booting (version 1,
// reserved words zero, every entry inside the table, vdev vrings <= 2 with
// non-zero num and a power-of-two align, trace entries complete).  Throws
// TableError with Linux's reason.
Table parse_table(const std::vector<uint8_t> &bytes);

// The little-endian words of a table being processed (vring da, gfeatures).
void put32(std::vector<uint8_t> &bytes, uint32_t offset, uint32_t v);

// A virtio split vring in shared memory (virtio 1.0 "legacy" layout, as
// Linux's vring_init and OpenAMP use it), seen from the driver side: the
// master posts buffers on the available ring and collects them from the used
// ring.  Index fields are read with acquire and written with release
// ordering: the other side is another process (QEMU) writing the same pages.
class Vring {
public:
    Vring() = default;
    Vring(uint8_t *base, uint32_t num, uint32_t align);
    static uint32_t bytes(uint32_t num, uint32_t align);
    bool valid() const { return base_ != nullptr; }
    uint32_t num() const { return num_; }
    void clear(); // zero the whole ring (before the remote starts)

    void set_desc(uint16_t i, uint64_t addr, uint32_t len, uint16_t flags);
    uint64_t desc_addr(uint16_t i) const;
    void add_avail(uint16_t desc);    // ring[idx % num] = desc, then idx++
    void set_avail_flags(uint16_t f); // VRING_AVAIL_F_NO_INTERRUPT = 1
    bool used_pending() const;
    // virtqueue_kick_prepare without EVENT_IDX: the device has not set
    // VRING_USED_F_NO_NOTIFY in the used ring's flags.
    bool device_wants_kick() const;
    // The next used element (descriptor id, length written by the device).
    bool take_used(uint32_t &id, uint32_t &len);

    static constexpr uint16_t DESC_F_WRITE = 2;
    static constexpr uint16_t AVAIL_F_NO_INTERRUPT = 1;
    static constexpr uint16_t USED_F_NO_NOTIFY = 1;

private:
    uint8_t *base_ = nullptr;
    uint32_t num_ = 0;
    uint32_t avail_ = 0, used_ = 0; // offsets of the rings
    uint16_t last_used_ = 0;
};

struct Header {
    uint32_t src = 0, dst = 0;
    uint16_t len = 0, flags = 0;
};
Header read_header(const uint8_t *buf);
void write_header(uint8_t *buf, const Header &h);

struct NsMessage {
    std::string name;
    uint32_t addr = 0, flags = 0;
};
// A name-service payload (name[32], addr, flags); false if too short.
bool parse_ns(const uint8_t *payload, uint32_t len, NsMessage &out);

// "0x400 -> 0x35, 40 bytes: name service: create 'rpmsg-tty' at 0x400" or
// "0x400 -> 0x401, 5 bytes "ping\x00"": one message for a trace line, the
// first `max_bytes` of the payload escaped.
std::string describe(const Header &h, const uint8_t *payload, uint32_t avail, size_t max_bytes = 16);
// The first bytes of a payload, printable ASCII as is, others as \xNN.
std::string escape(const uint8_t *p, size_t n, size_t max_bytes);

// A vring watched from the side by someone who is neither its driver nor its
// device: the hub decoding what two cores exchange (ST's H7 OpenAMP, where
// the CM7 is the master).  Memory is read through `mem` (nullptr: outside the
// shared memories).  A message is announced by a new entry in the available
// ring (a ring the master sends on) or in the used ring (a ring the remote
// sends on: the master posted empty buffers, the remote returns them
// filled).  The index is free-running (wraps at 65536); a descriptor chain
// (VRING_DESC_F_NEXT) is read as one buffer.  Whatever the firmware wrote,
// scan() reports problems as messages with `error` set and never reads
// outside the memory `mem` gives.
class VringObserver {
public:
    using MemFn = std::function<const uint8_t *(uint64_t addr, uint64_t len)>;
    enum class Watch { Avail, Used };
    struct Message {
        uint16_t index = 0;        // ring index of the entry
        uint32_t desc = 0;         // head descriptor
        bool has_header = false;
        Header hdr;
        std::vector<uint8_t> payload; // what the buffers hold of it (at most hdr.len)
        std::string error;
    };
    VringObserver() = default;
    VringObserver(MemFn mem, uint64_t da, uint32_t num, uint32_t align, Watch w);
    bool valid() const { return num_ != 0; }
    // Start from the ring's present index: what is there now is not news.
    void sync();
    // The entries that appeared since the last scan() or sync().
    std::vector<Message> scan();
    static constexpr uint16_t DESC_F_NEXT = 1, DESC_F_INDIRECT = 4;
    static constexpr size_t MAX_MESSAGE = 65536; // bytes gathered from one chain

private:
    bool idx(uint16_t &out) const;
    Message read_entry(uint16_t ring_index) const;
    MemFn mem_;
    uint64_t da_ = 0;
    uint32_t num_ = 0;
    uint64_t avail_ = 0, used_ = 0; // ring offsets from da_
    Watch watch_ = Watch::Used;
    uint16_t last_ = 0;
};

} // namespace ampvp::rpmsg
