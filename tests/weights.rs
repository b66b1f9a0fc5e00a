//! `richlazy run --save_weights DIR`: the four weight files read back, in the engine's own shapes and
//! dtypes, give the run's reported weight change exactly.

use richlazy::init::file::parse;
use richlazy::json::Json;
use std::process::Command;

/// The header's dtype and shape, and the data bytes after it.
fn header(b: &[u8]) -> (String, usize) {
    assert_eq!(&b[..8], b"\x93NUMPY\x01\x00");
    let len = u16::from_le_bytes([b[8], b[9]]) as usize;
    assert_eq!((10 + len) % 64, 0, "the header pads to a multiple of 64");
    (String::from_utf8(b[10..10 + len].to_vec()).unwrap(), b.len() - 10 - len)
}

#[test]
fn saved_weights_read_back_and_give_the_reported_weight_change() {
    let dir = std::env::temp_dir().join(format!("richlazy-weights-{}", std::process::id()));
    let out = Command::new(env!("CARGO_BIN_EXE_richlazy"))
        .args(["run", "--task", "dms", "--hidden", "24", "--iters", "40", "--every", "20", "--json", "--save_weights"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report = Json::parse(&String::from_utf8_lossy(&out.stdout)).unwrap();
    let Some(Json::Num(reported)) = report.get("final").and_then(|f| f.get("weight_change")) else { panic!() };
    assert!(*reported > 0.0);
    // dms: 3 inputs, 3 outputs; W_rec0 is held in f64, the rest in f32.
    for (name, descr, shape, bytes) in [
        ("W_in.npy", "<f4", "(24, 3)", 24 * 3 * 4),
        ("W_rec0.npy", "<f8", "(24, 24)", 24 * 24 * 8),
        ("W_rec.npy", "<f4", "(24, 24)", 24 * 24 * 4),
        ("W_out.npy", "<f4", "(3, 24)", 3 * 24 * 4),
    ] {
        let b = std::fs::read(dir.join(name)).unwrap();
        let (h, data) = header(&b);
        assert!(h.contains(&format!("'descr': '{descr}'")) && h.contains(&format!("'shape': {shape}")), "{name}: {h}");
        assert!(h.contains("'fortran_order': False") && h.ends_with('\n'), "{name}: {h}");
        assert_eq!(data, bytes, "{name}");
    }
    let read = |name: &str| parse(&std::fs::read(dir.join(name)).unwrap(), name).unwrap();
    let (w, w0) = (read("W_rec.npy"), read("W_rec0.npy"));
    assert_eq!(w.sub(&w0).frob_norm(), *reported, "||W_rec - W_rec0||_F is the reported weight change");
    std::fs::remove_dir_all(&dir).unwrap();
}
