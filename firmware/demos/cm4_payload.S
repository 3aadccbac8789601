/*
 * cm4_payload.S - the SRAM-linked CM4 program (raw binary) as read-only data of the
 * CM7 image, like ST's template keeps its CM4 code in the CM7's flash.
 * CM4_PAYLOAD_BIN is the path of the binary (set by CMake).
 */
    .section .rodata.cm4_payload, "a"
    .balign 4
    .global cm4_payload
    .global cm4_payload_end
cm4_payload:
    .incbin CM4_PAYLOAD_BIN
cm4_payload_end:
