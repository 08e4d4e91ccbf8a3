//! What a metric most likely measures (from its suggested KPI, or a word of its name), and
//! whether it fits a core KPI: the drop rules' warnings.

use crate::kpi_registry::{Aggregation, Unit};
use crate::kpis::{CoreKpi, MetricRow};
use serde::Serialize;

/// The unit (and aggregation, when known) a metric most likely has, and why we think so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Likely {
    pub unit: Unit,
    pub aggregation: Option<Aggregation>,
    /// "the suggested KPI `orders`" or "the word `count` in its name".
    pub because: String,
}

/// Words in a metric's name or description that give away its unit, in the order tried.
const UNIT_WORDS: [(&str, Unit); 28] = [
    ("rate", Unit::Ratio),
    ("ratio", Unit::Ratio),
    ("percent", Unit::Ratio),
    ("pct", Unit::Ratio),
    ("ctr", Unit::Ratio),
    ("share", Unit::Ratio),
    ("duration", Unit::Duration),
    ("time", Unit::Duration),
    ("seconds", Unit::Duration),
    ("ms", Unit::Duration),
    ("latency", Unit::Duration),
    ("count", Unit::Count),
    ("number", Unit::Count),
    ("num", Unit::Count),
    ("qty", Unit::Count),
    ("quantity", Unit::Count),
    ("amount", Unit::Currency),
    ("revenue", Unit::Currency),
    ("sales", Unit::Currency),
    ("spend", Unit::Currency),
    ("cost", Unit::Currency),
    ("price", Unit::Currency),
    ("value", Unit::Currency),
    ("usd", Unit::Currency),
    ("eur", Unit::Currency),
    ("orders", Unit::Count),
    ("clicks", Unit::Count),
    ("sessions", Unit::Count),
];

/// The suggested KPI's unit and aggregation when the manifest names one, else a word of the
/// metric's name (then description) that gives its unit away.
pub fn likely(raw: &str, description: Option<&str>, standard: Option<&CoreKpi>) -> Option<Likely> {
    if let Some(k) = standard {
        return Some(Likely {
            unit: k.unit,
            aggregation: Some(k.aggregation),
            because: format!("its suggested KPI `{}`", k.slug),
        });
    }
    let words = |s: &str| -> Vec<String> {
        s.to_ascii_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    for (text, place) in [(Some(raw), "name"), (description, "description")] {
        let Some(text) = text else { continue };
        let ws = words(text);
        if let Some((word, unit)) = UNIT_WORDS.iter().find(|(w, _)| ws.iter().any(|x| x == w)) {
            return Some(Likely {
                unit: *unit,
                aggregation: None,
                because: format!("the word `{word}` in its {place}"),
            });
        }
    }
    None
}

/// Why a metric may not fit a KPI: the drop asks for confirmation and says this.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Misfit {
    pub message: String,
}

/// Unit first, then aggregation: "a count onto a currency KPI" is the one that matters most.
pub fn fit(metric: &MetricRow, kpi: &CoreKpi) -> Vec<Misfit> {
    let Some(l) = &metric.likely else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if l.unit != kpi.unit {
        out.push(Misfit {
            message: format!(
                "`{}` looks like a {} ({}), but {} is a {} KPI",
                metric.raw,
                l.unit.noun(),
                l.because,
                kpi.name,
                kpi.unit.noun()
            ),
        });
    }
    if let Some(a) = l.aggregation.filter(|a| *a != kpi.aggregation) {
        out.push(Misfit {
            message: format!(
                "`{}` aggregates by {} ({}), but {} aggregates by {}",
                metric.raw,
                a.as_str(),
                l.because,
                kpi.name,
                kpi.aggregation.as_str()
            ),
        });
    }
    out
}
