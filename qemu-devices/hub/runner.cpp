#include "runner.h"
#include "run_plan.h"

#include "board.h"
#include "bridge.h"
#include "bus.h"
#include "console.h"
#include "child_process.h"
#include "elf_loader.h"
#include "event_loop.h"
#include "fault_report.h"
#include "ampvp_host.h"
#include "ampvp_proto.h"
#include "junit.h"
#include "log.h"
#include "machine.h"
#include "memory.h"
#include "qemu_config.h"
#include "serial.h"
#include "stimulus.h"
#include "timeline.h"
#include "trace_json.h"
#include "rpmsg_watch.h"
#include "web_panel.h"

#include <algorithm>
#include <set>
#include <tuple>
#include <cerrno>
#include <cstdio>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <regex>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <sys/wait.h>
#include <unistd.h>


namespace ampvp {

namespace {

using Clock = std::chrono::steady_clock;

// A running core: its QEMU process and where it is in the boot sequence.
struct Child {
    CoreId core = -1;
    std::string name;
    int listen_fd = -1;
    std::unique_ptr<ChildProcess> proc;
    bool gated = false;  // held in reset by the SoC's boot logic until released
    unsigned gdb_port = 0;
    bool locked_up = false;     // reported a lockup: its abort is not news
    bool debug_halted = false;  // its debugger stopped it
    bool cross_halted = false;  // stopped because another core's debugger did
    bool started = false;
    bool reset_held = false; // started once, then held in reset by a system reset (boot gate)
    bool exited() const { return proc && proc->exited(); }
};

int listen_unix(const std::string &path)
{
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    if (path.size() >= sizeof(sa.sun_path)) {
        throw std::runtime_error("socket path too long: " + path);
    }
    std::strcpy(sa.sun_path, path.c_str());
    int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, reinterpret_cast<sockaddr *>(&sa), sizeof(sa)) != 0 ||
        listen(fd, 8) != 0) {
        std::string e = std::strerror(errno);
        if (fd >= 0) {
            close(fd);
        }
        throw std::runtime_error("cannot listen on " + path + ": " + e);
    }
    return fd;
}

// GDB ports are checked before QEMU starts, so a busy port is one clear line.
void check_port_free(unsigned port, const std::string &core)
{
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<uint16_t>(port));
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    const bool ok = fd >= 0 && bind(fd, reinterpret_cast<sockaddr *>(&sa), sizeof(sa)) == 0;
    const int e = errno;
    if (fd >= 0) {
        close(fd);
    }
    if (!ok) {
        throw ConfigError("--gdb: port " + std::to_string(port) + " for " + core + " is not free (" +
                          std::strerror(e) + "); pick another with --gdb PORT");
    }
}

class Runner : public IrqSink, public ClockSink, public Scheduler, public BootControl, public CharSink,
               public BusMaster, public HostPort {
public:
    explicit Runner(const RunOptions &o) : opt_(o) {}
    ~Runner() { cleanup(); }
    int run();
    void set_irq(CoreId core, unsigned line, bool level) override
    {
        if (bridge_) {
            bridge_->set_irq(core, line, level);
        }
    }
    void send_event(CoreId core) override
    {
        if (bridge_) {
            bridge_->send_event(core);
        }
    }
    void set_wakeup(CoreId core, bool level) override
    {
        if (bridge_) {
            bridge_->set_wakeup(core, level);
        }
    }
    uint64_t now_ns() const override
    {
        if (opt_.deterministic) {
            // Virtual time: a timer's own deadline while it fires, the active
            // core's clock during its quantum, else the last quantum boundary.
            if (vtimer_firing_) {
                return vtimer_now_;
            }
            if (ls_active_ >= 0) {
                return offset_[ls_active_] + bridge_->vtime(ls_active_);
            }
            return vnow_;
        }
        return static_cast<uint64_t>(
            std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - epoch_).count());
    }
    void schedule(Device *dev, unsigned tag, uint64_t at_ns) override
    {
        if (opt_.deterministic) {
            vtimer_set(dev, tag, at_ns);
        } else if (at_ns == 0) {
            loop_->cancel({dev, tag});
        } else {
            loop_->set_deadline({dev, tag}, epoch_ + std::chrono::nanoseconds(at_ns),
                                [dev, tag] { dev->timer_fired(tag); });
        }
    }
    void set_core_clock(CoreId core, uint64_t hz) override
    {
        if (bridge_) {
            bridge_->send_clock(core, hz);
        }
    }
    void release_core(CoreId core, const std::string &by) override;
    void reset_core(CoreId core, const std::string &why) override;
    void reset_system(const std::string &why) override;
    // BusMaster
    uint8_t *memory(CoreId as, uint64_t addr, uint64_t len) override
    {
        for (const auto &mp : machine_.view(as)) {
            if (addr >= mp.base && len <= mp.size && addr - mp.base <= mp.size - len) {
                return mems_[mp.memory]->data() + mp.offset + (addr - mp.base);
            }
        }
        return nullptr;
    }
    bool read(CoreId as, uint64_t addr, unsigned size, uint32_t &value) override
    {
        BusAccess a = master_access(as, addr, size);
        value = bus_->read(a);
        return !a.fault;
    }
    bool write(CoreId as, uint64_t addr, unsigned size, uint32_t value) override
    {
        BusAccess a = master_access(as, addr, size);
        bus_->write(a, value);
        return !a.fault;
    }
    const ElfImage *image(CoreId core) const override
    {
        for (size_t i = 0; i < plan_.images.size(); i++) {
            if (plan_.image_core[i] == core) {
                return &plan_.images[i];
            }
        }
        return nullptr;
    }
    // HostPort
    void watch(int fd, std::function<void(int)> on_readable) override { loop_->watch(fd, std::move(on_readable)); }
    void unwatch(int fd) override { loop_->unwatch(fd); }
    void when_writable(int fd, std::function<void(int)> cb) override { loop_->when_writable(fd, std::move(cb)); }
    void console_line(const std::string &source, const std::string &text) override
    {
        console_->line(source, text);
    }
    void host_input(HostSerial *port, const std::string &name, std::function<void()> delivered) override
    {
        if (opt_.deterministic) {
            port->set_deferred(true);
        }
        model_inputs_.push_back({port, name, std::move(delivered)});
    }
    void forget_host_input(HostSerial *port) override
    {
        model_inputs_.erase(std::remove_if(model_inputs_.begin(), model_inputs_.end(),
                                           [port](const ModelInput &m) { return m.port == port; }),
                            model_inputs_.end());
    }
    void fail(const std::string &message, int exit_code) override
    {
        if (!stop_rc_) {
            log().error(message);
            stop_rc_ = exit_code;
        }
    }
    void put_char(const std::string &device, const BusAccess &by, uint8_t ch) override
    {
        console_->put_char(device, by, ch);
        for (auto &s : serials_) {
            if (s->uart() == device) {
                s->transmit(ch);
            }
        }
    }

