//! Lyapunov exponents of the trained-on dynamics and gradient flossing
//! (shared/spec/bio-rules.md): the second study's tools.
//!
//! Exponents are per time step (of dt), in nats; divide by dt for per-ms.
//!
//! - `qr`: the Benettin core. k tangent vectors, `Q <- J_t Q`, `(Q, R) =
//!   qr(Q)` (modified Gram-Schmidt with a second pass, fixed order, f64,
//!   `R_ii >= 0`), `lambda_i = sum ln R_ii / steps`. A column the step
//!   annihilates (`R_ii <= 1e-10`: silent units, J_t = diag(d_t) M has rank at
//!   most the number of active units) adds `ln 1e-10 = -23.03` instead of
//!   -inf and is re-seeded deterministically: no exponent is ever NaN or
//!   infinite, and one at the floor means "annihilated".
//! - `LyapProbe`: a fixed stream of the task's own trials (`PROBE_BURN` = 100
//!   and `PROBE_STEPS` = 500 steps, trials back to back, the state carried
//!   across them from h = 0); the net runs in f64 with the exact Jacobian
//!   `J_t = diag(d_t) ((1-a) I + a W_rec)`, `d_t = 1[v_t > 0]`, and the
//!   exponents accumulate after the burn-in.
//!
//!   The unbounded state. The network is ReLU without biases: nothing
//!   saturates, and once lambda_max > 0 (a Gaussian start above g ~ 1.5) a
//!   state carried across trials grows geometrically and would overflow
//!   within a few hundred steps. We rescale it: whenever `|h| > 1e6 sqrt(N)`
//!   the carried state is scaled down (same direction) to `|h| = 1e3
//!   sqrt(N)`. A bias-free ReLU net is positively homogeneous, `relu(c v) =
//!   c relu(v)` for c > 0, so without input the rescaled trajectory is the
//!   true one divided by a constant and has the same gates `d_t`, hence the
//!   same `J_t`. With input, at `|h| >= 1e3 sqrt(N)` (per unit ~1e3 against
//!   inputs of order 1) the inputs' share of any unit's drive is at most
//!   about 1e-3, so the gates are those of the unrescaled trajectory except
//!   for units within that share of their threshold. The tangent vectors
//!   are orthonormalised every step and never overflow. So past the edge of
//!   chaos what is measured is, in effect, the exponent of the network's own
//!   expanding dynamics, in which the inputs have become negligible: what
//!   the network does on such a stream. (`LyapStats::rescales` counts the
//!   rescalings; 0 means the measurement is the plain one.)
//! - `floss`: gradient flossing, exact (reverse mode through the QR
//!   recursion) and our local three-factor rule, and `Flosser`, which runs it.

mod dynamics;
pub mod floss;
mod probe;
pub mod qr;

pub use dynamics::{STATE_BOUND, STATE_RESCALED};
pub use floss::{floss_burn, window_gradient, Flosser, WindowResult, FLOSS_LR, FLOSS_TARGET, FLOSS_WINDOW};
pub use probe::{LyapProbe, LyapStats, PROBE_BURN, PROBE_STEPS};
pub use qr::{Benettin, COLLAPSE_TOL, LN_FLOOR};

/// When flossing runs: never, before training, interleaved with it, or both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlossWhen {
    None,
    Pre,
    Inter,
    Both,
}

impl FlossWhen {
    pub const KEYS: [&'static str; 4] = ["none", "pre", "inter", "both"];
    const ALL: [FlossWhen; 4] = [FlossWhen::None, FlossWhen::Pre, FlossWhen::Inter, FlossWhen::Both];

    pub fn key(self) -> &'static str {
        Self::KEYS[self as usize]
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::KEYS.iter().position(|k| k.eq_ignore_ascii_case(s.trim())).map(|i| Self::ALL[i])
    }
}

/// The flossing gradient: exact through the whole QR recursion (the
/// reference), or our local three-factor rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlossMode {
    Exact,
    Local,
}

impl FlossMode {
    pub const KEYS: [&'static str; 2] = ["exact", "local"];

    pub fn key(self) -> &'static str {
        Self::KEYS[self as usize]
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "exact" => Some(FlossMode::Exact),
            "local" => Some(FlossMode::Local),
            _ => None,
        }
    }
}

/// Gradient-flossing settings of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlossSpec {
    pub when: FlossWhen,
    /// How many leading exponents are pushed towards 0.
    pub k: usize,
    pub mode: FlossMode,
    /// Flossing steps before training (pre, both).
    pub iters: usize,
    /// One flossing step every this many training iterations (inter, both).
    pub every: usize,
}

impl Default for FlossSpec {
    fn default() -> Self {
        FlossSpec { when: FlossWhen::None, k: 1, mode: FlossMode::Exact, iters: 100, every: 10 }
    }
}

impl FlossSpec {
    pub fn on(&self) -> bool {
        self.when != FlossWhen::None
    }
    pub fn pre(&self) -> bool {
        matches!(self.when, FlossWhen::Pre | FlossWhen::Both)
    }
    pub fn interleaved(&self) -> bool {
        matches!(self.when, FlossWhen::Inter | FlossWhen::Both)
    }
}
