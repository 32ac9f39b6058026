//! Reader for the tracker's claim page export (`NNN_<claim id>.txt`): finds every marker,
//! also where scraped text glued one to the end of the previous line, and turns the
//! entries into updates, follow-ups and dates. Text in, parsed page out; no I/O.

use super::text::{self, Body};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

/// The separator between a marker's kind and its date: ` · ` (middle dot).
const SEP: &str = " \u{b7} ";

/// The kinds of entry a page is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerKind {
    FollowUp,
    Update,
    CompletionDue,
    OriginalArticle,
}

impl MarkerKind {
    const ALL: [(MarkerKind, &'static str); 4] = [
        (MarkerKind::FollowUp, "Scheduled follow-up"),
        (MarkerKind::Update, "Update"),
        (MarkerKind::CompletionDue, "Completion due"),
        (MarkerKind::OriginalArticle, "Original article"),
    ];

    pub fn label(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(k, _)| *k == self)
            .map_or("", |(_, l)| l)
    }
}

/// One marker found in the page.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    pub kind: MarkerKind,
    /// 1-based line of the page where the marker stands.
    pub line: usize,
    pub date: NaiveDate,
    /// For updates: the time of day.
    pub time: Option<NaiveTime>,
    /// For updates: the status word glued after AM/PM; for follow-ups: `overdue` or empty.
    pub tail: String,
    /// Whether text preceded the marker on its line (a glued marker).
    pub glued: bool,
    /// The marker as written, when its date or time cannot be read (`Feb 30`, `13:00
    /// PM`, `4:47 AM`): its entry is reported and skipped, never read as part of the
    /// entry before it.
    pub unreadable: Option<String>,
}

/// An update as the page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct PageUpdate {
    pub line: usize,
    pub at: DateTime<Utc>,
    pub status: String,
    pub body: Body,
    /// Set when the body was the tracker's raw JSON output and was decoded.
    pub decoded_json: bool,
}

/// A follow-up as the page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct PageFollowUp {
    pub line: usize,
    pub date: NaiveDate,
    /// In the block at the top of the page (upcoming at the time of the export).
    pub upcoming: bool,
    /// Marked `overdue` by the page.
    pub overdue: bool,
}

/// Everything one page holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    pub updates: Vec<PageUpdate>,
    pub follow_ups: Vec<PageFollowUp>,
    pub completion_due: Option<NaiveDate>,
    pub article_published: Option<NaiveDate>,
    /// Things a reviewer should know about the page (unknown statuses, bad dates, …).
    pub notes: Vec<String>,
}

/// Why a page could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageError {
    pub line: usize,
    pub message: String,
}

/// Finds every marker in the page, in page order. Never panics on any input.
pub fn markers(text: &str) -> Vec<(Marker, usize, usize)> {
    // (marker, byte offset where the marker starts, byte offset where it ends)
    let mut found = Vec::new();
    let mut line_no = 0;
    let mut offset = 0;
    for raw_line in text.split_inclusive('\n') {
        line_no += 1;
        let line = raw_line.trim_end_matches(['\n', '\r']);
        for (start, end, marker) in markers_in_line(line, line_no) {
            found.push((marker, offset + start, offset + end));
        }
        offset += raw_line.len();
    }
    found
}

