//! A workspace kept in a PostgreSQL database, for a desk of reviewers who share it: the
//! same claims, updates, follow-ups and reviews as the JSON file, one row each.
//!
//! Each row keeps its object's JSON text exactly as the file's encoder writes it, unknown
//! fields included; a claim's row keeps the claim without its three lists, which have rows
//! of their own. Loading puts the rows back together into the file's JSON and reads that
//! with the file's own loader (a claim's updates with the file's reader for updates), so
//! a database workspace passes every check a file does, and a copy there and back loses
//! nothing. Reviews are append-only rows: two reviewers recording verdicts at once never
//! conflict.
//!
//! The app reads the claim list first (`heads`): each claim's row carries its updates'
//! times and statuses and a digest of their rows, so the list needs no update row; the
//! updates themselves come after (`bodies`), and a reader keeps those whose digest did
//! not change. An import writes anew only the update rows of claims whose digest changed.
//!
//! The tables are made on first use and changed only by numbered migrations, each applied
//! once, in one transaction, under an advisory lock, and recorded in
//! `claimdesk_migrations`. Every statement is parameterised. The password comes from the
//! URL, `$PGPASSWORD` or `~/.pgpass`, and is never part of a message.

use crate::model::{Review, Updates, Workspace};
use postgres::Client;
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::{ToSql, Type};
use serde_json::value::RawValue;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

pub mod live;
mod tls;

/// The schemes of libpq's URL form.
const SCHEMES: [&str; 2] = ["postgres://", "postgresql://"];

/// Whether a workspace argument names a database rather than a file.
pub fn is_url(s: &str) -> bool {
    SCHEMES.iter().any(|p| s.starts_with(p))
}

/// Why a database workspace could not be used. No message holds the password.
#[derive(Debug, thiserror::Error)]
pub enum PgError {
    #[error(
        "{shown}: not a PostgreSQL URL ({why}); the form is postgresql://user@host:port/database"
    )]
    BadUrl { shown: String, why: String },
    /// The server refused: what was asked is wrong (a bad row, a missing right) and
    /// asking again will not change that.
    #[error("{url}: {message}")]
    Server { url: String, message: String },
    /// The server could not be reached, or gave up for now (a lost connection, a lock
    /// held too long, a shutdown): the same request may go in later.
    #[error("{url}: {message}")]
    Unreachable { url: String, message: String },
    #[error(
        "{url}: the database holds no workspace yet; `claimdesk copy FILE {url}` puts one there"
    )]
    NoWorkspace { url: String },
    #[error(
        "{url}: the database holds a workspace already ({claims} claims); copy into an empty database, or copy this one out first"
    )]
    NotEmpty { url: String, claims: i64 },
    #[error(
        "{url}: the database's tables are at version {found}, newer than this claimdesk knows ({known}); use a newer claimdesk"
    )]
    Newer { url: String, found: i32, known: i32 },
    #[error("{url}: {message}")]
    Data { url: String, message: String },
}

/// A database workspace's address: libpq's URL form, with the password filled in from
/// `$PGPASSWORD` or `~/.pgpass` when the URL has none.
#[derive(Clone)]
pub struct Url {
    config: postgres::Config,
    shown: String,
}

impl std::fmt::Debug for Url {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

impl std::fmt::Display for Url {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

impl Url {
    /// Reads a `postgres://` or `postgresql://` URL.
    pub fn parse(text: &str) -> Result<Self, PgError> {
        // libpq reads a password with `@`, `/`, `?` or `#` in it as something else (a
        // host, a database): they must be percent-encoded, and a URL that holds one raw
        // is refused before any part of it could be shown as a host.
        let userinfo = SCHEMES
            .iter()
            .find_map(|s| text.strip_prefix(s))
            .and_then(|rest| rest.rsplit_once('@'))
            .map_or("", |(userinfo, _)| userinfo);
        if userinfo.contains(['@', '/', '?', '#']) {
            return Err(PgError::BadUrl {
                shown: without_password(text),
                why: "a password with @, /, ? or # in it is written percent-encoded (%40, %2F, %3F, %23)".to_owned(),
            });
        }
        // libpq's modes that check the server's certificate are not built: refused,
        // never taken as something weaker.
        if let Some(mode) = ["verify-ca", "verify-full"]
            .into_iter()
            .find(|m| text.contains(&format!("sslmode={m}")))
        {
            return Err(PgError::BadUrl {
                shown: without_password(text),
                why: format!(
                    "sslmode={mode} (checking the server's certificate against an authority) is not built yet; sslmode=require encrypts the connection"
                ),
            });
        }
        let mut config: postgres::Config =
            text.parse().map_err(|e: postgres::Error| PgError::BadUrl {
                shown: without_password(text),
                why: e.to_string(),
            })?;
        if config.get_user().is_none()
            && let Some(user) = std::env::var("PGUSER").ok().filter(|u| !u.is_empty())
        {
            config.user(&user);
        }
        // A desk's administrator sees claimdesk's connections by name.
        if config.get_application_name().is_none() {
            config.application_name("claimdesk");
        }
        // A server that does not answer is given up on, never waited for forever.
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(std::time::Duration::from_secs(5));
        }
        if config.get_tcp_user_timeout().is_none() {
            config.tcp_user_timeout(std::time::Duration::from_secs(15));
        }
        if config.get_password().is_none()
            && let Some(password) = std::env::var("PGPASSWORD")
                .ok()
                .filter(|p| !p.is_empty())
                .or_else(|| pgpass(&config))
        {
            config.password(password);
        }
        let shown = shown(&config);
        Ok(Self { config, shown })
    }

    /// The role the connection logs in as: a reviewer's name by default.
    pub fn user(&self) -> Option<&str> {
        self.config.get_user()
    }
}

/// The URL as messages show it: scheme, user, hosts, ports and database, no password.
fn shown(config: &postgres::Config) -> String {
    use postgres::config::Host;
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let host = match h {
                Host::Tcp(name) if name.contains(':') => format!("[{name}]"),
                Host::Tcp(name) => name.clone(),
                Host::Unix(path) => path.display().to_string(),
            };
            match config.get_ports().get(i).or(config.get_ports().first()) {
                Some(port) => format!("{host}:{port}"),
                None => host,
            }
        })
        .collect();
    let user = config.get_user().map_or(String::new(), |u| format!("{u}@"));
    let db = config.get_dbname().unwrap_or("");
    format!("postgresql://{user}{}/{db}", hosts.join(","))
}

/// What a `postgres://` URL keeps that is never shown, as byte ranges of `url`: the
/// password (everything between the user's `:` and the last `@`: a password may hold
/// `/`, `?` or even `@` unescaped) and the query (which may name one too).
fn secret_parts(url: &str) -> Vec<std::ops::Range<usize>> {
    let Some(scheme) = SCHEMES.iter().find(|s| url.starts_with(*s)) else {
        return Vec::new();
    };
    let start = scheme.len();
    let rest = &url[start..];
    let mut parts = Vec::new();
    let host = match rest.rfind('@') {
        Some(at) => {
            if let Some(colon) = rest[..at].find(':') {
                parts.push(start + colon..start + at);
            }
            start + at + 1
        }
        None => start,
    };
    if let Some(q) = url[host..].find('?') {
        parts.push(host + q..url.len());
    }
    parts
}

/// `text` without the byte ranges `parts` (in order, not overlapping).
fn without(text: &str, parts: &[std::ops::Range<usize>]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for part in parts {
        out.push_str(&text[from..part.start]);
        from = part.end;
    }
    out.push_str(&text[from..]);
    out
}

/// A URL as given, shown with nothing of its password (see `secret_parts`).
fn without_password(text: &str) -> String {
    if !SCHEMES.iter().any(|s| text.starts_with(s)) {
        return "(not a postgresql:// URL)".to_owned();
    }
    without(text, &secret_parts(text))
}

/// Where each `postgres://` URL in `text` keeps what is never shown (see
/// `secret_parts`): a URL runs to the next space or quote.
pub fn secrets_in(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut parts = Vec::new();
    let mut from = 0;
    while let Some(at) = SCHEMES.iter().filter_map(|s| text[from..].find(s)).min() {
        let start = from + at;
        let url = &text[start..];
        let end = url
            .find(|c: char| c.is_whitespace() || matches!(c, '\'' | '"' | '`'))
            .unwrap_or(url.len());
        parts.extend(
            secret_parts(&url[..end])
                .into_iter()
                .map(|p| start + p.start..start + p.end),
        );
        from = start + end;
    }
    parts
}

/// Text for people with the password of every `postgres://` URL in it taken out: the
/// last guard on standard error, where a URL can come back in another's words (a
/// command-line parser quoting an argument it did not expect).
pub fn redact(text: &str) -> String {
    without(text, &secrets_in(text))
}

/// The password `~/.pgpass` (or `$PGPASSFILE`) gives this host, port, database and user,
/// read as libpq reads it: `host:port:database:user:password`, `*` matching anything,
/// `\` escaping `:` and `\`; a file others can read is ignored, as libpq ignores it.
fn pgpass(config: &postgres::Config) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PGPASSFILE")
        .map(std::path::PathBuf::from)
        .or_else(|| directories::BaseDirs::new().map(|d| d.home_dir().join(".pgpass")))?;
    let meta = std::fs::metadata(&path).ok()?;
    if !meta.is_file() || meta.permissions().mode() & 0o077 != 0 || meta.len() > 1 << 20 {
        return None;
    }
    let text = std::fs::read_to_string(&path).ok()?;
    let host = match config.get_hosts().first()? {
        postgres::config::Host::Tcp(name) => name.clone(),
        postgres::config::Host::Unix(_) => "localhost".to_owned(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let db = config.get_dbname().or(config.get_user()).unwrap_or("");
    let user = config.get_user().unwrap_or("");
    let wanted = [host.as_str(), port.as_str(), db, user];
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .find_map(|line| {
            let fields = pgpass_fields(line);
            let matches = fields.len() == 5
                && fields
                    .iter()
                    .zip(wanted)
                    .all(|(field, want)| field == "*" || field == want);
            matches.then(|| fields[4].clone())
        })
}

/// A `.pgpass` line's fields, with `\:` and `\\` unescaped.
fn pgpass_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let (Some(next), Some(field)) = (chars.next(), fields.last_mut()) {
                    field.push(next);
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => {
                if let Some(field) = fields.last_mut() {
                    field.push(c);
                }
            }
        }
    }
    fields
}

