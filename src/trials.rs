//! What a run trains and is measured on, for code outside the engine (the Python package's
//! `trials`, `probe` and `hidden`), so that a researcher can check the learning rules against their
//! own: the batch of any training iteration, the probe set, and the model's hidden states of any
//! weights on any inputs. A folder of saved weights is read by `analysis::Weights::read_dir`.

use crate::config::Config;
use crate::experiment::{probe_stream, train_stream_at};
use crate::linalg::{Mat, Real};
use crate::metrics::PROBE_BATCHES;
use crate::model::{Rnn, Trace};
use crate::settings::{Code, SettingError};
use crate::tasks::{Batch, DT_DEFAULT};

/// The batch training iteration `iteration` trains on (0-based: the update that takes the run from k
/// iterations done to k + 1); a run of `iters` iterations trains on 0 to `iters - 1`. In a sequence,
/// its phase's task's batch: each task's phases draw from that task's stream in turn.
pub fn train_batch(config: &Config, iteration: usize) -> Result<Batch, SettingError> {
    config.task().ready()?;
    let total = config.total_iters();
    if iteration >= total {
        let message = format!(
            "iteration {iteration}: a run of {total} iterations trains on iterations 0 to {} (0-based)",
            total - 1
        );
        return Err(SettingError::new("iteration", Code::Range, message));
    }
    let plan = config.plan();
    let phase = plan.iter().find(|p| (p.start..p.end).contains(&iteration)).expect("an iteration of the run");
    let earlier: usize =
        plan.iter().filter(|p| p.task == phase.task && p.end <= phase.start).map(|p| p.end - p.start).sum();
    let mut stream = train_stream_at(config, phase.task);
    let mut batch = stream.new_batch();
    for _ in 0..=earlier + iteration - phase.start {
        stream.fill(&mut batch);
    }
    Ok(batch)
}

/// The probe set the measures and the analysis use: its `PROBE_BATCHES` batches.
pub fn probe(config: &Config) -> Result<Vec<Batch>, SettingError> {
    config.probe_task().ready()?;
    let mut stream = probe_stream(config);
    Ok((0..PROBE_BATCHES).map(|_| stream.next_batch()).collect())
}

/// Batches of one task as one batch, side by side on the trial axis: trial j of `batches[i]` is
/// trial `i * batch + j`.
pub fn concat(batches: &[Batch]) -> Batch {
    let first = &batches[0];
    let (t_len, n_in) = (first.seq_len, first.n_in);
    let total: usize = batches.iter().map(|b| b.batch).sum();
    let mut out = Batch::zeros(first.dt, t_len, total, n_in, first.scored.clone());
    out.conditions = batches.iter().flat_map(|b| b.conditions.iter().copied()).collect();
    for t in 0..t_len {
        let (mut x, mut l) = (t * total * n_in, t * total);
        for b in batches {
            out.x[x..x + b.batch * n_in].copy_from_slice(b.x_at(t));
            out.labels[l..l + b.batch].copy_from_slice(b.labels_at(t));
            x += b.batch * n_in;
            l += b.batch;
        }
    }
    out
}

