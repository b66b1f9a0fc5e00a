//! Settings as text, one kit for every table of them (the lab, the theory panel, the regime
//! studies, a file's matrix): the value kinds, the checks, and a typed error that names its key,
//! so that the page marks a field and the command line prints a line without parsing messages.

use crate::json::{obj, Json};
use std::fmt;

/// What went wrong with a setting (the page keys its handling on this, never on the message).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    /// Not a setting of this view or command.
    Unknown,
    /// Given more than once.
    Duplicate,
    /// Not a number.
    Number,
    /// Not a whole number.
    Whole,
    /// Outside its range.
    Range,
    /// Not one of the names.
    Choice,
    /// A malformed list.
    List,
    /// Valid alone but not with the other settings (a rank above N, dt with sMNIST, ...).
    Conflict,
    /// A file start whose matrix is not loaded: not a bad value, the page asks for the file.
    MissingFile,
    /// Anything else (a malformed file, a hash that is not one).
    Format,
    /// Not refused: a value kept, with a caution the reader should see (`Config::notices`).
    Notice,
    /// Not refused: a setting given where it has no effect (`Applies`); named, never written.
    Unused,
}

impl Code {
    pub fn key(self) -> &'static str {
        match self {
            Code::Unknown => "unknown",
            Code::Duplicate => "duplicate",
            Code::Number => "number",
            Code::Whole => "whole",
            Code::Range => "range",
            Code::Choice => "choice",
            Code::List => "list",
            Code::Conflict => "conflict",
            Code::MissingFile => "missing_file",
            Code::Format => "format",
            Code::Notice => "notice",
            Code::Unused => "unused",
        }
    }
}

/// A refused setting: its key ("" when it concerns none), what is wrong, and the reader's line
/// (which starts with the key, as the command line prints it).
#[derive(Clone, Debug, PartialEq)]
pub struct SettingError {
    pub key: String,
    pub code: Code,
    pub message: String,
}

impl SettingError {
    pub fn new(key: &str, code: Code, message: impl Into<String>) -> SettingError {
        SettingError { key: key.to_string(), code, message: message.into() }
    }

    /// `{"key", "code", "message"}`: how errors cross to the page.
    pub fn json(&self) -> Json {
        obj([
            ("key", Json::from(self.key.as_str())),
            ("code", Json::from(self.code.key())),
            ("message", Json::from(self.message.as_str())),
        ])
    }
}

impl fmt::Display for SettingError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Compares the message (tests list the lines a reader sees).
impl PartialEq<&str> for SettingError {
    fn eq(&self, other: &&str) -> bool {
        self.message == *other
    }
}

impl From<SettingError> for String {
    fn from(e: SettingError) -> String {
        e.message
    }
}

/// A list of errors as a JSON array (the page's `errors`).
pub fn errors_json(errors: &[SettingError]) -> Json {
    Json::Arr(errors.iter().map(SettingError::json).collect())
}

pub fn number(key: &str, v: &str) -> Result<f64, SettingError> {
    v.trim()
        .parse::<f64>()
        .ok()
        .filter(|x| !x.is_nan())
        .ok_or_else(|| SettingError::new(key, Code::Number, format!("{key}: '{}' is not a number", clip(v))))
}

pub fn in_range(key: &str, x: f64, lo: f64, hi: f64) -> Result<f64, SettingError> {
    if x >= lo && x <= hi {
        Ok(x)
    } else {
        Err(SettingError::new(
            key,
            Code::Range,
            format!("{key}: {} is outside {}..{}", compact(x), compact(lo), compact(hi)),
        ))
    }
}

/// A whole number in lo..=hi.
pub fn whole(key: &str, v: &str, lo: u64, hi: u64) -> Result<u64, SettingError> {
    let x = number(key, v)?;
    if x.fract() != 0.0 {
        return Err(SettingError::new(key, Code::Whole, format!("{key}: {} is not a whole number", clip(v.trim()))));
    }
    in_range(key, x, lo as f64, hi as f64).map(|x| x as u64)
}

