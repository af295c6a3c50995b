//! `tenken record`: record and commit a finished run non-interactively, from
//! answers in a RON, CSV or `.xlsx` file (a filled supplier questionnaire).
//! Everything is checked before anything is written.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone};
use clap::Args;
use serde::Serialize;

use crate::cli::{Ctx, Format, print, print_json};
use crate::error::{Error, Result};
use crate::escape;
use crate::load::{self, answers};
use crate::model::{Answer, DateRange, Draft, FORMAT, Id, Inspection, parse_date};
use crate::msg::{self, Message, errors};
use crate::number::round1;
use crate::supplier::questionnaire;

/// Record and commit a finished run from a file of answers
#[derive(Debug, Args)]
pub struct RecordArgs {
    /// The inspection answered (an id from inspections/)
    #[arg(value_name = "INSPECTION")]
    pub inspection: Id,
    /// The subject inspected (an id from subjects.ron)
    #[arg(long, value_name = "ID")]
    pub subject: Id,
    /// The answers: a filled questionnaire (.xlsx or CSV in UTF-8 or CP932), CSV with the header `item,choice,note`, or RON `{"1": (choice: "yes", note: "…")}`
    #[arg(long, value_name = "FILE")]
    pub answers: PathBuf,
    /// Backfill a paper inspection done on DATE (YYYY-MM-DD, 1990-01-01 to today); the run is dated 09:00 that day
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub date: Option<NaiveDate>,
    /// Correct a committed run: the new run supersedes the run named (same subject and inspection) and keeps its date unless --date is given
    #[arg(long, value_name = "RUN_ID", conflicts_with = "new")]
    pub supersedes: Option<String>,
    /// Record another run although the subject already has one of this inspection on that date
    #[arg(long)]
    pub new: bool,
    /// Record the run even if some items have no answer
    #[arg(long)]
    pub allow_partial: bool,
    /// Close an open corrective action explicitly: `<run id>#<item>`, as `tenken actions --format json` names it (repeatable)
    #[arg(long, value_name = "RUN#ITEM")]
    pub closes: Vec<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// What `record --format json` prints.
#[derive(Debug, Serialize)]
struct Recorded<'a> {
    run: &'a str,
    subject: &'a str,
    inspection: &'a str,
    inspection_version: u32,
    date: NaiveDate,
    inspector: &'a str,
    supersedes: Option<&'a str>,
    score: i64,
    max: i64,
    percent: f64,
    band: Option<String>,
    carried: usize,
    unanswered: usize,
    commit: &'a str,
    path: String,
}

/// Checks the answers, writes the run file and commits it.
pub fn cmd_record(ctx: &Ctx, args: &RecordArgs) -> Result<()> {
    let store = ctx.store()?;
    let catalog = ctx.catalog(&store)?;
    let lang = ctx.lang(catalog.config.lang);
    let inspector = ctx.inspector_in(&store, &catalog)?;
    let inspection_id = args.inspection.clone();
    let template = super::lookup::template(&catalog, &inspection_id, lang)?;
    let subject = args.subject.clone();
    super::lookup::subject(&catalog, &subject)?;

    crate::restricted::check_run(&catalog.config, &inspector.id, &subject, &inspection_id)?;

    let given = read_answers(args, template, &subject, lang)?;
    let due = DateRange::due(ctx.clock.today());
    for (item, answer) in &given {
        if let Some(action) = answer.action.as_ref().filter(|a| !due.contains(a.due)) {
            let what = (
                format!("項目 `{item}` の対策の期限"),
                format!("the due date of item `{item}`'s action"),
            );
            let shown = args.answers.display();
            return Err(Error::usage(
                errors::date_out_of_range((&what.0, &what.1), action.due, due)
                    .wrap(|_, m| format!("{shown}: {m}")),
            ));
        }
    }
    let closes = if args.closes.is_empty() {
        Vec::new()
    } else {
        // Only open actions can be closed; anything else is a typo.
        let open: Vec<String> = crate::actions::derive(
            &store.history(&catalog, &crate::store::HistoryFilter::default())?,
            &catalog,
            ctx.clock.today(),
        )
        .into_iter()
        .filter(crate::actions::CorrectiveAction::is_open)
        .map(|a| a.key())
        .collect();
        for key in &args.closes {
            if !open.contains(key) {
                return Err(Error::user_hint(
                    msg::record::closes_nothing(&escape::line(key)),
                    msg::record::CLOSES_HINT,
                ));
            }
        }
        args.closes.clone()
    };

    let now = ctx.clock.now();
    // A correction keeps the date of the run it corrects unless told
    // otherwise: it restates that inspection, in that run's period.
    let finished = match (args.date, &args.supersedes) {
        (Some(date), _) => backfill_time(date, now)?,
        (None, Some(target)) => store.committed_run(&catalog, target.trim())?.run.finished,
        (None, None) => now,
    };
    if args.supersedes.is_none() && !args.new {
        // A second run of the same day is usually the same inspection
        // entered twice; it must be meant.
        let same_day =
            store.runs_on_day(&catalog, &subject, &inspection_id, finished.date_naive())?;
        if let Some(first) = same_day.first() {
            let committed = first.status != crate::model::RunStatus::Uncommitted;
            let run = escape::line(&first.run.id);
            return Err(Error::usage_hint(
                msg::record::same_day(
                    subject.as_str(),
                    inspection_id.as_str(),
                    &finished.date_naive().to_string(),
                    &run,
                    committed,
                ),
                msg::record::same_day_hint(&run),
            ));
        }
    }
    let draft = Draft {
        format: FORMAT,
        inspection: inspection_id,
        inspection_version: template.version,
        inspection_hash: None,
        subject,
        inspector,
        started: finished,
        answers: given,
        cursor: 0,
        supersedes: args.supersedes.as_ref().map(|s| s.trim().to_owned()),
        closes,
    };
    let done = store.record_run(draft, &catalog, finished, ctx.clock)?;
    let percent = done.score.percent();
    let band = template
        .band(percent)
        .map(|b| escape::line(b.label.get(lang)));
    match args.format {
        Format::Json => print_json(&Recorded {
            run: &done.run.id,
            subject: done.run.subject.as_str(),
            inspection: done.run.inspection.as_str(),
            inspection_version: done.run.inspection_version,
            date: done.run.date(),
            inspector: done.run.inspector.id.as_str(),
            supersedes: done.run.supersedes.as_deref(),
            score: done.score.score,
            max: done.score.max,
            percent: round1(percent),
            band,
            carried: done.score.carried,
            unanswered: done.score.unanswered,
            commit: &done.commit,
            path: done.path.display().to_string().replace('\\', "/"),
        }),
        Format::Text => print(&msg::record::recorded(
            lang,
            &msg::record::Recorded {
                run: &done.run.id,
                supersedes: done.run.supersedes.as_deref(),
                score: (done.score.score, done.score.max, percent),
                band: band.as_deref(),
                unanswered: (done.score.unanswered, template.item_count()),
                commit: &done.commit,
            },
        )),
    }
}

