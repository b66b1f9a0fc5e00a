//! The bundled C. elegans connectomes: chemical synapses between neurons with a GABA flag per
//! neuron (Wang et al. 2024), one table per dataset (`DATASETS`, the `dataset` setting). The
//! default is the hermaphrodite of Varshney et al. 2011, as `tools/connectome/derive.py` writes it
//! from the `cect` package into `data/celegans_chemical.txt` (279 neurons, 2194 ordered pairs, 6394
//! synapses, 31 GABAergic); the others, Witvliet et al. 2021's eight stages and Cook et al. 2019's
//! hermaphrodite, come from the same package through `tools/connectome/worms.py` into `data/worm/`
//! (see `data/PROVENANCE.md`). Every dataset has the same signing and scaling rules.

use super::wiring::{measured, Control};
use super::{InitSpec, Start, TaskAxes};
use crate::linalg::Mat;
use crate::rng::Rng;

/// The page's hint for these families (plain text; their rows share it).
pub const HINT: &str = "Chemical synapses between the neurons of C. elegans, counts as weights, rows = receiving \
neuron; the hidden size follows the dataset. Datasets: the adult hermaphrodite of Varshney et al. 2011 (279 neurons, \
the default); Witvliet et al. 2021's eight animals from birth (L1) to adult (161 to 180 neurons; their EM volume is \
the nerve ring, the brain); Cook et al. 2019's whole hermaphrodite (302 neurons; its weights count EM sections, so \
larger synapses weigh more). Our choices: neurons only (muscles and glia left out), autapses kept where the data \
give them, and one GABA rule for all (Wang et al. 2024: GABA and neither ACh nor Glu), applied with signed = 1. \
Controls: shuffled keeps every weight but puts it in a random place (structure destroyed); spectrum keeps the \
singular values on random singular vectors. At the Gaussian's Frobenius norm this almost purely excitatory wiring \
has a largest singular value well above a Gaussian's (6.6 against about 2.5 for Varshney's), so activity grows fast \
and the first iterations move far; scaling to the largest singular value avoids that.";

/// One bundled worm wiring diagram.
pub struct Dataset {
    /// The `dataset` value.
    pub key: &'static str,
    /// The page's menu label.
    pub label: &'static str,
    text: &'static str,
}

/// Every worm dataset, the default first (so that links without `dataset` keep their matrix).
pub const DATASETS: [Dataset; 10] = [
    Dataset {
        key: "varshney",
        label: "Varshney 2011, adult (279 neurons)",
        text: include_str!("../../data/celegans_chemical.txt"),
    },
    Dataset { key: "witvliet_1", label: "Witvliet 2021, 1: L1", text: include_str!("../../data/worm/witvliet_1.txt") },
    Dataset { key: "witvliet_2", label: "Witvliet 2021, 2: L1", text: include_str!("../../data/worm/witvliet_2.txt") },
    Dataset { key: "witvliet_3", label: "Witvliet 2021, 3: L1", text: include_str!("../../data/worm/witvliet_3.txt") },
    Dataset { key: "witvliet_4", label: "Witvliet 2021, 4: L1", text: include_str!("../../data/worm/witvliet_4.txt") },
    Dataset { key: "witvliet_5", label: "Witvliet 2021, 5: L2", text: include_str!("../../data/worm/witvliet_5.txt") },
    Dataset { key: "witvliet_6", label: "Witvliet 2021, 6: L3", text: include_str!("../../data/worm/witvliet_6.txt") },
    Dataset {
        key: "witvliet_7",
        label: "Witvliet 2021, 7: adult",
        text: include_str!("../../data/worm/witvliet_7.txt"),
    },
    Dataset {
        key: "witvliet_8",
        label: "Witvliet 2021, 8: adult",
        text: include_str!("../../data/worm/witvliet_8.txt"),
    },
    Dataset {
        key: "cook_herm",
        label: "Cook 2019, hermaphrodite (302 neurons)",
        text: include_str!("../../data/worm/cook_herm.txt"),
    },
];

/// The `dataset` menu's values and labels, in `DATASETS`' order.
pub const KEYS: [&str; DATASETS.len()] = column(true);

/// The data of the connectome families (`FamilyDef::on`): N is the chosen worm's (`dataset`).
pub const SOURCE: super::Data = super::Data {
    key: "connectome",
    display: "C. elegans",
    by: Some("dataset"),
    hidden: |spec| Some(load(spec.dataset).n()),
    what: |m| format!("this connectome has {m} neurons"),
};
pub const LABELS: [&str; DATASETS.len()] = column(false);

