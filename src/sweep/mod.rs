//! The long calls the command line and the Python package share, so that their JSON is the same
//! bytes by construction: `sweep` (the lab's runs for every item of a list, in threads), `study` (a
//! registered study run to the end) and `merge` (shards of either as the whole run's report). Each
//! takes the command line's `--key value` pairs and a [`Control`]: threads, a cancel flag, progress.

mod variants;

pub use crate::shard::{interleave, Shard, MAX_SHARDS};
pub use variants::*;

use crate::config::Config;
use crate::experiment::{Experiment, Status};
use crate::json::{obj, Json};
use crate::metrics::mean_sd;
use crate::report::{config_json, run_json};
use crate::settings::{Code, Kind, Param, SettingError};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// How a long call is driven from outside: threads for independent runs, a flag that stops it
/// (checked between runs and between a run's chunks of iterations or a study's units), and a
/// progress callback (done, total, a short label).
pub struct Control<'a> {
    pub threads: usize,
    pub cancel: &'a AtomicBool,
    pub progress: &'a (dyn Fn(usize, usize, &str) + Sync),
}

impl Control<'_> {
    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// The message of the error a cancelled call returns (nothing else returns it).
pub const CANCELLED: &str = "cancelled";

/// The error a cancelled call returns: code `cancelled`.
pub fn cancelled() -> SettingError {
    SettingError::new("", Code::Cancelled, CANCELLED)
}

/// The sweep's own settings (the lab's settings come on top: `lab` in `studies`).
pub const PARAMS: [Param; 10] = [
    Param {
        key: "inits",
        default: "",
        kind: Kind::Text,
        help: "starts: gaussian, rank:R, spectrum:E, aligned:R, connectome, ... or paper",
    },
    Param { key: "ranks", default: "", kind: Kind::Text, help: "bare ranks (1,30,100,300 when no list is given)" },
    Param {
        key: "rules",
        default: "",
        kind: Kind::Text,
        help: "learning rules to cross with the starts (bptt,eprop,rflo)",
    },
    Param { key: "gains", default: "", kind: Kind::Text, help: "gains to cross with them" },
    Param {
        key: "flosses",
        default: "",
        kind: Kind::Text,
        help: "flossing settings to cross with them (none,pre,...)",
    },
    Param::menu("figure", "", &["paper", "local", "gain"], &[], "a named figure at its own base settings"),
    Param::int("seeds", "3", 1, 1000, "seeds per item"),
    crate::study::SHARD,
    Param::int("threads", "", 1, 1024, "runs in parallel [default: the machine's cores]"),
    Param {
        key: "save_weights",
        default: "",
        kind: Kind::Text,
        help: "(run only) a folder for W_in.npy, W_rec0.npy, W_rec.npy, W_out.npy",
    },
];

/// A pair's value, removed from the pairs.
fn take(pairs: &mut Vec<(String, String)>, key: &str) -> Option<String> {
    let i = pairs.iter().position(|(k, _)| k == key)?;
    Some(pairs.remove(i).1)
}

/// A sweep setting checked against `PARAMS` (the message names the key).
fn checked(pairs: &mut Vec<(String, String)>, key: &str) -> Result<Option<String>, SettingError> {
    let p = PARAMS.iter().find(|p| p.key == key).expect("a sweep setting");
    take(pairs, key).map(|v| p.check(&v)).transpose()
}

