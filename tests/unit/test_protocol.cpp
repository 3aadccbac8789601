// Bridge protocol encode/decode, including malformed input: a bad message must
// yield an error naming what is wrong, never a crash or an over-read.
#include "ampvp_proto.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace {

std::vector<uint8_t> encode(uint16_t type, const void *fixed, size_t len, const char *text = nullptr,
                            uint16_t flags = 0)
{
    std::vector<uint8_t> buf(AMPVP_MSG_MAX);
    const ampvp_out out{type, flags, 7, 1234, fixed, len, text};
    size_t n = ampvp_encode(buf.data(), buf.size(), &out);
    buf.resize(n);
    return buf;
}

std::string decode_error(const std::vector<uint8_t> &b)
{
    ampvp_msg m;
    char err[200] = "";
    int rc = ampvp_decode(b.data(), b.size(), &m, err, sizeof(err));
    return rc == AMPVP_OK ? "" : err;
}

TEST(Protocol, HeaderIs24BytesAndFieldsRoundTrip)
{
    EXPECT_EQ(sizeof(ampvp_hdr), 24u);
    ampvp_read rd{0x40004810, 4, 0};
    auto b = encode(AMPVP_MSG_READ, &rd, sizeof(rd));
    ASSERT_EQ(b.size(), sizeof(ampvp_hdr) + sizeof(rd));
    ampvp_msg m;
    ASSERT_EQ(ampvp_decode(b.data(), b.size(), &m, nullptr, 0), AMPVP_OK);
    EXPECT_EQ(m.hdr.type, AMPVP_MSG_READ);
    EXPECT_EQ(m.hdr.seq, 7u);
    EXPECT_EQ(m.hdr.vtime_ns, 1234u);
    EXPECT_EQ(m.u.read.addr, 0x40004810u);
    EXPECT_EQ(m.u.read.size, 4u);
}

// Protocol 2.5 (cap BATCH): one async datagram may hold several messages back to
// back; ampvp_first_len splits them, and a cut-short tail is refused (0).
TEST(Protocol, ABatchSplitsIntoWholeMessages)
{
    ampvp_irq irq{126, 1};
    auto ev = encode(AMPVP_MSG_EVENT, nullptr, 0);
    auto iq = encode(AMPVP_MSG_IRQ, &irq, sizeof(irq));
    std::vector<uint8_t> batch(ev);
    batch.insert(batch.end(), iq.begin(), iq.end());
    ASSERT_EQ(ampvp_first_len(batch.data(), batch.size()), ev.size());
    const uint8_t *rest = batch.data() + ev.size();
    ASSERT_EQ(ampvp_first_len(rest, batch.size() - ev.size()), iq.size());
    ampvp_msg m;
    ASSERT_EQ(ampvp_decode(rest, iq.size(), &m, nullptr, 0), AMPVP_OK);
    EXPECT_EQ(m.u.irq.line, 126u);
    EXPECT_EQ(ampvp_first_len(rest, iq.size() - 1), 0u) << "payload cut short";
    EXPECT_EQ(ampvp_first_len(rest, sizeof(ampvp_hdr) - 1), 0u) << "header cut short";
}

TEST(Protocol, PostedWriteKeepsItsFlag)
{
    ampvp_write wr{0x40004828, 'A', 1, 0};
    auto b = encode(AMPVP_MSG_WRITE, &wr, sizeof(wr), nullptr, AMPVP_F_POSTED);
    ampvp_msg m;
    ASSERT_EQ(ampvp_decode(b.data(), b.size(), &m, nullptr, 0), AMPVP_OK);
    EXPECT_TRUE(m.hdr.flags & AMPVP_F_POSTED);
    EXPECT_EQ(m.u.write.data, 'A');
}

// ARMv7-M ARM, VTOR: TBLOFF holds bits [31:7]; a START naming an unaligned
// vector table cannot be obeyed and is rejected with the address in the text.
TEST(Protocol, StartCarriesAnAlignedVectorTable)
{
    ampvp_start st{0x10000000, 0};
    ampvp_msg m;
    auto b = encode(AMPVP_MSG_START, &st, sizeof(st));
    ASSERT_EQ(ampvp_decode(b.data(), b.size(), &m, nullptr, 0), AMPVP_OK);
    EXPECT_EQ(m.u.start.vtor, 0x10000000u);
    st.vtor = 0x10000004;
    EXPECT_NE(decode_error(encode(AMPVP_MSG_START, &st, sizeof(st))).find("0x10000004"),
              std::string::npos);
    EXPECT_EQ(encode(AMPVP_MSG_START, nullptr, 0).size(), 0u); // START without its payload
}

TEST(Protocol, HelloAckCarriesConfigText)
{
    ampvp_hello_ack ack{1, 0, AMPVP_CAP_POSTED_WRITES, AMPVP_OK, 0};
    auto b = encode(AMPVP_MSG_HELLO_ACK, &ack, sizeof(ack), "cpu cortex-m7\nnum-irq 150\n");
    ampvp_msg m;
    ASSERT_EQ(ampvp_decode(b.data(), b.size(), &m, nullptr, 0), AMPVP_OK);
    EXPECT_STREQ(m.text, "cpu cortex-m7\nnum-irq 150\n");
}

