// RPMsg decoding for `--trace rpmsg` (and the --trace-json timeline) when
// both ends of the link are firmware: ST's H7 OpenAMP applications (the CM7
// is the master, the CM4 the remote; the mailbox is HSEM: a freed semaphore
// notifies the other core), or two Cortex-M images on the MP15 with the IPCC
// as the mailbox.  (When the hub itself is the master -- machine stm32mp157's
// remoteproc model -- that model reports its own messages.)
//
// Where the resource table is: the first image that has an ELF section
// ".resource_table" (the MP15 convention, and our own firmware), else an
// object symbol "resource_table" (ST's rsc_table.c on the H7, where the
// section lands inside an output section such as ".openamp_section").  On the
// H7 the master fills the table in at run time, so it is read from shared
// memory -- not from the file -- at each notification until it is complete
// (version 1, an rpmsg vdev with two vrings at real addresses).
//
// At each notification (an HSEM semaphore freed, an IPCC channel occupied)
// the vrings are looked at: vring0 carries remote -> master messages (new
// entries of its used ring), vring1 master -> remote (new entries of its
// available ring).  One trace line per message, by the sending core:
//   [trace] 1234.567 cm4 rpmsg 0x400 -> 0x35, 40 bytes: name service: create 'ping-pong' at 0x400
//   [trace] 1234.890 cm7 rpmsg 0x400 -> 0x400, 4 bytes "\x01\x00\x00\x00"
// and problems as "[trace] ... rpmsg vring1 entry 7: <what is wrong>".
#pragma once

#include "rpmsg.h"
#include "timeline.h"

#include <functional>
#include <string>

namespace ampvp {

struct ElfImage;

class RpmsgWatch : public TimelineSink {
public:
    using MemFn = rpmsg::VringObserver::MemFn;
    // The table at `table_addr` (`table_size` bytes) in memory `mem` (the
    // master's view); `master`/`remote` name the cores for the lines.
    RpmsgWatch(MemFn mem, uint64_t table_addr, uint64_t table_size, std::string master, std::string remote);
    // Where an image keeps its resource table; false if it has none.
    static bool find_table(const ElfImage &img, uint64_t &addr, uint64_t &size, std::string &how);
    void event(const TlEvent &e) override;
    // Look at the table and the rings now (what a notification does).
    void poll();
    bool ready() const { return ready_; }
    uint64_t messages() const { return messages_; }

private:
    void report(const rpmsg::VringObserver::Message &m, unsigned ring, const std::string &from,
                const std::string &to);
    MemFn mem_;
    uint64_t table_addr_, table_size_;
    std::string master_, remote_;
    bool ready_ = false;
    rpmsg::VringObserver to_master_, to_remote_; // vring0 (used), vring1 (avail)
    uint64_t messages_ = 0;
};

} // namespace ampvp
