//! What each connector folder held when a sync last hashed it: the stamp (size, times, inode,
//! device) of the folder and of each sub-folder it walked, and of each file with its content
//! hash. An unchanged re-sync then stats a few paths per folder instead of listing, reading and
//! hashing them (git's index does the same). Adding, removing or renaming an entry changes its
//! folder's stamp; editing a file changes its own (its change time, which no user can set).
//!
//! Kept in `<connectors>/.godconfig/scan-cache.tsv` (ignored by git through a `.gitignore` of
//! its own). Only the sync uses it: `check` and `vault exec` read every file. Something changed
//! within the same clock tick as it was stamped could keep its stamp, so a folder is cached only
//! if everything in it had settled before the scan began. `GODCONFIG_SCAN_CACHE=off` turns it
//! off.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs::Metadata;
use std::path::{Path, PathBuf};

const DIR: &str = ".godconfig";
const FILE: &str = "scan-cache.tsv";
const HEADER: &str = "# God Config scan cache v3";
/// How long before the scan a path must have last changed for its stamp to be kept: well over
/// the kernel's coarse clock tick that file times are taken from.
pub(crate) const SETTLE_NS: i128 = 50_000_000;

/// A path's identity and version, as `stat` gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    mtime_ns: i128,
    ctime_ns: i128,
    ino: u64,
    dev: u64,
}

impl Stamp {
    /// Whether the path's content and metadata last changed before `ns` (Unix time, ns).
    fn changed_before(&self, ns: i128) -> bool {
        self.mtime_ns < ns && self.ctime_ns < ns
    }

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

    /// The stamp of `path` now; of a symlink itself, which is never read through, so a path
    /// replaced by a symlink no longer matches.
    pub fn at(path: &Path) -> Option<Stamp> {
        Stamp::of(&std::fs::symlink_metadata(path).ok()?)
    }

    fn write(&self, out: &mut String) {
        let s = self;
        let _ = write!(
            out,
            "\t{}\t{}\t{}\t{}\t{}",
            s.len, s.mtime_ns, s.ctime_ns, s.ino, s.dev
        );
    }
}

/// One connector folder as it was hashed: its folders (`""` for itself) and files (the manifest
/// included), each with its stamp, and each file's hash.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FolderStamps {
    pub dirs: Vec<(String, Stamp)>,
    pub files: Vec<(String, Stamp, String)>,
    /// The generated `mcp.py`: its stamp when its header was last found current, and what it
    /// was current for (`mcp_key`).
    pub mcp: Option<(Stamp, String)>,
}

/// What an `mcp.py` header must match to be current: manifest hash, generator, gating.
pub fn mcp_key(manifest_hash: &str, generator: &str, gating: &str) -> String {
    format!("{manifest_hash}:{generator}:{gating}")
}

impl FolderStamps {
    /// Whether every stamp is still the one on disk under `dir`.
    pub fn current(&self, dir: &Path) -> bool {
        let here = |rel: &str| match rel {
            "" => dir.to_path_buf(),
            rel => dir.join(rel),
        };
        (self.dirs.iter()).all(|(rel, s)| Stamp::at(&here(rel)) == Some(*s))
            && (self.files.iter()).all(|(rel, s, _)| Stamp::at(&here(rel)) == Some(*s))
    }
}

/// What a folder's scan leaves for the next one.
pub enum Kept {
    /// The cached stamps were current: keep them.
    Cached,
    /// Read now, everything settled: these replace what was cached.
    Fresh(FolderStamps),
    /// Not cacheable now (unreadable, or changed just before the scan).
    Nothing,
}

pub struct StatCache {
    file: Option<PathBuf>,
    folders: HashMap<String, FolderStamps>,
    /// `mcp.py` files found current in this sync: folder, stamp, key.
    mcp_seen: std::sync::Mutex<HashMap<String, (Stamp, String)>>,
    /// Paths that changed after this (ns since the epoch) are not cached.
    settled_before: i128,
}

