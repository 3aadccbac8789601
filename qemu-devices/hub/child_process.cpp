#include "child_process.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace ampvp {

ChildProcess::ChildProcess(const std::vector<std::string> &args, const sigset_t &child_mask)
{
    if (args.empty()) {
        throw std::runtime_error("no program to start");
    }
    std::vector<std::string> copy = args;
    std::vector<char *> argv;
    for (auto &a : copy) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    int pipefd[2];
    if (pipe2(pipefd, O_CLOEXEC) != 0) {
        throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    }
    const pid_t parent = getpid();
    const pid_t pid = fork();
    if (pid < 0) {
        const std::string e = std::strerror(errno);
        close(pipefd[0]);
        close(pipefd[1]);
        throw std::runtime_error("fork: " + e);
    }
    if (pid == 0) {
        setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) {
            _exit(127); // the hub died between fork and prctl
        }
        sigprocmask(SIG_SETMASK, &child_mask, nullptr);
        const int devnull = open("/dev/null", O_RDONLY);
        dup2(devnull, 0);
        dup2(pipefd[1], 1);
        dup2(pipefd[1], 2);
        execv(argv[0], argv.data());
        dprintf(2, "cannot execute %s: %s\n", argv[0], std::strerror(errno));
        _exit(127);
    }
    close(pipefd[1]);
    fcntl(pipefd[0], F_SETFL, O_NONBLOCK);
    pid_ = pid;
    out_fd_ = pipefd[0];
}

ChildProcess::~ChildProcess()
{
    if (pid_ > 0 && !reaped_) {
        kill_now();
    }
    if (out_fd_ >= 0) {
        close(out_fd_);
    }
}

void ChildProcess::drain(const std::function<void(const std::string &)> &line, bool final)
{
    if (out_fd_ < 0) {
        return;
    }
    char buf[4096];
    for (;;) {
        const ssize_t n = read(out_fd_, buf, sizeof(buf));
        if (n > 0) {
            partial_.append(buf, static_cast<size_t>(n));
            size_t pos;
            while ((pos = partial_.find('\n')) != std::string::npos) {
                std::string l = partial_.substr(0, pos);
                partial_.erase(0, pos + 1);
                if (!l.empty()) {
                    last_line_ = l;
                    line(l);
                }
            }
            continue;
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if ((n == 0 || final) && !partial_.empty()) {
            last_line_ = partial_;
            line(partial_);
            partial_.clear();
        }
        if (n == 0) {
            close(out_fd_);
            out_fd_ = -1;
        }
        return;
    }
}

bool ChildProcess::reap(bool block)
{
    if (pid_ > 0 && !reaped_) {
        int st;
        pid_t r;
        do {
            r = waitpid(pid_, &st, block ? 0 : WNOHANG);
        } while (r < 0 && errno == EINTR);
        if (r == pid_) {
            reaped_ = true;
            status_ = st;
        }
    }
    return reaped_;
}

void ChildProcess::kill_now()
{
    if (pid_ > 0 && !reaped_) {
        ::kill(pid_, SIGKILL); // a zombie until reaped: the pid cannot be reused meanwhile
        reap(true);
    }
}

std::string ChildProcess::describe_status() const
{
    if (WIFEXITED(status_)) {
        return "QEMU exited with status " + std::to_string(WEXITSTATUS(status_));
    }
    if (WIFSIGNALED(status_)) {
        return std::string("QEMU was killed by signal ") + std::to_string(WTERMSIG(status_)) + " (" +
               strsignal(WTERMSIG(status_)) + ")";
    }
    return "QEMU ended";
}

} // namespace ampvp
