//! `libm::hypot` (musl's), bit for bit, faster where it matters: the QL iteration's critical
//! path runs through hypot.
//!
//! - `hypot`: musl's code with Rust's `sqrt`, which is IEEE's correctly rounded square root
//!   like libm's, but one instruction in wasm (libm's is a software routine there).
//! - `hypot_fma`: the same with the squares musl splits by Dekker's method taken from a fused
//!   multiply-add, on CPUs that have one (the split costs about 20 cycles a call). Why the bits
//!   agree: musl's `sq(x)` returns hi = x*x and lo = xh*xh - hi + 2*xh*xl + xl*xl with
//!   x = xh + xl split into halves of 26 bits. Every product there is exact, xh*xh - hi is
//!   exact, the next sum is -(xl*xl + delta) (delta = hi - x^2, on the same 2^-104 grid and at
//!   most 2^-51 relative: 53 bits, representable), and the last is -delta: lo is exactly
//!   x^2 - hi, which is what fma(x, x, -hi) returns. hypot's scaling keeps xh*xh from
//!   overflowing and xl*xl from underflowing, the proof's conditions.
//!
//! Both take the two squares before ordering x and y in musl's common case (sq(-v) = sq(v)),
//! which shortens the chain. The tests compare both with libm on 2M pairs and special values.

/// musl's hypot with Dekker's squares.
#[inline(always)]
pub fn hypot(x: f64, y: f64) -> f64 {
    const SPLIT: f64 = 134217728. + 1.; // 2^27 + 1
    musl(x, y, |x| {
        let xc = x * SPLIT;
        let xh = x - xc + xc;
        let xl = x - xh;
        let hi = x * x;
        (hi, xh * xh - hi + 2. * xh * xl + xl * xl)
    })
}

/// musl's hypot with the squares from `mul_add`: call only from code compiled with FMA
/// enabled, where `mul_add` is one instruction (elsewhere a slow software fma, same bits).
#[inline(always)]
#[cfg(target_arch = "x86_64")]
pub fn hypot_fma(x: f64, y: f64) -> f64 {
    musl(x, y, |x| {
        let hi = x * x;
        (hi, x.mul_add(x, -hi))
    })
}

/// musl's hypot given its `sq` (hi and lo of x^2).
#[inline(always)]
fn musl(x: f64, y: f64, sq: impl Fn(f64) -> (f64, f64)) -> f64 {
    let (ax, ay) = (x.to_bits() & (u64::MAX >> 1), y.to_bits() & (u64::MAX >> 1));
    let (uxi, uyi) = if ax < ay { (ay, ax) } else { (ax, ay) };
    let (ex, ey) = ((uxi >> 52) as i64, (uyi >> 52) as i64);
    // The common case: no special value and no scaling, so z = 1.
    let (sx, sy) = (sq(x), sq(y));
    if ex <= 0x3ff + 510 && ey >= 0x3ff - 450 && ex - ey <= 64 {
        let ((hx, lx), (hy, ly)) = if ax < ay { (sy, sx) } else { (sx, sy) };
        return (ly + lx + hy + hx).sqrt();
    }
    let (mut x, mut y) = (f64::from_bits(uxi), f64::from_bits(uyi));
    if ey == 0x7ff {
        return y;
    }
    if ex == 0x7ff || uyi == 0 {
        return x;
    }
    if ex - ey > 64 {
        return x + y;
    }
    let z;
    if ex > 0x3ff + 510 {
        z = f64::from_bits(0x6bb0000000000000); // 2^700
        x *= f64::from_bits(0x1430000000000000);
        y *= f64::from_bits(0x1430000000000000);
    } else {
        z = f64::from_bits(0x1430000000000000); // 2^-700
        x *= f64::from_bits(0x6bb0000000000000);
        y *= f64::from_bits(0x6bb0000000000000);
    }
    let (hx, lx) = sq(x);
    let (hy, ly) = sq(y);
    z * (ly + lx + hy + hx).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    /// Special values against each other, then random pairs of any exponents (mantissas of
    /// long runs of ones among the random ones) and pairs of close magnitudes.
    fn pairs() -> Vec<(f64, f64)> {
        let special = [
            0.0,
            -0.0,
            f64::MIN_POSITIVE,
            5e-324,
            1e-300,
            1.0,
            1e300,
            f64::MAX,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ];
        let mut pairs: Vec<(f64, f64)> = special.iter().flat_map(|&a| special.iter().map(move |&b| (a, b))).collect();
        let mut rng = Rng::new(4, 0);
        let draw = |rng: &mut Rng, k: u64| {
            let m = if k.is_multiple_of(3) {
                (u64::MAX >> 12) >> (rng.next_u64() % 53)
            } else {
                rng.next_u64() & (u64::MAX >> 12)
            };
            f64::from_bits(((rng.next_u64() % 2047) << 52) | m | (rng.next_u64() & (1 << 63)))
        };
        for i in 0..2_000_000u64 {
            let x = draw(&mut rng, i);
            let y = if i % 2 == 0 { draw(&mut rng, i / 2) } else { x * (0.5 + rng.uniform()) };
            pairs.push((x, y));
        }
        pairs
    }

    fn same_as_libm(hypot: impl Fn(f64, f64) -> f64) {
        for (x, y) in pairs() {
            let (got, want) = (hypot(x, y), libm::hypot(x, y));
            assert!(
                got.to_bits() == want.to_bits() || (got.is_nan() && want.is_nan()),
                "hypot({x:e}, {y:e}): {got:e} against libm's {want:e}"
            );
        }
    }

    #[test]
    fn hypot_has_libms_bits() {
        same_as_libm(hypot);
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn hypot_fma_has_libms_bits() {
        #[target_feature(enable = "fma")]
        fn with_fma(x: f64, y: f64) -> f64 {
            hypot_fma(x, y)
        }
        if !std::is_x86_feature_detected!("fma") {
            eprintln!("no FMA on this CPU: hypot_fma is not used here");
            return;
        }
        // SAFETY: the CPU has FMA, checked above.
        same_as_libm(|x, y| unsafe { with_fma(x, y) });
    }
}
