//! Gzip decoding for the bundled MNIST files (11 MB instead of 55), natively only: the page uses
//! the browser's DecompressionStream. `flate2` checks the trailer's CRC-32 and length, so a
//! damaged file is refused rather than read wrong.

use super::malformed;
use crate::settings::SettingError;
use std::io::Read;

/// The bytes a single-member gzip file holds.
pub fn gunzip(gz: &[u8]) -> Result<Vec<u8>, SettingError> {
    if !gz.starts_with(&[0x1f, 0x8b]) {
        return Err(malformed("gzip: not a gzip file (no 1f 8b at the start)"));
    }
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(gz).read_to_end(&mut out).map_err(|e| malformed(format!("gzip: {e}")))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{write::GzEncoder, Compression};
    use std::io::Write;

    fn gzip(content: &[u8], level: Compression) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), level);
        e.write_all(content).unwrap();
        e.finish().unwrap()
    }

    /// `printf aaaaaaaaaa | gzip -n`: fixed codes, one literal, then a copy of 9 at distance 1.
    const TEN_A: [u8; 23] =
        [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0x4b, 0x4c, 0x84, 0x01, 0x00, 0xf0, 0xcd, 0x11, 0x4c, 0x0a, 0, 0, 0];

    #[test]
    fn stored_fixed_and_dynamic_blocks_decode() {
        assert_eq!(gunzip(&TEN_A).unwrap(), b"aaaaaaaaaa");
        // Level 0 writes stored blocks, level 9 on varied text dynamic ones.
        let text: Vec<u8> = (0..20_000u32).flat_map(|i| (i * 7919 % 1000).to_string().into_bytes()).collect();
        for level in [Compression::none(), Compression::best()] {
            assert_eq!(gunzip(&gzip(&text, level)).unwrap(), text);
        }
        // The bundled label files are checked against their published MD5s in tests/mnist.rs.
    }

    #[test]
    fn damage_is_refused() {
        let gz = TEN_A;
        // The trailer: CRC-32 in bytes 15..19, length in 19..23 (flate2 names both "checksum").
        let mut bad_crc = gz;
        bad_crc[15] ^= 1;
        assert_eq!(gunzip(&bad_crc).unwrap_err(), "gzip: corrupt gzip stream does not have a matching checksum");
        let mut bad_len = gz;
        bad_len[19] = 11;
        assert_eq!(gunzip(&bad_len).unwrap_err(), "gzip: corrupt gzip stream does not have a matching checksum");
        assert_eq!(gunzip(&gz[..20]).unwrap_err(), "gzip: unexpected end of file");
        assert!(gunzip(b"PK\x03\x04 not gzip at all").unwrap_err().message.contains("not a gzip file"));
        let mut reserved = gz;
        reserved[10] = 0x07; // BFINAL 1, type 3
        assert!(gunzip(&reserved).unwrap_err().message.starts_with("gzip: "));
    }
}