/// The migrations, in order: a number, what it makes, its statements. Applied once each;
/// never edited once released (a change is a new migration).
const MIGRATIONS: &[(i32, &str, &str)] = &[
    (
    1,
    "the workspace, its claims, updates, follow-ups and reviews",
    "CREATE TABLE claimdesk_workspace (
         only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
         frame text NOT NULL CHECK (json_typeof(frame::json) = 'object')
     );
     CREATE TABLE claimdesk_claims (
         id text PRIMARY KEY,
         position bigint NOT NULL,
         head text NOT NULL CHECK (json_typeof(head::json) = 'object'),
         version bigint NOT NULL DEFAULT 1
     );
     CREATE TABLE claimdesk_updates (
         claim_id text NOT NULL REFERENCES claimdesk_claims (id),
         position integer NOT NULL,
         doc text NOT NULL CHECK (json_typeof(doc::json) = 'object'),
         PRIMARY KEY (claim_id, position)
     );
     CREATE TABLE claimdesk_follow_ups (
         claim_id text NOT NULL REFERENCES claimdesk_claims (id),
         position integer NOT NULL,
         day date NOT NULL,
         doc text NOT NULL CHECK (json_typeof(doc::json) = 'object'),
         version bigint NOT NULL DEFAULT 1,
         PRIMARY KEY (claim_id, position)
     );
     CREATE INDEX claimdesk_follow_ups_by_day ON claimdesk_follow_ups (claim_id, day);
     CREATE TABLE claimdesk_reviews (
         seq bigserial PRIMARY KEY,
         claim_id text NOT NULL REFERENCES claimdesk_claims (id),
         doc text NOT NULL CHECK (json_typeof(doc::json) = 'object'),
         recorded_by name NOT NULL DEFAULT session_user,
         recorded_at timestamptz NOT NULL DEFAULT now()
     );
     CREATE INDEX claimdesk_reviews_by_claim ON claimdesk_reviews (claim_id, seq);
     -- A reviewer's role records a verdict through this function only (it is granted
     -- EXECUTE, not INSERT): the review is checked for the shape claimdesk writes, and
     -- who recorded it and when are the server's, never the caller's.
     CREATE FUNCTION claimdesk_add_review(claim text, review text) RETURNS bigint
     LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $fn$
     DECLARE
         v json := review::json;
         added bigint;
     BEGIN
         IF json_typeof(v) IS DISTINCT FROM 'object'
            OR json_typeof(v->'reviewer') IS DISTINCT FROM 'string'
            OR json_typeof(v->'note') IS DISTINCT FROM 'string'
            OR json_typeof(v->'at') IS DISTINCT FROM 'string'
            OR (v->>'verdict') IS NULL
            OR (v->>'verdict') NOT IN
               ('complete', 'partial', 'in_progress', 'stalled', 'failed', 'unverifiable')
         THEN
             RAISE EXCEPTION 'not a review: a JSON object with at, reviewer, verdict and note';
         END IF;
         -- A review is recorded now: not backdated, not put in the future.
         IF abs(extract(epoch FROM ((v->>'at')::timestamptz - now()))) > 900 THEN
             RAISE EXCEPTION 'a review is recorded at the time it is made (within 15 minutes of the server''s clock)';
         END IF;
         -- The same review sent again (its reply lost on the way) is the one recorded.
         SELECT seq INTO added FROM claimdesk_reviews WHERE claim_id = claim AND doc = review;
         IF added IS NOT NULL THEN
             RETURN added;
         END IF;
         INSERT INTO claimdesk_reviews (claim_id, doc, recorded_by)
         SELECT id, review, session_user FROM claimdesk_claims WHERE id = claim
         RETURNING seq INTO added;
         IF added IS NULL THEN
             RAISE EXCEPTION 'no claim %', claim;
         END IF;
         RETURN added;
     END
     $fn$;
     REVOKE ALL ON FUNCTION claimdesk_add_review(text, text) FROM PUBLIC;",
    ),
    (
        2,
        "live: every change is announced; a verdict queued offline goes in late",
        // Announced on the `claimdesk` channel when the transaction commits, so that an
        // open screen shows a colleague's work: `reviews <seq>,<seq>…` for verdicts (or
        // `workspace <role>` when there are too many to name), `workspace <role>` for
        // any other change (an import, a follow-up, a title). Statement triggers: a
        // copy of a million rows says so once.
        "CREATE FUNCTION claimdesk_announce_reviews() RETURNS trigger
         LANGUAGE plpgsql SET search_path = public, pg_temp AS $fn$
         DECLARE
             seqs text;
         BEGIN
             SELECT string_agg(seq::text, ',' ORDER BY seq) INTO seqs FROM added;
             IF seqs IS NOT NULL THEN
                 PERFORM pg_notify('claimdesk', CASE
                     WHEN length(seqs) <= 7000 THEN 'reviews ' || seqs
                     ELSE 'workspace ' || session_user END);
             END IF;
             RETURN NULL;
         END
         $fn$;
         CREATE TRIGGER claimdesk_reviews_announced AFTER INSERT ON claimdesk_reviews
             REFERENCING NEW TABLE AS added
             FOR EACH STATEMENT EXECUTE FUNCTION claimdesk_announce_reviews();
         CREATE FUNCTION claimdesk_announce_change() RETURNS trigger
         LANGUAGE plpgsql SET search_path = public, pg_temp AS $fn$
         BEGIN
             PERFORM pg_notify('claimdesk', 'workspace ' || session_user);
             RETURN NULL;
         END
         $fn$;
         CREATE TRIGGER claimdesk_workspace_announced
             AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON claimdesk_workspace
             FOR EACH STATEMENT EXECUTE FUNCTION claimdesk_announce_change();
         CREATE TRIGGER claimdesk_claims_announced
             AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON claimdesk_claims
             FOR EACH STATEMENT EXECUTE FUNCTION claimdesk_announce_change();
         CREATE TRIGGER claimdesk_updates_announced
             AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON claimdesk_updates
             FOR EACH STATEMENT EXECUTE FUNCTION claimdesk_announce_change();
         CREATE TRIGGER claimdesk_follow_ups_announced
             AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON claimdesk_follow_ups
             FOR EACH STATEMENT EXECUTE FUNCTION claimdesk_announce_change();
         -- A verdict recorded while the server was away is sent when it is back, with the
         -- time it was made: a review may be late, never in the future. When it reached
         -- the server is `recorded_at`, the server's own clock.
         CREATE OR REPLACE FUNCTION claimdesk_add_review(claim text, review text) RETURNS bigint
         LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $fn$
         DECLARE
             v json := review::json;
             added bigint;
         BEGIN
             IF json_typeof(v) IS DISTINCT FROM 'object'
                OR json_typeof(v->'reviewer') IS DISTINCT FROM 'string'
                OR json_typeof(v->'note') IS DISTINCT FROM 'string'
                OR json_typeof(v->'at') IS DISTINCT FROM 'string'
                OR (v->>'verdict') IS NULL
                OR (v->>'verdict') NOT IN
                   ('complete', 'partial', 'in_progress', 'stalled', 'failed', 'unverifiable')
             THEN
                 RAISE EXCEPTION 'not a review: a JSON object with at, reviewer, verdict and note';
             END IF;
             IF (v->>'at')::timestamptz > now() + interval '15 minutes' THEN
                 RAISE EXCEPTION 'a review cannot be recorded in the future (more than 15 minutes ahead of the server''s clock)';
             END IF;
             -- The same review sent again (its reply lost, or queued and sent twice) is
             -- the one recorded.
             SELECT seq INTO added FROM claimdesk_reviews WHERE claim_id = claim AND doc = review;
             IF added IS NOT NULL THEN
                 RETURN added;
             END IF;
             INSERT INTO claimdesk_reviews (claim_id, doc, recorded_by)
             SELECT id, review, session_user FROM claimdesk_claims WHERE id = claim
             RETURNING seq INTO added;
             IF added IS NULL THEN
                 RAISE EXCEPTION 'no claim %', claim;
             END IF;
             RETURN added;
         END
         $fn$;",
    ),
    (
        3,
        "edits to titles, tags and follow-ups, each checked against the server's copy",
        // A reviewer's role changes a claim's head and follow-ups through this function
        // only (it is granted EXECUTE, not UPDATE): the claim is changed only if it is
        // still as the caller read it (`seen_*`), else `changed` comes back and nothing
        // is written; the caller reads it again and sees whether the part it changes is
        // the one that moved. Who changed a claim last, and when, are the server's.
        "ALTER TABLE claimdesk_claims ADD COLUMN changed_by name, ADD COLUMN changed_at timestamptz;
         CREATE FUNCTION claimdesk_put_claim(claim text, seen_head text, seen_follow_ups text[],
                                             new_head text, new_follow_ups text[]) RETURNS text
         LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $fn$
         DECLARE
             now_head text;
             now_follow_ups text[];
         BEGIN
             SELECT c.head INTO now_head FROM claimdesk_claims c WHERE c.id = claim FOR UPDATE;
             IF now_head IS NULL THEN
                 RAISE EXCEPTION 'no claim %', claim;
             END IF;
             SELECT coalesce(array_agg(f.doc ORDER BY f.position), '{}') INTO now_follow_ups
             FROM claimdesk_follow_ups f WHERE f.claim_id = claim;
             IF now_head IS DISTINCT FROM seen_head
                OR now_follow_ups IS DISTINCT FROM coalesce(seen_follow_ups, '{}') THEN
                 RETURN 'changed';
             END IF;
             IF json_typeof(new_head::json) IS DISTINCT FROM 'object'
                OR (new_head::json->>'id') IS DISTINCT FROM claim
                OR new_head::json->'updates' IS NOT NULL
                OR new_head::json->'follow_ups' IS NOT NULL
                OR new_head::json->'reviews' IS NOT NULL THEN
                 RAISE EXCEPTION 'not the head of claim %', claim;
             END IF;
             UPDATE claimdesk_claims c
             SET head = new_head, version = c.version + 1, changed_by = session_user,
                 changed_at = now()
             WHERE c.id = claim;
             DELETE FROM claimdesk_follow_ups f WHERE f.claim_id = claim;
             INSERT INTO claimdesk_follow_ups (claim_id, position, day, doc)
             SELECT claim, (t.n - 1)::integer, (t.doc::json->>'date')::date, t.doc
             FROM unnest(coalesce(new_follow_ups, '{}')) WITH ORDINALITY AS t(doc, n);
             RETURN 'done';
         END
         $fn$;
         REVOKE ALL ON FUNCTION claimdesk_put_claim(text, text, text[], text, text[]) FROM PUBLIC;",
    ),
    (
        4,
        "presence: who has which claim open",
        // Each open app says which claim it shows (a session of its own, a random id);
        // the function keeps who it is (the role) and when, and announces `presence`.
        // Rows not renewed for 10 minutes go; readers count 90 seconds as present.
        "CREATE TABLE claimdesk_presence (
             session text PRIMARY KEY,
             role name NOT NULL DEFAULT session_user,
             claim_id text NOT NULL,
             seen_at timestamptz NOT NULL DEFAULT now()
         );
         CREATE FUNCTION claimdesk_here(session_id text, claim text) RETURNS void
         LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $fn$
         BEGIN
             IF claim IS NULL THEN
                 DELETE FROM claimdesk_presence p
                 WHERE p.session = session_id AND p.role = session_user;
             ELSE
                 INSERT INTO claimdesk_presence AS p (session, role, claim_id, seen_at)
                 VALUES (session_id, session_user, claim, now())
                 ON CONFLICT (session) DO UPDATE
                 SET claim_id = EXCLUDED.claim_id, seen_at = now()
                 WHERE p.role = session_user;
             END IF;
             DELETE FROM claimdesk_presence p WHERE p.seen_at < now() - interval '10 minutes';
             PERFORM pg_notify('claimdesk', 'presence ' || session_user);
         END
         $fn$;
         REVOKE ALL ON FUNCTION claimdesk_here(text, text) FROM PUBLIC;",
    ),
    (
        5,
        "the claim list read before the updates' bodies",
        // Each claim row carries its updates' times and statuses (what the claim list
        // shows) and a digest of their rows, written with them by the one client that
        // writes updates (a copy or an import): an app reads the list from the claims
        // alone, then the bodies, and keeps those whose digest did not change. A row
        // from before this migration has none, and its updates are read whole.
        //
        // Writing updates goes faster: no foreign key checked row by row (a claim is
        // never deleted, and a row of no claim is never read), no JSON check on the
        // server (claimdesk checks each row as it reads it, as it always has), and the
        // bodies compressed with lz4 where the server has it, else not at all.
        "ALTER TABLE claimdesk_claims
             ADD COLUMN updates_at text[],
             ADD COLUMN updates_status text[],
             ADD COLUMN updates_digest bigint;
         ALTER TABLE claimdesk_updates
             DROP CONSTRAINT IF EXISTS claimdesk_updates_claim_id_fkey,
             DROP CONSTRAINT IF EXISTS claimdesk_updates_doc_check;
         DO $do$
         BEGIN
             EXECUTE 'ALTER TABLE claimdesk_updates ALTER doc SET COMPRESSION lz4';
         EXCEPTION WHEN OTHERS THEN
             ALTER TABLE claimdesk_updates ALTER doc SET STORAGE EXTERNAL;
         END
         $do$;",
    ),
];

