// raw_rtt: round trip of a bridge-sized message between two processes over an
// AF_UNIX SOCK_SEQPACKET socketpair, the floor under every blocking bridge
// access.  Prints "raw_rtt_us <median of 5 batches>".
//   raw_rtt [N] [spin]   spin: both sides poll with MSG_DONTWAIT before blocking
//                        (what the bridge does), instead of blocking at once.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cerrno>
#include <cstdlib>
#include <string>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

static bool g_spin = false;

// Receive one message; with g_spin, poll for up to ~10^5 tries first.
static ssize_t recv_msg(int fd, char *buf, size_t len)
{
    if (g_spin) {
        for (int i = 0; i < 100000; i++) {
            ssize_t r = recv(fd, buf, len, MSG_DONTWAIT);
            if (r >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
                return r;
            }
        }
    }
    return recv(fd, buf, len, 0);
}

int main(int argc, char **argv)
{
    const int n = argc > 1 ? std::atoi(argv[1]) : 100000;
    g_spin = argc > 2 && std::string(argv[2]) == "spin";
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) != 0) {
        std::perror("socketpair");
        return 1;
    }
    char msg[40] = {0}; // READ request and READ_RESP are 40 bytes each
    pid_t pid = fork();
    if (pid == 0) {
        close(sv[0]);
        char buf[256];
        for (;;) {
            ssize_t r = recv_msg(sv[1], buf, sizeof(buf));
            if (r <= 0 || send(sv[1], buf, static_cast<size_t>(r), 0) != r) {
                _exit(0);
            }
        }
    }
    close(sv[1]);
    std::vector<double> batches;
    for (int b = 0; b < 5; b++) {
        auto t0 = std::chrono::steady_clock::now();
        for (int i = 0; i < n / 5; i++) {
            char buf[256];
            if (send(sv[0], msg, sizeof(msg), 0) != sizeof(msg) ||
                recv_msg(sv[0], buf, sizeof(buf)) != sizeof(msg)) {
                std::perror("round trip");
                return 1;
            }
        }
        auto t1 = std::chrono::steady_clock::now();
        batches.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count() / (n / 5));
    }
    close(sv[0]);
    waitpid(pid, nullptr, 0);
    std::sort(batches.begin(), batches.end());
    std::printf("raw_rtt_us %.3f\n", batches[2]);
    return 0;
}
