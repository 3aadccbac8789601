#include "elf_loader.h"

#include "log.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <map>
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
    // Allocated sections by name (a file without section headers has none).
    size_t shstrndx = 0;
    if (elf_getshdrstrndx(h.e, &shstrndx) == 0) {
        for (Elf_Scn *scn = elf_nextscn(h.e, nullptr); scn; scn = elf_nextscn(h.e, scn)) {
            GElf_Shdr sh;
            const char *name = gelf_getshdr(scn, &sh) ? elf_strptr(h.e, shstrndx, sh.sh_name) : nullptr;
            if (!name || !(sh.sh_flags & SHF_ALLOC)) {
                continue;
            }
            Section sec{name, sh.sh_addr, sh.sh_size, {}};
            if (sh.sh_type != SHT_NOBITS && sh.sh_size) {
                if (sh.sh_offset + sh.sh_size > static_cast<uint64_t>(file_size)) {
                    throw ImageError(path + ": section " + sec.name + " points outside the file (truncated ELF?)");
                }
                sec.bytes.resize(sh.sh_size);
                if (pread(fd.fd, sec.bytes.data(), sh.sh_size, static_cast<off_t>(sh.sh_offset)) !=
                    static_cast<ssize_t>(sh.sh_size)) {
                    throw ImageError(path + ": cannot read section " + sec.name);
                }
            }
            img.sections.push_back(std::move(sec));
        }
    }
    // Function symbols, for fault reports ("at 0x08000412 <main+0x12>").
    for (Elf_Scn *scn = elf_nextscn(h.e, nullptr); scn; scn = elf_nextscn(h.e, scn)) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || !sh.sh_entsize) {
            continue;
        }
        Elf_Data *data = elf_getdata(scn, nullptr);
        const size_t count = data ? sh.sh_size / sh.sh_entsize : 0;
        for (size_t i = 0; i < count; i++) {
            GElf_Sym sym;
            if (!gelf_getsym(data, static_cast<int>(i), &sym)) {
                continue;
            }
            const int type = GELF_ST_TYPE(sym.st_info);
            const char *name = type == STT_FUNC || type == STT_OBJECT ? elf_strptr(h.e, sh.sh_link, sym.st_name)
                                                                        : nullptr;
            if (name && *name) {
                (type == STT_FUNC ? img.functions : img.objects)
                    .push_back({name, type == STT_FUNC ? sym.st_value & ~1ull : sym.st_value, sym.st_size});
            }
        }
    }
    std::sort(img.functions.begin(), img.functions.end(),
              [](const Symbol &a, const Symbol &b) { return a.addr < b.addr; });
    return img;
}

std::string ElfImage::symbolize(uint64_t addr) const
{
    auto it = std::upper_bound(functions.begin(), functions.end(), addr,
                               [](uint64_t a, const Symbol &s) { return a < s.addr; });
    if (it == functions.begin()) {
        return "";
    }
    --it;
    if (addr >= it->addr + std::max<uint64_t>(it->size, 1)) {
        return "";
    }
    const uint64_t off = addr - it->addr;
    return off ? it->name + "+" + hex(off, 1) : it->name;
}

namespace {
// The mapping of `view` that holds all of `s`, as a placement; false if none.
bool place_in(const Segment &s, const std::vector<Mapping> &view, std::vector<Placement> &out)
{
    for (const auto &mp : view) {
        if (s.paddr >= mp.base && s.paddr + s.bytes.size() <= mp.base + mp.size) {
            out.push_back({&s, mp, mp.offset + (s.paddr - mp.base)});
            return true;
        }
    }
    return false;
}
} // namespace

