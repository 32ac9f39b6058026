//! What the screen is showing: the workspace, which pane has focus, each pane's own
//! selection and scroll, the overlay on top, undo history and save status. Changed only
//! by `update`; read by drawing.

use super::action::Action;
use super::layout::Areas;
use super::view::{Filter, Sort};
use crate::model::{Claim, Edit, FollowUp, NeedsReview, Update, Verdict, Workspace};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use ratatui_textarea::TextArea;
use std::path::PathBuf;

/// The three panes, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Claims,
    Timeline,
    Calendar,
}

impl Pane {
    pub fn next(self) -> Self {
        match self {
            Self::Claims => Self::Timeline,
            Self::Timeline => Self::Calendar,
            Self::Calendar => Self::Claims,
        }
    }

    pub fn prev(self) -> Self {
        self.next().next()
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::Claims => "Claims",
            Self::Timeline => "Timeline",
            Self::Calendar => "Follow-ups",
        }
    }
}

/// What a one-line input is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputPurpose {
    /// A new follow-up on this day; the input is its note.
    NewFollowUp(NaiveDate),
    /// The note of the follow-up on this day (the `nth` of that day's, from 0).
    FollowUpNote(NaiveDate, usize),
    Title,
    /// Tags, separated by commas.
    Tags,
    /// Tags for every marked claim: the input starts with the tags they all have
    /// (`common`); what is taken out of those goes from each, what is added goes on each.
    MarkedTags {
        common: Vec<String>,
        count: usize,
    },
    /// Who the claim is assigned to (empty: no one).
    Assignee,
    /// A path to save the workspace to.
    SaveAs,
    /// A day for the calendar's cursor (`2026-03-02`, `Mar 2`, `+7`, `today`).
    GoToDay,
}

impl InputPurpose {
    /// Whether what is typed becomes part of the workspace (a title, tags, a note, an
    /// assignee), rather than a place to go (a day, a path).
    pub fn is_data(&self) -> bool {
        !matches!(self, Self::SaveAs | Self::GoToDay)
    }

    pub fn prompt(&self) -> String {
        match self {
            Self::NewFollowUp(d) => {
                format!("Note for the follow-up on {}", d.format("%a %b %-d, %Y"))
            }
            Self::FollowUpNote(d, _) => {
                format!("Note of the follow-up on {}", d.format("%a %b %-d, %Y"))
            }
            Self::Title => "Title".to_owned(),
            Self::Tags => "Tags, separated by commas".to_owned(),
            Self::MarkedTags { count: 1, .. } => {
                "Tags of the one marked claim, separated by commas".to_owned()
            }
            Self::MarkedTags { count, .. } => format!(
                "Tags of all {count} marked claims, separated by commas (each keeps its others)"
            ),
            Self::Assignee => "Assign to (a reviewer's name; empty: no one)".to_owned(),
            Self::SaveAs => "Save the workspace as (a path)".to_owned(),
            Self::GoToDay => {
                "Go to a day: 2026-03-02, Mar 2, 2 (this month), +7 or -7 days, today".to_owned()
            }
        }
    }
}

/// What a yes/no question is about.
#[derive(Debug, Clone)]
pub enum Question {
    /// Esc in the rationale editor, or in a one-line input whose text was changed: throw
    /// what was typed away? A no goes back to the editor as it was.
    DiscardTyped(Box<Overlay>),
    /// q with edits not saved: quit anyway?
    QuitUnsaved,
    /// The file changed on disk: reload, save elsewhere, or decide later?
    ChangedOnDisk,
    /// `a` on an update whose suggested follow-up day is already past: add it anyway?
    AcceptPastSuggestion(NaiveDate),
    /// One edit for every marked row: do it?
    ApplyToMarked(Box<MarkedEdit>),
}

/// An edit made for every marked claim or follow-up, waiting for a yes.
#[derive(Debug, Clone)]
pub struct MarkedEdit {
    /// A batch of one edit per marked row.
    pub edit: Edit,
    /// What it does, as a question: `Record the verdict stalled`.
    pub what: String,
    /// How many rows it changes, and what they are.
    pub count: usize,
    pub rows: MarkKind,
    /// What to show again once it is answered (the agenda it was asked from).
    pub back: Option<Box<Overlay>>,
    /// What a no goes back to instead: the editor it was asked from, with what was typed.
    pub declined: Option<Box<Overlay>>,
    /// After a yes, go on to the next claim in the review queue (`V`).
    pub then_next: bool,
}

/// What is marked: claims in the list, or follow-ups in the agenda.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkKind {
    Claims,
    FollowUps,
}

impl MarkKind {
    /// Where such rows are marked and acted on: the claim list, or the agenda.
    pub fn scope(self) -> crate::app::keymap::Scope {
        match self {
            Self::Claims => crate::app::keymap::Scope::Pane(Pane::Claims),
            Self::FollowUps => crate::app::keymap::Scope::Agenda,
        }
    }

    /// The row's name: `claim`, `follow-up`.
    pub fn noun(self) -> &'static str {
        match self {
            Self::Claims => "claim",
            Self::FollowUps => "follow-up",
        }
    }
}

/// Rows marked for one edit on them all (mutt's tagging): claims in the list, follow-ups
/// in the agenda. By id, so they stay marked when the list is sorted or filtered.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Marks {
    pub claims: std::collections::BTreeSet<String>,
    pub follow_ups: std::collections::BTreeSet<FollowUpAt>,
}

/// Where a follow-up is: its claim (by id), its day, and its place among that day's
/// follow-ups (from 0; a day may have several).
pub type FollowUpAt = (String, NaiveDate, usize);

impl Overlay {
    /// A one-line input for `purpose`, opening with `text`.
    pub fn input(purpose: InputPurpose, text: &str) -> Self {
        Self::Input {
            purpose,
            editor: editor(text),
            start: text.to_owned(),
        }
    }

    /// Whether closing this editor now would throw typed text away: a rationale with
    /// anything in it, or a one-line input for a field of the workspace whose text is no
    /// longer what it opened with.
    pub fn holds_typing(&self) -> bool {
        match self {
            Self::Rationale { editor, .. } => editor.lines().iter().any(|l| !l.trim().is_empty()),
            Self::Input {
                purpose,
                editor,
                start,
            } => purpose.is_data() && editor.lines().join(" ").trim() != start.trim(),
            _ => false,
        }
    }
}

