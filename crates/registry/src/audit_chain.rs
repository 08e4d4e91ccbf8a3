//! The audit log's hash chain, as pure rules: what an entry's hash covers, and how a walk over
//! the stored entries finds the first one that does not match. `tables/audit_chain.rs` reads
//! and writes the rows; migration 0009 computes the same hash in PostgreSQL.

use serde::Serialize;
use sha2::{Digest, Sha256};

/// An entry as stored, each value as the database's text (what the hash covers).
#[derive(Debug, Clone, Default)]
pub(crate) struct Fields<'a> {
    pub prev_hash: Option<&'a str>,
    pub seq: i64,
    pub at: &'a str,
    pub actor: &'a str,
    pub action: &'a str,
    pub slug: Option<&'a str>,
    pub sync_run_id: Option<&'a str>,
    pub detail: Option<&'a str>,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
}

/// sha256, in hex, over the previous hash, the place in the chain and each field as
/// `<bytes>:<text>` (or `-` for none), one per line: no two entries share a text.
pub(crate) fn entry_hash(f: &Fields<'_>) -> String {
    let mut h = Sha256::new();
    h.update(f.prev_hash.unwrap_or(""));
    h.update(format!("\n{}", f.seq));
    let fields = [
        Some(f.at),
        Some(f.actor),
        Some(f.action),
        f.slug,
        f.sync_run_id,
        f.detail,
        f.before,
        f.after,
    ];
    for v in fields {
        match v {
            None => h.update("\n-"),
            Some(s) => h.update(format!("\n{}:{s}", s.len())),
        }
    }
    hex::encode(h.finalize())
}

/// Why an entry breaks the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum ChainBreak {
    /// No place in the chain: written around the registry.
    Unchained,
    /// Its place is not the one after the previous entry's: entries before it were removed.
    Gap,
    /// It does not name the previous entry's hash: an entry before it was changed or removed.
    Link,
    /// Its content does not match its hash: it was changed after it was written.
    Content,
}

impl ChainBreak {
    pub fn explain(self) -> &'static str {
        match self {
            ChainBreak::Unchained => {
                "it has no place in the chain: it was written around the registry"
            }
            ChainBreak::Gap => "entries before it are missing: they were removed",
            ChainBreak::Link => {
                "it does not follow the entry before it: that entry was changed or removed"
            }
            ChainBreak::Content => {
                "its content does not match its hash: it was changed after it was written"
            }
        }
    }
}

/// The first entry that does not match, as a person finds it in `sentinel audit`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BadEntry {
    pub id: i64,
    pub seq: Option<i64>,
    pub at: String,
    pub action: String,
    pub provider_slug: Option<String>,
    pub problem: ChainBreak,
}

/// What `sentinel audit verify` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ChainReport {
    /// Entries checked, up to the first bad one.
    pub checked: i64,
    /// The last entry's hash when intact: written down elsewhere, it shows later that nothing
    /// was cut from the end (which a chain alone cannot show).
    pub head: Option<String>,
    pub first_bad: Option<BadEntry>,
}

/// Walks the chained entries in order, keeping only the previous one's place and hash.
#[derive(Default)]
pub(crate) struct Walk {
    last: Option<(i64, String)>,
    pub checked: i64,
}

impl Walk {
    /// Checks the next entry (in `seq` order): None if it follows, else why not.
    pub fn step(&mut self, f: &Fields<'_>, stored_hash: Option<&str>) -> Option<ChainBreak> {
        let expected_seq = self.last.as_ref().map_or(1, |(s, _)| s + 1);
        let expected_prev = self.last.as_ref().map(|(_, h)| h.as_str());
        let problem = if f.seq != expected_seq {
            Some(ChainBreak::Gap)
        } else if f.prev_hash != expected_prev {
            Some(ChainBreak::Link)
        } else if stored_hash != Some(entry_hash(f).as_str()) {
            Some(ChainBreak::Content)
        } else {
            None
        };
        if problem.is_none() {
            self.checked += 1;
            self.last = Some((f.seq, stored_hash.unwrap_or_default().to_string()));
        }
        problem
    }

    pub fn head(self) -> Option<String> {
        self.last.map(|(_, h)| h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry<'a>(seq: i64, prev: Option<&'a str>, action: &'a str) -> Fields<'a> {
        Fields {
            prev_hash: prev,
            seq,
            at: "2026-12-04T06:30:58.123456Z",
            actor: "ana",
            action,
            ..Fields::default()
        }
    }

    #[test]
    fn a_field_cannot_move_into_its_neighbour() {
        let a = Fields {
            actor: "ana\n3:op",
            action: "x",
            ..entry(1, None, "")
        };
        let b = Fields {
            actor: "ana",
            action: "op\nx",
            ..entry(1, None, "")
        };
        assert_ne!(entry_hash(&a), entry_hash(&b));
        let none = entry(1, None, "a");
        let empty = Fields {
            slug: Some(""),
            ..entry(1, None, "a")
        };
        assert_ne!(entry_hash(&none), entry_hash(&empty));
    }

    #[test]
    fn the_walk_names_the_first_break() {
        let h1 = entry_hash(&entry(1, None, "a"));
        let e2 = entry(2, Some(&h1), "b");
        let h2 = entry_hash(&e2);
        let mut w = Walk::default();
        assert_eq!(w.step(&entry(1, None, "a"), Some(&h1)), None);
        assert_eq!(w.step(&e2, Some(&h2)), None);
        assert_eq!(w.checked, 2);
        assert_eq!(w.head(), Some(h2.clone()));

        let mut w = Walk::default();
        w.step(&entry(1, None, "a"), Some(&h1));
        // Changed after it was written: the stored hash no longer matches.
        assert_eq!(
            w.step(&entry(2, Some(&h1), "c"), Some(&h2)),
            Some(ChainBreak::Content)
        );
        // Entry 1 removed: entry 2 is out of place.
        assert_eq!(Walk::default().step(&e2, Some(&h2)), Some(ChainBreak::Gap));
        // Entry 1 rewritten with its hash recomputed: entry 2 no longer links to it.
        let mut w = Walk::default();
        let forged = entry(1, None, "forged");
        w.step(&forged, Some(&entry_hash(&forged)));
        assert_eq!(w.step(&e2, Some(&h2)), Some(ChainBreak::Link));
    }
}
