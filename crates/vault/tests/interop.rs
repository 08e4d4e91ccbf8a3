//! The vault against the real OS keyring, checked from another process: `secret-tool`
//! (libsecret-tools) reads what the vault wrote, and the vault sees what `secret-tool` wrote.
//! An in-memory mock keyring (keyring's behaviour with no platform feature) fails every test
//! here, since a value that never left this process cannot be read by another.
//!
//! Needs a D-Bus session bus with an unlocked Secret Service: `./dev test` starts one.
#![cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]

use godconfig_vault::{Secret, Vault, SERVICE};
use std::io::Write;
use std::process::{Command, Stdio};

fn account(tag: &str) -> String {
    format!("PROVIDER_INTEROP{}_{tag}", std::process::id())
}

/// A random value, so a stale entry from an earlier run can never make a test pass.
fn random_value(tag: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("gc-{tag}-{nanos:x}-{}", std::process::id())
}

fn secret_tool(args: &[&str], stdin: Option<&str>) -> (bool, String, String) {
    let mut child = Command::new("secret-tool")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run secret-tool ({e}); Debian package libsecret-tools"));
    let mut pipe = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        pipe.write_all(text.as_bytes()).unwrap();
    }
    drop(pipe);
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn lookup(account: &str) -> Option<String> {
    let (ok, out, _) = secret_tool(&["lookup", "service", SERVICE, "username", account], None);
    ok.then_some(out)
}

/// Deletes the account through `secret-tool` on drop, whatever the test did.
struct Cleanup(String);

impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = secret_tool(&["clear", "service", SERVICE, "username", &self.0], None);
    }
}

#[test]
fn a_key_written_by_the_vault_is_read_back_by_secret_tool() {
    let vault = Vault::os();
    let name = account("WRITTEN");
    let _cleanup = Cleanup(name.clone());
    let value = random_value("w");

    vault.set(&name, &Secret::new(value.clone())).unwrap();
    assert_eq!(lookup(&name).as_deref(), Some(value.as_str()));

    // Replacing keeps one entry, with the new value.
    let newer = random_value("w2");
    vault.set(&name, &Secret::new(newer.clone())).unwrap();
    assert_eq!(lookup(&name).as_deref(), Some(newer.as_str()));
    let (ok, out, err) = secret_tool(
        &["search", "--all", "service", SERVICE, "username", &name],
        None,
    );
    assert!(ok, "{err}");
    let items = format!("{out}{err}")
        .lines()
        .filter(|l| l.starts_with('['))
        .count();
    assert_eq!(items, 1, "one keyring item after a replace:\n{out}{err}");
    assert_eq!(vault.presence(std::slice::from_ref(&name)).unwrap(), [true]);

    assert!(vault.delete(&name).unwrap());
    assert_eq!(lookup(&name), None, "deleted for other processes too");
    assert!(
        !vault.delete(&name).unwrap(),
        "a second delete finds nothing"
    );
}

#[test]
fn a_key_written_by_secret_tool_is_seen_as_present() {
    let vault = Vault::os();
    let name = account("FOREIGN");
    let _cleanup = Cleanup(name.clone());
    let value = random_value("f");
    assert_eq!(
        vault.presence(std::slice::from_ref(&name)).unwrap(),
        [false]
    );

    let (ok, _, err) = secret_tool(
        &[
            "store",
            "--label=written by secret-tool",
            "service",
            SERVICE,
            "username",
            &name,
        ],
        Some(&value),
    );
    assert!(ok, "secret-tool store failed: {err}");

    assert_eq!(vault.presence(std::slice::from_ref(&name)).unwrap(), [true]);
    assert!(vault
        .present_among(std::slice::from_ref(&name))
        .unwrap()
        .contains(&name));
    assert_eq!(vault.read(&name).unwrap().unwrap().expose(), value);
}

/// Many names at once is one search by service on the Secret Service: it must give the same
/// answer as asking name by name, and never count another service's entry.
#[test]
fn present_among_many_names_sees_only_this_service() {
    let vault = Vault::os();
    let mine = account("MINE");
    let theirs = account("THEIRS");
    let (_a, _b) = (Cleanup(mine.clone()), Cleanup(theirs.clone()));
    vault.set(&mine, &Secret::new(random_value("m"))).unwrap();
    let (ok, _, err) = secret_tool(
        &[
            "store",
            "--label=x",
            "service",
            "another.app",
            "username",
            &theirs,
        ],
        Some("other"),
    );
    assert!(ok, "{err}");
    let mut names: Vec<String> = (0..20).map(|i| account(&format!("ABSENT{i}"))).collect();
    names.push(mine.clone());
    names.push(theirs.clone());
    let found = vault.present_among(&names).unwrap();
    assert_eq!(
        found.into_iter().collect::<Vec<_>>(),
        std::slice::from_ref(&mine)
    );
    let one_by_one = vault.presence(&names).unwrap();
    assert_eq!(one_by_one.iter().filter(|p| **p).count(), 1);
    let _ = secret_tool(
        &["clear", "service", "another.app", "username", &theirs],
        None,
    );
}
