//! richlazy: the paper's recurrent network, tasks, learning and rich/lazy measures,
//! as a pure Rust core. The browser binding (`wasm`) is a thin layer on top.

// Lints the project turns off, each for a reason that holds across the crate:
// the numeric kernels index on purpose, to fix the order of summation and keep the loops plain.
#![allow(clippy::needless_range_loop)]
// `!(x >= lo)` deliberately counts NaN as failing the test; `x < lo` would let it through.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

pub mod analysis;
pub mod bench;
pub mod charts;
pub mod config;
pub mod experiment;
pub mod init;
pub mod json;
pub mod lab;
pub mod linalg;
pub mod lyap;
pub mod metrics;
pub mod mnist;
pub mod model;
pub mod notebook;
pub mod optim;
pub mod presets;
pub mod regimes;
pub mod report;
pub mod rng;
pub mod rules;
pub mod sequence;
pub mod settings;
pub mod shard;
pub mod studies;
pub mod study;
pub mod sweep;
pub mod tasks;
pub mod theory;
pub mod trials;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;

/// The crate's one error type: a key, a code and the reader's line.
pub use settings::SettingError as Error;

#[cfg(target_arch = "wasm32")]
mod wasm;
