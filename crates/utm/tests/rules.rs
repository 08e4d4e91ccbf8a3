//! Every rule, the placeholders, and the link builder's refusals.

mod common;
use common::*;
use godconfig_utm::pattern::Pattern;
use godconfig_utm::{build_link, check_template, check_url, template_for, Param};

#[test]
fn builds_a_tagged_link_keeping_query_and_fragment() {
    let link = build_link(
        &email(),
        &request("https://shop.example.com/sale?ref=nav&utm_medium=old#top"),
        today(),
    )
    .unwrap();
    assert_eq!(
        link.url,
        "https://shop.example.com/sale?ref=nav&utm_source=hubspot&utm_medium=email&utm_campaign=spring_sale_202611&utm_content=hero#top"
    );
    assert_eq!(link.params[0], (Param::Source, "hubspot".to_string()));
}

#[test]
fn stale_tags_go_and_the_page_parameters_stay_as_written() {
    let link = build_link(
        &email(),
        &request("https://x.example.com/p?q=a%20b&flag&utm_term=old&UTM_x=1#f"),
        today(),
    )
    .unwrap();
    assert_eq!(
        link.url,
        "https://x.example.com/p?q=a%20b&flag&UTM_x=1&utm_source=hubspot&utm_medium=email&utm_campaign=spring_sale_202611&utm_content=hero#f"
    );
}

#[test]
fn refuses_credentials_in_the_url() {
    let e = build_link(
        &email(),
        &request("https://ann:secret@shop.example.com/"),
        today(),
    )
    .unwrap_err();
    assert_eq!(codes(&e), vec![("utm.bad_url", "base_url")]);
    assert!(!e[0].message.contains("secret"), "{}", e[0].message);
}

#[test]
fn refuses_unsafe_and_non_http_urls() {
    for (base, code) in [
        ("javascript:alert(1)", "utm.unsafe_url"),
        ("data:text/html,x", "utm.unsafe_url"),
        ("ftp://x.example.com/", "utm.bad_url"),
        ("example.com/page", "utm.bad_url"),
        ("", "utm.bad_url"),
    ] {
        let e = build_link(&email(), &request(base), today()).unwrap_err();
        assert_eq!(codes(&e), vec![(code, "base_url")], "{base}");
        assert!(e[0].fix.contains("https://"), "{e:?}");
    }
}

#[test]
fn a_missing_variable_names_its_field() {
    let mut r = request("https://x.example.com/");
    r.campaign = Some("  ".into());
    r.vars.clear();
    let e = build_link(&email(), &r, today()).unwrap_err();
    assert_eq!(
        codes(&e),
        vec![
            ("utm.missing_var", "campaign"),
            ("utm.missing_var", "vars.variant")
        ]
    );
    assert_eq!(e[1].fix, "fill in variant");
}

#[test]
fn lowercase_chars_allowed_values_and_length_are_enforced_with_a_fix() {
    let mut t = email();
    t.rules
        .allowed_values
        .insert(Param::Content, vec!["hero".into(), "footer".into()]);
    t.rules.max_length = 20;
    let mut r = request("https://x.example.com/");
    r.campaign = Some("Spring Sale".into());
    r.vars.insert("variant".into(), "heros".into());
    let e = build_link(&t, &r, today()).unwrap_err();
    assert_eq!(
        codes(&e),
        vec![
            ("utm.lowercase", "utm_campaign"),
            ("utm.chars", "utm_campaign"),
            ("utm.not_allowed", "utm_content")
        ]
    );
    assert_eq!(e[0].fix, "use `spring_sale_202611`");
    assert!(e[1].message.contains("a space"), "{}", e[1].message);
    assert_eq!(e[2].fix, "did you mean `hero`? allowed: hero, footer");

    r.campaign = Some("a_very_long_campaign_name".into());
    r.vars.insert("variant".into(), "hero".into());
    let e = build_link(&t, &r, today()).unwrap_err();
    assert_eq!(codes(&e), vec![("utm.too_long", "utm_campaign")]);
    assert_eq!(e[0].fix, "use `a_very_long_campaign`");
}

