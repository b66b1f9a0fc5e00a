//! IDX, the format LeCun's MNIST files are in: two zero bytes, a type code, the number of
//! dimensions, each dimension as a big-endian u32, then the values in row-major order.
//! Only unsigned bytes (type 0x08) are read, which is what MNIST's four files hold.

use super::malformed;
use crate::settings::SettingError;

/// An IDX array of unsigned bytes, borrowing its values from the file.
#[derive(Debug, PartialEq)]
pub struct Idx<'a> {
    pub dims: Vec<usize>,
    pub data: &'a [u8],
}

/// Reads and checks the header; the values must fill the rest of the file exactly.
pub fn parse(b: &[u8]) -> Result<Idx<'_>, SettingError> {
    if b.len() < 4 || b[0] != 0 || b[1] != 0 {
        return Err(malformed("IDX: the file does not start with two zero bytes"));
    }
    if b[2] != 0x08 {
        return Err(malformed(format!("IDX: type 0x{:02x} is not unsigned bytes (0x08)", b[2])));
    }
    let rank = b[3] as usize;
    if rank == 0 {
        return Err(malformed("IDX: zero dimensions"));
    }
    let head = 4 + 4 * rank;
    let header = b.get(4..head).ok_or_else(|| malformed("IDX: the header is cut short"))?;
    let dims: Vec<usize> = header.chunks_exact(4).map(|c| u32::from_be_bytes(c.try_into().unwrap()) as usize).collect();
    let count = dims
        .iter()
        .try_fold(1usize, |n, &d| n.checked_mul(d))
        .ok_or_else(|| malformed("IDX: the dimensions overflow"))?;
    if b.len() - head != count {
        return Err(malformed(format!(
            "IDX: dimensions {dims:?} need {count} bytes of data, the file has {}",
            b.len() - head
        )));
    }
    Ok(Idx { dims, data: &b[head..] })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_dims_and_data_and_refuses_bad_headers() {
        let good = [0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6];
        assert_eq!(parse(&good).unwrap(), Idx { dims: vec![2, 3], data: &[1, 2, 3, 4, 5, 6] });
        let cases: [(&[u8], &str); 5] = [
            (&[1, 0, 8, 1, 0, 0, 0, 1, 7], "two zero bytes"),
            (&[0, 0, 0x0d, 1, 0, 0, 0, 1, 7, 7, 7, 7], "type 0x0d"),
            (&[0, 0, 8, 0], "zero dimensions"),
            (&[0, 0, 8, 3, 0, 0, 0, 1], "cut short"),
            (&good[..17], "need 6 bytes of data, the file has 5"),
        ];
        for (bytes, want) in cases {
            let e = parse(bytes).unwrap_err();
            assert!(e.message.contains(want), "{e:?} lacks {want:?}");
        }
    }
}
