//! The sync's stat cache (`<connectors>/.godconfig/scan-cache.tsv`): an unchanged re-sync
//! reads no file it hashed before, yet any edit is seen, even one that keeps the file's size and
//! puts its modification time back; a broken cache is ignored; `GODCONFIG_SCAN_CACHE=off` keeps
//! none.

mod common;
use common::*;
use predicates::prelude::*;
use std::path::Path;
use std::time::Duration;

fn cache_file(dir: &Path) -> std::path::PathBuf {
    dir.join(".godconfig/scan-cache.tsv")
}

#[test]
fn an_edit_that_keeps_size_and_time_is_still_seen() {
    on_sqlite(|url, dir| {
        copy_connectors(dir, &["notion"]);
        // Files are only cached once they have settled (older than the scan by a margin).
        std::thread::sleep(Duration::from_millis(300));
        sync_cmd(dir, url).assert().success();
        // The cold sync wrote mcp.py into the folder after listing it: the next sync lists it
        // once more and then keeps the folder's new stamp.
        std::thread::sleep(Duration::from_millis(300));
        sync_cmd(dir, url).assert().success();
        let cached = std::fs::read_to_string(cache_file(dir)).unwrap();
        for line in [
            "F\tnotion\n",
            "D\t\t",
            "H\tservice.py\t",
            "H\tmanifest.yaml\t",
            // Its mcp.py, found current by its header once it had settled.
            "\nM\t",
        ] {
            assert!(cached.contains(line), "{line:?} in {cached}");
        }
        assert!(std::fs::read_to_string(dir.join(".godconfig/.gitignore"))
            .unwrap()
            .contains('*'));
        make_ready(url, "notion");
        sentinel()
            .args(["approve", "notion", "--yes", "--db", url])
            .assert()
            .success();

        // The same number of bytes, and the old modification time put back.
        let service = dir.join("notion/service.py");
        let mtime = std::fs::metadata(&service).unwrap().modified().unwrap();
        let text = std::fs::read_to_string(&service).unwrap();
        let (a, b) = ("import json", "import jsoN");
        assert!(text.contains(a));
        std::fs::write(&service, text.replacen(a, b, 1)).unwrap();
        let f = std::fs::File::options().write(true).open(&service).unwrap();
        f.set_modified(mtime).unwrap();
        drop(f);
        assert_eq!(
            std::fs::metadata(&service).unwrap().modified().unwrap(),
            mtime
        );
        sync_cmd(dir, url)
            .assert()
            .success()
            .stdout(predicate::str::contains("1 changed"));
        assert_eq!(status(url, "notion"), "draft");

        // A file added in a new sub-folder, once everything has settled, is seen too.
        sentinel()
            .args(["approve", "notion", "--yes", "--db", url])
            .assert()
            .success();
        std::thread::sleep(Duration::from_millis(300));
        sync_cmd(dir, url).assert().success();
        std::fs::create_dir_all(dir.join("notion/lib")).unwrap();
        std::fs::write(dir.join("notion/lib/helper.py"), "X = 1\n").unwrap();
        sync_cmd(dir, url)
            .assert()
            .success()
            .stdout(predicate::str::contains("1 changed"));
        assert_eq!(status(url, "notion"), "draft");
        assert!(one(
            url,
            "SELECT status_reason FROM connector_providers WHERE slug = 'notion'"
        )
        .contains("file added: lib/helper.py"));
    });
}

#[test]
fn a_broken_cache_is_ignored_and_off_keeps_none() {
    on_sqlite(|url, dir| {
        copy_connectors(dir, &["notion", "slack"]);
        std::fs::create_dir_all(dir.join(".godconfig")).unwrap();
        std::fs::write(
            cache_file(dir),
            "notion/manifest.yaml\tnot\ta\tstamp\nslack/service.py\t1\t2\t3\t4\t5\tdeadbeef\n\u{0}\n",
        )
        .unwrap();
        sync_cmd(dir, url)
            .assert()
            .success()
            .stdout(predicate::str::contains("2 added"));
        sync_cmd(dir, url)
            .assert()
            .success()
            .stdout(predicate::str::contains("2 unchanged"));
    });
    on_sqlite(|url, dir| {
        copy_connectors(dir, &["notion"]);
        std::thread::sleep(Duration::from_millis(300));
        sync_cmd(dir, url)
            .env("GODCONFIG_SCAN_CACHE", "off")
            .assert()
            .success();
        assert!(!dir.join(".godconfig").exists());
    });
}
