//! Importing the tracker's claims: claim pages and database exports in, claims out, and
//! the merge of those claims into a workspace. No file I/O here: callers pass bytes.

pub mod mongo;
pub mod page;
pub mod text;

use crate::model::{
    Article, Claim, Extra, FollowUp, FollowUpState, Update, Updates, Workspace, sanitize,
};
use chrono::FixedOffset;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashSet};
use std::fmt;

/// How to read the inputs.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// How the inputs' times are to be read.
    pub clock: Clock,
    /// Overrides the claim id a page's file name gives (one page only).
    pub id: Option<String>,
}

/// How the times of an input are read.
///
/// The FollowUp stores `datetime.utcnow()` (naive, real UTC) and then attaches a fixed
/// UTC−05:00 zone to it (`service/util/mongo.py`, `normalize_dates`), so every instant it
/// stores is the real time plus 5 hours, and its claim pages, which print that instant in
/// UTC, show it plus 5 hours too. Its plain dates are stored as midnight UTC−05:00
/// (`T05:00:00Z`). This is the one place that knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Clock {
    /// The FollowUp's: stored instants and page times are moved back 5 hours; a
    /// stored date is the day it has at UTC−05:00; a time written without a zone (the
    /// tracker's older exports wrote `utcnow().isoformat()`) is real UTC already.
    #[default]
    FollowUp,
    /// As written: page times and times without a zone are in this zone, stored
    /// instants are taken as they are.
    AsWritten(FixedOffset),
}

impl Clock {
    /// How fast The FollowUp's clock is.
    pub const FOLLOWUP_FAST: chrono::TimeDelta = chrono::TimeDelta::hours(5);

    /// The zone a claim page's times are written in.
    pub fn page_zone(self) -> FixedOffset {
        match self {
            // A page prints (real + 5 h) in UTC: its figures are real UTC+05:00.
            Self::FollowUp => FixedOffset::east_opt(5 * 3600).unwrap_or(utc()),
            Self::AsWritten(zone) => zone,
        }
    }

    /// The real instant of a stored one.
    pub fn instant(self, stored: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
        match self {
            Self::FollowUp => stored - Self::FOLLOWUP_FAST,
            Self::AsWritten(_) => stored,
        }
    }

    /// The real instant of a time written without a zone.
    pub fn naive(self, t: chrono::NaiveDateTime) -> Option<chrono::DateTime<chrono::Utc>> {
        use chrono::TimeZone;
        match self {
            Self::FollowUp => Some(t.and_utc()),
            Self::AsWritten(zone) => zone
                .from_local_datetime(&t)
                .single()
                .map(|t| t.with_timezone(&chrono::Utc)),
        }
    }

    /// The day a stored instant stands for, when the field holds a date.
    pub fn date(self, stored: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
        let zone = match self {
            Self::FollowUp => FixedOffset::west_opt(5 * 3600).unwrap_or(utc()),
            Self::AsWritten(zone) => zone,
        };
        stored.with_timezone(&zone).date_naive()
    }

    /// How much earlier than stored the imported update times are (for a merge to know
    /// the updates an import with the stored clock brought in).
    pub fn correction(self) -> Option<chrono::TimeDelta> {
        match self {
            Self::FollowUp => Some(Self::FOLLOWUP_FAST),
            Self::AsWritten(_) => None,
        }
    }

    /// What the import summary says about the clock.
    pub fn describe(self) -> String {
        match self {
            Self::FollowUp => "Update times are moved back 5 hours: The FollowUp stores them 5 hours fast (--as-stored-clock keeps them as stored); times written without a zone are taken as UTC".to_owned(),
            Self::AsWritten(zone) if zone.local_minus_utc() == 0 => {
                "Update times are taken as stored (UTC)".to_owned()
            }
            Self::AsWritten(zone) => format!(
                "Page times and times written without a zone are read as UTC{zone}; stored instants as they are"
            ),
        }
    }
}

/// The status an update is imported with: the tracker's own words in their workspace
/// names whatever their case (`IN_PROGRESS`, an innerText copy, is `in_progress`),
/// `unknown` when there is none, any other word (a fact-check verdict such as
/// `Misleading` or `Tech Error`) as written; and what the summary says of it.
pub fn status_of(word: Option<&str>) -> (String, Option<String>) {
    use crate::model::TrackerStatus;
    let word = word.map(str::trim).unwrap_or("");
    if word.is_empty() {
        return (
            UNKNOWN_STATUS.to_owned(),
            Some(format!(
                "update has no status word; imported as `{UNKNOWN_STATUS}`"
            )),
        );
    }
    match TrackerStatus::of(word) {
        TrackerStatus::Other => (
            word.to_owned(),
            Some(format!(
                "status \"{word}\" is not one of the tracker's; kept as written"
            )),
        ),
        known => (known.as_str().to_owned(), None),
    }
}

