#!/usr/bin/env bash
# Runs the Windows build of hvrdoctor under wine: the binary itself against
# loopback servers (compared with the Linux build's verdicts by
# internal/winecheck), then the Windows unit tests (GOOS=windows go test
# -exec wine). .ci/run calls it after the Linux tests. Run as root (or with
# sudo available): it installs wine, wine64 and the mingw cross compiler
# when missing.
#
# Wine 8 lacks bcryptprimitives.dll, which Go 1.26's runtime loads at
# start: scripts/windows/processprng.c is our own stand-in, built here and
# copied into a fresh prefix's System32. scripts/windows/netsh.c is a
# stand-in netsh.exe (wine's prints nothing) that drives the WinHTTP proxy
# path. See docs/windows-under-wine.md for what wine can and cannot prove.
#
# Ends with one line "windows: N passed, N failed" and exits non-zero on
# any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS

sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"

# --- packages ---------------------------------------------------------------
packages=(wine wine64 gcc-mingw-w64-x86-64)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "windows: installing ${missing[*]}"
  # Wait for another apt-get or dpkg (up to 10 min) instead of failing.
  apt=($sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -y -qq)
  if ! "${apt[@]}" install --no-install-recommends "${missing[@]}" >/dev/null; then
    "${apt[@]}" update
    "${apt[@]}" install --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

