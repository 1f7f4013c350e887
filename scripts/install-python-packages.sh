#!/usr/bin/env bash
# Installs the named PyPI packages that python3 cannot import yet (test-only tools).
set -euo pipefail
command -v python3 >/dev/null || "$(dirname "$0")/install-debian-packages.sh" python3 python3-pip
missing=()
for package in "$@"; do
    module=${package//-/_}; [ "$package" = prometheus-client ] && module=prometheus_client
    python3 -c "import importlib.util,sys; sys.exit(0 if importlib.util.find_spec('$module') else 1)" 2>/dev/null || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Python packages: ${missing[*]}"
python3 -m pip install -q --disable-pip-version-check "${missing[@]}" 2>/dev/null \
  || python3 -m pip install -q --disable-pip-version-check --break-system-packages "${missing[@]}"
