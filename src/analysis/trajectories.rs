//! Hidden states on the probe set, averaged per task condition (`Task::trial`'s `Condition`): the
//! trajectories the state-space picture draws and the states the fixed-point search starts from.

use crate::linalg::Mat;
use crate::model::{loss_and_accuracy, Rnn, Trace};
use crate::tasks::{Batch, Condition};

/// Condition-averaged trajectories: for each distinct condition (sorted), its mean hidden state at
/// every step.
#[derive(Clone, Debug, PartialEq)]
pub struct Trajectories {
    pub conditions: Vec<Condition>,
    /// How many probe trials each condition averages.
    pub counts: Vec<usize>,
    pub seq_len: usize,
    /// `conditions.len() * seq_len` rows of N: condition c's step t is row `c * seq_len + t`.
    pub states: Mat<f64>,
    /// The network's probe loss and decision accuracy on these trials (as the run's measures score them).
    pub loss: f64,
    pub accuracy: f64,
}

impl Trajectories {
    /// The mean states of `net` on `batches` (all of one task, answered in `decision`), per condition.
    pub fn of(net: &Rnn<f64>, batches: &[Batch], decision: std::ops::Range<usize>) -> Trajectories {
        let first = &batches[0];
        let (seq_len, n) = (first.seq_len, net.hidden());
        let mut conditions: Vec<Condition> = batches.iter().flat_map(|b| b.conditions.iter().copied()).collect();
        conditions.sort_by(|a, b| a.iter().zip(b).fold(std::cmp::Ordering::Equal, |o, (x, y)| o.then(x.total_cmp(y))));
        conditions.dedup();
        let mut sums = Mat::zeros(conditions.len() * seq_len, n);
        let mut counts = vec![0usize; conditions.len()];
        let mut tr = Trace::new(net, seq_len, first.batch);
        let (mut loss, mut accuracy) = (0.0, 0.0);
        for batch in batches {
            tr.forward(net, batch);
            let (l, a) = loss_and_accuracy(&tr, batch, decision.clone());
            loss += l / batches.len() as f64;
            accuracy += a / batches.len() as f64;
            for (s, cond) in batch.conditions.iter().enumerate() {
                let c = conditions.iter().position(|k| k == cond).expect("every condition is listed");
                counts[c] += 1;
                for t in 0..seq_len {
                    let h = &tr.h_at(t)[s * n..(s + 1) * n];
                    let row = (c * seq_len + t) * n;
                    sums.data[row..row + n].iter_mut().zip(h).for_each(|(a, h)| *a += h);
                }
            }
        }
        for (c, &k) in counts.iter().enumerate() {
            let rows = &mut sums.data[c * seq_len * n..(c + 1) * seq_len * n];
            rows.iter_mut().for_each(|v| *v /= k as f64);
        }
        Trajectories { conditions, counts, seq_len, states: sums, loss, accuracy }
    }

    /// Condition c's state at step t.
    pub fn state(&self, c: usize, t: usize) -> &[f64] {
        self.states.row(c * self.seq_len + t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;
    use crate::tasks::{TaskKind, TaskStream};

    #[test]
    fn every_2af_condition_is_found_and_its_mean_is_the_mean_of_its_trials() {
        let task = TaskKind::Perceptual.build();
        let mut stream = TaskStream::new(task, 16, 3, 0);
        let batches: Vec<Batch> = (0..8).map(|_| stream.next_batch()).collect();
        let mut rng = Rng::new(1, 0);
        let net = Rnn::<f64>::new(Mat::from_fn(6, 6, |_, _| 0.3 * rng.normal()), 3, 3, 1.0, &mut rng);
        let tr = Trajectories::of(&net, &batches, TaskKind::Perceptual.build().decision_steps());
        // Two sides times five coherences, 128 trials in all.
        assert_eq!(tr.conditions.len(), 10, "{:?}", tr.conditions);
        assert_eq!(tr.counts.iter().sum::<usize>(), 128);
        assert_eq!((tr.conditions[0], tr.conditions[9]), ([1.0, 0.0, 0.0], [2.0, 51.2, 0.0]));
        // Condition 9's last step against a direct average of its trials.
        let (t, n) = (tr.seq_len - 1, 6);
        let mut want = vec![0.0; n];
        let mut trace = Trace::new(&net, tr.seq_len, 16);
        for b in &batches {
            trace.forward(&net, b);
            for (s, c) in b.conditions.iter().enumerate() {
                if *c == tr.conditions[9] {
                    want.iter_mut().zip(&trace.h_at(t)[s * n..(s + 1) * n]).for_each(|(w, h)| *w += h / 128.0);
                }
            }
        }
        want.iter_mut().for_each(|w| *w *= 128.0 / tr.counts[9] as f64);
        for (g, w) in tr.state(9, t).iter().zip(&want) {
            assert!((g - w).abs() < 1e-12, "{g} vs {w}");
        }
    }
}
