//! Helpers for the black-box CLI tests: the real binary, plus the helpers every crate's tests
//! share (`godconfig_testkit`: temp workspaces, real databases, SQL probes).
#![allow(dead_code)]

pub mod cluster;
pub mod gateway;
pub mod keyring;
pub mod team;

pub use godconfig_testkit::*;

use assert_cmd::Command;

/// The real `sentinel` binary, with no database URL inherited from the environment.
pub fn sentinel() -> Command {
    let mut cmd = Command::cargo_bin("sentinel").expect("sentinel binary");
    cmd.env_remove("GODCONFIG_DATABASE_URL");
    cmd
}

/// `sentinel sync DIR --db DB`.
pub fn sync_cmd(dir: impl AsRef<std::ffi::OsStr>, db: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut cmd = sentinel();
    cmd.arg("sync").arg(dir).arg("--db").arg(db);
    cmd
}

/// The same as a plain process, for tests that spawn, race or kill it.
pub fn sync_process(
    dir: impl AsRef<std::ffi::OsStr>,
    db: impl AsRef<std::ffi::OsStr>,
) -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("sentinel"));
    cmd.env_remove("GODCONFIG_DATABASE_URL")
        .arg("sync")
        .arg(dir)
        .arg("--db")
        .arg(db);
    cmd
}
