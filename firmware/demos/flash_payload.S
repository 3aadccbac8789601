/*
 * flash_payload.S - the CM4 program for flash bank 2 (raw binary, FLASH_PAYLOAD_BIN set by
 * CMake) as read-only data of the CM7 image, like ST's FLASH_CoreConfiguration keeps its
 * CM4 code (CM4_Code.h) in the CM7's flash.
 */
    .section .rodata.flash_payload, "a"
    .balign 32
    .global flash_payload
    .global flash_payload_end
flash_payload:
    .incbin FLASH_PAYLOAD_BIN
flash_payload_end:
    .balign 32
