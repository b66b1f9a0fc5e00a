//! The bundled MNIST files and the sequential-MNIST task: the gzip and IDX readers against the
//! files' published MD5s and headers, a batch's layout and labels, and what the loss scores.

use richlazy::linalg::Mat;
use richlazy::mnist::{self, gzip, idx, FILES};
use richlazy::model::Rnn;
use richlazy::rng::Rng;
use richlazy::rules::{Bptt, Grads, LearningRule};
use richlazy::tasks::{Batch, TaskKind, TaskStream};

/// MD5 (RFC 1321), here only to check the files against the hashes LeCun's page publishes.
fn md5(msg: &[u8]) -> String {
    const S: [u32; 16] = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
    let k: Vec<u32> = (0..64).map(|i| (((i + 1) as f64).sin().abs() * 4294967296.0) as u32).collect();
    let mut h: [u32; 4] = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
    let mut m = msg.to_vec();
    m.push(0x80);
    while m.len() % 64 != 56 {
        m.push(0);
    }
    m.extend(((msg.len() as u64) * 8).to_le_bytes());
    for chunk in m.chunks_exact(64) {
        let w: Vec<u32> = chunk.chunks_exact(4).map(|c| u32::from_le_bytes(c.try_into().unwrap())).collect();
        let [mut a, mut b, mut c, mut d] = h;
        for i in 0..64 {
            let (f, g) = match i / 16 {
                0 => ((b & c) | (!b & d), i),
                1 => ((d & b) | (!d & c), (5 * i + 1) % 16),
                2 => (b ^ c ^ d, (3 * i + 5) % 16),
                _ => (c ^ (b | !d), (7 * i) % 16),
            };
            let f = f.wrapping_add(a).wrapping_add(k[i]).wrapping_add(w[g]);
            a = d;
            d = c;
            c = b;
            b = b.wrapping_add(f.rotate_left(S[i / 16 * 4 + i % 4]));
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d]) {
            *x = x.wrapping_add(y);
        }
    }
    h.iter().flat_map(|x| x.to_le_bytes()).map(|b| format!("{b:02x}")).collect()
}

#[test]
fn md5_of_the_rfc_examples() {
    assert_eq!(md5(b""), "d41d8cd98f00b204e9800998ecf8427e");
    assert_eq!(md5(b"abc"), "900150983cd24fb0d6963f7d28e17f72");
    assert_eq!(md5(&[b'a'; 1000]), "cabe45dcc9ae5b66ba86600cca6b8ba8");
}

#[test]
fn bundled_files_decompress_to_lecuns_bytes_and_headers() {
    // (MD5 of the raw file, IDX type-and-rank bytes, dimensions).
    let want: [(&str, [u8; 4], &[usize]); 4] = [
        ("6bbc9ace898e44ae57da46a324031adb", [0, 0, 8, 3], &[60000, 28, 28]),
        ("a25bea736e30d166cdddb491f175f624", [0, 0, 8, 1], &[60000]),
        ("2646ac647ad5339dbf082846283269ea", [0, 0, 8, 3], &[10000, 28, 28]),
        ("27ae3e4e09519cfbb04c329615203637", [0, 0, 8, 1], &[10000]),
    ];
    for (name, (sum, magic, dims)) in FILES.iter().zip(want) {
        let gz = std::fs::read(format!("{}/{name}.gz", mnist::DIR)).unwrap();
        let raw = gzip::gunzip(&gz).unwrap();
        assert_eq!(md5(&raw), sum, "{name}");
        assert_eq!(raw[..4], magic, "{name}");
        assert_eq!(idx::parse(&raw).unwrap().dims, dims, "{name}");
    }
    let m = mnist::get().unwrap();
    assert_eq!((m.train.len(), m.test.len()), (60000, 10000));
    // The first training digit is a 5, the first test digit a 7 (as every MNIST reader shows them).
    assert_eq!((m.train.labels[0], m.test.labels[0]), (5, 7));
}

/// The image index slot `b` of a stream of `(seed, first)` drew for its first trial.
fn first_index(seed: u64, first: u64, b: usize, n: usize) -> usize {
    Rng::new(seed, first + b as u64).below(n)
}