/// The advisory lock migrations take, so that two first connections do not both make
/// the tables ("claimdesk" in ASCII).
const MIGRATION_LOCK: i64 = 0x636c_6169_6d64_6573;

/// What a copy put in the database.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub claims: usize,
    pub updates: usize,
    pub follow_ups: usize,
    pub reviews: usize,
}

impl Counts {
    pub fn of(workspace: &Workspace) -> Self {
        Self {
            claims: workspace.claims.len(),
            updates: workspace.claims.iter().map(|c| c.updates.len()).sum(),
            follow_ups: workspace.claims.iter().map(|c| c.follow_ups.len()).sum(),
            reviews: workspace.claims.iter().map(|c| c.reviews.len()).sum(),
        }
    }
}

/// An open connection to a database workspace, its tables up to date.
pub struct Pg {
    client: Client,
    /// The server process serving this connection: what it announces, its listener
    /// knows for this session's own (see `live`).
    pid: std::sync::Arc<std::sync::atomic::AtomicI32>,
    url: String,
    /// How to connect again after the connection was lost (a server restarted).
    config: postgres::Config,
}

impl std::fmt::Debug for Pg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Pg({})", self.url)
    }
}

impl Pg {
    /// Connects and brings the tables up to this claimdesk's version.
    pub fn connect(url: &Url) -> Result<Self, PgError> {
        let client = url
            .config
            .connect(tls::connector())
            .map_err(|e| unreachable(&url.shown, &e))?;
        let mut pg = Self {
            client,
            pid: std::sync::Arc::default(),
            url: url.shown.clone(),
            config: url.config.clone(),
        };
        pg.settle()?;
        pg.migrate()?;
        Ok(pg)
    }

    /// `connect`, given up after `limit`: a server that accepts the connection but never
    /// answers (hung, or behind a proxy that stopped) cannot hold up the caller. The
    /// attempt left behind ends on its own when the server answers or the socket dies.
    pub fn connect_within(url: &Url, limit: std::time::Duration) -> Result<Self, PgError> {
        let (tx, rx) = std::sync::mpsc::channel();
        let target = url.clone();
        std::thread::spawn(move || {
            let _ = tx.send(Self::connect(&target));
        });
        rx.recv_timeout(limit).unwrap_or_else(|_| {
            Err(PgError::Unreachable {
                url: url.shown.clone(),
                message: format!("the server does not answer (waited {} s)", limit.as_secs()),
            })
        })
    }

    /// What every connection sets: waiting for another's lock has an end (a screen must
    /// not freeze behind one), and it is said which lock.
    fn settle(&mut self) -> Result<(), PgError> {
        self.client
            .batch_execute("SET lock_timeout = '10s'")
            .map_err(|e| unreachable(&self.url, &e))?;
        let pid: i32 = self
            .client
            .query_one("SELECT pg_backend_pid()", &[])
            .map_err(|e| unreachable(&self.url, &e))?
            .get(0);
        self.pid.store(pid, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }

    /// The server process of this connection, kept up to date across reconnections:
    /// a listener skips what this connection announced (the screen has it already).
    pub fn own_process(&self) -> std::sync::Arc<std::sync::atomic::AtomicI32> {
        std::sync::Arc::clone(&self.pid)
    }

    /// Connects again when the connection was lost, so that a verdict recorded once the
    /// server is back goes in, in a session that outlived its first connection.
    fn reconnect_if_lost(&mut self) -> Result<(), PgError> {
        if self.client.is_closed() {
            self.client = self
                .config
                .connect(tls::connector())
                .map_err(|e| unreachable(&self.url, &e))?;
            self.settle()?;
        }
        Ok(())
    }

    fn data(&self, message: impl std::fmt::Display) -> PgError {
        PgError::Data {
            url: self.url.clone(),
            message: message.to_string(),
        }
    }

    /// Applies the migrations this database has not had, each once, in one transaction.
    /// A database that has them all is only read: a reviewer's role, which may not
    /// create tables, connects to it as well.
    fn migrate(&mut self) -> Result<(), PgError> {
        let known = MIGRATIONS.last().map_or(0, |m| m.0);
        let url = self.url.clone();
        let exists: bool = self
            .client
            .query_one(
                "SELECT to_regclass('claimdesk_migrations') IS NOT NULL",
                &[],
            )
            .map_err(|e| fail(&url, &e))?
            .get(0);
        let newest: Option<i32> = if exists {
            self.client
                // Cast, so that a table of the same name made by another tool is an error
                // that says so, never a column read as the wrong type.
                .query_one(
                    "SELECT max(version::integer) FROM claimdesk_migrations",
                    &[],
                )
                .map_err(|e| fail(&url, &e))?
                .get(0)
        } else {
            None
        };
        match newest {
            Some(found) if found > known => {
                return Err(PgError::Newer { url, found, known });
            }
            Some(found) if found == known => return Ok(()),
            _ => {}
        }
        let mut tx = self.client.transaction().map_err(|e| fail(&url, &e))?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .map_err(|e| fail(&url, &e))?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS claimdesk_migrations (
                 version integer PRIMARY KEY,
                 name text NOT NULL,
                 applied_at timestamptz NOT NULL DEFAULT now()
             )",
        )
        .map_err(|e| fail(&url, &e))?;
        let applied: Vec<i32> = tx
            .query("SELECT version::integer FROM claimdesk_migrations", &[])
            .map_err(|e| fail(&url, &e))?
            .iter()
            .map(|r| r.get(0))
            .collect();
        if let Some(&found) = applied.iter().max().filter(|&&v| v > known) {
            return Err(PgError::Newer {
                url: url.clone(),
                found,
                known,
            });
        }
        for (version, name, statements) in MIGRATIONS {
            if applied.contains(version) {
                continue;
            }
            tx.batch_execute(statements).map_err(|e| fail(&url, &e))?;
            tx.execute(
                "INSERT INTO claimdesk_migrations (version, name) VALUES ($1, $2)",
                &[version, name],
            )
            .map_err(|e| fail(&url, &e))?;
        }
        tx.commit().map_err(|e| fail(&url, &e))
    }

    /// The whole workspace: the rows put back together into the file's JSON, read by the
    /// file's own loader.
    pub fn load(&mut self) -> Result<Workspace, PgError> {
        let url = self.url.clone();
        self.reading(|tx| load_in(tx, &url)?.ok_or(PgError::NoWorkspace { url: url.clone() }))
    }

