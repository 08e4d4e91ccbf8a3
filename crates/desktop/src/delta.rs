//! Lists that the webview reloads on every registry change (the review queue: 10,000 rows, about
//! 3 MB of JSON, and its keys' health) go whole once, then as the rows that changed since the
//! version the webview holds. A saved file changes one row: one row crosses IPC, is parsed and
//! rendered, instead of the whole list on each save. The registry is still read whole, so any
//! writer's change (another app, the CLI, this app) shows: nothing depends on who wrote.

use serde::Serialize;
use std::collections::VecDeque;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

/// Process-wide, so that a version handed out for another workspace's list is never taken for
/// one of this list's.
static NEXT_VERSION: AtomicU32 = AtomicU32::new(1);

/// Versions remembered per list: a reload overtaken by a newer one, or a second screen on the
/// same list, still gets a delta.
const KEPT: usize = 4;

/// A keyed list, whole or as the rows that changed since `since`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct Delta<T> {
    /// Hand it back as `since` on the next load.
    pub version: u32,
    /// True: `rows` is the whole list (a first load, a version no longer remembered, or rows
    /// added, removed or reordered). False: the same keys in the same order as at `since`, and
    /// `rows` holds only those whose content changed, in list order.
    pub whole: bool,
    pub rows: Vec<T>,
}

struct Snapshot {
    version: u32,
    keys: Arc<Vec<String>>,
    /// One per row, same order as `keys`. A 64-bit hash stands for the row: two different rows
    /// with the same hash (about 1 in 2^64) would show the old one until the next whole load.
    hashes: Vec<u64>,
}

/// The versions handed out for one list.
#[derive(Default)]
pub struct Versions {
    kept: Mutex<VecDeque<Snapshot>>,
}

impl Versions {
    /// `rows` is the list as it is now, in its order; `key` names a row (unique in the list).
    pub fn delta<T: Hash>(
        &self,
        since: Option<u32>,
        rows: Vec<T>,
        key: impl Fn(&T) -> &str,
    ) -> Delta<T> {
        let hashes: Vec<u64> = rows.iter().map(hash_of).collect();
        let mut kept = self.kept.lock().expect("versions lock");
        let same_keys = |s: &Snapshot| {
            s.keys.len() == rows.len() && s.keys.iter().zip(&rows).all(|(k, r)| k == key(r))
        };
        let base = since.and_then(|v| kept.iter().find(|s| s.version == v));
        let changed = base.filter(|b| same_keys(b)).map(|b| {
            b.hashes
                .iter()
                .zip(&hashes)
                .map(|(old, new)| old != new)
                .collect::<Vec<_>>()
        });
        // Share the key list with the newest version when it is the same (the usual case).
        let keys = match kept.back() {
            Some(last) if same_keys(last) => last.keys.clone(),
            _ => Arc::new(rows.iter().map(|r| key(r).to_string()).collect()),
        };
        let (whole, rows) = match changed {
            Some(changed) => {
                let rows = rows.into_iter().zip(changed);
                (
                    false,
                    rows.filter_map(|(row, c)| c.then_some(row)).collect(),
                )
            }
            None => (true, rows),
        };
        let version = remember(&mut kept, keys, hashes);
        Delta {
            version,
            whole,
            rows,
        }
    }

    /// The delta since `since` when only the rows keyed `only` may have changed, from `rows`:
    /// those rows as they are now (a key of `only` without a row has none). None when `since`
    /// is not remembered or a key appeared or went: read the whole list instead.
    pub fn patch<T: Hash>(
        &self,
        since: u32,
        only: &[String],
        rows: Vec<T>,
        key: impl Fn(&T) -> &str,
    ) -> Option<Delta<T>> {
        let mut kept = self.kept.lock().expect("versions lock");
        let base = kept.iter().find(|s| s.version == since)?;
        let at = |k: &str| base.keys.iter().position(|b| b == k);
        // A key named that had a row and has none now: the list lost a row.
        let returned: Vec<&str> = rows.iter().map(&key).collect();
        if (only.iter()).any(|k| at(k).is_some() && !returned.contains(&k.as_str())) {
            return None;
        }
        let mut hashes = base.hashes.clone();
        let mut changed = Vec::new();
        for row in rows {
            // A row the list did not have: it gained one.
            let i = at(key(&row))?;
            let h = hash_of(&row);
            if hashes[i] != h {
                hashes[i] = h;
                changed.push(row);
            }
        }
        let keys = base.keys.clone();
        let version = remember(&mut kept, keys, hashes);
        Some(Delta {
            version,
            whole: false,
            rows: changed,
        })
    }
}

/// Remembers a new version of the list, forgetting the oldest past [`KEPT`]; returns it.
fn remember(kept: &mut VecDeque<Snapshot>, keys: Arc<Vec<String>>, hashes: Vec<u64>) -> u32 {
    let version = NEXT_VERSION.fetch_add(1, Ordering::Relaxed);
    if kept.len() == KEPT {
        kept.pop_front();
    }
    kept.push_back(Snapshot {
        version,
        keys,
        hashes,
    });
    version
}

