//! The network in f64 for one sequence (batch 1): the state step, the
//! tangent map `J_t q` and its adjoint `J_t^T g`, with the state bound.

use super::qr::dot;
use crate::linalg::{gemm_nn, Real};
use crate::model::Rnn;

/// The carried state is rescaled when `|h| > STATE_BOUND * sqrt(N)` ...
pub const STATE_BOUND: f64 = 1e6;
/// ... down to `|h| = STATE_RESCALED * sqrt(N)` (same direction).
pub const STATE_RESCALED: f64 = 1e3;

pub(crate) struct Net64 {
    pub n: usize,
    pub n_in: usize,
    pub a: f64,
    pub keep: f64,
    /// W_rec, N x N row-major.
    pub w: Vec<f64>,
    /// W_rec^T.
    pub wt: Vec<f64>,
    /// W_in^T, n_in x N.
    w_in_t: Vec<f64>,
    bound: f64,
    rescaled: f64,
}

impl Net64 {
    pub fn new<T: Real>(net: &Rnn<T>) -> Self {
        let (n, n_in) = (net.hidden(), net.n_in());
        let w: Vec<f64> = net.w_rec.data.iter().map(|x| x.to_f64()).collect();
        let wt = net.w_rec.transpose().data.iter().map(|x| x.to_f64()).collect();
        let w_in_t = net.w_in.transpose().data.iter().map(|x| x.to_f64()).collect();
        let a = net.alpha.to_f64();
        let root = (n as f64).sqrt();
        Net64 { n, n_in, a, keep: 1.0 - a, w, wt, w_in_t, bound: STATE_BOUND * root, rescaled: STATE_RESCALED * root }
    }

    /// `h <- relu((1-a) h + a (W_in x + W_rec h))`, the gates `d = 1[v > 0]`
    /// (as 0.0 / 1.0) into `d`. Rescales h when it passed the bound and says so.
    pub fn state_step(&self, h: &mut [f64], x: &[f64], drive: &mut [f64], d: &mut [f64]) -> bool {
        let n = self.n;
        drive.iter_mut().for_each(|v| *v = 0.0);
        gemm_nn(drive, x, &self.w_in_t, 1, self.n_in, n);
        gemm_nn(drive, h, &self.wt, 1, n, n);
        for i in 0..n {
            let v = self.keep * h[i] + self.a * drive[i];
            let on = v > 0.0;
            h[i] = if on { v } else { 0.0 };
            d[i] = if on { 1.0 } else { 0.0 };
        }
        let norm = dot(h, h).sqrt();
        if norm > self.bound {
            let s = self.rescaled / norm;
            h.iter_mut().for_each(|v| *v *= s);
            true
        } else {
            false
        }
    }

    /// `out_i = J q_i = d ⊙ ((1-a) q_i + a W_rec q_i)` for the k rows of `q`.
    pub fn tangent(&self, d: &[f64], q: &[f64], out: &mut [f64], k: usize) {
        let n = self.n;
        out.iter_mut().for_each(|v| *v = 0.0);
        gemm_nn(out, q, &self.wt, k, n, n);
        for (orow, qrow) in out.chunks_exact_mut(n).zip(q.chunks_exact(n)) {
            for i in 0..n {
                orow[i] = d[i] * (self.keep * qrow[i] + self.a * orow[i]);
            }
        }
    }

    /// `out_i = J^T g_i = (1-a) (d ⊙ g_i) + a W_rec^T (d ⊙ g_i)`, given the
    /// gated rows `dg_i = d ⊙ g_i`.
    pub fn adjoint_gated(&self, dg: &[f64], out: &mut [f64], k: usize) {
        let n = self.n;
        out.iter_mut().for_each(|v| *v = 0.0);
        gemm_nn(out, dg, &self.w, k, n, n);
        for (o, g) in out.iter_mut().zip(dg) {
            *o = self.keep * g + self.a * *o;
        }
    }
}

/// `steps` consecutive time steps of inputs (f64, `steps x n_in`) from slot 0
/// of `stream`: whole trials back to back, the last one cut where the steps end.
pub(crate) fn draw_inputs(stream: &mut crate::tasks::TaskStream, steps: usize, out: &mut Vec<f64>) {
    let mut batch = stream.new_batch();
    assert_eq!(batch.batch, 1, "the Lyapunov streams have batch 1");
    let n_in = batch.n_in;
    out.clear();
    while out.len() < steps * n_in {
        stream.fill(&mut batch);
        for t in 0..batch.seq_len {
            if out.len() < steps * n_in {
                out.extend(batch.x_at(t).iter().map(|&v| v as f64));
            }
        }
    }
}
