#!/bin/sh
# Regenerates the embedded CJK font subset from Debian's fonts-droid-fallback
# package. Needs: apt-get install fonts-droid-fallback fonttools
# Run from the repository root: sh issuer/fonts/subset.sh
set -eu
export LC_ALL=C.UTF-8
src=/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf
dir=issuer/fonts
# Every non-ASCII character of the PDF labels, one line, sorted and unique.
grep -o '[^[:space:] -~]' issuer/labels.go | sort -u | tr -d '\n' > "$dir/glyphs.txt"
pyftsubset "$src" --text-file="$dir/glyphs.txt" --output-file="$dir/droid-sans-fallback-subset.ttf" \
  --no-hinting --desubroutinize --name-IDs='*' --name-languages='*' --notdef-outline
