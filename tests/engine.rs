//! End-to-end checks of the engine through its public API.

use richlazy::config::Config;
use richlazy::experiment::{initial_network, Experiment, Status};
use richlazy::init::InitSpec;
use richlazy::linalg::singular_values;
use richlazy::report::run_json;

fn small(pairs: &[(&str, &str)]) -> Config {
    let mut c = Config::default();
    let errs = c.apply([("hidden", "40"), ("iters", "60"), ("every", "20")].into_iter().chain(pairs.iter().copied()));
    assert!(errs.is_empty(), "{errs:?}");
    c
}

#[test]
fn one_seed_gives_identical_runs() {
    let c = small(&[("task", "dms"), ("seed", "5")]);
    let mut a = Experiment::new(c.clone()).unwrap();
    let mut b = Experiment::new(c).unwrap();
    a.run_to_end();
    b.run_to_end();
    assert_eq!(a.net(), b.net());
    assert_eq!(run_json(&a).to_string(), run_json(&b).to_string());
}

#[test]
fn different_seeds_give_different_runs() {
    let mut a = Experiment::new(small(&[("seed", "1")])).unwrap();
    let mut b = Experiment::new(small(&[("seed", "2")])).unwrap();
    a.run_to_end();
    b.run_to_end();
    assert_ne!(a.net().w_rec, b.net().w_rec);
}

#[test]
fn untrained_network_is_perfectly_aligned_with_itself() {
    let exp = Experiment::new(small(&[("task", "cxt")])).unwrap();
    let m = &exp.history()[0];
    assert_eq!(m.iter, 0);
    assert!((m.rep_alignment - 1.0).abs() < 1e-12, "{}", m.rep_alignment);
    assert!((m.kernel_alignment - 1.0).abs() < 1e-12, "{}", m.kernel_alignment);
    assert_eq!(m.weight_change, 0.0);
    assert_eq!(m.sign_similarity, 1.0);
}

#[test]
fn training_moves_weights_and_lowers_loss() {
    let mut exp = Experiment::new(small(&[("iters", "200"), ("every", "200"), ("lr", "0.01")])).unwrap();
    exp.run_to_end();
    assert_eq!(exp.status(), Status::Done);
    let (first, last) = (&exp.history()[0], exp.history().last().unwrap());
    assert_eq!(last.iter, 200);
    assert!(last.loss < 0.5 * first.loss, "{} -> {}", first.loss, last.loss);
    assert!(last.weight_change > 0.0);
    assert!(last.kernel_alignment < 1.0 && last.rep_alignment < 1.0);
}

#[test]
fn rank_init_has_that_rank_and_the_gaussian_norm() {
    let n = 60;
    for rank in [1, 5, 30] {
        let g = initial_network(&small(&[("hidden", "60"), ("init", "gaussian")]));
        let r = initial_network(&small(&[("hidden", "60"), ("init", "rank"), ("rank", &rank.to_string())]));
        let s = singular_values(&r.w_rec.to_f64());
        let above = s.iter().filter(|&&x| x > 1e-4 * s[0]).count();
        assert_eq!(above, rank, "rank {rank}: {:?}", &s[..rank + 1]);
        let (ng, nr) = (g.w_rec.frob_norm(), r.w_rec.frob_norm());
        assert!((ng - nr).abs() < 1e-4 * ng, "norms {ng} vs {nr}");
        // Same seed, same W_in / W_out whatever the rank.
        assert_eq!(g.w_in, r.w_in);
        assert_eq!(r.w_rec.rows, n);
    }
}

#[test]
fn gaussian_init_has_the_expected_scale() {
    // |g Z / sqrt(N)|_F^2 = g^2 N in expectation.
    let net = initial_network(&small(&[("hidden", "200"), ("gain", "1.25")]));
    let f = net.w_rec.frob_norm();
    let want = 1.25 * 200f64.sqrt();
    assert!((f - want).abs() < 0.02 * want, "{f} vs {want}");
    assert_eq!(InitSpec::new("gaussian").key(), "gaussian");
}

#[test]
fn a_diverging_run_stops_and_reports_no_measures() {
    let mut exp =
        Experiment::new(small(&[("init", "rank"), ("rank", "1"), ("gain", "60"), ("lr", "10"), ("iters", "50")]))
            .unwrap();
    exp.run_to_end();
    assert!(matches!(exp.status(), Status::Diverged { .. }), "{:?}", exp.status());
    assert!(exp.latest().is_none());
    let j = run_json(&exp).to_string();
    assert!(j.contains("\"status\":\"diverged\"") && j.contains("\"final\":null"), "{j}");
    assert!(!j.contains("NaN") && !j.contains("inf"));
}