impl StatCache {
    /// A cache that never hits and is never written.
    pub fn off() -> StatCache {
        StatCache {
            file: None,
            folders: HashMap::new(),
            mcp_seen: Default::default(),
            settled_before: 0,
        }
    }

    /// The cache of the connectors folder `dir` (empty if there is none or it is unreadable).
    pub fn load(dir: &Path) -> StatCache {
        if std::env::var("GODCONFIG_SCAN_CACHE").is_ok_and(|v| v == "off") || !cfg!(unix) {
            return StatCache::off();
        }
        let now = now_ns();
        let file = dir.join(DIR).join(FILE);
        if !real_dir(&dir.join(DIR)) {
            return StatCache::off();
        }
        let text = read_bounded(&file).unwrap_or_default();
        StatCache {
            folders: parse(&text).unwrap_or_default(),
            file: Some(file),
            mcp_seen: Default::default(),
            settled_before: now - SETTLE_NS,
        }
    }

    pub fn enabled(&self) -> bool {
        self.file.is_some()
    }

    pub fn folder(&self, name: &str) -> Option<&FolderStamps> {
        self.folders.get(name)
    }

    /// Whether a stamp taken now may be cached: the path had settled before the scan.
    pub fn settled(&self, s: &Stamp) -> bool {
        s.changed_before(self.settled_before)
    }

    /// `settled` for a stamp taken from now on: the path last changed `SETTLE_NS` before.
    pub fn settled_now() -> impl Fn(&Stamp) -> bool + Sync {
        let before = now_ns() - SETTLE_NS;
        move |s: &Stamp| s.changed_before(before)
    }

    /// Keeps `stamp` as the one of the `mcp.py` of `folder`, current for `key`.
    pub fn keep_mcp(&self, folder: &str, stamp: Stamp, key: &str) {
        if let Ok(mut seen) = self.mcp_seen.lock() {
            seen.insert(folder.to_string(), (stamp, key.to_string()));
        }
    }

    /// Whether the `mcp.py` of `folder` (at `path`) is current for `key`: from its stamp if the
    /// cache saw it current with that stamp, else by reading its header with `read_header`.
    pub fn mcp_current(
        &self,
        folder: &str,
        path: &Path,
        key: &str,
        read_header: impl FnOnce() -> bool,
    ) -> bool {
        let stamp = self.enabled().then(|| Stamp::at(path)).flatten();
        let Some(stamp) = stamp else {
            return read_header();
        };
        let cached = self.folders.get(folder).and_then(|f| f.mcp.as_ref());
        let current = cached.is_some_and(|(s, k)| *s == stamp && k == key) || read_header();
        if current && self.settled(&stamp) {
            self.keep_mcp(folder, stamp, key);
        }
        current
    }

    /// Writes the cache for the folders of this scan, if anything differs from what was loaded.
    /// A failure only costs the next sync its speed, so it is not an error.
    pub fn save(&self, scanned: Vec<(String, Kept)>) {
        let Some(file) = &self.file else { return };
        let seen = std::mem::take(&mut *self.mcp_seen.lock().unwrap_or_else(|e| e.into_inner()));
        let unchanged = scanned.len() == self.folders.len()
            && (scanned.iter()).all(|(name, k)| {
                let cached = self.folders.get(name);
                matches!(k, Kept::Cached)
                    && cached.is_some_and(|f| f.mcp.as_ref() == seen.get(name))
            });
        if unchanged {
            return;
        }
        let mut out = format!("{HEADER}\n");
        for (name, kept) in scanned {
            let stamps = match kept {
                Kept::Cached => self.folders.get(&name).cloned(),
                Kept::Fresh(f) => Some(f),
                Kept::Nothing => None,
            };
            if let Some(mut f) = stamps.filter(|_| plain(&name)) {
                f.mcp = seen.get(&name).cloned();
                write_folder(&mut out, &name, &f);
            }
        }
        if let Err(e) = write(file, &out) {
            tracing::debug!(error = %e, "cannot write the scan cache");
        }
    }
}

fn now_ns() -> i128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128)
}