/// What covers the panes, if anything.
#[derive(Debug, Clone)]
pub enum Overlay {
    /// The key list; `scroll` is its first shown row.
    Help {
        scroll: usize,
    },
    /// The selected update's full body; `scroll` is its first shown line.
    Reader {
        scroll: usize,
    },
    /// The selected claim's reviews, newest first.
    Reviews {
        scroll: usize,
    },
    /// Everything about the selected claim: full title, condition, article, tracker fields.
    Details {
        scroll: usize,
    },
    /// Every claim's follow-ups overdue, due or coming within `window` days.
    Agenda {
        list: ListState,
        window: u32,
    },
    /// The six verdicts; `selected` is a position on the scale.
    VerdictPicker {
        selected: usize,
        then_next: bool,
    },
    /// The rationale for a chosen verdict.
    Rationale {
        verdict: Verdict,
        editor: Box<TextArea<'static>>,
        then_next: bool,
    },
    /// A one-line input; `start` is the text it opened with.
    Input {
        purpose: InputPurpose,
        editor: Box<TextArea<'static>>,
        start: String,
    },
    /// The filters the list can show; `selected` indexes `view::filter_choices`.
    FilterMenu {
        selected: usize,
    },
    Confirm(Question),
}

/// A scrolling list's selection and the first row shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ListState {
    pub selected: usize,
    pub offset: usize,
}

impl ListState {
    /// Selects `index` (clamped to `len`) and scrolls so it shows in `visible` rows.
    pub(crate) fn select(&mut self, index: usize, len: usize, visible: usize) {
        self.selected = index.min(len.saturating_sub(1));
        self.reveal(visible);
    }

    /// Moves the offset the least so that the selection is within `visible` rows.
    pub(crate) fn reveal(&mut self, visible: usize) {
        let visible = visible.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + visible {
            self.offset = self.selected + 1 - visible;
        }
    }
}

/// The claim list pane: which claims show, in which order, and the selection.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClaimListState {
    /// Indices into `workspace.claims`, filtered and sorted.
    pub view: Vec<usize>,
    pub sort: Sort,
    pub filter: Filter,
    /// Selection and scroll, as positions in `view`.
    pub list: ListState,
    /// The selected claim, when an edit to it would have moved it in the sort or out of
    /// the filter: it keeps its place until the selection leaves it, so the cursor never
    /// goes with it and the claims after it stay after it.
    pub held: Option<Held>,
    /// Counts over the whole workspace for the status bar and messages, worked out when
    /// the list is rebuilt (not on every frame: a workspace may hold hundreds of
    /// thousands of updates).
    pub totals: crate::model::Totals,
}

/// A claim kept in its place in the list (see `ClaimListState::held`): its id, and the
/// ids of the claims that came after it when it was taken, in order; it stays right
/// before the first of those the list still shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub id: String,
    pub before: Vec<String>,
}

/// The timeline pane: which row is selected, the body's scroll, which runs are folded,
/// and what the selected claim's updates say (worked out once per claim). The rows are
/// derived from the analysis and the folding, and rebuilt whenever either changes — only
/// through the methods below.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineState {
    /// Selection and scroll, as positions in `rows`.
    pub list: ListState,
    /// First shown line of the body preview.
    pub body_scroll: usize,
    /// Runs of the same status show as one row.
    folded: bool,
    /// Runs unfolded one by one (by the index of their oldest update).
    expanded: std::collections::BTreeSet<usize>,
    analysis: std::sync::Arc<ClaimAnalysis>,
    /// Numbers each analysis, process-wide, so that text derived from one is known stale.
    generation: u64,
    /// How many updates the claim has.
    count: usize,
    rows: Timeline,
}

/// Numbers analyses across the process (a fresh `TimelineState` must never reuse one).
static ANALYSES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl Default for TimelineState {
    fn default() -> Self {
        Self {
            list: ListState::default(),
            body_scroll: 0,
            folded: true,
            expanded: Default::default(),
            analysis: Default::default(),
            generation: 0,
            count: 0,
            rows: Timeline::default(),
        }
    }
}

impl TimelineState {
    /// A fresh timeline for a claim of `count` updates, keeping whether runs fold.
    pub fn for_claim(folded: bool, analysis: ClaimAnalysis, count: usize) -> Self {
        let mut t = Self {
            folded,
            ..Self::default()
        };
        t.set_analysis(analysis, count);
        t
    }

    pub fn folded(&self) -> bool {
        self.folded
    }

    pub fn analysis(&self) -> &ClaimAnalysis {
        &self.analysis
    }

    /// The analysis shared, for work that outlives the frame.
    pub fn analysis_arc(&self) -> &std::sync::Arc<ClaimAnalysis> {
        &self.analysis
    }

    pub fn rows(&self) -> &Timeline {
        &self.rows
    }

    /// The claim's updates were analysed again (same claim, or after a change to it).
    pub(crate) fn set_analysis(&mut self, analysis: ClaimAnalysis, count: usize) {
        self.analysis = std::sync::Arc::new(analysis);
        self.generation = ANALYSES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.count = count;
        self.rebuild();
    }

    /// Folds every run, or shows every update; runs unfolded one by one are forgotten.
    pub(crate) fn set_folded(&mut self, folded: bool) {
        self.folded = folded;
        self.expanded.clear();
        self.rebuild();
    }

    /// Unfolds the run whose oldest update is `first`, or folds it again; true when it
    /// folded.
    pub(crate) fn toggle_run(&mut self, first: usize) -> bool {
        let folding = self.expanded.remove(&first);
        if !folding {
            self.expanded.insert(first);
        }
        self.rebuild();
        folding
    }

    /// Unfolds the run whose oldest update is `first`.
    pub(crate) fn expand(&mut self, first: usize) {
        if self.expanded.insert(first) {
            self.rebuild();
        }
    }

    /// Which analysis this is (see `Wrapped`).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    fn rebuild(&mut self) {
        self.rows = Timeline::build(&self.analysis.runs, self.count, self.folded, &self.expanded);
    }
}