fn hash_of<T: Hash>(row: &T) -> u64 {
    let mut h = DefaultHasher::new();
    row.hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    struct Row(&'static str, u32);

    fn rows(v: &[(&'static str, u32)]) -> Vec<Row> {
        v.iter().map(|&(k, n)| Row(k, n)).collect()
    }

    fn load(versions: &Versions, since: Option<u32>, v: &[(&'static str, u32)]) -> Delta<Row> {
        versions.delta(since, rows(v), |r| r.0)
    }

    #[test]
    fn a_first_load_is_whole_then_only_changed_rows_come() {
        let versions = Versions::default();
        let first = load(&versions, None, &[("a", 1), ("b", 1), ("c", 1)]);
        assert!(first.whole);
        assert_eq!(first.rows.len(), 3);
        let second = load(
            &versions,
            Some(first.version),
            &[("a", 1), ("b", 2), ("c", 1)],
        );
        assert!(!second.whole);
        assert_eq!(second.rows, rows(&[("b", 2)]));
        assert!(second.version > first.version);
        let third = load(
            &versions,
            Some(second.version),
            &[("a", 1), ("b", 2), ("c", 1)],
        );
        assert!(!third.whole);
        assert!(third.rows.is_empty(), "nothing changed: {third:?}");
    }

    #[test]
    fn a_row_added_removed_or_moved_sends_the_whole_list() {
        let versions = Versions::default();
        let v = load(&versions, None, &[("a", 1), ("b", 1)]).version;
        let added = load(&versions, Some(v), &[("a", 1), ("b", 1), ("c", 1)]);
        assert!(added.whole);
        assert_eq!(added.rows.len(), 3);
        let removed = load(&versions, Some(added.version), &[("a", 1), ("c", 1)]);
        assert!(removed.whole);
        let moved = load(&versions, Some(removed.version), &[("c", 1), ("a", 1)]);
        assert!(moved.whole);
        assert_eq!(moved.rows, rows(&[("c", 1), ("a", 1)]));
    }

    #[test]
    fn an_unknown_or_forgotten_version_sends_the_whole_list() {
        let versions = Versions::default();
        let list = [("a", 1)];
        let first = load(&versions, None, &list).version;
        assert!(load(&versions, Some(u32::MAX), &list).whole);
        for _ in 0..KEPT {
            load(&versions, None, &list);
        }
        assert!(load(&versions, Some(first), &list).whole, "forgotten");
        // Another list's version is not this one's.
        let other = Versions::default();
        let theirs = load(&other, None, &list).version;
        assert!(load(&versions, Some(theirs), &list).whole);
    }

    fn only(keys: &[&str]) -> Vec<String> {
        keys.iter().map(|k| k.to_string()).collect()
    }

    #[test]
    fn a_patch_sends_the_named_rows_that_changed_and_is_a_base_itself() {
        let versions = Versions::default();
        let v = load(&versions, None, &[("a", 1), ("b", 1), ("c", 1)]).version;
        let p = versions
            .patch(v, &only(&["b", "c"]), rows(&[("b", 2), ("c", 1)]), |r| r.0)
            .unwrap();
        assert!(!p.whole);
        assert_eq!(p.rows, rows(&[("b", 2)]));
        // The patched version is remembered with b's new content.
        let next = load(&versions, Some(p.version), &[("a", 1), ("b", 2), ("c", 3)]);
        assert_eq!((next.whole, next.rows), (false, rows(&[("c", 3)])));
    }

    #[test]
    fn a_patch_that_would_add_or_lose_a_row_or_has_no_base_is_refused() {
        let versions = Versions::default();
        let v = load(&versions, None, &[("a", 1), ("b", 1)]).version;
        let new = rows(&[("z", 1)]);
        assert!(versions.patch(v, &only(&["z"]), new, |r| r.0).is_none());
        assert!(versions
            .patch(v, &only(&["b"]), Vec::<Row>::new(), |r| r.0)
            .is_none());
        assert!(versions
            .patch(u32::MAX, &only(&["a"]), rows(&[("a", 2)]), |r| r.0)
            .is_none());
        // A key named that never had a row and still has none is fine.
        let p = versions
            .patch(v, &only(&["y"]), Vec::<Row>::new(), |r| r.0)
            .unwrap();
        assert!(!p.whole && p.rows.is_empty());
    }

    #[test]
    fn an_overtaken_version_still_gets_a_delta_against_itself() {
        let versions = Versions::default();
        let old = load(&versions, None, &[("a", 1), ("b", 1)]).version;
        load(&versions, None, &[("a", 2), ("b", 1)]);
        let d = load(&versions, Some(old), &[("a", 2), ("b", 2)]);
        assert!(!d.whole);
        assert_eq!(d.rows, rows(&[("a", 2), ("b", 2)]));
    }
}