/// The hidden states h_t of the network (`w_in` N x n_in, `w_rec` N x N, leak `alpha`) on inputs `x`
/// (`seq_len x batch x n_in`, time-major as `Batch::x`), by the model's own forward pass: `seq_len x
/// batch x N`, time-major.
pub fn hidden<T: Real>(
    w_in: Mat<T>,
    w_rec: Mat<T>,
    alpha: f64,
    x: &[f32],
    (seq_len, batch): (usize, usize),
) -> Result<Vec<T>, SettingError> {
    let n = w_rec.rows;
    if w_rec.cols != n || w_in.rows != n {
        let message = format!(
            "W_in is {} x {} and W_rec {} x {}: W_rec must be N x N and W_in N x inputs",
            w_in.rows, w_in.cols, n, w_rec.cols
        );
        return Err(SettingError::new("weights", Code::Conflict, message));
    }
    if x.len() != seq_len * batch * w_in.cols {
        let message = format!("x must be steps x trials x {} (W_in's columns)", w_in.cols);
        return Err(SettingError::new("x", Code::Conflict, message));
    }
    // The readout does not touch the states: a zero one keeps the forward pass the model's.
    let net = Rnn { w_out: Mat::zeros(1, n), w_in, w_rec, alpha: T::from_f64(alpha) };
    let mut b = Batch::zeros(DT_DEFAULT, seq_len, batch, net.n_in(), 0..seq_len);
    b.x.copy_from_slice(x);
    let mut trace = Trace::new(&net, seq_len, batch);
    trace.forward(&net, &b);
    Ok(trace.h)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::{learning_rule, Experiment};
    use crate::rules::Grads;

    fn config(pairs: &[(&str, &str)]) -> Config {
        let mut c = Config::default();
        assert!(c.apply(pairs.iter().copied()).is_empty());
        c
    }

    #[test]
    fn iteration_k_is_the_batch_the_run_trains_on_at_its_kth_update() {
        // The run's own loss of its next batch is the loss of train_batch(k) on the net it has now.
        let trains_on = |c: &Config, iters: usize, what: &str| {
            let mut exp = Experiment::new(c.clone()).unwrap();
            for k in 0..iters {
                let batch = train_batch(c, k).unwrap();
                let mut rule = learning_rule(c, exp.net(), batch.seq_len);
                let mut grads = Grads::zeros_like(exp.net());
                let loss = rule.gradients(exp.net(), &batch, c.task().decision_steps(), &mut grads).loss;
                exp.step();
                assert_eq!(exp.train_loss, loss, "{what}, iteration {k}");
            }
        };
        let seq = config(&[("sequence", "2af:2,dms:3,2af:2"), ("hidden", "8"), ("every", "2"), ("seed", "3")]);
        trains_on(&seq, 7, "sequence");
        assert_eq!(
            train_batch(&seq, 7).unwrap_err().message,
            "iteration 7: a run of 7 iterations trains on iterations 0 to 6 (0-based)"
        );
        let c = config(&[("task", "dms"), ("hidden", "8"), ("iters", "4"), ("every", "2"), ("seed", "3")]);
        trains_on(&c, 4, "plain");
        assert_ne!(train_batch(&c, 0).unwrap(), train_batch(&c, 1).unwrap());
        let e = train_batch(&c, 4).unwrap_err();
        assert_eq!((e.key.as_str(), e.code), ("iteration", Code::Range));
    }

    #[test]
    fn the_probe_is_the_runs() {
        let c = config(&[("task", "2af"), ("hidden", "8"), ("iters", "1"), ("seed", "2")]);
        assert_eq!(probe(&c).unwrap(), Experiment::new(c).unwrap().probe().batches);
    }

    #[test]
    fn concatenated_batches_keep_each_trial_and_the_states_do_not_depend_on_the_batch() {
        let c = config(&[("task", "cxt"), ("batch", "3")]);
        let p = probe(&c).unwrap();
        let all = concat(&p[..2]);
        assert_eq!((all.batch, all.conditions[3]), (6, p[1].conditions[0]));
        assert_eq!(
            (all.x_at(5)[3 * 7..4 * 7].to_vec(), all.labels_at(7)[4]),
            (p[1].x_at(5)[..7].to_vec(), p[1].labels_at(7)[1])
        );
        let mut rng = crate::rng::Rng::new(1, 0);
        let w_in = Mat::from_fn(5, 7, |_, _| rng.normal());
        let w_rec = Mat::from_fn(5, 5, |_, _| 0.5 * rng.normal());
        let h = |b: &Batch| hidden(w_in.clone(), w_rec.clone(), 0.5, &b.x, (b.seq_len, b.batch)).unwrap();
        let (h_all, h1) = (h(&all), h(&p[1]));
        for t in 0..8 {
            // Trial 1 of the second batch is trial 4 of both: 5 units each.
            assert_eq!(h_all[(t * 6 + 4) * 5..(t * 6 + 5) * 5], h1[(t * 3 + 1) * 5..(t * 3 + 2) * 5]);
        }
    }

    #[test]
    fn hidden_states_follow_the_leaky_relu_update_from_zero() {
        // One unit pair by hand, a = 0.5: h_0 = relu(a W_in x_0), h_t = relu((1 - a) h_{t-1} + a (W_in x_t + W_rec h_{t-1})).
        let w_in = Mat::from_vec(2, 1, vec![1.0, -1.0]);
        let w_rec = Mat::from_vec(2, 2, vec![0.0, 2.0, 1.0, 0.0]);
        let h = hidden::<f64>(w_in, w_rec, 0.5, &[2.0, -4.0], (2, 1)).unwrap();
        // h_0 = relu(0.5 * (2, -2)) = (1, 0); u_1 = 0.5 * (1, 0) + 0.5 * ((-4, 4) + (0, 1)) = (-1.5, 2.5).
        assert_eq!(h, [1.0, 0.0, 0.0, 2.5]);
        let e = hidden::<f64>(Mat::zeros(2, 1), Mat::zeros(2, 3), 1.0, &[0.0], (1, 1)).unwrap_err();
        assert_eq!(e.key, "weights");
        let e = hidden::<f64>(Mat::zeros(2, 1), Mat::zeros(2, 2), 1.0, &[0.0; 3], (1, 2)).unwrap_err();
        assert_eq!(e.key, "x");
    }
}
