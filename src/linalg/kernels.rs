//! Matrix-product kernels.
//!
//! Every output element accumulates its products in increasing `k`, with a
//! separate multiply and add (Rust never contracts to FMA), and the loops
//! vectorise across output columns only. So the bits do not depend on the
//! SIMD width: native x86 and wasm simd128 give identical results.
//!
//! Speed comes from register tiling: a small block of C is loaded into
//! registers, all `k` products are added into it in order, and it is stored
//! once, instead of streaming rows of C through memory for every `k`. Tiling
//! only changes which elements are worked on together, never the order of any
//! one element's sum, so it reproduces the plain triple loop bit for bit.

use super::Real;
use std::ops::Range;

/// Rows of C per cache panel: the panel's slice of A (`MC x k`) stays in L2
/// while every column strip of B passes over it, so a tall product (the
/// 2700-row Gram matrix) reads B from L3 only `m / MC` times.
const MC: usize = 64;

/// `c (m x n) += a (m x k) * b (k x n)`, all row-major.
pub fn gemm_nn<T: Real>(c: &mut [T], a: &[T], b: &[T], m: usize, k: usize, n: usize) {
    assert!(c.len() == m * n && a.len() == m * k && b.len() == k * n, "gemm_nn shapes");
    split(c, Lhs { a, row: k, col: 1 }, b, m, k, n);
}

/// `c (m x n) += a^T * b` with `a` stored `k x m` and `b` stored `k x n`, row-major.
pub fn gemm_tn<T: Real>(c: &mut [T], a: &[T], b: &[T], m: usize, k: usize, n: usize) {
    assert!(c.len() == m * n && a.len() == k * m && b.len() == k * n, "gemm_tn shapes");
    split(c, Lhs { a, row: 1, col: m }, b, m, k, n);
}

/// Rows `..rows` and columns `cols` of `gemm_nn` (`a_t` false) or `gemm_tn` (true): the
/// rest of c is neither read nor written, and each element gets the bits it gets there.
#[allow(clippy::too_many_arguments)]
pub fn gemm_part<T: Real>(
    c: &mut [T],
    a: &[T],
    a_t: bool,
    b: &[T],
    (m, k, n): (usize, usize, usize),
    rows: usize,
    cols: Range<usize>,
) {
    assert!(c.len() == m * n && a.len() == m * k && b.len() == k * n && rows <= m && cols.end <= n, "gemm_part shapes");
    let lhs = if a_t { Lhs { a, row: 1, col: m } } else { Lhs { a, row: k, col: 1 } };
    gemm(&mut c[..rows * n], lhs, b, rows, k, n, cols);
}

/// The left factor, element `(i, p)` at `a[i * row + p * col]`: one kernel
/// serves both the plain and the transposed layout.
#[derive(Clone, Copy)]
struct Lhs<'a, T> {
    a: &'a [T],
    row: usize,
    col: usize,
}

/// The whole product on this thread, or split over `lanes::lanes` threads of rayon's pool: by blocks
/// of output rows where C is tall, else by blocks of columns (each thread then works on its own copy
/// of C, whose columns come back after). Either way an element's sum is the one `gemm` does alone.
fn split<T: Real>(c: &mut [T], a: Lhs<T>, b: &[T], m: usize, k: usize, n: usize) {
    #[cfg(not(target_arch = "wasm32"))]
    match super::lanes::lanes(m, k, n) {
        1 => {}
        lanes => return split_native(c, a, b, m, k, n, lanes),
    }
    gemm(c, a, b, m, k, n, 0..n)
}

