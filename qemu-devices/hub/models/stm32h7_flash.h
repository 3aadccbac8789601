// STM32H7 embedded flash interface FLASH, dual bank (RM0399 Rev 4, "Embedded
// flash memory (FLASH)": "FLASH program operations", "FLASH erase
// operations", "FLASH option bytes", "FLASH registers"; the boot option bytes
// of "Boot configuration").  Register sequences as ST's HAL uses them
// (stm32h7xx_hal_flash.c / _flash_ex.c: HAL_FLASH_Unlock / Lock,
// HAL_FLASH_Program (FLASH_TYPEPROGRAM_FLASHWORD), FLASH_WaitForLastOperation,
// HAL_FLASHEx_Erase (sector and bank erase), HAL_FLASH_OB_Unlock,
// HAL_FLASHEx_OBProgram, HAL_FLASH_OB_Launch).
//
// Modelled:
//  - ACR (LATENCY, WRHIGHFREQ), also at its bank-2 address +0x100.
//  - Per bank (bank 1 registers at 0x00C.., bank 2 at 0x10C..; params "bank1",
//    "bank2": the banks' addresses, default 0x08000000 / 0x08100000, 1 MiB of
//    eight 128 KiB sectors each):
//    - KEYRx: KEY1 0x45670123 then KEY2 0xCDEF89AB clears CRx.LOCK; any other
//      write while locked is a bus error and keeps CRx locked until reset.
//      CRx is read-only while LOCK = 1; writing LOCK = 1 locks it again.
//    - Programming (CRx.PG): the cores' stores to the bank (the flash memory is
//      read-only to them; the hub routes their writes here, machine role
//      "flash") fill a 256-bit (32-byte) write buffer (SRx.WBNE); the eighth
//      word of a flash word, or CRx.FW for a partial one (missing bytes 0xFF),
//      starts programming: SRx.QW and BSY for tprog (x64 100 us, x32 130, x16
//      180, x8 290 by CRx.PSIZE), then the flash word is in the flash memory
//      (as every core sees it) and SRx.EOP is set.  A flash word can be
//      programmed once after erase: programming over non-erased data stores
//      old AND new (guest error).  Errors: a store with PG = 0 or while the
//      bank is busy sets PGSERR; a store into another flash word while the
//      buffer holds a partial one sets INCERR (the partial word is dropped);
//      writing a byte of the buffer twice sets STRBERR.
//    - Erase: CRx.START with SER (sector SNB, 128 KiB) or BER (the bank), with
//      QW/BSY for x64 1 s, x32 1.1 s, x16 1.8 s, x8 2 s per sector (the
//      bank: 8 sectors); the erased range reads 0xFF, then EOP.  START is
//      cleared when the erase ends.  SER and BER together: PGSERR, nothing
//      erased.  (Times: STM32H745 datasheet, typical.)
//    - SRx flags are cleared by writing 1 to the same bit of CCRx.
//    - Interrupt output "irq" (FLASH_IRQn): EOP & EOPIE, and each error flag
//      with its enable, of either bank.
//  - Option bytes: OPTKEYR (0x08192A3B, 0x4C5D6E7F) clears OPTCR.OPTLOCK;
//    while it is set OPTCR, OPTSR_PRG, BOOT7_PRG and BOOT4_PRG ignore writes.
//    OPTCR.OPTSTART copies OPTSR_PRG to OPTSR_CUR and BOOTx_PRG to BOOTx_CUR:
//    the new BCM7/BCM4 (which core boots at the next reset) and boot addresses
//    are the chip's option bytes from then on, across resets (non-volatile);
//    the _PRG registers reset to the _CUR values.  OPTCR.MER erases both banks.
//    The configured option bytes (machine "option_bytes": "bcm7", "bcm4",
//    "boot7", "boot4"; params "cpu1", "cpu2" name the CM7 and the CM4) are the
//    initial ones; boot_gated() answers from OPTSR_CUR.
// Not modelled (stored; logged once when set): ECC (no error is ever
// injected), CRC computation, write protection (WPSN: every sector is
// writable), secure and PCROP areas, read protection levels, bank swapping,
// option byte errors (OPTCHANGEERR never set), the double-word-write
// parallelism error checks.  "--trace flash" shows unlock, program and erase
// operations.
#pragma once