/// The markers on one line: at its start, glued to the end of other text, or glued to
/// each other. Returns (start, end, marker) with byte offsets in the line.
fn markers_in_line(line: &str, line_no: usize) -> Vec<(usize, usize, Marker)> {
    // Where a label stands right before " · ": (label start, kind, date start).
    let mut candidates = Vec::new();
    let mut search_from = 0;
    while let Some(rel) = line.get(search_from..).and_then(|l| l.find(SEP)) {
        let sep_at = search_from + rel;
        search_from = sep_at + SEP.len();
        let before = &line[..sep_at];
        for (kind, label) in MarkerKind::ALL {
            let Some(start) = before.len().checked_sub(label.len()) else {
                continue;
            };
            if before.is_char_boundary(start) && &before[start..] == label {
                candidates.push((start, kind, sep_at + SEP.len()));
                break;
            }
        }
    }
    let mut out: Vec<(usize, usize, Marker)> = Vec::new();
    for (i, &(start, kind, date_at)) in candidates.iter().enumerate() {
        // A marker's text runs to the next marker glued after it, or to the line's end.
        let end = candidates
            .get(i + 1)
            .map_or(line.len(), |c| c.0)
            .max(date_at);
        let marker = parse_marker_tail(kind, &line[date_at..end], line_no, start > 0)
            .unwrap_or_else(|| Marker {
                kind,
                line: line_no,
                date: NaiveDate::MIN,
                time: None,
                tail: String::new(),
                glued: start > 0,
                unreadable: Some(line[start..end].trim().to_owned()),
            });
        out.push((start, end, marker));
    }
    out
}

/// Parses `Mon DD, YYYY` (and for updates `, HH:MM AM<status>`).
fn parse_marker_tail(kind: MarkerKind, after: &str, line: usize, glued: bool) -> Option<Marker> {
    // "Feb 14, 2026" is 12 characters, all ASCII.
    let date_text = after.get(..12)?;
    let date = NaiveDate::parse_from_str(date_text, "%b %d, %Y").ok()?;
    let rest = &after[12..];
    match kind {
        MarkerKind::Update => {
            // ", 04:47 AMin_progress"
            let time_text = rest.strip_prefix(", ")?.get(..8)?;
            let time = NaiveTime::parse_from_str(time_text, "%I:%M %p").ok()?;
            let status = rest[2 + 8..].trim().to_owned();
            Some(Marker {
                kind,
                line,
                date,
                time: Some(time),
                tail: status,
                glued,
                unreadable: None,
            })
        }
        _ => Some(Marker {
            kind,
            line,
            date,
            time: None,
            tail: rest.trim().to_owned(),
            glued,
            unreadable: None,
        }),
    }
}

/// Reads a whole page. `offset` is the time zone the page's times are written in.
pub fn parse(text: &str, offset: FixedOffset) -> Result<Page, PageError> {
    let found = markers(text);
    if found.is_empty() {
        return Err(PageError {
            line: 1,
            message: "no tracker markers (`Update · …`, `Scheduled follow-up · …`) found".into(),
        });
    }
    let mut page = Page::default();
    // Follow-ups before the first update are the upcoming block at the top of the page.
    let mut seen_update = false;
    for (i, (marker, _start, line_end)) in found.iter().enumerate() {
        let body_end = found
            .get(i + 1)
            .map_or(text.len(), |(_, next_start, _)| *next_start);
        let body_text = text.get(*line_end..body_end).unwrap_or("");
        if let Some(written) = &marker.unreadable {
            page.notes.push(format!(
                "line {}: `{}` has a date or time that cannot be read; its entry was skipped",
                marker.line,
                crate::model::display_safe(written)
            ));
            continue;
        }
        match marker.kind {
            MarkerKind::Update => {
                seen_update = true;
                let time = marker.time.unwrap_or(NaiveTime::MIN);
                let local = NaiveDateTime::new(marker.date, time);
                let at = match offset.from_local_datetime(&local).single() {
                    Some(t) => t.with_timezone(&Utc),
                    None => local.and_utc(),
                };
                let (status, said) = super::status_of(Some(&marker.tail));
                let (body, decoded_json) = read_body(body_text);
                let place = format!("line {}", marker.line);
                page.notes.extend(said.map(|s| format!("{place}: {s}")));
                page.notes
                    .extend(super::body_notes(&place, &status, &body, decoded_json));
                page.updates.push(PageUpdate {
                    line: marker.line,
                    at,
                    status,
                    body,
                    decoded_json,
                });
            }
            MarkerKind::FollowUp => {
                let overdue = marker.tail.eq_ignore_ascii_case("overdue");
                if !marker.tail.is_empty() && !overdue {
                    page.notes.push(format!(
                        "line {}: follow-up marker ends in unknown \"{}\"",
                        marker.line, marker.tail
                    ));
                }
                page.follow_ups.push(PageFollowUp {
                    line: marker.line,
                    date: marker.date,
                    upcoming: !seen_update,
                    overdue,
                });
            }
            MarkerKind::CompletionDue => page.completion_due = Some(marker.date),
            MarkerKind::OriginalArticle => page.article_published = Some(marker.date),
        }
        if marker.kind != MarkerKind::Update && !body_text.trim().is_empty() {
            page.notes.push(format!(
                "line {}: text after `{}` marker ignored",
                marker.line + 1,
                marker.kind.label()
            ));
        }
    }
    if page.updates.is_empty() {
        // Say which update markers could not be read, if that is why.
        if let Some((marker, _, _)) = found
            .iter()
            .find(|(m, _, _)| m.kind == MarkerKind::Update && m.unreadable.is_some())
        {
            return Err(PageError {
                line: marker.line,
                message: format!(
                    "no `Update · …` entry could be read: `{}` has a date or time that cannot be read",
                    crate::model::display_safe(marker.unreadable.as_deref().unwrap_or(""))
                ),
            });
        }
        return Err(PageError {
            line: 1,
            message: "the page has markers but no `Update · …` entry".into(),
        });
    }
    Ok(page)
}

