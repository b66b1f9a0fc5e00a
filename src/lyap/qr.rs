//! The Benettin core: thin QR of k tangent vectors, its reverse-mode
//! derivative, and the generic iteration `Q <- J_t Q, (Q, R) = qr(Q)`.
//!
//! Layout: a set of k vectors of length n is stored as k rows of n values
//! (row i = the i-th tangent vector, i.e. column i of the textbook `n x k`
//! matrix), so every vector is contiguous. `R` is `k x k` row-major, upper
//! triangular, `R[j * k + i] = R_ji`.
//!
//! Everything here is f64 with a fixed order of operations (no FMA, `libm`
//! for ln), so the same inputs give the same bits natively and in wasm.

use crate::rng::Rng;

/// A column whose residual norm after orthogonalisation is at most this has
/// collapsed: the step's Jacobian (numerically) annihilated it. That is the
/// normal case for directions in the silent units' subspace: `J_t = diag(d_t) M`
/// has rank at most the number of active units, and with all units silent
/// `J_t = 0`. The input vectors are unit vectors, so 1e-10 is a one-step
/// contraction by ten orders of magnitude, far below rounding noise of `|J|`.
pub const COLLAPSE_TOL: f64 = 1e-10;
/// `ln(COLLAPSE_TOL)`: what a collapsed column adds to its exponent's sum
/// instead of `ln 0 = -inf`. An exponent therefore never drops below
/// -23.03 per step; the true value of a collapsing direction is -inf, so read
/// anything near this floor as "annihilated".
pub const LN_FLOOR: f64 = -23.025850929940457;

/// The PCG seed of the fixed start `Q_0` (the same for every run and seed).
const START_SEED: u64 = 0x17a9_0000;

/// `sum a_i b_i` in a fixed order: 8 interleaved partial sums (lane `i mod 8`,
/// each in increasing i), the tail added to lane `i mod 8` as well, then the
/// lanes combined pairwise. The order depends only on the length, so the bits
/// are the same for every SIMD width, natively and in wasm.
#[inline]
pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len());
    let mut s = [0.0f64; 8];
    let full = a.len() / 8 * 8;
    for (ca, cb) in a[..full].chunks_exact(8).zip(b[..full].chunks_exact(8)) {
        for l in 0..8 {
            s[l] += ca[l] * cb[l];
        }
    }
    for (l, (x, y)) in a[full..].iter().zip(&b[full..]).enumerate() {
        s[l] += x * y;
    }
    ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]))
}

/// `y += s x` element-wise.
#[inline]
pub(crate) fn axpy(y: &mut [f64], s: f64, x: &[f64]) {
    for (yi, xi) in y.iter_mut().zip(x) {
        *yi += s * xi;
    }
}

/// `ln R_ii` as the exponents accumulate it: floored at `LN_FLOOR` for a
/// collapsed column (whose `R_ii` the QR sets to 0).
#[inline]
pub fn ln_diag(r_ii: f64) -> f64 {
    if r_ii > COLLAPSE_TOL {
        libm::log(r_ii)
    } else {
        LN_FLOOR
    }
}

/// In-place thin QR of the k rows of `a` (k vectors of length n) by modified
/// Gram-Schmidt with one re-orthogonalisation pass ("twice is enough"), in a
/// fixed order. On return `a` holds Q (orthonormal rows) and `r` holds R
/// (`R_ii >= 0`, `A = Q R` column by column). Returns how many columns
/// collapsed (`R_ii <= COLLAPSE_TOL`): such a column gets `R_ii = 0` and is
/// re-seeded deterministically (see `reseed`) so that Q stays orthonormal and
/// the iteration can go on; `A = QR` then does not hold for that column.
pub fn qr_rows(a: &mut [f64], r: &mut [f64], n: usize, k: usize) -> usize {
    assert!(k <= n && a.len() == k * n && r.len() == k * k, "qr_rows shapes");
    r.iter_mut().for_each(|x| *x = 0.0);
    let mut collapsed = 0;
    for i in 0..k {
        let (done, rest) = a.split_at_mut(i * n);
        let v = &mut rest[..n];
        for _pass in 0..2 {
            for j in 0..i {
                let qj = &done[j * n..(j + 1) * n];
                let p = dot(qj, v);
                axpy(v, -p, qj);
                r[j * k + i] += p;
            }
        }
        let norm = dot(v, v).sqrt();
        if norm > COLLAPSE_TOL {
            v.iter_mut().for_each(|x| *x /= norm);
            r[i * k + i] = norm;
        } else {
            reseed(v, done, n);
            collapsed += 1;
        }
    }
    collapsed
}