TEST(Protocol, EncodeRefusesWrongPayloadSizeOrTextOnFixedTypes)
{
    uint8_t buf[256];
    ampvp_read rd{};
    const ampvp_out short_fixed{AMPVP_MSG_READ, 0, 0, 0, &rd, 3, nullptr};
    const ampvp_out text_on_read{AMPVP_MSG_READ, 0, 0, 0, &rd, sizeof(rd), "x"};
    const ampvp_out unknown{999, 0, 0, 0, nullptr, 0, nullptr};
    const ampvp_out read{AMPVP_MSG_READ, 0, 0, 0, &rd, sizeof(rd), nullptr};
    EXPECT_EQ(ampvp_encode(buf, sizeof(buf), &short_fixed), 0u);
    EXPECT_EQ(ampvp_encode(buf, sizeof(buf), &text_on_read), 0u);
    EXPECT_EQ(ampvp_encode(buf, sizeof(buf), &unknown), 0u);
    EXPECT_EQ(ampvp_encode(buf, 10, &read), 0u);
}

TEST(Protocol, ShortMessageIsRejected)
{
    std::vector<uint8_t> b(10, 0);
    EXPECT_NE(decode_error(b).find("shorter than"), std::string::npos);
}

TEST(Protocol, UnknownTypeIsNamed)
{
    auto b = encode(AMPVP_MSG_READY, nullptr, 0);
    b[0] = 200;
    EXPECT_NE(decode_error(b).find("type 200 is not known"), std::string::npos);
}

TEST(Protocol, LengthMismatchIsRejected)
{
    ampvp_read rd{0x40000000, 4, 0};
    auto b = encode(AMPVP_MSG_READ, &rd, sizeof(rd));
    b.pop_back();
    EXPECT_NE(decode_error(b).find("READ: header says"), std::string::npos);
}

TEST(Protocol, BadAccessSizeIsRejected)
{
    ampvp_read rd{0x40000000, 3, 0};
    auto b = encode(AMPVP_MSG_READ, &rd, sizeof(rd));
    EXPECT_NE(decode_error(b).find("access size 3"), std::string::npos);
}

TEST(Protocol, HelloWithWrongMagicIsRejected)
{
    ampvp_hello h{};
    h.magic = 0x12345678;
    auto b = encode(AMPVP_MSG_HELLO, &h, sizeof(h));
    EXPECT_NE(decode_error(b).find("bad magic"), std::string::npos);
}

TEST(Protocol, TextWithoutTerminatorIsRejected)
{
    ampvp_error e{1, 0};
    auto b = encode(AMPVP_MSG_ERROR, &e, sizeof(e), "oops");
    b.back() = 'x'; // overwrite the NUL
    EXPECT_NE(decode_error(b).find("NUL-terminated"), std::string::npos);
}

TEST(Protocol, PostedFlagOnlyOnWrites)
{
    ampvp_read rd{0x40000000, 4, 0};
    auto b = encode(AMPVP_MSG_READ, &rd, sizeof(rd));
    b[2] = AMPVP_F_POSTED; // flags field
    EXPECT_NE(decode_error(b).find("flags"), std::string::npos);
}

// Protocol 2.6: F_CUT answers an access (READ_RESP, WRITE_RESP, SYNC_RESP)
// during a GRANT; on anything else it is a misplaced flag.
TEST(Protocol, CutFlagOnlyOnAnswers)
{
    ampvp_read_resp rr{0x1, 0, 0};
    auto ok = encode(AMPVP_MSG_READ_RESP, &rr, sizeof(rr), nullptr, AMPVP_F_CUT);
    EXPECT_EQ(decode_error(ok), "");
    EXPECT_EQ(decode_error(encode(AMPVP_MSG_SYNC_RESP, nullptr, 0, nullptr, AMPVP_F_CUT)), "");
    ampvp_read rd{0x40000000, 4, 0};
    auto b = encode(AMPVP_MSG_READ, &rd, sizeof(rd), nullptr, AMPVP_F_CUT);
    EXPECT_NE(decode_error(b).find("flags"), std::string::npos);
}

TEST(Protocol, GrantRunsFromItsIdleEndToItsLastQuantumEnd)
{
    ampvp_grant g{100000, 200000, 1000000};
    ampvp_msg m;
    auto b = encode(AMPVP_MSG_GRANT, &g, sizeof(g));
    ASSERT_EQ(ampvp_decode(b.data(), b.size(), &m, nullptr, 0), AMPVP_OK);
    EXPECT_EQ(m.u.grant.until, 200000u);
    EXPECT_EQ(m.u.grant.last, 1000000u);
    EXPECT_EQ(m.u.grant.from, 100000u);
    ampvp_grant bad{100000, 200000, 150000}, behind{200000, 200000, 200000};
    EXPECT_NE(decode_error(encode(AMPVP_MSG_GRANT, &bad, sizeof(bad))).find("not in order"), std::string::npos);
    EXPECT_NE(decode_error(encode(AMPVP_MSG_GRANT, &behind, sizeof(behind))).find("not in order"),
              std::string::npos);
}

