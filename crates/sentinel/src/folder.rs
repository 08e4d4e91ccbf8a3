//! The hand-written files of one connector folder: what its fingerprint covers and what an
//! approval keeps. Generated files and caches are left out; anything that is not a regular file
//! or folder is refused, since its content could change without the fingerprint noticing.

use crate::stat_cache::Stamp;
use godconfig_manifest::limits::MAX_FILE_BYTES;
use godconfig_manifest::{content_hash, Code, Diagnostic};
use godconfig_registry::files::{FolderFile, MANIFEST_PATH};
use std::io::Read;
use std::path::{Path, PathBuf};

/// More files than this in one connector folder is refused (a connector is a few files).
pub const MAX_FILES: usize = 500;

/// Folders that hold caches and tools' state, never code a person wrote.
pub(crate) const SKIPPED_DIRS: [&str; 6] = [
    "__pycache__",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".git",
    ".venv",
];

/// Whether a file is generated or an editor's or the OS's leftover.
fn skipped_file(rel: &str, name: &str) -> bool {
    rel == crate::scan::MCP_FILE
        || name.ends_with(".pyc")
        || name.ends_with(".pyo")
        || name.ends_with(".swp")
        || name.ends_with('~')
        || name == ".DS_Store"
}

/// A hand-written file found in a connector folder, not read yet.
pub(crate) struct Listed {
    /// Relative to the connector folder, with `/` separators.
    pub rel: String,
    pub path: PathBuf,
}

/// The files of a connector folder, not read yet, and the folders walked to find them.
#[derive(Default)]
pub(crate) struct Listing {
    pub files: Vec<Listed>,
    /// Each folder walked (`""` for the connector folder itself), with its stamp taken before
    /// it was listed when asked for.
    pub dirs: Vec<(String, Option<Stamp>)>,
}

/// Every hand-written file under `dir` but `manifest.yaml` (the scan reads it), sorted by path.
/// `shown` is the folder as diagnostics name it.
pub fn read_files(dir: &Path, shown: &str) -> Result<Vec<FolderFile>, Diagnostic> {
    Ok(read_listed(list_files(dir, shown, false)?.files, shown, false)?.0)
}

/// The files of `dir` without reading them: names and kinds from the directory listings; with
/// `stamp`, the stamp of each folder walked.
pub(crate) fn list_files(dir: &Path, shown: &str, stamp: bool) -> Result<Listing, Diagnostic> {
    let mut out = Listing::default();
    walk(dir, "", shown, stamp, &mut out)?;
    out.files.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(out)
}

