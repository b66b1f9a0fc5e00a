//! Lyapunov exponents of the trained-on dynamics and gradient flossing
//! (shared/spec/bio-rules.md): the second study's tools.

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
