# run_mps2.cmake - run one mps2-an500 image on the host's stock qemu-system-arm and
# check that it printed EXPECT and left through semihosting SYS_EXIT with status 0.
#   cmake -DQEMU=/usr/bin/qemu-system-arm -DELF=x.elf -DEXPECT=text -P run_mps2.cmake
foreach(v QEMU ELF EXPECT)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "run_mps2.cmake: -D${v}=... is required")
  endif()
endforeach()
string(TIMESTAMP t0 "%s")
execute_process(
  COMMAND ${QEMU} -M mps2-an500 -nographic -semihosting -kernel ${ELF}
  INPUT_FILE /dev/null
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err
  RESULT_VARIABLE rc
  TIMEOUT 290)
string(TIMESTAMP t1 "%s")
math(EXPR dt "${t1} - ${t0}")
message(STATUS "${ELF}: exit=${rc} after ~${dt} s\n${out}${err}")
if(NOT rc STREQUAL "0")
  message(FATAL_ERROR "QEMU exit status ${rc} (expected 0 from SYS_EXIT ADP_Stopped_ApplicationExit)")
endif()
string(FIND "${out}" "${EXPECT}" pos)
if(pos EQUAL -1)
  message(FATAL_ERROR "output lacks '${EXPECT}'")
endif()
