// Shared helpers for the unit tests.
#pragma once

#include "device.h"
#include "log.h"

#include <cstdint>
#include <cstring>
#include <elf.h>
#include <fstream>
#include <map>
#include <string>
#include <unistd.h>
#include <vector>

namespace testutil {

// Receives waveforms on numbered inputs, as a GPIO pin or an ADC would (a
// timer's channel or output connected with IrqLine::connect_input).
struct WaveSink : ampvp::Device {
    std::map<unsigned, ampvp::Waveform> last;
    std::map<unsigned, int> messages, rises;
    WaveSink() : ampvp::Device("sink") {}
    uint32_t read(ampvp::BusAccess &) override { return 0; }
    void write(ampvp::BusAccess &, uint32_t) override {}
    void input(unsigned n, bool level) override
    {
        rises[n] += level && !last[n].level;
        input_wave(n, ampvp::Waveform::constant(level));
    }
    void input_wave(unsigned n, const ampvp::Waveform &w) override
    {
        last[n] = w;
        messages[n]++;
    }
};

// Captures the hub's log lines while alive.
struct LogCapture {
    std::vector<std::string> lines;
    LogCapture()
    {
        ampvp::log().clear_once();
        ampvp::log().set_sink([this](const std::string &l, bool) { lines.push_back(l); });
    }
    ~LogCapture() { ampvp::log().reset_sink(); }
    int count(const std::string &s) const
    {
        int n = 0;
        for (const auto &l : lines) {
            n += l.find(s) != std::string::npos;
        }
        return n;
    }
    bool has(const std::string &s) const { return count(s) > 0; }
};

// A temporary file removed at scope exit.
struct TempFile {
    std::string path;
    explicit TempFile(const std::string &contents)
    {
        char templ[] = "/tmp/ampvp-unit-XXXXXX";
        int fd = mkstemp(templ);
        path = templ;
        if (fd >= 0) {
            (void)!write(fd, contents.data(), contents.size());
            close(fd);
        }
    }
    ~TempFile() { unlink(path.c_str()); }
};

struct Seg {
    uint32_t paddr;
    std::vector<uint8_t> bytes;
    uint32_t memsz = 0; // 0: same as bytes.size()
    uint32_t type = PT_LOAD;
};

// Build a little-endian ELF32 image in memory.
inline std::string make_elf32(const std::vector<Seg> &segs, uint16_t machine = EM_ARM,
                              unsigned char cls = ELFCLASS32)
{
    Elf32_Ehdr eh{};
    std::memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = cls;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_type = ET_EXEC;
    eh.e_machine = machine;
    eh.e_version = EV_CURRENT;
    eh.e_entry = segs.empty() ? 0 : segs[0].paddr;
    eh.e_phoff = sizeof(Elf32_Ehdr);
    eh.e_ehsize = sizeof(Elf32_Ehdr);
    eh.e_phentsize = sizeof(Elf32_Phdr);
    eh.e_phnum = static_cast<uint16_t>(segs.size());
    std::string out(reinterpret_cast<const char *>(&eh), sizeof(eh));
    uint32_t off = sizeof(Elf32_Ehdr) + segs.size() * sizeof(Elf32_Phdr);
    std::string data;
    for (const auto &s : segs) {
        Elf32_Phdr ph{};
        ph.p_type = s.type;
        ph.p_offset = off + static_cast<uint32_t>(data.size());
        ph.p_vaddr = ph.p_paddr = s.paddr;
        ph.p_filesz = static_cast<uint32_t>(s.bytes.size());
        ph.p_memsz = s.memsz ? s.memsz : ph.p_filesz;
        ph.p_flags = PF_R | PF_X;
        out.append(reinterpret_cast<const char *>(&ph), sizeof(ph));
        data.append(s.bytes.begin(), s.bytes.end());
    }
    return out + data;
}

inline std::string source_dir() { return AMPVP_SOURCE_DIR; }

// A register access by a core to a model, as the bus would make it.
template <class D> uint32_t reg_read(D &d, uint32_t off, ampvp::CoreId core = 0)
{
    ampvp::BusAccess a;
    a.core = core;
    a.core_name = core == 0 ? "cm7" : "cm4";
    a.offset = off;
    return d.read(a);
}
template <class D> void reg_write(D &d, uint32_t off, uint32_t v, ampvp::CoreId core = 0)
{
    ampvp::BusAccess a;
    a.core = core;
    a.core_name = core == 0 ? "cm7" : "cm4";
    a.offset = off;
    d.write(a, v);
}

} // namespace testutil