/// The lab's settings from pairs; any bad value is an error naming the key.
pub fn config(pairs: &[(String, String)]) -> Result<Config, SettingError> {
    let mut c = Config::default();
    let errors = c.apply(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    errors.into_iter().next().map_or(Ok(c), Err)
}

/// The sweep's items: `figure` (a named figure, which also sets its base settings under the
/// caller's), or every combination of `inits` (`paper`: the paper's starts; `ranks`: bare ranks),
/// `rules`, `gains` and `flosses`.
fn variants(pairs: &mut Vec<(String, String)>) -> Result<Vec<Variant>, SettingError> {
    let figure = match checked(pairs, "figure")? {
        Some(name) => Some(named(&name).ok_or_else(|| {
            SettingError::new("figure", Code::Choice, format!("figure: '{name}' is not one of paper, local, gain"))
        })?),
        None => None,
    };
    let inits = match (take(pairs, "inits"), take(pairs, "ranks")) {
        (Some(l), _) if l == "paper" => named("paper").unwrap().0,
        (Some(l), _) | (None, Some(l)) => l,
        (None, None) => String::new(),
    };
    let [rule_list, gain_list, floss_list] = ["rules", "gains", "flosses"].map(|k| take(pairs, k).unwrap_or_default());
    for (key, list) in [("inits", &inits), ("rules", &rule_list), ("gains", &gain_list), ("flosses", &floss_list)] {
        if list.split(',').count() > 1 && list.split(',').any(|s| s.trim().is_empty()) {
            return Err(SettingError::new(key, Code::List, crate::settings::empty_item(key, list)));
        }
    }
    let lists = [inits, prefixed("rule", &rule_list), prefixed("gain", &gain_list), prefixed("floss", &floss_list)];
    let mut list = grid(&lists.iter().map(String::as_str).collect::<Vec<_>>());
    if let Some((figure_list, base)) = figure {
        // The figure's base goes first, so that the caller's own settings win.
        let mut with_base: Vec<(String, String)> = base
            .iter()
            .filter(|(k, _)| !pairs.iter().any(|(g, _)| g == k))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        with_base.append(pairs);
        *pairs = with_base;
        list = if list.is_empty() { figure_list } else { grid(&[&figure_list, &list]) };
    }
    if list.is_empty() {
        list = "1,30,100,300".into();
    }
    // The list is the crossing of inits, rules, gains and flosses: its errors go to `inits`, with their own code.
    parse_variants(&list).map_err(|e| SettingError { key: "inits".into(), ..e.within("sweep") })
}

/// The given settings of a call (`run`, `sweep`, or a study's name, with the command line's pairs)
/// that have no effect, one warning each (code `unused`), which the command line prints and Python
/// warns with before the call runs it. A sweep names a base key that applies in none of its runs,
/// and an item's part that has no effect in its run (prefixed with the item). Bad pairs give none:
/// the call itself refuses them.
pub fn unused(name: &str, pairs: &[(String, String)]) -> Vec<SettingError> {
    let given = || pairs.iter().map(|(k, _)| k.as_str());
    match name {
        "run" => {
            let mut c = Config::default();
            let errors = c.apply(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            c.unused(given(), &errors)
        }
        "sweep" => sweep_unused(pairs),
        _ => crate::studies::find(name).map_or_else(
            |_| Vec::new(),
            |spec| {
                let (v, errors) = spec.values(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
                spec.unused(&v, &given().collect::<Vec<_>>(), &errors)
            },
        ),
    }
}

fn sweep_unused(pairs: &[(String, String)]) -> Vec<SettingError> {
    let mut rest = pairs.to_vec();
    let Ok(variants) = variants(&mut rest) else { return Vec::new() };
    rest.retain(|(k, _)| !PARAMS.iter().any(|p| p.key == k));
    let Ok(base) = config(&rest) else { return Vec::new() };
    let given: Vec<&str> =
        pairs.iter().map(|(k, _)| k.as_str()).filter(|k| !PARAMS.iter().any(|p| p.key == *k)).collect();
    // Per given key: the first run's warning, and whether it has no effect in every run so far (an
    // item that sets the key itself overrides it: no effect there either).
    let mut found: Vec<(&str, Option<SettingError>, bool)> = given.iter().map(|k| (*k, None, true)).collect();
    let mut parts = Vec::new();
    for v in &variants {
        let mut c = base.clone();
        let errors = c.apply(v.pairs.iter().map(|(k, val)| (*k, val.as_str())));
        let here = c.unused(given.iter().copied(), &errors);
        for (k, first, everywhere) in &mut found {
            let e = here.iter().find(|e| e.key == *k);
            *everywhere &= e.is_some() || v.pairs.iter().any(|(j, _)| j == k);
            if first.is_none() {
                *first = e.cloned();
            }
        }
        for e in c.unused(v.pairs.iter().map(|(k, _)| *k), &errors) {
            parts.push(SettingError::new(&e.key, Code::Unused, format!("{}: {}", v.label, e.message)));
        }
    }
    let mut out: Vec<SettingError> = found.into_iter().filter(|(_, _, all)| *all).filter_map(|(_, e, _)| e).collect();
    if variants.len() > 1 {
        for e in &mut out {
            e.message.push_str(", in every run of the sweep");
        }
    }
    out.extend(parts);
    out
}

/// `richlazy sweep` without the printing: (the report `--json` writes, the table). The runs are
/// numbered item-major, seed-minor; `shard` K/N runs those with i mod N = K and reports them with
/// the items' labels (no summary), for `merge`.
pub fn sweep(pairs: &[(String, String)], ctl: &Control) -> Result<(Json, String), SettingError> {
    let mut pairs = pairs.to_vec();
    let variants = variants(&mut pairs)?;
    let seeds: u64 = checked(&mut pairs, "seeds")?.map_or(3, |s| s.parse().expect("checked"));
    let shard = checked(&mut pairs, "shard")?.map_or(Shard::WHOLE, |s| Shard::parse(&s).expect("checked"));
    let threads = checked(&mut pairs, "threads")?.map_or(ctl.threads, |t| t.parse().expect("checked")).max(1);
    let base = config(&pairs)?;
    let (mut jobs, mut i) = (Vec::new(), 0);
    for v in &variants {
        for s in 0..seeds {
            let mut c = base.clone();
            let seed = (base.seed + s).to_string();
            let pairs = v.pairs.iter().map(|(k, val)| (*k, val.as_str())).chain([("seed", seed.as_str())]);
            c.apply(pairs).into_iter().next().map_or(Ok(()), Err)?;
            if shard.owns(i) {
                jobs.push(c);
            }
            i += 1;
        }
    }
    let runs = run_parallel(jobs, threads, ctl)?;
    let labels: Vec<String> = variants.iter().map(|v| v.label.clone()).collect();
    if shard.is_whole() {
        return Ok(whole(&base, seeds, &labels, runs));
    }
    let report = obj([
        ("base", config_json(&base)),
        ("seeds", seeds.into()),
        ("shard", shard.key().into()),
        ("items", Json::Arr(labels.iter().map(|l| Json::from(l.as_str())).collect())),
        ("runs", Json::Arr(runs)),
    ]);
    let table = format!(
        "sweep shard {} of {} runs ({} items x {seeds} seeds); richlazy merge joins the shards\n",
        shard.key(),
        labels.len() * seeds as usize,
        labels.len()
    );
    Ok((report, table))
}

const SUMMARY: [&str; 9] = [
    "loss",
    "accuracy",
    "weight_change",
    "weight_change_rel",
    "sign_similarity",
    "rep_alignment",
    "kernel_alignment",
    "erank_entropy",
    "lyap_max",
];

/// The whole sweep's report and table from every run in order: what an unsharded sweep writes
/// and what `merge` rebuilds from shards.
fn whole(base: &Config, seeds: u64, labels: &[String], runs: Vec<Json>) -> (Json, String) {
    let mut rows = Vec::new();
    for (label, chunk) in labels.iter().zip(runs.chunks(seeds.max(1) as usize)) {
        let finals: Vec<&Json> = chunk.iter().filter_map(|j| j.get("final")).filter(|f| **f != Json::Null).collect();
        let initial = |key: &str| -> Vec<f64> {
            chunk.iter().filter_map(|j| j.get("initial").and_then(|i| num(i, key))).collect()
        };
        let mut stats = vec![
            ("init".to_string(), Json::from(label.as_str())),
            ("runs".into(), chunk.len().into()),
            ("diverged".into(), (chunk.len() - finals.len()).into()),
        ];
        stats.push(("initial_erank_entropy".into(), mean_sd(&initial("erank_entropy")).0.into()));
        let (m, sd) = mean_sd(&initial("lyap_max"));
        stats.push(("initial_lyap_max".into(), obj([("mean", m.into()), ("sd", sd.into())])));
        for key in SUMMARY {
            stats.push((key.to_string(), stat(finals.iter().filter_map(|f| num(f, key)).collect())));
        }
        // Only a sweep of sequences has this key, so every other report keeps its bytes.
        if !base.sequence.is_empty() {
            stats.push(("sequence".into(), sequence_summary(chunk)));
        }
        rows.push(Json::Obj(stats));
    }
    let mut table = table(base, seeds, &rows);
    if !base.sequence.is_empty() {
        table += &sequence_table(&rows);
    }
    let report = obj([
        ("base", config_json(base)),
        ("seeds", seeds.into()),
        ("summary", Json::Arr(rows)),
        ("runs", Json::Arr(runs)),
    ]);
    (report, table)
}

/// `{"mean", "sd"}` over the seeds (NaN for none).
fn stat(xs: Vec<f64>) -> Json {
    let (m, sd) = if xs.is_empty() { (f64::NAN, f64::NAN) } else { mean_sd(&xs) };
    obj([("mean", m.into()), ("sd", sd.into())])
}

/// A phase's weight change and cost (`report::sequence_json`'s keys), summarised over seeds.
const PHASE_COSTS: [&str; 6] = ["change_w_rec", "change_all", "path_w_rec", "path_all", "path_sq_w_rec", "path_sq_all"];

/// An item's sequence over its seeds (docs/sequences.md): per phase its task, the forgetting of each
/// earlier task (`{"<task>": {"accuracy", "loss"}}`), the iterations to learn its task over the seeds
/// that did (`learned` of them), its weight change and cost; and the run's `total`. A phase counts the
/// seeds that reached its end (`runs`).
fn sequence_summary(chunk: &[Json]) -> Json {
    let seqs: Vec<&Json> = chunk.iter().filter_map(|j| j.get("sequence")).collect();
    let count = seqs.iter().map(|s| arr(s, "phases").len()).max().unwrap_or(0);
    let rows = (0..count).map(|p| {
        let here: Vec<&Json> = seqs.iter().filter_map(|s| arr(s, "phases").get(p)).collect();
        let forgotten = || here.iter().flat_map(|h| arr(h, "forgetting"));
        let mut tasks: Vec<&str> = Vec::new();
        for t in forgotten().filter_map(|f| text(f, "task")) {
            if !tasks.contains(&t) {
                tasks.push(t);
            }
        }
        let forgot = |task: &str, key: &str| {
            stat(forgotten().filter(|f| text(f, "task") == Some(task)).filter_map(|f| num(f, key)).collect())
        };
        let learned: Vec<f64> = here.iter().filter_map(|h| num(h, "iters_to_learn")).collect();
        let mut row = vec![
            ("task".to_string(), text(here[0], "task").map_or(Json::Null, Json::from)),
            ("runs".into(), here.len().into()),
            (
                "forgetting".into(),
                Json::Obj(
                    tasks
                        .iter()
                        .map(|t| {
                            (t.to_string(), obj([("accuracy", forgot(t, "accuracy")), ("loss", forgot(t, "loss"))]))
                        })
                        .collect(),
                ),
            ),
            ("learned".into(), learned.len().into()),
            ("iters_to_learn".into(), stat(learned)),
        ];
        for key in PHASE_COSTS {
            row.push((key.to_string(), stat(here.iter().filter_map(|h| num(h, key)).collect())));
        }
        Json::Obj(row)
    });
    let totals: Vec<&Json> = seqs.iter().filter_map(|s| s.get("total")).collect();
    let total = PHASE_COSTS.map(|key| (key, stat(totals.iter().filter_map(|t| num(t, key)).collect())));
    obj([("phases", Json::Arr(rows.collect())), ("total", obj(total))])
}

/// The sequence's lines below the table: per item and phase, what it forgot, how fast it learned,
/// and what it cost.
fn sequence_table(rows: &[Json]) -> String {
    use std::fmt::Write;
    let ms = |s: Option<&Json>| match s {
        Some(s) => format!("{:.3} +- {:.3}", num(s, "mean").unwrap_or(f64::NAN), num(s, "sd").unwrap_or(f64::NAN)),
        None => "-".into(),
    };
    let mut out = String::from(
        "sequence (per phase: accuracy forgotten of each earlier task; iterations to reach accuracy 0.8, seeds that did; change and path of W_rec and of all weights)\n",
    );
    for r in rows {
        let label = text(r, "init").unwrap_or("?");
        for (p, ph) in r.get("sequence").map_or(&[][..], |s| arr(s, "phases")).iter().enumerate() {
            let forgot = match ph.get("forgetting") {
                Some(Json::Obj(f)) if !f.is_empty() => {
                    f.iter().map(|(t, v)| format!("{t} {}", ms(v.get("accuracy")))).collect::<Vec<_>>().join(", ")
                }
                _ => "-".into(),
            };
            let _ = writeln!(
                out,
                "{label} phase {p} {}: forgot {forgot}; learned in {} ({}/{}); dW_rec {}, dW {}; path W_rec {}, all {}",
                text(ph, "task").unwrap_or("?"),
                ms(ph.get("iters_to_learn")),
                num(ph, "learned").unwrap_or(0.0),
                num(ph, "runs").unwrap_or(0.0),
                ms(ph.get("change_w_rec")),
                ms(ph.get("change_all")),
                ms(ph.get("path_w_rec")),
                ms(ph.get("path_all")),
            );
        }
    }
    out
}

fn arr<'j>(j: &'j Json, key: &str) -> &'j [Json] {
    match j.get(key) {
        Some(Json::Arr(a)) => a,
        _ => &[],
    }
}

fn text<'j>(j: &'j Json, key: &str) -> Option<&'j str> {
    match j.get(key) {
        Some(Json::Str(s)) => Some(s),
        _ => None,
    }
}