#[cfg(not(target_arch = "wasm32"))]
fn split_native<T: Real>(c: &mut [T], a: Lhs<T>, b: &[T], m: usize, k: usize, n: usize, lanes: usize) {
    // A wide C (a batch of rows times N x N) by columns, so that each thread reads only its part of
    // B (at batch 32 the product is bound by reading B): N 1000 went from 1.25x to the figure in
    // BENCHMARKS.md. A tall C by rows, each thread writing its own block.
    if m >= 16 * lanes && m >= n {
        let per = m.div_ceil(lanes);
        rayon::scope(|s| {
            for (j, rows) in c.chunks_mut(per * n).enumerate() {
                let a = Lhs { a: &a.a[j * per * a.row..], ..a };
                let h = rows.len() / n;
                s.spawn(move |_| gemm(rows, a, b, h, k, n, 0..n));
            }
        });
        return;
    }
    // Column blocks in whole tiles of 16.
    let per = n.div_ceil(lanes).div_ceil(16) * 16;
    let blocks: Vec<Range<usize>> = (0..n).step_by(per).map(|c0| c0..(c0 + per).min(n)).collect();
    let mut copies: Vec<Vec<T>> = blocks[1..].iter().map(|_| c.to_vec()).collect();
    rayon::scope(|s| {
        for (copy, cols) in copies.iter_mut().zip(&blocks[1..]) {
            let cols = cols.clone();
            s.spawn(move |_| gemm(copy, a, b, m, k, n, cols));
        }
        gemm(c, a, b, m, k, n, blocks[0].clone());
    });
    for (copy, cols) in copies.iter().zip(&blocks[1..]) {
        for r in 0..m {
            c[r * n + cols.start..r * n + cols.end].copy_from_slice(&copy[r * n + cols.start..r * n + cols.end]);
        }
    }
}

fn gemm<T: Real>(c: &mut [T], a: Lhs<T>, b: &[T], m: usize, k: usize, n: usize, cols: Range<usize>) {
    // Tiles of 8 accumulators in 128-bit vectors, plus the loads of B and
    // broadcasts of A, fit the 16 SIMD registers of x86_64 SSE and of the
    // x64 code V8 emits for wasm simd128. Natively (SSE) 2 rows x 16 columns
    // was the fastest of 4x8, 2x8, 1x16, 1x32, 3x16, 4x12 and 2x24; with the
    // explicit simd128 tile, V8 runs 4 x 8 about 5% faster than 2 x 16 (3 x 8,
    // 3 x 16, 4 x 4 and 5 x 8 are slower); for f64 (explicit f64x2 tiles),
    // 2 x 8, 4 x 4 and 4 x 8 were level. The choice cannot change results,
    // only speed. With AVX-512F, explicit 512-bit tiles (`mod avx512`); then
    // AVX; then the 128-bit tiles every x86_64 CPU has.
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx512f") {
        // SAFETY: the CPU has AVX-512F, checked just above.
        return unsafe { tiled_avx512(c, a, b, m, k, n, cols) };
    }
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx") {
        // SAFETY: the CPU has AVX, checked just above.
        return unsafe { tiled_avx(c, a, b, m, k, n, cols) };
    }
    if std::mem::size_of::<T>() == 4 {
        if cfg!(target_arch = "wasm32") {
            tiled::<T, 4, 8>(c, a, b, m, k, n, cols)
        } else {
            tiled::<T, 2, 16>(c, a, b, m, k, n, cols)
        }
    } else {
        tiled::<T, 2, 8>(c, a, b, m, k, n, cols)
    }
}

/// The same kind of tile compiled for 256-bit AVX registers where the CPU has
/// them, 4 rows x two full vectors (for f32, 2 x 32 and 3 x 24 were as fast,
/// 2 x 24 slower): a portable binary gets AVX speed without assuming it.
/// AVX, not FMA, is enabled, and Rust never contracts a multiply and an add,
/// so the bits are those of the SSE path.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx")]
unsafe fn tiled_avx<T: Real>(c: &mut [T], a: Lhs<T>, b: &[T], m: usize, k: usize, n: usize, cols: Range<usize>) {
    if std::mem::size_of::<T>() == 4 {
        tiled::<T, 4, 16>(c, a, b, m, k, n, cols)
    } else {
        tiled::<T, 4, 8>(c, a, b, m, k, n, cols)
    }
}

