// `ampvp run`: everything between the command line and the exit code.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace ampvp {

// Exit codes of `ampvp run` (docs/user-guide.md lists them too).
enum ExitCode {
    EXIT_OK = 0,         // every --expect pattern seen (or the run ended normally)
    EXIT_ERROR = 1,      // bad input: missing file, bad ELF, bad machine, setup failure
    EXIT_USAGE = 2,      // bad command line
    EXIT_TIMEOUT = 3,    // --timeout expired before every --expect pattern was seen
    EXIT_CORE_DIED = 4,  // a core's QEMU instance ended or broke the protocol
    EXIT_FORBIDDEN = 5,  // a console line matched an --expect-not pattern
    EXIT_SIGINT = 130,   // interrupted (Ctrl-C)
    EXIT_SIGTERM = 143,  // terminated (SIGTERM / SIGHUP)
};

struct RunOptions {
    std::string machine;                      // name (looked up in machine dirs) or .json path
    std::string board;                        // optional board (machine/boards/NAME.json)
    std::map<std::string, std::string> images; // core name -> ELF or Intel HEX path
    std::vector<std::string> combined;        // files holding code for every core
    std::string qemu;                         // qemu-system-arm to use
    double timeout_s = 0;                     // 0: no timeout
    std::vector<std::string> expects;
    std::vector<std::string> expect_nots;     // --expect-not: a matching line fails the run (5)
    bool expect_order = false;                // --expect-order: --expect patterns in the given order
    std::string junit;                        // --junit FILE: JUnit XML report
    std::string trace_json;                   // --trace-json FILE: Chrome trace-event JSON timeline
    uint64_t trace_json_max = 256ull << 20;   // --trace-json-max: its size bound (0: none)
    unsigned web_port = 0;                    // --web [PORT]: the board page on 127.0.0.1 (0: none)
    std::string junit_name;                   // its test suite name (default: board or machine)
    bool strict = false;                      // unimplemented registers fault
    bool posted_writes = true;
    unsigned spin_us = 100;                   // busy-poll window of both bridge ends (0: off)
    bool verbose = false;
    std::vector<std::string> qemu_args;       // passed to every instance
    std::vector<std::pair<std::string, std::string>> option_bytes; // --option-byte KEY=VALUE
    std::vector<std::string> serials;         // --serial [UART=]stdin|pty|unix:PATH
    std::vector<std::string> gpio_inputs;     // --gpio PIN=LEVEL[@WHEN]
    std::vector<std::string> presses;         // --press BUTTON[@WHEN]
    std::vector<std::string> analog_inputs;   // --analog PIN=VOLTS[@WHEN]
    unsigned gdb_port = 0;                    // --gdb [PORT]: first core's port (0: no GDB stubs)
    bool gdb_wait = false;                    // --gdb-wait: cores wait at their reset vector
    bool gdb_halt_both = false;               // --gdb-halt-both: a debugger halt stops every core
    bool fault_continue = false;              // --on-fault continue: report faults, let handlers run
    bool timestamps = false;                  // --timestamps: console lines carry their time
    bool deterministic = false;               // --deterministic: icount lockstep (docs/determinism.md)
    uint64_t quantum_ns = 100000;             // --quantum: the lockstep quantum
    uint64_t lone_ns = 10000000;              // --lone-run: a core alone runs this far between stops
    unsigned icount_shift = 3;                // --icount-shift: 2^N ns of virtual time per instruction
    std::string record;                       // --record FILE: host input per quantum boundary
    std::string replay;                       // --replay FILE: feed a recording instead of the host
};

// Resolve a machine name to a description file: a path as given if it exists,
// else <dir>/<name>.json for each machine directory.
std::string find_machine(const std::string &name);
std::vector<std::string> machine_dirs();
std::string default_qemu();

int run(const RunOptions &opt);

} // namespace ampvp
