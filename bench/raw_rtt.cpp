// raw_rtt: round trip of a bridge-sized message between two processes over an
// AF_UNIX SOCK_SEQPACKET socketpair, the floor under every blocking bridge
// access.  Prints "raw_rtt_us <median of 5 batches>".
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

int main(int argc, char **argv)
{
    const int n = argc > 1 ? std::atoi(argv[1]) : 100000;
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
            ssize_t r = recv(sv[1], buf, sizeof(buf), 0);
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
                recv(sv[0], buf, sizeof(buf), 0) != sizeof(msg)) {
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
