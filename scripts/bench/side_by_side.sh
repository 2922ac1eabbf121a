#!/usr/bin/env bash
# Side-by-side G forward benchmark: StainKit (release) and PyTorch, alternating, same size and threads.
# Usage: scripts/bench/side_by_side.sh [size] [runs] [threads] [rounds]
# Needs `swift build -c release --product stain` first and a Python with torch (PYTHON=/path/to/venv/bin/python).
# OpenBLAS does not recognise some virtualised Xeons and falls back to its generic "Prescott" kernels; the
# StainKit line prints blas=<core>. Export OPENBLAS_CORETYPE (e.g. SkylakeX, Haswell) to choose the kernels.
set -euo pipefail
size=${1:-256}; runs=${2:-5}; threads=${3:-2}; rounds=${4:-2}
root=$(cd "$(dirname "$0")/../.." && pwd)
python=${PYTHON:-python3}
echo "# $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg)"
for _ in $(seq "$rounds"); do
  "$root/.build/release/stain" bench generator --size "$size" --runs "$runs" --threads "$threads"
  "$python" "$root/scripts/bench/pytorch_generator.py" generator --size "$size" --runs "$runs" --threads "$threads"
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
