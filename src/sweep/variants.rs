//! What a sweep compares, written as a short list that the command line
//! (`--inits`) and the page's links share: `rank:30,aligned:1,connectome`.
//! An item may join several parts with `+` (`rank:30+rule:eprop+gain:0.5`):
//! a start, a learning rule, a gain, flossing, a time step, a worm dataset
//! (`connectome+dataset:witvliet_8`), a hidden size (`gaussian+hidden:443`: the Gaussian that
//! a start of fixed N, such as the fly's, is scaled to).

/// One run setting of a sweep: a label and the settings that make it.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    pub label: String,
    pub pairs: Vec<(&'static str, String)>,
}

/// The paper's comparison: the rank sweep, a task-aligned start of the
/// lowest rank, and the connectome with its two controls.
pub const PAPER_FIGURE: &str =
    "rank:1,rank:30,rank:100,rank:300,aligned:1,connectome,connectome_shuffled,connectome_spectrum";
/// The settings the paper's figure runs at (on a Gaussian base, so that N is 300 for the rank sweep;
/// BPTT without flossing at dt 100, whatever the page was set to).
pub const PAPER_BASE: [(&str, &str); 7] = [
    ("init", "gaussian"),
    ("hidden", "300"),
    ("iters", "10000"),
    ("every", "500"),
    ("dt", "100"),
    ("rule", "bptt"),
    ("floss", "none"),
];

/// The gain control a reviewer asked for: the rank sweep at a small, stable gain beside the paper's.
pub const GAIN_FIGURE_RANKS: &str = "1,30,100,300";
pub const GAIN_FIGURE_GAINS: &str = "0.5,1.25";

/// The local-rules study's gains and rules (our choice of grid: the paper's is unknown).
pub const LOCAL_GAINS: &str = "0.5,0.75,1,1.25,1.5,2";
pub const LOCAL_RULES: &str = "bptt,eprop,rflo";
/// Its settings (ours): 40-step trials, a network small enough that the 36
/// runs take minutes in a browser, SGD with the paper's momentum at a rate
/// (0.03) at which BPTT learns all three tasks at gain 1 within 2000 iterations.
pub const LOCAL_BASE: [(&str, &str); 8] = [
    ("init", "gaussian"),
    ("dt", "20"),
    ("hidden", "100"),
    ("iters", "2000"),
    ("every", "100"),
    ("opt", "sgd"),
    ("lr", "0.03"),
    ("floss_iters", "100"),
];

/// The most variants one list may hold.
pub const MAX_VARIANTS: usize = 64;

/// The other parts an item may join to its start (`key:value`), with the letter that messages write for the value.
const OTHER_PARTS: [(&str, &str); 8] = [
    ("rule", "R"),
    ("gain", "G"),
    ("floss", "W"),
    ("floss_mode", "M"),
    ("floss_k", "K"),
    ("dt", "D"),
    ("dataset", "S"),
    ("hidden", "N"),
];

/// Every kind of part, for messages: the families (`init::FAMILIES`: bare, or `key:X` for the one
/// shape parameter that an item sets, X its initial), then the other parts.
fn items() -> String {
    let starts = crate::init::FAMILIES.iter().map(|f| f.item());
    let others = OTHER_PARTS.iter().map(|(k, x)| format!("{k}:{x}"));
    starts.chain(others).collect::<Vec<_>>().join(", ") + ", joined by +"
}

/// One part of an item: the settings it stands for.
fn part(p: &str) -> Option<Vec<(&'static str, String)>> {
    let (name, param) = p.split_once(':').map_or((p, None), |(f, v)| (f.trim(), Some(v.trim().to_string())));
    let param = param.filter(|v| !v.is_empty());
    // A bare number is a rank (the page's older compare links).
    if param.is_none() && name.parse::<usize>().is_ok() {
        return Some(vec![("init", "rank".into()), ("rank", name.into())]);
    }
    // A family: bare when it has no shape parameter, `key:value` for the one it has.
    if let Some(f) = crate::init::family(name) {
        return match (f.item_param(), param) {
            (None, None) => Some(vec![("init", f.key.into())]),
            (Some(k), Some(v)) => Some(vec![("init", f.key.into()), (k, v)]),
            _ => None,
        };
    }
    let (key, _) = OTHER_PARTS.into_iter().find(|&(k, _)| k == name)?;
    Some(vec![(key, param?)])
}

