//! Gzip (RFC 1952) over DEFLATE (RFC 1951), decoding only: the bundled MNIST files are gzip'd
//! (11 MB instead of 55), and no crate may be added for it. One member, every block type;
//! Huffman codes decode through a table indexed by the next 15 bits. The trailer's CRC-32 and
//! length are checked, so a damaged file is refused rather than read wrong.

/// The longest DEFLATE code, in bits; the decoding tables have 2^MAX_BITS entries.
const MAX_BITS: u32 = 15;

/// Bits in DEFLATE's order: least significant first within each byte.
struct Bits<'a> {
    data: &'a [u8],
    /// Next byte to load.
    pos: usize,
    buf: u64,
    /// Bits held in `buf`.
    held: u32,
}

impl<'a> Bits<'a> {
    /// Holds at least `k` (<= 32) bits; past the end it loads zeros, which `check` then refuses.
    fn fill(&mut self, k: u32) {
        while self.held < k {
            self.buf |= (self.data.get(self.pos).copied().unwrap_or(0) as u64) << self.held;
            self.pos += 1;
            self.held += 8;
        }
    }

    fn take(&mut self, k: u32) -> u32 {
        self.fill(k);
        let v = (self.buf & ((1u64 << k) - 1)) as u32;
        self.buf >>= k;
        self.held -= k;
        v
    }

    /// Errs once more bits were used than the input has.
    fn check(&self) -> Result<(), String> {
        if self.pos * 8 - self.held as usize > self.data.len() * 8 {
            Err("gzip: the data is cut short".into())
        } else {
            Ok(())
        }
    }

    /// Drops the bits up to the next byte boundary (before a stored block, and the trailer).
    fn align(&mut self) {
        let k = self.held % 8;
        self.take(k);
    }
}

/// A canonical Huffman code as a table: entry = symbol << 4 | code length (0: no such code).
struct Huffman(Vec<u16>);

impl Huffman {
    fn new(lengths: &[u8]) -> Result<Huffman, String> {
        let mut count = [0u32; 16];
        lengths.iter().for_each(|&l| count[l as usize] += 1);
        count[0] = 0;
        let mut left = 1i64;
        for &c in &count[1..] {
            left = 2 * left - c as i64;
            if left < 0 {
                return Err("gzip: a Huffman code is over-subscribed".into());
            }
        }
        let mut next = [0u32; 16];
        for len in 1..16 {
            next[len] = (next[len - 1] + count[len - 1]) << 1;
        }
        let mut table = vec![0u16; 1 << MAX_BITS];
        for (sym, &len) in lengths.iter().enumerate().filter(|(_, &l)| l > 0) {
            let code = next[len as usize];
            next[len as usize] += 1;
            // The code is sent most significant bit first, so the table is indexed by its reverse.
            let mut i = (code.reverse_bits() >> (32 - len as u32)) as usize;
            while i < table.len() {
                table[i] = (sym as u16) << 4 | len as u16;
                i += 1 << len;
            }
        }
        Ok(Huffman(table))
    }

    fn decode(&self, bits: &mut Bits) -> Result<usize, String> {
        bits.fill(MAX_BITS);
        let e = self.0[(bits.buf & ((1 << MAX_BITS) - 1)) as usize];
        if e & 15 == 0 {
            return Err("gzip: an invalid Huffman code".into());
        }
        bits.take((e & 15) as u32);
        Ok((e >> 4) as usize)
    }
}

