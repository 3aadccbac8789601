// Reading firmware images and placing them in a core's memories, like a
// flash programmer: every PT_LOAD segment's file bytes go to its physical
// (load) address -- so .data and code that runs from SRAM land in flash at
// their LMA, where the startup code copies them from; the part of memsz
// beyond filesz (.bss, NOLOAD) is left alone.  Intel HEX files are read too.
#pragma once

#include "machine.h"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace ampvp {

struct ImageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Segment {
    unsigned index; // program header index, for messages
    uint64_t paddr;
    uint64_t memsz;
    std::vector<uint8_t> bytes; // p_filesz bytes
};

// A named section (what a remoteproc master looks up: ".resource_table").
struct Section {
    std::string name;
    uint64_t addr = 0;          // sh_addr: where the running image has it
    uint64_t size = 0;
    std::vector<uint8_t> bytes; // its contents in the file (empty for NOBITS)
};

// A function of the image's symbol table (the Thumb bit cleared).
struct Symbol {
    std::string name;
    uint64_t addr = 0, size = 0;
};

struct ElfImage {
    std::string path;
    uint64_t entry = 0;
    std::vector<Segment> segments; // only PT_LOAD with p_filesz > 0
    std::vector<Section> sections; // allocated sections (SHF_ALLOC); none for Intel HEX
    std::vector<Symbol> functions; // STT_FUNC symbols, by address; none when stripped
    std::vector<Symbol> objects;   // STT_OBJECT symbols (ST's "resource_table"), in file order
    const Symbol *object(const std::string &name) const
    {
        for (const auto &s : objects) {
            if (s.name == name) {
                return &s;
            }
        }
        return nullptr;
    }
    // "main+0x12" for an address inside a function; empty if none holds it.
    std::string symbolize(uint64_t addr) const;
    const Section *section(const std::string &name) const
    {
        for (const auto &s : sections) {
            if (s.name == name) {
                return &s;
            }
        }
        return nullptr;
    }
};

// Throws ImageError with a one-line reason naming the file.
ElfImage read_elf(const std::string &path);
// Intel HEX (what STM32CubeProgrammer writes, often one file for both cores):
// data records become segments at their absolute addresses (record types 00,
// 01, 02, 03, 04, 05).  Throws ImageError naming the file and line.
ElfImage read_ihex(const std::string &path);
// ELF or Intel HEX, by content.
ElfImage read_image(const std::string &path);


// Where a segment goes: the core's mapping and the offset inside its memory.
struct Placement {
    const Segment *segment;
    Mapping mapping;
    uint64_t offset; // into the memory's file
};

// Check that every segment lies inside one memory the core can see; throws
// ImageError naming the segment and the core's memories otherwise.
std::vector<Placement> place_elf(const ElfImage &img, const MachineDesc &m, CoreId core);

// Where the segments of a combined image (code for several cores in one
// file) go: each segment into the first core whose memories hold it.
// Throws ImageError for a segment no core can reach.
std::vector<Placement> place_combined(const ElfImage &img, const MachineDesc &m);

// Several images loading into the same bytes, as a debugger or flash programmer
// loading them one after the other would: in RAM the later image wins (ST's
// FreeRTOS AMP projects put the same shared-variable section in SRAM4 in both
// images); the returned notes say where the contents differ.  In flash the bytes
// must agree: a programmer would erase and reprogram the sector, so two
// different contents there are a mistake; throws ImageError naming both files.
// `placements[i]` belongs to `images[i]`, in load order.
std::vector<std::string> check_overlaps(const std::vector<ElfImage> &images,
                                        const std::vector<std::vector<Placement>> &placements,
                                        const MachineDesc &m);

} // namespace ampvp
