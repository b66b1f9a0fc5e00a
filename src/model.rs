//! The paper's continuous-time ReLU RNN (no biases):
//!   h_t = relu((1 - a) h_{t-1} + a (W_in x_t + W_rec h_{t-1})),  h_{-1} = 0,  y_t = W_out h_t.

use crate::linalg::{gemm_nn, Mat, Real};
use crate::rng::Rng;
use crate::tasks::Batch;

#[derive(Clone, Debug, PartialEq)]
pub struct Rnn<T> {
    /// N x n_in
    pub w_in: Mat<T>,
    /// N x N
    pub w_rec: Mat<T>,
    /// n_out x N
    pub w_out: Mat<T>,
    /// Leak a = dt / tau (1 for the paper's tasks).
    pub alpha: T,
}

impl<T: Real> Rnn<T> {
    /// W_in and W_out as PyTorch's `nn.Linear` starts them: uniform on +-1/sqrt(fan_in).
    pub fn new(w_rec: Mat<T>, n_in: usize, n_out: usize, alpha: f64, rng: &mut Rng) -> Self {
        let n = w_rec.rows;
        assert_eq!(w_rec.cols, n, "W_rec must be square");
        let w_in = uniform_linear(n, n_in, rng);
        let w_out = uniform_linear(n_out, n, rng);
        Rnn { w_in, w_rec, w_out, alpha: T::from_f64(alpha) }
    }

    pub fn hidden(&self) -> usize {
        self.w_rec.rows
    }
    pub fn n_in(&self) -> usize {
        self.w_in.cols
    }
    pub fn n_out(&self) -> usize {
        self.w_out.rows
    }

    pub fn params(&self) -> [&Mat<T>; 3] {
        [&self.w_in, &self.w_rec, &self.w_out]
    }
    pub fn params_mut(&mut self) -> [&mut Mat<T>; 3] {
        [&mut self.w_in, &mut self.w_rec, &mut self.w_out]
    }
}

pub fn uniform_linear<T: Real>(fan_out: usize, fan_in: usize, rng: &mut Rng) -> Mat<T> {
    let bound = 1.0 / (fan_in as f64).sqrt();
    Mat::from_fn(fan_out, fan_in, |_, _| T::from_f64(rng.uniform_in(-bound, bound)))
}

/// Buffers for one forward pass over a batch, reused between calls so that
/// the training loop does not allocate.
#[derive(Clone, Debug)]
pub struct Trace<T> {
    pub seq_len: usize,
    pub batch: usize,
    pub hidden: usize,
    pub n_out: usize,
    /// Hidden states h_t, `seq_len` blocks of `batch x hidden`.
    pub h: Vec<T>,
    /// Pre-activations u_t (ReLU inputs), same layout as `h`.
    pub u: Vec<T>,
    /// Logits y_t, `seq_len` blocks of `batch x n_out`.
    pub y: Vec<T>,
    w_in_t: Mat<T>,
    w_rec_t: Mat<T>,
    w_out_t: Mat<T>,
    drive: Vec<T>,
    x: Vec<T>,
}

impl<T: Real> Trace<T> {
    pub fn new(net: &Rnn<T>, seq_len: usize, batch: usize) -> Self {
        let (n, n_in, n_out) = (net.hidden(), net.n_in(), net.n_out());
        Trace {
            seq_len,
            batch,
            hidden: n,
            n_out,
            h: vec![T::ZERO; seq_len * batch * n],
            u: vec![T::ZERO; seq_len * batch * n],
            y: vec![T::ZERO; seq_len * batch * n_out],
            w_in_t: Mat::zeros(n_in, n),
            w_rec_t: Mat::zeros(n, n),
            w_out_t: Mat::zeros(n, n_out),
            drive: vec![T::ZERO; batch * n],
            x: vec![T::ZERO; batch * n_in],
        }
    }

    pub fn h_at(&self, t: usize) -> &[T] {
        let w = self.batch * self.hidden;
        &self.h[t * w..(t + 1) * w]
    }
    pub fn u_at(&self, t: usize) -> &[T] {
        let w = self.batch * self.hidden;
        &self.u[t * w..(t + 1) * w]
    }
    pub fn y_at(&self, t: usize) -> &[T] {
        let w = self.batch * self.n_out;
        &self.y[t * w..(t + 1) * w]
    }

