// The QEMU process owner alone, with /bin/sh: output lines, exit status, exec
// failure, and nothing left behind on any path (the destructor kills and reaps).
#include "child_process.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <thread>

using namespace ampvp;

namespace {

sigset_t no_signals()
{
    sigset_t s;
    sigemptyset(&s);
    return s;
}

std::vector<std::string> run_to_end(ChildProcess &p)
{
    std::vector<std::string> lines;
    const auto t0 = std::chrono::steady_clock::now();
    while (p.output_fd() >= 0 && std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5)) {
        p.drain([&](const std::string &l) { lines.push_back(l); });
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    p.reap(true);
    return lines;
}

TEST(ChildProcess, OutputLinesAndExitStatus)
{
    ChildProcess p({"/bin/sh", "-c", "echo one; echo two >&2; printf three; exit 3"}, no_signals());
    auto lines = run_to_end(p);
    EXPECT_EQ(lines, (std::vector<std::string>{"one", "two", "three"}));
    EXPECT_TRUE(p.exited());
    EXPECT_EQ(p.describe_status(), "QEMU exited with status 3");
    EXPECT_EQ(p.last_line(), "three");
}

TEST(ChildProcess, ExecFailureIsALineAndStatus127)
{
    ChildProcess p({"/nonexistent/qemu"}, no_signals());
    auto lines = run_to_end(p);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0], "cannot execute /nonexistent/qemu: No such file or directory");
    EXPECT_EQ(p.describe_status(), "QEMU exited with status 127");
}

TEST(ChildProcess, DestructorKillsAndReapsWhatStillRuns)
{
    pid_t pid;
    {
        ChildProcess p({"/bin/sleep", "100"}, no_signals());
        pid = p.pid();
        ASSERT_GT(pid, 0);
        EXPECT_EQ(::kill(pid, 0), 0);
    }
    errno = 0;
    EXPECT_EQ(::kill(pid, 0), -1) << "the child outlived its owner";
    EXPECT_EQ(errno, ESRCH) << "the child was not reaped (a zombie)";
}

TEST(ChildProcess, KillNowReportsTheSignal)
{
    ChildProcess p({"/bin/sleep", "100"}, no_signals());
    p.kill_now();
    EXPECT_TRUE(p.exited());
    EXPECT_EQ(p.describe_status(), "QEMU was killed by signal 9 (Killed)");
}

} // namespace