private:
    int prepare();
    void spawn(Child &ch, const std::string &sock);
    void drain_stderr(Child &ch, bool final);
    void reap(bool block);
    int loop();
    void settle_dead_cores();
    void shutdown_children();
    void cleanup();
    void on_signal(int signo);
    Child *child_of(CoreId core);
    BusAccess master_access(CoreId as, uint64_t addr, unsigned size) const
    {
        BusAccess a;
        a.core = as;
        a.core_name = machine_.cores[as].name;
        a.addr = addr;
        a.size = size;
        a.time_ns = now_ns();
        return a;
    }
    // Ending a run: models that must tell the firmware first get up to their
    // bound; returns true once the loop may return `rc`.
    bool finish(int rc);
    // Deterministic lockstep (docs/determinism.md): rounds of one quantum,
    // the cores in machine order; model timers on virtual time.
    void lockstep_advance();
    void lockstep_host_input();
    void load_replay();
    void save_record();
    uint64_t round_ = 0; // rounds completed
    struct HostInput {
        uint64_t round;
        std::string uart, bytes;
    };
    // Host inputs models own (HostPort::host_input): pumped at boundaries
    // with --deterministic, recorded and replayed under their names.
    struct ModelInput {
        HostSerial *port;
        std::string name;
        std::function<void()> delivered;
    };
    std::vector<ModelInput> model_inputs_;
    const ModelInput *model_input(const std::string &name) const
    {
        for (const auto &m : model_inputs_) {
            if (m.name == name) {
                return &m;
            }
        }
        return nullptr;
    }
    std::vector<HostInput> recorded_;  // --record
    std::vector<HostInput> replay_;    // --replay, in order
    size_t replay_next_ = 0;
    void vtimer_set(Device *dev, unsigned tag, uint64_t at);
    void vtimers_fire(uint64_t up_to);
    CoreId ls_active_ = -1;      // the core running its quantum
    size_t ls_index_ = 0;        // next child in this round
    uint64_t vnow_ = 0;          // start of the current round (global virtual ns)
    uint64_t ls_grant_last_ = 0; // a lone core's GRANT runs to here (global; 0: none)
    uint64_t lone_ns_ = 0;       // --lone-run, or what a --replay recording says
    uint64_t ls_turns_ = 0, ls_grants_ = 0; // turns (GO or GRANT) given; GRANTs (-v summary)
    uint64_t lone_last() const;
    // Idle cores left out of the rounds (IDLE): per core, the global time of
    // its own next timer deadline (UINT64_MAX: none); 0: not left out.
    std::vector<uint64_t> parked_;
    bool ls_ran_ = false;     // a core had a turn in this round
    bool ls_waiting_ = false; // every core idle with nothing due: wait for host input
    bool takes_part(const Child &ch) const
    {
        return ch.started && ls_joined_[ch.core] && !ch.exited() && bridge_->connected(ch.core);
    }
    // A core that takes part has a turn in the round starting at vnow_.
    bool has_turn(const Child &ch) const
    {
        return takes_part(ch) && (!parked_[ch.core] || bridge_->sent_since_go(ch.core) ||
                                  parked_[ch.core] <= vnow_ + opt_.quantum_ns);
    }
    uint64_t next_round_with_work() const;
    bool host_input_waiting() const;
    // The start of the round a virtual time falls in: the round that ends at
    // the first quantum end at or after it (time 0: the first round).
    uint64_t round_of(uint64_t t) const
    {
        const uint64_t q = opt_.quantum_ns;
        return (std::max<uint64_t>(t, 1) + q - 1) / q * q - q;
    }
    std::vector<uint64_t> offset_; // per core: global time of its local 0
    std::vector<bool> ls_joined_;  // per core: takes part in the rounds
    bool vtimer_firing_ = false;
    uint64_t vtimer_now_ = 0;
    uint64_t vtimer_seq_ = 0;
    std::map<std::pair<Device *, unsigned>, std::pair<uint64_t, uint64_t>> vtimer_keys_;
    std::set<std::tuple<uint64_t, uint64_t, Device *, unsigned>> vtimers_;
    void on_fault(CoreId c, const BridgeServer::Fault &f);
    void on_debug(CoreId c, bool halted);
    int finishing_rc_ = -1;
    bool hard_stop_ = false;
    Clock::time_point finish_deadline_;
    void start_core(Child &ch, const std::string &why);
    uint32_t boot_address(CoreId core) const;

    const RunOptions &opt_;
    RunPlan plan_;
    MachineDesc &machine_ = plan_.machine; // the models and the bridge keep references to it
    std::unique_ptr<RuntimeDir> rundir_;
    std::vector<std::unique_ptr<SharedMemory>> mems_;
    std::unique_ptr<Console> console_;
    std::unique_ptr<JunitRecorder> junit_; // --junit
    std::unique_ptr<JsonTrace> json_trace_; // --trace-json
    std::unique_ptr<RpmsgWatch> rpmsg_watch_; // --trace rpmsg between two firmware images
    std::unique_ptr<WebPanel> web_;           // --web
    void open_web();
    void web_button(const std::string &name, bool pressed);
    void open_timeline();
    bool close_trace_json();
    bool write_junit(int rc);
    std::vector<std::unique_ptr<HostSerial>> serials_;
    AnalogNets analog_; // pin voltages: --analog and DAC outputs (outlives the models)
    std::unique_ptr<Stimuli> stimuli_;
    void open_serials();
    std::unique_ptr<Bus> bus_;
    Clock::time_point epoch_ = Clock::now();
    std::unique_ptr<EventLoop> loop_;
    int stop_rc_ = 0;                  // set by a signal: the exit code to stop with
    Clock::time_point last_traffic_;   // last bridge message (spin window)
    std::unique_ptr<LedPanel> leds_;
    std::unique_ptr<BridgeServer> bridge_;
    std::vector<Child> children_;
    bool started_ = false;
};

Child *Runner::child_of(CoreId core)
{
    for (auto &ch : children_) {
        if (ch.core == core) {
            return &ch;
        }
    }
    return nullptr;
}

void Runner::on_signal(int signo)
{
    if (signo == SIGCHLD) {
        reap(false);
        return;
    }
    if (!stop_rc_) {
        log().info(std::string("stopping on ") + strsignal(signo));
        stop_rc_ = signo == SIGINT ? EXIT_SIGINT : EXIT_SIGTERM;
    } else if (finishing_rc_ >= 0) {
        hard_stop_ = true; // a second signal while models wind down: stop now
    }
}