#[test]
fn an_all_silent_start_is_reported_as_silent_not_diverged() {
    // results/dale-2af.json's dale_rank:1 seed 1 (N 300): every unit is 0 at the decision step.
    let mut c = Config::default();
    assert!(c.apply([("init", "dale_rank"), ("rank", "1"), ("seed", "1")]).is_empty());
    let mut exp = Experiment::new(c).unwrap();
    exp.run_to_end();
    assert_eq!(exp.status(), Status::Silent { iter: 0 });
    assert_eq!(exp.status().key(), "silent");
    assert!(exp.latest().is_none());
    let j = run_json(&exp).to_string();
    assert!(
        j.contains("\"status\":\"silent\",\"diverged_at\":null,\"silent_at\":0,") && j.contains("\"final\":null"),
        "{j}"
    );
    // A run that trains keeps its bytes: no silent_at key.
    let mut ok = Experiment::new(small(&[])).unwrap();
    ok.run_to_end();
    assert!(!run_json(&ok).to_string().contains("silent_at"));
}

#[test]
fn paper_sized_rank_starts_have_their_rank() {
    // N 300, seed 0: the rank-30 start is where a faster eigensolver once stalled.
    for rank in ["1", "30", "100"] {
        let mut c = Config::default();
        assert!(c.apply([("init", "rank"), ("rank", rank)]).is_empty());
        let s = singular_values(&initial_network(&c).w_rec.to_f64());
        assert_eq!(s.iter().filter(|&&x| x > 1e-6 * s[0]).count(), rank.parse::<usize>().unwrap());
    }
}

#[test]
fn every_rule_and_flossing_give_identical_reruns() {
    for pairs in [
        vec![("rule", "eprop"), ("dt", "20")],
        vec![("rule", "rflo"), ("dt", "50"), ("task", "cxt")],
        vec![
            ("rule", "bptt"),
            ("dt", "20"),
            ("floss", "both"),
            ("floss_iters", "5"),
            ("floss_every", "7"),
            ("floss_k", "3"),
        ],
        vec![("rule", "rflo"), ("dt", "20"), ("floss", "pre"), ("floss_iters", "5"), ("floss_mode", "local")],
    ] {
        let c = small(&[&[("hidden", "16"), ("iters", "30"), ("every", "10")][..], &pairs[..]].concat());
        let mut a = Experiment::new(c.clone()).unwrap();
        let mut b = Experiment::new(c).unwrap();
        a.run_to_end();
        b.run_to_end();
        assert_eq!(a.status(), Status::Done, "{pairs:?}");
        let (ja, jb) = (run_json(&a).to_string(), run_json(&b).to_string());
        assert_eq!(ja, jb, "{pairs:?}");
        assert!(ja.contains("\"lyap_max\"") && ja.contains("\"lyap_spectrum\""), "{pairs:?}");
        assert_eq!(
            ja.contains("lyap_spectrum_unflossed"),
            pairs.iter().any(|(k, v)| *k == "floss" && *v != "inter"),
            "{pairs:?}"
        );
    }
}

#[test]
fn pre_flossing_moves_the_start_towards_the_edge_of_chaos() {
    // A small gain starts well below lambda = 0; pre-flossing lifts the start that training sees.
    let c = small(&[("hidden", "32"), ("iters", "1"), ("gain", "0.5"), ("floss", "pre"), ("floss_iters", "100")]);
    let exp = Experiment::new(c).unwrap();
    let before = exp.unflossed_lyap_spectrum().unwrap()[0];
    let after = exp.initial_lyap_spectrum()[0];
    assert!(before < -0.3 && after > before + 0.2, "lambda_max {before} -> {after}");
    assert_eq!(exp.history()[0].lyap_max(), after);
}

#[test]
fn dale_settings_round_trip_and_bad_values_are_named() {
    let c = small(&[("hidden", "60"), ("init", "dale_rank"), ("rank", "30"), ("ei", "0.5"), ("scale", "spectral")]);
    assert_eq!((c.init.key(), c.init.rank, c.init.ei), ("dale_rank", 30, 0.5));
    let pairs = c.pairs();
    assert!(pairs.contains(&("ei", "0.5".into())) && pairs.contains(&("rank", "30".into())), "{pairs:?}");
    let mut d = Config::default();
    assert!(d.apply(pairs.iter().map(|(k, v)| (*k, v.as_str()))).is_empty());
    assert_eq!(c, d);
    // ei is written only for the Dale families, so other configurations keep their bytes.
    let keys = |c: &Config| c.pairs().into_iter().map(|(k, _)| k).collect::<Vec<_>>();
    assert!(!keys(&Config::default()).contains(&"ei"));
    assert!(!keys(&small(&[("ei", "0.5"), ("init", "rank"), ("rank", "3")])).contains(&"ei"));
    let (dale, dale_rank) = (keys(&small(&[("init", "dale")])), keys(&small(&[("init", "dale_rank"), ("rank", "2")])));
    assert!(
        dale.contains(&"ei") && !dale.contains(&"rank") && dale_rank.contains(&"ei") && dale_rank.contains(&"rank")
    );
    for bad in ["0", "1", "1.5", "-0.2", "abc", "NaN"] {
        let mut c = Config::default();
        let errs = c.apply([("init", "dale"), ("ei", bad)]);
        assert!(errs.len() == 1 && errs[0].message.starts_with("ei:"), "ei={bad}: {errs:?}");
        assert_eq!(c.init.ei, 0.8, "a bad value keeps the default");
    }
    // Too few units for both kinds: a message, and the start still builds (one of each).
    let mut c = Config::default();
    let errs = c.apply([("hidden", "10"), ("init", "dale"), ("ei", "0.99")]);
    assert!(errs.len() == 1 && errs[0].message.starts_with("ei must leave"), "{errs:?}");
    assert!(initial_network(&c).w_rec.to_f64().data.iter().any(|&x| x < 0.0));
    let mut c = Config::default();
    assert_eq!(c.apply([("hidden", "40"), ("init", "dale_rank"), ("rank", "100")]).len(), 1);
    assert_eq!(c.rank(), Some(40));
}

