// What `ampvp run` will do, decided before anything is created: the machine
// (with the board's and the command line's settings applied), the images and
// where each segment goes, which cores run and which are held in reset by the
// SoC's boot logic, the host connections (serial, stimuli), the console
// expectations, and the notes and warnings for the user.  No processes, no
// sockets, no files written: unit-tested alone.  Throws ConfigError / ImageError
// (one line naming what and where) for anything wrong.
#pragma once

#include "board.h"
#include "elf_loader.h"
#include "machine.h"
#include "runner.h"
#include "serial.h"
#include "stimulus.h"

#include <string>
#include <vector>

namespace ampvp {

struct RunPlan {
    MachineDesc machine;
    BoardDesc board;                  // empty name: no board
    std::vector<ElfImage> images;     // in load order (machine core order, then combined)
    std::vector<std::vector<Placement>> placements; // per image (point into `images`)
    std::vector<CoreId> image_core;   // per image; -1: a combined image for every core
    std::vector<CoreId> run_cores;    // cores that get a QEMU instance
    std::vector<bool> gated;          // per core: held in reset until another core releases it
    std::vector<SerialSpec> serials;  // UART named (the console when none was given)
    std::vector<StimulusSpec> stimuli;
    std::vector<std::string> notes;   // -v lines (overlapping RAM contents)
    std::vector<std::string> warnings; // always shown (a boot address no image fills)
    std::vector<std::string> idle_cores; // cores that stay in reset: no image, not gated

    RunPlan() = default;
    RunPlan(RunPlan &&) = default;
    RunPlan &operator=(RunPlan &&) = default;
    RunPlan(const RunPlan &) = delete; // placements point into images
    RunPlan &operator=(const RunPlan &) = delete;
};

RunPlan make_run_plan(const RunOptions &opt);

} // namespace ampvp