/// Reads and checks the answers file: every answer valid, a
/// questionnaire's header consistent with what is recorded, and all items
/// answered unless `--allow-partial`. Notes about the file (the encoding
/// it was read in when that was CP932, a template checksum that differs)
/// go to stderr.
fn read_answers(
    args: &RecordArgs,
    template: &Inspection,
    subject: &Id,
    lang: crate::model::Lang,
) -> Result<BTreeMap<Id, Answer>> {
    let shown = args.answers.as_path();
    if std::fs::symlink_metadata(shown).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound) {
        return Err(Error::user_hint(
            msg::record::no_answers_file(&escape::line(&shown.display().to_string())),
            msg::record::ANSWERS_FILE_HINT,
        ));
    }
    // A file that cannot be read is the user's to fix (exit 1), not
    // invalid data (issue 17).
    let bytes = load::read_bytes(load::Source::given(shown), load::MAX_FILE_BYTES)
        .map_err(|d| Error::user(d.located()))?;
    let imported = answers::answers_from_bytes(shown, &bytes, template)?;
    if imported.encoding == Some(answers::Encoding::Cp932) {
        super::warn(&msg::record::read_as_cp932(
            lang,
            &escape::line(&shown.display().to_string()),
        ));
    }
    let warning = questionnaire::check_header(shown, &imported.header, template, subject)?;
    if let Some(warning) = warning {
        super::warn(&format!(
            "{}: {}",
            msg::WARNING.get(lang),
            escape::line(warning.get(lang))
        ));
    }
    let given = imported.answers;
    let missing = answers::unanswered(template, &given);
    if !missing.is_empty() && !args.allow_partial {
        let ids: Vec<&str> = missing.iter().map(|i| i.as_str()).collect();
        let (items, path) = (template.item_count(), shown.display().to_string());
        return Err(Error::user_hint(
            Message::of(|lang| {
                msg::record::unanswered(lang, missing.len(), items, &path, &ids.join(", "))
            }),
            msg::record::UNANSWERED_HINT,
        ));
    }
    Ok(given)
}

/// Returns 09:00 on `date` in the offset of `now`; a backfilled run lies
/// between 1990-01-01 and today.
fn backfill_time(date: NaiveDate, now: DateTime<FixedOffset>) -> Result<DateTime<FixedOffset>> {
    let range = DateRange::past(now.date_naive());
    if !range.contains(date) {
        return Err(Error::usage(errors::date_out_of_range(
            ("--date", "--date"),
            date,
            range,
        )));
    }
    let nine = NaiveTime::from_hms_opt(9, 0, 0)
        .ok_or_else(|| Error::Internal("09:00 is not a time".into()))?;
    now.offset()
        .from_local_datetime(&date.and_time(nine))
        .single()
        .ok_or_else(|| Error::Internal(format!("09:00 on {date} has no single time")))
}
