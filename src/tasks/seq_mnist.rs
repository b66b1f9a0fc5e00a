//! Sequential MNIST (the paper's fourth task): an image read one pixel row per step, top row
//! first, so 28 steps of 28 inputs, and the digit (10 classes) scored on the last step only.
//!
//! Our choices, where the paper does not say:
//! - Pixels are scaled to [0, 1] (byte / 255), with no noise and no centring.
//! - A trial draws its image uniformly, with replacement, from its split by the slot's own stream
//!   (`TaskStream`), so a seed fixes every batch. Training draws from the 60,000 training images;
//!   the probe set (10 batches, the test accuracy and every rich/lazy measure) and the Lyapunov
//!   stream draw from the 10,000 test images (`TaskKind::build_probe`).
//! - The digit is written as the label of every step, but only the last step is scored
//!   (`scored_steps`), for the loss and accuracy alike.
//! - The tangent kernel is over the scored logits: the last step's 10 logits of the first 32 probe
//!   sequences (320 logits, the paper's 32 sequences; `kernel_sequences`). The representation
//!   measures use the hidden state at the last step, as the decision step of the other tasks.
//! - A step stands for 100 ms (so the leak is a = 1 unless `alpha` is set): the periods below are
//!   27 rows, then the last row, when the answer is read.

use super::{Condition, Task, DT_DEFAULT};
use crate::mnist::{Digits, Mnist, CLASSES, SIDE};
use crate::rng::Rng;
use crate::settings::SettingError;
use std::ops::Range;
use std::sync::Arc;

/// Which images a stream draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Split {
    Train,
    Test,
}

pub struct SeqMnist {
    /// The data, or why it is not there (the page loads it only when the task is chosen).
    data: Result<Arc<Mnist>, SettingError>,
    split: Split,
}

/// The probe sequences the tangent kernel is over.
pub const KERNEL_SEQUENCES: usize = 32;

impl SeqMnist {
    pub fn new(data: Result<Arc<Mnist>, SettingError>, split: Split) -> Self {
        SeqMnist { data, split }
    }

    fn digits(&self) -> &Digits {
        let m = self.data.as_ref().unwrap_or_else(|e| panic!("{e}"));
        match self.split {
            Split::Train => &m.train,
            Split::Test => &m.test,
        }
    }
}

/// One name per pixel column, for plots.
const COLUMNS: [&str; SIDE] = [
    "col 1", "col 2", "col 3", "col 4", "col 5", "col 6", "col 7", "col 8", "col 9", "col 10", "col 11", "col 12",
    "col 13", "col 14", "col 15", "col 16", "col 17", "col 18", "col 19", "col 20", "col 21", "col 22", "col 23",
    "col 24", "col 25", "col 26", "col 27", "col 28",
];

impl Task for SeqMnist {
    fn key(&self) -> &'static str {
        "smnist"
    }
    fn input_names(&self) -> &'static [&'static str] {
        &COLUMNS
    }
    fn n_out(&self) -> usize {
        CLASSES
    }
    fn dt(&self) -> u32 {
        DT_DEFAULT
    }
    fn periods_ms(&self) -> &'static [(&'static str, u32)] {
        &[("rows", 2700), ("last row", 100)]
    }
    fn scored_steps(&self) -> Range<usize> {
        self.decision_steps()
    }
    fn kernel_sequences(&self) -> Option<usize> {
        Some(KERNEL_SEQUENCES)
    }
    fn ready(&self) -> Result<(), SettingError> {
        self.data.as_ref().map(|_| ()).map_err(Clone::clone)
    }

    fn condition_names(&self) -> &'static [&'static str] {
        &["digit"]
    }

    /// Draws: the image's index. Row t of the image is the input at step t.
    fn trial(&self, rng: &mut Rng, x: &mut [f32], labels: &mut [usize]) -> Condition {
        let digits = self.digits();
        let i = rng.below(digits.len());
        for (v, &p) in x.iter_mut().zip(digits.image(i)) {
            *v = p as f32 / 255.0;
        }
        labels.fill(digits.labels[i] as usize);
        [digits.labels[i] as f64, 0.0, 0.0]
    }
}
