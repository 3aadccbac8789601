#include "memory.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <stdexcept>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ampvp {

static std::string errstr() { return std::strerror(errno); }

RuntimeDir::RuntimeDir()
{
    const char *parent = std::getenv("AMPVP_RUNTIME_PARENT");
    std::string base = parent && *parent ? parent : "/dev/shm";
    struct stat st;
    if (stat(base.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        base = "/tmp";
    }
    std::string templ = base + "/ampvp-" + std::to_string(getpid()) + "-XXXXXX";
    if (!mkdtemp(templ.data())) { // mkdtemp creates it with mode 0700
        throw std::runtime_error("cannot create runtime directory in " + base + ": " + errstr());
    }
    path_ = templ;
}

RuntimeDir::~RuntimeDir() { remove(); }

void RuntimeDir::remove()
{
    if (removed_) {
        return;
    }
    removed_ = true;
    if (DIR *d = opendir(path_.c_str())) {
        while (struct dirent *e = readdir(d)) {
            if (std::strcmp(e->d_name, ".") && std::strcmp(e->d_name, "..")) {
                unlink(file(e->d_name).c_str());
            }
        }
        closedir(d);
    }
    rmdir(path_.c_str());
}

SharedMemory::SharedMemory(const std::string &path, size_t size, uint8_t fill)
    : path_(path), size_(size)
{
    int fd = open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        throw std::runtime_error("cannot create shared memory " + path + ": " + errstr());
    }
    if (ftruncate(fd, static_cast<off_t>(size)) != 0) {
        std::string e = errstr();
        close(fd);
        throw std::runtime_error("cannot size shared memory " + path + ": " + e);
    }
    void *p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (p == MAP_FAILED) {
        throw std::runtime_error("cannot map shared memory " + path + ": " + errstr());
    }
    data_ = static_cast<uint8_t *>(p);
    if (fill) {
        std::memset(data_, fill, size);
    }
}

SharedMemory::~SharedMemory()
{
    if (data_) {
        munmap(data_, size_);
    }
}

} // namespace ampvp
