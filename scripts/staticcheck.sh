#!/usr/bin/env bash
# staticcheck at a pinned version, over the code of every OS hvrdoctor
# builds for: each OS's findings are written in staticcheck's binary form
# and merged, so code used only on Windows (or only on Linux) is not
# reported as unused, and a finding on any OS fails. .ci/run runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
# staticcheck 2026.2.2, which supports Go 1.26. Bump it deliberately: a new
# release may bring new checks.
version=v0.8.2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# One build of the pinned staticcheck for this machine; 'go run ...@v'
# would build it for GOOS, which cannot run here for windows.
GOBIN="$work" GOOS= GOARCH= go install "honnef.co/go/tools/cmd/staticcheck@$version"
for os in linux windows darwin; do
  GOOS=$os "$work/staticcheck" -f binary ./... >"$work/$os.bin"
done
"$work/staticcheck" -merge "$work/linux.bin" "$work/windows.bin" "$work/darwin.bin"
echo "staticcheck $version: clean (linux, windows, darwin)"
