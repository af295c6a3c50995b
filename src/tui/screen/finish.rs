//! The finish summary: score, band, the change against the previous run,
//! what is unanswered or still carried; confirm to commit or go back.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::actions;
use crate::compare::{self, ItemChange};
use crate::escape;
use crate::model::{Draft, Inspection, Run};
use crate::score::{self, ReducedScale, Score};
use crate::tui::app::{Ctx, Nav, Step};
use crate::tui::keymap::{self, Action, Binding, ScreenId};
use crate::tui::msg::{Effect, Msg, Notice};
use crate::tui::screen::Screen;
use crate::tui::widget;
use crate::tui::widget::scroll::Scroll;
use crate::tui::widget::truncate;

/// Counts of the comparison with the previous run.
#[derive(Debug, Clone, Default)]
struct Against {
    date: String,
    percent: f64,
    improved: usize,
    regressed: Vec<String>,
    unchanged: usize,
}

/// The finish screen's state.
#[derive(Debug)]
pub struct FinishScreen {
    inspection: Inspection,
    draft: Draft,
    score: Score,
    /// The scale the score is on when items were not applicable.
    scale: Option<ReducedScale>,
    /// The items answered "don't know", listed first: the guideline says
    /// to find out these facts before anything else.
    dont_know: Vec<String>,
    against: Option<Against>,
    unanswered: Vec<String>,
    /// The ids of the unanswered items, for the line that refuses Enter.
    unanswered_ids: Vec<String>,
    carried: Vec<String>,
    /// The corrective actions this run opens, one line each.
    opens: Vec<String>,
    /// The open actions of earlier runs this run closes, one line each.
    closes: Vec<String>,
    committing: bool,
    error: Option<Notice>,
    scroll: Scroll,
}

impl FinishScreen {
    /// Computes the summary of `draft` against `previous`.
    pub fn new(inspection: Inspection, draft: Draft, previous: Option<Run>, ctx: &Ctx) -> Self {
        let score = score::score_answers(&inspection, &draft.answers);
        let scale = ReducedScale::of(&score, &inspection);
        let dont_know = score::gaps(&inspection, &draft.answers)
            .into_iter()
            .filter(score::Gap::dont_know)
            .map(|g| format!("{} {}", g.item.id, escape::line(g.item.title.get(ctx.lang))))
            .collect();
        let unanswered = inspection
            .items()
            .filter(|(_, i)| !draft.answers.contains_key(&i.id))
            .map(|(_, i)| format!("{} {}", i.id, escape::line(i.title.get(ctx.lang))))
            .collect();
        let unanswered_ids = inspection
            .items()
            .filter(|(_, i)| !draft.answers.contains_key(&i.id))
            .map(|(_, i)| i.id.to_string())
            .collect();
        let carried = inspection
            .items()
            .filter(|(_, i)| draft.answers.get(&i.id).is_some_and(|a| a.carried))
            .map(|(_, i)| format!("{} {}", i.id, escape::line(i.title.get(ctx.lang))))
            .collect();
        // Owners given as roles (`role:<id>`) read with the role's holders.
        let dir = crate::roles::Directory::new(
            &ctx.data.catalog.roles,
            &ctx.data.catalog.config,
            ctx.data.history.iter().map(|h| &h.run),
        );
        let opens = inspection
            .items()
            .filter_map(|(_, i)| {
                let action = draft.answers.get(&i.id)?.action.as_ref()?;
                let owner = if action.owner.is_empty() {
                    String::new()
                } else {
                    format!(" · {}", escape::line(&dir.owner(&action.owner, ctx.lang)))
                };
                Some(format!(
                    "{}: {}{owner} · {} {}",
                    i.id,
                    escape::line(&action.text),
                    ctx.tr("期限", "due"),
                    action.due
                ))
            })
            .collect();
        let closes = {
            let open: Vec<_> =
                actions::derive(&ctx.data.history, &ctx.data.catalog, ctx.clock.today())
                    .into_iter()
                    .filter(|a| {
                        a.is_open()
                            && a.subject == draft.subject
                            && a.inspection == draft.inspection
                    })
                    .collect();
            let as_run = draft.clone().finish(String::new(), ctx.clock.now());
            actions::closed_by_run(&open, &as_run, Some(&inspection))
                .into_iter()
                .map(|(a, kind)| {
                    let how = match kind {
                        actions::CloseKind::Best => ctx.tr("最良の回答", "best answer"),
                        actions::CloseKind::Explicit => ctx.tr("明示的に完了", "closed explicitly"),
                    };
                    format!(
                        "{}: {} ({} {}; {how})",
                        a.item,
                        escape::line(&a.action.text),
                        ctx.tr("記録", "opened"),
                        a.opened
                    )
                })
                .collect()
        };
        let against = previous.map(|prev| {
            let now_run = draft.clone().finish(String::new(), ctx.clock.now());
            let prev_entry = ctx.data.history.iter().find(|h| h.run.id == prev.id);
            let cmp = compare::compare_runs(&inspection, &prev, &inspection, &now_run);
            let mut a = Against {
                date: prev.date().to_string(),
                percent: prev_entry.map_or(0.0, |h| h.percent),
                ..Against::default()
            };
            for item in &cmp.items {
                match item.change {
                    ItemChange::Improved => a.improved += 1,
                    ItemChange::Unchanged => a.unchanged += 1,
                    ItemChange::Regressed => {
                        let title = inspection
                            .item(item.id.as_str())
                            .map(|i| escape::line(i.title.get(ctx.lang)))
                            .unwrap_or_default();
                        a.regressed.push(format!("{} {title}", item.id));
                    }
                    _ => {}
                }
            }
            a
        });
        Self {
            inspection,
            draft,
            score,
            scale,
            dont_know,
            against,
            unanswered,
            unanswered_ids,
            carried,
            opens,
            closes,
            committing: false,
            error: None,
            scroll: Scroll::default(),
        }
    }
}

