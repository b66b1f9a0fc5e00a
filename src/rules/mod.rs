//! Learning rules: how a batch turns into a weight update direction.
//!
//! Backpropagation through time is the paper's rule. Others (e-prop, RFLO,
//! node perturbation) implement the same trait in a module of their own.

mod bptt;

pub use bptt::Bptt;

use crate::linalg::{Mat, Real};
use crate::model::Rnn;
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
    fn name(&self) -> &'static str;
    /// Overwrites `grads` with the update direction for `batch` (to be
    /// descended), and reports the batch's loss and accuracy.
    fn gradients(&mut self, net: &Rnn<T>, batch: &Batch, decision: Range<usize>, grads: &mut Grads<T>) -> BatchStats;
}

/// Which rule: the value configurations and links carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleKind {
    Bptt,
}

impl RuleKind {
    pub const KEYS: [&'static str; 1] = ["bptt"];

    pub fn key(self) -> &'static str {
        match self {
            RuleKind::Bptt => "bptt",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "bptt" => Some(RuleKind::Bptt),
            _ => None,
        }
    }
    pub fn build<T: Real>(self, net: &Rnn<T>, seq_len: usize, batch: usize) -> Box<dyn LearningRule<T>> {
        match self {
            RuleKind::Bptt => Box::new(Bptt::new(net, seq_len, batch)),
        }
    }
}
