//! Mouse primary visual cortex, drawn from cell-type tables: the Allen Institute's
//! biorealistic-v1-model (after Billeh et al. 2020) gives 19 cell types with their cell counts,
//! peak connection probabilities (V1DD electron microscopy) and log-normal PSP amplitudes (Allen
//! Synaptic Physiology), which `tools/connectome/v1.py` writes into `data/v1_types.txt` (see
//! `data/PROVENANCE.md`). A start is one column of N cells with no space: cells go to types in
//! proportion to their counts, each ordered pair of distinct cells connects with its types'
//! probability, and a connection's weight is drawn from its types' log-normal, negative when the
//! presynaptic cell is inhibitory; all from the start's stream, so one seed gives one matrix.

use super::wiring::{measured, Control};
use super::{malformed, InitSpec, Start, TaskAxes};
use crate::linalg::Mat;
use crate::rng::Rng;
use crate::settings::SettingError;

/// The page's hint for these families (plain text; their rows share it).
pub const HINT: &str = "Mouse V1 drawn from the Allen Institute's cell-type tables (biorealistic-v1-model, after \
Billeh et al. 2020): 19 types in 5 layers, connection probabilities from V1DD electron microscopy, PSP amplitudes \
(log-normal) from the Allen Synaptic Physiology data. N = the hidden size: cells go to the types in proportion to \
their counts (about 88% excitatory), each ordered pair of distinct cells connects with its types' peak probability \
(one column, no distance: our choice), weights are PSP amplitudes in mV, negative for inhibitory presynaptic cells, \
drawn from the run's seed. Our choice: where one of a layer's inhibitory types would get fewer than 3 cells, that \
layer's inhibitory types (PV, SST, VIP) are pooled into one (at N 300: layers 2/3, 4, 5 and 6), with the \
count-weighted probabilities and the log-normal of the pooled amplitudes. Controls: shuffled (the same entries in \
random places) and spectrum (its singular values on random singular vectors).";

const DATA: &str = include_str!("../../data/v1_types.txt");

/// A layer's inhibitory types are pooled when one of them would get fewer cells than this (our choice).
pub const POOL_BELOW: f64 = 3.0;

/// The cell-type tables as the file holds them; tables are t x t, row-major, rows presynaptic.
#[derive(Clone, Debug, PartialEq)]
pub struct Types {
    pub names: Vec<String>,
    pub excitatory: Vec<bool>,
    /// Cells of the type in the model's core network (66,552 in all).
    pub count: Vec<f64>,
    pub pmax: Vec<f64>,
    /// The PSP amplitude's log-normal: amplitude = scale exp(shape Z), Z standard normal (mV).
    pub shape: Vec<f64>,
    pub scale: Vec<f64>,
}

/// The bundled tables.
pub fn types() -> Types {
    parse(DATA).unwrap_or_else(|e| panic!("data/v1_types.txt: {e}"))
}

/// The types as a start of N cells uses them: pooled where needed, with their cells.
#[derive(Clone, Debug, PartialEq)]
pub struct Groups {
    pub names: Vec<String>,
    pub excitatory: Vec<bool>,
    /// Cells per group at this N (summing to N).
    pub cells: Vec<usize>,
    /// g x g, rows presynaptic: connection probability and the log-normal's shape and scale.
    pub p: Vec<f64>,
    pub shape: Vec<f64>,
    pub scale: Vec<f64>,
}

impl Types {
    fn layer(&self, t: usize) -> &str {
        self.names[t].split('_').next().unwrap_or("")
    }

