#!/usr/bin/env bash
# Regenerate fixtures/logs/sdk/*.log and *.expect.jsonl from the providers' real SDKs.
# Creates the venvs under target/ if missing, installs the pinned requirements, runs capture.py.
# Needs PyPI only (no provider is contacted: capture.py answers the SDKs from 127.0.0.1).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
py="${PYTHON:-python3}"

ensure_venv() {
  local dir="$1" req="$2"
  if [ ! -x "$dir/bin/python" ]; then
    "$py" -m venv "$dir"
  fi
  "$dir/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req"
}

main_venv="$repo/target/capture-venv"
zai_venv="$repo/target/capture-venv-zai"   # zai-sdk and zhipuai need conflicting PyJWT versions

ensure_venv "$main_venv" "$here/requirements.txt"
ensure_venv "$zai_venv" "$here/requirements-zai.txt"

unset OPENAI_LOG OPENAI_BASE_URL ZHIPUAI_BASE_URL ZAI_BASE_URL COZE_API_BASE || true
"$main_venv/bin/python" "$here/capture.py" --group main
"$zai_venv/bin/python" "$here/capture.py" --group zai
