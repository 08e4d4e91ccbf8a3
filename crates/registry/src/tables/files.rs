//! `file_blobs` and `fingerprint_files`: every hand-written file a sync saw, stored once by
//! content, and each fingerprint's list of files. Both are append-only: a fingerprint's files
//! never change, so an approval that names a fingerprint names exactly those bytes.

use crate::db::{query, Arg, Conn, BATCH};
use crate::error::{RegistryError as E, Result};
use crate::files::FileRef;
use crate::model::ValidConnector;
use crate::tables::in_list_tail;
use std::collections::{BTreeMap, HashMap};

#[derive(sqlx::FromRow)]
struct Listed {
    slug: String,
    path: String,
    file_hash: String,
}

/// Stores the files of `connectors` and their fingerprints; what is already there is kept.
pub(crate) async fn write(conn: &mut Conn<'_>, connectors: &[&ValidConnector]) -> Result<()> {
    // One copy of each content, however many folders hold it.
    let blobs: BTreeMap<&str, &[u8]> = (connectors.iter())
        .flat_map(|c| c.files.iter())
        .map(|f| (f.hash.as_str(), f.bytes.as_slice()))
        .collect();
    let blobs: Vec<_> = blobs.into_iter().collect();
    // Each statement carries at most ~4 MiB of content, whatever the batch size.
    let mut rest = blobs.as_slice();
    while !rest.is_empty() {
        let (mut n, mut bytes) = (0, 0);
        while n < rest.len() && n < BATCH && (n == 0 || bytes + rest[n].1.len() < 4 << 20) {
            bytes += rest[n].1.len();
            n += 1;
        }
        let mut q = query("INSERT INTO file_blobs (hash, size, content) VALUES ");
        for (i, (hash, content)) in rest[..n].iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            let size = content.len() as i64;
            q.push_tuple([Arg::from(*hash), Arg::from(size), Arg::from(*content)]);
        }
        q.push(" ON CONFLICT (hash) DO NOTHING");
        q.execute(conn.reborrow())
            .await
            .map_err(E::db("storing connector files"))?;
        rest = &rest[n..];
    }
    let listed: Vec<(&str, &str, &str)> = (connectors.iter())
        .flat_map(|c| {
            let fp = c.fingerprint.as_str();
            (c.files.iter()).map(move |f| (fp, f.path.as_str(), f.hash.as_str()))
        })
        .collect();
    for chunk in listed.chunks(BATCH) {
        let mut q = query("INSERT INTO fingerprint_files (fingerprint, path, file_hash) VALUES ");
        for (i, (fp, path, hash)) in chunk.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.push_tuple([Arg::from(*fp), Arg::from(*path), Arg::from(*hash)]);
        }
        q.push(" ON CONFLICT (fingerprint, path) DO NOTHING");
        q.execute(conn.reborrow())
            .await
            .map_err(E::db("storing fingerprints"))?;
    }
    Ok(())
}

/// The registered files of each of `slugs` (a connector without a fingerprint has none).
pub(crate) async fn of_connectors(
    conn: &mut Conn<'_>,
    slugs: &[&str],
) -> Result<HashMap<String, Vec<FileRef>>> {
    let mut out: HashMap<String, Vec<FileRef>> = HashMap::new();
    for chunk in slugs.chunks(BATCH) {
        let mut q = query("");
        in_list_tail(
            &mut q,
            "SELECT p.slug, f.path, f.file_hash FROM connector_providers p \
             JOIN fingerprint_files f ON f.fingerprint = p.fingerprint WHERE p.slug IN (",
            chunk,
        );
        let rows: Vec<Listed> = q
            .fetch_all(conn.reborrow())
            .await
            .map_err(E::db("reading connector files"))?;
        for r in rows {
            let file = FileRef {
                path: r.path,
                hash: r.file_hash,
            };
            out.entry(r.slug).or_default().push(file);
        }
    }
    Ok(out)
}

#[derive(sqlx::FromRow)]
struct Entry {
    path: String,
    file_hash: String,
}

/// The files of one fingerprint, by path.
pub(crate) async fn of_fingerprint(conn: &mut Conn<'_>, fingerprint: &str) -> Result<Vec<FileRef>> {
    let rows: Vec<Entry> =
        query("SELECT path, file_hash FROM fingerprint_files WHERE fingerprint = $1 ORDER BY path")
            .bind(fingerprint)
            .fetch_all(conn.reborrow())
            .await
            .map_err(E::db("reading a fingerprint's files"))?;
    Ok((rows.into_iter())
        .map(|r| FileRef {
            path: r.path,
            hash: r.file_hash,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct Blob {
    content: Vec<u8>,
}

/// One stored content, if the registry holds it.
pub(crate) async fn blob(conn: &mut Conn<'_>, hash: &str) -> Result<Option<Vec<u8>>> {
    let row: Option<Blob> = query("SELECT content FROM file_blobs WHERE hash = $1")
        .bind(hash)
        .fetch_optional(conn.reborrow())
        .await
        .map_err(E::db("reading a stored file"))?;
    Ok(row.map(|b| b.content))
}
