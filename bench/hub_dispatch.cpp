// hub_dispatch: the cost of one access inside the hub, without sockets: the
// stm32h745 machine's Bus built as the unit tests build it, then N accesses
// of one kind in a loop.  Prints, per case, the median ns per access over
// several repetitions (N chosen so one repetition takes >= --min-ms) and the
// heap allocations per access (counted by the global operator new below).
//
//   hub_dispatch [--machine FILE] [--repeat 7] [--min-ms 100]
//
// Cases (core 0 = the machine's first core):
//   usart3_isr_read   read USART3_ISR (0x4000481C)
//   hsem_lock_release read HSEM_RLR0 (lock), write HSEM_R0 with the value read
//                     (unlock); two accesses per iteration, each counted
//   rcc_enr_write     write RCC_APB1LENR (0x580244E8) with its current value
//   gpio_odr_write    write GPIOA_ODR (0x58020014), alternating 0 and 1
#include "bus.h"
#include "device.h"
#include "log.h"
#include "machine.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <new>
#include <string>
#include <unistd.h>
#include <vector>

// --- counting global allocator ----------------------------------------------
static unsigned long long g_allocs = 0;

static void *counted_alloc(std::size_t n)
{
    g_allocs++;
    if (void *p = std::malloc(n ? n : 1)) {
        return p;
    }
    throw std::bad_alloc();
}

static void *counted_alloc_aligned(std::size_t n, std::align_val_t al)
{
    g_allocs++;
    std::size_t a = static_cast<std::size_t>(al);
    if (a < sizeof(void *)) {
        a = sizeof(void *);
    }
    void *p = nullptr;
    if (posix_memalign(&p, a, n ? n : 1) != 0) {
        throw std::bad_alloc();
    }
    return p;
}

void *operator new(std::size_t n) { return counted_alloc(n); }
void *operator new[](std::size_t n) { return counted_alloc(n); }
void *operator new(std::size_t n, const std::nothrow_t &) noexcept
{
    g_allocs++;
    return std::malloc(n ? n : 1);
}
void *operator new[](std::size_t n, const std::nothrow_t &) noexcept
{
    g_allocs++;
    return std::malloc(n ? n : 1);
}
void *operator new(std::size_t n, std::align_val_t a) { return counted_alloc_aligned(n, a); }
void *operator new[](std::size_t n, std::align_val_t a) { return counted_alloc_aligned(n, a); }
void operator delete(void *p) noexcept { std::free(p); }
void operator delete[](void *p) noexcept { std::free(p); }
void operator delete(void *p, std::size_t) noexcept { std::free(p); }
void operator delete[](void *p, std::size_t) noexcept { std::free(p); }
void operator delete(void *p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void *p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void *p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void *p, std::size_t, std::align_val_t) noexcept { std::free(p); }

// --- the benchmark ------------------------------------------------------------
using namespace ampvp;

namespace {

struct NullIrqs : IrqSink {
    unsigned long long n = 0;
    void set_irq(CoreId, unsigned, bool) override { n++; }
    void send_event(CoreId) override { n++; }
};

struct NullChars : CharSink {
    void put_char(const std::string &, const BusAccess &, uint8_t) override {}
};

volatile uint32_t g_sink; // keeps the reads alive

struct Case {
    const char *name;
    unsigned accesses_per_iter;
    std::function<void(unsigned long long iters)> run;
};

double now_s()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

} // namespace