/// The workspace field that says its tracker times were imported with The FollowUp's
/// clock corrected (see `Clock`); a workspace without it was imported by an earlier
/// version, with the stored clock.
pub const TRACKER_CLOCK: &str = "tracker_clock";
const CLOCK_CORRECTED: &str = "corrected";

/// The status of an update that gave none.
pub const UNKNOWN_STATUS: &str = "unknown";

/// What the summary says of an update's body, the same for a page and an export: its
/// raw JSON decoded, a recommended follow-up date that does not exist, a status its own
/// text contradicts.
fn body_notes(place: &str, status: &str, body: &text::Body, decoded_json: bool) -> Vec<String> {
    let mut notes = Vec::new();
    if decoded_json {
        notes.push(format!(
            "{place}: body was the tracker's raw JSON output; its text was used"
        ));
    }
    for bad in &body.invalid_follow_ups {
        notes.push(format!(
            "{place}: recommended follow-up date {bad} does not exist; ignored"
        ));
    }
    if let Some(said) = disagreeing_status(status, body) {
        notes.push(format!(
            "{place}: status {status} kept; the update's own text says {said} (the tracker's keyword classifier)"
        ));
    }
    notes
}

/// The status the body's own raw JSON gives, when it differs from the update's.
fn disagreeing_status(status: &str, body: &text::Body) -> Option<String> {
    let (said, _) = status_of(body.status_in_text.as_deref());
    (body.status_in_text.is_some() && said != status).then_some(said)
}

/// The update's extra fields with the status its text gives, where that disagrees.
fn with_status_in_text(mut extra: Extra, status: &str, body: &text::Body) -> Extra {
    if let Some(said) = disagreeing_status(status, body) {
        extra.insert(Update::STATUS_IN_TEXT, said);
    }
    extra
}

fn utc() -> FixedOffset {
    chrono::Offset::fix(&chrono::Utc)
}

/// An input that could not be imported: which file, where in it, and what was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub file: String,
    pub line: Option<usize>,
    pub document: Option<usize>,
    pub message: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(doc) = self.document {
            write!(f, " (document {doc})")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ImportError {}

impl ImportError {
    fn new(file: &str, line: Option<usize>, message: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            line,
            document: None,
            message: message.into(),
        }
    }
}

/// Parses a time zone offset written `+HH:MM`, `-HH:MM`, `+HHMM` or `Z`.
pub fn parse_utc_offset(s: &str) -> Option<FixedOffset> {
    if s.eq_ignore_ascii_case("z") || s == "UTC" {
        return FixedOffset::east_opt(0);
    }
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) || rest.len() > 5 {
        return None;
    }
    let h: i32 = digits[..2].parse().ok()?;
    let m: i32 = digits[2..].parse().ok()?;
    if h > 23 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

/// Turns a file's bytes into text: UTF-8 with an optional BOM, CRLF and lone CR made
/// LF, control characters and terminal escapes removed.
/// Reads one input file. A file that is not text (a NUL byte or invalid UTF-8 in its first
/// megabyte: an image, an archive, `/dev/zero`) is refused from that first megabyte,
/// without being read whole.
pub fn read_file(path: &std::path::Path) -> Result<Vec<u8>, ImportError> {
    use std::io::Read;
    const FIRST: usize = 1 << 20;
    let file = path.display().to_string();
    let cannot = |e: std::io::Error| ImportError::new(&file, None, format!("cannot read: {e}"));
    let mut reader = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::new();
    (&mut reader)
        .take(FIRST as u64)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    let head = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    let bad_utf8 = std::str::from_utf8(head)
        .err()
        .filter(|e| e.error_len().is_some() || bytes.len() < FIRST);
    if let Some(at) = memchr::memchr(0, head) {
        return Err(ImportError::new(
            &file,
            None,
            format!("not text (a NUL byte at byte {at}); expected a claim page or a JSON export"),
        ));
    }
    if let Some(e) = bad_utf8 {
        return Err(ImportError::new(
            &file,
            None,
            format!("not valid UTF-8 at byte {}", e.valid_up_to()),
        ));
    }
    if bytes.len() == FIRST {
        reader.read_to_end(&mut bytes).map_err(cannot)?;
    }
    Ok(bytes)
}

pub fn decode(file: &str, bytes: &[u8]) -> Result<String, ImportError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        ImportError::new(
            file,
            None,
            format!("not valid UTF-8 at byte {}", e.valid_up_to()),
        )
    })?;
    if text.trim().is_empty() {
        return Err(ImportError::new(file, None, "the file is empty"));
    }
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    Ok(sanitize(&text))
}

