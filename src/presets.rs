//! The lab's named bases beside the paper's: settings a button (or a first visit) puts on top of the
//! current ones, with a task's own overlay (sMNIST's 28-step trials need a smaller, faster base).
//! The page reads them from `schema("lab").presets`; the tests check that each applies cleanly.

use crate::json::{obj, Json};

/// Settings as pairs.
pub type Pairs = &'static [(&'static str, &'static str)];

/// One preset: its name, the button's label, the note shown when it is taken, its pairs, and
/// per task the pairs that go on top of them (with their own note).
pub struct Preset {
    pub name: &'static str,
    pub label: &'static str,
    pub note: &'static str,
    pub pairs: Pairs,
    /// (task, pairs, note).
    pub by_task: &'static [(&'static str, Pairs, &'static str)],
}

/// Results in seconds: N 100, 1000 iterations (the page's first visit); sMNIST: a small network,
/// few measures, Adam (about 0.74 test accuracy natively).
pub const FAST: Preset = Preset {
    name: "fast",
    label: "Fast preset",
    note: "Fast preset (N 100, 1000 iterations) so that you see results in seconds; \"Paper settings\" gives N 300 and 10,000 iterations.",
    pairs: &[("hidden", "100"), ("iters", "1000"), ("every", "50")],
    by_task: &[(
        "smnist",
        &[("hidden", "64"), ("batch", "32"), ("iters", "300"), ("every", "30"), ("opt", "adam"), ("lr", "0.002")],
        "sMNIST: its fast preset (N 64, batch 32, 300 iterations, Adam at lr 0.002); the paper used N 300 and batch 200.",
    )],
};

/// The paper's size and length (`sweep::PAPER_BASE`'s hidden, iters and every: the test checks them;
/// not read from there, since the sweep's module reads the studies, which read this); for sMNIST its batch
/// (its iteration count is unknown: 10,000 as for the other tasks), with SGD as for them.
pub const PAPER: Preset = Preset {
    name: "paper",
    label: "Paper settings",
    note: "",
    pairs: &[("hidden", "300"), ("iters", "10000"), ("every", "500")],
    by_task: &[("smnist", &[("batch", "200"), ("opt", "sgd"), ("lr", "0.003")], "")],
};

/// Two tasks in sequence at a size that runs in seconds (docs/sequences.md): 2AF, then DMS, 3,000
/// iterations each, so that the page's task chart shows 2AF's accuracy while DMS is learned.
pub const SEQUENCE: Preset = Preset {
    name: "2af-dms",
    label: "2AF then DMS",
    note: "2AF then DMS (N 100, 3,000 iterations each): the task chart shows each task's accuracy, the phase boundary dashed; the table what the second phase made the network forget and what it cost.",
    pairs: &[("task", "2af"), ("sequence", "2af,dms"), ("hidden", "100"), ("iters", "3000"), ("every", "100")],
    by_task: &[],
};

pub const PRESETS: [&Preset; 3] = [&FAST, &PAPER, &SEQUENCE];

fn pairs_json(pairs: &[(&str, &str)]) -> Json {
    Json::Obj(pairs.iter().map(|(k, v)| (k.to_string(), Json::from(*v))).collect())
}

/// `[{"name", "label", "note", "pairs": {key: value}, "by_task": {task: {"pairs", "note"}}}]`.
pub fn presets_json() -> Json {
    Json::Arr(
        PRESETS
            .iter()
            .map(|p| {
                let by_task = p
                    .by_task
                    .iter()
                    .map(|(t, pairs, note)| {
                        (t.to_string(), obj([("pairs", pairs_json(pairs)), ("note", Json::from(*note))]))
                    })
                    .collect();
                obj([
                    ("name", Json::from(p.name)),
                    ("label", Json::from(p.label)),
                    ("note", Json::from(p.note)),
                    ("pairs", pairs_json(p.pairs)),
                    ("by_task", Json::Obj(by_task)),
                ])
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn every_preset_applies_cleanly_alone_and_with_its_tasks_overlay() {
        assert_eq!(crate::sweep::PAPER_BASE[1..4], *PAPER.pairs, "the paper preset is the paper figure's size");
        for p in PRESETS {
            assert!(Config::default().apply(p.pairs.iter().copied()).is_empty(), "{}", p.name);
            for (task, pairs, _) in p.by_task {
                let all = [("task", *task)].into_iter().chain(p.pairs.iter().copied()).chain(pairs.iter().copied());
                assert!(Config::default().apply(all).is_empty(), "{} {task}", p.name);
            }
        }
        let j = presets_json().to_string();
        assert!(j.starts_with(r#"[{"name":"fast","label":"Fast preset","note":"Fast preset (N 100"#), "{j}");
        assert!(j.contains(
            r#""pairs":{"hidden":"300","iters":"10000","every":"500"},"by_task":{"smnist":{"pairs":{"batch":"200""#
        ));
    }
}
