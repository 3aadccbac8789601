// RPMsg decoded from the side (rpmsg.h VringObserver, rpmsg_watch.h): a
// synthetic vring in a byte array, written the way a master and a remote
// write it (virtio 1.0 split ring, legacy layout; RPMsg header of 16 bytes).
#include "rpmsg.h"
#include "rpmsg_watch.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>

using namespace ampvp;
using namespace ampvp::rpmsg;

namespace {
constexpr uint64_t BASE = 0x38000000; // SRAM4, as ST's H7 OpenAMP examples
constexpr uint32_t NUM = 4, ALIGN = 16;
constexpr uint64_t RING = BASE + 0x400, BUFS = BASE + 0x800;

struct Shm {
    std::vector<uint8_t> mem = std::vector<uint8_t>(0x4000, 0);
    VringObserver::MemFn fn()
    {
        return [this](uint64_t a, uint64_t n) -> const uint8_t * {
            return a >= BASE && n <= mem.size() && a - BASE <= mem.size() - n ? mem.data() + (a - BASE) : nullptr;
        };
    }
    uint8_t *at(uint64_t a) { return mem.data() + (a - BASE); }
    template <typename T> void put(uint64_t a, T v) { std::memcpy(at(a), &v, sizeof(v)); }
    // Ring layout as vring_init: desc[NUM], avail {flags, idx, ring[NUM]}, used aligned.
    uint64_t avail() const { return RING + 16 * NUM; }
    uint64_t used() const { return (RING + 16 * NUM + 6 + 2 * NUM + ALIGN - 1) & ~uint64_t(ALIGN - 1); }
    void desc(uint16_t i, uint64_t addr, uint32_t len, uint16_t flags = 0, uint16_t next = 0)
    {
        put(RING + 16 * i, addr);
        put(RING + 16 * i + 8, len);
        put(RING + 16 * i + 12, flags);
        put(RING + 16 * i + 14, next);
    }
    void message(uint64_t buf, uint32_t src, uint32_t dst, const std::string &payload, uint16_t len_field = 0xFFFF)
    {
        Header h{src, dst, static_cast<uint16_t>(len_field == 0xFFFF ? payload.size() : len_field), 0};
        write_header(at(buf), h);
        std::memcpy(at(buf + HDR_SIZE), payload.data(), payload.size());
    }
    uint16_t used_idx() { uint16_t v; std::memcpy(&v, at(used() + 2), 2); return v; }
    uint16_t avail_idx() { uint16_t v; std::memcpy(&v, at(avail() + 2), 2); return v; }
    // The remote returns buffer `d` filled (used ring), as a remote sends.
    void use(uint16_t d, uint32_t len)
    {
        const uint16_t i = used_idx();
        put(used() + 4 + 8 * (i % NUM), uint32_t(d));
        put(used() + 4 + 8 * (i % NUM) + 4, len);
        put(used() + 2, uint16_t(i + 1));
    }
    // The master offers buffer `d` (avail ring), as a master sends.
    void offer(uint16_t d)
    {
        const uint16_t i = avail_idx();
        put(avail() + 4 + 2 * (i % NUM), d);
        put(avail() + 2, uint16_t(i + 1));
    }
};
} // namespace

// A message a remote sends: its buffer comes back in the used ring.
TEST(VringObserver, UsedEntryIsAMessageWithEndpointsLengthAndBytes)
{
    Shm s;
    VringObserver o(s.fn(), RING, NUM, ALIGN, VringObserver::Watch::Used);
    s.desc(0, BUFS, 512);
    s.message(BUFS, 0x400, 0x401, std::string("ping\0\x01", 6));
    s.use(0, 512);
    auto m = o.scan();
    ASSERT_EQ(m.size(), 1u);
    EXPECT_EQ(m[0].error, "");
    EXPECT_EQ(m[0].hdr.src, 0x400u);
    EXPECT_EQ(m[0].hdr.dst, 0x401u);
    EXPECT_EQ(m[0].payload.size(), 6u);
    EXPECT_EQ(describe(m[0].hdr, m[0].payload.data(), 6), "0x400 -> 0x401, 6 bytes \"ping\\x00\\x01\"");
    EXPECT_TRUE(o.scan().empty()) << "a message is reported once";
}

