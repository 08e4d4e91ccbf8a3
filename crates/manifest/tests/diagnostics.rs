//! Snapshot tests: one bad manifest per rule, and the diagnostics it produces.

use godconfig_manifest::parse_manifest;

const GOOD: &str = r#"provider_slug: shopify
display_name: Shopify
version: 1.0.0
docs_url: https://shopify.dev/docs/api/usage/access-scopes
auth:
  method: oauth2
  token_url: https://{shop}.myshopify.com/admin/oauth/access_token
secrets: [API_KEY, API_SECRET]
scopes:
  - name: read_orders
    description: Read access to orders
  - name: write_products
    description: Create and change products
    requires_firearm: true
kpis:
  - raw: total_sales
    standard: gross_sales
utm_capabilities: [email, social]
operations:
  - name: create_product
    scope: write_products
    input_schema: {type: object, required: [title], properties: {title: {type: string}}}
"#;

fn render(src: &str) -> String {
    match parse_manifest(
        "connectors/shopify/manifest.yaml",
        src.as_bytes(),
        Some("shopify"),
    ) {
        Ok(_) => "ok".into(),
        Err(diags) => diags
            .iter()
            .map(|d| d.render_plain())
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

#[test]
fn the_contract_example_is_valid() {
    assert_eq!(render(GOOD), "ok");
}

macro_rules! case {
    ($name:ident, $from:expr, $to:expr) => {
        #[test]
        fn $name() {
            let src = GOOD.replacen($from, $to, 1);
            assert_ne!(src, GOOD, "the replacement must apply");
            insta::assert_snapshot!(render(&src));
        }
    };
}

case!(
    unknown_field_suggests,
    "utm_capabilities:",
    "utm_capabilitis:"
);
case!(
    unknown_nested_field,
    "    requires_firearm: true",
    "    requires_firarm: true"
);
case!(
    yes_is_not_a_boolean,
    "requires_firearm: true",
    "requires_firearm: yes"
);
case!(
    quoted_boolean_rejected,
    "requires_firearm: true",
    "requires_firearm: \"yes\""
);
case!(
    duplicate_key,
    "version: 1.0.0\n",
    "version: 1.0.0\nversion: 1.0.1\n"
);
case!(missing_required_field, "display_name: Shopify\n", "");
case!(
    slug_mismatch,
    "provider_slug: shopify",
    "provider_slug: shopifi"
);
case!(
    bad_slug_pattern,
    "provider_slug: shopify",
    "provider_slug: Shop-ify"
);
case!(
    number_is_not_a_string,
    "display_name: Shopify",
    "display_name: 123"
);
case!(bad_version, "version: 1.0.0", "version: one");
case!(http_docs_url, "docs_url: https://", "docs_url: http://");
case!(token_url_needs_oauth2, "method: oauth2", "method: api_key");
case!(unknown_auth_method, "method: oauth2", "method: oauth");
case!(
    bad_secret_name,
    "[API_KEY, API_SECRET]",
    "[api_key, API_KEY, API_KEY]"
);
case!(
    scope_with_whitespace,
    "name: read_orders",
    "name: \"read orders\""
);
case!(duplicate_scope, "name: write_products", "name: read_orders");
case!(
    undeclared_operation_scope,
    "scope: write_products",
    "scope: write_product"
);
case!(bad_metric_name, "raw: total_sales", "raw: \"-total sales\"");
case!(
    bad_content_type,
    "[email, social]",
    "[Email, social, social]"
);
case!(
    input_schema_not_object,
    "{type: object, required",
    "{type: string, required"
);
case!(input_schema_invalid, "required: [title]", "required: title");
case!(empty_scopes, "scopes:\n  - name: read_orders\n    description: Read access to orders\n  - name: write_products\n    description: Create and change products\n    requires_firearm: true\n", "scopes: []\n");
case!(
    bad_yaml_syntax,
    "display_name: Shopify",
    "display_name: [Shopify"
);
case!(
    control_char_in_name,
    "display_name: Shopify",
    "display_name: \"Shop\\tify\""
);

#[test]
fn empty_file() {
    insta::assert_snapshot!(render(""));
}

#[test]
fn not_utf8() {
    let mut bytes = b"provider_slug: shopify\ndisplay_name: Sh".to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe]);
    let d = parse_manifest("m.yaml", &bytes, None).unwrap_err();
    insta::assert_snapshot!(d[0].render_plain());
}

#[test]
fn too_large() {
    let big = format!("{GOOD}description: \"{}\"\n", "x".repeat(1024 * 1024));
    insta::assert_snapshot!(render(&big));
}

#[test]
fn alias_bomb_is_bounded() {
    let mut s = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let p = i - 1;
        s.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let out = render(&s);
    assert!(out.contains("error["), "{out}");
}

#[test]
fn deep_nesting_is_bounded() {
    let deep = format!("{}1{}", "[".repeat(50_000), "]".repeat(50_000));
    let s = GOOD.replace(
        "properties: {title: {type: string}}",
        &format!("properties: {{title: {{default: {deep}}}}}"),
    );
    insta::assert_snapshot!(render(&s));
}

#[test]
fn remote_ref_in_input_schema_is_refused() {
    let src = GOOD.replace(
        "{type: object, required: [title], properties: {title: {type: string}}}",
        "{type: object, properties: {title: {$ref: \"https://example.com/evil.json\"}}}",
    );
    insta::assert_snapshot!(render(&src));
}

#[test]
fn several_problems_are_all_reported() {
    let src = GOOD
        .replace("provider_slug: shopify", "provider_slug: shopifi")
        .replace("version: 1.0.0", "version: x")
        .replace("scope: write_products", "scope: nope");
    let out = render(&src);
    assert_eq!(out.matches("error[").count(), 3, "{out}");
}

#[test]
fn every_structural_problem_is_reported_at_once() {
    let src = GOOD
        .replace("version: 1.0.0", "versoin: 1.0.0")
        .replace("    requires_firearm: true", "    requires_firearm: yes")
        .replace(
            "  - raw: total_sales",
            "  - raw: total_sales\n    unit: currency",
        )
        .replace("display_name: Shopify", "display_name: [Shopify]");
    insta::assert_snapshot!(render(&src));
}

#[test]
fn a_bad_regex_in_input_schema_is_refused() {
    let src = GOOD.replace(
        "title: {type: string}",
        "title: {type: string, pattern: \"((\"}",
    );
    let out = render(&src);
    assert!(
        out.contains("error[invalid-input-schema]: input_schema cannot be compiled"),
        "{out}"
    );
}
