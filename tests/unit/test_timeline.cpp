// The run's timeline (timeline.h) and its Chrome JSON form (trace_json.h):
// cause -> effect flows inside a scope, none outside, spans, atomic file.
#include "timeline.h"
#include "trace_json.h"
#include "log.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace ampvp;

namespace {
struct Recorder : TimelineSink {
    std::vector<TlEvent> events;
    void event(const TlEvent &e) override { events.push_back(e); }
};

struct TimelineTest : ::testing::Test {
    Recorder rec;
    uint64_t t = 1000;
    void SetUp() override
    {
        timeline().set_test_clock([this] { return t += 10; });
        timeline().set_cores({"cm7", "cm4"});
        timeline().add_sink(&rec);
    }
    void TearDown() override
    {
        timeline().remove_sink(&rec);
        timeline().set_test_clock(nullptr);
    }
    const TlEvent *find(TlKind k)
    {
        for (const auto &e : rec.events) {
            if (e.kind == k && e.phase != 'E') {
                return &e;
            }
        }
        return nullptr;
    }
};
} // namespace

// A freed semaphore is the cause of the notification, the IRQ and the wake-up
// of the core it reaches: one flow from the release to the wake.
TEST_F(TimelineTest, ReleaseNotifyIrqWakeIsOneFlow)
{
    timeline().power("cm4", 2);
    {
        Timeline::Scope s("cm7", 0x58026000, true);
        timeline().hsem_free("HSEM", "cm7", 0, "unlock");
        timeline().hsem_notify("HSEM", "cm4", 0);
        timeline().irq("cm4", 126, true, false);
    }
    timeline().power("cm4", 0);
    const TlEvent *free = find(TlKind::HsemFree), *notify = find(TlKind::HsemNotify),
                  *irq = find(TlKind::Irq), *wake = find(TlKind::Wake);
    ASSERT_TRUE(free && notify && irq && wake);
    EXPECT_NE(free->cause, 0u);
    EXPECT_TRUE(notify->flow_first);
    EXPECT_EQ(notify->flow_cause, free->cause);
    EXPECT_EQ(irq->flow, notify->flow);
    EXPECT_FALSE(irq->flow_first);
    EXPECT_EQ(wake->flow, notify->flow);
    EXPECT_TRUE(wake->flow_last);
}

// Effects outside any scope (a model's timer) are nobody's doing.
TEST_F(TimelineTest, EffectOutsideAScopeHasNoCause)
{
    {
        Timeline::Scope s("cm7", 0x58026000, true);
        timeline().hsem_free("HSEM", "cm7", 0, "unlock");
    }
    timeline().irq("cm4", 54, true, false);
    const TlEvent *irq = find(TlKind::Irq);
    ASSERT_TRUE(irq);
    EXPECT_EQ(irq->flow, 0u);
}

// Without an explicit cause, the access that set things off is shown and
// starts the flow; the target's next access ends it (the handler's first).
TEST_F(TimelineTest, AccessIsTheCauseAndTheTargetsNextAccessTheEnd)
{
    timeline().set_address_namer([](uint64_t a) { return a == 0x58000008 ? "EXTI" : ""; });
    {
        Timeline::Scope s("cm7", 0x58000008, true);
        timeline().exti("EXTI", "cm4", 0, "interrupt pending", "software trigger (SWIER1)");
        timeline().irq("cm4", 6, true, false);
    }
    { Timeline::Scope s("cm4", 0x58000088, false); }
    timeline().set_address_namer(nullptr);
    std::vector<const TlEvent *> acc;
    for (const auto &e : rec.events) {
        if (e.kind == TlKind::Access) {
            acc.push_back(&e);
        }
    }
    ASSERT_EQ(acc.size(), 2u);
    EXPECT_EQ(acc[0]->core, "cm7");
    EXPECT_EQ(acc[0]->name, "write EXTI");
    EXPECT_EQ(acc[0]->to, "EXTI");
    const TlEvent *exti = find(TlKind::Exti);
    ASSERT_TRUE(exti);
    EXPECT_EQ(exti->flow_cause, acc[0]->cause);
    EXPECT_EQ(acc[1]->core, "cm4");
    EXPECT_EQ(acc[1]->flow, exti->flow);
    EXPECT_TRUE(acc[1]->flow_last);
}

