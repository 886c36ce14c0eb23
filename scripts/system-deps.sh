#!/usr/bin/env bash
# Debian packages duetto needs beyond Python: a CJK font so Chinese briefs render on contact sheets,
# and FluidSynth with the FluidR3 General MIDI soundfont to render music to audio.
# Idempotent and quiet when everything is present; never fatal (duetto falls back to a Latin font
# and to its built-in synthesiser).
set -u
missing=()
[ -e /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || missing+=(fonts-noto-cjk)
command -v fluidsynth >/dev/null 2>&1 || missing+=(fluidsynth)
[ -e /usr/share/sounds/sf2/FluidR3_GM.sf2 ] || missing+=(fluid-soundfont-gm)
ldconfig -p 2>/dev/null | grep -q 'libcairo\.so\.2' || missing+=(libcairo2)  # cairosvg draws score PNGs with it
[ -x /usr/bin/chromium ] || missing+=(chromium)  # the web studio's browser tests drive it through Playwright
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "note: install ${missing[*]} for Chinese text on contact sheets and music audio (no apt-get here)" >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "note: run 'apt-get install ${missing[*]}' as root for Chinese text and music audio" >&2
    exit 0
  fi
fi
echo "installing Debian packages: ${missing[*]}" >&2
$SUDO apt-get update -qq >/dev/null 2>&1 || true
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
  || echo "note: could not install ${missing[*]}; duetto falls back to a Latin font / its built-in synth" >&2
exit 0
