//! The fly's visual system: flyvis's type-to-type connectome of the optic lobe (Lappalainen et al.
//! 2024, from the FIB-25 / FIB-19 medulla reconstructions), as `tools/connectome/fly.py` writes it
//! into `data/fly_types.txt` (see `data/PROVENANCE.md`), laid out on a hexagonal patch of columns
//! the way flyvis builds its network: a type sits on the columns whose u and v its strides divide,
//! and each type-to-type edge, for each column offset (du, dv), connects the source at (u, v) to
//! the target at (u + du, v + dv) with sign x mean synapse count.

use super::wiring::{measured, Control};
use super::{InitSpec, Start, TaskAxes};
use crate::linalg::Mat;
use crate::rng::Rng;

/// The page's hint for these families (plain text; their rows share it).
pub const HINT: &str = "The fly's optic lobe (flyvis, Lappalainen et al. 2024; FIB-25/FIB-19 medulla EM): 65 cell \
types on a hexagonal lattice of columns, laid out as flyvis does on a patch of radius 1 (7 columns: 63 types one per \
column, Lawf1 and Lawf2 only at the centre), so N = 443. W[target at (u+du, v+dv), source at (u, v)] = sign x mean \
synapse count for each type pair's measured offsets; our choices: flyvis's filling of unmeasured offsets (1 synapse \
inside each edge's hull) is not applied, and connections that would leave the patch are dropped. Signs are flyvis's, \
per edge: 4 types (R8, Am, C2, C3) excite some targets and inhibit others, every other column has one sign. \
Controls: shuffled (the same entries in random places) and spectrum (its singular values on random singular vectors).";

const DATA: &str = include_str!("../../data/fly_types.txt");

/// The patch's radius in columns (our choice: the smallest patch with neighbouring columns).
pub const RADIUS: i32 = 1;

/// The type-to-type table as the file holds it.
#[derive(Clone, Debug, PartialEq)]
pub struct Types {
    /// Name, u stride, v stride.
    pub types: Vec<(String, i32, i32)>,
    /// Source type, target type, sign, and (du, dv, mean synapse count) per offset.
    pub edges: Vec<Edge>,
}

pub type Edge = (usize, usize, f64, Vec<(i32, i32, f64)>);

/// The bundled table.
pub fn types() -> Types {
    parse(DATA).unwrap_or_else(|e| panic!("data/fly_types.txt: {e}"))
}

/// The patch: its neurons (type, u, v) in flyvis's order, and W[target][source].
pub struct Patch {
    pub nodes: Vec<(usize, i32, i32)>,
    pub w: Mat<f64>,
}

impl Types {
    /// The neurons and the matrix of a hexagon of `radius` columns.
    pub fn patch(&self, radius: i32) -> Patch {
        let mut nodes = Vec::new();
        for (t, (_, su, sv)) in self.types.iter().enumerate() {
            for u in -radius..=radius {
                for v in (-radius).max(-radius - u)..=radius.min(radius - u) {
                    if u.rem_euclid(*su) == 0 && v.rem_euclid(*sv) == 0 {
                        nodes.push((t, u, v));
                    }
                }
            }
        }
        let index = |t: usize, u: i32, v: i32| nodes.iter().position(|&x| x == (t, u, v));
        let mut w = Mat::zeros(nodes.len(), nodes.len());
        for (src, tar, sign, offsets) in &self.edges {
            for &(du, dv, count) in offsets {
                for (i, &(t, u, v)) in nodes.iter().enumerate() {
                    if t != *src {
                        continue;
                    }
                    if let Some(j) = index(*tar, u + du, v + dv) {
                        w.set(j, i, w.at(j, i) + sign * count);
                    }
                }
            }
        }
        Patch { nodes, w }
    }

    pub fn index(&self, name: &str) -> Option<usize> {
        self.types.iter().position(|t| t.0 == name)
    }
}

/// The data of the fly families (`FamilyDef::on`): N is the patch's.
pub const SOURCE: super::Data = super::Data {
    key: "fly",
    display: "fly visual system",
    by: None,
    hidden: |_| Some(n()),
    what: |m| format!("the fly's patch has {m} neurons"),
};

/// The number of neurons of the bundled patch (the hidden size these starts fix).
pub fn n() -> usize {
    types().patch(RADIUS).nodes.len()
}

fn matrix() -> Mat<f64> {
    types().patch(RADIUS).w
}