/// A name that fits on a line between tabs.
fn plain(s: &str) -> bool {
    !s.contains(['\t', '\n', '\r'])
}

fn write_folder(out: &mut String, name: &str, f: &FolderStamps) {
    if !(f.dirs.iter().all(|(r, _)| plain(r)) && f.files.iter().all(|(r, _, _)| plain(r))) {
        return;
    }
    let _ = writeln!(out, "F\t{name}");
    for (rel, s) in &f.dirs {
        let _ = write!(out, "D\t{rel}");
        s.write(out);
        out.push('\n');
    }
    for (rel, s, hash) in &f.files {
        let _ = write!(out, "H\t{rel}");
        s.write(out);
        let _ = writeln!(out, "\t{hash}");
    }
    if let Some((s, key)) = f.mcp.as_ref().filter(|(_, k)| plain(k)) {
        out.push('M');
        s.write(out);
        let _ = writeln!(out, "\t{key}");
    }
}

/// The folders of a cache file; None if it is not one this build wrote (it is then rebuilt).
fn parse(text: &str) -> Option<HashMap<String, FolderStamps>> {
    let mut lines = text.lines();
    if lines.next()? != HEADER {
        return None;
    }
    let mut folders = HashMap::new();
    let mut current: Option<(String, FolderStamps)> = None;
    for line in lines {
        let mut f = line.split('\t');
        match f.next()? {
            "F" => {
                if let Some((name, stamps)) = current.take() {
                    folders.insert(name, stamps);
                }
                current = Some((f.next()?.to_string(), FolderStamps::default()));
            }
            "M" => {
                let (_, stamps) = current.as_mut()?;
                let stamp = parse_stamp(&mut f)?;
                stamps.mcp = Some((stamp, f.next()?.to_string()));
            }
            kind @ ("D" | "H") => {
                let (_, stamps) = current.as_mut()?;
                let rel = f.next()?.to_string();
                let stamp = parse_stamp(&mut f)?;
                if kind == "D" {
                    stamps.dirs.push((rel, stamp));
                } else {
                    stamps.files.push((rel, stamp, f.next()?.to_string()));
                }
            }
            _ => return None,
        }
    }
    if let Some((name, stamps)) = current {
        folders.insert(name, stamps);
    }
    Some(folders)
}

fn parse_stamp<'a>(f: &mut impl Iterator<Item = &'a str>) -> Option<Stamp> {
    let mut num = || f.next()?.parse::<i128>().ok();
    let (len, mtime_ns, ctime_ns, ino, dev) = (num()?, num()?, num()?, num()?, num()?);
    Some(Stamp {
        len: len.try_into().ok()?,
        mtime_ns,
        ctime_ns,
        ino: ino.try_into().ok()?,
        dev: dev.try_into().ok()?,
    })
}

/// A cache bigger than this is not one a sync wrote (about 300 bytes per connector).
const MAX_BYTES: u64 = 64 << 20;

/// Whether `dir` is a real folder, or not there yet: a symlink (a connectors folder may come
/// from anyone's repository) would have the cache read from, or written to, somewhere else.
fn real_dir(dir: &Path) -> bool {
    match std::fs::symlink_metadata(dir) {
        Ok(m) => m.file_type().is_dir(),
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
    }
}

/// The cache file's text, if it is a regular file of a sane size (not a pipe or a device).
fn read_bounded(file: &Path) -> Option<String> {
    let m = std::fs::symlink_metadata(file).ok()?;
    if !m.file_type().is_file() || m.len() > MAX_BYTES {
        return None;
    }
    std::fs::read_to_string(file).ok()
}

