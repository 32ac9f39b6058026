//! Every user intent, named. Keys and mouse events become these; `update` applies them.

use crossterm::event::KeyEvent;

/// How a save ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Saved {
    /// Written. `covered` is how many edits the file holds now (edits made while the save
    /// ran stay unsaved); `then_quit` when quitting waited on it; `path` when it went to a
    /// new file (save as); `warning`, said in the status bar.
    Done {
        covered: usize,
        then_quit: bool,
        path: Option<std::path::PathBuf>,
        /// What the reviewer should know of it: the `.bak` that could not be kept.
        warning: Option<String>,
    },
    /// Refused: someone else changed the file since claimdesk read it.
    ChangedOnDisk(String),
    /// Failed, for this reason; the edits stay in the journal.
    Failed(String),
}

/// News from a database workspace (see `Action::Desk`).
#[derive(Debug, Clone, PartialEq)]
pub enum Desk {
    /// The workspace as the database holds it now, with this session's queued verdicts
    /// on top: read after a colleague's change (`by`, their role) or after connecting.
    Workspace {
        workspace: Box<crate::model::Workspace>,
        by: Option<String>,
    },
    /// Claims' updates read from the database after the claim list: by claim, the
    /// digest the stand-ins they replace await, and the list (see `model::Updates`).
    Updates(Vec<(String, u64, crate::model::Updates)>),
    /// A claim's update rows do not read (`why` names the row): its updates stay
    /// unread, and its timeline says why.
    Unreadable { claim: String, why: String },
    /// Verdicts committed to the database, this session's own among them.
    Reviews(Vec<crate::model::Recorded>),
    /// Verdicts on their way: `sent` went in now; `queued` wait (in the queue on disk)
    /// for the server, `away` saying why; `refused` were turned down, with why.
    Sent {
        sent: usize,
        queued: usize,
        away: Option<String>,
        refused: Vec<String>,
    },
    /// The server cannot be reached: verdicts wait in the queue until it is back.
    Lost(String),
    /// The server answers again after not answering for a while.
    Answering,
    /// Who else has which claim open now: claim id → their roles.
    Presence(std::collections::BTreeMap<String, Vec<String>>),
    /// An edit to titles, tags or follow-ups did not go onto the server's copy (`why`);
    /// the claims it touched show as the server has them (or, if it cannot be read, as
    /// they were before the edit).
    NotShared {
        why: String,
        claims: Vec<crate::model::Claim>,
    },
}

