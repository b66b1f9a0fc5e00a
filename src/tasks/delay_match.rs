//! DMS: neurogym DelayMatchSample-v0 with fixation 0, sample 100, delay 500,
//! test 100, decision 100 ms: sample, delay, test, then the answer (at dt = 100:
//! sample on step 0, test on step 6, answer on step 7).

use super::{answer_labels, direction_pair, input_noise_sd, write_step, Condition, Task};
use crate::rng::Rng;
use std::f64::consts::PI;

pub struct DelayMatchSample {
    pub(super) dt: u32,
}

impl Task for DelayMatchSample {
    fn key(&self) -> &'static str {
        "dms"
    }
    fn input_names(&self) -> &'static [&'static str] {
        &["fixation", "stim 1", "stim 2"]
    }
    fn dt(&self) -> u32 {
        self.dt
    }
    fn periods_ms(&self) -> &'static [(&'static str, u32)] {
        &[("sample", 100), ("delay", 500), ("test", 100), ("decision", 100)]
    }

    /// The sample's direction (0 or 1 for angle 0 or pi) and whether the test matches it (1) or not (0).
    fn condition_names(&self) -> &'static [&'static str] {
        &["sample", "match"]
    }

    /// Draws: answer (1 match, 2 non-match), sample angle, then the noise of
    /// each sample step and of each test step, channel s1 then s2.
    fn trial(&self, rng: &mut Rng, x: &mut [f32], labels: &mut [usize]) -> Condition {
        let answer = 1 + rng.below(2);
        let side = rng.below(2);
        let sample = PI * side as f64;
        let test = if answer == 1 { sample } else { (sample + PI) % (2.0 * PI) };
        let (sample_steps, test_steps, decision) = (self.period("sample"), self.period("test"), self.decision_steps());
        let sd = input_noise_sd(self.dt);
        for t in 0..self.seq_len() {
            let fix = if decision.contains(&t) { 0.0 } else { 1.0 };
            let angle = if sample_steps.contains(&t) {
                Some(sample)
            } else if test_steps.contains(&t) {
                Some(test)
            } else {
                None
            };
            match angle {
                Some(a) => {
                    let [s1, s2] = direction_pair(a, 0.5);
                    write_step(x, 3, t, &[fix, s1, s2], &[1, 2], sd, rng);
                }
                None => write_step(x, 3, t, &[fix, 0.0, 0.0], &[], 0.0, rng),
            }
        }
        answer_labels(labels, decision, answer);
        [side as f64, (answer == 1) as usize as f64, 0.0]
    }
}
