// ampvp: the command-line front end.  `ampvp run` boots firmware on an
// emulated multi-core machine; `ampvp machines` lists the descriptions found.
#include "board.h"
#include "log.h"
#include "machine.h"
#include "regdoc.h"
#include "runner.h"

#include <CLI/CLI.hpp>

#include <dirent.h>
#include <map>
#include <optional>
#include <iostream>
#include <regex>
#include <set>

#ifndef AMPVP_VERSION
#define AMPVP_VERSION "0.1.0"
#endif

using namespace ampvp;

// Every machine description found (first of each name along machine_dirs()),
// with the error of those that do not load.
struct FoundMachine {
    std::string name;
    std::optional<MachineDesc> desc;
    std::string error;
};
static std::vector<FoundMachine> all_machines()
{
    std::vector<FoundMachine> out;
    std::set<std::string> seen;
    for (const auto &dir : machine_dirs()) {
        DIR *d = opendir(dir.c_str());
        if (!d) {
            continue;
        }
        std::set<std::string> names;
        while (dirent *e = readdir(d)) {
            std::string n = e->d_name;
            if (n.size() > 5 && n.substr(n.size() - 5) == ".json") {
                names.insert(n.substr(0, n.size() - 5));
            }
        }
        closedir(d);
        for (const auto &n : names) {
            if (!seen.insert(n).second) {
                continue;
            }
            FoundMachine f{n, std::nullopt, ""};
            try {
                f.desc = MachineDesc::load_file(dir + "/" + n + ".json");
            } catch (const std::exception &ex) {
                f.error = ex.what();
            }
            out.push_back(std::move(f));
        }
    }
    return out;
}

static int list_machines()
{
    for (const auto &f : all_machines()) {
        if (!f.desc) {
            std::cout << f.name << "\tBROKEN: " << f.error << "\n";
            continue;
        }
        std::string cores;
        for (const auto &c : f.desc->cores) {
            cores += (cores.empty() ? "" : " + ") + c.name + " (" + c.cpu + ")";
        }
        std::cout << f.name << "\t" << f.desc->title << "\t" << cores << "\n";
    }
    return EXIT_OK;
}

static std::string join(const std::vector<std::string> &v, const char *sep)
{
    std::string s;
    for (const auto &x : v) {
        s += (s.empty() ? "" : sep) + x;
    }
    return s;
}

