//! A low-rank start aligned with the task. Its singular directions are the
//! task's input-answer modes carried into the hidden layer: the right singular
//! vectors read the input pattern that predicts the answer (W_in q_k), the left
//! ones write where the readout separates the answers (W_out^T p_k), where
//! q_k, p_k are the singular vectors of the cross-covariance between a trial's
//! mean input and its answer (the alignment of the linear theory, Saxe et al.
//! 2014). Higher ranks go on with the remaining input and readout directions.
//! The same singular values on random singular vectors are the rank family
//! (unaligned).

use super::{InitSpec, Start, TaskAxes};
use crate::linalg::{orthonormalise, singular_values, sym_eigen, Mat};
use crate::rng::Rng;
use crate::tasks::Batch;

/// The page's hint for this family (plain text).
pub const HINT: &str = "Aligned means the start already points where the task needs it. It has the same singular \
values as the rank-r start, but its singular vectors come from the task: the input side reads the input pattern that \
predicts the answer (for 2AF, stimulus 1 minus stimulus 2, as it enters through W_in), the output side writes where \
the readout tells the answers apart (through W_out). These are the modes of the covariance between a trial's inputs \
and its answer; higher ranks add the remaining input and readout directions. The paper expects lazier learning here \
despite the low rank; compare with rank r (same rank and norm, random directions).";

/// Cross-covariance (n_out x n_in) between each trial's mean input over its
/// steps and its one-hot answer at the last step, over all trials of `batches`.
pub fn io_covariance(batches: &[Batch], n_out: usize) -> Mat<f64> {
    let n_in = batches[0].n_in;
    let (mut xs, mut ys): (Vec<Vec<f64>>, Vec<Vec<f64>>) = (Vec::new(), Vec::new());
    for b in batches {
        for k in 0..b.batch {
            xs.push(
                (0..n_in)
                    .map(|i| (0..b.seq_len).map(|t| b.x_at(t)[k * n_in + i] as f64).sum::<f64>() / b.seq_len as f64)
                    .collect(),
            );
            ys.push((0..n_out).map(|c| (b.labels_at(b.seq_len - 1)[k] == c) as u8 as f64).collect());
        }
    }
    let m = xs.len() as f64;
    let mean = |vs: &[Vec<f64>], j: usize| vs.iter().map(|v| v[j]).sum::<f64>() / m;
    let (mx, my): (Vec<f64>, Vec<f64>) =
        ((0..n_in).map(|i| mean(&xs, i)).collect(), (0..n_out).map(|c| mean(&ys, c)).collect());
    Mat::from_fn(n_out, n_in, |c, i| xs.iter().zip(&ys).map(|(x, y)| (y[c] - my[c]) * (x[i] - mx[i])).sum::<f64>() / m)
}

/// The input-answer modes of `c`, strongest first: (input pattern q_k, answer pattern p_k).
fn modes(c: &Mat<f64>) -> Vec<(Vec<f64>, Vec<f64>)> {
    let (w, q) = sym_eigen(&c.t_matmul(c));
    let top = w.first().copied().unwrap_or(0.0);
    (0..q.cols)
        .filter(|&k| w[k] > 1e-12 * top && top > 0.0)
        .map(|k| {
            let qk: Vec<f64> = (0..q.rows).map(|i| q.at(i, k)).collect();
            let pk: Vec<f64> =
                (0..c.rows).map(|r| c.row(r).iter().zip(&qk).map(|(a, b)| a * b).sum::<f64>() / w[k].sqrt()).collect();
            (qk, pk)
        })
        .collect()
}

/// Channel 0 is fixation in the neurogym tasks (input and output), the least informative
/// direction, so it comes last there: rank 1 maps stimulus 1 to choice 1. sMNIST has no fixation
/// channel (pixel columns in, digits out): its channels keep their order, after the task's modes
/// (our choice; only ranks beyond its modes reach them).
fn fixation_last(mut vs: Vec<Vec<f64>>, fixation: bool) -> Vec<Vec<f64>> {
    if fixation {
        vs.rotate_left(1);
    }
    vs
}