const LENGTH_BASE: [u16; 29] =
    [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA: [u8; 29] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
    8193, 12289, 16385, 24577,
];
const DIST_EXTRA: [u8; 30] =
    [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
/// The order in which a dynamic block sends the code-length code's lengths.
const CLEN_ORDER: [usize; 19] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/// The fixed codes of block type 1.
fn fixed() -> Result<(Huffman, Huffman), String> {
    let lit: Vec<u8> = (0..288)
        .map(|s| match s {
            0..=143 => 8,
            144..=255 => 9,
            256..=279 => 7,
            _ => 8,
        })
        .collect();
    Ok((Huffman::new(&lit)?, Huffman::new(&[5; 30])?))
}

/// The codes a dynamic block (type 2) sends before its data.
fn dynamic(bits: &mut Bits) -> Result<(Huffman, Huffman), String> {
    let (n_lit, n_dist, n_clen) = (bits.take(5) as usize + 257, bits.take(5) as usize + 1, bits.take(4) as usize + 4);
    let mut clen = [0u8; 19];
    for &i in &CLEN_ORDER[..n_clen] {
        clen[i] = bits.take(3) as u8;
    }
    let clen = Huffman::new(&clen)?;
    let mut lengths = Vec::with_capacity(n_lit + n_dist);
    while lengths.len() < n_lit + n_dist {
        bits.check()?;
        let (value, repeat) = match clen.decode(bits)? {
            sym @ 0..=15 => (sym as u8, 1),
            16 => (*lengths.last().ok_or("gzip: a length repeat with nothing before it")?, 3 + bits.take(2)),
            17 => (0, 3 + bits.take(3)),
            _ => (0, 11 + bits.take(7)),
        };
        lengths.extend(std::iter::repeat_n(value, repeat as usize));
    }
    if lengths.len() != n_lit + n_dist || lengths[256] == 0 {
        return Err("gzip: a dynamic block's code lengths do not add up".into());
    }
    Ok((Huffman::new(&lengths[..n_lit])?, Huffman::new(&lengths[n_lit..])?))
}

/// Decodes one block's symbols into `out` up to its end-of-block code.
fn codes(bits: &mut Bits, lit: &Huffman, dist: &Huffman, out: &mut Vec<u8>) -> Result<(), String> {
    loop {
        bits.check()?;
        let sym = lit.decode(bits)?;
        match sym {
            0..=255 => out.push(sym as u8),
            256 => return Ok(()),
            257..=285 => {
                let i = sym - 257;
                let len = LENGTH_BASE[i] as usize + bits.take(LENGTH_EXTRA[i] as u32) as usize;
                let d = dist.decode(bits)?;
                if d >= 30 {
                    return Err("gzip: an invalid distance code".into());
                }
                let back = DIST_BASE[d] as usize + bits.take(DIST_EXTRA[d] as u32) as usize;
                if back > out.len() {
                    return Err("gzip: a distance reaches before the start".into());
                }
                // Byte by byte: the copy may overlap what it writes.
                let from = out.len() - back;
                for k in 0..len {
                    out.push(out[from + k]);
                }
            }
            _ => return Err("gzip: an invalid length code".into()),
        }
    }
}

/// The CRC-32 of gzip's trailer (IEEE, reflected, polynomial 0xEDB88320).
pub fn crc32(data: &[u8]) -> u32 {
    let table: Vec<u32> =
        (0..256u32).map(|n| (0..8).fold(n, |c, _| if c & 1 == 1 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 })).collect();
    !data.iter().fold(!0u32, |c, &b| table[((c ^ b as u32) & 0xff) as usize] ^ (c >> 8))
}

