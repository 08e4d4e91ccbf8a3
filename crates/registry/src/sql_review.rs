//! The one helper `sql.rs` shares with `tables/`: it delegates to `tables::manifest_problems`.

macro_rules! review_sql {
    ($store:ident, $db:ty) => {
        impl $store {
            async fn write_problems(tx: &mut Tx, input: &SyncInput) -> Result<()> {
                crate::tables::manifest_problems::replace(
                    &mut crate::db::Conn::from(&mut **tx),
                    &input.problems,
                )
                .await
            }
        }
    };
}

pub(crate) use review_sql;