#include "../regs.h"

#include <array>

namespace ampvp {

class Stm32h7Flash : public RegisterDevice {
public:
    static constexpr uint32_t KEY1 = 0x45670123, KEY2 = 0xCDEF89AB;
    static constexpr uint32_t OPTKEY1 = 0x08192A3B, OPTKEY2 = 0x4C5D6E7F;
    static constexpr uint32_t FLASH_WORD = 32;      // bytes programmed at once
    static constexpr uint32_t SECTOR = 128 * 1024;
    static constexpr unsigned SECTORS = 8;

    explicit Stm32h7Flash(const std::string &name);
    void configure(const std::map<std::string, std::string> &params,
                   const std::vector<std::string> &core_names) override;
    // RM0399 "Boot configuration": a core whose BCMx option bit is 0 stays
    // in reset (clock gated) until the other core sets RCC_GCR.BOOT_Cx.
    std::optional<bool> boot_gated(CoreId core) const override;
    // A reset keeps the option bytes (the configured ones, or what OPTSTART
    // programmed since) and the flash contents.
    void reset() override;
    void write(BusAccess &a, uint32_t value) override;
    void memory_write(BusAccess &a, uint32_t value) override;
    void timer_fired(unsigned tag) override; // tag: the bank

protected:
    void update_irq() override;

private:
    enum class Op { None, Program, EraseSector, EraseBank };
    struct Bank {
        uint64_t base = 0;
        // Registers and fields (RM0399 names, declared once).
        Register *cr = nullptr, *sr = nullptr;
        FieldRef lock, pg, ser, ber, psize, fw, start, snb;                    // CRx
        FieldRef eopie, wrperrie, pgserrie, strberrie, incerrie, operrie;      // CRx
        FieldRef bsy, wbne, qw, eop, wrperr, pgserr, strberr, incerr, operr;   // SRx
        // State.
        unsigned key_stage = 0;          // 1: KEY1 seen
        bool key_error = false;          // a wrong key: locked until reset
        uint64_t wb_addr = 0;            // the flash word the buffer holds
        std::array<uint8_t, FLASH_WORD> wb{};
        uint32_t wb_mask = 0;            // bytes written, bit i = byte i
        Op op = Op::None;
        uint64_t op_addr = 0, op_len = 0;
        CoreId op_core = 0;
    };
    void declare_bank(unsigned b);
    int bank_of(uint64_t addr) const;
    uint64_t tprog_ns(const Bank &k) const;
    uint64_t terase_ns(const Bank &k) const;
    void launch_program(unsigned b, CoreId core);
    void launch_erase(unsigned b, Op op, uint64_t addr, uint64_t len, CoreId core);
    void finish(unsigned b);
    uint8_t *mem(CoreId core, uint64_t addr, uint64_t len);
    void load_option_bytes();

    CoreId cpu1_ = -1, cpu2_ = -1; // CM7 (BCM7), CM4 (BCM4)
    std::array<Bank, 2> bank_;
    // The chip's option bytes (the configured ones until OPTSTART programs others).
    uint32_t opt_sr_ = 0x0000AAF0;
    uint32_t opt_boot7_ = 0x08000800, opt_boot4_ = 0x08100810; // ADD1 << 16 | ADD0 (>> 16)
    unsigned optkey_stage_ = 0;
    bool optkey_error_ = false;
    Register *optcr_ = nullptr, *optsr_cur_ = nullptr, *optsr_prg_ = nullptr, *boot7_cur_ = nullptr,
             *boot7_prg_ = nullptr, *boot4_cur_ = nullptr, *boot4_prg_ = nullptr;
    FieldRef optlock_, optstart_, mer_;                 // OPTCR
    FieldRef bcm4_, bcm7_;                              // OPTSR_CUR
    IrqLine &irq_;
};

} // namespace ampvp
