// ampvp run --web [PORT]: a page on http://127.0.0.1:PORT/ showing the board
// (LEDs, buttons a learner can click), the cores' consoles, the HSEM / IPCC /
// EXTI state and the last events.  Served with cpp-httplib (Debian's
// libcpp-httplib-dev) on loopback only, from a thread of its own; the hub's
// state reaches it as timeline events (timeline.h) kept under a mutex, and a
// click comes back to the hub's loop through an eventfd, where it drives the
// button's pin exactly as --press does.  Static files: qemu-devices/hub/web/.
#pragma once

#include "board.h"
#include "timeline.h"

#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace httplib {
class Server;
}

namespace ampvp {

class WebPanel : public TimelineSink {
public:
    // Listens on 127.0.0.1:port (throws ConfigError when it cannot).
    WebPanel(unsigned port, const std::string &assets, const BoardDesc &board, std::vector<std::string> cores);
    ~WebPanel() override;
    void event(const TlEvent &e) override;
    // Readable when clicks wait; take them (button name, pressed) in the hub's thread.
    int wake_fd() const { return efd_; }
    std::vector<std::pair<std::string, bool>> take_clicks();
    std::string url() const;
    // Where the page's files are: $AMPVP_WEB_DIR, else <prefix>/share/ampvp/web for an
    // installed ampvp, else the source tree's.
    static std::string default_assets();

private:
    std::string state_json();
    unsigned port_;
    int efd_ = -1;
    std::unique_ptr<httplib::Server> srv_;
    std::thread thread_;
    std::mutex m_;
    nlohmann::json leds_ = nlohmann::json::array(), buttons_ = nlohmann::json::array();
    nlohmann::json consoles_ = nlohmann::json::object(), hsem_ = nlohmann::json::object(),
                   ipcc_ = nlohmann::json::object(), power_ = nlohmann::json::object();
    nlohmann::json exti_ = nlohmann::json::array(), events_ = nlohmann::json::array();
    std::string board_;
    uint64_t seq_ = 0;
    std::vector<std::pair<std::string, bool>> clicks_;
};

} // namespace ampvp
