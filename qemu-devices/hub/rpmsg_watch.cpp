#include "rpmsg_watch.h"

#include "elf_loader.h"
#include "log.h"

#include <algorithm>

namespace ampvp {

RpmsgWatch::RpmsgWatch(MemFn mem, uint64_t table_addr, uint64_t table_size, std::string master,
                       std::string remote)
    : mem_(std::move(mem)), table_addr_(table_addr), table_size_(table_size), master_(std::move(master)),
      remote_(std::move(remote))
{
}

bool RpmsgWatch::find_table(const ElfImage &img, uint64_t &addr, uint64_t &size, std::string &how)
{
    if (const Section *s = img.section(".resource_table")) {
        addr = s->addr;
        size = s->size;
        how = "section .resource_table";
        return size != 0;
    }
    if (const Symbol *s = img.object("resource_table")) {
        addr = s->addr;
        size = s->size;
        how = "symbol resource_table";
        return size != 0;
    }
    return false;
}

void RpmsgWatch::event(const TlEvent &e)
{
    if (e.kind == TlKind::HsemFree || (e.kind == TlKind::IpccOccupy && e.phase == 'B')) {
        poll();
    }
}

void RpmsgWatch::poll()
{
    if (!ready_) {
        // The master writes the table at run time: wait until it is whole.
        const uint64_t n = std::min<uint64_t>(table_size_, 4096);
        const uint8_t *p = mem_(table_addr_, n);
        if (!p) {
            return;
        }
        rpmsg::Table t;
        try {
            t = rpmsg::parse_table(std::vector<uint8_t>(p, p + n));
        } catch (const rpmsg::TableError &) {
            return; // not written yet (or never: nothing to decode)
        }
        for (const auto &v : t.vdevs) {
            if (v.id != rpmsg::VIRTIO_ID_RPMSG || v.vrings.size() != 2 || v.vrings[0].da == rpmsg::ADDR_ANY ||
                v.vrings[1].da == rpmsg::ADDR_ANY || !v.vrings[0].da || !v.vrings[1].da) {
                continue;
            }
            const auto &r0 = v.vrings[0], &r1 = v.vrings[1];
            to_master_ = rpmsg::VringObserver(mem_, r0.da, r0.num, r0.align, rpmsg::VringObserver::Watch::Used);
            to_remote_ = rpmsg::VringObserver(mem_, r1.da, r1.num, r1.align, rpmsg::VringObserver::Watch::Avail);
            ready_ = true;
            AMPVP_TRACE("rpmsg", master_,
                        "resource table at " + hex(table_addr_) + ": vring0 " + hex(r0.da) + " (" + remote_ + " -> " +
                            master_ + "), vring1 " + hex(r1.da) + " (" + master_ + " -> " + remote_ + "), " +
                            std::to_string(r0.num) + " buffers each");
            break;
        }
        if (!ready_) {
            return;
        }
    }
    for (const auto &m : to_master_.scan()) {
        report(m, 0, remote_, master_);
    }
    for (const auto &m : to_remote_.scan()) {
        report(m, 1, master_, remote_);
    }
}

void RpmsgWatch::report(const rpmsg::VringObserver::Message &m, unsigned ring, const std::string &from,
                        const std::string &to)
{
    if (!m.error.empty()) {
        const std::string where = "vring" + std::to_string(ring) + " entry " + std::to_string(m.index);
        std::string text = where + ": " + m.error;
        if (m.has_header) {
            text += " (" + rpmsg::describe(m.hdr, m.payload.data(), static_cast<uint32_t>(m.payload.size())) + ")";
        }
        AMPVP_TRACE("rpmsg", from, text);
        AMPVP_TL(rpmsg(from, to, m.hdr.src, m.hdr.dst, m.hdr.len, "", text));
        if (!m.has_header) {
            return;
        }
    } else {
        const std::string text =
            rpmsg::describe(m.hdr, m.payload.data(), static_cast<uint32_t>(m.payload.size()));
        AMPVP_TRACE("rpmsg", from, text);
        AMPVP_TL(rpmsg(from, to, m.hdr.src, m.hdr.dst, m.hdr.len, text));
    }
    messages_++;
}

} // namespace ampvp