std::vector<Placement> place_elf(const ElfImage &img, const MachineDesc &m, CoreId core)
{
    std::vector<Placement> out;
    const auto view = m.view(core);
    for (const auto &s : img.segments) {
        const uint64_t end = s.paddr + s.bytes.size();
        if (!place_in(s, view, out)) {
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

ElfImage read_ihex(const std::string &path)
{
    std::ifstream in(path);
    if (!in) {
        throw ImageError(path + ": cannot open: " + std::strerror(errno));
    }
    std::map<uint64_t, uint8_t> bytes; // address -> byte (sparse; images are small)
    uint64_t base = 0;
    bool eof = false;
    std::string line;
    unsigned lineno = 0;
    auto hexval = [&](const std::string &t, size_t pos, size_t n) {
        uint32_t v = 0;
        for (size_t i = 0; i < n; i++) {
            const char c = t.at(pos + i);
            const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                         : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (d < 0) {
                throw ImageError(path + ":" + std::to_string(lineno) + ": '" + c + "' is not a hex digit");
            }
            v = (v << 4) | static_cast<uint32_t>(d);
        }
        return v;
    };
    while (std::getline(in, line)) {
        lineno++;
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        if (line.empty()) {
            continue;
        }
        if (eof) {
            throw ImageError(path + ":" + std::to_string(lineno) + ": data after the end-of-file record");
        }
        if (line[0] != ':' || line.size() < 11 || (line.size() - 1) % 2) {
            throw ImageError(path + ":" + std::to_string(lineno) + ": not an Intel HEX record");
        }
        const uint32_t len = hexval(line, 1, 2);
        if (line.size() != 11 + 2 * len) {
            throw ImageError(path + ":" + std::to_string(lineno) + ": record length " +
                             std::to_string(len) + " does not match the line");
        }
        uint8_t sum = 0;
        for (size_t i = 1; i < line.size(); i += 2) {
            sum = static_cast<uint8_t>(sum + hexval(line, i, 2));
        }
        if (sum != 0) {
            throw ImageError(path + ":" + std::to_string(lineno) + ": checksum mismatch");
        }
        const uint32_t addr = hexval(line, 3, 4), type = hexval(line, 7, 2);
        switch (type) {
        case 0x00:
            for (uint32_t i = 0; i < len; i++) {
                bytes[base + addr + i] = static_cast<uint8_t>(hexval(line, 9 + 2 * i, 2));
            }
            break;
        case 0x01: eof = true; break;
        case 0x02: base = static_cast<uint64_t>(hexval(line, 9, 4)) << 4; break;   // segment address
        case 0x04: base = static_cast<uint64_t>(hexval(line, 9, 4)) << 16; break;  // linear address
        case 0x03: case 0x05: break; // start address: the cores boot from their vector tables
        default:
            throw ImageError(path + ":" + std::to_string(lineno) + ": unknown record type " +
                             std::to_string(type));
        }
    }
    if (!eof) {
        throw ImageError(path + ": no end-of-file record (truncated Intel HEX?)");
    }
    ElfImage img;
    img.path = path;
    for (const auto &[a, b] : bytes) {
        if (img.segments.empty() || img.segments.back().paddr + img.segments.back().bytes.size() != a) {
            img.segments.push_back({static_cast<unsigned>(img.segments.size()), a, 0, {}});
        }
        img.segments.back().bytes.push_back(b);
        img.segments.back().memsz = img.segments.back().bytes.size();
    }
    if (img.segments.empty()) {
        throw ImageError(path + ": no data records");
    }
    return img;
}

ElfImage read_image(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw ImageError(path + ": cannot open: " + std::strerror(errno));
    }
    const int first = in.get();
    return first == ':' ? read_ihex(path) : read_elf(path);
}

std::vector<Placement> place_combined(const ElfImage &img, const MachineDesc &m)
{
    std::vector<Placement> out;
    std::vector<std::vector<Mapping>> views;
    for (CoreId c = 0; c < static_cast<CoreId>(m.cores.size()); c++) {
        views.push_back(m.view(c));
    }
    for (const auto &s : img.segments) {
        bool placed = false;
        for (const auto &view : views) {
            if ((placed = place_in(s, view, out))) {
                break;
            }
        }
        if (!placed) {
            throw ImageError(img.path + ": segment at " + hex(s.paddr) + "-" +
                             hex(s.paddr + s.bytes.size() - 1) + " is in no core's memory");
        }
    }
    return out;
}

std::vector<std::string> check_overlaps(const std::vector<ElfImage> &images,
                                        const std::vector<std::vector<Placement>> &placements,
                                        const MachineDesc &m)
{
    std::vector<std::string> notes;
    for (size_t i = 0; i < placements.size(); i++) {
        for (size_t j = i + 1; j < placements.size(); j++) {
            for (const auto &a : placements[i]) {
                for (const auto &b : placements[j]) {
                    if (a.mapping.memory != b.mapping.memory) {
                        continue;
                    }
                    const uint64_t lo = std::max(a.offset, b.offset);
                    const uint64_t hi = std::min(a.offset + a.segment->bytes.size(),
                                                 b.offset + b.segment->bytes.size());
                    if (lo >= hi) {
                        continue;
                    }
                    const uint8_t *pa = a.segment->bytes.data() + (lo - a.offset);
                    const uint8_t *pb = b.segment->bytes.data() + (lo - b.offset);
                    uint64_t differ = 0;
                    for (uint64_t k = 0; k < hi - lo; k++) {
                        differ += pa[k] != pb[k];
                    }
                    const MemoryDesc &md = m.memories[a.mapping.memory];
                    const std::string where = md.name + " " + hex(md.base + lo) + "-" +
                                              hex(md.base + hi - 1);
                    if (differ == 0) {
                        continue;
                    }
                    const std::string count = std::to_string(differ) +
                                              (differ == 1 ? " byte differs" : " bytes differ");
                    if (md.flash) {
                        throw ImageError(images[i].path + " and " + images[j].path +
                                         " program different contents into " + where +
                                         " (" + count + ")");
                    }
                    notes.push_back(images[i].path + " and " + images[j].path + " both load " +
                                    where + "; " + count + ", " + images[j].path +
                                    " (loaded later) wins");
                }
            }
        }
    }
    return notes;
}

} // namespace ampvp
