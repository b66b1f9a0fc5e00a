//! What learning did to the network, beyond the scalar measures: the one-step map's fixed and slow
//! points with their stability (`fixed`), the states' principal components and the comparison of two
//! networks' representations (`subspace`), and the structure of the weight change ΔW = W_rec − W_rec(0)
//! (`delta`); the probe's condition-averaged states (`trajectories`) and the whole report of a start
//! against its end (`report`), and its picture at every measure point of a run (`live`). Pure f64 arithmetic in a fixed order, as everywhere in the engine, so the page and the
//! command line get the same bits. shared/spec/mechanism.md gives the background and references.

pub mod delta;
pub mod fixed;
pub mod live;
pub mod map;
pub mod report;
pub mod solve;
pub mod subspace;
pub mod trajectories;

pub use delta::{delta_structure, DeltaStructure};
pub use fixed::{find_fixed_points, FixedPoint, Options, Stability};
pub use map::StepMap;
pub use report::{analyse, Weights};
pub use subspace::{linear_cka, principal_angles, Components};
pub use trajectories::Trajectories;
