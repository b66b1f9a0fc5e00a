use super::Task;
use crate::rng::Rng;
use std::ops::Range;

pub struct ContextDecision;

impl Task for ContextDecision {
    fn key(&self) -> &'static str { todo!() }
    fn n_in(&self) -> usize { todo!() }
    fn n_out(&self) -> usize { todo!() }
    fn seq_len(&self) -> usize { todo!() }
    fn decision_steps(&self) -> Range<usize> { todo!() }
    fn trial(&self, _rng: &mut Rng, _x: &mut [f32], _labels: &mut [usize]) { todo!() }
}
