//! Finds `DIR/*/manifest.yaml`, reads and hashes each one, and parses them in parallel.

use crate::contract::{self, ManifestAt};
use crate::error::SentinelError;
use crate::stat_cache::{FolderStamps, Kept, Stamp, StatCache};
use godconfig_manifest::{
    content_hash, parse_manifest, CheckReport, Code, Diagnostic, Manifest, REPORT_VERSION,
};
use godconfig_registry::files::{FolderFile, MANIFEST_PATH};
use godconfig_registry::Known;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};

pub const MANIFEST_FILE: &str = "manifest.yaml";
pub const MCP_FILE: &str = "mcp.py";

/// One connector folder.
pub struct Entry {
    pub folder: String,
    pub dir: PathBuf,
    /// The manifest path as shown in diagnostics (`DIR/<slug>/manifest.yaml`).
    pub display_path: String,
    pub hash: String,
    /// Over every hand-written file of the folder, the manifest included.
    pub fingerprint: String,
    /// The files, kept only for a folder that is parsed (its files may need storing).
    pub files: Vec<FolderFile>,
    /// None when the manifest was not parsed because its hash and the folder's fingerprint are
    /// already registered.
    pub parsed: Option<Result<Manifest, Vec<Diagnostic>>>,
    /// What the code contract warns about a valid connector (no service.py yet).
    pub warnings: Vec<Diagnostic>,
    /// Whether the stat cache keeps this folder (so its `mcp.py` stamp is worth keeping too).
    pub(crate) cached: bool,
}

pub struct Scan {
    pub entries: Vec<Entry>,
    /// Folders without a manifest.yaml (reported as warnings).
    pub warnings: Vec<Diagnostic>,
    /// The stat cache this scan used (off for `check`), and what to keep of each folder; saved
    /// once the sync has checked the `mcp.py` files too (`save_cache`).
    pub(crate) cache: StatCache,
    pub(crate) kept: Vec<(String, Kept)>,
}

impl Scan {
    /// Writes the stat cache for the next sync (nothing for `check`).
    pub(crate) fn save_cache(&mut self) {
        self.cache.save(std::mem::take(&mut self.kept));
    }

    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.entries
            .iter()
            .flat_map(|e| {
                let errors = match &e.parsed {
                    Some(Err(d)) => d.as_slice(),
                    _ => &[],
                };
                errors.iter().chain(&e.warnings)
            })
            .chain(self.warnings.iter())
    }

    /// The check report: counts and every diagnostic.
    pub fn report(&self) -> CheckReport {
        CheckReport {
            version: REPORT_VERSION,
            checked: self.entries.len(),
            valid: self.entries.len() - self.invalid(),
            invalid: self.invalid(),
            diagnostics: self.diagnostics().cloned().collect(),
        }
    }

    pub fn invalid(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| matches!(e.parsed, Some(Err(_))))
            .count()
    }
}

/// Candidate connector folders (name, path), sorted. The file type comes from the directory
/// listing, so no extra `stat` per folder on the re-sync hot path.
fn connector_dirs(dir: &Path) -> Result<Vec<(String, PathBuf)>, SentinelError> {
    let err = |reason: String| SentinelError::Dir {
        path: dir.to_path_buf(),
        reason,
    };
    let mut dirs = Vec::new();
    for item in std::fs::read_dir(dir).map_err(|e| err(e.to_string()))? {
        let item = item.map_err(|e| err(e.to_string()))?;
        let name = item.file_name().to_string_lossy().into_owned();
        let is_dir = match item.file_type() {
            Ok(t) if t.is_symlink() => item.path().is_dir(),
            Ok(t) => t.is_dir(),
            Err(_) => false,
        };
        if is_dir && is_connector_name(&name) {
            dirs.push((name, item.path()));
        }
    }
    dirs.sort();
    Ok(dirs)
}

/// The folders of `only` that exist and may be connectors, sorted.
fn named_dirs(
    dir: &Path,
    only: &BTreeSet<String>,
) -> Result<Vec<(String, PathBuf)>, SentinelError> {
    if !dir.is_dir() {
        return Err(SentinelError::Dir {
            path: dir.to_path_buf(),
            reason: "not a folder, or gone".to_string(),
        });
    }
    Ok((only.iter())
        .filter(|name| is_connector_name(name))
        .map(|name| (name.clone(), dir.join(name)))
        .filter(|(_, path)| path.is_dir())
        .collect())
}

/// Whether a folder of this name can be a connector (hidden and dunder folders are not).
pub fn is_connector_name(name: &str) -> bool {
    !name.starts_with('.') && !name.starts_with("__")
}

fn missing_manifest(folder: &str, file: &Path) -> Diagnostic {
    Diagnostic::warning(
        &file.display().to_string(),
        Code::MissingManifest,
        format!("folder `{folder}` has no {MANIFEST_FILE}; it is not a connector"),
        "add a manifest.yaml, or move the folder out of the connectors folder",
    )
}

