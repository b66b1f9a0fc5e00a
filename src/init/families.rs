//! The table of initial families: one row per family, and every list of families in the crate
//! (the `init` menu of `PARAMS`, `InitSpec::KEYS`, the parse in `InitSpec::set`, the parameters a
//! run records, the checks, the page's family menu and hints (`families_json`), the sweep's items,
//! the command line's help) comes from it. The table itself, `init::FAMILIES`, sits beside the
//! family modules' declarations in `init/mod.rs`: a new family is a module (its build function and
//! hint) and a row there.

use super::{InitSpec, TaskAxes, FAMILIES};
use crate::json::{obj, Json};
use crate::linalg::Mat;
use crate::rng::Rng;

/// What a family's build function gives back; `InitSpec::build` then scales it to the Gaussian's
/// size under `scale` (all but `Base`).
pub enum Start {
    /// The base Gaussian itself, as drawn (no rescaling, so not a rounding of it).
    Base,
    /// A matrix, brought to the Gaussian's size: multiplied by |G| / |W| in the `scale` sense.
    Shaped(Mat<f64>),
    /// A matrix and the size that its scale factor divides by: a measured wiring's controls keep the
    /// wiring's own factor, so that the shuffle holds exactly its weights (`wiring::measured`).
    Sized(Mat<f64>, f64),
}

/// Builds a family's W_rec(0) from the spec, the base Gaussian (N x N, already drawn from the start's
/// stream), the rest of that stream and the task's directions.
pub type Build = fn(&InitSpec, &Mat<f64>, &mut Rng, &TaskAxes) -> Start;

/// The largest rank a family allows for the hidden size and the task's input and output counts, and
/// the message's opening that says so (`, got R` follows).
pub type RankLimit = fn(usize, usize, usize) -> (usize, String);

/// Data that fixes the hidden size: a field of the rows of the families that read it, defined by the
/// module that reads it (`connectome::SOURCE`, `fly::SOURCE`, `file::SOURCE`), so that a new measured
/// wiring is its module and its rows.
#[derive(Clone, Copy)]
pub struct Data {
    /// Its name in the schema (the families rows' `data`).
    pub key: &'static str,
    /// Its name in the initial matrix's title (the rows' `display`): "C. elegans".
    pub display: &'static str,
    /// The setting N follows besides the family (`dataset`, `file`), if any: then the schema's
    /// `hidden` is null, since N is known only with that setting.
    pub by: Option<&'static str>,
    /// The hidden size it fixes (a file's: once its matrix is registered).
    pub hidden: fn(&InitSpec) -> Option<usize>,
    /// What it is, sized: "this connectome has 279 neurons", for the mismatch message.
    pub what: fn(usize) -> String,
}

impl Data {
    /// The hidden size the data fixes (a file's: once its matrix is registered).
    pub fn hidden(self, spec: &InitSpec) -> Option<usize> {
        (self.hidden)(spec)
    }

    /// Why the hidden size must be `m`.
    pub fn mismatch(self, m: usize, n: usize) -> String {
        format!("{}, so the hidden size must be {m}, got {n}", (self.what)(m))
    }
}

impl PartialEq for Data {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl std::fmt::Debug for Data {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key)
    }
}

/// One initial family.
pub struct FamilyDef {
    /// The `init` value.
    pub key: &'static str,
    /// The page's menu label.
    pub title: &'static str,
    /// The parameters of `init::PARAMS` it uses (`rank`, `erank`, `signed`, `dataset`, `ei`, `file`):
    /// exactly those a run records (`InitSpec::value`; `dataset` off its default) and the page shows.
    pub params: &'static [&'static str],
    /// Data that fixes N, if any.
    pub data: Option<Data>,
    /// What it is, in plain text, for the page.
    pub hint: &'static str,
    /// Its largest rank, when it uses `rank` (by default the hidden size).
    pub max_rank: RankLimit,
    /// How it is built.
    pub build: Build,
}

