//! Eigenvalues of a general real square matrix: reduction to upper Hessenberg form by stabilised
//! elementary similarity transforms, then the Francis double-shift QR iteration (EISPACK's elmhes and
//! hqr, as Numerical Recipes writes them). Plain loops in a fixed order and only +, -, *, / and sqrt,
//! so every platform and the wasm build get the same bits. For the Jacobians of the fixed points
//! (`analysis::fixed`), whose stability is the moduli of these values.

/// An eigenvalue `re + i im`; complex ones come in conjugate pairs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Eigenvalue {
    pub re: f64,
    pub im: f64,
}

impl Eigenvalue {
    pub fn modulus(&self) -> f64 {
        super::hypot::hypot(self.re, self.im)
    }
}

/// Sweeps of the QR iteration allowed for one eigenvalue before giving up (EISPACK allows 30).
const MAX_SWEEPS: usize = 60;

/// The eigenvalues of the `n x n` row-major `a`, largest modulus first (ties: larger real part,
/// then larger imaginary part); `None` where the iteration does not converge.
pub fn eigenvalues(a: &[f64], n: usize) -> Option<Vec<Eigenvalue>> {
    assert_eq!(a.len(), n * n, "eigenvalues: an n x n matrix");
    let mut h: Vec<Vec<f64>> = (0..n).map(|i| a[i * n..(i + 1) * n].to_vec()).collect();
    hessenberg(&mut h);
    let mut out = hqr(&mut h)?;
    out.sort_by(|x, y| y.modulus().total_cmp(&x.modulus()).then(y.re.total_cmp(&x.re)).then(y.im.total_cmp(&x.im)));
    Some(out)
}

/// elmhes: Gaussian elimination with pivoting below the subdiagonal; what it leaves below the
/// subdiagonal is cleared.
fn hessenberg(a: &mut [Vec<f64>]) {
    let n = a.len();
    for m in 1..n.saturating_sub(1) {
        let (mut x, mut i) = (0.0f64, m);
        for (j, row) in a.iter().enumerate().skip(m) {
            if row[m - 1].abs() > x.abs() {
                x = row[m - 1];
                i = j;
            }
        }
        if i != m {
            a.swap(i, m);
            for row in a.iter_mut() {
                row.swap(i, m);
            }
        }
        if x != 0.0 {
            for i in m + 1..n {
                let y = a[i][m - 1];
                if y != 0.0 {
                    let y = y / x;
                    a[i][m - 1] = 0.0;
                    for j in m..n {
                        a[i][j] -= y * a[m][j];
                    }
                    for row in a.iter_mut() {
                        row[m] += y * row[i];
                    }
                }
            }
        }
    }
}

fn sign(a: f64, b: f64) -> f64 {
    if b >= 0.0 {
        a.abs()
    } else {
        -a.abs()
    }
}

