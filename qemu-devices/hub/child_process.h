// One child process the hub owns (a QEMU instance): spawned with its output in
// a pipe, its own process group (Ctrl-C reaches only the hub, which stops the
// cores in order), killed if the hub dies (PR_SET_PDEATHSIG), and never left
// behind: the destructor kills and reaps whatever still runs.  Unit-tested
// alone with /bin/sh.
#pragma once

#include <csignal>
#include <functional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace ampvp {

class ChildProcess {
public:
    // argv[0] is the program path.  `child_mask` is the signal mask the child
    // gets (the hub's own blocks signals for its signalfd).  Throws
    // std::runtime_error when pipe() or fork() fail; an exec failure shows as
    // the line "cannot execute PROGRAM: reason" and exit status 127.
    ChildProcess(const std::vector<std::string> &argv, const sigset_t &child_mask);
    ~ChildProcess();
    ChildProcess(const ChildProcess &) = delete;
    ChildProcess &operator=(const ChildProcess &) = delete;

    pid_t pid() const { return pid_; }
    int output_fd() const { return out_fd_; } // stdout + stderr, non-blocking; -1 once at EOF

    // Read what is there; each complete line goes to `line` (empty lines are
    // skipped).  `final`: flush a partial last line too.  Closes the pipe at EOF.
    void drain(const std::function<void(const std::string &)> &line, bool final = false);
    const std::string &last_line() const { return last_line_; }

    // Collect the exit status if the child has ended (block: wait for it).
    bool reap(bool block);
    bool exited() const { return reaped_; }
    int status() const { return status_; }
    std::string describe_status() const; // "QEMU exited with status 1", "... killed by signal 9 (Killed)"

    void kill_now(); // SIGKILL and reap

private:
    pid_t pid_ = -1;
    int out_fd_ = -1;
    std::string partial_, last_line_;
    bool reaped_ = false;
    int status_ = 0;
};

} // namespace ampvp
