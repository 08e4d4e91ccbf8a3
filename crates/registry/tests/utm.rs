//! The UTM builder's storage on a real SQLite file and a real PostgreSQL server: templates saved
//! only when sound, compare-and-set, audit entries, import all or nothing, links built from a
//! connector's declared content types and kept in a searchable history.

use godconfig_registry::utm::{capability_templates, UtmTemplateOp};
use godconfig_registry::{DbTarget, Registry, RegistryError};
use godconfig_testkit::*;
use godconfig_utm::{import_yaml, LinkRequest, Param, Rules, UtmTemplate};
use std::collections::BTreeMap;

fn email() -> UtmTemplate {
    UtmTemplate {
        content_type: "email".into(),
        description: "Newsletters and lifecycle mail".into(),
        params: BTreeMap::from([
            (Param::Source, "{connector}".into()),
            (Param::Medium, "email".into()),
            (Param::Campaign, "{campaign}".into()),
            (Param::Content, "{variant}".into()),
        ]),
        rules: Rules::default(),
    }
}

fn request(connector: &str, content_type: &str, campaign: &str) -> LinkRequest {
    LinkRequest {
        connector: connector.into(),
        content_type: content_type.into(),
        base_url: "https://shop.example.com/sale?ref=nav#top".into(),
        campaign: Some(campaign.into()),
        vars: BTreeMap::from([("variant".to_string(), "hero".to_string())]),
    }
}

fn code(e: RegistryError) -> &'static str {
    e.code().as_str()
}

