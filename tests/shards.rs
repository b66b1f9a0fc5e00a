//! Every sharding command: shards merged by `richlazy merge` are byte for byte the unsharded run's
//! report; a missing, doubled or foreign shard is refused by name. And a cancelled call stops.

use richlazy::sweep::{Control, CANCELLED};
use std::process::Command;
use std::sync::atomic::AtomicBool;

fn richlazy(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_richlazy")).args(args).output().expect("binary runs");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into())
}

fn tmp(name: &str) -> String {
    std::env::temp_dir().join(format!("richlazy-shards-{}-{name}", std::process::id())).display().to_string()
}

/// Runs `cmd` whole and in `n` shards, merges them and compares bytes; then the refusals.
fn shards_merge(cmd: &[&str], n: usize) {
    let whole = tmp(&format!("{}-whole.json", cmd.join("-")));
    let (code, err) = richlazy(&[cmd, &["--save", &whole]].concat());
    assert_eq!(code, 0, "{err}");
    let parts: Vec<String> = (0..n).map(|k| tmp(&format!("{}-part{k}.json", cmd.join("-")))).collect();
    for (k, p) in parts.iter().enumerate() {
        let shard = format!("{k}/{n}");
        let (code, err) = richlazy(&[cmd, &["--shard", &shard, "--save", p]].concat());
        assert_eq!(code, 0, "{err}");
    }
    let merged = tmp(&format!("{}-merged.json", cmd.join("-")));
    let mut args = vec!["merge"];
    args.extend(parts.iter().rev().map(String::as_str));
    args.extend(["--save", &merged]);
    let (code, err) = richlazy(&args);
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read(&merged).unwrap(), std::fs::read(&whole).unwrap(), "{cmd:?}: merged != whole");
    // A missing shard, a doubled one, and one of another split are refused, naming it.
    let (code, err) = richlazy(&["merge", &parts[0]]);
    assert_eq!((code, err.contains(&format!("shard 1/{n} is missing"))), (2, true), "{err}");
    let (code, err) =
        richlazy(&[&["merge"], &parts.iter().map(String::as_str).collect::<Vec<_>>()[..], &[&parts[0]]].concat());
    assert_eq!((code, err.contains(&format!("shard 0/{n} is there twice"))), (2, true), "{err}");
    let other = tmp(&format!("{}-other.json", cmd.join("-")));
    let (code, _) = richlazy(&[cmd, &["--shard", &format!("1/{}", n + 1), "--save", &other]].concat());
    assert_eq!(code, 0);
    let (code, err) = richlazy(&["merge", &parts[0], &other]);
    assert_eq!((code, err.contains("but the first file is one of")), (2, true), "{err}");
    for f in parts.iter().chain([&whole, &merged, &other]) {
        let _ = std::fs::remove_file(f);
    }
}

#[test]
fn sequence_sweep_shards_merge_into_the_unsharded_report() {
    let seq = ["--sequence", "2af:4,dms:3", "--hidden", "10", "--every", "2", "--ranks", "1,10", "--seeds", "2"];
    shards_merge(&[&["sweep"], &seq[..]].concat(), 3);
}

#[test]
fn sweep_shards_merge_into_the_unsharded_report() {
    let cmd = [
        "sweep",
        "--task",
        "dms",
        "--hidden",
        "12",
        "--iters",
        "20",
        "--every",
        "10",
        "--ranks",
        "1,4",
        "--rules",
        "bptt,eprop",
        "--seeds",
        "2",
        "--threads",
        "2",
    ];
    shards_merge(&cmd, 3);
}

#[test]
fn a_sweep_of_another_list_is_refused() {
    let base = ["sweep", "--task", "dms", "--hidden", "12", "--iters", "10", "--every", "10", "--seeds", "1"];
    let (a, b) = (tmp("list-a.json"), tmp("list-b.json"));
    assert_eq!(richlazy(&[&base[..], &["--ranks", "1,2", "--shard", "0/2", "--save", &a]].concat()).0, 0);
    assert_eq!(richlazy(&[&base[..], &["--ranks", "1,3", "--shard", "1/2", "--save", &b]].concat()).0, 0);
    let (code, err) = richlazy(&["merge", &a, &b]);
    assert_eq!((code, err.contains("is a shard of another sweep")), (2, true), "{err}");
    let (code, err) = richlazy(&[&base[..], &["--shard", "2/2"]].concat());
    assert_eq!((code, err.contains("shard: '2/2' is not K/N")), (2, true), "{err}");
    let _ = (std::fs::remove_file(a), std::fs::remove_file(b));
}

#[test]
fn a_cancelled_sweep_or_study_returns_cancelled() {
    let cancel = AtomicBool::new(true);
    let ctl = Control { threads: 1, cancel: &cancel, progress: &|_, _, _| {} };
    let pairs = |p: &[(&str, &str)]| p.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Vec<_>>();
    let err =
        richlazy::sweep::sweep(&pairs(&[("hidden", "12"), ("iters", "10"), ("seeds", "1"), ("ranks", "1,2")]), &ctl)
            .unwrap_err();
    assert_eq!(err, CANCELLED);
    assert_eq!(richlazy::sweep::study("grok", &pairs(&[]), &ctl).unwrap_err(), CANCELLED);
    // A bad key is named, not mistaken for a cancel.
    let err = richlazy::sweep::sweep(&pairs(&[("seeds", "x")]), &ctl).unwrap_err();
    assert_eq!((err.key.as_str(), err.code), ("seeds", richlazy::settings::Code::Number), "{err}");
}
