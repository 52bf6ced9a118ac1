#!/usr/bin/env bash
# Regenerate the captured fixtures from the real SDKs:
#   fixtures/logs/sdk/       capture.py   (main and zai venvs)
#   fixtures/logs/messages/  messages.py  (main, openai1, litellm and langchain venvs)
#   fixtures/logs/decoy/     decoy.py     (decoy venv)
# Creates the venvs under target/ if missing, installs the pinned requirements, runs the tools.
# Needs PyPI only (no provider is contacted: the tools answer the SDKs from 127.0.0.1).
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

# One venv per set of pins that cannot live together: zhipuai and zai-sdk need conflicting
# PyJWT versions; openai is 3.54.0 in main and decoy, 1.109.1 in openai1, and litellm and
# langchain-openai pull 3.57.0.
main_venv="$repo/target/capture-venv"
zai_venv="$repo/target/capture-venv-zai"
ensure_venv "$main_venv" "$here/requirements.txt"
ensure_venv "$zai_venv" "$here/requirements-zai.txt"
for group in openai1 litellm langchain decoy; do
  ensure_venv "$repo/target/capture-venv-$group" "$here/requirements-$group.txt"
done

unset OPENAI_LOG OPENAI_BASE_URL ZHIPUAI_BASE_URL ZAI_BASE_URL COZE_API_BASE || true
"$main_venv/bin/python" "$here/capture.py" --group main
"$zai_venv/bin/python" "$here/capture.py" --group zai

rm -f "$repo"/fixtures/logs/messages/*.log "$repo"/fixtures/logs/messages/*.expect.jsonl
"$main_venv/bin/python" "$here/messages.py" --group main
for group in openai1 litellm langchain; do
  "$repo/target/capture-venv-$group/bin/python" "$here/messages.py" --group "$group"
done

"$repo/target/capture-venv-decoy/bin/python" "$here/decoy.py"
