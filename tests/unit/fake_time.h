// A scheduler the unit tests drive by hand (models' timers: DeviceContext::scheduler).
#pragma once

#include "device.h"

#include <cstdint>
#include <map>
#include <utility>

namespace testutil {

// Time stands still until advance(); deadlines a model set fire in time order
// as advance() passes them, `now` being each deadline while it fires.
// schedule(at = 0) cancels.  Tests that need clocks derive and add a
// ClockSource.
struct FakeScheduler : ampvp::Scheduler {
    uint64_t now = 1000;
    std::map<std::pair<ampvp::Device *, unsigned>, uint64_t> due;
    uint64_t now_ns() const override { return now; }
    void schedule(ampvp::Device *d, unsigned tag, uint64_t at) override
    {
        if (at) {
            due[{d, tag}] = at;
        } else {
            due.erase({d, tag});
        }
    }
    void advance(uint64_t ns)
    {
        const uint64_t end = now + ns;
        for (;;) {
            auto first = due.end();
            for (auto it = due.begin(); it != due.end(); ++it) {
                if (first == due.end() || it->second < first->second) {
                    first = it;
                }
            }
            if (first == due.end() || first->second > end) {
                break;
            }
            now = std::max(now, first->second);
            const auto key = first->first;
            due.erase(first);
            key.first->timer_fired(key.second);
        }
        now = end;
    }
};

} // namespace testutil