/// One input file, read and recognised.
#[derive(Debug, Clone)]
pub enum Input {
    /// A claim page, already made into a claim.
    Page(Box<Incoming>),
    /// A database export's documents, and how their times are read.
    Export {
        file: String,
        docs: Vec<mongo::Doc>,
        clock: Clock,
    },
}

/// A claim as an input has it, with what the import noticed on the way.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub file: String,
    pub claim: Claim,
    /// False when the input held only updates or follow-ups of the claim (an export of
    /// `silver_updates` alone): its title and tracker fields are not to be trusted.
    pub has_header: bool,
    pub notes: Vec<String>,
    /// How much earlier than the tracker stored them its update times were read (see
    /// `Clock`): a merge takes an update already there at the stored time for the same.
    pub clock_correction: Option<chrono::TimeDelta>,
}

/// Recognises the input by content and reads it.
pub fn read(file: &str, text: &str, options: &Options) -> Result<Input, ImportError> {
    let first = text.trim_start().chars().next();
    if matches!(first, Some('{' | '[')) {
        let docs = mongo::parse(text, mongo::collection_named(file)).map_err(|e| ImportError {
            file: file.to_owned(),
            line: Some(e.line),
            document: e.document,
            message: e.message,
        })?;
        return Ok(Input::Export {
            file: file.to_owned(),
            docs,
            clock: options.clock,
        });
    }
    if page::markers(text).is_empty() {
        let first_line: String = text.lines().next().unwrap_or("").chars().take(60).collect();
        return Err(ImportError::new(
            file,
            Some(1),
            format!(
                "neither a tracker claim page nor a MongoDB export (starts with \"{first_line}\")"
            ),
        ));
    }
    let parsed = page::parse(text, options.clock.page_zone())
        .map_err(|e| ImportError::new(file, Some(e.line), e.message))?;
    let id = match &options.id {
        Some(id) => {
            if let Some(problem) = crate::model::id_problem(id) {
                return Err(ImportError::new(file, None, format!("--id: {problem}")));
            }
            id.clone()
        }
        None => id_from_file_name(file).ok_or_else(|| {
            ImportError::new(
                file,
                None,
                "cannot tell the claim id from the file name (expected NNN_<16 hex digits>.txt); pass --id",
            )
        })?,
    };
    let mut incoming = claim_from_page(file, id, parsed);
    incoming.clock_correction = options.clock.correction();
    Ok(Input::Page(Box::new(incoming)))
}

/// `000_39edfb4563007f91.txt` → `39edfb4563007f91`.
pub fn id_from_file_name(file: &str) -> Option<String> {
    let name = file.rsplit(['/', '\\']).next()?;
    let stem = name.strip_suffix(".txt").unwrap_or(name);
    let (prefix, id) = stem.split_once('_')?;
    let ok = prefix.bytes().all(|b| b.is_ascii_digit())
        && id.len() == 16
        && id.bytes().all(|b| b.is_ascii_hexdigit());
    ok.then(|| id.to_ascii_lowercase())
}

fn claim_from_page(file: &str, id: String, parsed: page::Page) -> Incoming {
    let mut notes = parsed.notes;
    let oldest_first: Vec<&page::PageUpdate> = {
        let mut v: Vec<_> = parsed.updates.iter().collect();
        v.sort_by_key(|u| u.at);
        v
    };
    let title =
        guessed_title(oldest_first.iter().map(|u| u.body.text.as_str())).unwrap_or_else(|| {
            notes.push("no claim wording found; title left as the claim id".into());
            format!("Claim {id}")
        });

    let updates: Vec<Update> = parsed
        .updates
        .iter()
        .map(|u| Update {
            at: u.at,
            status: u.status.as_str().into(),
            body: u.body.text.as_str().into(),
            sources: u.body.sources.clone(),
            suggested_follow_up: u.body.suggested_follow_up,
            extra: with_status_in_text(Extra::new(), &u.status, &u.body),
        })
        .collect();

    // One follow-up a day; the upcoming block wins over the history further down.
    let mut by_date: BTreeMap<chrono::NaiveDate, FollowUp> = BTreeMap::new();
    for f in &parsed.follow_ups {
        let state = if f.upcoming || f.overdue {
            FollowUpState::Scheduled
        } else {
            FollowUpState::Done
        };
        let entry = by_date
            .entry(f.date)
            .or_insert_with(|| FollowUp::scheduled(f.date));
        if f.upcoming || by_date_is_new(entry) {
            entry.state = state;
        }
    }
    let duplicates = parsed.follow_ups.len() - by_date.len();
    if duplicates > 0 {
        notes.push(format!(
            "{} listed twice; kept once",
            crate::model::text::count(duplicates, "follow-up date")
        ));
    }

    let mut claim = Claim::new(id, title);
    claim.completion_due = parsed.completion_due;
    let earliest = parsed.follow_ups.iter().map(|f| f.date).min();
    if let Some(due) = parsed.completion_due.filter(|d| Some(*d) == earliest) {
        claim.extra.insert(Claim::COMPLETION_DUE_DERIVED, true);
        notes.push(format!(
            "completion due {due} is also the earliest follow-up: the page shows that when the claim has no deadline, so it may not be one (marked {})",
            Claim::COMPLETION_DUE_DERIVED
        ));
    }
    claim.article = Article {
        published: parsed.article_published,
        ..Article::default()
    };
    claim.updates = Updates::from(updates);
    claim.follow_ups = by_date.into_values().collect();
    claim.normalize();
    Incoming {
        file: file.to_owned(),
        claim,
        has_header: true,
        notes,
        clock_correction: None,
    }
}