/// Reads every connector folder. Those whose manifest hash and fingerprint are in `known`
/// (registered, unchanged) are not parsed; `None` validates everything and keeps no file
/// contents, as `check` does.
pub fn scan(dir: &Path, known: Option<&HashMap<String, Known>>) -> Result<Scan, SentinelError> {
    scan_in(dir, known, None)
}

/// `scan`, of the folders named in `only` when given (an incremental sync: the others are not
/// listed, and the stat cache, which describes the whole folder, is neither read nor written).
pub fn scan_in(
    dir: &Path,
    known: Option<&HashMap<String, Known>>,
    only: Option<&BTreeSet<String>>,
) -> Result<Scan, SentinelError> {
    // Only a full sync trusts the stamps of files it hashed before (see stat_cache.rs).
    let cache = match (known, only) {
        (Some(_), None) => StatCache::load(dir),
        _ => StatCache::off(),
    };
    let dirs = match only {
        Some(only) => named_dirs(dir, only)?,
        None => connector_dirs(dir)?,
    };
    let read: Vec<(String, Result<Entry, Diagnostic>, Kept)> = dirs
        .into_par_iter()
        .map(|(folder, path)| {
            let (entry, kept) = read_folder(folder.clone(), path, known, &cache);
            (folder, entry, kept)
        })
        .collect();
    let (mut entries, mut warnings, mut kept) = (Vec::new(), Vec::new(), Vec::new());
    for (folder, r, k) in read {
        kept.push((folder, k));
        match r {
            Ok(e) => entries.push(e),
            Err(w) => warnings.push(w),
        }
    }
    Ok(Scan {
        entries,
        warnings,
        cache,
        kept,
    })
}

/// The manifest's hash and the folder's fingerprint from the cache, if every stamp it holds
/// for the folder is the one on disk (nothing is listed or read); with what to keep.
fn from_cache(folder: &str, dir: &Path, cache: &StatCache) -> Option<(String, String, Kept)> {
    let stamps = cache.folder(folder)?;
    let kept = match stamps.current(dir) {
        true => Kept::Cached,
        false => relisted(folder, dir, stamps, cache)?,
    };
    let is_manifest = |rel: &str| rel == MANIFEST_FILE;
    let (_, _, manifest_hash) = stamps.files.iter().find(|(r, _, _)| is_manifest(r))?;
    let others = (stamps.files.iter())
        .filter(|(r, _, _)| !is_manifest(r))
        .map(|(r, _, h)| (r.as_str(), h.as_str()));
    let fingerprint = crate::folder::fingerprint_of(others, manifest_hash);
    Some((manifest_hash.clone(), fingerprint, kept))
}

/// A folder whose entries changed (its `mcp.py` rewritten, a cache folder made): if it holds
/// the same files with the same stamps, the cache still answers, with the folders' new stamps
/// once they have settled.
fn relisted(folder: &str, dir: &Path, stamps: &FolderStamps, cache: &StatCache) -> Option<Kept> {
    let listing = crate::folder::list_files(dir, folder, true).ok()?;
    let mut cached: Vec<&str> = (stamps.files.iter())
        .map(|(r, _, _)| r.as_str())
        .filter(|r| *r != MANIFEST_FILE)
        .collect();
    cached.sort_unstable();
    let listed = listing.files.iter().map(|l| l.rel.as_str());
    if !listed.eq(cached.iter().copied()) {
        return None;
    }
    let same = |(rel, s, _): &(String, Stamp, String)| Stamp::at(&dir.join(rel)) == Some(*s);
    if !stamps.files.iter().all(same) {
        return None;
    }
    let settled: Option<Vec<(String, Stamp)>> = (listing.dirs.into_iter())
        .map(|(rel, s)| Some((rel, s.filter(|s| cache.settled(s))?)))
        .collect();
    Some(Kept::Fresh(FolderStamps {
        // Not settled yet: the old stamps stay, and the next sync lists the folder again.
        dirs: settled.unwrap_or_else(|| stamps.dirs.clone()),
        files: stamps.files.clone(),
        mcp: None,
    }))
}

/// What the cache keeps of a folder just read: everything, if every stamp was taken and had
/// settled before the scan; else nothing.
fn stamps_of(
    cache: &StatCache,
    (manifest_stamp, manifest_hash): (Option<Stamp>, &str),
    dirs: &[(String, Option<Stamp>)],
    (files, stamps): (&[FolderFile], &[Option<Stamp>]),
) -> Kept {
    let settled = |s: &Option<Stamp>| s.filter(|s| cache.settled(s));
    let mut out = FolderStamps::default();
    for (rel, s) in dirs {
        let Some(s) = settled(s) else {
            return Kept::Nothing;
        };
        out.dirs.push((rel.clone(), s));
    }
    let Some(s) = settled(&manifest_stamp) else {
        return Kept::Nothing;
    };
    out.files
        .push((MANIFEST_FILE.to_string(), s, manifest_hash.to_string()));
    if files.len() != stamps.len() {
        return Kept::Nothing;
    }
    for (f, s) in files.iter().zip(stamps) {
        let Some(s) = settled(s) else {
            return Kept::Nothing;
        };
        out.files.push((f.path.clone(), s, f.hash.clone()));
    }
    Kept::Fresh(out)
}

