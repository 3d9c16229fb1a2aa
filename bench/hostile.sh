#!/usr/bin/env bash
# What hostile requests cost a fresh `waflows serve` (memory, CPU, response sizes): builds the server
# and runs bench/hostile against it, one fresh server per scenario. Linux only (reads /proc).
# Usage: bash bench/hostile.sh   Environment: BIN (measure this waflows binary instead of building one),
#        SCENARIOS (default stalled,validation,errors,bodies).
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin=${BIN:-}
if [ -z "$bin" ]; then
	go build -o "$work/waflows" ./cmd/waflows
	bin="$work/waflows"
fi
go build -o "$work/hostile" ./bench/hostile
"$work/hostile" --bin "$bin" --scenario "${SCENARIOS:-stalled,validation,errors,bodies}"