#[test]
fn dale_sweep_items_and_starts_keep_their_signs() {
    use richlazy::sweep::parse_variants;
    let vs = parse_variants("dale, dale_rank:30+gain:0.5").unwrap();
    assert_eq!((vs[0].label.as_str(), vs[1].label.as_str()), ("dale", "dale_rank:30+gain:0.5"));
    let mut c = Config::default();
    assert!(c.apply(vs[1].pairs.iter().map(|(k, v)| (*k, v.as_str()))).is_empty());
    assert_eq!((c.init.key(), c.rank(), c.init.gain), ("dale_rank", Some(30), 0.5));
    for bad in ["dale:3", "dale_rank", "dale_rank:"] {
        assert!(parse_variants(bad).is_err(), "{bad}");
    }
    // Through the engine: the first round(0.3 * 50) = 15 columns excitatory, the rest inhibitory; W_in as the Gaussian's.
    let g = initial_network(&small(&[("hidden", "50")]));
    let net = initial_network(&small(&[("hidden", "50"), ("init", "dale"), ("ei", "0.3")]));
    let w = net.w_rec.to_f64();
    assert!((0..50).all(|r| (0..50).all(|c| if c < 15 { w.at(r, c) > 0.0 } else { w.at(r, c) < 0.0 })));
    assert!((w.frob_norm() - g.w_rec.to_f64().frob_norm()).abs() < 1e-4 * w.frob_norm());
    assert_eq!(g.w_in, net.w_in);
}

/// The Gaussian a configuration's start is scaled to: its seed's W_rec stream (`experiment`'s stream 1).
fn net_gaussian(c: &Config) -> richlazy::linalg::Mat<f64> {
    use richlazy::init::TaskAxes;
    let z = richlazy::linalg::Mat::zeros(1, 1);
    let axes = TaskAxes { w_in: &z, w_out: &z, io_cov: &z, fixation: false };
    InitSpec { gain: c.init.gain, ..InitSpec::new("gaussian") }.build(
        c.hidden,
        &mut richlazy::rng::Rng::new(c.seed, 1),
        &axes,
    )
}

#[test]
fn a_files_matrix_round_trips_exactly_into_the_engines_w_rec() {
    use richlazy::init::{file, Scale};
    use richlazy::linalg::Mat;
    let n = 12;
    let mut rng = richlazy::rng::Rng::new(8, 8);
    let m = Mat::from_fn(n, n, |_, _| if rng.uniform() < 0.3 { rng.normal() * 3.0 } else { 0.0 });
    let m32 = m.map(|x| x as f32 as f64);
    let csv: String =
        (0..n).map(|r| m.row(r).iter().map(|x| x.to_string()).collect::<Vec<_>>().join(",") + "\n").collect();
    let (csv_hash, _) = file::load(csv.as_bytes(), "m.csv").unwrap();
    assert_eq!(csv_hash, file::hash(&m));
    for want in [&m, &m32] {
        let hash = file::register(want.clone());
        for scale in [Scale::Frobenius, Scale::Spectral] {
            let mut c = Config::default();
            let hex = file::hex(hash);
            let errs = c.apply([
                ("init", "file"),
                ("file", hex.as_str()),
                ("seed", "4"),
                ("scale", scale.key()),
                ("hidden", "50"),
            ]);
            assert!(errs.is_empty(), "{errs:?}");
            assert_eq!(c.hidden, n, "N follows the file");
            let net = initial_network(&c);
            let s = scale.of(&net_gaussian(&c)) / scale.of(want);
            assert_eq!(net.w_rec, want.map(|y| y * s).cast::<f32>(), "{scale:?}");
            assert_eq!(c.pairs().iter().find(|(k, _)| *k == "file").map(|(_, v)| v.clone()), Some(hex.clone()));
        }
    }
    // An unknown hash (or none) is refused with a message, by the engine too.
    let other = file::hex(file::hash(&m) ^ 0xff);
    let mut c = Config::default();
    let errs = c.apply([("init", "file"), ("file", other.as_str())]);
    assert!(
        errs.len() == 1 && errs[0].message.contains("no matrix with hash") && errs[0].message.contains(&other),
        "{errs:?}"
    );
    let e = Experiment::new(c).err().unwrap();
    assert!(e.message.contains("no matrix with hash") && e.key == "file", "{e}");
    assert!(Config::default().apply([("init", "file")])[0].message.contains("needs a matrix"));
    assert!(Config::default().apply([("file", "nothex")])[0]
        .message
        .starts_with("file: 'nothex' is not a matrix's hash"));
}
