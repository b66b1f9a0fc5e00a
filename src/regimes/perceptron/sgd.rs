//! Exact event-driven SGD on the perceptron's hinge loss, in the scaled weight change
//! `u = alpha (w - w0)`.
//!
//! Why only alpha*T matters: with `F(x) = (w - w0).x / sqrt(d)` and the loss
//! `max(0, 1 - alpha y F) / alpha`, a point with `alpha y F < 1` has gradient `-y x / sqrt(d)`
//! (no alpha) and a fitted one has none. A step of SGD with batch S and step dt is
//! `w += (dt / B) sum_{mu in S, unfitted} y_mu x_mu / sqrt(d)`; times alpha,
//! `u += alpha T sum z_mu` with `T = dt / B` and `z = y x / sqrt(d)`, and "unfitted" is `u.z < 1`.
//! So u's path and the number of steps depend on alpha*T alone; `|w - w0| = |u| / alpha` and
//! `t* = dt n = B (alpha T) n / alpha`.
//!
//! Batches follow the authors' code: each step takes the first B of a fresh permutation, i.e.
//! an independent uniform B-subset per step (not epochs). A step changes u only if its batch holds
//! one of the m unfitted points, which it misses with probability
//! `q = C(P - m, B) / C(P, B) = prod_{i<B} (1 - m / (P - i))`; between such steps nothing changes,
//! so the misses before the next hit are geometric, `P(K >= k) = q^k`, drawn at once. The hitting
//! batch holds j >= 1 unfitted points with the hypergeometric law conditioned on j >= 1, and they are
//! a uniform j-subset of the unfitted ones; its fitted points add nothing and are not drawn.
//!
//! After a hit only the points whose margin can have crossed 1 are recomputed: at a checkpoint u_c
//! every margin is computed and the points are sorted by slack `(u_c.z - 1) / |z|`; since
//! `|u.z - u_c.z| <= |u - u_c| |z|`, a point whose |slack| exceeds `|u - u_c|` (with a
//! floating-point allowance) is fitted or unfitted as it was there. Margins are always computed
//! afresh as `u.z` in the same order, so the unfitted set after every hit is exactly what a
//! step-by-step simulation finds.

use super::data::Points;
use crate::rng::Rng;

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum End {
    /// Every training point has `alpha y F >= 1`: the hinge loss is exactly 0.
    Fitted,
    /// The step cap came first.
    Capped,
}

/// The two random draws of SGD, each from its own stream: when the next hit comes, and what it holds.
pub struct Batches {
    pub p: usize,
    pub b: usize,
    waits: Rng,
    picks: Rng,
    /// Scratch for the hypergeometric weights.
    weights: Vec<f64>,
}

impl Batches {
    pub fn new(p: usize, b: usize, waits: Rng, picks: Rng) -> Batches {
        assert!(1 <= b && b <= p, "batch {b} of {p}");
        Batches { p, b, waits, picks, weights: Vec::new() }
    }

    /// Steps whose batch misses all `m` unfitted points before the next one that does not.
    pub fn misses(&mut self, m: usize) -> u64 {
        let (p, b) = (self.p, self.b);
        if p - m < b {
            return 0; // every batch holds an unfitted point
        }
        let mut ln_q = 0.0;
        for i in 0..b {
            ln_q += libm::log1p(-(m as f64) / (p - i) as f64);
        }
        // U in (0, 1]: K = floor(ln U / ln q) has P(K >= k) = P(U <= q^k) = q^k. The cast saturates.
        (libm::log(1.0 - self.waits.uniform()) / ln_q) as u64
    }

    /// Chooses the unfitted points of a hitting batch: moves them to the front of `unfitted`
    /// (a partial Fisher-Yates shuffle) and returns how many there are.
    pub fn pick(&mut self, unfitted: &mut [usize]) -> usize {
        let m = unfitted.len();
        let j = self.hit_count(m);
        for i in 0..j {
            let r = i + self.picks.below(m - i);
            unfitted.swap(i, r);
        }
        j
    }

    /// j ~ Hypergeometric(P, m, B) conditioned on j >= 1, by inverse CDF over weights built from
    /// the ratios `pmf(j+1) / pmf(j) = (m - j)(B - j) / ((j + 1)(P - m - B + j + 1))` in logs
    /// (the extreme weights over- or underflow otherwise).
    fn hit_count(&mut self, m: usize) -> usize {
        let (p, b) = (self.p, self.b);
        let lo = 1.max(b.saturating_sub(p - m));
        let hi = m.min(b);
        if lo == hi {
            return lo;
        }
        self.weights.clear();
        let (mut lw, mut top) = (0.0, 0.0f64);
        self.weights.push(0.0);
        for j in lo..hi {
            let up = ((m - j) * (b - j)) as f64;
            let down = ((j + 1) * (p - m - b + j + 1)) as f64;
            lw += libm::log(up) - libm::log(down);
            top = top.max(lw);
            self.weights.push(lw);
        }
        let mut total = 0.0;
        for w in self.weights.iter_mut() {
            *w = libm::exp(*w - top);
            total += *w;
        }
        let mut target = self.picks.uniform() * total;
        for (k, w) in self.weights.iter().enumerate() {
            if target < *w {
                return lo + k;
            }
            target -= w;
        }
        hi
    }
}

