//! Helpers for the `sentinel vault` tests: connectors with given secrets, the real keyring read
//! through `secret-tool` (another process), and running `sentinel vault`.

use super::{repo, sentinel};
use godconfig_vault::SERVICE;
use std::path::Path;
use std::process::Command as Process;

/// A copy of the stripe example under another slug, with the given secrets.
pub fn connector(dir: &Path, slug: &str, secrets: &[&str]) {
    let to = dir.join(slug);
    std::fs::create_dir_all(&to).unwrap();
    let from = repo().join("connectors/stripe");
    std::fs::copy(from.join("service.py"), to.join("service.py")).unwrap();
    let list: String = secrets.iter().map(|s| format!("  - {s}\n")).collect();
    let text = std::fs::read_to_string(from.join("manifest.yaml"))
        .unwrap()
        .replacen(
            "provider_slug: stripe",
            &format!("provider_slug: {slug}"),
            1,
        )
        .replacen("secrets:\n  - API_KEY\n", &format!("secrets:\n{list}"), 1);
    std::fs::write(to.join("manifest.yaml"), text).unwrap();
}

/// Clears the named keys through `secret-tool` when dropped, whatever the test did.
pub struct Keys(pub Vec<String>);

impl Drop for Keys {
    fn drop(&mut self) {
        for k in &self.0 {
            let _ = Process::new("secret-tool")
                .args(["clear", "service", SERVICE, "username", k])
                .status();
        }
    }
}

pub fn lookup(key: &str) -> Option<String> {
    let out = Process::new("secret-tool")
        .args(["lookup", "service", SERVICE, "username", key])
        .output()
        .expect("secret-tool (Debian package libsecret-tools)");
    out.status
        .success()
        .then(|| String::from_utf8(out.stdout).unwrap())
}

pub fn value(tag: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("sk_test_{tag}_{nanos:x}")
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn vault(db: &str, args: &[&str], stdin: &str) -> Run {
    let out = sentinel()
        .arg("vault")
        // The options before the rest: after `exec … --` they would belong to the command.
        .arg(args[0])
        .args(["--db", db])
        .args(&args[1..])
        .write_stdin(stdin)
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}
