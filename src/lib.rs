//! richlazy: the paper's recurrent network, tasks, learning and rich/lazy measures,
//! as a pure Rust core. The browser binding (`wasm`) is a thin layer on top.

pub mod bench;
pub mod charts;
pub mod config;
pub mod experiment;
pub mod init;
pub mod json;
pub mod linalg;
pub mod lyap;
pub mod metrics;
pub mod mnist;
pub mod model;
pub mod optim;
pub mod regimes;
pub mod report;
pub mod rng;
pub mod rules;
pub mod sweep;
pub mod tasks;
pub mod theory;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;

#[cfg(target_arch = "wasm32")]
mod wasm;