/// Replaces a collapsed column by a unit vector orthogonal to the columns
/// before it: the standard basis vector, tried in order from e_{i mod n},
/// whose residual after two projection passes is largest (the first with
/// residual above 1/2 is taken at once). Deterministic, and a residual of at
/// least sqrt(1 - i/n) > 0 always exists.
fn reseed(v: &mut [f64], done: &[f64], n: usize) {
    let i = done.len() / n;
    let mut best = (f64::NEG_INFINITY, 0);
    let mut cand = vec![0.0; n];
    for t in 0..n {
        let e = (i + t) % n;
        project_out_basis(&mut cand, e, done, n);
        let norm = dot(&cand, &cand).sqrt();
        if norm > best.0 {
            best = (norm, e);
        }
        if norm > 0.5 {
            break;
        }
    }
    project_out_basis(&mut cand, best.1, done, n);
    let norm = dot(&cand, &cand).sqrt();
    for (vi, ci) in v.iter_mut().zip(&cand) {
        *vi = ci / norm;
    }
}

fn project_out_basis(cand: &mut [f64], e: usize, done: &[f64], n: usize) {
    cand.iter_mut().for_each(|x| *x = 0.0);
    cand[e] = 1.0;
    for _pass in 0..2 {
        for qj in done.chunks_exact(n) {
            let p = dot(qj, cand);
            axpy(cand, -p, qj);
        }
    }
}

/// Reverse mode of `A = QR` (thin, k <= n) for a loss whose gradient with
/// respect to R is diagonal: given `Qbar` (k rows of n) and `rbar_i =
/// dL/dR_ii`, writes `Abar = [Qbar + Q copyltu(M)] R^{-T}` with
/// `M = R diag(rbar) - Qbar^T Q` and `copyltu(M)` the lower triangle of M
/// mirrored to the upper. (Checked against finite differences in the tests.)
/// Every `R_ii` must be positive (no collapsed column).
pub fn qr_backward(q: &[f64], r: &[f64], qbar: &[f64], rbar: &[f64], abar: &mut [f64], n: usize, k: usize) {
    assert!(q.len() == k * n && qbar.len() == k * n && abar.len() == k * n && r.len() == k * k && rbar.len() == k);
    // M_ij = R_ij rbar_j - qbar_i . q_j; C = copyltu(M), symmetric: C_ij = M_{max(i,j), min(i,j)}.
    let mut m = vec![0.0; k * k];
    for i in 0..k {
        for j in 0..k {
            m[i * k + j] = r[i * k + j] * rbar[j] - dot(&qbar[i * n..(i + 1) * n], &q[j * n..(j + 1) * n]);
        }
    }
    let c = |i: usize, j: usize| if i >= j { m[i * k + j] } else { m[j * k + i] };
    // B = Qbar + Q C: column j of B is qbar_j + sum_i C_ij q_i (stored in abar).
    abar.copy_from_slice(qbar);
    for j in 0..k {
        let (bj, qs) = (&mut abar[j * n..(j + 1) * n], q);
        for i in 0..k {
            axpy(bj, c(i, j), &qs[i * n..(i + 1) * n]);
        }
    }
    // Abar R^T = B: b_j = sum_{i >= j} R_ji abar_i, solved from the last column up.
    for j in (0..k).rev() {
        let (head, tail) = abar.split_at_mut((j + 1) * n);
        let bj = &mut head[j * n..];
        for i in j + 1..k {
            axpy(bj, -r[j * k + i], &tail[(i - j - 1) * n..(i - j) * n]);
        }
        let d = r[j * k + j];
        bj.iter_mut().for_each(|x| *x /= d);
    }
}

/// The fixed orthonormal start: k rows of standard normals from one fixed PCG
/// stream, orthonormalised. Drawn row by row, so the start for k is the first
/// k rows of the start for any larger k, and the leading exponents do not
/// depend on how many are asked for.
pub fn fixed_start(n: usize, k: usize) -> Vec<f64> {
    let mut rng = Rng::new(START_SEED, 0);
    let mut q: Vec<f64> = (0..k * n).map(|_| rng.normal()).collect();
    let mut r = vec![0.0; k * k];
    qr_rows(&mut q, &mut r, n, k);
    q
}

/// k tangent vectors carried through a sequence of Jacobians, with their
/// accumulated `ln R_ii`.
#[derive(Clone, Debug)]
pub struct Benettin {
    pub n: usize,
    pub k: usize,
    q: Vec<f64>,
    next: Vec<f64>,
    r: Vec<f64>,
    sum_ln: Vec<f64>,
    steps: usize,
    collapses: usize,
}

