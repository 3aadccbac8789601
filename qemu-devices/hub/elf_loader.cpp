#include "elf_loader.h"

#include "log.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

namespace ampvp {

namespace {
struct Fd {
    int fd;
    ~Fd()
    {
        if (fd >= 0) {
            close(fd);
        }
    }
};
struct ElfHandle {
    Elf *e;
    ~ElfHandle()
    {
        if (e) {
            elf_end(e);
        }
    }
};
} // namespace

ElfImage read_elf(const std::string &path)
{
    if (elf_version(EV_CURRENT) == EV_NONE) {
        throw ImageError("libelf initialisation failed");
    }
    Fd fd{open(path.c_str(), O_RDONLY | O_CLOEXEC)};
    if (fd.fd < 0) {
        throw ImageError(path + ": cannot open: " + std::strerror(errno));
    }
    ElfHandle h{elf_begin(fd.fd, ELF_C_READ, nullptr)};
    if (!h.e || elf_kind(h.e) != ELF_K_ELF) {
        throw ImageError(path + ": not an ELF file");
    }
    GElf_Ehdr eh;
    if (!gelf_getehdr(h.e, &eh)) {
        throw ImageError(path + ": unreadable ELF header: " + elf_errmsg(-1));
    }
    if (eh.e_ident[EI_CLASS] != ELFCLASS32) {
        throw ImageError(path + ": 64-bit ELF; Cortex-M images are 32-bit ARM");
    }
    if (eh.e_machine != EM_ARM) {
        throw ImageError(path + ": ELF for machine " + std::to_string(eh.e_machine) +
                         ", not ARM (40)");
    }
    if (eh.e_ident[EI_DATA] != ELFDATA2LSB) {
        throw ImageError(path + ": big-endian ELF; Cortex-M images are little-endian");
    }
    size_t n = 0;
    if (elf_getphdrnum(h.e, &n) != 0) {
        throw ImageError(path + ": unreadable program headers: " + elf_errmsg(-1));
    }
    ElfImage img;
    img.path = path;
    img.entry = eh.e_entry;
    const off_t file_size = lseek(fd.fd, 0, SEEK_END);
    for (size_t i = 0; i < n; i++) {
        GElf_Phdr ph;
        if (!gelf_getphdr(h.e, static_cast<int>(i), &ph)) {
            throw ImageError(path + ": unreadable program header " + std::to_string(i));
        }
        if (ph.p_type != PT_LOAD || ph.p_filesz == 0) {
            continue;
        }
        if (ph.p_offset + ph.p_filesz > static_cast<uint64_t>(file_size) ||
            ph.p_filesz > ph.p_memsz) {
            throw ImageError(path + ": segment " + std::to_string(i) +
                             " points outside the file (truncated ELF?)");
        }
        Segment s{static_cast<unsigned>(i), ph.p_paddr, ph.p_memsz,
                  std::vector<uint8_t>(ph.p_filesz)};
        if (pread(fd.fd, s.bytes.data(), ph.p_filesz, static_cast<off_t>(ph.p_offset)) !=
            static_cast<ssize_t>(ph.p_filesz)) {
            throw ImageError(path + ": cannot read segment " + std::to_string(i));
        }
        img.segments.push_back(std::move(s));
    }
    if (img.segments.empty()) {
        throw ImageError(path + ": no loadable segment (no PT_LOAD with file contents)");
    }
    return img;
}

std::vector<Placement> place_elf(const ElfImage &img, const MachineDesc &m, CoreId core)
{
    std::vector<Placement> out;
    const auto view = m.view(core);
    for (const auto &s : img.segments) {
        const uint64_t end = s.paddr + s.bytes.size();
        bool placed = false;
        for (const auto &mp : view) {
            if (s.paddr >= mp.base && end <= mp.base + mp.size) {
                out.push_back({&s, mp, mp.offset + (s.paddr - mp.base)});
                placed = true;
                break;
            }
        }
        if (!placed) {
            std::string mems;
            for (const auto &mp : view) {
                mems += (mems.empty() ? "" : ", ") + mp.name + " " + hex(mp.base) + "-" +
                        hex(mp.base + mp.size - 1);
            }
            throw ImageError(img.path + ": segment " + std::to_string(s.index) + " at " +
                             hex(s.paddr) + "-" + hex(end - 1) + " (" +
                             std::to_string(s.bytes.size()) +
                             " bytes) is outside the memories of core " + m.cores[core].name +
                             " (" + mems + ")");
        }
    }
    return out;
}

} // namespace ampvp
