#include "board.h"

#include "log.h"
#include "timeline.h"
#include "machine.h"
#include "runner.h"

#include <cstdio>
#include <dirent.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <sys/stat.h>

namespace ampvp {

PinRef parse_pin(const std::string &t)
{
    if (t.size() < 3 || t[0] != 'P' || t[1] < 'A' || t[1] > 'K') {
        throw ConfigError("'" + t + "' is not a pin like PB0");
    }
    PinRef p;
    p.port = t.substr(1, 1);
    try {
        size_t used = 0;
        p.pin = static_cast<unsigned>(std::stoul(t.substr(2), &used));
        if (used != t.size() - 2 || p.pin > 15) {
            throw ConfigError("");
        }
    } catch (const std::exception &) {
        throw ConfigError("'" + t + "' is not a pin like PB0 (pins 0-15)");
    }
    return p;
}

namespace {
// "active": "high" (default) or "low".
bool active_high(const nlohmann::json &j, const std::string &what)
{
    const std::string active = j.value("active", std::string("high"));
    if (active != "high" && active != "low") {
        throw ConfigError(what + ": \"active\" must be \"high\" or \"low\"");
    }
    return active == "high";
}
} // namespace

BoardDesc BoardDesc::load_file(const std::string &path)
{
    const nlohmann::json j = load_json_file(path, "board description");
    BoardDesc b;
    b.source = path;
    try {
        b.name = j.at("name").get<std::string>();
        b.title = j.value("title", b.name);
        b.machine = j.at("machine").get<std::string>();
        b.console = j.value("console", std::string());
        b.hse_hz = j.value("hse_hz", 0ull);
        for (const auto &l : j.value("leds", nlohmann::json::array())) {
            LedDesc d;
            d.name = l.at("name").get<std::string>();
            d.color = l.value("color", std::string());
            d.pin = parse_pin(l.at("pin").get<std::string>());
            d.active_high = active_high(l, "LED " + d.name);
            b.leds.push_back(d);
        }
        for (const auto &k : j.value("buttons", nlohmann::json::array())) {
            ButtonDesc d;
            d.name = k.at("name").get<std::string>();
            d.pin = parse_pin(k.at("pin").get<std::string>());
            d.active_high = active_high(k, "button " + d.name);
            b.buttons.push_back(d);
        }
    } catch (const nlohmann::json::exception &e) {
        throw ConfigError(path + ": " + e.what());
    } catch (const ConfigError &e) {
        throw ConfigError(path + ": " + e.what());
    }
    return b;
}

static std::vector<std::string> board_dirs()
{
    std::vector<std::string> dirs;
    for (const auto &d : machine_dirs()) {
        dirs.push_back(d + "/boards");
    }
    return dirs;
}

std::string find_board(const std::string &name)
{
    struct stat st;
    if (name.find('/') != std::string::npos) {
        if (stat(name.c_str(), &st) == 0) {
            return name;
        }
        throw ConfigError(name + ": no such board description file");
    }
    for (const auto &d : board_dirs()) {
        std::string p = d + "/" + name + ".json";
        if (stat(p.c_str(), &st) == 0) {
            return p;
        }
    }
    std::string known;
    for (const auto &n : board_names()) {
        known += (known.empty() ? "" : ", ") + n;
    }
    throw ConfigError("unknown board '" + name + "' (known: " + known + ")");
}

std::vector<std::string> board_names()
{
    std::set<std::string> names;
    for (const auto &dir : board_dirs()) {
        if (DIR *d = opendir(dir.c_str())) {
            while (dirent *e = readdir(d)) {
                std::string n = e->d_name;
                if (n.size() > 5 && n.substr(n.size() - 5) == ".json") {
                    names.insert(n.substr(0, n.size() - 5));
                }
            }
            closedir(d);
        }
    }
    return {names.begin(), names.end()};
}

LedPanel::LedPanel(std::vector<LedDesc> leds, Output out)
    : Device("board"), leds_(std::move(leds)), out_(std::move(out))
{
    if (!out_) {
        out_ = [](const std::string &line) { Log::write_line(stdout, line); };
    }
}

void LedPanel::input(unsigned n, bool level) { input_wave(n, Waveform::constant(level)); }

void LedPanel::input_wave(unsigned n, const Waveform &w)
{
    if (n >= leds_.size()) {
        return;
    }
    const bool on = w.level == leds_[n].active_high; // lit now
    std::string state;
    if (w.periodic()) {
        Waveform lit = w; // the time the LED is lit in each period
        lit.high_ns = leds_[n].active_high ? w.high_ns : w.period_ns - w.high_ns;
        state = lit.describe();
    } else {
        state = on ? "on" : "off";
    }
    std::string when;
    if (clock_) {
        char b[48];
        const uint64_t t = clock_->now_ns();
        std::snprintf(b, sizeof(b), " (at %.3f ms)", t > start_ns_ ? (t - start_ns_) / 1e6 : 0.0);
        when = b;
    }
    AMPVP_TL(led(leds_[n].name, on));
    out_("[board] " + leds_[n].name + " " + state + when);
}

void LedPanel::attach(Bus &bus)
{
    for (size_t i = 0; i < leds_.size(); i++) {
        const LedDesc &l = leds_[i];
        Device *gpio = bus.device("GPIO" + l.pin.port);
        IrqLine *line = gpio ? gpio->irq("pin" + std::to_string(l.pin.pin)) : nullptr;
        if (!line) {
            throw ConfigError("LED " + l.name + " is on P" + l.pin.port + std::to_string(l.pin.pin) +
                              ", but the machine has no modelled GPIO" + l.pin.port);
        }
        line->connect_input(this, static_cast<unsigned>(i));
    }
}

} // namespace ampvp
