//! Deterministic generator of valid, realistic connector manifests (`conn_00001/manifest.yaml`, ...).

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

/// SplitMix64: tiny, fast and stable across platforms and releases.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, index: u64) -> Rng {
        let mut r = Rng(seed ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        r.next();
        r
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const RESOURCES: &[&str] = &[
    "orders",
    "products",
    "customers",
    "inventory",
    "fulfillments",
    "discounts",
    "analytics",
    "reports",
    "invoices",
    "payments",
    "subscriptions",
    "campaigns",
    "contacts",
    "deals",
    "tickets",
    "files",
    "users",
    "webhooks",
    "audiences",
    "leads",
    "companies",
    "calendar",
    "messages",
    "channels",
    "adwords",
    "forms",
    "pages",
    "refunds",
    "shipping",
    "themes",
];
const PREFIXES: &[&str] = &[
    "Acme",
    "Northwind",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark",
    "Wayne",
    "Hooli",
    "Vandelay",
    "Tyrell",
    "Soylent",
    "Cyberdyne",
    "Aperture",
    "Massive",
    "Contoso",
    "Fabrikam",
];
const KINDS: &[&str] = &[
    "Ads",
    "Commerce",
    "CRM",
    "Mail",
    "Analytics",
    "Social",
    "Payments",
    "Helpdesk",
    "Forms",
];
const METRICS: &[(&str, &str)] = &[
    ("gross_sales", "gross_sales"),
    ("net_sales", "net_revenue"),
    ("orders", "orders"),
    ("ga:sessions", "sessions"),
    ("metrics.clicks", "clicks"),
    ("metrics.impressions", "impressions"),
    ("metrics.cost_micros", "spend"),
    ("conversions", "conversions"),
    ("open_rate", "email_open_rate"),
    ("click-through-rate", "ctr"),
    ("average_order_value", "average_order_value"),
    ("unsubscribes", "unsubscribes"),
];
const CONTENT: &[&str] = &[
    "email",
    "social",
    "paid_search",
    "paid_social",
    "affiliate",
    "referral",
    "sms",
    "display",
];
const SECRETS: &[&str] = &[
    "CLIENT_ID",
    "CLIENT_SECRET",
    "REFRESH_TOKEN",
    "ACCESS_TOKEN",
];

/// One scope: its name, whether it writes, and whether it is declared as gated.
struct Scope {
    name: String,
    writes: bool,
    gated: bool,
    resource: &'static str,
}

fn scope_name(rng: &mut Rng, style: usize, resource: &str, writes: bool) -> String {
    let cap = |s: &str| s[..1].to_ascii_uppercase() + &s[1..];
    match style {
        0 => format!("{}_{resource}", if writes { "write" } else { "read" }),
        1 => format!(
            "crm.objects.{resource}.{}",
            if writes { "write" } else { "read" }
        ),
        2 if writes => format!("https://www.googleapis.com/auth/{resource}"),
        2 => format!("https://www.googleapis.com/auth/{resource}.readonly"),
        3 if writes && rng.chance(30) => format!("admin:{resource}"),
        3 => format!("{resource}:{}", if writes { "write" } else { "read" }),
        _ if writes => format!("{}.ReadWrite.All", cap(resource)),
        _ => format!("{}.Read", cap(resource)),
    }
}

fn scopes(rng: &mut Rng) -> Vec<Scope> {
    let count = 8 + rng.below(5); // 8..=12, 10 on average
    let main_style = rng.below(5);
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        let style = if rng.chance(75) {
            main_style
        } else {
            rng.below(5)
        };
        let resource = rng.pick(RESOURCES);
        let writes = rng.chance(40);
        let name = scope_name(rng, style, resource, writes);
        if seen.insert(name.clone()) {
            let gated = writes && rng.chance(60);
            out.push(Scope {
                name,
                writes,
                gated,
                resource,
            });
        }
    }
    // Operations need one reading and one writing scope.
    if !out.iter().any(|s| !s.writes) {
        out.push(Scope {
            name: format!("read_all_{}", out.len()),
            writes: false,
            gated: false,
            resource: "reports",
        });
    }
    if !out.iter().any(|s| s.writes) {
        out.push(Scope {
            name: format!("write_all_{}", out.len()),
            writes: true,
            gated: true,
            resource: "files",
        });
    }
    out
}

