//! Rebuilding registered manifests from their rows (for diffs and approval snapshots), written
//! once for both backends like `sql.rs`, whose imports it shares.

macro_rules! load_sql {
    ($store:ident, $db:ty) => {
        impl $store {
            /// The registered manifests of `slugs`, rebuilt from their rows, and their gating overrides.
            async fn load_old(
                tx: &mut Tx,
                slugs: &[&str],
            ) -> Result<(HashMap<String, Manifest>, HashMap<String, Vec<(String, bool)>>)> {
                let mut old = HashMap::new();
                let mut overrides: HashMap<String, Vec<(String, bool)>> = HashMap::new();
                for chunk in slugs.chunks(BATCH) {
                    let rows = Self::select_in(tx, "SELECT slug, display_name, version, description, docs_url, auth_method, \
                        auth_token_url, auth_header_name FROM connector_providers WHERE slug IN (", chunk, ")").await?;
                    for r in rows {
                        let auth = match r.try_get::<Option<String>, _>(5).map_err(E::db("decoding a connector"))? {
                            Some(method) => Some(godconfig_manifest::Auth {
                                method: serde_json::from_value(serde_json::Value::String(method))
                                    .map_err(|e| E::Corrupt { op: "decoding an auth method", reason: e.to_string() })?,
                                token_url: r.try_get(6).map_err(E::db("decoding a connector"))?,
                                header_name: r.try_get(7).map_err(E::db("decoding a connector"))?,
                            }),
                            None => None,
                        };
                        let m = Manifest {
                            provider_slug: r.try_get(0).map_err(E::db("decoding a connector"))?,
                            display_name: r.try_get(1).map_err(E::db("decoding a connector"))?,
                            version: r.try_get(2).map_err(E::db("decoding a connector"))?,
                            description: r.try_get(3).map_err(E::db("decoding a connector"))?,
                            docs_url: r.try_get(4).map_err(E::db("decoding a connector"))?,
                            auth,
                            secrets: vec![], scopes: vec![], kpis: vec![], utm_capabilities: vec![], operations: vec![],
                        };
                        old.insert(m.provider_slug.clone(), m);
                    }
                    let by = |old: &mut HashMap<String, Manifest>, r: &<$db as sqlx::Database>::Row| -> Result<String> {
                        let slug: String = r.try_get(0).map_err(E::db("decoding a connector's rows"))?;
                        if !old.contains_key(&slug) {
                            return Err(E::Corrupt { op: "loading registered rows", reason: format!("rows without connector {slug}") });
                        }
                        Ok(slug)
                    };
                    let get = |r: &<$db as sqlx::Database>::Row, i: usize| -> Result<Option<String>> {
                        r.try_get(i).map_err(E::db("decoding a connector's rows"))
                    };
                    for r in Self::select_in(tx, "SELECT provider_slug, key_name FROM connector_secrets WHERE provider_slug IN (", chunk, ") ORDER BY provider_slug, position").await? {
                        let slug = by(&mut old, &r)?;
                        old.get_mut(&slug).expect("checked").secrets.push(get(&r, 1)?.unwrap_or_default());
                    }
                    for r in Self::select_in(tx, "SELECT provider_slug, name, description, requires_firearm FROM connector_scopes WHERE provider_slug IN (", chunk, ") ORDER BY provider_slug, position").await? {
                        let slug = by(&mut old, &r)?;
                        let requires_firearm: bool = r.try_get(3).map_err(E::db("decoding a scope"))?;
                        old.get_mut(&slug).expect("checked").scopes.push(godconfig_manifest::Scope { name: get(&r, 1)?.unwrap_or_default(), description: get(&r, 2)?, requires_firearm });
                    }
                    for r in Self::select_in(tx, "SELECT provider_slug, raw, standard, description FROM platform_metrics WHERE provider_slug IN (", chunk, ") ORDER BY provider_slug, position").await? {
                        let slug = by(&mut old, &r)?;
                        old.get_mut(&slug).expect("checked").kpis.push(godconfig_manifest::Kpi { raw: get(&r, 1)?.unwrap_or_default(), standard: get(&r, 2)?, description: get(&r, 3)? });
                    }
                    for r in Self::select_in(tx, "SELECT provider_slug, content_type FROM connector_utm_capabilities WHERE provider_slug IN (", chunk, ") ORDER BY provider_slug, position").await? {
                        let slug = by(&mut old, &r)?;
                        old.get_mut(&slug).expect("checked").utm_capabilities.push(get(&r, 1)?.unwrap_or_default());
                    }
                    for r in Self::select_in(tx, "SELECT provider_slug, name, scope_name, description, input_schema FROM connector_operations WHERE provider_slug IN (", chunk, ") ORDER BY provider_slug, position").await? {
                        let slug = by(&mut old, &r)?;
                        let schema: Option<Json<serde_json::Value>> = r.try_get(4).map_err(E::db("decoding an input schema"))?;
                        old.get_mut(&slug).expect("checked").operations.push(godconfig_manifest::Operation {
                            name: get(&r, 1)?.unwrap_or_default(), scope: get(&r, 2)?.unwrap_or_default(), description: get(&r, 3)?, input_schema: schema.map(|j| j.0),
                        });
                    }
                    for r in Self::select_in(tx, "SELECT provider_slug, scope_name, requires_firearm FROM scope_gating WHERE requires_firearm IS NOT NULL AND provider_slug IN (", chunk, ")").await? {
                        let gated: bool = r.try_get(2).map_err(E::db("decoding a gating override"))?;
                        overrides.entry(get(&r, 0)?.unwrap_or_default()).or_default().push((get(&r, 1)?.unwrap_or_default(), gated));
                    }
                }
                Ok((old, overrides))
            }

            /// `head`, the slugs as bound parameters separated by commas, then `tail`.
            fn in_list(head: impl Into<String>, slugs: &[&str], tail: &str) -> QueryBuilder<$db> {
                let mut q = QueryBuilder::<$db>::new(head);
                let mut sep = q.separated(", ");
                slugs.iter().for_each(|s| { sep.push_bind(*s); });
                sep.push_unseparated(tail);
                q
            }

            async fn select_in(tx: &mut Tx, head: &str, slugs: &[&str], tail: &str) -> Result<Vec<<$db as sqlx::Database>::Row>> {
                Self::in_list(head, slugs, tail).build().fetch_all(&mut **tx).await.map_err(E::db("loading registered connectors"))
            }
        }
    };
}

pub(crate) use load_sql;