/// The tile in explicit AVX-512F operations, for CPUs that have them: 32
/// zmm registers of 16 f32 or 8 f64 (see `mod avx512`). AVX-512F, not FMA,
/// and each lane is one output element, so the bits are the SSE path's.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn tiled_avx512<T: Real>(c: &mut [T], a: Lhs<T>, b: &[T], m: usize, k: usize, n: usize, cols: Range<usize>) {
    use std::any::TypeId;
    let t = TypeId::of::<T>();
    if t == TypeId::of::<f32>() {
        // SAFETY: T is f32, so the casts are the identity.
        let (c, aa, b) = unsafe {
            (
                &mut *(c as *mut [T] as *mut [f32]),
                &*(a.a as *const [T] as *const [f32]),
                &*(b as *const [T] as *const [f32]),
            )
        };
        avx512::tiled_f32(c, Lhs { a: aa, row: a.row, col: a.col }, b, m, k, n, cols)
    } else if t == TypeId::of::<f64>() {
        // SAFETY: T is f64, as above.
        let (c, aa, b) = unsafe {
            (
                &mut *(c as *mut [T] as *mut [f64]),
                &*(a.a as *const [T] as *const [f64]),
                &*(b as *const [T] as *const [f64]),
            )
        };
        avx512::tiled_f64(c, Lhs { a: aa, row: a.row, col: a.col }, b, m, k, n, cols)
    } else {
        tiled::<T, 4, 16>(c, a, b, m, k, n, cols)
    }
}

#[inline(always)]
fn tiled<T: Real, const R: usize, const W: usize>(
    c: &mut [T],
    a: Lhs<T>,
    b: &[T],
    m: usize,
    k: usize,
    n: usize,
    cols: Range<usize>,
) {
    let end = cols.end;
    for i0 in (0..m).step_by(MC) {
        let rows = i0..(i0 + MC).min(m);
        let mut j = cols.start;
        while j + W <= end {
            strip::<T, R, W>(c, a, b, k, n, rows.clone(), j);
            j += W;
        }
        // The leftover columns in narrower strips, then one column at a time.
        if W > 16 && j + 16 <= end {
            strip::<T, R, 16>(c, a, b, k, n, rows.clone(), j);
            j += 16;
        }
        if W > 8 && j + 8 <= end {
            strip::<T, R, 8>(c, a, b, k, n, rows.clone(), j);
            j += 8;
        }
        if W > 4 && j + 4 <= end {
            strip::<T, R, 4>(c, a, b, k, n, rows.clone(), j);
            j += 4;
        }
        // Single columns take 8 rows per tile: a lone column has no vector
        // width to hide the add latency behind, so it needs more
        // independent sums in flight (this is the whole of C for the
        // readout's B x N times N x K products).
        while j < end {
            strip::<T, 8, 1>(c, a, b, k, n, rows.clone(), j);
            j += 1;
        }
    }
}

/// Columns `j..j + W` of the rows `rows` of C: tiles of `R` rows, then single rows.
#[inline(always)]
fn strip<T: Real, const R: usize, const W: usize>(
    c: &mut [T],
    a: Lhs<T>,
    b: &[T],
    k: usize,
    n: usize,
    rows: Range<usize>,
    j: usize,
) {
    let full = rows.end - rows.len() % R;
    for i in (rows.start..full).step_by(R) {
        tile::<T, R, W>(c, a, b, k, n, i, j);
    }
    for i in full..rows.end {
        tile::<T, 1, W>(c, a, b, k, n, i, j);
    }
}

