//! The neighbouring regime studies (SGD noise, grokking), each one module behind
//! [`crate::study::Study`] with its settings as a table of [`crate::settings::Param`]s.

pub mod grok;
pub mod perceptron;
pub mod phase;
