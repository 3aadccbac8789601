// The private runtime directory and the shared-memory files in it.
//
// Everything a run creates lives in one directory, /dev/shm/ampvp-<pid>-XXXXXX
// (mode 0700; $AMPVP_RUNTIME_PARENT overrides /dev/shm): the hub's sockets and
// one file per memory.  Once every core has mapped its memories and connected,
// the hub removes the directory (the mappings stay valid), so even a hub
// killed with SIGKILL leaves nothing behind after the start barrier.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace ampvp {

class RuntimeDir {
public:
    RuntimeDir(); // creates it; throws std::runtime_error
    ~RuntimeDir();
    RuntimeDir(const RuntimeDir &) = delete;
    RuntimeDir &operator=(const RuntimeDir &) = delete;

    const std::string &path() const { return path_; }
    std::string file(const std::string &name) const { return path_ + "/" + name; }
    // Remove the directory and everything in it (idempotent).
    void remove();
    bool removed() const { return removed_; }

private:
    std::string path_;
    bool removed_ = false;
};

// A file-backed memory shared with the QEMU instances (they map the same file
// with share=on).
class SharedMemory {
public:
    SharedMemory(const std::string &path, size_t size, uint8_t fill);
    ~SharedMemory();
    SharedMemory(const SharedMemory &) = delete;
    SharedMemory &operator=(const SharedMemory &) = delete;

    uint8_t *data() { return data_; }
    size_t size() const { return size_; }
    const std::string &path() const { return path_; }

private:
    std::string path_;
    size_t size_;
    uint8_t *data_ = nullptr;
};

} // namespace ampvp
