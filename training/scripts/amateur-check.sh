#!/usr/bin/env bash
# Robustness on amateur shop photos without paper labels: runs `vitrina predict` over clothing-cc0 (T-shirts, shirts,
# pants, skirts... on beds, floors and hangers) and reports how the category head spreads them. None of these photos is a
# bag or jewellery, so the share labelled Bags or Decorations/jewellery is an error rate the catalogue would show shops.
# Usage: training/scripts/amateur-check.sh [CC0_FOLDER] [--store DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
cc0="${1:-$here/../shared/data/clothing-cc0}"; shift || true
out="$(mktemp -d)/amateur.csv"
"$here/vitrina" predict "$cc0/images" --out "$out" "$@" >/dev/null
# Join predictions with the dataset's own labels; leave out shoes and hats, which no paper category covers.
awk -F, 'NR==FNR { if (FNR > 1) { sub("images/", "", $1); label[$1] = $2 }; next }
         FNR > 1 && label[$1] != "Shoes" && label[$1] != "Hat" {
           n++; cat[$4]++; if ($4 == "Bags" || $4 == "Decorations/jewellery") wrong++; conf += $5 }
         END {
           printf "amateur clothing photos: %d\n", n
           for (c in cat) printf "  %-30s %5.1f %%\n", c, 100 * cat[c] / n
           printf "labelled Bags or Decorations/jewellery (wrong for clothing): %.1f %%\n", 100 * wrong / n
           printf "mean category confidence: %.3f\n", conf / n }' "$cc0/labels.csv" "$out"
