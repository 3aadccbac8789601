/*
 * stm32_usart.h - the USART register block shared by the STM32H7 and STM32MP15
 * (same IP: RM0399 and RM0436 "USART registers", identical offsets and bits).
 *
 * Written for ampvp from the reference manuals' register maps; names are the RM names
 * without the peripheral prefix (USART_ISR -> u->ISR), bit macros USART_REG_FIELD.
 * The chip headers (stm32h745_regs.h, stm32mp15_regs.h) include this file and define
 * the instances (USART3 ...) at their own base addresses.
 */
#ifndef AMPVP_STM32_USART_H
#define AMPVP_STM32_USART_H

#include <stdint.h>

#include "cortex_m.h"

/* ==== USART (USART1/2/3/6, UART4/5/7/8 share this layout) ======================= */
struct stm32_usart {
    volatile uint32_t CR1;   /* 0x00 */
    volatile uint32_t CR2;   /* 0x04 */
    volatile uint32_t CR3;   /* 0x08 */
    volatile uint32_t BRR;   /* 0x0C */
    volatile uint32_t GTPR;  /* 0x10 */
    volatile uint32_t RTOR;  /* 0x14 */
    volatile uint32_t RQR;   /* 0x18 */
    volatile uint32_t ISR;   /* 0x1C */
    volatile uint32_t ICR;   /* 0x20 */
    volatile uint32_t RDR;   /* 0x24 */
    volatile uint32_t TDR;   /* 0x28 */
    volatile uint32_t PRESC; /* 0x2C */
};
CM_REG_AT(struct stm32_usart, BRR, 0x0C);
CM_REG_AT(struct stm32_usart, ISR, 0x1C);
CM_REG_AT(struct stm32_usart, ICR, 0x20);
CM_REG_AT(struct stm32_usart, RDR, 0x24);
CM_REG_AT(struct stm32_usart, TDR, 0x28);
CM_REG_AT(struct stm32_usart, PRESC, 0x2C);

/* USART_CR1 (FIFO-disabled names; FIFO-mode aliases noted) */
#define USART_CR1_UE       (1u << 0)
#define USART_CR1_UESM     (1u << 1)
#define USART_CR1_RE       (1u << 2)
#define USART_CR1_TE       (1u << 3)
#define USART_CR1_IDLEIE   (1u << 4)
#define USART_CR1_RXNEIE   (1u << 5)  /* RXFNEIE with FIFO */
#define USART_CR1_TCIE     (1u << 6)
#define USART_CR1_TXEIE    (1u << 7)  /* TXFNFIE with FIFO */
#define USART_CR1_PEIE     (1u << 8)
#define USART_CR1_PS       (1u << 9)
#define USART_CR1_PCE      (1u << 10)
#define USART_CR1_WAKE     (1u << 11)
#define USART_CR1_M0       (1u << 12)
#define USART_CR1_MME      (1u << 13)
#define USART_CR1_CMIE     (1u << 14)
#define USART_CR1_OVER8    (1u << 15)
#define USART_CR1_DEDT_Msk (0x1Fu << 16)
#define USART_CR1_DEAT_Msk (0x1Fu << 21)
#define USART_CR1_RTOIE    (1u << 26)
#define USART_CR1_EOBIE    (1u << 27)
#define USART_CR1_M1       (1u << 28)
#define USART_CR1_FIFOEN   (1u << 29)
#define USART_CR1_TXFEIE   (1u << 30)
#define USART_CR1_RXFFIE   (1u << 31)
/* FIFO-mode names of the same bits (RM0399 USART_CR1, FIFO enabled) */
#define USART_CR1_RXFNEIE  USART_CR1_RXNEIE
#define USART_CR1_TXFNFIE  USART_CR1_TXEIE

/* USART_CR2 */
#define USART_CR2_SLVEN    (1u << 0)
#define USART_CR2_DIS_NSS  (1u << 3)
#define USART_CR2_ADDM7    (1u << 4)
#define USART_CR2_LBDL     (1u << 5)
#define USART_CR2_LBDIE    (1u << 6)
#define USART_CR2_LBCL     (1u << 8)
#define USART_CR2_CPHA     (1u << 9)
#define USART_CR2_CPOL     (1u << 10)
#define USART_CR2_CLKEN    (1u << 11)
#define USART_CR2_STOP_Pos 12u
#define USART_CR2_STOP_Msk (3u << 12)  /* 00: 1 stop bit */
#define USART_CR2_LINEN    (1u << 14)
#define USART_CR2_SWAP     (1u << 15)
#define USART_CR2_RXINV    (1u << 16)
#define USART_CR2_TXINV    (1u << 17)
#define USART_CR2_DATAINV  (1u << 18)
#define USART_CR2_MSBFIRST (1u << 19)
#define USART_CR2_ABREN    (1u << 20)
#define USART_CR2_RTOEN    (1u << 23)