fn num(j: &Json, key: &str) -> Option<f64> {
    match j.get(key)? {
        Json::Num(x) if x.is_finite() => Some(*x),
        _ => None,
    }
}

/// "rank:30 bptt g 1.25", "connectome eprop g 0.5 floss pre local k 1": a run's start, rule, gain and flossing, for progress lines.
fn run_label(c: &Config) -> String {
    let start = match (c.rank(), c.erank()) {
        (Some(r), _) => format!("{}:{r}", c.init.key()),
        (_, Some(e)) => format!("{}:{e}", c.init.key()),
        _ => c.init.key().to_string(),
    };
    let floss = if c.floss.on() {
        format!(" floss {} {} k {}", c.floss.when.key(), c.floss.mode.key(), c.floss.k)
    } else {
        String::new()
    };
    format!("{start} {} g {}{floss}", c.rule.key(), c.init.gain)
}

/// The table of final measures.
fn table(base: &Config, seeds: u64, rows: &[Json]) -> String {
    use std::fmt::Write;
    // A sequence's table names it: its measures above are the first task's, at the run's end.
    let (what, per) = if base.sequence.is_empty() {
        (format!("task {}", base.task.key()), "")
    } else {
        (format!("sequence {} (the first task's measures at the end)", base.sequence.text()), " a phase")
    };
    let mut out = format!(
        "sweep: {what}, dt {} ms, N {}, {} iterations{per}, {} lr {}, {} seeds from {} (mean +- sd over non-diverged seeds; lambda per step)\n",
        base.dt,
        base.hidden,
        base.iters,
        base.optimizer.key(),
        base.optimizer.lr(),
        seeds,
        base.seed
    );
    let w = rows.iter().filter_map(|r| match r.get("init") {
        Some(Json::Str(s)) => Some(s.len()),
        _ => None,
    });
    let w = w.max().unwrap_or(4).max(4);
    let _ = writeln!(
        out,
        "{:>w$} {:>7} {:>4} | {:>15} {:>15} {:>15} {:>15} {:>15} {:>15} {:>15} {:>15} {:>15}",
        "init",
        "erank0",
        "div",
        "loss",
        "accuracy",
        "dW_rec",
        "dW_rec rel",
        "sign sim",
        "rep align",
        "kernel align",
        "lyap_max 0",
        "lyap_max end"
    );
    for r in rows {
        let cell = |k: &str| match r.get(k) {
            Some(s) => format!("{:.4} +- {:.4}", num(s, "mean").unwrap_or(f64::NAN), num(s, "sd").unwrap_or(f64::NAN)),
            None => "-".into(),
        };
        let _ = writeln!(
            out,
            "{:>w$} {:>7.1} {:>4} | {:>15} {:>15} {:>15} {:>15} {:>15} {:>15} {:>15} {:>15} {:>15}",
            match r.get("init") {
                Some(Json::Str(s)) => s.as_str(),
                _ => "?",
            },
            num(r, "initial_erank_entropy").unwrap_or(f64::NAN),
            num(r, "diverged").unwrap_or(0.0),
            cell("loss"),
            cell("accuracy"),
            cell("weight_change"),
            cell("weight_change_rel"),
            cell("sign_similarity"),
            cell("rep_alignment"),
            cell("kernel_alignment"),
            cell("initial_lyap_max"),
            cell("lyap_max")
        );
    }
    out
}