/// An update's body: the tracker's raw JSON output decoded when that is what the page
/// printed, else its lines rebuilt into paragraphs.
pub fn read_body(raw: &str) -> (Body, bool) {
    let lines: Vec<&str> = raw.lines().collect();
    if let Some(body) = decode_json_body(&lines) {
        return (body, true);
    }
    (text::rebuild(&lines), false)
}

fn decode_json_body(lines: &[&str]) -> Option<Body> {
    let open = lines.iter().position(|l| !l.trim().is_empty())?;
    if !lines[open].trim_start().starts_with('{') {
        return None;
    }
    // One JSON object (pretty, as a page prints it, or on one line, as the database
    // holds it), then nothing but a `Sources:` list: `- Title https://…` or bare URLs.
    let rest = lines[open..].join("\n");
    let mut stream = serde_json::Deserializer::from_str(&rest).into_iter::<serde_json::Value>();
    let value = stream.next()?.ok()?;
    let after: Vec<&str> = rest[stream.byte_offset()..]
        .lines()
        .map(str::trim)
        .collect();
    let after_ok = after.iter().all(|l| {
        l.is_empty()
            || l.eq_ignore_ascii_case("sources:")
            || l.starts_with("http")
            || (l.starts_with("- ") && text::urls_in(l).next().is_some())
    });
    if !after_ok || !value.is_object() {
        return None;
    }
    // The model's text is Markdown, as in a structured output: read the same way.
    let text_value = value.get("text")?.as_str()?;
    let (lines, links) = text::from_markdown(text_value);
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let body_text = text::join_lines(&lines).join("\n\n");
    let mut sources: Vec<String> = value
        .get("sources")
        .and_then(|s| s.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    for url in text::urls_in(&body_text).chain(links).chain(
        after
            .iter()
            .flat_map(|l| text::urls_in(l))
            .collect::<Vec<_>>(),
    ) {
        if !sources.contains(&url) {
            sources.push(url);
        }
    }
    let (mut suggested, mut invalid) = text::suggested_follow_up(&body_text);
    if let Some(date) = value.get("follow_up_date").and_then(|d| d.as_str()) {
        match NaiveDate::parse_from_str(date, "%Y-%m-%d") {
            Ok(d) => suggested = Some(d),
            Err(_) if !invalid.iter().any(|i| i == date) => invalid.push(date.to_owned()),
            Err(_) => {}
        }
    }
    Some(Body {
        text: body_text,
        sources,
        suggested_follow_up: suggested,
        invalid_follow_ups: invalid,
        status_in_text: value
            .get("verdict")
            .and_then(|v| v.as_str())
            .map(str::to_owned),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc() -> FixedOffset {
        FixedOffset::east_opt(0).expect("zero offset")
    }

    #[test]
    fn finds_glued_markers() {
        let page = "Scheduled follow-up · Feb 20, 2026\n\
            Update · Feb 14, 2026, 04:47 AMin_progress\n\
            Body with\nMexico inside.\n\
            Sources:\nhttps://x.org/a/Update · Feb 04, 2026, 01:06 PMcomplete\n\
            Second body.\n\
            Scheduled follow-up · Feb 01, 2026overdue\n\
            Completion due · Jan 23, 2026\n\
            Original article · Jan 12, 2026\n";
        let p = parse(page, utc()).expect("parses");
        assert_eq!(p.updates.len(), 2);
        assert_eq!(p.updates[0].body.text, "Body with Mexico inside.");
        assert_eq!(p.updates[0].body.sources, vec!["https://x.org/a/"]);
        assert_eq!(p.updates[1].status, "complete");
        assert_eq!(p.updates[1].at.to_rfc3339(), "2026-02-04T13:06:00+00:00");
        assert_eq!(p.follow_ups.len(), 2);
        assert!(p.follow_ups[0].upcoming && !p.follow_ups[0].overdue);
        assert!(!p.follow_ups[1].upcoming && p.follow_ups[1].overdue);
        assert_eq!(
            p.completion_due.map(|d| d.to_string()).as_deref(),
            Some("2026-01-23")
        );
        assert_eq!(
            p.article_published.map(|d| d.to_string()).as_deref(),
            Some("2026-01-12")
        );
    }

    #[test]
    fn twelve_am_and_pm_and_offsets() {
        let page = "Update · Jan 01, 2026, 12:05 AMin_progress\nx.\nUpdate · Jan 01, 2026, 12:05 PMfailed\ny.\n";
        let p = parse(page, FixedOffset::east_opt(3600).expect("offset")).expect("parses");
        assert_eq!(p.updates[0].at.to_rfc3339(), "2025-12-31T23:05:00+00:00");
        assert_eq!(p.updates[1].at.to_rfc3339(), "2026-01-01T11:05:00+00:00");
        assert_eq!(p.updates[1].status, "failed");
    }

    #[test]
    fn unknown_status_is_kept_and_reported() {
        let p = parse("Update · Jan 01, 2026, 10:00 AMstalled_out\nx.\n", utc()).expect("parses");
        assert_eq!(p.updates[0].status, "stalled_out");
        assert!(
            p.notes
                .iter()
                .any(|n| n.contains("status \"stalled_out\" is not one of the tracker's"))
        );
    }

    #[test]
    fn raw_json_bodies_are_decoded() {
        let page = "Update · Jan 19, 2026, 04:12 AMcomplete\n{\n\"verdict\": \"in_progress\",\n\"text\": \"First para.\\n\\nFollow-up: 2026-02-29\"\n,\n\"follow_up_date\": \"2026-02-29\"\n}\nSources:\n";
        let p = parse(page, utc()).expect("parses");
        let u = &p.updates[0];
        assert!(u.decoded_json);
        assert_eq!(u.body.text, "First para.\n\nFollow-up: 2026-02-29");
        assert_eq!(u.body.suggested_follow_up, None);
        assert_eq!(u.body.invalid_follow_ups, vec!["2026-02-29"]);
    }

    #[test]
    fn pages_without_updates_are_refused() {
        assert!(parse("just some text\n", utc()).is_err());
        let e = parse("Scheduled follow-up · Feb 20, 2026\n", utc()).expect_err("no updates");
        assert!(e.message.contains("no `Update"));
    }
}