/// One thing the user asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Quit,
    FocusNext,
    FocusPrev,
    Up,
    Down,
    First,
    Last,
    PageUp,
    PageDown,
    HalfPageUp,
    HalfPageDown,
    /// Open the selected update in the reader (on a folded run: unfold it).
    Open,
    /// Unfold a folded run, or fold the run the selected update belongs to.
    ToggleRun,
    /// Fold every run, or show every update.
    ToggleFolding,
    /// Jump to the first update new since the last review.
    FirstNew,
    /// Close the overlay on top.
    Close,
    ToggleHelp,
    ShowReviews,
    ShowDetails,
    /// End an active search (the list shows every claim again).
    ClearSearch,
    /// The focused pane takes the whole screen, or gives it back.
    ToggleZoom,
    /// Ask for a day to put the calendar's cursor on.
    GoToDayPrompt,
    /// Every claim's follow-ups due or coming, soonest first.
    ShowAgenda,
    /// Copy what is selected to the clipboard (OSC 52): a title, an update's body, a URL.
    Copy,
    /// Open the selected source with `$BROWSER` (or `xdg-open`).
    OpenSource,
    /// Say this in the status bar (work outside the state: a browser that would not start).
    Notify(String),
    /// The agenda looks a week further ahead, or a week less.
    WidenAgenda,
    NarrowAgenda,
    /// The agenda's next (previous) section: overdue, today, coming.
    NextSection,
    PrevSection,
    /// Mark every row of the section the cursor is in (all marked: unmark them).
    MarkSection,
    /// Mark every row from the last one `Space` toggled to the cursor's.
    MarkRange,
    /// The calendar: the cursor day's next follow-up, when the day has several.
    NextOnDay,

    /// Mark the row (claim or agenda follow-up), or unmark it, and go to the next row.
    ToggleMark,
    /// Unmark every row.
    ClearMarks,

    // The review queue and the list.
    NextNeedsReview,
    PrevNeedsReview,
    CycleSort,
    OpenFilter,

    // Verdicts.
    OpenVerdict,
    /// Open the verdict picker; after recording, jump to the next claim in the queue.
    OpenVerdictThenNext,
    /// Choose the verdict at this position of the scale (0 = complete).
    PickVerdict(usize),
    /// Choose the highlighted entry of a menu.
    Choose,
    /// Finish the text being edited: record the verdict, accept the input.
    Submit,
    /// Leave the text being edited (asking first if text would be lost).
    Cancel,
    /// A key typed into the text being edited.
    EditorKey(KeyEvent),
    /// Text pasted into the text being edited.
    Paste(String),
    /// Answers to a question.
    Yes,
    No,
    SaveAndQuit,

    // Claim fields.
    EditTitle,
    EditTags,
    /// Assign the claim to a reviewer (you, unless you type another), or to no one.
    Assign,

    // The calendar's day cursor and follow-ups.
    PrevDay,
    NextDay,
    PrevWeek,
    NextWeek,
    PrevMonth,
    NextMonth,
    Today,
    /// Put the calendar's cursor on this day.
    GoToDay(chrono::NaiveDate),
    AddFollowUp,
    ToggleDone,
    CancelFollowUp,
    EditNote,
    DeleteFollowUp,
    /// Move the day's follow-up by this many days.
    MoveFollowUp(i32),
    /// Put the selected update's suggested follow-up on the calendar.
    AcceptSuggestion,

    /// Open the search line (or go back to it).
    OpenSearch,
    /// Jump to the next / previous update that matches the search.
    NextMatch,
    PrevMatch,
    /// A search finished.
    SearchDone {
        generation: u64,
        results: std::sync::Arc<crate::search::Results>,
    },

    Undo,
    Redo,
    Save,
    /// Read the workspace file again after an outside change, re-applying unsaved edits.
    Reload,
    /// Ask for a path to save to instead (after an outside change).
    SaveAsPrompt,

    /// A mouse click at a screen cell.
    Click {
        column: u16,
        row: u16,
    },
    /// The mouse wheel, over a screen cell.
    ScrollUp {
        column: u16,
        row: u16,
    },
    ScrollDown {
        column: u16,
        row: u16,
    },
    /// The terminal changed size.
    Resize {
        width: u16,
        height: u16,
    },
    /// A save finished.
    Saved(Saved),
    /// The workspace file is being read: bytes so far, of how many.
    LoadProgress {
        read: u64,
        total: u64,
    },
    /// The workspace is read: it replaces the empty one shown while loading.
    Loaded {
        workspace: Box<crate::model::Workspace>,
        message: Option<String>,
        /// Journal edits replayed on top of the file (not saved yet).
        recovered: usize,
        /// Opened read-only because this holder has the writer lock.
        held_by: Option<String>,
    },
    /// An edit could not be written to the journal.
    JournalFailed(String),
    /// A verdict could not be written to the database workspace: why, and whether the
    /// server could be reached (it refused the verdict) or not (it may take it later).
    NotRecorded {
        why: String,
        reachable: bool,
    },
    /// What a database workspace's desk reports: colleagues' work, and how the verdicts on
    /// their way to the server are doing.
    Desk(Desk),
    /// The file was read again: the workspace as the file holds it, and the unsaved edits
    /// (the journal's) to re-apply on top.
    Reloaded {
        result: Result<(Box<crate::model::Workspace>, Vec<crate::model::Edit>), String>,
    },
    /// Record a verdict on a claim by its id (the command line's `verdict`; the app's
    /// picker and rationale editor end here too).
    RecordVerdict {
        claim: String,
        verdict: crate::model::Verdict,
        note: String,
    },
    /// Suspend to the shell (C-z); `fg` resumes.
    Suspend,
}

