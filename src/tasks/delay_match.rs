//! DMS: neurogym DelayMatchSample-v0 with fixation 0, sample 100, delay 500,
//! test 100, decision 100 ms: sample on step 0, test on step 6, answer on 7.

use super::{answer_labels, direction_pair, write_step, Task, INPUT_NOISE_SD, SEQ_LEN};
use crate::rng::Rng;
use std::f64::consts::PI;

pub struct DelayMatchSample;

const SAMPLE_STEP: usize = 0;
const TEST_STEP: usize = 6;

impl Task for DelayMatchSample {
    fn key(&self) -> &'static str {
        "dms"
    }
    fn input_names(&self) -> &'static [&'static str] {
        &["fixation", "stim 1", "stim 2"]
    }

    /// Draws: answer (1 match, 2 non-match), sample angle, then the noise of
    /// the sample step and of the test step, channel s1 then s2.
    fn trial(&self, rng: &mut Rng, x: &mut [f32], labels: &mut [usize]) {
        let answer = 1 + rng.below(2);
        let sample = PI * rng.below(2) as f64;
        let test = if answer == 1 { sample } else { (sample + PI) % (2.0 * PI) };
        for t in 0..SEQ_LEN {
            let fix = if t < SEQ_LEN - 1 { 1.0 } else { 0.0 };
            let angle = match t {
                SAMPLE_STEP => Some(sample),
                TEST_STEP => Some(test),
                _ => None,
            };
            match angle {
                Some(a) => {
                    let [s1, s2] = direction_pair(a, 0.5);
                    write_step(x, 3, t, &[fix, s1, s2], &[1, 2], INPUT_NOISE_SD, rng);
                }
                None => write_step(x, 3, t, &[fix, 0.0, 0.0], &[], 0.0, rng),
            }
        }
        answer_labels(labels, answer);
    }
}
