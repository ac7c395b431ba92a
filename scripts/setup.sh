#!/usr/bin/env bash
# Installs what PaperBanana needs on a fresh Debian machine: the Debian packages that
# are missing (headless Chromium and its driver for rendering, Graphviz for diagram
# layout, fonts with CJK glyphs, and Python's venv where Python is Debian's), then a
# virtual environment with the project and its test tools.
set -euo pipefail
venv="${1:-.venv}"

wanted=(chromium chromium-driver fonts-noto-core fonts-noto-cjk fonts-dejavu-core graphviz)
python3 -c "import venv, ensurepip" 2>/dev/null || wanted+=(python3-venv)
missing=()
for pkg in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "setup: please install these Debian packages as root: ${missing[*]}" >&2
        exit 1
    fi
    echo "setup: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --upgrade pip
"$venv/bin/python" -m pip install -q -e ".[test]"
