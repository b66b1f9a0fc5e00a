//! The three tasks against shared/spec/tasks.md, through the public API, at
//! the paper's dt = 100 ms and at finer time steps (periods of `ms / dt`
//! steps, input noise SD `1 / sqrt(dt)`, the answer on every decision step).
//!
//! Three kinds of check: statistical ones that only use the spec (what is zero,
//! what is one, noise mean and SD, how the stimulus encodes the label), an
//! exact one per task that replays the documented draw order with an
//! independent re-implementation, so a change of draw order (which would
//! silently change every seeded run) fails loudly, and hashes of dt = 100
//! batches taken before the tasks learnt dt, so the paper's batches keep their bits.

use richlazy::rng::Rng;
use richlazy::tasks::{input_noise_sd, Task, TaskKind, TaskStream, DT_CHOICES};
use std::ops::Range;

const N_TRIALS: usize = 20_000;
/// The time steps the statistical checks run at.
const DTS: [u32; 3] = [100, 50, 20];

/// Steps of `ms` milliseconds at time step `dt`.
fn steps(ms: u32, dt: u32) -> usize {
    assert_eq!(ms % dt, 0);
    (ms / dt) as usize
}

/// Every trial lasts 800 ms; the decision period is its last 100 ms.
fn decision(dt: u32) -> Range<usize> {
    steps(700, dt)..steps(800, dt)
}

/// One trial: `x` is `seq_len x n_in` row-major.
struct Trial {
    n_in: usize,
    dt: u32,
    x: Vec<f32>,
    labels: Vec<usize>,
}

impl Trial {
    fn at(&self, t: usize, i: usize) -> f64 {
        self.x[t * self.n_in + i] as f64
    }
    /// The label of the first decision step.
    fn answer(&self) -> usize {
        self.labels[decision(self.dt).start]
    }
    fn seq_len(&self) -> usize {
        self.labels.len()
    }
}

/// `n` consecutive trials from one stream, as one batch slot draws them.
fn trials(kind: TaskKind, dt: u32, n: usize, seed: u64) -> Vec<Trial> {
    let task = kind.build_at(dt);
    let mut rng = Rng::new(seed, 0);
    (0..n)
        .map(|_| {
            let mut x = vec![f32::NAN; task.seq_len() * task.n_in()];
            let mut labels = vec![usize::MAX; task.seq_len()];
            task.trial(&mut rng, &mut x, &mut labels);
            Trial { n_in: task.n_in(), dt, x, labels }
        })
        .collect()
}

/// Running mean and SD.
#[derive(Default)]
struct Moments {
    n: f64,
    sum: f64,
    sumsq: f64,
}

impl Moments {
    fn push(&mut self, v: f64) {
        self.n += 1.0;
        self.sum += v;
        self.sumsq += v * v;
    }
    fn mean(&self) -> f64 {
        self.sum / self.n
    }
    fn sd(&self) -> f64 {
        let m = self.mean();
        (self.sumsq / self.n - m * m).max(0.0).sqrt()
    }
    /// Mean within 5 standard errors of `mean`, SD within 3% of `sd`.
    fn assert_close(&self, what: &str, mean: f64, sd: f64) {
        let se = sd.max(1e-3) / self.n.sqrt();
        assert!((self.mean() - mean).abs() < 5.0 * se, "{what}: mean {} vs {mean} (se {se})", self.mean());
        assert!((self.sd() - sd).abs() < 0.03 * sd, "{what}: sd {} vs {sd}", self.sd());
    }
}

fn fraction(trials: &[Trial], pred: impl Fn(&Trial) -> bool) -> f64 {
    trials.iter().filter(|tr| pred(tr)).count() as f64 / trials.len() as f64
}

/// The spec's noise SD: sigma / sqrt(dt) with sigma = 1.
fn sd(dt: u32) -> f64 {
    1.0 / (dt as f64).sqrt()
}

// ---------------------------------------------------------------- common