fn up_to_hidden(n: usize, _: usize, _: usize) -> (usize, String) {
    (n, format!("rank must be between 1 and the hidden size {n}"))
}

impl FamilyDef {
    /// A row with no data and ranks up to the hidden size.
    pub const fn new(
        key: &'static str,
        title: &'static str,
        params: &'static [&'static str],
        hint: &'static str,
        build: Build,
    ) -> FamilyDef {
        FamilyDef { key, title, params, data: None, hint, max_rank: up_to_hidden, build }
    }

    /// The same row with N fixed by `data`.
    pub const fn on(self, data: Data) -> FamilyDef {
        FamilyDef { data: Some(data), ..self }
    }

    /// The same row with its own largest rank.
    pub const fn ranks(self, max_rank: RankLimit) -> FamilyDef {
        FamilyDef { max_rank, ..self }
    }

    /// Whether it uses this parameter of `init::PARAMS`.
    pub fn uses(&self, param: &str) -> bool {
        self.params.contains(&param)
    }

    /// The parameter a sweep item `key:value` sets: the first of its shape parameters (`OWNED`), if any.
    pub fn item_param(&self) -> Option<&'static str> {
        self.params.iter().copied().find(|p| OWNED.contains(p))
    }

    /// How a comparison list names it: `rank:R`, `spectrum:E`, `fly` (the value's initial after a colon).
    pub fn item(&self) -> String {
        match self.item_param() {
            Some(p) => format!("{}:{}", self.key, p[..1].to_ascii_uppercase()),
            None => self.key.to_string(),
        }
    }

    /// The hidden size the row alone fixes (the fly's 443); `None` where N is free or follows
    /// another setting too (a worm's `dataset`, a `file`).
    pub fn fixed_hidden(&self) -> Option<usize> {
        let d = self.data.filter(|d| d.by.is_none())?;
        d.hidden(&InitSpec { family: family(self.key).expect("a row of the table"), ..InitSpec::default() })
    }
}

impl PartialEq for FamilyDef {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl std::fmt::Debug for FamilyDef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key)
    }
}

/// The parameters that belong to a family's shape (`rank`, `erank`): a family that does not use one
/// holds its default, and setting one alone selects the first family whose only parameter it is
/// (`home`). The others (`signed`, `dataset`, `ei`, `file`) are kept across families.
pub const OWNED: [&str; 2] = ["rank", "erank"];

/// The family that a shape parameter set alone selects: the first row whose only parameter it is.
pub fn home(param: &str) -> Option<&'static FamilyDef> {
    FAMILIES.iter().find(|f| f.params == [param])
}

/// The number of families.
pub const COUNT: usize = FAMILIES.len();

/// Every family's key, in the table's order.
pub const fn keys() -> [&'static str; COUNT] {
    let mut k = [""; COUNT];
    let mut i = 0;
    while i < COUNT {
        k[i] = FAMILIES[i].key;
        i += 1;
    }
    k
}

/// The family with this key (exactly).
pub fn family(key: &str) -> Option<&'static FamilyDef> {
    FAMILIES.iter().find(|f| f.key == key)
}

/// The families that use `param` (a key of `init::PARAMS`), in the table's order: where it applies.
pub fn using(param: &str) -> Vec<&'static str> {
    FAMILIES.iter().filter(|f| f.uses(param)).map(|f| f.key).collect()
}

/// The initial families for the page's menu: `[{"key", "title", "params", "data", "hidden", "display",
/// "item", "hint"}]` (`hidden`: the N the row fixes, or null; `display`: the data's name in the
/// initial matrix's title, or null; `item`: how a comparison list names it).
pub fn families_json() -> Json {
    Json::Arr(
        FAMILIES
            .iter()
            .map(|f| {
                obj([
                    ("key", Json::from(f.key)),
                    ("title", Json::from(f.title)),
                    ("params", Json::Arr(f.params.iter().map(|p| Json::from(*p)).collect())),
                    ("data", f.data.map_or(Json::Null, |d| Json::from(d.key))),
                    ("hidden", f.fixed_hidden().map_or(Json::Null, Json::from)),
                    ("display", f.data.map_or(Json::Null, |d| Json::from(d.display))),
                    ("item", Json::from(f.item().as_str())),
                    ("hint", Json::from(f.hint)),
                ])
            })
            .collect(),
    )
}

