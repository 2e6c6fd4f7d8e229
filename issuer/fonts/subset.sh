#!/bin/sh
# Regenerates the embedded CJK font subset from Debian's fonts-droid-fallback
# package. Needs: apt-get install fonts-droid-fallback fonttools
# Run from the repository root: sh issuer/fonts/subset.sh
set -eu
export LC_ALL=C.UTF-8
src=/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf
dir=issuer/fonts
# The subset holds every non-ASCII character of the PDF labels and, for
# holders' Chinese names, every hanzi of GB 2312 (levels 1 and 2, 6,763
# characters) and the middle dot that separates the parts of a transcribed
# foreign name. glyphs.txt lists them, sorted and unique; the PDF prints a
# Chinese name only when every character is in it.
{
  grep -o '[^[:space:] -~]' issuer/labels.go
  python3 -c '
import sys
for hi in range(0xB0, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            sys.stdout.write(bytes([hi, lo]).decode("gb2312") + "\n")
        except UnicodeDecodeError:
            pass
'
  printf '\302\267\n'
} | sort -u | tr -d '\n' > "$dir/glyphs.txt"
pyftsubset "$src" --text-file="$dir/glyphs.txt" --output-file="$dir/droid-sans-fallback-subset.ttf" \
  --no-hinting --desubroutinize --name-IDs='*' --name-languages='*' --notdef-outline
