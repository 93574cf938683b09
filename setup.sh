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
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'  # every extra: CI tests them all

# Course material (README "Course material"): headless Chromium and its driver for the browser tests,
# and reveal.js in manim-slides' cache, so slides are built offline (its --offline would fetch
# reveal.js from a CDN).
if ! command -v chromedriver >/dev/null || ! { command -v chromium >/dev/null || command -v chromium-browser >/dev/null; }; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing chromium and chromium-driver (browser tests)" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  else
    echo "setup: the browser tests need chromium and chromium-driver (apt-get install chromium chromium-driver)" >&2
  fi
fi
reveal_cache=$(.venv/bin/python -c 'from backprop.output.slides import revealjs_cache; print(revealjs_cache())')
if [ ! -f "$reveal_cache/markdown.js" ] && ! command -v npm >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing npm (to fetch reveal.js for offline slides)" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
  else
    echo "setup: offline slides need reveal.js in $reveal_cache: install npm and run ./setup.sh again (README, Course material)" >&2
  fi
fi
if [ ! -f "$reveal_cache/markdown.js" ] && command -v npm >/dev/null; then
  version=${reveal_cache##*revealjs}
  echo "setup: caching reveal.js $version for offline slides ($reveal_cache)" >&2
  npm_tmp=$(mktemp -d)
  (cd "$npm_tmp" && npm pack -q "reveal.js@$version" >/dev/null && tar xzf "reveal.js-$version.tgz")
  mkdir -p "$reveal_cache"
  for f in reveal.css theme/black.css plugin/highlight/zenburn.css reveal.js plugin/notes.js plugin/markdown.js; do
    cp "$npm_tmp/package/dist/$f" "$reveal_cache/"
  done
  rm -rf "$npm_tmp"
fi
echo "setup: ready (.venv/bin/backprop)" >&2
