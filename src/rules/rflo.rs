//! Random feedback ("random e-prop"; Murray 2019's RFLO in this leaky form):
//! e-prop's eligibility traces, but the output error reaches the units through
//! a fixed random matrix B instead of W_out^T. B is drawn once from the seed
//! with W_out's initial distribution (uniform on +-1/sqrt(N), independent of
//! W_out), so the feedback starts at the readout's scale and never changes.

use super::backward::{Backward, Credit};
use super::{BatchStats, Grads, LearningRule};
use crate::linalg::{Mat, Real};
use crate::model::{uniform_linear, Rnn};
use crate::rng::Rng;
use crate::tasks::Batch;
use std::ops::Range;

pub struct Rflo<T> {
    backward: Backward<T>,
    /// The fixed feedback, `n_out x N` like W_out.
    feedback: Mat<T>,
}

impl<T: Real> Rflo<T> {
    pub fn new(net: &Rnn<T>, seq_len: usize, batch: usize, rng: &mut Rng) -> Self {
        Rflo { backward: Backward::new(net, seq_len, batch), feedback: uniform_linear(net.n_out(), net.hidden(), rng) }
    }

    pub fn feedback(&self) -> &Mat<T> {
        &self.feedback
    }
}

impl<T: Real> LearningRule<T> for Rflo<T> {
    fn gradients(&mut self, net: &Rnn<T>, batch: &Batch, decision: Range<usize>, grads: &mut Grads<T>) -> BatchStats {
        self.backward.gradients(net, batch, decision, Credit::Local { feedback: &self.feedback }, grads)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::backward::tests::setup;
    use crate::rules::Eprop;
    use crate::tasks::TaskKind;

    #[test]
    fn feedback_is_fixed_by_the_seed_and_is_not_w_out() {
        let (mut net, batch, decision) = setup(TaskKind::Perceptual, 20, 0.2, 0.6);
        let mut rule = Rflo::new(&net, batch.seq_len, batch.batch, &mut Rng::new(5, 3));
        let b0 = rule.feedback().clone();
        assert_eq!(&b0, Rflo::new(&net, batch.seq_len, batch.batch, &mut Rng::new(5, 3)).feedback());
        assert_ne!(&b0, Rflo::new(&net, batch.seq_len, batch.batch, &mut Rng::new(6, 3)).feedback());
        let bound = 1.0 / (net.hidden() as f64).sqrt();
        assert!(b0.data.iter().all(|v| v.abs() <= bound));
        // Training moves W_out but never B; the rule's update follows B, not W_out.
        let mut g = Grads::zeros_like(&net);
        for _ in 0..3 {
            rule.gradients(&net, &batch, decision.clone(), &mut g);
            net.w_out.data.iter_mut().zip(&g.w_out().data).for_each(|(w, d)| *w -= 10.0 * d);
            assert_eq!(rule.feedback(), &b0);
        }
        let mut ge = Grads::zeros_like(&net);
        Eprop::new(&net, batch.seq_len, batch.batch).gradients(&net, &batch, decision.clone(), &mut ge);
        rule.gradients(&net, &batch, decision.clone(), &mut g);
        assert_ne!(g.w_rec(), ge.w_rec());
        assert_eq!(g.w_out(), ge.w_out(), "W_out's gradient is exact under both");
        // With W_out as its feedback, random feedback is e-prop to the bit.
        rule.feedback = net.w_out.clone();
        rule.gradients(&net, &batch, decision, &mut g);
        assert_eq!(g.mats, ge.mats);
    }
}
