//! What each file's content hash was, by its size, times, inode and device: an unchanged
//! re-sync need not read and hash every hand-written file again (git's index does the same).
//!
//! Kept in `<connectors>/.godconfig/scan-cache.tsv` (ignored by git through a `.gitignore` of
//! its own). Only the sync uses it: `check`, `vault exec` and anything that decides whether code
//! may run read every file. A file changed within the same clock tick as it was hashed would
//! keep its stamp, so a stamp is only trusted if the file had settled before the scan began.
//! `GODCONFIG_SCAN_CACHE=off` turns it off.

use std::collections::HashMap;
use std::fs::Metadata;
use std::io::Write;
use std::path::{Path, PathBuf};

const DIR: &str = ".godconfig";
const FILE: &str = "scan-cache.tsv";
/// How long before the scan a file must have last changed for its stamp to be kept: well over
/// the kernel's coarse clock tick that file times are taken from.
const SETTLE_NS: i128 = 50_000_000;

/// A file's identity and version, as `stat` gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    mtime_ns: i128,
    ctime_ns: i128,
    ino: u64,
    dev: u64,
}

impl Stamp {
    #[cfg(unix)]
    pub fn of(m: &Metadata) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt;
        let ns = |s: i64, n: i64| s as i128 * 1_000_000_000 + n as i128;
        Some(Stamp {
            len: m.len(),
            mtime_ns: ns(m.mtime(), m.mtime_nsec()),
            ctime_ns: ns(m.ctime(), m.ctime_nsec()),
            ino: m.ino(),
            dev: m.dev(),
        })
    }

    #[cfg(not(unix))]
    pub fn of(_: &Metadata) -> Option<Stamp> {
        None
    }
}

/// One cached file: its key (`<folder>/<path>`), stamp and content hash.
pub type Line = (String, Stamp, String);

pub struct StatCache {
    file: Option<PathBuf>,
    entries: HashMap<String, (Stamp, String)>,
    /// Files that changed after this (ns since the epoch) are not cached.
    settled_before: i128,
}

impl StatCache {
    /// A cache that never hits and is never written.
    pub fn off() -> StatCache {
        StatCache {
            file: None,
            entries: HashMap::new(),
            settled_before: 0,
        }
    }

    /// The cache of the connectors folder `dir` (empty if there is none or it is unreadable).
    pub fn load(dir: &Path) -> StatCache {
        if std::env::var("GODCONFIG_SCAN_CACHE").is_ok_and(|v| v == "off") || !cfg!(unix) {
            return StatCache::off();
        }
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as i128);
        let file = dir.join(DIR).join(FILE);
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        StatCache {
            entries: text.lines().filter_map(parse).collect(),
            file: Some(file),
            settled_before: now - SETTLE_NS,
        }
    }

    pub fn enabled(&self) -> bool {
        self.file.is_some()
    }

    /// The hash of the file `key` if its stamp is the cached one.
    pub fn hash(&self, key: &str, stamp: Stamp) -> Option<&str> {
        match self.entries.get(key) {
            Some((s, hash)) if *s == stamp => Some(hash),
            _ => None,
        }
    }

    /// Whether a stamp taken now may be cached: the file had settled before the scan.
    pub fn settled(&self, s: &Stamp) -> bool {
        s.mtime_ns < self.settled_before && s.ctime_ns < self.settled_before
    }

    /// Replaces the cache with `lines` (the files of this scan) if they differ from it. A
    /// failure only costs the next sync its speed, so it is not an error.
    pub fn save(&self, lines: Vec<Line>) {
        let Some(file) = &self.file else { return };
        let same = lines.len() == self.entries.len()
            && (lines.iter()).all(|(k, s, h)| self.hash(k, *s) == Some(h.as_str()));
        if same {
            return;
        }
        if let Err(e) = write(file, &lines) {
            tracing::debug!(error = %e, "cannot write the scan cache");
        }
    }
}

fn parse(line: &str) -> Option<(String, (Stamp, String))> {
    let mut f = line.split('\t');
    let key = f.next()?.to_string();
    let mut num = || f.next()?.parse::<i128>().ok();
    let (len, mtime_ns, ctime_ns, ino, dev) = (num()?, num()?, num()?, num()?, num()?);
    let hash = f.next()?.to_string();
    let stamp = Stamp {
        len: len.try_into().ok()?,
        mtime_ns,
        ctime_ns,
        ino: ino.try_into().ok()?,
        dev: dev.try_into().ok()?,
    };
    Some((key, (stamp, hash)))
}

fn write(file: &Path, lines: &[Line]) -> std::io::Result<()> {
    let dir = file.parent().expect("the cache file is in a folder");
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join(".gitignore"), "# God Config's scan cache\n*\n")?;
    let tmp = dir.join(format!("{FILE}.{}", std::process::id()));
    let mut out = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
    for (key, s, hash) in lines {
        // A name with a tab or a line break is simply not cached.
        if key.contains(['\t', '\n', '\r']) {
            continue;
        }
        writeln!(
            out,
            "{key}\t{}\t{}\t{}\t{}\t{}\t{hash}",
            s.len, s.mtime_ns, s.ctime_ns, s.ino, s.dev
        )?;
    }
    // No fsync: a cache lost in a crash costs one slow sync, never a wrong answer.
    out.into_inner().map_err(|e| e.into_error())?;
    std::fs::rename(&tmp, file)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_round_trips_and_a_changed_file_misses() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a.py");
        std::fs::write(&f, "one").unwrap();
        let stamp = Stamp::of(&std::fs::metadata(&f).unwrap()).unwrap();
        let mut cache = StatCache::load(dir.path());
        cache.settled_before = i128::MAX;
        assert!(cache.settled(&stamp));
        cache.save(vec![("c/a.py".into(), stamp, "h1".into())]);
        let again = StatCache::load(dir.path());
        assert_eq!(again.hash("c/a.py", stamp), Some("h1"));
        assert!(
            std::fs::read_to_string(dir.path().join(".godconfig/.gitignore"))
                .unwrap()
                .contains('*')
        );
        std::fs::write(&f, "two!").unwrap();
        let changed = Stamp::of(&std::fs::metadata(&f).unwrap()).unwrap();
        assert_eq!(again.hash("c/a.py", changed), None);
        // Just written: not settled, so not trusted to be cached.
        assert!(!StatCache::load(dir.path()).settled(&changed));
    }
}
