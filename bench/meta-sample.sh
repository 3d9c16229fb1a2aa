#!/usr/bin/env bash
# Checks Meta's own sample endpoint (WhatsApp/WhatsApp-Flows-Tools, examples/endpoint/nodejs/basic, MIT)
# with `waflows endpoint check`: an implementation nobody here wrote. Nothing of the sample is kept in
# this repository; give the path of a checkout of WhatsApp-Flows-Tools:
#
#   bash bench/meta-sample.sh /path/to/WhatsApp-Flows-Tools
#
# It copies the sample to a temporary directory, installs its dependencies with npm, makes a key pair with
# the sample's own keyGenerator.js (DES-EDE3 PKCS#1, as Meta's users have them), starts it, and runs the
# check with a matching one-screen flow, --probe-all included (the last probe may bring the sample down).
set -euo pipefail
repo="${1:?usage: bench/meta-sample.sh PATH-TO-WhatsApp-Flows-Tools}"
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'if [ -n "${pid:-}" ]; then kill "$pid" 2>/dev/null || true; fi; rm -rf "$work"' EXIT
cp -r "$repo/examples/endpoint/nodejs/basic" "$work/sample"
(cd "$work/sample" && npm install --silent --no-audit --no-fund >/dev/null)
(cd "$work/sample" && node src/keyGenerator.js flows-pass) > "$work/keys.txt"
sed -n '/BEGIN RSA PRIVATE KEY/,/END RSA PRIVATE KEY/p' "$work/keys.txt" | sed 's/^PRIVATE_KEY="//; s/"$//' > "$work/private.pem"
sed -n '/BEGIN PUBLIC KEY/,/END PUBLIC KEY/p' "$work/keys.txt" > "$work/public.pem"
cat > "$work/flow.json" <<'FLOW'
{
  "version": "7.3",
  "data_api_version": "3.0",
  "routing_model": {"MY_SCREEN": []},
  "screens": [
    {"id": "MY_SCREEN", "title": "Hello", "terminal": true,
     "data": {"greeting": {"type": "string", "__example__": "Hello"}},
     "layout": {"type": "SingleColumnLayout", "children": [
       {"type": "TextHeading", "text": "${data.greeting}"},
       {"type": "TextInput", "name": "name", "label": "Name", "required": true},
       {"type": "Footer", "label": "Send", "on-click-action": {"name": "data_exchange", "payload": {"name": "${form.name}"}}}
     ]}}
  ]
}
FLOW
port="${PORT:-3999}"
(cd "$work/sample" && PRIVATE_KEY="$(cat "$work/private.pem")" PASSPHRASE=flows-pass APP_SECRET=meta-app-secret PORT="$port" node src/server.js > "$work/server.log" 2>&1) &
pid=$!
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
go build -o "$work/waflows" "$here/cmd/waflows"
status=0
"$work/waflows" endpoint check "http://127.0.0.1:$port/" --public-key "$work/public.pem" --app-secret meta-app-secret \
	--flow "$work/flow.json" --probe-all || status=$?
if kill -0 "$pid" 2>/dev/null; then echo "the sample is still running"; else echo "the sample stopped (see its log below)"; tail -5 "$work/server.log"; fi
exit "$status"