/// Runs every configuration to the end on `threads` threads (each run single-threaded inside, so
/// that the cores are not oversubscribed); the runs' reports in job order.
fn run_parallel(jobs: Vec<Config>, threads: usize, ctl: &Control) -> Result<Vec<Json>, SettingError> {
    let total = jobs.len();
    let queue = std::sync::Mutex::new(jobs.into_iter().enumerate());
    let done = std::sync::Mutex::new(Vec::with_capacity(total));
    std::thread::scope(|s| {
        for _ in 0..threads.min(total) {
            s.spawn(|| loop {
                if ctl.cancelled() {
                    break;
                }
                let Some((i, c)) = queue.lock().unwrap().next() else { break };
                let t0 = Instant::now();
                let result = Experiment::new(c.clone()).and_then(|mut exp| {
                    let every = exp.config().every.max(1);
                    while exp.status() == Status::Running {
                        if ctl.cancelled() {
                            return Err(cancelled());
                        }
                        exp.advance(every);
                    }
                    Ok(run_json(&exp))
                });
                let mut d = done.lock().unwrap();
                let summary = match &result {
                    Ok(j) => j.get("final").map_or("-".into(), |f| f.to_string()),
                    Err(e) => e.message.clone(),
                };
                let label =
                    format!("{} seed {} in {:.1}s: {summary}", run_label(&c), c.seed, t0.elapsed().as_secs_f64());
                d.push((i, result));
                (ctl.progress)(d.len(), total, &label);
            });
        }
    });
    if ctl.cancelled() {
        return Err(cancelled());
    }
    let mut done = done.into_inner().unwrap();
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// A registered study (`studies::STUDIES`: theory, perceptron, phase, grok) run to the end:
/// (its report, its table). Cancel is checked between units.
pub fn study(name: &str, pairs: &[(String, String)], ctl: &Control) -> Result<(Json, String), SettingError> {
    let spec = crate::studies::find(name)?;
    let (values, errors) = spec.values(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    if let Some(e) = errors.into_iter().next() {
        return Err(e);
    }
    let mut run = (spec.open)(&values)?;
    loop {
        if ctl.cancelled() {
            return Err(cancelled());
        }
        let more = run.advance(1);
        let p = run.progress();
        if let (Some(Json::Num(d)), Some(Json::Num(t))) = (p.get("done"), p.get("total")) {
            (ctl.progress)(*d as usize, *t as usize, name);
        }
        if !more {
            break;
        }
    }
    Ok((run.report(), run.table()))
}

/// `richlazy merge FILES`: the shards (file name, text) of one sharded sweep or study as the
/// whole run's report and table, byte for byte what the unsharded run writes.
pub fn merge(texts: &[(String, String)]) -> Result<(Json, String), SettingError> {
    let (first, text) = texts.first().ok_or_else(|| crate::settings::unfit("merge: give the shards' report files"))?;
    let j = Json::parse(text).map_err(|e| SettingError::from(e).within(first))?;
    if j.get("items").is_some() && j.get("base").is_some() {
        return merge_sweep(texts);
    }
    // A study's report names its settings in its table's order: that says which study it is.
    let keys: Vec<&str> = match j.get("settings") {
        Some(Json::Obj(pairs)) => pairs.iter().map(|(k, _)| k.as_str()).collect(),
        _ => Vec::new(),
    };
    let spec = crate::studies::STUDIES
        .iter()
        .find(|s| s.params.iter().map(|p| p.key).eq(keys.iter().copied()))
        .ok_or_else(|| crate::study::malformed(format!("{first}: not a report of a sweep or a study")))?;
    let merge =
        spec.merge.ok_or_else(|| crate::settings::unfit(format!("{first}: the {} study is not sharded", spec.name)))?;
    merge(texts)
}

/// A sweep's shards: the same base, seeds and items in every one, each shard once.
fn merge_sweep(texts: &[(String, String)]) -> Result<(Json, String), SettingError> {
    let mut parts = Vec::new();
    let mut head: Option<(String, String)> = None;
    for (name, text) in texts {
        let j = Json::parse(text).map_err(|e| SettingError::from(e).within(name))?;
        let (Some(base), Some(seeds), Some(items), Some(Json::Str(shard)), Some(Json::Arr(runs))) =
            (j.get("base"), j.get("seeds"), j.get("items"), j.get("shard"), j.get("runs"))
        else {
            let message = format!("{name}: not a shard of a sweep (richlazy sweep ... --shard K/N)");
            return Err(crate::study::malformed(message));
        };
        let same = (format!("{base}"), format!("{seeds} {items}"));
        match &head {
            Some(h) if *h != same => {
                return Err(crate::settings::unfit(format!(
                    "merge: {name} is a shard of another sweep (its settings or items differ from {}'s)",
                    texts[0].0
                )))
            }
            _ => head = Some(same),
        }
        let shard = crate::study::SHARD.check(shard).map_err(|e| e.within(name))?;
        parts.push((name.clone(), Shard::parse(&shard).expect("checked"), runs.clone()));
    }
    let j = Json::parse(&texts[0].1).expect("parsed above");
    let seeds = num(&j, "seeds").unwrap_or(0.0) as u64;
    let labels: Vec<String> = match j.get("items") {
        Some(Json::Arr(items)) => {
            items.iter().map(|i| if let Json::Str(s) = i { s.clone() } else { String::new() }).collect()
        }
        _ => Vec::new(),
    };
    let runs = interleave(parts, labels.len() * seeds as usize)?;
    // The base as the shards wrote it: config_json of it gives the same bytes back.
    let base = match j.get("base") {
        Some(Json::Obj(pairs)) => pairs
            .iter()
            .map(|(k, v)| (k.clone(), if let Json::Str(s) = v { s.clone() } else { v.to_string() }))
            .collect::<Vec<_>>(),
        _ => Vec::new(),
    };
    let (report, table) = whole(&config(&base)?, seeds, &labels, runs);
    if report.get("base") != j.get("base") {
        let message = format!("merge: {}: its base settings do not read back as they were written", texts[0].0);
        return Err(crate::study::malformed(message));
    }
    Ok((report, table))
}
