// libFuzzer harness for the bridge protocol library (ampvp_proto.c): any
// bytes go to ampvp_decode; whatever it accepts must encode back, with
// ampvp_encode, to exactly the same bytes, and decode again to the same
// message.  Whatever it rejects must come with a NUL-terminated reason.
// Built and run by bench/fuzz; seeds in tests/fuzz/corpus/protocol.
#include "ampvp_proto.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#define CHECK(cond)                                                                         \
    do {                                                                                    \
        if (!(cond)) {                                                                      \
            std::fprintf(stderr, "fuzz_protocol: check failed at line %d: %s\n", __LINE__, #cond); \
            std::abort();                                                                   \
        }                                                                                   \
    } while (0)

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > AMPVP_MSG_MAX) {
        return 0; // SEQPACKET receive buffers are AMPVP_MSG_MAX bytes: never more
    }
    // A copy of exactly `size` bytes, so ASan catches any read past the end.
    std::vector<uint8_t> in(data, data + size);
    ampvp_msg m;
    char err[128];
    std::memset(err, 0x5A, sizeof(err));
    const int rc = ampvp_decode(in.data(), in.size(), &m, err, sizeof(err));
    if (rc != AMPVP_OK) {
        CHECK(rc == AMPVP_E_MALFORMED);
        CHECK(std::memchr(err, '\0', sizeof(err)) != nullptr);
        CHECK(err[0] != '\0');
        return 0;
    }
    CHECK(std::strcmp(ampvp_msg_name(m.hdr.type), "unknown") != 0);
    CHECK(m.hdr.len == size - sizeof(ampvp_hdr));
    // The fixed part is what the payload holds before the text (if any).
    size_t text_len = 0;
    if (m.text) {
        CHECK(m.text >= reinterpret_cast<const char *>(in.data()) + sizeof(ampvp_hdr));
        text_len = std::strlen(m.text) + 1;
        CHECK(m.text + text_len == reinterpret_cast<const char *>(in.data()) + size);
    }
    CHECK(m.hdr.len >= text_len);
    const size_t fixed_len = m.hdr.len - text_len;
    CHECK(fixed_len <= sizeof(m.u));

    std::vector<uint8_t> out(size + 16);
    const ampvp_out again{m.hdr.type, m.hdr.flags, m.hdr.seq, m.hdr.vtime_ns,
                          fixed_len ? &m.u : nullptr, fixed_len, m.text};
    const size_t n = ampvp_encode(out.data(), out.size(), &again);
    CHECK(n == size);
    CHECK(std::memcmp(out.data(), in.data(), size) == 0);

    // One byte too small a buffer: encode must refuse, not overflow.
    std::vector<uint8_t> small(size - 1);
    CHECK(ampvp_encode(small.data(), small.size(), &again) == 0);

    ampvp_msg m2;
    CHECK(ampvp_decode(out.data(), n, &m2, err, sizeof(err)) == AMPVP_OK);
    CHECK(std::memcmp(&m.hdr, &m2.hdr, sizeof(m.hdr)) == 0);
    CHECK(std::memcmp(&m.u, &m2.u, fixed_len) == 0);
    CHECK((m.text == nullptr) == (m2.text == nullptr));
    if (m.text) {
        CHECK(std::strcmp(m.text, m2.text) == 0);
    }
    return 0;
}
