//! The tangent kernel of the network's logits with respect to W_rec.
//!
//! Which logits (our choice): at every time step dt, those at the END of each
//! 100 ms, steps t with (t + 1) dt a multiple of 100. All three tasks last
//! 800 ms, so that is 8 time points x batch x 3 classes (768 logits for a batch
//! of 32) at every dt, and at dt = 100 it is every step, the set the kernel
//! always had. A task that scores only some steps (sMNIST: the last) has its
//! kernel over those steps' logits, the ones its loss sees (sMNIST: 10 per
//! sequence). Logits are ordered `(m * B + b) * K + k` for the m-th point.
//!
//! The gradient of logit y_t[b, k] is sum_{s=1..t} e_s h_{s-1}^T, with e_s the
//! error reaching step s's pre-activation (times a). Two ways to take the
//! Gram matrix of these N x N gradients:
//!
//! - `pair_gram` (dt = 100, 8 steps): the inner product of two gradients is
//!   sum_{s, s'} <e_s, e'_{s'}> <h_{s-1}, h'_{s'-1}>, two small Gram matrices
//!   instead of one N^2-long vector per logit. E has B K T (T - 1) / 2 rows
//!   (2688 at T = 8), but 75 000 at T = 40, and its Gram would take gigabytes.
//! - `gradient_gram` (any dt): each logit's gradient written out, a block of
//!   rows of W_rec at a time, and the Gram matrix of those vectors, upper
//!   blocks only (the lower ones are the same products in the same order).
//!   Its cost is (8 B K)^2 N^2, against (B K sum_m t_m)^2 N for the pairwise
//!   Gram restricted to the 8 points: at dt = 20, batch 32, N = 100 the whole
//!   kernel took 0.27 s (f32, one core), the pairwise Gram of E alone 1.1 s;
//!   at N = 300, 1.9 s against 3.0 s. So this is the one for long trials.
//!
//! dt = 100 keeps `pair_gram`, whose bits the stored results hold; a few scored
//! steps of a long trial take `gradient_gram` (sMNIST at N 300: 320 logits at
//! step 27, about 9e9 multiply-adds, against 2e10 for the pairwise Gram). Both use
//! the fixed-order products of `linalg`, so native and wasm agree bit for bit.

use crate::linalg::{gemm_nn, gemm_tn, Mat, Real};
use crate::model::{Rnn, Trace};
use crate::tasks::Batch;

/// The steps whose logits the kernel is over: the last of each 100 ms.
pub fn kernel_steps(dt: u32, seq_len: usize) -> Vec<usize> {
    assert!(dt > 0 && 100 % dt == 0, "dt {dt} ms does not divide 100 ms");
    let per = (100 / dt) as usize;
    assert_eq!(seq_len % per, 0, "a trial of {seq_len} steps of {dt} ms is not whole 100 ms");
    (1..=seq_len / per).map(|m| m * per - 1).collect()
}

/// The kernel over the logits of the scored steps when not all are scored, else of
/// `kernel_steps(batch.dt, batch.seq_len)`: a square matrix of side (points x B x K).
pub fn tangent_kernel<T: Real>(net: &Rnn<T>, batch: &Batch) -> Mat<f64> {
    if batch.scored != (0..batch.seq_len) {
        gradient_gram(net, batch, &batch.scored.clone().collect::<Vec<_>>())
    } else if batch.dt == 100 {
        pair_gram(net, batch)
    } else {
        gradient_gram(net, batch, &kernel_steps(batch.dt, batch.seq_len))
    }
}

/// The errors e_s (times a) that logit class `c` at step `t` sends back to the
/// pre-activations of steps s = t, t - 1, ..., 1 of all B sequences, written to
/// `e` at `(s - 1) * B * N` through `at(s)`. `dh` and `next` are B x N scratch.
#[allow(clippy::too_many_arguments)]
fn backprop<T: Real>(
    net: &Rnn<T>,
    tr: &Trace<T>,
    t: usize,
    c: usize,
    e: &mut [T],
    at: impl Fn(usize) -> usize,
    dh: &mut Vec<T>,
    next: &mut Vec<T>,
) {
    let (b, n) = (tr.batch, tr.hidden);
    let a = net.alpha;
    let keep = T::ONE - a;
    for bi in 0..b {
        dh[bi * n..(bi + 1) * n].copy_from_slice(net.w_out.row(c));
    }
    for s in (1..=t).rev() {
        let u = tr.u_at(s);
        let es = &mut e[at(s)..at(s) + b * n];
        for i in 0..b * n {
            let du = if u[i] > T::ZERO { dh[i] } else { T::ZERO };
            es[i] = a * du;
            next[i] = keep * du;
        }
        if s > 1 {
            gemm_nn(next, es, &net.w_rec.data, b, n, n);
            std::mem::swap(dh, next);
        }
    }
}

