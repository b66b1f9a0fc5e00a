#!/usr/bin/env bash
# One sequence of docs/sequences.md at the paper's settings: A then B from eight starts, seeds 0-2, and
# the fresh network on B (A:0,B: the same input layer, nothing learned first), into
# results/sequence-A-B.json/.txt and results/sequence-A-B-fresh.json/.txt, with the minutes each took
# on stderr. tools/sequence_table.py reads the pair.
# Usage: tools/sequence-study.sh A B [THREADS]   e.g. tools/sequence-study.sh dms 2af 1
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
a=$1 b=$2 threads=${3:-1}
S=rank:1,rank:30,rank:100,rank:300,aligned:1,connectome,v1,fly
for run in "$a,$b:" "$a:0,$b:-fresh"; do
  seq=${run%:*} suffix=${run##*:}
  out=results/sequence-$a-$b$suffix
  t0=$(date +%s)
  target/release/richlazy sweep --sequence "$seq" --inits $S --seeds 3 --threads "$threads" --save "$out.json" > "$out.txt"
  echo "$out: $(( ($(date +%s) - t0 + 30) / 60 )) min on $threads thread(s)" >&2
done