/// A YAML scalar: plain when that is unambiguous, double-quoted otherwise.
fn y(s: &str) -> String {
    let plain = s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || " _-./:+(){}=,".contains(c))
        && !s.contains(": ")
        && !s.ends_with(':')
        && !matches!(s, "true" | "false" | "null" | "yes" | "no");
    if plain {
        s.to_string()
    } else {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// The manifest of connector number `index` (1-based), and its scope count.
/// Platform metrics per generated connector, unless asked otherwise.
pub const DEFAULT_METRICS: u8 = 3;

#[cfg(test)]
fn manifest(seed: u64, index: u64) -> (String, String, usize) {
    manifest_with(seed, index, DEFAULT_METRICS)
}

/// A manifest with `metrics` distinct platform metrics (1–12).
pub fn manifest_with(seed: u64, index: u64, metrics: u8) -> (String, String, usize) {
    let mut rng = Rng::new(seed, index);
    let slug = format!("conn_{index:05}");
    let name = format!("{} {} {index:05}", rng.pick(PREFIXES), rng.pick(KINDS));
    let host = format!("api.{}.example.com", slug.replace('_', "-"));
    let mut o = String::with_capacity(4096);
    let w = &mut o;
    let _ = writeln!(w, "# Generated by godconfig-bench (seed {seed}).");
    let _ = writeln!(w, "provider_slug: {slug}\ndisplay_name: {}", y(&name));
    let _ = writeln!(
        w,
        "version: {}.{}.{}",
        1 + rng.below(3),
        rng.below(10),
        rng.below(20)
    );
    let _ = writeln!(
        w,
        "description: >-\n  {name} connector. Reads \"reports\", writes drafts: nothing is"
    );
    let _ = writeln!(
        w,
        "  published without review. Rate limit: {} requests/min.",
        60 * (1 + rng.below(20))
    );
    let _ = writeln!(
        w,
        "docs_url: https://developers.{}.example.com/docs/scopes",
        slug.replace('_', "-")
    );
    let token = if rng.chance(20) {
        "https://{tenant}.auth.example.com/oauth2/token".to_string()
    } else {
        format!("https://{host}/oauth2/token")
    };
    let _ = writeln!(w, "auth:\n  method: oauth2\n  token_url: {}", y(&token));
    let _ = writeln!(w, "secrets:");
    for s in &SECRETS[..2 + rng.below(3)] {
        let _ = writeln!(w, "  - {s}");
    }
    let scopes = scopes(&mut rng);
    let _ = writeln!(w, "scopes:");
    for s in &scopes {
        let _ = writeln!(w, "  - name: {}", y(&s.name));
        let desc = match (s.writes, rng.below(3)) {
            (false, 0) => format!("Read {} (including \"archived\" ones)", s.resource),
            (false, _) => format!("Read {} and their history", s.resource),
            (true, 0) => format!(
                "Create, change and delete {}: changes what customers see",
                s.resource
            ),
            (true, _) => format!("Create and change {}", s.resource),
        };
        let _ = writeln!(w, "    description: {}", y(&desc));
        if s.gated {
            let _ = writeln!(w, "    requires_firearm: true");
        } else if rng.chance(10) {
            let _ = writeln!(w, "    requires_firearm: false");
        }
    }
    let first = rng.below(METRICS.len());
    let _ = writeln!(w, "kpis:");
    // Spaced out, and distinct for up to 12: the 3-metric corpus is the one measured since the start.
    let m = usize::from(metrics.clamp(1, 12));
    let step = [3, 2, 1]
        .into_iter()
        .find(|s| s * m <= METRICS.len())
        .unwrap_or(1);
    for k in 0..m {
        let (raw, standard) = METRICS[(first + k * step) % METRICS.len()];
        let _ = writeln!(w, "  - raw: {}\n    standard: {standard}", y(raw));
        let _ = writeln!(w, "    description: Platform metric {}", y(raw));
    }
    let c = rng.below(CONTENT.len());
    let _ = writeln!(
        w,
        "utm_capabilities:\n  - {}\n  - {}",
        CONTENT[c],
        CONTENT[(c + 1 + rng.below(CONTENT.len() - 1)) % CONTENT.len()]
    );
    let read = scopes.iter().find(|s| !s.writes).expect("a reading scope");
    let write = scopes.iter().find(|s| s.writes).expect("a writing scope");
    let _ = writeln!(w, "operations:");
    let _ = writeln!(
        w,
        "  - name: list_{}\n    description: List recent {}\n    scope: {}",
        read.resource,
        read.resource,
        y(&read.name)
    );
    let _ = writeln!(w, "    input_schema:\n      type: object\n      properties:\n        limit:\n          type: integer\n          minimum: 1\n          maximum: {}\n          default: 50", 100 * (1 + rng.below(5)));
    let _ = writeln!(w, "        status:\n          type: string\n          enum: [open, closed, any]\n      additionalProperties: false");
    let _ = writeln!(
        w,
        "  - name: create_{}\n    description: Create one of the {} (as a draft)\n    scope: {}",
        write.resource,
        write.resource,
        y(&write.name)
    );
    let _ = writeln!(w, "    input_schema:\n      type: object\n      required: [title]\n      properties:\n        title: {{type: string, minLength: 1}}\n        notes: {{type: string}}");
    (slug, o, scopes.len())
}

/// Writes `n` connectors into `out` (which must be empty or missing). Returns the scope total.
pub fn generate(out: &Path, n: u64, seed: u64) -> std::io::Result<usize> {
    generate_with(out, n, seed, DEFAULT_METRICS)
}

pub fn generate_with(out: &Path, n: u64, seed: u64, metrics: u8) -> std::io::Result<usize> {
    std::fs::create_dir_all(out)?;
    if std::fs::read_dir(out)?.next().is_some() {
        return Err(std::io::Error::other(format!(
            "{} is not empty; give an empty or new folder",
            out.display()
        )));
    }
    let mut total = 0;
    for i in 1..=n {
        let (slug, text, scopes) = manifest_with(seed, i, metrics);
        let dir = out.join(&slug);
        std::fs::create_dir(&dir)?;
        std::fs::write(
            dir.join("service.py"),
            crate::service_py::service(&slug, &text),
        )?;
        std::fs::write(dir.join("manifest.yaml"), text)?;
        total += scopes;
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        assert_eq!(manifest(7, 42).1, manifest(7, 42).1);
        assert_ne!(manifest(7, 42).1, manifest(8, 42).1);
    }

    #[test]
    fn about_ten_scopes_per_connector() {
        let total: usize = (1..=1000).map(|i| manifest(1, i).2).sum();
        assert!((9_500..=10_500).contains(&total), "{total}");
    }

    #[test]
    fn metrics_per_connector_are_distinct_and_the_default_is_unchanged() {
        assert_eq!(manifest(1, 9).1, manifest_with(1, 9, DEFAULT_METRICS).1);
        for m in [1u8, 3, 5, 12] {
            let text = manifest_with(1, 9, m).1;
            let raws: std::collections::BTreeSet<&str> = text
                .lines()
                .filter_map(|l| l.strip_prefix("  - raw: "))
                .collect();
            assert_eq!(raws.len(), usize::from(m), "{text}");
        }
    }

    #[test]
    fn quotes_what_yaml_would_misread() {
        assert_eq!(y("read_orders"), "read_orders");
        assert_eq!(
            y("https://www.googleapis.com/auth/x"),
            "https://www.googleapis.com/auth/x"
        );
        assert_eq!(y("a: \"b\""), "\"a: \\\"b\\\"\"");
        assert_eq!(y("true"), "\"true\"");
    }
}
