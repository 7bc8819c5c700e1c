#!/usr/bin/env bash
# Prepares what a bare GPU machine needs to train from nothing (see models/README.md "Training on a GPU"):
# the simulator bundled into plain JS, and a Node binary (xz) for machines that have Python + CUDA but no Node.
set -euo pipefail
cd "$(dirname "$0")/../../.."
mkdir -p .devcarry
npm run build:asm >/dev/null
node models/recipe/gpu/bundle-simulator.mjs .devcarry/sim
[ -s .devcarry/node.xz ] || xz -6 -T2 -c "$(command -v node)" > .devcarry/node.xz
du -sh .devcarry/*