int Runner::prepare()
{
    // 1. Everything that can be decided without creating anything.
    plan_ = make_run_plan(opt_);
    for (const auto &note : plan_.notes) {
        log().verbose_info(note);
    }
    console_ = std::make_unique<Console>(machine_.console);
    for (const auto &e : opt_.expects) {
        console_->expect(e);
    }
    for (const auto &e : opt_.expect_nots) {
        console_->expect_not(e);
    }
    console_->set_ordered(opt_.expect_order);
    console_->set_clock([this] { return now_ns(); });
    console_->set_stamped(opt_.timestamps || opt_.deterministic);
    console_->on_forbidden([this](const Expectation &e) {
        fail("forbidden line seen (--expect-not '" + e.pattern + "'): " + e.line, EXIT_FORBIDDEN);
    });
    if (junit_) {
        console_->on_line([this](const std::string &line) { junit_->console_line(line); });
    }

    // 2. Signals are events of the loop from here on.
    // SIGPIPE too: `ampvp run ... | head` closes our stdout; the default action
    // would end the hub before it removes its runtime directory in /dev/shm.
    loop_ = std::make_unique<EventLoop>(std::vector<int>{SIGINT, SIGTERM, SIGHUP, SIGCHLD, SIGQUIT, SIGPIPE},
                                        [this](int signo) { on_signal(signo); });

    // 3. Runtime directory, memories, images.
    rundir_ = std::make_unique<RuntimeDir>();
    for (const auto &m : machine_.memories) {
        mems_.push_back(std::make_unique<SharedMemory>(rundir_->file("mem-" + m.name), m.size,
                                                       m.flash ? 0xff : 0x00));
    }
    for (size_t i = 0; i < plan_.images.size(); i++) {
        for (const auto &p : plan_.placements[i]) {
            std::memcpy(mems_[p.mapping.memory]->data() + p.offset, p.segment->bytes.data(),
                        p.segment->bytes.size());
        }
        log().verbose_info((plan_.image_core[i] < 0 ? std::string("all cores")
                                                    : machine_.cores[plan_.image_core[i]].name) +
                           ": loaded " + plan_.images[i].path + " (" +
                           std::to_string(plan_.placements[i].size()) + " segments)");
    }

    open_timeline();

    // 4. Devices and bridge.
    DeviceContext ctx;
    ctx.chars = this;
    ctx.clocks = this;
    ctx.scheduler = this;
    ctx.boot = this;
    ctx.master = this;
    ctx.host = this;
    ctx.analog = &analog_;
    ctx.strict = opt_.strict;
    std::vector<std::string> files, configs;
    for (const auto &mem : mems_) {
        files.push_back(mem->path());
    }
    for (CoreId c = 0; c < (CoreId)machine_.cores.size(); c++) {
        configs.push_back(qemu_config_text(machine_, c, files, opt_.spin_us,
                                           opt_.deterministic ? opt_.quantum_ns : 0));
    }
    bus_ = std::make_unique<Bus>(machine_, ctx, this);
    if (!plan_.board.leds.empty()) {
        leds_ = std::make_unique<LedPanel>(plan_.board.leds);
        leds_->attach(*bus_);
        log().verbose_info("board " + plan_.board.name + ": " + std::to_string(plan_.board.leds.size()) +
                           " LEDs");
    }
    bridge_ = std::make_unique<BridgeServer>(machine_, *bus_, configs, opt_.posted_writes);
    bridge_->on_fault = [this](CoreId c, const BridgeServer::Fault &f) { on_fault(c, f); };
    bridge_->on_debug = [this](CoreId c, bool halted) { on_debug(c, halted); };
    open_serials();
    lone_ns_ = opt_.lone_ns;
    if (!opt_.replay.empty()) {
        load_replay();
    }
    if (!plan_.stimuli.empty()) {
        stimuli_ = std::make_unique<Stimuli>(plan_.stimuli, *bus_, *this);
        stimuli_->set_analog(&analog_);
        console_->on_line([this](const std::string &line) { stimuli_->console_line(line); });
    }
    for (const auto &core : plan_.idle_cores) {
        log().info(core + ": no image given, the core stays in reset");
    }
    for (const auto &w : plan_.warnings) {
        log().warn(w);
    }

    // 6. One socket and one QEMU per running core.
    unsigned next_gdb = opt_.gdb_port;
    for (CoreId c : plan_.run_cores) {
        Child ch;
        ch.core = c;
        ch.name = machine_.cores[c].name;
        ch.gated = plan_.gated[c];
        if (next_gdb) {
            ch.gdb_port = next_gdb++;
            check_port_free(ch.gdb_port, ch.name);
            log().info(ch.name + ": gdb on localhost:" + std::to_string(ch.gdb_port) +
                       (ch.gated ? " (once the core leaves reset)" : "") +
                       (opt_.gdb_wait ? ", waiting at the reset vector for the debugger" : ""));
        }
        std::string sock = rundir_->file(ch.name + ".sock");
        ch.listen_fd = listen_unix(sock);
        loop_->watch(ch.listen_fd, [this, c](int fd) {
            const int conn = accept4(fd, nullptr, nullptr, SOCK_CLOEXEC);
            if (conn < 0) {
                return;
            }
            bridge_->add_connection(c, conn);
            loop_->watch(conn, [this](int cfd) {
                last_traffic_ = Clock::now();
                if (bridge_->on_readable(cfd) == BridgeServer::Result::Closed) {
                    // The fd is closed already.  A core whose connection drops
                    // is dying: its exit status is reported once it is reaped.
                    loop_->unwatch(cfd);
                    settle_dead_cores();
                } else if (opt_.deterministic && bridge_->is_async(cfd)) {
                    // Lockstep: a core's async messages are read at the end
                    // of its quantum, in the order it sent them.
                    loop_->unwatch(cfd);
                }
            });
        });
        children_.push_back(std::move(ch));
        spawn(children_.back(), sock);
    }
    return EXIT_OK;
}

void Runner::open_serials()
{
    for (const auto &sp : plan_.serials) {
        const size_t i = serials_.size();
        auto watch = [this, i](int fd, bool on) {
            if (on) {
                loop_->watch(fd, [this, i](int rfd) { serials_[i]->on_readable(rfd); });
            } else {
                loop_->unwatch(fd);
            }
        };
        serials_.push_back(std::make_unique<HostSerial>(sp, bus_->device(sp.uart), watch));
        if (sp.kind != "stdin") {
            log().info(sp.uart + " is connected to " + serials_.back()->where());
        }
    }
}

uint32_t Runner::boot_address(CoreId core) const
{
    return static_cast<uint32_t>(bus_->boot_address(core).value_or(machine_.cores[core].boot));
}

void Runner::start_core(Child &ch, const std::string &why)
{
    const uint32_t vtor = boot_address(ch.core);
    bridge_->start(ch.core, vtor);
    ch.started = true;
    log().verbose_info(ch.name + ": leaves reset (" + why + "), vector table at " + hex(vtor));
    AMPVP_TRACE("power", ch.name, "reset released (" + why + "), vector table " + hex(vtor));
    AMPVP_TL(reset(ch.name, why));
}

