#!/usr/bin/env bash
# Render an HTML report (tracker report weekly --format html) to a PNG with headless Chromium,
# at the size of an A4 page at 150 dpi (1240 x 1754), to check how it reads when printed.
#
#   scripts/render_html_png.sh report.html [out.png]
#
# Needs chromium (Debian: apt-get install chromium fonts-noto-cjk). Nothing leaves the
# machine: networking, sync and component updates are off, and a throwaway profile is used.
set -euo pipefail
if [ $# -lt 1 ]; then
    echo "usage: $0 REPORT.html [OUT.png]" >&2
    exit 2
fi
html=$(realpath "$1")
out=${2:-${1%.html}.png}
out=$(realpath -m "$out")
browser=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}
if [ -z "$browser" ]; then
    echo "chromium not found (set CHROMIUM=/path/to/chromium)" >&2
    exit 3
fi
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$profile" \
    --screenshot="$out" --window-size=1240,1754 "file://$html" >/dev/null 2>&1
test -s "$out"
echo "$out"