#[test]
fn noise_sd_is_one_over_sqrt_dt() {
    assert_eq!(input_noise_sd(100), 0.1);
    assert!((input_noise_sd(20) - 0.223_606_797_749_979).abs() < 1e-15);
    for dt in DT_CHOICES {
        assert_eq!(input_noise_sd(dt), sd(dt));
    }
}

#[test]
fn shapes_periods_and_keys_match_the_spec() {
    let expect = [(TaskKind::Perceptual, "2af", 3), (TaskKind::DelayMatch, "dms", 3), (TaskKind::Context, "cxt", 7)];
    // Period boundaries in ms from tasks.md.
    let periods: [&[(&str, u32, u32)]; 3] = [
        &[("stimulus", 0, 700), ("decision", 700, 800)],
        &[("sample", 0, 100), ("delay", 100, 600), ("test", 600, 700), ("decision", 700, 800)],
        &[("stimulus", 0, 200), ("delay", 200, 700), ("decision", 700, 800)],
    ];
    for ((kind, key, n_in), periods) in expect.into_iter().zip(periods) {
        assert_eq!(kind.key(), key);
        assert_eq!(kind.build().dt(), 100, "{key}: build() is dt = 100");
        for dt in DT_CHOICES {
            let task = kind.build_at(dt);
            assert_eq!(task.key(), key);
            assert_eq!(task.dt(), dt);
            assert_eq!(TaskKind::parse(key), Some(kind));
            assert_eq!(task.n_in(), n_in, "{key}");
            assert_eq!(task.input_names().len(), n_in, "{key}");
            assert_eq!(task.n_out(), 3, "{key}");
            assert_eq!(task.seq_len(), 800 / dt as usize, "{key} dt {dt}");
            assert_eq!(task.decision_steps(), decision(dt), "{key} dt {dt}");
            for &(name, from, to) in periods {
                assert_eq!(task.period(name), steps(from, dt)..steps(to, dt), "{key} dt {dt} {name}");
            }
        }
    }
    // The paper's 8 steps and the local rules' 40.
    assert_eq!(TaskKind::Context.build().seq_len(), 8);
    assert_eq!(TaskKind::Context.build().decision_steps(), 7..8);
    assert_eq!(TaskKind::Perceptual.build_at(20).seq_len(), 40);
    assert_eq!(TaskKind::Perceptual.build_at(20).decision_steps(), 35..40);
    assert_eq!(TaskKind::DelayMatch.build_at(20).period("test"), 30..35);
}

#[test]
#[should_panic(expected = "not one of")]
fn a_time_step_that_does_not_divide_100_ms_is_refused() {
    TaskKind::Perceptual.build_at(30);
}

#[test]
fn trial_overwrites_every_input_and_label() {
    for dt in DT_CHOICES {
        for kind in TaskKind::NEUROGYM {
            for tr in trials(kind, dt, 200, 1) {
                assert!(tr.x.iter().all(|v| v.is_finite()), "{kind:?} dt {dt}: an input was left unwritten");
                assert!(tr.labels.iter().all(|&l| l < 3), "{kind:?} dt {dt}: a label was left unwritten");
            }
        }
    }
}

#[test]
fn labels_fixate_until_the_decision_period_then_answer_on_every_step_balanced() {
    for dt in DTS {
        for kind in TaskKind::NEUROGYM {
            let ts = trials(kind, dt, N_TRIALS / 2, 2);
            let dec = decision(dt);
            for tr in &ts {
                assert!(tr.labels[..dec.start].iter().all(|&l| l == 0), "{kind:?} dt {dt}: {:?}", tr.labels);
                assert!(matches!(tr.answer(), 1 | 2), "{kind:?} dt {dt}: {:?}", tr.labels);
                assert!(tr.labels[dec.clone()].iter().all(|&l| l == tr.answer()), "{kind:?} dt {dt}: {:?}", tr.labels);
                assert_eq!(tr.seq_len(), dec.end);
            }
            let p1 = fraction(&ts, |tr| tr.answer() == 1);
            assert!((p1 - 0.5).abs() < 0.03, "{kind:?} dt {dt}: answer 1 in {p1} of trials");
        }
    }
}

