#!/usr/bin/env bash
# Colour on amateur shop photos: `vitrina evaluate` over the clothing-cc0 photos listed in amateur-colours.csv, whose
# colours a developer labelled by eye (one garment of one clear paper colour per photo; multi-coloured, striped,
# printed-all-over and off-palette garments such as red, green or yellow were left out). clothing-cc0 has no colour
# labels of its own, and the training set has no amateur photos, so this is the only colour check on real amateur
# photos (`evaluate --shift-backgrounds` is a synthetic one). Usage: training/scripts/amateur-colour-check.sh [CC0_FOLDER] [--json] [--store DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
cc0="$(cd "${1:-$here/../shared/data/clothing-cc0}" && pwd)"; shift || true
data="$(mktemp -d)"
trap 'rm -rf "$data"' EXIT
awk -F, -v root="$cc0" 'NR == 1 { print "file,colour,category,split"; next } { print root "/" $1 "," $2 ",,amateur" }' \
  "$here/training/scripts/amateur-colours.csv" > "$data/labels.csv"
"$here/vitrina" evaluate --data "$data" --split amateur "$@"