/// What the selected claim's updates say: derived from the claim, kept while it shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClaimAnalysis {
    pub runs: Vec<crate::analysis::Run>,
    /// For each update (oldest first), what it says first.
    pub novelty: Vec<crate::analysis::Novelty>,
    /// Days the updates mention → the updates (oldest-first indices).
    pub mentions: std::collections::BTreeMap<NaiveDate, Vec<usize>>,
    /// Days updates suggest as follow-ups → the updates (oldest-first indices).
    pub suggestions: std::collections::BTreeMap<NaiveDate, Vec<usize>>,
    pub digest: crate::analysis::Digest,
    /// The digest's words, measured once (the layout asks how many rows they take).
    pub digest_parts: Vec<crate::app::digest::Part>,
}

impl ClaimAnalysis {
    pub fn of(claim: &Claim, today: NaiveDate) -> Self {
        let mut suggestions: std::collections::BTreeMap<NaiveDate, Vec<usize>> = Default::default();
        for (i, u) in claim.updates.iter().enumerate() {
            if let Some(d) = u.suggested_follow_up {
                suggestions.entry(d).or_default().push(i);
            }
        }
        let (novelty, mentions) = crate::analysis::novelty_and_mentions(&claim.updates);
        let digest = crate::analysis::digest(claim, today);
        Self {
            runs: crate::analysis::runs(&claim.updates),
            novelty,
            mentions,
            suggestions,
            digest_parts: crate::app::digest::parts(&digest, claim.updates.len()),
            digest,
        }
    }
}

pub use super::timeline::{Timeline, TimelineRow};

/// The calendar pane: the day cursor; the month shown is the cursor's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CalendarState {
    pub cursor: NaiveDate,
    /// Which of a day's several follow-ups the cursor is on: the day, and the place among
    /// its follow-ups (from 0). Only for that day; any other day starts at its first.
    pub pick: Option<(NaiveDate, usize)>,
}

impl CalendarState {
    pub fn at(cursor: NaiveDate) -> Self {
        Self { cursor, pick: None }
    }

    /// The first day of the month shown.
    pub fn month(&self) -> NaiveDate {
        first_of_month(self.cursor)
    }

    /// Which of the cursor day's follow-ups is picked (from 0).
    pub fn nth(&self) -> usize {
        match self.pick {
            Some((day, nth)) if day == self.cursor => nth,
            _ => 0,
        }
    }
}

/// The agenda's place, kept while it is closed: its window, the follow-up its cursor
/// was on, and the row a range of marks starts from (the last one `Space` toggled).
#[derive(Debug, Clone, PartialEq)]
pub struct AgendaPlace {
    pub window: u32,
    pub at: Option<FollowUpAt>,
    pub anchor: Option<FollowUpAt>,
}

impl Default for AgendaPlace {
    fn default() -> Self {
        Self {
            window: super::agenda::DEFAULT_WINDOW,
            at: None,
            anchor: None,
        }
    }
}

/// The first day of `date`'s month.
pub fn first_of_month(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

/// One undoable step: the edit that reverses it, and what it was.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub edit: Edit,
    pub label: String,
    /// On a database: the claims the step changes, as the edit it undoes left them.
    /// The step goes onto the server's copy only where that is still so: undo takes
    /// back this screen's own edit, never a colleague's change made since.
    pub left: Vec<crate::model::Claim>,
}

/// Undo and redo stacks; each entry is the edit that takes the workspace back (or
/// forward) one step.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    pub undo: Vec<Step>,
    pub redo: Vec<Step>,
}

/// How the session saves, and whether the disk is behind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SaveStatus {
    /// Edits not yet on disk.
    pub unsaved: usize,
    /// Why the last save failed, until one succeeds.
    pub error: Option<String>,
    /// Edits whose journal entry could not be written (a full disk, a folder gone): in
    /// memory only until a save succeeds.
    pub in_memory_only: usize,
    /// Why the journal could not take the last of them.
    pub journal_error: Option<String>,
    /// On a database: verdicts kept in the queue on this machine, not yet on the server.
    pub queued: usize,
    /// On a database: why the server cannot be reached, while it cannot.
    pub away: Option<String>,
    /// What the last save that went through warned of (the `.bak` it could not keep).
    pub warning: Option<String>,
}

/// Who is reviewing and how the session behaves.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub reviewer: String,
    /// Save after every edit (else Ctrl-s saves).
    pub autosave: bool,
    /// Opened read-only: edits are refused.
    pub read_only: bool,
    /// The workspace is a PostgreSQL database: each verdict goes to it as a row of its
    /// own as it is recorded; other edits are not built for a database yet.
    pub database: bool,
    pub theme: crate::config::Theme,
    /// The keys, with the config file's `[keys]` applied.
    pub keymap: super::keymap::Keymap,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            reviewer: "reviewer".to_owned(),
            autosave: true,
            read_only: false,
            database: false,
            theme: crate::config::Theme::default(),
            keymap: super::keymap::Keymap::default(),
        }
    }
}

/// Everything the screen shows. Changed only by `update` (and the builders that make
/// it); everything else reads it through the accessors below.
#[derive(Debug, Clone)]
pub struct State {
    pub(crate) workspace: Workspace,
    pub(crate) path: PathBuf,
    pub(crate) today: NaiveDate,
    pub(crate) settings: Settings,
    /// The terminal's size in columns and rows.
    pub(crate) size: (u16, u16),
    pub(crate) focus: Pane,
    /// The focused pane takes the whole screen (`+`); Tab moves the zoom with the focus.
    pub(crate) zoomed: bool,
    pub(crate) overlay: Option<Overlay>,
    /// Notices from background work (a save that found an outside change) that came
    /// while an overlay was open: each shows once the one before it is closed.
    pub(crate) queued: std::collections::VecDeque<Overlay>,
    /// Who holds the writer lock, when the session fell back to read-only because of it.
    pub(crate) held_by: Option<String>,
    /// A database workspace opened from its last local copy: why, and from when.
    pub offline: Option<String>,
    /// The workspace as the reviewer saw it when they began the edit open now, kept when
    /// the server's copy changed meanwhile: their edit is checked against what they saw,
    /// so that a colleague's change made under an open editor is never overwritten.
    pub(crate) seen: Option<Box<Workspace>>,
    /// The claim the open editor (a verdict's rationale, a title, tags, a note) was
    /// opened on: what it saves goes there, even if a colleague's change moved the list's
    /// selection meanwhile.
    pub(crate) editing: Option<String>,
    /// On a database: who else has which claim open now (claim id → their roles).
    pub(crate) presence: std::collections::BTreeMap<String, Vec<String>>,
    /// On a database: claims whose update rows do not read, and why (claim id → why).
    pub(crate) unreadable: std::collections::BTreeMap<String, String>,
    pub(crate) claims: ClaimListState,
    pub(crate) timeline: TimelineState,
    pub(crate) calendar: CalendarState,
    /// Where the agenda was when it was closed: it opens there again.
    pub(crate) agenda: AgendaPlace,
    pub(crate) history: History,
    pub(crate) marks: Marks,
    pub(crate) save: SaveStatus,
    /// The search, while there is one.
    pub(crate) search: Option<SearchState>,
    /// Set while the workspace file is still being read.
    pub(crate) loading: Option<Loading>,
    /// A one-line message for the status bar (what just happened, or what went wrong).
    pub(crate) message: Option<String>,
    pub(crate) quit: bool,
    /// The selected update's preview and its reader text, wrapped (see `derive_text`).
    pub(crate) preview: Wrapped,
    pub(crate) document: Wrapped,
}

