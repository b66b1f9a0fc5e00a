//! scikit-learn's 8x8 handwritten digits (1,797 images, BSD-3; `data/digits.bin`, derived by
//! `tools/digits/derive.py`, see data/PROVENANCE.md), labelled by parity as the authors label
//! MNIST: even +1, odd -1.
//!
//! Ours: the preprocessing. Pixels (0..16) are divided by 16, the mean over every pixel of every
//! image is subtracted (one number, as the authors' MNIST constants), and each image is scaled to
//! norm sqrt(64), the authors' "datum norm = d". The train set is the first P of a seeded shuffle,
//! the test set the rest.

use crate::rng::Rng;

/// 1797 records of 64 pixels and the digit.
const RAW: &[u8] = include_bytes!("../../../data/digits.bin");
pub const N: usize = 1797;
pub const D: usize = 64;

/// The RNG stream of the train/test split.
const SPLIT_STREAM: u64 = 0x5d1_0001;

pub fn digit(i: usize) -> u8 {
    RAW[i * (D + 1) + D]
}

/// Inputs (row-major, D per image) and ±1 labels.
#[derive(Clone, Debug)]
pub struct Set {
    pub x: Vec<f64>,
    pub y: Vec<f64>,
}

impl Set {
    pub fn len(&self) -> usize {
        self.y.len()
    }

    pub fn input(&self, i: usize) -> &[f64] {
        &self.x[i * D..(i + 1) * D]
    }
}

/// Every image, preprocessed, in file order.
fn all() -> Set {
    let pixel = |i: usize, j: usize| RAW[i * (D + 1) + j] as f64 / 16.0;
    let mut mean = 0.0;
    for i in 0..N {
        for j in 0..D {
            mean += pixel(i, j);
        }
    }
    mean /= (N * D) as f64;
    let mut x = Vec::with_capacity(N * D);
    for i in 0..N {
        let row: Vec<f64> = (0..D).map(|j| pixel(i, j) - mean).collect();
        let mut sq = 0.0;
        for v in &row {
            sq += v * v;
        }
        let s = (D as f64 / sq).sqrt();
        x.extend(row.iter().map(|v| v * s));
    }
    let y = (0..N).map(|i| if digit(i).is_multiple_of(2) { 1.0 } else { -1.0 }).collect();
    Set { x, y }
}

/// The first `p` images of the seed's shuffle for training, the rest for testing.
pub fn split(p: usize, seed: u64) -> (Set, Set) {
    assert!(p < N);
    let data = all();
    let mut order: Vec<usize> = (0..N).collect();
    Rng::new(seed, SPLIT_STREAM).shuffle(&mut order);
    let pick = |idx: &[usize]| Set {
        x: idx.iter().flat_map(|&i| data.input(i).iter().copied()).collect(),
        y: idx.iter().map(|&i| data.y[i]).collect(),
    };
    (pick(&order[..p]), pick(&order[p..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_matches_its_recorded_hash_shape_and_labels() {
        assert_eq!(RAW.len(), N * (D + 1));
        // FNV-1a 64 of data/digits.bin (data/PROVENANCE.md also gives its sha256).
        assert_eq!(crate::init::file::fnv1a(RAW.iter().copied()), 0x7768_69cc_e379_5967);
        let mut counts = [0usize; 10];
        for i in 0..N {
            counts[digit(i) as usize] += 1;
        }
        assert_eq!(counts, [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
        assert!(RAW.chunks(D + 1).all(|r| r[..D].iter().all(|&p| p <= 16)));
        // The first image is the csv's first row, a zero.
        assert_eq!(&RAW[..16], &[0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0]);
        assert_eq!(digit(0), 0);
    }

    #[test]
    fn preprocessing_and_split() {
        let (train, test) = split(1000, 4);
        assert_eq!((train.len(), test.len(), train.x.len()), (1000, 797, 1000 * D));
        for s in [&train, &test] {
            for i in 0..s.len() {
                let sq: f64 = s.input(i).iter().map(|v| v * v).sum();
                assert!((sq - D as f64).abs() < 1e-9);
            }
        }
        let even = train.y.iter().chain(&test.y).filter(|&&y| y == 1.0).count();
        assert_eq!(even, 178 + 177 + 181 + 181 + 174);
        // Another seed, another split; the same seed, the same one.
        assert_ne!(split(1000, 5).0.x, train.x);
        assert_eq!(split(1000, 4).0.x, train.x);
    }
}
