//! The backward pass every gradient-based rule shares: BPTT for the mean
//! cross-entropy over the scored steps (every step but for sMNIST, whose last
//! step alone is scored), with two knobs that make the local rules.
//!
//! - `feedback`: the matrix that carries the output error to the units
//!   (W_out itself for BPTT and e-prop; a fixed random B for random feedback).
//! - `through_w_rec`: whether the error flows back through W_rec. Without it,
//!   each unit's credit follows only its own leak, `G_s = L_s + (1-a) d_{s+1} G_{s+1}`:
//!   the offline form of e-prop's eligibility traces (Bellec et al. 2020),
//!   as cheap as BPTT and the same numbers as the online form up to summation order.

use super::{BatchStats, Grads};
use crate::linalg::{gemm_nn, gemm_tn, Mat, Real};
use crate::model::{argmax, cross_entropy, Rnn, Trace};
use crate::tasks::Batch;
use std::ops::Range;

pub struct Backward<T> {
    trace: Trace<T>,
    /// dL/dy_t for one step, `batch x n_out`.
    dy: Vec<T>,
    /// dL/dh_t flowing back, `batch x hidden`.
    dh: Vec<T>,
    /// a * dL/du_t: the error that multiplies h_{t-1} and x_t in the weight gradients.
    dpre: Vec<T>,
    x: Vec<T>,
}

/// How credit is assigned: see the module comment.
pub enum Credit<'a, T> {
    /// Exact: through W_out and W_rec.
    Exact,
    /// Each unit's own leak only, with the output error fed back through this
    /// `n_out x N` matrix (W_out for e-prop).
    Local { feedback: &'a Mat<T> },
}

impl<T: Real> Backward<T> {
    pub fn new(net: &Rnn<T>, seq_len: usize, batch: usize) -> Self {
        let n = net.hidden();
        Backward {
            trace: Trace::new(net, seq_len, batch),
            dy: vec![T::ZERO; batch * net.n_out()],
            dh: vec![T::ZERO; batch * n],
            dpre: vec![T::ZERO; batch * n],
            x: vec![T::ZERO; batch * net.n_in()],
        }
    }

    /// Overwrites `grads` with the update direction and returns the batch's loss and accuracy.
    pub fn gradients(
        &mut self,
        net: &Rnn<T>,
        batch: &Batch,
        decision: Range<usize>,
        credit: Credit<T>,
        grads: &mut Grads<T>,
    ) -> BatchStats {
        let tr = &mut self.trace;
        tr.forward(net, batch);
        let (n, b, k, n_in, steps) = (tr.hidden, tr.batch, tr.n_out, net.n_in(), tr.seq_len);
        let (feedback, through_w_rec) = match credit {
            Credit::Exact => (&net.w_out, true),
            Credit::Local { feedback } => (feedback, false),
        };
        let a = net.alpha;
        let keep = T::ONE - a;
        let scored = batch.scored.clone();
        let scale = T::from_f64(1.0 / (scored.len() * b) as f64);
        for g in grads.mats.iter_mut() {
            g.data.iter_mut().for_each(|v| *v = T::ZERO);
        }
        let [g_in, g_rec, g_out] = &mut grads.mats;
        self.dh.iter_mut().for_each(|v| *v = T::ZERO);
        let mut loss = 0.0;
        let (mut right, mut total) = (0usize, 0usize);
        for t in (0..steps).rev() {
            // An unscored step sends no error: dy_t = 0, so its two products are skipped.
            if scored.contains(&t) {
                // dL/dy_t = (softmax - onehot) / (T B), T the scored steps
                let y = tr.y_at(t);
                for (bi, &label) in batch.labels_at(t).iter().enumerate() {
                    let row = &y[bi * k..(bi + 1) * k];
                    let d = &mut self.dy[bi * k..(bi + 1) * k];
                    loss += cross_entropy(row, label, Some(d)).to_f64();
                    d[label] -= T::ONE;
                    d.iter_mut().for_each(|v| *v *= scale);
                    if decision.contains(&t) {
                        right += (argmax(row) == label) as usize;
                        total += 1;
                    }
                }
                let h = tr.h_at(t);
                gemm_tn(&mut g_out.data, &self.dy, h, k, b, n);
                // dh_t += dy_t W_out (or the feedback matrix)
                gemm_nn(&mut self.dh, &self.dy, &feedback.data, b, k, n);
            }
            let u = tr.u_at(t);
            // Zipped, not indexed: without bounds checks the loop vectorises (wasm included).
            for ((dpre, dh), &u) in self.dpre.iter_mut().zip(self.dh.iter_mut()).zip(u) {
                let du = if u > T::ZERO { *dh } else { T::ZERO };
                *dpre = a * du;
                // The leak's share of dh_{t-1}; W_rec's share is added below.
                *dh = keep * du;
            }
            for (xi, &v) in self.x.iter_mut().zip(batch.x_at(t)) {
                *xi = T::from_f64(v as f64);
            }
            gemm_tn(&mut g_in.data, &self.dpre, &self.x, n, b, n_in);
            if t > 0 {
                gemm_tn(&mut g_rec.data, &self.dpre, tr.h_at(t - 1), n, b, n);
                if through_w_rec {
                    gemm_nn(&mut self.dh, &self.dpre, &net.w_rec.data, b, n, n);
                }
            }
        }
        BatchStats { loss: loss / (scored.len() * b) as f64, accuracy: right as f64 / total.max(1) as f64 }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::rng::Rng;
    use crate::tasks::{TaskKind, TaskStream};

    /// A small f64 net on a real task batch at time step `dt`, with leak `alpha`.
    pub(crate) fn setup(kind: TaskKind, dt: u32, alpha: f64, w_rec_sd: f64) -> (Rnn<f64>, Batch, Range<usize>) {
        let task = kind.build_at(dt);
        let mut rng = Rng::new(3, 0);
        let n = 7;
        let w_rec = Mat::from_fn(n, n, |_, _| w_rec_sd * rng.normal());
        let net = Rnn::new(w_rec, task.n_in(), task.n_out(), alpha, &mut rng);
        let mut stream = TaskStream::new(task, 4, 11, 100);
        let batch = stream.next_batch();
        (net, batch, stream.task().decision_steps())
    }
}
