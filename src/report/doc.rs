//! The report as a document: what a reader sees, in the reader's language,
//! before any format is chosen. [`super::build`] makes it once from a
//! [`super::Report`]; `md` and `html` only lay it out and escape it.
//!
//! Every label is already picked (`lang.pick` happens in `build`, nowhere
//! else), every number already formatted, every string from data already
//! passed through `escape::output`. A serializer adds layout (headings,
//! tables, bars) and its own format's escaping, never words.
//!
//! To add a section: a variant of [`Block`] (or of [`Part`] for something
//! outside a run) holding its words and values, built in `build`; the
//! compiler then asks `md` and `html` for their arm. No I/O here.

use chrono::NaiveDate;

use crate::compare::ItemChange;

/// A whole report.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The language tag (`ja`, `en`).
    pub lang: &'static str,
    /// The title.
    pub title: String,
    /// The organisation's label and name.
    pub organisation: Fact,
    /// The report's dates, labelled: the latest run's and the day it was
    /// made (a handbook: the day it was made).
    pub dates: Vec<Fact>,
    /// The parts, in order.
    pub parts: Vec<Part>,
    /// The closing note (HTML prints it at the foot of the page).
    pub footer: String,
}

/// A top-level part of a report.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    /// The table of every subject of a review.
    Summary(Summary),
    /// One run.
    Run(RunPart),
    /// A sentence on its own (for example: no runs).
    Notice(String),
    /// A chapter of prose (the staff handbook's parts).
    Chapter(Chapter),
}

/// A chapter of prose: a heading, paragraphs, an optional table and
/// topics, each with its status and labelled lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Chapter {
    /// The anchor other parts link to.
    pub anchor: String,
    /// The heading.
    pub heading: String,
    /// Paragraphs under the heading.
    pub paragraphs: Vec<String>,
    /// A table after the paragraphs.
    pub table: Option<Table>,
    /// Groups of topics, each under a subheading (none for one group).
    pub groups: Vec<TopicGroup>,
}

/// A plain table: headings and rows of text.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The column headings.
    pub columns: Vec<Column>,
    /// The rows, one cell per column.
    pub rows: Vec<Vec<String>>,
}

/// Topics under one subheading.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicGroup {
    /// The subheading, if the chapter has several groups.
    pub heading: Option<String>,
    /// The topics.
    pub topics: Vec<Topic>,
}

/// One topic of a chapter: what it is about, where it stands, and lines
/// such as what staff do.
#[derive(Debug, Clone, PartialEq)]
pub struct Topic {
    /// The anchor (`topic-ipa-self-check-1`).
    pub anchor: String,
    /// The number or id shown before the title.
    pub number: String,
    /// The title.
    pub title: String,
    /// Where it stands, with its tone.
    pub status: Option<(String, Tone)>,
    /// Labelled lines: label, text.
    pub lines: Vec<(String, String)>,
}

/// A label and its value, such as `Subject: Aoba (aoba)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    /// The label.
    pub label: String,
    /// The value.
    pub value: Vec<Span>,
}

/// A piece of a value.
#[derive(Debug, Clone, PartialEq)]
pub enum Span {
    /// Text.
    Text(String),
    /// An id beside a name, with an optional extra (`version 2`): set off
    /// as an aside.
    Aside {
        /// The id.
        id: String,
        /// Words after the id.
        extra: Option<String>,
    },
    /// Literal text such as a run id or a commit.
    Code(String),
}

/// A column heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The heading.
    pub label: String,
    /// Numbers: aligned right.
    pub numeric: bool,
}

/// How good a result is: the top band is good, the bottom bad.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// The top band.
    Good,
    /// A band between, in the upper half of those between (with four
    /// bands: the second).
    Fair,
    /// A band between, in the lower half.
    Warn,
    /// The bottom band.
    Bad,
}

impl Tone {
    /// Every tone, best first.
    pub const ALL: [Self; 4] = [Self::Good, Self::Fair, Self::Warn, Self::Bad];

    /// Returns the tone's name (`good`, `fair`, `warn`, `bad`), used as a
    /// class.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Good => "good",
            Self::Fair => "fair",
            Self::Warn => "warn",
            Self::Bad => "bad",
        }
    }

    /// Returns the tone's colour (the HTML style sheet and the chart):
    /// green, olive, amber, red, each readable as text on white (contrast
    /// at least 4.5:1) and told apart from the others at a glance (checked
    /// in `report::html`'s tests).
    pub fn colour(self) -> &'static str {
        match self {
            Self::Good => "#1a7f37",
            Self::Fair => "#667a00",
            Self::Warn => "#9a6700",
            Self::Bad => "#cf222e",
        }
    }
}

/// A result bar: a percent shown as a filled bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    /// The bar's tone.
    pub tone: Tone,
    /// The filled width in percent (0.0–100.0), formatted.
    pub width: String,
}

/// Which way a change went, as shown: `regressed`, `improved`, `unchanged`.
pub type Direction = &'static str;