/// One of `names` (as given, trimmed).
pub fn choice<'n>(key: &str, v: &str, names: &[&'n str]) -> Result<&'n str, SettingError> {
    let t = v.trim();
    names.iter().find(|n| **n == t).copied().ok_or_else(|| {
        SettingError::new(key, Code::Choice, format!("{key}: '{}' is not one of {}", clip(t), names.join(", ")))
    })
}

/// A number for a message, short whatever the reader typed, and exact (the shortest text that reads
/// back as the same number, so a rejected value never prints as an accepted one): positional unless
/// the exponent form is more than 3 characters shorter (1e308 -> "1e308", 0.000001 -> "1e-6",
/// 1.25 -> "1.25", 4294967295 -> "4294967295"); at most 25 characters.
pub fn compact(x: f64) -> String {
    let x = if x == 0.0 { 0.0 } else { x }; // no "-0"
    let (plain, sci) = (format!("{x}"), format!("{x:e}"));
    if plain.len() <= sci.len() + 3 {
        plain
    } else {
        sci
    }
}

/// The message for a list with an empty item (two commas in a row, or one at an end): an error,
/// never skipped, so that a slip in a list is seen.
pub fn empty_item(key: &str, list: &str) -> String {
    let at = list.split(',').position(|s| s.trim().is_empty()).map_or(1, |i| i + 1);
    format!("{key}: item {at} of '{}' is empty (two commas in a row, or a comma at an end)", clip(list.trim()))
}

/// Keeps error messages short when a link carries junk.
pub fn clip(v: &str) -> String {
    let s: String = v.chars().take(24).collect();
    if s.len() < v.len() {
        format!("{s}...")
    } else {
        s
    }
}

/// Splits off every key given more than once: the pairs whose key is given once, in order, and
/// one error per repeated key naming all its values. None of a repeated key's values is used,
/// so an ambiguous link or command line never silently picks one.
pub fn without_repeats<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> (Vec<(&'a str, &'a str)>, Vec<SettingError>) {
    let pairs: Vec<(&str, &str)> = pairs.into_iter().collect();
    let count = |k: &str| pairs.iter().filter(|(j, _)| *j == k).count();
    let mut errors: Vec<SettingError> = Vec::new();
    for (k, _) in &pairs {
        if count(k) > 1 && !errors.iter().any(|e| e.key == *k) {
            let values: Vec<String> =
                pairs.iter().filter(|(j, _)| j == k).map(|(_, v)| format!("'{}'", clip(v))).collect();
            errors.push(SettingError::new(
                k,
                Code::Duplicate,
                format!("{}: given {} times ({}); none is used", clip(k), values.len(), values.join(", ")),
            ));
        }
    }
    (pairs.iter().copied().filter(|(k, _)| count(k) == 1).collect(), errors)
}

/// What one key accepts.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// A whole number in lo..=hi.
    Int { lo: u64, hi: u64 },
    /// A real number in lo..=hi.
    Real { lo: f64, hi: f64 },
    /// Comma-separated reals, each in lo..=hi, at most `max` of them.
    Reals { lo: f64, hi: f64, max: usize },
    /// One of the names; `labels` (empty, or one per name) are the reader's words for them.
    Choice { names: &'static [&'static str], labels: &'static [&'static str] },
    /// Text that the table's owner checks (a matrix's hash).
    Text,
    /// A shard `K/N` of a sweep's work (`shard::Shard`); the page's pools set it, not its forms.
    Shard,
}

/// One setting: its key (in links and on the command line), default and meaning.
#[derive(Clone, Copy, Debug)]
pub struct Param {
    pub key: &'static str,
    pub default: &'static str,
    pub kind: Kind,
    /// A short label for the page's form and the command line's help.
    pub help: &'static str,
}

impl Param {
    pub const fn int(key: &'static str, default: &'static str, lo: u64, hi: u64, help: &'static str) -> Param {
        Param { key, default, kind: Kind::Int { lo, hi }, help }
    }