fn write(file: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let dir = file.parent().expect("the cache file is in a folder");
    if !real_dir(dir) {
        return Err(std::io::Error::other(
            "the cache folder is not a plain folder",
        ));
    }
    std::fs::create_dir_all(dir)?;
    // New files only: nothing already there (a symlink included) is followed or overwritten.
    let create = |path: &Path| {
        std::fs::File::options()
            .write(true)
            .create_new(true)
            .open(path)
    };
    if let Ok(mut f) = create(&dir.join(".gitignore")) {
        f.write_all(b"# God Config's scan cache\n*\n")?;
    }
    let tmp = dir.join(format!("{FILE}.{}", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    // No fsync: a cache lost in a crash costs one slow sync, never a wrong answer.
    create(&tmp)?.write_all(text.as_bytes())?;
    std::fs::rename(&tmp, file)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn stamps_round_trip_and_any_change_misses() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("conn");
        std::fs::create_dir_all(dir.join("lib")).unwrap();
        std::fs::write(dir.join("service.py"), "one").unwrap();
        let stamps = FolderStamps {
            dirs: vec![
                (String::new(), Stamp::at(&dir).unwrap()),
                ("lib".into(), Stamp::at(&dir.join("lib")).unwrap()),
            ],
            files: vec![(
                "service.py".into(),
                Stamp::at(&dir.join("service.py")).unwrap(),
                "h1".into(),
            )],
            mcp: None,
        };
        let cache = StatCache::load(tmp.path());
        assert!(
            !cache.settled(&stamps.dirs[0].1),
            "just written: not settled"
        );
        cache.save(vec![("conn".into(), Kept::Fresh(stamps.clone()))]);
        let again = StatCache::load(tmp.path());
        assert_eq!(again.folder("conn"), Some(&stamps));
        assert!(stamps.current(&dir));
        assert!(
            std::fs::read_to_string(tmp.path().join(".godconfig/.gitignore"))
                .unwrap()
                .contains('*')
        );
        // A new file in a sub-folder changes the sub-folder's stamp; an edit the file's. (Each
        // change waits out the clock tick of the last, as a settled folder has.)
        let tick = || std::thread::sleep(std::time::Duration::from_millis(60));
        tick();
        std::fs::write(dir.join("lib/x.py"), "x").unwrap();
        assert!(!stamps.current(&dir));
        let mut edited = stamps.clone();
        edited.dirs[1].1 = Stamp::at(&dir.join("lib")).unwrap();
        assert!(edited.current(&dir));
        tick();
        std::fs::write(dir.join("service.py"), "two!").unwrap();
        assert!(!edited.current(&dir));
    }

    #[test]
    fn a_cache_folder_that_is_a_symlink_is_neither_read_nor_written() {
        let tmp = tempfile::tempdir().unwrap();
        let elsewhere = tmp.path().join("elsewhere");
        std::fs::create_dir_all(&elsewhere).unwrap();
        let connectors = tmp.path().join("connectors");
        std::fs::create_dir_all(&connectors).unwrap();
        std::os::unix::fs::symlink(&elsewhere, connectors.join(DIR)).unwrap();
        let cache = StatCache::load(&connectors);
        assert!(!cache.enabled());
        cache.save(vec![("c".into(), Kept::Fresh(FolderStamps::default()))]);
        assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
        // A cache file that is a pipe (or any non-file) is not read: it would block.
        let plain = tmp.path().join("plain");
        std::fs::create_dir_all(plain.join(DIR)).unwrap();
        std::os::unix::fs::symlink("/dev/zero", plain.join(DIR).join(FILE)).unwrap();
        assert!(StatCache::load(&plain).folder("c").is_none());
    }

    #[test]
    fn a_cache_this_build_did_not_write_is_ignored() {
        assert_eq!(parse("H\tx\t1\t2\t3\t4\t5\th\n"), None);
        assert_eq!(parse(&format!("{HEADER}\nD\tx\t1\t2\t3\t4\t5\n")), None);
        assert_eq!(parse(&format!("{HEADER}\nF\tc\nH\tx\tnot a stamp\n")), None);
        let ok = parse(&format!(
            "{HEADER}\nF\tc\nD\t\t1\t2\t3\t4\t5\nH\ts.py\t1\t2\t3\t4\t5\th\n"
        ));
        assert_eq!(ok.unwrap()["c"].files[0].2, "h");
    }
}