/// The (T B K) x (T B K) kernel over every step, logits ordered `(t * B + b) * K + k`,
/// by the pairwise Gram matrices of errors and states.
///
/// E's rows come in one block per (t, class), and the Gram matrix of E is taken a
/// pair of blocks at a time, each pair once: entry (r, r') of E E^T is the sum of
/// e_r[p] e_r'[p] in increasing p, which has the bits of entry (r', r), so one
/// product serves the block and its mirror. That halves the work and keeps the
/// 2688 x 2688 whole (29 MB at T = 8) out of memory.
fn pair_gram<T: Real>(net: &Rnn<T>, batch: &Batch) -> Mat<f64> {
    let mut tr = Trace::new(net, batch.seq_len, batch.batch);
    tr.forward(net, batch);
    let (steps, b, n, k) = (tr.seq_len, tr.batch, tr.hidden, tr.n_out);

    // Rows of E: for each (t, class), for s = 1..=t, the B error vectors e_s.
    let blocks: Vec<(usize, usize)> = (1..steps).flat_map(|t| (0..k).map(move |c| (t, c))).collect();
    let block_start = |t: usize, c: usize| b * (k * t * (t - 1) / 2 + c * t);
    let rows = b * k * steps * (steps - 1) / 2;
    let mut e = vec![T::ZERO; rows * n];
    let mut dh = vec![T::ZERO; b * n];
    let mut next = vec![T::ZERO; b * n];
    for &(t, c) in &blocks {
        backprop(net, &tr, t, c, &mut e, |s| (block_start(t, c) + (s - 1) * b) * n, &mut dh, &mut next);
    }
    let rows_of = |t: usize, c: usize| &e[block_start(t, c) * n..(block_start(t, c) + t * b) * n];
    // Each block transposed (N x t B), the right factor of its products.
    let right: Vec<Mat<T>> =
        blocks.iter().map(|&(t, c)| Mat::from_vec(t * b, n, rows_of(t, c).to_vec()).transpose()).collect();
    // h_{s-1} for s = 1..T-1, row (s - 1) * B + b.
    let gh = Mat::from_vec((steps - 1) * b, n, tr.h[..(steps - 1) * b * n].to_vec()).gram();

    let m = steps * b * k;
    let mut kern = Mat::<f64>::zeros(m, m);
    let (mut buf, mut acc) = (Vec::new(), vec![0.0f64; b]);
    for (x, &(t, c)) in blocks.iter().enumerate() {
        for (y, &(t2, c2)) in blocks.iter().enumerate().skip(x) {
            buf.clear();
            buf.resize(t * b * t2 * b, T::ZERO);
            gemm_nn(&mut buf, rows_of(t, c), &right[y].data, t * b, n, t2 * b);
            let g = Mat::from_vec(t * b, t2 * b, buf);
            contract(&mut kern, &g, &gh, (t, c), (t2, c2), b, k, &mut acc);
            if y != x {
                contract(&mut kern, &g.transpose(), &gh, (t2, c2), (t, c), b, k, &mut acc);
            }
            buf = g.data;
        }
    }
    kern
}

/// The kernel entries of logits (t, *, c) against (t2, *, c2) from `g`, the block of
/// E E^T with rows (s - 1) B + b for s <= t and columns likewise for s2 <= t2: each
/// sums g * gh over s, then s2, in increasing order. The B entries of one row of
/// logits are summed side by side (contiguous in g and gh, so the loop vectorises).
#[allow(clippy::too_many_arguments)]
fn contract<T: Real>(
    kern: &mut Mat<f64>,
    g: &Mat<T>,
    gh: &Mat<T>,
    (t, c): (usize, usize),
    (t2, c2): (usize, usize),
    b: usize,
    k: usize,
    acc: &mut [f64],
) {
    for bi in 0..b {
        acc.fill(0.0);
        for s in 1..=t {
            let (gr, hr) = (g.row((s - 1) * b + bi), gh.row((s - 1) * b + bi));
            for s2 in 1..=t2 {
                let (gs, hs) = (&gr[(s2 - 1) * b..][..b], &hr[(s2 - 1) * b..][..b]);
                for ((a, g), h) in acc.iter_mut().zip(gs).zip(hs) {
                    *a += g.to_f64() * h.to_f64();
                }
            }
        }
        for (bj, &a) in acc.iter().enumerate() {
            kern.set((t * b + bi) * k + c, (t2 * b + bj) * k + c2, a);
        }
    }
}

