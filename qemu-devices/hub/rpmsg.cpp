#include "rpmsg.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace ampvp::rpmsg {

namespace {
uint32_t get32(const std::vector<uint8_t> &b, uint32_t off)
{
    uint32_t v;
    std::memcpy(&v, b.data() + off, 4); // little-endian host (x86-64, arm64)
    return v;
}
std::string cstr(const uint8_t *p, size_t max)
{
    size_t n = 0;
    while (n < max && p[n]) {
        n++;
    }
    return std::string(reinterpret_cast<const char *>(p), n);
}
uint16_t load16(const uint8_t *p)
{
    return __atomic_load_n(reinterpret_cast<const uint16_t *>(p), __ATOMIC_ACQUIRE);
}
void store16(uint8_t *p, uint16_t v)
{
    __atomic_store_n(reinterpret_cast<uint16_t *>(p), v, __ATOMIC_RELEASE);
}
} // namespace

void put32(std::vector<uint8_t> &bytes, uint32_t offset, uint32_t v)
{
    std::memcpy(bytes.data() + offset, &v, 4);
}

Table parse_table(const std::vector<uint8_t> &b)
{
    const uint64_t size = b.size();
    if (size < 16) {
        throw TableError("header-less resource table (" + std::to_string(size) + " bytes)");
    }
    Table t;
    t.version = get32(b, 0);
    const uint32_t num = get32(b, 4);
    if (t.version != 1) {
        throw TableError("unsupported resource table version " + std::to_string(t.version) +
                         " (only version 1 exists)");
    }
    if (get32(b, 8) || get32(b, 12)) {
        throw TableError("non zero reserved bytes in the resource table header");
    }
    if (16 + 4ull * num > size) {
        throw TableError("resource table incomplete: " + std::to_string(num) + " entries do not fit in " +
                         std::to_string(size) + " bytes");
    }
    for (uint32_t i = 0; i < num; i++) {
        const uint32_t off = get32(b, 16 + 4 * i);
        const std::string entry = "resource " + std::to_string(i) + " at offset " + std::to_string(off);
        if (uint64_t(off) + 4 > size) {
            throw TableError("resource table is truncated: " + entry + " lies outside it");
        }
        const uint32_t type = get32(b, off);
        const uint32_t body = off + 4;
        const uint64_t avail = size - body;
        if (type == RSC_VDEV) {
            if (avail < 24) {
                throw TableError("vdev " + entry + " is truncated");
            }
            VdevRsc v;
            v.offset = body;
            v.id = get32(b, body);
            v.notifyid = get32(b, body + 4);
            v.dfeatures = get32(b, body + 8);
            v.gfeatures = get32(b, body + 12);
            v.config_len = get32(b, body + 16);
            v.status = b[body + 20];
            const uint8_t nvrings = b[body + 21];
            if (b[body + 22] || b[body + 23]) {
                throw TableError("vdev " + entry + " has non zero reserved bytes");
            }
            if (nvrings > 2) {
                throw TableError("vdev " + entry + " has too many vrings: " + std::to_string(nvrings));
            }
            if (24 + 20ull * nvrings + v.config_len > avail) {
                throw TableError("vdev " + entry + " is truncated (its vrings or config do not fit)");
            }
            for (unsigned k = 0; k < nvrings; k++) {
                VringRsc r;
                r.offset = body + 24 + 20 * k;
                r.da = get32(b, r.offset);
                r.align = get32(b, r.offset + 4);
                r.num = get32(b, r.offset + 8);
                r.notifyid = get32(b, r.offset + 12);
                if (!r.num || !r.align || (r.align & (r.align - 1)) || r.num > 32768) {
                    throw TableError("vdev " + entry + " vring " + std::to_string(k) + ": invalid size " +
                                     std::to_string(r.num) + " or alignment " + std::to_string(r.align));
                }
                v.vrings.push_back(r);
            }
            t.vdevs.push_back(v);
        } else if (type == RSC_TRACE) {
            if (avail < 12 + NS_NAME_SIZE) {
                throw TableError("trace " + entry + " is truncated");
            }
            if (get32(b, body + 8)) {
                throw TableError("trace " + entry + " has non zero reserved bytes");
            }
            t.traces.push_back({get32(b, body), get32(b, body + 4), cstr(b.data() + body + 12, NS_NAME_SIZE)});
        } else if (type == RSC_CARVEOUT) {
            if (avail < 20 + NS_NAME_SIZE) {
                throw TableError("carveout " + entry + " is truncated");
            }
            if (get32(b, body + 16)) {
                throw TableError("carveout " + entry + " has non zero reserved bytes");
            }
            t.carveouts.push_back({body, get32(b, body), get32(b, body + 4), get32(b, body + 8),
                                   get32(b, body + 12), cstr(b.data() + body + 20, NS_NAME_SIZE)});
        }
        // RSC_DEVMEM, vendor and unknown types: Linux skips them (with a warning
        // for unknown ones); nothing here uses them.
    }
    return t;
}

