#!/usr/bin/env bash
# Set up backprop-manim on a fresh machine: system libraries (where we can), a virtualenv in .venv,
# the package with its test extra. Safe to run again; it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")"

# apt-get where we may use it: as root (CI), or through password-less sudo (a developer's machine).
apt_ok() {
  command -v apt-get >/dev/null || return 1
  [ "$(id -u)" = 0 ] && return 0
  command -v sudo >/dev/null && sudo -n true 2>/dev/null
}
apt_install() {  # PACKAGE…; call after apt_ok
  local as=""
  [ "$(id -u)" = 0 ] || as="sudo -n"
  $as apt-get update -qq
  $as env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

need_system=()
for pc in cairo pangocairo; do
  pkg-config --exists "$pc" 2>/dev/null || need_system+=("$pc")
done
command -v pkg-config >/dev/null || need_system+=(pkg-config)
# The videos (and the frame tests' control data) are drawn in DejaVu Sans.
fc-list 2>/dev/null | grep -q "DejaVu Sans" || need_system+=(fonts-dejavu-core)
command -v fc-match >/dev/null || need_system+=(fontconfig)  # the layout measures text in the theme's font
command -v espeak-ng >/dev/null || need_system+=(espeak-ng)  # render --voice: offline narration
command -v pdftoppm >/dev/null || need_system+=(poppler-utils)  # the handout tests look at a printed page
command -v dot >/dev/null || need_system+=(graphviz)  # the graph scene's layout (Graphviz dot)

if [ ${#need_system[@]} -gt 0 ]; then
  if apt_ok; then
    echo "setup: installing system libraries for manim (cairo, pango, fonts, espeak-ng, graphviz)" >&2
    apt_install libcairo2-dev libpango1.0-dev pkg-config fonts-dejavu-core fontconfig espeak-ng poppler-utils graphviz
  else
    cat >&2 <<MSG
setup: manim needs the Cairo and Pango development libraries and the DejaVu fonts; missing: ${need_system[*]}.
  Debian/Ubuntu:  sudo apt-get install libcairo2-dev libpango1.0-dev pkg-config fonts-dejavu-core espeak-ng poppler-utils graphviz
  Fedora:         sudo dnf install cairo-devel pango-devel pkgconf-pkg-config dejavu-sans-fonts espeak-ng graphviz
  macOS:          brew install cairo pango pkg-config espeak-ng graphviz && brew install --cask font-dejavu
then run ./setup.sh again.
MSG
    exit 1
  fi
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'  # every extra: CI tests them all

# Course material (README "Course material"): headless Chromium and its driver for the browser tests,
# and reveal.js in manim-slides' cache, so slides are built offline (its --offline would fetch
# reveal.js from a CDN).
if ! command -v chromedriver >/dev/null || ! { command -v chromium >/dev/null || command -v chromium-browser >/dev/null; }; then
  if apt_ok; then
    echo "setup: installing chromium and chromium-driver (browser tests)" >&2
    apt_install chromium chromium-driver
  else
    echo "setup: the browser tests need chromium and chromium-driver (apt-get install chromium chromium-driver)" >&2
  fi
fi
# Every file manim-slides' HTML links, as slides.check_revealjs checks them (REVEAL_ASSETS: the file's
# name in the cache → its path in the npm package): a partly filled cache is filled up.
reveal_cache=$(.venv/bin/python -c 'from backprop.output.material.slides import revealjs_cache; print(revealjs_cache())')
reveal_assets=$(.venv/bin/python -c 'from backprop.output.material.slides import REVEAL_ASSETS as a; print(" ".join(f"{k}={v}" for k, v in a.items()))')
reveal_missing=0
for asset in $reveal_assets; do
  [ -s "$reveal_cache/${asset%%=*}" ] || reveal_missing=$((reveal_missing + 1))
done
if [ "$reveal_missing" -gt 0 ] && ! command -v npm >/dev/null; then
  if apt_ok; then
    echo "setup: installing npm (to fetch reveal.js for offline slides)" >&2
    apt_install npm
  else
    echo "setup: offline slides need reveal.js in $reveal_cache: install npm and run ./setup.sh again (README, Course material)" >&2
  fi
fi
if [ "$reveal_missing" -gt 0 ] && command -v npm >/dev/null; then
  version=${reveal_cache##*revealjs}
  echo "setup: caching reveal.js $version for offline slides ($reveal_cache: $reveal_missing of its files missing)" >&2
  npm_tmp=$(mktemp -d)
  (cd "$npm_tmp" && npm pack -q "reveal.js@$version" >/dev/null && tar xzf "reveal.js-$version.tgz")
  mkdir -p "$reveal_cache"
  for asset in $reveal_assets; do  # each copied whole, then renamed: never a half-written file
    name=${asset%%=*}
    cp "$npm_tmp/package/${asset#*=}" "$reveal_cache/.$name.part"
    mv -f "$reveal_cache/.$name.part" "$reveal_cache/$name"
  done
  rm -rf "$npm_tmp"
fi
echo "setup: ready (.venv/bin/backprop)" >&2