// One flow per (cause, target): a line reaching both cores makes two.
TEST_F(TimelineTest, OneFlowPerTargetCore)
{
    {
        Timeline::Scope s("");
        timeline().input("B1 pressed", true);
        timeline().exti("EXTI", "cm7", 13, "interrupt pending", "rising edge");
        timeline().exti("EXTI", "cm4", 13, "interrupt pending", "rising edge");
    }
    std::vector<const TlEvent *> x;
    for (const auto &e : rec.events) {
        if (e.kind == TlKind::Exti) {
            x.push_back(&e);
        }
    }
    ASSERT_EQ(x.size(), 2u);
    EXPECT_NE(x[0]->flow, x[1]->flow);
    EXPECT_TRUE(x[0]->flow_first && x[1]->flow_first);
}

// The JSON file appears only when complete, with its spans closed.
TEST_F(TimelineTest, JsonTraceIsWrittenAtomicallyAndClosesOpenSpans)
{
    char dir[] = "/tmp/ampvp-tl-XXXXXX";
    ASSERT_TRUE(mkdtemp(dir));
    const std::string path = std::string(dir) + "/t.json";
    {
        JsonTrace jt(path, {"cm7", "cm4"}, {"HSEM"});
        timeline().add_sink(&jt);
        timeline().hsem_lock("HSEM", "cm7", 3, 0, "1-step");
        timeline().power("cm4", 1);
        EXPECT_NE(access(path.c_str(), F_OK), 0) << "visible before close";
        std::string err;
        timeline().remove_sink(&jt);
        timeline().add_sink(&rec);
        ASSERT_TRUE(jt.close(5000, err)) << err;
    }
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    const auto doc = nlohmann::json::parse(ss.str());
    int b = 0, e = 0;
    for (const auto &ev : doc["traceEvents"]) {
        b += ev["ph"] == "B";
        e += ev["ph"] == "E";
    }
    EXPECT_EQ(b, 2);
    EXPECT_EQ(e, 2);
    std::remove(path.c_str());
    rmdir(dir);
}

// --trace-json-max: past the bound nothing more is written, one warning says
// so, a global instant marks the cut, open spans end there, and the file is
// valid JSON no larger than the bound.
TEST_F(TimelineTest, JsonTraceStopsAtItsSizeBoundAndStaysValid)
{
    char dir[] = "/tmp/ampvp-tl-XXXXXX";
    ASSERT_TRUE(mkdtemp(dir));
    const std::string path = std::string(dir) + "/t.json";
    const uint64_t limit = 8192;
    std::vector<std::string> lines;
    ampvp::log().set_sink([&](const std::string &l, bool) { lines.push_back(l); });
    uint64_t written = 0;
    {
        JsonTrace jt(path, {"cm7", "cm4"}, {"HSEM"}, limit);
        timeline().add_sink(&jt);
        timeline().hsem_lock("HSEM", "cm7", 3, 0, "1-step"); // a span left open
        for (int i = 0; i < 1000; i++) {
            timeline().power("cm4", 1);
            timeline().power("cm4", 0);
        }
        EXPECT_TRUE(jt.truncated());
        written = jt.events();
        timeline().remove_sink(&jt);
        std::string err;
        ASSERT_TRUE(jt.close(1u << 30, err)) << err;
    }
    ampvp::log().reset_sink();
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_NE(lines[0].find("ampvp: warning: --trace-json: " + path + ": size limit of 8 KiB reached at "),
              std::string::npos)
        << lines[0];
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    EXPECT_LE(ss.str().size(), limit);
    EXPECT_GT(ss.str().size(), limit / 2);
    const auto doc = nlohmann::json::parse(ss.str());
    int b = 0, e = 0, marks = 0;
    double last_ts = 0, mark_ts = -1;
    for (const auto &ev : doc["traceEvents"]) {
        b += ev["ph"] == "B";
        e += ev["ph"] == "E";
        if (ev["ph"] == "i" && ev["s"] == "g") {
            marks++;
            mark_ts = ev["ts"].get<double>();
        }
        if (ev.contains("ts")) {
            last_ts = std::max(last_ts, ev["ts"].get<double>());
        }
    }
    EXPECT_EQ(b, e) << "every span ends";
    EXPECT_EQ(marks, 1);
    EXPECT_EQ(last_ts, mark_ts) << "open spans end at the cut, not at the end of the run";
    EXPECT_LT(written, 2000u);
    std::remove(path.c_str());
    rmdir(dir);
}
