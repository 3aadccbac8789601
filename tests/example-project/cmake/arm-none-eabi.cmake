# Toolchain file for Debian's gcc-arm-none-eabi (bare metal).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY) # no linker script for a test program
set(CMAKE_EXECUTABLE_SUFFIX_C .elf)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
# Packages are left at the default (BOTH): find_package(ampvp) looks for a
# host tool.  With CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY, pass -Dampvp_DIR=<prefix>/lib/cmake/ampvp.
