//! Bring your own connectivity: a square matrix from a `.npy` or `.csv` file as the start
//! (`init=file`, with the connectome's two controls `file_shuffled` and `file_spectrum`).
//!
//! A link or a configuration cannot carry the matrix, so it carries its content hash (`file=<16 hex
//! digits>`): FNV-1a 64 over N (u64, little-endian) and then every parsed entry's f64 bits
//! (little-endian, row-major). It hashes the values, not the file's bytes, so the same matrix saved as
//! `.npy` f8 or as a `.csv` with exact (shortest round-trip) numbers has one hash. The engine keeps
//! the matrices it has been given in a small registry keyed by that hash (`load`, `lookup`); a run
//! whose hash is not there is refused (`InitSpec::validate`).

use super::wiring::{measured, Control};
use super::{InitSpec, Start, TaskAxes, MAX_HIDDEN};
use crate::linalg::Mat;
use crate::rng::Rng;
use crate::settings::clip;
use std::sync::{Arc, Mutex};

/// The page's hint for these families (plain text; their rows share it).
pub const HINT: &str = "Your own connectivity as W_rec(0), rows = receiving unit, scaled like every start to the \
Gaussian's size; the hidden size follows the matrix. It never leaves your browser: a link carries only its content \
hash (file=), and whoever opens the link is asked for the same file, which is checked against the hash. Controls as \
for the connectome: shuffled keeps every entry in a random place, spectrum its singular values on random singular \
vectors.";

/// The largest file read: anything longer is refused before parsing.
pub const MAX_BYTES: usize = 50_000_000;
/// The smallest matrix (the largest is `MAX_HIDDEN`).
pub const MIN_N: usize = 2;

/// The data of the file families (`FamilyDef::on`): N is the registered matrix's (`file`).
pub const SOURCE: super::Data = super::Data {
    key: "file",
    display: "your matrix",
    by: Some("file"),
    hidden: |spec| spec.file_matrix().map(|m| m.rows),
    what: |m| format!("the file's matrix is {m} x {m}"),
};

/// Parses a square matrix from a file's bytes; `name` (its file name) chooses the format by its
/// ending, `.npy` or `.csv` (case-insensitive). The message is for a reader.
pub fn parse(bytes: &[u8], name: &str) -> Result<Mat<f64>, String> {
    if bytes.len() > MAX_BYTES {
        return Err(too_large(bytes.len()));
    }
    let lower = name.to_ascii_lowercase();
    let m = if lower.ends_with(".npy") {
        npy(bytes)?
    } else if lower.ends_with(".csv") {
        csv(bytes)?
    } else {
        return Err(format!("'{}' is neither a .npy nor a .csv file", clip(name)));
    };
    if m.data.iter().all(|&x| x == 0.0) {
        return Err("every entry is zero: a zero matrix cannot be scaled to the Gaussian's size".into());
    }
    Ok(m)
}

pub fn too_large(len: usize) -> String {
    too_large_as(&len.to_string())
}

/// The message with the file's size as given (the schema's `limits` writes `{bytes}`, for the page).
pub fn too_large_as(len: &str) -> String {
    format!("the file has {len} bytes, more than the limit of {} MB ({MAX_BYTES} bytes)", MAX_BYTES / 1_000_000)
}

fn check_n(rows: usize, cols: usize) -> Result<usize, String> {
    if rows != cols {
        return Err(format!("the matrix is {rows} x {cols}: it must be square (N x N)"));
    }
    if !(MIN_N..=MAX_HIDDEN).contains(&rows) {
        return Err(format!("the matrix is {rows} x {rows}: N must be between {MIN_N} and {MAX_HIDDEN}"));
    }
    Ok(rows)
}

/// The value of `'key': value` in a .npy header dict (up to the next top-level comma or brace).
fn header_field<'a>(header: &'a str, key: &str) -> Option<&'a str> {
    let at = header.find(&format!("'{key}'"))? + key.len() + 2;
    let rest = header[at..].trim_start().strip_prefix(':')?.trim_start();
    let end = if rest.starts_with('(') { rest.find(')')? + 1 } else { rest.find([',', '}']).unwrap_or(rest.len()) };
    Some(rest[..end].trim())
}

