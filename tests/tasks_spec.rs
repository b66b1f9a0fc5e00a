//! The three tasks against shared/spec/tasks.md, through the public API.
//!
//! Two kinds of check: statistical ones that only use the spec (what is zero,
//! what is one, noise mean and SD, how the stimulus encodes the label), and an
//! exact one per task that replays the documented draw order with an
//! independent re-implementation, so a change of draw order (which would
//! silently change every seeded run) fails loudly.

use richlazy::rng::Rng;
use richlazy::tasks::{TaskKind, TaskStream, INPUT_NOISE_SD, SEQ_LEN};

const N_TRIALS: usize = 20_000;
const DECISION_STEP: usize = SEQ_LEN - 1;

/// One trial: `x` is `SEQ_LEN x n_in` row-major.
struct Trial {
    n_in: usize,
    x: Vec<f32>,
    labels: Vec<usize>,
}

impl Trial {
    fn at(&self, t: usize, i: usize) -> f64 {
        self.x[t * self.n_in + i] as f64
    }
    fn answer(&self) -> usize {
        self.labels[DECISION_STEP]
    }
}

/// `n` consecutive trials from one stream, as one batch slot draws them.
fn trials(kind: TaskKind, n: usize, seed: u64) -> Vec<Trial> {
    let task = kind.build();
    let mut rng = Rng::new(seed, 0);
    (0..n)
        .map(|_| {
            let mut x = vec![f32::NAN; task.seq_len() * task.n_in()];
            let mut labels = vec![usize::MAX; task.seq_len()];
            task.trial(&mut rng, &mut x, &mut labels);
            Trial { n_in: task.n_in(), x, labels }
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
    /// Mean within `tol_sigma` standard errors of `mean`, SD within 3% of `sd`.
    fn assert_close(&self, what: &str, mean: f64, sd: f64) {
        let se = sd.max(1e-3) / self.n.sqrt();
        assert!((self.mean() - mean).abs() < 5.0 * se, "{what}: mean {} vs {mean} (se {se})", self.mean());
        assert!((self.sd() - sd).abs() < 0.03 * sd, "{what}: sd {} vs {sd}", self.sd());
    }
}

fn fraction(trials: &[Trial], pred: impl Fn(&Trial) -> bool) -> f64 {
    trials.iter().filter(|tr| pred(tr)).count() as f64 / trials.len() as f64
}

const SD: f64 = INPUT_NOISE_SD;

// ---------------------------------------------------------------- common

#[test]
fn shapes_and_keys_match_the_spec() {
    let expect = [(TaskKind::Perceptual, "2af", 3), (TaskKind::DelayMatch, "dms", 3), (TaskKind::Context, "cxt", 7)];
    assert_eq!(INPUT_NOISE_SD, 0.1);
    for (kind, key, n_in) in expect {
        let task = kind.build();
        assert_eq!(task.key(), key);
        assert_eq!(TaskKind::parse(key), Some(kind));
        assert_eq!(task.n_in(), n_in, "{key}");
        assert_eq!(task.input_names().len(), n_in, "{key}");
        assert_eq!(task.n_out(), 3, "{key}");
        assert_eq!(task.seq_len(), 8, "{key}");
        assert_eq!(task.decision_steps(), 7..8, "{key}");
    }
}

#[test]
fn trial_overwrites_every_input_and_label() {
    for kind in TaskKind::ALL {
        for tr in trials(kind, 200, 1) {
            assert!(tr.x.iter().all(|v| v.is_finite()), "{kind:?}: an input was left unwritten");
            assert!(tr.labels.iter().all(|&l| l < 3), "{kind:?}: a label was left unwritten");
        }
    }
}

#[test]
fn labels_fixate_until_step_7_then_answer_balanced() {
    for kind in TaskKind::ALL {
        let ts = trials(kind, N_TRIALS, 2);
        for tr in &ts {
            assert!(tr.labels[..DECISION_STEP].iter().all(|&l| l == 0), "{kind:?}: {:?}", tr.labels);
            assert!(matches!(tr.answer(), 1 | 2), "{kind:?}: {:?}", tr.labels);
        }
        let p1 = fraction(&ts, |tr| tr.answer() == 1);
        assert!((p1 - 0.5).abs() < 0.02, "{kind:?}: answer 1 in {p1} of trials");
    }
}

#[test]
fn fixation_is_on_until_the_decision_step() {
    for kind in TaskKind::ALL {
        // CXT adds noise to the fixation channel on its stimulus steps 0-1.
        let noisy_steps = if kind == TaskKind::Context { 0..2 } else { 0..0 };
        let mut noisy = Moments::default();
        for tr in trials(kind, N_TRIALS, 3) {
            for t in 0..DECISION_STEP {
                if noisy_steps.contains(&t) {
                    noisy.push(tr.at(t, 0));
                } else {
                    assert_eq!(tr.at(t, 0), 1.0, "{kind:?} step {t}");
                }
            }
            assert_eq!(tr.at(DECISION_STEP, 0), 0.0, "{kind:?} decision step");
        }
        if kind == TaskKind::Context {
            noisy.assert_close("cxt fixation on steps 0-1", 1.0, SD);
        }
    }
}

/// The x of `trial` written by `task`'s own draws, next to a clone of the
/// generator taken before, so a test can replay the documented draw order.
fn replay(kind: TaskKind, seed: u64, n: usize, mut check: impl FnMut(&mut Rng, &Trial)) {
    let task = kind.build();
    let mut rng = Rng::new(seed, 9);
    for _ in 0..n {
        let mut mirror = rng.clone();
        let mut tr = Trial { n_in: task.n_in(), x: vec![f32::NAN; SEQ_LEN * task.n_in()], labels: vec![9; SEQ_LEN] };
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
        assert!((tr.at(t, i) - e).abs() < 1e-6, "step {t} channel {i}: {} vs {e}", tr.at(t, i));
    }
}

// ---------------------------------------------------------------- 2AF

const COH_2AF: [f64; 5] = [0.0, 6.4, 12.8, 25.6, 51.2];

#[test]
fn perceptual_decision_step_is_silent() {
    for tr in trials(TaskKind::Perceptual, 2000, 4) {
        for i in 0..3 {
            assert_eq!(tr.at(DECISION_STEP, i), 0.0, "channel {i}");
        }
    }
}

#[test]
fn perceptual_noise_has_sd_0_1_on_stimulus_steps() {
    let (mut sum, mut diff, mut high, mut low) =
        (Moments::default(), Moments::default(), Moments::default(), Moments::default());
    for tr in trials(TaskKind::Perceptual, N_TRIALS, 5) {
        let c = tr.answer(); // the channel (1 or 2) of the chosen direction
        for t in 0..DECISION_STEP {
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
    sum.assert_close("s1 + s2 - 1", 0.0, SD * 2f64.sqrt());
    diff.assert_close("step-to-step noise", 0.0, SD);
    // Mean of the noiseless value 0.5 +- coh / 200 over the coherence set.
    let mean_amp = COH_2AF.iter().sum::<f64>() / 5.0 / 200.0;
    let amp_sd = (COH_2AF.iter().map(|c| (c / 200.0 - mean_amp).powi(2)).sum::<f64>() / 5.0).sqrt();
    let total_sd = (SD * SD + amp_sd * amp_sd).sqrt();
    high.assert_close("chosen channel", 0.5 + mean_amp, total_sd);
    low.assert_close("other channel", 0.5 - mean_amp, total_sd);
}

#[test]
fn perceptual_stimulus_encodes_the_choice_with_the_coherence() {
    // d = mean over steps 0-6 of s_c - s_other = coh / 100 + noise of SD 0.1 sqrt(2/7).
    let mut d = Moments::default();
    let mut d3 = 0.0;
    let ts = trials(TaskKind::Perceptual, 4 * N_TRIALS, 6);
    for tr in &ts {
        let c = tr.answer();
        let v = (0..DECISION_STEP).map(|t| tr.at(t, c) - tr.at(t, 3 - c)).sum::<f64>() / DECISION_STEP as f64;
        d.push(v);
        d3 += v * v * v;
    }
    d3 /= ts.len() as f64;
    let noise_var = SD * SD * 2.0 / DECISION_STEP as f64;
    let m = |p: i32| COH_2AF.iter().map(|c| (c / 100.0).powi(p)).sum::<f64>() / 5.0;
    let expect_sd = (m(2) + noise_var - m(1) * m(1)).sqrt();
    d.assert_close("s_c - s_other", m(1), expect_sd);
    // Third raw moment of coh/100 + e, e ~ N(0, noise_var): m3 + 3 m1 noise_var.
    let expect3 = m(3) + 3.0 * m(1) * noise_var;
    assert!((d3 - expect3).abs() < 0.05 * expect3, "third moment {d3} vs {expect3}");
}

#[test]
fn perceptual_matches_documented_draw_order() {
    // choice, coherence, then noise of steps 0-6, s1 then s2.
    replay(TaskKind::Perceptual, 7, 500, |r, tr| {
        let choice = r.below(2);
        let coh = COH_2AF[r.below(5)];
        let amp = coh / 200.0;
        let s = if choice == 0 { [0.5 + amp, 0.5 - amp] } else { [0.5 - amp, 0.5 + amp] };
        assert_eq!(tr.answer(), choice + 1);
        for t in 0..DECISION_STEP {
            let n1 = SD * r.normal();
            let n2 = SD * r.normal();
            assert_row(tr, t, &[1.0, s[0] + n1, s[1] + n2]);
        }
        assert_row(tr, DECISION_STEP, &[0.0, 0.0, 0.0]);
    });
}

// ---------------------------------------------------------------- DMS

const DMS_SAMPLE: usize = 0;
const DMS_TEST: usize = 6;

/// Direction shown on a stimulus step: 0 when s1 is high (angle 0), 1 when s2 is (angle pi).
fn dms_direction(tr: &Trial, t: usize) -> usize {
    usize::from(tr.at(t, 2) > tr.at(t, 1))
}

#[test]
fn dms_stimulus_channels_silent_in_delay_and_decision() {
    for tr in trials(TaskKind::DelayMatch, 2000, 8) {
        for t in (1..6).chain([DECISION_STEP]) {
            assert_eq!((tr.at(t, 1), tr.at(t, 2)), (0.0, 0.0), "step {t}");
        }
    }
}

#[test]
fn dms_noise_has_sd_0_1_on_sample_and_test() {
    let mut resid = Moments::default();
    let mut raw_s1 = Moments::default();
    let ts = trials(TaskKind::DelayMatch, N_TRIALS, 9);
    for tr in &ts {
        for t in [DMS_SAMPLE, DMS_TEST] {
            // Noiseless: 0.5 cos(theta_j - phi) + 0.5, i.e. (1, 0) for phi = 0, (0, 1) for phi = pi.
            let clean = if dms_direction(tr, t) == 0 { [1.0, 0.0] } else { [0.0, 1.0] };
            resid.push(tr.at(t, 1) - clean[0]);
            resid.push(tr.at(t, 2) - clean[1]);
            raw_s1.push(tr.at(t, 1));
        }
    }
    resid.assert_close("dms stimulus noise", 0.0, SD);
    // Sample angle uniform on {0, pi}: s1 is 1 or 0 equally often.
    raw_s1.assert_close("dms s1 on stimulus steps", 0.5, (0.25 + SD * SD).sqrt());
    let p0 = fraction(&ts, |tr| dms_direction(tr, DMS_SAMPLE) == 0);
    assert!((p0 - 0.5).abs() < 0.02, "sample angle 0 in {p0} of trials");
}

#[test]
fn dms_test_matches_sample_iff_label_is_1() {
    for tr in trials(TaskKind::DelayMatch, N_TRIALS, 10) {
        let same = dms_direction(&tr, DMS_SAMPLE) == dms_direction(&tr, DMS_TEST);
        assert_eq!(same, tr.answer() == 1, "labels {:?} x {:?}", tr.labels, tr.x);
    }
}

#[test]
fn dms_matches_documented_draw_order() {
    // answer, sample angle, then noise of step 0 (s1, s2) and of step 6 (s1, s2).
    replay(TaskKind::DelayMatch, 11, 500, |r, tr| {
        let answer = 1 + r.below(2);
        let sample = r.below(2); // 0: angle 0, 1: angle pi
        let test = if answer == 1 { sample } else { 1 - sample };
        assert_eq!(tr.answer(), answer);
        let pair = |dir: usize| if dir == 0 { [1.0, 0.0] } else { [0.0, 1.0] };
        for t in 0..SEQ_LEN {
            let fix = if t < DECISION_STEP { 1.0 } else { 0.0 };
            let dir = match t {
                DMS_SAMPLE => Some(sample),
                DMS_TEST => Some(test),
                _ => None,
            };
            match dir {
                Some(d) => {
                    let s = pair(d);
                    let (n1, n2) = (SD * r.normal(), SD * r.normal());
                    assert_row(tr, t, &[fix, s[0] + n1, s[1] + n2]);
                }
                None => assert_row(tr, t, &[fix, 0.0, 0.0]),
            }
        }
    });
}

// ---------------------------------------------------------------- CXT

const COH_CXT: [f64; 3] = [5.0, 15.0, 50.0];
const CXT_STIM: std::ops::Range<usize> = 0..2;

/// The context k (0 or 1), read from the noiseless delay steps.
fn cxt_context(tr: &Trial) -> usize {
    usize::from(tr.at(DECISION_STEP, 6) == 1.0)
}

/// Mean over the stimulus steps of m_a - m_b for modality `m` (0 or 1): signed / 100 + noise.
fn cxt_evidence(tr: &Trial, m: usize) -> f64 {
    CXT_STIM.map(|t| tr.at(t, 1 + 2 * m) - tr.at(t, 2 + 2 * m)).sum::<f64>() / CXT_STIM.len() as f64
}

#[test]
fn cxt_context_is_one_hot_on_every_step_after_the_stimulus() {
    let ts = trials(TaskKind::Context, N_TRIALS, 12);
    let mut ctx_noise = Moments::default();
    for tr in &ts {
        let k = cxt_context(tr);
        for t in 0..SEQ_LEN {
            for j in 0..2 {
                let clean = if j == k { 1.0 } else { 0.0 };
                if CXT_STIM.contains(&t) {
                    ctx_noise.push(tr.at(t, 5 + j) - clean);
                } else {
                    assert_eq!(tr.at(t, 5 + j), clean, "step {t} context channel {j}");
                }
            }
        }
    }
    ctx_noise.assert_close("cxt context channels on steps 0-1", 0.0, SD);
    let p0 = fraction(&ts, |tr| cxt_context(tr) == 0);
    assert!((p0 - 0.5).abs() < 0.02, "context 0 in {p0} of trials");
}

#[test]
fn cxt_delay_and_decision_carry_only_fixation_and_context() {
    for tr in trials(TaskKind::Context, 2000, 13) {
        for t in CXT_STIM.end..SEQ_LEN {
            for i in 1..5 {
                assert_eq!(tr.at(t, i), 0.0, "step {t} modality channel {i}");
            }
        }
    }
}

#[test]
fn cxt_noise_has_sd_0_1_on_all_stimulus_channels() {
    let (mut sum, mut diff) = (Moments::default(), Moments::default());
    for tr in trials(TaskKind::Context, N_TRIALS, 14) {
        for m in 0..2 {
            for t in CXT_STIM {
                // (1 + s)/2 + (1 - s)/2 = 1.
                sum.push(tr.at(t, 1 + 2 * m) + tr.at(t, 2 + 2 * m) - 1.0);
            }
        }
        for i in 0..7 {
            diff.push((tr.at(0, i) - tr.at(1, i)) / 2f64.sqrt());
        }
    }
    sum.assert_close("modality a + b - 1", 0.0, SD * 2f64.sqrt());
    diff.assert_close("cxt step-to-step noise, all channels", 0.0, SD);
}

#[test]
fn cxt_context_selects_the_modality_that_carries_the_label() {
    // Attended modality: evidence * sign(answer) = coh / 100 + noise (SD 0.1 over the mean of 2 steps).
    // Ignored modality: carries an independent choice, so no correlation with the answer.
    let ts = trials(TaskKind::Context, 4 * N_TRIALS, 15);
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
    let noise_var = SD * SD; // var of (n_a - n_b) is 2 SD^2, halved by the 2-step mean
    let m = |p: i32| COH_CXT.iter().map(|c| (c / 100.0).powi(p)).sum::<f64>() / 3.0;
    for (k, a) in attended.iter().enumerate() {
        a.assert_close(&format!("attended modality, context {k}"), m(1), (m(2) - m(1) * m(1) + noise_var).sqrt());
    }
    ignored.assert_close("ignored modality vs answer", 0.0, (m(2) + noise_var).sqrt());
    ignored_dir.assert_close("ignored modality direction", 0.0, (m(2) + noise_var).sqrt());
}

#[test]
fn cxt_matches_documented_draw_order() {
    // answer, other, context, coherence of modality 1, of modality 2, then the
    // noise of steps 0-1, channel by channel (all 7).
    replay(TaskKind::Context, 16, 500, |r, tr| {
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
        for t in 0..SEQ_LEN {
            let mut row = clean;
            if CXT_STIM.contains(&t) {
                row.iter_mut().for_each(|v| *v += SD * r.normal());
            } else {
                row[1..5].iter_mut().for_each(|v| *v = 0.0);
            }
            if t == DECISION_STEP {
                row[0] = 0.0;
            }
            assert_row(tr, t, &row);
        }
    });
}

// ---------------------------------------------------------------- TaskStream

#[test]
fn stream_with_same_seed_and_stream_repeats_exactly() {
    for kind in TaskKind::ALL {
        let mut a = TaskStream::new(kind.build(), 32, 42, 100);
        let mut b = TaskStream::new(kind.build(), 32, 42, 100);
        let mut c = TaskStream::new(kind.build(), 32, 43, 100);
        let mut d = TaskStream::new(kind.build(), 32, 42, 200);
        for _ in 0..3 {
            let (ba, bb) = (a.next_batch(), b.next_batch());
            assert_eq!(ba, bb, "{kind:?}");
            assert_eq!(ba.x.iter().map(|v| v.to_bits()).collect::<Vec<_>>(), bb.x.iter().map(|v| v.to_bits()).collect::<Vec<_>>());
            assert_ne!(ba.x, c.next_batch().x, "{kind:?}: another seed gave the same batch");
            assert_ne!(ba.x, d.next_batch().x, "{kind:?}: another stream gave the same batch");
        }
        // Consecutive batches are new trials.
        assert_ne!(a.next_batch().x, a.next_batch().x, "{kind:?}");
    }
}

#[test]
fn stream_slots_are_distinct_trials_laid_out_time_major() {
    for kind in TaskKind::ALL {
        let task = kind.build();
        let n_in = task.n_in();
        let mut stream = TaskStream::new(kind.build(), 32, 5, 0);
        let batch = stream.next_batch();
        assert_eq!((batch.seq_len, batch.batch, batch.n_in), (SEQ_LEN, 32, n_in));
        let slot = |b: usize| -> (Vec<f32>, Vec<usize>) {
            let x = (0..SEQ_LEN).flat_map(|t| batch.x_at(t)[b * n_in..(b + 1) * n_in].to_vec()).collect();
            let l = (0..SEQ_LEN).map(|t| batch.labels_at(t)[b]).collect();
            (x, l)
        };
        let slots: Vec<_> = (0..32).map(slot).collect();
        // Slot b is the first trial of PCG stream first_stream + b.
        for (b, (x, l)) in slots.iter().enumerate() {
            let mut rng = Rng::new(5, b as u64);
            let (mut ex, mut el) = (vec![0.0; SEQ_LEN * n_in], vec![0; SEQ_LEN]);
            task.trial(&mut rng, &mut ex, &mut el);
            assert_eq!((x, l), (&ex, &el), "{kind:?} slot {b}");
        }
        // Noise makes every pair of slots differ; the answers are not all alike.
        for i in 0..32 {
            for j in i + 1..32 {
                assert_ne!(slots[i].0, slots[j].0, "{kind:?}: slots {i} and {j} identical");
            }
        }
        let answers: Vec<usize> = slots.iter().map(|s| s.1[DECISION_STEP]).collect();
        assert!(answers.contains(&1) && answers.contains(&2), "{kind:?}: answers {answers:?}");
    }
}
