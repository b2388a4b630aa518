#!/usr/bin/env bash
# Refresh constraints.txt: the exact versions CI installs (.ci/run: pip install -c constraints.txt).
# Installs the project with its dev extra into a throwaway venv and freezes it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install -q "$root[dev]"
{
  echo "# Exact versions CI installs (.ci/run: pip install -c constraints.txt -e '.[dev]')."
  echo "# Refresh: scripts/update_constraints.sh (fresh venv, pip install '.[dev]', pip freeze)."
  "$tmp/venv/bin/pip" freeze --exclude-editable | grep -viE '^sheets[-_]sync( |=|$)'
} > "$tmp/constraints.txt"
if grep -E ' @ |^-e ' "$tmp/constraints.txt"; then
  echo "update_constraints: local paths in the freeze, constraints.txt left as it was" >&2
  exit 1
fi
mv "$tmp/constraints.txt" "$root/constraints.txt"
echo "constraints.txt: $(grep -c '==' "$root/constraints.txt") pinned packages"