/// Reads and hashes `listed`; with `stamp`, each file's stamp is taken before it is read (a
/// change while reading then shows as a newer stamp).
pub(crate) fn read_listed(
    listed: Vec<Listed>,
    shown: &str,
    stamp: bool,
) -> Result<(Vec<FolderFile>, Vec<Option<Stamp>>), Diagnostic> {
    let (mut files, mut stamps) = (Vec::with_capacity(listed.len()), Vec::new());
    for Listed { rel, path } in listed {
        let read = match read_bounded(&path, stamp) {
            // Gone since the listing (an editor's save through a temp file and a rename): the
            // fingerprint is of what is there; the next sync sees the folder settled.
            Err(Bounded::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => continue,
            other => other,
        };
        let (bytes, stamped) = read.map_err(|e| e.diagnostic(&format!("{shown}/{rel}")))?;
        if stamp {
            stamps.push(stamped);
        }
        files.push(FolderFile {
            path: rel,
            hash: content_hash(&bytes),
            bytes,
        });
    }
    Ok((files, stamps))
}

fn io_error(path: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(
        path,
        Default::default(),
        Code::Io,
        format!("cannot read it: {e}"),
        "check the permissions of the connector folder",
    )
}

fn walk(
    dir: &Path,
    prefix: &str,
    shown: &str,
    stamp: bool,
    out: &mut Listing,
) -> Result<(), Diagnostic> {
    // Before listing: an entry added meanwhile then shows as a newer stamp.
    let stamped = stamp.then(|| Stamp::at(dir)).flatten();
    out.dirs
        .push((prefix.trim_end_matches('/').to_string(), stamped));
    let listing = match std::fs::read_dir(dir) {
        // A sub-folder removed since its parent was listed is no longer part of the folder.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !prefix.is_empty() => return Ok(()),
        other => other.map_err(|e| io_error(&format!("{shown}/{prefix}"), e))?,
    };
    for item in listing {
        let item = item.map_err(|e| io_error(&format!("{shown}/{prefix}"), e))?;
        let name = item.file_name().to_string_lossy().into_owned();
        let rel = format!("{prefix}{name}");
        let path = format!("{shown}/{rel}");
        let kind = item.file_type().map_err(|e| io_error(&path, e))?;
        if kind.is_dir() {
            if !SKIPPED_DIRS.contains(&name.as_str()) {
                walk(&item.path(), &format!("{rel}/"), shown, stamp, out)?;
            }
            continue;
        }
        if skipped_file(&rel, &name) || rel == crate::scan::MANIFEST_FILE {
            continue;
        }
        if !kind.is_file() {
            return Err(not_regular(&path));
        }
        if out.files.len() == MAX_FILES {
            return Err(Diagnostic::error(
                &path,
                Default::default(),
                Code::TooLarge,
                format!("the connector folder holds more than {MAX_FILES} files"),
                "keep only the connector's own code in its folder",
            ));
        }
        out.files.push(Listed {
            rel,
            path: item.path(),
        });
    }
    Ok(())
}

/// Why a file of a connector folder was not read.
pub(crate) enum Bounded {
    Io(std::io::Error),
    TooLarge,
    /// A symlink, a pipe, a device or a folder where a file was expected.
    NotRegular,
}

impl Bounded {
    /// The diagnostic for the file shown as `path`.
    pub(crate) fn diagnostic(self, path: &str) -> Diagnostic {
        match self {
            Bounded::Io(e) => io_error(path, e),
            Bounded::TooLarge => Diagnostic::error(
                path,
                Default::default(),
                Code::TooLarge,
                format!("the file is over {} KiB", MAX_FILE_BYTES / 1024),
                "keep large data out of the connector folder",
            ),
            Bounded::NotRegular => not_regular(path),
        }
    }
}

fn not_regular(path: &str) -> Diagnostic {
    Diagnostic::error(
        path,
        Default::default(),
        Code::UnsupportedFile,
        "not a regular file (a symlink, a pipe or a device): its content cannot be reviewed",
        "replace it with a regular file holding the content, or move it out of the folder",
    )
}

/// Opens `path` for reading only if it is a regular file itself: never through a symlink (to a
/// file elsewhere, or to `/dev/zero`), and never waiting on a pipe or a device.
pub(crate) fn open_regular(path: &Path) -> Result<(std::fs::File, std::fs::Metadata), Bounded> {
    let mut options = std::fs::File::options();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // No follow: a symlink fails with ELOOP. Non-blocking: opening a FIFO returns at once.
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| {
        #[cfg(unix)]
        if e.raw_os_error() == Some(libc::ELOOP) {
            return Bounded::NotRegular;
        }
        Bounded::Io(e)
    })?;
    let meta = file.metadata().map_err(Bounded::Io)?;
    if !meta.file_type().is_file() {
        return Err(Bounded::NotRegular);
    }
    Ok((file, meta))
}

/// Reads at most `MAX_FILE_BYTES` of a regular file, whatever its size says (it may grow
/// meanwhile); with `stamp`, the open file's stamp first.
pub(crate) fn read_bounded(path: &Path, stamp: bool) -> Result<(Vec<u8>, Option<Stamp>), Bounded> {
    let (file, meta) = open_regular(path)?;
    if meta.len() > MAX_FILE_BYTES as u64 {
        return Err(Bounded::TooLarge);
    }
    let stamped = match stamp {
        true => Stamp::of(&meta),
        false => None,
    };
    // Room up front: without it, reading through `take` probes in small reads (eight system
    // calls for a 2 KiB file instead of two), which a re-sync of every folder feels.
    let mut bytes = Vec::with_capacity((meta.len() as usize + 1).min(16 * 1024));
    (file.take(MAX_FILE_BYTES as u64 + 1))
        .read_to_end(&mut bytes)
        .map_err(Bounded::Io)?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Bounded::TooLarge);
    }
    // A cold sync keeps every file until it is stored: only what it holds.
    bytes.shrink_to_fit();
    Ok((bytes, stamped))
}

