#!/bin/bash
# One shard of a wasmhop study per task of a Slurm job array (docs/suite.md, "A study across machines"):
#   job=$(sbatch --parsable --array=1-4 scripts/slurm_study.sh)
#   sbatch --dependency=afterok:$job --wrap 'build/release/bin/wasmhop report --out results/study/report results/study/shard*'
# A requeued or resubmitted task continues its shard where it stopped. Environment (optional):
# WASMHOP_SOURCE (the checkout, default: the submit directory), WASMHOP_STUDY (default results/study),
# WASMHOP_ENGINES (the same on every node; default native,wasm2c,wasm3), WASMHOP_SUITE_ARGS (more options,
# the same on every node, e.g. "--quick --builds release --no-build").
#SBATCH --job-name=wasmhop-study
#SBATCH --exclusive                 # timings need the node to themselves
#SBATCH --time=02:00:00
set -euo pipefail
cd "${WASMHOP_SOURCE:-$SLURM_SUBMIT_DIR}"
study=${WASMHOP_STUDY:-results/study}
shard=$study/shard$SLURM_ARRAY_TASK_ID
if [ -e "$shard/run.json" ]; then
  exec build/release/bin/wasmhop suite --resume "$shard" --no-report
fi
# shellcheck disable=SC2086  # WASMHOP_SUITE_ARGS is a list of options
exec build/release/bin/wasmhop suite --engines "${WASMHOP_ENGINES:-native,wasm2c,wasm3}" --seed 20221 \
  ${WASMHOP_SUITE_ARGS:-} --shard "$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT" --out "$shard" --no-report