/// NumPy's format: magic, version, header length, a Python dict literal, then the data.
/// Only little-endian float32/float64 in C order, two-dimensional.
fn npy(b: &[u8]) -> Result<Mat<f64>, String> {
    const MAGIC: &[u8] = b"\x93NUMPY";
    if b.len() < 10 || &b[..6] != MAGIC {
        return Err("not a .npy file (it does not start with \\x93NUMPY)".into());
    }
    let (len, start) = match b[6] {
        1 => (u16::from_le_bytes([b[8], b[9]]) as usize, 10),
        2 | 3 if b.len() >= 12 => (u32::from_le_bytes([b[8], b[9], b[10], b[11]]) as usize, 12),
        v => return Err(format!(".npy format version {v} is not supported (1, 2 or 3)")),
    };
    let header = b
        .get(start..start + len)
        .and_then(|h| std::str::from_utf8(h).ok())
        .ok_or(".npy header is cut short or not text")?;
    let descr = header_field(header, "descr").ok_or(".npy header has no 'descr'")?.trim_matches(['\'', '"']);
    let size = match descr {
        "<f8" => 8,
        "<f4" => 4,
        d => {
            return Err(format!(
                ".npy dtype '{}' is not supported: save little-endian float32 or float64 ('<f4', '<f8')",
                clip(d)
            ))
        }
    };
    match header_field(header, "fortran_order") {
        Some("False") => {}
        Some("True") => return Err(".npy is in Fortran order: save it in C order (np.ascontiguousarray)".into()),
        _ => return Err(".npy header has no valid 'fortran_order'".into()),
    }
    let shape = header_field(header, "shape").ok_or(".npy header has no 'shape'")?;
    let dims: Vec<usize> = shape
        .trim_matches(['(', ')'])
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().map_err(|_| format!(".npy shape {shape} is not understood")))
        .collect::<Result<_, _>>()?;
    let [rows, cols] = dims[..] else {
        return Err(format!(".npy array has shape {shape}: it must be two-dimensional (N x N)"));
    };
    let n = check_n(rows, cols)?;
    let data = &b[start + len..];
    if data.len() != n * n * size {
        return Err(format!(
            ".npy data holds {} bytes, the shape {n} x {n} of '{descr}' needs {}",
            data.len(),
            n * n * size
        ));
    }
    let values: Vec<f64> = if size == 8 {
        data.chunks_exact(8).map(|c| f64::from_le_bytes(c.try_into().unwrap())).collect()
    } else {
        data.chunks_exact(4).map(|c| f32::from_le_bytes(c.try_into().unwrap()) as f64).collect()
    };
    if let Some(i) = values.iter().position(|x| !x.is_finite()) {
        return Err(format!(
            "entry at row {}, column {} is {}: every entry must be finite",
            i / n + 1,
            i % n + 1,
            values[i]
        ));
    }
    Ok(Mat::from_vec(n, n, values))
}

/// One row per line; numbers separated by commas (then each field may be padded with spaces) or by
/// whitespace alone. Blank lines are skipped; no header line.
fn csv(b: &[u8]) -> Result<Mat<f64>, String> {
    let text = std::str::from_utf8(b).map_err(|e| format!("the .csv file is not text (UTF-8): {e}"))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rows: Vec<Vec<f64>> = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let r = rows.len() + 1;
        let fields: Vec<&str> = if line.contains(',') {
            line.split(',').map(str::trim).collect()
        } else {
            line.split_whitespace().collect()
        };
        let mut row = Vec::with_capacity(fields.len());
        for (c, f) in fields.iter().enumerate() {
            let c = c + 1;
            let x: f64 = match f.parse() {
                Ok(x) => x,
                Err(_) if f.is_empty() => return Err(format!("row {r}, column {c} is empty: expected a number")),
                Err(_) => return Err(format!("row {r}, column {c}: '{}' is not a number", clip(f))),
            };
            if !x.is_finite() {
                return Err(format!("row {r}, column {c} is {}: every entry must be finite", clip(f)));
            }
            row.push(x);
        }
        if let Some(first) = rows.first() {
            if first.len() != row.len() {
                return Err(format!(
                    "row {r} has {} numbers, row 1 has {}: every row needs the same count",
                    row.len(),
                    first.len()
                ));
            }
        }
        rows.push(row);
        if rows.len() > MAX_HIDDEN {
            return Err(format!(
                "the matrix has more than {MAX_HIDDEN} rows: N must be between {MIN_N} and {MAX_HIDDEN}"
            ));
        }
    }
    if rows.is_empty() {
        return Err("the file is empty: no numbers".into());
    }
    let n = check_n(rows.len(), rows[0].len())?;
    Ok(Mat::from_vec(n, n, rows.concat()))
}