void Runner::release_core(CoreId core, const std::string &by)
{
    for (auto &ch : children_) {
        if (ch.core != core) {
            continue;
        }
        if (ch.reset_held) {
            // Held by a system reset: its QEMU is past the start barrier.
            const uint32_t vtor = boot_address(core);
            bridge_->reset_core(core, vtor, false);
            ch.reset_held = false;
            ch.started = true;
            log().verbose_info(ch.name + ": leaves reset (released by " + by + "), vector table at " + hex(vtor));
        } else if (!ch.started && started_) {
            start_core(ch, "released by " + by);
        } else {
            AMPVP_TRACE("power", ch.name, "boot release by " + by + " ignored: already running");
        }
        return;
    }
    log().warn(by + " released " + machine_.cores[core].name +
               " from reset, but that core has no image and is not gated; it stays in reset");
}

// The SoC resets one core (a watchdog, its domain leaving Standby): it boots
// again from its boot address as the boot logic says now.
void Runner::reset_core(CoreId core, const std::string &why)
{
    Child *ch = child_of(core);
    if (!ch || !ch->started) {
        AMPVP_TRACE("power", machine_.cores[core].name, "reset (" + why + ") ignored: not running");
        return;
    }
    const uint32_t vtor = boot_address(core);
    log().info(ch->name + ": reset (" + why + "), boots again from " + hex(vtor));
    bridge_->reset_core(core, vtor, false);
}

// A system reset: the models first (the boot addresses and gates return to
// the option bytes), then the cores; a gated core waits for its release again.
void Runner::reset_system(const std::string &why)
{
    log().info("system reset (" + why + ")");
    bus_->reset();
    for (auto &ch : children_) {
        if (!ch.started && !ch.reset_held) {
            continue; // still waiting at the start barrier for its release
        }
        const bool hold = ch.gated;
        const uint32_t vtor = boot_address(ch.core);
        bridge_->reset_core(ch.core, vtor, hold);
        ch.started = !hold;
        ch.reset_held = hold;
        AMPVP_TRACE("power", ch.name, std::string(hold ? "held in reset" : "boots again") + " after the system reset, vector table " + hex(vtor));
    }
}

void Runner::spawn(Child &ch, const std::string &sock)
{
    std::vector<std::string> args = {opt_.qemu,       "-M",   "ampvp,sock=" + sock,
                                     "-nodefaults",   "-display", "none",
                                     "-serial",       "none", "-monitor",
                                     "none",          "-name", ch.name};
    if (opt_.deterministic) {
        // Instruction counting at a fixed rate, no sleeping: virtual time
        // advances only by executing (idle cores skip to their next deadline).
        args.insert(args.end(), {"-icount", "shift=" + std::to_string(opt_.icount_shift) + ",sleep=off"});
    }
    if (ch.gdb_port) {
        // QEMU's gdbstub, loopback only; -S: the vCPU waits until GDB continues.
        args.insert(args.end(), {"-gdb", "tcp:127.0.0.1:" + std::to_string(ch.gdb_port)});
        if (opt_.gdb_wait) {
            args.push_back("-S");
        }
    }
    args.insert(args.end(), opt_.qemu_args.begin(), opt_.qemu_args.end());
    ch.proc = std::make_unique<ChildProcess>(args, loop_->old_sigmask());
    const CoreId core = ch.core;
    loop_->watch(ch.proc->output_fd(), [this, core](int) { drain_stderr(*child_of(core), false); });
    log().verbose_info(ch.name + ": started QEMU (pid " + std::to_string(ch.proc->pid()) + ")");
}

void Runner::drain_stderr(Child &ch, bool final)
{
    const int fd = ch.proc->output_fd();
    if (fd < 0) {
        return;
    }
    ch.proc->drain(
        [&](const std::string &line) {
            const std::string text = "[" + ch.name + " qemu] " + line;
            // After a lockup, QEMU's register dump and abort message are -v only.
            ch.locked_up ? log().verbose_info(text) : log().info(text);
        },
        final);
    if (ch.proc->output_fd() < 0) {
        loop_->unwatch(fd); // EOF: the pipe is closed
    }
}

void Runner::reap(bool block)
{
    for (auto &ch : children_) {
        if (ch.proc) {
            ch.proc->reap(block);
        }
    }
}

