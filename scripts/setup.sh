#!/usr/bin/env bash
# Installs what PaperBanana needs on a fresh Debian machine: the Debian packages
# (only those missing), then a virtual environment with the project and its test tools.
set -euo pipefail
venv="${1:-.venv}"

debian_packages=(python3 python3-venv python3-dev build-essential)
missing=()
for pkg in "${debian_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# python3-venv etc. may be absent where Python itself came from elsewhere (pyenv);
# only install when `python3 -m venv` cannot work.
if ! python3 -c "import venv, ensurepip" 2>/dev/null && [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
    else
        echo "please install: ${missing[*]}" >&2; exit 1
    fi
fi

[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --upgrade pip
"$venv/bin/python" -m pip install -q -e ".[test]"
