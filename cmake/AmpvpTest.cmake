# AmpvpTest.cmake: register a CTest test that boots firmware on an ampvp machine.
#
#   find_package(ampvp 0.1 REQUIRED)      # or: include(AmpvpTest) with ampvp on PATH
#   enable_testing()
#   ampvp_add_test(NAME <name>
#                  MACHINE <machine> | BOARD <board>    (one or both)
#                  IMAGES <core>=<file> [<core>=<file> ...] | <file>
#                  [EXPECT <regex> ...]       a console line must match each
#                  [EXPECT_NOT <regex> ...]   no console line may match any
#                  [EXPECT_ORDER]             EXPECT patterns in the order given
#                  [TIMEOUT <seconds>]        default 60
#                  [JUNIT <file>]             JUnit XML report (relative: to the build dir)
#                  [ARGS <arg> ...]           more `ampvp run` options
#                  [WORKING_DIRECTORY <dir>])
#
# IMAGES take generator expressions, e.g. cm7=$<TARGET_FILE:app_cm7>.  The test
# passes when `ampvp run` exits 0: every EXPECT seen, no EXPECT_NOT line, within
# TIMEOUT (with only EXPECT_NOT patterns, the run lasts TIMEOUT and passes if
# nothing forbidden was printed).  Console lines look like "[cm7] text"; write
# patterns as bracket arguments so CMake keeps backslashes: [=[^\[cm7\] done$]=].
# A pattern must not contain ';' (CMake's list separator): write \x3b instead.
# The CTest TIMEOUT property is set 30 s above TIMEOUT, so ampvp's own timeout
# (exit status 3, naming what was not seen) fires first.
include_guard(GLOBAL)

if(NOT AMPVP_EXECUTABLE)
  find_program(AMPVP_EXECUTABLE ampvp DOC "the ampvp virtual platform")
endif()

function(ampvp_add_test)
  cmake_parse_arguments(PARSE_ARGV 0 A "EXPECT_ORDER"
    "NAME;MACHINE;BOARD;TIMEOUT;JUNIT;WORKING_DIRECTORY" "IMAGES;EXPECT;EXPECT_NOT;ARGS")
  if(A_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "ampvp_add_test: unknown arguments: ${A_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT A_NAME)
    message(FATAL_ERROR "ampvp_add_test: NAME is required")
  endif()
  if(NOT A_MACHINE AND NOT A_BOARD)
    message(FATAL_ERROR "ampvp_add_test(${A_NAME}): MACHINE or BOARD is required")
  endif()
  if(NOT A_IMAGES)
    message(FATAL_ERROR "ampvp_add_test(${A_NAME}): IMAGES is required (e.g. cm7=app_cm7.elf)")
  endif()
  if(NOT AMPVP_EXECUTABLE)
    message(FATAL_ERROR "ampvp_add_test(${A_NAME}): ampvp not found (find_package(ampvp) or set AMPVP_EXECUTABLE)")
  endif()
  if(NOT DEFINED A_TIMEOUT)
    set(A_TIMEOUT 60)
  endif()
  if(NOT A_TIMEOUT MATCHES "^[0-9]+(\\.[0-9]+)?$" OR A_TIMEOUT EQUAL 0)
    message(FATAL_ERROR "ampvp_add_test(${A_NAME}): TIMEOUT wants a positive number of seconds, got '${A_TIMEOUT}'")
  endif()

  set(cmd "${AMPVP_EXECUTABLE}" run)
  if(A_MACHINE)
    list(APPEND cmd --machine "${A_MACHINE}")
  endif()
  if(A_BOARD)
    list(APPEND cmd --board "${A_BOARD}")
  endif()
  foreach(img IN LISTS A_IMAGES)
    list(APPEND cmd --image "${img}")
  endforeach()
  foreach(re IN LISTS A_EXPECT)
    list(APPEND cmd "--expect=${re}")
  endforeach()
  foreach(re IN LISTS A_EXPECT_NOT)
    list(APPEND cmd "--expect-not=${re}")
  endforeach()
  if(A_EXPECT_ORDER)
    list(APPEND cmd --expect-order)
  endif()
  list(APPEND cmd --timeout "${A_TIMEOUT}")
  if(A_JUNIT)
    cmake_path(ABSOLUTE_PATH A_JUNIT BASE_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}")
    list(APPEND cmd --junit "${A_JUNIT}" --junit-name "${A_NAME}")
  endif()
  list(APPEND cmd ${A_ARGS})

  if(A_WORKING_DIRECTORY)
    add_test(NAME "${A_NAME}" COMMAND ${cmd} WORKING_DIRECTORY "${A_WORKING_DIRECTORY}")
  else()
    add_test(NAME "${A_NAME}" COMMAND ${cmd})
  endif()
  string(REGEX REPLACE "\\..*" "" whole_seconds "${A_TIMEOUT}")
  math(EXPR ctest_timeout "${whole_seconds} + 31")
  set_tests_properties("${A_NAME}" PROPERTIES TIMEOUT "${ctest_timeout}" LABELS ampvp)
endfunction()
