//! The UTM builder from the CLI, black-box, on SQLite and on PostgreSQL: importing templates
//! (a bad file reports every problem with line:column and imports nothing), listing, exporting,
//! building links (the history keeps them), refusals, and checking a campaign sheet.

mod common;
use common::*;
use predicates::prelude::*;

const GOOD: &str = "\
version: 1
templates:
  - content_type: email
    params:
      utm_source: '{connector}'
      utm_medium: email
      utm_campaign: '{campaign}'
      utm_content: '{variant}'
  - content_type: social
    params:
      utm_source: '{connector}'
      utm_medium: social
      utm_campaign: '{campaign}_{date:%Y}'
    rules:
      allowed_values:
        utm_source: [hubspot, shopify]
";

const BAD: &str = "\
version: 1
templates:
  - content_type: email
    params:
      utm_source: '{conector}'
      utm_medium: Email
      utm_campaign: '{campaign}'
";

const SHEET: &str = "\
name,link
spring,https://shop.example.com/?utm_source=hubspot&utm_medium=email&utm_campaign=spring
bad,\"https://shop.example.com/?utm_source=HubSpot&utm_medium=email&utm_campain=x\"
unsafe,javascript:alert(1)
comma,\"https://shop.example.com/?utm_source=hubspot&utm_medium=email&utm_campaign=a,b\"
";

fn links(url: &str) -> i64 {
    one(url, "SELECT CAST(COUNT(*) AS TEXT) FROM utm_links")
        .parse()
        .unwrap()
}

fn utm_story(url: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("connectors");
    copy_connectors(&dir, &["hubspot", "shopify"]);
    sync_cmd(&dir, url).assert().success();
    let cli = |args: &[&str]| {
        let mut c = sentinel();
        c.arg("utm").args(args).args(["--db", url]);
        c
    };

    cli(&["templates"])
        .assert()
        .success()
        .stdout(predicate::str::contains("no UTM templates yet"));

    // A bad file: every problem with its line and column, and nothing imported.
    let bad = tmp.path().join("bad.yaml");
    std::fs::write(&bad, BAD).unwrap();
    cli(&["import", bad.to_str().unwrap(), "--as", "ana"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(format!(
            "{}:5:19: error[utm.unknown_placeholder]: utm_source",
            bad.display()
        )))
        .stderr(predicate::str::contains("fix: did you mean `{connector}`?"))
        .stderr(predicate::str::contains(
            "6:19: error[utm.lowercase]: utm_medium: utm_medium `Email` has capital letters",
        ))
        .stderr(predicate::str::contains("nothing was imported"));
    assert_eq!(
        one(url, "SELECT CAST(COUNT(*) AS TEXT) FROM utm_templates"),
        "0"
    );

    let good = tmp.path().join("templates.yaml");
    std::fs::write(&good, GOOD).unwrap();
    cli(&["import", good.to_str().unwrap(), "--as", "ana"])
        .assert()
        .success()
        .stdout("imported: 2 added, 0 replaced, 0 unchanged\n");
    cli(&["import", good.to_str().unwrap(), "--as", "ana"])
        .assert()
        .success()
        .stdout("imported: 0 added, 0 replaced, 2 unchanged\n");
    cli(&["templates"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "email         utm_source={connector} utm_medium=email",
        ))
        .stdout(predicate::str::contains("allowed values for utm_source"))
        .stdout(predicate::str::contains("2 template(s)"));
    let json: serde_json::Value = serde_json::from_slice(
        &cli(&["templates", "--format", "json"])
            .assert()
            .success()
            .get_output()
            .stdout,
    )
    .unwrap();
    assert_eq!(
        json["templates"][1]["template"]["params"]["utm_medium"],
        "social"
    );
    assert_eq!(json["templates"][0]["changed_by"], "ana");
    let exported = String::from_utf8(
        cli(&["export"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone(),
    )
    .unwrap();
    assert_eq!(
        godconfig_utm::import_yaml(&exported).unwrap(),
        godconfig_utm::import_yaml(GOOD).unwrap()
    );

    // Build: the URL on stdout, kept in the history; refusals say what and how, and keep nothing.
    let build = |extra: &[&str]| {
        let mut c = cli(&[
            "build",
            "--connector",
            "hubspot",
            "--content-type",
            "email",
            "--as",
            "bo",
        ]);
        c.args(extra);
        c
    };
    build(&["--url", "https://shop.example.com/sale?ref=nav#top", "--campaign", "spring_sale", "--var", "variant=hero"])
        .assert()
        .success()
        .stdout("https://shop.example.com/sale?ref=nav&utm_source=hubspot&utm_medium=email&utm_campaign=spring_sale&utm_content=hero#top\n");
    assert_eq!(links(url), 1);
    build(&[
        "--url",
        "https://shop.example.com/",
        "--campaign",
        "Spring Sale",
        "--var",
        "variant=hero",
    ])
    .assert()
    .code(1)
    .stderr(predicate::str::contains(
        "error[utm.lowercase]: utm_campaign: utm_campaign `Spring Sale` has capital letters",
    ))
    .stderr(predicate::str::contains("fix: use `spring_sale`"));
    build(&[
        "--url",
        "javascript:alert(1)",
        "--campaign",
        "x",
        "--var",
        "variant=hero",
    ])
    .assert()
    .code(1)
    .stderr(predicate::str::contains("error[utm.unsafe_url]: base_url"));
    build(&["--url", "https://shop.example.com/", "--campaign", "x"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "error[utm.missing_var]: vars.variant",
        ));
    cli(&[
        "build",
        "--connector",
        "hubspot",
        "--content-type",
        "podcast",
        "--url",
        "https://x.example.com/",
        "--campaign",
        "x",
    ])
    .assert()
    .code(2)
    .stderr(predicate::str::contains(
        "error[utm.not_declared]: `hubspot` does not declare the content type `podcast`",
    ));
    assert_eq!(links(url), 1, "refused links are not kept");

    // A campaign sheet: each bad link with its line, exit 1; a clean one exits 0.
    let sheet = tmp.path().join("sheet.csv");
    std::fs::write(&sheet, SHEET).unwrap();
    cli(&["check-url", sheet.to_str().unwrap()])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "line 3: https://shop.example.com/?utm_source=HubSpot",
        ))
        .stdout(predicate::str::contains(
            "error[utm.unknown_param]: utm_campain",
        ))
        .stdout(predicate::str::contains(
            "fix: did you mean `utm_campaign`?",
        ))
        .stdout(predicate::str::contains(
            "line 4: javascript:alert(1)\n  error[utm.unsafe_url]: url",
        ))
        .stdout(predicate::str::contains(
            "line 5: https://shop.example.com/?utm_source=hubspot&utm_medium=email&utm_campaign=a,b\n  error[utm.chars]: utm_campaign",
        ))
        .stdout(predicate::str::contains(
            "4 link(s) checked; 3 break a rule",
        ))
        .stdout(predicate::str::contains("line 2").not());
    cli(&["check-url", "--content-type", "email"])
        .write_stdin(
            "https://shop.example.com/?utm_source=hubspot&utm_medium=email&utm_campaign=spring\n",
        )
        .assert()
        .success()
        .stdout("1 link(s) checked; all follow their template's rules\n");
}

#[test]
fn utm_cli_on_sqlite() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("registry.db");
    utm_story(db.to_str().unwrap());
}

#[test]
fn utm_cli_on_postgres() {
    let pg = PgDb::new();
    utm_story(&pg.url);
}
