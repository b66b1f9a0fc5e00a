//! What learning did to the network, beyond the scalar measures: the one-step map's fixed and slow
//! points with their stability (`fixed`), the states' principal components and the comparison of two
//! networks' representations (`subspace`), and the structure of the weight change ΔW = W_rec − W_rec(0)
//! (`delta`). Pure f64 arithmetic in a fixed order, as everywhere in the engine, so the page and the
//! command line get the same bits. shared/spec/mechanism.md gives the background and references.

pub mod delta;
pub mod fixed;
pub mod map;
pub mod solve;
pub mod subspace;

pub use delta::{delta_structure, DeltaStructure};
pub use fixed::{find_fixed_points, FixedPoint, Options, Stability};
pub use map::StepMap;
pub use subspace::{linear_cka, principal_angles, Components};
