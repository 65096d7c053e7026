#!/usr/bin/env bash
# Renders the Taskdeck app icon from its SVG source (taskdeck.svg) into:
#   png/taskdeck-<N>.png  for N in 16 24 32 48 64 128 256 512 1024
#   taskdeck.ico          Windows icon (16..256, from the PNGs above)
#   taskdeck.icns         macOS icon (16..1024, from the PNGs above)
# The PNGs are committed and packaged by ui-fxml as classpath resources
# (io/taskdeck/app/icons/), which the console uses as its window icon.
#
# Needs rsvg-convert (Debian/Ubuntu: apt-get install -y librsvg2-bin) and, for the
# .ico, ImageMagick (apt-get install -y imagemagick), for the .icns, png2icns
# (apt-get install -y icnsutils). The installers use them: packaging/README.md. Run from anywhere:
#   icons/generate.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

command -v rsvg-convert >/dev/null || { echo "generate.sh: rsvg-convert not found (apt-get install -y librsvg2-bin)" >&2; exit 1; }

SIZES=(16 24 32 48 64 128 256 512 1024)
mkdir -p png
for n in "${SIZES[@]}"; do
  rsvg-convert --width "$n" --height "$n" --keep-aspect-ratio taskdeck.svg --output "png/taskdeck-$n.png"
done

if command -v convert >/dev/null; then
  convert png/taskdeck-16.png png/taskdeck-24.png png/taskdeck-32.png png/taskdeck-48.png \
          png/taskdeck-64.png png/taskdeck-128.png png/taskdeck-256.png taskdeck.ico
else
  echo "generate.sh: ImageMagick 'convert' not found, skipping taskdeck.ico" >&2
fi
if command -v png2icns >/dev/null; then
  # png2icns takes the sizes the format has: 16 32 48 128 256 512 1024.
  png2icns taskdeck.icns png/taskdeck-16.png png/taskdeck-32.png png/taskdeck-48.png \
           png/taskdeck-128.png png/taskdeck-256.png png/taskdeck-512.png png/taskdeck-1024.png >/dev/null
else
  echo "generate.sh: png2icns not found (apt-get install -y icnsutils), skipping taskdeck.icns" >&2
fi
echo "generate.sh: wrote png/taskdeck-{$(IFS=,; echo "${SIZES[*]}")}.png, taskdeck.ico and taskdeck.icns"