/// The fly family: the patch's matrix, scaled to the Gaussian's size.
pub fn start(spec: &InitSpec, _: &Mat<f64>, rng: &mut Rng, _: &TaskAxes) -> Start {
    measured(spec, matrix(), None, rng)
}

/// Its entries in random places.
pub fn start_shuffled(spec: &InitSpec, _: &Mat<f64>, rng: &mut Rng, _: &TaskAxes) -> Start {
    measured(spec, matrix(), Some(Control::Shuffled), rng)
}

/// Its singular values on random singular vectors.
pub fn start_spectrum(spec: &InitSpec, _: &Mat<f64>, rng: &mut Rng, _: &TaskAxes) -> Start {
    measured(spec, matrix(), Some(Control::Spectrum), rng)
}

/// `key <count>`.
fn header(line: Option<&str>, key: &str) -> Result<usize, String> {
    let l = line.unwrap_or("");
    l.strip_prefix(key)
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| format!("expected `{key} <count>`, got `{l}`"))
}

/// Format: `#` comments; `types T`, T lines `name u_stride v_stride`; `edges E`, E lines
/// `source target +1|-1 du,dv:count ...`.
fn parse(text: &str) -> Result<Types, String> {
    let mut lines = text.lines().map(|l| l.split('#').next().unwrap_or("").trim()).filter(|l| !l.is_empty());
    let t = header(lines.next(), "types")?;
    let mut types: Vec<(String, i32, i32)> = Vec::with_capacity(t);
    for _ in 0..t {
        let l = lines.next().unwrap_or("");
        let f: Vec<&str> = l.split_whitespace().collect();
        match (f.as_slice(), f.get(1).and_then(|x| x.parse().ok()), f.get(2).and_then(|x| x.parse().ok())) {
            ([name, _, _], Some(su), Some(sv)) if su > 0 && sv > 0 && !types.iter().any(|x| x.0 == *name) => {
                types.push((name.to_string(), su, sv))
            }
            _ => return Err(format!("expected `name u_stride v_stride` (a new name, strides > 0), got `{l}`")),
        }
    }
    let e = header(lines.next(), "edges")?;
    let index = |name: &str| types.iter().position(|x| x.0 == name).ok_or_else(|| format!("unknown type {name}"));
    let mut edges = Vec::with_capacity(e);
    for _ in 0..e {
        let l = lines.next().ok_or("ends before the last edge")?;
        let f: Vec<&str> = l.split_whitespace().collect();
        let [s, t, sign, ref offsets @ ..] = f[..] else {
            return Err(format!("expected `source target sign offsets...`, got `{l}`"));
        };
        let sign = match sign {
            "+1" => 1.0,
            "-1" => -1.0,
            _ => return Err(format!("bad sign in `{l}`")),
        };
        let offsets: Option<Vec<(i32, i32, f64)>> = offsets
            .iter()
            .map(|o| {
                let (uv, n) = o.split_once(':')?;
                let (du, dv) = uv.split_once(',')?;
                let n: f64 = n.parse().ok().filter(|n: &f64| n.is_finite() && *n > 0.0)?;
                Some((du.parse().ok()?, dv.parse().ok()?, n))
            })
            .collect();
        match offsets {
            Some(o) if !o.is_empty() => edges.push((index(s)?, index(t)?, sign, o)),
            _ => return Err(format!("bad or missing offsets in `{l}`")),
        }
    }
    if let Some(l) = lines.next() {
        return Err(format!("unexpected `{l}` after the last edge"));
    }
    Ok(Types { types, edges })
}

#[cfg(test)]
mod tests {
    use super::*;

    // Numbers printed by tools/connectome/fly.py for the same radius-1 patch.
    const NEURONS: usize = 443;
    const NONZEROS: usize = 7698;

    #[test]
    fn the_radius_one_patch_has_443_neurons() {
        let t = types();
        assert_eq!((t.types.len(), t.edges.len()), (65, 605));
        assert_eq!(t.edges.iter().filter(|e| e.2 > 0.0).count(), 377);
        assert_eq!(t.edges.iter().map(|e| e.3.len()).sum::<usize>(), 2140);
        let p = t.patch(RADIUS);
        assert_eq!(p.nodes.len(), NEURONS);
        assert_eq!(n(), NEURONS);
        // 63 types on all 7 columns, Lawf1 and Lawf2 (strides 3, 2) only at the centre.
        for (k, (name, ..)) in t.types.iter().enumerate() {
            let cells = p.nodes.iter().filter(|x| x.0 == k).count();
            assert_eq!(cells, if name.starts_with("Lawf") { 1 } else { 7 }, "{name}");
        }
        assert_eq!(p.w.data.iter().filter(|&&x| x != 0.0).count(), NONZEROS);
        assert!((p.w.data.iter().sum::<f64>() - 4021.819710).abs() < 1e-5);
        assert!((p.w.data.iter().map(|x| x.abs()).sum::<f64>() - 38971.157052).abs() < 1e-5);
        assert_eq!(t.patch(2).nodes.len(), 1203);
    }