/// The title a page gives its claim, from its updates' bodies oldest first: the
/// `Original claim:` sentence, else the oldest update's restatement of the claim.
fn guessed_title<'a>(mut oldest_first: impl Iterator<Item = &'a str> + Clone) -> Option<String> {
    let first = oldest_first.clone().next();
    oldest_first
        .find_map(text::original_claim)
        .or_else(|| first.and_then(text::restated_claim))
}

/// Whether a claim's title is still the one an import guessed from its updates (no
/// reviewer gave it one): an export's own `claim` then takes its place.
fn title_was_guessed(claim: &Claim) -> bool {
    let mut bodies: Vec<(chrono::DateTime<chrono::Utc>, &str)> =
        claim.updates.iter().map(|u| (u.at, &*u.body)).collect();
    bodies.sort_by_key(|(at, _)| *at);
    claim.title == format!("Claim {}", claim.id)
        || guessed_title(bodies.iter().map(|(_, b)| *b)).as_deref() == Some(claim.title.as_str())
}

fn by_date_is_new(f: &FollowUp) -> bool {
    f.state == FollowUpState::Scheduled && f.note.is_empty()
}

/// Builds claims from everything read: pages as they are, export documents grouped by
/// claim. Updates and follow-ups of a claim that no export names are attached to the
/// workspace's claim of that id at merge time.
pub fn assemble(inputs: Vec<Input>) -> Result<Vec<Incoming>, ImportError> {
    let mut out: Vec<Incoming> = Vec::new();
    let mut docs: Vec<(String, Clock, mongo::Doc)> = Vec::new();
    for input in inputs {
        match input {
            Input::Page(incoming) => out.push(*incoming),
            Input::Export {
                file,
                docs: d,
                clock,
            } => docs.extend(d.into_iter().map(|d| (file.clone(), clock, d))),
        }
    }
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let doc_err = |file: &str, doc: &mongo::Doc, message: String| ImportError {
        file: file.to_owned(),
        line: Some(doc.line),
        document: Some(doc.number),
        message,
    };
    // Claims first, so that updates find them whatever order the files came in.
    docs.sort_by_key(|(_, _, d)| d.collection != mongo::Collection::Claims);
    for (file, clock, doc) in &docs {
        let clock = *clock;
        let f = &doc.fields;
        match doc.collection {
            mongo::Collection::Claims => {
                let id = mongo::string(f.get("_id"))
                    .ok_or_else(|| doc_err(file, doc, "claim has no `_id`".into()))?;
                if let Some(problem) = crate::model::id_problem(&id) {
                    return Err(doc_err(file, doc, format!("the claim's `_id`: {problem}")));
                }
                let claim = claim_from_doc(&id, f, clock).map_err(|m| doc_err(file, doc, m))?;
                if index.contains_key(&id) {
                    return Err(doc_err(file, doc, format!("claim `{id}` exported twice")));
                }
                index.insert(id, out.len());
                out.push(Incoming {
                    file: file.clone(),
                    claim,
                    has_header: true,
                    notes: Vec::new(),
                    clock_correction: clock.correction(),
                });
            }
            mongo::Collection::Updates | mongo::Collection::FollowUps => {
                let claim_id = mongo::string(f.get("claim_id"))
                    .ok_or_else(|| doc_err(file, doc, "`claim_id` is null".into()))?;
                if let Some(problem) = crate::model::id_problem(&claim_id) {
                    return Err(doc_err(file, doc, format!("`claim_id`: {problem}")));
                }
                let slot = *index.entry(claim_id.clone()).or_insert_with(|| {
                    out.push(Incoming {
                        file: file.clone(),
                        claim: Claim::new(claim_id.clone(), String::new()),
                        has_header: false,
                        notes: Vec::new(),
                        clock_correction: clock.correction(),
                    });
                    out.len() - 1
                });
                let slot = &mut out[slot];
                let claim = &mut slot.claim;
                if doc.collection == mongo::Collection::Updates {
                    let place = format!("{file} document {}", doc.number);
                    let (update, notes) =
                        update_from_doc(f, clock, &place).map_err(|m| doc_err(file, doc, m))?;
                    claim.updates.push(update);
                    slot.notes.extend(notes);
                } else {
                    claim
                        .follow_ups
                        .push(follow_up_from_doc(f, clock).map_err(|m| doc_err(file, doc, m))?);
                }
            }
        }
    }
    for incoming in &mut out {
        // The same document given twice (overlapping dumps) is one update, one follow-up.
        let claim = &mut incoming.claim;
        let mut seen = HashSet::new();
        let before = claim.updates.len() + claim.follow_ups.len();
        claim.updates.retain(|u| seen.insert(update_key(u, u.at)));
        let mut days = HashSet::new();
        claim.follow_ups.retain(|f| days.insert(f.date));
        let twice = before - claim.updates.len() - claim.follow_ups.len();
        if twice > 0 {
            incoming.notes.push(format!(
                "{} given twice in this import; kept once",
                crate::model::text::count(twice, "update or follow-up")
            ));
        }
        incoming.claim.normalize();
    }
    // An export's claim is titled as a page's would be when an update states the claim
    // (`Original claim: …`); else by the tracker's neutral headline; else by its `claim`.
    for &slot in index.values() {
        if !out[slot].has_header {
            continue;
        }
        let claim = &mut out[slot].claim;
        let stated = claim
            .updates
            .iter()
            .find_map(|u| text::original_claim(&u.body));
        let headline = claim
            .extra
            .value("tracker")
            .and_then(|t| {
                t.get("neutral_headline")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            })
            .filter(|h| !h.trim().is_empty());
        if let Some(title) = stated.or(headline) {
            claim.title = sanitize(&title);
        }
    }
    Ok(out)
}