    /// The workspace with what its claim list shows read, and each claim's updates kept
    /// from `have` where they did not change, else stand-ins awaiting their bodies (see
    /// `Updates::awaiting` and `bodies`); also how many claims await theirs.
    pub fn heads(&mut self, have: &Bodies) -> Result<(Workspace, usize), PgError> {
        let url = self.url.clone();
        self.reading(|tx| {
            heads_in(tx, &url, Some(have))?.ok_or(PgError::NoWorkspace { url: url.clone() })
        })
    }

    /// The updates of the claims `ids`, read whole: by claim, the digest its stand-ins
    /// await and the list.
    pub fn bodies(&mut self, ids: &[String]) -> Result<Vec<(String, u64, Updates)>, PgError> {
        let url = self.url.clone();
        self.reading(|tx| bodies_in(tx, &url, ids))
    }

    /// Runs `read` in a read-only transaction that sees one moment of the database.
    fn reading<T>(
        &mut self,
        read: impl FnOnce(&mut postgres::Transaction<'_>) -> Result<T, PgError>,
    ) -> Result<T, PgError> {
        self.reconnect_if_lost()?;
        let url = self.url.clone();
        let mut tx = self
            .client
            .build_transaction()
            .read_only(true)
            .isolation_level(postgres::IsolationLevel::RepeatableRead)
            .start()
            .map_err(|e| fail(&url, &e))?;
        let value = read(&mut tx)?;
        tx.commit().map_err(|e| fail(&url, &e))?;
        Ok(value)
    }

    /// Puts a whole workspace into a database that holds none, in one transaction: all
    /// of it or nothing.
    pub fn copy_in(&mut self, workspace: &Workspace) -> Result<Counts, PgError> {
        let ordered = in_order(workspace);
        let encoding = Encoding::of(&ordered).map_err(|e| self.data(e))?;
        let url = self.url.clone();
        let mut tx = self.client.transaction().map_err(|e| fail(&url, &e))?;
        lock(&mut tx, &url)?;
        let claims: i64 = tx
            .query_one("SELECT count(*) FROM claimdesk_claims", &[])
            .map_err(|e| fail(&url, &e))?
            .get(0);
        let framed = tx
            .query_opt("SELECT 1 FROM claimdesk_workspace", &[])
            .map_err(|e| fail(&url, &e))?
            .is_some();
        if claims > 0 || framed {
            return Err(PgError::NotEmpty { url, claims });
        }
        write_in(&mut tx, &url, &encoding)?;
        tx.commit().map_err(|e| fail(&url, &e))?;
        Ok(Counts::of(workspace))
    }

    /// Changes the whole workspace in one transaction, with every writer kept out
    /// meanwhile: `change` gets the workspace as it is now (an empty one where the
    /// database holds none) and says whether to write what it made of it. An import's
    /// way: the same merge as into a file, all of it or nothing; the review rows stay as
    /// they are (see `update_in`), and a review another reviewer records meanwhile waits
    /// for the lock, then goes in.
    pub fn rewrite<E: From<PgError>>(
        &mut self,
        change: impl FnOnce(&mut Workspace) -> Result<bool, E>,
    ) -> Result<(), E> {
        let url = self.url.clone();
        let mut tx = self.client.transaction().map_err(|e| fail(&url, &e))?;
        lock(&mut tx, &url)?;
        let mut workspace = load_in(&mut tx, &url)?.unwrap_or_default();
        if !change(&mut workspace)? {
            return Ok(());
        }
        let ordered = in_order(&workspace);
        let encoding = Encoding::of(&ordered).map_err(|e| PgError::Data {
            url: url.clone(),
            message: e,
        })?;
        let rows = Rows::of(&encoding).map_err(|e| PgError::Data {
            url: url.clone(),
            message: e,
        })?;
        update_in(&mut tx, &url, &rows)?;
        tx.commit().map_err(|e| fail(&url, &e))?;
        Ok(())
    }

    /// Makes an edit of the app's durable: a verdict (or a batch of verdicts, one for
    /// each marked claim, all or none) as rows of their own. The app refuses every other
    /// edit on a database before it is made; one that comes here anyway is refused too.
    pub fn record(&mut self, edit: &crate::model::Edit) -> Result<(), PgError> {
        use crate::model::Edit;
        let reviews: Vec<(&str, &Review)> = match edit {
            Edit::AddReview { claim, review } => vec![(claim.as_str(), review)],
            Edit::Batch { edits } => edits
                .iter()
                .map(|e| match e {
                    Edit::AddReview { claim, review } => Some((claim.as_str(), review)),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| self.data("only verdicts are recorded in a database so far"))?,
            _ => return Err(self.data("only verdicts are recorded in a database so far")),
        };
        // A connection the server dropped is only found closed by the next statement: then
        // once more over a new one (the function takes the same review sent twice as one).
        match self.record_reviews(&reviews) {
            Err(_) if self.client.is_closed() => self.record_reviews(&reviews),
            done => done,
        }
    }

    fn record_reviews(&mut self, reviews: &[(&str, &Review)]) -> Result<(), PgError> {
        self.reconnect_if_lost()?;
        let url = self.url.clone();
        let mut tx = self.client.transaction().map_err(|e| fail(&url, &e))?;
        for &(claim, review) in reviews {
            let doc = serde_json::to_string(review).map_err(|e| PgError::Data {
                url: url.clone(),
                message: e.to_string(),
            })?;
            tx.query_one("SELECT claimdesk_add_review($1, $2)", &[&claim, &doc])
                .map_err(|e| fail(&url, &e))?;
        }
        tx.commit().map_err(|e| fail(&url, &e))
    }
}

/// How an edit to titles, tags or follow-ups went (see `Pg::share`).
#[derive(Debug, Clone, PartialEq)]
pub enum Shared {
    Done,
    /// Someone changed the part the edit changes since it was read: nothing was
    /// written. Says who (when the server knows) and what the part is now.
    Conflict(String),
}

impl Pg {
    /// Says which claim this app shows (`None`: none, the app is closing), for the
    /// others' screens (see migration 4).
    pub fn here(&mut self, session: &str, claim: Option<&str>) -> Result<(), PgError> {
        self.reconnect_if_lost()?;
        let url = self.url.clone();
        self.client
            .execute("SELECT claimdesk_here($1, $2)", &[&session, &claim])
            .map(|_| ())
            .map_err(|e| fail(&url, &e))
    }

    /// Who has which claim open now: (session, role, claim), seen in the last 90 s.
    pub fn present(&mut self) -> Result<Vec<(String, String, String)>, PgError> {
        let url = self.url.clone();
        Ok(self
            .client
            .query(
                "SELECT session, role::text, claim_id FROM claimdesk_presence
                 WHERE seen_at > now() - interval '90 seconds' ORDER BY role, session",
                &[],
            )
            .map_err(|e| fail(&url, &e))?
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect())
    }
}

/// What `recover` says of a database: its tables' version and how many rows they hold.
#[derive(Debug, Clone)]
pub struct Health {
    pub migration: i32,
    pub known: i32,
    pub counts: Counts,
}

impl Pg {
    /// The tables' version and row counts, read without reading any row's text (so that
    /// it answers when a row is damaged).
    pub fn health(&mut self) -> Result<Health, PgError> {
        let url = self.url.clone();
        let row = self
            .client
            .query_one(
                "SELECT (SELECT max(version::integer) FROM claimdesk_migrations),
                        (SELECT count(*) FROM claimdesk_claims),
                        (SELECT count(*) FROM claimdesk_updates),
                        (SELECT count(*) FROM claimdesk_follow_ups),
                        (SELECT count(*) FROM claimdesk_reviews)",
                &[],
            )
            .map_err(|e| fail(&url, &e))?;
        let n = |i: usize| usize::try_from(row.get::<_, i64>(i)).unwrap_or(0);
        Ok(Health {
            migration: row.get::<_, Option<i32>>(0).unwrap_or(0),
            known: MIGRATIONS.last().map_or(0, |m| m.0),
            counts: Counts {
                claims: n(1),
                updates: n(2),
                follow_ups: n(3),
                reviews: n(4),
            },
        })
    }
}

impl Pg {
    /// Where the claims' rows do not say what their update rows are (see migration 5):
    /// update rows of no claim, and claims whose summary (how many updates, their
    /// digest) differs from their rows, each said with what to do. Reads every update
    /// row.
    pub fn summaries_off(&mut self) -> Result<Vec<String>, PgError> {
        use postgres::fallible_iterator::FallibleIterator;
        let url = self.url.clone();
        self.reading(|tx| {
            let mut off = Vec::new();
            for row in tx
                .query(
                    "SELECT u.claim_id::text, count(*) FROM claimdesk_updates u
                     WHERE NOT EXISTS (SELECT 1 FROM claimdesk_claims c WHERE c.id = u.claim_id)
                     GROUP BY u.claim_id ORDER BY u.claim_id",
                    &[],
                )
                .map_err(|e| fail(&url, &e))?
            {
                let (id, n): (String, i64) = (row.get(0), row.get(1));
                off.push(format!(
                    "{n} update rows name claim {id}, which has no row: no command reads them; delete them, or copy the claim in again"
                ));
            }
            let said: HashMap<String, (usize, Option<i64>)> = tx
                .query(
                    "SELECT id::text, cardinality(updates_at), updates_digest FROM claimdesk_claims",
                    &[],
                )
                .map_err(|e| fail(&url, &e))?
                .iter()
                .map(|r| {
                    let n: Option<i32> = r.get(1);
                    (r.get(0), (n.map_or(0, |n| n as usize), r.get(2)))
                })
                .collect();
            let mut rows = tx
                .query_raw(
                    "SELECT claim_id::text, doc::text FROM claimdesk_updates ORDER BY claim_id, position",
                    std::iter::empty::<&(dyn ToSql + Sync)>(),
                )
                .map_err(|e| fail(&url, &e))?;
            let mut found: HashMap<String, (usize, u64)> = HashMap::new();
            let mut current: Option<(String, Vec<String>)> = None;
            let mut done = |claim: Option<(String, Vec<String>)>| {
                if let Some((id, docs)) = claim {
                    let hash = digest(docs.iter().map(String::as_str));
                    found.insert(id, (docs.len(), hash));
                }
            };
            while let Some(row) = rows.next().map_err(|e| fail(&url, &e))? {
                let (id, doc): (String, String) = (row.get(0), row.get(1));
                if current.as_ref().is_none_or(|(c, _)| *c != id) {
                    done(current.take());
                    current = Some((id, Vec::new()));
                }
                if let Some((_, docs)) = current.as_mut() {
                    docs.push(doc);
                }
            }
            done(current.take());
            let mut ids: Vec<&String> = said.keys().collect();
            ids.sort();
            for id in ids {
                let (n, stored) = said[id];
                let Some(stored) = stored else { continue };
                let (rows, hash) = found.get(id).copied().unwrap_or((0, digest(std::iter::empty())));
                if rows != n || hash != stored as u64 {
                    off.push(format!(
                        "claim {id}: its row says {n} updates, its update rows are {rows}{}: the claim list shows what its row says until the rows are read, and an open app keeps the updates it read; `UPDATE claimdesk_claims SET updates_digest = NULL WHERE id = '{id}'` makes every app read its rows whole (an import writes the summary anew)",
                        if rows == n { " and differ from what they were" } else { "" }
                    ));
                }
            }
            Ok(off)
        })
    }
}

/// One claim as the server holds it: the rows' text, and the claim read from them.
struct Held {
    head: String,
    follow_ups: Vec<String>,
    changed_by: Option<String>,
    claim: crate::model::Claim,
}

impl Pg {
    /// Makes an edit to titles, tags or follow-ups (one, or a batch across claims) on the
    /// server's copy, all of it or none: each claim it touches is read, the part the
    /// edit changes compared with `before` (the claims as the edit's maker saw them),
    /// and the edit applied to the server's copy and written back, only where the claim
    /// is still as it was read. A claim changed between the read and the write is read
    /// again (a few times); a part someone else changed is a conflict, and nothing is
    /// written.
    pub fn share(
        &mut self,
        edit: &crate::model::Edit,
        before: &[crate::model::Claim],
    ) -> Result<Shared, PgError> {
        self.reconnect_if_lost()?;
        for _ in 0..5 {
            match self.share_once(edit, before)? {
                Some(done) => return Ok(done),
                None => continue,
            }
        }
        Err(PgError::Unreachable {
            url: self.url.clone(),
            message: "the claim kept changing under the edit; try again".to_owned(),
        })
    }

    /// One try: `None` when a claim changed between the read and the write.
    fn share_once(
        &mut self,
        edit: &crate::model::Edit,
        before: &[crate::model::Claim],
    ) -> Result<Option<Shared>, PgError> {
        let url = self.url.clone();
        let mut ids: Vec<&str> = Vec::new();
        for leaf in edit.leaves() {
            if !ids.contains(&leaf.claim_id()) {
                ids.push(leaf.claim_id());
            }
        }
        let mut tx = self.client.transaction().map_err(|e| fail(&url, &e))?;
        let frame: String = tx
            .query_one("SELECT frame::text FROM claimdesk_workspace", &[])
            .map_err(|e| fail(&url, &e))?
            .get(0);
        for id in ids {
            let held = held_claim(&mut tx, &url, &frame, id)?;
            // The claim as the edit's maker saw it, moved along by each step of a batch
            // as the server's copy is.
            let mut seen = Workspace {
                claims: before.iter().filter(|c| c.id == id).cloned().collect(),
                ..Workspace::default()
            };
            let mut workspace = Workspace {
                claims: vec![held.claim.clone()],
                ..Workspace::default()
            };
            for leaf in edit.leaves().into_iter().filter(|l| l.claim_id() == id) {
                let now = crate::model::edit::part(&workspace.claims[0], leaf);
                let was = seen
                    .claims
                    .first()
                    .map(|c| crate::model::edit::part(c, leaf));
                if !was.as_ref().is_some_and(|was| was.same_as(&now)) {
                    let who = held.changed_by.as_deref().unwrap_or("someone");
                    return Ok(Some(Shared::Conflict(format!(
                        "{} changed claim {} meanwhile: {}",
                        crate::model::display_safe(who),
                        id.chars().take(4).collect::<String>(),
                        now.describe()
                    ))));
                }
                crate::model::edit::apply(&mut workspace, leaf).map_err(|e| PgError::Data {
                    url: url.clone(),
                    message: e.to_string(),
                })?;
                let _ = crate::model::edit::apply(&mut seen, leaf);
            }
            let ordered = in_order(&workspace);
            let (head, follow_ups) = Encoding::of(&ordered)
                .and_then(|encoding| {
                    let rows = Rows::of(&encoding)?;
                    let head = rows.claims.first().map(|c| c.head.clone());
                    let follow_ups: Vec<String> =
                        rows.follow_ups.iter().map(|f| f.3.to_owned()).collect();
                    Ok((head.unwrap_or_default(), follow_ups))
                })
                .map_err(|e| PgError::Data {
                    url: url.clone(),
                    message: e,
                })?;
            let answer: String = tx
                .query_one(
                    "SELECT claimdesk_put_claim($1, $2, $3, $4, $5)",
                    &[&id, &held.head, &held.follow_ups, &head, &follow_ups],
                )
                .map_err(|e| fail(&url, &e))?
                .get(0);
            if answer != "done" {
                return Ok(None);
            }
        }
        tx.commit().map_err(|e| fail(&url, &e))?;
        Ok(Some(Shared::Done))
    }
}

/// One claim's head and follow-ups as the server holds them, read into a claim (with no
/// updates or reviews: an edit to its head or follow-ups needs neither).
fn held_claim(
    tx: &mut postgres::Transaction<'_>,
    url: &str,
    frame: &str,
    id: &str,
) -> Result<Held, PgError> {
    let data = |message: String| PgError::Data {
        url: url.to_owned(),
        message,
    };
    let row = tx
        .query_opt(
            "SELECT head::text, changed_by::text FROM claimdesk_claims WHERE id = $1",
            &[&id],
        )
        .map_err(|e| fail(url, &e))?
        .ok_or_else(|| data(format!("no claim {id}")))?;
    let (head, changed_by): (String, Option<String>) = (row.get(0), row.get(1));
    let follow_ups: Vec<String> = tx
        .query(
            "SELECT doc::text FROM claimdesk_follow_ups WHERE claim_id = $1 ORDER BY position",
            &[&id],
        )
        .map_err(|e| fail(url, &e))?
        .iter()
        .map(|r| r.get(0))
        .collect();
    object(&head).map_err(|why| data(format!("claimdesk_claims row {id} {why}")))?;
    for doc in &follow_ups {
        object(doc).map_err(|why| data(format!("a follow-up of claim {id} {why}")))?;
    }
    let mut json = open_object(frame).ok_or_else(|| data("the frame is not an object".into()))?;
    let claim_open =
        open_object(&head).ok_or_else(|| data(format!("claim {id}: its row is not an object")))?;
    json.push_str(&format!(
        "\"claims\":[{claim_open}\"updates\":[],\"follow_ups\":[{}],\"reviews\":[]}}]}}",
        follow_ups.join(",")
    ));
    let workspace =
        super::parse(Path::new(url), json.as_bytes()).map_err(|e| data(e.to_string()))?;
    let mut claim = workspace
        .claims
        .into_iter()
        .next()
        .ok_or_else(|| data(format!("claim {id} did not read back")))?;
    // Written anew from its fields, as every row is (see `load_in`).
    claim.origin = crate::model::Origin::default();
    Ok(Held {
        head,
        follow_ups,
        changed_by,
        claim,
    })
}

/// A server's error, named by the database's URL.
fn fail(url: &str, e: &postgres::Error) -> PgError {
    let (url, message) = (url.to_owned(), message(e));
    match e.as_db_error().map(|db| db.code().code()) {
        // Data (22), integrity (23), syntax or rights (42), a function's own refusal
        // (P0): the request itself is wrong. Anything else is the server's state.
        Some(code) if ["22", "23", "42", "P0"].iter().any(|c| code.starts_with(c)) => {
            PgError::Server { url, message }
        }
        _ => PgError::Unreachable { url, message },
    }
}

/// A failure to connect: whatever the server says (no such database, a password it
/// refuses, CONNECT taken away for maintenance), it is about this connection, never about
/// what was to be sent over it, which may go in once connecting works again.
fn unreachable(url: &str, e: &postgres::Error) -> PgError {
    PgError::Unreachable {
        url: url.to_owned(),
        message: message(e),
    }
}

impl PgError {
    /// What happened, without the database's address (for a screen that shows it).
    pub fn reason(&self) -> String {
        match self {
            Self::Server { message, .. }
            | Self::Unreachable { message, .. }
            | Self::Data { message, .. } => message.clone(),
            other => other.to_string(),
        }
    }

    /// Whether the same request may go in later (see `Unreachable`).
    pub fn may_go_in_later(&self) -> bool {
        matches!(self, Self::Unreachable { .. })
    }
}

/// Keeps every other writer out until the transaction ends (readers go on).
fn lock(tx: &mut postgres::Transaction<'_>, url: &str) -> Result<(), PgError> {
    tx.batch_execute(
        // Reviews first: a verdict takes the reviews table, then the claims (its key
        // check); taking them the other way round deadlocked an import with verdicts.
        "LOCK TABLE claimdesk_reviews, claimdesk_workspace, claimdesk_claims,
                    claimdesk_updates, claimdesk_follow_ups IN EXCLUSIVE MODE",
    )
    .map_err(|e| fail(url, &e))
}

/// What a reader already holds of claims' updates: by claim, the digest the database
/// gave the list and the list read. A read keeps each list whose digest is unchanged.
pub type Bodies = HashMap<String, (u64, Updates)>;

/// The workspace the tables hold, read in `tx`, every claim whole; `None` where they
/// hold none.
fn load_in(tx: &mut postgres::Transaction<'_>, url: &str) -> Result<Option<Workspace>, PgError> {
    heads_in(tx, url, None).map(|read| read.map(|(workspace, _)| workspace))
}

/// The workspace the tables hold, read in `tx` (`None` where they hold none), with each
/// claim's updates either read whole (`have` is `None`, or the claim's row has no digest),
/// or kept from `have` where its digest is unchanged, or else stand-ins awaiting their
/// bodies (see `Updates::awaiting`). Also says how many claims await theirs.
fn heads_in(
    tx: &mut postgres::Transaction<'_>,
    url: &str,
    have: Option<&Bodies>,
) -> Result<Option<(Workspace, usize)>, PgError> {
    let data = |message: String| PgError::Data {
        url: url.to_owned(),
        message,
    };
    let Some(frame) = tx
        .query_opt("SELECT frame::text FROM claimdesk_workspace", &[])
        .map_err(|e| fail(url, &e))?
    else {
        return Ok(None);
    };
    let frame: String = frame.get(0);
    let mut lists: HashMap<String, [Vec<String>; 2]> = HashMap::new();
    object(&frame).map_err(|why| data(format!("claimdesk_workspace: the frame {why}")))?;
    for (slot, (table, key)) in [
        ("claimdesk_follow_ups", "position"),
        ("claimdesk_reviews", "seq"),
    ]
    .into_iter()
    .enumerate()
    {
        // Ordered by the column itself, a number: an output column of the same name
        // (`{key}::text`) would be taken instead, and order `1, 10, 11, 2`.
        let sql = format!(
            "SELECT claim_id::text, doc::text, {key}::text AS at_text FROM {table} ORDER BY claim_id, {table}.{key}"
        );
        for row in tx.query(&sql, &[]).map_err(|e| fail(url, &e))? {
            let (claim, doc, at): (String, String, String) = (row.get(0), row.get(1), row.get(2));
            // Each row is put in the workspace's text as it is: one that is not exactly
            // one JSON object could close its list and add claims of its own.
            object(&doc).map_err(|why| {
                data(format!(
                    "{table} row {key} {at} of claim {claim} {why}; fix or delete that row"
                ))
            })?;
            lists.entry(claim).or_default()[slot].push(doc);
        }
    }
    let claims = tx
        .query(
            "SELECT id::text, head::text, updates_at, updates_status, updates_digest
             FROM claimdesk_claims ORDER BY position",
            &[],
        )
        .map_err(|e| fail(url, &e))?;
    let mut json = open_object(&frame).ok_or_else(|| data("the frame is not an object".into()))?;
    json.push_str("\"claims\":[");
    for (i, row) in claims.iter().enumerate() {
        let (id, head): (String, String) = (row.get(0), row.get(1));
        if i > 0 {
            json.push(',');
        }
        object(&head).map_err(|why| data(format!("claimdesk_claims row {id} {why}")))?;
        let mut claim = open_object(&head)
            .ok_or_else(|| data(format!("claim {id}: its row is not an object")))?;
        let [follow_ups, reviews] = lists.remove(&id).unwrap_or_default();
        claim.push_str(&format!(
            "\"updates\":[],\"follow_ups\":[{}],\"reviews\":[{}]}}",
            follow_ups.join(","),
            reviews.join(",")
        ));
        json.push_str(&claim);
    }
    json.push_str("]}");
    if let Some(orphan) = lists.keys().next() {
        return Err(data(format!("rows for a claim that has none: {orphan}")));
    }
    let mut workspace =
        super::parse(Path::new(url), json.as_bytes()).map_err(|e| data(e.to_string()))?;
    // The claims keep the rows' order (the loader sorts lists within a claim only).
    let mut whole: Vec<String> = Vec::new();
    let mut awaiting = 0;
    for (claim, row) in workspace.claims.iter_mut().zip(&claims) {
        // The text the claims were read from is the rows' compact form: a save writes
        // them anew, as claimdesk writes every file.
        claim.origin = crate::model::Origin::default();
        let digest: Option<i64> = row.get(4);
        let (Some(have), Some(digest)) = (have, digest) else {
            whole.push(claim.id.clone());
            continue;
        };
        let digest = digest as u64;
        if let Some((_, updates)) = have.get(&claim.id).filter(|(d, _)| *d == digest) {
            claim.updates = updates.clone();
            continue;
        }
        let (at, status): (Vec<String>, Vec<String>) = (
            row.try_get::<_, Option<Vec<String>>>(2)
                .ok()
                .flatten()
                .unwrap_or_default(),
            row.try_get::<_, Option<Vec<String>>>(3)
                .ok()
                .flatten()
                .unwrap_or_default(),
        );
        // Read now where the row's summary is no use: none, or not one for one.
        if at.is_empty() || at.len() != status.len() {
            whole.push(claim.id.clone());
            continue;
        }
        let mut stand_ins = Vec::with_capacity(at.len());
        for (at, status) in at.iter().zip(&status) {
            let Ok(at) = chrono::DateTime::parse_from_rfc3339(at) else {
                break;
            };
            stand_ins.push(crate::model::Update {
                at: at.with_timezone(&chrono::Utc),
                status: status.as_str().into(),
                body: crate::model::Body::default(),
                sources: Vec::new(),
                suggested_follow_up: None,
                extra: crate::model::Extra::new(),
            });
        }
        if stand_ins.len() != at.len() {
            whole.push(claim.id.clone());
            continue;
        }
        claim.updates = Updates::awaiting(stand_ins, digest);
        claim.normalize();
        awaiting += 1;
    }
    if !whole.is_empty() {
        let mut read: HashMap<String, Updates> = bodies_in(tx, url, &whole)?
            .into_iter()
            .map(|(id, _, updates)| (id, updates))
            .collect();
        for claim in &mut workspace.claims {
            if let Some(updates) = read.remove(&claim.id) {
                claim.updates = updates;
                claim.normalize();
            }
        }
    }
    Ok(Some((workspace, awaiting)))
}

/// The updates of the claims `ids`, read whole in `tx`: each claim's list with the digest
/// its row gives it (the one its stand-ins await), or where the row has none, the digest
/// of the rows as read. Each list is read by the file's own reader for updates, its
/// bodies kept as spans of the rows' text.
fn bodies_in(
    tx: &mut postgres::Transaction<'_>,
    url: &str,
    ids: &[String],
) -> Result<Vec<(String, u64, Updates)>, PgError> {
    use postgres::fallible_iterator::FallibleIterator;
    let data = |message: String| PgError::Data {
        url: url.to_owned(),
        message,
    };
    let digests: HashMap<String, Option<i64>> = tx
        .query(
            "SELECT id::text, updates_digest FROM claimdesk_claims WHERE id = ANY($1)",
            &[&ids],
        )
        .map_err(|e| fail(url, &e))?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    // Each claim's rows as one JSON array, in the order they were written, and how many.
    // Each claim's rows as one JSON array in the order they were written, and where each
    // row is in it (its position, and its text's place).
    type Read = (Vec<u8>, Vec<(i32, std::ops::Range<usize>)>);
    let mut texts: HashMap<String, Read> = HashMap::new();
    let mut rows = tx
        .query_raw(
            "SELECT claim_id::text, position, doc::text FROM claimdesk_updates
             WHERE claim_id = ANY($1) ORDER BY claim_id, position",
            [&ids as &(dyn ToSql + Sync)],
        )
        .map_err(|e| fail(url, &e))?;
    let mut current: Option<(String, Read)> = None;
    let finish = |done: Option<(String, Read)>, texts: &mut HashMap<String, Read>| {
        if let Some((id, (mut text, places))) = done {
            text.push(b']');
            texts.insert(id, (text, places));
        }
    };
    while let Some(row) = rows.next().map_err(|e| fail(url, &e))? {
        let (claim, position, doc): (&str, i32, &str) = (row.get(0), row.get(1), row.get(2));
        if current.as_ref().is_none_or(|(id, ..)| id != claim) {
            finish(current.take(), &mut texts);
            let text = Vec::with_capacity(doc.len() * 400);
            current = Some((claim.to_owned(), (text, Vec::new())));
        }
        if let Some((_, (text, places))) = current.as_mut() {
            text.push(if places.is_empty() { b'[' } else { b',' });
            let start = text.len();
            text.extend_from_slice(doc.as_bytes());
            places.push((position, start..text.len()));
        }
    }
    finish(current.take(), &mut texts);
    ids.iter()
        .map(|id| {
            let (text, places) = texts.remove(id).unwrap_or_else(|| (b"[]".to_vec(), Vec::new()));
            let digest = match digests.get(id) {
                Some(Some(d)) => *d as u64,
                _ => crate::store::load::content_hash(&text),
            };
            // Which row does not read, and why: each row read alone.
            let which = |text: &[u8]| {
                places.iter().find_map(|(position, place)| {
                    let doc = text.get(place.clone())?;
                    let alone = serde_json::from_slice::<crate::model::Update>(doc).err()?;
                    Some(data(format!(
                        "claimdesk_updates row position {position} of claim {id} is not one update as claimdesk writes it ({alone}); fix or delete that row"
                    )))
                })
            };
            let count = places.len();
            let updates = match crate::store::load::updates(text.clone()) {
                Ok(updates) if updates.len() == count => updates,
                // A row more or less than one object reads as a different count.
                Ok(_) | Err(_) => {
                    return Err(which(&text).unwrap_or_else(|| {
                        data(format!(
                            "claimdesk_updates: the update rows of claim {id} do not read as one list; fix or delete the row that is not one update object"
                        ))
                    }));
                }
            };
            Ok((id.clone(), digest, updates))
        })
        .collect()
}

/// Streams rows into a table with binary COPY.
fn copy(
    tx: &mut postgres::Transaction<'_>,
    sql: &str,
    types: &[Type],
    rows: &mut dyn Iterator<Item = Vec<&(dyn ToSql + Sync)>>,
) -> Result<(), postgres::Error> {
    let mut writer = BinaryCopyInWriter::new(tx.copy_in(sql)?, types);
    for row in rows {
        writer.write(&row)?;
    }
    writer.finish().map(|_| ())
}

/// The COPY statement for update rows, and their types.
const COPY_UPDATES: &str =
    "COPY claimdesk_updates (claim_id, position, doc) FROM STDIN (FORMAT binary)";
const UPDATE_TYPES: [Type; 3] = [Type::TEXT, Type::INT4, Type::TEXT];

/// Writes the updates of the claims `changed`, and every claim's follow-ups, into tables
/// that hold none of them.
fn copy_lists(
    tx: &mut postgres::Transaction<'_>,
    rows: &Rows,
    changed: &std::collections::HashSet<&str>,
) -> Result<(), postgres::Error> {
    copy(
        tx,
        COPY_UPDATES,
        &UPDATE_TYPES,
        &mut rows
            .updates
            .iter()
            .filter(|(id, ..)| changed.contains(id))
            .map(|(id, position, doc)| vec![id as _, position as _, doc as _]),
    )?;
    copy_follow_ups(tx, rows)
}

fn copy_follow_ups(tx: &mut postgres::Transaction<'_>, rows: &Rows) -> Result<(), postgres::Error> {
    copy(
        tx,
        "COPY claimdesk_follow_ups (claim_id, position, day, doc) FROM STDIN (FORMAT binary)",
        &[Type::TEXT, Type::INT4, Type::DATE, Type::TEXT],
        &mut rows
            .follow_ups
            .iter()
            .map(|(id, position, day, doc)| vec![id as _, position as _, day as _, doc as _]),
    )
}

/// Writes a workspace into empty tables, in `tx` (binary COPY): the update rows go to
/// the server as each claim is cut (the server writes them while the next is cut), the
/// claims', follow-ups' and reviews' rows after them.
fn write_in(
    tx: &mut postgres::Transaction<'_>,
    url: &str,
    encoding: &Encoding<'_>,
) -> Result<(), PgError> {
    let data = |message: String| PgError::Data {
        url: url.to_owned(),
        message,
    };
    tx.execute(
        "INSERT INTO claimdesk_workspace (frame) VALUES ($1)",
        &[&encoding.frame],
    )
    .map_err(|e| fail(url, &e))?;
    let mut rest = Rows {
        frame: &encoding.frame,
        claims: Vec::new(),
        updates: Vec::new(),
        follow_ups: Vec::new(),
        reviews: Vec::new(),
    };
    let sink = tx.copy_in(COPY_UPDATES).map_err(|e| fail(url, &e))?;
    let mut writer = BinaryCopyInWriter::new(sink, &UPDATE_TYPES);
    for position in 0..encoding.claims.len() {
        let mut cut = encoding.cut(position).map_err(data)?;
        for (i, doc) in std::mem::take(&mut cut.updates).into_iter().enumerate() {
            let i = i32::try_from(i).map_err(|e| data(e.to_string()))?;
            writer
                .write(&[&cut.row.id, &i, &doc])
                .map_err(|e| fail(url, &e))?;
        }
        rest.add(cut).map_err(data)?;
    }
    writer.finish().map_err(|e| fail(url, &e))?;
    let rows = rest;
    let mut run = || -> Result<(), postgres::Error> {
        copy(
            tx,
            "COPY claimdesk_claims (id, position, head, updates_at, updates_status, updates_digest)
             FROM STDIN (FORMAT binary)",
            &[
                Type::TEXT,
                Type::INT8,
                Type::TEXT,
                Type::TEXT_ARRAY,
                Type::TEXT_ARRAY,
                Type::INT8,
            ],
            &mut rows.claims.iter().map(|c| {
                vec![
                    &c.id as _,
                    &c.position as _,
                    &c.head as _,
                    &c.at as _,
                    &c.status as _,
                    &c.digest as _,
                ]
            }),
        )?;
        copy_follow_ups(tx, &rows)?;
        copy(
            tx,
            "COPY claimdesk_reviews (claim_id, doc) FROM STDIN (FORMAT binary)",
            &[Type::TEXT, Type::TEXT],
            &mut rows.reviews.iter().map(|(id, doc)| vec![id as _, doc as _]),
        )
    };
    run().map_err(|e| fail(url, &e))
}

/// Writes a changed workspace over the one the tables hold, in `tx`, keeping every review
/// row as it is (who recorded it, when, in which order): the frame and the claims are
/// written anew where they changed (a claim's version goes up when its head or place
/// does), a claim's updates replaced only where their digest changed, follow-ups
/// replaced, and only reviews the tables do not hold yet added. A change that would take
/// a claim or a review away is refused.
fn update_in(tx: &mut postgres::Transaction<'_>, url: &str, rows: &Rows) -> Result<(), PgError> {
    let refuse = |message: String| PgError::Data {
        url: url.to_owned(),
        message,
    };
    let held: HashMap<String, (i64, Option<i64>)> = tx
        .query(
            "SELECT c.id::text, count(r.seq), c.updates_digest FROM claimdesk_claims c
             LEFT JOIN claimdesk_reviews r ON r.claim_id = c.id GROUP BY c.id",
            &[],
        )
        .map_err(|e| fail(url, &e))?
        .iter()
        .map(|r| (r.get(0), (r.get(1), r.get(2))))
        .collect();
    let mut reviews: HashMap<&str, Vec<&str>> = HashMap::new();
    for &(id, doc) in &rows.reviews {
        reviews.entry(id).or_default().push(doc);
    }
    let kept: std::collections::HashSet<&str> = rows.claims.iter().map(|c| c.id).collect();
    if let Some(gone) = held.keys().find(|id| !kept.contains(id.as_str())) {
        return Err(refuse(format!(
            "the change would take claim {gone} away; not written"
        )));
    }
    let mut added: Vec<(&str, &str)> = Vec::new();
    for (id, docs) in &reviews {
        let have = held.get(*id).map_or(0, |h| h.0);
        let have = usize::try_from(have).unwrap_or(usize::MAX);
        if docs.len() < have {
            return Err(refuse(format!(
                "the change would take reviews of claim {id} away; not written"
            )));
        }
        added.extend(docs[have..].iter().map(|doc| (*id, *doc)));
    }
    // Claims whose updates are not the ones the tables hold (by digest).
    let changed: std::collections::HashSet<&str> = rows
        .claims
        .iter()
        .filter(|c| held.get(c.id).and_then(|h| h.1) != Some(c.digest))
        .map(|c| c.id)
        .collect();
    let mut run = || -> Result<(), postgres::Error> {
        tx.batch_execute("DELETE FROM claimdesk_workspace")?;
        tx.execute(
            "INSERT INTO claimdesk_workspace (frame) VALUES ($1)",
            &[&rows.frame],
        )?;
        let upsert = tx.prepare(
            "INSERT INTO claimdesk_claims AS c
                 (id, position, head, updates_at, updates_status, updates_digest)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (id) DO UPDATE
                 SET position = EXCLUDED.position, head = EXCLUDED.head,
                     version = c.version + CASE WHEN (c.position, c.head)
                         IS DISTINCT FROM (EXCLUDED.position, EXCLUDED.head) THEN 1 ELSE 0 END,
                     updates_at = EXCLUDED.updates_at, updates_status = EXCLUDED.updates_status,
                     updates_digest = EXCLUDED.updates_digest
                 WHERE (c.position, c.head, c.updates_digest)
                       IS DISTINCT FROM (EXCLUDED.position, EXCLUDED.head, EXCLUDED.updates_digest)",
        )?;
        for c in &rows.claims {
            tx.execute(
                &upsert,
                &[&c.id, &c.position, &c.head, &c.at, &c.status, &c.digest],
            )?;
        }
        let ids: Vec<&str> = changed.iter().copied().collect();
        tx.execute(
            "DELETE FROM claimdesk_updates WHERE claim_id = ANY($1)",
            &[&ids],
        )?;
        tx.batch_execute("DELETE FROM claimdesk_follow_ups")?;
        copy_lists(tx, rows, &changed)?;
        for (id, doc) in &added {
            tx.execute(
                "INSERT INTO claimdesk_reviews (claim_id, doc) VALUES ($1, $2)",
                &[id, doc],
            )?;
        }
        Ok(())
    };
    run().map_err(|e| fail(url, &e))
}

/// A workspace cut into the rows the tables hold, each object's JSON text as the file's
/// encoder writes it: the texts are spans of each claim's text (see `Encoding`), not
/// copies.
struct Rows<'a> {
    frame: &'a str,
    claims: Vec<ClaimRow<'a>>,
    updates: Vec<(&'a str, i32, &'a str)>,
    follow_ups: Vec<(&'a str, i32, chrono::NaiveDate, &'a str)>,
    reviews: Vec<(&'a str, &'a str)>,
}

/// A claim's row: the claim without its lists, and what the claim list shows of its
/// updates (see migration 5).
struct ClaimRow<'a> {
    id: &'a str,
    position: i64,
    head: String,
    /// Each update's time (RFC 3339) and status, oldest first.
    at: Vec<String>,
    status: Vec<String>,
    /// The digest of the claim's update rows (see `digest`).
    digest: i64,
}

