//! Export and import: a round trip, and every problem of a bad file with its line and column.

mod common;
use common::*;
use godconfig_utm::{export_yaml, import_yaml};

#[test]
fn export_then_import_gives_the_same_templates() {
    let mut social = email();
    social.content_type = "social".into();
    let text = export_yaml(&[email(), social.clone()]);
    assert!(text.starts_with("# God Config UTM templates"), "{text}");
    assert_eq!(import_yaml(&text).unwrap(), vec![email(), social]);
}

#[test]
fn defaults_fill_what_a_file_leaves_out() {
    let t = import_yaml("version: 1\ntemplates:\n  - content_type: email\n    params:\n      utm_source: '{connector}'\n      utm_medium: email\n      utm_campaign: '{campaign}'\n").unwrap();
    assert_eq!(t[0].rules, godconfig_utm::Rules::default());
}

#[test]
fn every_problem_is_reported_with_its_line_and_column() {
    let text = "\
version: 1
templates:
  - content_type: email
    params:
      utm_source: '{conector}'
      utm_medium: Email
      utm_campain: '{campaign}'
    rules:
      max_length: 0
  - content_type: email
    params:
      utm_source: x
      utm_medium: email
      utm_campaign: '{campaign}'
";
    let e = import_yaml(text).unwrap_err();
    let got: Vec<String> = e
        .iter()
        .map(|v| format!("{}:{} {} {}", v.line, v.column, v.code, v.field))
        .collect();
    assert_eq!(
        got,
        vec![
            "3:5 utm.required utm_campaign",
            "5:19 utm.unknown_placeholder utm_source",
            "6:19 utm.lowercase utm_medium",
            // max_length 0 is itself refused below; until fixed, every fixed value is too long.
            "6:19 utm.too_long utm_medium",
            "7:7 utm.unknown_param utm_campain",
            "9:19 utm.bad_rule rules.max_length",
            "10:19 utm.duplicate content_type",
        ]
    );
    assert!(
        e[1].fix.contains("did you mean `{connector}`?"),
        "{}",
        e[1].fix
    );
    assert_eq!(e[4].fix, "did you mean `utm_campaign`?");
}

#[test]
fn yaml_syntax_and_unknown_fields_point_at_the_spot() {
    let e = import_yaml("version: 1\ntemplates:\n  - content_type: email\n    parms: {}\n")
        .unwrap_err();
    assert_eq!(
        (e[0].line, e[0].column, e[0].code.as_str()),
        (4, 5, "utm.yaml")
    );
    assert!(e[0].fix.contains("did you mean `params`?"), "{:?}", e[0]);
    let e = import_yaml("version: 1\ntemplates: [\n").unwrap_err();
    assert_eq!(e[0].code, "utm.yaml");
    assert!(e[0].line >= 2, "{:?}", e[0]);
}