int Runner::loop()
{
    const auto t0 = Clock::now();
    const auto start_deadline = t0 + std::chrono::seconds(30);
    // After bridge traffic, poll instead of sleeping for spin_us: waking an
    // idle host CPU costs 100-200 us on a VM, a poll a few hundred ns.
    const auto spin_window = std::chrono::microseconds(opt_.spin_us);
    last_traffic_ = t0 - spin_window;
    // Output lines of one turn of the loop go out together at its end (a
    // trace line per access no longer costs a write on the way to the
    // cores' answers and IRQs); the guard writes what waits on any return.
    Log::defer_output(true);
    struct Undefer {
        ~Undefer() { Log::defer_output(false); }
    } undefer;
    for (;;) {
        // Exit conditions checked once per wake-up.
        if (finishing_rc_ >= 0) {
            // A second signal, or a model's failure, ends the run at once.
            if (hard_stop_ || (stop_rc_ && stop_rc_ != finishing_rc_)) {
                return stop_rc_ ? stop_rc_ : finishing_rc_;
            }
            if (finish(finishing_rc_)) {
                return finishing_rc_;
            }
        } else if (stop_rc_) {
            if (finish(stop_rc_)) {
                return stop_rc_;
            }
        } else if (console_->expecting() && console_->all_seen()) {
            log().verbose_info("every expected line was seen");
            if (finish(EXIT_OK)) {
                return EXIT_OK;
            }
        }
        for (auto &ch : children_) {
            if (ch.exited() && ch.locked_up) {
                drain_stderr(ch, true);
                return EXIT_CORE_DIED; // reported in one line when it locked up
            }
            if (ch.exited()) {
                drain_stderr(ch, true);
                const std::string &last = ch.proc->last_line();
                log().error("core " + ch.name + " died: " + ch.proc->describe_status() +
                            (last.empty() ? "" : " (last message: " + last + ")"));
                return EXIT_CORE_DIED;
            }
        }
        const auto now = Clock::now();
        int wait_ms = -1;
        if (finishing_rc_ >= 0) {
            wait_ms = static_cast<int>(std::max<long>(
                0, std::chrono::duration_cast<std::chrono::milliseconds>(finish_deadline_ - now).count() + 1));
        } else if (opt_.timeout_s > 0) {
            auto deadline = t0 + std::chrono::milliseconds(static_cast<long>(opt_.timeout_s * 1000));
            if (now >= deadline) {
                const std::string missing = console_->describe_unseen();
                char secs[32];
                std::snprintf(secs, sizeof(secs), "%g", opt_.timeout_s);
                if (!console_->expecting() && !opt_.expect_nots.empty()) {
                    // Only --expect-not: the timeout is the run's length, and it passed.
                    log().verbose_info(std::string("no forbidden line in ") + secs + " s");
                    if (finish(EXIT_OK)) {
                        return EXIT_OK;
                    }
                    continue;
                }
                log().error(std::string("timeout after ") + secs + " s" +
                            (missing.empty() ? "" : "; never saw " + missing));
                if (finish(EXIT_TIMEOUT)) {
                    return EXIT_TIMEOUT;
                }
                continue;
            }
            wait_ms = static_cast<int>(
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count()) + 1;
        }
        if (!started_) {
            if (now >= start_deadline) {
                for (auto &ch : children_) {
                    if (!bridge_->ready(ch.core)) {
                        log().error("core " + ch.name +
                                    " did not reach the start barrier within 30 s");
                    }
                }
                return EXIT_CORE_DIED;
            }
            int ms = static_cast<int>(
                std::chrono::duration_cast<std::chrono::milliseconds>(start_deadline - now).count()) + 1;
            wait_ms = wait_ms < 0 ? ms : std::min(wait_ms, ms);
        }
        const bool spinning =
            started_ && now - last_traffic_ < spin_window &&
            !ampvp_host_overloaded(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                       now.time_since_epoch()).count());
        if (spinning) {
            wait_ms = 0; // poll: unless every CPU is taken, when polling delays the cores
        }
        if (started_ && opt_.deterministic && ls_active_ < 0 && !ls_waiting_) {
            wait_ms = 0; // the next quantum starts at once
        }
        if (bridge_->pending()) {
            wait_ms = wait_ms < 0 ? 1 : std::min(wait_ms, 1); // keep draining the queues
        }
        Log::flush_output();
        // Model deadlines bound the wait inside the loop (min-heap).
        int ran = loop_->run_once(std::chrono::milliseconds(wait_ms));
        // Polling: look again at once a few times before this loop's own
        // checks, whose round costs more than the answer a core waits for;
        // every eighth look, and after them, let a core that can make
        // progress have this CPU.
        for (int i = 1; spinning && ran == 0 && i < 16; i++) {
            if (i % 8 == 0) {
                sched_yield();
            }
            ran = loop_->run_once(std::chrono::milliseconds(0));
        }
        if (ran == 0 && wait_ms == 0) {
            sched_yield();
        }
        bridge_->flush();
        for (auto &s : serials_) {
            if (s->pending() && !opt_.deterministic) {
                s->pump(); // the receiver may have room again after a bus access
            }
        }
        if (started_ && opt_.deterministic) {
            lockstep_advance();
        }
        if (!started_) {
            bool all = true;
            for (const auto &ch : children_) {
                all &= bridge_->ready(ch.core);
            }
            if (all) {
                // Every core has mapped its memories and connected: nothing
                // needs the runtime directory any more.
                rundir_->remove();
                for (auto &ch : children_) {
                    loop_->unwatch(ch.listen_fd);
                    close(ch.listen_fd);
                    ch.listen_fd = -1;
                }
                started_ = true;
                if (opt_.deterministic) {
                    offset_.assign(machine_.cores.size(), 0);
                    parked_.assign(machine_.cores.size(), 0);
                    ls_joined_.assign(machine_.cores.size(), false);
                    for (auto &ch : children_) {
                        ls_joined_[ch.core] = !ch.gated;
                    }
                    log().set_clock([this] { return now_ns(); });
                    for (auto &sr : serials_) {
                        sr->set_deferred(true);
                    }
                }
                open_web();
                if (stimuli_) {
                    stimuli_->start();
                }
                if (leds_ && log().verbose()) {
                    leds_->show_time(this, now_ns());
                }
                for (auto &ch : children_) {
                    if (ch.gated) {
                        log().verbose_info(ch.name + ": boot gated by the option bytes, held in "
                                                     "reset until another core releases it");
                    } else {
                        start_core(ch, "start barrier");
                    }
                }
                for (const auto &d : bus_->devices()) {
                    d->run_started();
                }
            }
        }
    }
}

void Runner::on_fault(CoreId c, const BridgeServer::Fault &f)
{
    Child *ch = child_of(c);
    const ElfImage *img = image(c);
    if (!img && !plan_.images.empty() && plan_.image_core[0] < 0) {
        img = &plan_.images[0]; // a combined image holds every core's code
    }
    const FaultInfo info{f.exc, f.pc, f.lr, f.cfsr, f.hfsr, f.mmfar, f.bfar, f.why};
    const std::string line = fault_report(machine_.cores[c].name, info, img, machine_, c);
    if (f.exc == AMPVP_FAULT_LOCKUP) {
        if (ch) {
            ch->locked_up = true;
        }
        fail(line, EXIT_CORE_DIED);
    } else if (opt_.fault_continue) {
        log().warn(line);
    } else {
        fail(line + " (--on-fault stop)", EXIT_CORE_DIED);
    }
}

// --gdb-halt-both: a core its debugger stopped stops the others (they get
// HALT, their own debuggers see them stop), and they run again with it.
void Runner::on_debug(CoreId c, bool halted)
{
    Child *self = child_of(c);
    if (!self) {
        return;
    }
    self->debug_halted = halted;
    if (!opt_.gdb_halt_both) {
        return;
    }
    for (auto &ch : children_) {
        if (ch.core == c || !ch.started) {
            continue;
        }
        if (halted && !ch.debug_halted && !ch.cross_halted) {
            ch.cross_halted = true;
            bridge_->halt(ch.core);
            log().verbose_info(ch.name + ": halted with " + self->name + " (--gdb-halt-both)");
        } else if (!halted && ch.cross_halted) {
            ch.cross_halted = false;
            bridge_->resume(ch.core);
            log().verbose_info(ch.name + ": runs again with " + self->name);
        }
    }
}

