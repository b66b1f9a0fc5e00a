//! A fresh seed for the page's "new seed" button, drawn from the browser's Web Crypto through
//! getrandom's JS backend. Only that button calls it: a seeded run never draws from here, so the
//! new run is as reproducible as any other (the seed goes into the field and the link).

use crate::settings::{Code, SettingError};
use wasm_bindgen::prelude::*;

/// A uniform seed in `lo..=hi` (a seed field's range from its schema; at most 2^53 - 1 wide, a
/// JavaScript number's exact integers). Rejection sampling keeps every value equally likely.
#[wasm_bindgen]
pub fn fresh_seed(lo: f64, hi: f64) -> Result<f64, JsValue> {
    const EXACT: f64 = 9_007_199_254_740_991.0; // 2^53 - 1
    if !(lo.is_finite() && hi.is_finite() && lo >= 0.0 && lo <= hi && hi <= EXACT) {
        let message = format!("fresh_seed: the range {lo}..{hi} is not one of whole numbers from 0 to 2^53 - 1");
        return Err(super::thrown(&SettingError::new("seed", Code::Range, message)));
    }
    let (lo, span) = (lo as u64, (hi - lo) as u64 + 1);
    // The largest multiple of span that fits in u64's 2^64 values: draws at or above it are redrawn.
    let zone = u64::MAX - (u64::MAX % span + 1) % span;
    loop {
        let mut b = [0u8; 8];
        getrandom::fill(&mut b).map_err(|e| {
            super::thrown(&SettingError::new("seed", Code::MissingData, format!("fresh_seed: no random source ({e})")))
        })?;
        let x = u64::from_le_bytes(b);
        if x <= zone {
            return Ok((lo + x % span) as f64);
        }
    }
}
