//! 2AF: neurogym PerceptualDecisionMaking-v0 with fixation 0, stimulus 700,
//! delay 0, decision 100 ms: noisy stimulus steps (7 at dt = 100), then the answer.

use super::{answer_labels, direction_pair, input_noise_sd, write_step, Condition, Task};
use crate::rng::Rng;

pub struct PerceptualDecision {
    pub(super) dt: u32,
}

const COHERENCES: [f64; 5] = [0.0, 6.4, 12.8, 25.6, 51.2];

impl Task for PerceptualDecision {
    fn key(&self) -> &'static str {
        "2af"
    }
    fn input_names(&self) -> &'static [&'static str] {
        &["fixation", "stim 1", "stim 2"]
    }
    fn dt(&self) -> u32 {
        self.dt
    }
    fn periods_ms(&self) -> &'static [(&'static str, u32)] {
        &[("stimulus", 700), ("decision", 100)]
    }

    fn condition_names(&self) -> &'static [&'static str] {
        &["side", "coherence"]
    }

    /// Draws: choice, coherence, then the noise of each stimulus step, channel s1 then s2.
    fn trial(&self, rng: &mut Rng, x: &mut [f32], labels: &mut [usize]) -> Condition {
        let choice = rng.below(2);
        let coh = COHERENCES[rng.below(COHERENCES.len())];
        let [s1, s2] = direction_pair(std::f64::consts::PI * choice as f64, coh / 200.0);
        let sd = input_noise_sd(self.dt);
        for t in self.period("stimulus") {
            write_step(x, 3, t, &[1.0, s1, s2], &[1, 2], sd, rng);
        }
        let decision = self.decision_steps();
        for t in decision.clone() {
            write_step(x, 3, t, &[0.0, 0.0, 0.0], &[], 0.0, rng);
        }
        answer_labels(labels, decision, choice + 1);
        [(choice + 1) as f64, coh, 0.0]
    }
}