const fn column(keys: bool) -> [&'static str; DATASETS.len()] {
    let mut out = [""; DATASETS.len()];
    let mut i = 0;
    while i < out.len() {
        out[i] = if keys { DATASETS[i].key } else { DATASETS[i].label };
        i += 1;
    }
    out
}

/// The dataset at this index of `DATASETS`, parsed.
pub fn load(dataset: usize) -> Connectome {
    let d = &DATASETS[dataset];
    parse(d.text).unwrap_or_else(|e| panic!("dataset {}: {e}", d.key))
}

/// The default dataset: Varshney et al.'s adult hermaphrodite.
pub fn celegans() -> Connectome {
    load(0)
}

/// The connectome family: the wiring itself, scaled to the Gaussian's size.
pub fn start(spec: &InitSpec, _: &Mat<f64>, rng: &mut Rng, _: &TaskAxes) -> Start {
    measured(spec, load(spec.dataset).matrix(spec.signed), None, rng)
}

/// Its entries in random places.
pub fn start_shuffled(spec: &InitSpec, _: &Mat<f64>, rng: &mut Rng, _: &TaskAxes) -> Start {
    measured(spec, load(spec.dataset).matrix(spec.signed), Some(Control::Shuffled), rng)
}

/// Its singular values on random singular vectors.
pub fn start_spectrum(spec: &InitSpec, _: &Mat<f64>, rng: &mut Rng, _: &TaskAxes) -> Start {
    measured(spec, load(spec.dataset).matrix(spec.signed), Some(Control::Spectrum), rng)
}

#[derive(Clone, Debug, PartialEq)]
pub struct Connectome {
    /// Neuron names in the file's order (natural name order; VA01 is written VA1).
    pub names: Vec<String>,
    /// GABAergic (inhibitory) neurons, parallel to `names`.
    pub gaba: Vec<bool>,
    /// (pre, post, synapse count), indices into `names`; one entry per ordered pair, count > 0.
    pub edges: Vec<(usize, usize, u32)>,
}

impl Connectome {
    pub fn n(&self) -> usize {
        self.names.len()
    }

    /// W[post][pre] = synapse count (row = receiving neuron, since h_t = relu(W h_{t-1} ...));
    /// with `signed`, columns of GABAergic presynaptic neurons are negative (they inhibit).
    /// Flipping column signs is W D with D = diag(±1) orthogonal: the singular values, and
    /// so both effective ranks, are the same signed or not.
    pub fn matrix(&self, signed: bool) -> Mat<f64> {
        let mut w = Mat::zeros(self.n(), self.n());
        for &(pre, post, count) in &self.edges {
            let sign = if signed && self.gaba[pre] { -1.0 } else { 1.0 };
            w.set(post, pre, sign * count as f64);
        }
        w
    }

    pub fn index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|x| x == name)
    }

    /// Synapse count from `pre` to `post` by name (0 when there is none).
    pub fn count(&self, pre: &str, post: &str) -> u32 {
        match (self.index(pre), self.index(post)) {
            (Some(a), Some(b)) => self.edges.iter().find(|e| e.0 == a && e.1 == b).map_or(0, |e| e.2),
            _ => 0,
        }
    }
}

