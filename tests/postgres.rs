//! A workspace in PostgreSQL, through the real binary: copied in and out with nothing
//! lost, read by list, show, due and export as a file is, verdicts appended by two
//! processes at once, migrations applied once, and no password in any message.
//!
//! They need a server: `CLAIMDESK_TEST_POSTGRES` names a superuser's URL (`.ci/run` starts
//! a throwaway cluster and sets it). Without it they say they were skipped, except under
//! CI, where they must run.

mod common;

use common::*;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fresh database of its own for a test, dropped when the test ends.
struct Database {
    admin: String,
    name: String,
    url: String,
}

impl Drop for Database {
    fn drop(&mut self) {
        let _ = psql(
            &self.admin,
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
    }
}

impl Database {
    /// Ends every connection to the database, as a server restart does.
    fn drop_connections(&self) {
        psql(
            &self.admin,
            &format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{}' AND pid <> pg_backend_pid()",
                self.name
            ),
        );
    }

    /// The server goes away for this database: its connections end and no new one is
    /// taken, as while it is stopped (the cluster itself serves the other tests).
    fn go_away(&self) {
        psql(
            &self.admin,
            &format!("ALTER DATABASE {} ALLOW_CONNECTIONS false", self.name),
        );
        self.drop_connections();
    }

    /// The server is back.
    fn come_back(&self) {
        psql(
            &self.admin,
            &format!("ALTER DATABASE {} ALLOW_CONNECTIONS true", self.name),
        );
    }
}

fn server() -> Option<String> {
    match std::env::var("CLAIMDESK_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var_os("CI").is_some() => {
            panic!("CI must run the PostgreSQL tests: CLAIMDESK_TEST_POSTGRES is not set")
        }
        _ => {
            // Straight to stderr, past the test harness's capture, so that it shows.
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "skipped: no PostgreSQL server (set CLAIMDESK_TEST_POSTGRES to run the database tests)"
            );
            None
        }
    }
}