impl Action {
    /// The name a config file's `[keys]` table rebinds it by (`claimdesk keys` lists
    /// them); `None` for what no key names (a click, a finished search).
    pub fn name(&self) -> Option<&'static str> {
        const PICKS: [&str; 6] = ["pick-1", "pick-2", "pick-3", "pick-4", "pick-5", "pick-6"];
        Some(match self {
            Self::FocusNext => "focus-next",
            Self::FocusPrev => "focus-prev",
            Self::ToggleZoom => "zoom",
            Self::OpenVerdict => "verdict",
            Self::OpenVerdictThenNext => "verdict-then-next",
            Self::NextNeedsReview => "next-to-review",
            Self::PrevNeedsReview => "prev-to-review",
            Self::ShowReviews => "reviews",
            Self::ShowDetails => "details",
            Self::ShowAgenda => "agenda",
            Self::Copy => "copy",
            Self::OpenSource => "open-source",
            Self::OpenSearch => "search",
            Self::ClearSearch => "clear-search",
            Self::FirstNew => "first-new",
            Self::EditTags => "edit-tags",
            Self::Assign => "assign",
            Self::Undo => "undo",
            Self::Redo => "redo",
            Self::Save => "save",
            Self::ToggleHelp => "help",
            Self::Quit => "quit",
            Self::Suspend => "suspend",
            Self::Down => "down",
            Self::Up => "up",
            Self::First => "first",
            Self::Last => "last",
            Self::PageDown => "page-down",
            Self::PageUp => "page-up",
            Self::HalfPageDown => "half-page-down",
            Self::HalfPageUp => "half-page-up",
            Self::EditTitle => "edit-title",
            Self::CycleSort => "sort",
            Self::OpenFilter => "filter",
            Self::Open => "open",
            Self::AcceptSuggestion => "accept-suggestion",
            Self::ToggleRun => "toggle-run",
            Self::ToggleFolding => "toggle-folding",
            Self::NextMatch => "next-match",
            Self::PrevMatch => "prev-match",
            Self::PrevDay => "prev-day",
            Self::NextDay => "next-day",
            Self::PrevWeek => "prev-week",
            Self::NextWeek => "next-week",
            Self::PrevMonth => "prev-month",
            Self::NextMonth => "next-month",
            Self::Today => "today",
            Self::GoToDayPrompt => "go-to-day",
            Self::AddFollowUp => "add-follow-up",
            Self::ToggleDone => "toggle-done",
            Self::CancelFollowUp => "cancel-follow-up",
            Self::EditNote => "edit-note",
            Self::DeleteFollowUp => "delete-follow-up",
            Self::Choose => "choose",
            Self::Close => "close",
            Self::Submit => "submit",
            Self::Cancel => "cancel",
            Self::Yes => "yes",
            Self::No => "no",
            Self::SaveAndQuit => "save-and-quit",
            Self::Reload => "reload",
            Self::SaveAsPrompt => "save-as",
            Self::WidenAgenda => "widen",
            Self::NarrowAgenda => "narrow",
            Self::NextSection => "next-section",
            Self::PrevSection => "prev-section",
            Self::MarkSection => "mark-section",
            Self::MarkRange => "mark-range",
            Self::NextOnDay => "next-on-day",
            Self::ToggleMark => "mark",
            Self::ClearMarks => "clear-marks",
            Self::MoveFollowUp(-1) => "move-back-day",
            Self::MoveFollowUp(1) => "move-on-day",
            Self::MoveFollowUp(-7) => "move-back-week",
            Self::MoveFollowUp(7) => "move-on-week",
            Self::PickVerdict(n) => PICKS.get(*n)?,
            _ => return None,
        })
    }

    /// What the action does, for the help overlay and the README.
    pub fn describe(&self) -> &'static str {
        match self {
            Self::Quit => "quit",
            Self::FocusNext => "next pane",
            Self::FocusPrev => "previous pane",
            Self::Up => "move up",
            Self::Down => "move down",
            Self::First => "first",
            Self::Last => "last",
            Self::PageUp => "page up",
            Self::PageDown => "page down",
            Self::HalfPageUp => "half a page up",
            Self::HalfPageDown => "half a page down",
            Self::Open => "open the selected update (on a run: unfold it)",
            Self::ToggleRun => "unfold / fold the run",
            Self::ToggleFolding => "fold runs / show every update",
            Self::FirstNew => "first update new since the last review",
            Self::Close => "close",
            Self::ToggleHelp => "show or hide this help",
            Self::ShowReviews => "the claim's review history",
            Self::ShowDetails => "the claim's details, tracker fields included",
            Self::ClearSearch => "clear an active search",
            Self::ToggleZoom => "zoom the pane to the whole screen, and back",
            Self::GoToDayPrompt => "go to a day (2026-03-02, Mar 2, +7, today)",
            Self::ShowAgenda => "the agenda: every claim's follow-ups due or coming",
            Self::Copy => "copy the title (list), the update's body (timeline), the URL (details)",
            Self::OpenSource => "open the update's first source, or the article, in $BROWSER",
            Self::Notify(_) => "say something in the status bar",
            Self::WidenAgenda => "look a week further ahead",
            Self::NarrowAgenda => "look a week less ahead",
            Self::NextSection => "next section (overdue, today, coming)",
            Self::PrevSection => "previous section",
            Self::MarkSection => "mark every row of this section (again: unmark them)",
            Self::MarkRange => "mark every row from the last one marked to here",
            Self::NextOnDay => "the day's next follow-up (a day may have several)",
            Self::ToggleMark => "mark or unmark the row",
            Self::ClearMarks => "unmark every row",
            Self::NextNeedsReview => "next claim in the review queue (wants a verdict)",
            Self::PrevNeedsReview => "previous claim in the review queue",
            Self::CycleSort => "change the sort",
            Self::OpenFilter => "filter the list",
            Self::OpenVerdict => "record a verdict",
            Self::OpenVerdictThenNext => {
                "record a verdict, then go to the next claim in the review queue"
            }
            Self::PickVerdict(_) => "choose that verdict",
            Self::Choose => "choose",
            Self::Submit => "record / accept",
            Self::Cancel => "cancel",
            Self::EditorKey(_) => "type",
            Self::Paste(_) => "paste",
            Self::Yes => "yes",
            Self::No => "no",
            Self::SaveAndQuit => "save, then quit",
            Self::EditTitle => "edit the title",
            Self::EditTags => "edit the tags",
            Self::Assign => "assign the claim (to you; empty: to no one)",
            Self::PrevDay => "previous day",
            Self::NextDay => "next day",
            Self::PrevWeek => "previous week",
            Self::NextWeek => "next week",
            Self::PrevMonth => "previous month",
            Self::NextMonth => "next month",
            Self::Today => "today",
            Self::GoToDay(_) => "go to a day",
            Self::AddFollowUp => "schedule a follow-up on the day",
            Self::ToggleDone => "mark the day's follow-up done / scheduled",
            Self::CancelFollowUp => "cancel the day's follow-up (again: reschedule)",
            Self::EditNote => "edit the day's follow-up note",
            Self::DeleteFollowUp => "delete the day's follow-up",
            Self::MoveFollowUp(-1) => "move the follow-up a day earlier",
            Self::MoveFollowUp(1) => "move the follow-up a day later",
            Self::MoveFollowUp(-7) => "move the follow-up a week earlier",
            Self::MoveFollowUp(7) => "move the follow-up a week later",
            Self::MoveFollowUp(_) => "move the follow-up",
            Self::AcceptSuggestion => "put the update's suggested follow-up on the calendar",
            Self::Undo => "undo the last edit",
            Self::Redo => "redo",
            Self::Save => "save now",
            Self::OpenSearch => "search titles, tags, rationales and updates",
            Self::NextMatch => "next update that matches the search",
            Self::PrevMatch => "previous update that matches the search",
            Self::SearchDone { .. } => "search done",
            Self::Reload => "reload the file and re-apply your unsaved edits",
            Self::SaveAsPrompt => "save to another file",
            Self::Click { .. } => "focus and select",
            Self::ScrollUp { .. } | Self::ScrollDown { .. } => "scroll",
            Self::Resize { .. } => "resize",
            Self::Saved { .. } => "saved",
            Self::LoadProgress { .. } => "loading",
            Self::Loaded { .. } => "loaded",
            Self::JournalFailed(_) => "journal failed",
            Self::NotRecorded { .. } => "a verdict the database did not take",
            Self::Reloaded { .. } => "reloaded",
            Self::Desk(_) => "the database's news",
            Self::RecordVerdict { .. } => "record a verdict",
            Self::Suspend => "suspend to the shell (fg resumes)",
        }
    }

    /// The keys' edits to the selected claim (or the editors that make them): the list
    /// both rules below start from.
    fn edits_selected_claim(&self) -> bool {
        matches!(
            self,
            Self::OpenVerdict
                | Self::OpenVerdictThenNext
                | Self::EditTitle
                | Self::EditTags
                | Self::Assign
                | Self::AddFollowUp
                | Self::ToggleDone
                | Self::CancelFollowUp
                | Self::EditNote
                | Self::DeleteFollowUp
                | Self::MoveFollowUp(_)
                | Self::AcceptSuggestion
        )
    }

    /// Whether the action records a verdict (or opens the way to one): what a database
    /// workspace takes from the app so far.
    pub fn records_verdict(&self) -> bool {
        matches!(
            self,
            Self::OpenVerdict | Self::OpenVerdictThenNext | Self::RecordVerdict { .. }
        )
    }

    /// Whether the action works on every marked claim when claims are marked, instead of
    /// on the selected one.
    pub fn acts_on_marks(&self) -> bool {
        matches!(
            self,
            Self::OpenVerdict | Self::OpenVerdictThenNext | Self::EditTags
        )
    }

    /// Whether the action works on the selected claim (and so says why not when there is
    /// none).
    pub fn needs_claim(&self) -> bool {
        self.edits_selected_claim()
            || matches!(
                self,
                Self::ShowReviews
                    | Self::ShowDetails
                    | Self::FirstNew
                    | Self::NextNeedsReview
                    | Self::PrevNeedsReview
            )
    }

    /// Whether the action changes the workspace (or opens an editor whose text would):
    /// the actions a read-only session refuses at the first key.
    pub fn changes_workspace(&self) -> bool {
        self.edits_selected_claim()
            || matches!(
                self,
                Self::RecordVerdict { .. } | Self::Undo | Self::Redo | Self::Save
            )
    }
}