#[test]
fn fixation_is_on_until_the_decision_period_and_off_in_it() {
    for dt in DTS {
        for kind in TaskKind::NEUROGYM {
            // CXT adds noise to the fixation channel on its stimulus steps (0-200 ms).
            let noisy_steps = if kind == TaskKind::Context { 0..steps(200, dt) } else { 0..0 };
            let mut noisy = Moments::default();
            for tr in trials(kind, dt, N_TRIALS / 2, 3) {
                for t in 0..decision(dt).start {
                    if noisy_steps.contains(&t) {
                        noisy.push(tr.at(t, 0));
                    } else {
                        assert_eq!(tr.at(t, 0), 1.0, "{kind:?} dt {dt} step {t}");
                    }
                }
                for t in decision(dt) {
                    assert_eq!(tr.at(t, 0), 0.0, "{kind:?} dt {dt} decision step {t}");
                }
            }
            if kind == TaskKind::Context {
                noisy.assert_close(&format!("cxt fixation in the stimulus, dt {dt}"), 1.0, sd(dt));
            }
        }
    }
}

/// The x of `trial` written by `task`'s own draws, next to a clone of the
/// generator taken before, so a test can replay the documented draw order.
fn replay(kind: TaskKind, dt: u32, seed: u64, n: usize, mut check: impl FnMut(&mut Rng, &Trial)) {
    let task = kind.build_at(dt);
    let mut rng = Rng::new(seed, 9);
    let len = task.seq_len();
    for _ in 0..n {
        let mut mirror = rng.clone();
        let mut tr = Trial { n_in: task.n_in(), dt, x: vec![f32::NAN; len * task.n_in()], labels: vec![9; len] };
        task.trial(&mut rng, &mut tr.x, &mut tr.labels);
        check(&mut mirror, &tr);
        // The replay consumed exactly what the task consumed (spare normal included).
        let mut theirs = rng.clone();
        assert_eq!(mirror.normal(), theirs.normal(), "{kind:?}: spare normal differs");
        assert_eq!(mirror.next_u64(), theirs.next_u64(), "{kind:?}: draw count differs");
    }
}

fn assert_row(tr: &Trial, t: usize, expect: &[f64]) {
    for (i, e) in expect.iter().enumerate() {
        assert!((tr.at(t, i) - e).abs() < 1e-6, "dt {} step {t} channel {i}: {} vs {e}", tr.dt, tr.at(t, i));
    }
}

// ---------------------------------------------------------------- 2AF

const COH_2AF: [f64; 5] = [0.0, 6.4, 12.8, 25.6, 51.2];

#[test]
fn perceptual_decision_period_is_silent() {
    for dt in DTS {
        for tr in trials(TaskKind::Perceptual, dt, 2000, 4) {
            for t in decision(dt) {
                for i in 0..3 {
                    assert_eq!(tr.at(t, i), 0.0, "dt {dt} step {t} channel {i}");
                }
            }
        }
    }
}

#[test]
fn perceptual_noise_has_sd_one_over_sqrt_dt_on_stimulus_steps() {
    for dt in DTS {
        let sd = sd(dt);
        let (mut sum, mut diff, mut high, mut low) =
            (Moments::default(), Moments::default(), Moments::default(), Moments::default());
        let stim = steps(700, dt);
        for tr in trials(TaskKind::Perceptual, dt, N_TRIALS, 5) {
            let c = tr.answer(); // the channel (1 or 2) of the chosen direction
            for t in 0..stim {
                // s1 + s2 = 1 + noise: the cosines cancel.
                sum.push(tr.at(t, 1) + tr.at(t, 2) - 1.0);
                high.push(tr.at(t, c));
                low.push(tr.at(t, 3 - c));
            }
            // Within a trial the noiseless value is constant: disjoint step pairs
            // give pure noise differences.
            for t in [0, 2, 4] {
                for i in 1..3 {
                    diff.push((tr.at(t, i) - tr.at(t + 1, i)) / 2f64.sqrt());
                }
            }
        }
        sum.assert_close(&format!("s1 + s2 - 1, dt {dt}"), 0.0, sd * 2f64.sqrt());
        diff.assert_close(&format!("step-to-step noise, dt {dt}"), 0.0, sd);
        // Mean of the noiseless value 0.5 +- coh / 200 over the coherence set.
        let mean_amp = COH_2AF.iter().sum::<f64>() / 5.0 / 200.0;
        let amp_sd = (COH_2AF.iter().map(|c| (c / 200.0 - mean_amp).powi(2)).sum::<f64>() / 5.0).sqrt();
        let total_sd = (sd * sd + amp_sd * amp_sd).sqrt();
        high.assert_close(&format!("chosen channel, dt {dt}"), 0.5 + mean_amp, total_sd);
        low.assert_close(&format!("other channel, dt {dt}"), 0.5 - mean_amp, total_sd);
    }
}