/// One SGD run to zero hinge loss or the cap.
pub struct Run {
    /// alpha*T.
    at: f64,
    cap: u64,
    batches: Batches,
    /// u = alpha (w - w0).
    pub u: Vec<f64>,
    /// SGD steps taken, skipped ones included.
    pub steps: u64,
    /// Steps whose batch held an unfitted point.
    pub hits: u64,
    pub end: Option<End>,
    /// Indices of the unfitted points, ascending, and each point's state.
    unfitted: Vec<usize>,
    is_unfitted: Vec<bool>,
    /// The checkpoint: u there, and the point indices by slack with their slacks.
    u_c: Vec<f64>,
    order: Vec<usize>,
    slack: Vec<f64>,
    /// The window of `order` recomputed at every hit since the checkpoint: it only widens, so that
    /// every point outside it still has its state at the checkpoint.
    window: (usize, usize),
    /// Margins computed in windows since the checkpoint: past a few checkpoints' worth, take one.
    spent: u64,
    /// Margins computed so far (a dot product of length d each): the measure of work.
    pub dots: u64,
    grad: Vec<f64>,
    picked: Vec<usize>,
}

impl Run {
    /// u starts at 0: every point is unfitted (margin 0 < 1).
    pub fn new(pts: &Points, at: f64, cap: u64, batches: Batches) -> Run {
        let (d, p) = (pts.d, batches.p);
        assert!(p <= pts.len());
        let mut run = Run {
            at,
            cap,
            batches,
            u: vec![0.0; d],
            steps: 0,
            hits: 0,
            end: None,
            unfitted: Vec::new(),
            is_unfitted: vec![false; p],
            u_c: vec![0.0; d],
            order: Vec::new(),
            slack: Vec::new(),
            window: (0, 0),
            spent: 0,
            dots: 0,
            grad: vec![0.0; d],
            picked: Vec::new(),
        };
        run.checkpoint(pts);
        run
    }

    pub fn unfitted(&self) -> usize {
        self.unfitted.len()
    }

    /// Hits until the run ends, `hits` reaches `until_hits`, or `budget` more margins were computed.
    pub fn advance(&mut self, pts: &Points, budget: u64, until_hits: u64) {
        let stop = self.dots.saturating_add(budget);
        while self.end.is_none() && self.hits < until_hits && self.dots < stop {
            self.hit(pts);
        }
    }

    /// Jumps over the steps that miss, then takes the step that hits (or ends the run).
    pub fn hit(&mut self, pts: &Points) {
        if self.unfitted.is_empty() {
            self.end = Some(End::Fitted);
            return;
        }
        let k = self.batches.misses(self.unfitted.len());
        if k >= self.cap - self.steps {
            self.steps = self.cap;
            self.end = Some(End::Capped);
            return;
        }
        self.steps += k + 1;
        self.hits += 1;
        self.picked.clone_from(&self.unfitted);
        let j = self.batches.pick(&mut self.picked);
        step(pts, self.at, &self.picked[..j], &mut self.grad, &mut self.u);
        self.refresh(pts);
        if self.unfitted.is_empty() {
            self.end = Some(End::Fitted);
        }
    }

    /// The unfitted set after u moved. By the slack bound only points with |slack| <= |u - u_c|
    /// (and allowance) can have changed state since the checkpoint; they are recomputed.
    fn refresh(&mut self, pts: &Points) {
        let p = self.batches.p as u64;
        if self.spent > 4 * p {
            self.checkpoint(pts);
            return;
        }
        let mut r2 = 0.0;
        for (a, b) in self.u.iter().zip(&self.u_c) {
            r2 += (a - b) * (a - b);
        }
        let bound = bound(r2.sqrt(), &self.u, &self.u_c);
        let lo = self.window.0.min(self.slack.partition_point(|s| *s < -bound));
        let hi = self.window.1.max(self.slack.partition_point(|s| *s <= bound));
        self.window = (lo, hi);
        for &i in &self.order[lo..hi] {
            let now = pts.margin(&self.u, i) < 1.0;
            if now != self.is_unfitted[i] {
                self.is_unfitted[i] = now;
                match self.unfitted.binary_search(&i) {
                    Ok(at) => {
                        self.unfitted.remove(at);
                    }
                    Err(at) => self.unfitted.insert(at, i),
                }
            }
        }
        self.dots += (hi - lo) as u64;
        self.spent += (hi - lo) as u64;
    }

