//! When no keyring answers, the vault says `vault.unavailable`: it does not answer "absent", and
//! it has no file to fall back to. Real D-Bus, no mock: a bus address with nothing behind it,
//! then a private session bus (`dbus-daemon`) on which no Secret Service runs or can be activated.
//!
//! One test per binary on purpose: it points `DBUS_SESSION_BUS_ADDRESS` elsewhere, which would
//! disturb any other test of this process.
#![cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use godconfig_vault::Vault;

/// A session bus with the default policy and no service directories: nothing can be activated.
const BARE_BUS_CONFIG: &str = r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#;

struct Bus(Child);

impl Drop for Bus {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `dbus-daemon` on BARE_BUS_CONFIG; returns it and its address.
fn bare_bus(dir: &std::path::Path) -> (Bus, String) {
    let config = dir.join("bus.conf");
    std::fs::write(&config, BARE_BUS_CONFIG).unwrap();
    let child = Command::new("dbus-daemon")
        .arg(format!("--config-file={}", config.display()))
        .args(["--nofork", "--print-address=1"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run dbus-daemon ({e}); Debian package dbus-daemon"));
    let mut bus = Bus(child);
    let mut address = String::new();
    BufReader::new(bus.0.stdout.take().unwrap())
        .read_line(&mut address)
        .unwrap();
    assert!(!address.trim().is_empty(), "dbus-daemon printed no address");
    (bus, address.trim().to_string())
}

fn assert_unavailable(vault: &Vault, situation: &str) {
    let accounts = ["PROVIDER_VAULTTEST_UNAVAILABLE_API_KEY".to_string()];
    match vault.presence(&accounts) {
        Ok(found) => panic!("{situation}: expected vault.unavailable, got {found:?}"),
        Err(e) => {
            assert_eq!(e.code(), "vault.unavailable", "{situation}: {e}");
            assert!(
                e.hint().starts_with("start or unlock your login keyring"),
                "{situation}: {}",
                e.hint()
            );
            assert!(
                e.to_string().starts_with("the OS keyring is not available"),
                "{e}"
            );
        }
    }
}

#[test]
fn no_bus_and_no_secret_service_are_vault_unavailable() {
    let dir = std::env::temp_dir().join(format!("godconfig-vault-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let vault = Vault::os();

    // Nothing listens at this address.
    let nowhere = format!("unix:path={}", dir.join("no-bus").display());
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &nowhere);
    assert_unavailable(&vault, "no session bus");

    // A bus, but no Secret Service on it. The same vault retries the connection.
    let (_bus, address) = bare_bus(&dir);
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &address);
    assert_unavailable(&vault, "a session bus without a Secret Service");

    std::fs::remove_dir_all(&dir).unwrap();
}