/// Text the screen shows wrapped to a width, derived when what it is made of changes —
/// the claim, the update, the analysis, the width — and never on a frame of its own.
#[derive(Debug, Clone, Default)]
pub struct Wrapped {
    key: Option<WrapKey>,
    lines: std::sync::Arc<[String]>,
    /// How many leading lines are the "new here" paragraph.
    head_lines: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct WrapKey {
    claim: usize,
    update: usize,
    width: u16,
    analysis: u64,
}

impl Wrapped {
    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    pub fn head_lines(&self) -> usize {
        self.head_lines
    }

    /// Wraps `make()` to `key.width` unless what is held already is for `key`.
    fn refresh(&mut self, key: Option<WrapKey>, make: impl FnOnce() -> Option<String>) {
        if self.key == key && key.is_some() {
            return;
        }
        let doc = key.and_then(|_| make()).unwrap_or_default();
        let lines = key.map_or_else(Vec::new, |k| crate::wrap::wrap(&doc, usize::from(k.width)));
        self.head_lines = if doc.starts_with('✚') || doc.starts_with('=') {
            lines.iter().position(|l| l.is_empty()).unwrap_or(0)
        } else {
            0
        };
        self.lines = lines.into();
        self.key = key;
    }
}

/// Read access for the screen, the runtime and the tests: the state changes only through
/// `update`.
impl State {
    pub fn workspace(&self) -> &Workspace {
        &self.workspace
    }

    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    pub fn today(&self) -> NaiveDate {
        self.today
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The key that records a verdict, for the documents that say how to record one.
    pub fn verdict_key(&self) -> &'static str {
        self.settings
            .keymap
            .shown(crate::app::keymap::Scope::Global, &Action::OpenVerdict)
    }

    pub fn size(&self) -> (u16, u16) {
        self.size
    }

    pub fn focus(&self) -> Pane {
        self.focus
    }

    pub fn overlay(&self) -> Option<&Overlay> {
        self.overlay.as_ref()
    }

    pub fn queued(&self) -> &std::collections::VecDeque<Overlay> {
        &self.queued
    }

    pub fn held_by(&self) -> Option<&str> {
        self.held_by.as_deref()
    }

    pub fn claims(&self) -> &ClaimListState {
        &self.claims
    }

    pub fn timeline(&self) -> &TimelineState {
        &self.timeline
    }

    pub fn calendar(&self) -> &CalendarState {
        &self.calendar
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    pub fn save(&self) -> &SaveStatus {
        &self.save
    }

    pub fn search(&self) -> Option<&SearchState> {
        self.search.as_ref()
    }

    pub fn loading(&self) -> Option<Loading> {
        self.loading
    }

    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    pub fn quit(&self) -> bool {
        self.quit
    }

    pub fn preview(&self) -> &Wrapped {
        &self.preview
    }

    pub fn document(&self) -> &Wrapped {
        &self.document
    }
}

/// How far reading the workspace file has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Loading {
    pub read: u64,
    pub total: u64,
}

/// A search: what was typed, and what the latest finished search for it found.
#[derive(Debug, Clone)]
pub struct SearchState {
    pub query: String,
    /// The search line while it has the keyboard; None once Enter left it.
    pub editor: Option<Box<TextArea<'static>>>,
    /// Numbers each query; results for an older one are dropped.
    pub generation: u64,
    /// The results for `query`, once its search finished.
    pub results: Option<std::sync::Arc<crate::search::Results>>,
}

impl SearchState {
    /// Still waiting for the results of the current query.
    pub fn pending(&self) -> bool {
        !self.query.trim().is_empty()
            && self
                .results
                .as_ref()
                .is_none_or(|r| r.query != self.query.trim() || !r.complete)
    }

    /// The results that apply now (for the current, non-empty query).
    pub fn active_results(&self) -> Option<&crate::search::Results> {
        self.results
            .as_deref()
            .filter(|_| !self.query.trim().is_empty())
    }
}

impl State {
    pub fn new(workspace: Workspace, path: PathBuf, today: NaiveDate, size: (u16, u16)) -> Self {
        let mut state = Self {
            workspace,
            path,
            today,
            settings: Settings::default(),
            size,
            focus: Pane::Claims,
            zoomed: false,
            overlay: None,
            queued: Default::default(),
            held_by: None,
            offline: None,
            seen: None,
            presence: Default::default(),
            unreadable: Default::default(),
            editing: None,
            claims: ClaimListState::default(),
            timeline: TimelineState::default(),
            calendar: CalendarState::at(today),
            agenda: AgendaPlace::default(),
            history: History::default(),
            marks: Marks::default(),
            save: SaveStatus::default(),
            search: None,
            loading: None,
            message: None,
            quit: false,
            preview: Wrapped::default(),
            document: Wrapped::default(),
        };
        if !state.refresh_view(None) {
            state.claim_changed();
        }
        state.derive_text();
        state
    }