// One step of the lockstep schedule: when the active core has reported the
// end of its quantum, read what it sent on its async channel and give the next
// core its quantum; after the last core, the round's boundary: model timers up
// to it, host input, then the next round.
void Runner::lockstep_advance()
{
    const uint64_t q = opt_.quantum_ns;
    if (ls_active_ >= 0) {
        Child *ch = child_of(ls_active_);
        if (!bridge_->quantum_done(ls_active_) && ch && !ch->exited()) {
            return; // still running its quantum
        }
        bridge_->clear_quantum(ls_active_);
        bridge_->end_grant();
        if (ls_grant_last_) {
            // A lone core stopped at a later quantum end than this round's:
            // the rounds in between passed with it alone (docs/determinism.md).
            const uint64_t end = offset_[ls_active_] + bridge_->vtime(ls_active_);
            if (end > vnow_ + q) {
                const uint64_t skipped = (end - vnow_) / q - 1;
                vnow_ += skipped * q;
                round_ += skipped;
            }
            ls_grant_last_ = 0;
        }
        // An idle core with nothing sent to it meanwhile sits out the rounds
        // until its own next timer or a message for it (docs/determinism.md).
        const uint64_t next = bridge_->idle_next(ls_active_);
        parked_[ls_active_] = 0;
        if (next && lone_ns_ > q && !bridge_->sent_since_go(ls_active_)) {
            parked_[ls_active_] = next == UINT64_MAX ? UINT64_MAX : std::max<uint64_t>(offset_[ls_active_] + next, 1);
        }
        const int afd = bridge_->async_fd(ls_active_);
        if (afd >= 0) {
            bridge_->on_readable(afd);
        }
        ls_active_ = -1;
        ls_index_++;
    }
    while (ls_index_ < children_.size()) {
        Child &ch = children_[ls_index_];
        if (has_turn(ch)) {
            bridge_->flush(); // what the hub sent it so far lands at this boundary
            parked_[ch.core] = 0;
            ls_active_ = ch.core;
            ls_ran_ = true;
            const uint64_t last = lone_last();
            ls_turns_++;
            const uint64_t off = offset_[ch.core];
            if (bridge_->go(ch.core, vnow_ - off, vnow_ + q - off, last - off)) {
                ls_grant_last_ = last;
                ls_grants_++;
            }
            return;
        }
        ls_index_++;
    }
    if (!ls_ran_) {
        // Every core sits out: on to the first round in which something
        // happens (a core's own timer, a model timer, a recorded input); with
        // nothing ahead but host input, virtual time waits for it.
        const uint64_t start = next_round_with_work();
        ls_waiting_ = start == UINT64_MAX;
        if (ls_waiting_) {
            return;
        }
        if (start > vnow_) {
            // The rounds in between pass with nothing to do: that round's turns.
            round_ += (start - vnow_) / q;
            vnow_ = start;
            ls_index_ = 0;
            return;
        }
    }
    ls_ran_ = false;
    // Round complete: every core is at vnow_ + q.
    vnow_ += q;
    ls_index_ = 0;
    vtimers_fire(vnow_);
    lockstep_host_input();
    for (auto &ch : children_) {
        if (ch.started && !ls_joined_[ch.core]) {
            ls_joined_[ch.core] = true; // a core released during the round starts now
            offset_[ch.core] = vnow_;
        }
    }
}

// How far the active core may run without stopping: one quantum, or, when it
// is the only core with a turn (the others absent, held in reset, ended or
// sitting out idle), up to --lone-run, but not past the quantum end at which
// the first model timer fires (a timer set meanwhile cuts the grant, see
// vtimer_set) nor into the round an idle core's own timer falls in.
uint64_t Runner::lone_last() const
{
    const uint64_t q = opt_.quantum_ns;
    const uint64_t one = vnow_ + q;
    if (lone_ns_ <= q) {
        return one;
    }
    uint64_t last = vnow_ + lone_ns_ / q * q;
    for (const auto &ch : children_) {
        if (ch.core == ls_active_) {
            continue;
        }
        if (has_turn(ch)) {
            return one; // another core runs this round
        }
        if (takes_part(ch) && parked_[ch.core] != UINT64_MAX) {
            // An idle one has its turn again in the round its own timer falls in.
            last = std::min(last, std::max(one, round_of(parked_[ch.core])));
        }
    }
    // Host input enters at the end of a round (lockstep_host_input): a byte
    // waiting for the UART is offered at every quantum end, as without the
    // grant; a replay stops where the recording's next input entered.
    if (!opt_.replay.empty()) {
        if (replay_next_ < replay_.size() && replay_[replay_next_].round > round_) {
            last = std::min(last, vnow_ + (replay_[replay_next_].round - round_) * q);
        }
    } else if (host_input_waiting()) {
        return one;
    }
    if (!vtimers_.empty()) {
        const uint64_t at = std::get<0>(*vtimers_.begin());
        last = std::min(last, std::max(one, round_of(at) + q)); // it fires there
    }
    return last;
}

// Live host input read but not yet taken by its UART or model.
bool Runner::host_input_waiting() const
{
    for (const auto &sr : serials_) {
        if (sr->pending()) {
            return true;
        }
    }
    for (const auto &mi : model_inputs_) {
        if (mi.port->pending()) {
            return true;
        }
    }
    return false;
}

// With every core sitting out: the start of the first round, from the current
// one (vnow_) on, in which something happens, or UINT64_MAX if nothing will
// without host input.
uint64_t Runner::next_round_with_work() const
{
    const uint64_t q = opt_.quantum_ns;
    if (opt_.replay.empty() && host_input_waiting()) {
        return vnow_; // it enters at this round's end
    }
    uint64_t start = UINT64_MAX;
    for (const auto &ch : children_) {
        if (takes_part(ch) && parked_[ch.core] && parked_[ch.core] != UINT64_MAX) {
            start = std::min(start, round_of(parked_[ch.core]));
        }
    }
    if (!vtimers_.empty()) {
        start = std::min(start, round_of(std::get<0>(*vtimers_.begin())));
    }
    if (!opt_.replay.empty() && replay_next_ < replay_.size() && replay_[replay_next_].round > round_) {
        // The recorded input enters at the end of round number `round`.
        start = std::min(start, vnow_ + (replay_[replay_next_].round - round_ - 1) * q);
    }
    return start == UINT64_MAX ? start : std::max(start, vnow_);
}

// Host input enters at round boundaries only (same input, same round: same
// run).  --record notes what each UART took at which boundary; --replay
// gives exactly that instead of reading the host.
void Runner::lockstep_host_input()
{
    round_++;
    if (!opt_.replay.empty()) {
        while (replay_next_ < replay_.size() && replay_[replay_next_].round <= round_) {
            const HostInput &in = replay_[replay_next_++];
            const ModelInput *mi = model_input(in.uart);
            Device *dev = mi ? mi->port->device() : bus_->device(in.uart);
            if (!dev) {
                // A model's input not opened at this round: the run differs from
                // the recording (other images or options).
                fail("--replay: input '" + in.uart + "' at round " + std::to_string(in.round) +
                         " does not exist in this run", EXIT_FAILURE);
                continue;
            }
            for (char c : in.bytes) {
                dev->host_input(static_cast<uint8_t>(c)); // accepted as when recorded
            }
            if (mi && mi->delivered) {
                mi->delivered();
            }
        }
        return;
    }
    for (auto &sr : serials_) {
        const std::string given = sr->pump();
        if (!given.empty() && !opt_.record.empty()) {
            recorded_.push_back({round_, sr->uart(), given});
        }
    }
    // The models' inputs (a copy: `delivered` may open or close endpoints).
    const std::vector<ModelInput> inputs = model_inputs_;
    for (const auto &mi : inputs) {
        const std::string given = mi.port->pump();
        if (given.empty()) {
            continue;
        }
        if (!opt_.record.empty()) {
            recorded_.push_back({round_, mi.name, given});
        }
        if (mi.delivered) {
            mi.delivered();
        }
    }
}