    /// The groups for `n` cells. A layer with more than one inhibitory type pools them all when
    /// one would get fewer than `POOL_BELOW` cells (at its share of `n`). A pooled pair's
    /// probability is the count-weighted mean of its members' (the expected frequency of a
    /// population split in proportion), and its log-normal has the mean and variance of the
    /// log-amplitude of its members' connections (each member pair weighted by its expected
    /// number of connections).
    pub fn groups(&self, n: usize) -> Groups {
        let t = self.names.len();
        let total: f64 = self.count.iter().sum();
        let pooled = |a: usize| {
            let layer = self.layer(a);
            let inh: Vec<usize> = (0..t).filter(|&b| !self.excitatory[b] && self.layer(b) == layer).collect();
            !self.excitatory[a] && inh.len() > 1 && inh.iter().any(|&b| n as f64 * self.count[b] / total < POOL_BELOW)
        };
        // Members of each group, in the types' order (a pooled group where its first member is).
        let mut members: Vec<Vec<usize>> = Vec::new();
        let mut names = Vec::new();
        for a in 0..t {
            if !pooled(a) {
                members.push(vec![a]);
                names.push(self.names[a].clone());
            } else if let Some(g) = names.iter().position(|x| *x == format!("{}_Inh", self.layer(a))) {
                members[g].push(a);
            } else {
                members.push(vec![a]);
                names.push(format!("{}_Inh", self.layer(a)));
            }
        }
        let g = members.len();
        let (mut p, mut shape, mut scale) = (vec![0.0; g * g], vec![0.0; g * g], vec![0.0; g * g]);
        for (i, pre) in members.iter().enumerate() {
            for (j, post) in members.iter().enumerate() {
                let (mut w, mut wp, mut mu, mut m2) = (0.0, 0.0, 0.0, 0.0);
                for &a in pre {
                    for &b in post {
                        let k = a * t + b;
                        let pair = self.count[a] * self.count[b];
                        let (ln, s) = (libm::log(self.scale[k]), self.shape[k]);
                        w += pair;
                        wp += pair * self.pmax[k];
                        mu += pair * self.pmax[k] * ln;
                        m2 += pair * self.pmax[k] * (s * s + ln * ln);
                    }
                }
                let (mu, m2) = (mu / wp, m2 / wp);
                p[i * g + j] = wp / w;
                scale[i * g + j] = libm::exp(mu);
                shape[i * g + j] = (m2 - mu * mu).max(0.0).sqrt();
            }
        }
        let counts: Vec<f64> = members.iter().map(|m| m.iter().map(|&a| self.count[a]).sum()).collect();
        Groups {
            names,
            excitatory: members.iter().map(|m| self.excitatory[m[0]]).collect(),
            cells: largest_remainder(n, &counts),
            p,
            shape,
            scale,
        }
    }
}

/// `n` split in proportion to `weights`: the floors of the quotas, then one more to the largest
/// remainders (ties to the earlier).
fn largest_remainder(n: usize, weights: &[f64]) -> Vec<usize> {
    let total: f64 = weights.iter().sum();
    let quota: Vec<f64> = weights.iter().map(|w| n as f64 * w / total).collect();
    let mut cells: Vec<usize> = quota.iter().map(|q| q.floor() as usize).collect();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| (quota[b] - quota[b].floor()).total_cmp(&(quota[a] - quota[a].floor())));
    let short = n - cells.iter().sum::<usize>();
    for &k in &order[..short] {
        cells[k] += 1;
    }
    cells
}

impl Groups {
    /// Each cell's group: the groups' cells in order.
    pub fn of_cells(&self) -> Vec<usize> {
        self.cells.iter().enumerate().flat_map(|(g, &c)| std::iter::repeat_n(g, c)).collect()
    }

    /// W[post][pre]: for each ordered pair of distinct cells, row by row, one uniform decides the
    /// connection and, if it is made, one normal its amplitude (no autapses: our choice).
    pub fn draw(&self, rng: &mut Rng) -> Mat<f64> {
        let of = self.of_cells();
        let (n, g) = (of.len(), self.cells.len());
        let mut w = Mat::zeros(n, n);
        for (post, &b) in of.iter().enumerate() {
            for (pre, &a) in of.iter().enumerate() {
                let k = a * g + b;
                if pre != post && rng.uniform() < self.p[k] {
                    let sign = if self.excitatory[a] { 1.0 } else { -1.0 };
                    w.set(post, pre, sign * self.scale[k] * libm::exp(self.shape[k] * rng.normal()));
                }
            }
        }
        w
    }
}

fn draw(n: usize, rng: &mut Rng) -> Mat<f64> {
    types().groups(n).draw(rng)
}

/// The V1 family: a draw of N cells, scaled to the Gaussian's size.
pub fn start(spec: &InitSpec, base: &Mat<f64>, rng: &mut Rng, _: &TaskAxes) -> Start {
    measured(spec, draw(base.rows, rng), None, rng)
}

/// The draw's entries in random places.
pub fn start_shuffled(spec: &InitSpec, base: &Mat<f64>, rng: &mut Rng, _: &TaskAxes) -> Start {
    measured(spec, draw(base.rows, rng), Some(Control::Shuffled), rng)
}

/// The draw's singular values on random singular vectors.
pub fn start_spectrum(spec: &InitSpec, base: &Mat<f64>, rng: &mut Rng, _: &TaskAxes) -> Start {
    measured(spec, draw(base.rows, rng), Some(Control::Spectrum), rng)
}

