// ampvp_host.h: the bridge's pollers stop polling while the host has more
// runnable threads than CPUs (docs/performance.md, "spin under a CPU hog").
#include "ampvp_host.h"

#include <gtest/gtest.h>

TEST(HostLoad, RunnableThreadsAreTheFourthFieldsNumerator)
{
    EXPECT_EQ(ampvp_loadavg_running("0.52 0.58 0.59 3/421 12345\n"), 3);
    EXPECT_EQ(ampvp_loadavg_running("4.96 3.78 3.23 7/104 13546"), 7);
}

TEST(HostLoad, AnythingElseIsRefused)
{
    EXPECT_EQ(ampvp_loadavg_running(""), -1);
    EXPECT_EQ(ampvp_loadavg_running("0.52 0.58 0.59"), -1);
    EXPECT_EQ(ampvp_loadavg_running("0.52 0.58 0.59 x/421 1"), -1);
    EXPECT_EQ(ampvp_loadavg_running("0.52 0.58 0.59 3 1"), -1);
}

TEST(HostLoad, TheAnswerIsKeptBetweenSamples)
{
    // Two calls within 20 ms give the same answer without reading again.
    const int a = ampvp_host_overloaded(1000000000);
    EXPECT_EQ(ampvp_host_overloaded(1000000000 + 19000000), a);
}

TEST(HostLoad, OverloadMeansEveryRecentSampleHadMoreRunnableThanCpus)
{
    // The smallest of the last four counts decides: one busy moment (the
    // sender of the message that woke the caller still runnable) does not.
    int window[AMPVP_LOAD_SAMPLES] = {-1, -1, -1, -1};
    int next = 0;
    EXPECT_EQ(ampvp_running_min(window, AMPVP_LOAD_SAMPLES, &next, 3), 3);
    EXPECT_EQ(ampvp_running_min(window, AMPVP_LOAD_SAMPLES, &next, 2), 2);
    EXPECT_EQ(ampvp_running_min(window, AMPVP_LOAD_SAMPLES, &next, 3), 2);
    EXPECT_EQ(ampvp_running_min(window, AMPVP_LOAD_SAMPLES, &next, 4), 2);
    EXPECT_EQ(ampvp_running_min(window, AMPVP_LOAD_SAMPLES, &next, 3), 2);
    // The 2 has left the window of four: every recent sample was above 2.
    EXPECT_EQ(ampvp_running_min(window, AMPVP_LOAD_SAMPLES, &next, 3), 3);
}
