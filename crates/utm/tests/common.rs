#![allow(dead_code)]
use godconfig_utm::{LinkRequest, Param, Rules, UtmTemplate};
use std::collections::BTreeMap;

pub fn email() -> UtmTemplate {
    UtmTemplate {
        content_type: "email".into(),
        description: "Newsletters".into(),
        params: BTreeMap::from([
            (Param::Source, "{connector}".into()),
            (Param::Medium, "email".into()),
            (Param::Campaign, "{campaign}_{date:%Y%m}".into()),
            (Param::Content, "{variant}".into()),
        ]),
        rules: Rules::default(),
    }
}

pub fn request(base: &str) -> LinkRequest {
    LinkRequest {
        connector: "hubspot".into(),
        content_type: "email".into(),
        base_url: base.into(),
        campaign: Some("spring_sale".into()),
        vars: BTreeMap::from([("variant".to_string(), "hero".to_string())]),
    }
}

pub fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

pub fn codes(v: &[godconfig_utm::Violation]) -> Vec<(&str, &str)> {
    v.iter()
        .map(|x| (x.code.as_str(), x.field.as_str()))
        .collect()
}