    #[test]
    fn named_entries_follow_the_lattice() {
        let t = types();
        let p = t.patch(RADIUS);
        let at = |tar: &str, (ut, vt): (i32, i32), src: &str, (us, vs): (i32, i32)| {
            let i = |name: &str, u, v| p.nodes.iter().position(|&x| x == (t.index(name).unwrap(), u, v)).unwrap();
            p.w.at(i(tar, ut, vt), i(src, us, vs))
        };
        // fib25-fib19_v2.2.json: R1 -> L1 at offset (0, 0), 40 synapses, alpha -1 (histamine).
        assert_eq!(at("L1", (0, 0), "R1", (0, 0)), -40.0);
        assert_eq!(at("L1", (1, 0), "R1", (1, 0)), -40.0);
        assert_eq!(at("L1", (1, 0), "R1", (0, 0)), 0.0, "R1 -> L1 has only offset (0, 0)");
        // Mi1 -> C2 (alpha +1) has offsets (0, 0) 4.90909, (1, 0) 3.66667, (1, -1) 2.66667 and (0, 1)
        // 2.77778 among others (the json's 54/11, 11/3, 8/3, 25/9 to 6 digits): the source at (u, v)
        // reaches the target at (u + du, v + dv).
        assert_eq!(at("C2", (0, 0), "Mi1", (0, 0)), 4.90909);
        assert_eq!(at("C2", (1, 0), "Mi1", (0, 0)), 3.66667);
        assert_eq!(at("C2", (0, 0), "Mi1", (-1, 0)), 3.66667);
        assert_eq!(at("C2", (1, -1), "Mi1", (0, 0)), 2.66667);
        assert_eq!(at("C2", (0, 1), "Mi1", (0, 0)), 2.77778);
        assert_eq!(at("C2", (-1, 0), "Mi1", (0, 0)), 0.0, "no offset (-1, 0)");
    }

    #[test]
    fn every_column_has_one_sign_but_flyvis_four_mixed_types() {
        // flyvis signs an edge, not a cell: R8 (histamine) excites Mi1, Mi4, Mi9 and Mi15 and inhibits
        // its other targets; Am, C2 and C3 excite L1 (and T1 or L2) and inhibit the rest (NernPC2018).
        let t = types();
        let p = t.patch(RADIUS);
        let n = p.nodes.len();
        let mut mixed: Vec<&str> = (0..n)
            .filter(|&c| {
                let col: Vec<f64> = (0..n).map(|r| p.w.at(r, c)).filter(|&x| x != 0.0).collect();
                col.iter().any(|&x| x > 0.0) && col.iter().any(|&x| x < 0.0)
            })
            .map(|c| t.types[p.nodes[c].0].0.as_str())
            .collect();
        mixed.dedup();
        mixed.sort();
        assert_eq!(mixed, ["Am", "C2", "C3", "R8"]);
    }

    #[test]
    fn parse_rejects_bad_files() {
        let ok = "types 2\nA 1 1\nB 3 2\nedges 1\nA B -1 0,0:2 1,-1:0.5\n";
        assert_eq!(parse(ok).unwrap().edges, vec![(0, 1, -1.0, vec![(0, 0, 2.0), (1, -1, 0.5)])]);
        for bad in [
            "types 2\nA 1 1\nB 0 2\nedges 1\nA B -1 0,0:2\n",
            "types 2\nA 1 1\nB 1 1\nedges 1\nA C -1 0,0:2\n",
            "types 2\nA 1 1\nB 1 1\nedges 1\nA B 2 0,0:2\n",
            "types 2\nA 1 1\nB 1 1\nedges 1\nA B -1 0,0:0\n",
            "types 2\nA 1 1\nB 1 1\nedges 1\nA B -1\n",
            "types 2\nA 1 1\nB 1 1\nedges 2\nA B -1 0,0:1\n",
            "types 2\nA 1 1\nB 1 1\nedges 1\nA B -1 0,0:1\nB A +1 0,0:1\n",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }
}