#[test]
fn a_batch_is_image_rows_in_time_with_the_digit_scored_last() {
    let m = mnist::get().unwrap();
    let task = TaskKind::SeqMnist.build();
    assert_eq!((task.key(), task.n_in(), task.n_out(), task.seq_len()), ("smnist", 28, 10, 28));
    assert_eq!((task.decision_steps(), task.scored_steps()), (27..28, 27..28));
    let mut stream = TaskStream::new(task, 5, 9, 100);
    let batch = stream.next_batch();
    assert_eq!((batch.seq_len, batch.batch, batch.n_in, batch.scored.clone()), (28, 5, 28, 27..28));
    for b in 0..5 {
        let i = first_index(9, 100, b, 60000);
        let image = m.train.image(i);
        for t in 0..28 {
            // Row t of the image, scaled to [0, 1], is the input at step t.
            let want: Vec<f32> = image[t * 28..(t + 1) * 28].iter().map(|&p| p as f32 / 255.0).collect();
            assert_eq!(&batch.x_at(t)[b * 28..(b + 1) * 28], &want[..], "slot {b} step {t}");
            assert_eq!(batch.labels_at(t)[b], m.train.labels[i] as usize);
        }
    }
    assert!(batch.x.iter().all(|&v| (0.0..=1.0).contains(&v)) && batch.x.contains(&1.0));
    // The probe task draws the test images.
    let probe = TaskStream::new(TaskKind::SeqMnist.build_probe_at(100), 2, 9, 100).next_batch();
    let i = first_index(9, 100, 1, 10000);
    assert_eq!(
        probe.x_at(3)[28..56],
        m.test.image(i)[84..112].iter().map(|&p| p as f32 / 255.0).collect::<Vec<_>>()[..]
    );
}

#[test]
fn batches_are_fixed_by_the_seed() {
    let hash = |b: &Batch| {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let bytes =
            b.x.iter()
                .flat_map(|v| v.to_bits().to_le_bytes())
                .chain(b.labels.iter().flat_map(|&l| (l as u64).to_le_bytes()));
        bytes.for_each(|byte| h = (h ^ byte as u64).wrapping_mul(0x100_0000_01b3));
        h
    };
    let draw = |seed| TaskStream::new(TaskKind::SeqMnist.build(), 8, seed, 1 << 16).next_batch();
    assert_eq!(draw(3), draw(3));
    assert_ne!(hash(&draw(3)), hash(&draw(4)));
    // Pinned: a change to how sMNIST batches are drawn or scaled shows here.
    assert_eq!(hash(&draw(3)), 0x4cd6_9e1f_d4fb_6d18);
}

#[test]
fn only_the_last_step_is_scored() {
    let task = TaskKind::SeqMnist.build();
    let mut rng = Rng::new(2, 0);
    let n = 12;
    let net = Rnn::<f64>::new(Mat::from_fn(n, n, |_, _| 0.3 * rng.normal()), task.n_in(), task.n_out(), 1.0, &mut rng);
    let batch = TaskStream::new(task, 4, 5, 0).next_batch();
    let grads_of = |b: &Batch| {
        let mut g = Grads::zeros_like(&net);
        let stats = Bptt::new(&net, 28, 4).gradients(&net, b, 27..28, &mut g);
        (stats, g.mats.map(|m| m.data))
    };
    let (stats, grads) = grads_of(&batch);
    // Other labels on the earlier steps change nothing, to the bit.
    let mut relabelled = batch.clone();
    relabelled.labels[..27 * 4].iter_mut().for_each(|l| *l = (*l + 3) % 10);
    assert_eq!(grads_of(&relabelled), (stats, grads.clone()));
    // Another digit on the last step changes the loss and every gradient.
    let mut last = batch.clone();
    last.labels[27 * 4] = (last.labels[27 * 4] + 1) % 10;
    let (stats2, grads2) = grads_of(&last);
    assert_ne!(stats2.loss, stats.loss);
    assert!(grads.iter().zip(&grads2).all(|(a, b)| a != b));
}