/// The families for a command's help: one line each, its key, title and parameters.
pub fn help() -> String {
    FAMILIES
        .iter()
        .map(|f| {
            let params: Vec<String> = f.params.iter().map(|p| format!("--{p}")).collect();
            let params = if params.is_empty() { String::new() } else { format!(" ({})", params.join(", ")) };
            format!("  {:<20} {}{params}\n", f.key, f.title)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::init::PARAMS;

    #[test]
    fn the_table_is_consistent_and_every_list_comes_from_it() {
        let keys = keys();
        for (i, f) in FAMILIES.iter().enumerate() {
            assert_eq!(keys[i], f.key);
            assert_eq!(family(f.key), Some(f), "{}: one row per key", f.key);
            assert!(!f.title.is_empty() && !f.hint.is_empty(), "{}", f.key);
            for p in f.params {
                assert!(
                    ["rank", "erank", "signed", "dataset", "ei", "file"].contains(p),
                    "{}: {p} is not a start's parameter",
                    f.key
                );
                assert!(PARAMS.iter().any(|q| q.key == *p));
            }
            // A run records exactly the parameters the row lists.
            let spec = InitSpec { family: f, file: Some(7), dataset: 1, ..InitSpec::default() };
            for p in ["rank", "erank", "signed", "dataset", "ei", "file"] {
                assert_eq!(spec.value(p).is_some(), f.uses(p), "{} {p}", f.key);
            }
            assert_eq!(f.data == Some(crate::init::file::SOURCE), f.uses("file"), "{}", f.key);
        }
        assert_eq!(InitSpec::KEYS, keys);
        assert_eq!(home("rank").map(|f| f.key), Some("rank"));
        assert_eq!(home("erank").map(|f| f.key), Some("spectrum"));
        let Json::Arr(rows) = families_json() else { panic!("an array") };
        assert_eq!(rows.len(), COUNT);
        let row =
            |key: &str| rows.iter().map(Json::to_string).find(|r| r.contains(&format!(r#""key":"{key}""#))).unwrap();
        assert_eq!(
            row("dale_rank"),
            format!(
                r#"{{"key":"dale_rank","title":"Dale's law, rank r truncation","params":["rank","ei"],"data":null,"hidden":null,"display":null,"item":"dale_rank:R","hint":{}}}"#,
                Json::from(crate::init::dale::HINT)
            )
        );
        assert!(row("connectome")
            .contains(r#""data":"connectome","hidden":null,"display":"C. elegans","item":"connectome""#));
        assert!(row("fly_shuffled").contains(r#""data":"fly","hidden":443,"display":"fly visual system""#));
        assert!(row("spectrum").contains(r#""item":"spectrum:E""#));
        assert_eq!(using("rank"), ["rank", "aligned", "dale_rank"]);
    }

    #[test]
    fn every_family_is_a_sweep_item_and_sets_what_it_says() {
        let items: Vec<String> = FAMILIES
            .iter()
            .map(|f| match f.item_param() {
                Some(_) => format!("{}:2", f.key),
                None => f.key.to_string(),
            })
            .collect();
        let vs = crate::sweep::parse_variants(&items.join(",")).unwrap();
        for (f, v) in FAMILIES.iter().zip(&vs) {
            assert_eq!(v.pairs[0], ("init", f.key.to_string()));
            if let Some(p) = f.item_param() {
                assert_eq!(v.pairs[1], (p, "2".to_string()));
            }
            let wrong = if f.item_param().is_some() { f.key.to_string() } else { format!("{}:2", f.key) };
            assert!(crate::sweep::parse_variants(&wrong).is_err(), "{wrong}");
        }
    }
}