/// FNV-1a 64 over N (u64 LE) and every entry's f64 bits (LE), row-major.
pub fn hash(m: &Mat<f64>) -> u64 {
    fnv1a((m.rows as u64).to_le_bytes().into_iter().chain(m.data.iter().flat_map(|x| x.to_bits().to_le_bytes())))
}

/// FNV-1a 64 of a byte stream.
pub fn fnv1a(bytes: impl IntoIterator<Item = u8>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        h ^= byte as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The hash as a link writes it: 16 lower-case hex digits.
pub fn hex(h: u64) -> String {
    format!("{h:016x}")
}

/// Reads `hex`'s form back (exactly 16 hex digits, either case).
pub fn parse_hex(s: &str) -> Option<u64> {
    let s = s.trim();
    (s.len() == 16 && s.bytes().all(|b| b.is_ascii_hexdigit())).then(|| u64::from_str_radix(s, 16).ok()).flatten()
}

/// The matrices given to this engine (a process natively, a wasm instance in the browser), by hash.
static REGISTRY: Mutex<Vec<(u64, Arc<Mat<f64>>)>> = Mutex::new(Vec::new());
/// Registered matrices kept at most (the oldest is dropped first).
const KEEP: usize = 8;

/// Registers a matrix; returns its hash.
pub fn register(m: Mat<f64>) -> u64 {
    let h = hash(&m);
    let mut reg = REGISTRY.lock().unwrap_or_else(|e| e.into_inner());
    if !reg.iter().any(|(k, _)| *k == h) {
        if reg.len() >= KEEP {
            reg.remove(0);
        }
        reg.push((h, Arc::new(m)));
    }
    h
}

/// Parses and registers a file's matrix: its hash and N.
pub fn load(bytes: &[u8], name: &str) -> Result<(u64, usize), String> {
    let m = parse(bytes, name)?;
    let n = m.rows;
    Ok((register(m), n))
}

/// Reads a file from disk (refusing one over `MAX_BYTES` before reading it) and loads it.
#[cfg(not(target_arch = "wasm32"))]
pub fn load_path(path: &str) -> Result<(u64, usize), String> {
    let len = std::fs::metadata(path).map_err(|e| format!("{path}: {e}"))?.len();
    if len > MAX_BYTES as u64 {
        return Err(format!("{path}: {}", too_large(len as usize)));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    load(&bytes, path).map_err(|e| format!("{path}: {e}"))
}

/// The registered matrix with this hash.
pub fn lookup(h: u64) -> Option<Arc<Mat<f64>>> {
    REGISTRY.lock().unwrap_or_else(|e| e.into_inner()).iter().find(|(k, _)| *k == h).map(|(_, m)| m.clone())
}

/// The file families: the reader's matrix (its `InitSpec::file` must be registered: `validate`), or one of
/// its two controls, scaled to the Gaussian's size.
fn file_start(spec: &InitSpec, control: Option<Control>, rng: &mut Rng) -> Start {
    let m = spec.file_matrix().unwrap_or_else(|| panic!("{}", missing(spec.file)));
    measured(spec, (*m).clone(), control, rng)
}

pub fn start(spec: &InitSpec, _: &Mat<f64>, rng: &mut Rng, _: &TaskAxes) -> Start {
    file_start(spec, None, rng)
}

pub fn start_shuffled(spec: &InitSpec, _: &Mat<f64>, rng: &mut Rng, _: &TaskAxes) -> Start {
    file_start(spec, Some(Control::Shuffled), rng)
}

pub fn start_spectrum(spec: &InitSpec, _: &Mat<f64>, rng: &mut Rng, _: &TaskAxes) -> Start {
    file_start(spec, Some(Control::Spectrum), rng)
}

/// Why a file family cannot start: no hash, or no matrix with it.
pub fn missing(h: Option<u64>) -> String {
    match h {
        None => "file: init=file needs a matrix: give --file path.npy|.csv (the page: choose or drop the file)".into(),
        Some(h) => format!("file: no matrix with hash {} is loaded: give its .npy or .csv file again (--file, or choose it on the page)", hex(h)),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A .npy file of `m` as NumPy writes it (version 1, header padded to 64 bytes).
    pub(crate) fn npy_bytes(m: &Mat<f64>, f4: bool) -> Vec<u8> {
        let descr = if f4 { "<f4" } else { "<f8" };
        let mut header = format!("{{'descr': '{descr}', 'fortran_order': False, 'shape': ({}, {}), }}", m.rows, m.cols);
        while (10 + header.len() + 1) % 64 != 0 {
            header.push(' ');
        }
        header.push('\n');
        let mut b = b"\x93NUMPY\x01\x00".to_vec();
        b.extend((header.len() as u16).to_le_bytes());
        b.extend(header.bytes());
        for &x in &m.data {
            if f4 {
                b.extend((x as f32).to_le_bytes())
            } else {
                b.extend(x.to_le_bytes())
            }
        }
        b
    }

    pub(crate) fn csv_text(m: &Mat<f64>) -> String {
        (0..m.rows).map(|r| m.row(r).iter().map(|x| x.to_string()).collect::<Vec<_>>().join(",") + "\n").collect()
    }

    fn sample(n: usize) -> Mat<f64> {
        let mut rng = crate::rng::Rng::new(5, 5);
        Mat::from_fn(n, n, |_, _| rng.normal() * 0.37)
    }

    #[test]
    fn npy_and_csv_parse_exactly() {
        let m = sample(7);
        assert_eq!(parse(&npy_bytes(&m, false), "a.npy").unwrap(), m);
        let m32 = m.map(|x| x as f32 as f64);
        assert_eq!(parse(&npy_bytes(&m, true), "A.NPY").unwrap(), m32);
        assert_eq!(parse(csv_text(&m).as_bytes(), "a.csv").unwrap(), m);
        // Whitespace-separated, spaces after commas, CRLF, a BOM and blank lines.
        let t = "\u{feff}1 2\r\n\r\n3\t-4.5e-1\r\n";
        assert_eq!(parse(t.as_bytes(), "b.csv").unwrap().data, vec![1.0, 2.0, 3.0, -0.45]);
        assert_eq!(parse(b"1, 2\n 3 ,4\n", "c.csv").unwrap().data, vec![1.0, 2.0, 3.0, 4.0]);
        // The hash is of the values: the csv and the f8 .npy agree, the f4 one differs.
        assert_eq!(
            hash(&parse(csv_text(&m).as_bytes(), "a.csv").unwrap()),
            hash(&parse(&npy_bytes(&m, false), "a.npy").unwrap())
        );
        assert_ne!(hash(&m), hash(&m32));
        assert_eq!(parse_hex(&hex(hash(&m))), Some(hash(&m)));
        assert_eq!(hex(0xab), "00000000000000ab");
        assert_eq!(parse_hex("xyz"), None);
    }

    #[test]
    fn fnv1a_matches_its_definition() {
        // FNV-1a 64 of the empty input is the offset basis; here N = 0 and no entries: 8 zero bytes.
        let mut h: u64 = 0xcbf29ce484222325;
        for _ in 0..8 {
            h = h.wrapping_mul(0x100000001b3);
        }
        assert_eq!(hash(&Mat::from_vec(0, 0, vec![])), h);
    }

    #[test]
    fn malformed_files_are_refused_with_a_message() {
        let ok = npy_bytes(&sample(3), false);
        let swap = |from: &str, to: &str| -> Vec<u8> {
            let s = ok.iter().map(|&b| b as char).collect::<String>().replacen(from, to, 1);
            s.chars().map(|c| c as u8).collect()
        };
        let cases: Vec<(Vec<u8>, &str, &str)> = vec![
            (b"1,2\n3,4,5\n".to_vec(), "x.csv", "row 2 has 3 numbers, row 1 has 2"),
            (b"1,2,3\n4,5,6\n".to_vec(), "x.csv", "2 x 3: it must be square"),
            (b"1,2\n3,abc\n".to_vec(), "x.csv", "row 2, column 2: 'abc' is not a number"),
            (b"a,b\n1,2\n3,4\n".to_vec(), "x.csv", "row 1, column 1: 'a' is not a number"),
            (b"1,,2\n".to_vec(), "x.csv", "row 1, column 2 is empty"),
            (b"1,2\nNaN,4\n".to_vec(), "x.csv", "row 2, column 1 is NaN: every entry must be finite"),
            (b"1,inf\n3,4\n".to_vec(), "x.csv", "row 1, column 2 is inf"),
            (b"".to_vec(), "x.csv", "the file is empty"),
            (b"\n  \n".to_vec(), "x.csv", "the file is empty"),
            (b"5\n".to_vec(), "x.csv", "N must be between 2 and 2000"),
            (b"0,0\n0,0\n".to_vec(), "x.csv", "every entry is zero"),
            (vec![0xff, 0xfe, 0x31], "x.csv", "not text"),
            (b"1,2\n3,4\n".to_vec(), "x.txt", "neither a .npy nor a .csv"),
            (vec![b'1'; MAX_BYTES + 1], "x.csv", "more than the limit of 50 MB"),
            (b"PK\x03\x04 zip".to_vec(), "x.npy", "not a .npy file"),
            (swap("<f8", ">f8"), "x.npy", "dtype '>f8' is not supported"),
            (swap("<f8", "<i8"), "x.npy", "dtype '<i8' is not supported"),
            (swap("False", "True "), "x.npy", "Fortran order"),
            (swap("(3, 3)", "(9,)  "), "x.npy", "shape (9,): it must be two-dimensional"),
            (swap("(3, 3)", "(1,3,3)"), "x.npy", "it must be two-dimensional"),
            (ok[..ok.len() - 8].to_vec(), "x.npy", "data holds 64 bytes, the shape 3 x 3 of '<f8' needs 72"),
            (npy_bytes(&Mat::from_vec(2, 2, vec![1.0, f64::NAN, 0.0, 1.0]), false), "x.npy", "row 1, column 2 is NaN"),
            (
                npy_bytes(&Mat::from_vec(2, 2, vec![1.0, 0.0, f64::INFINITY, 1.0]), true),
                "x.npy",
                "row 2, column 1 is inf",
            ),
            (npy_bytes(&Mat::from_vec(2, 3, vec![1.0; 6]), false), "x.npy", "2 x 3: it must be square"),
            (
                npy_bytes(&Mat::from_vec(2001, 2001, vec![1.0; 2001 * 2001]), true),
                "x.npy",
                "N must be between 2 and 2000",
            ),
        ];
        for (bytes, name, want) in cases {
            match parse(&bytes, name) {
                Ok(_) => panic!("{name} {:?} was accepted", String::from_utf8_lossy(&bytes[..bytes.len().min(80)])),
                Err(e) => assert!(e.contains(want), "{name}: {e:?} lacks {want:?}"),
            }
        }
    }

    #[test]
    fn the_registry_finds_matrices_by_hash() {
        let m = sample(4);
        let (h, n) = load(csv_text(&m).as_bytes(), "m.csv").unwrap();
        assert_eq!((h, n), (hash(&m), 4));
        assert_eq!(*lookup(h).unwrap(), m);
        assert!(lookup(h ^ 1).is_none());
        assert!(missing(Some(h ^ 1)).contains(&hex(h ^ 1)));
    }
}