/// A count of open actions with how many are overdue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionCount {
    /// Open actions.
    pub open: usize,
    /// Of those, overdue.
    pub overdue: usize,
    /// The word for overdue.
    pub overdue_label: String,
}

/// A due date, marked when it has passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueDate {
    /// The date.
    pub date: NaiveDate,
    /// The word for overdue, when it is.
    pub overdue: Option<String>,
}

/// The table of every subject of a review.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// The heading.
    pub heading: String,
    /// The column headings.
    pub columns: Vec<Column>,
    /// One row per subject.
    pub rows: Vec<SummaryRow>,
}

/// One subject of a review.
#[derive(Debug, Clone, PartialEq)]
pub enum SummaryRow {
    /// A subject with a reported run.
    Run(Box<SummaryRun>),
    /// A subject without one.
    Missing {
        /// The subject's name (its id when it has none).
        name: String,
        /// The subject's id.
        id: String,
        /// The criticality, or `—`.
        criticality: String,
        /// Why there is no run.
        reason: String,
        /// When a run is due.
        due: Option<DueDate>,
    },
}

/// The summary row of a reported run.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryRun {
    /// The anchor of the run's part.
    pub anchor: String,
    /// The subject's name.
    pub name: String,
    /// The subject's id.
    pub id: String,
    /// The criticality, or `—`.
    pub criticality: String,
    /// The run's date.
    pub date: NaiveDate,
    /// `score/max`.
    pub score: String,
    /// The percent, formatted.
    pub percent: String,
    /// The percent as a bar.
    pub bar: Bar,
    /// The change against the earlier run: text and direction.
    pub delta: Option<(String, Direction)>,
    /// The band, or `—`.
    pub band: String,
    /// Findings.
    pub findings: usize,
    /// Carried answers.
    pub carried: usize,
    /// Open actions.
    pub actions: ActionCount,
    /// The next due date.
    pub due: Option<DueDate>,
}

/// One run and everything shown about it.
#[derive(Debug, Clone, PartialEq)]
pub struct RunPart {
    /// The anchor other parts link to (`run-1`).
    pub anchor: String,
    /// The subject's name and id, as a heading (reviews only).
    pub heading: Option<(String, String)>,
    /// The heading level of the run's own parts (2 alone, 3 in a review).
    pub level: usize,
    /// The blocks, in order.
    pub blocks: Vec<Block>,
}

/// One block of a run.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Who, what and when.
    Facts(Vec<Fact>),
    /// Score, band, advice and counts.
    Result(ResultBox),
    /// The items answered "don't know", to be checked first.
    DontKnow(DontKnow),
    /// The percent per period.
    Chart(Chart),
    /// The score per section.
    Sections(Sections),
    /// The comparison with an earlier run.
    Comparison(Comparison),
    /// Every item with its answer.
    Items(Items),
    /// The corrective actions still open.
    OpenActions(OpenActions),
}

/// Score, band, advice and counts.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultBox {
    /// The heading.
    pub heading: String,
    /// `score/max`.
    pub score: String,
    /// The percent, formatted.
    pub percent: String,
    /// The tone of the band.
    pub tone: Tone,
    /// The band, if the template has one for this result.
    pub band: Option<BandNote>,
    /// Answered, unanswered, not applicable, findings.
    pub counts: String,
    /// The warning about carried answers, if any are.
    pub warning: Option<String>,
    /// On which scale the score is, when items were not applicable.
    pub scale: Option<String>,
}

/// The items answered "don't know": the guideline says to find out the
/// facts for these first.
#[derive(Debug, Clone, PartialEq)]
pub struct DontKnow {
    /// The heading.
    pub heading: String,
    /// The sentence above the list.
    pub intro: String,
    /// The word for the note.
    pub note: String,
    /// The items: id, question, note.
    pub rows: Vec<(String, String, String)>,
}

/// The band a result lands in.
#[derive(Debug, Clone, PartialEq)]
pub struct BandNote {
    /// The word for band.
    pub label: String,
    /// The band's name.
    pub name: String,
    /// The band's advice, trimmed (may be empty).
    pub advice: String,
}

/// The percent per period as a line chart with the bands' thresholds.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// What the chart shows (its accessible name).
    pub label: String,
    /// The caption under it.
    pub caption: String,
    /// The points, oldest first; the last is the reported run.
    pub points: Vec<ChartPoint>,
    /// The bands: lowest percent and name, in the template's order.
    pub bands: Vec<(i32, String)>,
}

/// One point of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartPoint {
    /// The period's name (`FY2026Q2`).
    pub period: String,
    /// The percent.
    pub percent: f64,
    /// The run's date.
    pub date: NaiveDate,
}

/// The score per section.
#[derive(Debug, Clone, PartialEq)]
pub struct Sections {
    /// The heading.
    pub heading: String,
    /// The column headings (section, score, percent).
    pub columns: Vec<Column>,
    /// One row per section.
    pub rows: Vec<SectionRow>,
}

/// One section's score.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionRow {
    /// The section's title.
    pub title: String,
    /// `score/max`.
    pub score: String,
    /// The percent, formatted.
    pub percent: String,
    /// The percent as a bar.
    pub bar: Bar,
}

