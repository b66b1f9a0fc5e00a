//! Large products split across threads, same bits: each output element is still summed by one lane
//! in its fixed order (the kernels' tiling never changes an element's sum), so only which thread
//! computes it changes. Native only (wasm stays on one thread), and only for products whose two
//! large dimensions are at least `MIN_DIM`, so that runs at N 100-300 stay single-threaded; the
//! caller sets the lanes for the current thread (`with_lanes`), threads it spawns have one.

use std::cell::Cell;

/// The smallest large dimension (N) at which a product is split.
pub const MIN_DIM: usize = 512;

thread_local! {
    static LANES: Cell<usize> = const { Cell::new(1) };
}

/// Runs `f` with products on this thread split over up to `lanes` threads.
pub fn with_lanes<R>(lanes: usize, f: impl FnOnce() -> R) -> R {
    let old = LANES.with(|l| l.replace(lanes.max(1)));
    let r = f();
    LANES.with(|l| l.set(old));
    r
}

/// The threads to split an `m x k` by `k x n` product over (natively; the wasm has one).
#[cfg(not(target_arch = "wasm32"))]
pub(super) fn lanes(m: usize, k: usize, n: usize) -> usize {
    let mut d = [m, k, n];
    d.sort_unstable();
    if d[1] < MIN_DIM {
        return 1;
    }
    LANES.with(Cell::get)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::{gemm_nn, gemm_tn};

    #[test]
    fn split_products_have_the_bits_of_one_thread() {
        let fill = |len: usize, s: f32| (0..len).map(|i| (i as f32 * s).sin() * 3.0).collect::<Vec<f32>>();
        // A batch-high product (split by columns) and a tall one (split by rows), N past MIN_DIM.
        for (m, k, n) in [(7, MIN_DIM + 3, MIN_DIM + 5), (MIN_DIM + 1, 9, MIN_DIM)] {
            let (a, b) = (fill(m * k, 0.37), fill(k * n, 0.11));
            let at = fill(k * m, 0.23);
            let run = |lanes| {
                with_lanes(lanes, || {
                    let (mut c, mut d) = (fill(m * n, 0.5), fill(m * n, 0.5));
                    gemm_nn(&mut c, &a, &b, m, k, n);
                    gemm_tn(&mut d, &at, &b, m, k, n);
                    (c, d)
                })
            };
            let one = run(1);
            for lanes in [2, 3] {
                assert_eq!(run(lanes), one, "{m}x{k}x{n} on {lanes} lanes");
            }
        }
        assert_eq!(lanes(32, 300, 300), 1, "N 300 stays on one thread");
    }
}