Vring::Vring(uint8_t *base, uint32_t num, uint32_t align) : base_(base), num_(num)
{
    avail_ = 16 * num;
    const uint32_t avail_end = avail_ + 6 + 2 * num;
    used_ = (avail_end + align - 1) & ~(align - 1);
}

uint32_t Vring::bytes(uint32_t num, uint32_t align)
{
    const uint32_t avail_end = 16 * num + 6 + 2 * num;
    return ((avail_end + align - 1) & ~(align - 1)) + 6 + 8 * num;
}

void Vring::clear()
{
    std::memset(base_, 0, used_ + 6 + 8 * num_);
    last_used_ = 0;
}

void Vring::set_desc(uint16_t i, uint64_t addr, uint32_t len, uint16_t flags)
{
    uint8_t *d = base_ + 16 * (i % num_);
    std::memcpy(d, &addr, 8);
    std::memcpy(d + 8, &len, 4);
    std::memcpy(d + 12, &flags, 2);
    const uint16_t next = 0;
    std::memcpy(d + 14, &next, 2);
}

uint64_t Vring::desc_addr(uint16_t i) const
{
    uint64_t a;
    std::memcpy(&a, base_ + 16 * (i % num_), 8);
    return a;
}

void Vring::add_avail(uint16_t desc)
{
    const uint16_t idx = load16(base_ + avail_ + 2);
    std::memcpy(base_ + avail_ + 4 + 2 * (idx % num_), &desc, 2);
    store16(base_ + avail_ + 2, static_cast<uint16_t>(idx + 1)); // release: entry before index
}

void Vring::set_avail_flags(uint16_t f) { store16(base_ + avail_, f); }

bool Vring::device_wants_kick() const { return !(load16(base_ + used_) & USED_F_NO_NOTIFY); }

bool Vring::used_pending() const { return load16(base_ + used_ + 2) != last_used_; }

bool Vring::take_used(uint32_t &id, uint32_t &len)
{
    if (!used_pending()) {
        return false;
    }
    const uint8_t *e = base_ + used_ + 4 + 8 * (last_used_ % num_);
    std::memcpy(&id, e, 4);
    std::memcpy(&len, e + 4, 4);
    last_used_++;
    return true;
}

Header read_header(const uint8_t *p)
{
    Header h;
    std::memcpy(&h.src, p, 4);
    std::memcpy(&h.dst, p + 4, 4);
    std::memcpy(&h.len, p + 12, 2);
    std::memcpy(&h.flags, p + 14, 2);
    return h;
}

void write_header(uint8_t *p, const Header &h)
{
    const uint32_t reserved = 0;
    std::memcpy(p, &h.src, 4);
    std::memcpy(p + 4, &h.dst, 4);
    std::memcpy(p + 8, &reserved, 4);
    std::memcpy(p + 12, &h.len, 2);
    std::memcpy(p + 14, &h.flags, 2);
}

bool parse_ns(const uint8_t *payload, uint32_t len, NsMessage &out)
{
    if (len < NS_NAME_SIZE + 8) {
        return false;
    }
    out.name = cstr(payload, NS_NAME_SIZE);
    std::memcpy(&out.addr, payload + NS_NAME_SIZE, 4);
    std::memcpy(&out.flags, payload + NS_NAME_SIZE + 4, 4);
    return true;
}

std::string escape(const uint8_t *p, size_t n, size_t max_bytes)
{
    std::string s;
    for (size_t i = 0; i < n && i < max_bytes; i++) {
        const uint8_t c = p[i];
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
            s += static_cast<char>(c);
        } else {
            char b[8];
            std::snprintf(b, sizeof(b), "\\x%02x", c);
            s += b;
        }
    }
    if (n > max_bytes) {
        s += "...";
    }
    return s;
}

std::string describe(const Header &h, const uint8_t *payload, uint32_t avail, size_t max_bytes)
{
    char head[64];
    std::snprintf(head, sizeof(head), "0x%x -> 0x%x, %u bytes", h.src, h.dst, h.len);
    std::string s = head;
    const uint32_t n = std::min<uint32_t>(h.len, avail);
    NsMessage ns;
    if (h.dst == NS_ADDR && parse_ns(payload, n, ns)) {
        char a[16];
        std::snprintf(a, sizeof(a), "0x%x", ns.addr);
        return s + ": name service: " + (ns.flags & NS_DESTROY ? "destroy '" : "create '") + ns.name + "' at " + a;
    }
    return s + " \"" + escape(payload, n, max_bytes) + "\"";
}

