//! Exports for the rest of the newsroom: ClaimReview (schema.org JSON-LD), CSV for
//! spreadsheets, a Markdown report, and iCalendar follow-ups. Each returns the file's text.

use super::Selected;
use crate::model::{Claim, FollowUpState, Review, Split, Verdict};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::{Value, json};
use std::fmt::Write;

/// The numbers ClaimReview's `reviewRating` gets for each verdict: a 1–6 scale from the
/// claim that will not be met to the claim that is met, the unverifiable ones in the
/// middle (neither).
pub const RATING_WORST: u8 = 1;
pub const RATING_BEST: u8 = 6;

pub fn rating_value(v: Verdict) -> u8 {
    match v {
        Verdict::Failed => 1,
        Verdict::Stalled => 2,
        Verdict::Unverifiable => 3,
        Verdict::InProgress => 4,
        Verdict::Partial => 5,
        Verdict::Complete => 6,
    }
}

/// Whether a URL is a web address (`http:` or `https:`): no other scheme (`javascript:`,
/// `data:`) is ever written into an export.
pub fn is_web_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    // A host, at least: `https://` alone is no address.
    rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/')) && !url.contains(char::is_whitespace)
}

/// A claim id as one segment of a URL path: anything but unreserved characters is
/// percent-encoded.
fn url_segment(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One `ClaimReview` per reviewed claim, as a JSON-LD array, safe to paste into a
/// `<script type="application/ld+json">` element: `<`, `>` and `&` (and the line and
/// paragraph separators) are written as `\u` escapes, so neither `</script>` nor `<!--`
/// can appear. A claim whose reviewers are split is not published as settled: it is left
/// out, or with `disputed` included, its rating's explanation begins by saying so.
pub fn claimreview(selected: &[Selected<'_>], base_url: &str, disputed: bool) -> String {
    let base = base_url.trim_end_matches('/');
    let items: Vec<Value> = selected
        .iter()
        .filter_map(|s| s.claim.reviews.last().map(|r| (s.claim, r)))
        .filter_map(|(c, r)| match Split::of(c) {
            None => Some(claimreview_item(c, r, base, None)),
            Some(split) if disputed => Some(claimreview_item(c, r, base, Some(&split))),
            Some(_) => None,
        })
        .collect();
    let text = serde_json::to_string_pretty(&Value::Array(items)).unwrap_or_default();
    script_safe(&text) + "\n"
}

/// JSON text with the characters an HTML `<script>` element or a JavaScript parser
/// reads specially escaped; they can only stand inside strings, where the escape means
/// the same character.
fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for ch in json.chars() {
        match ch {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

fn claimreview_item(c: &Claim, r: &Review, base: &str, split: Option<&Split>) -> Value {
    let mut appearance = json!({ "@type": "CreativeWork" });
    if let Some(url) = c.article.url.as_deref().filter(|u| is_web_url(u)) {
        appearance["url"] = json!(url);
    }
    if let Some(d) = c.article.published {
        appearance["datePublished"] = json!(d.to_string());
    }
    if let Some(outlet) = &c.article.outlet {
        appearance["publisher"] = json!({ "@type": "Organization", "name": outlet });
    }
    let mut item_reviewed = json!({ "@type": "Claim", "appearance": appearance });
    if let Some(d) = c.article.published {
        item_reviewed["datePublished"] = json!(d.to_string());
    }
    // Who made the claim, where known: the outlet that published it.
    if let Some(outlet) = &c.article.outlet {
        item_reviewed["author"] = json!({ "@type": "Organization", "name": outlet });
    }
    let mut rating = json!({
        "@type": "Rating",
        "ratingValue": rating_value(r.verdict),
        "bestRating": RATING_BEST,
        "worstRating": RATING_WORST,
        "alternateName": r.verdict.label(),
    });
    let explanation = match split {
        Some(split) => format!(
            "Disputed: the reviewers disagree ({}); this is the latest verdict, not a settled one.{}{}",
            split.describe(),
            if r.note.is_empty() { "" } else { " " },
            r.note
        ),
        None => r.note.clone(),
    };
    if !explanation.is_empty() {
        rating["ratingExplanation"] = json!(explanation);
    }
    json!({
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": format!("{base}/{}", url_segment(&c.id)),
        "claimReviewed": c.title,
        "datePublished": r.at.date_naive().to_string(),
        "author": { "@type": "Person", "name": r.reviewer },
        "itemReviewed": item_reviewed,
        "reviewRating": rating,
    })
}

/// Cells a spreadsheet would run as a formula are made text: a leading `'`.
pub fn neutralize(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// The columns, in order; `disputed` names the split when the reviewers disagree (`ana
/// says failed, ben says complete`), empty otherwise: `verdict` is then only the latest.
pub const CSV_HEADER: [&str; 14] = [
    "id",
    "title",
    "verdict",
    "reviewer",
    "reviewed_at",
    "rationale",
    "tracker_status",
    "updates",
    "next_follow_up",
    "completion_due",
    "article_published",
    "article_url",
    "tags",
    "disputed",
];

/// A header row, then one row per claim (RFC 4180 quoting by the csv crate).
pub fn csv(selected: &[Selected<'_>]) -> Result<String, csv::Error> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(CSV_HEADER)?;
    let date = |d: Option<NaiveDate>| d.map_or(String::new(), |d| d.to_string());
    for s in selected {
        let c = s.claim;
        let r = c.reviews.last();
        let row = [
            c.id.clone(),
            c.title.clone(),
            c.verdict()
                .map_or("unreviewed".to_owned(), |v| v.as_str().to_owned()),
            r.map_or(String::new(), |r| r.reviewer.clone()),
            r.map_or(String::new(), |r| r.at.to_rfc3339()),
            r.map_or(String::new(), |r| r.note.clone()),
            c.latest_status().unwrap_or("").to_owned(),
            c.updates.len().to_string(),
            date(c.next_follow_up().map(|f| f.date)),
            date(c.completion_due),
            date(c.article.published),
            c.article.url.clone().unwrap_or_default(),
            c.tags.join(", "),
            Split::of(c).map_or(String::new(), |s| s.describe()),
        ];
        w.write_record(row.iter().map(|cell| neutralize(cell)))?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Text as itself in Markdown: every ASCII punctuation character that could start
/// syntax anywhere in a line (emphasis, code, links, raw HTML, strikethrough, tables,
/// entities) is backslash-escaped, and so is what would start a block at the start of
/// the line (`- `, `+ `, `1. `, `1) `, `=`), so a title, an id or a rationale never
/// turns into markup.
fn md(text: &str) -> String {
    let text = crate::model::display_safe(text);
    let mut out = String::with_capacity(text.len() + 8);
    let mut at_start = true;
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        let escape = matches!(
            ch,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&' | '!'
        ) || (at_start && matches!(ch, '-' | '+' | '=' | ':'))
            || (ch.is_ascii_digit() && at_start && {
                // `1.` or `1)` at the start: an ordered list; escape its marker.
                let mut rest = chars.clone();
                while rest.peek().is_some_and(char::is_ascii_digit) {
                    rest.next();
                }
                matches!(rest.peek(), Some('.' | ')'))
            });
        if ch.is_ascii_digit() && escape {
            // Escape the `.` or `)` after the digits instead (a digit cannot be escaped).
            out.push(ch);
            while let Some(d) = chars.next_if(char::is_ascii_digit) {
                out.push(d);
            }
            if let Some(mark) = chars.next() {
                out.push('\\');
                out.push(mark);
            }
            at_start = false;
            continue;
        }
        if escape {
            out.push('\\');
        }
        out.push(ch);
        at_start = ch == ' ' && at_start;
    }
    out
}

/// A report grouped by verdict, readable as text and on a forge. Claims whose reviewers
/// are split have a section of their own (*Disputed*), never their latest verdict's.
pub fn markdown(selected: &[Selected<'_>], today: NaiveDate) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Claim review report\n");
    let _ = writeln!(
        out,
        "{}, as of {today}.\n",
        crate::model::text::count(selected.len(), "claim")
    );
    // Each verdict's section, then the disputed, then the unreviewed.
    let mut groups: Vec<(&str, Vec<&Claim>)> = Verdict::ALL
        .iter()
        .map(|v| (v.label(), Vec::new()))
        .collect();
    groups.push(("Disputed", Vec::new()));
    groups.push(("Unreviewed", Vec::new()));
    for s in selected {
        let group = match (Split::of(s.claim), s.claim.verdict()) {
            (Some(_), _) => Verdict::ALL.len(),
            (None, Some(v)) => Verdict::ALL.iter().position(|x| *x == v).unwrap_or(0),
            (None, None) => Verdict::ALL.len() + 1,
        };
        if let Some(g) = groups.get_mut(group) {
            g.1.push(s.claim);
        }
    }
    let _ = writeln!(out, "| Verdict | Claims |\n|---|---:|");
    for (label, claims) in &groups {
        let _ = writeln!(out, "| {label} | {} |", claims.len());
    }
    for (label, claims) in groups.iter().filter(|(_, c)| !c.is_empty()) {
        let _ = writeln!(out, "\n## {label} ({})", claims.len());
        for c in claims {
            let _ = writeln!(out, "\n### {}\n", md(&c.title));
            let next = c.next_follow_up().map_or("none".to_owned(), |f| {
                let late = if f.date < today { " (overdue)" } else { "" };
                format!("{}{late}", f.date)
            });
            let _ = writeln!(out, "- Claim {}", md(&c.id));
            let _ = writeln!(
                out,
                "- Tracker: {} ({})",
                md(c.latest_status().unwrap_or("no updates")),
                crate::model::text::count(c.updates.len(), "update")
            );
            let _ = writeln!(out, "- Next follow-up: {next}");
            if let Some(split) = Split::of(c) {
                let _ = writeln!(
                    out,
                    "- Disputed: {}; the latest verdict is not a settled one",
                    md(&split.describe())
                );
            }
            if let Some(d) = c.completion_due {
                let _ = writeln!(out, "- Completion due: {d}");
            }
            // The latest review; for a disputed claim, each side's, the earlier first.
            let shown: Vec<&Review> = match Split::of(c) {
                Some(split) => [&split.first.0, &split.second.0]
                    .into_iter()
                    .filter_map(|who| c.reviews.iter().rev().find(|r| &r.reviewer == who))
                    .collect(),
                None => c.reviews.last().into_iter().collect(),
            };
            for r in shown {
                let _ = writeln!(
                    out,
                    "- Reviewed by {} on {}: {}",
                    md(&r.reviewer),
                    r.at.date_naive(),
                    r.verdict.label()
                );
                if !r.note.is_empty() {
                    out.push('\n');
                    // Each line its own: a hard break (`\\` at its end) between them.
                    let lines: Vec<&str> = r.note.lines().collect();
                    for (i, line) in lines.iter().enumerate() {
                        let brk = if i + 1 < lines.len() { "\\" } else { "" };
                        let _ = writeln!(out, "> {}{brk}", md(line));
                    }
                    out.push('\n');
                }
            }
        }
    }
    out
}

/// RFC 5545 text: backslash, semicolon, comma and newline escaped.
fn ics_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in crate::model::sanitize(s).chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets, never inside a character, with CRLF endings.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut used = 0;
    for ch in line.chars() {
        let len = ch.len_utf8();
        if used + len > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(ch);
        used += len;
    }
    out.push_str("\r\n");
    out
}

/// One all-day `VEVENT` per follow-up, with a UID that stays the same across exports and
/// moves (the claim's id and the follow-up's first date), so that a calendar app updates
/// the event instead of keeping the old one beside a new one. A cancelled follow-up is
/// exported with `STATUS:CANCELLED` (its event goes away); a done one as `Done: …`.
pub fn ics(selected: &[Selected<'_>], now: DateTime<Utc>) -> String {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//claimdesk//follow-ups//EN",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:claimdesk follow-ups",
    ] {
        out.push_str(&fold(line));
    }
    let stamp = now.format("%Y%m%dT%H%M%SZ").to_string();
    for s in selected {
        let c = s.claim;
        for (i, f) in c.follow_ups.iter().enumerate() {
            // Follow-ups first set on the same day (the tracker writes several a day) are
            // told apart by their rank, which a move keeps: the second is `-2`, the first
            // has no suffix.
            let twin = match c.twin_rank(i) {
                0 => String::new(),
                n => format!("-{}", n + 1),
            };
            let verdict = match c.reviews.last() {
                Some(r) if !r.note.is_empty() => {
                    format!("Latest verdict: {} — {}", r.verdict, r.note)
                }
                Some(r) => format!("Latest verdict: {}", r.verdict),
                None => "Not reviewed yet".to_owned(),
            };
            let mut description = verdict;
            if !f.note.is_empty() {
                description.push_str(&format!("\nNote: {}", f.note));
            }
            description.push_str(&format!("\nClaim {}", c.id));
            out.push_str(&fold("BEGIN:VEVENT"));
            out.push_str(&fold(&format!(
                "UID:{}",
                ics_text(&format!(
                    "{}-{}{twin}@claimdesk",
                    c.id,
                    f.first_date().format("%Y%m%d")
                ))
            )));
            out.push_str(&fold(&format!("DTSTAMP:{stamp}")));
            out.push_str(&fold(&format!(
                "DTSTART;VALUE=DATE:{}",
                f.date.format("%Y%m%d")
            )));
            let end = f.date + Duration::days(1);
            out.push_str(&fold(&format!("DTEND;VALUE=DATE:{}", end.format("%Y%m%d"))));
            let (status, lead) = match f.state {
                FollowUpState::Scheduled => ("CONFIRMED", "Follow up"),
                FollowUpState::Done => ("CONFIRMED", "Done: follow up"),
                FollowUpState::Cancelled => ("CANCELLED", "Cancelled: follow up"),
            };
            out.push_str(&fold(&format!("STATUS:{status}")));
            out.push_str(&fold(&format!(
                "SUMMARY:{}",
                ics_text(&format!("{lead}: {}", c.title))
            )));
            out.push_str(&fold(&format!("DESCRIPTION:{}", ics_text(&description))));
            out.push_str(&fold("TRANSP:TRANSPARENT"));
            out.push_str(&fold("END:VEVENT"));
        }
    }
    out.push_str(&fold("END:VCALENDAR"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_never_splits_a_character() {
        let line = format!("SUMMARY:{}", "é".repeat(60));
        let folded = fold(&line);
        for part in folded.split("\r\n").filter(|p| !p.is_empty()) {
            assert!(part.len() <= 75, "{} octets", part.len());
        }
        assert_eq!(folded.replace("\r\n ", ""), format!("{line}\r\n"));
    }

    #[test]
    fn formula_cells_are_neutralised() {
        for bad in ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(neutralize(bad).starts_with('\''), "{bad:?}");
        }
        assert_eq!(neutralize("plain"), "plain");
    }

    #[test]
    fn the_rating_scale_covers_every_verdict_in_range() {
        let mut seen: Vec<u8> = Verdict::ALL.iter().map(|v| rating_value(*v)).collect();
        seen.sort_unstable();
        assert_eq!(seen, (RATING_WORST..=RATING_BEST).collect::<Vec<_>>());
    }
}
