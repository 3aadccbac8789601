// The hub's event loop alone: fds with callbacks, deadlines in a min-heap (set,
// replaced, cancelled, set again from a handler), signals through a signalfd.
#include "event_loop.h"

#include <gtest/gtest.h>

#include <csignal>
#include <thread>
#include <fcntl.h>
#include <unistd.h>

using namespace ampvp;
using namespace std::chrono_literals;

namespace {

struct Pipe {
    int fd[2];
    Pipe() { EXPECT_EQ(pipe(fd), 0); }
    ~Pipe() { close(fd[0]); close(fd[1]); }
};

TEST(EventLoop, ReadableFdRunsItsHandlerUntilUnwatched)
{
    EventLoop loop;
    Pipe p;
    int calls = 0;
    loop.watch(p.fd[0], [&](int fd) {
        char c;
        EXPECT_EQ(read(fd, &c, 1), 1);
        calls++;
    });
    EXPECT_EQ(loop.run_once(0ms), 0);
    ASSERT_EQ(write(p.fd[1], "x", 1), 1);
    EXPECT_EQ(loop.run_once(100ms), 1);
    EXPECT_EQ(calls, 1);
    loop.unwatch(p.fd[0]);
    ASSERT_EQ(write(p.fd[1], "y", 1), 1);
    EXPECT_EQ(loop.run_once(10ms), 0);
    EXPECT_EQ(calls, 1);
}

// A full pipe: the writable handler runs once, after the reader made room.
TEST(EventLoop, WritableHandlerRunsOnceWhenThereIsRoom)
{
    EventLoop loop;
    Pipe p;
    fcntl(p.fd[1], F_SETFL, O_NONBLOCK);
    char buf[4096] = {};
    while (write(p.fd[1], buf, sizeof(buf)) > 0) {
    }
    int calls = 0;
    loop.when_writable(p.fd[1], [&](int) { calls++; });
    EXPECT_EQ(loop.run_once(10ms), 0);
    while (read(p.fd[0], buf, sizeof(buf)) == static_cast<ssize_t>(sizeof(buf)) && calls == 0) {
        loop.run_once(0ms);
    }
    loop.run_once(10ms);
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(loop.run_once(10ms), 0); // one-shot
}

TEST(EventLoop, DeadlinesFireInTimeOrderOnce)
{
    EventLoop loop;
    std::vector<int> order;
    const auto now = EventLoop::Clock::now();
    int a, b;
    loop.set_deadline({&a, 0}, now + 20ms, [&] { order.push_back(2); });
    loop.set_deadline({&b, 0}, now + 5ms, [&] { order.push_back(1); });
    const auto t0 = EventLoop::Clock::now();
    while (order.size() < 2 && EventLoop::Clock::now() - t0 < 2s) {
        loop.run_once(-1ms); // no fd: the wait is bounded by the first deadline
    }
    EXPECT_EQ(order, (std::vector<int>{1, 2}));
    EXPECT_EQ(loop.deadlines(), 0u);
    EXPECT_GE(EventLoop::Clock::now() - now, 20ms);
}

TEST(EventLoop, SettingAKeyAgainReplacesItsDeadlineAndCancelDropsIt)
{
    EventLoop loop;
    int dev;
    int fired = 0;
    const auto now = EventLoop::Clock::now();
    loop.set_deadline({&dev, 1}, now + 1ms, [&] { fired = 1; });
    loop.set_deadline({&dev, 1}, now + 30ms, [&] { fired = 2; }); // replaces the first
    loop.set_deadline({&dev, 2}, now + 1ms, [&] { fired = 3; });
    loop.cancel({&dev, 2});
    std::this_thread::sleep_for(5ms);
    loop.run_once(0ms);
    EXPECT_EQ(fired, 0) << "a replaced or cancelled deadline fired";
    const auto t0 = EventLoop::Clock::now();
    while (!fired && EventLoop::Clock::now() - t0 < 2s) {
        loop.run_once(-1ms);
    }
    EXPECT_EQ(fired, 2);
}

TEST(EventLoop, AHandlerMaySetItsOwnKeyAgain)
{
    EventLoop loop;
    int dev, n = 0;
    std::function<void()> tick = [&] {
        if (++n < 3) {
            loop.set_deadline({&dev, 0}, EventLoop::Clock::now() + 1ms, tick);
        }
    };
    loop.set_deadline({&dev, 0}, EventLoop::Clock::now(), tick);
    const auto t0 = EventLoop::Clock::now();
    while (n < 3 && EventLoop::Clock::now() - t0 < 2s) {
        loop.run_once(-1ms);
    }
    EXPECT_EQ(n, 3);
    EXPECT_FALSE(loop.has_deadline({&dev, 0}));
}

TEST(EventLoop, SignalsArriveAsEventsAndTheMaskIsRestored)
{
    sigset_t before;
    sigprocmask(SIG_SETMASK, nullptr, &before);
    {
        int got = 0;
        EventLoop loop({SIGUSR1}, [&](int s) { got = s; });
        ASSERT_EQ(kill(getpid(), SIGUSR1), 0);
        loop.run_once(1000ms);
        EXPECT_EQ(got, SIGUSR1);
    }
    sigset_t after;
    sigprocmask(SIG_SETMASK, nullptr, &after);
    EXPECT_EQ(sigismember(&after, SIGUSR1), sigismember(&before, SIGUSR1));
}

} // namespace