/// `C[i..i+R, j..j+W] += A[i..i+R, :] * B[:, j..j+W]`, the tile held in
/// registers across the whole `k` loop.
#[inline(always)]
#[allow(clippy::needless_range_loop)] // `p` indexes R rows of A at once.
fn tile<T: Real, const R: usize, const W: usize>(
    c: &mut [T],
    a: Lhs<T>,
    b: &[T],
    k: usize,
    n: usize,
    i: usize,
    j: usize,
) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        // W / lanes vectors per row (a const generic cannot be computed on stable Rust).
        if let (Some(c), Some(aa), Some(b)) =
            (simd128::cast_mut::<T, f32>(c), simd128::cast::<T, f32>(a.a), simd128::cast::<T, f32>(b))
        {
            let a = Lhs { a: aa, row: a.row, col: a.col };
            match W {
                16 => return simd128::tile_f32::<R, 4>(c, a, b, k, n, i, j),
                8 => return simd128::tile_f32::<R, 2>(c, a, b, k, n, i, j),
                4 => return simd128::tile_f32::<R, 1>(c, a, b, k, n, i, j),
                _ => {}
            }
        } else if let (Some(c), Some(aa), Some(b)) =
            (simd128::cast_mut::<T, f64>(c), simd128::cast::<T, f64>(a.a), simd128::cast::<T, f64>(b))
        {
            let a = Lhs { a: aa, row: a.row, col: a.col };
            match W {
                8 => return simd128::tile_f64::<R, 4>(c, a, b, k, n, i, j),
                4 => return simd128::tile_f64::<R, 2>(c, a, b, k, n, i, j),
                _ => {}
            }
        }
    }
    let mut acc = [[T::ZERO; W]; R];
    for (r, row) in acc.iter_mut().enumerate() {
        row.copy_from_slice(&c[(i + r) * n + j..][..W]);
    }
    let b_row = |p: usize| -> &[T; W] { b[p * n + j..][..W].try_into().unwrap() };
    if a.col == 1 {
        // Plain layout: tile row r reads row i + r of A. Slicing the rows up
        // front lets the compiler drop the bounds checks from the k loop.
        let rows: [&[T]; R] = std::array::from_fn(|r| &a.a[(i + r) * a.row..][..k]);
        for p in 0..k {
            update(&mut acc, std::array::from_fn(|r| rows[r][p]), b_row(p));
        }
    } else {
        // Transposed layout: the tile's R values for one p sit side by side.
        for p in 0..k {
            let ap: &[T; R] = a.a[p * a.col + i..][..R].try_into().unwrap();
            update(&mut acc, *ap, b_row(p));
        }
    }
    for (r, row) in acc.iter().enumerate() {
        c[(i + r) * n + j..][..W].copy_from_slice(row);
    }
}

/// One step of every sum in the tile: `acc[r][j] += a[r] * b[j]`, a rounded
/// multiply, then a rounded add.
#[inline(always)]
fn update<T: Real, const R: usize, const W: usize>(acc: &mut [[T; W]; R], a: [T; R], b: &[T; W]) {
    for r in 0..R {
        for j in 0..W {
            acc[r][j] += a[r] * b[j];
        }
    }
}

