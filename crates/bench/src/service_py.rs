//! The `service.py` of each generated connector, so that a sync hashes and stores code as it
//! does for the shipped connectors.

/// A `service.py` of about 2 KiB, one function per operation of `manifest`, as the shipped
/// connectors write them: the sync hashes (and stores) it with the manifest.
pub fn service(slug: &str, manifest: &str) -> String {
    let upper = slug.to_uppercase();
    let mut w = format!(
        "\"\"\"{slug} connector: one function per manifest operation. Stdlib only.\n\n\
         Secrets come from PROVIDER_{upper}_* environment variables, injected by\n\
         `sentinel vault exec --connector {slug} -- <cmd>`. Importing has no side effects.\n\"\"\"\n\
         import json\nimport os\nimport urllib.error\nimport urllib.request\n\n\
         API_BASE = \"https://api.{slug}.example/v1\"\n\n\n\
         def _secret(key):\n    name = f\"PROVIDER_{upper}_{{key}}\"\n    value = os.environ.get(name)\n\
         \x20   if not value:\n        raise RuntimeError(f\"{{name}} is not set; run: sentinel vault set {{name}}\")\n\
         \x20   return value\n\n\n\
         def _call(method, path, body=None):\n    data = None if body is None else json.dumps(body).encode()\n\
         \x20   req = urllib.request.Request(API_BASE + path, data=data, method=method)\n\
         \x20   req.add_header(\"Authorization\", \"Bearer \" + _secret(\"API_KEY\"))\n\
         \x20   req.add_header(\"Content-Type\", \"application/json\")\n    try:\n\
         \x20       with urllib.request.urlopen(req, timeout=30) as resp:\n            return json.load(resp)\n\
         \x20   except urllib.error.HTTPError as e:\n\
         \x20       raise RuntimeError(f\"{slug}: {{method}} {{path}} failed with {{e.code}}: {{e.read()[:200]!r}}\") from e\n"
    );
    let ops = manifest
        .lines()
        .filter_map(|l| l.strip_prefix("  - name: "))
        .filter(|n| n.starts_with("list_") || n.starts_with("create_"));
    for op in ops {
        let body = if op.starts_with("list_") {
            "limit=50, status=\"any\"):\n    return _call(\"GET\", f\"/items?limit={int(limit)}&status={status}\")"
        } else {
            "title, notes=None):\n    return _call(\"POST\", \"/items\", {\"title\": title, \"notes\": notes})"
        };
        w.push_str(&format!("\n\ndef {op}(*, {body}\n"));
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::manifest_with;

    #[test]
    fn each_service_has_a_function_per_operation_and_is_about_two_kib() {
        let (slug, text, _) = manifest_with(1, 3, 3);
        let code = service(&slug, &text);
        let ops: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("  - name: "))
            .filter(|n| n.starts_with("list_") || n.starts_with("create_"))
            .collect();
        assert_eq!(ops.len(), 2, "{text}");
        for op in ops {
            assert!(code.contains(&format!("\ndef {op}(*, ")), "{code}");
        }
        assert!((1_200..=3_000).contains(&code.len()), "{}", code.len());
    }
}
