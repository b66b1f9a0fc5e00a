//! CXT: neurogym ContextDecisionMaking-v0 with fixation 0, stimulus 200,
//! delay 500, decision 100 ms: two modalities during the stimulus, a context
//! cue throughout says which one to report, the answer in the decision period
//! (at dt = 100: stimulus on steps 0-1, answer on step 7).

use super::{answer_labels, input_noise_sd, write_step, Condition, Task};
use crate::rng::Rng;

pub struct ContextDecision {
    pub(super) dt: u32,
}

const COHERENCES: [f64; 3] = [5.0, 15.0, 50.0];
const ALL_CHANNELS: [usize; 7] = [0, 1, 2, 3, 4, 5, 6];

/// The two channels of a modality carrying `choice` (1 or 2) at coherence `coh`.
fn modality(choice: usize, coh: f64) -> [f64; 2] {
    let signed = if choice == 1 { coh } else { -coh };
    [(1.0 + signed / 100.0) / 2.0, (1.0 - signed / 100.0) / 2.0]
}

impl Task for ContextDecision {
    fn key(&self) -> &'static str {
        "cxt"
    }
    fn input_names(&self) -> &'static [&'static str] {
        &["fixation", "mod 1a", "mod 1b", "mod 2a", "mod 2b", "context 1", "context 2"]
    }
    fn dt(&self) -> u32 {
        self.dt
    }
    fn periods_ms(&self) -> &'static [(&'static str, u32)] {
        &[("stimulus", 200), ("delay", 500), ("decision", 100)]
    }

    /// The context (0: report modality 1, 1: modality 2) and the side (1 or 2) each modality carries.
    fn condition_names(&self) -> &'static [&'static str] {
        &["context", "side 1", "side 2"]
    }

    /// Draws: answer, other choice, context, coherence of modality 1, of
    /// modality 2, then the noise of each stimulus step, channel by channel.
    fn trial(&self, rng: &mut Rng, x: &mut [f32], labels: &mut [usize]) -> Condition {
        let answer = 1 + rng.below(2);
        let other = 1 + rng.below(2);
        let context = rng.below(2);
        let coh1 = COHERENCES[rng.below(3)];
        let coh2 = COHERENCES[rng.below(3)];
        // The attended modality carries the answer.
        let (c1, c2) = if context == 0 { (answer, other) } else { (other, answer) };
        let [m1a, m1b] = modality(c1, coh1);
        let [m2a, m2b] = modality(c2, coh2);
        let ctx = if context == 0 { [1.0, 0.0] } else { [0.0, 1.0] };
        let (stimulus, decision) = (self.period("stimulus"), self.decision_steps());
        let sd = input_noise_sd(self.dt);
        for t in 0..self.seq_len() {
            let fix = if decision.contains(&t) { 0.0 } else { 1.0 };
            if stimulus.contains(&t) {
                write_step(x, 7, t, &[fix, m1a, m1b, m2a, m2b, ctx[0], ctx[1]], &ALL_CHANNELS, sd, rng);
            } else {
                write_step(x, 7, t, &[fix, 0.0, 0.0, 0.0, 0.0, ctx[0], ctx[1]], &[], 0.0, rng);
            }
        }
        answer_labels(labels, decision, answer);
        [context as f64, c1 as f64, c2 as f64]
    }
}