/// Runs one statement with psql; what it printed, or the server's error.
fn try_psql(url: &str, sql: &str) -> Result<String, String> {
    let out = std::process::Command::new("psql")
        .args([
            url,
            "-X",
            "-q",
            "-t",
            "-A",
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
            sql,
        ])
        .output()
        .expect("psql runs");
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

fn psql(url: &str, sql: &str) -> String {
    try_psql(url, sql).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

fn database() -> Option<Database> {
    static N: AtomicUsize = AtomicUsize::new(0);
    let admin = server()?;
    let name = format!(
        "claimdesk_test_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    );
    psql(&admin, &format!("CREATE DATABASE {name}"));
    let base = admin
        .rsplit_once('/')
        .map_or(admin.as_str(), |(base, _)| base);
    let url = format!("{base}/{name}");
    Some(Database { admin, name, url })
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

fn ok(home: &Path, args: &[&str]) -> String {
    let out = claimdesk_in(home, args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

/// The sample with an unknown field at every level the contract has.
fn sample_with_unknown_fields(dir: &Path) -> std::path::PathBuf {
    let text = read_fixture("assets/sample-workspace.json");
    let mut v: serde_json::Value = serde_json::from_str(&text).expect("json");
    v["desk_note"] = serde_json::json!({"kept": [1, 2.50, "x"]});
    let claim = &mut v["claims"][1];
    claim["tracker_extra"] = serde_json::json!("kept");
    claim["article"]["section"] = serde_json::json!("world");
    claim["updates"][0]["model"] = serde_json::json!({"name": "m", "t": 0.20});
    claim["follow_ups"][0]["by"] = serde_json::json!("ana");
    claim["reviews"] = serde_json::json!([{
        "at": "2026-02-14T09:30:00Z", "reviewer": "ana", "verdict": "in_progress",
        "note": "Meetings held.", "seen_through": null, "desk": {"shift": "early"}
    }]);
    let path = dir.join("w.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&v).expect("json")).expect("write");
    path
}

/// A fresh database holding the sample with unknown fields, copied in by the binary: the
/// database, a home for the binary, the folder and the file copied.
fn desk() -> Option<(
    Database,
    tempfile::TempDir,
    tempfile::TempDir,
    std::path::PathBuf,
)> {
    let db = database()?;
    let home = tempdir();
    let dir = tempdir();
    let file = sample_with_unknown_fields(dir.path());
    ok(home.path(), &["copy", path_str(&file), &db.url]);
    Some((db, home, dir, file))
}

/// The app on `db` in tmux (a session named `name`), today 2026-02-16.
fn app_on(db: &Database, home: &Path, name: &str) -> common::tmux::Tmux {
    use common::tmux::{Tmux, hermetic_env};
    let args = [db.url.as_str(), "--today", "2026-02-16"];
    Tmux::spawn(name, &Tmux::script(&hermetic_env(home), "", &args))
}

/// Runs the binary, which must fail saying `says`; returns its output.
fn refused(home: &Path, args: &[&str], says: &str) -> std::process::Output {
    let out = claimdesk_in(home, args);
    assert!(!out.status.success(), "{args:?} succeeded");
    assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
    out
}

/// Quits the app with `q` and checks it ended well.
fn quits(t: &common::tmux::Tmux) {
    t.keys(&["q"]);
    let end = t.wait_for("EXIT=");
    assert!(end.contains("EXIT=0"), "{end}");
}

/// The README's grants for a reviewer's role, one statement each, for `ben`.
fn readme_grants() -> Vec<String> {
    read_fixture("README.md")
        .split("```sql\n")
        .nth(1)
        .and_then(|g| g.split("```").next())
        .expect("the README's grants")
        .lines()
        .filter(|l| l.trim_start().starts_with("GRANT"))
        .map(str::to_owned)
        .collect()
}

/// Login roles made for a test, with the README's grants, dropped when it ends.
struct Roles {
    url: String,
    names: Vec<String>,
}

impl Roles {
    /// Makes each role (password `pw`) with the README's grants on `db`.
    fn with_readme_grants(db: &Database, names: &[String]) -> Self {
        let grants = readme_grants();
        for name in names {
            psql(
                &db.admin,
                &format!("CREATE ROLE {name} LOGIN PASSWORD 'pw'"),
            );
            for grant in &grants {
                psql(&db.url, &grant.replace(" ben", &format!(" {name}")));
            }
        }
        Roles {
            url: db.url.clone(),
            names: names.to_vec(),
        }
    }

    /// `db`'s URL, logging in as `name`.
    fn url_as(db: &Database, name: &str) -> String {
        let (_, tail) = db.url.split_once('@').expect("a URL with a user");
        format!("postgresql://{name}:pw@{tail}")
    }
}

impl Drop for Roles {
    fn drop(&mut self) {
        for role in &self.names {
            let _ = try_psql(
                &self.url,
                &format!("DROP OWNED BY {role}; DROP ROLE {role}"),
            );
        }
    }
}

/// Waits up to 10 s for `sql` to answer `want`, then checks that it does.
fn wait_for_rows(url: &str, sql: &str, want: &str) {
    wait_for_rows_within(url, sql, want, 10);
}

/// `wait_for_rows`, waiting up to `seconds`.
fn wait_for_rows_within(url: &str, sql: &str, want: &str, seconds: u64) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    while psql(url, sql) != want && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(psql(url, sql), want, "{sql}");
}

fn same_meaning(a: &Path, b: &Path) {
    let read = |p: &Path| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(p).expect("read")).expect("json")
    };
    assert!(
        read(a) == read(b),
        "{} and {} differ",
        a.display(),
        b.display()
    );
}

#[test]
fn a_copy_to_the_database_and_back_loses_nothing() {
    let Some(db) = database() else { return };
    let home = tempdir();
    let dir = tempdir();
    let original = sample_with_unknown_fields(dir.path());
    let said = ok(home.path(), &["copy", path_str(&original), &db.url]);
    assert!(
        said.starts_with("Copied 2 claims (660 updates, 48 follow-ups, 1 review)"),
        "{said}"
    );
    assert!(
        !said.contains(db.url.split('@').next().unwrap_or("")),
        "the password: {said}"
    );
    let back = dir.path().join("back.json");
    ok(home.path(), &["copy", &db.url, path_str(&back)]);
    same_meaning(&original, &back);
    // The copy back is a workspace claimdesk reads as it reads the original.
    assert_eq!(
        ok(home.path(), &["list", "--json", "-w", path_str(&back)]),
        ok(home.path(), &["list", "--json", "-w", path_str(&original)])
    );
    // A second copy in is refused and changes nothing; an existing file needs --force.
    refused(
        home.path(),
        &["copy", path_str(&original), &db.url],
        "holds a workspace already (2 claims)",
    );
    assert_eq!(psql(&db.url, "SELECT count(*) FROM claimdesk_reviews"), "1");
    let out = claimdesk_in(home.path(), &["copy", &db.url, path_str(&back)]);
    assert!(
        stderr(&out).contains("--force replaces it"),
        "{}",
        stderr(&out)
    );
    // The migrations ran once, however many connections came.
    assert_eq!(
        psql(
            &db.url,
            "SELECT string_agg(version::text, ',' ORDER BY version) FROM claimdesk_migrations"
        ),
        "1,2,3,4,5"
    );
}

#[test]
fn list_show_due_and_export_read_a_database_as_they_read_a_file() {
    let Some((db, home, _dir, file)) = desk() else {
        return;
    };
    for args in [
        vec!["list", "--today", "2026-02-16"],
        vec!["list", "--json", "--today", "2026-02-16"],
        vec!["show", "3a2f", "--today", "2026-02-16"],
        vec!["due", "--today", "2026-02-16"],
        vec!["export", "--format", "csv"],
        vec!["export", "--format", "markdown", "--today", "2026-02-16"],
    ] {
        let with = |w: &str| {
            let mut a = args.clone();
            a.extend(["-w", w]);
            ok(home.path(), &a)
        };
        assert_eq!(with(&db.url), with(path_str(&file)), "{args:?}");
    }
    // A database with no workspace says how to put one there.
    let Some(empty) = database() else { return };
    refused(
        home.path(),
        &["list", "-w", &empty.url],
        "holds no workspace yet; `claimdesk copy FILE",
    );
}

#[test]
fn two_reviewers_recording_fifty_verdicts_each_at_once_lose_none() {
    let Some((db, home, _dir, _file)) = desk() else {
        return;
    };
    // Two reviewers, each recording one verdict after another, both at once.
    let run = |reviewer: &'static str| {
        let url = db.url.clone();
        let home = home.path().to_owned();
        std::thread::spawn(move || {
            (1..=50).all(|i| {
                let note = format!("n{i}");
                let args = [
                    "verdict",
                    "-w",
                    &url,
                    "3a2f",
                    "stalled",
                    "--reviewer",
                    reviewer,
                    "--note",
                    &note,
                ];
                claimdesk_in(&home, &args).status.success()
            })
        })
    };
    let (a, b) = (run("ana"), run("ben"));
    for t in [a, b] {
        assert!(t.join().expect("thread"), "a verdict failed");
    }
    let counts = psql(
        &db.url,
        "SELECT string_agg(n::text, ',' ORDER BY who) FROM (SELECT doc::json->>'reviewer' AS who, count(*) AS n FROM claimdesk_reviews GROUP BY 1) t",
    );
    assert_eq!(counts, "51,50", "ana's review from the file, then 50 each");
    // Every note once: none doubled.
    let notes = psql(
        &db.url,
        "SELECT count(DISTINCT (doc::json->>'reviewer') || (doc::json->>'note')) FROM claimdesk_reviews",
    );
    assert_eq!(notes, "101");
    let show = ok(home.path(), &["show", "3a2f", "-w", &db.url]);
    assert!(show.contains("stalled"), "{show}");
}

#[test]
fn no_password_appears_in_any_message() {
    let Some(db) = database() else { return };
    let home = tempdir();
    let secret = "Wr0ng-s3cret-pw";
    let (head, tail) = db.url.split_once('@').expect("a URL with a user");
    let user = head.rsplit_once(':').map_or(head, |(user, _)| user);
    let wrong = format!("{user}:{secret}@{tail}");
    for args in [
        vec!["list", "-w", &wrong],
        vec!["verdict", "-w", &wrong, "3a2f", "stalled"],
        vec!["copy", &wrong, "/tmp/never.json"],
        vec!["snapshot", "-w", &wrong],
    ] {
        let out = claimdesk_in(home.path(), &args);
        assert!(!out.status.success(), "{args:?}");
        let said = format!("{}{}", stdout(&out), stderr(&out));
        assert!(!said.contains(secret), "{args:?}: {said}");
        assert!(!said.is_empty(), "{args:?} said nothing");
    }
    // The password from $PGPASSWORD, with none in the URL.
    let password = head.rsplit_once(':').map(|(_, p)| p).expect("a password");
    let bare = format!("{user}@{tail}");
    let out = command_in(home.path())
        .env("PGPASSWORD", password)
        .args([
            "copy",
            path_str(&fixture("assets/sample-workspace.json")),
            &bare,
        ])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn import_merges_into_a_database_as_into_a_file() {
    let Some(db) = database() else { return };
    let home = tempdir();
    let dir = tempdir();
    let (a, b) = (fixture(SEED_000), fixture(SEED_001));
    let file = dir.path().join("w.json");
    // A dry run into an empty database writes nothing.
    let said = ok(
        home.path(),
        &["import", "-w", &db.url, "--dry-run", path_str(&a)],
    );
    assert!(
        said.starts_with("1 claim would be imported into postgresql://"),
        "{said}"
    );
    let out = claimdesk_in(home.path(), &["list", "-w", &db.url]);
    assert!(
        stderr(&out).contains("holds no workspace yet"),
        "{}",
        stderr(&out)
    );
    // The same pages into the database and into a file: the same workspace.
    for w in [db.url.as_str(), path_str(&file)] {
        ok(
            home.path(),
            &["import", "-w", w, path_str(&a), path_str(&b)],
        );
    }
    let list = |w: &str| {
        ok(
            home.path(),
            &["list", "--json", "-w", w, "--today", "2026-02-16"],
        )
    };
    assert_eq!(list(&db.url), list(path_str(&file)));
    // A verdict, then the pages again: nothing new, and the verdict kept.
    ok(
        home.path(),
        &[
            "verdict",
            "-w",
            &db.url,
            "3a2f",
            "stalled",
            "--reviewer",
            "ana",
        ],
    );
    let again = ok(
        home.path(),
        &["import", "-w", &db.url, path_str(&a), path_str(&b)],
    );
    assert!(
        again.starts_with("Nothing new for postgresql://"),
        "{again}"
    );
    assert_eq!(psql(&db.url, "SELECT count(*) FROM claimdesk_reviews"), "1");
    assert!(
        !again.contains(db.url.split('@').next().unwrap_or("")),
        "the password: {again}"
    );
}

/// The README's grants for a reviewer's role: it reads everything and records verdicts
/// (as itself), and can neither change nor delete a review.
#[test]
fn a_reviewer_role_with_the_readmes_grants_records_verdicts_and_nothing_more() {
    let Some((db, home, _dir, _file)) = desk() else {
        return;
    };
    let role = format!("{}_ben", db.name);
    let _roles = Roles::with_readme_grants(&db, std::slice::from_ref(&role));
    let as_ben = Roles::url_as(&db, &role);
    let said = ok(home.path(), &["verdict", "-w", &as_ben, "3a2f", "stalled"]);
    assert!(
        said.contains(&format!("as {role}")),
        "the role names the reviewer: {said}"
    );
    let by = psql(
        &db.url,
        "SELECT recorded_by FROM claimdesk_reviews ORDER BY seq DESC LIMIT 1",
    );
    assert_eq!(by, role);
    ok(home.path(), &["list", "-w", &as_ben]);
    // The app as ben: a title edit goes in through the function, named as ben.
    let t = {
        use common::tmux::{Tmux, hermetic_env};
        Tmux::spawn(
            "pgben",
            &Tmux::script(
                &hermetic_env(home.path()),
                "",
                &[&as_ben, "--today", "2026-02-16"],
            ),
        )
    };
    t.wait_for("Officials discussed");
    t.keys(&["e", "C-u"]);
    t.type_text("Ben's title");
    t.keys(&["Enter"]);
    t.wait_for("Recorded title edit");
    wait_for_rows(
        &db.url,
        "SELECT (head::json->>'title') || ':' || changed_by FROM claimdesk_claims WHERE id LIKE '39ed%'",
        &format!("Ben's title:{role}"),
    );
    // CONNECT taken away (maintenance): ben's verdict waits in the queue, not refused;
    // given back, it goes in.
    psql(
        &db.admin,
        &format!("REVOKE CONNECT ON DATABASE {} FROM PUBLIC", db.name),
    );
    psql(
        &db.admin,
        &format!("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{role}'"),
    );
    t.keys(&["v", "4"]);
    t.type_text("while shut out");
    t.keys(&["C-s"]);
    let screen = t.wait_for("1 QUEUED");
    assert!(!screen.contains("NOT RECORDED"), "{screen}");
    psql(
        &db.admin,
        &format!("GRANT CONNECT ON DATABASE {} TO PUBLIC", db.name),
    );
    wait_for_rows(
        &db.url,
        "SELECT count(*) FROM claimdesk_reviews WHERE doc::json->>'note' = 'while shut out'",
        "1",
    );
    quits(&t);
    for sql in [
        "UPDATE claimdesk_claims SET head = '{}'",
        "DELETE FROM claimdesk_follow_ups",
        "DELETE FROM claimdesk_reviews",
        "UPDATE claimdesk_reviews SET doc = '{}'",
        "INSERT INTO claimdesk_reviews (claim_id, doc, recorded_by) SELECT claim_id, doc, 'ana' FROM claimdesk_reviews LIMIT 1",
    ] {
        let refused = try_psql(&as_ben, sql).expect_err(sql);
        assert!(refused.contains("permission denied"), "{sql}: {refused}");
    }
}

/// Passwords never show, even where the URL is malformed or comes back in the command
/// line's own error; a password with a raw @ or / is refused with how to write it.
/// (No server is needed: nothing gets as far as connecting.)
#[test]
fn a_password_never_shows_in_a_usage_error_or_a_malformed_url() {
    let home = tempdir();
    for (args, secret) in [
        (
            vec!["list", "postgresql://lk:S3cretPW@127.0.0.1/x"],
            "S3cretPW",
        ),
        (
            vec!["snapshot", "postgresql://lk:S3cretPW@127.0.0.1/x"],
            "S3cretPW",
        ),
        (
            vec!["list", "--today", "postgresql://lk:S3cretPW@127.0.0.1/x"],
            "S3cretPW",
        ),
        (
            vec![
                "list",
                "-w",
                "postgresql://leaky:Sekr1t/xx@127.0.0.1:5432:bad/hu",
            ],
            "Sekr1t",
        ),
        (
            vec![
                "list",
                "-w",
                "postgresql://leaky:Sekr1t/pa?ss@w#rd@127.0.0.1/db",
            ],
            "w#rd",
        ),
    ] {
        let out = claimdesk_in(home.path(), &args);
        assert!(!out.status.success(), "{args:?}");
        let said = format!("{}{}", stdout(&out), stderr(&out));
        assert!(!said.contains(secret), "{args:?}: {said}");
        assert!(
            said.contains("postgresql://"),
            "{args:?} names the URL: {said}"
        );
    }
}

/// A row that is not one JSON object (written by hand, past claimdesk) can add nothing to
/// the workspace: the table refuses it, and claimdesk names such a row rather than reading
/// it. A reviewer's role cannot insert rows at all, only call the checking function.
#[test]
fn no_row_can_smuggle_claims_into_the_workspace() {
    let Some((db, home, _dir, _file)) = desk() else {
        return;
    };
    let smuggled = r#"{"at":"2026-12-07T10:00:00Z","reviewer":"ben","verdict":"stalled","note":"x","seen_through":null}]},{"id":"evil000000000001","title":"Injected","updates":[],"follow_ups":[],"reviews":[{"at":"2026-12-07T10:00:00Z","reviewer":"ana","verdict":"complete","note":"","seen_through":null}"#;
    let id = "3a2f3f9b8cc6911f";
    for sql in [
        format!("INSERT INTO claimdesk_reviews (claim_id, doc) VALUES ('{id}', $${smuggled}$$)"),
        format!("INSERT INTO claimdesk_reviews (claim_id, doc) VALUES ('{id}', 'not json')"),
        format!("SELECT claimdesk_add_review('{id}', $${smuggled}$$)"),
        format!("SELECT claimdesk_add_review('{id}', '{{\"verdict\":\"bogus\"}}')"),
    ] {
        assert!(try_psql(&db.url, &sql).is_err(), "accepted: {sql}");
    }
    let list = ok(home.path(), &["list", "-w", &db.url]);
    assert!(
        !list.contains("Injected") && !list.contains("evil"),
        "{list}"
    );
    // Past the table's check (as the owner, who can drop it), the reader still refuses it
    // and names the row.
    psql(
        &db.url,
        "ALTER TABLE claimdesk_reviews DROP CONSTRAINT claimdesk_reviews_doc_check",
    );
    psql(
        &db.url,
        &format!("INSERT INTO claimdesk_reviews (claim_id, doc) VALUES ('{id}', $${smuggled}$$)"),
    );
    let out = claimdesk_in(home.path(), &["list", "-w", &db.url]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("claimdesk_reviews row seq") && err.contains("fix or delete that row"),
        "{err}"
    );
    assert!(!stdout(&out).contains("Injected"));
}

/// An import never rewrites review rows: who recorded each, when and in what order stay.
#[test]
fn an_import_keeps_every_review_row_as_it_was() {
    let Some(db) = database() else { return };
    let home = tempdir();
    let dir = tempdir();
    let (a, b) = (fixture(SEED_000), fixture(SEED_001));
    ok(home.path(), &["import", "-w", &db.url, path_str(&a)]);
    ok(
        home.path(),
        &[
            "verdict",
            "-w",
            &db.url,
            "39ed",
            "stalled",
            "--reviewer",
            "ana",
        ],
    );
    let rows = "SELECT string_agg(seq || ':' || recorded_by || ':' || recorded_at, ',') FROM claimdesk_reviews";
    let before = psql(&db.url, rows);
    assert!(!before.is_empty());
    // Something new comes in: the second page.
    let said = ok(home.path(), &["import", "-w", &db.url, path_str(&b)]);
    assert!(said.starts_with("1 claim imported"), "{said}");
    assert_eq!(psql(&db.url, rows), before);
    let _ = dir;
}

/// `copy` over a workspace file sets its journal aside: the edits it holds were for the
/// file replaced, and are never replayed into the copy.
#[test]
fn copy_over_a_file_sets_its_journal_aside() {
    let Some((db, home, dir, file)) = desk() else {
        return;
    };
    let target = dir.path().join("ws.json");
    std::fs::copy(&file, &target).expect("copy");
    // A verdict on the file only: journaled beside it.
    ok(
        home.path(),
        &[
            "verdict",
            "-w",
            path_str(&target),
            "3a2f",
            "failed",
            "--reviewer",
            "filer",
        ],
    );
    let out = claimdesk_in(home.path(), &["copy", &db.url, path_str(&target)]);
    assert!(
        stderr(&out).contains("--force replaces it"),
        "{}",
        stderr(&out)
    );
    ok(
        home.path(),
        &["copy", &db.url, path_str(&target), "--force"],
    );
    let show = ok(
        home.path(),
        &["show", "-w", path_str(&target), "3a2f", "--json"],
    );
    assert!(
        !show.contains("filer"),
        "the replaced file's verdict came back: {show}"
    );
}

/// The app on a database, in a real terminal: a verdict goes to the database as it is
/// recorded, as a row of the logged-in role; a title edit and its undo go onto the
/// server's copy; a verdict's undo is refused with why.
#[test]
fn the_app_records_a_verdict_and_edits_a_title_in_the_database() {
    let Some((db, home, _dir, _file)) = desk() else {
        return;
    };
    let t = app_on(&db, home.path(), "pgapp");
    let first = t.wait_for("Officials discussed");
    assert!(
        first.contains("each verdict and edit goes to the database as it is made"),
        "{first}"
    );
    let password = db
        .url
        .split_once('@')
        .and_then(|(head, _)| head.rsplit_once(':'))
        .map(|(_, password)| password)
        .expect("a password in the URL");
    assert!(!first.contains(password), "the password is on the screen");
    t.keys(&["j", "v", "4"]);
    t.type_text("Stalled since January");
    t.keys(&["C-s"]);
    t.wait_until("the verdict is shown", |s| s.contains("stalled"));
    // The file's review and the new one, recorded by the logged-in role.
    let rows = "SELECT count(*) || ':' || max(recorded_by) FROM claimdesk_reviews";
    wait_for_rows(&db.url, rows, "2:postgres");
    // A title edit goes onto the server's copy, and its undo too; a verdict's undo is
    // refused, saying why.
    let title = "SELECT head::json->>'title' FROM claimdesk_claims WHERE id LIKE '3a2f%'";
    let old_title = psql(&db.url, title);
    t.keys(&["e", "C-u"]);
    t.type_text("A sharper title");
    t.keys(&["Enter"]);
    t.wait_for("Recorded title edit");
    wait_for_rows(&db.url, title, "A sharper title");
    t.keys(&["u"]);
    t.wait_for("Undid title edit");
    wait_for_rows(&db.url, title, &old_title);
    t.keys(&["u"]);
    t.wait_for("append-only");
    t.keys(&["q"]);
    let end = t.wait_for("EXIT=");
    assert!(end.contains("EXIT=0"), "{end}");
    let show = ok(home.path(), &["show", "-w", &db.url, "3a2f", "--json"]);
    assert!(show.contains("Stalled since January"), "{show}");
}

/// The app, with no queue on this machine (its state folder cannot be made), through a
/// server that drops its connection, then cannot be reached, then refuses a verdict: the
/// first verdict goes in over a new connection; one made while the server cannot be
/// reached stays on screen as in memory only (and quitting asks); one the server refuses
/// comes off the screen, and the one held in memory stays.
#[test]
fn without_a_queue_the_app_loses_no_verdict_silently_when_the_server_drops_refuses_or_is_away() {
    let Some((db, home, _dir, _file)) = desk() else {
        return;
    };
    // A file where the state folder would be: the queue cannot be kept.
    std::fs::write(home.path().join("state"), "").expect("write");
    let t = app_on(&db, home.path(), "pgdrop");
    t.wait_for("Officials discussed");
    let reviews = "SELECT count(*) FROM claimdesk_reviews";
    let count = || psql(&db.url, reviews);
    // Dropped (a restart): the verdict goes in over a new connection.
    db.drop_connections();
    t.keys(&["j", "v", "4"]);
    t.type_text("first try");
    t.keys(&["C-s"]);
    wait_for_rows(&db.url, reviews, "2");
    // Away: kept on screen, in memory only.
    db.go_away();
    t.keys(&["v", "5"]);
    t.type_text("while away");
    t.keys(&["C-s"]);
    t.wait_for("IN MEMORY ONLY");
    db.come_back();
    // The app finds the server back (and keeps what it holds in memory).
    t.wait_for("not shown while 1 verdict on this screen only");
    assert_eq!(count(), "2");
    // Refused by the server: off the screen; the one in memory stays.
    psql(&db.url, "DROP FUNCTION claimdesk_add_review(text, text)");
    t.keys(&["k", "v", "1"]);
    t.type_text("refused");
    t.keys(&["C-s"]);
    let screen = t.wait_for("taken off the screen");
    assert!(screen.contains("1 IN MEMORY ONLY"), "{screen}");
    assert_eq!(count(), "2");
    // Quitting asks: the verdict held in memory would be lost.
    t.keys(&["q"]);
    t.wait_for("not saved");
    t.keys(&["y"]);
    assert!(t.wait_for("EXIT=").contains("EXIT=0"));
    let notes = psql(
        &db.url,
        "SELECT string_agg(doc::json->>'note', ',' ORDER BY seq) FROM claimdesk_reviews",
    );
    assert_eq!(notes, "Meetings held.,first try");
}

/// An import that brings something new, while verdicts are being recorded: each waits for
/// the other; no deadlock, no verdict refused, none lost.
#[test]
fn an_import_and_verdicts_at_once_all_go_in() {
    let Some(db) = database() else { return };
    let home = tempdir();
    let (a, b) = (fixture(SEED_000), fixture(SEED_001));
    ok(home.path(), &["import", "-w", &db.url, path_str(&a)]);
    let verdicts = {
        let url = db.url.clone();
        let home = home.path().to_owned();
        std::thread::spawn(move || {
            (1..=15).all(|i| {
                let note = format!("v{i}");
                let args = ["verdict", "-w", &url, "39ed", "stalled", "--note", &note];
                claimdesk_in(&home, &args).status.success()
            })
        })
    };
    ok(home.path(), &["import", "-w", &db.url, path_str(&b)]);
    assert!(verdicts.join().expect("thread"), "a verdict was refused");
    assert_eq!(
        psql(&db.url, "SELECT count(*) FROM claimdesk_reviews"),
        "15"
    );
    assert_eq!(psql(&db.url, "SELECT count(*) FROM claimdesk_claims"), "2");
}

/// Who else has a claim open shows on its row; a colleague's verdict and an import show
/// on an open screen, with who did it, and the queue counts follow; the screen's own
/// verdicts, announced back, are not doubled.
#[test]
fn presence_a_colleagues_verdict_and_an_import_show_on_an_open_screen() {
    let Some((db, home, _dir, _file)) = desk() else {
        return;
    };
    let t = app_on(&db, home.path(), "pglive");
    let first = t.wait_for("Officials discussed");
    assert!(first.contains("1 unreviewed"), "{first}");
    // Presence: a second app on the first claim shows on this one's row, and goes when
    // it quits.
    let home_b = tempdir();
    let b = app_on(&db, home_b.path(), "pglive2");
    b.wait_for("Officials discussed");
    t.wait_for("◎postgres");
    quits(&b);
    t.wait_until("the other app gone", |s| !s.contains("◎"));
    ok(
        home.path(),
        &[
            "verdict",
            "-w",
            &db.url,
            "39ed",
            "failed",
            "--note",
            "ben's",
            "--reviewer",
            "ben",
        ],
    );
    let screen = t.wait_for("ben recorded failed on 39ed…");
    assert!(
        screen.contains("0 unreviewed"),
        "the counts did not follow: {screen}"
    );
    // This screen's own verdict goes in once, and stays once on the screen.
    t.keys(&["v", "4"]);
    t.type_text("mine");
    t.keys(&["C-s"]);
    wait_for_rows(&db.url, "SELECT count(*) FROM claimdesk_reviews", "3");
    std::thread::sleep(std::time::Duration::from_millis(500));
    let show = ok(home.path(), &["show", "-w", &db.url, "39ed", "--json"]);
    assert_eq!(show.matches("\"mine\"").count(), 1, "{show}");
    // An import of a new claim: the list grows, and who did it is said.
    ok(
        home.path(),
        &[
            "import",
            "-w",
            &db.url,
            "--id",
            "feedbeef00000001",
            path_str(&fixture(SEED_000)),
        ],
    );
    let screen = t.wait_for("changed the workspace: 3 claims, 1 new");
    assert!(screen.contains("3 claims"), "{screen}");
    assert!(screen.contains("postgres changed"), "{screen}");
    // The screen's verdicts are still there, once each, after the read.
    quits(&t);
}

/// The server goes away mid-session and comes back: a verdict recorded in between is
/// queued on this machine, shown as queued, and sent when the server is back; one queued
/// when the app was killed is sent by the next start; one the server refuses comes off
/// the screen and out of the queue; and a start with the server away opens the last
/// local copy read-only.
#[test]
fn a_verdict_made_while_the_server_is_away_is_queued_and_sent_when_it_is_back() {
    let Some((db, home, _dir, _file)) = desk() else {
        return;
    };
    let notes = || {
        psql(
            &db.url,
            "SELECT string_agg(doc::json->>'note', ',' ORDER BY seq) FROM claimdesk_reviews",
        )
    };
    let t = app_on(&db, home.path(), "pgaway");
    t.wait_for("Officials discussed");
    db.go_away();
    t.wait_for("SERVER AWAY");
    t.keys(&["v", "4"]);
    t.type_text("while away");
    t.keys(&["C-s"]);
    let screen = t.wait_for("1 QUEUED");
    assert!(screen.contains("not yet on the server"), "{screen}");
    // Back: the app finds it so by itself and sends the queue.
    db.come_back();
    t.wait_for("Sent to the server: 1 verdict");
    assert_eq!(notes(), "Meetings held.,while away");
    // Away again, and the app killed with a verdict queued.
    db.go_away();
    t.wait_for("SERVER AWAY");
    t.keys(&["v", "2"]);
    t.type_text("queued then killed");
    t.keys(&["C-s"]);
    t.wait_for("1 QUEUED");
    let pid = t.pid();
    assert!(
        std::process::Command::new("kill")
            .args(["-9", &pid.to_string()])
            .status()
            .expect("kill")
            .success()
    );
    t.wait_for("EXIT=137");
    // Started again with the server away: the last local copy, read-only, and the
    // queued verdict on it.
    let t = app_on(&db, home.path(), "pgaway2");
    let screen = t.wait_for("READ-ONLY");
    assert!(screen.contains("last local copy"), "{screen}");
    assert!(screen.contains("1 QUEUED"), "{screen}");
    t.keys(&["v"]);
    t.wait_for("Read-only");
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
    // Started again with the server back: the queue goes in first.
    db.come_back();
    let t = app_on(&db, home.path(), "pgaway3");
    t.wait_for("Sent to the server: 1 verdict");
    assert_eq!(notes(), "Meetings held.,while away,queued then killed");
    // Refused by the server: off the screen and out of the queue.
    psql(&db.url, "DROP FUNCTION claimdesk_add_review(text, text)");
    t.keys(&["v", "1"]);
    t.type_text("refused");
    t.keys(&["C-s"]);
    let screen = t.wait_for("taken off the screen");
    assert!(!screen.contains("QUEUED"), "{screen}");
    quits(&t);
    assert_eq!(notes(), "Meetings held.,while away,queued then killed");
}

/// `sslmode=require` encrypts every connection claimdesk makes (the app's two: its
/// verdicts' and its listener's), and the modes that would check the server's
/// certificate, not built, are refused, never taken as something weaker.
#[test]
fn sslmode_require_encrypts_every_connection() {
    use common::tmux::{Tmux, hermetic_env};
    let Some((db, home, _dir, _file)) = desk() else {
        return;
    };
    let url = format!("{}?sslmode=require", db.url);
    let t = Tmux::spawn(
        "pgtls",
        &Tmux::script(
            &hermetic_env(home.path()),
            "",
            &[&url, "--today", "2026-02-16"],
        ),
    );
    t.wait_for("Officials discussed");
    let connections = format!(
        "SELECT count(*) || ':' || bool_and(s.ssl) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.datname = '{}' AND a.application_name = 'claimdesk'",
        db.name
    );
    wait_for_rows(&db.admin, &connections, "2:true");
    quits(&t);
    assert!(ok(home.path(), &["list", "-w", &url]).contains("39ed"));
    for mode in ["verify-ca", "verify-full"] {
        refused(
            home.path(),
            &["list", "-w", &format!("{}?sslmode={mode}", db.url)],
            "sslmode=require encrypts",
        );
    }
}

/// Two reviewers edit the same follow-up at once: the second is refused with the first's
/// change, never a silent overwrite; a change to another part goes in; and undo, an
/// edit of one's own, is checked like any other.
#[test]
fn a_conflicting_follow_up_edit_is_refused_with_the_others_change() {
    let Some((db, home, _dir, _file)) = desk() else {
        return;
    };
    let home_b = tempdir();
    let a = app_on(&db, home.path(), "pgconfa");
    let b = app_on(&db, home_b.path(), "pgconfb");
    for t in [&a, &b] {
        t.wait_for("Officials discussed");
        t.keys(&["Tab", "Tab", "e"]);
        t.wait_for("Note of the follow-up on Sun Feb 15, 2026");
    }
    let follow_up = "SELECT doc::json->>'state' || ':' || (doc::json->>'note') FROM claimdesk_follow_ups WHERE claim_id LIKE '39ed%' AND day = '2026-02-15'";
    a.type_text("call the ministry");
    a.keys(&["Enter"]);
    a.wait_for("Recorded the Feb 15 follow-up's note");
    wait_for_rows(&db.url, follow_up, "scheduled:call the ministry");
    // b's editor opened before a's change: b's note is refused, and says what a wrote.
    b.type_text("wait a week");
    b.keys(&["Enter"]);
    let screen = b.wait_for("NOT SAVED");
    assert!(
        screen.contains("the Feb 15 follow-up is now scheduled: \"call the ministry\""),
        "{screen}"
    );
    assert_eq!(psql(&db.url, follow_up), "scheduled:call the ministry");
    // Another change, made on what the screen now shows, goes in.
    b.keys(&["x"]);
    b.wait_for("Recorded the Feb 15 follow-up: done");
    wait_for_rows(&db.url, follow_up, "done:call the ministry");
    a.wait_for("changed the workspace");
    // a's undo would put back the note over b's done: refused, b's change kept.
    a.keys(&["u"]);
    let screen = a.wait_for("NOT SAVED");
    assert!(screen.contains("is now done"), "{screen}");
    assert_eq!(psql(&db.url, follow_up), "done:call the ministry");
    // A title edit on another claim meanwhile goes in (no conflict across claims).
    for t in [&a, &b] {
        quits(t);
    }
}

/// A server that holds a verdict up (a lock held longer than the app waits) never
/// freezes the screen: it says the server does not answer, keys still work, and the
/// verdict, queued, goes in once the lock is let go, tried again by itself.
#[test]
fn a_server_that_holds_a_verdict_up_never_freezes_the_screen() {
    let Some((db, home, _dir, _file)) = desk() else {
        return;
    };
    let t = app_on(&db, home.path(), "pghold");
    t.wait_for("Officials discussed");
    // Longer than the 10 s a statement waits for a lock: the first try gives up.
    let mut holder = std::process::Command::new("psql")
        .args([
            &db.url,
            "-X",
            "-q",
            "-c",
            "BEGIN; LOCK TABLE claimdesk_reviews IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(12); COMMIT;",
        ])
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("psql runs");
    std::thread::sleep(std::time::Duration::from_millis(500));
    t.keys(&["v", "4"]);
    t.type_text("held up");
    t.keys(&["C-s"]);
    let screen = t.wait_for("does not answer");
    assert!(screen.contains("1 QUEUED"), "{screen}");
    // Keys still work meanwhile.
    t.keys(&["?"]);
    t.wait_for("Keys · Esc");
    t.keys(&["Escape"]);
    holder.wait().expect("psql ends");
    wait_for_rows_within(
        &db.url,
        "SELECT count(*) FROM claimdesk_reviews WHERE doc::json->>'note' = 'held up'",
        "1",
        30,
    );
    t.wait_until("the queue emptied", |s| !s.contains("QUEUED"));
    quits(&t);
}

/// The README's desk of three, at once, each app as its own role with the README's
/// grants: who has what open, an assignment, a split between two verdicts and its
/// settling, and a conflicting follow-up edit, every screen checked.
#[test]
fn a_desk_of_three_works_one_database_at_once() {
    use common::tmux::{Tmux, hermetic_env};
    let Some((db, _home, _dir, _file)) = desk() else {
        return;
    };
    // Short, and unique to this run (roles are the cluster's): a row shows 8 characters.
    let n = std::process::id() % 100_000;
    let names = [format!("ana{n}"), format!("ben{n}"), format!("cy{n}")];
    let _roles = Roles::with_readme_grants(&db, &names);
    let mut apps = Vec::new();
    let mut homes = Vec::new();
    for name in &names {
        let home = tempdir();
        let url = Roles::url_as(&db, name);
        let t = Tmux::spawn(
            &format!("desk3{name}"),
            &Tmux::script(
                &hermetic_env(home.path()),
                "",
                &[&url, "--today", "2026-02-16"],
            ),
        );
        t.wait_for("Officials discussed");
        apps.push(t);
        homes.push(home);
    }
    let [ana, ben, cy] = [&apps[0], &apps[1], &apps[2]];
    let [a, b, c] = [&names[0], &names[1], &names[2]];
    // Who has what open: each sees the other two on the first claim.
    ben.wait_for(&format!("◎{a}"));
    ana.wait_for(&format!("◎{c}"));
    // Ana takes the first claim; the others see it.
    ana.keys(&["@", "Enter"]);
    ana.wait_for(&format!("Recorded assignment to {a}"));
    ben.wait_for(&format!("@{a}"));
    cy.wait_for(&format!("@{a}"));
    // Ana says complete, Cy failed: a split on every screen, until Ana comes round.
    ana.keys(&["v", "1"]);
    ana.type_text("done, per the ministry");
    ana.keys(&["C-s"]);
    ben.wait_for(&format!("{a} recorded complete"));
    cy.keys(&["v", "5"]);
    cy.type_text("nothing happened");
    cy.keys(&["C-s"]);
    let split = format!("≠{a}/{c}");
    for t in [ana, ben, cy] {
        t.wait_for(&split);
    }
    ana.keys(&["v", "5"]);
    ana.type_text("cy is right");
    ana.keys(&["C-s"]);
    for t in [ana, ben, cy] {
        t.wait_until("the split settled", |s| !s.contains(&split));
    }
    // Ben and Cy edit the same follow-up's note: Cy's is refused with Ben's.
    for t in [ben, cy] {
        t.keys(&["Tab", "Tab", "e"]);
        t.wait_for("Note of the follow-up on Sun Feb 15, 2026");
    }
    ben.type_text("call the ministry");
    ben.keys(&["Enter"]);
    ben.wait_for("Recorded the Feb 15 follow-up's note");
    cy.type_text("wait");
    cy.keys(&["Enter"]);
    let screen = cy.wait_for("NOT SAVED");
    assert!(
        screen.contains(&format!("{b} changed claim 39ed meanwhile")),
        "{screen}"
    );
    let reviews = psql(
        &db.url,
        "SELECT string_agg(recorded_by || ':' || (doc::json->>'verdict'), ',' ORDER BY seq) FROM claimdesk_reviews WHERE claim_id LIKE '39ed%'",
    );
    assert_eq!(reviews, format!("{a}:complete,{c}:failed,{a}:failed"));
    for t in [ana, ben, cy] {
        quits(t);
    }
}

/// `snapshot` draws a database's screen as it draws a file's; `recover` on a database
/// says what state it is in (its tables, any row that does not read, this machine's
/// queue and copy) and what to do, changing nothing.
#[test]
fn snapshot_and_recover_work_on_a_database() {
    let Some((db, home, _dir, _file)) = desk() else {
        return;
    };
    let screen = ok(
        home.path(),
        &["snapshot", "-w", &db.url, "--today", "2026-02-16"],
    );
    assert!(screen.contains("Officials discussed"), "{screen}");
    assert!(
        !screen.contains("pw@") && screen.contains("postgresql://postgres@"),
        "{screen}"
    );
    let said = ok(home.path(), &["recover", "-w", &db.url]);
    for expected in [
        "the tables are at migration 5 of 5",
        "2 claims, 660 updates",
        "nothing to recover",
        "no verdict of this machine waits",
        "no local copy on this machine yet",
    ] {
        assert!(said.contains(expected), "{expected}: {said}");
    }
    // A row that is an object but not an update: named, with what to do.
    psql(
        &db.url,
        "UPDATE claimdesk_updates SET doc = '{}' WHERE claim_id LIKE '39ed%' AND position = 0",
    );
    let said = ok(home.path(), &["recover", "-w", &db.url]);
    assert!(said.contains("the workspace does not read"), "{said}");
    assert!(said.contains("fix or delete that row"), "{said}");
    assert_eq!(
        psql(
            &db.url,
            "SELECT doc FROM claimdesk_updates WHERE claim_id LIKE '39ed%' AND position = 0"
        ),
        "{}",
        "recover changed a row"
    );
}

/// Follow-ups with fields claimdesk does not know (spaced as a file has them): the same
/// follow-up edited twice and the edit undone, each going in with the fields kept; and
/// another follow-up moved.
#[test]
fn follow_ups_with_unknown_fields_edit_twice_undo_and_move_cleanly() {
    let Some((db, home, _dir, _file)) = desk() else {
        return;
    };
    psql(
        &db.url,
        r#"UPDATE claimdesk_follow_ups SET doc = '{"date": "2026-02-15", "state": "scheduled", "note": "", "desk": {"a": [1, 2.50],
 "b": "kept"}}' WHERE claim_id LIKE '39ed%' AND day = '2026-02-15'"#,
    );
    let t = app_on(&db, home.path(), "pgunknown");
    t.wait_for("Officials discussed");
    t.keys(&["Tab", "Tab", "e"]);
    t.wait_for("Note of the follow-up on Sun Feb 15, 2026");
    t.type_text("one");
    t.keys(&["Enter"]);
    t.wait_for("Recorded the Feb 15 follow-up's note");
    t.keys(&["e"]);
    t.wait_for("Note of the follow-up on Sun Feb 15, 2026");
    t.type_text(" two");
    t.keys(&["Enter"]);
    let note = "SELECT (doc::json->>'note') || '|' || (doc::json->'desk'->>'b') FROM claimdesk_follow_ups WHERE claim_id LIKE '39ed%' AND day = '2026-02-15'";
    wait_for_rows(&db.url, note, "one two|kept");
    t.keys(&["u"]);
    t.wait_for("Undid");
    wait_for_rows(&db.url, note, "one|kept");
    assert!(!t.screen().contains("NOT SAVED"), "{}", t.screen());
    // Another follow-up, moved a week on.
    let days = "SELECT string_agg(day::text, ',' ORDER BY day) FROM claimdesk_follow_ups WHERE claim_id LIKE '39ed%' AND day >= '2026-02-10'";
    let before = psql(&db.url, days);
    t.keys(&["l", "l", "l", "l", "l", "J"]);
    t.wait_for("Recorded");
    let after = psql(&db.url, days);
    assert_ne!(before, after, "the move went in");
    quits(&t);
}

/// A batch moving two follow-ups on neighbouring days a day back (the second onto the
/// first's day) goes in whole: each step is compared with what the steps before it made,
/// not with the claim before the batch.
#[test]
fn a_batch_moving_neighbouring_follow_ups_goes_in_whole() {
    use claimdesk::model::{Edit, FollowUp};
    use claimdesk::store::pg::{Pg, Shared, Url};
    let Some((db, _home, _dir, _file)) = desk() else {
        return;
    };
    let day = |s: &str| -> chrono::NaiveDate { s.parse().expect("date") };
    let mut pg = Pg::connect(&Url::parse(&db.url).expect("url")).expect("connects");
    let claim = |pg: &mut Pg| {
        pg.load()
            .expect("loads")
            .claims
            .into_iter()
            .find(|c| c.id.starts_with("39ed"))
            .expect("the claim")
    };
    let c = claim(&mut pg);
    let add = Edit::AddFollowUp {
        claim: c.id.clone(),
        follow_up: FollowUp::scheduled(day("2026-02-16")),
    };
    assert!(matches!(pg.share(&add, &[c]), Ok(Shared::Done)));
    let c = claim(&mut pg);
    let back_a_day = |d: &str| {
        let old = c
            .follow_ups
            .iter()
            .find(|f| f.date == day(d))
            .expect("a follow-up that day")
            .clone();
        Edit::ReplaceFollowUp {
            claim: c.id.clone(),
            date: old.date,
            nth: 0,
            follow_up: FollowUp {
                date: old.date.pred_opt().expect("a day before"),
                ..old
            },
            at: 0,
        }
    };
    let batch = Edit::Batch {
        edits: vec![back_a_day("2026-02-15"), back_a_day("2026-02-16")],
    };
    let done = pg.share(&batch, std::slice::from_ref(&c));
    assert!(matches!(done, Ok(Shared::Done)), "{done:?}");
    assert_eq!(
        psql(
            &db.url,
            "SELECT string_agg(day::text, ',' ORDER BY day) FROM claimdesk_follow_ups WHERE claim_id LIKE '39ed%' AND day BETWEEN '2026-02-13' AND '2026-02-17'"
        ),
        "2026-02-14,2026-02-15"
    );
}

/// The claim list is read before the updates (migration 5): every claim's updates as
/// stand-ins with their times and statuses, then read whole, each list under the digest
/// its stand-ins await; a second read keeps every list it has whose digest did not
/// change. An import that adds an update rewrites that claim's update rows only, and a
/// row from before the migration (no digest) is read whole at once.
#[test]
fn the_claim_list_comes_first_and_an_import_rewrites_only_the_updates_that_changed() {
    use claimdesk::store::pg::{Bodies, Pg, PgError, Url};
    let Some((db, _home, _dir, file)) = desk() else {
        return;
    };
    let file = claimdesk::store::load(&file).expect("the file loads");
    let mut pg = Pg::connect(&Url::parse(&db.url).expect("url")).expect("connects");
    // The first import writes every claim's rows as claimdesk writes them, where the file
    // copied in spelled them otherwise, as this one does (keys in another order, values
    // over several lines); later ones find them the same.
    for _ in 0..2 {
        pg.rewrite(|_| -> Result<bool, PgError> { Ok(true) })
            .expect("rewrites");
    }
    let whole = pg.load().expect("loads whole");
    let meaning = |w: &claimdesk::model::Workspace| -> serde_json::Value {
        serde_json::from_slice(&claimdesk::store::to_bytes(w).expect("encodes")).expect("json")
    };
    assert_eq!(meaning(&whole), meaning(&file));
    let (heads, awaiting) = pg.heads(&Bodies::new()).expect("heads");
    assert_eq!(awaiting, whole.claims.len());
    for (h, w) in heads.claims.iter().zip(&whole.claims) {
        assert!(h.updates.awaited().is_some(), "{} read whole", h.id);
        let said = |c: &claimdesk::model::Claim| -> Vec<(String, String)> {
            c.updates
                .iter()
                .map(|u| (u.at.to_rfc3339(), u.status.to_string()))
                .collect()
        };
        assert_eq!(said(h), said(w));
        assert!(!w.updates.is_empty());
    }
    assert!(claimdesk::store::to_bytes(&heads).is_err());
    let ids: Vec<String> = heads.claims.iter().map(|c| c.id.clone()).collect();
    let mut have = Bodies::new();
    for (id, digest, updates) in pg.bodies(&ids).expect("bodies") {
        let h = heads.claim(&id).expect("claim");
        assert_eq!(Some(digest), h.updates.awaited());
        assert_eq!(updates, whole.claim(&id).expect("claim").updates);
        have.insert(id, (digest, updates));
    }
    let (again, awaiting) = pg.heads(&have).expect("heads again");
    assert_eq!(awaiting, 0);
    for c in &again.claims {
        assert!(c.updates.shares(&have[&c.id].1), "{} read again", c.id);
    }
    // An update added to the first claim: its rows are written anew, the other's not.
    let rows = |id: &str| {
        psql(
            &db.url,
            &format!(
                "SELECT string_agg(xmin::text, ',' ORDER BY position) FROM claimdesk_updates WHERE claim_id = '{id}'"
            ),
        )
    };
    let (first, second) = (ids[0].clone(), ids[1].clone());
    let before = (rows(&first), rows(&second));
    pg.rewrite(|w| -> Result<bool, PgError> {
        let claim = w.claims.iter_mut().find(|c| c.id == first).expect("claim");
        let mut newer = claim.updates.last().expect("an update").clone();
        newer.at += chrono::Duration::hours(2);
        newer.body = "A newer update.".into();
        claim.updates.push(newer);
        Ok(true)
    })
    .expect("rewrites");
    assert_ne!(rows(&first), before.0);
    assert_eq!(
        rows(&second),
        before.1,
        "unchanged update rows were rewritten"
    );
    let (after, awaiting) = pg.heads(&have).expect("heads after the import");
    assert_eq!(awaiting, 1);
    let changed = after.claim(&first).expect("claim");
    assert_eq!(
        changed.updates.len(),
        whole.claim(&first).expect("claim").updates.len() + 1
    );
    assert!(changed.updates.awaited().is_some());
    assert!(
        after
            .claim(&second)
            .expect("claim")
            .updates
            .shares(&have[&second].1)
    );
    // Rows from before migration 5 have no digest: read whole.
    psql(
        &db.url,
        "UPDATE claimdesk_claims SET updates_at = NULL, updates_status = NULL, updates_digest = NULL",
    );
    let (old, awaiting) = pg.heads(&have).expect("heads of old rows");
    assert_eq!(awaiting, 0);
    assert_eq!(old, pg.load().expect("loads"));
    assert!(old.claims.iter().all(|c| c.updates.awaited().is_none()));
}

/// A row of updates that is not exactly one update object is refused by name when the
/// claim's updates are read, as every other row is.
#[test]
fn an_update_row_that_is_not_one_object_is_refused_by_name() {
    use claimdesk::store::pg::{Pg, Url};
    let Some((db, home, _dir, _file)) = desk() else {
        return;
    };
    let id = "3a2f3f9b8cc6911f";
    psql(
        &db.url,
        &format!(
            "UPDATE claimdesk_updates SET doc = doc || ',' || doc WHERE claim_id = '{id}' AND position = 0"
        ),
    );
    let mut pg = Pg::connect(&Url::parse(&db.url).expect("url")).expect("connects");
    let err = pg
        .bodies(&[id.to_owned()])
        .expect_err("two objects in one row");
    assert!(
        err.to_string()
            .contains(&format!("row position 0 of claim {id} is not one update")),
        "{err}"
    );
    let out = claimdesk_in(home.path(), &["list", "-w", &db.url]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("fix or delete that row"),
        "{}",
        stderr(&out)
    );
    // The app shows the list, says which claim's rows do not read, reads the other's, and
    // keeps saying why on that claim's timeline (not "reading" for ever).
    let t = app_on(&db, home.path(), "unreadable");
    let screen = t.wait_for("NOT READ");
    assert!(screen.contains("claim 3a2f"), "{screen}");
    t.wait_for("Timeline 1/");
    t.keys(&["j"]);
    let screen = t.wait_for("Its updates do not read");
    assert!(screen.contains("row position 0"), "{screen}");
    assert!(!screen.contains("reading updates"), "{screen}");
    quits(&t);
}

/// A password given on the command line does not show in the process list: `ps` (any
/// user of the machine) sees the app's arguments with it blanked.
#[test]
fn the_process_list_shows_no_password() {
    let Some((db, home, _dir, _file)) = desk() else {
        return;
    };
    let password = db
        .url
        .split_once('@')
        .and_then(|(head, _)| head.rsplit_once(':'))
        .map(|(_, p)| p.to_owned())
        .expect("the test server's URL has a password");
    let t = app_on(&db, home.path(), "nopwps");
    t.wait_for("2 claims");
    let mut seen = 0;
    for entry in std::fs::read_dir("/proc").expect("/proc") {
        let Ok(entry) = entry else { continue };
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
        // The app itself (tmux's own command line holds the script that started it).
        let program = cmdline.split(' ').next().unwrap_or_default();
        if program.ends_with("/claimdesk") && cmdline.contains(&db.name) {
            seen += 1;
            assert!(!cmdline.contains(&password), "{cmdline}");
            assert!(cmdline.contains("postgres*"), "{cmdline}");
        }
    }
    assert!(seen > 0, "the app's process was not found");
    quits(&t);
}

/// Update rows changed by hand (not through claimdesk, which writes each claim's summary
/// with them) are found by `recover`, which says what to do; doing it makes the app and
/// every command read them whole.
#[test]
fn recover_finds_update_rows_that_their_claims_summary_does_not_match() {
    use claimdesk::store::pg::{Bodies, Pg, Url};
    let Some((db, home, _dir, _file)) = desk() else {
        return;
    };
    let id = "3a2f3f9b8cc6911f";
    let said = ok(home.path(), &["recover", "-w", &db.url]);
    assert!(said.contains("nothing to recover"), "{said}");
    psql(
        &db.url,
        &format!(
            "UPDATE claimdesk_updates SET doc = replace(doc, 'Evidence', 'Hand-edited') WHERE claim_id = '{id}' AND position = 0"
        ),
    );
    psql(
        &db.url,
        "INSERT INTO claimdesk_updates (claim_id, position, doc) SELECT 'nosuchclaim', 0, doc FROM claimdesk_updates LIMIT 1",
    );
    let said = ok(home.path(), &["recover", "-w", &db.url]);
    assert!(
        said.contains(&format!(
            "claim {id}: its row says 304 updates, its update rows are 304 and differ"
        )),
        "{said}"
    );
    assert!(
        said.contains(&format!(
            "UPDATE claimdesk_claims SET updates_digest = NULL WHERE id = '{id}'"
        )),
        "{said}"
    );
    assert!(
        said.contains("1 update rows name claim nosuchclaim, which has no row"),
        "{said}"
    );
    assert!(!said.contains("nothing to recover"), "{said}");
    psql(
        &db.url,
        &format!("UPDATE claimdesk_claims SET updates_digest = NULL WHERE id = '{id}'"),
    );
    let mut pg = Pg::connect(&Url::parse(&db.url).expect("url")).expect("connects");
    let (heads, _) = pg.heads(&Bodies::new()).expect("heads");
    let claim = heads.claim(id).expect("claim");
    assert!(claim.updates.awaited().is_none(), "read whole");
    assert!(claim.updates.iter().any(|u| u.body.contains("Hand-edited")));
}

/// Twelve verdicts on one claim come back in the order they were recorded through every
/// reader: `list` and `show` (the current verdict is the twelfth), `copy` to a file (the
/// file's last review is the twelfth), and the app (its history, and what a colleague's
/// verdict shows live and after the next full read). Reviews were read `ORDER BY seq`
/// where `seq` named the text column, so they came back 1, 10, 11, 12, 2 ….
#[test]
fn more_than_ten_verdicts_read_back_in_the_order_written_everywhere() {
    let Some((db, home, dir, _)) = desk() else {
        return;
    };
    let home = home.path();
    let verdicts = [
        "complete",
        "partial",
        "in_progress",
        "stalled",
        "failed",
        "unverifiable",
        "complete",
        "partial",
        "in_progress",
        "stalled",
        "failed",
        "unverifiable",
    ];
    for (n, v) in verdicts.iter().enumerate() {
        ok(
            home,
            &[
                "verdict",
                "39ed",
                v,
                "--note",
                &format!("number {}", n + 1),
                "-w",
                &db.url,
            ],
        );
    }
    // list: the current verdict is the last one written.
    let list: serde_json::Value =
        serde_json::from_str(&ok(home, &["list", "--json", "-w", &db.url])).expect("json");
    let a = list
        .as_array()
        .and_then(|l| l.iter().find(|c| c["id"] == "39edfb4563007f91"))
        .expect("claim");
    assert_eq!(a["verdict"], "unverifiable");
    // show: every review, in order.
    let show: serde_json::Value =
        serde_json::from_str(&ok(home, &["show", "39ed", "--json", "-w", &db.url])).expect("json");
    let notes: Vec<String> = show["reviews"]
        .as_array()
        .expect("reviews")
        .iter()
        .map(|r| r["note"].as_str().unwrap_or_default().to_owned())
        .collect();
    let want: Vec<String> = (1..=12).map(|n| format!("number {n}")).collect();
    assert_eq!(notes, want);
    // copy to a file: the backup's order is the same.
    let copy = dir.path().join("back.json");
    ok(home, &["copy", &db.url, path_str(&copy)]);
    let back = claimdesk::store::load(&copy).expect("loads");
    let notes: Vec<String> = back
        .claim("39edfb4563007f91")
        .expect("claim")
        .reviews
        .iter()
        .map(|r| r.note.clone())
        .collect();
    assert_eq!(notes, want);
    // The app: the claim's history newest first, and a colleague's thirteenth verdict,
    // live and after a full read again.
    let t = app_on(&db, home, "cd-pg-order");
    t.wait_for("Officials discussed");
    t.keys(&["r"]);
    let screen = t.wait_for("number 12");
    let twelve = screen.find("number 12").expect("12");
    let eleven = screen.find("number 11").expect("11");
    assert!(twelve < eleven, "newest first:\n{screen}");
    t.keys(&["Escape"]);
    ok(
        home,
        &[
            "verdict",
            "39ed",
            "stalled",
            "--note",
            "number 13",
            "-w",
            &db.url,
        ],
    );
    t.wait_until("the thirteenth, live", |s| {
        s.contains("stalled") && !s.contains("Reviews (")
    });
    t.keys(&["r"]);
    t.wait_for("Reviews (13)");
    let screen = t.wait_for("number 13");
    let thirteen = screen.find("number 13").expect("13");
    let twelve = screen.find("number 12").expect("12");
    assert!(thirteen < twelve, "newest first:\n{screen}");
    t.keys(&["Escape"]);
    quits(&t);
    let list: serde_json::Value =
        serde_json::from_str(&ok(home, &["list", "--json", "-w", &db.url])).expect("json");
    let a = list
        .as_array()
        .and_then(|l| l.iter().find(|c| c["id"] == "39edfb4563007f91"))
        .expect("claim");
    assert_eq!(a["verdict"], "stalled");
}
