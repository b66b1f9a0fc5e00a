//! The bundled C. elegans connectome: the hermaphrodite's chemical synapses (Varshney et al.
//! 2011) with a GABA flag per neuron (Wang et al. 2024), as `tools/connectome/derive.py`
//! writes them from the `cect` package into `data/celegans_chemical.txt` (see
//! `data/PROVENANCE.md`). 279 neurons, 2194 ordered pairs, 6394 synapses, 31 GABAergic.

use super::wiring::{measured, Control};
use super::{InitSpec, Start, TaskAxes};
use crate::linalg::Mat;
use crate::rng::Rng;

/// The page's hint for these families (plain text; their rows share it).
pub const HINT: &str = "Chemical synapses between the 279 neurons of the C. elegans hermaphrodite (Varshney et \
al. 2011, via the C. elegans Connectome Toolbox), counts as weights, rows = receiving neuron. The hidden size follows \
the connectome. Controls: shuffled keeps every weight but puts it in a random place (structure destroyed); spectrum \
keeps the singular values on random singular vectors. At the Gaussian's Frobenius norm this almost purely excitatory \
wiring has a largest singular value of 6.6 (a Gaussian's is about 2.5), so activity grows fast and the first \
iterations move far; scaling to the largest singular value avoids that.";

const DATA: &str = include_str!("../../data/celegans_chemical.txt");

#[derive(Clone, Debug, PartialEq)]
pub struct Connectome {
    /// Neuron names in the file's order (natural name order; VA01 is written VA1).
    pub names: Vec<String>,
    /// GABAergic (inhibitory) neurons, parallel to `names`.
    pub gaba: Vec<bool>,
    /// (pre, post, synapse count), indices into `names`; one entry per ordered pair, count > 0.
    pub edges: Vec<(usize, usize, u32)>,
}

/// The bundled C. elegans chemical-synapse connectome.
pub fn celegans() -> Connectome {
    parse(DATA).unwrap_or_else(|e| panic!("data/celegans_chemical.txt: {e}"))
}

/// The connectome family: the wiring itself, scaled to the Gaussian's size.
pub fn start(spec: &InitSpec, _: &Mat<f64>, rng: &mut Rng, _: &TaskAxes) -> Start {
    measured(spec, celegans().matrix(spec.signed), None, rng)
}

/// Its entries in random places.
pub fn start_shuffled(spec: &InitSpec, _: &Mat<f64>, rng: &mut Rng, _: &TaskAxes) -> Start {
    measured(spec, celegans().matrix(spec.signed), Some(Control::Shuffled), rng)
}

/// Its singular values on random singular vectors.
pub fn start_spectrum(spec: &InitSpec, _: &Mat<f64>, rng: &mut Rng, _: &TaskAxes) -> Start {
    measured(spec, celegans().matrix(spec.signed), Some(Control::Spectrum), rng)
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
