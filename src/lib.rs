//! richlazy: the paper's recurrent network, tasks, learning and rich/lazy measures,
//! as a pure Rust core. The browser binding (`wasm`) is a thin layer on top.

pub mod linalg;
pub mod rng;
pub mod tasks;