    pub const fn real(key: &'static str, default: &'static str, lo: f64, hi: f64, help: &'static str) -> Param {
        Param { key, default, kind: Kind::Real { lo, hi }, help }
    }

    /// A choice with the reader's words for its names (`labels`: one per name, or none).
    pub const fn menu(
        key: &'static str,
        default: &'static str,
        names: &'static [&'static str],
        labels: &'static [&'static str],
        help: &'static str,
    ) -> Param {
        Param { key, default, kind: Kind::Choice { names, labels }, help }
    }

    /// The value in its canonical text, or an error naming the key.
    pub fn check(&self, v: &str) -> Result<String, SettingError> {
        let key = self.key;
        let real = |x: f64, lo: f64, hi: f64| in_range(key, x, lo, hi).map(compact);
        match self.kind {
            Kind::Int { lo, hi } => whole(key, v, lo, hi).map(|x| compact(x as f64)),
            Kind::Real { lo, hi } => real(number(key, v)?, lo, hi),
            Kind::Reals { lo, hi, max } => {
                let items: Vec<&str> = v.split(',').map(str::trim).collect();
                if items.iter().any(|s| s.is_empty()) && !(items.len() == 1 && v.trim().is_empty()) {
                    return Err(SettingError::new(key, Code::List, empty_item(key, v)));
                }
                let items: Vec<&str> = items.into_iter().filter(|s| !s.is_empty()).collect();
                if items.is_empty() || items.len() > max {
                    return Err(SettingError::new(
                        key,
                        Code::List,
                        format!("{key}: give 1 to {max} numbers separated by commas"),
                    ));
                }
                Ok(items.iter().map(|s| real(number(key, s)?, lo, hi)).collect::<Result<Vec<_>, _>>()?.join(","))
            }
            Kind::Choice { names, .. } => choice(key, v, names).map(str::to_string),
            Kind::Text => Ok(v.trim().to_string()),
            Kind::Shard => crate::shard::Shard::parse(v).map(crate::shard::Shard::key).ok_or_else(|| {
                let most = crate::shard::MAX_SHARDS;
                SettingError::new(
                    key,
                    Code::Format,
                    format!("{key}: '{}' is not K/N with 0 <= K < N <= {most} (e.g. 0/4)", clip(v)),
                )
            }),
        }
    }

    /// A number or whole number, checked against this row's range.
    pub fn number(&self, v: &str) -> Result<f64, SettingError> {
        Ok(self.check(v)?.parse().expect("a checked int or real"))
    }

    /// The row of a schema: `{"key", "default", "help", "kind", ...}` (`lo`/`hi`/`max`, `choices`, `labels`).
    pub fn schema(&self) -> Json {
        let mut f =
            vec![("key", Json::from(self.key)), ("default", Json::from(self.default)), ("help", Json::from(self.help))];
        match self.kind {
            Kind::Int { lo, hi } => {
                f.extend([("kind", Json::from("int")), ("lo", Json::from(lo)), ("hi", Json::from(hi))])
            }
            Kind::Real { lo, hi } => {
                f.extend([("kind", Json::from("real")), ("lo", Json::from(lo)), ("hi", Json::from(hi))])
            }
            Kind::Reals { lo, hi, max } => f.extend([
                ("kind", Json::from("reals")),
                ("lo", Json::from(lo)),
                ("hi", Json::from(hi)),
                ("max", Json::from(max)),
            ]),
            Kind::Choice { names, labels } => {
                let list = |l: &[&str]| Json::Arr(l.iter().map(|n| Json::from(*n)).collect());
                f.extend([("kind", Json::from("choice")), ("choices", list(names))]);
                if !labels.is_empty() {
                    f.push(("labels", list(labels)));
                }
            }
            Kind::Text => f.push(("kind", Json::from("text"))),
            Kind::Shard => f.push(("kind", Json::from("shard"))),
        }
        obj(f)
    }

    /// One line of a command's `--help`.
    pub fn help_line(&self) -> String {
        let range = match self.kind {
            Kind::Int { lo, hi } => format!("{lo}..{hi}"),
            Kind::Real { lo, hi } => format!("{}..{}", compact(lo), compact(hi)),
            Kind::Reals { lo, hi, max } => format!("up to {max} of {}..{}", compact(lo), compact(hi)),
            Kind::Choice { names, .. } => names.join("|"),
            Kind::Text => "text".into(),
            Kind::Shard => "K/N".into(),
        };
        let default = if self.default.is_empty() { String::new() } else { format!(" [default {}]", self.default) };
        format!("  --{:<14} {} ({range}){default}", self.key, self.help)
    }
}

