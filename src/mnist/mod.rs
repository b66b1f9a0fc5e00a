//! MNIST for the sequential-MNIST task: LeCun's four IDX files, bundled gzip'd in `data/mnist/`
//! (provenance in `data/PROVENANCE.md`, fetched and checked by `tools/fetch-mnist.sh`).
//!
//! The engine keeps one copy per process (natively) or per wasm instance (each page worker).
//! Natively it reads `data/mnist/` of this source tree on first use; the page fetches the files
//! when the task is chosen, decompresses them and hands the raw IDX bytes to `load`.

#[cfg(not(target_arch = "wasm32"))]
pub mod gzip;
pub mod idx;

use crate::settings::{Code, SettingError};
use std::sync::{Arc, Mutex};

/// Image side in pixels: 28 rows of 28.
pub const SIDE: usize = 28;
pub const CLASSES: usize = 10;

/// The four files, as LeCun named them, in the order `load` takes them.
pub const FILES: [&str; 4] =
    ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

/// One split: `len` images of SIDE x SIDE bytes (0 white .. 255 black), row-major, and their digits.
#[derive(Debug, PartialEq)]
pub struct Digits {
    pub images: Vec<u8>,
    pub labels: Vec<u8>,
}

impl Digits {
    /// From an images file ([n, 28, 28]) and a labels file ([n], digits 0-9), raw IDX bytes.
    pub fn from_idx(images: &[u8], labels: &[u8]) -> Result<Digits, SettingError> {
        let (im, lb) = (idx::parse(images)?, idx::parse(labels)?);
        let n = match (&im.dims[..], &lb.dims[..]) {
            ([n, SIDE, SIDE], [m]) if n == m => *n,
            _ => {
                return Err(malformed(format!(
                    "MNIST: images {:?} and labels {:?} are not [n, 28, 28] and [n]",
                    im.dims, lb.dims
                )))
            }
        };
        if n == 0 {
            return Err(malformed("MNIST: no images"));
        }
        if let Some(i) = lb.data.iter().position(|&l| l as usize >= CLASSES) {
            return Err(malformed(format!("MNIST: label {} of image {i} is not a digit", lb.data[i])));
        }
        Ok(Digits { images: im.data.to_vec(), labels: lb.data.to_vec() })
    }

    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Image `i`, SIDE x SIDE bytes.
    pub fn image(&self, i: usize) -> &[u8] {
        &self.images[i * SIDE * SIDE..(i + 1) * SIDE * SIDE]
    }
}

/// Training and test splits.
#[derive(Debug, PartialEq)]
pub struct Mnist {
    pub train: Digits,
    pub test: Digits,
}

impl Mnist {
    /// From the four raw IDX files in `FILES` order.
    pub fn from_idx(files: [&[u8]; 4]) -> Result<Mnist, SettingError> {
        Ok(Mnist { train: Digits::from_idx(files[0], files[1])?, test: Digits::from_idx(files[2], files[3])? })
    }
}

/// MNIST data that is not MNIST; the key is the setting that needs it.
fn malformed(message: impl Into<String>) -> SettingError {
    SettingError::new("task", Code::Format, message)
}

static LOADED: Mutex<Option<Arc<Mnist>>> = Mutex::new(None);

/// Makes `m` the data the sMNIST task draws from.
pub fn load(m: Mnist) {
    *LOADED.lock().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(m));
}

/// The data, loading the bundled files on first use natively; the message says what to do.
pub fn get() -> Result<Arc<Mnist>, SettingError> {
    let mut slot = LOADED.lock().unwrap_or_else(|e| e.into_inner());
    if slot.is_none() {
        *slot = Some(Arc::new(bundled()?));
    }
    Ok(slot.as_ref().expect("just loaded").clone())
}

/// Where the bundled files are.
#[cfg(not(target_arch = "wasm32"))]
pub const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/mnist");

/// The bundled files, decompressed and parsed (about a second).
#[cfg(not(target_arch = "wasm32"))]
pub fn bundled() -> Result<Mnist, SettingError> {
    let read = |name: &str| -> Result<Vec<u8>, SettingError> {
        let path = format!("{DIR}/{name}.gz");
        let gz = std::fs::read(&path).map_err(|e| {
            SettingError::new(
                "task",
                Code::MissingData,
                format!("{path}: {e} (tools/fetch-mnist.sh fetches the MNIST files)"),
            )
        })?;
        gzip::gunzip(&gz).map_err(|e| e.within(&path))
    };
    let raw = FILES.map(read);
    let [a, b, c, d] = raw;
    Mnist::from_idx([&a?, &b?, &c?, &d?])
}

#[cfg(target_arch = "wasm32")]
fn bundled() -> Result<Mnist, SettingError> {
    Err(SettingError::new(
        "task",
        Code::MissingData,
        "smnist: the MNIST data is not loaded here (the page loads it when the task is chosen)",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An IDX file of unsigned bytes.
    fn idx_bytes(dims: &[u32], data: &[u8]) -> Vec<u8> {
        let mut b = vec![0, 0, 8, dims.len() as u8];
        dims.iter().for_each(|d| b.extend(d.to_be_bytes()));
        b.extend(data);
        b
    }

    #[test]
    fn splits_pair_images_with_digit_labels() {
        let pixels: Vec<u8> = (0..2 * 784).map(|i| (i % 251) as u8).collect();
        let d = Digits::from_idx(&idx_bytes(&[2, 28, 28], &pixels), &idx_bytes(&[2], &[7, 3])).unwrap();
        assert_eq!((d.len(), d.image(1)[0], d.labels[1]), (2, (784 % 251) as u8, 3));
        let e = Digits::from_idx(&idx_bytes(&[2, 28, 28], &pixels), &idx_bytes(&[2], &[7, 10])).unwrap_err();
        assert!(e.message.contains("label 10 of image 1"), "{e}");
        let e = Digits::from_idx(&idx_bytes(&[1, 56, 28], &pixels[..]), &idx_bytes(&[1], &[7])).unwrap_err();
        assert!(e.message.contains("not [n, 28, 28] and [n]"), "{e}");
        let e = Digits::from_idx(&idx_bytes(&[2, 28, 28], &pixels), &idx_bytes(&[3], &[1, 2, 3])).unwrap_err();
        assert!(e.message.contains("[2, 28, 28]"), "{e}");
    }
}