    /// Runs the network over `batch`, filling h, u and y.
    pub fn forward(&mut self, net: &Rnn<T>, batch: &Batch) {
        assert_eq!((batch.seq_len, batch.batch, batch.n_in), (self.seq_len, self.batch, net.n_in()), "batch shape");
        let (n, b, n_in, n_out) = (self.hidden, self.batch, net.n_in(), self.n_out);
        // Products are written as row-vector times transposed weights, so that
        // every kernel call is the deterministic `gemm_nn`.
        net.w_in.transpose_into(&mut self.w_in_t);
        net.w_rec.transpose_into(&mut self.w_rec_t);
        net.w_out.transpose_into(&mut self.w_out_t);
        let a = net.alpha;
        let keep = T::ONE - a;
        let w = b * n;
        for t in 0..self.seq_len {
            for (xi, &v) in self.x.iter_mut().zip(batch.x_at(t)) {
                *xi = T::from_f64(v as f64);
            }
            self.drive.iter_mut().for_each(|d| *d = T::ZERO);
            gemm_nn(&mut self.drive, &self.x, &self.w_in_t.data, b, n_in, n);
            let (prev, rest) = self.h.split_at_mut(t * w);
            if t > 0 {
                gemm_nn(&mut self.drive, &prev[(t - 1) * w..], &self.w_rec_t.data, b, n, n);
            }
            let u = &mut self.u[t * w..(t + 1) * w];
            let h = &mut rest[..w];
            for i in 0..w {
                let leak = if t > 0 { keep * prev[(t - 1) * w + i] } else { T::ZERO };
                u[i] = leak + a * self.drive[i];
                h[i] = if u[i] > T::ZERO { u[i] } else { T::ZERO };
            }
            let y = &mut self.y[t * b * n_out..(t + 1) * b * n_out];
            y.iter_mut().for_each(|v| *v = T::ZERO);
            gemm_nn(y, h, &self.w_out_t.data, b, n, n_out);
        }
    }
}

/// Cross-entropy of one row of logits against `label`, and (optionally) the
/// softmax written into `probs`. Stable: shifts by the max logit.
pub fn cross_entropy<T: Real>(logits: &[T], label: usize, probs: Option<&mut [T]>) -> T {
    let m = logits.iter().fold(logits[0], |m, &v| m.max(v));
    let mut z = T::ZERO;
    for &v in logits {
        z += (v - m).exp();
    }
    if let Some(p) = probs {
        for (pi, &v) in p.iter_mut().zip(logits) {
            *pi = (v - m).exp() / z;
        }
    }
    z.ln() + m - logits[label]
}

/// Index of the largest logit (first on ties).
pub fn argmax<T: Real>(v: &[T]) -> usize {
    let mut best = 0;
    for (i, &x) in v.iter().enumerate() {
        if x > v[best] {
            best = i;
        }
    }
    best
}

/// Mean cross-entropy over the scored steps and all sequences, and the fraction of
/// decision-step answers that are right (argmax of the logits).
pub fn loss_and_accuracy<T: Real>(trace: &Trace<T>, batch: &Batch, decision: std::ops::Range<usize>) -> (f64, f64) {
    let k = trace.n_out;
    let mut loss = 0.0;
    for t in batch.scored.clone() {
        let y = trace.y_at(t);
        for (b, &label) in batch.labels_at(t).iter().enumerate() {
            loss += cross_entropy(&y[b * k..(b + 1) * k], label, None).to_f64();
        }
    }
    let mut right = 0usize;
    let mut total = 0usize;
    for t in decision {
        let y = trace.y_at(t);
        for (b, &label) in batch.labels_at(t).iter().enumerate() {
            right += (argmax(&y[b * k..(b + 1) * k]) == label) as usize;
            total += 1;
        }
    }
    (loss / (batch.scored.len() * trace.batch) as f64, right as f64 / total as f64)
}
