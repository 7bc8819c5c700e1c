#!/usr/bin/env bash
# The material prior's fitting data (session 19): the shipped model's own training plan (16 h, seed 2: 1 200 of its
# training sounds, 128 surfaces) and the training splits of eight more simulated plans (seeds 3-10: 300 sounds each,
# 569 surfaces), whose scenes hold other surfaces of the same 14 materials. The prior's classifier learns what a
# material looks like from ~5x as many surfaces as before (697; at most 143 in the whole plan), so it names the
# material of a surface it never saw far more often (material_prior.py --keep-prototypes; models/README.md, "The
# material prior on more surfaces").
# Simulates what is missing (~4 min on 2 cores, ~3.7 GB); the same seeds give byte-identical files.
#
#   bash models/recipe/surfaces.sh           simulate the datasets that are not there yet
#   bash models/recipe/surfaces.sh --args    print the material_prior.py --data arguments (simulates nothing)
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=models/recipe/data
# One row per dataset: folder, seed, sounds (the shipped plan's own, then the eight others).
SETS=("$DATA/sim-gpu16-train 2 1200")
for s in 3 4 5 6 7 8 9 10; do SETS+=("$DATA/surfaces/seed$s $s 300"); done

for row in "${SETS[@]}"; do
  read -r dir seed sounds <<< "$row"
  if [[ "${1:-}" == "--args" ]]; then
    printf -- '--data %s ' "$dir"
  elif [[ -f "$dir/split.json" ]]; then
    echo "have $dir"
  else
    node bin/hearing-hands.mjs simulate --out "$dir" --hours 16 --seed "$seed" --only train --max-sounds "$sounds" --quiet --force
    echo "simulated $dir"
  fi
done
if [[ "${1:-}" == "--args" ]]; then echo; fi