TEST(Protocol, IrqLevelMustBe0Or1)
{
    ampvp_irq irq{39, 2};
    auto b = encode(AMPVP_MSG_IRQ, &irq, sizeof(irq));
    EXPECT_NE(decode_error(b).find("level 2"), std::string::npos);
}

// Protocol 2.2: FAULT carries the fault status registers and, for a lockup,
// QEMU's reason; anything but a fault exception (3-6) or lockup is refused.
TEST(Protocol, FaultCarriesStatusRegistersAndLockupText)
{
    ampvp_fault f{5, 0x08000204, 0x08000121, 0x8200, 0, 0, 0x60000000, 0};
    ampvp_msg m;
    auto b = encode(AMPVP_MSG_FAULT, &f, sizeof(f), "");
    ASSERT_EQ(ampvp_decode(b.data(), b.size(), &m, nullptr, 0), AMPVP_OK);
    EXPECT_EQ(m.u.fault.bfar, 0x60000000u);
    EXPECT_EQ(m.u.fault.cfsr, 0x8200u);
    f.exc = AMPVP_FAULT_LOCKUP;
    b = encode(AMPVP_MSG_FAULT, &f, sizeof(f), "can't escalate");
    ASSERT_EQ(ampvp_decode(b.data(), b.size(), &m, nullptr, 0), AMPVP_OK);
    EXPECT_STREQ(m.text, "can't escalate");
    f.exc = 11; // SVCall is no fault
    EXPECT_NE(decode_error(encode(AMPVP_MSG_FAULT, &f, sizeof(f), "")).find("exception 11"), std::string::npos);
}

TEST(Protocol, DebugStateIsHaltedOrRunning)
{
    ampvp_debug d{AMPVP_DBG_HALTED, 0};
    ampvp_msg m;
    auto b = encode(AMPVP_MSG_DEBUG, &d, sizeof(d));
    ASSERT_EQ(ampvp_decode(b.data(), b.size(), &m, nullptr, 0), AMPVP_OK);
    EXPECT_EQ(m.u.debug.state, 1u);
    d.state = 2;
    EXPECT_NE(decode_error(encode(AMPVP_MSG_DEBUG, &d, sizeof(d))).find("debug state 2"), std::string::npos);
    EXPECT_GT(encode(AMPVP_MSG_HALT, nullptr, 0).size(), 0u);
    EXPECT_GT(encode(AMPVP_MSG_RESUME, nullptr, 0).size(), 0u);
}

// Random garbage of every length up to a few headers: the decoder never reads
// past the buffer (ASan in bench/fuzz), and every verdict is checkable: a
// rejected message comes with a reason, an accepted one encodes back to exactly
// the same bytes (so the decoder accepted only what the encoder would make).
TEST(Protocol, RandomGarbageIsRejectedWithAReasonOrRoundTrips)
{
    std::mt19937 rng(42);
    unsigned accepted = 0;
    for (int i = 0; i < 20000; i++) {
        std::vector<uint8_t> b(rng() % 120);
        for (auto &x : b) {
            x = static_cast<uint8_t>(rng());
        }
        if (b.size() >= 24 && (i & 1)) { // a consistent length and a known type half the time
            uint32_t len = static_cast<uint32_t>(b.size() - 24);
            std::memcpy(&b[4], &len, 4);
            const uint16_t types[] = {AMPVP_MSG_EVENT, AMPVP_MSG_READY, AMPVP_MSG_BYE, AMPVP_MSG_WAKE};
            const uint16_t t = types[rng() % 4];
            std::memcpy(&b[0], &t, 2);
            if (i % 4 == 1) { // header-only messages: a valid one now and then
                b.resize(24);
                uint32_t zero = 0;
                std::memcpy(&b[4], &zero, 4);
                std::memcpy(&b[2], &zero, 2);  // flags
                std::memcpy(&b[12], &zero, 4); // reserved
            }
        }
        ampvp_msg m;
        char err[128] = "";
        if (ampvp_decode(b.data(), b.size(), &m, err, sizeof(err)) != AMPVP_OK) {
            EXPECT_NE(err[0], 0) << "rejected without a reason, input " << i;
            continue;
        }
        accepted++;
        uint8_t out[AMPVP_MSG_MAX];
        const ampvp_out again{m.hdr.type, m.hdr.flags, m.hdr.seq, m.hdr.vtime_ns,
                              b.size() > 24 ? b.data() + 24 : nullptr, b.size() - 24, nullptr};
        const size_t n = ampvp_encode(out, sizeof(out), &again);
        ASSERT_EQ(n, b.size()) << "input " << i;
        EXPECT_EQ(std::memcmp(out, b.data(), n), 0) << "input " << i;
    }
    EXPECT_GT(accepted, 100u) << "the test no longer reaches the accepting path";
}

} // namespace
