//! 2AF: neurogym PerceptualDecisionMaking-v0 with fixation 0, stimulus 700,
//! delay 0, decision 100 ms: seven noisy stimulus steps, then the answer.

use super::{answer_labels, direction_pair, write_step, Task, INPUT_NOISE_SD, SEQ_LEN};
use crate::rng::Rng;

pub struct PerceptualDecision;

const COHERENCES: [f64; 5] = [0.0, 6.4, 12.8, 25.6, 51.2];

impl Task for PerceptualDecision {
    fn key(&self) -> &'static str {
        "2af"
    }
    fn input_names(&self) -> &'static [&'static str] {
        &["fixation", "stim 1", "stim 2"]
    }

    /// Draws: choice, coherence, then the noise of steps 0-6, channel s1 then s2.
    fn trial(&self, rng: &mut Rng, x: &mut [f32], labels: &mut [usize]) {
        let choice = rng.below(2);
        let coh = COHERENCES[rng.below(COHERENCES.len())];
        let [s1, s2] = direction_pair(std::f64::consts::PI * choice as f64, coh / 200.0);
        for t in 0..SEQ_LEN - 1 {
            write_step(x, 3, t, &[1.0, s1, s2], &[1, 2], INPUT_NOISE_SD, rng);
        }
        write_step(x, 3, SEQ_LEN - 1, &[0.0, 0.0, 0.0], &[], 0.0, rng);
        answer_labels(labels, choice + 1);
    }
}
