//! e-prop with symmetric feedback (Bellec et al. 2020): each synapse keeps an
//! eligibility trace that follows only its own unit's leak, and the output
//! error reaches the units through W_out^T. Computed in the offline form
//! (see `backward`); the test below checks it against the online traces.

use super::backward::{Backward, Credit};
use super::{BatchStats, Grads, LearningRule};
use crate::linalg::Real;
use crate::model::Rnn;
use crate::tasks::Batch;
use std::ops::Range;

pub struct Eprop<T>(Backward<T>);

impl<T: Real> Eprop<T> {
    pub fn new(net: &Rnn<T>, seq_len: usize, batch: usize) -> Self {
        Eprop(Backward::new(net, seq_len, batch))
    }
}

impl<T: Real> LearningRule<T> for Eprop<T> {
    fn gradients(&mut self, net: &Rnn<T>, batch: &Batch, decision: Range<usize>, grads: &mut Grads<T>) -> BatchStats {
        self.0.gradients(net, batch, decision, Credit::Local { feedback: &net.w_out }, grads)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::Mat;
    use crate::model::{cross_entropy, Trace};
    use crate::rules::backward::tests::setup;
    use crate::rules::Bptt;
    use crate::tasks::TaskKind;

    /// e-prop as the paper writes it, forward in time: traces
    /// e_ij,t = d_i,t ((1-a) e_ij,t-1 + a pre_j,t), learning signal
    /// L_i,t = sum_k W_out[k,i] dL/dy_k,t, update sum_t L_i,t e_ij,t.
    fn online(net: &Rnn<f64>, batch: &Batch) -> (Mat<f64>, Mat<f64>) {
        let (n, n_in, k, b, steps) = (net.hidden(), net.n_in(), net.n_out(), batch.batch, batch.seq_len);
        let a = net.alpha;
        let mut tr = Trace::new(net, steps, b);
        tr.forward(net, batch);
        let (mut g_in, mut g_rec) = (Mat::zeros(n, n_in), Mat::zeros(n, n));
        for bi in 0..b {
            let (mut e_in, mut e_rec) = (Mat::<f64>::zeros(n, n_in), Mat::<f64>::zeros(n, n));
            for t in 0..steps {
                let u = &tr.u_at(t)[bi * n..(bi + 1) * n];
                let x = &batch.x_at(t)[bi * n_in..(bi + 1) * n_in];
                let h_prev: Vec<f64> = if t > 0 { tr.h_at(t - 1)[bi * n..(bi + 1) * n].to_vec() } else { vec![0.0; n] };
                let mut dy = vec![0.0; k];
                cross_entropy(&tr.y_at(t)[bi * k..(bi + 1) * k], 0, Some(&mut dy));
                dy[batch.labels_at(t)[bi]] -= 1.0;
                for i in 0..n {
                    let d = if u[i] > 0.0 { 1.0 } else { 0.0 };
                    let signal: f64 = (0..k).map(|c| net.w_out.at(c, i) * dy[c]).sum::<f64>() / (steps * b) as f64;
                    for j in 0..n_in {
                        let e = d * ((1.0 - a) * e_in.at(i, j) + a * x[j] as f64);
                        e_in.set(i, j, e);
                        g_in.set(i, j, g_in.at(i, j) + signal * e);
                    }
                    for j in 0..n {
                        let e = d * ((1.0 - a) * e_rec.at(i, j) + a * h_prev[j]);
                        e_rec.set(i, j, e);
                        g_rec.set(i, j, g_rec.at(i, j) + signal * e);
                    }
                }
            }
        }
        (g_in, g_rec)
    }

    #[test]
    fn offline_form_equals_online_traces() {
        for (kind, dt, alpha) in
            [(TaskKind::Perceptual, 20, 0.2), (TaskKind::Context, 50, 0.5), (TaskKind::DelayMatch, 100, 1.0)]
        {
            let (net, batch, decision) = setup(kind, dt, alpha, 0.6);
            let mut grads = Grads::zeros_like(&net);
            Eprop::new(&net, batch.seq_len, batch.batch).gradients(&net, &batch, decision, &mut grads);
            let (g_in, g_rec) = online(&net, &batch);
            for (name, off, on) in [("W_in", grads.w_in(), &g_in), ("W_rec", grads.w_rec(), &g_rec)] {
                assert!(on.frob_norm() > 1e-6, "{kind:?} {name}: a vacuous comparison");
                let err = off.sub(on).frob_norm() / on.frob_norm();
                assert!(err < 1e-12, "{kind:?} dt {dt} {name}: offline vs online relative error {err}");
            }
        }
    }

    #[test]
    fn with_no_recurrence_eprop_is_bptt_exactly() {
        for (kind, dt, alpha) in [(TaskKind::Perceptual, 20, 0.2), (TaskKind::DelayMatch, 50, 0.5)] {
            let (net, batch, decision) = setup(kind, dt, alpha, 0.0);
            let (mut ge, mut gb) = (Grads::zeros_like(&net), Grads::zeros_like(&net));
            Eprop::new(&net, batch.seq_len, batch.batch).gradients(&net, &batch, decision.clone(), &mut ge);
            Bptt::new(&net, batch.seq_len, batch.batch).gradients(&net, &batch, decision, &mut gb);
            assert!(gb.w_rec().frob_norm() > 0.0);
            assert_eq!(ge.mats, gb.mats, "{kind:?}: e-prop and BPTT differ with W_rec = 0");
            // ... and differ once there is recurrence.
            let (net, batch, decision) = setup(kind, dt, alpha, 0.6);
            Eprop::new(&net, batch.seq_len, batch.batch).gradients(&net, &batch, decision.clone(), &mut ge);
            Bptt::new(&net, batch.seq_len, batch.batch).gradients(&net, &batch, decision, &mut gb);
            assert!(ge.w_rec().sub(gb.w_rec()).frob_norm() > 1e-3 * gb.w_rec().frob_norm());
            assert_eq!(ge.w_out(), gb.w_out(), "W_out's gradient is exact under e-prop");
        }
    }
}