/// One claim cut into its rows.
struct Cut<'a> {
    row: ClaimRow<'a>,
    updates: Vec<&'a str>,
    follow_ups: Vec<(chrono::NaiveDate, &'a str)>,
    reviews: Vec<&'a str>,
}

/// The digest of a claim's update rows: the hash of their texts as one JSON array, which
/// a reader puts together as it reads them (see `bodies_in`).
fn digest<'a>(docs: impl Iterator<Item = &'a str>) -> u64 {
    let mut parts: Vec<&[u8]> = vec![b"["];
    for (i, doc) in docs.enumerate() {
        if i > 0 {
            parts.push(b",");
        }
        parts.push(doc.as_bytes());
    }
    parts.push(b"]");
    crate::store::load::content_hash_of(&parts)
}

type Members<'a> = BTreeMap<String, &'a RawValue>;

/// A workspace as the file's encoder writes it (every check a save makes, made), for
/// cutting into rows: the frame without the file's own bookkeeping (its journal's id
/// and sequence), and each claim's text as the encoder writes it (an unchanged claim's
/// is the text it was read from, not a copy) with its updates' times and statuses in the
/// order written.
struct Encoding<'w> {
    frame: String,
    claims: Vec<ClaimText<'w>>,
}

struct ClaimText<'w> {
    id: &'w str,
    text: std::borrow::Cow<'w, [u8]>,
    summary: Vec<(String, String)>,
}