#[test]
fn perceptual_stimulus_encodes_the_choice_with_the_coherence() {
    for dt in DTS {
        // d = mean over the stimulus steps of s_c - s_other = coh / 100 + noise of SD sd sqrt(2 / steps).
        let stim = steps(700, dt);
        let mut d = Moments::default();
        let mut d3 = 0.0;
        let ts = trials(TaskKind::Perceptual, dt, 4 * N_TRIALS, 6);
        for tr in &ts {
            let c = tr.answer();
            let v = (0..stim).map(|t| tr.at(t, c) - tr.at(t, 3 - c)).sum::<f64>() / stim as f64;
            d.push(v);
            d3 += v * v * v;
        }
        d3 /= ts.len() as f64;
        let noise_var = sd(dt) * sd(dt) * 2.0 / stim as f64;
        let m = |p: i32| COH_2AF.iter().map(|c| (c / 100.0).powi(p)).sum::<f64>() / 5.0;
        let expect_sd = (m(2) + noise_var - m(1) * m(1)).sqrt();
        d.assert_close(&format!("s_c - s_other, dt {dt}"), m(1), expect_sd);
        // Third raw moment of coh/100 + e, e ~ N(0, noise_var): m3 + 3 m1 noise_var.
        let expect3 = m(3) + 3.0 * m(1) * noise_var;
        assert!((d3 - expect3).abs() < 0.05 * expect3, "dt {dt}: third moment {d3} vs {expect3}");
    }
}

#[test]
fn perceptual_matches_documented_draw_order() {
    // choice, coherence, then noise of each stimulus step, s1 then s2.
    for dt in DT_CHOICES {
        let sd = sd(dt);
        replay(TaskKind::Perceptual, dt, 7, 200, |r, tr| {
            let choice = r.below(2);
            let coh = COH_2AF[r.below(5)];
            let amp = coh / 200.0;
            let s = if choice == 0 { [0.5 + amp, 0.5 - amp] } else { [0.5 - amp, 0.5 + amp] };
            assert_eq!(tr.answer(), choice + 1);
            for t in 0..steps(700, dt) {
                let n1 = sd * r.normal();
                let n2 = sd * r.normal();
                assert_row(tr, t, &[1.0, s[0] + n1, s[1] + n2]);
            }
            for t in decision(dt) {
                assert_row(tr, t, &[0.0, 0.0, 0.0]);
            }
        });
    }
}

// ---------------------------------------------------------------- DMS

/// Sample 0-100 ms, test 600-700 ms.
fn dms_sample(dt: u32) -> Range<usize> {
    0..steps(100, dt)
}
fn dms_test(dt: u32) -> Range<usize> {
    steps(600, dt)..steps(700, dt)
}

/// Direction shown on a stimulus step: 0 when s1 is high (angle 0), 1 when s2 is (angle pi).
fn dms_direction(tr: &Trial, t: usize) -> usize {
    usize::from(tr.at(t, 2) > tr.at(t, 1))
}