/// Tables joined in order, for a view whose settings come from several modules (the lab's start
/// from `init`, the rest from `config`); `N` must be their total length.
pub const fn concat<const N: usize>(parts: &[&[Param]]) -> [Param; N] {
    let mut out = [Param { key: "", default: "", kind: Kind::Text, help: "" }; N];
    let (mut i, mut at) = (0, 0);
    while i < parts.len() {
        let mut j = 0;
        while j < parts[i].len() {
            out[at] = parts[i][j];
            at += 1;
            j += 1;
        }
        i += 1;
    }
    assert!(at == N, "the parts' lengths must add up to N");
    out
}

/// When a setting has an effect: only while the setting `when` has one of `values()` (a fn, so
/// that a table derives the list from another, as the lab's family keys from `init::FAMILIES`).
/// A key without such a row always applies. Tables keep these beside their `Param`s (`Spec::applies`).
#[derive(Clone, Copy, Debug)]
pub struct Applies {
    pub key: &'static str,
    pub when: &'static str,
    pub values: fn() -> Vec<&'static str>,
}

impl Applies {
    /// Whether the setting has an effect while `when` is `value`.
    pub fn holds(&self, value: &str) -> bool {
        (self.values)().contains(&value)
    }

    /// The schema's `"applies": {"<when>": [values]}`.
    pub fn json(&self) -> Json {
        obj([(self.when, Json::Arr((self.values)().into_iter().map(Json::from).collect()))])
    }

    /// The warning for this key given while `when` is `value`: "rank: has no effect with init gaussian
    /// (it applies with init rank, aligned, dale_rank)".
    pub fn unused(&self, value: &str) -> SettingError {
        let when = self.when;
        SettingError::new(
            self.key,
            Code::Unused,
            format!(
                "{}: has no effect with {when} {} (it applies with {when} {})",
                self.key,
                clip(value),
                (self.values)().join(", ")
            ),
        )
    }
}

/// The row of `table` for `key`, if the key applies only sometimes.
pub fn applies<'t>(table: &'t [Applies], key: &str) -> Option<&'t Applies> {
    table.iter().find(|a| a.key == key)
}

/// The given keys that have no effect, one warning each, in the order given: `value_of` reads the
/// settings the rows depend on (the run's own values, after every cross-key rule).
pub fn unused<'k>(
    table: &[Applies],
    given: impl IntoIterator<Item = &'k str>,
    value_of: impl Fn(&str) -> String,
) -> Vec<SettingError> {
    let mut out: Vec<SettingError> = Vec::new();
    for k in given {
        if let Some(a) = applies(table, k) {
            let v = value_of(a.when);
            if !a.holds(&v) && !out.iter().any(|e| e.key == k) {
                out.push(a.unused(&v));
            }
        }
    }
    out
}

/// The table's row for `key`.
pub fn param<'t>(params: &'t [Param], key: &str) -> Option<&'t Param> {
    params.iter().find(|p| p.key == key)
}

/// A study's settings: every key of its table with a checked value.
#[derive(Clone, Debug)]
pub struct Values {
    params: &'static [Param],
    values: Vec<String>,
}