/// Elements of a gradient (rows of W_rec x N) written out at a time.
const CHUNK: usize = 2048;
/// Logits per block of the Gram matrix.
const BLOCK: usize = 96;

/// The kernel over the logits at `points` by explicit per-logit gradients:
/// rows `i0..i1` of every logit's gradient at a time, then their Gram matrix,
/// accumulated in f64 over the row blocks.
fn gradient_gram<T: Real>(net: &Rnn<T>, batch: &Batch, points: &[usize]) -> Mat<f64> {
    let mut tr = Trace::new(net, batch.seq_len, batch.batch);
    tr.forward(net, batch);
    let (b, n, k) = (tr.batch, tr.hidden, tr.n_out);
    let last = *points.last().expect("kernel points");
    assert!(last < tr.seq_len);

    // errors[m * K + c]: e_s for s = 1..=t_m, row (s - 1) * B + b.
    let (mut dh, mut next) = (vec![T::ZERO; b * n], vec![T::ZERO; b * n]);
    let mut errors = Vec::with_capacity(points.len() * k);
    for &t in points {
        for c in 0..k {
            let mut e = vec![T::ZERO; t * b * n];
            backprop(net, &tr, t, c, &mut e, |s| (s - 1) * b * n, &mut dh, &mut next);
            errors.push(e);
        }
    }
    // states[b]: h_{s-1} of sequence b for s = 1..=last, row s - 1.
    let states: Vec<Vec<T>> =
        (0..b).map(|bi| (0..last).flat_map(|s| tr.h_at(s)[bi * n..(bi + 1) * n].to_vec()).collect()).collect();

    let m = points.len() * b * k;
    let blocks: Vec<(usize, usize)> = (0..m).step_by(BLOCK).map(|j| (j, (j + BLOCK).min(m))).collect();
    let rows_per_chunk = (CHUNK / n).max(1);
    let mut kern = Mat::<f64>::zeros(m, m);
    let mut cols = Vec::new();
    for i0 in (0..n).step_by(rows_per_chunk) {
        let rows = rows_per_chunk.min(n - i0);
        let p = rows * n;
        // g: row l is rows i0.. of logit l's gradient, flattened: E_l[:, rows]^T H_b.
        let mut g = vec![T::ZERO; m * p];
        for (l, gl) in g.chunks_exact_mut(p).enumerate() {
            let (mi, bi, c) = (l / (b * k), l / k % b, l % k);
            let t = points[mi];
            let e = &errors[mi * k + c];
            cols.clear();
            cols.extend((0..t).flat_map(|s| e[(s * b + bi) * n + i0..][..rows].iter().copied()));
            gemm_tn(gl, &cols, &states[bi][..t * n], rows, t, n);
        }
        // The transposed copy of each block of logits, for the right factor.
        let gt: Vec<Vec<T>> = blocks
            .iter()
            .map(|&(j0, j1)| {
                let w = j1 - j0;
                let mut out = vec![T::ZERO; p * w];
                for (jj, gl) in g[j0 * p..j1 * p].chunks_exact(p).enumerate() {
                    for (q, &v) in gl.iter().enumerate() {
                        out[q * w + jj] = v;
                    }
                }
                out
            })
            .collect();
        let mut prod = Vec::new();
        for (bi, &(a0, a1)) in blocks.iter().enumerate() {
            for (bj, &(c0, c1)) in blocks.iter().enumerate().skip(bi) {
                let (h, w) = (a1 - a0, c1 - c0);
                prod.clear();
                prod.resize(h * w, T::ZERO);
                gemm_nn(&mut prod, &g[a0 * p..a1 * p], &gt[bj], h, p, w);
                for x in 0..h {
                    for y in 0..w {
                        let v = prod[x * w + y].to_f64();
                        kern.data[(a0 + x) * m + c0 + y] += v;
                        if bi != bj {
                            kern.data[(c0 + y) * m + a0 + x] += v;
                        }
                    }
                }
            }
        }
    }
    kern
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::alignment;
    use crate::rng::Rng;
    use crate::tasks::{TaskKind, TaskStream};

    /// d y_t[b, c] / d W_rec by one explicit backward pass per logit, as the authors' script does it.
    fn explicit_gradient(net: &Rnn<f64>, tr: &Trace<f64>, t: usize, bi: usize, c: usize) -> Vec<f64> {
        let n = net.hidden();
        let mut g = vec![0.0; n * n];
        let mut dh: Vec<f64> = net.w_out.row(c).to_vec();
        for s in (0..=t).rev() {
            let u = &tr.u_at(s)[bi * n..(bi + 1) * n];
            let du: Vec<f64> = (0..n).map(|i| if u[i] > 0.0 { dh[i] } else { 0.0 }).collect();
            if s > 0 {
                let hp = &tr.h_at(s - 1)[bi * n..(bi + 1) * n];
                for i in 0..n {
                    for j in 0..n {
                        g[i * n + j] += net.alpha * du[i] * hp[j];
                    }
                }
            }
            dh = (0..n)
                .map(|j| {
                    (1.0 - net.alpha) * du[j] + (0..n).map(|i| net.alpha * du[i] * net.w_rec.at(i, j)).sum::<f64>()
                })
                .collect();
        }
        g
    }

    fn small_case(alpha: f64, dt: u32, n: usize, batch: usize) -> (Rnn<f64>, Batch) {
        let task = TaskKind::Context.build_at(dt);
        let mut rng = Rng::new(5, 0);
        let w_rec = Mat::from_fn(n, n, |_, _| 0.7 * rng.normal());
        let net = Rnn::new(w_rec, task.n_in(), task.n_out(), alpha, &mut rng);
        let batch = TaskStream::new(task, batch, 9, 0).next_batch();
        (net, batch)
    }

    #[test]
    fn kernel_points_end_each_100_ms() {
        assert_eq!(kernel_steps(100, 8), (0..8).collect::<Vec<_>>());
        assert_eq!(kernel_steps(20, 40), vec![4, 9, 14, 19, 24, 29, 34, 39]);
        assert_eq!(kernel_steps(50, 16), vec![1, 3, 5, 7, 9, 11, 13, 15]);
        assert_eq!(kernel_steps(10, 80).len(), 8);
    }

    #[test]
    fn fast_kernel_equals_explicit_per_logit_gradients() {
        // dt = 100 (every step, the pairwise Gram) and dt = 20 (the ends of each 100 ms of 40
        // steps, the explicit gradients), with leaks 1 and 0.3 and a leak dt / tau = 0.2.
        for (alpha, dt) in [(1.0, 100), (0.3, 100), (1.0, 20), (0.2, 20), (0.5, 50)] {
            let (net, batch) = small_case(alpha, dt, 6, 3);
            let fast = tangent_kernel(&net, &batch);
            let mut tr = Trace::new(&net, batch.seq_len, batch.batch);
            tr.forward(&net, &batch);
            let (b, k) = (batch.batch, net.n_out());
            let points = kernel_steps(dt, batch.seq_len);
            assert_eq!(points.len(), 8);
            assert_eq!((fast.rows, fast.cols), (8 * b * k, 8 * b * k));
            let mut grads = Vec::new();
            for &t in &points {
                for bi in 0..b {
                    for c in 0..k {
                        grads.push(explicit_gradient(&net, &tr, t, bi, c));
                    }
                }
            }
            let mut max_abs = 0.0f64;
            for i in 0..grads.len() {
                for j in 0..grads.len() {
                    let want: f64 = grads[i].iter().zip(&grads[j]).map(|(x, y)| x * y).sum();
                    max_abs = max_abs.max(want.abs());
                    assert!(
                        (fast.at(i, j) - want).abs() < 1e-9 * (1.0 + want.abs()),
                        "alpha {alpha} dt {dt} ({i},{j}): {} vs {want}",
                        fast.at(i, j)
                    );
                }
            }
            assert!(max_abs > 1e-3, "kernel should not be trivially zero");
        }
    }

    #[test]
    fn explicit_gradients_equal_the_pairwise_gram_at_dt_100() {
        // The long-trial path on the paper's 8 steps, against the path dt = 100 takes; N = 70
        // puts more than one block of rows (2048 / 70 = 29) in play, and 120 logits two blocks.
        for kind in TaskKind::NEUROGYM {
            for alpha in [1.0, 0.4] {
                let task = kind.build();
                let mut rng = Rng::new(11, 3);
                let n = 70;
                let w_rec = Mat::from_fn(n, n, |_, _| 1.3 / (n as f64).sqrt() * rng.normal());
                let net = Rnn::<f64>::new(w_rec, task.n_in(), task.n_out(), alpha, &mut rng);
                let batch = TaskStream::new(task, 5, 2, 7).next_batch();
                let old = pair_gram(&net, &batch);
                let new = gradient_gram(&net, &batch, &kernel_steps(100, batch.seq_len));
                let scale = old.data.iter().fold(0.0f64, |m, v| m.max(v.abs()));
                assert!(scale > 1e-3);
                for (i, (x, y)) in old.data.iter().zip(&new.data).enumerate() {
                    assert!((x - y).abs() <= 1e-9 * scale.max(x.abs()), "{kind:?} alpha {alpha} entry {i}: {x} vs {y}");
                }
                // Exactly symmetric: the mirrored blocks are the same products in the same order.
                assert!((0..new.rows).all(|i| (0..i).all(|j| new.at(i, j) == new.at(j, i))));
            }
        }
    }

    #[test]
    fn dt_100_kernel_keeps_its_bits() {
        // FNV-1a of the f64 bits of the f32 network's kernel as computed at cbed013, before dt.
        let want = [
            (TaskKind::Perceptual, 0x0815_eac4_f68f_9d61u64),
            (TaskKind::DelayMatch, 0xa4ff_3352_26d6_69ef),
            (TaskKind::Context, 0x978c_9c65_9240_73a0),
        ];
        for (kind, want) in want {
            let task = kind.build();
            let mut rng = Rng::new(3, 0);
            let n = 24;
            let w_rec = Mat::from_fn(n, n, |_, _| (1.2 / (n as f64).sqrt() * rng.normal()) as f32);
            let net = Rnn::<f32>::new(w_rec, task.n_in(), task.n_out(), 1.0, &mut rng);
            let batch = TaskStream::new(task, 8, 4, 1).next_batch();
            let k = tangent_kernel(&net, &batch);
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            for byte in k.data.iter().flat_map(|v| v.to_bits().to_le_bytes()) {
                h = (h ^ byte as u64).wrapping_mul(0x100_0000_01b3);
            }
            assert_eq!(h, want, "{kind:?}");
        }
    }

    #[test]
    fn a_scored_step_gives_its_block_of_the_full_kernel() {
        // Scoring only the last step (as sMNIST does) keeps that step's logits: the last
        // B K x B K block of the every-step kernel.
        let (net, mut batch) = small_case(0.7, 100, 6, 3);
        let full = tangent_kernel(&net, &batch);
        batch.scored = 7..8;
        let last = tangent_kernel(&net, &batch);
        let m = batch.batch * net.n_out();
        assert_eq!((last.rows, last.cols), (m, m));
        let off = full.rows - m;
        for i in 0..m {
            for j in 0..m {
                let want = full.at(off + i, off + j);
                assert!(
                    (last.at(i, j) - want).abs() <= 1e-12 * (1.0 + want.abs()),
                    "({i},{j}): {} vs {want}",
                    last.at(i, j)
                );
            }
        }
    }

    #[test]
    fn kernel_is_aligned_with_itself_and_moves_when_weights_move() {
        for dt in [100, 20] {
            let (net, batch) = small_case(1.0, dt, 6, 3);
            let k0 = tangent_kernel(&net, &batch);
            assert!((alignment(&k0, &k0) - 1.0).abs() < 1e-12);
            let mut moved = net.clone();
            moved.w_rec.data.iter_mut().enumerate().for_each(|(i, w)| *w += if i % 3 == 0 { 0.5 } else { -0.4 });
            let k1 = tangent_kernel(&moved, &batch);
            assert!(alignment(&k0, &k1) < 0.999, "dt {dt}");
        }
    }

    /// `cargo test --release -- --ignored --nocapture kernel_timing`: one kernel of an f32
    /// network with a batch of 32 at dt = 20, as the measures take it.
    #[test]
    #[ignore]
    fn kernel_timing() {
        for n in [100, 300] {
            let task = TaskKind::Perceptual.build_at(20);
            let mut rng = Rng::new(1, 0);
            let w_rec = Mat::from_fn(n, n, |_, _| (1.0 / (n as f64).sqrt() * rng.normal()) as f32);
            let net = Rnn::<f32>::new(w_rec, task.n_in(), task.n_out(), 0.2, &mut rng);
            let batch = TaskStream::new(task, 32, 1, 1).next_batch();
            let t0 = std::time::Instant::now();
            let k = tangent_kernel(&net, &batch);
            println!("kernel N {n} dt 20 batch 32: {} x {} in {:.3} s", k.rows, k.cols, t0.elapsed().as_secs_f64());
        }
    }
}