fn variant(item: &str) -> Result<Variant, String> {
    let mut pairs = Vec::new();
    let mut label = Vec::new();
    for p in item.split('+').map(str::trim) {
        let mut ps =
            part(p).ok_or_else(|| format!("'{}' is not one of {}", p.chars().take(40).collect::<String>(), items()))?;
        // A bare number is labelled as the rank it stands for.
        label.push(if p.parse::<usize>().is_ok() { format!("rank:{p}") } else { p.to_string() });
        // A later part wins over an earlier one (a figure's `rule:bptt` crossed with `--rules eprop`).
        pairs.retain(|(k, _)| !ps.iter().any(|(j, _)| j == k));
        pairs.append(&mut ps);
    }
    Ok(Variant { label: label.join("+"), pairs })
}

/// Parses a comma-separated list; at least one item, at most `MAX_VARIANTS`.
pub fn parse_variants(list: &str) -> Result<Vec<Variant>, String> {
    let items: Vec<&str> = list.split(',').map(str::trim).collect();
    // An empty item (two commas in a row, one at an end) is a slip to name, never to skip.
    if items.len() > 1 && items.iter().any(|s| s.is_empty()) {
        return Err(crate::settings::empty_item("list", list).replacen("list: ", "", 1));
    }
    let items: Vec<&str> = items.into_iter().filter(|s| !s.is_empty()).collect();
    if items.is_empty() || items.len() > MAX_VARIANTS {
        return Err(format!("give between 1 and {MAX_VARIANTS} items, separated by commas"));
    }
    items.into_iter().map(variant).collect()
}

/// Every combination of the given lists (each comma-separated; an empty list is left out):
/// `grid(&["rank:1,rank:30", "rule:bptt,rule:eprop"])` is four items, the first list outermost.
pub fn grid(lists: &[&str]) -> String {
    let mut items = vec![String::new()];
    for list in lists.iter().filter(|l| !l.trim().is_empty()) {
        let parts: Vec<&str> = list.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
        items = items
            .iter()
            .flat_map(|i| parts.iter().map(move |p| if i.is_empty() { p.to_string() } else { format!("{i}+{p}") }))
            .collect();
    }
    items.join(",")
}

