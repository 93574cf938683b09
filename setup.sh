#!/usr/bin/env bash
# Set up backprop-manim on a fresh machine: system libraries (where we can), a virtualenv in .venv,
# the package with its test extra. Safe to run again; it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")"

need_system=()
for pc in cairo pangocairo; do
  pkg-config --exists "$pc" 2>/dev/null || need_system+=("$pc")
done
command -v pkg-config >/dev/null || need_system+=(pkg-config)
# The videos (and the frame tests' control data) are drawn in DejaVu Sans.
fc-list 2>/dev/null | grep -q "DejaVu Sans" || need_system+=(fonts-dejavu-core)
command -v fc-match >/dev/null || need_system+=(fontconfig)  # the layout measures text in the theme's font
command -v espeak-ng >/dev/null || need_system+=(espeak-ng)  # render --voice: offline narration

if [ ${#need_system[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing system libraries for manim (cairo, pango)" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libcairo2-dev libpango1.0-dev pkg-config fonts-dejavu-core fontconfig espeak-ng >/dev/null
  elif command -v sudo >/dev/null && command -v apt-get >/dev/null && sudo -n true 2>/dev/null; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libcairo2-dev libpango1.0-dev pkg-config fonts-dejavu-core fontconfig espeak-ng >/dev/null
  else
    cat >&2 <<MSG
setup: manim needs the Cairo and Pango development libraries and the DejaVu fonts; missing: ${need_system[*]}.
  Debian/Ubuntu:  sudo apt-get install libcairo2-dev libpango1.0-dev pkg-config fonts-dejavu-core espeak-ng
  Fedora:         sudo dnf install cairo-devel pango-devel pkgconf-pkg-config dejavu-sans-fonts espeak-ng
  macOS:          brew install cairo pango pkg-config espeak-ng && brew install --cask font-dejavu
then run ./setup.sh again.
MSG
    exit 1
  fi
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
echo "setup: ready (.venv/bin/backprop)" >&2
