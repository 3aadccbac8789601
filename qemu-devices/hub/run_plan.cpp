#include "run_plan.h"

#include "bus.h"
#include "log.h"

#include <regex>
#include <unistd.h>

namespace ampvp {

namespace {

// The machine as this run sees it: board console and HSE, option bytes.
void load_machine(RunPlan &p, const RunOptions &opt)
{
    std::string machine_name = opt.machine;
    if (!opt.board.empty()) {
        p.board = BoardDesc::load_file(find_board(opt.board));
        if (machine_name.empty()) {
            machine_name = p.board.machine;
        } else if (machine_name != p.board.machine) {
            throw ConfigError("board " + p.board.name + " carries a " + p.board.machine + ", not a " +
                              machine_name + " (drop --machine or pick another board)");
        }
    }
    if (machine_name.empty()) {
        throw ConfigError("no machine: give --machine NAME or --board NAME");
    }
    p.machine = MachineDesc::load_file(find_machine(machine_name));
    for (const auto &[k, v] : opt.option_bytes) {
        p.machine.set_option_byte(k, v);
    }
    if (!p.board.console.empty()) {
        p.machine.console = p.board.console;
    }
    if (p.board.hse_hz) {
        const std::string *clocks = p.machine.role("clocks");
        if (!clocks) {
            throw ConfigError("board " + p.board.name + " gives hse_hz, but machine " + p.machine.name +
                              " names no \"clocks\" role to take it");
        }
        for (auto &per : p.machine.peripherals) {
            if (per.name == *clocks) {
                per.params["hse_hz"] = std::to_string(p.board.hse_hz);
            }
        }
    }
}

void host_connections(RunPlan &p, const RunOptions &opt)
{
    for (const auto &text : opt.serials) {
        SerialSpec sp = parse_serial_spec(text);
        if (sp.uart.empty()) {
            sp.uart = p.machine.console;
        }
        const PeripheralDesc *per = p.machine.peripheral_named(sp.uart);
        if (!per || per->model.empty()) {
            throw ConfigError("--serial " + text + ": machine " + p.machine.name +
                              " has no modelled UART '" + sp.uart + "'");
        }
        for (const auto &o : p.serials) {
            if (o.uart == sp.uart) {
                throw ConfigError("--serial: " + sp.uart + " is given twice");
            }
            if (o.kind == "stdin" && sp.kind == "stdin") {
                throw ConfigError("--serial: only one UART can read stdin");
            }
        }
        p.serials.push_back(sp);
    }
    for (const auto &g : opt.gpio_inputs) {
        p.stimuli.push_back(parse_gpio_stimulus(g));
    }
    for (const auto &a : opt.analog_inputs) {
        p.stimuli.push_back(parse_analog_stimulus(a));
    }
    for (const auto &press : opt.presses) {
        for (auto &st : parse_press_stimulus(press, p.board)) {
            p.stimuli.push_back(st);
        }
    }
    for (const auto &e : opt.expects) {
        std::regex check(e); // a bad pattern fails here (std::regex_error), before anything exists
        (void)check;
    }
}

void load_images(RunPlan &p, const RunOptions &opt)
{
    for (const auto &kv : opt.images) {
        if (p.machine.core_index(kv.first) < 0) {
            std::string known;
            for (const auto &cd : p.machine.cores) {
                known += (known.empty() ? "" : ", ") + cd.name;
            }
            throw ConfigError("machine " + p.machine.name + " has no core '" + kv.first +
                              "' (cores: " + known + ")");
        }
        const CoreDesc &cd = p.machine.cores[p.machine.core_index(kv.first)];
        if (cd.host()) {
            throw ConfigError("core " + cd.name + " of machine " + p.machine.name +
                              " is played by the hub (" + cd.played_by + ") and takes no image");
        }
    }
    // Load order (it decides who wins where RAM images overlap): the machine's
    // core order, then the combined images.
    for (CoreId c = 0; c < (CoreId)p.machine.cores.size(); c++) {
        auto it = opt.images.find(p.machine.cores[c].name);
        if (it != opt.images.end()) {
            p.images.push_back(read_image(it->second));
            p.image_core.push_back(c);
        }
    }
    for (const auto &path : opt.combined) {
        p.images.push_back(read_image(path));
        p.image_core.push_back(-1); // code for every core, placed by address
    }
    for (size_t i = 0; i < p.images.size(); i++) {
        p.placements.push_back(p.image_core[i] < 0 ? place_combined(p.images[i], p.machine)
                                                   : place_elf(p.images[i], p.machine, p.image_core[i]));
    }
    // RAM as a debugger loads it (the later image wins); flash must agree.
    p.notes = check_overlaps(p.images, p.placements, p.machine);
}

// Which cores run: every core with an image, and every core the SoC's boot logic
// holds in reset (another core may load its code and release it).  The boot
// configuration is the models' (option bytes), asked of a scratch bus.
void boot_plan(RunPlan &p, const RunOptions &opt)
{
    DeviceContext ctx; // no services: nothing runs
    Bus scratch(p.machine, ctx, nullptr);
    bool any_free = false;
    p.gated.assign(p.machine.cores.size(), false);
    for (CoreId c = 0; c < (CoreId)p.machine.cores.size(); c++) {
        if (p.machine.cores[c].host()) {
            any_free = true; // played by a hub model, which may release the others
            continue;        // no QEMU instance
        }
        const bool gated = scratch.boot_gated(c).value_or(false);
        const bool has_image = opt.images.count(p.machine.cores[c].name) > 0 || !opt.combined.empty();
        p.gated[c] = gated;
        if (has_image || gated) {
            p.run_cores.push_back(c);
            any_free |= !gated;
        } else {
            p.idle_cores.push_back(p.machine.cores[c].name);
        }
    }
    if (!any_free) {
        throw ConfigError("every core given an image is held in reset by the option bytes "
                          "(boot gated); nothing would run: set one of them to boot");
    }
    // A running core whose boot address no image fills reads an erased vector table.
    for (CoreId c : p.run_cores) {
        if (p.gated[c]) {
            continue; // its boot address is decided when it is released
        }
        const uint64_t boot = scratch.boot_address(c).value_or(p.machine.cores[c].boot);
        bool loaded = false;
        std::string given;
        for (size_t i = 0; i < p.images.size(); i++) {
            if (p.image_core[i] != c && p.image_core[i] >= 0) {
                continue;
            }
            given += (given.empty() ? "" : ", ") + p.images[i].path;
            for (const auto &pl : p.placements[i]) {
                loaded |= boot >= pl.segment->paddr && boot + 8 <= pl.segment->paddr + pl.segment->bytes.size();
            }
        }
        if (!loaded) {
            p.warnings.push_back(p.machine.cores[c].name + ": " + given +
                                 " puts nothing at the boot address " + hex(boot) +
                                 "; the core will read its reset vector from there anyway");
        }
    }
}

} // namespace

RunPlan make_run_plan(const RunOptions &opt)
{
    RunPlan p;
    load_machine(p, opt);
    if (opt.images.empty() && opt.combined.empty()) {
        std::string first;
        for (const auto &c : p.machine.cores) {
            if (!c.host() && first.empty()) {
                first = c.name;
            }
        }
        throw ConfigError("no firmware image given (--image CORE=FILE, --" + first +
                          " FILE, or --image FILE for one file holding every core's code)");
    }
    host_connections(p, opt);
    load_images(p, opt);
    if (access(opt.qemu.c_str(), X_OK) != 0) {
        throw ConfigError("QEMU binary " + opt.qemu +
                          " is not executable (build it with scripts/build-qemu, or pass --qemu)");
    }
    boot_plan(p, opt);
    return p;
}

} // namespace ampvp
