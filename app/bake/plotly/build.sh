#!/bin/sh
# Rebuild plotly-partial.min.js, the static edition's plotly.js (app/bake/site.py copies it into every edition).
# Only the trace types in entry.js: a third of plotly.min.js, so a reader's browser parses it in a third of the time
# (README "What a viewer costs"). Run it when plotly (Python) moves to a new plotly.js: set the same version in
# package.json (tests/bake/test_bake.py compares them), then `sh app/bake/plotly/build.sh`. Needs node and npm.
set -eu
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --ignore-scripts
version=$(node -p "require('plotly.js/package.json').version")
npx esbuild entry.js --bundle --minify --format=iife --global-name=Plotly --define:global=window \
    --banner:js="/*! plotly.js v$version (MIT licence), partial bundle: app/bake/plotly/entry.js */" \
    --outfile=plotly-partial.min.js --log-level=warning
# plotly.js's default topojsonURL is its CDN: the edition sets its own (assets/site.js), and the default names no
# host either, so that no figure can ever ask the internet for a map.
default='topojsonURL:{valType:"string",noBlank:!0,dflt:"'
n=$(grep -o "$default" plotly-partial.min.js | wc -l)
[ "$n" = 1 ] || { echo "plotly.js's topojsonURL default not found once ($n)" >&2; exit 1; }
sed -i -e "s|$default[^\"]*\"|${default}assets/\"|" -e 's|files are fetched from [^"]*\.",|files are fetched from assets/.",|' \
    plotly-partial.min.js
rm -rf node_modules plotly-partial.min.css  # the CSS is maplibre's (map traces), which no figure draws
