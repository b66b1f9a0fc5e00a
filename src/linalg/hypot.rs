//! `libm::hypot` (musl's), bit for bit, with the squares it splits by Dekker's method taken
//! from a fused multiply-add instead, on CPUs that have one: the QL iteration's critical path
//! runs through hypot, and the split costs it about 20 cycles a call.
//!
//! Why the bits agree: musl's `sq(x)` returns hi = x*x and lo = xh*xh - hi + 2*xh*xl + xl*xl
//! with x = xh + xl split into halves of 26 bits. Every product there is exact, xh*xh - hi is
//! exact, the next sum is -(xl*xl + delta) (delta = hi - x^2, a multiple of the same 2^-104
//! grid and at most 2^-51 relative: 53 bits, representable), and the last is -delta: lo is
//! exactly x^2 - hi, which is what fma(x, x, -hi) returns. hypot's scaling keeps xh*xh from
//! overflowing and xl*xl from underflowing, the proof's conditions. The test checks it.

/// musl's hypot with `sq` from `mul_add`: call only from code compiled with FMA enabled,
/// where `mul_add` is one instruction (elsewhere it is a slow software fma, same bits).
#[inline(always)]
pub fn hypot_fma(x: f64, y: f64) -> f64 {
    let sq = |x: f64| {
        let hi = x * x;
        (hi, x.mul_add(x, -hi))
    };
    let (ax, ay) = (x.to_bits() & (u64::MAX >> 1), y.to_bits() & (u64::MAX >> 1));
    let (uxi, uyi) = if ax < ay { (ay, ax) } else { (ax, ay) };
    let (ex, ey) = ((uxi >> 52) as i64, (uyi >> 52) as i64);
    // musl's common case (no special value, no scaling, so z = 1), with both squares taken
    // before the order of x and y is known (sq(-v) = sq(v)): a shorter chain for the QL sweep.
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

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    use super::*;
    use crate::rng::Rng;

    #[target_feature(enable = "fma")]
    unsafe fn with_fma(x: f64, y: f64) -> f64 {
        hypot_fma(x, y)
    }

    #[test]
    fn same_bits_as_libm() {
        if !std::is_x86_feature_detected!("fma") {
            eprintln!("no FMA on this CPU: hypot_fma is not used here");
            return;
        }
        let mut rng = Rng::new(4, 0);
        let special = [0.0, -0.0, f64::MIN_POSITIVE, 5e-324, 1e-300, 1.0, 1e300, f64::MAX, f64::INFINITY, f64::NEG_INFINITY, f64::NAN];
        let mut pairs: Vec<(f64, f64)> = special.iter().flat_map(|&a| special.iter().map(move |&b| (a, b))).collect();
        // Any exponent, with mantissas of long runs of ones among the random ones.
        let draw = |rng: &mut Rng, k: u64| {
            let m = if k % 3 == 0 { (u64::MAX >> 12) >> (rng.next_u64() % 53) } else { rng.next_u64() & (u64::MAX >> 12) };
            f64::from_bits(((rng.next_u64() % 2047) << 52) | m | (rng.next_u64() & (1 << 63)))
        };
        for i in 0..2_000_000u64 {
            let x = draw(&mut rng, i);
            let y = if i % 2 == 0 { draw(&mut rng, i / 2) } else { x * (0.5 + rng.uniform()) };
            pairs.push((x, y));
        }
        for (x, y) in pairs {
            // SAFETY: the CPU has FMA, checked above.
            let (got, want) = (unsafe { with_fma(x, y) }, libm::hypot(x, y));
            assert!(got.to_bits() == want.to_bits() || (got.is_nan() && want.is_nan()), "hypot({x:e}, {y:e}): {got:e} against libm's {want:e}");
        }
    }
}