// The ring index is a free-running 16-bit counter: 65534, 65535, 0, 1.
TEST(VringObserver, IndexWrapsAround)
{
    Shm s;
    s.put(s.avail() + 2, uint16_t(65534));
    VringObserver o(s.fn(), RING, NUM, ALIGN, VringObserver::Watch::Avail);
    o.sync();
    for (uint16_t d = 0; d < 4; d++) {
        s.desc(d, BUFS + 512 * d, HDR_SIZE + 1);
        s.message(BUFS + 512 * d, 0x400, 0x35 + d, std::string(1, char('a' + d)));
        s.offer(d);
    }
    EXPECT_EQ(s.avail_idx(), 2);
    auto m = o.scan();
    ASSERT_EQ(m.size(), 4u);
    for (uint16_t d = 0; d < 4; d++) {
        EXPECT_EQ(m[d].error, "");
        EXPECT_EQ(m[d].hdr.dst, 0x35u + d);
        EXPECT_EQ(m[d].payload, std::vector<uint8_t>{uint8_t('a' + d)});
    }
    EXPECT_EQ(m[1].index, 65535);
    EXPECT_EQ(m[2].index, 0);
}

// VRING_DESC_F_NEXT: the header in one buffer, the payload in the next.
TEST(VringObserver, ChainedDescriptorsAreOneMessage)
{
    Shm s;
    VringObserver o(s.fn(), RING, NUM, ALIGN, VringObserver::Watch::Avail);
    write_header(s.at(BUFS), {0x401, 0x400, 5, 0});
    std::memcpy(s.at(BUFS + 0x100), "hello", 5);
    s.desc(2, BUFS, HDR_SIZE, VringObserver::DESC_F_NEXT, 3);
    s.desc(3, BUFS + 0x100, 5);
    s.offer(2);
    auto m = o.scan();
    ASSERT_EQ(m.size(), 1u);
    EXPECT_EQ(m[0].error, "");
    EXPECT_EQ(std::string(m[0].payload.begin(), m[0].payload.end()), "hello");
}

// Messages to address 0x35 are name-service announcements: shown by name.
TEST(VringObserver, NameServiceAnnouncementIsShownByName)
{
    Shm s;
    VringObserver o(s.fn(), RING, NUM, ALIGN, VringObserver::Watch::Used);
    uint8_t ns[40] = {};
    std::strcpy(reinterpret_cast<char *>(ns), "rpmsg-openamp-demo-channel");
    const uint32_t addr = 0x400, flags = NS_CREATE;
    std::memcpy(ns + 32, &addr, 4);
    std::memcpy(ns + 36, &flags, 4);
    s.desc(1, BUFS, 512);
    s.message(BUFS, 0x400, NS_ADDR, std::string(reinterpret_cast<char *>(ns), 40));
    s.use(1, 512);
    auto m = o.scan();
    ASSERT_EQ(m.size(), 1u);
    EXPECT_EQ(describe(m[0].hdr, m[0].payload.data(), 40),
              "0x400 -> 0x35, 40 bytes: name service: create 'rpmsg-openamp-demo-channel' at 0x400");
}

// A header claiming more than its buffer holds is reported, not over-read.
TEST(VringObserver, LengthBeyondTheBufferIsReported)
{
    Shm s;
    VringObserver o(s.fn(), RING, NUM, ALIGN, VringObserver::Watch::Avail);
    s.desc(0, BUFS, 64);
    s.message(BUFS, 0x400, 0x400, std::string(48, 'x'), 1000);
    s.offer(0);
    auto m = o.scan();
    ASSERT_EQ(m.size(), 1u);
    EXPECT_EQ(m[0].error, "header says 1000 bytes, the buffer holds 48");
    EXPECT_EQ(m[0].payload.size(), 48u);
}

