//! Backpropagation through time: the paper's rule, the exact gradient.

use super::backward::{Backward, Credit};
use super::{BatchStats, Grads, LearningRule};
use crate::linalg::Real;
use crate::model::Rnn;
use crate::tasks::Batch;
use std::ops::Range;

pub struct Bptt<T>(Backward<T>);

impl<T: Real> Bptt<T> {
    pub fn new(net: &Rnn<T>, seq_len: usize, batch: usize) -> Self {
        Bptt(Backward::new(net, seq_len, batch))
    }
}

impl<T: Real> LearningRule<T> for Bptt<T> {
    fn gradients(&mut self, net: &Rnn<T>, batch: &Batch, decision: Range<usize>, grads: &mut Grads<T>) -> BatchStats {
        self.0.gradients(net, batch, decision, Credit::Exact, grads)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{loss_and_accuracy, Trace};
    use crate::rules::backward::tests::setup;
    use crate::tasks::TaskKind;

    fn loss_of(net: &Rnn<f64>, batch: &Batch, decision: Range<usize>) -> f64 {
        let mut tr = Trace::new(net, batch.seq_len, batch.batch);
        tr.forward(net, batch);
        loss_and_accuracy(&tr, batch, decision).0
    }

    #[test]
    fn gradients_match_central_differences() {
        // The last case scores the decision steps only, as sMNIST scores its last step.
        let cases = [
            (TaskKind::Perceptual, 100, 1.0, false),
            (TaskKind::Context, 100, 0.4, false),
            (TaskKind::DelayMatch, 100, 0.7, false),
            (TaskKind::DelayMatch, 50, 0.5, false),
            (TaskKind::Context, 100, 0.6, true),
        ];
        for (kind, dt, alpha, decision_only) in cases {
            let (net, mut batch, decision) = setup(kind, dt, alpha, 0.6);
            if decision_only {
                batch.scored = decision.clone();
            }
            let mut grads = Grads::zeros_like(&net);
            let mut rule = Bptt::new(&net, batch.seq_len, batch.batch);
            let stats = rule.gradients(&net, &batch, decision.clone(), &mut grads);
            assert!((stats.loss - loss_of(&net, &batch, decision.clone())).abs() < 1e-12);
            let eps = 1e-6;
            for p in 0..3 {
                for idx in 0..net.params()[p].data.len() {
                    let mut plus = net.clone();
                    plus.params_mut()[p].data[idx] += eps;
                    let mut minus = net.clone();
                    minus.params_mut()[p].data[idx] -= eps;
                    let fd = (loss_of(&plus, &batch, decision.clone()) - loss_of(&minus, &batch, decision.clone()))
                        / (2.0 * eps);
                    let g = grads.mats[p].data[idx];
                    assert!(
                        (fd - g).abs() < 1e-7 + 1e-5 * fd.abs(),
                        "{kind:?} param {p} idx {idx}: bptt {g} vs fd {fd}"
                    );
                }
            }
        }
    }
}