/// Format: `#` comments; `types T`, T lines `name e|i count`; then `pmax`, `shape` and `scale`,
/// each followed by T lines of T numbers.
fn parse(text: &str) -> Result<Types, SettingError> {
    let mut lines = text.lines().map(|l| l.split('#').next().unwrap_or("").trim()).filter(|l| !l.is_empty());
    let t: usize = match lines.next().and_then(|l| l.strip_prefix("types ")) {
        Some(v) => v.parse().map_err(|_| malformed(format!("bad type count `{v}`")))?,
        None => return Err(malformed("expected `types T` first")),
    };
    let (mut names, mut excitatory, mut count) = (vec![], vec![], vec![]);
    for _ in 0..t {
        match lines.next().map(|l| l.split_whitespace().collect::<Vec<_>>()).as_deref() {
            Some([name, ei @ ("e" | "i"), n]) => {
                names.push(name.to_string());
                excitatory.push(*ei == "e");
                count.push(n.parse::<u32>().map_err(|_| malformed(format!("{name}: bad count `{n}`")))? as f64);
            }
            other => return Err(malformed(format!("expected `name e|i count`, got {other:?}"))),
        }
    }
    let mut table = |title: &str| -> Result<Vec<f64>, SettingError> {
        if lines.next() != Some(title) {
            return Err(malformed(format!("expected `{title}`")));
        }
        let mut out = Vec::with_capacity(t * t);
        for r in 0..t {
            let row: Result<Vec<f64>, _> = lines.next().unwrap_or("").split_whitespace().map(str::parse).collect();
            match row {
                Ok(v) if v.len() == t && v.iter().all(|x| x.is_finite() && *x >= 0.0) => out.extend(v),
                _ => return Err(malformed(format!("{title}: row {} is not {t} non-negative numbers", r + 1))),
            }
        }
        Ok(out)
    };
    let (pmax, shape, scale) = (table("pmax")?, table("shape")?, table("scale")?);
    if pmax.iter().any(|&p| p > 1.0) || scale.contains(&0.0) {
        return Err(malformed("a probability above 1 or a zero scale"));
    }
    if let Some(l) = lines.next() {
        return Err(malformed(format!("unexpected `{l}` after the tables")));
    }
    Ok(Types { names, excitatory, count, pmax, shape, scale })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_read_as_derived() {
        let t = types();
        assert_eq!(t.names.len(), 19);
        assert_eq!(t.count.iter().sum::<f64>(), 66552.0);
        let exc: f64 = (0..19).filter(|&a| t.excitatory[a]).map(|a| t.count[a]).sum();
        assert_eq!(exc, 58605.0);
        let at = |pre: &str, post: &str, table: &[f64]| {
            let i = |x: &str| t.names.iter().position(|n| n == x).unwrap();
            table[i(pre) * 19 + i(post)]
        };
        // pmax_matrix_v1dd.csv row L2/3_Exc, column L2/3_PV; row L1_Inh, column L1_Inh.
        assert_eq!(at("L2/3_Exc", "L2/3_PV", &t.pmax), 0.28597);
        assert_eq!(at("L1_Inh", "L1_Inh", &t.pmax), 0.237225);
        // psp_lookup_table i1Htr3a -> i1Htr3a is vip__to__vip: shape 0.678394, scale 0.390344.
        assert_eq!((at("L1_Inh", "L1_Inh", &t.shape), at("L1_Inh", "L1_Inh", &t.scale)), (0.678394, 0.390344));
        assert_eq!(t.count[t.names.iter().position(|n| n == "L4_Exc").unwrap()], 17403.0);
    }

    #[test]
    fn inhibitory_types_are_pooled_by_layer_where_they_would_be_few() {
        let t = types();
        let names = |n: usize| t.groups(n).names;
        let pooled =
            |n: usize| names(n).into_iter().filter(|x| x.ends_with("_Inh") && x != "L1_Inh").collect::<Vec<_>>();
        assert_eq!(pooled(300), ["L2/3_Inh", "L4_Inh", "L5_Inh", "L6_Inh"]);
        assert_eq!(names(300).len(), 11);
        assert_eq!(pooled(2000), ["L6_Inh"]); // L6_VIP: 2000 x 94 / 66552 = 2.8 cells
        assert_eq!(pooled(20000), Vec::<String>::new());
        // A pooled group of singletons is the type itself: N large, nothing pooled.
        let g = t.groups(20000);
        assert_eq!(g.names, t.names);
        assert!(g.p.iter().zip(&t.pmax).all(|(a, b)| (a - b).abs() < 1e-15));
        assert!(g.scale.iter().zip(&t.scale).all(|(a, b)| (a - b).abs() < 1e-12 * b));
        assert!(g.shape.iter().zip(&t.shape).all(|(a, b)| (a - b).abs() < 1e-6));
        for n in [2, 7, 300, 2000] {
            let g = t.groups(n);
            assert_eq!(g.cells.iter().sum::<usize>(), n);
            let total: f64 = t.count.iter().sum();
            for (k, name) in g.names.iter().enumerate() {
                let count: f64 = (0..19)
                    .filter(|&a| t.names[a] == *name || (!t.excitatory[a] && format!("{}_Inh", t.layer(a)) == *name))
                    .map(|a| t.count[a])
                    .sum();
                assert!((g.cells[k] as f64 - n as f64 * count / total).abs() < 1.0, "{n} {name}");
            }
        }
    }

    #[test]
    fn a_draw_matches_the_tables_within_sampling_error() {
        let n = 2000;
        let g = types().groups(n);
        let w = g.draw(&mut Rng::new(3, 7));
        let of = g.of_cells();
        let k = g.cells.len();
        let (mut made, mut pairs, mut logs) = (vec![0.0; k * k], vec![0.0; k * k], vec![vec![]; k * k]);
        for post in 0..n {
            for pre in 0..n {
                let pair = of[pre] * k + of[post];
                if pre != post {
                    pairs[pair] += 1.0;
                }
                let x = w.at(post, pre);
                if x != 0.0 {
                    assert_ne!(pre, post, "no autapses");
                    assert_eq!(x > 0.0, g.excitatory[of[pre]], "signed by the presynaptic class");
                    made[pair] += 1.0;
                    logs[pair].push(libm::log(x.abs()));
                }
            }
        }
        let mut worst: f64 = 0.0;
        for pair in 0..k * k {
            let (p, m) = (g.p[pair], pairs[pair]);
            // Within 4.5 standard errors (k^2 = 289 pairs tested, so a false alarm is rare).
            let z = (made[pair] / m - p) / (p * (1.0 - p) / m).sqrt();
            worst = worst.max(z.abs());
            assert!(z.abs() < 4.5, "{} -> {}: {} of {m} vs p {p}", g.names[pair / k], g.names[pair % k], made[pair]);
            // The log-amplitude's mean, where there are enough connections to say.
            let l = &logs[pair];
            if l.len() >= 200 {
                let mean = l.iter().sum::<f64>() / l.len() as f64;
                let se = g.shape[pair] / (l.len() as f64).sqrt();
                assert!((mean - libm::log(g.scale[pair])).abs() < 4.5 * se, "{pair}: log mean {mean}");
            }
        }
        eprintln!("largest |z| of the connection frequencies: {worst:.2}");
        // Excitatory cells and connections: their shares as the tables give them.
        let n_e = of.iter().filter(|&&a| g.excitatory[a]).count();
        assert!((n_e as f64 / n as f64 - 58605.0 / 66552.0).abs() < 0.5 * k as f64 / n as f64, "{n_e}");
        let expected =
            |exc: bool| -> f64 { (0..k * k).filter(|&q| g.excitatory[q / k] == exc).map(|q| g.p[q] * pairs[q]).sum() };
        let (e, i) = (expected(true), expected(false));
        let got =
            w.data.iter().filter(|&&x| x > 0.0).count() as f64 / w.data.iter().filter(|&&x| x != 0.0).count() as f64;
        let want = e / (e + i);
        assert!((got - want).abs() < 4.5 * (want * (1.0 - want) / (e + i)).sqrt(), "{got} vs {want}");
    }

    #[test]
    fn one_seed_one_matrix() {
        let g = types().groups(300);
        let a = g.draw(&mut Rng::new(5, 1));
        assert_eq!(a, g.draw(&mut Rng::new(5, 1)));
        assert_ne!(a, g.draw(&mut Rng::new(6, 1)));
        let density = a.data.iter().filter(|&&x| x != 0.0).count() as f64 / (300.0 * 299.0);
        let exc: Vec<f64> = a.data.iter().copied().filter(|&x| x > 0.0).collect();
        let n_e = g.cells.iter().zip(&g.excitatory).filter(|(_, &e)| e).map(|(c, _)| c).sum::<usize>();
        let mean = exc.iter().sum::<f64>() / exc.len() as f64;
        eprintln!("N 300: {n_e} excitatory cells, density {density:.4}, mean excitatory amplitude {mean:.3} mV");
        assert_eq!(n_e, 264);
        assert!(density > 0.03 && density < 0.08, "{density}");
        assert!(mean > 0.3 && mean < 1.5, "{mean}");
    }

    #[test]
    fn parse_rejects_bad_files() {
        let ok = "types 1\nA e 3\npmax\n0.5\nshape\n1\nscale\n2\n";
        assert_eq!(parse(ok).unwrap().pmax, vec![0.5]);
        for bad in [
            "types 1\nA x 3\npmax\n0.5\nshape\n1\nscale\n2\n",
            "types 1\nA e 3\npmax\n1.5\nshape\n1\nscale\n2\n",
            "types 1\nA e 3\npmax\n0.5\nshape\n1\nscale\n0\n",
            "types 1\nA e 3\npmax\n0.5\nshape\n1\n",
            "types 1\nA e 3\npmax\n0.5 0.1\nshape\n1\nscale\n2\n",
            "types 1\nA e 3\npmax\n0.5\nshape\n1\nscale\n2\n3\n",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }
}
