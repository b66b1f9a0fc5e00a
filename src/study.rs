//! Every view of the lab behind one trait: the connectivity lab itself, the theory panel and the
//! regime studies. Each is a [`Spec`]: its settings as a table of [`Param`]s (one schema for the
//! page's form and link, the command line's `--help` and its checks) and a run that advances in
//! small deterministic units, so that the page's worker draws it live and the command line runs it
//! to the end with the same bits.
//!
//! Adding a study: a module with a `pub const SPEC: Spec`, one line in `studies::STUDIES`, and on
//! the page one view module (`www/views/`).

use crate::json::{obj, Json};
use crate::settings::{applies, clip, unused, without_repeats, Applies, Code, Kind, Param, SettingError, Values};
use crate::shard::Shard;

/// A run of a study: advanced in deterministic units of work (so the same settings give the same
/// numbers however the page or the command line slices the work).
pub trait Study {
    /// Does up to `units` units of work (the study says what a unit is: an iteration, an epoch, a
    /// cell); returns whether work remains.
    fn advance(&mut self, units: usize) -> bool;
    /// What is new since the last call (rows to append to live charts), and how far the run is:
    /// a JSON object with at least `"done"` (units done) and `"total"` (units in all).
    fn progress(&mut self) -> Json;
    /// The whole result so far, with its settings: what the page exports and `--save` writes.
    fn report(&self) -> Json;
    /// The result as a plain-text table for the command line.
    fn table(&self) -> String;
}

/// Further rows of a schema, by name.
pub type SchemaRows = fn() -> Vec<(&'static str, Json)>;
/// Joins the reports of shards (named texts) into the whole run's report and its table.
pub type Merge = fn(&[(String, String)]) -> Result<(Json, String), String>;

/// A study as the registry lists it.
pub struct Spec {
    /// Its name in links (`?view=`), on the command line and in the worker's messages.
    pub name: &'static str,
    pub title: &'static str,
    pub params: &'static [Param],
    /// When its settings have an effect (`settings::Applies`; a key without a row always has one).
    pub applies: &'static [Applies],
    /// Link keys the view reads besides its settings, typed (the lab's comparison list and seeds):
    /// the page checks them with `check`, the schema lists them as `page_params` and `page_keys`.
    pub page_params: &'static [Param],
    /// The given keys that have no effect, where `applies` read on the table's values is not the
    /// whole rule (the lab's, which a `Config` settles); `None`: `applies` on the values.
    pub unused: Option<Unused>,
    /// Further rows of the schema (the lab's initial families), by name.
    pub extra: Option<SchemaRows>,
    /// The checks that span keys, after each key's own (the theory's even dimension): each error's
    /// key goes back to its default, so that a link's or a form's check names every conflict before
    /// a run; `None` where `open` alone does them.
    pub settle: Option<fn(&Values) -> Vec<SettingError>>,
    /// A run from checked settings; an error where they conflict (a rank above N) or a start's
    /// data is not loaded.
    pub open: Open,
    /// Joins the reports of runs that each did part of the work (shards: named texts) into the
    /// report one whole run writes, and its table; `None` where a study's work is never split.
    pub merge: Option<Merge>,
    /// The report less what only a live chart or one run's table reads (the grokking study: each
    /// run's epoch rows), every number kept bit for bit: `--summary` writes it; `None` where a
    /// report has nothing such.
    pub summary: Option<fn(&Json) -> Json>,
}

/// The given keys (second) that have no effect with the checked settings (first).
pub type Unused = fn(&Values, &[&str]) -> Vec<SettingError>;

/// How a study opens a run from checked settings.
pub type Open = fn(&Values) -> Result<Box<dyn Study>, SettingError>;

impl Spec {
    /// A study with its settings and nothing more: no page keys, schema rows, cross checks, merge or
    /// summary (set those with `Spec { merge: Some(f), ..Spec::new(...) }`).
    pub const fn new(name: &'static str, title: &'static str, params: &'static [Param], open: Open) -> Spec {
        Spec {
            name,
            title,
            params,
            applies: &[],
            page_params: &[],
            unused: None,
            extra: None,
            settle: None,
            open,
            merge: None,
            summary: None,
        }
    }

    /// Settings from a link's or a command line's pairs, bad and repeated ones named and left at
    /// their defaults.
    pub fn values<'a>(&self, pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> (Values, Vec<SettingError>) {
        let mut v = Values::defaults(self.params);
        let (pairs, mut errors) = without_repeats(pairs);
        errors.extend(v.apply(pairs));
        for e in self.settle.map_or_else(Vec::new, |settle| settle(&v)) {
            v.reset(&e.key);
            errors.push(e);
        }
        (v, errors)
    }

    /// A run from pairs; any bad pair is an error (the command line's and the worker's way).
    pub fn open_strict<'a>(
        &self,
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Box<dyn Study>, SettingError> {
        let (v, errors) = self.values(pairs);
        match errors.into_iter().next() {
            Some(e) => Err(e),
            None => (self.open)(&v),
        }
    }

    /// The given keys (in `given`) that have no effect with the checked settings `v`, one warning
    /// each (code `unused`); keys with an error in `errors` are not named again.
    pub fn unused(&self, v: &Values, given: &[&str], errors: &[SettingError]) -> Vec<SettingError> {
        let given: Vec<&str> = given.iter().copied().filter(|k| !errors.iter().any(|e| e.key == *k)).collect();
        match self.unused {
            Some(f) => f(v, &given),
            None => unused(self.applies, given, |when| v.text(when).to_string()),
        }
    }

    /// One setting or page key checked alone: its canonical text, or the error naming it (the
    /// page's check of a key it keeps itself, such as the lab's `seeds`).
    pub fn check(&self, key: &str, value: &str) -> Result<String, SettingError> {
        match self.params.iter().chain(self.page_params).find(|p| p.key == key) {
            Some(p) => p.check(value),
            None => Err(SettingError::new(key, Code::Unknown, format!("{}: not a setting of this study", clip(key)))),
        }
    }

    /// The table for the page's form: `{"name", "title", "params": [...], "page_keys": [...],
    /// "page_params": [...], ...}`; a param row of a key that applies only sometimes carries
    /// `"applies": {"<other key>": [values]}`.
    pub fn schema(&self) -> Json {
        let row = |p: &Param| {
            let mut j = p.schema();
            if let (Json::Obj(f), Some(a)) = (&mut j, applies(self.applies, p.key)) {
                f.push(("applies".into(), a.json()));
            }
            j
        };
        let mut f = vec![
            ("name", Json::from(self.name)),
            ("title", Json::from(self.title)),
            ("params", Json::Arr(self.params.iter().map(row).collect())),
            ("page_keys", Json::Arr(self.page_params.iter().map(|p| Json::from(p.key)).collect())),
            ("page_params", Json::Arr(self.page_params.iter().map(Param::schema).collect())),
        ];
        if let Some(extra) = self.extra {
            f.extend(extra());
        }
        obj(f)
    }

    /// `--help` for the command line: the title and one line per setting.
    pub fn help(&self) -> String {
        let mut s = format!("{} ({}): settings, each --key value\n", self.title, self.name);
        for p in self.params {
            s.push_str(&p.help_line());
            s.push('\n');
        }
        s
    }
}