impl Benettin {
    /// From the fixed start (`fixed_start`).
    pub fn new(n: usize, k: usize) -> Self {
        Self::with_start(fixed_start(n, k), n, k)
    }

    /// From a given orthonormal start (k rows of n).
    pub fn with_start(q: Vec<f64>, n: usize, k: usize) -> Self {
        assert!(k >= 1 && k <= n && q.len() == k * n, "Benettin: k must be in 1..=n");
        Benettin { n, k, q, next: vec![0.0; k * n], r: vec![0.0; k * k], sum_ln: vec![0.0; k], steps: 0, collapses: 0 }
    }

    /// The current orthonormal vectors (k rows of n).
    pub fn q(&self) -> &[f64] {
        &self.q
    }

    /// The latest step's R (k x k).
    pub fn r(&self) -> &[f64] {
        &self.r
    }

    /// One step: `apply(q, out)` must write `J_t q` (k rows) into `out`; then
    /// QR. With `accumulate` the step's `ln R_ii` count towards the
    /// exponents (burn-in steps pass false). Returns the step's collapsed
    /// column count.
    pub fn step(&mut self, accumulate: bool, apply: impl FnOnce(&[f64], &mut [f64])) -> usize {
        apply(&self.q, &mut self.next);
        let collapsed = qr_rows(&mut self.next, &mut self.r, self.n, self.k);
        std::mem::swap(&mut self.q, &mut self.next);
        if accumulate {
            for i in 0..self.k {
                self.sum_ln[i] += ln_diag(self.r[i * self.k + i]);
            }
            self.steps += 1;
            self.collapses += collapsed;
        }
        collapsed
    }

    /// Accumulated steps.
    pub fn steps(&self) -> usize {
        self.steps
    }

    /// Collapsed columns over the accumulated steps.
    pub fn collapses(&self) -> usize {
        self.collapses
    }

    /// `lambda_i = sum ln R_ii / steps`, per time step, in Benettin's order
    /// (column i; descending once the vectors have aligned). 0 before any step.
    pub fn exponents(&self) -> Vec<f64> {
        let s = self.steps.max(1) as f64;
        self.sum_ln.iter().map(|x| x / s).collect()
    }
}

