//! UTM templates: one per content type, with a pattern per parameter and governance rules; the
//! link builder; the check of finished links; YAML import and export. Pure, no storage.

pub mod link;
pub mod param;
pub mod pattern;
pub mod rules;
pub mod template;
pub mod violation;
pub mod yaml;

pub use link::{build_link, check_url, parse_base, template_for, Link, LinkRequest};
pub use param::Param;
pub use rules::Rules;
pub use template::{check_template, content_type_problem, UtmTemplate};
pub use violation::Violation;
pub use yaml::{export_yaml, import_yaml};
