#include "web_panel.h"

#include "device.h"
#include "trace_json.h"

#include <httplib.h>

#include <cstdlib>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

namespace ampvp {

namespace {
constexpr size_t kConsoleLines = 200, kEvents = 40, kExti = 12;
void push_capped(nlohmann::json &a, nlohmann::json v, size_t cap)
{
    a.push_back(std::move(v));
    if (a.size() > cap) {
        a.erase(a.begin());
    }
}
} // namespace

std::string WebPanel::default_assets()
{
    if (const char *e = std::getenv("AMPVP_WEB_DIR")) {
        return e;
    }
    // An installed ampvp: <prefix>/share/ampvp/web next to <prefix>/bin/ampvp.
    char buf[4096];
    const ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
    if (n > 0) {
        std::string dir(buf, static_cast<size_t>(n));
        dir = dir.substr(0, dir.find_last_of('/')) + "/../share/ampvp/web";
        if (access((dir + "/index.html").c_str(), R_OK) == 0) {
            return dir;
        }
    }
#ifdef AMPVP_WEB_DIR
    return AMPVP_WEB_DIR; // the build tree: the source's files
#else
    return "web";
#endif
}

WebPanel::WebPanel(unsigned port, const std::string &assets, const BoardDesc &board, std::vector<std::string> cores)
    : port_(port), srv_(std::make_unique<httplib::Server>())
{
    board_ = board.title.empty() ? board.name : board.title;
    for (const auto &l : board.leds) {
        leds_.push_back({{"name", l.name}, {"color", l.color}, {"on", false}});
    }
    for (const auto &b : board.buttons) {
        buttons_.push_back({{"name", b.name}, {"pressed", false}});
    }
    for (const auto &c : cores) {
        consoles_[c] = nlohmann::json::array();
        power_[c] = "run";
    }
    efd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (!srv_->set_mount_point("/", assets)) {
        throw ConfigError("--web: no page files in " + assets + " (set AMPVP_WEB_DIR)");
    }
    srv_->Get("/api/state", [this](const httplib::Request &, httplib::Response &res) {
        res.set_content(state_json(), "application/json");
        res.set_header("Cache-Control", "no-store");
    });
    srv_->Post("/api/button", [this](const httplib::Request &req, httplib::Response &res) {
        const std::string name = req.get_param_value("name");
        const bool pressed = req.get_param_value("action") != "release";
        bool known = false;
        {
            std::lock_guard<std::mutex> g(m_);
            for (const auto &b : buttons_) {
                known |= b["name"] == name;
            }
            if (known) {
                clicks_.emplace_back(name, pressed);
            }
        }
        if (!known) {
            res.status = 404;
            res.set_content("no button " + name, "text/plain");
            return;
        }
        const uint64_t one = 1;
        (void)!write(efd_, &one, sizeof(one));
        res.set_content("ok", "text/plain");
    });
    // SO_REUSEADDR only: cpp-httplib's default adds SO_REUSEPORT, with which a
    // second run on the same port would share it instead of being told.
    srv_->set_socket_options([](int s) {
        int yes = 1;
        setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    });
    if (!srv_->bind_to_port("127.0.0.1", static_cast<int>(port))) {
        close(efd_);
        throw ConfigError("--web: cannot listen on 127.0.0.1:" + std::to_string(port) +
                          " (in use?); pick another with --web PORT");
    }
    thread_ = std::thread([this] { srv_->listen_after_bind(); });
}

WebPanel::~WebPanel()
{
    srv_->stop();
    if (thread_.joinable()) {
        thread_.join();
    }
    if (efd_ >= 0) {
        close(efd_);
    }
}

std::string WebPanel::url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }

std::vector<std::pair<std::string, bool>> WebPanel::take_clicks()
{
    uint64_t n;
    (void)!read(efd_, &n, sizeof(n));
    std::lock_guard<std::mutex> g(m_);
    std::vector<std::pair<std::string, bool>> out;
    out.swap(clicks_);
    return out;
}

std::string WebPanel::state_json()
{
    std::lock_guard<std::mutex> g(m_);
    nlohmann::json s = {{"board", board_},   {"seq", seq_},     {"leds", leds_},   {"buttons", buttons_},
                        {"consoles", consoles_}, {"hsem", hsem_}, {"ipcc", ipcc_},   {"exti", exti_},
                        {"power", power_},   {"events", events_}};
    return s.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void WebPanel::event(const TlEvent &e)
{
    std::lock_guard<std::mutex> g(m_);
    seq_++;
    const std::string t = json_us(e.t_ns);
    switch (e.kind) {
    case TlKind::Led:
        for (auto &l : leds_) {
            if (l["name"] == e.device) {
                l["on"] = e.v != 0;
            }
        }
        break;
    case TlKind::Input:
        for (auto &b : buttons_) {
            if (e.name.rfind(b["name"].get<std::string>() + " ", 0) == 0) {
                b["pressed"] = e.v != 0;
            }
        }
        break;
    case TlKind::Console:
        if (consoles_.contains(e.core)) {
            push_capped(consoles_[e.core], e.args.value("text", e.name), kConsoleLines);
        } else {
            push_capped(consoles_["hub"], "[" + e.device + "] " + e.args.value("text", e.name), kConsoleLines);
        }
        return; // console lines are not events in the list
    case TlKind::HsemLock:
        hsem_[std::to_string(e.n)] = e.core;
        break;
    case TlKind::HsemFree:
        if (e.phase == 'i') {
            hsem_.erase(std::to_string(e.n));
        }
        break;
    case TlKind::IpccOccupy:
    case TlKind::IpccFree:
        if (e.phase != 'E') {
            ipcc_[e.track.thread] = e.kind == TlKind::IpccOccupy;
        }
        break;
    case TlKind::Exti:
        push_capped(exti_, {{"t", t}, {"line", e.n}, {"to", e.core}, {"what", e.args.value("what", "")}}, kExti);
        break;
    case TlKind::Sleep:
    case TlKind::Wake:
        if (e.phase != 'E' && power_.contains(e.core)) {
            power_[e.core] = e.kind == TlKind::Wake ? "run" : e.name;
        }
        break;
    default:
        break;
    }
    if (e.phase != 'E' && e.kind != TlKind::Access) {
        push_capped(events_, {{"t", t}, {"where", e.track.process + "/" + e.track.thread}, {"what", e.name}}, kEvents);
    }
}

} // namespace ampvp
