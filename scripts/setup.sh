#!/usr/bin/env bash
# Bring a Debian 12 checkout to a runnable state: system libraries for Qt, a CJK font,
# LibreOffice for legacy .doc files, and the Python venv. Safe to run again and again:
# it only installs what is missing and only reinstalls the venv when pyproject.toml changed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DEBIAN_FRONTEND=noninteractive

PYTHON=${PYTHON:-python3}
VENV=.venv
STAMP=$VENV/.installed

say() { printf 'setup: %s\n' "$*" >&2; }

# --- (a) Debian packages -------------------------------------------------------------
# Qt's offscreen and xcb platform plugins, a Chinese font (without one every glyph is a box),
# and LibreOffice, which converts legacy .doc files.
apt_packages=(
    libegl1 libgl1 libopengl0 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libfreetype6
    libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
    libxcb-shape0 libxcb-xkb1 libxcb-randr0 fonts-noto-cjk libreoffice-writer-nogui
)

if command -v dpkg-query >/dev/null 2>&1; then
    # Debian's own python3 leaves ensurepip out unless python3-venv is installed.
    if [[ ! -x $VENV/bin/pip ]] && ! "$PYTHON" -c 'import ensurepip' >/dev/null 2>&1; then
        apt_packages+=(python3-venv)
    fi
    # One dpkg-query for all of them; it exits non-zero when some are unknown, hence `|| true`.
    installed=" $(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "${apt_packages[@]}" \
        2>/dev/null | awk '/^ii/ {printf "%s ", $2}' || true)"
    missing=()
    for pkg in "${apt_packages[@]}"; do
        [[ $installed == *" $pkg "* ]] || missing+=("$pkg")
    done
    if ((${#missing[@]})); then
        as_root=()
        can_install=false
        if ((EUID == 0)); then
            can_install=true
        elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            can_install=true
            as_root=(sudo -n env DEBIAN_FRONTEND=noninteractive)
        fi
        if $can_install; then
            say "installing Debian packages: ${missing[*]}"
            "${as_root[@]}" apt-get update
            "${as_root[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
        else
            say "missing Debian packages: ${missing[*]}"
            say "install them with: sudo apt-get install -y --no-install-recommends ${missing[*]}"
            say "continuing without them (the GUI may not start, Chinese may show as boxes, .doc files cannot be read)"
        fi
    fi
else
    say "not a Debian system (no dpkg-query): skipping system packages"
fi

# --- (b) Python venv -------------------------------------------------------------------
# A venv without pip is one whose creation failed half-way (Debian's python3 without
# python3-venv leaves bin/python behind): make it again rather than fail on pip forever.
if [[ ! -x $VENV/bin/python || ! -x $VENV/bin/pip ]]; then
    "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
        say "Python 3.11 or newer is needed; $PYTHON is $("$PYTHON" -V 2>&1)"
        exit 1
    }
    say "creating $VENV"
    "$PYTHON" -m venv "$VENV" || {
        rm -rf "$VENV"
        say "could not create $VENV; on Debian: sudo apt-get install -y python3-venv"
        exit 1
    }
fi

if [[ ! -f $STAMP || pyproject.toml -nt $STAMP ]]; then
    say "installing the project and its test tools into $VENV"
    "$VENV/bin/pip" install --disable-pip-version-check -e '.[test]'
    touch "$STAMP"
fi