VringObserver::VringObserver(MemFn mem, uint64_t da, uint32_t num, uint32_t align, Watch w)
    : mem_(std::move(mem)), da_(da), num_(num), watch_(w)
{
    avail_ = 16ull * num;
    const uint64_t avail_end = avail_ + 6 + 2ull * num;
    used_ = align ? (avail_end + align - 1) & ~uint64_t(align - 1) : avail_end;
}

bool VringObserver::idx(uint16_t &out) const
{
    const uint8_t *p = mem_(da_ + (watch_ == Watch::Avail ? avail_ : used_) + 2, 2);
    if (!p) {
        return false;
    }
    out = load16(p);
    return true;
}

void VringObserver::sync()
{
    uint16_t i = 0;
    if (valid() && idx(i)) {
        last_ = i;
    }
}

VringObserver::Message VringObserver::read_entry(uint16_t ring_index) const
{
    Message m;
    m.index = ring_index;
    const uint32_t slot = ring_index % num_;
    uint32_t head = 0, used_len = 0;
    if (watch_ == Watch::Avail) {
        const uint8_t *e = mem_(da_ + avail_ + 4 + 2ull * slot, 2);
        if (!e) {
            m.error = "avail ring outside memory";
            return m;
        }
        uint16_t d;
        std::memcpy(&d, e, 2);
        head = d;
    } else {
        const uint8_t *e = mem_(da_ + used_ + 4 + 8ull * slot, 8);
        if (!e) {
            m.error = "used ring outside memory";
            return m;
        }
        std::memcpy(&head, e, 4);
        std::memcpy(&used_len, e + 4, 4);
    }
    m.desc = head;
    // Gather the chain: the buffers' bytes in order, at most MAX_MESSAGE.
    std::vector<uint8_t> bytes;
    uint32_t d = head;
    for (uint32_t hops = 0;; hops++) {
        char why[96];
        if (d >= num_) {
            std::snprintf(why, sizeof(why), "descriptor %u out of range (the ring has %u)", d, num_);
            m.error = why;
            break;
        }
        if (hops >= num_) {
            m.error = "descriptor chain longer than the ring (a loop)";
            break;
        }
        const uint8_t *dp = mem_(da_ + 16ull * d, 16);
        if (!dp) {
            m.error = "descriptor table outside memory";
            break;
        }
        uint64_t addr;
        uint32_t len;
        uint16_t flags, next;
        std::memcpy(&addr, dp, 8);
        std::memcpy(&len, dp + 8, 4);
        std::memcpy(&flags, dp + 12, 2);
        std::memcpy(&next, dp + 14, 2);
        if (flags & DESC_F_INDIRECT) {
            m.error = "indirect descriptors are not decoded";
            break;
        }
        const uint32_t take = static_cast<uint32_t>(std::min<uint64_t>(len, MAX_MESSAGE - bytes.size()));
        const uint8_t *buf = take ? mem_(addr, take) : nullptr;
        if (take && !buf) {
            std::snprintf(why, sizeof(why), "buffer 0x%llx (%u bytes) outside shared memory",
                          (unsigned long long)addr, len);
            m.error = why;
            break;
        }
        bytes.insert(bytes.end(), buf, buf + take);
        if (!(flags & DESC_F_NEXT) || bytes.size() >= MAX_MESSAGE) {
            break;
        }
        d = next;
    }
    if (watch_ == Watch::Used && used_len < bytes.size()) {
        bytes.resize(std::max<uint32_t>(used_len, std::min<uint32_t>(HDR_SIZE, bytes.size())));
    }
    if (bytes.size() < HDR_SIZE) {
        if (m.error.empty()) {
            m.error = "buffer of " + std::to_string(bytes.size()) + " bytes holds no RPMsg header";
        }
        return m;
    }
    m.has_header = true;
    m.hdr = read_header(bytes.data());
    const size_t have = bytes.size() - HDR_SIZE;
    m.payload.assign(bytes.begin() + HDR_SIZE, bytes.begin() + HDR_SIZE + std::min<size_t>(have, m.hdr.len));
    if (m.error.empty() && m.hdr.len > have) {
        m.error = "header says " + std::to_string(m.hdr.len) + " bytes, the buffer holds " + std::to_string(have);
    }
    return m;
}

std::vector<VringObserver::Message> VringObserver::scan()
{
    std::vector<Message> out;
    uint16_t now = 0;
    if (!valid() || !idx(now)) {
        return out;
    }
    const uint16_t fresh = static_cast<uint16_t>(now - last_);
    if (fresh > num_) {
        // More entries than the ring holds appeared since the last look: the
        // older ones are overwritten; decode the last num.
        Message m;
        m.index = last_;
        m.error = std::to_string(fresh - num_) + " messages passed unseen (no notification between them)";
        out.push_back(m);
        last_ = static_cast<uint16_t>(now - num_);
    }
    for (; last_ != now; last_++) {
        out.push_back(read_entry(last_));
    }
    return out;
}

} // namespace ampvp::rpmsg