/// The k leading exponents of a sequence of Jacobians: `burn` steps to align
/// the vectors, then `steps` accumulated ones; `apply(t, q, out)` writes
/// `J_t q` (t counts from 0 over burn and steps together). Benettin's order.
pub fn spectrum(
    n: usize,
    k: usize,
    burn: usize,
    steps: usize,
    mut apply: impl FnMut(usize, &[f64], &mut [f64]),
) -> Vec<f64> {
    let mut b = Benettin::new(n, k);
    for t in 0..burn + steps {
        b.step(t >= burn, |q, out| apply(t, q, out));
    }
    b.exponents()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn random(len: usize, rng: &mut Rng) -> Vec<f64> {
        (0..len).map(|_| rng.normal()).collect()
    }

    #[test]
    fn ln_floor_is_ln_of_the_tolerance() {
        assert_eq!(LN_FLOOR, libm::log(COLLAPSE_TOL));
    }

    #[test]
    fn qr_rows_is_a_qr() {
        let (n, k) = (7, 4);
        let a0 = random(k * n, &mut Rng::new(3, 0));
        let mut q = a0.clone();
        let mut r = vec![0.0; k * k];
        assert_eq!(qr_rows(&mut q, &mut r, n, k), 0);
        for i in 0..k {
            for j in 0..k {
                let g = dot(&q[i * n..(i + 1) * n], &q[j * n..(j + 1) * n]);
                assert!((g - (i == j) as u8 as f64).abs() < 1e-14, "Q^T Q at {i},{j}: {g}");
                if j > i {
                    assert_eq!(r[j * k + i], 0.0);
                }
            }
            assert!(r[i * k + i] > 0.0);
            // column i of A = sum_j q_j R_ji
            for e in 0..n {
                let s: f64 = (0..=i).map(|j| q[j * n + e] * r[j * k + i]).sum();
                assert!((s - a0[i * n + e]).abs() < 1e-13);
            }
        }
    }

    #[test]
    fn a_collapsed_column_is_reseeded_orthonormal_and_floored() {
        let (n, k) = (5, 3);
        let mut a = random(k * n, &mut Rng::new(4, 0));
        // column 1 = 2 * column 0: collapses after projection; column 2 all zero.
        for e in 0..n {
            a[n + e] = 2.0 * a[e];
            a[2 * n + e] = 0.0;
        }
        let mut r = vec![0.0; k * k];
        assert_eq!(qr_rows(&mut a, &mut r, n, k), 2);
        assert_eq!((r[k + 1], r[2 * k + 2]), (0.0, 0.0));
        assert_eq!(ln_diag(r[k + 1]), LN_FLOOR);
        for i in 0..k {
            for j in 0..k {
                let g = dot(&a[i * n..(i + 1) * n], &a[j * n..(j + 1) * n]);
                assert!((g - (i == j) as u8 as f64).abs() < 1e-14 && g.is_finite());
            }
        }
    }

    /// The QR backward formula against central differences of
    /// `L(A) = <G, Q> + sum_i c_i R_ii` (which gives Qbar = G, rbar = c).
    #[test]
    fn qr_backward_matches_finite_differences() {
        for (n, k) in [(6, 3), (5, 5), (9, 1)] {
            let mut rng = Rng::new(5, k as u64);
            let a = random(k * n, &mut rng);
            let g = random(k * n, &mut rng);
            let c = random(k, &mut rng);
            let loss = |a: &[f64]| {
                let mut q = a.to_vec();
                let mut r = vec![0.0; k * k];
                qr_rows(&mut q, &mut r, n, k);
                dot(&g, &q) + (0..k).map(|i| c[i] * r[i * k + i]).sum::<f64>()
            };
            let mut q = a.clone();
            let mut r = vec![0.0; k * k];
            qr_rows(&mut q, &mut r, n, k);
            let mut abar = vec![0.0; k * n];
            qr_backward(&q, &r, &g, &c, &mut abar, n, k);
            let eps = 1e-6;
            for e in 0..k * n {
                let (mut ap, mut am) = (a.clone(), a.clone());
                ap[e] += eps;
                am[e] -= eps;
                let fd = (loss(&ap) - loss(&am)) / (2.0 * eps);
                assert!(
                    (fd - abar[e]).abs() < 1e-7 * (1.0 + fd.abs()),
                    "n {n} k {k} entry {e}: fd {fd} vs {}",
                    abar[e]
                );
            }
        }
    }

    /// A constant diagonal Jacobian: the exponents are ln|s_i|, sorted (Benettin's order).
    #[test]
    fn constant_diagonal_jacobian_gives_sorted_log_moduli() {
        let s = [0.5, -3.0, 1.2, -0.8, 2.0, 0.3];
        let n = s.len();
        let lam = spectrum(n, n, 200, 500, |_, q, out| {
            for (i, (o, x)) in out.iter_mut().zip(q).enumerate() {
                *o = s[i % n] * x;
            }
        });
        let mut want: Vec<f64> = s.iter().map(|x| libm::log(x.abs())).collect();
        want.sort_by(|a, b| b.total_cmp(a));
        for (l, w) in lam.iter().zip(&want) {
            assert!((l - w).abs() < 1e-12, "{lam:?} vs {want:?}");
        }
    }

    /// All n exponents sum to the mean ln|det J_t| (the volume growth), for
    /// dense random Jacobians.
    #[test]
    fn full_spectrum_sums_to_mean_log_determinant() {
        let n = 5;
        let mut rng = Rng::new(6, 0);
        let steps = 300;
        let js: Vec<Vec<f64>> = (0..steps).map(|_| random(n * n, &mut rng)).collect();
        let lam = spectrum(n, n, 0, steps, |t, q, out| {
            // rows of out = J q_i
            for i in 0..n {
                for e in 0..n {
                    out[i * n + e] = dot(&js[t][e * n..(e + 1) * n], &q[i * n..(i + 1) * n]);
                }
            }
        });
        let mean_logdet = js.iter().map(|j| ln_abs_det(j, n)).sum::<f64>() / steps as f64;
        let sum: f64 = lam.iter().sum();
        assert!((sum - mean_logdet).abs() < 1e-12, "sum {sum} vs mean ln|det| {mean_logdet}");
        assert!(lam.windows(2).all(|w| w[0] >= w[1]), "{lam:?}");
    }

    /// ln|det| by Gaussian elimination with partial pivoting.
    fn ln_abs_det(j: &[f64], n: usize) -> f64 {
        let mut a = j.to_vec();
        let mut s = 0.0;
        for c in 0..n {
            let p = (c..n).max_by(|&x, &y| a[x * n + c].abs().total_cmp(&a[y * n + c].abs())).unwrap();
            for e in 0..n {
                a.swap(c * n + e, p * n + e);
            }
            let d = a[c * n + c];
            s += libm::log(d.abs());
            for rr in c + 1..n {
                let f = a[rr * n + c] / d;
                for e in c..n {
                    a[rr * n + e] -= f * a[c * n + e];
                }
            }
        }
        s
    }
}
