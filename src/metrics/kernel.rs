//! The tangent kernel of the network's logits with respect to W_rec.
//!
//! The gradient of logit y_t[b, k] is sum_{s=1..t} e_s h_{s-1}^T, with e_s the
//! error reaching step s's pre-activation (times a). So the inner product of
//! two gradients is sum_{s, s'} <e_s, e'_{s'}> <h_{s-1}, h'_{s'-1}>: two
//! small Gram matrices instead of one N^2-long vector per logit.

use crate::linalg::{gemm_nn, Mat, Real};
use crate::model::{Rnn, Trace};
use crate::tasks::Batch;

/// The (T B K) x (T B K) kernel, logits ordered `(t * B + b) * K + k`.
pub fn tangent_kernel<T: Real>(net: &Rnn<T>, batch: &Batch) -> Mat<f64> {
    let mut tr = Trace::new(net, batch.seq_len, batch.batch);
    tr.forward(net, batch);
    let (steps, b, n, k) = (tr.seq_len, tr.batch, tr.hidden, tr.n_out);
    let a = net.alpha;
    let keep = T::ONE - a;

    // Rows of E: for each (t, class), for s = 1..=t, the B error vectors e_s.
    let block_start = |t: usize, c: usize| b * (k * t * (t.saturating_sub(1)) / 2 + c * t);
    let rows = b * k * steps * (steps - 1) / 2;
    let mut e = vec![T::ZERO; rows * n];
    let mut dh = vec![T::ZERO; b * n];
    let mut next = vec![T::ZERO; b * n];
    for t in 1..steps {
        for c in 0..k {
            for bi in 0..b {
                dh[bi * n..(bi + 1) * n].copy_from_slice(net.w_out.row(c));
            }
            for s in (1..=t).rev() {
                let u = tr.u_at(s);
                let at = (block_start(t, c) + (s - 1) * b) * n;
                let es = &mut e[at..at + b * n];
                for i in 0..b * n {
                    let du = if u[i] > T::ZERO { dh[i] } else { T::ZERO };
                    es[i] = a * du;
                    next[i] = keep * du;
                }
                if s > 1 {
                    gemm_nn(&mut next, es, &net.w_rec.data, b, n, n);
                    std::mem::swap(&mut dh, &mut next);
                }
            }
        }
    }
    let e = Mat::from_vec(rows, n, e);
    let ge = e.matmul_t(&e);
    // h_{s-1} for s = 1..T-1, row (s - 1) * B + b.
    let h = Mat::from_vec((steps - 1) * b, n, tr.h[..(steps - 1) * b * n].to_vec());
    let gh = h.matmul_t(&h);

    let m = steps * b * k;
    let mut kern = Mat::<f64>::zeros(m, m);
    for t in 1..steps {
        for t2 in 1..steps {
            for c in 0..k {
                for c2 in 0..k {
                    for bi in 0..b {
                        for bj in 0..b {
                            let mut acc = 0.0f64;
                            for s in 1..=t {
                                let gr = ge.row(block_start(t, c) + (s - 1) * b + bi);
                                let hr = gh.row((s - 1) * b + bi);
                                for s2 in 1..=t2 {
                                    let col = block_start(t2, c2) + (s2 - 1) * b + bj;
                                    acc += gr[col].to_f64() * hr[(s2 - 1) * b + bj].to_f64();
                                }
                            }
                            kern.set((t * b + bi) * k + c, (t2 * b + bj) * k + c2, acc);
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
            dh = (0..n).map(|j| (1.0 - net.alpha) * du[j] + (0..n).map(|i| net.alpha * du[i] * net.w_rec.at(i, j)).sum::<f64>()).collect();
        }
        g
    }

    fn small_case(alpha: f64) -> (Rnn<f64>, Batch) {
        let task = TaskKind::Context.build();
        let mut rng = Rng::new(5, 0);
        let n = 6;
        let w_rec = Mat::from_fn(n, n, |_, _| 0.7 * rng.normal());
        let net = Rnn::new(w_rec, task.n_in(), task.n_out(), alpha, &mut rng);
        let batch = TaskStream::new(task, 3, 9, 0).next_batch();
        (net, batch)
    }

    #[test]
    fn fast_kernel_equals_explicit_per_logit_gradients() {
        for alpha in [1.0, 0.3] {
            let (net, batch) = small_case(alpha);
            let fast = tangent_kernel(&net, &batch);
            let mut tr = Trace::new(&net, batch.seq_len, batch.batch);
            tr.forward(&net, &batch);
            let (steps, b, k) = (batch.seq_len, batch.batch, net.n_out());
            let mut grads = Vec::new();
            for t in 0..steps {
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
                    assert!((fast.at(i, j) - want).abs() < 1e-9 * (1.0 + want.abs()), "alpha {alpha} ({i},{j}): {} vs {want}", fast.at(i, j));
                }
            }
            assert!(max_abs > 1e-3, "kernel should not be trivially zero");
        }
    }

    #[test]
    fn kernel_is_aligned_with_itself_and_moves_when_weights_move() {
        let (net, batch) = small_case(1.0);
        let k0 = tangent_kernel(&net, &batch);
        assert!((alignment(&k0, &k0) - 1.0).abs() < 1e-12);
        let mut moved = net.clone();
        moved.w_rec.data.iter_mut().enumerate().for_each(|(i, w)| *w += if i % 3 == 0 { 0.5 } else { -0.4 });
        let k1 = tangent_kernel(&moved, &batch);
        assert!(alignment(&k0, &k1) < 0.999);
    }
}
