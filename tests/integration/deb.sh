#!/usr/bin/env bash
# CPack's .deb (what scripts/package makes): its control data names the
# package and the Debian 12 runtime libraries the hub and the patched QEMU
# need (found by dpkg-shlibdeps); its contents are the installed layout under
# /usr; unpacked (not installed: dpkg-deb -x into a temporary root), its ampvp
# finds its own QEMU and machines and runs the hello demo.
. "$(dirname "$0")/lib.sh"
BUILD=$(dirname "$AMPVP")

cpack --config "$BUILD/CPackConfig.cmake" -G DEB -B "$TMP/pkg" >"$TMP/cpack.log" 2>&1 \
  || { cat "$TMP/cpack.log" >&2; fail "cpack -G DEB failed"; }
deb=$(ls "$TMP"/pkg/ampvp_*.deb)
[ -f "$deb" ] || fail "no .deb made"

dpkg-deb -I "$deb" >"$TMP/info"
for field in 'Package: ampvp' 'Architecture: amd64' 'Section: devel' 'Maintainer: '; do
  grep -q "^ $field" "$TMP/info" || { cat "$TMP/info" >&2; fail "control: no '$field'"; }
done
depends=$(grep '^ Depends:' "$TMP/info")
names=$(sed 's/^ Depends: //; s/ ([^)]*)//g; s/, */\n/g' <<<"$depends")
for lib in libc6 libstdc++6 libelf1 libglib2.0-0 libpixman-1-0 libfdt1 zlib1g; do
  grep -qxF "$lib" <<<"$names" || fail "Depends lacks $lib: $depends"
done
pass "control: $depends"

dpkg-deb -c "$deb" | awk '{print $NF}' >"$TMP/contents"
for f in ./usr/bin/ampvp ./usr/libexec/ampvp/qemu-system-arm ./usr/share/ampvp/machine/stm32h745.json \
         ./usr/share/ampvp/machine/boards/nucleo-h745zi-q.json ./usr/lib/cmake/ampvp/ampvpConfig.cmake \
         ./usr/lib/cmake/ampvp/ampvpConfigVersion.cmake ./usr/lib/cmake/ampvp/AmpvpTest.cmake \
         ./usr/share/doc/ampvp/user-guide.md; do
  grep -qxF "$f" "$TMP/contents" || { cat "$TMP/contents" >&2; fail "the .deb lacks $f"; }
done
stray=$(grep -vE '^\./usr/(bin|libexec|share|lib)(/|$)|^\./(usr/)?$' "$TMP/contents" || true)
[ -z "$stray" ] || fail "files outside /usr/{bin,libexec,share,lib}: $stray"
pass "contents: $(grep -vc '/$' "$TMP/contents") files under /usr"

mkdir "$TMP/root"
dpkg-deb -x "$deb" "$TMP/root"
A=$TMP/root/usr/bin/ampvp
env -u AMPVP_QEMU -u AMPVP_MACHINE_PATH PATH=/usr/bin:/bin "$A" run --machine stm32h745 \
  --cm7 "$FW/hello_cm7.elf" --cm4 "$FW/hello_cm4.elf" --timeout 60 \
  --expect '^\[cm7\] CM7 done$' --expect '^\[cm4\] CM4 done$' >"$TMP/out" 2>"$TMP/err" &
RUN_PID=$!
wait $RUN_PID; rc=$?
[ $rc = 0 ] || { cat "$TMP/out" "$TMP/err" >&2; fail "the packaged ampvp: status $rc"; }
assert_clean $RUN_PID
pass "the unpacked package runs the hello demo ($(du -h "$deb" | cut -f1) .deb)"