/// The comparison with an earlier run.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The heading.
    pub heading: String,
    /// The comparison, or the sentence saying there is none.
    pub body: Result<ComparisonBody, String>,
}

/// A comparison that exists.
#[derive(Debug, Clone, PartialEq)]
pub struct ComparisonBody {
    /// `date (period) → date (period): score → score`.
    pub line: String,
    /// `+3 (+12.0 points)`.
    pub delta: String,
    /// Which way the percent went.
    pub direction: Direction,
    /// How many items changed each way.
    pub counts: String,
    /// The column headings of the changes (change, no., question, before, now).
    pub columns: Vec<Column>,
    /// The changed items, regressions first; then notes changed.
    pub groups: Vec<ChangeGroup>,
    /// The label of the earlier note.
    pub earlier_note: String,
    /// The label of the later note.
    pub note: String,
}

/// The items that changed one way.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeGroup {
    /// The kind of change (`Unchanged` for notes changed on unchanged answers).
    pub change: ItemChange,
    /// The marker (`▼`, `▲`, …).
    pub marker: &'static str,
    /// The group's heading.
    pub heading: String,
    /// The kind of change as one row says it.
    pub row_label: String,
    /// The items.
    pub rows: Vec<ChangeRow>,
}

/// One changed item.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeRow {
    /// The item's id.
    pub id: String,
    /// The question.
    pub title: String,
    /// The earlier answer, or `—`.
    pub from: String,
    /// The later answer, or `—`.
    pub to: String,
    /// Both notes, when the note changed.
    pub notes: Option<(String, String)>,
}

/// Every item with its answer, section by section.
#[derive(Debug, Clone, PartialEq)]
pub struct Items {
    /// The heading.
    pub heading: String,
    /// The column headings (no., question, answer, points, details).
    pub columns: Vec<Column>,
    /// The words used inside the list.
    pub words: ItemWords,
    /// The sections.
    pub sections: Vec<ItemSection>,
}

/// The words used inside the item list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemWords {
    /// "Answer".
    pub answer: String,
    /// "Not answered".
    pub not_answered: String,
    /// "finding".
    pub finding: String,
    /// The flag of a carried answer.
    pub carried: String,
    /// "Note".
    pub note: String,
    /// "Evidence".
    pub evidence: String,
    /// "Corrective action".
    pub action: String,
    /// "due".
    pub due: String,
}

/// One section of the item list.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemSection {
    /// The section's title.
    pub title: String,
    /// `score/max (percent%)`.
    pub score: String,
    /// The items.
    pub items: Vec<ItemRow>,
}

/// One item.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemRow {
    /// The item's id.
    pub id: String,
    /// The question.
    pub title: String,
    /// The answer, if any.
    pub answer: Option<AnswerCell>,
}

/// An answer to an item.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerCell {
    /// The chosen choice's label, or its id when the template lacks it.
    pub choice: ChoiceName,
    /// `points/best`, or the words for not scored.
    pub points: String,
    /// Answered below the best choice.
    pub finding: bool,
    /// Carried from the previous run, not yet confirmed.
    pub carried: bool,
    /// The note, trimmed.
    pub note: String,
    /// The evidence.
    pub evidence: Vec<EvidenceEntry>,
    /// The corrective action: text, owner (if named), due date.
    pub action: Option<(String, Option<String>, NaiveDate)>,
}

/// One piece of evidence as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvidenceEntry {
    /// A reference in words.
    Text(String),
    /// A file kept in the repository.
    File(FileEntry),
}

/// An evidence file as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEntry {
    /// Its name.
    pub name: String,
    /// Where it is, relative to the repository (and to a bundle).
    pub path: String,
    /// Its size in words (`48.2 KiB`).
    pub size: String,
    /// Its SHA-256, hex.
    pub sha256: String,
    /// The thumbnail to show (HTML, images only).
    pub thumbnail: Option<super::thumb::Thumbnail>,
    /// Why an image is not shown, when it is not.
    pub left_out: Option<String>,
}

/// How a chosen answer is named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChoiceName {
    /// The choice's label.
    Label(String),
    /// The choice id, which the template does not know.
    Id(String),
}

/// The corrective actions still open.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenActions {
    /// The heading.
    pub heading: String,
    /// The sentence when there are none, else the one counting them.
    pub intro: String,
    /// The column headings: item, action, owner, due, opened, status.
    pub columns: Vec<Column>,
    /// The actions (empty when there are none).
    pub rows: Vec<ActionRow>,
}

/// One open action.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionRow {
    /// The item's id.
    pub item: String,
    /// The item's question, when the template has the item.
    pub title: Option<String>,
    /// What is to be done.
    pub text: String,
    /// Who does it.
    pub owner: String,
    /// By when.
    pub due: NaiveDate,
    /// The date of the run that recorded it.
    pub opened: NaiveDate,
    /// `open` or `overdue`, in words.
    pub status: String,
    /// Past its due date.
    pub overdue: bool,
}
