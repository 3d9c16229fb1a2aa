#!/usr/bin/env bash
# Loopback HTTP throughput of waflows against a bare Echo handler returning the same bytes, in one run.
# The servers are pinned to CPU 0 and wrk to CPU 1 (taskset). Usage: bash bench/http.sh
# Environment: DURATION (default 10s), CONNECTIONS (32), FLOWS (flows in the listed account, default 1000),
#              LOG (waflows --log value, default text: request logs on, written to /dev/null).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
FLOWS=${FLOWS:-1000}
LOG=${LOG:-text}
PORT_WAFLOWS=18180
PORT_BARE=18181

if ! command -v wrk >/dev/null; then
	echo "wrk is missing; installing it from Debian's packages" >&2
	if [ "$(id -u)" = 0 ]; then apt-get install -y wrk >/dev/null || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
	else sudo apt-get install -y wrk >/dev/null; fi
fi
command -v taskset >/dev/null || { echo "taskset (util-linux) is required" >&2; exit 1; }
if [ "$(nproc)" -lt 2 ]; then echo "need at least 2 CPUs to pin server and wrk apart" >&2; exit 1; fi

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

go build -o "$work/waflows" ./cmd/waflows
go build -o "$work/bareecho" ./bench/bareecho

cat >"$work/access.yaml" <<YAML
business_accounts:
  - id: "102290129340398"
    name: "Bench account"
tokens:
  - token: "bench-token"
    business_accounts: ["102290129340398"]
YAML
WABA=102290129340398
AUTH="Authorization: Bearer bench-token"
BASE="http://127.0.0.1:$PORT_WAFLOWS/v21.0"

taskset -c 0 "$work/waflows" serve --addr "127.0.0.1:$PORT_WAFLOWS" --db "$work/db/waflows.db" \
	--config "$work/access.yaml" --log "$LOG" >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT_WAFLOWS/healthz" >/dev/null && break; sleep 0.1; done

echo "seeding $FLOWS flows..." >&2
for i in $(seq "$FLOWS"); do
	printf '{"name":"bench flow %05d","categories":["SURVEY","OTHER"]}\n' "$i"
done | while read -r body; do
	curl -sf -H "$AUTH" -H 'Content-Type: application/json' -d "$body" "$BASE/$WABA/flows" >/dev/null
done
FLOW_ID=$(curl -sf -H "$AUTH" "$BASE/$WABA/flows?limit=1" | sed -E 's/.*"id":"([0-9]+)".*/\1/')
curl -sf -H "$AUTH" "$BASE/$FLOW_ID" >"$work/flow.json"
curl -sf -H "$AUTH" "$BASE/$WABA/flows" >"$work/list.json"

taskset -c 0 "$work/bareecho" --addr "127.0.0.1:$PORT_BARE" --flow "$work/flow.json" --list "$work/list.json" &
pids+=($!)
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT_BARE/v21.0/1" >/dev/null && break; sleep 0.1; done

rps() { # url -> requests/sec
	taskset -c 1 wrk -t2 -c"$CONNECTIONS" -d"$DURATION" -H "$AUTH" "$1" | awk '/Requests\/sec/ {print $2}'
}
latency() { awk '/Latency/ {print $2}'; }

echo "warming up..." >&2
taskset -c 1 wrk -t2 -c"$CONNECTIONS" -d2s -H "$AUTH" "$BASE/$FLOW_ID" >/dev/null
taskset -c 1 wrk -t2 -c"$CONNECTIONS" -d2s -H "$AUTH" "http://127.0.0.1:$PORT_BARE/v21.0/$FLOW_ID" >/dev/null

bare_get=$(rps "http://127.0.0.1:$PORT_BARE/v21.0/$FLOW_ID")
wf_get=$(rps "$BASE/$FLOW_ID")
bare_list=$(rps "http://127.0.0.1:$PORT_BARE/v21.0/$WABA/flows")
wf_list=$(rps "$BASE/$WABA/flows")

printf '\nwrk -t2 -c%s -d%s; servers on CPU 0, wrk on CPU 1; %s flows stored; waflows --log %s\n' "$CONNECTIONS" "$DURATION" "$FLOWS" "$LOG"
printf '%-28s %14s %14s %8s %8s\n' "request" "bare Echo r/s" "waflows r/s" "ratio" "target"
awk -v b="$bare_get" -v w="$wf_get" 'BEGIN { printf "%-28s %14.0f %14.0f %7.0f%% %8s\n", "GET /{flow-id}", b, w, 100*w/b, ">=50%" }'
awk -v b="$bare_list" -v w="$wf_list" 'BEGIN { printf "%-28s %14.0f %14.0f %7.0f%% %8s\n", "GET /{waba-id}/flows (25)", b, w, 100*w/b, ">=30%" }'
