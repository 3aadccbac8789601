#include "stm32h7_flash.h"
#include "../model_registry.h"

#include "../log.h"
#include "../machine.h"

#include <cstring>

namespace ampvp {

namespace {
uint32_t param_u32(const std::map<std::string, std::string> &p, const char *key, uint32_t dflt)
{
    auto it = p.find(key);
    if (it == p.end()) {
        return dflt;
    }
    try {
        return static_cast<uint32_t>(parse_size(it->second));
    } catch (const ConfigError &e) {
        throw ConfigError(std::string("params \"") + key + "\": " + e.what());
    }
}

// STM32H745 datasheet, typical: 256-bit word programming and 128 KiB sector
// erase by parallelism (CRx.PSIZE: x8, x16, x32, x64).
const uint64_t kProgNs[4] = {290000, 180000, 130000, 100000};
const uint64_t kEraseSectorNs[4] = {2000000000ull, 1800000000ull, 1100000000ull, 1000000000ull};

// FLASH_SRx / FLASH_CCRx bit positions (the same in both registers).
enum : unsigned {
    EOP = 16, WRPERR = 17, PGSERR = 18, STRBERR = 19, INCERR = 21, OPERR = 22, RDPERR = 23,
    RDSERR = 24, SNECCERR = 25, DBECCERR = 26, CRCEND = 27, CRCRDERR = 28,
};
} // namespace

Stm32h7Flash::Stm32h7Flash(const std::string &name) : RegisterDevice(name), irq_(add_irq("irq"))
{
    bank_[0].base = 0x08000000;
    bank_[1].base = 0x08100000;
    auto &r = regs_;
    // RM0399: FLASH_ACR reset value 0x0000 0037 (LATENCY 7, WRHIGHFREQ 3).
    Register &acr = r.reg("ACR", 0x000, 0x00000037)
                        .field("LATENCY", 0, 4, Acc::RW)
                        .field("WRHIGHFREQ", 4, 2, Acc::RW);
    // The bank-2 address of ACR is the same register.
    r.reg("ACR_BANK2", 0x100, 0)
        .field("LATENCY", 0, 4, Acc::RW)
        .field("WRHIGHFREQ", 4, 2, Acc::RW)
        .on_read([&acr](BusAccess &, uint32_t) { return acr.value; })
        .pre_write([&acr](BusAccess &, uint32_t, uint32_t &next, uint32_t) {
            acr.value = next;
            return false;
        });
    Register &optkeyr = r.reg("OPTKEYR", 0x008, 0).field("OPTKEY", 0, 32, Acc::WO);
    optkeyr.post_write([this, &optkeyr](BusAccess &a, uint32_t, uint32_t v, uint32_t) {
            optkeyr.value = 0;
            if (!optlock_.on()) {
                return;
            }
            // RM0399: OPTKEY1 then OPTKEY2 unlock OPTCR; a wrong key is a bus
            // error and OPTCR stays locked until the next reset.
            if (!optkey_error_ && optkey_stage_ == 0 && v == OPTKEY1) {
                optkey_stage_ = 1;
            } else if (!optkey_error_ && optkey_stage_ == 1 && v == OPTKEY2) {
                optkey_stage_ = 0;
                optlock_.set(0);
                AMPVP_TRACE("flash", a.core_name, "OPTCR unlocked");
            } else {
                optkey_error_ = true;
                a.fault = true;
                log().guest_error(a.core_name, this->name() + ": wrong OPTKEYR sequence (" + hex(v) +
                                                   "): OPTCR locked until reset, bus error");
            }
        });
    optcr_ = &r.reg("OPTCR", 0x018, 0x00000001)
                  .field("OPTLOCK", 0, 1, Acc::W1S, &optlock_)
                  .field("OPTSTART", 1, 1, Acc::W1S, &optstart_)
                  .field("MER", 4, 1, Acc::W1S, &mer_)
                  .field("OPTCHANGEERRIE", 30, 1, Acc::RW)
                  .field("SWAP_BANK", 31, 1, Acc::RO)
                  .pre_write([this](BusAccess &a, uint32_t old, uint32_t &next, uint32_t) {
                      if (optlock_.in(old)) {
                          // RM0399: OPTCR is write-protected while OPTLOCK = 1.
                          if (next != old) {
                              log().guest_error(a.core_name, this->name() + ": OPTCR written while OPTLOCK = 1 (ignored)");
                          }
                          return false;
                      }
                      return true;
                  })
                  .post_write([this](BusAccess &a, uint32_t old, uint32_t now_v, uint32_t) {
                      if (optstart_.in(now_v) && !optstart_.in(old)) {
                          // Option byte programming: the _PRG values become the chip's.
                          opt_sr_ = optsr_prg_->value & ~1u;
                          opt_boot7_ = boot7_prg_->value;
                          opt_boot4_ = boot4_prg_->value;
                          load_option_bytes();
                          optstart_.set(0);
                          AMPVP_TRACE("flash", a.core_name,
                                      "option bytes programmed: OPTSR " + hex(opt_sr_) + ", BOOT7 " + hex(opt_boot7_) +
                                          ", BOOT4 " + hex(opt_boot4_));
                      }
                      if (mer_.in(now_v) && !mer_.in(old)) {
                          for (unsigned b = 0; b < 2; b++) {
                              launch_erase(b, Op::EraseBank, bank_[b].base, SECTORS * uint64_t(SECTOR), a.core);
                          }
                          mer_.set(0);
                      }
                  });
    // OPTSR_CUR / OPTSR_PRG (RM0399 field layout).  _CUR is loaded from the
    // option bytes; _PRG is what OPTSTART programs.
    auto optsr = [](Register &x, Acc acc, FieldRef *bcm4, FieldRef *bcm7) -> Register & {
        x.field("OPT_BUSY", 0, 1, Acc::RO)
            .field("BOR_LEV", 2, 2, acc)
            .field("IWDG1_SW", 4, 1, acc)
            .field("IWDG2_SW", 5, 1, acc)
            .field("NRST_STOP_D1", 6, 1, acc)
            .field("NRST_STBY_D1", 7, 1, acc)
            .field("RDP", 8, 8, acc)
            .field("FZ_IWDG_STOP", 17, 1, acc)
            .field("FZ_IWDG_SDBY", 18, 1, acc)
            .field("ST_RAM_SIZE", 19, 2, acc)
            .field("SECURITY", 21, 1, acc);
        if (bcm4) {
            x.field("BCM4", 22, 1, acc, bcm4).field("BCM7", 23, 1, acc, bcm7);
        } else {
            x.field("BCM4", 22, 1, acc).field("BCM7", 23, 1, acc);
        }
        return x.field("NRST_STOP_D2", 24, 1, acc)
            .field("NRST_STBY_D2", 25, 1, acc)
            .field("IO_HSLV", 29, 1, acc)
            .field("OPTCHANGEERR", 30, 1, Acc::RO)
            .field("SWAP_BANK_OPT", 31, 1, acc);
    };
    optsr_cur_ = &optsr(r.reg("OPTSR_CUR", 0x01C, 0x0000AAF0), Acc::RO, &bcm4_, &bcm7_);
    optsr_prg_ = &optsr(r.reg("OPTSR_PRG", 0x020, 0x0000AAF0), Acc::RW, nullptr, nullptr);
    auto opt_locked = [this](BusAccess &a, uint32_t old, uint32_t &next, uint32_t) {
        if (optlock_.on()) {
            if (next != old) {
                log().guest_error(a.core_name, this->name() + ": option byte register written while OPTLOCK = 1 (ignored)");
            }
            return false;
        }
        return true;
    };
    optsr_prg_->pre_write(opt_locked);
    r.reg("OPTCCR", 0x024, 0).field("CLR_OPTCHANGEERR", 30, 1, Acc::WO);
    boot7_cur_ = &r.reg("BOOT7_CUR", 0x040, 0).field("BOOT_CM7_ADD0", 0, 16, Acc::RO).field("BOOT_CM7_ADD1", 16, 16, Acc::RO);
    boot7_prg_ = &r.reg("BOOT7_PRG", 0x044, 0)
                      .field("BOOT_CM7_ADD0", 0, 16, Acc::RW)
                      .field("BOOT_CM7_ADD1", 16, 16, Acc::RW)
                      .pre_write(opt_locked);
    boot4_cur_ = &r.reg("BOOT4_CUR", 0x048, 0).field("BOOT_CM4_ADD0", 0, 16, Acc::RO).field("BOOT_CM4_ADD1", 16, 16, Acc::RO);
    boot4_prg_ = &r.reg("BOOT4_PRG", 0x04C, 0)
                      .field("BOOT_CM4_ADD0", 0, 16, Acc::RW)
                      .field("BOOT_CM4_ADD1", 16, 16, Acc::RW)
                      .pre_write(opt_locked);
    declare_bank(0);
    declare_bank(1);
    load_option_bytes();
}

void Stm32h7Flash::declare_bank(unsigned b)
{
    auto &r = regs_;
    Bank &k = bank_[b];
    const uint32_t o = 0x100 * b;
    const std::string n = std::to_string(b + 1);
    Register &keyr = r.reg("KEYR" + n, o + 0x004, 0).field("KEY", 0, 32, Acc::WO);
    keyr.post_write([this, b, n, &keyr](BusAccess &a, uint32_t, uint32_t v, uint32_t) {
            Bank &x = bank_[b];
            keyr.value = 0;
            if (!x.lock.on()) {
                return;
            }
            // RM0399: KEY1 then KEY2 unlock CRx; a wrong sequence is a bus
            // error and CRx stays locked until the next reset.
            if (!x.key_error && x.key_stage == 0 && v == KEY1) {
                x.key_stage = 1;
            } else if (!x.key_error && x.key_stage == 1 && v == KEY2) {
                x.key_stage = 0;
                x.lock.set(0);
                AMPVP_TRACE("flash", a.core_name, "bank " + n + " unlocked");
            } else {
                x.key_error = true;
                a.fault = true;
                log().guest_error(a.core_name, this->name() + ": wrong KEYR" + n + " sequence (" + hex(v) +
                                                   "): CR" + n + " locked until reset, bus error");
            }
        });
    k.cr = &r.reg("CR" + n, o + 0x00C, 0x00000031)
                .field("LOCK", 0, 1, Acc::W1S, &k.lock)
                .field("PG", 1, 1, Acc::RW, &k.pg)
                .field("SER", 2, 1, Acc::RW, &k.ser)
                .field("BER", 3, 1, Acc::RW, &k.ber)
                .field("PSIZE", 4, 2, Acc::RW, &k.psize)
                .field("FW", 6, 1, Acc::W1S, &k.fw)
                .field("START", 7, 1, Acc::W1S, &k.start)
                .field("SNB", 8, 3, Acc::RW, &k.snb)
                .unimpl("CRC_EN", 15, 1)
                .field("EOPIE", 16, 1, Acc::RW, &k.eopie)
                .field("WRPERRIE", 17, 1, Acc::RW, &k.wrperrie)
                .field("PGSERRIE", 18, 1, Acc::RW, &k.pgserrie)
                .field("STRBERRIE", 19, 1, Acc::RW, &k.strberrie)
                .field("INCERRIE", 21, 1, Acc::RW, &k.incerrie)
                .field("OPERRIE", 22, 1, Acc::RW, &k.operrie)
                .field("RDPERRIE", 23, 1, Acc::RW)
                .field("RDSERRIE", 24, 1, Acc::RW)
                .field("SNECCERRIE", 25, 1, Acc::RW)
                .field("DBECCERRIE", 26, 1, Acc::RW)
                .unimpl("CRCENDIE", 27, 1)
                .unimpl("CRCRDERRIE", 28, 1)
                .pre_write([this, b, n](BusAccess &a, uint32_t old, uint32_t &next, uint32_t) {
                    if (bank_[b].lock.in(old)) {
                        // RM0399: CRx cannot be written while LOCK = 1.
                        if (next != old) {
                            log().guest_error(a.core_name, this->name() + ": CR" + n + " written while locked (ignored)");
                        }
                        return false;
                    }
                    return true;
                })
                .post_write([this, b](BusAccess &a, uint32_t old, uint32_t now_v, uint32_t) {
                    Bank &x = bank_[b];
                    if (x.fw.in(now_v) && !x.fw.in(old)) {
                        x.fw.set(0);
                        if (x.wb_mask && x.op == Op::None) {
                            launch_program(b, a.core); // force-write a partial flash word
                        }
                    }
                    if (x.start.in(now_v) && !x.start.in(old)) {
                        if (x.op != Op::None || (x.ser.on() && x.ber.on()) || (!x.ser.on() && !x.ber.on())) {
                            // Busy, or SER and BER together (or neither): a sequence error.
                            x.pgserr.set(1);
                            x.start.set(0);
                            log().guest_error(a.core_name, this->name() + ": START with SER = " +
                                                               std::to_string(x.ser.get()) + ", BER = " +
                                                               std::to_string(x.ber.get()) +
                                                               (x.op != Op::None ? " while busy" : "") + ": PGSERR");
                        } else if (x.ser.on()) {
                            launch_erase(b, Op::EraseSector, x.base + x.snb.get() * uint64_t(SECTOR), SECTOR, a.core);
                        } else {
                            launch_erase(b, Op::EraseBank, x.base, SECTORS * uint64_t(SECTOR), a.core);
                        }
                    }
                });
    k.sr = &r.reg("SR" + n, o + 0x010, 0)
                .field("BSY", 0, 1, Acc::RO, &k.bsy)
                .field("WBNE", 1, 1, Acc::RO, &k.wbne)
                .field("QW", 2, 1, Acc::RO, &k.qw)
                .field("CRC_BUSY", 3, 1, Acc::RO)
                .field("EOP", EOP, 1, Acc::RO, &k.eop)
                .field("WRPERR", WRPERR, 1, Acc::RO, &k.wrperr)
                .field("PGSERR", PGSERR, 1, Acc::RO, &k.pgserr)
                .field("STRBERR", STRBERR, 1, Acc::RO, &k.strberr)
                .field("INCERR", INCERR, 1, Acc::RO, &k.incerr)
                .field("OPERR", OPERR, 1, Acc::RO, &k.operr)
                .field("RDPERR", RDPERR, 1, Acc::RO)
                .field("RDSERR", RDSERR, 1, Acc::RO)
                .field("SNECCERR", SNECCERR, 1, Acc::RO)
                .field("DBECCERR", DBECCERR, 1, Acc::RO)
                .field("CRCEND", CRCEND, 1, Acc::RO)
                .field("CRCRDERR", CRCRDERR, 1, Acc::RO);
    Register &ccr = r.reg("CCR" + n, o + 0x014, 0);
    const char *clr[] = {"CLR_EOP", "CLR_WRPERR", "CLR_PGSERR", "CLR_STRBERR", nullptr, "CLR_INCERR",
                         "CLR_OPERR", "CLR_RDPERR", "CLR_RDSERR", "CLR_SNECCERR", "CLR_DBECCERR",
                         "CLR_CRCEND", "CLR_CRCRDERR"};
    for (unsigned i = 0; i < 13; i++) {
        if (clr[i]) {
            ccr.field(clr[i], EOP + i, 1, Acc::WO);
        }
    }
    Register *self = &ccr;
    ccr.post_write([this, b, self](BusAccess &, uint32_t, uint32_t now_v, uint32_t) {
        // RM0399: writing 1 to CLR_x clears flag x of SRx.
        bank_[b].sr->value &= ~(now_v & 0x1FFF0000u);
        self->value = 0;
    });
    // Protection and CRC registers: stored (write protection, secure and
    // PCROP areas and CRC are not modelled).
    r.reg("PRAR_CUR" + n, o + 0x028, 0x000000FF).field("PRAR", 0, 32, Acc::RO);
    r.reg("PRAR_PRG" + n, o + 0x02C, 0x000000FF).unimpl("PRAR", 0, 32);
    r.reg("SCAR_CUR" + n, o + 0x030, 0x000000FF).field("SCAR", 0, 32, Acc::RO);
    r.reg("SCAR_PRG" + n, o + 0x034, 0x000000FF).unimpl("SCAR", 0, 32);
    r.reg("WPSN_CUR" + n, o + 0x038, 0x000000FF).field("WRPSN", 0, 8, Acc::RO);
    r.reg("WPSN_PRG" + n, o + 0x03C, 0x000000FF).field("WRPSN", 0, 8, Acc::RW);
    r.reg("CRCCR" + n, o + 0x050, 0x001C0000).unimpl("CRCCR", 0, 32);
    r.reg("CRCSADD" + n, o + 0x054, 0).unimpl("CRC_START_ADDR", 0, 32);
    r.reg("CRCEADD" + n, o + 0x058, 0).unimpl("CRC_END_ADDR", 0, 32);
    r.reg("ECC_FA" + n, o + 0x060, 0).field("FAIL_ECC_ADDR", 0, 15, Acc::RO);
    if (b == 0) {
        r.reg("CRCDATA", 0x05C, 0).field("CRC_DATA", 0, 32, Acc::RO);
    }
}

void Stm32h7Flash::configure(const std::map<std::string, std::string> &params,
                             const std::vector<std::string> &core_names)
{
    cpu1_ = param_core(params, "cpu1", core_names);
    cpu2_ = param_core(params, "cpu2", core_names);
    const uint32_t bcm7 = param_u32(params, "bcm7", 1) & 1;
    const uint32_t bcm4 = param_u32(params, "bcm4", 1) & 1;
    const uint32_t b7 = param_u32(params, "boot7", 0x08000000) >> 16;
    const uint32_t b4 = param_u32(params, "boot4", 0x08100000) >> 16;
    opt_sr_ = (0x0000AAF0u & ~(3u << 22)) | (bcm4 << 22) | (bcm7 << 23);
    // Boot addresses: ADD0 (BOOT pin 0) and ADD1 both hold address >> 16.
    opt_boot7_ = (b7 << 16) | b7;
    opt_boot4_ = (b4 << 16) | b4;
    bank_[0].base = param_u32(params, "bank1", 0x08000000);
    bank_[1].base = param_u32(params, "bank2", 0x08100000);
    load_option_bytes();
}

// RM0399: the _CUR registers are loaded from the option bytes at reset, and
// the _PRG registers start as copies of them.
void Stm32h7Flash::load_option_bytes()
{
    optsr_cur_->value = opt_sr_;
    optsr_prg_->value = opt_sr_;
    boot7_cur_->value = boot7_prg_->value = opt_boot7_;
    boot4_cur_->value = boot4_prg_->value = opt_boot4_;
}

void Stm32h7Flash::reset()
{
    for (unsigned b = 0; b < 2; b++) {
        Bank &k = bank_[b];
        k.key_stage = 0;
        k.key_error = false;
        k.wb_mask = 0;
        k.op = Op::None;
        if (ctx_.scheduler) {
            ctx_.scheduler->schedule(this, b, 0);
        }
    }
    optkey_stage_ = 0;
    optkey_error_ = false;
    regs_.reset();
    load_option_bytes();
    update_irq();
}

std::optional<bool> Stm32h7Flash::boot_gated(CoreId core) const
{
    if (core == cpu1_) {
        return !bcm7_.on();
    }
    if (core == cpu2_) {
        return !bcm4_.on();
    }
    return std::nullopt;
}

void Stm32h7Flash::write(BusAccess &a, uint32_t value) { RegisterDevice::write(a, value); }

// ---- program and erase -----------------------------------------------------------

int Stm32h7Flash::bank_of(uint64_t addr) const
{
    for (unsigned b = 0; b < 2; b++) {
        if (addr >= bank_[b].base && addr - bank_[b].base < SECTORS * uint64_t(SECTOR)) {
            return static_cast<int>(b);
        }
    }
    return -1;
}

uint64_t Stm32h7Flash::tprog_ns(const Bank &k) const { return kProgNs[k.psize.get() & 3u]; }
uint64_t Stm32h7Flash::terase_ns(const Bank &k) const { return kEraseSectorNs[k.psize.get() & 3u]; }

uint8_t *Stm32h7Flash::mem(CoreId core, uint64_t addr, uint64_t len)
{
    return ctx_.master ? ctx_.master->memory(core, addr, len) : nullptr;
}

void Stm32h7Flash::memory_write(BusAccess &a, uint32_t value)
{
    const int bi = bank_of(a.addr);
    if (bi < 0) {
        log().guest_error(a.core_name, name() + ": write to flash at " + hex(a.addr) + " outside the banks (ignored)");
        return;
    }
    Bank &k = bank_[bi];
    const std::string bn = std::to_string(bi + 1);
    if (!k.pg.on() || k.lock.on()) {
        // RM0399: a write to the flash memory without PG is a programming
        // sequence error.
        k.pgserr.set(1);
        log().guest_error(a.core_name, name() + ": write of " + hex(value) + " to flash at " + hex(a.addr) +
                                           " with CR" + bn + ".PG = 0: PGSERR");
        update_irq();
        return;
    }
    if (k.op != Op::None) {
        k.pgserr.set(1);
        log().guest_error(a.core_name, name() + ": write to flash at " + hex(a.addr) + " while bank " + bn +
                                           " is busy (QW): PGSERR");
        update_irq();
        return;
    }
    const uint64_t word = a.addr & ~uint64_t(FLASH_WORD - 1);
    if (k.wb_mask && word != k.wb_addr) {
        // RM0399 INCERR: a write into another flash word while the buffer
        // holds a partial one; the partial word is not programmed.
        k.incerr.set(1);
        log().guest_error(a.core_name, name() + ": write to flash word " + hex(word) + " while the buffer holds " +
                                           hex(k.wb_addr) + " partly: INCERR");
        k.wb_mask = 0;
    }
    const unsigned off = static_cast<unsigned>(a.addr & (FLASH_WORD - 1));
    const unsigned n = a.size > 4 ? 4 : a.size;
    const uint32_t m = ((1u << n) - 1u) << off;
    if (k.wb_mask & m) {
        // RM0399 STRBERR: the same byte written twice into the write buffer.
        k.strberr.set(1);
        log().guest_error(a.core_name, name() + ": byte of flash word " + hex(word) + " written twice: STRBERR");
        update_irq();
        return;
    }
    for (unsigned i = 0; i < n; i++) {
        k.wb[off + i] = static_cast<uint8_t>(value >> (8 * i));
    }
    k.wb_addr = word;
    k.wb_mask |= m;
    k.wbne.set(1);
    if (k.wb_mask == 0xFFFFFFFFu) {
        launch_program(static_cast<unsigned>(bi), a.core);
    }
    update_irq();
}

void Stm32h7Flash::launch_program(unsigned b, CoreId core)
{
    Bank &k = bank_[b];
    k.op = Op::Program;
    k.op_addr = k.wb_addr;
    k.op_len = FLASH_WORD;
    k.op_core = core;
    k.wbne.set(0);
    k.qw.set(1);
    k.bsy.set(1);
    if (ctx_.scheduler) {
        ctx_.scheduler->schedule(this, b, ctx_.scheduler->now_ns() + tprog_ns(k));
    } else {
        finish(b);
    }
}

void Stm32h7Flash::launch_erase(unsigned b, Op op, uint64_t addr, uint64_t len, CoreId core)
{
    Bank &k = bank_[b];
    k.op = op;
    k.op_addr = addr;
    k.op_len = len;
    k.op_core = core;
    k.wb_mask = 0;
    k.wbne.set(0);
    k.qw.set(1);
    k.bsy.set(1);
    AMPVP_TRACE("flash", name(), std::string(op == Op::EraseBank ? "bank" : "sector") + " erase of " + hex(addr) +
                                     " (" + std::to_string(len / 1024) + " KiB) started");
    const uint64_t t = terase_ns(k) * (len / SECTOR);
    if (ctx_.scheduler) {
        ctx_.scheduler->schedule(this, b, ctx_.scheduler->now_ns() + t);
    } else {
        finish(b);
    }
}

void Stm32h7Flash::finish(unsigned b)
{
    Bank &k = bank_[b];
    uint8_t *dst = mem(k.op_core, k.op_addr, k.op_len);
    if (!dst) {
        log().error(name() + ": no flash memory at " + hex(k.op_addr) + " to program or erase");
    } else if (k.op == Op::Program) {
        bool erased = true, zero = true;
        uint8_t data[FLASH_WORD];
        for (unsigned i = 0; i < FLASH_WORD; i++) {
            data[i] = (k.wb_mask >> i) & 1u ? k.wb[i] : 0xFF;
            erased &= dst[i] == 0xFF;
            zero &= data[i] == 0;
        }
        if (!erased && !zero) {
            // RM0399: a flash word can be programmed once after erase (ECC).
            log().guest_error("hub", name() + ": flash word " + hex(k.op_addr) +
                                         " programmed without being erased first (stores old AND new)");
        }
        for (unsigned i = 0; i < FLASH_WORD; i++) {
            dst[i] &= data[i];
        }
        AMPVP_TRACE("flash", name(), "flash word " + hex(k.op_addr) + " programmed");
    } else if (k.op == Op::EraseSector || k.op == Op::EraseBank) {
        std::memset(dst, 0xFF, k.op_len);
        k.start.set(0);
        AMPVP_TRACE("flash", name(), "erase of " + hex(k.op_addr) + " done");
    }
    k.op = Op::None;
    k.wb_mask = 0;
    k.qw.set(0);
    k.bsy.set(0);
    k.eop.set(1);
    update_irq();
}

void Stm32h7Flash::timer_fired(unsigned tag)
{
    if (tag < 2 && bank_[tag].op != Op::None) {
        finish(tag);
    }
}

void Stm32h7Flash::update_irq()
{
    bool any = false;
    for (const Bank &k : bank_) {
        any |= (k.eop.on() && k.eopie.on()) || (k.wrperr.on() && k.wrperrie.on()) ||
               (k.pgserr.on() && k.pgserrie.on()) || (k.strberr.on() && k.strberrie.on()) ||
               (k.incerr.on() && k.incerrie.on()) || (k.operr.on() && k.operrie.on());
    }
    irq_.set(any);
}

} // namespace ampvp

AMPVP_MODEL("stm32h7-flash", ampvp::Stm32h7Flash)
