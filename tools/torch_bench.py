#!/usr/bin/env python3
"""PyTorch yardstick for `richlazy bench`: the same work, timed on the CPU.

    python tools/torch_bench.py [--iters 200] [--json]

Needs a python with torch (not a dependency of the project; e.g. `python3 -m venv /tmp/torchvenv &&
/tmp/torchvenv/bin/pip install torch`). `TORCH_PYTHON=/tmp/torchvenv/bin/python node tools/bench.mjs`
prints these figures beside native and wasm.

Timed at the paper's settings, once with torch.set_num_threads(1) and once with every thread:
- training iteration: the CT-RNN with a = 1 (h_t = relu(W_in x_t + W_rec h_{t-1}), y_t = W_out h_t, no
  biases), N 300, batch 32, 8 steps, n_in 3, n_out 3, cross-entropy at every step, backprop through
  time by autograd, SGD lr 0.003 momentum 0.9. A fresh random batch every iteration (2AF-like inputs:
  fixation, two noisy evidence channels; random labels), as the engine draws one.
- tangent-kernel alignment: the 768 x 768 kernel of all 8 x 32 x 3 logits w.r.t. W_rec by the engine's
  algorithm (Gram matrices of back-propagated errors and of hidden states, src/metrics/kernel.rs),
  then its alignment with a stored kernel.
- singular values of a 300 x 300 float64 matrix (torch.linalg.svdvals, LAPACK), and the same through
  the eigenvalues of W^T W (torch.linalg.eigvalsh), the engine's route.
Medians over the repeats, in milliseconds.
"""
import argparse
import json
import statistics
import time

import torch

N, B, T, N_IN, N_OUT, LR, MOMENTUM = 300, 32, 8, 3, 3, 0.003, 0.9


def make_net(gen):
    w_rec = torch.randn(N, N, generator=gen) * (1.25 / N**0.5)
    w_in = (torch.rand(N, N_IN, generator=gen) * 2 - 1) / N_IN**0.5
    w_out = (torch.rand(N_OUT, N, generator=gen) * 2 - 1) / N**0.5
    return [p.requires_grad_() for p in (w_in, w_rec, w_out)]


def make_batch(gen):
    x = torch.randn(T, B, N_IN, generator=gen) * 0.1
    x[:, :, 0] += 1.0
    labels = torch.randint(0, N_OUT, (T, B), generator=gen)
    return x, labels


def forward(params, x):
    w_in, w_rec, w_out = params
    h = torch.zeros(B, N, dtype=x.dtype)
    hs, ys = [], []
    for t in range(T):
        h = torch.relu(x[t] @ w_in.T + h @ w_rec.T)
        hs.append(h)
        ys.append(h @ w_out.T)
    return hs, torch.stack(ys)