// Descriptor ids, buffer addresses and chains the firmware got wrong.
TEST(VringObserver, BadDescriptorsAreReportedEachInOneLine)
{
    Shm s;
    VringObserver o(s.fn(), RING, NUM, ALIGN, VringObserver::Watch::Used);
    s.use(9, 512); // no such descriptor
    s.desc(0, 0x20000000, 512);
    s.use(0, 512); // buffer outside the shared memory
    s.desc(1, BUFS, 8, VringObserver::DESC_F_NEXT, 2);
    s.desc(2, BUFS, 8, VringObserver::DESC_F_NEXT, 1);
    s.use(1, 512); // a loop
    auto m = o.scan();
    ASSERT_EQ(m.size(), 3u);
    EXPECT_EQ(m[0].error, "descriptor 9 out of range (the ring has 4)");
    EXPECT_EQ(m[1].error, "buffer 0x20000000 (512 bytes) outside shared memory");
    EXPECT_EQ(m[2].error, "descriptor chain longer than the ring (a loop)");
}

// More new entries than the ring holds: the overwritten ones are counted.
TEST(VringObserver, EntriesPassedUnseenAreCounted)
{
    Shm s;
    VringObserver o(s.fn(), RING, NUM, ALIGN, VringObserver::Watch::Avail);
    s.put(s.avail() + 2, uint16_t(10));
    auto m = o.scan();
    ASSERT_EQ(m.size(), 5u);
    EXPECT_EQ(m[0].error, "6 messages passed unseen (no notification between them)");
}

// Whatever the rings hold, scan() returns and reads only inside memory.
TEST(VringObserver, RandomRingsNeverCrash)
{
    std::mt19937 rng(13);
    for (int round = 0; round < 2000; round++) {
        Shm s;
        for (uint64_t a = RING; a < RING + 0x200; a++) {
            s.mem[a - BASE] = static_cast<uint8_t>(rng());
        }
        for (int k = 0; k < 8; k++) { // some descriptors pointing at real buffers
            s.desc(rng() % NUM, BUFS + (rng() % 16) * 256, rng() % 700, rng() % 8, rng() % 6);
        }
        VringObserver o(s.fn(), RING, NUM, ALIGN,
                        round % 2 ? VringObserver::Watch::Used : VringObserver::Watch::Avail);
        for (const auto &m : o.scan()) {
            EXPECT_LE(m.payload.size(), VringObserver::MAX_MESSAGE);
            if (m.has_header) {
                (void)describe(m.hdr, m.payload.data(), static_cast<uint32_t>(m.payload.size()));
            }
        }
    }
}

// The table is read from memory at each notification until the master has
// written it whole; then both rings are watched.
TEST(RpmsgWatch, WaitsForTheMasterToWriteTheTable)
{
    Shm s;
    RpmsgWatch w(s.fn(), BASE, 0x8C, "cm7", "cm4");
    w.poll();
    EXPECT_FALSE(w.ready()) << "a zeroed table is not a table";
    // version 1, one vdev (rpmsg) with two vrings at RING and RING + 0x200.
    std::vector<uint8_t> t(0x8C, 0);
    put32(t, 0, 1);
    put32(t, 4, 1);
    put32(t, 16, 0x18);
    put32(t, 0x18, RSC_VDEV);
    put32(t, 0x1C, VIRTIO_ID_RPMSG);
    t[0x31] = 2;
    const uint32_t v0[] = {uint32_t(RING), ALIGN, NUM, 0, 0}, v1[] = {uint32_t(RING + 0x200), ALIGN, NUM, 1, 0};
    std::memcpy(t.data() + 0x34, v0, 20);
    std::memcpy(t.data() + 0x48, v1, 20);
    std::memcpy(s.at(BASE), t.data(), t.size());
    s.desc(0, BUFS, 512);
    s.message(BUFS, 0x400, 0x400, "x");
    s.use(0, 512);
    w.poll();
    EXPECT_TRUE(w.ready());
    EXPECT_EQ(w.messages(), 1u);
}