# --- a prefix of our own ----------------------------------------------------
work=$(mktemp -d /tmp/hvrdoctor-wine.XXXXXX)
export WINEPREFIX="$work/prefix" WINEARCH=win64 WINEDEBUG=-all
# Headless whatever the CI machine has: no window may open.
unset DISPLAY WAYLAND_DISPLAY
cleanup() {
  # End this prefix's wineserver (and the wine processes it serves) only.
  [ -d "$WINEPREFIX" ] && WINEPREFIX="$WINEPREFIX" wineserver -k 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

x86_64-w64-mingw32-gcc -O2 -Wall -Werror -shared -Wl,--kill-at \
  -o "$work/bcryptprimitives.dll" scripts/windows/processprng.c
x86_64-w64-mingw32-gcc -O2 -Wall -Werror -o "$work/netsh.exe" scripts/windows/netsh.c

# Keep this prefix's wineserver up between programs (each wine start
# would otherwise pay for a new one, about 2 s); cleanup ends it.
mkdir -p "$WINEPREFIX"
wineserver -p || true
# No Mono or Gecko: nothing here needs .NET or a browser engine, and
# without them wineboot neither asks nor downloads.
WINEDLLOVERRIDES="mscoree,mshtml=" timeout 300 wineboot -i >"$work/wineboot.log" 2>&1 || {
  echo "windows: wineboot -i failed:"; tail -20 "$work/wineboot.log"; exit 1; }
sys32="$WINEPREFIX/drive_c/windows/system32"
[ -d "$sys32" ] || { echo "windows: wineboot made no $sys32"; exit 1; }
cp "$work/bcryptprimitives.dll" "$sys32/"
# Replaces wine's own netsh.exe only where WINEDLLOVERRIDES=netsh.exe=n.
cp "$work/netsh.exe" "$sys32/netsh.exe"
echo "windows: prefix ready ($((SECONDS - started)) s)"

# --- the binary -------------------------------------------------------------
GOOS=windows GOARCH=amd64 go build -o "$work/hvrdoctor.exe" .
go build -o "$work/hvrdoctor" .
go build -o "$work/winecheck" ./internal/winecheck
# winconsole's tests, run once more on a console of their own (script(1)).
GOOS=windows GOARCH=amd64 go test -c -o "$work/winconsole.test.exe" ./internal/winconsole
if ! out=$(timeout 120 wine "$work/hvrdoctor.exe" --version 2>&1) || [[ "$out" != hvrdoctor* ]]; then
  echo "windows: hvrdoctor.exe --version under wine failed: $out"
  exit 1
fi
echo "windows: $out starts under $(wine --version)"

passed=0 failed=0
set +e
"$work/winecheck" -linux "$work/hvrdoctor" -windows "$work/hvrdoctor.exe" \
  -console-test "$work/winconsole.test.exe" | tee "$work/winecheck.log"
wc_status=${PIPESTATUS[0]}
set -e
if line=$(grep -E '^winecheck: [0-9]+ passed, [0-9]+ failed$' "$work/winecheck.log"); then
  read -r _ p _ f _ <<<"$line"
  passed=$((passed + p)); failed=$((failed + ${f%,}))
  [ "$wc_status" -eq 0 ] || [ "${f%,}" -gt 0 ] || failed=$((failed + 1))
else
  echo "windows: winecheck ended without its summary (exit $wc_status)"
  failed=$((failed + 1))
fi

# --- the unit tests under wine ----------------------------------------------
# Packages whose tests run under wine (the list is shared with
# internal/winecheck's tests).
test_packages=()
while read -r pkg; do
  case "$pkg" in ''|'#'*) continue ;; '?'*) pkg=${pkg#\?}; [ -d "$pkg" ] || continue ;; esac
  test_packages+=("$pkg")
done < scripts/windows/test-packages.txt
# Packages not run under wine, and why.
not_run=(
  "probes/lab probes/lab/labtest|they start Linux programs (squid, krb5kdc, slapd, mitmproxy)"
)
# Tests skipped under wine by name: package|TestName|reason.
skips=(
  "sampler/analysis|TestExpandPathsReadsEachFileOnce|wine 8's symbolic links (os.Symlink) cannot be opened through"
)
for entry in "${not_run[@]}"; do echo "windows: not run under wine: ${entry%%|*}: ${entry#*|}"; done

# The packages run side by side (as many as there are CPUs: wine and the
# Go builds share them), each into its own log; the results are read in
# the list's order below.
par=$(nproc 2>/dev/null || echo 2)
for pkg in "${test_packages[@]}"; do
  names=()
  for entry in "${skips[@]}"; do
    IFS='|' read -r spkg name reason <<<"$entry"
    [ "$spkg" = "$pkg" ] || continue
    # A stale entry (the test was renamed or removed) is an error, so the
    # list never hides a test silently.
    if ! grep -qE "^func $name\(" "$pkg"/*_test.go; then
      echo "windows: skip list names $pkg.$name, which does not exist: update scripts/test-windows.sh"
      failed=$((failed + 1))
      continue
    fi
    echo "windows: skipped under wine: $pkg.$name: $reason"
    names+=("$name")
  done
  skip_args=()
  if [ ${#names[@]} -gt 0 ]; then
    skip_args=(-skip "^($(IFS='|'; echo "${names[*]}"))\$")
  fi
  log="$work/test-${pkg//\//_}.log"
  while [ "$(jobs -rp | wc -l)" -ge "$par" ]; do wait -n || true; done
  # Tests that need Linux components skip with their reason (not fail):
  # the Linux run above is where they must run.
  (
    set +e
    env -u HVRDOCTOR_REQUIRE_INTEGRATION GOOS=windows GOARCH=amd64 \
      go test -count=1 -timeout 10m -v -exec wine "${skip_args[@]}" "./$pkg" >"$log" 2>&1
    echo $? >"$log.rc"
  ) &
done
wait

for pkg in "${test_packages[@]}"; do
  log="$work/test-${pkg//\//_}.log"
  status=$(cat "$log.rc" 2>/dev/null || echo 1)
  p=$(grep -cE '^--- PASS: ' "$log" || true)
  f=$(grep -cE '^--- FAIL: ' "$log" || true)
  s=$(grep -cE '^--- SKIP: ' "$log" || true)
  passed=$((passed + p)); failed=$((failed + f))
  if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
    failed=$((failed + 1)) # build failure, panic or timeout
  fi
  printf 'windows: go test %-18s %3d passed, %d failed, %d skipped\n' "$pkg" "$p" "$f" "$s"
  # Skips inside the tests (a missing component, a Windows API that is a
  # stub under wine) are listed with their reasons.
  awk '/^--- SKIP: /{sub(/^ +/, "", last); print "windows:   skipped " $3 ": " last} /^    /{last=$0}' "$log"
  if [ "$status" -ne 0 ]; then
    grep -E '^(--- FAIL|panic|FAIL|#)|^    ' "$log" | head -60
    if grep -q 'TempDir RemoveAll cleanup' "$log"; then
      echo "windows: hint: use testutil.TempDir(t) instead of t.TempDir() in tests that run under wine"
    fi
  fi
done

echo "windows: took $((SECONDS - started)) s"
echo "windows: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