/// Prefixes every item of a comma-separated list: `prefixed("rule", "bptt,eprop")` is `rule:bptt,rule:eprop`.
pub fn prefixed(name: &str, list: &str) -> String {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|v| format!("{name}:{v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// A named figure: its list and the base settings it runs at.
pub fn named(name: &str) -> Option<(String, &'static [(&'static str, &'static str)])> {
    match name.trim() {
        "paper" => Some((PAPER_FIGURE.to_string(), &PAPER_BASE)),
        // Each rule and gain without and with pre-flossing (the exact gradient, one exponent).
        "local" => Some((
            grid(&[&prefixed("rule", LOCAL_RULES), &prefixed("gain", LOCAL_GAINS), "floss:none,floss:pre"]),
            &LOCAL_BASE,
        )),
        // The rank sweep at each gain, at the paper's settings.
        "gain" => {
            Some((grid(&[&prefixed("rank", GAIN_FIGURE_RANKS), &prefixed("gain", GAIN_FIGURE_GAINS)]), &PAPER_BASE))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn every_family_parses_and_applies() {
        let vs = parse_variants(&format!("{PAPER_FIGURE}, gaussian, spectrum:12.5, 30")).unwrap();
        assert_eq!(vs.len(), 11);
        assert_eq!(vs[10].label, "rank:30");
        assert_eq!(vs[10].pairs, vec![("init", "rank".to_string()), ("rank", "30".to_string())]);
        for v in &vs {
            let mut c = Config::default();
            let errors = c.apply(v.pairs.iter().map(|(k, v)| (*k, v.as_str())));
            assert!(errors.is_empty(), "{}: {errors:?}", v.label);
            assert_eq!(c.init.key(), v.pairs[0].1);
        }
    }

    #[test]
    fn joined_parts_set_rule_gain_and_flossing() {
        let vs = parse_variants("rank:30+rule:eprop+gain:0.5, rule:rflo+floss:pre+dt:20+floss_mode:local+floss_k:8")
            .unwrap();
        let mut c = Config::default();
        assert!(c.apply(vs[0].pairs.iter().map(|(k, v)| (*k, v.as_str()))).is_empty());
        assert_eq!((c.rank(), c.rule.key(), c.init.gain), (Some(30), "eprop", 0.5));
        let mut c = Config::default();
        assert!(c.apply(vs[1].pairs.iter().map(|(k, v)| (*k, v.as_str()))).is_empty());
        assert_eq!(
            (c.init.key(), c.rule.key(), c.floss.pre(), c.dt, c.floss.mode.key(), c.floss.k),
            ("gaussian", "rflo", true, 20, "local", 8)
        );
    }

    #[test]
    fn named_figures_apply_cleanly() {
        let (list, base) = named("local").unwrap();
        let vs = parse_variants(&list).unwrap();
        assert_eq!(vs.len(), 36);
        assert_eq!(vs[1].label, "rule:bptt+gain:0.5+floss:pre");
        for v in &vs {
            let mut c = Config::default();
            let errors = c.apply(base.iter().copied().chain(v.pairs.iter().map(|(k, v)| (*k, v.as_str()))));
            assert!(errors.is_empty(), "{}: {errors:?}", v.label);
        }
        assert_eq!(parse_variants(&named("paper").unwrap().0).unwrap().len(), 8);
        let (gain, _) = named("gain").unwrap();
        assert_eq!(gain.split(',').next(), Some("rank:1+gain:0.5"));
        assert_eq!(parse_variants(&gain).unwrap().len(), 8);
        assert_eq!(grid(&["a,b", "", "c"]), "a+c,b+c");
    }

    #[test]
    fn dataset_and_hidden_parts_set_the_worm_and_the_size() {
        let vs =
            parse_variants("connectome+dataset:witvliet_8, connectome_shuffled+dataset:cook_herm, connectome").unwrap();
        let sizes: Vec<(String, usize)> = vs
            .iter()
            .map(|v| {
                let mut c = Config::default();
                assert!(c.apply(v.pairs.iter().map(|(k, v)| (*k, v.as_str()))).is_empty(), "{}", v.label);
                (c.init.value("dataset").unwrap_or_default(), c.hidden)
            })
            .collect();
        assert_eq!(sizes, [("witvliet_8".into(), 180), ("cook_herm".into(), 302), (String::new(), 279)]);
        // The Gaussian at a fixed-N start's size; that start's data wins over a hidden part.
        for (item, n) in [("gaussian+hidden:443", 443), ("fly+hidden:100", 443)] {
            let v = &parse_variants(item).unwrap()[0];
            let mut c = Config::default();
            c.apply(v.pairs.iter().map(|(k, v)| (*k, v.as_str())));
            assert_eq!(c.hidden, n, "{item}");
        }
    }

    #[test]
    fn bad_lists_are_named() {
        for bad in [
            "",
            "rank",
            "spectrum:",
            "bogus:3",
            "gaussian:2",
            "rank:1+",
            "rule",
            "connectome+dataset",
            "rank:1,,connectome",
            "rank:1,",
            &["rank:1"; 65].join(","),
        ] {
            assert!(parse_variants(bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse_variants("rank:1,,connectome").unwrap_err(),
            "item 2 of 'rank:1,,connectome' is empty (two commas in a row, or a comma at an end)"
        );
    }
}
