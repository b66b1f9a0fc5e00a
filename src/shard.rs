//! One convention for splitting any sweep over a cluster's job array or the page's pool: the work
//! items are numbered in the unsharded order, and shard K of N runs the items i with i mod N = K.
//! Each item is computed from the seed alone, so the shards' items are bit for bit the unsharded
//! run's, and `interleave` puts them back in order. A study that shards has `study::SHARD` in its
//! table, reports its items in order, and merges with `study::gather`.

/// The most shards a run may be split into.
pub const MAX_SHARDS: usize = 4096;

/// Shard `k` of `n` (`0/1` is the whole run).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub k: usize,
    pub n: usize,
}

impl Shard {
    pub const WHOLE: Shard = Shard { k: 0, n: 1 };

    /// `K/N`, 0 <= K < N <= MAX_SHARDS (the settings table's `Kind::Shard` says what is wrong).
    pub fn parse(s: &str) -> Option<Shard> {
        let (k, n) = s.split_once('/')?;
        let (k, n) = (k.trim().parse::<usize>().ok()?, n.trim().parse::<usize>().ok()?);
        (n > 0 && k < n && n <= MAX_SHARDS).then_some(Shard { k, n })
    }

    pub fn owns(self, i: usize) -> bool {
        i % self.n == self.k
    }

    pub fn is_whole(self) -> bool {
        self.n == 1
    }

    /// How many of `total` items this shard runs.
    pub fn count(self, total: usize) -> usize {
        (total + self.n - 1 - self.k) / self.n
    }

    /// `K/N`, as reports write it.
    pub fn key(self) -> String {
        format!("{}/{}", self.k, self.n)
    }
}

/// Shards that do not make one run, and why (`settings::SettingError` takes it as code `merge`;
/// kept apart so that this module needs no other).
#[derive(Clone, Debug, PartialEq)]
pub struct Unfit(pub String);

fn unfit(message: impl Into<String>) -> Unfit {
    Unfit(message.into())
}

/// The items of `total` in the unsharded order, from every shard's items (each in its own order):
/// refuses a missing, doubled or foreign shard (one of another N), or a shard with the wrong count,
/// naming the file.
pub fn interleave<T>(parts: Vec<(String, Shard, Vec<T>)>, total: usize) -> Result<Vec<T>, Unfit> {
    let n = parts.first().ok_or_else(|| unfit("merge: give the shards' report files"))?.1.n;
    let mut slots: Vec<Option<(String, std::vec::IntoIter<T>)>> = (0..n).map(|_| None).collect();
    for (name, s, items) in parts {
        if s.n != n {
            return Err(unfit(format!("merge: {name} is shard {} but the first file is one of {n} shards", s.key())));
        }
        if let Some((first, _)) = &slots[s.k] {
            return Err(unfit(format!("merge: shard {} is there twice ({first} and {name})", s.key())));
        }
        if items.len() != s.count(total) {
            return Err(unfit(format!(
                "merge: {name} holds {} items; shard {} of {total} has {}",
                items.len(),
                s.key(),
                s.count(total)
            )));
        }
        slots[s.k] = Some((name, items.into_iter()));
    }
    if let Some(k) = slots.iter().position(Option::is_none) {
        return Err(unfit(format!("merge: shard {k}/{n} is missing")));
    }
    let mut its: Vec<_> = slots.into_iter().map(|s| s.unwrap().1).collect();
    Ok((0..total).map(|i| its[i % n].next().expect("counted above")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_and_interleave() {
        assert_eq!(Shard::parse("2/3"), Some(Shard { k: 2, n: 3 }));
        for bad in ["3/3", "1", "a/2", "0/0", "-1/2", "0/5000"] {
            assert_eq!(Shard::parse(bad), None, "{bad}");
        }
        let parts = |ks: &[usize], n: usize| {
            ks.iter()
                .map(|&k| {
                    let s = Shard { k, n };
                    (format!("p{k}"), s, (0..7).filter(|&i| s.owns(i)).collect::<Vec<_>>())
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(interleave(parts(&[2, 0, 1], 3), 7).unwrap(), (0..7).collect::<Vec<_>>());
        assert_eq!(interleave(parts(&[0, 2], 3), 7).unwrap_err().0, "merge: shard 1/3 is missing");
        assert!(interleave(parts(&[0, 1, 1, 2], 3), 7).unwrap_err().0.contains("shard 1/3 is there twice"));
        let mut foreign = parts(&[0, 1, 2], 3);
        foreign.push(parts(&[1], 4).remove(0));
        assert!(interleave(foreign, 7).unwrap_err().0.contains("is shard 1/4 but the first file is one of 3"));
    }
}
