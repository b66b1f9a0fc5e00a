//! Dense linear solves by Gaussian elimination with partial pivoting, in a fixed order (the first
//! largest pivot wins a tie), for the fixed points' exact polish.

/// Solves `a x = b` for the `n x n` row-major `a`; `None` where a pivot vanishes against the
/// matrix's scale (a singular system: a line of fixed points or none).
pub fn solve(a: &[f64], b: &[f64], n: usize) -> Option<Vec<f64>> {
    let mut m = a.to_vec();
    let mut x = b.to_vec();
    let scale = m.iter().fold(0.0f64, |s, v| s.max(v.abs()));
    eliminate(&mut m, Some(&mut x), n, scale)?;
    for i in (0..n).rev() {
        let mut s = x[i];
        for j in i + 1..n {
            s -= m[i * n + j] * x[j];
        }
        x[i] = s / m[i * n + i];
    }
    Some(x)
}

/// The pivots of the elimination (their product is ± the determinant), all of them even where one
/// vanishes; for tests that check a matrix is singular.
pub fn lu_pivots(a: &[f64], n: usize) -> Vec<f64> {
    let mut m = a.to_vec();
    let _ = eliminate(&mut m, None, n, 0.0);
    (0..n).map(|i| m[i * n + i]).collect()
}

/// Forward elimination in place; `None` where a pivot is at most 1e-13 of `scale`.
fn eliminate(m: &mut [f64], mut rhs: Option<&mut Vec<f64>>, n: usize, scale: f64) -> Option<()> {
    let mut singular = false;
    for k in 0..n {
        let mut p = k;
        for i in k + 1..n {
            if m[i * n + k].abs() > m[p * n + k].abs() {
                p = i;
            }
        }
        if p != k {
            for j in 0..n {
                m.swap(k * n + j, p * n + j);
            }
            if let Some(x) = rhs.as_deref_mut() {
                x.swap(k, p);
            }
        }
        let pivot = m[k * n + k];
        if pivot.abs() <= 1e-13 * scale || pivot == 0.0 {
            singular = true;
            continue;
        }
        for i in k + 1..n {
            let f = m[i * n + k] / pivot;
            if f == 0.0 {
                continue;
            }
            m[i * n + k] = 0.0;
            for j in k + 1..n {
                m[i * n + j] -= f * m[k * n + j];
            }
            if let Some(x) = rhs.as_deref_mut() {
                x[i] -= f * x[k];
            }
        }
    }
    (!singular).then_some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_a_system_that_needs_pivoting_and_refuses_a_singular_one() {
        let a = [0.0, 2.0, 1.0, 1.0, 1.0, 0.0, 2.0, 0.0, 3.0];
        let x = solve(&a, &[7.0, 3.0, 11.0], 3).unwrap();
        for (g, w) in x.iter().zip([1.0, 2.0, 3.0]) {
            assert!((g - w).abs() < 1e-14, "{x:?}");
        }
        assert!(solve(&[1.0, 2.0, 2.0, 4.0], &[1.0, 2.0], 2).is_none());
        let p = lu_pivots(&[1.0, 2.0, 2.0, 4.0], 2);
        assert!(p[1].abs() < 1e-15, "{p:?}");
    }
}