#[test]
fn dms_stimulus_channels_silent_in_delay_and_decision() {
    for dt in DTS {
        for tr in trials(TaskKind::DelayMatch, dt, 2000, 8) {
            for t in (steps(100, dt)..steps(600, dt)).chain(decision(dt)) {
                assert_eq!((tr.at(t, 1), tr.at(t, 2)), (0.0, 0.0), "dt {dt} step {t}");
            }
        }
    }
}

#[test]
fn dms_noise_has_sd_one_over_sqrt_dt_on_sample_and_test() {
    for dt in DTS {
        let sd = sd(dt);
        let mut resid = Moments::default();
        let mut raw_s1 = Moments::default();
        let ts = trials(TaskKind::DelayMatch, dt, N_TRIALS, 9);
        for tr in &ts {
            // The direction of a period, read from the mean over its steps (the noise of
            // one step at dt = 10 is SD 0.32, so one step alone can look the other way).
            for period in [dms_sample(dt), dms_test(dt)] {
                let dir = usize::from(period.clone().map(|t| tr.at(t, 2) - tr.at(t, 1)).sum::<f64>() > 0.0);
                // Noiseless: 0.5 cos(theta_j - phi) + 0.5, i.e. (1, 0) for phi = 0, (0, 1) for phi = pi.
                let clean = if dir == 0 { [1.0, 0.0] } else { [0.0, 1.0] };
                for t in period {
                    resid.push(tr.at(t, 1) - clean[0]);
                    resid.push(tr.at(t, 2) - clean[1]);
                    raw_s1.push(tr.at(t, 1));
                }
            }
        }
        resid.assert_close(&format!("dms stimulus noise, dt {dt}"), 0.0, sd);
        // Sample angle uniform on {0, pi}: s1 is 1 or 0 equally often.
        raw_s1.assert_close(&format!("dms s1 on stimulus steps, dt {dt}"), 0.5, (0.25 + sd * sd).sqrt());
        let p0 = fraction(&ts, |tr| dms_direction(tr, 0) == 0);
        assert!((p0 - 0.5).abs() < 0.02, "dt {dt}: sample angle 0 in {p0} of trials");
    }
}

#[test]
fn dms_test_matches_sample_iff_label_is_1() {
    // At dt = 100 one step decides (noise 0.1 against a gap of 1); at dt 20, the
    // mean over the period's 5 steps does (noise 0.1 again).
    for dt in DTS {
        let mean_dir =
            |tr: &Trial, p: Range<usize>| usize::from(p.map(|t| tr.at(t, 2) - tr.at(t, 1)).sum::<f64>() > 0.0);
        for tr in trials(TaskKind::DelayMatch, dt, N_TRIALS, 10) {
            let same = mean_dir(&tr, dms_sample(dt)) == mean_dir(&tr, dms_test(dt));
            assert_eq!(same, tr.answer() == 1, "dt {dt} labels {:?} x {:?}", tr.labels, tr.x);
        }
    }
}

#[test]
fn dms_matches_documented_draw_order() {
    // answer, sample angle, then noise of each sample step (s1, s2) and of each test step (s1, s2).
    for dt in DT_CHOICES {
        let sd = sd(dt);
        replay(TaskKind::DelayMatch, dt, 11, 200, |r, tr| {
            let answer = 1 + r.below(2);
            let sample = r.below(2); // 0: angle 0, 1: angle pi
            let test = if answer == 1 { sample } else { 1 - sample };
            assert_eq!(tr.answer(), answer);
            let pair = |dir: usize| if dir == 0 { [1.0, 0.0] } else { [0.0, 1.0] };
            for t in 0..tr.seq_len() {
                let fix = if decision(dt).contains(&t) { 0.0 } else { 1.0 };
                let dir = if dms_sample(dt).contains(&t) {
                    Some(sample)
                } else if dms_test(dt).contains(&t) {
                    Some(test)
                } else {
                    None
                };
                match dir {
                    Some(d) => {
                        let s = pair(d);
                        let (n1, n2) = (sd * r.normal(), sd * r.normal());
                        assert_row(tr, t, &[fix, s[0] + n1, s[1] + n2]);
                    }
                    None => assert_row(tr, t, &[fix, 0.0, 0.0]),
                }
            }
        });
    }
}

