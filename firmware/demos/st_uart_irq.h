/*
 * st_uart_irq.h - the error part of ST's HAL_UART_IRQHandler, shared by the demos that
 * drive USART3 by interrupts the HAL way (uart_it_cm7.c, uart_wakeup_stop_cm7.c).
 *
 * HAL: with any of PE/FE/ORE/NE/RTOF set and an error-capable interrupt enabled
 * (CR3 RXFTIE/EIE or CR1 RXNEIE(RXFNEIE)/PEIE/RTOIE), clear each flag whose interrupt is
 * enabled (PE with PEIE; FE and NE with EIE; ORE with RXNEIE, RXFTIE or EIE) with one
 * write of ICR, and report the cleared flags as the handle's error code.
 */
#ifndef ST_UART_IRQ_H
#define ST_UART_IRQ_H

#include <stdint.h>

#include "stm32h745_regs.h"

#define ST_UART_ISR_ERRORS \
    (USART_ISR_PE | USART_ISR_FE | USART_ISR_ORE | USART_ISR_NE | USART_ISR_RTOF)

/* 1 when the HAL's error branch applies to this ISR/CR1/CR3 snapshot. */
static inline int st_uart_error_branch(uint32_t isr, uint32_t cr1, uint32_t cr3)
{
    return (isr & ST_UART_ISR_ERRORS) != 0u &&
           ((cr3 & (USART_CR3_RXFTIE | USART_CR3_EIE)) ||
            (cr1 & (USART_CR1_RXNEIE | USART_CR1_PEIE | USART_CR1_RTOIE)));
}

/* Clear the enabled error flags through ICR; returns the ICR bits written. */
static inline uint32_t st_uart_clear_errors(struct stm32_usart *u, uint32_t isr, uint32_t cr1,
                                            uint32_t cr3)
{
    uint32_t clear = 0u;
    if ((isr & USART_ISR_PE) && (cr1 & USART_CR1_PEIE)) {
        clear |= USART_ICR_PECF;
    }
    if ((isr & USART_ISR_FE) && (cr3 & USART_CR3_EIE)) {
        clear |= USART_ICR_FECF;
    }
    if ((isr & USART_ISR_NE) && (cr3 & USART_CR3_EIE)) {
        clear |= USART_ICR_NECF;
    }
    if ((isr & USART_ISR_ORE) && ((cr1 & USART_CR1_RXNEIE) || (cr3 & (USART_CR3_RXFTIE | USART_CR3_EIE)))) {
        clear |= USART_ICR_ORECF;
    }
    u->ICR = clear;
    return clear;
}

#endif /* ST_UART_IRQ_H */
