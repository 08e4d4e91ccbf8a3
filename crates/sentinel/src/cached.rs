//! How a scan uses the stat cache (`stat_cache.rs`): answering for a folder from its stamps,
//! taking the stamps of a folder just read, and stamping again the folders whose `mcp.py` the
//! sync just wrote.

use crate::scan::{MANIFEST_FILE, MCP_FILE};
use crate::stat_cache::{FolderStamps, Kept, Stamp, StatCache};
use godconfig_registry::files::FolderFile;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The manifest's hash and the folder's fingerprint from the cache, if every stamp it holds
/// for the folder is the one on disk (nothing is listed or read); with what to keep.
pub(crate) fn from_cache(
    folder: &str,
    dir: &Path,
    cache: &StatCache,
) -> Option<(String, String, Kept)> {
    let stamps = cache.folder(folder)?;
    let kept = match stamps.current(dir) {
        true => Kept::Cached,
        false => relisted(folder, dir, stamps, &|s| cache.settled(s))?,
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
/// once they have `settled`.
fn relisted(
    folder: &str,
    dir: &Path,
    stamps: &FolderStamps,
    settled: &(dyn Fn(&Stamp) -> bool + Sync),
) -> Option<Kept> {
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
        .map(|(rel, s)| Some((rel, s.filter(|s| settled(s))?)))
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
pub(crate) fn stamps_of(
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

/// After the sync wrote the `mcp.py` of `written` (folder → its directory and `mcp_key`), and
/// once those writes have settled: each such folder listed and stamped again, and its new
/// `mcp.py` stamp kept, so that the next sync neither lists it nor reads the header (writing
/// `mcp.py` changed the folder's own stamp). A folder that changed since it was read keeps what
/// it had, and the next sync reads it as before.
pub(crate) fn restamp(
    cache: &StatCache,
    kept: &mut [(String, Kept)],
    written: &HashMap<String, (PathBuf, String)>,
) {
    let settled = StatCache::settled_now();
    kept.par_iter_mut().for_each(|(folder, k)| {
        let Some((dir, key)) = written.get(folder.as_str()) else {
            return;
        };
        let stamps = match k {
            Kept::Fresh(f) => &*f,
            Kept::Cached => match cache.folder(folder) {
                Some(f) => f,
                None => return,
            },
            Kept::Nothing => return,
        };
        let Some(Kept::Fresh(again)) = relisted(folder, dir, stamps, &settled) else {
            return;
        };
        // `relisted` keeps the old folder stamps if the new ones have not settled: either way
        // what it returns is safe to keep.
        if let Some(stamp) = Stamp::at(&dir.join(MCP_FILE)).filter(|s| settled(s)) {
            cache.keep_mcp(folder, stamp, key);
        }
        *k = Kept::Fresh(again);
    });
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::time::Duration;

    fn read(dir: &Path) -> FolderStamps {
        let at = |rel: &str| Stamp::at(&dir.join(rel)).unwrap();
        FolderStamps {
            dirs: vec![(String::new(), Stamp::at(dir).unwrap())],
            files: ["manifest.yaml", "service.py"]
                .map(|f| (f.to_string(), at(f), format!("hash of {f}")))
                .into(),
            mcp: None,
        }
    }

    #[test]
    fn written_folders_are_stamped_again_unless_they_changed_meanwhile() {
        let tmp = tempfile::tempdir().unwrap();
        let settle = || std::thread::sleep(Duration::from_millis(60));
        for name in ["a", "b"] {
            let dir = tmp.path().join(name);
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("manifest.yaml"), "slug: x\n").unwrap();
            std::fs::write(dir.join("service.py"), "X = 1\n").unwrap();
        }
        settle();
        let cache = StatCache::load(tmp.path());
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        let mut kept = vec![
            ("a".to_string(), Kept::Fresh(read(&a))),
            ("b".to_string(), Kept::Fresh(read(&b))),
        ];
        let written: HashMap<String, (PathBuf, String)> = [("a", &a), ("b", &b)]
            .map(|(n, d)| (n.to_string(), (d.clone(), format!("key {n}"))))
            .into();
        for dir in [&a, &b] {
            std::fs::write(dir.join(MCP_FILE), "# generated\n").unwrap();
        }
        // Someone adds a file to b after the scan read it: b's stamps must not be renewed.
        std::fs::write(b.join("extra.py"), "Y = 2\n").unwrap();
        restamp(&cache, &mut kept, &written);
        let dir_stamp = |k: &Kept| match k {
            Kept::Fresh(f) => f.dirs[0].1,
            _ => panic!("still fresh"),
        };
        // Not settled yet: nothing renewed.
        assert_ne!(Some(dir_stamp(&kept[0].1)), Stamp::at(&a));
        settle();
        restamp(&cache, &mut kept, &written);
        assert_eq!(Some(dir_stamp(&kept[0].1)), Stamp::at(&a));
        assert_ne!(Some(dir_stamp(&kept[1].1)), Stamp::at(&b));
        cache.save(kept);

        let again = StatCache::load(tmp.path());
        let a_kept = again.folder("a").unwrap();
        assert!(a_kept.current(&a), "the next sync lists nothing in a");
        let mcp = Stamp::at(&a.join(MCP_FILE)).unwrap();
        assert_eq!(a_kept.mcp, Some((mcp, "key a".to_string())));
        let b_kept = again.folder("b").unwrap();
        assert!(!b_kept.current(&b), "b is listed again: extra.py is seen");
        assert_eq!(b_kept.mcp, None);
    }
}