    /// Brings the wrapped preview and reader text up to date with the selection, the
    /// analysis and the screen: cheap when nothing they depend on changed. Called after
    /// every action, so drawing only reads.
    pub(crate) fn derive_text(&mut self) {
        let areas = self.areas();
        let base = self
            .selected_index()
            .zip(self.selected_update_index())
            .map(|(claim, update)| (claim, update, self.timeline.generation()));
        let key = |width: Option<u16>| {
            base.zip(width)
                .map(|((claim, update, analysis), width)| WrapKey {
                    claim,
                    update,
                    width,
                    analysis,
                })
        };
        let preview_key = key(areas.as_ref().map(|a| a.timeline_detail.width));
        let mut preview = std::mem::take(&mut self.preview);
        preview.refresh(preview_key, || self.selected_preview());
        self.preview = preview;
        // The reader's text only while it is open: a large body is wrapped once, not twice.
        let reading = matches!(self.overlay, Some(Overlay::Reader { .. }));
        let reader_key = key(areas.filter(|_| reading).map(|a| a.reader_inner().width));
        let mut document = std::mem::take(&mut self.document);
        document.refresh(reader_key, || self.selected_document());
        self.document = document;
    }

    pub fn with_settings(mut self, settings: Settings) -> Self {
        self.settings = settings;
        self
    }

    /// A state still waiting for its workspace: `total` bytes to read.
    pub fn with_loading(mut self, total: u64) -> Self {
        self.loading = Some(Loading { read: 0, total });
        self
    }

    /// A state whose status bar starts with `message`.
    pub fn with_message(mut self, message: Option<String>) -> Self {
        self.message = message;
        self
    }

    pub(crate) fn set_message(&mut self, message: impl Into<String>) {
        self.message = Some(message.into());
    }

    /// Shows `overlay`, or queues it behind the one open now (never replacing an editor
    /// and the text typed in it).
    pub(crate) fn present(&mut self, overlay: Overlay) {
        if self.overlay.is_some() {
            self.queued.push_back(overlay);
        } else {
            self.overlay = Some(overlay);
        }
    }

    /// The rows marked for one edit on them all.
    pub fn marks(&self) -> &Marks {
        &self.marks
    }

    /// The marked claims the workspace still has, in its order.
    pub fn marked_claims(&self) -> impl Iterator<Item = &Claim> {
        self.workspace
            .claims
            .iter()
            .filter(|c| self.marks.claims.contains(&c.id))
    }

    /// The key that saves, for messages that say to.
    pub fn save_key(&self) -> &'static str {
        self.settings
            .keymap
            .shown(super::keymap::Scope::Global, &Action::Save)
    }

    /// Why no claim is selected, when none is: what the list shows and how to change it.
    pub fn why_no_claim(&self) -> Option<String> {
        if self.selected_claim().is_some() {
            return None;
        }
        let searching = self
            .search
            .as_ref()
            .is_some_and(|s| !s.query.trim().is_empty());
        let keymap = &self.settings.keymap;
        let key = |scope, action| keymap.shown(scope, &action);
        let claims = super::keymap::Scope::Pane(Pane::Claims);
        Some(if searching {
            format!(
                "No claim selected: the search matches none ({} clears it)",
                key(claims, Action::ClearSearch)
            )
        } else if self.claims.filter != super::view::Filter::All {
            format!(
                "No claim selected: the filter shows none ({} changes it)",
                key(claims, Action::OpenFilter)
            )
        } else {
            "No claim selected: the workspace has no claims yet (claimdesk import adds them)"
                .to_owned()
        })
    }

    /// Why `action`, which changes the workspace, is refused in this session, if it is:
    /// a read-only session refuses every change; on a database, only verdicts are
    /// recorded so far, and reviews there are append-only (no undo).
    pub fn refusal(&self, action: &Action) -> Option<String> {
        if let Some(why) = self.read_only_reason() {
            return Some(why);
        }
        if !self.settings.database || action.records_verdict() {
            return None;
        }
        let verdict_step = |steps: &[Step]| {
            steps.last().is_some_and(|s| {
                s.edit
                    .leaves()
                    .iter()
                    .any(|e| matches!(e, Edit::AddReview { .. } | Edit::RemoveLastReview { .. }))
            })
        };
        Some(match action {
            Action::Undo if !verdict_step(&self.history.undo) => return None,
            Action::Redo if !verdict_step(&self.history.redo) => return None,
            Action::Undo | Action::Redo => {
                "Reviews in a database are append-only: a new verdict corrects one".to_owned()
            }
            Action::Save if self.save.in_memory_only > 0 => format!(
                "{} on this screen only: the database could not be reached; record again once it is back",
                crate::model::text::count(self.save.in_memory_only, "verdict")
            ),
            Action::Save => {
                "Nothing to save: each verdict is in the database as it is recorded".to_owned()
            }
            Action::Reload | Action::SaveAsPrompt => {
                "Not on a database workspace: copy it to a file for that".to_owned()
            }
            // Titles, tags and follow-ups are made on the server's copy, checked there.
            _ if self.save.away.is_some() => {
                "The server cannot be reached: only verdicts wait for it here; change titles, tags and follow-ups once it is back".to_owned()
            }
            _ => return None,
        })
    }

    /// Why nothing can be changed in this session, when that is so.
    pub fn read_only_reason(&self) -> Option<String> {
        if !self.settings.read_only {
            return None;
        }
        if let Some(why) = &self.offline {
            return Some(format!("Read-only: {why}"));
        }
        Some(match &self.held_by {
            Some(why) => format!("Read-only: {why}; nothing can be changed here"),
            None => "Read-only (--read-only): nothing can be changed".to_owned(),
        })
    }

    /// The time a review is recorded at: always the real clock, whatever `--today` says
    /// (that date is for screens and due dates only).
    pub fn now(&self) -> DateTime<Utc> {
        use chrono::SubsecRound;
        Utc::now().trunc_subsecs(0)
    }

    /// The screen's regions, or None when the terminal is too small.
    pub fn areas(&self) -> Option<Areas> {
        let (w, h) = self.size;
        let zoom = self.zoomed.then_some(self.focus);
        let areas = Areas::with(w, h, super::layout::DIGEST_HEIGHT, zoom)?;
        // The digest takes a second row of words when the selected claim's need it.
        if self.selected_claim().is_none_or(|c| c.updates.is_empty()) {
            return Some(areas);
        }
        let parts = &self.timeline.analysis().digest_parts;
        let rows = crate::app::digest::rows(parts, usize::from(areas.timeline_digest.width));
        if rows > 1 {
            Areas::with(w, h, super::layout::DIGEST_HEIGHT + rows as u16 - 1, zoom)
        } else {
            Some(areas)
        }
    }