/// The fields not mapped to a workspace field.
fn rest_of(fields: &Map<String, Value>, mapped: &[&str]) -> Map<String, Value> {
    fields
        .iter()
        .filter(|(k, _)| !mapped.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// Everything not mapped to a workspace field is kept under `tracker` on the record.
fn keep_under_tracker(rest: Map<String, Value>) -> Extra {
    let mut extra = Extra::new();
    if !rest.is_empty() {
        extra.insert("tracker", Value::Object(rest));
    }
    extra
}

fn keep_rest(fields: &Map<String, Value>, mapped: &[&str]) -> Extra {
    keep_under_tracker(rest_of(fields, mapped))
}

fn optional_date(
    f: &Map<String, Value>,
    key: &str,
    clock: Clock,
) -> Result<Option<chrono::NaiveDate>, String> {
    match f.get(key) {
        None | Some(Value::Null) => Ok(None),
        // A relative deadline (the tracker's Date_Delta) has no date; it stays in `tracker`.
        Some(Value::Object(_)) => Ok(None),
        Some(v) => mongo::date(v, clock)
            .map(Some)
            .ok_or_else(|| format!("`{key}` is not a date: {v}")),
    }
}

fn claim_from_doc(id: &str, f: &Map<String, Value>, clock: Clock) -> Result<Claim, String> {
    let title = mongo::string(f.get("claim")).unwrap_or_default();
    let mut claim = Claim::new(id, title);
    claim.kind = mongo::string(f.get("type"));
    claim.completion_condition = mongo::string(f.get("completion_condition"));
    claim.completion_due = optional_date(f, "completion_condition_date", clock)?;
    claim.article.published = optional_date(f, "article_date", clock)?;
    claim.article.url = mongo::string(f.get("article_link"));
    claim.priority = mongo::string(f.get("priority"));
    let mut mapped = vec![
        "_id",
        "claim",
        "type",
        "completion_condition",
        "article_date",
        "article_link",
        "priority",
    ];
    // A relative deadline is kept rather than mapped.
    if !matches!(f.get("completion_condition_date"), Some(Value::Object(_))) {
        mapped.push("completion_condition_date");
    }
    claim.extra = keep_rest(f, &mapped);
    Ok(claim)
}

/// An update document, and what the summary says of it (`place` names it there).
fn update_from_doc(
    f: &Map<String, Value>,
    clock: Clock,
    place: &str,
) -> Result<(Update, Vec<String>), String> {
    let at = f
        .get("created_at")
        .and_then(|v| mongo::timestamp(v, clock))
        .ok_or("update has no valid `created_at` timestamp")?;
    let (status, said) = status_of(mongo::string(f.get("verdict")).as_deref());
    let mut notes: Vec<String> = said.map(|s| format!("{place}: {s}")).into_iter().collect();
    let mut from_text = None;
    // Set when some listed sources were left out: the list is kept as exported.
    let mut sources_as_exported = false;
    let (body, sources, suggested) = match f.get("model_output") {
        // The tracker's fallback when its structured parse failed: read as the page
        // reads the same text (raw JSON decoded, its `Sources:` list, its dates).
        Some(Value::String(s)) => {
            let lines: Vec<&str> = s.lines().collect();
            let (body, decoded) = page::read_body(&lines.join("\n"));
            notes.extend(body_notes(place, &status, &body, decoded));
            let out = (
                body.text.clone(),
                body.sources.clone(),
                body.suggested_follow_up,
            );
            from_text = Some(body);
            out
        }
        Some(Value::Object(o)) => {
            // Web addresses only: a `javascript:` link, an empty string or a number is no
            // source (said, and kept under `tracker` with the rest of the output).
            let listed: Vec<Value> = match o.get("sources") {
                Some(Value::Array(a)) => a.clone(),
                Some(Value::String(s)) => vec![Value::String(s.clone())],
                _ => Vec::new(),
            };
            let sources: Vec<String> = listed
                .iter()
                .filter_map(|s| s.as_str())
                .filter(|s| crate::report::export::is_web_url(s))
                .map(str::to_owned)
                .collect();
            if sources.len() < listed.len() {
                sources_as_exported = true;
                notes.push(format!(
                    "{place}: {} in model_output.sources not a web address; left out",
                    crate::model::text::count(listed.len() - sources.len(), "entry")
                ));
            }
            // A date that does not exist (`2026-02-29`) is said and left out, as on a page.
            let suggested = match o.get("follow_up_date") {
                None | Some(Value::Null) => None,
                Some(v) => {
                    let date = mongo::date(v, clock);
                    if date.is_none() {
                        notes.push(format!(
                            "{place}: recommended follow-up date {v} does not exist; ignored"
                        ));
                    }
                    date
                }
            };
            // Markdown with the tracker's own links: read as its page shows it, so the
            // same update from the page and from the database has the same body.
            let markdown = mongo::string(o.get("text")).unwrap_or_default();
            let (lines, links) = text::from_markdown(&markdown);
            let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
            let read = text::rebuild(&lines);
            notes.extend(body_notes(place, &status, &read, false));
            let mut sources: Vec<String> = sources;
            for url in read.sources.iter().chain(&links) {
                if !sources.contains(url) {
                    sources.push(url.clone());
                }
            }
            (read.text, sources, suggested.or(read.suggested_follow_up))
        }
        None | Some(Value::Null) => (String::new(), Vec::new(), None),
        Some(other) => {
            return Err(format!(
                "`model_output` is neither text nor an object: {other}"
            ));
        }
    };
    let mut rest = rest_of(f, &["claim_id", "created_at", "verdict", "model_output"]);
    if let Some(Value::Object(o)) = f.get("model_output") {
        let mapped: &[&str] = if sources_as_exported {
            &["text", "follow_up_date"]
        } else {
            &["text", "sources", "follow_up_date"]
        };
        let output_rest = rest_of(o, mapped);
        if !output_rest.is_empty() {
            rest.insert("model_output".into(), Value::Object(output_rest));
        }
    }
    if body.trim().is_empty() {
        notes.push(format!("{place}: the update has no text"));
    }
    let mut extra = keep_under_tracker(rest);
    if let Some(body) = &from_text {
        extra = with_status_in_text(extra, &status, body);
    }
    Ok((
        Update {
            at,
            status: status.into(),
            body: body.trim().into(),
            sources,
            suggested_follow_up: suggested,
            extra,
        },
        notes,
    ))
}

fn follow_up_from_doc(f: &Map<String, Value>, clock: Clock) -> Result<FollowUp, String> {
    let date =
        optional_date(f, "follow_up_date", clock)?.ok_or("follow-up has no `follow_up_date`")?;
    let processed = !matches!(f.get("processed_at"), None | Some(Value::Null));
    Ok(FollowUp {
        date,
        state: if processed {
            FollowUpState::Done
        } else {
            FollowUpState::Scheduled
        },
        note: String::new(),
        original_date: None,
        original_place: None,
        extra: keep_rest(f, &["claim_id", "follow_up_date"]),
    })
}

/// What an import did to one claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClaimSummary {
    pub id: String,
    pub title: String,
    pub file: String,
    /// True when the workspace did not have the claim before.
    pub new_claim: bool,
    pub updates_new: usize,
    pub updates_total: usize,
    /// Updates per tracker status, over all of the claim's updates.
    pub statuses: BTreeMap<String, usize>,
    pub follow_ups_new: usize,
    pub follow_ups_total: usize,
    pub completion_due: Option<chrono::NaiveDate>,
    pub article_published: Option<chrono::NaiveDate>,
    pub oldest_update: Option<chrono::DateTime<chrono::Utc>>,
    pub newest_update: Option<chrono::DateTime<chrono::Utc>>,
    /// Anything skipped or not recognised.
    pub notes: Vec<String>,
}

/// Merges imported claims into the workspace. Reviewers' work — titles, tags, reviews,
/// follow-up states and notes — is kept; new updates and follow-ups are added; an update
/// already present (same time, status and body) is not added twice.
pub fn merge(
    workspace: &mut Workspace,
    incoming: Vec<Incoming>,
) -> Result<Vec<ClaimSummary>, ImportError> {
    // Check first, change after: a failure leaves the workspace as it was.
    for inc in &incoming {
        if !inc.has_header && workspace.claim(&inc.claim.id).is_none() {
            return Err(ImportError::new(
                &inc.file,
                None,
                format!(
                    "updates or follow-ups for claim `{}`, which is neither in the export's claims nor in the workspace",
                    inc.claim.id
                ),
            ));
        }
    }
    // Updates are moved to the corrected clock only in a workspace an earlier version
    // imported (with the stored clock); in one imported since, an update 5 hours from
    // another is another update.
    let stored_clock = workspace.extra.get(TRACKER_CLOCK).is_none();
    let corrects = incoming.iter().any(|i| i.clock_correction.is_some());
    let mut summaries = Vec::new();
    for inc in incoming {
        let mut notes = inc.notes;
        let pos = workspace.claims.iter().position(|c| c.id == inc.claim.id);
        let (claim, new_claim, updates_new, follow_ups_new) = match pos {
            None => {
                let c = inc.claim;
                let (u, f) = (c.updates.len(), c.follow_ups.len());
                workspace.claims.push(c);
                (workspace.claims.last_mut(), true, u, f)
            }
            Some(i) => {
                let existing = &mut workspace.claims[i];
                let retimed = inc
                    .clock_correction
                    .filter(|_| stored_clock)
                    .map_or(0, |d| retime(existing, &inc.claim, d));
                if retimed > 0 {
                    notes.push(format!(
                        "{} imported before with the tracker's stored time now {} {} earlier",
                        crate::model::text::count(retimed, "update"),
                        if retimed == 1 { "stands" } else { "stand" },
                        humanize(inc.clock_correction.unwrap_or_default())
                    ));
                }
                let (u, f) = merge_claim(existing, inc.claim, inc.has_header);
                (Some(existing), false, u, f)
            }
        };
        let Some(claim) = claim else { continue };
        let mut statuses = BTreeMap::new();
        for u in &claim.updates {
            *statuses.entry(u.status.to_string()).or_insert(0) += 1;
        }
        summaries.push(ClaimSummary {
            id: claim.id.clone(),
            title: claim.title.clone(),
            file: inc.file,
            new_claim,
            updates_new,
            updates_total: claim.updates.len(),
            statuses,
            follow_ups_new,
            follow_ups_total: claim.follow_ups.len(),
            completion_due: claim.completion_due,
            article_published: claim.article.published,
            oldest_update: claim.updates.first().map(|u| u.at),
            newest_update: claim.updates.last().map(|u| u.at),
            notes,
        });
    }
    if corrects {
        workspace.extra.insert(TRACKER_CLOCK, CLOCK_CORRECTED);
    }
    Ok(summaries)
}

/// Moves the updates of `into` that an earlier import brought in at the tracker's stored
/// time (`correction` later than `from` has them, same status and body) to the time
/// `from` has; returns how many.
fn retime(into: &mut Claim, from: &Claim, correction: chrono::TimeDelta) -> usize {
    let corrected: HashSet<UpdateKey> = from.updates.iter().map(|u| update_key(u, u.at)).collect();
    let matched = |u: &Update| {
        corrected.contains(&update_key(u, u.at - correction))
            && !corrected.contains(&update_key(u, u.at))
    };
    // One update met at the stored time shows the claim was imported with the stored
    // clock: all its updates move, those the input no longer shows too.
    if !into.updates.iter().any(matched) {
        return 0;
    }
    let mut moved = 0;
    for u in &mut into.updates {
        if !corrected.contains(&update_key(u, u.at)) {
            u.at -= correction;
            moved += 1;
        }
    }
    moved
}

/// What tells two reads of one tracker update from two updates: the minute it was
/// written (a page shows minutes, an export milliseconds), its status, and its body's
/// text without its spacing (an earlier importer joined broken lines with a space after
/// a bracket, or ran paragraphs together).
type UpdateKey = (i64, String, String);

fn update_key(u: &Update, at: chrono::DateTime<chrono::Utc>) -> UpdateKey {
    (
        at.timestamp().div_euclid(60),
        u.status.to_string(),
        u.body.chars().filter(|c| !c.is_whitespace()).collect(),
    )
}

/// Whether an update came from a database export (it carries the tracker's `_id`).
fn from_export(u: &Update) -> bool {
    u.extra
        .value("tracker")
        .is_some_and(|t| t.get("_id").is_some())
}

fn humanize(d: chrono::TimeDelta) -> String {
    crate::model::text::count(d.num_hours().unsigned_abs() as usize, "hour")
}

/// Adds what `from` has that `into` lacks; returns (updates added, follow-ups added).
fn merge_claim(into: &mut Claim, from: Claim, has_header: bool) -> (usize, usize) {
    if has_header {
        // Tracker-owned fields follow the tracker; the title is the reviewers', unless it
        // is still the one a page import guessed.
        if !from.title.is_empty() && from.title != into.title && title_was_guessed(into) {
            into.title = from.title.clone();
        }
        if from.kind.is_some() {
            into.kind = from.kind;
        }
        if from.completion_condition.is_some() {
            into.completion_condition = from.completion_condition;
        }
        if from.completion_due.is_some() {
            into.completion_due = from.completion_due;
            // A deadline from the export itself is one.
            if from.extra.get(Claim::COMPLETION_DUE_DERIVED).is_none() {
                into.extra.remove(Claim::COMPLETION_DUE_DERIVED);
            }
        }
        if from.priority.is_some() {
            into.priority = from.priority;
        }
        if from.article.published.is_some() {
            into.article.published = from.article.published;
        }
        if from.article.url.is_some() {
            into.article.url = from.article.url;
        }
        for (k, v) in from.extra.iter() {
            into.extra.insert_json(k, v);
        }
    }
    let known: std::collections::HashMap<UpdateKey, usize> = into
        .updates
        .iter()
        .enumerate()
        .map(|(i, u)| (update_key(u, u.at), i))
        .collect();
    let mut added_updates = 0;
    for u in from.updates {
        match known.get(&update_key(&u, u.at)) {
            // The same update: its text as this import reads it (the tracker's text never
            // changes; the importer's reading of it may have improved), its sources too.
            Some(&i) => {
                let old = &mut into.updates[i];
                let said_in_text = u.status_in_text();
                if old.suggested_follow_up.is_none() {
                    old.suggested_follow_up = u.suggested_follow_up;
                }
                // A page's reading never replaces an export's (the export holds the
                // tracker's own text; a page only its rendering).
                if old.body != u.body && (from_export(&u) || !from_export(old)) {
                    old.body = u.body;
                }
                if let Some(said) = said_in_text
                    && old.status_in_text().is_none()
                {
                    old.extra.insert(Update::STATUS_IN_TEXT, said);
                }
                for s in u.sources {
                    if !old.sources.contains(&s) {
                        old.sources.push(s);
                    }
                }
            }
            None => {
                into.updates.push(u);
                added_updates += 1;
            }
        }
    }
    // A follow-up a reviewer moved or deleted stays as the reviewer left it.
    let mut added_follow_ups = 0;
    for f in from.follow_ups {
        if !into.knows_follow_up(f.date) {
            into.follow_ups.push(f);
            added_follow_ups += 1;
        }
    }
    into.normalize();
    (added_updates, added_follow_ups)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_from_file_names() {
        assert_eq!(
            id_from_file_name("tests/fixtures/000_39edfb4563007f91.txt").as_deref(),
            Some("39edfb4563007f91")
        );
        assert_eq!(id_from_file_name("claims.txt"), None);
        assert_eq!(id_from_file_name("000_39edfb45.txt"), None);
    }

    #[test]
    fn utc_offsets() {
        assert_eq!(
            parse_utc_offset("+02:00").map(|o| o.local_minus_utc()),
            Some(7200)
        );
        assert_eq!(
            parse_utc_offset("-0530").map(|o| o.local_minus_utc()),
            Some(-19800)
        );
        assert_eq!(parse_utc_offset("Z").map(|o| o.local_minus_utc()), Some(0));
        assert_eq!(parse_utc_offset("2"), None);
        assert_eq!(parse_utc_offset("+25:00"), None);
    }

    #[test]
    fn decode_normalises_line_ends_and_refuses_bad_bytes() {
        assert_eq!(
            decode("f", b"\xef\xbb\xbfa\r\nb\rc").expect("decodes"),
            "a\nb\nc"
        );
        let e = decode("f", b"ab\xffcd").expect_err("invalid");
        assert!(e.message.contains("byte 2"), "{e}");
        assert!(
            decode("f", b"  \n")
                .expect_err("empty")
                .message
                .contains("empty")
        );
    }
}
