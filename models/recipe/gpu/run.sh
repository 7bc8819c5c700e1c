#!/usr/bin/env bash
# On a GPU machine, from the repo root, after prepare.sh (its .devcarry/ copied along):
#   BUDGET_SEC=500 OUT=/some/dir bash models/recipe/gpu/run.sh config.gpu.json [config.gpu-live.json:config.distill-live.json ...]
# simulates the training data (the first config's data.simulate, all cores), then trains every given config at
# once on the one GPU (a small network leaves it mostly idle: runs share it well), each for the time left in
# BUDGET_SEC, and leaves each run's portable bundle (weights + metadata), checkpoint and log in OUT/<name>/.
# An entry A:B trains config A, then distils it with distill config B (DISTILL_SHARE of the time, default 0.4)
# into OUT/<B's name>/. No judge is trained here (JUDGE=1 trains one per run; it used to be what ran out of time):
# export gives one with --judge-from, so the models compared share one judge. JUDGE_FROM=B.npz gives every run that
# bundle's judge at once (e.g. a shipped model's, rebuilt by from_onnx.py and carried along): the "auto" guidance
# interval is then chosen on the GPU, by the judge the shipped tables were made with. INIT_FROM=B.npz fine-tunes that
# bundle in every run instead of training from scratch (its judge is then the judge); INIT_DIR=D fine-tunes each run
# from D/<its config's name>.npz where there is one (what pack.py leaves: so a run packed earlier trains on), and
# INIT_WITHOUT_PRIOR=1 leaves the bundles' material priors out (train.py --init-without-prior).
# Export and evaluation then run anywhere: train.py --from-bundle OUT/<name>/bundle.npz (see models/README.md).
set -euo pipefail
T0=$(date +%s)
BUDGET=${BUDGET_SEC:-500}
OUT=${OUT:-/tmp/hh-gpu-out}
DATA=${DATA:-/tmp/hh-sim}
PY=${PYTHON:-python3}  # the Python that has PyTorch
mkdir -p "$OUT"
NODE=$(command -v node || true)
if [ -z "$NODE" ]; then
  "$PY" -c "import lzma, shutil; shutil.copyfileobj(lzma.open('.devcarry/node.xz'), open('/tmp/node', 'wb'))"
  chmod +x /tmp/node && NODE=/tmp/node
fi
read -r HOURS SEED < <("$PY" -c "import json; s = json.load(open('models/recipe/$1'))['data']['simulate']; print(s['hours'], s['seed'])")
CORES=$(nproc)
echo "node $($NODE -v), $CORES cores, $("$PY" -c 'import torch; print(torch.__version__, torch.cuda.get_device_name(0) if torch.cuda.is_available() else "no CUDA")')"
if ! timeout "${SIM_TIMEOUT_SEC:-240}" "$NODE" .devcarry/sim/simulate.mjs --out "$DATA" --hours "$HOURS" --seed "$SEED" --workers "$CORES" --quiet; then
  HOURS=${FALLBACK_HOURS:-1.5}
  echo "simulation did not finish in time: falling back to $HOURS h"
  rm -rf "$DATA"
  "$NODE" .devcarry/sim/simulate.mjs --out "$DATA" --hours "$HOURS" --seed "$SEED" --workers "$CORES" --quiet
fi
ELAPSED=$(( $(date +%s) - T0 ))
# What is left, less RESERVE_SEC for loading the data, training the judge, the guidance sweep and saving.
RESERVE=${RESERVE_SEC:-150}
MINUTES=$("$PY" -c "print(round(max(1.0, ($BUDGET - $ELAPSED - $RESERVE) / 60), 2))")
echo "simulated in ${ELAPSED}s; training for $MINUTES min"
pids=()
JUDGE_ARGS=(--no-judge); [ "${JUDGE:-0}" = 1 ] && JUDGE_ARGS=()
[ -n "${JUDGE_FROM:-}" ] && JUDGE_ARGS=(--judge-from "$JUDGE_FROM")
for entry in "$@"; do
  cfg=${entry%%:*}
  name=$("$PY" -c "import json; print(json.load(open('models/recipe/$cfg'))['name'])")
  # Checkpoints and the bundle go straight to OUT/<name>: a run cut short still leaves its last checkpoint there.
  mkdir -p "$OUT/$name"
  args=(--max-minutes "$MINUTES")
  if [ "$entry" != "$cfg" ]; then  # A:B: train A, then distil it with B in the same process (the data loaded once)
    share=${DISTILL_SHARE:-0.4}
    args=(--max-minutes "$("$PY" -c "print(round($MINUTES * (1 - $share), 2))")" --then-distill "models/recipe/${entry#*:}"
          --distill-minutes "$("$PY" -c "print(round($MINUTES * $share, 2))")")
  fi
  init=${INIT_FROM:-}  # fine-tune that bundle (its judge stays the judge); INIT_DIR's bundle of this run's name wins
  [ -n "${INIT_DIR:-}" ] && [ -s "$INIT_DIR/$name.npz" ] && init="$INIT_DIR/$name.npz"
  if [ -n "$init" ]; then
    args+=(--init-from "$init")
    [ "${INIT_WITHOUT_PRIOR:-0}" = 1 ] && args+=(--init-without-prior)
  fi
  PYTHONUNBUFFERED=1 "$PY" models/recipe/train.py --config "models/recipe/$cfg" --data "$DATA" --run-dir "$OUT/$name" \
    "${args[@]}" "${JUDGE_ARGS[@]}" --train-only > "$OUT/$name/train.log" 2>&1 &
  pids+=($!)
done
status=0
for p in "${pids[@]}"; do wait "$p" || status=$?; done
tail -n 4 "$OUT"/*/train.log
echo "total $(( $(date +%s) - T0 ))s"
exit $status
