//! Hostile files in a connectors folder: a manifest that is a symlink to `/dev/zero` (it would
//! exhaust memory), a pipe (it would block forever), a symlink to a file elsewhere (it would be
//! parsed and echoed), and a connector folder that is a symlink (`mcp.py` would be written
//! outside the connectors folder). Each is a coded diagnostic naming its path, at once; the
//! other connectors register, and what was registered stays as it was.

#![cfg(unix)]

mod common;
use common::keyring::connector;
use common::*;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::time::{Duration, Instant};

fn mkfifo(path: &Path) {
    let ok = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(ok.success());
}

#[test]
fn hostile_manifests_and_folders_are_refused_at_once_and_block_nothing() {
    on_sqlite(|url, dir| {
        copy_connectors(dir, &["notion", "slack"]);
        sync_cmd(dir, url).assert().success();
        let outside = tempfile::tempdir().unwrap();

        // slack, registered, gets a pipe for a manifest: refused, and left as registered.
        std::fs::remove_file(dir.join("slack/manifest.yaml")).unwrap();
        mkfifo(&dir.join("slack/manifest.yaml"));
        std::fs::create_dir_all(dir.join("zero")).unwrap();
        symlink("/dev/zero", dir.join("zero/manifest.yaml")).unwrap();
        let secret = outside.path().join("secret.yaml");
        std::fs::write(&secret, "provider_slug: elsewhere\nTOP-SECRET-LINE: 1\n").unwrap();
        std::fs::create_dir_all(dir.join("elsewhere")).unwrap();
        symlink(&secret, dir.join("elsewhere/manifest.yaml")).unwrap();
        connector(outside.path(), "linked", &["API_KEY"]);
        symlink(outside.path().join("linked"), dir.join("linked")).unwrap();
        connector(dir, "fine", &["API_KEY"]);

        for command in ["check", "sync"] {
            let started = Instant::now();
            let mut cmd = sentinel();
            cmd.arg(command).arg(dir);
            if command == "sync" {
                cmd.args(["--db", url]);
            }
            let out = cmd
                // A blocked read would hang for ever: the timeout turns that into a failure.
                .timeout(Duration::from_secs(20))
                .output()
                .unwrap();
            let elapsed = started.elapsed();
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(out.status.code().is_some(), "{command} was killed: {text}");
            assert!(elapsed < Duration::from_secs(5), "{command}: {elapsed:?}");
            for path in [
                "slack/manifest.yaml",
                "zero/manifest.yaml",
                "elsewhere/manifest.yaml",
                "linked",
            ] {
                let line = text
                    .lines()
                    .find(|l| l.contains(path) && l.contains("unsupported-file"));
                assert!(line.is_some(), "{command}: {path} in {text}");
            }
            assert!(text.contains("hint:"), "{text}");
            assert!(!text.contains("TOP-SECRET-LINE"), "{text}");
        }
        assert_eq!(status(url, "fine"), "draft");
        assert_eq!(status(url, "slack"), "draft", "left as registered");
        assert_eq!(status(url, "notion"), "draft");
        for slug in ["zero", "elsewhere", "linked"] {
            let sql = format!(
                "SELECT CAST(COUNT(*) AS TEXT) FROM connector_providers WHERE slug = '{slug}'"
            );
            assert_eq!(one(url, &sql), "0", "{slug} is not registered");
        }
        assert!(!outside.path().join("linked/mcp.py").exists());
        assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 2);
    });
}
