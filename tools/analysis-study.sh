#!/usr/bin/env bash
# The state-space study of docs/analysis.md: `richlazy analyse` at the paper's settings (N 300 where
# the start allows, 10000 iterations) for 2AF and DMS, eight starts, seeds 0-2, one JSON each in
# results/analysis/, then the table (tools/analysis_table.py) in results/analysis.txt and every report in
# results/analysis-study.json (the article's figure reads it).
# Usage: tools/analysis-study.sh [JOBS]   (runs JOBS analyses at a time; a run already there is kept)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/richlazy
jobs=${1:-1}
starts=("rank1:--init rank --rank 1" "rank30:--init rank --rank 30" "rank100:--init rank --rank 100"
  "rank300:--init rank --rank 300" "aligned1:--init aligned --rank 1" "connectome:--init connectome"
  "v1:--init v1" "fly:--init fly")
mkdir -p results/analysis
# One line per missing run: its report on success, else its error's last line in NAME.failed (a
# diverged run has nothing to analyse), so that a rerun redoes only what is missing.
for task in 2af dms; do
  for s in "${starts[@]}"; do
    for seed in 0 1 2; do
      out="results/analysis/$task-${s%%:*}-s$seed"
      [ -s "$out.json" ] || [ -s "$out.failed" ] && continue
      echo "$bin analyse --task $task ${s#*:} --seed $seed > $out.tmp 2> $out.err && mv $out.tmp $out.json || tail -n 1 $out.err > $out.failed; rm -f $out.tmp $out.err"
    done
  done
done | xargs -P "$jobs" -I{} sh -c '{}'
python3 tools/analysis_table.py results/analysis --bundle results/analysis-study.json > results/analysis.txt
cat results/analysis.txt