/// hqr on an upper Hessenberg matrix (destroyed).
fn hqr(a: &mut [Vec<f64>]) -> Option<Vec<Eigenvalue>> {
    let n = a.len() as isize;
    let mut w = vec![Eigenvalue { re: 0.0, im: 0.0 }; a.len()];
    let mut anorm = 0.0;
    for i in 0..a.len() {
        for j in i.saturating_sub(1)..a.len() {
            anorm += a[i][j].abs();
        }
    }
    let at = |a: &[Vec<f64>], i: isize, j: isize| a[i as usize][j as usize];
    let mut nn = n - 1;
    let mut t = 0.0;
    while nn >= 0 {
        let mut its = 0;
        let mut l;
        loop {
            // A small subdiagonal element splits the matrix.
            l = nn;
            while l > 0 {
                let mut s = at(a, l - 1, l - 1).abs() + at(a, l, l).abs();
                if s == 0.0 {
                    s = anorm;
                }
                if at(a, l, l - 1).abs() <= f64::EPSILON * s {
                    a[l as usize][(l - 1) as usize] = 0.0;
                    break;
                }
                l -= 1;
            }
            let mut x = at(a, nn, nn);
            if l == nn {
                w[nn as usize] = Eigenvalue { re: x + t, im: 0.0 };
                nn -= 1;
            } else {
                let mut y = at(a, nn - 1, nn - 1);
                let mut ww = at(a, nn, nn - 1) * at(a, nn - 1, nn);
                if l == nn - 1 {
                    // A 2 x 2 block: two real roots or a conjugate pair.
                    let p = 0.5 * (y - x);
                    let q = p * p + ww;
                    let z = q.abs().sqrt();
                    x += t;
                    if q >= 0.0 {
                        let z = p + sign(z, p);
                        let lo = if z != 0.0 { x - ww / z } else { x + z };
                        w[(nn - 1) as usize] = Eigenvalue { re: x + z, im: 0.0 };
                        w[nn as usize] = Eigenvalue { re: lo, im: 0.0 };
                    } else {
                        w[nn as usize] = Eigenvalue { re: x + p, im: -z };
                        w[(nn - 1) as usize] = Eigenvalue { re: x + p, im: z };
                    }
                    nn -= 2;
                } else {
                    if its == MAX_SWEEPS {
                        return None;
                    }
                    if its == 10 || its == 20 || its == 40 {
                        // Exceptional shift.
                        t += x;
                        for i in 0..=nn {
                            a[i as usize][i as usize] -= x;
                        }
                        let s = at(a, nn, nn - 1).abs() + at(a, nn - 1, nn - 2).abs();
                        x = 0.75 * s;
                        y = x;
                        ww = -0.4375 * s * s;
                    }
                    its += 1;
                    let (mut p, mut q, mut r) = (0.0, 0.0, 0.0);
                    let mut m = nn - 2;
                    while m >= l {
                        let z = at(a, m, m);
                        let rr = x - z;
                        let s = y - z;
                        p = (rr * s - ww) / at(a, m + 1, m) + at(a, m, m + 1);
                        q = at(a, m + 1, m + 1) - z - rr - s;
                        r = at(a, m + 2, m + 1);
                        let s = p.abs() + q.abs() + r.abs();
                        p /= s;
                        q /= s;
                        r /= s;
                        if m == l {
                            break;
                        }
                        let u = at(a, m, m - 1).abs() * (q.abs() + r.abs());
                        let v = p.abs() * (at(a, m - 1, m - 1).abs() + z.abs() + at(a, m + 1, m + 1).abs());
                        if u <= f64::EPSILON * v {
                            break;
                        }
                        m -= 1;
                    }
                    for i in m..nn - 1 {
                        a[(i + 2) as usize][i as usize] = 0.0;
                        if i != m {
                            a[(i + 2) as usize][(i - 1) as usize] = 0.0;
                        }
                    }
                    let mut k = m;
                    while k < nn {
                        if k != m {
                            p = at(a, k, k - 1);
                            q = at(a, k + 1, k - 1);
                            r = if k + 1 != nn { at(a, k + 2, k - 1) } else { 0.0 };
                            x = p.abs() + q.abs() + r.abs();
                            if x != 0.0 {
                                p /= x;
                                q /= x;
                                r /= x;
                            }
                        }
                        let s = sign((p * p + q * q + r * r).sqrt(), p);
                        if s != 0.0 {
                            if k == m {
                                if l != m {
                                    a[k as usize][(k - 1) as usize] = -at(a, k, k - 1);
                                }
                            } else {
                                a[k as usize][(k - 1) as usize] = -s * x;
                            }
                            p += s;
                            x = p / s;
                            y = q / s;
                            let z = r / s;
                            q /= p;
                            r /= p;
                            for j in k..=nn {
                                let mut p = at(a, k, j) + q * at(a, k + 1, j);
                                if k + 1 != nn {
                                    p += r * at(a, k + 2, j);
                                    a[(k + 2) as usize][j as usize] -= p * z;
                                }
                                a[(k + 1) as usize][j as usize] -= p * y;
                                a[k as usize][j as usize] -= p * x;
                            }
                            let mmin = if nn < k + 3 { nn } else { k + 3 };
                            for i in l..=mmin {
                                let mut p = x * at(a, i, k) + y * at(a, i, k + 1);
                                if k + 1 != nn {
                                    p += z * at(a, i, k + 2);
                                    a[i as usize][(k + 2) as usize] -= p * r;
                                }
                                a[i as usize][(k + 1) as usize] -= p * q;
                                a[i as usize][k as usize] -= p;
                            }
                        }
                        k += 1;
                    }
                }
            }
            if l + 1 >= nn {
                break;
            }
        }
    }
    Some(w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::{sym_eigen, Mat};
    use crate::rng::Rng;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * (1.0 + b.abs())
    }

    #[test]
    fn small_cases_by_hand() {
        // A rotation by 90 degrees scaled by 2: +-2i.
        let e = eigenvalues(&[0.0, -2.0, 2.0, 0.0], 2).unwrap();
        assert!(e.iter().all(|v| v.re.abs() < 1e-15 && close(v.im.abs(), 2.0, 1e-15)), "{e:?}");
        assert_eq!(e[0].im, -e[1].im);
        // Triangular: the diagonal.
        let e = eigenvalues(&[3.0, 1.0, 4.0, 0.0, -5.0, 9.0, 0.0, 0.0, 2.0], 3).unwrap();
        let re: Vec<f64> = e.iter().map(|v| v.re).collect();
        assert!(re.iter().zip([-5.0, 3.0, 2.0]).all(|(a, b)| close(*a, b, 1e-14)), "{re:?}");
        // A companion matrix of (x - 1)(x - 2)(x - 3)(x^2 + 1).
        // x^5 - 6x^4 + 12x^3 - 12x^2 + 11x - 6: the coefficients below the leading one, highest first.
        let coeffs = [-6.0, 12.0, -12.0, 11.0, -6.0];
        let n = 5;
        let mut m = vec![0.0; n * n];
        for (j, &cj) in coeffs.iter().enumerate() {
            m[j] = -cj;
        }
        for i in 1..n {
            m[i * n + i - 1] = 1.0;
        }
        let e = eigenvalues(&m, n).unwrap();
        let mut got: Vec<(f64, f64)> = e.iter().map(|v| (v.re, v.im)).collect();
        got.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        let want = [(0.0, -1.0), (0.0, 1.0), (1.0, 0.0), (2.0, 0.0), (3.0, 0.0)];
        for (g, w) in got.iter().zip(want) {
            assert!((g.0 - w.0).abs() < 1e-9 && (g.1 - w.1).abs() < 1e-9, "{got:?}");
        }
    }

    #[test]
    fn symmetric_matrices_agree_with_the_symmetric_solver() {
        let mut rng = Rng::new(3, 0);
        let n = 40;
        let g = Mat::from_fn(n, n, |_, _| rng.normal());
        let s = Mat::from_fn(n, n, |r, c| g.at(r, c) + g.at(c, r));
        let (want, _) = sym_eigen(&s);
        let got = eigenvalues(&s.data, n).unwrap();
        let mut got: Vec<f64> = got.iter().map(|v| v.re).collect();
        got.sort_by(|a, b| b.total_cmp(a));
        for (g, w) in got.iter().zip(&want) {
            assert!((g - w).abs() < 1e-10 * want[0].abs(), "{g} vs {w}");
        }
    }

    #[test]
    fn a_random_matrix_has_trace_and_determinant_of_its_eigenvalues() {
        let mut rng = Rng::new(5, 1);
        let n = 61;
        let a: Vec<f64> = (0..n * n).map(|_| rng.normal() / (n as f64).sqrt()).collect();
        let e = eigenvalues(&a, n).unwrap();
        let trace: f64 = (0..n).map(|i| a[i * n + i]).sum();
        let sum: f64 = e.iter().map(|v| v.re).sum();
        assert!((trace - sum).abs() < 1e-10, "{trace} vs {sum}");
        assert!(e.iter().map(|v| v.im).sum::<f64>().abs() < 1e-10);
        // The circular law: the spectral radius of a Gaussian/sqrt(n) matrix is near 1.
        assert!(e[0].modulus() > 0.8 && e[0].modulus() < 1.25, "{}", e[0].modulus());
        // A - lambda I is singular at a real eigenvalue (an odd n has one): its LU has a pivot near 0.
        let real = e.iter().find(|v| v.im == 0.0).expect("an odd n has a real eigenvalue");
        let shifted: Vec<f64> = (0..n * n).map(|k| a[k] - if k / n == k % n { real.re } else { 0.0 }).collect();
        let pivots = crate::analysis::solve::lu_pivots(&shifted, n);
        let smallest = pivots.iter().fold(f64::INFINITY, |m, p| m.min(p.abs()));
        assert!(smallest < 1e-9, "{smallest}");
    }
}