/// The tile in explicit wasm simd128 operations, for f32 and f64 in the wasm build.
///
/// LLVM already vectorises the generic tile, but not reliably (and with two
/// bounds checks per step of `k`); here every step of the k loop is spelled
/// out: one splat per row of A, one `v128.load` per vector of columns of B,
/// and per accumulator a `mul` then an `add`. Each lane is one output
/// element, so its sum is still `c + a0 b0 + a1 b1 + ...` in increasing k,
/// each product and sum rounded on its own (no FMA, no relaxed-simd): the
/// bits of the scalar loop, and of the native build.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd128 {
    use super::{Lhs, Real};
    use core::arch::wasm32::*;
    use std::any::TypeId;

    /// `s` as `&[U]` when `T` is `U`.
    pub fn cast<T: Real, U: 'static>(s: &[T]) -> Option<&[U]> {
        // SAFETY: T is U, so the cast is the identity.
        (TypeId::of::<T>() == TypeId::of::<U>()).then(|| unsafe { &*(s as *const [T] as *const [U]) })
    }

    pub fn cast_mut<T: Real, U: 'static>(s: &mut [T]) -> Option<&mut [U]> {
        // SAFETY: as in `cast`.
        (TypeId::of::<T>() == TypeId::of::<U>()).then(|| unsafe { &mut *(s as *mut [T] as *mut [U]) })
    }

    macro_rules! kernel {
        ($tile:ident, $t:ty, $lanes:expr, $splat:ident, $load_splat:ident, $mul:ident, $add:ident) => {
            /// `C[i..i+R, j..j+lanes*V] += A[i..i+R, :] * B[:, j..j+lanes*V]`.
            #[inline(always)]
            pub fn $tile<const R: usize, const V: usize>(
                c: &mut [$t],
                a: Lhs<$t>,
                b: &[$t],
                k: usize,
                n: usize,
                i: usize,
                j: usize,
            ) {
                // Bounds, checked once here instead of at every load below: the
                // last element of each operand the tile touches.
                let (w, last) = ($lanes * V, k.max(1) - 1);
                assert!((i + R - 1) * n + j + w <= c.len() && last * n + j + w <= b.len());
                assert!((i + R - 1) * a.row + last * a.col < a.a.len() || k == 0);
                // SAFETY: every pointer below stays within the ranges asserted above.
                unsafe {
                    let cp = c.as_mut_ptr().add(i * n + j);
                    let mut acc = [[$splat(0.0); V]; R];
                    for r in 0..R {
                        for v in 0..V {
                            acc[r][v] = v128_load(cp.add(r * n + $lanes * v) as *const v128);
                        }
                    }
                    let (mut ap, mut bp) = (a.a.as_ptr().add(i * a.row), b.as_ptr().add(j));
                    for _ in 0..k {
                        let ar: [v128; R] = std::array::from_fn(|r| $load_splat(ap.add(r * a.row) as *const _));
                        for v in 0..V {
                            let bv = v128_load(bp.add($lanes * v) as *const v128);
                            for r in 0..R {
                                acc[r][v] = $add(acc[r][v], $mul(ar[r], bv));
                            }
                        }
                        ap = ap.add(a.col);
                        bp = bp.add(n);
                    }
                    for r in 0..R {
                        for v in 0..V {
                            v128_store(cp.add(r * n + $lanes * v) as *mut v128, acc[r][v]);
                        }
                    }
                }
            }
        };
    }

    kernel!(tile_f32, f32, 4, f32x4_splat, v128_load32_splat, f32x4_mul, f32x4_add);
    kernel!(tile_f64, f64, 2, f64x2_splat, v128_load64_splat, f64x2_mul, f64x2_add);
}

/// The register tile in explicit `core::arch::x86_64` AVX-512F operations.
///
/// LLVM vectorises the generic tile with zmm registers under `avx512f`, but
/// for a 4 x 32 f32 tile it kept the accumulators in memory (a load and a
/// store per add); here every step of the k loop is spelled out, as in `mod
/// simd128`: one broadcast per row of A, one load per 16 f32 (8 f64) columns
/// of B, and per accumulator a `vmulps` then a `vaddps` (`pd` for f64), all
/// 16 accumulators of an 8 x 32 f32 tile in registers. The last `n % lanes`
/// columns take masked loads and stores instead of narrower or scalar
/// strips. Each lane is one output element and its sum runs in increasing k,
/// each product and sum rounded on its own (no FMA): the bits of the scalar
/// loop, of SSE, AVX and wasm. 8 rows per tile: on the 2-core AVX-512 Xeon
/// development machine, 8 x 32 f32 was faster than 4 x 32 and 6 x 32.
#[cfg(target_arch = "x86_64")]
mod avx512 {
    use super::{Lhs, MC};
    use core::arch::x86_64::*;
    use std::ops::Range;

