//! Random bytes and mutated manifests never make the parser panic, and every failure is a
//! located diagnostic.

use godconfig_manifest::parse_manifest;
use proptest::prelude::*;

const SEED: &str = include_str!("../../../connectors/shopify/manifest.yaml");

fn check(bytes: &[u8]) {
    match parse_manifest("m.yaml", bytes, Some("shopify")) {
        Ok(m) => assert_eq!(m.provider_slug, "shopify"),
        Err(diags) => {
            assert!(!diags.is_empty());
            for d in diags {
                assert!(d.line >= 1 && d.column >= 1, "{d:?}");
                assert!(!d.hint.is_empty(), "{d:?}");
            }
        }
    }
}

#[derive(Debug, Clone)]
enum Edit {
    Flip(usize, u8),
    Insert(usize, String),
    Delete(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let tokens = prop::sample::select(vec![
        ":",
        "- ",
        "[",
        "]",
        "{",
        "}",
        "&a ",
        "*a",
        "\n",
        "  ",
        "\t",
        "\"",
        "'",
        "yes",
        "~",
        "!!str ",
        "---\n",
        "<<: *a\n",
        "requires_firearm: true\n",
        "\u{0}",
        "é",
        "#",
        "|\n",
        ">-\n",
    ]);
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Edit::Flip(i, b)),
        (any::<usize>(), tokens).prop_map(|(i, t)| Edit::Insert(i, t.to_string())),
        (any::<usize>(), 1usize..40).prop_map(|(i, n)| Edit::Delete(i, n)),
    ]
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        let len = bytes.len().max(1);
        match e {
            Edit::Flip(i, b) => {
                if !bytes.is_empty() {
                    let i = i % bytes.len();
                    bytes[i] ^= b;
                }
            }
            Edit::Insert(i, t) => {
                let i = i % len.min(bytes.len() + 1);
                bytes.splice(i..i, t.bytes());
            }
            Edit::Delete(i, n) => {
                if !bytes.is_empty() {
                    let i = i % bytes.len();
                    let end = (i + n).min(bytes.len());
                    bytes.drain(i..end);
                }
            }
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        check(&bytes);
    }

    #[test]
    fn mutated_manifests_never_panic(edits in prop::collection::vec(edit(), 1..8)) {
        check(&apply(SEED.as_bytes().to_vec(), &edits));
    }
}

#[test]
fn the_seed_itself_is_valid() {
    assert!(parse_manifest("m.yaml", SEED.as_bytes(), Some("shopify")).is_ok());
}

#[test]
fn pathological_inputs_are_refused_quickly() {
    let started = std::time::Instant::now();
    let nested = "[".repeat(200_000);
    let anchors: String = (0..200).map(|i| format!("k{i}: &a{i} [1]\n")).collect();
    let long_key = format!("{}: 1\n", "k".repeat(500_000));
    for input in [nested.as_str(), anchors.as_str(), long_key.as_str()] {
        assert!(parse_manifest("m.yaml", input.as_bytes(), None).is_err());
    }
    // A bound, not a benchmark: serde_yaml took over 30 s on the nested case.
    assert!(
        started.elapsed().as_secs() < 5,
        "took {:?}",
        started.elapsed()
    );
}
