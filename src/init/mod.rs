//! Initial recurrent weights: the knob of the paper.
//!
//! Each family is a module that turns a spec into an N x N matrix (in f64,
//! cast to the training precision by the caller). Every family draws its
//! base Gaussian from the same stream first, so for one seed the rank-r
//! starts are truncations of the very Gaussian the full-rank run starts from.

mod gaussian;
mod low_rank;
mod spectrum;

use crate::linalg::Mat;
use crate::rng::Rng;

/// Default gain of the paper's Gaussian start.
pub const DEFAULT_GAIN: f64 = 1.25;
/// Default target effective rank of the spectrum family.
pub const DEFAULT_ERANK: f64 = 30.0;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum InitSpec {
    /// g Z / sqrt(N), Z standard normal.
    Gaussian { gain: f64 },
    /// The Gaussian's best rank-r approximation, rescaled to the Gaussian's Frobenius norm.
    Rank { gain: f64, rank: usize },
    /// Power-law singular values with entropy effective rank `erank`, random
    /// singular vectors, the Gaussian's Frobenius norm.
    Spectrum { gain: f64, erank: f64 },
}

impl InitSpec {
    pub fn key(&self) -> &'static str {
        match self {
            InitSpec::Gaussian { .. } => "gaussian",
            InitSpec::Rank { .. } => "rank",
            InitSpec::Spectrum { .. } => "spectrum",
        }
    }

    pub fn gain(&self) -> f64 {
        match *self {
            InitSpec::Gaussian { gain } | InitSpec::Rank { gain, .. } | InitSpec::Spectrum { gain, .. } => gain,
        }
    }

    /// Checks the parameters against the hidden size; the message is for a reader.
    pub fn validate(&self, n: usize) -> Result<(), String> {
        let gain = self.gain();
        if !(gain.is_finite() && gain > 0.0 && gain <= 100.0) {
            return Err(format!("gain must be in (0, 100], got {gain}"));
        }
        match *self {
            InitSpec::Rank { rank, .. } if rank < 1 || rank > n => Err(format!("rank must be between 1 and the hidden size {n}, got {rank}")),
            InitSpec::Spectrum { erank, .. } if !(erank >= 1.0 && erank <= n as f64) => {
                Err(format!("erank must be between 1 and the hidden size {n}, got {erank}"))
            }
            _ => Ok(()),
        }
    }

    /// Builds W_rec for `n` units from `rng` (the caller's dedicated stream).
    pub fn build(&self, n: usize, rng: &mut Rng) -> Mat<f64> {
        match *self {
            InitSpec::Gaussian { gain } => gaussian::build(n, gain, rng),
            InitSpec::Rank { gain, rank } => low_rank::build(&gaussian::build(n, gain, rng), rank),
            InitSpec::Spectrum { gain, erank } => {
                let norm = gaussian::build(n, gain, rng).frob_norm();
                spectrum::build(n, erank, norm, rng)
            }
        }
    }
}
