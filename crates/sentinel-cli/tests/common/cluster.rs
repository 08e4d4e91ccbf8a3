//! A private PostgreSQL cluster for one test (`pg_createcluster`, Debian's postgresql-common),
//! so that a test can stop it, or give it TLS, without touching the shared server other tests
//! use. Dropped with the test.

use super::exec;
use std::path::Path;
use std::process::Command as Proc;

pub struct Cluster {
    version: String,
    name: String,
    pub port: u16,
}

fn run(cmd: &str, args: &[&str]) {
    let out = Proc::new(cmd).args(args).output().unwrap_or_else(|e| {
        panic!("{cmd} is needed for this test (Debian's postgresql-common, openssl): {e}")
    });
    assert!(
        out.status.success(),
        "{cmd} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Certificates for a TLS test, made with `openssl` in `dir`: a CA, the server's certificate it
/// signs (for `localhost` and `127.0.0.1`), and another CA that signed nothing.
pub struct Certs {
    pub ca: std::path::PathBuf,
    pub wrong_ca: std::path::PathBuf,
    server_cert: std::path::PathBuf,
    server_key: std::path::PathBuf,
}

impl Certs {
    pub fn make(dir: &Path) -> Certs {
        let p = |name: &str| dir.join(name);
        let s = |name: &str| p(name).display().to_string();
        for (ca, cn) in [("ca", "God Config test CA"), ("wrong-ca", "Some other CA")] {
            let subject = format!("/CN={cn}");
            run(
                "openssl",
                &[
                    "req",
                    "-x509",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-days",
                    "2",
                    "-subj",
                    &subject,
                    "-keyout",
                    &s(&format!("{ca}.key")),
                    "-out",
                    &s(&format!("{ca}.pem")),
                ],
            );
        }
        run(
            "openssl",
            &[
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-subj",
                "/CN=localhost",
                "-keyout",
                &s("server.key"),
                "-out",
                &s("server.csr"),
            ],
        );
        std::fs::write(
            p("server.ext"),
            "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
        )
        .unwrap();
        run(
            "openssl",
            &[
                "x509",
                "-req",
                "-in",
                &s("server.csr"),
                "-CA",
                &s("ca.pem"),
                "-CAkey",
                &s("ca.key"),
                "-CAcreateserial",
                "-days",
                "2",
                "-extfile",
                &s("server.ext"),
                "-out",
                &s("server.pem"),
            ],
        );
        Certs {
            ca: p("ca.pem"),
            wrong_ca: p("wrong-ca.pem"),
            server_cert: p("server.pem"),
            server_key: p("server.key"),
        }
    }
}

impl Cluster {
    /// A new cluster, started, with a `registry` database; trust authentication.
    pub fn create() -> Cluster {
        Cluster::create_with(&[])
    }

    /// A new cluster serving TLS with `certs` only: `pg_hba.conf` rejects any connection that is
    /// not encrypted, so a client that connects at all has encrypted.
    pub fn create_tls_only(certs: &Certs) -> Cluster {
        // The server runs as `postgres`: it must reach the files, and own its key (mode 0600).
        let dir = certs.server_key.parent().unwrap();
        run("chmod", &["755", &dir.display().to_string()]);
        let key = certs.server_key.display().to_string();
        run("chown", &["postgres:postgres", &key]);
        run("chmod", &["600", &key]);
        let cert = format!("ssl_cert_file={}", certs.server_cert.display());
        let key = format!("ssl_key_file={key}");
        let c = Cluster::create_with(&["-o", "ssl=on", "-o", &cert, "-o", &key]);
        let hba = format!("/etc/postgresql/{}/{}/pg_hba.conf", c.version, c.name);
        let rules = std::fs::read_to_string(&hba).unwrap();
        std::fs::write(&hba, format!("hostnossl all all all reject\n{rules}")).unwrap();
        run("pg_ctlcluster", &[&c.version, &c.name, "reload"]);
        c
    }

    fn create_with(options: &[&str]) -> Cluster {
        let version = std::fs::read_dir("/etc/postgresql")
            .expect("a PostgreSQL server installed from Debian's packages (/etc/postgresql)")
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .max()
            .expect("a PostgreSQL version under /etc/postgresql");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        // One cluster per test: the tests of a file run in parallel in one process.
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let name = format!("gctest{}n{n}", std::process::id());
        let p = port.to_string();
        let mut args = vec![version.as_str(), &name, "-p", &p];
        args.extend_from_slice(options);
        args.extend_from_slice(&["--", "--auth=trust"]);
        run("pg_createcluster", &args);
        let c = Cluster {
            version,
            name,
            port,
        };
        c.start();
        // A TLS-only cluster refuses plain TCP: its database is made over the local socket.
        if options.is_empty() {
            exec(&c.url("postgres"), "CREATE DATABASE registry");
        } else {
            run(
                "su",
                &[
                    "postgres",
                    "-c",
                    &format!("psql -q -p {} -c 'CREATE DATABASE registry'", c.port),
                ],
            );
        }
        c
    }

    /// `postgres://postgres@127.0.0.1:PORT/DB`.
    pub fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    pub fn start(&self) {
        run("pg_ctlcluster", &[&self.version, &self.name, "start"]);
    }

    pub fn stop(&self) {
        run(
            "pg_ctlcluster",
            &[&self.version, &self.name, "stop", "-m", "immediate"],
        );
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Proc::new("pg_dropcluster")
            .args(["--stop", &self.version, &self.name])
            .status();
    }
}
