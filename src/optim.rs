//! Optimisers, with PyTorch's conventions so that runs match the authors' script.

use crate::linalg::{Mat, Real};
use crate::rules::Grads;

pub trait Optimizer<T: Real>: Send {
    /// Moves `params` (W_in, W_rec, W_out) against `grads`.
    fn step(&mut self, params: [&mut Mat<T>; 3], grads: &Grads<T>);
    /// A new learning rate from the next step on (a sequence's phase may have its own); the
    /// optimiser's state (momentum, Adam's moments) carries over.
    fn set_lr(&mut self, lr: f64);
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum OptimizerKind {
    /// v <- momentum v + g;  w <- w - lr v  (torch.optim.SGD)
    Sgd { lr: f64, momentum: f64 },
    /// torch.optim.Adam with betas (0.9, 0.999) and eps 1e-8.
    Adam { lr: f64 },
}

impl OptimizerKind {
    pub fn key(&self) -> &'static str {
        match self {
            OptimizerKind::Sgd { .. } => "sgd",
            OptimizerKind::Adam { .. } => "adam",
        }
    }

    pub fn lr(&self) -> f64 {
        match *self {
            OptimizerKind::Sgd { lr, .. } | OptimizerKind::Adam { lr } => lr,
        }
    }

    /// The optimiser named `key` ("sgd" uses the paper's momentum 0.9).
    pub fn parse(key: &str, lr: f64) -> Option<Self> {
        match key.to_ascii_lowercase().as_str() {
            "sgd" => Some(OptimizerKind::Sgd { lr, momentum: 0.9 }),
            "adam" => Some(OptimizerKind::Adam { lr }),
            _ => None,
        }
    }

    pub fn build<T: Real>(&self, grads: &Grads<T>) -> Box<dyn Optimizer<T>> {
        let zeros = || {
            grads.mats.clone().map(|mut m| {
                m.data.iter_mut().for_each(|v| *v = T::ZERO);
                m
            })
        };
        match *self {
            OptimizerKind::Sgd { lr, momentum } => {
                Box::new(Sgd { lr: T::from_f64(lr), momentum: T::from_f64(momentum), velocity: zeros() })
            }
            OptimizerKind::Adam { lr } => {
                Box::new(Adam { lr, b1: 0.9, b2: 0.999, eps: 1e-8, b1_t: 1.0, b2_t: 1.0, m: zeros(), v: zeros() })
            }
        }
    }
}

pub struct Sgd<T> {
    lr: T,
    momentum: T,
    velocity: [Mat<T>; 3],
}

impl<T: Real> Optimizer<T> for Sgd<T> {
    fn step(&mut self, params: [&mut Mat<T>; 3], grads: &Grads<T>) {
        for ((w, g), v) in params.into_iter().zip(&grads.mats).zip(&mut self.velocity) {
            for ((wi, &gi), vi) in w.data.iter_mut().zip(&g.data).zip(&mut v.data) {
                *vi = self.momentum * *vi + gi;
                *wi -= self.lr * *vi;
            }
        }
    }

    fn set_lr(&mut self, lr: f64) {
        self.lr = T::from_f64(lr);
    }
}

pub struct Adam<T> {
    lr: f64,
    b1: f64,
    b2: f64,
    eps: f64,
    /// b1^t and b2^t, kept as running products (not powf) so every platform agrees.
    b1_t: f64,
    b2_t: f64,
    m: [Mat<T>; 3],
    v: [Mat<T>; 3],
}

impl<T: Real> Optimizer<T> for Adam<T> {
    fn step(&mut self, params: [&mut Mat<T>; 3], grads: &Grads<T>) {
        self.b1_t *= self.b1;
        self.b2_t *= self.b2;
        let (b1, b2) = (T::from_f64(self.b1), T::from_f64(self.b2));
        let step = T::from_f64(self.lr / (1.0 - self.b1_t));
        let bc2 = T::from_f64(1.0 - self.b2_t);
        let eps = T::from_f64(self.eps);
        for (((w, g), m), v) in params.into_iter().zip(&grads.mats).zip(&mut self.m).zip(&mut self.v) {
            for (((wi, &gi), mi), vi) in w.data.iter_mut().zip(&g.data).zip(&mut m.data).zip(&mut v.data) {
                *mi = b1 * *mi + (T::ONE - b1) * gi;
                *vi = b2 * *vi + (T::ONE - b2) * gi * gi;
                *wi -= step * *mi / ((*vi / bc2).sqrt() + eps);
            }
        }
    }

    fn set_lr(&mut self, lr: f64) {
        self.lr = lr;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_param(w: f64, g: f64) -> ([Mat<f64>; 3], Grads<f64>) {
        let p = [Mat::from_vec(1, 1, vec![0.0]), Mat::from_vec(1, 1, vec![w]), Mat::from_vec(1, 1, vec![0.0])];
        let grads = Grads { mats: [Mat::zeros(1, 1), Mat::from_vec(1, 1, vec![g]), Mat::zeros(1, 1)] };
        (p, grads)
    }

    #[test]
    fn sgd_momentum_follows_torch_recursion() {
        let (mut p, grads) = one_param(1.0, 2.0);
        let mut opt = OptimizerKind::Sgd { lr: 0.1, momentum: 0.9 }.build(&grads);
        let [a, b, c] = &mut p;
        opt.step([a, b, c], &grads); // v = 2, w = 1 - 0.2
        opt.step([a, b, c], &grads); // v = 3.8, w = 0.8 - 0.38
        assert!((p[1].data[0] - 0.42).abs() < 1e-12, "{}", p[1].data[0]);
    }

    #[test]
    fn adam_first_step_moves_by_lr() {
        // With bias correction the first Adam step is lr * g / (|g| + eps).
        let (mut p, grads) = one_param(1.0, -3.0);
        let mut opt = OptimizerKind::Adam { lr: 0.01 }.build(&grads);
        let [a, b, c] = &mut p;
        opt.step([a, b, c], &grads);
        assert!((p[1].data[0] - 1.01).abs() < 1e-9, "{}", p[1].data[0]);
    }
}