int main(int argc, char **argv)
{
#ifdef AMPVP_SOURCE_DIR
    std::string machine_file = std::string(AMPVP_SOURCE_DIR) + "/machine/stm32h745.json";
#else
    std::string machine_file = "machine/stm32h745.json";
#endif
    int repeat = 7;
    double min_ms = 100;
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        if (a == "--machine" && i + 1 < argc) {
            machine_file = argv[++i];
        } else if (a == "--repeat" && i + 1 < argc) {
            repeat = std::max(1, std::atoi(argv[++i]));
        } else if (a == "--min-ms" && i + 1 < argc) {
            min_ms = std::atof(argv[++i]);
        } else {
            std::fprintf(stderr, "usage: %s [--machine FILE] [--repeat N] [--min-ms MS]\n", argv[0]);
            return a == "-h" || a == "--help" ? 0 : 2;
        }
    }

    MachineDesc m = MachineDesc::load_file(machine_file);
    NullIrqs irqs;
    NullChars chars;
    DeviceContext ctx;
    ctx.chars = &chars;
    Bus bus(m, ctx, &irqs);
    const CoreId core = 0;
    const std::string core_name = m.cores.at(0).name;

    auto acc = [&](uint64_t addr) {
        BusAccess a;
        a.core = core;
        a.core_name = core_name;
        a.addr = addr;
        a.size = 4;
        return a;
    };
    // One BusAccess per case, made before timing (as the bridge keeps one per
    // connection); only the fields a model may change are reset per access.
    BusAccess isr = acc(0x4000481C), rlr = acc(0x58026480), r0 = acc(0x58026400),
              enr = acc(0x580244E8), odr = acc(0x58020014);
    const uint32_t enr_value = bus.read(enr);

    std::vector<Case> cases = {
        {"usart3_isr_read", 1,
         [&](unsigned long long n) {
             uint32_t x = 0;
             for (unsigned long long i = 0; i < n; i++) {
                 isr.fault = false;
                 x ^= bus.read(isr);
             }
             g_sink = x;
         }},
        {"hsem_lock_release", 2,
         [&](unsigned long long n) {
             uint32_t x = 0;
             for (unsigned long long i = 0; i < n; i++) {
                 rlr.fault = false;
                 const uint32_t v = bus.read(rlr);
                 r0.fault = false;
                 bus.write(r0, v & ~0x80000000u); // LOCK=0 with our COREID/PROCID frees it
                 x ^= v;
             }
             g_sink = x;
         }},
        {"rcc_enr_write", 1,
         [&](unsigned long long n) {
             for (unsigned long long i = 0; i < n; i++) {
                 enr.fault = false;
                 bus.write(enr, enr_value);
             }
         }},
        {"gpio_odr_write", 1,
         [&](unsigned long long n) {
             for (unsigned long long i = 0; i < n; i++) {
                 odr.fault = false;
                 bus.write(odr, static_cast<uint32_t>(i & 1));
             }
         }},
    };

    // Sanity: the HSEM case really locks and frees (RLR read returns LOCK set;
    // the semaphore is free again afterwards).
    {
        const uint32_t v = bus.read(rlr);
        bus.write(r0, v & ~0x80000000u);
        BusAccess chk = acc(0x58026400);
        if (!(v & 0x80000000u) || (bus.read(chk) & 0x80000000u)) {
            std::fprintf(stderr, "hub_dispatch: HSEM lock/release did not behave (RLR0 read 0x%08x)\n", v);
            return 1;
        }
    }

    double la[3] = {0, 0, 0};
    getloadavg(la, 3);
    std::printf("hub_dispatch (no sockets; %s; core %s; median of %d repetitions, each >= %.0f ms; "
                "host: %ld CPUs, load average %.2f %.2f %.2f)\n",
                m.name.c_str(), core_name.c_str(), repeat, min_ms, sysconf(_SC_NPROCESSORS_ONLN), la[0],
                la[1], la[2]);
    for (auto &c : cases) {
        // Calibrate N: double until one run takes >= min_ms.
        unsigned long long n = 1000;
        for (;;) {
            const double t0 = now_s();
            c.run(n);
            const double dt = now_s() - t0;
            if (dt * 1e3 >= min_ms) {
                break;
            }
            const double want = min_ms / 1e3 * 1.2;
            n = dt > 0 ? std::max(n * 2, static_cast<unsigned long long>(n * want / dt)) : n * 10;
        }
        std::vector<double> ns;
        unsigned long long allocs = 0;
        for (int r = 0; r < repeat; r++) {
            const unsigned long long a0 = g_allocs;
            const double t0 = now_s();
            c.run(n);
            const double dt = now_s() - t0;
            allocs += g_allocs - a0;
            ns.push_back(dt * 1e9 / (static_cast<double>(n) * c.accesses_per_iter));
        }
        std::sort(ns.begin(), ns.end());
        const double accesses = static_cast<double>(n) * c.accesses_per_iter * repeat;
        std::printf("%-20s %9.1f ns/access  %6.2f allocs/access   (N=%llu x %u accesses; min %.1f, max %.1f ns)\n",
                    c.name, ns[ns.size() / 2], static_cast<double>(allocs) / accesses, n,
                    c.accesses_per_iter, ns.front(), ns.back());
    }
    getloadavg(la, 3);
    std::printf("load average after: %.2f %.2f %.2f\n", la[0], la[1], la[2]);
    return 0;
}
