//! The measures of rich versus lazy learning (shared/spec/paper-model.md),
//! computed on a fixed probe set against a baseline taken before training.

mod erank;
mod kernel;

pub use erank::{erank_entropy, erank_pr};
pub use kernel::tangent_kernel;

use crate::linalg::{alignment, singular_values, Mat, Real};
use crate::lyap::LyapProbe;
use crate::model::{loss_and_accuracy, Rnn, Trace};
use crate::tasks::{Batch, TaskStream};
use std::ops::Range;

/// Mean and sample standard deviation (0 for a single value), for results over seeds.
pub fn mean_sd(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = if xs.len() > 1 { xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0) } else { 0.0 };
    (mean, var.sqrt())
}

/// Number of task batches in the probe set (10 x 32 = 320 sequences).
pub const PROBE_BATCHES: usize = 10;
/// How many leading Lyapunov exponents a measurement takes (or N if smaller).
pub const LYAP_K: usize = 8;

/// The fixed probe set: drawn once, before training, from its own streams.
pub struct Probe {
    pub batches: Vec<Batch>,
    /// The sequences the tangent kernel is over: the first batch, or its head (`Task::kernel_sequences`).
    pub kernel: Batch,
    pub decision: Range<usize>,
    /// A long stream of the task's trials for the Lyapunov exponents.
    pub lyap: LyapProbe,
}

/// What the network does on the probe set.
struct ProbeRun {
    loss: f64,
    accuracy: f64,
    /// Hidden state at the last decision step, one row per probe sequence.
    h_dec: Mat<f64>,
}

impl Probe {
    /// `lyap_stream` must have batch 1: one long run of consecutive trials.
    pub fn draw(mut stream: TaskStream, n_batches: usize, lyap_stream: TaskStream) -> Self {
        let decision = stream.task().decision_steps();
        let batches: Vec<Batch> = (0..n_batches).map(|_| stream.next_batch()).collect();
        let kernel = stream.kernel_part(&batches[0]);
        Probe { batches, kernel, decision, lyap: LyapProbe::new(lyap_stream) }
    }

    /// The leading Lyapunov exponents of `net` on the probe's stream (per time step).
    pub fn lyapunov<T: Real>(&self, net: &Rnn<T>) -> Vec<f64> {
        self.lyap.exponents(net, LYAP_K.min(net.hidden()))
    }

    /// The probe loss and decision accuracy of `net` (a sequence's other tasks need no more).
    pub fn loss_accuracy<T: Real>(&self, net: &Rnn<T>) -> (f64, f64) {
        let r = self.run(net);
        (r.loss, r.accuracy)
    }

    fn run<T: Real>(&self, net: &Rnn<T>) -> ProbeRun {
        let first = &self.batches[0];
        let mut tr = Trace::new(net, first.seq_len, first.batch);
        let t_dec = self.decision.end - 1;
        let n = net.hidden();
        let (mut loss, mut acc) = (0.0, 0.0);
        let mut h = Vec::with_capacity(self.batches.len() * first.batch * n);
        for batch in &self.batches {
            tr.forward(net, batch);
            let (l, a) = loss_and_accuracy(&tr, batch, self.decision.clone());
            loss += l;
            acc += a;
            h.extend(tr.h_at(t_dec).iter().map(|v| v.to_f64()));
        }
        let m = self.batches.len() as f64;
        ProbeRun { loss: loss / m, accuracy: acc / m, h_dec: Mat::from_vec(h.len() / n, n, h) }
    }
}

/// The state before training that later measures compare against.
pub struct Baseline {
    w_rec: Mat<f64>,
    w_rec_norm: f64,
    active: Vec<bool>,
    rep_kernel: Mat<f64>,
    tangent: Mat<f64>,
    pub singular_values: Vec<f64>,
    /// The leading Lyapunov exponents at the start.
    pub lyap_spectrum: Vec<f64>,
}

/// One row of a run's history.
#[derive(Clone, Debug, PartialEq)]
pub struct Measures {
    pub iter: usize,
    /// Mean cross-entropy over the scored steps of the probe set.
    pub loss: f64,
    /// Decision-step accuracy on the probe set.
    pub accuracy: f64,
    /// |W_rec - W_rec(0)|_F
    pub weight_change: f64,
    /// weight_change / |W_rec(0)|_F
    pub weight_change_rel: f64,
    /// Fraction of decision-step unit activations on the same side of zero as at the start.
    pub sign_similarity: f64,
    /// Alignment of the probe Gram matrix H H^T with its start.
    pub rep_alignment: f64,
    /// Alignment of the W_rec tangent kernel (first probe batch, or its head) with its start.
    pub kernel_alignment: f64,
    /// The leading Lyapunov exponents, per time step; the first is lambda_max.
    pub lyap_spectrum: Vec<f64>,
}

impl Measures {
    pub fn lyap_max(&self) -> f64 {
        self.lyap_spectrum[0]
    }
}

/// The spectrum of W_rec and its effective ranks.
#[derive(Clone, Debug, PartialEq)]
pub struct Spectrum {
    pub singular_values: Vec<f64>,
    pub erank_entropy: f64,
    pub erank_pr: f64,
}

impl Spectrum {
    pub fn of<T: Real>(w: &Mat<T>) -> Self {
        let s = singular_values(&w.to_f64());
        Spectrum { erank_entropy: erank_entropy(&s), erank_pr: erank_pr(&s), singular_values: s }
    }
}

impl Baseline {
    /// W_rec at iteration 0 (after any pre-flossing): what the weight change is measured from.
    pub fn w_rec0(&self) -> &Mat<f64> {
        &self.w_rec
    }

    pub fn take<T: Real>(net: &Rnn<T>, probe: &Probe) -> Self {
        let run = probe.run(net);
        Baseline {
            w_rec: net.w_rec.to_f64(),
            w_rec_norm: net.w_rec.frob_norm(),
            active: run.h_dec.data.iter().map(|&v| v > 0.0).collect(),
            rep_kernel: run.h_dec.matmul_t(&run.h_dec),
            tangent: tangent_kernel(net, &probe.kernel),
            singular_values: singular_values(&net.w_rec.to_f64()),
            lyap_spectrum: probe.lyapunov(net),
        }
    }

    /// Every measure of `net` against this baseline.
    pub fn measure<T: Real>(&self, net: &Rnn<T>, probe: &Probe, iter: usize) -> Measures {
        let run = probe.run(net);
        let w = net.w_rec.to_f64();
        let weight_change = w.sub(&self.w_rec).frob_norm();
        let same = run.h_dec.data.iter().zip(&self.active).filter(|(&v, &was)| (v > 0.0) == was).count();
        Measures {
            iter,
            loss: run.loss,
            accuracy: run.accuracy,
            weight_change,
            weight_change_rel: weight_change / self.w_rec_norm,
            sign_similarity: same as f64 / self.active.len() as f64,
            rep_alignment: alignment(&run.h_dec.matmul_t(&run.h_dec), &self.rep_kernel),
            kernel_alignment: alignment(&tangent_kernel(net, &probe.kernel), &self.tangent),
            lyap_spectrum: probe.lyapunov(net),
        }
    }
}