    /// The selected claim's index in `workspace.claims`.
    pub fn selected_index(&self) -> Option<usize> {
        self.claims.view.get(self.claims.list.selected).copied()
    }

    /// The claim an edit goes to: the one the open editor was opened on, else the
    /// selected one.
    pub fn edited_claim(&self) -> Option<&Claim> {
        match &self.editing {
            Some(id) => self.workspace.claim(id),
            None => self.selected_claim(),
        }
    }

    pub fn selected_claim(&self) -> Option<&Claim> {
        self.selected_index()
            .and_then(|i| self.workspace.claims.get(i))
    }

    /// The claims the list shows, in its order.
    pub fn visible_claims(&self) -> impl Iterator<Item = &Claim> {
        self.claims
            .view
            .iter()
            .filter_map(|&i| self.workspace.claims.get(i))
    }

    pub fn needs_review(&self, claim: &Claim) -> NeedsReview {
        NeedsReview::of(claim, self.today)
    }

    /// The selected claim's updates, newest first.
    pub fn updates_newest_first(
        &self,
    ) -> impl DoubleEndedIterator<Item = &Update> + ExactSizeIterator {
        self.selected_claim()
            .filter(|c| c.updates.awaited().is_none())
            .map_or(&[][..], |c| c.updates.as_slice())
            .iter()
            .rev()
    }

    /// How many updates the timeline shows: none while the claim's bodies are still
    /// being read from the database (see `awaiting`).
    pub fn update_count(&self) -> usize {
        self.selected_claim()
            .filter(|c| c.updates.awaited().is_none())
            .map_or(0, |c| c.updates.len())
    }

    /// How many updates the selected claim has whose bodies are still being read from
    /// the database (its list came first).
    pub fn awaiting(&self) -> Option<usize> {
        self.selected_claim()
            .filter(|c| c.updates.awaited().is_some())
            .map(|c| c.updates.len())
    }

    /// How many claims' updates are still being read from the database (not counting
    /// those whose rows do not read).
    pub fn claims_awaiting(&self) -> usize {
        self.workspace
            .claims
            .iter()
            .filter(|c| c.updates.awaited().is_some() && !self.unreadable.contains_key(&c.id))
            .count()
    }

    /// Why the selected claim's update rows do not read, when they do not.
    pub fn unreadable(&self) -> Option<&str> {
        let claim = self.selected_claim()?;
        self.unreadable.get(&claim.id).map(String::as_str)
    }

    /// What to say to an action on the timeline while the selected claim's updates are
    /// not there to act on (still being read, or not reading).
    pub fn updates_not_in(&self) -> Option<String> {
        if let Some(why) = self.unreadable() {
            return Some(format!("Its updates do not read: {why}"));
        }
        self.awaiting().map(|n| {
            format!(
                "Its {} are still being read from the database",
                crate::model::text::count(n, "update")
            )
        })
    }

    /// The search hit on the selected claim, when a search is active.
    pub fn search_hit(&self) -> Option<&crate::search::Hit> {
        let results = self.search.as_ref()?.active_results()?;
        results.hit(self.selected_index()?)
    }

    /// Whether the update at `newest_first` index matches the search.
    pub fn update_matches(&self, newest_first: usize) -> bool {
        let (Some(hit), n) = (self.search_hit(), self.update_count()) else {
            return false;
        };
        n.checked_sub(newest_first + 1)
            .is_some_and(|oldest_first| hit.updates.binary_search(&oldest_first).is_ok())
    }

    /// Works out again what the selected claim's updates say (after a change to it).
    pub(crate) fn reanalyze(&mut self) {
        let analysis = self
            .selected_claim()
            .filter(|c| c.updates.awaited().is_none())
            .map(|c| ClaimAnalysis::of(c, self.today))
            .unwrap_or_default();
        let count = self.update_count();
        self.timeline.set_analysis(analysis, count);
    }

    /// The timeline's rows, newest first (see `Timeline`).
    pub fn timeline_rows(&self) -> &[TimelineRow] {
        self.timeline.rows().rows()
    }

    /// The selected row.
    pub fn selected_row(&self) -> Option<TimelineRow> {
        self.timeline.rows().get(self.timeline.list.selected)
    }

    /// The update the selected row stands for (a folded run: its newest update), newest
    /// first.
    pub fn selected_update_index(&self) -> Option<usize> {
        Some(self.timeline.rows().update_of(self.selected_row()?))
    }

    /// The update selected in the timeline.
    pub fn selected_update(&self) -> Option<&Update> {
        self.selected_update_index()
            .and_then(|i| self.updates_newest_first().nth(i))
    }

    /// The update just older than the selected one, to tell a change of status.
    pub fn previous_update(&self) -> Option<&Update> {
        self.selected_update_index()
            .and_then(|i| self.updates_newest_first().nth(i + 1))
    }

    /// The selected update's preview text (what it says first, then its body).
    pub fn selected_preview(&self) -> Option<String> {
        let i = self.selected_update_index()?;
        let u = self.updates_newest_first().nth(i)?;
        Some(preview_document(
            u,
            self.novelty_of(i),
            i + 1 == self.update_count(),
        ))
    }

    /// The selected update as the reader shows it.
    pub fn selected_document(&self) -> Option<String> {
        let i = self.selected_update_index()?;
        let u = self.updates_newest_first().nth(i)?;
        let accept = self.settings.keymap.shown(
            crate::app::keymap::Scope::Pane(Pane::Timeline),
            &crate::app::Action::AcceptSuggestion,
        );
        Some(reader_document(
            u,
            self.novelty_of(i),
            i + 1 == self.update_count(),
            accept,
        ))
    }

    /// The last review's `seen_through`: updates after it are new to the reviewer.
    pub fn seen_through(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.selected_claim()?.reviews.last()?.seen_through
    }

    /// Is the update (newest-first index) newer than what the reviewer last saw?
    pub fn is_new(&self, newest_first: usize) -> bool {
        let Some(seen) = self.seen_through() else {
            return false;
        };
        self.updates_newest_first()
            .nth(newest_first)
            .is_some_and(|u| u.at > seen)
    }

