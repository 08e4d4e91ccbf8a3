//! What the remaining SQL macros share with `tables/`: registered manifests (now in
//! `tables::manifests`) and slug lists for statements built at run time.

macro_rules! load_sql {
    ($store:ident, $db:ty) => {
        impl $store {
            /// The registered manifests of `slugs`, rebuilt from their rows, and their gating overrides.
            async fn load_old(
                tx: &mut Tx,
                slugs: &[&str],
            ) -> Result<(
                HashMap<String, Manifest>,
                HashMap<String, Vec<(String, bool)>>,
            )> {
                crate::tables::manifests::load(&mut crate::db::Conn::from(&mut **tx), slugs).await
            }

            /// `head`, the slugs as bound parameters separated by commas, then `tail`.
            fn in_list(head: impl Into<String>, slugs: &[&str], tail: &str) -> QueryBuilder<$db> {
                let mut q = QueryBuilder::<$db>::new(head);
                let mut sep = q.separated(", ");
                slugs.iter().for_each(|s| {
                    sep.push_bind(*s);
                });
                sep.push_unseparated(tail);
                q
            }
        }
    };
}

pub(crate) use load_sql;