    /// Every margin afresh; the points sorted by slack.
    fn checkpoint(&mut self, pts: &Points) {
        let p = self.batches.p;
        self.u_c.copy_from_slice(&self.u);
        self.unfitted.clear();
        let mut keyed = Vec::with_capacity(p);
        for i in 0..p {
            let m = pts.margin(&self.u, i);
            self.is_unfitted[i] = m < 1.0;
            if m < 1.0 {
                self.unfitted.push(i);
            }
            keyed.push(((m - 1.0) / pts.norm[i], i));
        }
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
        self.order = keyed.iter().map(|k| k.1).collect();
        self.slack = keyed.iter().map(|k| k.0).collect();
        self.window = (p, 0);
        self.spent = 0;
        self.dots += 2 * p as u64;
    }
}

/// The |slack| beyond which a point cannot have changed state since the checkpoint: `|u - u_c|`,
/// widened by far more than the rounding of the margins (d eps |u||z| per dot product).
fn bound(r: f64, u: &[f64], u_c: &[f64]) -> f64 {
    let size = super::data::norm(u) + super::data::norm(u_c) + 1.0;
    r * (1.0 + 1e-9) + 1e-9 * size
}

/// `u += alpha T sum_mu z_mu` over the batch's unfitted points, summed in their order.
pub fn step(pts: &Points, at: f64, members: &[usize], grad: &mut [f64], u: &mut [f64]) {
    grad.fill(0.0);
    for &i in members {
        for (g, z) in grad.iter_mut().zip(pts.row(i)) {
            *g += z;
        }
    }
    for (w, g) in u.iter_mut().zip(grad.iter()) {
        *w += at * g;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn points(p: usize, d: usize, chi: f64, seed: u64) -> Points {
        Points::sample(&mut Rng::new(seed, 1), chi, d, p)
    }

    fn batches(p: usize, b: usize, seed: u64) -> Batches {
        Batches::new(p, b, Rng::new(seed, 4), Rng::new(seed, 5))
    }

    fn run(pts: &Points, p: usize, b: usize, at: f64, cap: u64, seed: u64) -> Run {
        let mut r = Run::new(pts, at, cap, batches(p, b, seed));
        r.advance(pts, u64::MAX, u64::MAX);
        r
    }

    /// SGD one step at a time: every margin afresh at every step, the hinge loss checked at every
    /// step, the step's batch a full B points (its unfitted part from the same draws as the event
    /// simulation, the rest a uniform draw of fitted points), and the gradient summed over every
    /// batch point with margin < 1. Returns u, steps, and whether it reached zero loss.
    fn step_by_step(pts: &Points, p: usize, b: usize, at: f64, cap: u64, seed: u64) -> (Vec<f64>, u64, bool) {
        let mut src = batches(p, b, seed);
        let mut filler = Rng::new(seed, 6);
        let mut u = vec![0.0; pts.d];
        let mut grad = vec![0.0; pts.d];
        let mut wait: Option<u64> = None;
        for steps in 0..=cap {
            let margins: Vec<f64> = (0..p).map(|i| pts.margin(&u, i)).collect();
            let loss: f64 = margins.iter().map(|m| (1.0 - m).max(0.0)).sum();
            let mut unfitted: Vec<usize> = (0..p).filter(|&i| margins[i] < 1.0).collect();
            if loss == 0.0 {
                assert!(unfitted.is_empty());
                return (u, steps, true);
            }
            if steps == cap {
                break;
            }
            let misses = *wait.get_or_insert_with(|| src.misses(unfitted.len()));
            let mut batch = Vec::new();
            if misses == 0 {
                let j = src.pick(&mut unfitted);
                batch.extend_from_slice(&unfitted[..j]);
                wait = None;
            } else {
                wait = Some(misses - 1);
            }
            let mut fitted: Vec<usize> = (0..p).filter(|&i| margins[i] >= 1.0).collect();
            for i in 0..b - batch.len() {
                let r = i + filler.below(fitted.len() - i);
                fitted.swap(i, r);
                batch.push(fitted[i]);
            }
            let members: Vec<usize> = batch.into_iter().filter(|&i| margins[i] < 1.0).collect();
            step(pts, at, &members, &mut grad, &mut u);
        }
        (u, cap, false)
    }

    #[test]
    fn event_driven_equals_step_by_step() {
        for (chi, b, at, seed) in [(0.0, 2, 0.05, 1), (1.0, 3, 0.3, 2), (0.0, 1, 2.0, 3), (0.0, 8, 0.02, 4)] {
            let (p, d) = (40, 5);
            let pts = points(p, d, chi, seed);
            let event = run(&pts, p, b, at, 1_000_000, seed);
            let (u, steps, fitted) = step_by_step(&pts, p, b, at, 1_000_000, seed);
            assert!(fitted && event.end == Some(End::Fitted));
            assert_eq!((event.u.clone(), event.steps), (u, steps), "chi {chi} B {b} aT {at}");
            assert!(event.hits > 10 && event.steps > event.hits, "{} hits of {} steps", event.hits, event.steps);
            // The cap stops both at the same step with the same u.
            let cap = event.steps / 2;
            let capped = run(&pts, p, b, at, cap, seed);
            let (u, steps, fitted) = step_by_step(&pts, p, b, at, cap, seed);
            assert!(!fitted && capped.end == Some(End::Capped));
            assert_eq!((capped.u, capped.steps), (u, steps));
        }
    }

    #[test]
    fn stops_exactly_at_zero_hinge_loss() {
        let (p, d, b) = (300, 8, 2);
        for (chi, at) in [(0.0, 0.01), (1.0, 1.0), (0.0, 100.0)] {
            let pts = points(p, d, chi, 7);
            let done = run(&pts, p, b, at, u64::MAX, 7);
            assert_eq!(done.end, Some(End::Fitted));
            assert!((0..p).all(|i| pts.margin(&done.u, i) >= 1.0));
            // One hit fewer, the same draws: some point is still unfitted.
            let mut before = Run::new(&pts, at, u64::MAX, batches(p, b, 7));
            before.advance(&pts, u64::MAX, done.hits - 1);
            assert!(before.end.is_none());
            assert!((0..p).any(|i| pts.margin(&before.u, i) < 1.0));
        }
    }

    /// Against the authors' sampler (a fresh permutation every step, its first B points), over
    /// many seeds: the mean number of steps to zero loss agrees within sampling error.
    #[test]
    fn waiting_times_have_the_law_of_fresh_permutations() {
        let (p, d, b, at) = (12, 3, 3, 0.5);
        let pts = points(p, d, 0.0, 11);
        let n = 2000;
        let mut perm: Vec<usize> = (0..p).collect();
        let (mut ev, mut pl) = (Vec::new(), Vec::new());
        let mut grad = vec![0.0; d];
        for s in 0..n {
            ev.push(run(&pts, p, b, at, u64::MAX, 100 + s).steps as f64);
            let mut rng = Rng::new(100 + s, 9);
            let mut u = vec![0.0; d];
            let mut steps = 0u64;
            while (0..p).any(|i| pts.margin(&u, i) < 1.0) {
                rng.shuffle(&mut perm);
                let members: Vec<usize> = perm[..b].iter().copied().filter(|&i| pts.margin(&u, i) < 1.0).collect();
                step(&pts, at, &members, &mut grad, &mut u);
                steps += 1;
            }
            pl.push(steps as f64);
        }
        let stats = |v: &[f64]| {
            let m = v.iter().sum::<f64>() / v.len() as f64;
            (m, v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (v.len() * (v.len() - 1)) as f64)
        };
        let ((me, ve), (mp, vp)) = (stats(&ev), stats(&pl));
        assert!((me - mp).abs() < 4.0 * (ve + vp).sqrt(), "event {me}, permutations {mp}");
        assert!(me > 20.0, "{me}");
    }

    #[test]
    fn miss_probability_and_hit_counts_match_enumeration() {
        // P = 7, B = 3, m = 2: of the 35 batches, C(5,3) = 10 miss; j = 1 in 20, j = 2 in 5.
        let mut src = batches(7, 3, 1);
        let n = 200_000;
        let mut k_sum = 0.0;
        let mut counts = [0usize; 3];
        let mut unfitted = vec![2, 5];
        for _ in 0..n {
            k_sum += src.misses(2) as f64;
            counts[src.pick(&mut unfitted)] += 1;
        }
        // Geometric misses with q = 10/35: mean q / (1 - q) = 0.4.
        assert!((k_sum / n as f64 - 0.4).abs() < 0.01, "{}", k_sum / n as f64);
        assert_eq!(counts[0], 0);
        assert!((counts[2] as f64 / n as f64 - 0.2).abs() < 0.005, "{counts:?}");
        // Every batch hits when fewer than B points are fitted.
        assert_eq!(batches(7, 3, 1).misses(5), 0);
        assert_eq!(batches(7, 3, 1).hit_count(7), 3);
    }
}
