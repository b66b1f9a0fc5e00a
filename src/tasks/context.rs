//! CXT: neurogym ContextDecisionMaking-v0 with fixation 0, stimulus 200,
//! delay 500, decision 100 ms: two modalities on steps 0-1, a context cue
//! throughout says which one to report, the answer on step 7.

use super::{answer_labels, write_step, Task, INPUT_NOISE_SD, SEQ_LEN};
use crate::rng::Rng;

pub struct ContextDecision;

const COHERENCES: [f64; 3] = [5.0, 15.0, 50.0];
const STIMULUS_STEPS: usize = 2;
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

    /// Draws: answer, other choice, context, coherence of modality 1, of
    /// modality 2, then the noise of steps 0-1, channel by channel.
    fn trial(&self, rng: &mut Rng, x: &mut [f32], labels: &mut [usize]) {
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
        for t in 0..SEQ_LEN {
            let fix = if t < SEQ_LEN - 1 { 1.0 } else { 0.0 };
            if t < STIMULUS_STEPS {
                write_step(x, 7, t, &[fix, m1a, m1b, m2a, m2b, ctx[0], ctx[1]], &ALL_CHANNELS, INPUT_NOISE_SD, rng);
            } else {
                write_step(x, 7, t, &[fix, 0.0, 0.0, 0.0, 0.0, ctx[0], ctx[1]], &[], 0.0, rng);
            }
        }
        answer_labels(labels, answer);
    }
}