/// Reads the manifest, with its stamp first if `stamp`.
fn read_manifest(file: &Path, stamp: bool) -> std::io::Result<(Vec<u8>, Option<Stamp>)> {
    if !stamp {
        return Ok((std::fs::read(file)?, None));
    }
    let f = std::fs::File::open(file)?;
    let meta = f.metadata()?;
    let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
    // Through `take`: `File`'s own read_to_end would stat the file again for its size.
    f.take(u64::MAX).read_to_end(&mut bytes)?;
    Ok((bytes, Stamp::of(&meta)))
}

/// One folder: the manifest, the other files, the fingerprint; parsed unless already known.
/// Also what the stat cache keeps of it.
fn read_folder(
    folder: String,
    path: PathBuf,
    known: Option<&HashMap<String, Known>>,
    cache: &StatCache,
) -> (Result<Entry, Diagnostic>, Kept) {
    let registered = known.and_then(|k| k.get(&folder));
    if let Some(k) = registered.filter(|_| cache.enabled()) {
        if let Some((hash, fingerprint, kept)) = from_cache(&folder, &path, cache) {
            if k.manifest_hash == hash && k.fingerprint == fingerprint {
                let display_path = path.join(MANIFEST_FILE).display().to_string();
                let entry = Entry {
                    folder,
                    dir: path,
                    display_path,
                    hash,
                    fingerprint,
                    files: vec![],
                    parsed: None,
                    warnings: vec![],
                    cached: true,
                };
                return (Ok(entry), kept);
            }
        }
    }
    let mut kept = Kept::Nothing;
    let mut entry = read_folder_files(&folder, &path, known, cache, &mut kept);
    if let Ok(e) = &mut entry {
        e.cached = !matches!(kept, Kept::Nothing);
    }
    (entry, kept)
}

/// `read_folder` when the cache cannot answer: every file is read and hashed.
fn read_folder_files(
    folder: &str,
    path: &Path,
    known: Option<&HashMap<String, Known>>,
    cache: &StatCache,
    kept: &mut Kept,
) -> Result<Entry, Diagnostic> {
    let folder = folder.to_string();
    let path = path.to_path_buf();
    let file = path.join(MANIFEST_FILE);
    let display_path = file.display().to_string();
    let entry = |hash, fingerprint, files, parsed| Entry {
        folder: folder.clone(),
        dir: path.clone(),
        display_path: display_path.clone(),
        hash,
        fingerprint,
        files,
        parsed,
        warnings: vec![],
        cached: false,
    };
    // Stamps serve the next sync of a registered folder; a cold sync skips them (they would
    // cost it a stat per path and the cache's writing), so the cache is built by the first
    // re-sync.
    let stamp = cache.enabled() && known.is_some_and(|k| k.contains_key(&folder));
    let (bytes, manifest_stamp) = match read_manifest(&file, stamp) {
        Ok(read) => read,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(missing_manifest(&folder, &file))
        }
        Err(e) => {
            let d = Diagnostic::error(
                &display_path,
                Default::default(),
                Code::Io,
                format!("cannot read the manifest: {e}"),
                "check the file's permissions",
            );
            return Ok(entry(
                String::new(),
                String::new(),
                vec![],
                Some(Err(vec![d])),
            ));
        }
    };
    let hash = content_hash(&bytes);
    let shown = path.display().to_string();
    let listing = crate::folder::list_files(&path, &shown, stamp);
    let (dirs, read) = match listing {
        Ok(l) => (l.dirs, crate::folder::read_listed(l.files, &shown, stamp)),
        Err(d) => (vec![], Err(d)),
    };
    let (mut files, stamps) = match read {
        Ok(read) => read,
        Err(d) => return Ok(entry(hash, String::new(), vec![], Some(Err(vec![d])))),
    };
    if stamp {
        *kept = stamps_of(cache, (manifest_stamp, &hash), &dirs, (&files, &stamps));
    }
    let fingerprint = crate::folder::fingerprint(&files, &hash);
    let unchanged = (known.and_then(|k| k.get(&folder)))
        .is_some_and(|k| k.manifest_hash == hash && k.fingerprint == fingerprint);
    if unchanged {
        return Ok(entry(hash, fingerprint, vec![], None));
    }
    let mut parsed = parse_manifest(&display_path, &bytes, Some(&folder));
    let mut warnings = vec![];
    if let Ok(m) = &parsed {
        let at = ManifestAt {
            path: &display_path,
            bytes: &bytes,
        };
        let found = contract::check(&shown, at, m, &files);
        if !found.errors.is_empty() {
            parsed = Err(found.errors);
        }
        warnings = found.warnings;
    }
    let with_warnings = |mut e: Entry| {
        e.warnings = warnings;
        Ok(e)
    };
    if known.is_none() {
        // A check stores nothing: the contents are not kept once hashed.
        return with_warnings(entry(hash, fingerprint, vec![], Some(parsed)));
    }
    files.push(FolderFile {
        path: MANIFEST_PATH.to_string(),
        hash: hash.clone(),
        bytes,
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    with_warnings(entry(hash, fingerprint, files, Some(parsed)))
}