// ---------------------------------------------------------------- CXT

const COH_CXT: [f64; 3] = [5.0, 15.0, 50.0];

/// Stimulus 0-200 ms.
fn cxt_stim(dt: u32) -> Range<usize> {
    0..steps(200, dt)
}

/// The context k (0 or 1), read from the noiseless decision period.
fn cxt_context(tr: &Trial) -> usize {
    usize::from(tr.at(tr.seq_len() - 1, 6) == 1.0)
}

/// Mean over the stimulus steps of m_a - m_b for modality `m` (0 or 1): signed / 100 + noise.
fn cxt_evidence(tr: &Trial, m: usize) -> f64 {
    let stim = cxt_stim(tr.dt);
    stim.clone().map(|t| tr.at(t, 1 + 2 * m) - tr.at(t, 2 + 2 * m)).sum::<f64>() / stim.len() as f64
}

#[test]
fn cxt_context_is_one_hot_on_every_step_after_the_stimulus() {
    for dt in DTS {
        let ts = trials(TaskKind::Context, dt, N_TRIALS / 2, 12);
        let mut ctx_noise = Moments::default();
        for tr in &ts {
            let k = cxt_context(tr);
            for t in 0..tr.seq_len() {
                for j in 0..2 {
                    let clean = if j == k { 1.0 } else { 0.0 };
                    if cxt_stim(dt).contains(&t) {
                        ctx_noise.push(tr.at(t, 5 + j) - clean);
                    } else {
                        assert_eq!(tr.at(t, 5 + j), clean, "dt {dt} step {t} context channel {j}");
                    }
                }
            }
        }
        ctx_noise.assert_close(&format!("cxt context channels in the stimulus, dt {dt}"), 0.0, sd(dt));
        let p0 = fraction(&ts, |tr| cxt_context(tr) == 0);
        assert!((p0 - 0.5).abs() < 0.03, "dt {dt}: context 0 in {p0} of trials");
    }
}

#[test]
fn cxt_delay_and_decision_carry_only_fixation_and_context() {
    for dt in DTS {
        for tr in trials(TaskKind::Context, dt, 2000, 13) {
            for t in cxt_stim(dt).end..tr.seq_len() {
                for i in 1..5 {
                    assert_eq!(tr.at(t, i), 0.0, "dt {dt} step {t} modality channel {i}");
                }
            }
        }
    }
}

#[test]
fn cxt_noise_has_sd_one_over_sqrt_dt_on_all_stimulus_channels() {
    for dt in DTS {
        let sd = sd(dt);
        let (mut sum, mut diff) = (Moments::default(), Moments::default());
        for tr in trials(TaskKind::Context, dt, N_TRIALS, 14) {
            for m in 0..2 {
                for t in cxt_stim(dt) {
                    // (1 + s)/2 + (1 - s)/2 = 1.
                    sum.push(tr.at(t, 1 + 2 * m) + tr.at(t, 2 + 2 * m) - 1.0);
                }
            }
            for i in 0..7 {
                diff.push((tr.at(0, i) - tr.at(1, i)) / 2f64.sqrt());
            }
        }
        sum.assert_close(&format!("modality a + b - 1, dt {dt}"), 0.0, sd * 2f64.sqrt());
        diff.assert_close(&format!("cxt step-to-step noise, all channels, dt {dt}"), 0.0, sd);
    }
}

