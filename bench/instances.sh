#!/usr/bin/env bash
# Throughput of GET /{flow-id} and a list page of 25: one waflows instance on SQLite versus two instances
# on one PostgreSQL database, on the same machine in the same run. Servers are pinned to CPU 0 and wrk to
# CPU 1 (PostgreSQL itself is not pinned). For two instances, two wrk processes (one per instance, half the
# connections each) run at once and their rates are added.
# Usage: bash bench/instances.sh   Environment: DURATION (10s), CONNECTIONS (32), FLOWS (1000),
#        WAFLOWS_BENCH_POSTGRES_DSN (default postgres://postgres@127.0.0.1:5432/test?sslmode=disable).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
FLOWS=${FLOWS:-1000}
DSN=${WAFLOWS_BENCH_POSTGRES_DSN:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}

command -v wrk >/dev/null || { echo "wrk is missing: run make bench-http once, or apt-get install wrk" >&2; exit 1; }
pg_isready -q -h 127.0.0.1 -p 5432 || { echo "PostgreSQL is not running on 127.0.0.1:5432" >&2; exit 1; }

work=$(mktemp -d)
schema="waflows_bench_$$"
pids=()
stop() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; pids=(); }
cleanup() { stop; psql -q "$DSN" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

go build -o "$work/waflows" ./cmd/waflows
cat >"$work/access.yaml" <<YAML
business_accounts:
  - id: "102290129340398"
    name: "Bench account"
tokens:
  - token: "bench-token"
    business_accounts: ["102290129340398"]
signing_key: "bench-signing-key-shared-by-every-instance-0123456789"
YAML
WABA=102290129340398
AUTH="Authorization: Bearer bench-token"

start() { # port db
	taskset -c 0 "$work/waflows" serve --addr "127.0.0.1:$1" --db "$2" --config "$work/access.yaml" --log off >/dev/null 2>&1 &
	pids+=($!)
	for _ in $(seq 100); do curl -sf "http://127.0.0.1:$1/healthz" >/dev/null && return; sleep 0.1; done
	echo "server on port $1 did not start" >&2; exit 1
}
seed() { # port
	for i in $(seq "$FLOWS"); do printf '{"name":"bench flow %05d","categories":["SURVEY","OTHER"]}\n' "$i"; done |
		while read -r body; do curl -sf -H "$AUTH" -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$1/v21.0/$WABA/flows" >/dev/null; done
	curl -sf -H "$AUTH" "http://127.0.0.1:$1/v21.0/$WABA/flows?limit=1" | sed -E 's/.*"id":"([0-9]+)".*/\1/'
}
rate() { awk '/Requests\/sec/ {printf "%.0f\n", $2}'; }
one() { taskset -c 1 wrk -t2 -c"$CONNECTIONS" -d"$DURATION" -H "$AUTH" "$1" | rate; }
two() { # url1 url2: two wrk at once, rates added
	taskset -c 1 wrk -t1 -c$((CONNECTIONS / 2)) -d"$DURATION" -H "$AUTH" "$1" >"$work/a" &
	local a=$!
	taskset -c 1 wrk -t1 -c$((CONNECTIONS / 2)) -d"$DURATION" -H "$AUTH" "$2" >"$work/b" &
	local b=$!
	wait "$a" "$b"
	rate <"$work/a" >"$work/ra"
	rate <"$work/b" >"$work/rb"
	awk '{s += $1} END {printf "%.0f", s}' "$work/ra" "$work/rb"
}

echo "SQLite, one instance: seeding $FLOWS flows..." >&2
start 18280 "$work/sqlite/waflows.db"
id=$(seed 18280)
taskset -c 1 wrk -t2 -c"$CONNECTIONS" -d2s -H "$AUTH" "http://127.0.0.1:18280/v21.0/$id" >/dev/null
sqlite_get=$(one "http://127.0.0.1:18280/v21.0/$id")
sqlite_list=$(one "http://127.0.0.1:18280/v21.0/$WABA/flows")
stop

echo "PostgreSQL, two instances: seeding $FLOWS flows..." >&2
psql -q "$DSN" -c "CREATE SCHEMA $schema" >/dev/null
sep='?'; case "$DSN" in *\?*) sep='&';; esac
pgdsn="$DSN${sep}search_path=$schema"
start 18281 "$pgdsn"
start 18282 "$pgdsn"
id=$(seed 18281)
two "http://127.0.0.1:18281/v21.0/$id" "http://127.0.0.1:18282/v21.0/$id" >/dev/null
pg2_get=$(two "http://127.0.0.1:18281/v21.0/$id" "http://127.0.0.1:18282/v21.0/$id")
pg2_list=$(two "http://127.0.0.1:18281/v21.0/$WABA/flows" "http://127.0.0.1:18282/v21.0/$WABA/flows")

printf '\n%s flows stored; wrk -c%s -d%s; waflows on CPU 0, wrk on CPU 1, PostgreSQL unpinned\n' "$FLOWS" "$CONNECTIONS" "$DURATION"
printf '%-28s %18s %22s\n' "request" "SQLite, 1 instance" "PostgreSQL, 2 instances"
printf '%-28s %18s %22s\n' "GET /{flow-id}" "$sqlite_get" "$pg2_get"
printf '%-28s %18s %22s\n' "GET /{waba-id}/flows (25)" "$sqlite_list" "$pg2_list"
