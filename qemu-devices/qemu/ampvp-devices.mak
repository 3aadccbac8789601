# ampvp: device config for the minimal qemu-system-arm build.
# scripts/build-qemu copies this over configs/devices/arm-softmmu/default.mak in the build tree
# (configured with --without-default-devices): only our machine; Kconfig adds what it selects.
CONFIG_AMPVP=y
