//! Property tests: a built URL always parses, keeps the base URL's own query and fragment, and
//! decodes back to exactly the values given.

mod common;
use common::*;
use godconfig_utm::{build_link, Param, Rules, UtmTemplate};
use proptest::prelude::*;
use std::collections::BTreeMap;
use url::Url;

/// A template that takes any text: no charset, case or length limits, so the values given are
/// exactly the values encoded.
fn open_template() -> UtmTemplate {
    UtmTemplate {
        content_type: "social".into(),
        description: String::new(),
        params: BTreeMap::from([
            (Param::Source, "{src}".into()),
            (Param::Medium, "social".into()),
            (Param::Campaign, "{campaign}".into()),
            (Param::Term, "{term}".into()),
        ]),
        rules: Rules {
            lowercase: false,
            allowed_chars: "\u{0}-\u{10FFFF}".into(),
            max_length: 500,
            ..Rules::default()
        },
    }
}

fn value() -> impl Strategy<Value = String> {
    // Anything printable, including &, =, #, %, +, spaces and non-ASCII; trimmed like the builder.
    "[^\\x00-\\x1f]{1,40}"
        .prop_map(|s| s.trim().to_string())
        .prop_filter("non-empty", |s| !s.is_empty())
}

fn base() -> impl Strategy<Value = (String, Vec<(String, String)>, Option<String>)> {
    let pairs = prop::collection::vec(("[a-z][a-z0-9]{0,6}", "[a-zA-Z0-9 &=%+é/?]{0,10}"), 0..4);
    let fragment = prop::option::of("[a-z0-9-]{1,12}");
    (pairs, fragment).prop_map(|(pairs, fragment)| {
        let mut url = Url::parse("https://shop.example.com/path/page").unwrap();
        if !pairs.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        }
        url.set_fragment(fragment.as_deref());
        (url.to_string(), pairs, fragment)
    })
}

proptest! {
    #[test]
    fn built_urls_parse_keep_the_base_and_round_trip((base, pairs, fragment) in base(), src in value(), campaign in value(), term in value()) {
        let mut req = request(&base);
        req.content_type = "social".into();
        req.campaign = Some(campaign.clone());
        req.vars = BTreeMap::from([("src".to_string(), src.clone()), ("term".to_string(), term.clone())]);
        let link = build_link(&open_template(), &req, today()).unwrap();
        let url = Url::parse(&link.url).unwrap();
        prop_assert_eq!(url.fragment(), fragment.as_deref());
        let got: Vec<(String, String)> = url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        let (own, utm) = got.split_at(pairs.len());
        prop_assert_eq!(own, &pairs[..]);
        prop_assert_eq!(utm, &[
            ("utm_source".to_string(), src), ("utm_medium".to_string(), "social".to_string()),
            ("utm_campaign".to_string(), campaign), ("utm_term".to_string(), term),
        ][..]);
    }
}
