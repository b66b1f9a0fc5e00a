//! Learning rules: how a batch turns into a weight update direction.
//!
//! Backpropagation through time is the paper's rule; e-prop and random
//! feedback are the local rules of the second study. Each is a module of its
//! own over the shared backward pass.

mod backward;
mod bptt;
mod eprop;
mod rflo;

pub use bptt::Bptt;
pub use eprop::Eprop;
pub use rflo::Rflo;

use crate::linalg::{Mat, Real};
use crate::model::Rnn;
use crate::rng::Rng;
use crate::tasks::Batch;
use std::ops::Range;

/// Gradients (or update directions) for W_in, W_rec, W_out, shaped like the weights.
#[derive(Clone, Debug)]
pub struct Grads<T> {
    pub mats: [Mat<T>; 3],
}

impl<T: Real> Grads<T> {
    pub fn zeros_like(net: &Rnn<T>) -> Self {
        Grads { mats: net.params().map(|m| Mat::zeros(m.rows, m.cols)) }
    }
    pub fn w_in(&self) -> &Mat<T> {
        &self.mats[0]
    }
    pub fn w_rec(&self) -> &Mat<T> {
        &self.mats[1]
    }
    pub fn w_out(&self) -> &Mat<T> {
        &self.mats[2]
    }
}

/// What one batch taught: its loss and decision accuracy before the update.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BatchStats {
    pub loss: f64,
    pub accuracy: f64,
}

pub trait LearningRule<T: Real>: Send {
    /// Overwrites `grads` with the update direction for `batch` (to be
    /// descended), and reports the batch's loss and accuracy.
    fn gradients(&mut self, net: &Rnn<T>, batch: &Batch, decision: Range<usize>, grads: &mut Grads<T>) -> BatchStats;
}

/// Which rule: the value configurations and links carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleKind {
    Bptt,
    Eprop,
    Rflo,
}

/// Each rule as the page names and draws it: key, short name, and its hues (a rule's lines with
/// other settings, flossing and so on, take the next shades); the schema's `rules`.
pub const RULES: [(&str, &str, [&str; 3]); 3] = [
    ("bptt", "BPTT", ["#1f77b4", "#17becf", "#9467bd"]),
    ("eprop", "e-prop", ["#d62728", "#ff7f0e", "#e377c2"]),
    ("rflo", "RFLO", ["#2ca02c", "#bcbd22", "#8c564b"]),
];

/// `[{"key", "label", "colour", "shades"}]`, in `RuleKind::KEYS` order.
pub fn rules_json() -> crate::json::Json {
    use crate::json::{obj, Json};
    Json::Arr(
        RULES
            .iter()
            .map(|(key, label, shades)| {
                obj([
                    ("key", Json::from(*key)),
                    ("label", Json::from(*label)),
                    ("colour", Json::from(shades[0])),
                    ("shades", Json::Arr(shades.iter().map(|c| Json::from(*c)).collect())),
                ])
            })
            .collect(),
    )
}

impl RuleKind {
    pub const KEYS: [&'static str; 3] = ["bptt", "eprop", "rflo"];
    const ALL: [RuleKind; 3] = [RuleKind::Bptt, RuleKind::Eprop, RuleKind::Rflo];

    pub fn key(self) -> &'static str {
        Self::KEYS[self as usize]
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::KEYS.iter().position(|k| k.eq_ignore_ascii_case(s.trim())).map(|i| Self::ALL[i])
    }
    /// The rule for `net`; `feedback_rng` draws random feedback (used only by `rflo`).
    pub fn build<T: Real>(
        self,
        net: &Rnn<T>,
        seq_len: usize,
        batch: usize,
        feedback_rng: &mut Rng,
    ) -> Box<dyn LearningRule<T>> {
        match self {
            RuleKind::Bptt => Box::new(Bptt::new(net, seq_len, batch)),
            RuleKind::Eprop => Box::new(Eprop::new(net, seq_len, batch)),
            RuleKind::Rflo => Box::new(Rflo::new(net, seq_len, batch, feedback_rng)),
        }
    }
}
