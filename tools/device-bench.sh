#!/usr/bin/env bash
# The native engine beside PyTorch on another machine that has a python with torch but no Rust
# (the team's device machine: a 16-core AVX-512 Xeon). Build here, copy the binary along, then in the
# repository root there:
#   cargo build --release            # here; target/release/richlazy picks its SIMD path at run time
#   ROUNDS=3 tools/device-bench.sh   # there; writes $OUT (default /tmp/device-bench) and prints medians
# Rounds alternate engine and PyTorch so that a change in the machine's state hits both.
# PIN=CORE runs both on that one core (taskset), PyTorch on one thread only: on a virtual machine
# whose cores differ in speed (as the device machine's do), only that compares like with like.
set -euo pipefail
out=${OUT:-/tmp/device-bench}
rounds=${ROUNDS:-3}
pin=()
torch_args=()
if [ -n "${PIN:-}" ]; then
  pin=(taskset -c "$PIN")
  torch_args=(--one)
fi
mkdir -p "$out"
{ lscpu; nproc; python3 -c 'import torch; print("torch", torch.__version__); print(torch.__config__.show())'; } >"$out/machine.txt" 2>&1 || true
: >"$out/native.jsonl"
: >"$out/torch.jsonl"
for _ in $(seq "$rounds"); do
  "${pin[@]}" ./target/release/richlazy bench --iters 200 --json >>"$out/native.jsonl"
  "${pin[@]}" python3 tools/torch_bench.py --iters 200 --json "${torch_args[@]}" >>"$out/torch.jsonl"
done
python3 - "$out" <<'PY'
import json, statistics, sys
out = sys.argv[1]
native = [json.loads(l) for l in open(f'{out}/native.jsonl')]
torch = [json.loads(l) for l in open(f'{out}/torch.jsonl')]
med = lambda rows, key: statistics.median(r[key] for r in rows)
one, every = [t['one'] for t in torch], [t['all'] for t in torch if 'all' in t]
print(f"torch {torch[0]['torch']}; medians of {len(native)} rounds, ms (each round itself a median)")
print(f"{'':28}{'engine':>9}{'torch 1 thread':>16}" + (f"{'torch ' + str(every[0]['threads']) + ' threads':>18}" if every else ''))
for name, key, tkey in [('training iteration', 'iteration_ms', 'iteration_ms'), ('kernel alignment', 'kernel_alignment_ms', 'kernel_alignment_ms'),
                        ('singular values (svdvals)', 'svd_ms', 'svd_ms'), ('  same via eigvalsh(W^T W)', None, 'eigvalsh_ms')]:
    ours = f"{med(native, key):9.2f}" if key else f"{'':9}"
    print(f"{name:28}{ours}{med(one, tkey):16.2f}" + (f"{med(every, tkey):18.2f}" if every else ''))
for key in ('iteration_ms', 'kernel_alignment_ms', 'svd_ms'):
    print(f"{key} per round, engine:", [round(r[key], 2) for r in native], 'torch 1 thread:', [round(r[key], 2) for r in one])
PY
