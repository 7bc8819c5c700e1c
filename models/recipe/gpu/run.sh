#!/usr/bin/env bash
# On a GPU machine, from the repo root, after prepare.sh (its .devcarry/ copied along):
#   BUDGET_SEC=500 OUT=/some/dir bash models/recipe/gpu/run.sh config.gpu.json [config.gpu-causal.json ...]
# simulates the training data (the first config's data.simulate, all cores), then trains every given config at
# once on the one GPU (a small network leaves it mostly idle: runs share it well), each for the time left in
# BUDGET_SEC, and leaves each run's portable bundle (weights + judge + metadata), checkpoint and log in OUT/<name>/.
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
if ! timeout 240 "$NODE" .devcarry/sim/simulate.mjs --out "$DATA" --hours "$HOURS" --seed "$SEED" --workers "$CORES" --quiet; then
  echo "simulation of $HOURS h did not finish in time: falling back to 1.5 h"
  rm -rf "$DATA"; HOURS=1.5
  "$NODE" .devcarry/sim/simulate.mjs --out "$DATA" --hours "$HOURS" --seed "$SEED" --workers "$CORES" --quiet
fi
ELAPSED=$(( $(date +%s) - T0 ))
# What is left, less RESERVE_SEC for loading the data, training the judge, the guidance sweep and saving.
RESERVE=${RESERVE_SEC:-150}
MINUTES=$("$PY" -c "print(round(max(1.0, ($BUDGET - $ELAPSED - $RESERVE) / 60), 2))")
echo "simulated in ${ELAPSED}s; training for $MINUTES min"
pids=()
for cfg in "$@"; do
  name=$("$PY" -c "import json; print(json.load(open('models/recipe/$cfg'))['name'])")
  # Checkpoints and the bundle go straight to OUT/<name>: a run cut short still leaves its last checkpoint there.
  mkdir -p "$OUT/$name"
  PYTHONUNBUFFERED=1 "$PY" models/recipe/train.py --config "models/recipe/$cfg" --data "$DATA" --run-dir "$OUT/$name" \
    --max-minutes "$MINUTES" --train-only > "$OUT/$name/train.log" 2>&1 &
  pids+=($!)
done
status=0
for p in "${pids[@]}"; do wait "$p" || status=$?; done
tail -n 4 "$OUT"/*/train.log
echo "total $(( $(date +%s) - T0 ))s"
exit $status