impl<'w> Encoding<'w> {
    /// `workspace`, whose lists must be in the order claimdesk writes them (see
    /// `in_order`).
    fn of(workspace: &'w Workspace) -> Result<Self, String> {
        if !crate::store::is_normalized(workspace) {
            return Err("the workspace's lists are not in order".to_owned());
        }
        crate::store::load::check_ids(Path::new("the workspace"), workspace)
            .map_err(|e| e.to_string())?;
        let bare = Workspace {
            format: workspace.format.clone(),
            version: workspace.version,
            journal_seq: 0,
            workspace_id: None,
            claims: Vec::new(),
            extra: workspace.extra.clone(),
        };
        let bytes = crate::store::to_bytes(&bare).map_err(|e| e.to_string())?;
        let mut top: Members<'_> = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
        top.remove("claims");
        let frame = serde_json::to_string(&top).map_err(|e| e.to_string())?;
        let claims = workspace
            .claims
            .iter()
            .map(|claim| {
                let text = crate::store::claim_text(claim).map_err(|e| e.to_string())?;
                let summary = claim
                    .updates
                    .iter()
                    .map(|u| {
                        (
                            u.at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
                            u.status.to_string(),
                        )
                    })
                    .collect();
                Ok(ClaimText {
                    id: &claim.id,
                    text,
                    summary,
                })
            })
            .collect::<Result<_, String>>()?;
        Ok(Self { frame, claims })
    }