impl FinishScreen {
    /// Says that Enter does not commit a run with unanswered items, which
    /// ones they are, and which key does.
    fn partial_notice(&self, ctx: &Ctx) -> Notice {
        const SHOWN: usize = 8;
        let mut ids = self
            .unanswered_ids
            .iter()
            .take(SHOWN)
            .map(|i| escape::line(i))
            .collect::<Vec<_>>()
            .join(", ");
        if self.unanswered_ids.len() > SHOWN {
            ids.push_str(", …");
        }
        let n = self.unanswered_ids.len();
        Notice::from(match ctx.lang {
            crate::model::Lang::Ja => {
                format!("未回答が {n}件あります ({ids})。未回答のままコミットするには P")
            }
            crate::model::Lang::En => format!(
                "Not committed: {n} {} unanswered ({ids}). P commits the run as it is.",
                if n == 1 { "item is" } else { "items are" }
            ),
        })
    }
}

impl Screen for FinishScreen {
    fn id(&self) -> ScreenId {
        ScreenId::Finish
    }

    fn title(&self, ctx: &Ctx) -> String {
        ctx.tr("完了確認", "Finish").to_owned()
    }

    fn status(&self) -> Option<&Notice> {
        self.error.as_ref()
    }

    fn draft(&self) -> Option<&Draft> {
        Some(&self.draft)
    }

