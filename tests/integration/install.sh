#!/usr/bin/env bash
# `cmake --install` into a temporary prefix: the hub, the patched QEMU (a copy,
# not a link into the build cache), the machine and board descriptions and the
# CMake module land where docs/user-guide.md says; the installed ampvp, moved
# elsewhere and run with no build tree on any search path, finds its QEMU and
# machines next to itself and runs the hello demo.  Then the example firmware
# project (tests/example-project, copied out of the source tree) is configured
# in a clean build directory against that prefix, built with arm-none-eabi-gcc
# and its ampvp_add_test() tests run by CTest, as a user's CI would.
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
BUILD=$(dirname "$AMPVP")

cmake --install "$BUILD" --prefix "$TMP/prefix" >"$TMP/install.log" 2>&1 \
  || { cat "$TMP/install.log" >&2; fail "cmake --install failed"; }
for f in bin/ampvp libexec/ampvp/qemu-system-arm share/ampvp/machine/stm32h745.json \
         share/ampvp/machine/stm32h747.json share/ampvp/machine/boards/nucleo-h745zi-q.json \
         lib/cmake/ampvp/ampvpConfig.cmake lib/cmake/ampvp/ampvpConfigVersion.cmake \
         lib/cmake/ampvp/AmpvpTest.cmake; do
  [ -f "$TMP/prefix/$f" ] || fail "not installed: $f"
done
[ -L "$TMP/prefix/libexec/ampvp/qemu-system-arm" ] && fail "QEMU installed as a symlink into the cache"
[ -x "$TMP/prefix/libexec/ampvp/qemu-system-arm" ] || fail "installed QEMU not executable"
pass "installed layout: $(cd "$TMP/prefix" && find . -type f | wc -l) files"

# A relocated prefix, a clean environment: nothing points at the build tree.
mv "$TMP/prefix" "$TMP/moved"
P=$TMP/moved
CLEAN=(env -u AMPVP_QEMU -u AMPVP_MACHINE_PATH -u AMPVP -u FW PATH=/usr/bin:/bin)
"${CLEAN[@]}" "$P/bin/ampvp" run --help | grep -qF -- "--qemu TEXT=$P/libexec/ampvp/qemu-system-arm" \
  || fail "the installed ampvp's default QEMU is not its own"
"${CLEAN[@]}" "$P/bin/ampvp" run --machine nosuch --cm7 x.elf 2>"$TMP/err" >/dev/null
grep -qF "(looked in $P/share/ampvp/machine;" "$TMP/err" || { cat "$TMP/err" >&2; fail "machine search path"; }
"${CLEAN[@]}" "$P/bin/ampvp" boards | grep -q '^nucleo-h745zi-q' || fail "installed boards not listed"
: >"$TMP/out"; : >"$TMP/err"
"${CLEAN[@]}" "$P/bin/ampvp" run --machine stm32h745 --cm7 "$FW/hello_cm7.elf" --cm4 "$FW/hello_cm4.elf" \
  --timeout 60 --expect '^\[cm7\] CM7 done$' --expect '^\[cm4\] CM4 done$' >"$TMP/out" 2>"$TMP/err" &
RUN_PID=$!
wait $RUN_PID; rc=$?
[ $rc = 0 ] || { cat "$TMP/out" "$TMP/err" >&2; fail "hello from the installed prefix: status $rc"; }
assert_clean $RUN_PID
pass "installed ampvp (prefix moved, clean environment) runs the hello demo with its own QEMU"

# The example project, standalone: copied out of the tree, clean build directory.
cp -r "$SRC/tests/example-project" "$TMP/example-src"
"${CLEAN[@]}" cmake -S "$TMP/example-src" -B "$TMP/example" -G Ninja \
  -DCMAKE_TOOLCHAIN_FILE="$TMP/example-src/cmake/arm-none-eabi.cmake" \
  -DCMAKE_PREFIX_PATH="$P" >"$TMP/configure.log" 2>&1 \
  || { cat "$TMP/configure.log" >&2; fail "example project: configure failed"; }
grep -qxF "ampvp_DIR:PATH=$P/lib/cmake/ampvp" "$TMP/example/CMakeCache.txt" \
  || { grep ampvp_DIR "$TMP/example/CMakeCache.txt" >&2; fail "find_package(ampvp) did not find the prefix"; }
"${CLEAN[@]}" cmake --build "$TMP/example" >"$TMP/build.log" 2>&1 \
  || { cat "$TMP/build.log" >&2; fail "example project: build failed"; }
readelf -h "$TMP/example/app_cm7.elf" | grep -qE "Machine: +ARM$" || fail "app_cm7.elf is not an Arm ELF"
"${CLEAN[@]}" ctest --test-dir "$TMP/example" --output-on-failure >"$TMP/ctest.log" 2>&1 \
  || { cat "$TMP/ctest.log" >&2; fail "example project: ctest failed"; }
grep -q "100% tests passed, 0 tests failed out of 2" "$TMP/ctest.log" || { cat "$TMP/ctest.log" >&2; fail "ctest summary"; }
grep -qF "$P/bin/ampvp" "$TMP/example/CTestTestfile.cmake" || fail "the tests do not run the installed ampvp"
xmllint --noout --schema "$HERE/junit.xsd" "$TMP/example/example-boot.xml" 2>/dev/null \
  || fail "the example's JUnit report does not validate"
grep -q '<testsuite name="example.boot_both_cores"' "$TMP/example/example-boot.xml" \
  || fail "the JUnit suite is not named after the test"
pass "example project: built standalone, 2 ampvp_add_test() tests passed under CTest, JUnit report valid"

# A failing test is a failing CTest test: a pattern the firmware never prints.
cat >>"$TMP/example-src/CMakeLists.txt" <<'CMAKE'
ampvp_add_test(NAME example.must_fail MACHINE stm32h745
  IMAGES cm7=$<TARGET_FILE:app_cm7> EXPECT [=[never printed]=] TIMEOUT 1)
CMAKE
"${CLEAN[@]}" cmake "$TMP/example" >/dev/null 2>&1 || fail "reconfigure failed"
"${CLEAN[@]}" ctest --test-dir "$TMP/example" -R must_fail >"$TMP/ctest.log" 2>&1 \
  && { cat "$TMP/ctest.log" >&2; fail "a test whose pattern never appears passed"; }
grep -q "0% tests passed, 1 tests failed out of 1" "$TMP/ctest.log" || { cat "$TMP/ctest.log" >&2; fail "must_fail"; }
pass "a pattern never printed fails its CTest test"
