#!/usr/bin/env bash
# Regenerate fixtures/logs/node/*.log and *.expect.jsonl from the real Node.js SDKs.
# Installs the pinned npm packages (npm ci, into tools/capture-node/node_modules), writes the
# catalog with errwatch itself (`errwatch catalog --format json`: the bodies are the catalog's
# rows), and runs capture.js, which answers the SDKs from 127.0.0.1. Needs node 20, npm,
# openssl (a throwaway CA for the loopback TLS, under target/capture-node/tls) and cargo.
# Extra arguments go to capture.js (e.g. --only openai7-ark).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="$repo/target/capture-node"

for tool in node npm openssl cargo; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is needed" >&2; exit 1; }
done

(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
mkdir -p "$work"
(cd "$repo" && cargo run --quiet -- catalog --format json >"$work/catalog.json")

unset OPENAI_LOG OPENAI_BASE_URL HTTP_PROXY HTTPS_PROXY http_proxy https_proxy NO_PROXY no_proxy || true
node "$here/capture.js" --catalog "$work/catalog.json" --tls "$work/tls" --out "$repo/fixtures/logs/node" "$@"