    /// A run with unanswered items is committed with `P` only.
    fn keys(&self) -> &'static [Binding] {
        if self.unanswered_ids.is_empty() {
            keymap::bindings(ScreenId::Finish)
        } else {
            keymap::finish_partial()
        }
    }

    fn update(&mut self, msg: Msg, ctx: &Ctx) -> Step {
        match msg {
            Msg::Action(Action::Commit) if !self.committing && !self.unanswered_ids.is_empty() => {
                self.error = Some(self.partial_notice(ctx));
                Step::none()
            }
            Msg::Action(Action::Commit | Action::CommitPartial) if !self.committing => {
                if !self.draft.unsettled().is_empty() {
                    // The walker asks about these before it opens this
                    // screen; never commit a note written for another answer.
                    self.error = Some(Notice::from(ctx.tr(
                        "回答を変えた項目に、前の回答のために書いた内容が残っています。回答に戻って確認してください",
                        "A changed answer still carries words written for the answer before; go back and settle it.",
                    )));
                    return Step::none();
                }
                self.committing = true;
                self.error = None;
                Step::effects(vec![Effect::CommitRun(self.draft.clone())])
            }
            Msg::Action(Action::Back) if !self.committing => Step::nav(Nav::Pop),
            Msg::Action(action) => {
                self.scroll.handle(action);
                Step::none()
            }
            Msg::RunCommitted(result) => {
                self.committing = false;
                match *result {
                    Ok(c) => {
                        let short: String = c.commit.chars().take(8).collect();
                        let mut step = Step::nav(Nav::Home);
                        step.notice = Some(Notice::from(format!(
                            "{} {short} · {} {}/{}",
                            ctx.tr("コミットしました", "Committed"),
                            escape::line(&c.run.id),
                            c.score.score,
                            c.score.max
                        )));
                        step
                    }
                    Err(e) => {
                        self.error = Some(e.framed(
                            ctx.tr("コミットできませんでした:", "Commit failed:"),
                            ctx.tr("(下書きは保存済み)", "(the draft is kept)"),
                        ));
                        Step::none()
                    }
                }
            }
            _ => Step::none(),
        }
    }

    fn render(&mut self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let theme = &ctx.theme;
        // Inside the border, with a cell of margin before it.
        let width = usize::from(area.width.saturating_sub(3));
        let s = &self.score;
        let band = s
            .band(&self.inspection)
            .map(|b| {
                (
                    escape::line(b.label.get(ctx.lang)),
                    escape::line(b.advice.get(ctx.lang)),
                )
            })
            .unwrap_or_default();
        let mut lines = vec![Line::from(vec![
            Span::styled(ctx.tr("得点 ", "Score "), theme.title),
            Span::styled(format!("{}/{}", s.score, s.max), theme.title),
            Span::raw(format!("  ({:.0}%)  ", s.percent())),
            Span::styled(band.0, theme.title),
        ])];
        // The scale before the band's advice, which speaks of the full scale.
        if let Some(scale) = &self.scale {
            lines.push(Line::from(scale.sentence(ctx.lang)));
        }
        if !band.1.is_empty() {
            lines.push(Line::from(Span::styled(band.1, theme.dim)));
        }
        lines.push(Line::default());
        if !self.dont_know.is_empty() {
            lines.push(Line::from(Span::styled(
                format!(
                    "? {} ({})",
                    ctx.tr(
                        "わからない — まずこれらの事実を確かめましょう",
                        "don't know — find out these facts first"
                    ),
                    self.dont_know.len()
                ),
                theme.warn,
            )));
            lines.extend(
                self.dont_know
                    .iter()
                    .map(|d| Line::from(truncate(&format!("  ? {d}"), width))),
            );
            lines.push(Line::default());
        }
        match &self.against {
            Some(a) => {
                let d = s.percent() - a.percent;
                let style = if d > 0.05 {
                    theme.good
                } else if d < -0.05 {
                    theme.bad
                } else {
                    theme.dim
                };
                lines.push(Line::from(vec![
                    Span::raw(format!(
                        "{} {} ({:.0}%): ",
                        ctx.tr("前回", "Previous run"),
                        a.date,
                        a.percent
                    )),
                    Span::styled(crate::tui::widget::delta(d), style),
                ]));
                lines.push(Line::from(vec![
                    Span::styled(
                        format!("▲ {} {}  ", a.improved, ctx.tr("改善", "improved")),
                        theme.good,
                    ),
                    Span::styled(
                        format!("▼ {} {}  ", a.regressed.len(), ctx.tr("悪化", "regressed")),
                        theme.bad,
                    ),
                    Span::raw(format!(
                        "= {} {}",
                        a.unchanged,
                        ctx.tr("変化なし", "unchanged")
                    )),
                ]));
                for r in &a.regressed {
                    lines.push(Line::from(Span::styled(
                        truncate(&format!("  ▼ {r}"), width),
                        theme.bad,
                    )));
                }
            }
            None => lines.push(Line::from(Span::styled(
                ctx.tr(
                    "前回の点検はありません (初回)",
                    "No previous run to compare with (first run).",
                ),
                theme.dim,
            ))),
        }
        lines.push(Line::default());
        if self.unanswered.is_empty() {
            lines.push(Line::from(Span::styled(
                ctx.tr("全項目に回答済み", "Every item is answered."),
                theme.good,
            )));
        } else {
            lines.push(Line::from(Span::styled(
                format!(
                    "{} {} ({})",
                    "?",
                    ctx.tr(
                        "未回答 — 得点は 0 として最大点に含まれます",
                        "unanswered — counted in the maximum with no points"
                    ),
                    self.unanswered.len()
                ),
                theme.warn,
            )));
            lines.extend(
                self.unanswered
                    .iter()
                    .map(|u| Line::from(truncate(&format!("  · {u}"), width))),
            );
        }
        if !self.carried.is_empty() {
            lines.push(Line::from(Span::styled(
                format!(
                    "~ {} ({})",
                    ctx.tr("前回回答のまま未確認", "carried over, not confirmed"),
                    self.carried.len()
                ),
                theme.warn,
            )));
            lines.extend(
                self.carried
                    .iter()
                    .map(|c| Line::from(truncate(&format!("  ~ {c}"), width))),
            );
        }
        if !self.opens.is_empty() {
            lines.push(Line::from(Span::styled(
                format!(
                    "⚑ {} ({})",
                    ctx.tr(
                        "この点検で記録する是正処置",
                        "corrective actions this run opens"
                    ),
                    self.opens.len()
                ),
                theme.warn,
            )));
            lines.extend(
                self.opens
                    .iter()
                    .map(|o| Line::from(truncate(&format!("  ⚑ {o}"), width))),
            );
        }
        if !self.closes.is_empty() {
            lines.push(Line::from(Span::styled(
                format!(
                    "✓ {} ({})",
                    ctx.tr("この点検で完了する是正処置", "open actions this run closes"),
                    self.closes.len()
                ),
                theme.good,
            )));
            lines.extend(
                self.closes
                    .iter()
                    .map(|c| Line::from(truncate(&format!("  ✓ {c}"), width))),
            );
        }
        lines.push(Line::default());
        lines.push(Line::from(if self.committing {
            Span::styled(ctx.tr("コミット中…", "Committing…"), theme.warn)
        } else if !self.unanswered_ids.is_empty() {
            Span::styled(
                match ctx.lang {
                    crate::model::Lang::Ja => format!(
                        "P: 未回答 {}件のままコミット   b/Esc: 回答に戻る",
                        self.unanswered_ids.len()
                    ),
                    crate::model::Lang::En => format!(
                        "P: commit with {} unanswered   b/Esc: back to the answers",
                        self.unanswered_ids.len()
                    ),
                },
                theme.key,
            )
        } else {
            Span::styled(
                ctx.tr(
                    "y/Enter: 確定してコミット   b/Esc: 回答に戻る",
                    "y/Enter: commit this run   b/Esc: back to the answers",
                ),
                theme.key,
            )
        }));
        let block = widget::titled(
            format!(
                "{} · {}",
                escape::line(self.inspection.title.get(ctx.lang)),
                ctx.data.subject_name(&self.draft.subject, ctx.lang)
            ),
            area,
        )
        .border_style(theme.border);
        let inner = block.inner(area);
        block.render(area, buf);
        self.scroll.render(&lines, inner, buf);
    }
}
