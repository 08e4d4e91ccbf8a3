//! The vault against the real OS keyring, no mock: entries are written with `keyring::Entry` (an
//! independent client), then looked up through `Vault::presence`.
//!
//! On Linux this needs a D-Bus session bus with an unlocked Secret Service (gnome-keyring).
//! `./dev test` starts one; by hand:
//! `bash -c 'source scripts/lib.sh; trap stop_background_processes EXIT; ensure_keyring; cargo test -p godconfig-vault'`.
//! Without one these tests fail, they never skip.

use godconfig_vault::{Vault, SERVICE};

/// Test entries, deleted on drop (also when an assertion fails). Account names carry the
/// process id and the test's tag, so parallel tests and runs never share an entry.
struct Fixture {
    entries: Vec<keyring::Entry>,
}

impl Fixture {
    fn new() -> Fixture {
        if let Err(e) = keyring::Entry::store_status() {
            panic!("{}", no_keyring(e));
        }
        Fixture {
            entries: Vec::new(),
        }
    }

    fn write(&mut self, service: &str, account: &str) {
        let entry =
            keyring::Entry::new(service, account).unwrap_or_else(|e| panic!("{}", no_keyring(&e)));
        entry
            .set_password("godconfig-vault-test-value")
            .unwrap_or_else(|e| panic!("writing {service}/{account}: {}", no_keyring(&e)));
        self.entries.push(entry);
    }

    fn delete_all(&mut self) {
        for entry in self.entries.drain(..) {
            match entry.delete_credential() {
                Ok(()) | Err(keyring::Error::NoEntry) => {}
                Err(e) => eprintln!("could not delete a test entry: {e}"),
            }
        }
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        self.delete_all();
    }
}

fn no_keyring(e: &keyring::Error) -> String {
    format!(
        "no OS keyring answered ({e}). These tests use the real keyring: on Linux a D-Bus session \
         bus with an unlocked Secret Service (gnome-keyring). Run them through `./dev test`, or \
         start one with `source scripts/lib.sh; ensure_keyring` in the shell that runs cargo test."
    )
}

fn account(tag: &str) -> String {
    format!("PROVIDER_VAULTTEST{}_{tag}", std::process::id())
}

fn presence(vault: &Vault, accounts: &[String]) -> Vec<bool> {
    vault
        .presence(accounts)
        .unwrap_or_else(|e| panic!("presence failed: {e} [{}] ({})", e.code(), e.hint()))
}

#[test]
fn presence_sees_written_entries_and_not_a_missing_one() {
    let mut fixture = Fixture::new();
    let (a, b, missing) = (
        account("A_API_KEY"),
        account("A_TOKEN"),
        account("A_MISSING"),
    );
    fixture.write(SERVICE, &a);
    fixture.write(SERVICE, &b);

    let vault = Vault::os();
    let accounts = [a, b, missing];
    assert_eq!(presence(&vault, &accounts), [true, true, false]);

    // Not a cached answer: the same vault sees the deletions.
    fixture.delete_all();
    assert_eq!(presence(&vault, &accounts), [false, false, false]);
}

#[test]
fn presence_only_counts_entries_of_the_godconfig_service() {
    let mut fixture = Fixture::new();
    let other = account("B_API_KEY");
    fixture.write("godconfig-vault-test-other-service", &other);

    assert_eq!(presence(&Vault::os(), &[other]), [false]);
}

#[test]
fn clones_of_a_vault_answer_from_other_threads() {
    let mut fixture = Fixture::new();
    let present = account("C_API_KEY");
    fixture.write(SERVICE, &present);

    let vault = Vault::os();
    let accounts = vec![present, account("C_MISSING")];
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let (vault, accounts) = (vault.clone(), accounts.clone());
            std::thread::spawn(move || presence(&vault, &accounts))
        })
        .collect();
    for handle in handles {
        assert_eq!(handle.join().unwrap(), [true, false]);
    }
}
