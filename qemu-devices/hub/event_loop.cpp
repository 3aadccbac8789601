#include "event_loop.h"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <stdexcept>
#include <string>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

namespace ampvp {

EventLoop::EventLoop(const std::vector<int> &signals, SignalHandler on_signal)
    : on_signal_(std::move(on_signal))
{
    epfd_ = epoll_create1(EPOLL_CLOEXEC);
    if (epfd_ < 0) {
        throw std::runtime_error(std::string("cannot set up the event loop: ") + std::strerror(errno));
    }
    if (signals.empty()) {
        return;
    }
    sigset_t mask;
    sigemptyset(&mask);
    for (int s : signals) {
        sigaddset(&mask, s);
    }
    sigprocmask(SIG_BLOCK, &mask, &oldmask_);
    masked_ = true;
    sigfd_ = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    if (sigfd_ < 0) {
        const std::string e = std::strerror(errno);
        sigprocmask(SIG_SETMASK, &oldmask_, nullptr);
        close(epfd_);
        throw std::runtime_error("cannot set up the event loop (signalfd): " + e);
    }
    watch(sigfd_, [this](int fd) {
        signalfd_siginfo si;
        while (read(fd, &si, sizeof(si)) == sizeof(si)) {
            if (on_signal_) {
                on_signal_(static_cast<int>(si.ssi_signo));
            }
        }
    });
}

EventLoop::~EventLoop()
{
    if (sigfd_ >= 0) {
        close(sigfd_);
    }
    if (epfd_ >= 0) {
        close(epfd_);
    }
    if (masked_) {
        sigprocmask(SIG_SETMASK, &oldmask_, nullptr);
    }
}

// Register fd with epoll for what its handlers want (in, out, or nothing).
void EventLoop::update_events(int fd)
{
    epoll_event ev{};
    ev.events = (handlers_.count(fd) ? EPOLLIN : 0u) | (out_handlers_.count(fd) ? EPOLLOUT : 0u);
    ev.data.fd = fd;
    if (!ev.events) {
        epoll_ctl(epfd_, EPOLL_CTL_DEL, fd, nullptr); // fails harmlessly if fd is closed already
        return;
    }
    if (epoll_ctl(epfd_, EPOLL_CTL_MOD, fd, &ev) != 0 &&
        (errno != ENOENT || epoll_ctl(epfd_, EPOLL_CTL_ADD, fd, &ev) != 0)) {
        throw std::runtime_error("cannot watch fd " + std::to_string(fd) + ": " + std::strerror(errno));
    }
}

void EventLoop::watch(int fd, FdHandler h)
{
    handlers_[fd] = std::move(h);
    try {
        update_events(fd);
    } catch (...) {
        handlers_.erase(fd);
        throw;
    }
}

void EventLoop::when_writable(int fd, FdHandler h)
{
    out_handlers_[fd] = std::move(h);
    update_events(fd);
}

void EventLoop::unwatch(int fd)
{
    const bool known = handlers_.erase(fd) + out_handlers_.erase(fd) > 0;
    if (known) {
        epoll_ctl(epfd_, EPOLL_CTL_DEL, fd, nullptr); // fails harmlessly if fd is closed already
    }
}

void EventLoop::set_deadline(Key key, Clock::time_point when, TimerHandler h)
{
    const uint64_t g = next_generation_++;
    live_[key] = Live{g, std::move(h)};
    heap_.push(Entry{when, key, g});
}

void EventLoop::cancel(Key key) { live_.erase(key); } // its heap entry is skipped when it surfaces

int EventLoop::fire_due()
{
    int ran = 0;
    const auto now = Clock::now();
    while (!heap_.empty() && heap_.top().when <= now) {
        const Entry e = heap_.top();
        heap_.pop();
        auto it = live_.find(e.key);
        if (it == live_.end() || it->second.generation != e.generation) {
            continue; // cancelled or replaced
        }
        TimerHandler h = std::move(it->second.handler);
        live_.erase(it); // before the call: the handler may set the key again
        h();
        ran++;
    }
    // Drop stale entries at the top so the next wait is computed from a live one.
    while (!heap_.empty()) {
        auto it = live_.find(heap_.top().key);
        if (it != live_.end() && it->second.generation == heap_.top().generation) {
            break;
        }
        heap_.pop();
    }
    return ran;
}

int EventLoop::run_once(std::chrono::milliseconds max_wait)
{
    int ran = fire_due();
    // Microseconds: a model's deadline (a UART frame of 87 us at 115200 baud)
    // must not be rounded up to a whole millisecond of sleep.
    long long wait_us = max_wait.count() < 0 ? -1 : static_cast<long long>(max_wait.count()) * 1000;
    if (!heap_.empty()) {
        const auto left = std::chrono::duration_cast<std::chrono::nanoseconds>(heap_.top().when -
                                                                               Clock::now());
        const long long us = left.count() <= 0 ? 0 : (left.count() + 999) / 1000;
        wait_us = wait_us < 0 ? us : std::min(wait_us, us);
    }
    if (ran > 0) {
        wait_us = 0; // a handler may have made an fd readable: look, but do not sleep
    }
    wait_us = std::min<long long>(wait_us, 1000000000LL);
    epoll_event evs[32];
    int n;
    if (wait_us < 0) {
        n = epoll_wait(epfd_, evs, 32, -1);
    } else {
        const timespec ts{static_cast<time_t>(wait_us / 1000000), static_cast<long>(wait_us % 1000000) * 1000};
        n = epoll_pwait2(epfd_, evs, 32, &ts, nullptr);
        if (n < 0 && errno == ENOSYS) { // kernel before 5.11: whole milliseconds
            n = epoll_wait(epfd_, evs, 32, static_cast<int>((wait_us + 999) / 1000));
        }
    }
    if (n < 0 && errno != EINTR) {
        throw std::runtime_error(std::string("epoll_wait: ") + std::strerror(errno));
    }
    for (int i = 0; i < n; i++) {
        const int fd = evs[i].data.fd;
        if (evs[i].events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) {
            auto o = out_handlers_.find(fd);
            if (o != out_handlers_.end()) {
                FdHandler h = std::move(o->second);
                out_handlers_.erase(o);
                update_events(fd);
                h(fd);
                ran++;
            }
            if (!(evs[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP))) {
                continue;
            }
        }
        auto it = handlers_.find(fd);
        if (it == handlers_.end()) {
            continue; // unwatched by an earlier handler of this round
        }
        FdHandler h = it->second; // a copy: the handler may unwatch itself
        h(fd);
        ran++;
    }
    return ran + fire_due();
}

} // namespace ampvp
