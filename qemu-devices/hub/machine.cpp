#include "machine.h"

#include "log.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

using nlohmann::json;

namespace ampvp {

uint64_t parse_size(const std::string &text)
{
    if (text.empty()) {
        throw ConfigError("empty number");
    }
    size_t used = 0;
    uint64_t v;
    try {
        v = std::stoull(text, &used, 0);
    } catch (const std::exception &) {
        throw ConfigError("'" + text + "' is not a number");
    }
    std::string suffix = text.substr(used);
    if (suffix == "K" || suffix == "k") {
        v <<= 10;
    } else if (suffix == "M") {
        v <<= 20;
    } else if (!suffix.empty()) {
        throw ConfigError("'" + text + "' has an unknown suffix (K or M allowed)");
    }
    return v;
}

namespace {

struct Reader {
    std::string source;

    [[noreturn]] void fail(const std::string &where, const std::string &what) const
    {
        throw ConfigError(source + ": " + where + ": " + what);
    }
    const json &need(const json &o, const char *key, const std::string &where) const
    {
        if (!o.is_object() || !o.contains(key)) {
            fail(where, std::string("missing \"") + key + "\"");
        }
        return o.at(key);
    }
    std::string str(const json &o, const char *key, const std::string &where) const
    {
        const json &v = need(o, key, where);
        if (!v.is_string() || v.get<std::string>().empty()) {
            fail(where + "." + key, "must be a non-empty string");
        }
        return v.get<std::string>();
    }
    uint64_t num(const json &o, const char *key, const std::string &where) const
    {
        const json &v = need(o, key, where);
        if (v.is_number_unsigned()) {
            return v.get<uint64_t>();
        }
        if (v.is_string()) {
            try {
                return parse_size(v.get<std::string>());
            } catch (const ConfigError &e) {
                fail(where + "." + key, e.what());
            }
        }
        fail(where + "." + key, "must be a number or a string like \"0x1000\" or \"64K\"");
    }
    std::vector<std::string> names(const json &o, const char *key, const std::string &where) const
    {
        std::vector<std::string> out;
        if (!o.contains(key)) {
            return out;
        }
        const json &v = o.at(key);
        if (!v.is_array()) {
            fail(where + "." + key, "must be a list of core names");
        }
        for (const auto &e : v) {
            if (!e.is_string()) {
                fail(where + "." + key, "must be a list of core names");
            }
            out.push_back(e.get<std::string>());
        }
        return out;
    }
};

bool overlaps(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
    return a < b + bs && b < a + as;
}

} // namespace

nlohmann::json load_json_file(const std::string &path, const char *what)
{
    std::ifstream in(path);
    if (!in) {
        throw ConfigError(path + ": cannot open " + what);
    }
    std::stringstream ss;
    ss << in.rdbuf();
    try {
        return json::parse(ss.str(), nullptr, true, /*ignore_comments=*/true);
    } catch (const json::parse_error &e) {
        throw ConfigError(path + ": not valid JSON: " + e.what());
    }
}

MachineDesc MachineDesc::load_file(const std::string &path)
{
    return from_json(resolve_extends(load_json_file(path, "machine description"), path, 0), path);
}

// "extends": "stm32h745" makes a description the named one (a file in the
// same directory) with this file's keys merged over it (RFC 7386 merge
// patch: objects merge, anything else replaces), plus "peripherals_add"
// appended to the base's peripherals.  A variant states only how it differs.
nlohmann::json MachineDesc::resolve_extends(nlohmann::json j, const std::string &path, int depth)
{
    if (!j.is_object() || !j.contains("extends")) {
        return j;
    }
    if (!j["extends"].is_string()) {
        throw ConfigError(path + ": \"extends\" must be the name of another machine description");
    }
    if (depth > 8) {
        throw ConfigError(path + ": \"extends\" chain is longer than 8 (a loop?)");
    }
    const size_t slash = path.find_last_of('/');
    const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
    const std::string base_path = dir + "/" + j["extends"].get<std::string>() + ".json";
    json merged = resolve_extends(load_json_file(base_path, "machine description (extended)"), base_path,
                                  depth + 1);
    json add = j.value("peripherals_add", json::array());
    if (!add.is_array()) {
        throw ConfigError(path + ": \"peripherals_add\" must be a list");
    }
    json remove = j.value("peripherals_remove", json::array());
    if (!remove.is_array()) {
        throw ConfigError(path + ": \"peripherals_remove\" must be a list of peripheral names");
    }
    for (const auto &name : remove) {
        json &ps = merged["peripherals"];
        auto it = std::find_if(ps.begin(), ps.end(),
                               [&](const json &p) { return p.is_object() && p.value("name", "") == name; });
        if (!name.is_string() || it == ps.end()) {
            throw ConfigError(path + ": peripherals_remove: " + name.dump() + " is not a peripheral of " +
                              base_path);
        }
        ps.erase(it);
    }
    j.erase("extends");
    j.erase("peripherals_add");
    j.erase("peripherals_remove");
    merged.merge_patch(j);
    for (auto &p : add) {
        merged["peripherals"].push_back(p);
    }
    return merged;
}

MachineDesc MachineDesc::parse(const std::string &text, const std::string &source)
{
    json j;
    try {
        j = json::parse(text, nullptr, true, /*ignore_comments=*/true);
    } catch (const json::parse_error &e) {
        throw ConfigError(source + ": not valid JSON: " + e.what());
    }
    return from_json(j, source);
}

MachineDesc MachineDesc::from_json(const nlohmann::json &j, const std::string &source)
{
    Reader r{source};
    MachineDesc m;
    m.source = source;
    m.name = r.str(j, "name", "machine");
    m.title = j.value("title", m.name);
    m.console = j.value("console", std::string());
    if (j.contains("roles")) {
        if (!j["roles"].is_object()) {
            r.fail("roles", "must map a role (\"clocks\", \"flash\") to a peripheral name");
        }
        for (const auto &[k, v] : j["roles"].items()) {
            if (k != "clocks" && k != "flash") {
                r.fail("roles." + k, "unknown role (known: clocks, flash)");
            }
            if (!v.is_string()) {
                r.fail("roles." + k, "must be a peripheral name");
            }
            m.roles[k] = v.get<std::string>();
        }
    }
    if (j.contains("option_bytes")) {
        if (!j["option_bytes"].is_object()) {
            r.fail("option_bytes", "must be an object of strings");
        }
        for (const auto &[k, v] : j["option_bytes"].items()) {
            if (!v.is_string()) {
                r.fail("option_bytes." + k, "must be a string");
            }
            m.option_bytes[k] = v.get<std::string>();
        }
    }

    const json &cores = r.need(j, "cores", "machine");
    if (!cores.is_array() || cores.empty()) {
        r.fail("cores", "must be a non-empty list");
    }
    for (size_t i = 0; i < cores.size(); i++) {
        std::string w = "cores[" + std::to_string(i) + "]";
        CoreDesc c;
        c.name = r.str(cores[i], "name", w);
        c.cpu = r.str(cores[i], "cpu", w);
        c.num_irq = static_cast<unsigned>(r.num(cores[i], "num_irq", w));
        if (c.cpu == "host") {
            c.played_by = r.str(cores[i], "played_by", w);
        } else if (cores[i].contains("played_by")) {
            r.fail(w + ".played_by", "only a core with \"cpu\": \"host\" is played by a model");
        }
        c.clock_hz = c.host() && !cores[i].contains("clock_hz") ? 0 : r.num(cores[i], "clock_hz", w);
        c.boot = c.host() && !cores[i].contains("boot") ? 0 : r.num(cores[i], "boot", w);
        c.cpuid = cores[i].contains("cpuid") ? static_cast<uint32_t>(r.num(cores[i], "cpuid", w)) : 0;
        c.nvic_prio_bits = cores[i].contains("nvic_prio_bits")
                               ? static_cast<unsigned>(r.num(cores[i], "nvic_prio_bits", w))
                               : 0;
        if (cores[i].contains("mpu_regions")) {
            c.mpu_regions = static_cast<unsigned>(r.num(cores[i], "mpu_regions", w));
            if (c.mpu_regions > 16) {
                r.fail(w + ".mpu_regions", "must be 0..16");
            }
        }
        if (cores[i].contains("deep_sleep_stops_clock")) {
            if (!cores[i]["deep_sleep_stops_clock"].is_boolean()) {
                r.fail(w + ".deep_sleep_stops_clock", "must be true or false");
            }
            c.deep_sleep_stops_clock = cores[i]["deep_sleep_stops_clock"].get<bool>();
        }
        if (cores[i].contains("cache_id")) {
            const json &ci = cores[i]["cache_id"];
            if (!ci.is_object()) {
                r.fail(w + ".cache_id", "must be an object like { \"clidr\": \"0x09000003\" }");
            }
            for (const auto &[k, v] : ci.items()) {
                const bool ok = k == "clidr" || k == "ctr" ||
                                (k.rfind("ccsidr", 0) == 0 && k.size() > 6 && k.size() <= 8 &&
                                 k.find_first_not_of("0123456789", 6) == std::string::npos &&
                                 std::stoul(k.substr(6)) < 16);
                if (!ok) {
                    r.fail(w + ".cache_id." + k, "unknown register (clidr, ctr, ccsidr0..ccsidr15)");
                }
                c.cache_id[k] = static_cast<uint32_t>(r.num(ci, k.c_str(), w + ".cache_id"));
            }
        }
        if (c.nvic_prio_bits && (c.nvic_prio_bits < 2 || c.nvic_prio_bits > 8)) {
            r.fail(w + ".nvic_prio_bits", "must be 2..8");
        }
        if (c.num_irq == 0 || c.num_irq > 480) {
            r.fail(w + ".num_irq", "must be 1..480");
        }
        if (c.name.size() >= 16) {
            r.fail(w + ".name", "must be shorter than 16 characters");
        }
        if (m.core_index(c.name) >= 0) {
            r.fail(w + ".name", "core '" + c.name + "' is declared twice");
        }
        m.cores.push_back(c);
    }
    auto check_cores = [&](const std::vector<std::string> &list, const std::string &w) {
        for (const auto &n : list) {
            if (m.core_index(n) < 0) {
                r.fail(w, "unknown core '" + n + "'");
            }
        }
    };

    std::set<std::string> region_names;
    for (size_t i = 0; i < j.value("memories", json::array()).size(); i++) {
        const json &e = j["memories"][i];
        std::string w = "memories[" + std::to_string(i) + "]";
        MemoryDesc d;
        d.name = r.str(e, "name", w);
        d.base = r.num(e, "base", w);
        d.size = r.num(e, "size", w);
        d.flash = e.value("kind", std::string("ram")) == "flash";
        if (e.contains("kind") && !d.flash && e["kind"] != "ram") {
            r.fail(w + ".kind", "must be \"ram\" or \"flash\"");
        }
        d.cores = r.names(e, "cores", w);
        check_cores(d.cores, w + ".cores");
        if (d.size == 0 || d.size % 4096) {
            r.fail(w + ".size", "must be a non-zero multiple of 4 KiB");
        }
        if (!region_names.insert(d.name).second) {
            r.fail(w + ".name", "'" + d.name + "' is used twice");
        }
        for (size_t k = 0; k < e.value("aliases", json::array()).size(); k++) {
            std::string wa = w + ".aliases[" + std::to_string(k) + "]";
            AliasDesc a;
            a.base = r.num(e["aliases"][k], "base", wa);
            a.cores = r.names(e["aliases"][k], "cores", wa);
            check_cores(a.cores, wa + ".cores");
            d.aliases.push_back(a);
        }
        m.memories.push_back(d);
    }
    for (size_t i = 0; i < j.value("windows", json::array()).size(); i++) {
        const json &e = j["windows"][i];
        std::string w = "windows[" + std::to_string(i) + "]";
        m.windows.push_back({r.str(e, "name", w), r.num(e, "base", w), r.num(e, "size", w)});
    }
    for (size_t i = 0; i < j.value("peripherals", json::array()).size(); i++) {
        const json &e = j["peripherals"][i];
        std::string w = "peripherals[" + std::to_string(i) + "]";
        PeripheralDesc p;
        p.name = r.str(e, "name", w);
        p.model = e.value("model", std::string());
        p.mapped = e.contains("base") || p.model.empty();
        p.base = p.mapped ? r.num(e, "base", w) : 0;
        p.size = !p.mapped ? 0 : e.contains("size") ? r.num(e, "size", w) : 0x400;
        if (m.peripheral_named(p.name)) {
            r.fail(w + ".name", "peripheral '" + p.name + "' is declared twice");
        }
        if (e.contains("irqs")) {
            for (const auto &[out, targets] : e["irqs"].items()) {
                p.irqs[out] = m.parse_targets(targets, w + ".irqs." + out);
            }
        }
        if (e.contains("params")) {
            if (!e["params"].is_object()) {
                r.fail(w + ".params", "must be an object of strings");
            }
            for (const auto &[k, v] : e["params"].items()) {
                if (!v.is_string()) {
                    r.fail(w + ".params." + k, "must be a string");
                }
                p.params[k] = v.get<std::string>();
            }
        }
        bool inside = !p.mapped;
        for (const auto &win : m.windows) {
            inside |= p.base >= win.base && p.base + p.size <= win.base + win.size;
        }
        if (!inside) {
            r.fail(w, p.name + " at " + hex(p.base) + " is not inside any bridge window");
        }
        for (const auto &q : m.peripherals) {
            if (p.mapped && q.mapped && overlaps(p.base, p.size, q.base, q.size)) {
                r.fail(w, p.name + " overlaps " + q.name);
            }
        }
        m.peripherals.push_back(p);
    }
    for (size_t i = 0; i < m.cores.size(); i++) {
        const CoreDesc &c = m.cores[i];
        const PeripheralDesc *p = c.host() ? m.peripheral_named(c.played_by) : nullptr;
        if (c.host() && (!p || p->model.empty())) {
            r.fail("cores[" + std::to_string(i) + "].played_by",
                   "'" + c.played_by + "' is not a modelled peripheral");
        }
    }
    for (const auto &[role, name] : m.roles) {
        const PeripheralDesc *p = m.peripheral_named(name);
        if (!p || p->model.empty()) {
            r.fail("roles." + role, "'" + name + "' is not a modelled peripheral");
        }
    }
    // Targets naming peripherals can only be checked once all are known.
    auto check_peripheral_targets = [&](const std::vector<SignalTarget> &ts, const std::string &w) {
        for (const auto &t : ts) {
            if (!t.is_core && !m.peripheral_named(t.target)) {
                r.fail(w, "'" + t.target + "' is neither a core nor a peripheral");
            }
        }
    };
    for (size_t i = 0; i < cores.size(); i++) {
        std::string w = "cores[" + std::to_string(i) + "]";
        if (cores[i].contains("txev")) {
            m.cores[i].txev = m.parse_targets(cores[i]["txev"], w + ".txev");
            check_peripheral_targets(m.cores[i].txev, w + ".txev");
        }
        if (cores[i].contains("sysresetreq")) {
            m.cores[i].sysresetreq = m.parse_targets(cores[i]["sysresetreq"], w + ".sysresetreq");
            check_peripheral_targets(m.cores[i].sysresetreq, w + ".sysresetreq");
        }
    }
    for (size_t i = 0; i < m.peripherals.size(); i++) {
        for (const auto &[out, ts] : m.peripherals[i].irqs) {
            check_peripheral_targets(ts, "peripherals[" + std::to_string(i) + "].irqs." + out);
        }
    }
    // Each core's view must not overlap itself.
    for (CoreId c = 0; c < (CoreId)m.cores.size(); c++) {
        auto v = m.view(c);
        for (size_t a = 0; a < v.size(); a++) {
            for (size_t b = a + 1; b < v.size(); b++) {
                if (overlaps(v[a].base, v[a].size, v[b].base, v[b].size)) {
                    r.fail("memories", "for core " + m.cores[c].name + ", " + v[a].name +
                                           " overlaps " + v[b].name);
                }
            }
        }
    }
    return m;
}

std::vector<SignalTarget> MachineDesc::parse_targets(const nlohmann::json &j,
                                                     const std::string &where) const
{
    Reader r{source};
    if (!j.is_object()) {
        r.fail(where, "must map core or peripheral names to NVIC lines, \"event\" or input numbers");
    }
    std::vector<SignalTarget> out;
    for (const auto &[name, v] : j.items()) {
        SignalTarget t;
        t.target = name;
        int ci = core_index(name);
        t.is_core = ci >= 0;
        if (t.is_core && v.is_string() && v.get<std::string>() == "event") {
            t.event = true;
        } else if (t.is_core && v.is_string() && v.get<std::string>() == "wakeup") {
            t.wakeup = true;
        } else if (!t.is_core && v.is_string() && v.get<std::string>() == "reset") {
            t.reset = true;
        } else if (v.is_number_unsigned()) {
            t.n = v.get<unsigned>();
            if (t.is_core && t.n >= cores[ci].num_irq) {
                r.fail(where + "." + name, "must be an NVIC line below num_irq (" +
                                               std::to_string(cores[ci].num_irq) + ")");
            }
        } else if (!t.is_core && v.is_array() && !v.empty()) {
            // Several inputs of one peripheral: [4, 44] (a timer's TRGO is
            // both a regular and an injected trigger of an ADC).
            for (const auto &x : v) {
                if (!x.is_number_unsigned()) {
                    r.fail(where + "." + name, "must be input numbers");
                }
                t.n = x.get<unsigned>();
                out.push_back(t);
            }
            continue;
        } else {
            r.fail(where + "." + name,
                   t.is_core ? "must be an NVIC line number, \"event\" or \"wakeup\""
                             : "must be an input number, an array of them or \"reset\"");
        }
        out.push_back(t);
    }
    return out;
}

const PeripheralDesc *MachineDesc::peripheral_named(const std::string &n) const
{
    for (const auto &p : peripherals) {
        if (p.name == n) {
            return &p;
        }
    }
    return nullptr;
}

int MachineDesc::core_index(const std::string &n) const
{
    for (size_t i = 0; i < cores.size(); i++) {
        if (cores[i].name == n) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

bool MachineDesc::sees(CoreId core, const MemoryDesc &m) const
{
    return m.cores.empty() ||
           std::find(m.cores.begin(), m.cores.end(), cores[core].name) != m.cores.end();
}

std::vector<Mapping> MachineDesc::view(CoreId core) const
{
    std::vector<Mapping> v;
    for (size_t i = 0; i < memories.size(); i++) {
        const MemoryDesc &m = memories[i];
        if (!sees(core, m)) {
            continue;
        }
        v.push_back({m.name, m.base, m.size, i, 0, false});
        for (size_t k = 0; k < m.aliases.size(); k++) {
            const AliasDesc &a = m.aliases[k];
            if (a.cores.empty() || std::find(a.cores.begin(), a.cores.end(), cores[core].name) !=
                                       a.cores.end()) {
                v.push_back({m.name + "_alias" + std::to_string(k), a.base, m.size, i, 0, true});
            }
        }
    }
    return v;
}

const PeripheralDesc *MachineDesc::peripheral_at(uint64_t addr) const
{
    for (const auto &p : peripherals) {
        if (p.mapped && addr >= p.base && addr < p.base + p.size) {
            return &p;
        }
    }
    return nullptr;
}

} // namespace ampvp

namespace ampvp {

void MachineDesc::set_option_byte(const std::string &key, const std::string &value)
{
    if (!option_bytes.count(key)) {
        std::string known;
        for (const auto &kv : option_bytes) {
            known += (known.empty() ? "" : ", ") + kv.first;
        }
        throw ConfigError("machine " + name + " has no option byte '" + key + "'" +
                          (known.empty() ? " (it has none)" : " (it has: " + known + ")"));
    }
    try {
        parse_size(value);
    } catch (const ConfigError &e) {
        throw ConfigError("option byte " + key + "=" + value + ": " + e.what());
    }
    option_bytes[key] = value;
}

} // namespace ampvp