/// An orthonormal frame spanning the groups' vectors, taken in order.
fn frame(groups: &[&[Vec<f64>]]) -> Vec<Vec<f64>> {
    let mut q: Vec<Vec<f64>> = Vec::new();
    for v in groups.iter().flat_map(|g| g.iter()) {
        if let Some(u) = orthonormalise(v.clone(), &q) {
            q.push(u);
        }
    }
    q
}

/// The largest rank the task's directions allow.
pub fn max_rank(n: usize, n_in: usize, n_out: usize) -> usize {
    (n_in + n_out).min(n)
}

/// The aligned family's largest rank (`max_rank`) and the message's opening.
pub fn rank_limit(n: usize, n_in: usize, n_out: usize) -> (usize, String) {
    let max = max_rank(n, n_in, n_out);
    (max, format!("an aligned start has rank at most {max} (the task's {n_in} input and {n_out} readout directions)"))
}

/// The aligned family: the rank-r start's singular values (the base Gaussian's first r) on the task's directions.
pub fn start(spec: &InitSpec, base: &Mat<f64>, _: &mut Rng, axes: &TaskAxes) -> Start {
    Start::Shaped(build(&singular_values(base)[..spec.rank], axes))
}

/// sum_k s_k u_k v_k^T with v from the input side of the task's modes (then
/// the raw input and readout directions), u from their answer side (then the
/// raw readout and input directions).
pub fn build(s: &[f64], axes: &TaskAxes) -> Mat<f64> {
    let n = axes.w_in.rows;
    let into_hidden =
        |q: &[f64]| -> Vec<f64> { (0..n).map(|r| axes.w_in.row(r).iter().zip(q).map(|(a, b)| a * b).sum()).collect() };
    let onto_readout = |p: &[f64]| -> Vec<f64> {
        (0..n).map(|r| (0..axes.w_out.rows).map(|c| axes.w_out.at(c, r) * p[c]).sum()).collect()
    };
    let modes = modes(axes.io_cov);
    let inputs = fixation_last(
        (0..axes.w_in.cols).map(|c| (0..n).map(|r| axes.w_in.at(r, c)).collect()).collect(),
        axes.fixation,
    );
    let readouts = fixation_last((0..axes.w_out.rows).map(|r| axes.w_out.row(r).to_vec()).collect(), axes.fixation);
    let mode_in: Vec<Vec<f64>> = modes.iter().map(|(q, _)| into_hidden(q)).collect();
    let mode_out: Vec<Vec<f64>> = modes.iter().map(|(_, p)| onto_readout(p)).collect();
    let u = frame(&[&mode_out, &readouts, &inputs]);
    let v = frame(&[&mode_in, &inputs, &readouts]);
    Mat::from_fn(n, n, |r, c| s.iter().zip(u.iter().zip(&v)).map(|(s, (u, v))| s * u[r] * v[c]).sum())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::singular_values;
    use crate::rng::Rng;
    use crate::tasks::{TaskKind, TaskStream};

    fn cos(a: &[f64], b: &[f64]) -> f64 {
        let d: f64 = a.iter().zip(b).map(|(x, y)| x * y).sum();
        d / (a.iter().map(|x| x * x).sum::<f64>().sqrt() * b.iter().map(|x| x * x).sum::<f64>().sqrt())
    }

    #[test]
    fn the_2af_mode_is_stimulus_difference_to_choice_difference() {
        let mut stream = TaskStream::new(TaskKind::Perceptual.build(), 32, 0, 7);
        let batches: Vec<Batch> = (0..10).map(|_| stream.next_batch()).collect();
        let (q, p) = modes(&io_covariance(&batches, 3)).remove(0);
        let diff = [0.0, 1.0, -1.0];
        assert!(cos(&q, &diff).abs() > 0.99, "input mode {q:?}");
        assert!(cos(&p, &diff).abs() > 0.99, "answer mode {p:?}");
        assert!(cos(&q, &diff) * cos(&p, &diff) > 0.0, "more stimulus 1 predicts answer 1");
    }

    #[test]
    fn reads_the_task_mode_and_writes_its_readout() {
        let n = 40;
        let mut rng = Rng::new(3, 0);
        let w_in = Mat::from_fn(n, 3, |_, _| rng.normal());
        let w_out = Mat::from_fn(3, n, |_, _| rng.normal());
        // Inputs (fixation, s1, s2) to answers (fixate, 1, 2): s1 - s2 predicts answer 1 - answer 2.
        let io_cov = Mat::from_vec(3, 3, vec![0.0, 0.0, 0.0, 0.0, 1.0, -1.0, 0.0, -1.0, 1.0]);
        let axes = TaskAxes { w_in: &w_in, w_out: &w_out, io_cov: &io_cov, fixation: true };
        let w = build(&[5.0, 2.0], &axes);
        let s = singular_values(&w);
        assert!((s[0] - 5.0).abs() < 1e-9 && (s[1] - 2.0).abs() < 1e-9 && s[2] < 1e-6, "{:?}", &s[..3]);
        let hidden = |m: &Mat<f64>, v: &[f64]| -> Vec<f64> {
            (0..m.rows).map(|r| m.row(r).iter().zip(v).map(|(a, b)| a * b).sum()).collect()
        };
        let drive = hidden(&w_in, &[0.0, 1.0, -1.0]);
        let readout: Vec<f64> = (0..n).map(|r| w_out.at(1, r) - w_out.at(2, r)).collect();
        let rank1 = build(&[1.0], &axes);
        assert!(cos(&hidden(&rank1, &drive), &readout) > 0.999, "{}", cos(&hidden(&rank1, &drive), &readout));
        // Nothing outside the task's directions is read: a vector orthogonal to all of them maps to 0.
        let mut z: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
        let all: Vec<Vec<f64>> = (0..3)
            .map(|c| (0..n).map(|r| w_in.at(r, c)).collect())
            .chain((0..3).map(|r| w_out.row(r).to_vec()))
            .collect();
        for b in frame(&[&all]) {
            let p: f64 = z.iter().zip(&b).map(|(a, b)| a * b).sum();
            z.iter_mut().zip(&b).for_each(|(a, b)| *a -= p * b);
        }
        assert!(hidden(&w, &z).iter().map(|x| x * x).sum::<f64>() < 1e-18);
    }

    #[test]
    fn without_a_fixation_channel_the_first_input_channel_is_not_moved_last() {
        // No input-answer modes (a zero covariance): the rank-1 start reads the first raw input
        // direction, channel 1 where channel 0 is fixation, channel 0 on sMNIST.
        let n = 40;
        let mut rng = Rng::new(5, 0);
        let w_in = Mat::from_fn(n, 3, |_, _| rng.normal());
        let w_out = Mat::from_fn(3, n, |_, _| rng.normal());
        let io_cov = Mat::zeros(3, 3);
        let column = |c: usize| -> Vec<f64> { (0..n).map(|r| w_in.at(r, c)).collect() };
        // W = u v^T: its rows all lie along v, so any row's cosine with a column says which it reads.
        let reads = |fixation: bool| -> Vec<f64> {
            let w = build(&[1.0], &TaskAxes { w_in: &w_in, w_out: &w_out, io_cov: &io_cov, fixation });
            let r = (0..n).max_by(|&a, &b| w.row(a)[0].abs().total_cmp(&w.row(b)[0].abs())).unwrap();
            (0..3).map(|c| cos(w.row(r), &column(c)).abs()).collect()
        };
        assert!(reads(true)[1] > 0.999, "{:?}", reads(true));
        assert!(reads(false)[0] > 0.999, "{:?}", reads(false));
    }
}