    macro_rules! kernel {
        ($tiled:ident, $tile:ident, $t:ty, $lanes:expr, $mask:ty, $zero:ident, $load:ident, $store:ident, $maskz_load:ident, $mask_store:ident, $set1:ident, $mul:ident, $add:ident) => {
            /// `tiled` with explicit tiles: strips of `2 * lanes` columns, then
            /// one of `lanes`, then one of the last `n % lanes` columns in
            /// masked vectors (the lanes beyond `n` are neither read nor
            /// written). Rows in tiles of 8, then 4, then 1.
            #[target_feature(enable = "avx512f")]
            pub fn $tiled(c: &mut [$t], a: Lhs<$t>, b: &[$t], m: usize, k: usize, n: usize, cols: Range<usize>) {
                const L: usize = $lanes;
                if k == 0 {
                    return; // c += nothing
                }
                for i0 in (0..m).step_by(MC) {
                    let end = (i0 + MC).min(m);
                    // Columns j..j + w in V vectors: every row of the panel.
                    macro_rules! strip {
                        ($v:literal, $j:expr, $w:expr) => {{
                            let mut i = i0;
                            while i + 8 <= end {
                                $tile::<8, $v>(c, a, b, k, n, i, $j, $w);
                                i += 8;
                            }
                            if i + 4 <= end {
                                $tile::<4, $v>(c, a, b, k, n, i, $j, $w);
                                i += 4;
                            }
                            while i < end {
                                $tile::<1, $v>(c, a, b, k, n, i, $j, $w);
                                i += 1;
                            }
                        }};
                    }
                    let mut j = cols.start;
                    while j + 2 * L <= cols.end {
                        strip!(2, j, 2 * L);
                        j += 2 * L;
                    }
                    if j + L <= cols.end {
                        strip!(1, j, L);
                        j += L;
                    }
                    if j < cols.end {
                        strip!(1, j, cols.end - j);
                    }
                }
            }

            /// `C[i..i+R, j..j+w] += A[i..i+R, :] * B[:, j..j+w]` in V vectors per
            /// row, `k > 0`, `lanes * (V - 1) < w <= lanes * V`; a partial last
            /// vector is loaded and stored under a mask.
            #[target_feature(enable = "avx512f")]
            #[inline]
            #[allow(clippy::too_many_arguments)]
            fn $tile<const R: usize, const V: usize>(
                c: &mut [$t],
                a: Lhs<$t>,
                b: &[$t],
                k: usize,
                n: usize,
                i: usize,
                j: usize,
                w: usize,
            ) {
                // Bounds, checked once here instead of at every load below:
                // the last element of each operand the tile touches.
                let last = k - 1;
                assert!(w <= $lanes * V && w > $lanes * (V - 1));
                assert!((i + R - 1) * n + j + w <= c.len() && last * n + j + w <= b.len());
                assert!((i + R - 1) * a.row + last * a.col < a.a.len());
                // The lanes of the last vector that hold columns.
                let tail = w - $lanes * (V - 1);
                let mask = if tail == $lanes { <$mask>::MAX } else { ((1u32 << tail) - 1) as $mask };
                // SAFETY: every pointer below stays within the ranges asserted
                // above, and the masked loads and stores touch no lane beyond
                // column j + w.
                unsafe {
                    let load = |p: *const $t, v: usize| {
                        if v + 1 < V {
                            $load(p.add($lanes * v))
                        } else {
                            $maskz_load(mask, p.add($lanes * v))
                        }
                    };
                    let cp = c.as_mut_ptr().add(i * n + j);
                    let mut acc = [[$zero(); V]; R];
                    for r in 0..R {
                        for v in 0..V {
                            acc[r][v] = load(cp.add(r * n), v);
                        }
                    }
                    let (mut ap, mut bp) = (a.a.as_ptr().add(i * a.row), b.as_ptr().add(j));
                    for _ in 0..k {
                        let mut ar = [$zero(); R];
                        for r in 0..R {
                            ar[r] = $set1(*ap.add(r * a.row));
                        }
                        for v in 0..V {
                            let bv = load(bp, v);
                            for r in 0..R {
                                acc[r][v] = $add(acc[r][v], $mul(ar[r], bv));
                            }
                        }
                        ap = ap.add(a.col);
                        bp = bp.add(n);
                    }
                    for r in 0..R {
                        for v in 0..V {
                            if v + 1 < V {
                                $store(cp.add(r * n + $lanes * v), acc[r][v]);
                            } else {
                                $mask_store(cp.add(r * n + $lanes * v), mask, acc[r][v]);
                            }
                        }
                    }
                }
            }
        };
    }