// A recording: "ampvp-record 1 quantum-ns N icount-shift N lone-run-ns N",
// then one line per input: "<round> <UART> <hex bytes>".
void Runner::save_record()
{
    const std::string tmp = opt_.record + ".tmp";
    FILE *f = std::fopen(tmp.c_str(), "w");
    if (!f) {
        log().error("--record " + opt_.record + ": cannot write: " + std::strerror(errno));
        return;
    }
    std::fprintf(f, "ampvp-record 1 quantum-ns %llu icount-shift %u lone-run-ns %llu\n",
                 (unsigned long long)opt_.quantum_ns, opt_.icount_shift, (unsigned long long)lone_ns_);
    for (const auto &in : recorded_) {
        std::fprintf(f, "%llu %s ", (unsigned long long)in.round, in.uart.c_str());
        for (unsigned char c : in.bytes) {
            std::fprintf(f, "%02x", c);
        }
        std::fputc('\n', f);
    }
    const bool ok = std::fclose(f) == 0;
    if (!ok || std::rename(tmp.c_str(), opt_.record.c_str()) != 0) {
        std::remove(tmp.c_str());
        log().error("--record " + opt_.record + ": cannot write: " + std::strerror(errno));
    }
}

void Runner::load_replay()
{
    FILE *f = std::fopen(opt_.replay.c_str(), "r");
    if (!f) {
        throw ConfigError("--replay " + opt_.replay + ": cannot read: " + std::strerror(errno));
    }
    char line[65536];
    unsigned long long q = 0, lone = 0;
    unsigned shift = 0;
    int fields = 0;
    if (!std::fgets(line, sizeof(line), f) ||
        (fields = std::sscanf(line, "ampvp-record 1 quantum-ns %llu icount-shift %u lone-run-ns %llu", &q,
                              &shift, &lone)) < 2) {
        std::fclose(f);
        throw ConfigError("--replay " + opt_.replay + ": not an ampvp recording (first line)");
    }
    if (q != opt_.quantum_ns || shift != opt_.icount_shift) {
        std::fclose(f);
        throw ConfigError("--replay " + opt_.replay + ": recorded with --quantum " + std::to_string(q) +
                          "ns --icount-shift " + std::to_string(shift) + "; give the same");
    }
    // Host input entered where the recording's lone core stopped: replay
    // stops it at the same quantum ends (a recording from before --lone-run:
    // every quantum end).
    lone_ns_ = fields == 3 ? lone : 0;
    for (int lineno = 2; std::fgets(line, sizeof(line), f); lineno++) {
        unsigned long long round = 0;
        char uart[64], hexs[65536];
        // A UART on the bus, or a model's input ("rpmsg:NAME.ADDR": opened
        // during the run, checked when its round comes).
        if (std::sscanf(line, "%llu %63s %65535s", &round, uart, hexs) != 3 || std::strlen(hexs) % 2 ||
            (!bus_->device(uart) && std::strchr(uart, ':') == nullptr)) {
            std::fclose(f);
            throw ConfigError("--replay " + opt_.replay + ":" + std::to_string(lineno) +
                              ": expected '<round> <UART> <hex bytes>' naming a modelled UART");
        }
        std::string bytes;
        for (size_t i = 0; hexs[i]; i += 2) {
            bytes += static_cast<char>(std::stoi(std::string(hexs + i, 2), nullptr, 16));
        }
        replay_.push_back({round, uart, bytes});
    }
    std::fclose(f);
}

void Runner::vtimer_set(Device *dev, unsigned tag, uint64_t at)
{
    auto it = vtimer_keys_.find({dev, tag});
    if (it != vtimer_keys_.end()) {
        vtimers_.erase({it->second.first, it->second.second, dev, tag});
        vtimer_keys_.erase(it);
    }
    if (at && at < ls_grant_last_) {
        bridge_->cut_grant(); // it fires at a quantum end the grant would pass
    }
    if (at) {
        const uint64_t seq = vtimer_seq_++;
        vtimer_keys_[{dev, tag}] = {at, seq};
        vtimers_.insert({at, seq, dev, tag});
    }
}

// Timers due by `up_to`, in deadline order; each sees its own deadline as now.
void Runner::vtimers_fire(uint64_t up_to)
{
    while (!vtimers_.empty() && std::get<0>(*vtimers_.begin()) <= up_to) {
        const auto [at, seq, dev, tag] = *vtimers_.begin();
        vtimers_.erase(vtimers_.begin());
        vtimer_keys_.erase({dev, tag});
        vtimer_firing_ = true;
        vtimer_now_ = std::max(at, vnow_ - opt_.quantum_ns);
        dev->timer_fired(tag);
        vtimer_firing_ = false;
    }
}

bool Runner::finish(int rc)
{
    const auto now = Clock::now();
    if (finishing_rc_ < 0) {
        finishing_rc_ = rc;
        uint64_t bound = 0;
        if (started_) {
            for (const auto &d : bus_->devices()) {
                bound = std::max(bound, d->stop_requested());
            }
        }
        finish_deadline_ = now + std::chrono::nanoseconds(bound);
        if (bound == 0) {
            return true;
        }
    }
    bool done = true;
    for (const auto &d : bus_->devices()) {
        done &= d->stop_done();
    }
    return done || now >= finish_deadline_;
}

// A connection dropped: its QEMU is exiting.  Reap it (killing it if it
// lingers) so the loop can report which core died and why.
void Runner::settle_dead_cores()
{
    reap(false);
    for (auto &ch : children_) {
        if (ch.exited() || bridge_->connected(ch.core) || !started_) {
            continue;
        }
        for (int k = 0; k < 50 && !ch.proc->reap(false); k++) {
            usleep(10000);
        }
        ch.proc->kill_now(); // no-op once it has exited
    }
}

void Runner::shutdown_children()
{
    bool any = false;
    for (auto &ch : children_) {
        if (ch.proc && !ch.exited()) {
            bridge_ ? bridge_->bye(ch.core, !ch.started) : void();
            any = true;
        }
    }
    if (!any) {
        return;
    }
    // Up to 1 s for an orderly exit, then SIGKILL.
    for (int k = 0; k < 100; k++) {
        if (bridge_) {
            bridge_->flush(); // BYE may sit behind queued messages
        }
        reap(false);
        bool all = true;
        for (auto &ch : children_) {
            all &= !ch.proc || ch.exited();
        }
        if (all) {
            return;
        }
        usleep(10000);
    }
    for (auto &ch : children_) {
        if (ch.proc && !ch.exited()) {
            // Not an orderly end: a QEMU that ignores BYE is a bridge defect.
            log().warn(ch.name + ": QEMU did not leave within 1 s of BYE; killed");
        }
        if (ch.proc) {
            ch.proc->kill_now();
        }
    }
}

void Runner::cleanup()
{
    shutdown_children();
    for (auto &ch : children_) {
        if (ch.listen_fd >= 0) {
            close(ch.listen_fd);
        }
    }
    children_.clear(); // ChildProcess: kills and reaps anything still running
    serials_.clear();
    stimuli_.reset();
    bridge_.reset();
    if (rundir_) {
        rundir_->remove();
    }
    mems_.clear();
    loop_.reset(); // closes epoll/signalfd, restores the signal mask
}

