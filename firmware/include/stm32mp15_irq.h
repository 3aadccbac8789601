/*
 * stm32mp15_irq.h - STM32MP15 Cortex-M4 NVIC interrupt numbers (RM0436 "MCU interrupt
 * mapping"; the same numbering as ST's CMSIS IRQn_Type for the M4).
 *
 * One list, STM32MP15_IRQ_LIST(X), expands X(number, name) for every peripheral
 * interrupt 0..149; startup.c derives the weak NAME_IRQHandler symbols and the vector
 * table (16 + 150 entries = 0x298 bytes, the size of ST's m_interrupts region) from it.
 * Slots not listed (4, 99, 143, 148) are reserved and hold 0.
 *
 * IPCC: IPCC_RX0/TX0 (100/101) are processor 1's RX-occupied and TX-free lines,
 * IPCC_RX1/TX1 (103/104) processor 2's (the M4's own). ampvp's "mpu" core of the
 * stm32mp157-2m machine (processor 1) takes 100/101 on the same numbers, so both kinds
 * of MP15 image share this table.
 */
#ifndef AMPVP_STM32MP15_IRQ_H
#define AMPVP_STM32MP15_IRQ_H

#define STM32MP15_IRQ_COUNT 150

#define STM32MP15_IRQ_LIST(X) \
    X(0, WWDG1) X(1, PVD_AVD) X(2, TAMP) X(3, RTC_WKUP_ALARM) X(5, RCC) \
    X(6, EXTI0) X(7, EXTI1) X(8, EXTI2) X(9, EXTI3) X(10, EXTI4) \
    X(11, DMA1_Stream0) X(12, DMA1_Stream1) X(13, DMA1_Stream2) X(14, DMA1_Stream3) \
    X(15, DMA1_Stream4) X(16, DMA1_Stream5) X(17, DMA1_Stream6) X(18, ADC1) \
    X(19, FDCAN1_IT0) X(20, FDCAN2_IT0) X(21, FDCAN1_IT1) X(22, FDCAN2_IT1) \
    X(23, EXTI5) X(24, TIM1_BRK) X(25, TIM1_UP) X(26, TIM1_TRG_COM) X(27, TIM1_CC) \
    X(28, TIM2) X(29, TIM3) X(30, TIM4) X(31, I2C1_EV) X(32, I2C1_ER) X(33, I2C2_EV) \
    X(34, I2C2_ER) X(35, SPI1) X(36, SPI2) X(37, USART1) X(38, USART2) X(39, USART3) \
    X(40, EXTI10) X(41, RTC_TIMESTAMP) X(42, EXTI11) X(43, TIM8_BRK) X(44, TIM8_UP) \
    X(45, TIM8_TRG_COM) X(46, TIM8_CC) X(47, DMA1_Stream7) X(48, FMC) X(49, SDMMC1) \
    X(50, TIM5) X(51, SPI3) X(52, UART4) X(53, UART5) X(54, TIM6) X(55, TIM7) \
    X(56, DMA2_Stream0) X(57, DMA2_Stream1) X(58, DMA2_Stream2) X(59, DMA2_Stream3) \
    X(60, DMA2_Stream4) X(61, ETH1) X(62, ETH1_WKUP) X(63, FDCAN_CAL) \
    X(64, EXTI6) X(65, EXTI7) X(66, EXTI8) X(67, EXTI9) \
    X(68, DMA2_Stream5) X(69, DMA2_Stream6) X(70, DMA2_Stream7) X(71, USART6) \
    X(72, I2C3_EV) X(73, I2C3_ER) X(74, USBH_OHCI) X(75, USBH_EHCI) X(76, EXTI12) \
    X(77, EXTI13) X(78, DCMI) X(79, CRYP1) X(80, HASH1) X(81, FPU) X(82, UART7) \
    X(83, UART8) X(84, SPI4) X(85, SPI5) X(86, SPI6) X(87, SAI1) X(88, LTDC) \
    X(89, LTDC_ER) X(90, ADC2) X(91, SAI2) X(92, QUADSPI) X(93, LPTIM1) X(94, CEC) \
    X(95, I2C4_EV) X(96, I2C4_ER) X(97, SPDIF_RX) X(98, OTG) \
    X(100, IPCC_RX0) X(101, IPCC_TX0) X(102, DMAMUX1_OVR) X(103, IPCC_RX1) \
    X(104, IPCC_TX1) X(105, CRYP2) X(106, HASH2) X(107, I2C5_EV) X(108, I2C5_ER) \
    X(109, GPU) X(110, DFSDM1_FLT0) X(111, DFSDM1_FLT1) X(112, DFSDM1_FLT2) \
    X(113, DFSDM1_FLT3) X(114, SAI3) X(115, DFSDM1_FLT4) X(116, TIM15) X(117, TIM16) \
    X(118, TIM17) X(119, TIM12) X(120, MDIOS) X(121, EXTI14) X(122, MDMA) X(123, DSI) \
    X(124, SDMMC2) X(125, HSEM_IT2) X(126, DFSDM1_FLT5) X(127, EXTI15) \
    X(128, nCTIIRQ1) X(129, nCTIIRQ2) X(130, TIM13) X(131, TIM14) X(132, DAC) \
    X(133, RNG1) X(134, RNG2) X(135, I2C6_EV) X(136, I2C6_ER) X(137, SDMMC3) \
    X(138, LPTIM2) X(139, LPTIM3) X(140, LPTIM4) X(141, LPTIM5) X(142, ETH1_LPI) \
    X(144, MPU_SEV) X(145, RCC_WAKEUP) X(146, SAI4) X(147, DTS) X(149, WAKEUP_PIN)

#define STM32MP15_IRQ_ENUM_ENTRY(n, name) name##_IRQn = (n),
enum stm32mp15_irqn {
    STM32MP15_IRQ_LIST(STM32MP15_IRQ_ENUM_ENTRY)
};
#undef STM32MP15_IRQ_ENUM_ENTRY

#endif /* AMPVP_STM32MP15_IRQ_H */
