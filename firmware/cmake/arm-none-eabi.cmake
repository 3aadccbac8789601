# CMake toolchain file for Debian's bare-metal Arm toolchain
# (packages gcc-arm-none-eabi, binutils-arm-none-eabi, libnewlib-arm-none-eabi).
#
#   cmake -S firmware -B build/firmware \
#         -DCMAKE_TOOLCHAIN_FILE=firmware/cmake/arm-none-eabi.cmake -G Ninja
#
# Only the tools are chosen here. CPU flags (-mcpu/-mfpu/-mfloat-abi) differ per
# core (Cortex-M7 vs Cortex-M4) and are set per target in firmware/CMakeLists.txt.
# ARM_NONE_EABI_PREFIX may point at another toolchain (e.g. /opt/gcc-arm/bin/arm-none-eabi-).

set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)

if(NOT DEFINED ARM_NONE_EABI_PREFIX)
  set(ARM_NONE_EABI_PREFIX "arm-none-eabi-")
endif()

set(CMAKE_C_COMPILER   "${ARM_NONE_EABI_PREFIX}gcc")
set(CMAKE_ASM_COMPILER "${ARM_NONE_EABI_PREFIX}gcc")
set(CMAKE_OBJCOPY      "${ARM_NONE_EABI_PREFIX}objcopy" CACHE FILEPATH "objcopy")
set(CMAKE_OBJDUMP      "${ARM_NONE_EABI_PREFIX}objdump" CACHE FILEPATH "objdump")
set(CMAKE_SIZE         "${ARM_NONE_EABI_PREFIX}size"    CACHE FILEPATH "size")

# The compiler cannot link a hosted test program without our linker script.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(CMAKE_EXECUTABLE_SUFFIX_C ".elf")
set(CMAKE_EXECUTABLE_SUFFIX_ASM ".elf")

# Never pick up host libraries or headers.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