#[test]
fn lowercase_can_be_turned_off() {
    let mut t = email();
    t.rules.lowercase = false;
    t.rules.allowed_chars = "a-zA-Z0-9_".into();
    let mut r = request("https://x.example.com/");
    r.campaign = Some("Spring".into());
    assert!(build_link(&t, &r, today()).is_ok());
}

#[test]
fn placeholders_parse_or_say_what_is_wrong() {
    assert_eq!(
        Pattern::parse("{campaign}-{region}").unwrap().variables(),
        vec!["campaign", "region"]
    );
    assert_eq!(
        Pattern::parse("email").unwrap().literal().as_deref(),
        Some("email")
    );
    for (text, code, fix) in [
        (
            "{compaign}",
            "utm.unknown_placeholder",
            "did you mean `{campaign}`?",
        ),
        (
            "{Connector}",
            "utm.unknown_placeholder",
            "did you mean `{connector}`?",
        ),
        ("{date:%Q}", "utm.unknown_placeholder", "date codes only"),
        ("{date:%H}", "utm.unknown_placeholder", "date codes only"),
        ("{date:%Y%z}", "utm.unknown_placeholder", "date codes only"),
        ("{connector:x}", "utm.unknown_placeholder", ""),
        ("{campaign", "utm.bad_pattern", "close the placeholder"),
        ("a}b", "utm.bad_pattern", ""),
    ] {
        let (c, _, f) = Pattern::parse(text).unwrap_err();
        assert_eq!(c, code, "{text}");
        assert!(f.contains(fix), "{text}: {f}");
    }
}

#[test]
fn a_template_is_checked_before_it_is_saved() {
    assert!(
        check_template(&email()).is_empty(),
        "{:?}",
        check_template(&email())
    );
    let mut t = email();
    t.content_type = "Paid Search".into();
    t.params.remove(&Param::Medium);
    t.params.insert(Param::Term, "Brand {keyword}".into());
    t.params.insert(Param::Id, "{nope:1}".into());
    t.rules.max_length = 0;
    t.rules.allowed_chars = "z-a".into();
    t.rules
        .allowed_values
        .insert(Param::Source, vec!["Hubspot".into()]);
    let got = codes(&check_template(&t))
        .into_iter()
        .map(|(c, f)| format!("{c} {f}"))
        .collect::<Vec<_>>();
    assert_eq!(
        got,
        vec![
            "utm.content_type content_type",
            "utm.bad_rule rules.allowed_chars",
            "utm.bad_rule rules.max_length",
            "utm.required utm_medium",
            "utm.lowercase utm_term",
            "utm.chars utm_term",
            "utm.unknown_placeholder utm_id",
            "utm.lowercase rules.allowed_values.utm_source",
            "utm.too_long rules.allowed_values.utm_source",
        ]
    );
}

#[test]
fn a_finished_link_is_checked_against_its_template() {
    let t = email();
    assert!(check_url(
        &t,
        "https://x.example.com/?utm_source=hubspot&utm_medium=email&utm_campaign=spring"
    )
    .is_empty());
    let v = check_url(
        &t,
        "https://x.example.com/?utm_source=HubSpot&utm_medium=mail&utm_campain=x&utm_source=y",
    );
    assert_eq!(
        codes(&v),
        vec![
            ("utm.lowercase", "utm_source"),
            ("utm.not_allowed", "utm_medium"),
            ("utm.unknown_param", "utm_campain"),
            ("utm.duplicate", "utm_source"),
            ("utm.required", "utm_campaign")
        ]
    );
    assert_eq!(v[2].fix, "did you mean `utm_campaign`?");
    assert_eq!(
        codes(&check_url(&t, "javascript:alert(1)")),
        vec![("utm.unsafe_url", "url")]
    );
}

#[test]
fn a_link_finds_its_template_by_medium() {
    let mut social = email();
    social.content_type = "social".into();
    social.params.insert(Param::Medium, "social".into());
    let all = [email(), social];
    assert_eq!(
        template_for(&all, "https://x.example.com/?utm_medium=social")
            .unwrap()
            .content_type,
        "social"
    );
    assert!(template_for(&all, "https://x.example.com/?utm_medium=cpc").is_none());
}