int main(int argc, char **argv)
{
    CLI::App app{"ampvp " AMPVP_VERSION
                 ": a virtual platform for STM32 dual-core (AMP) firmware.\n"
                 "Each core runs in its own QEMU instance; shared peripherals live in this hub."};
    app.set_version_flag("--version", AMPVP_VERSION);
    app.require_subcommand(1);

    RunOptions opt;
    opt.qemu = default_qemu();
    std::string trace;
    // What the machine descriptions know, for options and help: core names (each
    // gets --NAME FILE), option bytes, machine names.
    std::map<std::string, std::vector<std::string>> core_machines; // core -> machines
    std::vector<std::string> option_byte_help, machine_names;
    for (const auto &f : all_machines()) {
        if (!f.desc) {
            continue;
        }
        machine_names.push_back(f.name);
        for (const auto &c : f.desc->cores) {
            core_machines[c.name].push_back(f.name);
        }
        std::vector<std::string> keys;
        for (const auto &kv : f.desc->option_bytes) {
            keys.push_back(kv.first);
        }
        if (!keys.empty()) {
            option_byte_help.push_back(f.name + ": " + join(keys, ", "));
        }
    }
    std::map<std::string, std::string> core_images;
    std::vector<std::string> images;
    bool no_posted = false;

    CLI::App *run_cmd = app.add_subcommand("run", "Boot firmware images on an emulated machine");
    run_cmd->footer(
        "Examples:\n"
        "  ampvp run --machine stm32h745 --cm7 hello_cm7.elf --cm4 hello_cm4.elf\n"
        "  ampvp run --machine stm32h745 --image cm7=a.elf --timeout 10 --expect 'CM7 done'\n"
        "  ampvp run --board nucleo-h745zi-q --cm7 blink_cm7.elf --cm4 blink_cm4.elf\n"
        "  printf 'hello\\r' | ampvp run --machine stm32h745 --cm7 uart_it_cm7.elf --serial stdin\n\n"
        "Exit status: 0 every --expect seen (or normal end), 1 bad input or setup failure,\n"
        "2 usage error, 3 timeout, 4 a core died, 5 an --expect-not line seen,\n"
        "130 interrupted (Ctrl-C), 143 terminated (docs/user-guide.md has the table).");
    run_cmd->add_option("-m,--machine", opt.machine,
                        "Machine name (see 'ampvp machines') or path to a description .json");
    run_cmd->add_option("-b,--board", opt.board,
                        "Board (see 'ampvp boards'): its machine, console UART and LEDs; LED "
                        "changes print as '[board] LED1 on'");
    for (const auto &[core, machines] : core_machines) {
        run_cmd->add_option("--" + core, core_images[core],
                            "ELF or Intel HEX image for the core named " + core + " (" +
                                join(machines, ", ") + ")");
    }
    run_cmd->add_option("--image", images,
                        "Firmware for any core, as CORE=FILE, or FILE alone for one file holding "
                        "every core's code (placed by address); ELF or Intel HEX (repeatable)");
    run_cmd->add_option("-t,--timeout", opt.timeout_s,
                    "Stop with exit status 3 after this many seconds (default: run until Ctrl-C)")
        ->check(CLI::PositiveNumber);
    run_cmd->add_option("-e,--expect", opt.expects,
                    "Regular expression a console line must match; exit 0 once all have matched "
                    "(repeatable; lines look like '[cm7] text'; in any order unless --expect-order)");
    run_cmd->add_option("--expect-not", opt.expect_nots,
                        "Regular expression no console line may match: the first line that does "
                        "ends the run with exit status 5 (repeatable), e.g. 'Error_Handler|ASSERT'")
        ->check(CLI::Validator(
            [](std::string &re) {
                try {
                    std::regex r(re, std::regex::ECMAScript);
                } catch (const std::regex_error &e) {
                    return "bad pattern '" + re + "': " + e.what();
                }
                return std::string();
            },
            "REGEX"));
    run_cmd->add_flag("--expect-order", opt.expect_order,
                      "The --expect patterns must be seen in the order given (one line satisfies "
                      "at most the next one; a line seen before its predecessor does not count)");
    run_cmd->add_option("--junit", opt.junit,
                        "Write a JUnit XML report to FILE at the end of the run: one test case per "
                        "--expect/--expect-not with its time, the console, the reason of a failure");
    run_cmd->add_option("--trace-json", opt.trace_json,
                        "Write the run's timeline to FILE as Chrome trace-event JSON (open it in "
                        "ui.perfetto.dev or chrome://tracing): a track per core and device, HSEM "
                        "and IPCC spans, sleep spans, EXTI/IRQ instants with cause-effect flows, "
                        "console lines, RPMsg messages");
    run_cmd->add_option("--trace-json-max", opt.trace_json_max,
                        "Size bound of the --trace-json file (default 256M; K, M, G suffixes in "
                        "units of 1024; 0: no bound): events past it are not written, one warning "
                        "says so, the file stays valid JSON")
        ->transform(CLI::AsSizeValue(false));
    run_cmd->add_option("--junit-name", opt.junit_name,
                        "Test suite name in the --junit report (default: the board or machine)");
    run_cmd->add_option("--trace", trace,
                    "Trace categories, comma-separated, or 'all': " +
                        join(std::vector<std::string>(Log::trace_categories().begin(),
                                                      Log::trace_categories().end()),
                             ","));
    run_cmd->add_flag("--strict", opt.strict,
                  "Accesses to unimplemented registers raise a bus error instead of RAZ/WI");
    run_cmd->add_flag("--no-posted-writes", no_posted,
                  "Make every peripheral write wait for the hub (slower; for debugging)");
    run_cmd->add_option("--spin-us", opt.spin_us,
                        "Busy-poll the bridge this long before sleeping, in both the hub and "
                        "the cores (0: never; trades host CPU for access latency)")
        ->default_val(100)
        ->check(CLI::Range(0, 100000));
    run_cmd->add_option("--qemu", opt.qemu, "qemu-system-arm built with the ampvp machine")
        ->default_str(opt.qemu);
    run_cmd->add_option("--qemu-arg", opt.qemu_args,
                    "Extra argument for every QEMU instance (repeatable), e.g. --qemu-arg=-d "
                    "--qemu-arg=guest_errors");
    run_cmd->add_option("--serial", opt.serials,
                        "Connect a UART's receive side (and, for pty/unix, its output) to the "
                        "host, as [UART=]stdin, [UART=]pty or [UART=]unix:PATH (repeatable; "
                        "UART defaults to the console, e.g. USART3)");
    run_cmd->add_option("--press", opt.presses,
                        "Press a board button, as NAME[@WHEN] (repeatable): WHEN is a time after "
                        "the cores start (250ms, 2s) or /regex/, a console line that must appear "
                        "first; the button is released 50 ms later. Needs --board");
    run_cmd->add_option("--analog", opt.analog_inputs,
                        "Drive a pin's voltage (what an ADC channel on it converts, VREF+ = 3.3 V), as "
                        "PIN=VOLTS[@WHEN] (repeatable), e.g. PA0=1.65 or PA0=0.5@200ms");
    run_cmd->add_option("--gpio", opt.gpio_inputs,
                        "Drive a GPIO input pin, as PIN=0|1[@WHEN] (repeatable), e.g. PC13=1@100ms");
    std::vector<std::string> option_bytes;
    run_cmd->add_option("--option-byte", option_bytes,
                        "Set an option byte of the machine, as KEY=VALUE (repeatable); " +
                            join(option_byte_help, "; ") +
                            " (docs/user-guide.md explains each machine's)");
    run_cmd->add_option("--gdb", opt.gdb_port,
                        "Open a GDB remote stub per core on localhost, from PORT up in machine "
                        "core order (default 3333; printed as 'cm7: gdb on localhost:3333')")
        ->expected(0, 1)
        ->default_str("3333")
        ->check(CLI::Range(1, 65535));
    run_cmd->add_option("--web", opt.web_port,
                        "Serve a page showing the board on http://127.0.0.1:PORT/ (loopback only; "
                        "default 8080): LEDs, buttons to click (as --press), the consoles, HSEM / "
                        "IPCC / EXTI state and the last events")
        ->expected(0, 1)
        ->default_str("8080")
        ->check(CLI::Range(1, 65535));
    run_cmd->add_flag("--gdb-halt-both", opt.gdb_halt_both,
                      "With --gdb: when a debugger halts one core (breakpoint, step, Ctrl-C) the "
                      "other cores halt too, and run again when it resumes (the H7's CTI "
                      "cross-trigger as STM32CubeIDE sets it up)");
    run_cmd->add_flag("--timestamps", opt.timestamps,
                      "Print each console line with the time it was completed, in us after its "
                      "tag: \"[cm7] [1001.944] text\" (host time since the start; virtual time, "
                      "and always on, with --deterministic). --expect matches the line without it");
    run_cmd->add_flag("--deterministic", opt.deterministic,
                      "Deterministic lockstep: instruction-counted cores run in turn, one quantum "
                      "each, so the same images and inputs give the same output on every run "
                      "(docs/determinism.md)");
    std::string quantum = "100us";
    run_cmd->add_option("--quantum", quantum,
                        "With --deterministic: the virtual time each core runs per turn, as "
                        "N us or N ms (default 100us; shorter: tighter coupling, slower)");
    std::string lone_run = "10ms";
    run_cmd->add_option("--lone-run", lone_run,
                        "With --deterministic: a core that runs alone (the others absent, held in "
                        "reset, ended or idle) goes on this far without stopping at each quantum "
                        "end, unless it does something that must land at one (default 10ms; 0: "
                        "a stop at every quantum end, and idle cores keep their turns). Host "
                        "input waits at most this long (docs/determinism.md)");
    run_cmd->add_option("--icount-shift", opt.icount_shift,
                        "With --deterministic: each instruction takes 2^N ns of virtual time "
                        "(default 3: 125 million instructions per virtual second)")
        ->check(CLI::Range(0, 10));
    run_cmd->add_option("--record", opt.record,
                        "With --deterministic: save the host input (serial bytes and the quantum "
                        "they entered at) to FILE, for --replay");
    run_cmd->add_option("--replay", opt.replay,
                        "With --deterministic: feed the host input saved by --record instead of "
                        "reading it (the run repeats the recorded one exactly)")
        ->check(CLI::ExistingFile);
    // Default "continue": firmware may take faults on purpose and handle them
    // (ST's CORTEXM_MPU example lights its LED in MemManage_Handler); stopping
    // there by default would be stricter than the chip.
    std::string on_fault = "continue";
    run_cmd->add_option("--on-fault", on_fault,
                        "A core entering a fault handler (HardFault, MemManage, BusFault, "
                        "UsageFault) is reported in one line; 'continue' (default) lets the "
                        "firmware's handler run, 'stop' ends the run there with exit status 4 "
                        "(for CI). A lockup always ends the run (4)")
        ->check(CLI::IsMember({"stop", "continue"}));
    run_cmd->add_flag("--gdb-wait", opt.gdb_wait,
                      "With --gdb: every core waits at its reset vector until its debugger "
                      "continues it");
    run_cmd->add_flag("-v,--verbose", opt.verbose, "Say what the hub is doing");

    std::string regs_machine;
    CLI::App *regs_cmd = app.add_subcommand(
        "registers", "Print the register reference of a machine's models (Markdown)");
    regs_cmd->add_option("-m,--machine", regs_machine,
                         "Machine name (" + join(machine_names, ", ") + ") or description .json")
        ->required();
    app.add_subcommand("machines", "List the machine descriptions found");
    app.add_subcommand("boards", "List the board descriptions found");

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp &e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp &e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion &e) {
        return app.exit(e);
    } catch (const CLI::ParseError &e) {
        app.exit(e);
        return EXIT_USAGE;
    }

    if (app.got_subcommand("machines")) {
        return list_machines();
    }
    if (app.got_subcommand("registers")) {
        try {
            write_register_reference(std::cout, MachineDesc::load_file(find_machine(regs_machine)));
        } catch (const std::exception &e) {
            std::cerr << "ampvp: error: " << e.what() << "\n";
            return EXIT_ERROR;
        }
        return EXIT_OK;
    }
    if (app.got_subcommand("boards")) {
        for (const auto &n : board_names()) {
            try {
                BoardDesc b = BoardDesc::load_file(find_board(n));
                std::cout << n << "\t" << b.title << "\t" << b.machine << "\n";
            } catch (const std::exception &ex) {
                std::cout << n << "\tBROKEN: " << ex.what() << "\n";
            }
        }
        return EXIT_OK;
    }
    if (opt.machine.empty() && opt.board.empty()) {
        std::cerr << "ampvp: error: run needs --machine NAME or --board NAME\n";
        return EXIT_USAGE;
    }

    log().set_verbose(opt.verbose);
    if (!trace.empty()) {
        std::string bad = log().enable_trace(trace);
        if (!bad.empty()) {
            std::cerr << "ampvp: error: unknown trace category '" << bad
                      << "' (known: "
                      << join(std::vector<std::string>(Log::trace_categories().begin(),
                                                       Log::trace_categories().end()),
                              ", ")
                      << ", all)\n";
            return EXIT_USAGE;
        }
    }
    opt.posted_writes = !no_posted;
    if ((opt.gdb_wait || opt.gdb_halt_both) && !opt.gdb_port) {
        std::cerr << "ampvp run: --gdb-wait and --gdb-halt-both need --gdb\n";
        return EXIT_USAGE;
    }
    opt.fault_continue = on_fault == "continue";
    if ((!opt.record.empty() || !opt.replay.empty()) && !opt.deterministic) {
        std::cerr << "ampvp run: --record and --replay need --deterministic\n";
        return EXIT_USAGE;
    }
    {
        // --quantum and --lone-run: "100us", "1ms", "250000ns" (--lone-run also "0").
        auto duration = [](const std::string &text, double min_ns, uint64_t &out) {
            size_t used = 0;
            double v = -1;
            try {
                v = std::stod(text, &used);
            } catch (const std::exception &) {
            }
            const std::string unit = text.substr(used);
            const double scale = unit == "ns" ? 1 : unit == "us" ? 1e3 : unit == "ms" ? 1e6 : 0;
            if (v == 0 && min_ns == 0 && (scale != 0 || unit.empty())) {
                out = 0;
                return true;
            }
            if (v <= 0 || scale == 0 || v * scale < min_ns || v * scale > 1e9) {
                return false;
            }
            out = static_cast<uint64_t>(v * scale);
            return true;
        };
        if (!duration(quantum, 1000, opt.quantum_ns)) {
            std::cerr << "ampvp run: --quantum '" << quantum << "': expected a duration from 1us to 1000ms, "
                      << "e.g. 100us or 1ms\n";
            return EXIT_USAGE;
        }
        if (!duration(lone_run, 0, opt.lone_ns)) {
            std::cerr << "ampvp run: --lone-run '" << lone_run << "': expected 0 or a duration up to 1000ms, "
                      << "e.g. 10ms\n";
            return EXIT_USAGE;
        }
    }
    auto add_image = [&](const std::string &core, const std::string &file) {
        if (opt.images.count(core)) {
            std::cerr << "ampvp: error: two images given for core " << core << "\n";
            return false;
        }
        opt.images[core] = file;
        return true;
    };
    for (const auto &[core, file] : core_images) {
        if (!file.empty() && !add_image(core, file)) {
            return EXIT_USAGE;
        }
    }
    for (const auto &spec : images) {
        auto eq = spec.find('=');
        if (eq == std::string::npos) {
            opt.combined.push_back(spec); // one file with every core's code
            continue;
        }
        if (eq == 0 || eq + 1 == spec.size()) {
            std::cerr << "ampvp: error: --image wants CORE=FILE or FILE, got '" << spec << "'\n";
            return EXIT_USAGE;
        }
        if (!add_image(spec.substr(0, eq), spec.substr(eq + 1))) {
            return EXIT_USAGE;
        }
    }
    for (const auto &spec : option_bytes) {
        auto eq = spec.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size()) {
            std::cerr << "ampvp: error: --option-byte wants KEY=VALUE, got '" << spec << "'\n";
            return EXIT_USAGE;
        }
        opt.option_bytes.emplace_back(spec.substr(0, eq), spec.substr(eq + 1));
    }
    return ampvp::run(opt);
}