#[test]
fn cxt_context_selects_the_modality_that_carries_the_label() {
    for dt in DTS {
        // Attended modality: evidence * sign(answer) = coh / 100 + noise; ignored modality:
        // carries an independent choice, so no correlation with the answer.
        let ts = trials(TaskKind::Context, dt, 4 * N_TRIALS, 15);
        let mut attended = [Moments::default(), Moments::default()];
        let mut ignored = Moments::default();
        let mut ignored_dir = Moments::default();
        for tr in &ts {
            let k = cxt_context(tr);
            let sign = if tr.answer() == 1 { 1.0 } else { -1.0 };
            attended[k].push(sign * cxt_evidence(tr, k));
            ignored.push(sign * cxt_evidence(tr, 1 - k));
            ignored_dir.push(cxt_evidence(tr, 1 - k));
        }
        // var of (n_a - n_b) is 2 sd^2, divided by the number of stimulus steps in the mean:
        // 0.01 at every dt (2 / dt over 200 / dt steps).
        let noise_var = 2.0 * sd(dt) * sd(dt) / cxt_stim(dt).len() as f64;
        let m = |p: i32| COH_CXT.iter().map(|c| (c / 100.0).powi(p)).sum::<f64>() / 3.0;
        for (k, a) in attended.iter().enumerate() {
            a.assert_close(
                &format!("attended modality, context {k}, dt {dt}"),
                m(1),
                (m(2) - m(1) * m(1) + noise_var).sqrt(),
            );
        }
        ignored.assert_close(&format!("ignored modality vs answer, dt {dt}"), 0.0, (m(2) + noise_var).sqrt());
        ignored_dir.assert_close(&format!("ignored modality direction, dt {dt}"), 0.0, (m(2) + noise_var).sqrt());
    }
}

#[test]
fn cxt_matches_documented_draw_order() {
    // answer, other, context, coherence of modality 1, of modality 2, then the
    // noise of each stimulus step, channel by channel (all 7).
    for dt in DT_CHOICES {
        let sd = sd(dt);
        replay(TaskKind::Context, dt, 16, 200, |r, tr| {
            let answer = 1 + r.below(2);
            let other = 1 + r.below(2);
            let k = r.below(2);
            let coh = [COH_CXT[r.below(3)], COH_CXT[r.below(3)]];
            let choice = if k == 0 { [answer, other] } else { [other, answer] };
            assert_eq!(tr.answer(), answer);
            let mut clean = [0.0; 7];
            for m in 0..2 {
                let signed = if choice[m] == 1 { coh[m] } else { -coh[m] };
                clean[1 + 2 * m] = (1.0 + signed / 100.0) / 2.0;
                clean[2 + 2 * m] = (1.0 - signed / 100.0) / 2.0;
            }
            clean[5 + k] = 1.0;
            clean[0] = 1.0;
            for t in 0..tr.seq_len() {
                let mut row = clean;
                if cxt_stim(dt).contains(&t) {
                    row.iter_mut().for_each(|v| *v += sd * r.normal());
                } else {
                    row[1..5].iter_mut().for_each(|v| *v = 0.0);
                }
                if decision(dt).contains(&t) {
                    row[0] = 0.0;
                }
                assert_row(tr, t, &row);
            }
        });
    }
}

// ---------------------------------------------------------------- TaskStream

#[test]
fn stream_with_same_seed_and_stream_repeats_exactly() {
    for dt in [100, 20] {
        for kind in TaskKind::NEUROGYM {
            let mut a = TaskStream::new(kind.build_at(dt), 32, 42, 100);
            let mut b = TaskStream::new(kind.build_at(dt), 32, 42, 100);
            let mut c = TaskStream::new(kind.build_at(dt), 32, 43, 100);
            let mut d = TaskStream::new(kind.build_at(dt), 32, 42, 200);
            for _ in 0..3 {
                let (ba, bb) = (a.next_batch(), b.next_batch());
                assert_eq!(ba, bb, "{kind:?}");
                assert_eq!(
                    ba.x.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
                    bb.x.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
                );
                assert_ne!(ba.x, c.next_batch().x, "{kind:?}: another seed gave the same batch");
                assert_ne!(ba.x, d.next_batch().x, "{kind:?}: another stream gave the same batch");
            }
            // Consecutive batches are new trials.
            assert_ne!(a.next_batch().x, a.next_batch().x, "{kind:?}");
        }
    }
}