/// Format: `#` comments (also after a neuron line's fields); `neurons N`, N lines `name flag`
/// (flag 1 = GABAergic); `edges M synapses S`, M lines `pre post count`.
fn parse(text: &str) -> Result<Connectome, String> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.split('#').next().unwrap_or("").trim()))
        .filter(|(_, l)| !l.is_empty());
    let mut next = |what: &str| lines.next().ok_or_else(|| format!("ends before {what}"));
    let header = |(no, line): (usize, &str), key: &str, n: usize| -> Result<Vec<usize>, String> {
        let f: Vec<&str> = line.split_whitespace().collect();
        let nums: Option<Vec<usize>> = f.iter().skip(1).step_by(2).map(|x| x.parse().ok()).collect();
        match nums {
            Some(v) if f.first() == Some(&key) && v.len() == n && f.len() == 2 * n => Ok(v),
            _ => Err(format!("line {no}: expected `{key} <count>...`, got `{line}`")),
        }
    };

    let n = header(next("the neuron count")?, "neurons", 1)?[0];
    let (mut names, mut gaba) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for _ in 0..n {
        let (no, line) = next("the last neuron")?;
        match line.split_whitespace().collect::<Vec<_>>()[..] {
            [name, flag @ ("0" | "1")] => {
                if names.iter().any(|x| x == name) {
                    return Err(format!("line {no}: {name} listed twice"));
                }
                names.push(name.to_string());
                gaba.push(flag == "1");
            }
            _ => return Err(format!("line {no}: expected `name 0|1`, got `{line}`")),
        }
    }
    let hv = header(next("the edge count")?, "edges", 2)?;
    let (m, total) = (hv[0], hv[1]);
    let index = |name: &str, no: usize| {
        names.iter().position(|x| x == name).ok_or_else(|| format!("line {no}: unknown neuron {name}"))
    };
    let mut edges = Vec::with_capacity(m);
    let mut seen = vec![false; n * n];
    for _ in 0..m {
        let (no, line) = next("the last edge")?;
        let f: Vec<&str> = line.split_whitespace().collect();
        let [pre, post, count] = f[..] else {
            return Err(format!("line {no}: expected `pre post count`, got `{line}`"));
        };
        let (a, b) = (index(pre, no)?, index(post, no)?);
        let c: u32 = count.parse().ok().filter(|&c| c > 0).ok_or_else(|| format!("line {no}: bad count `{count}`"))?;
        if std::mem::replace(&mut seen[b * n + a], true) {
            return Err(format!("line {no}: {pre} -> {post} listed twice"));
        }
        edges.push((a, b, c));
    }
    if let Some((no, line)) = lines.next() {
        return Err(format!("line {no}: unexpected `{line}` after the last edge"));
    }
    let sum: usize = edges.iter().map(|e| e.2 as usize).sum();
    if sum != total {
        return Err(format!("edge counts sum to {sum}, the header says {total}"));
    }
    Ok(Connectome { names, gaba, edges })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::singular_values;
    use crate::metrics::{erank_entropy, erank_pr};

    // Numbers computed by tools/connectome/derive.py from cect 0.3.5's NeuronConnect.xls.
    const NEURONS: usize = 279;
    const PAIRS: usize = 2194;
    const SYNAPSES: u32 = 6394;
    const GABA: usize = 31;

    #[test]
    fn sizes_match_the_derivation() {
        let c = celegans();
        assert_eq!(c.n(), NEURONS);
        assert_eq!(c.gaba.len(), NEURONS);
        assert_eq!(c.edges.len(), PAIRS);
        assert_eq!(c.edges.iter().map(|e| e.2).sum::<u32>(), SYNAPSES);
        assert_eq!(c.gaba.iter().filter(|&&g| g).count(), GABA);
        // Every neuron takes part in a chemical synapse; none synapses onto itself.
        let mut used = vec![false; c.n()];
        for &(a, b, _) in &c.edges {
            assert_ne!(a, b);
            used[a] = true;
            used[b] = true;
        }
        assert!(used.iter().all(|&u| u));
    }

    #[test]
    fn named_connections_read_from_the_xls() {
        let c = celegans();
        // (Neuron 1, Neuron 2, S + Sp rows of NeuronConnect.xls)
        for (pre, post, n) in [
            ("AVAL", "VA8", 9),   // AVAL VA08 S 9
            ("AVAL", "DA6", 11),  // AVAL DA06 S 11, AVAL's strongest output
            ("AVAL", "AVAR", 2),  // Sp 2
            ("AVAR", "AVAL", 1),  // Sp 1
            ("ASHL", "AVAL", 2),  // Sp 2
            ("AIYL", "AIZL", 13), // S 3 + Sp 10
            ("PDER", "DVA", 35),  // S 19 + Sp 16
            ("VB3", "DD2", 37),   // S 37, the largest count
            ("AVFL", "VB1", 1),   // S 1 (+ an Sp row saying 0)
            ("AVFR", "AVFL", 1),  // Sp 1 (its Rp row names the cells 'avfl', 'avfr')
        ] {
            assert_eq!(c.count(pre, post), n, "{pre} -> {post}");
        }
        assert_eq!(c.count("RIS", "AVAL"), 0);
        assert_eq!(c.edges.iter().map(|e| e.2).max(), Some(37));
        assert!(c.index("VA01").is_none() && c.index("NMJ").is_none());
    }

    #[test]
    fn gaba_flags() {
        let c = celegans();
        let g = |name: &str| c.gaba[c.index(name).unwrap_or_else(|| panic!("{name} missing"))];
        for name in ["DD1", "DD6", "VD1", "VD13", "RMED", "RMEV", "RMEL", "RMER", "RIS", "AVL", "DVB"] {
            assert!(g(name), "{name} is GABAergic");
        }
        // Cholinergic, glutamatergic, GABA uptake only (AVF), ACh + GABA (SMD): not flagged.
        for name in ["AVAL", "VA1", "DB1", "AIYL", "ASHL", "AVFL", "SMDDL"] {
            assert!(!g(name), "{name} is not GABAergic");
        }
    }

    #[test]
    fn matrix_rows_receive_and_signs_follow_gaba() {
        let c = celegans();
        let (w, s) = (c.matrix(false), c.matrix(true));
        let (vb3, dd2, dd1, vd2) =
            (c.index("VB3").unwrap(), c.index("DD2").unwrap(), c.index("DD1").unwrap(), c.index("VD2").unwrap());
        assert_eq!(w.at(dd2, vb3), 37.0);
        assert_eq!(w.at(vb3, dd2), c.count("DD2", "VB3") as f64);
        assert_eq!(w.data.iter().sum::<f64>(), SYNAPSES as f64);
        assert_eq!(w.data.iter().filter(|&&x| x != 0.0).count(), PAIRS);
        for r in 0..c.n() {
            for col in 0..c.n() {
                assert_eq!(s.at(r, col).abs(), w.at(r, col));
                assert!(s.at(r, col) >= 0.0 || c.gaba[col]);
                assert!(s.at(r, col) <= 0.0 || !c.gaba[col]);
            }
        }
        assert!(w.data.iter().all(|&x| x >= 0.0));
        assert_eq!((w.at(vd2, dd1), s.at(vd2, dd1)), (1.0, -1.0)); // DD01 VD02 S 1
        assert_eq!((w.at(dd2, vb3), s.at(dd2, vb3)), (37.0, 37.0));
    }

    #[test]
    fn effective_rank_is_about_125() {
        // Reference: numpy's float64 LAPACK SVD gives entropy erank 124.65208962783547 and
        // participation ratio 86.07174568980999 (both matrices). Our SVD goes through W^T W, which
        // blurs the smallest singular values a little: here erank 124.652095188996 and PR
        // 86.07174610456565, 6e-6 and 4e-7 off. Tolerance 1e-4.
        let c = celegans();
        let su = singular_values(&c.matrix(false));
        let ss = singular_values(&c.matrix(true));
        let (eu, pu) = (erank_entropy(&su), erank_pr(&su));
        let (es, ps) = (erank_entropy(&ss), erank_pr(&ss));
        eprintln!("unsigned: erank {eu} PR {pu}; signed: erank {es} PR {ps}; s1 {}", su[0]);
        assert!((eu - 124.65208962783547).abs() < 1e-4, "{eu}");
        assert!((pu - 86.07174568980999).abs() < 1e-4, "{pu}");
        // Column sign flips are W D with D orthogonal: the same spectrum.
        assert!((es - eu).abs() < 1e-6 && (ps - pu).abs() < 1e-6, "{es} {ps}");
        assert!((su[0] - 65.83297628).abs() < 1e-6, "{}", su[0]);
    }

    /// Per dataset (`DATASETS` order): neurons, ordered pairs, synapses, GABAergic, autapses, as
    /// tools/connectome/worms.py computes them from cect 0.3.5's spreadsheets.
    const SIZES: [(&str, usize, usize, u32, usize, usize); 10] = [
        ("varshney", NEURONS, PAIRS, SYNAPSES, GABA, 0),
        ("witvliet_1", 161, 675, 1152, 10, 0),
        ("witvliet_2", 162, 865, 1687, 11, 0),
        ("witvliet_3", 162, 887, 1884, 11, 0),
        ("witvliet_4", 168, 1011, 2521, 11, 0),
        ("witvliet_5", 173, 1324, 3644, 11, 0),
        ("witvliet_6", 175, 1315, 3894, 11, 0),
        ("witvliet_7", 180, 1944, 6587, 11, 11),
        ("witvliet_8", 180, 1933, 7099, 11, 0),
        ("cook_herm", 302, 3709, 20965, 31, 38),
    ];

    #[test]
    fn every_dataset_has_the_spreadsheets_counts() {
        for (i, &(key, n, pairs, synapses, gaba, autapses)) in SIZES.iter().enumerate() {
            assert_eq!(DATASETS[i].key, key);
            let c = load(i);
            assert_eq!((c.n(), c.edges.len(), c.edges.iter().map(|e| e.2).sum::<u32>()), (n, pairs, synapses), "{key}");
            assert_eq!(c.gaba.iter().filter(|&&g| g).count(), gaba, "{key}");
            assert_eq!(c.edges.iter().filter(|e| e.0 == e.1).count(), autapses, "{key}");
            // The hidden size follows the dataset.
            let spec = InitSpec { dataset: i, ..InitSpec::new("connectome_spectrum") };
            assert_eq!(spec.fixed_hidden(), Some(n), "{key}");
        }
    }

    #[test]
    fn named_entries_of_the_worm_datasets() {
        let by_key = |key: &str| load(KEYS.iter().position(|k| *k == key).unwrap());
        // (dataset, pre, post, the spreadsheet's count): Witvliet's rows `pre post chemical n`,
        // Cook's 'hermaphrodite chemical' sheet at the cells named (pre row, post column).
        for (key, pre, post, n) in [
            ("witvliet_1", "AIYL", "AIZL", 5),
            ("witvliet_1", "RIAR", "RMDDR", 9), // stage 1's largest
            ("witvliet_7", "AIYL", "AIZL", 10),
            ("witvliet_7", "RIAR", "RIAL", 22),
            ("witvliet_7", "URXR", "RIAR", 30), // stage 7's largest
            ("witvliet_7", "ADEL", "ADEL", 1),  // an autapse
            ("witvliet_8", "RIAR", "RIAL", 51), // stage 8's largest
            ("witvliet_8", "URXR", "RIAR", 28),
            ("cook_herm", "ALA", "PVDR", 75),  // C124 -> CV3, the largest
            ("cook_herm", "AVAL", "AVAR", 12), // C182
            ("cook_herm", "VB3", "DD2", 36),   // VB03 -> DD02
        ] {
            assert_eq!(by_key(key).count(pre, post), n, "{key}: {pre} -> {post}");
        }
        // Muscles and glia are not neurons; GABA follows the same rule as Varshney's.
        let cook = by_key("cook_herm");
        assert!(cook.index("BWM-VL01").is_none() && cook.index("CEPSHDL").is_none());
        assert!(cook.gaba[cook.index("DD1").unwrap()] && !cook.gaba[cook.index("AVAL").unwrap()]);
        let w8 = by_key("witvliet_8");
        assert!(w8.gaba[w8.index("RIS").unwrap()] && w8.index("BWM-DL01").is_none());
    }

    #[test]
    fn the_two_adult_stages_are_two_different_animals() {
        let (a, b) = (load(7), load(8));
        assert_eq!((DATASETS[7].key, DATASETS[8].key), ("witvliet_7", "witvliet_8"));
        assert_eq!(a.names, b.names, "the same 180 neurons");
        let differ = a.edges.iter().filter(|e| !b.edges.contains(e)).count();
        assert!(differ > 1000, "{differ} of {} entries of stage 7 are not in stage 8", a.edges.len());
        assert_ne!(a.matrix(false), b.matrix(false));
    }

    #[test]
    fn parse_rejects_bad_files() {
        let ok = "# c\nneurons 2\nA 0 # x\nB 1\nedges 1 synapses 3\nA B 3\n";
        let c = parse(ok).unwrap();
        assert_eq!(
            (c.names.clone(), c.gaba.clone(), c.edges.clone()),
            (vec!["A".into(), "B".into()], vec![false, true], vec![(0, 1, 3)])
        );
        for bad in [
            "neurons 2\nA 0\nB 1\nedges 1 synapses 4\nA B 3\n", // wrong total
            "neurons 2\nA 0\nB 1\nedges 1 synapses 3\nA C 3\n", // unknown neuron
            "neurons 2\nA 0\nB 2\nedges 1 synapses 3\nA B 3\n", // bad flag
            "neurons 2\nA 0\nB 1\nedges 2 synapses 6\nA B 3\nA B 3\n", // duplicate pair
            "neurons 2\nA 0\nB 1\nedges 1 synapses 3\n",        // truncated
            "neurons 2\nA 0\nB 1\nedges 1 synapses 3\nA B 3\nB A 1\n", // trailing edge
            "neurons 2\nA 0\nB 1\nedges 1 synapses 0\nA B 0\n", // zero count
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }
}