/// Whether `dir` is a folder itself, not a symlink to one: the sentinel writes `mcp.py` into a
/// connector folder, and must never write outside the connectors folder.
pub(crate) fn is_real_dir(dir: &Path) -> bool {
    std::fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_dir())
}

/// The diagnostic for a connector folder that is a symlink.
pub(crate) fn symlinked_folder(shown: &str) -> Diagnostic {
    Diagnostic::error(
        shown,
        Default::default(),
        Code::UnsupportedFile,
        "the connector folder is a symlink: what it points to is outside the connectors folder, and mcp.py would be written there",
        "move the folder itself into the connectors folder (or copy it), then sync",
    )
}

/// The manifest of the connector folder `dir`, read as a sync reads it (a regular file of at
/// most 1 MiB), with a diagnostic naming it otherwise.
pub(crate) fn read_manifest_of(dir: &Path) -> Result<Vec<u8>, Diagnostic> {
    let manifest = dir.join(crate::scan::MANIFEST_FILE);
    let shown = manifest.display().to_string();
    if !is_real_dir(dir) {
        return Err(symlinked_folder(&dir.display().to_string()));
    }
    read_bounded(&manifest, false)
        .map(|(bytes, _)| bytes)
        .map_err(|e| e.diagnostic(&shown))
}

/// The fingerprint of the connector folder `dir` as it is on disk now.
pub fn fingerprint_on_disk(dir: &Path) -> Result<String, Diagnostic> {
    let shown = dir.display().to_string();
    let bytes = read_manifest_of(dir)?;
    let files = read_files(dir, &shown)?;
    Ok(fingerprint(&files, &content_hash(&bytes)))
}

/// The fingerprint of `files` (the manifest aside) and the manifest's hash.
pub fn fingerprint(files: &[FolderFile], manifest_hash: &str) -> String {
    fingerprint_of(
        files.iter().map(|f| (f.path.as_str(), f.hash.as_str())),
        manifest_hash,
    )
}

/// The fingerprint of the (path, hash) of every file but the manifest, and the manifest's hash.
pub(crate) fn fingerprint_of<'a>(
    others: impl Iterator<Item = (&'a str, &'a str)>,
    manifest_hash: &'a str,
) -> String {
    godconfig_registry::files::fingerprint(
        others.chain(std::iter::once((MANIFEST_PATH, manifest_hash))),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_is_read_and_generated_files_caches_and_leftovers_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("lib/__pycache__")).unwrap();
        for (name, text) in [
            ("manifest.yaml", "m"),
            ("service.py", "s"),
            ("mcp.py", "generated"),
            ("README.md", "r"),
            ("lib/http.py", "h"),
            ("lib/mcp.py", "a module of the author's"),
            ("lib/__pycache__/http.cpython-311.pyc", "c"),
            (".service.py.swp", "w"),
        ] {
            std::fs::write(d.join(name), text).unwrap();
        }
        let files = read_files(d, "x").unwrap();
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            ["README.md", "lib/http.py", "lib/mcp.py", "service.py"]
        );
        assert_eq!(files[3].bytes, b"s");
        assert_eq!(files[3].hash, content_hash(b"s"));
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_refused_with_its_path() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("elsewhere.py"), "x").unwrap();
        std::os::unix::fs::symlink("/etc/hostname", dir.path().join("service.py")).unwrap();
        let d = read_files(dir.path(), "conn").unwrap_err();
        assert_eq!(d.code, Code::UnsupportedFile);
        assert_eq!(d.path, "conn/service.py");
    }

    #[test]
    fn a_file_over_the_bound_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("big.bin"), vec![0u8; MAX_FILE_BYTES + 1]).unwrap();
        let d = read_files(dir.path(), "conn").unwrap_err();
        assert_eq!(d.code, Code::TooLarge);
    }
}