    /// What the update (newest-first index) says first in the claim's history.
    pub fn novelty_of(&self, newest_first: usize) -> Option<&crate::analysis::Novelty> {
        let n = self.update_count();
        self.timeline
            .analysis()
            .novelty
            .get(n.checked_sub(newest_first + 1)?)
    }

    /// The follow-ups in the calendar's month, by date.
    pub fn month_follow_ups(&self) -> Vec<&FollowUp> {
        let m = self.calendar.month();
        self.selected_claim()
            .map(|c| c.follow_ups_in_month(m.year(), m.month()).collect())
            .unwrap_or_default()
    }

    /// The follow-up the calendar's cursor is on: on its day, the picked one of several.
    pub fn cursor_follow_up(&self) -> Option<&FollowUp> {
        let day = self.calendar.cursor;
        let claim = self.selected_claim()?;
        let on_day = claim.follow_ups_on(day).count();
        let nth = self.calendar.nth().min(on_day.saturating_sub(1));
        claim.follow_ups.get(claim.follow_up_index(day, nth)?)
    }

    /// How many follow-ups the cursor day has, and which of them the cursor is on.
    pub fn cursor_day_follow_ups(&self) -> (usize, usize) {
        let day = self.calendar.cursor;
        let n = self
            .selected_claim()
            .map_or(0, |c| c.follow_ups_on(day).count());
        (n, self.calendar.nth().min(n.saturating_sub(1)))
    }

    /// Rebuilds the list's view after the workspace, sort or filter changed, keeping
    /// `keep` (a claim id) selected when it still shows, else the same position. A held
    /// claim (see `ClaimListState::held`) stays in its row while it is the one selected.
    /// When the selection is another claim than before, the other panes follow it (the
    /// one place that rule lives); returns whether it was.
    pub(crate) fn refresh_view(&mut self, keep: Option<&str>) -> bool {
        let before = self.selected_claim().map(|c| c.id.clone());
        let keep = keep.map(str::to_owned).or_else(|| before.clone());
        let held_id = self.claims.held.as_ref().map(|h| h.id.clone());
        if held_id.is_some() && (held_id != before || held_id != keep) {
            self.claims.held = None;
        }
        let results = self.search.as_ref().and_then(|s| s.active_results());
        self.claims.view = super::view::build(
            &self.workspace,
            &self.claims.sort,
            &self.claims.filter,
            self.today,
            results,
        );
        if let Some(held) = &self.claims.held
            && let Some(index) = self.workspace.claims.iter().position(|c| c.id == held.id)
        {
            let claims = &self.workspace.claims;
            self.claims.view.retain(|&i| i != index);
            let shown: std::collections::HashMap<&str, usize> = self
                .claims
                .view
                .iter()
                .enumerate()
                .map(|(at, &i)| (claims[i].id.as_str(), at))
                .collect();
            let at = held
                .before
                .iter()
                .find_map(|id| shown.get(id.as_str()).copied())
                .unwrap_or(self.claims.view.len());
            self.claims.view.insert(at, index);
        }
        let position = keep.and_then(|id| {
            self.claims
                .view
                .iter()
                .position(|&i| self.workspace.claims[i].id == id)
        });
        self.claims.totals = crate::model::Totals::of(&self.workspace, self.today);
        let len = self.claims.view.len();
        let rows = self.claim_rows();
        let index = position.unwrap_or(self.claims.list.selected);
        self.claims.list.select(index, len, rows);
        let changed = self.selected_claim().map(|c| c.id.as_str()) != before.as_deref();
        if changed {
            self.claim_changed();
        }
        changed
    }

    /// How many claims fit in the list.
    pub fn claim_rows(&self) -> usize {
        self.areas().map_or(1, |a| {
            usize::from(a.claim_rows() / super::layout::CLAIM_ROW_HEIGHT)
        })
    }

    /// Keeps the selected claim in its place (`ClaimListState::held`) through the changes
    /// about to be made: called before the workspace changes, or after an edit (which
    /// never reorders the workspace's claims).
    pub(crate) fn hold_selected(&mut self) {
        let Some(id) = self.selected_claim().map(|c| c.id.clone()) else {
            return;
        };
        let from = self.claims.list.selected + 1;
        let before = self
            .claims
            .view
            .get(from..)
            .unwrap_or_default()
            .iter()
            .filter_map(|&i| self.workspace.claims.get(i).map(|c| c.id.clone()))
            .collect();
        self.claims.held = Some(Held { id, before });
    }

    /// Lets go of a held claim (`ClaimListState::held`) and puts the list in its order,
    /// the selection kept on the claim it is on: the reviewer moved, or changed the
    /// sort, filter or search.
    pub(crate) fn release_held(&mut self) {
        if self.claims.held.take().is_some() {
            self.refresh_view(None);
        }
    }

    /// Resets the other panes to the newly selected claim: newest update, and the day of
    /// its next follow-up (or today).
    pub(crate) fn claim_changed(&mut self) {
        let folded = self.timeline.folded();
        self.timeline = TimelineState {
            folded,
            ..TimelineState::default()
        };
        self.reanalyze();
        let day = self
            .selected_claim()
            .and_then(|c| c.next_follow_up().map(|f| f.date))
            .unwrap_or(self.today);
        self.calendar = CalendarState::at(day);
    }
}

/// What the reader shows for an update: its body, then its sources and the follow-up
/// it recommends.
pub fn reader_document(
    update: &Update,
    novelty: Option<&crate::analysis::Novelty>,
    first: bool,
    accept_key: &str,
) -> String {
    let mut doc = preview_document(update, novelty, first);
    if !update.sources.is_empty() {
        doc.push_str("\n\nSources:");
        for s in &update.sources {
            doc.push_str("\n• ");
            doc.push_str(s);
        }
    }
    if let Some(d) = update.suggested_follow_up {
        doc.push_str(&format!(
            "\n\nSuggested follow-up: {} ({accept_key} in the timeline puts it on the calendar)",
            d.format("%a %b %-d, %Y")
        ));
    }
    doc
}

