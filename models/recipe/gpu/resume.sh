#!/usr/bin/env bash
# The second call on a still-warm GPU machine, right after run.sh: one device call is limited (600 s here) and the
# simulation and data loading take a third of it, so a longer training is run.sh, then this on the same machine,
# whose simulated data (DATA) and checkpoints (OUT/<name>/checkpoint.pt) are still there:
#   MINUTES=7.5 JUDGE_FROM=.devcarry/judge.npz OUT=/tmp/hh-gpu-out bash models/recipe/gpu/resume.sh config.gpu-long-pow2.json ...
# trains every given config on from its checkpoint, at once, until MINUTES of training in all (the cosine schedule is
# stretched to the new end, so the learning rate restarts part-way up: a warm restart), then judges, saves each bundle
# over the first call's and, with PACK=DIR, packs OUT for the trip back (gpu/pack.py). STEPS caps the steps instead
# (CI's smoke test). A config path may be absolute; otherwise it is under models/recipe/, as for run.sh.
set -euo pipefail
OUT=${OUT:-/tmp/hh-gpu-out}
DATA=${DATA:-/tmp/hh-sim}
PY=${PYTHON:-python3}
[ -n "${MINUTES:-}${STEPS:-}" ] || { echo "resume.sh: give MINUTES (the total training time) or STEPS" >&2; exit 2; }
JUDGE_ARGS=(--no-judge)
[ -n "${JUDGE_FROM:-}" ] && JUDGE_ARGS=(--judge-from "$JUDGE_FROM")
pids=()
for cfg in "$@"; do
  [ "${cfg#/}" = "$cfg" ] && cfg="models/recipe/$cfg"
  name=$("$PY" -c "import json, sys; print(json.load(open(sys.argv[1]))['name'])" "$cfg")
  [ -s "$OUT/$name/checkpoint.pt" ] || { echo "resume.sh: no checkpoint in $OUT/$name (run run.sh first, on this machine)" >&2; exit 2; }
  args=()
  [ -n "${MINUTES:-}" ] && args+=(--max-minutes "$MINUTES")
  [ -n "${STEPS:-}" ] && args+=(--steps "$STEPS")
  # The first call's log is kept: the resumed run logs beside it
  PYTHONUNBUFFERED=1 "$PY" models/recipe/train.py --config "$cfg" --data "$DATA" --run-dir "$OUT/$name" \
    "${args[@]}" "${JUDGE_ARGS[@]}" --train-only > "$OUT/$name/train-resumed.log" 2>&1 &
  pids+=($!)
done
status=0
for p in "${pids[@]}"; do wait "$p" || status=$?; done
tail -n 4 "$OUT"/*/train-resumed.log
if [ -n "${PACK:-}" ]; then
  "$PY" models/recipe/gpu/pack.py "$OUT" "$PACK"
fi
exit $status