/// Equal when they hold the same values for the same table.
impl PartialEq for Values {
    fn eq(&self, other: &Values) -> bool {
        self.params.iter().map(|p| p.key).eq(other.params.iter().map(|p| p.key)) && self.values == other.values
    }
}

impl Values {
    pub fn defaults(params: &'static [Param]) -> Values {
        Values { params, values: params.iter().map(|p| p.default.to_string()).collect() }
    }

    /// Applies pairs in order; a bad or unknown key changes nothing and is named in the result.
    pub fn apply<'a>(&mut self, pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<SettingError> {
        let mut errors = Vec::new();
        for (k, v) in pairs {
            match self.params.iter().position(|p| p.key == k) {
                None => errors.push(SettingError::new(
                    k,
                    Code::Unknown,
                    format!("{}: not a setting of this study", clip(k)),
                )),
                Some(i) => match self.params[i].check(v) {
                    Ok(v) => self.values[i] = v,
                    Err(e) => errors.push(e),
                },
            }
        }
        errors
    }

    /// `key` back to its default (a key of another table is ignored).
    pub fn reset(&mut self, key: &str) {
        if let Some(i) = self.params.iter().position(|p| p.key == key) {
            self.values[i] = self.params[i].default.to_string();
        }
    }

    /// The value as checked (canonical text).
    pub fn text(&self, key: &str) -> &str {
        let i = self.params.iter().position(|p| p.key == key).unwrap_or_else(|| panic!("no setting '{key}'"));
        &self.values[i]
    }

    pub fn real(&self, key: &str) -> f64 {
        self.text(key).parse().expect("checked")
    }

    pub fn int(&self, key: &str) -> u64 {
        self.text(key).parse::<f64>().expect("checked") as u64
    }

    pub fn usize(&self, key: &str) -> usize {
        self.int(key) as usize
    }

    pub fn reals(&self, key: &str) -> Vec<f64> {
        self.text(key).split(',').map(|s| s.parse().expect("checked")).collect()
    }

    pub fn choice(&self, key: &str) -> &str {
        self.text(key)
    }

    /// Every setting, in table order (what a result records).
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        self.params.iter().map(|p| p.key).zip(self.values.iter().cloned()).collect()
    }

    /// The settings that differ from the defaults (what a link carries).
    pub fn changed(&self) -> Vec<(&'static str, String)> {
        self.params
            .iter()
            .zip(&self.values)
            .filter(|(p, v)| p.default != v.as_str())
            .map(|(p, v)| (p.key, v.clone()))
            .collect()
    }

    pub fn json(&self) -> Json {
        Json::Obj(self.pairs().into_iter().map(|(k, v)| (k.to_string(), Json::Str(v))).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PARAMS: [Param; 5] = [
        Param { key: "n", default: "10", kind: Kind::Int { lo: 1, hi: 100 }, help: "" },
        Param { key: "t", default: "0.5", kind: Kind::Real { lo: 0.0, hi: 1.0 }, help: "" },
        Param { key: "ps", default: "1,2", kind: Kind::Reals { lo: 1.0, hi: 8.0, max: 3 }, help: "" },
        Param::menu("loss", "hinge", &["hinge", "mse"], &[], ""),
        Param { key: "h", default: "", kind: Kind::Text, help: "" },
    ];

    #[test]
    fn bad_values_are_named_with_their_key_and_code_and_change_nothing() {
        let mut v = Values::defaults(&PARAMS);
        let e = v.apply([("n", "2.5"), ("t", "2"), ("ps", "1,9"), ("loss", "l1"), ("x", "1")]);
        let got: Vec<(&str, Code, &str)> = e.iter().map(|e| (e.key.as_str(), e.code, e.message.as_str())).collect();
        assert_eq!(
            got,
            [
                ("n", Code::Whole, "n: 2.5 is not a whole number"),
                ("t", Code::Range, "t: 2 is outside 0..1"),
                ("ps", Code::Range, "ps: 9 is outside 1..8"),
                ("loss", Code::Choice, "loss: 'l1' is not one of hinge, mse"),
                ("x", Code::Unknown, "x: not a setting of this study"),
            ]
        );
        assert_eq!(v, Values::defaults(&PARAMS));
        let e = v.apply([("ps", "1,2,3,4"), ("t", "nan")]);
        assert_eq!(e.iter().map(|e| e.code).collect::<Vec<_>>(), [Code::List, Code::Number]);
        assert_eq!(e[1].message, "t: 'nan' is not a number");
    }

    #[test]
    fn good_values_are_canonical_and_round_trip() {
        let mut v = Values::defaults(&PARAMS);
        assert!(v.apply([("n", " 20 "), ("t", "0.250"), ("ps", "4, 2"), ("loss", "mse")]).is_empty());
        assert_eq!((v.usize("n"), v.real("t"), v.reals("ps"), v.choice("loss")), (20, 0.25, vec![4.0, 2.0], "mse"));
        assert_eq!(
            v.changed(),
            [
                ("n", "20".to_string()),
                ("t", "0.25".to_string()),
                ("ps", "4,2".to_string()),
                ("loss", "mse".to_string())
            ]
        );
        let mut w = Values::defaults(&PARAMS);
        let changed = v.changed();
        assert!(w.apply(changed.iter().map(|(k, v)| (*k, v.as_str()))).is_empty());
        assert_eq!(w, v);
    }

    #[test]
    fn a_repeated_key_names_every_value_and_uses_none() {
        let (kept, errors) = without_repeats([("d", "abc"), ("n", "3"), ("d", "16"), ("d", "2")]);
        assert_eq!(kept, [("n", "3")]);
        assert_eq!(errors.len(), 1);
        assert_eq!((errors[0].key.as_str(), errors[0].code), ("d", Code::Duplicate));
        assert_eq!(errors[0].message, "d: given 3 times ('abc', '16', '2'); none is used");
        assert_eq!(
            errors[0].json().to_string(),
            r#"{"key":"d","code":"duplicate","message":"d: given 3 times ('abc', '16', '2'); none is used"}"#
        );
    }

    #[test]
    fn schema_rows_say_the_kind_and_its_bounds() {
        let rows: Vec<String> = PARAMS.iter().map(|p| p.schema().to_string()).collect();
        assert_eq!(rows[0], r#"{"key":"n","default":"10","help":"","kind":"int","lo":1,"hi":100}"#);
        assert_eq!(rows[3], r#"{"key":"loss","default":"hinge","help":"","kind":"choice","choices":["hinge","mse"]}"#);
        assert_eq!(rows[4], r#"{"key":"h","default":"","help":"","kind":"text"}"#);
        assert_eq!(PARAMS[2].help_line(), "  --ps              (up to 3 of 1..8) [default 1,2]");
    }

    #[test]
    fn numbers_in_messages_are_compact() {
        for (x, s) in [
            (1e308, "1e308"),
            (0.000001, "1e-6"),
            (1.25, "1.25"),
            (0.0, "0"),
            (-0.0, "0"),
            (-5.0, "-5"),
            (100.0, "100"),
            (4294967295.0, "4294967295"),
            (1e6, "1e6"),
            (200000.0, "200000"),
            (0.001, "0.001"),
            (0.0001, "0.0001"),
            (100.0000001, "100.0000001"),
            (1.0 / 3.0, "0.3333333333333333"),
            (-2.5e-300, "-2.5e-300"),
            (f64::MIN_POSITIVE, "2.2250738585072014e-308"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
        ] {
            assert_eq!(compact(x), s, "{x:e}");
        }
        for i in -320..=308 {
            for x in [1.2345678901234567 * 10f64.powi(i), -1.2345678901234567 * 10f64.powi(i), 10f64.powi(i)] {
                let s = compact(x);
                assert!(s.len() <= 25 && s.parse::<f64>() == Ok(x), "{x:e}: {s}");
            }
        }
    }
}