    kernel!(
        tiled_f32,
        tile_f32,
        f32,
        16,
        __mmask16,
        _mm512_setzero_ps,
        _mm512_loadu_ps,
        _mm512_storeu_ps,
        _mm512_maskz_loadu_ps,
        _mm512_mask_storeu_ps,
        _mm512_set1_ps,
        _mm512_mul_ps,
        _mm512_add_ps
    );
    kernel!(
        tiled_f64,
        tile_f64,
        f64,
        8,
        __mmask8,
        _mm512_setzero_pd,
        _mm512_loadu_pd,
        _mm512_storeu_pd,
        _mm512_maskz_loadu_pd,
        _mm512_mask_storeu_pd,
        _mm512_set1_pd,
        _mm512_mul_pd,
        _mm512_add_pd
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    fn random<T: Real>(len: usize, rng: &mut Rng) -> Vec<T> {
        (0..len).map(|_| T::from_f64(rng.normal())).collect()
    }

    /// The reference: a plain triple loop summing in increasing k.
    fn naive<T: Real>(a: impl Fn(usize, usize) -> T, b: &[T], m: usize, k: usize, n: usize, c0: &[T]) -> Vec<T> {
        let mut c = c0.to_vec();
        for i in 0..m {
            for j in 0..n {
                let mut s = c[i * n + j];
                for p in 0..k {
                    s += a(i, p) * b[p * n + j];
                }
                c[i * n + j] = s;
            }
        }
        c
    }

    fn bits<T: Real>(v: &[T]) -> Vec<u64> {
        v.iter().map(|x| x.to_f64().to_bits()).collect()
    }

    type Kernel<T> = fn(&mut [T], Lhs<T>, &[T], usize, usize, usize, Range<usize>);

    /// Odd sizes reach every path: partial row tiles, the 16-, 8-, 4- and
    /// 1-wide leftover strips, more than one row panel (m > 64), k = 0 and 1.
    fn check_against_naive<T: Real>(seed: u64, gemm: Kernel<T>) {
        let mut rng = Rng::new(seed, 0);
        let shapes = [
            (7, 13, 5),
            (33, 301, 299),
            (4, 1, 1),
            (1, 9, 8),
            (130, 17, 29),
            (3, 0, 6),
            (2, 5, 31),
            (65, 32, 300),
            (5, 7, 61),
        ];
        for (m, k, n) in shapes {
            let a: Vec<T> = random(m * k, &mut rng);
            let b: Vec<T> = random(k * n, &mut rng);
            let c0: Vec<T> = random(m * n, &mut rng);
            let mut c = c0.clone();
            gemm(&mut c, Lhs { a: &a, row: k, col: 1 }, &b, m, k, n, 0..n);
            assert_eq!(bits(&c), bits(&naive(|i, p| a[i * k + p], &b, m, k, n, &c0)), "nn {m}x{k}x{n}");
            let at: Vec<T> = random(k * m, &mut rng);
            let mut c = c0.clone();
            gemm(&mut c, Lhs { a: &at, row: 1, col: m }, &b, m, k, n, 0..n);
            assert_eq!(bits(&c), bits(&naive(|i, p| at[p * m + i], &b, m, k, n, &c0)), "tn {m}x{k}x{n}");
        }
    }

    /// The kernel the engine calls (AVX where the CPU has it), and the
    /// 128-bit tiles of every x86_64 CPU and of wasm (whose explicit simd128
    /// version tests/wasm/parity.test.mjs checks against the native build).
    #[test]
    fn blocked_kernels_give_the_naive_bits() {
        check_against_naive::<f32>(1, gemm);
        check_against_naive::<f32>(1, tiled::<f32, 2, 16>);
        check_against_naive::<f32>(1, tiled::<f32, 4, 8>);
    }

    #[test]
    fn blocked_kernels_give_the_naive_bits_f64() {
        check_against_naive::<f64>(2, gemm);
        check_against_naive::<f64>(2, tiled::<f64, 2, 8>);
    }

    /// Every path this CPU has (plain 128-bit tiles, AVX, AVX-512F) on shapes
    /// that are no multiple of any tile (m, k, n), with both layouts of A:
    /// the outputs are identical bit for bit, and equal to the triple loop's.
    fn paths_agree<T: Real>(seed: u64) {
        let mut paths: Vec<(&str, Kernel<T>)> = vec![("plain", |c, a, b, m, k, n, cols| {
            if std::mem::size_of::<T>() == 4 {
                tiled::<T, 2, 16>(c, a, b, m, k, n, cols)
            } else {
                tiled::<T, 2, 8>(c, a, b, m, k, n, cols)
            }
        })];
        #[cfg(target_arch = "x86_64")]
        {
            if std::is_x86_feature_detected!("avx") {
                // SAFETY: the CPU has AVX.
                paths.push(("avx", |c, a, b, m, k, n, cols| unsafe { tiled_avx(c, a, b, m, k, n, cols) }));
            } else {
                eprintln!("no AVX on this CPU: its path is not tested");
            }
            if std::is_x86_feature_detected!("avx512f") {
                // SAFETY: the CPU has AVX-512F.
                paths.push(("avx512", |c, a, b, m, k, n, cols| unsafe { tiled_avx512(c, a, b, m, k, n, cols) }));
            } else {
                eprintln!("no AVX-512F on this CPU: its path is not tested");
            }
        }
        let mut rng = Rng::new(seed, 0);
        let shapes = [
            (67, 301, 61),
            (33, 37, 300),
            (5, 3, 47),
            (130, 1, 95),
            (3, 0, 33),
            (1, 17, 15),
            (9, 64, 16),
            (66, 12, 129),
            (7, 5, 1),
        ];
        for (m, k, n) in shapes {
            let a: Vec<T> = random(m * k, &mut rng);
            let b: Vec<T> = random(k * n, &mut rng);
            let c0: Vec<T> = random(m * n, &mut rng);
            for (layout, lhs, reference) in [
                ("nn", Lhs { a: &a, row: k, col: 1 }, naive(|i, p| a[i * k + p], &b, m, k, n, &c0)),
                ("tn", Lhs { a: &a, row: 1, col: m }, naive(|i, p| a[p * m + i], &b, m, k, n, &c0)),
            ] {
                for (name, gemm) in &paths {
                    let mut c = c0.clone();
                    gemm(&mut c, lhs, &b, m, k, n, 0..n);
                    assert_eq!(bits(&c), bits(&reference), "{name} {layout} {m}x{k}x{n}");
                    // A range of columns: those as in the whole product, the rest untouched.
                    let cols = n / 3..n - n / 5;
                    let mut c = c0.clone();
                    gemm(&mut c, lhs, &b, m, k, n, cols.clone());
                    let want: Vec<T> =
                        (0..m * n).map(|x| if cols.contains(&(x % n)) { reference[x] } else { c0[x] }).collect();
                    assert_eq!(bits(&c), bits(&want), "{name} {layout} {m}x{k}x{n} columns {cols:?}");
                }
            }
        }
    }

    #[test]
    fn every_simd_path_gives_the_same_bits() {
        paths_agree::<f32>(3);
        paths_agree::<f64>(4);
    }

    #[test]
    fn public_entry_points_match_the_layouts() {
        let (m, k, n) = (3, 4, 5);
        let a: Vec<f64> = (0..m * k).map(|x| x as f64).collect();
        let at: Vec<f64> = (0..k * m).map(|x| (x % m * k + x / m) as f64).collect(); // a transposed
        let b: Vec<f64> = (0..k * n).map(|x| 1.0 / (x + 1) as f64).collect();
        let (mut c1, mut c2) = (vec![0.5; m * n], vec![0.5; m * n]);
        gemm_nn(&mut c1, &a, &b, m, k, n);
        gemm_tn(&mut c2, &at, &b, m, k, n);
        assert_eq!(bits(&c1), bits(&c2));
        assert_eq!(bits(&c1), bits(&naive(|i, p| a[i * k + p], &b, m, k, n, &[0.5; 15])));
    }
}