def time_iterations(iters, warmup=20):
    gen = torch.Generator().manual_seed(0)
    params = make_net(gen)
    opt = torch.optim.SGD(params, lr=LR, momentum=MOMENTUM)
    times = []
    for i in range(warmup + iters):
        t0 = time.perf_counter()
        x, labels = make_batch(gen)
        _, y = forward(params, x)
        loss = torch.nn.functional.cross_entropy(y.reshape(-1, N_OUT), labels.reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
        if i >= warmup:
            times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e3


@torch.no_grad()
def tangent_kernel(params, x):
    """The engine's algorithm (a = 1): grad of y_t[b, c] w.r.t. W_rec is sum_{s=1..t} e_s h_{s-1}^T."""
    w_in, w_rec, w_out = (p.detach() for p in params)
    hs, _ = forward((w_in, w_rec, w_out), x)
    masks = [h > 0 for h in hs]  # relu'(u_s) (u > 0 <=> h > 0)
    # Rows of E as the engine stores them: for each t = 1..T-1 and class c, e_s for s = t..1 (a block
    # of B rows each); only s <= t, since y_t does not depend on later steps.
    blocks = []
    for t in range(1, T):
        dh = w_out.unsqueeze(1).expand(N_OUT, B, N)
        es = []
        for s in range(t, 0, -1):
            e = dh * masks[s]
            es.append(e)
            dh = e @ w_rec
        blocks.append(torch.stack(es[::-1], 1))  # (class, s - 1, b, n)
    e = torch.cat([blk.reshape(-1, N) for blk in blocks])
    ge = (e @ e.T).double()
    h = torch.stack(hs[: T - 1])  # h_{s-1} for s = 1..T-1
    gh = torch.einsum('sbn,wdn->sbwd', h, h).double()
    starts = [0]
    for blk in blocks:
        starts.append(starts[-1] + blk[0].numel() // N * N_OUT)
    k = torch.zeros(T, B, N_OUT, T, B, N_OUT, dtype=torch.float64)
    for t in range(1, T):
        for t2 in range(1, T):
            g = ge[starts[t - 1]:starts[t], starts[t2 - 1]:starts[t2]].reshape(N_OUT, t, B, N_OUT, t2, B)
            k[t, :, :, t2] = torch.einsum('csbdwe,sbwe->bced', g, gh[:t, :, :t2])
    return k.reshape(T * B * N_OUT, T * B * N_OUT)


def alignment(a, b):
    return float((a * b).sum() / (a.norm() * b.norm()))


def time_kernel(repeats=5):
    gen = torch.Generator().manual_seed(1)
    params = make_net(gen)
    x, _ = make_batch(gen)
    k0 = tangent_kernel(params, x)
    with torch.no_grad():
        params[1] += 0.01 * torch.randn(N, N, generator=gen)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        a = alignment(tangent_kernel(params, x), k0)
        times.append(time.perf_counter() - t0)
    assert a == a
    return statistics.median(times) * 1e3, k0.shape[0]


def time_svd(repeats=20):
    w = torch.randn(N, N, generator=torch.Generator().manual_seed(2), dtype=torch.float64) / N**0.5
    times = []
    for _ in range(repeats + 2):
        t0 = time.perf_counter()
        s = torch.linalg.svdvals(w)
        times.append(time.perf_counter() - t0)
    assert s[0] > 0
    return statistics.median(times[2:]) * 1e3


def time_eigvalsh(repeats=20):
    """The engine's route to the same values: the eigenvalues of W^T W (LAPACK syevd)."""
    w = torch.randn(N, N, generator=torch.Generator().manual_seed(2), dtype=torch.float64) / N**0.5
    times = []
    for _ in range(repeats + 2):
        t0 = time.perf_counter()
        s = torch.linalg.eigvalsh(w.T @ w).clamp(min=0).sqrt()
        times.append(time.perf_counter() - t0)
    assert s[-1] > 0
    return statistics.median(times[2:]) * 1e3


def measure(threads, iters):
    torch.set_num_threads(threads)
    kernel_ms, size = time_kernel()
    return {'threads': threads, 'iters': iters, 'iteration_ms': time_iterations(iters), 'kernel_alignment_ms': kernel_ms,
            'svd_ms': time_svd(), 'eigvalsh_ms': time_eigvalsh(), 'kernel_size': size}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--iters', type=int, default=200)
    ap.add_argument('--json', action='store_true', help='one JSON object: {"torch", "one": {...}, "all": {...}}')
    ap.add_argument('--one', action='store_true', help='one thread only (no "all")')
    args = ap.parse_args()
    all_threads = torch.get_num_threads()
    out = {'torch': torch.__version__, 'one': measure(1, args.iters)}
    if not args.one:
        out['all'] = measure(all_threads, args.iters)
    if args.json:
        print(json.dumps(out))
        return
    print(f'torch {out["torch"]}, CPU; median milliseconds')
    for key in ('one', 'all')[:len(out) - 1]:
        r = out[key]
        print(f'{r["threads"]:>2} thread(s): iteration {r["iteration_ms"]:.2f}  kernel alignment ({r["kernel_size"]}^2) '
              f'{r["kernel_alignment_ms"]:.1f}  svdvals 300 {r["svd_ms"]:.2f}  eigvalsh(W^T W) {r["eigvalsh_ms"]:.2f}')


if __name__ == '__main__':
    main()
