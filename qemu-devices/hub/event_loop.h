// The hub's event loop: file descriptors registered with callbacks (epoll),
// signals as events (signalfd), and one-shot deadlines in a min-heap.  No
// knowledge of cores, QEMU or models: the runner wires those to it, and it is
// unit-tested alone with pipes, timers and signals.
#pragma once

#include <chrono>
#include <csignal>
#include <cstdint>
#include <functional>
#include <map>
#include <queue>
#include <vector>

namespace ampvp {

class EventLoop {
public:
    using Clock = std::chrono::steady_clock;
    using FdHandler = std::function<void(int fd)>;
    using SignalHandler = std::function<void(int signo)>;
    using TimerHandler = std::function<void()>;

    // Blocks `signals` (restored by the destructor) and delivers them to `on_signal`
    // through a signalfd.  Throws std::runtime_error when the kernel refuses.
    explicit EventLoop(const std::vector<int> &signals = {}, SignalHandler on_signal = nullptr);
    ~EventLoop();
    EventLoop(const EventLoop &) = delete;
    EventLoop &operator=(const EventLoop &) = delete;

    // Call `h` whenever fd is readable (level-triggered) until unwatch(fd).
    void watch(int fd, FdHandler h);
    void unwatch(int fd);
    bool watching(int fd) const { return handlers_.count(fd) != 0; }
    // Call `h` once, the next time fd is writable (a pty or socket that was
    // full).  Setting it again replaces the earlier handler; unwatch drops it.
    void when_writable(int fd, FdHandler h);

    // One-shot deadline under a key: setting the same key again replaces the
    // earlier deadline; cancel() drops it.  Handlers may set or cancel keys.
    using Key = std::pair<const void *, unsigned>;
    void set_deadline(Key key, Clock::time_point when, TimerHandler h);
    void cancel(Key key);
    bool has_deadline(Key key) const { return live_.count(key) != 0; }
    std::size_t deadlines() const { return live_.size(); }

    // Wait at most `max_wait` (negative: no limit but the deadlines) for readable
    // fds, signals or a deadline, and run their handlers.  Returns the number of
    // handlers run (fds, signals and deadlines).
    int run_once(std::chrono::milliseconds max_wait);

    // The signal mask the process had before (children restore it after fork).
    const sigset_t &old_sigmask() const { return oldmask_; }

private:
    int fire_due();
    struct Entry {
        Clock::time_point when;
        Key key;
        uint64_t generation;
        bool operator>(const Entry &o) const { return when > o.when; }
    };
    int epfd_ = -1;
    int sigfd_ = -1;
    sigset_t oldmask_{};
    bool masked_ = false;
    SignalHandler on_signal_;
    void update_events(int fd);
    std::map<int, FdHandler> handlers_;
    std::map<int, FdHandler> out_handlers_;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> heap_;
    struct Live {
        uint64_t generation;
        TimerHandler handler;
    };
    std::map<Key, Live> live_;   // the heap entry whose generation matches is the live one
    uint64_t next_generation_ = 1;
};

} // namespace ampvp
