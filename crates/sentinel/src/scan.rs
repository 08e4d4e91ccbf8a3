//! Finds `DIR/*/manifest.yaml`, reads and hashes each one, and parses them in parallel.

use crate::cached::{from_cache, stamps_of};
use crate::contract::{self, ManifestAt};
use crate::error::SentinelError;
use crate::folder::Bounded;
use crate::stat_cache::{Kept, StatCache};
use godconfig_manifest::{
    content_hash, parse_manifest, CheckReport, Code, Diagnostic, Manifest, REPORT_VERSION,
};
use godconfig_registry::files::{FolderFile, MANIFEST_PATH};
use godconfig_registry::Known;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
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

/// The stat cache of a scan and what to keep of each folder, to be saved once the sync has
/// written its `mcp.py` files.
pub(crate) struct CacheToSave {
    cache: StatCache,
    kept: Vec<(String, Kept)>,
}

impl CacheToSave {
    pub(crate) fn enabled(&self) -> bool {
        self.cache.enabled()
    }

    /// Stamps again the folders whose `mcp.py` was just written (see `cached::restamp`).
    pub(crate) fn restamp(&mut self, written: &HashMap<String, (PathBuf, String)>) {
        crate::cached::restamp(&self.cache, &mut self.kept, written);
    }

    /// Writes the stat cache for the next sync (nothing for `check`).
    pub(crate) fn save(self) {
        self.cache.save(self.kept);
    }
}

impl Scan {
    /// The stat cache and what to keep, once the `mcp.py` files have been checked.
    pub(crate) fn take_cache(&mut self) -> CacheToSave {
        CacheToSave {
            cache: std::mem::replace(&mut self.cache, StatCache::off()),
            kept: std::mem::take(&mut self.kept),
        }
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
    // Stamps serve the next sync (the cache is on for a whole sync only).
    let stamp = cache.enabled();
    let refused = |d: Diagnostic| {
        Ok(entry(
            String::new(),
            String::new(),
            vec![],
            Some(Err(vec![d])),
        ))
    };
    if !crate::folder::is_real_dir(&path) {
        // Left as registered, not removed: the folder is still there.
        return refused(crate::folder::symlinked_folder(&path.display().to_string()));
    }
    let (bytes, manifest_stamp) = match crate::folder::read_bounded(&file, stamp) {
        Ok(read) => read,
        Err(Bounded::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(missing_manifest(&folder, &file))
        }
        Err(e) => return refused(e.diagnostic(&display_path)),
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