int Runner::run()
{
    int rc;
    if (!opt_.junit.empty()) {
        std::string name = opt_.junit_name.empty() ? opt_.board : opt_.junit_name;
        name = name.empty() ? opt_.machine : name;
        name = name.substr(name.find_last_of('/') + 1); // a description's path: its file name
        junit_ = std::make_unique<JunitRecorder>(opt_.junit, name);
    }
    try {
        prepare();
        rc = loop();
    } catch (const ConfigError &e) {
        log().error(e.what());
        rc = EXIT_ERROR;
    } catch (const ImageError &e) {
        log().error(e.what());
        rc = EXIT_ERROR;
    } catch (const std::regex_error &e) {
        log().error(std::string("bad --expect pattern: ") + e.what());
        rc = EXIT_USAGE;
    } catch (const std::exception &e) {
        log().error(e.what());
        rc = EXIT_ERROR;
    }
    if (console_) {
        console_->flush();
    }
    // Before cleanup(): the signals stay blocked while the report is written.
    if (junit_ && !write_junit(rc) && rc == EXIT_OK) {
        rc = EXIT_ERROR;
    }
    if (rpmsg_watch_) {
        timeline().remove_sink(rpmsg_watch_.get());
        rpmsg_watch_.reset();
    }
    if (web_) {
        timeline().remove_sink(web_.get());
        web_.reset();
    }
    if (json_trace_ && !close_trace_json() && rc == EXIT_OK) {
        rc = EXIT_ERROR;
    }
    if (!opt_.record.empty() && started_) {
        save_record();
    }
    if (opt_.deterministic && started_) {
        log().verbose_info("lockstep: " + std::to_string(round_) + " rounds of " +
                           std::to_string(opt_.quantum_ns / 1000) + " us; " + std::to_string(ls_turns_) +
                           " turns given to cores, " + std::to_string(ls_grants_) +
                           " of them grants to a core running alone");
    }
    cleanup();
    return rc;
}

// The tools that show the run's timeline (timeline.h): --trace-json.
void Runner::open_timeline()
{
    std::vector<std::string> cores, devices;
    for (const auto &c : machine_.cores) {
        cores.push_back(c.name);
    }
    for (const auto &p : machine_.peripherals) {
        if (p.model == "stm32-hsem" || p.model == "stm32-ipcc" || p.model.find("exti") != std::string::npos) {
            devices.push_back(p.name);
        }
    }
    timeline().set_cores(cores);
    timeline().set_address_namer([this](uint64_t addr) {
        for (const auto &p : machine_.peripherals) {
            if (p.mapped && addr >= p.base && addr - p.base < p.size) {
                return p.name;
            }
        }
        return std::string();
    });
    if (!opt_.trace_json.empty()) {
        json_trace_ = std::make_unique<JsonTrace>(opt_.trace_json, cores, devices, opt_.trace_json_max);
        timeline().add_sink(json_trace_.get());
    }
    if (opt_.web_port) {
        web_ = std::make_unique<WebPanel>(opt_.web_port, WebPanel::default_assets(), plan_.board, cores);
        timeline().add_sink(web_.get());
    }
    // RPMsg between two firmware images (rpmsg_watch.h); a master played by
    // the hub (a remoteproc model) reports its own messages.
    bool host_master = false;
    for (const auto &p : machine_.peripherals) {
        host_master |= p.model == "stm32mp1-remoteproc";
    }
    if (!host_master && cores.size() >= 2 && (log().tracing("rpmsg") || json_trace_)) {
        for (const auto &img : plan_.images) {
            uint64_t addr = 0, size = 0;
            std::string how;
            if (RpmsgWatch::find_table(img, addr, size, how)) {
                rpmsg_watch_ = std::make_unique<RpmsgWatch>(
                    [this](uint64_t a, uint64_t n) -> const uint8_t * { return memory(0, a, n); }, addr, size,
                    cores[0], cores[1]);
                timeline().add_sink(rpmsg_watch_.get());
                log().verbose_info("rpmsg: resource table of " + img.path + " (" + how + ") at " + hex(addr) +
                                   ": decoding " + cores[0] + " <-> " + cores[1] + " messages at each notification");
                break;
            }
        }
    }
}

// --web: the page's clicks reach the loop through an eventfd.
void Runner::open_web()
{
    if (!web_) {
        return;
    }
    loop_->watch(web_->wake_fd(), [this](int) {
        for (const auto &[name, pressed] : web_->take_clicks()) {
            web_button(name, pressed);
        }
    });
    log().info("board page on " + web_->url());
}

// A click on the page: the button's pin as --press drives it (released 50 ms later).
void Runner::web_button(const std::string &name, bool pressed)
{
    for (const auto &b : plan_.board.buttons) {
        if (b.name != name) {
            continue;
        }
        Device *gpio = bus_->device("GPIO" + b.pin.port);
        if (!gpio) {
            return;
        }
        const std::string what = name + (pressed ? " pressed" : " released") + " (web page)";
        console_->line("board", what);
        Timeline::Scope tl_scope("");
        AMPVP_TL(input(what, pressed));
        gpio->input(b.pin.pin, pressed == b.active_high);
        if (pressed) {
            loop_->set_deadline({web_.get(), 0}, Clock::now() + std::chrono::milliseconds(50),
                                [this, name] { web_button(name, false); });
        }
    }
}

// Written on every exit path past the command line, like the JUnit report.
bool Runner::close_trace_json()
{
    timeline().remove_sink(json_trace_.get());
    std::string err;
    const bool ok = json_trace_->close(log().trace_time_ns(), err);
    if (!ok) {
        log().error(err);
    } else {
        log().verbose_info("timeline: " + std::to_string(json_trace_->events()) + " events in " + opt_.trace_json);
    }
    json_trace_.reset();
    return ok;
}

bool Runner::write_junit(int rc)
{
    JunitReport r;
    r.time_s = now_ns() / 1e9;
    r.exit_code = rc;
    r.ordered = opt_.expect_order;
    if (console_) {
        r.expectations = console_->expectations();
    } else { // the run failed before its console existed: nothing was seen
        for (const auto &p : opt_.expects) {
            r.expectations.push_back({Expectation::Expect, p, false, 0, "", ""});
        }
        for (const auto &p : opt_.expect_nots) {
            r.expectations.push_back({Expectation::ExpectNot, p, false, 0, "", ""});
        }
    }
    r.properties.emplace_back("machine", opt_.machine.empty() ? machine_.name : opt_.machine);
    if (!opt_.board.empty()) {
        r.properties.emplace_back("board", opt_.board);
    }
    for (const auto &[core, file] : opt_.images) {
        r.properties.emplace_back("image." + core, file);
    }
    for (const auto &file : opt_.combined) {
        r.properties.emplace_back("image", file);
    }
    return junit_->write(std::move(r));
}

} // namespace

int run(const RunOptions &opt)
{
    Runner r(opt);
    return r.run();
}

} // namespace ampvp