/// The bytes a single-member gzip file holds.
pub fn gunzip(gz: &[u8]) -> Result<Vec<u8>, String> {
    if gz.len() < 18 || gz[0] != 0x1f || gz[1] != 0x8b {
        return Err("gzip: not a gzip file (no 1f 8b at the start)".into());
    }
    if gz[2] != 8 {
        return Err(format!("gzip: compression method {} is not DEFLATE (8)", gz[2]));
    }
    let flags = gz[3];
    let mut at = 10;
    let skip_text = |at: usize| {
        gz[at..].iter().position(|&b| b == 0).map(|z| at + z + 1).ok_or("gzip: a header field is cut short")
    };
    if flags & 4 != 0 {
        at += 2 + u16::from_le_bytes([gz[at], gz[at + 1]]) as usize;
    }
    if flags & 8 != 0 {
        at = skip_text(at)?;
    }
    if flags & 16 != 0 {
        at = skip_text(at)?;
    }
    if flags & 2 != 0 {
        at += 2;
    }
    let mut bits = Bits { data: gz.get(at..).ok_or("gzip: the header is cut short")?, pos: 0, buf: 0, held: 0 };
    let mut out = Vec::new();
    loop {
        let last = bits.take(1) == 1;
        match bits.take(2) {
            0 => {
                bits.align();
                let (len, nlen) = (bits.take(16), bits.take(16));
                if len != !nlen & 0xffff {
                    return Err("gzip: a stored block's length does not match its complement".into());
                }
                for _ in 0..len {
                    out.push(bits.take(8) as u8);
                }
            }
            1 => {
                let (lit, dist) = fixed()?;
                codes(&mut bits, &lit, &dist, &mut out)?;
            }
            2 => {
                let (lit, dist) = dynamic(&mut bits)?;
                codes(&mut bits, &lit, &dist, &mut out)?;
            }
            _ => return Err("gzip: block type 3 is reserved".into()),
        }
        bits.check()?;
        if last {
            break;
        }
    }
    bits.align();
    let trailer: Vec<u8> = (0..8).map(|_| bits.take(8) as u8).collect();
    bits.check().map_err(|_| "gzip: the trailer is cut short".to_string())?;
    let (crc, size) =
        (u32::from_le_bytes(trailer[..4].try_into().unwrap()), u32::from_le_bytes(trailer[4..].try_into().unwrap()));
    if size != out.len() as u32 {
        return Err(format!("gzip: {} bytes decoded, the trailer says {size} (mod 2^32)", out.len()));
    }
    if crc != crc32(&out) {
        return Err("gzip: the CRC-32 does not match: the file is damaged".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A gzip member wrapping `deflate` as the raw DEFLATE data of `content`.
    fn member(deflate: &[u8], content: &[u8]) -> Vec<u8> {
        let mut g = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3];
        g.extend(deflate);
        g.extend(crc32(content).to_le_bytes());
        g.extend((content.len() as u32).to_le_bytes());
        g
    }

    /// `printf aaaaaaaaaa | gzip -n`: fixed codes, one literal, then a copy of 9 at distance 1.
    const TEN_A: [u8; 23] =
        [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0x4b, 0x4c, 0x84, 0x01, 0x00, 0xf0, 0xcd, 0x11, 0x4c, 0x0a, 0, 0, 0];

    #[test]
    fn crc32_of_the_check_string() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn stored_fixed_and_dynamic_blocks_decode() {
        // Stored: BFINAL 1, type 0, LEN 5, NLEN !5, then the bytes.
        let mut stored = vec![0x01, 5, 0, 0xfa, 0xff];
        stored.extend(b"hello");
        assert_eq!(gunzip(&member(&stored, b"hello")).unwrap(), b"hello");
        assert_eq!(gunzip(&TEN_A).unwrap(), b"aaaaaaaaaa");
        // Dynamic blocks: the bundled label files (checked against their published MD5s in tests/mnist.rs).
    }

    #[test]
    fn damage_is_refused() {
        let gz = TEN_A;
        let mut bad_crc = gz;
        bad_crc[15] ^= 1;
        assert!(gunzip(&bad_crc).unwrap_err().contains("CRC-32"));
        let mut bad_len = gz;
        bad_len[19] = 11;
        assert!(gunzip(&bad_len).unwrap_err().contains("the trailer says 11"));
        assert!(gunzip(&gz[..20]).unwrap_err().contains("cut short"));
        assert!(gunzip(b"PK\x03\x04 not gzip at all").unwrap_err().contains("not a gzip file"));
        let mut reserved = gz;
        reserved[10] = 0x07; // BFINAL 1, type 3
        assert!(gunzip(&reserved).unwrap_err().contains("reserved"));
    }
}
