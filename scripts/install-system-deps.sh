#!/usr/bin/env bash
# Install the Debian packages listed in scripts/system-deps.txt that are not installed yet.
# Needs root (CI runs as root); prints what it would run otherwise.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
missing=()
while read -r pkg; do
  [[ -z "$pkg" || "$pkg" == \#* ]] && continue
  # a tool installed outside Debian's packages (npm with Node.js from its own source) counts too
  command -v "$pkg" >/dev/null 2>&1 && continue
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done < "$here/system-deps.txt"
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "azgraph: please install these Debian packages: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "azgraph: installing ${missing[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