/* USART_CR3 */
#define USART_CR3_EIE      (1u << 0)
#define USART_CR3_IREN     (1u << 1)
#define USART_CR3_IRLP     (1u << 2)
#define USART_CR3_HDSEL    (1u << 3)
#define USART_CR3_NACK     (1u << 4)
#define USART_CR3_SCEN     (1u << 5)
#define USART_CR3_DMAR     (1u << 6)
#define USART_CR3_DMAT     (1u << 7)
#define USART_CR3_RTSE     (1u << 8)
#define USART_CR3_CTSE     (1u << 9)
#define USART_CR3_CTSIE    (1u << 10)
#define USART_CR3_ONEBIT   (1u << 11)
#define USART_CR3_OVRDIS   (1u << 12)
#define USART_CR3_DDRE     (1u << 13)
#define USART_CR3_DEM      (1u << 14)
#define USART_CR3_DEP      (1u << 15)
#define USART_CR3_WUS_Pos  20u
#define USART_CR3_WUS_Msk  (3u << 20)  /* 00 address match, 10 start bit, 11 RXNE/RXFNE */
#define USART_CR3_WUFIE    (1u << 22)
#define USART_CR3_TXFTIE   (1u << 23)
#define USART_CR3_TCBGTIE  (1u << 24)
#define USART_CR3_RXFTCFG_Msk (7u << 25)
#define USART_CR3_RXFTIE   (1u << 28)
#define USART_CR3_TXFTCFG_Msk (7u << 29)
#define USART_CR3_RXFTCFG_Pos 25u
#define USART_CR3_TXFTCFG_Pos 29u
/* RXFTCFG/TXFTCFG values: FIFO threshold in eighths of the 16-entry FIFO */
#define USART_FIFO_THRESHOLD_1_8 0u
#define USART_FIFO_THRESHOLD_1_4 1u
#define USART_FIFO_THRESHOLD_1_2 2u
#define USART_FIFO_THRESHOLD_3_4 3u
#define USART_FIFO_THRESHOLD_7_8 4u
#define USART_FIFO_THRESHOLD_8_8 5u
#define USART_FIFO_DEPTH         16u

/* USART_ISR */
#define USART_ISR_PE       (1u << 0)
#define USART_ISR_FE       (1u << 1)
#define USART_ISR_NE       (1u << 2)
#define USART_ISR_ORE      (1u << 3)
#define USART_ISR_IDLE     (1u << 4)
#define USART_ISR_RXNE     (1u << 5)  /* RXFNE with FIFO */
#define USART_ISR_TC       (1u << 6)
#define USART_ISR_TXE      (1u << 7)  /* TXFNF with FIFO */
#define USART_ISR_LBDF     (1u << 8)
#define USART_ISR_CTSIF    (1u << 9)
#define USART_ISR_CTS      (1u << 10)
#define USART_ISR_RTOF     (1u << 11)
#define USART_ISR_EOBF     (1u << 12)
#define USART_ISR_UDR      (1u << 13)
#define USART_ISR_ABRE     (1u << 14)
#define USART_ISR_ABRF     (1u << 15)
#define USART_ISR_BUSY     (1u << 16)
#define USART_ISR_CMF      (1u << 17)
#define USART_ISR_SBKF     (1u << 18)
#define USART_ISR_RWU      (1u << 19)
#define USART_ISR_WUF      (1u << 20)
#define USART_ISR_TEACK    (1u << 21)
#define USART_ISR_REACK    (1u << 22)
#define USART_ISR_TXFE     (1u << 23)
#define USART_ISR_RXFF     (1u << 24)
#define USART_ISR_TCBGT    (1u << 25)
#define USART_ISR_RXFT     (1u << 26)
#define USART_ISR_TXFT     (1u << 27)
/* FIFO-mode names of the same bits (RM0399 USART_ISR, FIFO enabled) */
#define USART_ISR_RXFNE    USART_ISR_RXNE
#define USART_ISR_TXFNF    USART_ISR_TXE

/* USART_ICR (write 1 to clear the matching ISR flag) */
#define USART_ICR_PECF     (1u << 0)
#define USART_ICR_FECF     (1u << 1)
#define USART_ICR_NECF     (1u << 2)
#define USART_ICR_ORECF    (1u << 3)
#define USART_ICR_IDLECF   (1u << 4)
#define USART_ICR_TXFECF   (1u << 5)
#define USART_ICR_TCCF     (1u << 6)
#define USART_ICR_TCBGTCF  (1u << 7)
#define USART_ICR_LBDCF    (1u << 8)
#define USART_ICR_CTSCF    (1u << 9)
#define USART_ICR_RTOCF    (1u << 11)
#define USART_ICR_EOBCF    (1u << 12)
#define USART_ICR_UDRCF    (1u << 13)
#define USART_ICR_CMCF     (1u << 17)
#define USART_ICR_WUCF     (1u << 20)

/* USART_RQR */
#define USART_RQR_ABRRQ    (1u << 0)
#define USART_RQR_SBKRQ    (1u << 1)
#define USART_RQR_MMRQ     (1u << 2)
#define USART_RQR_RXFRQ    (1u << 3)
#define USART_RQR_TXFRQ    (1u << 4)

/* USART_PRESC: PRESCALER[3:0], 0 = input clock not divided */
#define USART_PRESC_PRESCALER_Msk 0xFu

#endif /* AMPVP_STM32_USART_H */