#[test]
fn stream_slots_are_distinct_trials_laid_out_time_major() {
    for dt in [100, 20] {
        for kind in TaskKind::NEUROGYM {
            let task = kind.build_at(dt);
            let (n_in, len) = (task.n_in(), task.seq_len());
            let mut stream = TaskStream::new(kind.build_at(dt), 32, 5, 0);
            let batch = stream.next_batch();
            assert_eq!((batch.dt, batch.seq_len, batch.batch, batch.n_in), (dt, len, 32, n_in));
            let slot = |b: usize| -> (Vec<f32>, Vec<usize>) {
                let x = (0..len).flat_map(|t| batch.x_at(t)[b * n_in..(b + 1) * n_in].to_vec()).collect();
                let l = (0..len).map(|t| batch.labels_at(t)[b]).collect();
                (x, l)
            };
            let slots: Vec<_> = (0..32).map(slot).collect();
            // Slot b is the first trial of PCG stream first_stream + b.
            for (b, (x, l)) in slots.iter().enumerate() {
                let mut rng = Rng::new(5, b as u64);
                let (mut ex, mut el) = (vec![0.0; len * n_in], vec![0; len]);
                task.trial(&mut rng, &mut ex, &mut el);
                assert_eq!((x, l), (&ex, &el), "{kind:?} dt {dt} slot {b}");
            }
            // Noise makes every pair of slots differ; the answers are not all alike.
            for i in 0..32 {
                for j in i + 1..32 {
                    assert_ne!(slots[i].0, slots[j].0, "{kind:?} dt {dt}: slots {i} and {j} identical");
                }
            }
            let answers: Vec<usize> = slots.iter().map(|s| s.1[len - 1]).collect();
            assert!(answers.contains(&1) && answers.contains(&2), "{kind:?} dt {dt}: answers {answers:?}");
        }
    }
}

// ---------------------------------------------------------------- dt = 100 identity

/// FNV-1a over the bits of `x` and the labels of `n` consecutive batches of 32.
fn stream_hash(task: Box<dyn Task>, seed: u64, first_stream: u64, n: usize) -> u64 {
    let mut stream = TaskStream::new(task, 32, seed, first_stream);
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for &byte in bytes {
            h = (h ^ byte as u64).wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    for _ in 0..n {
        let b = stream.next_batch();
        b.x.iter().for_each(|v| eat(&v.to_bits().to_le_bytes()));
        b.labels.iter().for_each(|&l| eat(&(l as u64).to_le_bytes()));
    }
    h
}

#[test]
fn dt_100_batches_keep_the_bits_they_had_before_tasks_took_dt() {
    // Taken from the tasks as they were at cbed013 (8 steps, SEQ_LEN, noise SD the constant 0.1):
    // 3 consecutive batches of 32 per (seed, first stream), x bits then labels.
    let before: [(TaskKind, u64, u64, u64); 9] = [
        (TaskKind::Perceptual, 1, 0, 0xa0f1_62ab_3539_4173),
        (TaskKind::Perceptual, 42, 1, 0x5567_3c8c_553b_19aa),
        (TaskKind::Perceptual, 2024, 100, 0xd38f_b6ed_4393_5dcc),
        (TaskKind::DelayMatch, 1, 0, 0x2063_7403_9420_88ca),
        (TaskKind::DelayMatch, 42, 1, 0x292a_eaab_d774_e033),
        (TaskKind::DelayMatch, 2024, 100, 0xaef6_c5c1_5682_00f3),
        (TaskKind::Context, 1, 0, 0x7428_249d_a0c4_53ce),
        (TaskKind::Context, 42, 1, 0x5e68_df8e_6905_ba8e),
        (TaskKind::Context, 2024, 100, 0xfc93_7366_9854_7659),
    ];
    for (kind, seed, first_stream, want) in before {
        assert_eq!(
            stream_hash(kind.build_at(100), seed, first_stream, 3),
            want,
            "{kind:?} seed {seed} stream {first_stream}"
        );
        assert_eq!(stream_hash(kind.build(), seed, first_stream, 3), want, "{kind:?}: build() is dt = 100");
    }
    // And the finer steps are other batches, not the same ones stretched.
    assert_ne!(stream_hash(TaskKind::Perceptual.build_at(20), 1, 0, 3), before[0].3);
}
