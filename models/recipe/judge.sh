#!/usr/bin/env bash
# The evaluation's judge (session 20; recipe/judge.py): a material/action classifier trained on the ground truth of nine
# simulated plans (the shipped models' own 16 h, seed 2, all splits but a held-out fifth of the sounds; and the eight
# plans of surfaces.sh, seeds 3-10), scored on the held-out fifth and on a tenth plan it never hears (seed 11), then
# installed in the three shipped models (their classifier graphs and the metrics' record; their networks untouched).
# Simulates what is missing (~12 min on 2 cores, ~17 GB), trains ~10 min on 2 cores.
#
#   bash models/recipe/judge.sh             simulate, train the judge into $OUT (default .devcarry/judge-plans), install it
#   INSTALL=0 bash models/recipe/judge.sh   train only
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=models/recipe/data
OUT=${OUT:-.devcarry/judge-plans}
bash models/recipe/surfaces.sh
sim() {  # folder, then simulate's arguments: simulated once (the same seed gives byte-identical files)
  local dir=$1; shift
  [[ -f "$dir/split.json" ]] || node bin/hearing-hands.mjs simulate --out "$dir" --hours 16 "$@" --quiet --force
}
sim "$DATA/sim-gpu16" --seed 2
sim "$DATA/seed11-test" --seed 11 --only test --max-sounds 200
plans=(--data "$DATA/sim-gpu16")
for s in 3 4 5 6 7 8 9 10; do plans+=(--data "$DATA/surfaces/seed$s"); done
mkdir -p "$(dirname "$OUT")"
/usr/bin/python3 models/recipe/judge.py --config models/recipe/config.judge.json "${plans[@]}" \
  --score-data "$DATA/seed11-test" --out "$OUT"
if [[ "${INSTALL:-1}" != 0 ]]; then
  /usr/bin/python3 models/recipe/judge.py --install models/hh-flow-s.json --install models/hh-flow-s-live.json \
    --install models/hh-flow-s-live-d2.json --judge-bundle "$OUT"
fi
