#!/usr/bin/env bash
# Side-by-side training-step benchmark: StainKit (release) and PyTorch, alternating, same step, size and threads.
# Usage: scripts/bench/train_step_side_by_side.sh [step: student|teacher|gf] [size] [runs] [threads] [rounds]
# Needs `swift build -c release --product stain` first and a Python with torch (PYTHON=/path/to/venv/bin/python).
set -euo pipefail
step=${1:-student}; size=${2:-256}; runs=${3:-3}; threads=${4:-2}; rounds=${5:-2}
root=$(cd "$(dirname "$0")/../.." && pwd)
python=${PYTHON:-python3}
echo "# $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg)"
for _ in $(seq "$rounds"); do
  "$root/.build/release/stain" bench train-step --step "$step" --size "$size" --runs "$runs" --threads "$threads"
  "$python" "$root/scripts/bench/pytorch_generator.py" train-step --step "$step" --size "$size" --runs "$runs" --threads "$threads"
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