async fn story(url: &str) {
    let reg = Registry::open(&DbTarget::parse(url).unwrap())
        .await
        .unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
    assert!(reg.utm_templates().await.unwrap().is_empty());

    // A template with a broken rule is refused with every violation, and nothing is saved.
    let mut bad = email();
    bad.params.insert(Param::Medium, "E-mail".into());
    bad.params.insert(Param::Term, "{compaign}".into());
    let e = reg
        .change_utm_template(
            &UtmTemplateOp::Save {
                template: bad,
                version: None,
            },
            "ana",
        )
        .await
        .unwrap_err();
    let RegistryError::UtmRefused { violations } = &e else {
        panic!("{e}")
    };
    let fields: Vec<&str> = violations.iter().map(|v| v.field.as_str()).collect();
    assert_eq!(fields, ["utm_medium", "utm_term"]);
    assert!(reg.utm_templates().await.unwrap().is_empty());

    // Saved, then edited on its version; a stale version is a conflict.
    let saved = reg
        .change_utm_template(
            &UtmTemplateOp::Save {
                template: email(),
                version: None,
            },
            "ana",
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (saved.version, saved.changed_by.as_deref()),
        (0, Some("ana"))
    );
    let again = reg
        .change_utm_template(
            &UtmTemplateOp::Save {
                template: email(),
                version: None,
            },
            "ana",
        )
        .await
        .unwrap_err();
    assert_eq!(code(again), "utm.exists");
    let mut edited = email();
    edited.rules.max_length = 60;
    let v1 = reg
        .change_utm_template(
            &UtmTemplateOp::Save {
                template: edited.clone(),
                version: Some(0),
            },
            "bo",
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(v1.version, 1);
    let stale = reg
        .change_utm_template(
            &UtmTemplateOp::Save {
                template: email(),
                version: Some(0),
            },
            "ana",
        )
        .await
        .unwrap_err();
    assert_eq!(code(stale), "registry.conflict");
    assert_eq!(reg.utm_templates().await.unwrap()[0].template, edited);
    assert_eq!(audit_actions(url, "utm.template_added"), 1);
    assert_eq!(audit_actions(url, "utm.template_updated"), 1);

    // A link: only for a content type the connector declares, with the rules enforced.
    let link = reg
        .build_utm_link(&request("hubspot", "email", "spring_sale"), "ana", today)
        .await
        .unwrap();
    assert_eq!(link.url, "https://shop.example.com/sale?ref=nav&utm_source=hubspot&utm_medium=email&utm_campaign=spring_sale&utm_content=hero#top");
    let e = reg
        .build_utm_link(&request("hubspot", "podcast", "x"), "ana", today)
        .await
        .unwrap_err();
    assert_eq!(code(e), "utm.not_declared");
    let e = reg
        .build_utm_link(&request("hubspot", "social", "x"), "ana", today)
        .await
        .unwrap_err();
    assert_eq!(code(e), "utm.unknown_template");
    let e = reg
        .build_utm_link(&request("nobody", "email", "x"), "ana", today)
        .await
        .unwrap_err();
    assert_eq!(code(e), "review.not_found");
    let e = reg
        .build_utm_link(&request("hubspot", "email", "Spring Sale"), "ana", today)
        .await
        .unwrap_err();
    let RegistryError::UtmRefused { violations } = &e else {
        panic!("{e}")
    };
    assert_eq!(violations[0].fix, "use `spring_sale`");
    let mut unsafe_url = request("hubspot", "email", "x");
    unsafe_url.base_url = "javascript:alert(1)".into();
    assert_eq!(
        code(
            reg.build_utm_link(&unsafe_url, "ana", today)
                .await
                .unwrap_err()
        ),
        "utm.refused"
    );

    // The history keeps what each link was built from, newest first, and searches it.
    reg.build_utm_link(&request("shopify", "email", "black_friday"), "bo", today)
        .await
        .unwrap();
    let all = reg.utm_links(None, 50).await.unwrap();
    assert_eq!(
        all.iter()
            .map(|l| l.request.campaign.as_deref().unwrap())
            .collect::<Vec<_>>(),
        ["black_friday", "spring_sale"]
    );
    assert_eq!(all[1].request, request("hubspot", "email", "spring_sale"));
    assert_eq!(reg.utm_links(Some("SPRING"), 50).await.unwrap().len(), 1);
    assert_eq!(reg.utm_links(Some("shopify"), 50).await.unwrap().len(), 1);
    assert_eq!(
        reg.utm_links(Some("100%_"), 50).await.unwrap().len(),
        0,
        "wildcards are literal"
    );
    assert_eq!(reg.utm_links(None, 1).await.unwrap().len(), 1);

    // Which of a connector's content types have a template.
    let caps: Vec<String> = reg
        .utm_capabilities(Some("hubspot"))
        .await
        .unwrap()
        .into_iter()
        .map(|(_, ct)| ct)
        .collect();
    let covered = capability_templates(&caps, &reg.utm_templates().await.unwrap());
    assert_eq!(
        covered
            .iter()
            .filter(|c| c.has_template)
            .map(|c| c.content_type.as_str())
            .collect::<Vec<_>>(),
        ["email"]
    );
    assert!(covered
        .iter()
        .any(|c| c.content_type == "social" && !c.has_template));

    // Import: all or nothing; an existing content type needs replace.
    let mut social = email();
    social.content_type = "social".into();
    social.params.insert(Param::Medium, "social".into());
    let file = godconfig_utm::export_yaml(&[email(), social.clone()]);
    let templates = import_yaml(&file).unwrap();
    assert_eq!(
        code(
            reg.import_utm_templates(&templates, false, "ana")
                .await
                .unwrap_err()
        ),
        "utm.exists"
    );
    assert_eq!(
        reg.utm_templates().await.unwrap().len(),
        1,
        "nothing was imported"
    );
    let out = reg
        .import_utm_templates(&templates, true, "ana")
        .await
        .unwrap();
    assert_eq!(
        (out.added, out.replaced, out.unchanged),
        (
            vec!["social".to_string()],
            vec!["email".to_string()],
            vec![]
        )
    );
    assert_eq!(audit_actions(url, "utm.imported"), 1);
    let kept = one(url, "SELECT CASE WHEN before_json IS NULL THEN 'no' ELSE 'yes' END FROM audit_log WHERE action = 'utm.imported'");
    assert_eq!(
        kept, "yes",
        "the replaced template is kept in the audit log"
    );

    // Delete on its version.
    let social_v = reg
        .utm_templates()
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.template.content_type == "social")
        .unwrap()
        .version;
    assert!(reg
        .change_utm_template(
            &UtmTemplateOp::Delete {
                content_type: "social".into(),
                version: social_v
            },
            "ana"
        )
        .await
        .unwrap()
        .is_none());
    assert_eq!(reg.utm_templates().await.unwrap().len(), 1);
    reg.close().await;
}

fn run_story(url: &str, dir: &std::path::Path) {
    copy_connectors(dir, &["hubspot", "shopify"]);
    register(dir, url);
    block_on_story(story(url));
}

#[test]
fn utm_story_on_sqlite() {
    on_sqlite(run_story);
}

#[test]
fn utm_story_on_postgres() {
    on_postgres(run_story);
}
