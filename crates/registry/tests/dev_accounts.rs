//! The vault's metadata on a real SQLite file and a real PostgreSQL server: which keys the
//! connectors require, who set a key and when (first set, rotation), deletion, refusals with a
//! did-you-mean, and one audit entry per change. No value is ever stored here.

use godconfig_registry::{DbTarget, Registry};
use godconfig_testkit::*;

async fn story(url: &str) {
    let reg = Registry::open(&DbTarget::parse(url).unwrap())
        .await
        .unwrap();

    let all = reg.required_secrets(None).await.unwrap();
    let keys: Vec<&str> = all.iter().map(|r| r.vault_key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "PROVIDER_SHOPIFY_API_KEY",
            "PROVIDER_SHOPIFY_API_SECRET",
            "PROVIDER_SHOPIFY_ACCESS_TOKEN",
            "PROVIDER_SHOPIFY_SHOP_DOMAIN",
            "PROVIDER_STRIPE_API_KEY"
        ]
    );
    let stripe = reg.required_secrets(Some("stripe")).await.unwrap();
    assert_eq!((stripe.len(), stripe[0].key.as_str()), (1, "API_KEY"));
    let e = reg.required_secrets(Some("strype")).await.unwrap_err();
    assert_eq!(e.code(), "review.not_found");

    // An unknown key is refused with the closest known one.
    let e = reg
        .record_key_set("PROVIDER_STRIPE_API_KEX", None, "ana", false)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "vault.unknown_key");
    assert!(
        e.to_string()
            .contains("did you mean `PROVIDER_STRIPE_API_KEY`"),
        "{e}"
    );
    assert!(reg.dev_accounts(None).await.unwrap().is_empty());

    // First set, then a rotation: set_at stays, rotated_at and set_by move.
    let first = reg
        .record_key_set(
            "PROVIDER_STRIPE_API_KEY",
            Some("  test account "),
            "ana",
            false,
        )
        .await
        .unwrap();
    assert_eq!(
        (
            first.slug.as_str(),
            first.label.as_deref(),
            first.set_by.as_str()
        ),
        ("stripe", Some("test account"), "ana")
    );
    assert_eq!(first.rotated_at, None);
    let second = reg
        .record_key_set("PROVIDER_STRIPE_API_KEY", None, "bo", true)
        .await
        .unwrap();
    assert_eq!(second.set_at, first.set_at);
    assert!(second.rotated_at.is_some_and(|r| r >= first.set_at));
    // No label given: the current one stays.
    assert_eq!(
        (second.set_by.as_str(), second.label.as_deref()),
        ("bo", Some("test account"))
    );
    assert_eq!(
        reg.dev_accounts(Some("stripe")).await.unwrap(),
        std::slice::from_ref(&second)
    );
    // A blank label clears it. A row whose key the keyring no longer held starts over: a first
    // set (new set_at, no rotation), not a rotation.
    let third = reg
        .record_key_set("PROVIDER_STRIPE_API_KEY", Some(" "), "cy", false)
        .await
        .unwrap();
    assert_eq!(third.label, None);
    assert_eq!(third.rotated_at, None);
    assert!(third.set_at >= second.rotated_at.unwrap());
    let second = reg
        .record_key_set("PROVIDER_STRIPE_API_KEY", None, "bo", true)
        .await
        .unwrap();
    assert_eq!(second.set_at, third.set_at);
    assert!(reg.dev_accounts(Some("shopify")).await.unwrap().is_empty());

    // Deleting drops the row once; a second delete finds nothing.
    let gone = reg
        .record_key_deleted("PROVIDER_STRIPE_API_KEY", "cy")
        .await
        .unwrap();
    assert_eq!(gone, Some(second));
    assert_eq!(
        reg.record_key_deleted("PROVIDER_STRIPE_API_KEY", "cy")
            .await
            .unwrap(),
        None
    );
    assert!(reg.dev_accounts(None).await.unwrap().is_empty());
    reg.close().await;
}

fn run_story(url: &str, dir: &std::path::Path) {
    copy_connectors(dir, &["shopify", "stripe"]);
    register(dir, url);
    block_on_story(story(url));

    // One audit entry per change, with who did it and no value.
    let audit = rows(
        url,
        "SELECT action, actor, provider_slug FROM audit_log WHERE action LIKE 'vault.%' ORDER BY id",
    );
    assert_eq!(
        audit,
        [
            ["vault.key_set", "ana", "stripe"],
            ["vault.key_rotated", "bo", "stripe"],
            ["vault.key_set", "cy", "stripe"],
            ["vault.key_rotated", "bo", "stripe"],
            ["vault.key_deleted", "cy", "stripe"]
        ]
    );
}

#[test]
fn vault_story_on_sqlite() {
    on_sqlite(run_story);
}

#[test]
fn vault_story_on_postgres() {
    on_postgres(run_story);
}