/// The `shard` setting, the same row in every table that has it (the sweep's flags, the studies').
pub const SHARD: Param = Param {
    key: "shard",
    default: "0/1",
    kind: Kind::Shard,
    help: "run the items i with i mod N = K (K/N); richlazy merge joins the shards",
};

/// The shard a study's checked settings name.
pub fn shard_of(v: &Values) -> Shard {
    Shard::parse(v.text(SHARD.key)).expect("checked by the table")
}

/// The shards' reports (named texts) of one study as its whole run's settings (the shard back to
/// `0/1`) and the items under `key` in the unsharded order; `total` counts a run's items from its
/// settings. Refuses a report of another study or other settings, and what `interleave` refuses.
pub fn gather(
    spec: &Spec,
    texts: &[(String, String)],
    key: &str,
    total: impl Fn(&Values) -> usize,
) -> Result<(Values, Vec<Json>), String> {
    let mut settings: Option<Values> = None;
    let mut parts = Vec::new();
    for (name, text) in texts {
        let j = Json::parse(text).map_err(|e| format!("{name}: {e}"))?;
        let Some(Json::Obj(pairs)) = j.get("settings") else {
            return Err(format!("{name}: not a report of the {} study (no settings)", spec.name));
        };
        let text = |v: &Json| if let Json::Str(s) = v { s.clone() } else { String::new() };
        let shard = match pairs.iter().find(|(k, _)| k == SHARD.key) {
            Some((_, v)) => SHARD.check(&text(v)).map_err(|e| format!("{name}: {e}"))?,
            None => Shard::WHOLE.key(),
        };
        let shard = Shard::parse(&shard).expect("checked");
        let rest: Vec<(&str, String)> =
            pairs.iter().filter(|(k, _)| k != SHARD.key).map(|(k, v)| (k.as_str(), text(v))).collect();
        let (v, errors) = spec.values(rest.iter().map(|(k, v)| (*k, v.as_str())));
        if let Some(e) = errors.first() {
            return Err(format!("{name}: {e}"));
        }
        match &settings {
            Some(s) if *s != v => {
                return Err(format!(
                    "merge: {name} is a shard of another run (its settings differ from the first file's)"
                ))
            }
            _ => settings = Some(v),
        }
        let Some(Json::Arr(items)) = j.get(key) else { return Err(format!("{name}: no '{key}' in it")) };
        parts.push((name.clone(), shard, items.clone()));
    }
    let v = settings.ok_or("merge: give the shards' report files")?;
    let items = crate::shard::interleave(parts, total(&v))?;
    Ok((v, items))
}