/// The selected update as the timeline's preview shows it: what it says first, then its
/// body. `first` is set for the claim's oldest update, where everything is new.
pub fn preview_document(
    update: &Update,
    novelty: Option<&crate::analysis::Novelty>,
    first: bool,
) -> String {
    let Some(n) = novelty.filter(|_| !first) else {
        return update.body.to_string();
    };
    let total = crate::analysis::sentences(&update.body).len();
    let mut head = if n.sentences.is_empty() {
        match total {
            1 => "= Nothing new: its one sentence was in earlier updates.".to_owned(),
            _ => format!("= Nothing new: all {total} sentences were in earlier updates."),
        }
    } else {
        format!(
            "✚ New here ({} of {}): {}",
            n.sentences.len(),
            crate::model::text::count(total, "sentence"),
            n.sentence_texts(&update.body).collect::<Vec<_>>().join(" ")
        )
    };
    if !n.dates.is_empty() {
        let dates: Vec<String> = n
            .dates
            .iter()
            .map(|d| d.format("%b %-d, %Y").to_string())
            .collect();
        head.push_str(&format!(" New dates: {}.", dates.join(", ")));
    }
    if !n.sources.is_empty() {
        head.push_str(&format!(" New sources: {}.", n.sources.len()));
    }
    format!("{head}\n\n{}", &*update.body)
}

/// What the review history shows for a claim: why it needs review, then every review,
/// newest first.
/// `verdict_key` is the key that records a verdict, as the keymap in force has it.
pub fn reviews_document(claim: &Claim, verdict_key: &str) -> String {
    let mut doc = String::new();
    if claim.reviews.is_empty() {
        doc.push_str(&format!(
            "No verdict has been recorded for this claim yet. {verdict_key} records one."
        ));
    }
    for (i, r) in claim.reviews.iter().enumerate().rev() {
        if !doc.is_empty() {
            doc.push_str("\n\n");
        }
        let current = if i + 1 == claim.reviews.len() {
            "  (current)"
        } else {
            ""
        };
        doc.push_str(&format!(
            "{} UTC · {} · {}{current}\n",
            r.at.format("%a %b %-d, %Y %H:%M"),
            crate::model::text::shown_name(&r.reviewer),
            r.verdict
        ));
        if r.note.is_empty() {
            doc.push_str("(no rationale)");
        } else {
            doc.push_str(&r.note);
        }
        if let Some(seen) = r.seen_through {
            doc.push_str(&format!(
                "\nseen through the update of {}",
                seen.format("%b %-d, %Y %H:%M")
            ));
        }
    }
    doc
}

/// The day a reviewer typed into the calendar's go-to line: an ISO date, a month and day
/// (`Mar 2`, `2 March`, with or without the year), a day of the cursor's month, `+N` or
/// `-N` days from the cursor, or `today`.
pub fn parse_day(text: &str, cursor: NaiveDate, today: NaiveDate) -> Result<NaiveDate, String> {
    use chrono::Datelike;
    let day = any_day(text, cursor, today)?;
    if (1000..=9999).contains(&day.year()) {
        Ok(day)
    } else {
        Err(format!(
            "{:?} is beyond the calendar: it shows the years 1000 to 9999",
            text.trim()
        ))
    }
}

/// [`parse_day`] for any day chrono can hold.
fn any_day(text: &str, cursor: NaiveDate, today: NaiveDate) -> Result<NaiveDate, String> {
    use chrono::Datelike;
    let t = text.trim();
    let lower = t.to_lowercase();
    if lower == "today" || lower == "t" {
        return Ok(today);
    }
    if let Some(n) = t
        .strip_prefix(['+', '-'])
        .and_then(|n| n.parse::<i64>().ok())
    {
        let n = if t.starts_with('-') { -n } else { n };
        return cursor
            .checked_add_signed(chrono::Duration::days(n))
            .ok_or_else(|| format!("{t} days from the cursor is out of range"));
    }
    if let Ok(day) = t.parse::<u32>() {
        return cursor
            .with_day(day)
            .ok_or_else(|| format!("{} has no day {day}", cursor.format("%B %Y")));
    }
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Ok(d);
    }
    for format in ["%b %d %Y", "%d %b %Y", "%B %d %Y", "%d %B %Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(&t.replace(',', " "), format) {
            return Ok(d);
        }
    }
    // Without a year: the cursor's.
    let with_year = format!("{} {}", t.replace(',', " "), cursor.year());
    for format in ["%b %d %Y", "%d %b %Y", "%B %d %Y", "%d %B %Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(&with_year, format) {
            return Ok(d);
        }
    }
    Err(format!(
        "Not a day: {t:?}. Try 2026-03-02, Mar 2, 2, +7, -7 or today"
    ))
}

/// The rationale's text area: soft-wrapped, so a long line shows from its start.
pub fn rationale_editor(text: &str) -> Box<TextArea<'static>> {
    let mut area = editor(text);
    area.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
    area
}

/// A text area for a one-line input or a rationale, holding `text`.
pub fn editor(text: &str) -> Box<TextArea<'static>> {
    let lines: Vec<String> = if text.is_empty() {
        vec![String::new()]
    } else {
        text.lines().map(crate::wrap::without_joiners).collect()
    };
    let mut area = TextArea::new(lines);
    area.move_cursor(ratatui_textarea::CursorMove::Bottom);
    area.move_cursor(ratatui_textarea::CursorMove::End);
    Box::new(area)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_reveal_scrolls_the_least() {
        let mut l = ListState::default();
        l.select(10, 100, 5);
        assert_eq!((l.selected, l.offset), (10, 6));
        l.select(8, 100, 5);
        assert_eq!(l.offset, 6);
        l.select(3, 100, 5);
        assert_eq!(l.offset, 3);
        l.select(500, 100, 5);
        assert_eq!((l.selected, l.offset), (99, 95));
        l.select(0, 0, 5);
        assert_eq!((l.selected, l.offset), (0, 0));
    }

    #[test]
    fn a_day_beyond_the_calendar_is_refused() {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        let (cursor, today) = (day("2026-03-02"), day("2026-02-16"));
        assert_eq!(parse_day("+7", cursor, today), Ok(day("2026-03-09")));
        for far in ["+9999999", "-9999999", "+3000000"] {
            let said = parse_day(far, cursor, today).expect_err(far);
            assert!(said.contains("beyond the calendar"), "{said}");
        }
    }
}