    /// The claim at `position` cut into its rows.
    fn cut(&self, position: usize) -> Result<Cut<'_>, String> {
        #[derive(serde::Deserialize)]
        struct Day {
            date: chrono::NaiveDate,
        }
        let claim = self
            .claims
            .get(position)
            .ok_or_else(|| format!("no claim at {position}"))?;
        let text = std::str::from_utf8(&claim.text).map_err(|e| e.to_string())?;
        let mut head: Members<'_> = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let mut list = |name: &str| -> Result<Vec<&RawValue>, String> {
            match head.remove(name) {
                Some(raw) => serde_json::from_str(raw.get()).map_err(|e| e.to_string()),
                None => Ok(Vec::new()),
            }
        };
        let (updates, follow_ups, reviews) =
            (list("updates")?, list("follow_ups")?, list("reviews")?);
        let id = claim.id;
        if updates.len() != claim.summary.len() {
            return Err(format!(
                "the updates of claim {id} did not encode one for one"
            ));
        }
        let updates: Vec<&str> = updates.into_iter().map(|u| u.get()).collect();
        let follow_ups = follow_ups
            .into_iter()
            .map(|f| {
                let day: Day = serde_json::from_str(f.get()).map_err(|e| e.to_string())?;
                Ok((day.date, f.get()))
            })
            .collect::<Result<_, String>>()?;
        let (at, status) = claim.summary.iter().cloned().unzip();
        Ok(Cut {
            row: ClaimRow {
                id,
                position: i64::try_from(position).map_err(|e| e.to_string())?,
                head: serde_json::to_string(&head).map_err(|e| e.to_string())?,
                at,
                status,
                digest: digest(updates.iter().copied()) as i64,
            },
            updates,
            follow_ups,
            reviews: reviews.into_iter().map(|r| r.get()).collect(),
        })
    }
}

