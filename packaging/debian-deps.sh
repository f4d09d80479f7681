#!/usr/bin/env bash
# Check (and, as root, install) the Debian packages Choreo Studio needs outside pip.
#
#   packaging/debian-deps.sh          check; install what is missing when run as root
#   packaging/debian-deps.sh --list   print the package names, one a line
#
# Not root and something missing: print the one command that installs it and exit 1, so `make`
# stops before a confusing Qt or PortAudio error later.  Not Debian: say so and carry on.
# CHOREO_SKIP_DEBIAN_DEPS=1 skips the check (for people who manage their system by other means).
set -euo pipefail

PACKAGES=(
    # sounddevice loads PortAudio with ctypes; without it, importing sounddevice fails.
    libportaudio2
    # m4a/aac decoding (audioread's ffmpeg back end).
    ffmpeg
    # A virtual display for the tests (pytest-xvfb) and for headless runs (xvfb-run needs xauth).
    xvfb xauth
    # Qt 6's xcb platform plugin: these are what `ldd libqxcb.so` / QT_DEBUG_PLUGINS=1 asks for
    # that a minimal Debian lacks.  (libxcb-xinerama0 was Qt 5 only; Qt 6.12 does not load it.)
    libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxcb-image0 libxcb-randr0 libxcb-render-util0
    libxcb-shape0 libxkbcommon-x11-0
    # OpenGL for the viewport: GLX/EGL dispatch plus Mesa (llvmpipe when there is no GPU).
    libegl1 libgl1 libglx-mesa0 libgl1-mesa-dri
    # Qt renders no text without fonts.
    libfontconfig1 fonts-dejavu-core
)

if [[ "${1:-}" == "--list" ]]; then
    printf '%s\n' "${PACKAGES[@]}"
    exit 0
fi

if [[ "${CHOREO_SKIP_DEBIAN_DEPS:-}" == 1 ]]; then
    echo "debian-deps: skipped (CHOREO_SKIP_DEBIAN_DEPS=1)"
    exit 0
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "debian-deps: not a Debian-like system; make sure PortAudio, Xvfb, ffmpeg and Qt 6's xcb" \
         "libraries are installed (list: packaging/debian-deps.sh --list)." >&2
    exit 0
fi

missing=()
for package in "${PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    # "install ok installed" only; "deinstall ok config-files" is a removed package.
    [[ "$status" == *"ok installed"* ]] || missing+=("$package")
done

if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
    echo "Choreo Studio needs these Debian packages: ${missing[*]}" >&2
    echo "Install them with:" >&2
    echo >&2
    echo "    sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    echo >&2
    exit 1
fi

echo "debian-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# CI has no standard input: nothing here may ask a question.
apt-get update -qq </dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
