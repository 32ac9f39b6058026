//! The claim details overlay's text: everything the workspace holds about a claim that
//! its rows and panes only abbreviate, built from the model alone.

use crate::model::Claim;
use chrono::NaiveDate;
use serde_json::Value;

/// The claim's details as paragraphs: its full title, what would settle it, where it was
/// said, when it is due, its tags, the tracker's own fields and where its review stands.
/// `verdict_key` is the key that records a verdict, as the keymap in force has it.
pub fn details_document(claim: &Claim, today: NaiveDate, verdict_key: &str) -> String {
    let mut doc = String::new();
    let mut field = |name: &str, value: &str| {
        doc.push_str(&format!("{name}: {value}\n"));
    };
    let or_none = |v: &Option<String>| {
        v.as_deref()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or("—")
            .to_owned()
    };
    field("Title", &claim.title);
    field(
        "Completion condition",
        &or_none(&claim.completion_condition),
    );
    field("Kind", &or_none(&claim.kind));
    field("Priority", &or_none(&claim.priority));
    let published = claim
        .article
        .published
        .map_or_else(|| "—".to_owned(), |d| d.format("%a %b %-d, %Y").to_string());
    field("Article date", &published);
    field("Outlet", &or_none(&claim.article.outlet));
    field("URL", &or_none(&claim.article.url));
    let due = match claim.completion_due {
        None => "—".to_owned(),
        Some(d) => {
            let days = (d - today).num_days();
            let when = match days {
                0 => "today".to_owned(),
                n if n > 0 => format!("in {n} days"),
                n => format!("{} days ago", -n),
            };
            let derived = if claim.extra.get(Claim::COMPLETION_DUE_DERIVED).is_some() {
                " (the tracker's page showed its earliest follow-up: it may not be a deadline)"
            } else {
                ""
            };
            format!("{} ({when}){derived}", d.format("%a %b %-d, %Y"))
        }
    };
    field("Completion due", &due);
    let tags = if claim.tags.is_empty() {
        "—".to_owned()
    } else {
        claim.tags.join(", ")
    };
    field("Tags", &tags);
    let latest = claim.latest_update().map_or_else(String::new, |u| {
        format!(
            ", the latest {} ({})",
            u.at.format("%b %-d, %Y %H:%M"),
            u.status
        )
    });
    field("Updates", &format!("{}{latest}", claim.updates.len()));
    field(
        "Follow-ups",
        &format!(
            "{} ({} due or overdue)",
            claim.follow_ups.len(),
            claim.follow_ups_due(today)
        ),
    );
    let verdict = claim.reviews.last().map_or_else(
        || format!("none yet ({verdict_key} records one)"),
        |r| {
            format!(
                "{} by {} on {}",
                r.verdict,
                crate::model::text::shown_name(&r.reviewer),
                r.at.format("%b %-d, %Y %H:%M UTC")
            )
        },
    );
    field("Reviews", &claim.reviews.len().to_string());
    field("Current verdict", &verdict);
    let queue = crate::model::NeedsReview::of(claim, today);
    field(
        "Review queue",
        &match queue.reasons() {
            reasons if reasons.is_empty() => "not in it: nothing new since the verdict".to_owned(),
            reasons => format!("wants a verdict: {}", reasons.join("; ")),
        },
    );
    if let (true, Some(status), Some(v)) = (queue.disagrees, claim.latest_status(), claim.verdict())
    {
        field(
            "Against the tracker",
            &format!(
                "the tracker says {status}, the verdict {v}: the reviewer's decision, kept until new updates or a new status bring the claim back"
            ),
        );
    }
    field("ID", &claim.id);
    if let Some(Value::Object(tracker)) = claim.extra.value("tracker") {
        // As the workspace keeps them, under `tracker`.
        doc.push('\n');
        for (key, value) in &tracker {
            let shown = match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            doc.push_str(&format!("tracker.{key}: {shown}\n"));
        }
    }
    doc.truncate(doc.trim_end().len());
    doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Review, Verdict};
    use chrono::{TimeZone, Utc};

    #[test]
    fn the_details_name_every_field_the_rows_abbreviate() {
        let mut c = Claim::new(
            "3a2f",
            "A title long enough to be cut in every row of the list",
        );
        c.completion_condition = Some("The bill passes".into());
        c.kind = Some("promise".into());
        c.article.outlet = Some("Reuters".into());
        c.article.url = Some("https://example.com/a".into());
        c.completion_due = NaiveDate::from_ymd_opt(2026, 1, 23);
        c.tags = vec!["border".into(), "fentanyl".into()];
        c.extra.insert(
            "tracker",
            serde_json::json!({"slug": "sig-actions", "mechanism": {"kind": "law"}}),
        );
        c.reviews.push(Review {
            at: Utc
                .with_ymd_and_hms(2026, 2, 1, 9, 30, 0)
                .single()
                .expect("a time"),
            reviewer: "ana".into(),
            verdict: Verdict::ALL[0],
            note: String::new(),
            seen_through: None,
            extra: Default::default(),
        });
        let today = NaiveDate::from_ymd_opt(2026, 2, 2).expect("a date");
        let doc = details_document(&c, today, "v");
        for line in [
            "Title: A title long enough to be cut in every row of the list",
            "Completion condition: The bill passes",
            "Kind: promise",
            "Priority: —",
            "Outlet: Reuters",
            "URL: https://example.com/a",
            "Completion due: Fri Jan 23, 2026 (10 days ago)",
            "Tags: border, fentanyl",
            "Reviews: 1",
            "ID: 3a2f",
            "tracker.slug: sig-actions",
            "tracker.mechanism: {\"kind\":\"law\"}",
        ] {
            assert!(doc.lines().any(|l| l == line), "no {line:?} in\n{doc}");
        }
        let current = format!(
            "Current verdict: {} by ana on Feb 1, 2026 09:30 UTC",
            Verdict::ALL[0]
        );
        assert!(doc.contains(&current), "{doc}");
    }
}