/// `workspace` with its lists in the order claimdesk writes them: itself when they are.
fn in_order(workspace: &Workspace) -> std::borrow::Cow<'_, Workspace> {
    if crate::store::is_normalized(workspace) {
        std::borrow::Cow::Borrowed(workspace)
    } else {
        let mut sorted = workspace.clone();
        sorted.normalize();
        std::borrow::Cow::Owned(sorted)
    }
}

impl<'a> Rows<'a> {
    /// Every claim of `encoding` cut into its rows.
    fn of(encoding: &'a Encoding<'_>) -> Result<Self, String> {
        let mut rows = Self {
            frame: &encoding.frame,
            claims: Vec::new(),
            updates: Vec::new(),
            follow_ups: Vec::new(),
            reviews: Vec::new(),
        };
        for position in 0..encoding.claims.len() {
            let cut = encoding.cut(position)?;
            rows.add(cut)?;
        }
        Ok(rows)
    }

    /// A claim's rows, but for its updates' (which a copy streams as it cuts them).
    fn add(&mut self, cut: Cut<'a>) -> Result<(), String> {
        let id = cut.row.id;
        for (i, doc) in cut.updates.into_iter().enumerate() {
            self.updates
                .push((id, i32::try_from(i).map_err(|e| e.to_string())?, doc));
        }
        for (i, (day, doc)) in cut.follow_ups.into_iter().enumerate() {
            self.follow_ups
                .push((id, i32::try_from(i).map_err(|e| e.to_string())?, day, doc));
        }
        self.reviews
            .extend(cut.reviews.into_iter().map(|doc| (id, doc)));
        self.claims.push(cut.row);
        Ok(())
    }
}

/// Checks that a row's text is exactly one JSON object, nothing before or after it.
fn object(text: &str) -> Result<(), String> {
    match serde_json::from_str::<&RawValue>(text) {
        Ok(raw) if raw.get().trim_start().starts_with('{') => Ok(()),
        Ok(_) => Err("is not a JSON object".to_owned()),
        Err(e) => Err(format!("is not one JSON object ({e})")),
    }
}

/// An object's JSON text without its closing brace, ready for more members: `{"a":1,`.
fn open_object(text: &str) -> Option<String> {
    let inner = text.trim().strip_prefix('{')?.strip_suffix('}')?.trim();
    Some(if inner.is_empty() {
        "{".to_owned()
    } else {
        format!("{{{inner},")
    })
}

/// A server's or the connection's error in one line: the server's own message when it
/// sent one (with its detail), else the client's. No password is ever part of either.
fn message(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => match db.detail() {
            Some(detail) => format!("{} ({detail})", db.message()),
            None => db.message().to_owned(),
        },
        None => {
            let text = e.to_string();
            match std::error::Error::source(e) {
                Some(source) if !text.contains(&source.to_string()) => format!("{text}: {source}"),
                _ => text,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_shown_without_their_password() {
        let url = Url::parse("postgresql://ana:s3cret@db.example.org:5433/desk?sslmode=disable")
            .expect("parses");
        assert_eq!(url.to_string(), "postgresql://ana@db.example.org:5433/desk");
        assert!(!format!("{url:?}").contains("s3cret"));
        let bad = Url::parse("postgresql://ana:s3cret@db.example.org:notaport/desk")
            .expect_err("a bad port");
        let said = bad.to_string();
        assert!(!said.contains("s3cret"), "{said}");
        assert!(
            said.starts_with("postgresql://ana@db.example.org:notaport/desk"),
            "{said}"
        );
        assert!(is_url("postgres://x") && is_url("postgresql://x") && !is_url("w.json"));
    }

    #[test]
    fn no_password_shows_however_the_url_is_written() {
        for (url, secret) in [
            (
                "postgresql://leaky:Sekr1t/xx@127.0.0.1:5432:bad/hu",
                "Sekr1t",
            ),
            (
                "postgresql://leaky:Sekr1t/pa?ss@w#rd@127.0.0.1:5432/db",
                "w#rd",
            ),
            ("postgres://u:p@ss@h/db", "ss@h"),
            ("postgresql://u:pw@[::1]:notaport/db", "pw@"),
        ] {
            let said = Url::parse(url).map_or_else(|e| e.to_string(), |u| u.to_string());
            assert!(!said.contains(secret), "{url}: {said}");
            let text = format!("error: unexpected argument '{url}' found");
            assert!(!redact(&text).contains(secret), "{}", redact(&text));
        }
        assert_eq!(
            redact("a postgres://u:pw@h:1/d b"),
            "a postgres://u@h:1/d b"
        );
        let v6 = Url::parse("postgresql://u@[::1]:5432/db").expect("parses");
        assert_eq!(v6.to_string(), "postgresql://u@[::1]:5432/db");
    }

    #[test]
    fn pgpass_lines_read_as_libpq_reads_them() {
        assert_eq!(
            pgpass_fields(r"db\:1:5432:*:ana:pa\:ss\\word"),
            ["db:1", "5432", "*", "ana", r"pa:ss\word"]
        );
        assert_eq!(
            pgpass_fields("h:1:d:u:with:colons"),
            ["h", "1", "d", "u", "with:colons"]
        );
    }

    #[test]
    fn the_review_function_knows_every_verdict_and_no_other() {
        // The migration's SQL names the verdicts; it must name the model's, all of them.
        // Every version of it (each migration that replaces it) names the model's.
        let sql = MIGRATIONS.iter().map(|m| m.2).collect::<String>();
        let model: Vec<&str> = crate::model::Verdict::ALL
            .iter()
            .map(|v| v.as_str())
            .collect();
        let lists: Vec<&str> = sql
            .split("NOT IN")
            .skip(1)
            .filter_map(|rest| rest.split(')').next())
            .collect();
        assert_eq!(lists.len(), 2, "one list in each version of the function");
        for listed in lists {
            let names: Vec<&str> = listed
                .split(',')
                .map(|n| n.trim().trim_start_matches('(').trim().trim_matches('\''))
                .collect();
            assert_eq!(names, model);
        }
    }

    #[test]
    fn objects_open_for_more_members() {
        assert_eq!(open_object(r#"{"a":1}"#).as_deref(), Some(r#"{"a":1,"#));
        assert_eq!(open_object(" { } ").as_deref(), Some("{"));
        assert_eq!(open_object("[1]"), None);
    }
}
