/* The few STM32H745 registers this example touches (RM0399). */
#pragma once
#include <stdint.h>

#define REG32(addr) (*(volatile uint32_t *)(addr))

#define RCC_APB1LENR   REG32(0x580244E8u)     /* RCC + 0x0E8 */
#define RCC_APB1LENR_USART3EN (1u << 18)

#define USART3_CR1     REG32(0x40004800u)
#define USART3_BRR     REG32(0x4000480Cu)
#define USART3_ISR     REG32(0x4000481Cu)
#define USART3_TDR     REG32(0x40004828u)
#define USART_CR1_UE   (1u << 0)
#define USART_CR1_TE   (1u << 3)
#define USART_ISR_TC   (1u << 6)
#define USART_ISR_TXE  (1u << 7)
#define USART_ISR_TEACK (1u << 21)

/* A word in SRAM4 (D3 domain), seen by both cores. */
#define SHARED_MAILBOX REG32(0x38000000u)
#define MAILBOX_VALUE  0x600DF00Du

void uart_init(void);   /* CM7: owns USART3 (115200 baud at the 64 MHz HSI) */
void uart_attach(void); /* CM4: waits until the CM7 has the transmitter on */
void uart_puts(const char *s);
void uart_puthex(uint32_t v);
