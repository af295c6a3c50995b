//! One supplier: its register entry and next due date, its checks with
//! score and change, a bar chart of the trend, and the failing items of the
//! latest check with notes, evidence and actions. Enter opens the latest
//! check, `c` compares it with the one before, `t` shows the trend by
//! period and `r` starts a new check.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Bar, BarChart, BarGroup, Block, Borders, List, ListItem, Paragraph, Widget,
};
use unicode_width::UnicodeWidthStr;

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::escape;
use crate::model::{Evidence, FORMAT, Id, SubjectKind};
use crate::store::HistoryEntry;
use crate::supplier::{self, SupplierReview};
use crate::tui::app::{Ctx, Nav, Step};
use crate::tui::keymap::{Action, ScreenId};
use crate::tui::msg::{Effect, Msg, Notice};
use crate::tui::screen::Screen;
use crate::tui::screen::picker::PickerScreen;
use crate::tui::screen::run_view::RunViewScreen;
use crate::tui::screen::subject_form::{self, SubjectFormScreen};
use crate::tui::widget;
use crate::tui::widget::navigator::Navigator;
use crate::tui::widget::{delta, pad, truncate};
/// How many checks the table and the chart show at most.
const SHOWN_RUNS: usize = 5;
/// The height of the checks table and chart: the checks and two borders.
const RUNS_HEIGHT: u16 = 7;

/// The supplier screen's state.
#[derive(Debug)]
pub struct SupplierScreen {
    review: SupplierReview,
    inspection: Id,
    /// The selected failing item.
    nav: Navigator,
    /// The y/n question before retiring the supplier, while it is asked.
    confirm: Option<Notice>,
}

impl SupplierScreen {
    /// Shows `review`, whose checks are runs of `inspection`.
    pub fn new(ctx: &Ctx, review: SupplierReview, inspection: &Id) -> Self {
        let mut screen = Self {
            review,
            inspection: inspection.clone(),
            nav: Navigator::default(),
            confirm: None,
        };
        screen.nav = Navigator::new(screen.failing_count(ctx));
        screen
    }

    /// Asks before retiring the supplier.
    fn ask_retire(&mut self, ctx: &Ctx) -> Step {
        if let Some(refused) = subject_form::refusal(ctx) {
            return Step::notice(refused);
        }
        let s = &self.review.subject;
        if s.retired {
            return Step::notice(format!(
                "{} `{}`",
                ctx.tr("既に廃止済みです:", "already retired:"),
                s.id
            ));
        }
        if s.kind == SubjectKind::Organisation {
            return Step::notice(ctx.tr(
                "組織自体は廃止できません",
                "The organisation itself cannot be retired.",
            ));
        }
        self.confirm = Some(Notice::from(match ctx.lang {
            crate::model::Lang::Ja => format!(
                "{} を廃止しますか? 履歴は残り、期限の対象外になります (y/n)",
                escape::line(s.name.get(ctx.lang))
            ),
            crate::model::Lang::En => format!(
                "Retire {}? Its history stays; it is no longer due. (y/n)",
                escape::line(s.name.get(ctx.lang))
            ),
        }));
        Step::none()
    }

    /// Answers the y/n question: `y` commits the retirement, anything else
    /// cancels it.
    fn answer_retire(&mut self, code: KeyCode, ctx: &Ctx) -> Step {
        self.confirm = None;
        if !matches!(code, KeyCode::Char('y' | 'Y')) {
            return Step::notice(ctx.tr("廃止を取り消しました", "Not retired."));
        }
        let id = &self.review.subject.id;
        let mut subjects = ctx.data.catalog.subjects.clone();
        subjects.format = FORMAT;
        let Some(s) = subjects.subjects.iter_mut().find(|s| &s.id == id) else {
            return Step::notice(format!(
                "{} `{id}`",
                ctx.tr("台帳にありません:", "not in the register:")
            ));
        };
        s.retired = true;
        Step::effects(vec![Effect::SaveSubjects {
            subjects,
            message: format!("register: retire {id}"),
            typed: None,
        }])
    }

    fn latest<'a>(&self, ctx: &'a Ctx) -> Option<&'a HistoryEntry> {
        self.review.latest().and_then(|i| ctx.data.history.get(i))
    }

    fn failing_count(&self, ctx: &Ctx) -> usize {
        self.latest(ctx)
            .and_then(|h| {
                ctx.data
                    .template_of(&h.run)
                    .map(|t| supplier::failing_items(t, &h.brief_run()).len())
            })
            .unwrap_or(0)
    }
}

impl Screen for SupplierScreen {
    fn id(&self) -> ScreenId {
        ScreenId::Supplier
    }

    fn title(&self, ctx: &Ctx) -> String {
        format!(
            "{} · {}",
            ctx.tr("委託先", "Supplier"),
            escape::line(self.review.subject.name.get(ctx.lang))
        )
    }

    fn status(&self) -> Option<&Notice> {
        self.confirm.as_ref()
    }

    /// Every key answers the y/n question while it is asked.
    fn key(&self, key: KeyEvent) -> Option<Msg> {
        self.confirm.is_some().then_some(Msg::Input(key))
    }

    fn update(&mut self, msg: Msg, ctx: &Ctx) -> Step {
        if let Msg::Input(key) = msg {
            return if self.confirm.is_some() {
                self.answer_retire(key.code, ctx)
            } else {
                Step::none()
            };
        }
        let Msg::Action(action) = msg else {
            return Step::none();
        };
        match action {
            Action::Back => return Step::nav(Nav::Pop),
            Action::EditSubject => {
                if let Some(refused) = subject_form::refusal(ctx) {
                    return Step::notice(refused);
                }
                // The register as read now, not as the review captured it.
                let id = self.review.subject.id.as_str();
                let subject = ctx
                    .data
                    .catalog
                    .subjects
                    .get(id)
                    .unwrap_or(&self.review.subject);
                let form = SubjectFormScreen::edit(subject, ctx.lang).with_typing(ctx);
                return Step::nav(Nav::push(form));
            }
            Action::RetireSubject => return self.ask_retire(ctx),
            Action::Select => match self.latest(ctx) {
                Some(entry) => {
                    return Step::nav(Nav::push(RunViewScreen::new(entry.clone(), ctx)));
                }
                None => return Step::notice(never_checked(ctx)),
            },
            Action::Compare => match self.latest(ctx) {
                Some(entry) => return super::compare_with_previous(ctx, &entry.run),
                None => return Step::notice(never_checked(ctx)),
            },
            Action::Trend => match self.latest(ctx) {
                Some(entry) => return super::trend_of(ctx, &entry.run),
                None => return Step::notice(never_checked(ctx)),
            },
            Action::NewRun => {
                return match PickerScreen::open(ctx, &self.review.subject.id, &self.inspection) {
                    Ok(screen) => Step::nav(Nav::Push(screen)),
                    Err(e) => Step::notice(e),
                };
            }
            action => {
                self.nav.handle(action);
            }
        }
        Step::none()
    }

    fn render(&mut self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let [info_area, middle, failing_area] = Layout::vertical([
            Constraint::Length(5),
            Constraint::Length(RUNS_HEIGHT),
            Constraint::Min(4),
        ])
        .areas(area);
        self.render_info(info_area, buf, ctx);
        let [runs_area, chart_area] =
            Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
                .areas(middle);
        self.render_runs(runs_area, buf, ctx);
        self.render_chart(chart_area, buf, ctx);
        self.render_failing(failing_area, buf, ctx);
    }
}

impl SupplierScreen {
    fn render_info(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let theme = &ctx.theme;
        let s = &self.review.subject;
        let width = usize::from(area.width.saturating_sub(4));
        let joined = |v: &[crate::model::Name]| {
            if v.is_empty() {
                "—".to_owned()
            } else {
                let shown: Vec<&str> = v.iter().map(|n| n.get(ctx.lang)).collect();
                escape::line(&shown.join(", "))
            }
        };
        let mut first = vec![
            Span::styled(escape::line(s.name.get(ctx.lang)), theme.title),
            Span::styled(format!(" ({})", s.id), theme.dim),
            Span::raw(format!(
                " · {} {}",
                ctx.tr("事業影響度", "criticality"),
                s.criticality
            )),
        ];
        if s.retired {
            first.push(Span::styled(
                format!(" · {}", ctx.tr("廃止済み", "retired")),
                theme.warn,
            ));
        }
        let due = match &self.review.due {
            Some(d) if d.overdue => Span::styled(
                format!(
                    "{} {} ({})",
                    ctx.tr("次回期限", "next due"),
                    d.due_date,
                    ctx.tr("期限切れ", "overdue")
                ),
                theme.bad,
            ),
            Some(d) => Span::raw(format!("{} {}", ctx.tr("次回期限", "next due"), d.due_date)),
            None => Span::styled(ctx.tr("予定なし", "not scheduled"), theme.dim),
        };
        let actions = if self.review.overdue_actions > 0 {
            Span::styled(
                format!(
                    " · {} {} ({} {})",
                    ctx.tr("未完了の是正", "open actions"),
                    self.review.open_actions,
                    self.review.overdue_actions,
                    ctx.tr("件期限切れ", "overdue")
                ),
                theme.bad,
            )
        } else {
            Span::raw(format!(
                " · {} {}",
                ctx.tr("未完了の是正", "open actions"),
                self.review.open_actions
            ))
        };
        let services = format!(
            "{} {} · {} {}",
            ctx.tr("業務:", "services:"),
            joined(&s.services),
            ctx.tr("取扱情報:", "data:"),
            joined(&s.data_handled),
        );
        let mut second = vec![due, actions];
        if !s.contact.is_empty() {
            let used: usize = second.iter().map(Span::width).sum();
            let contact = format!(
                " · {} {}",
                ctx.tr("連絡先", "contact"),
                escape::line(s.contact.get(ctx.lang))
            );
            second.push(Span::raw(truncate(&contact, width.saturating_sub(used))));
        }
        // Each line keeps a cell before the right border; on a narrow
        // terminal the id gives way to the criticality, then "…" cuts.
        let room = usize::from(area.width.saturating_sub(3));
        if Line::from(first.clone()).width() > room {
            first.remove(1);
        }
        let lines = vec![
            widget::fit(Line::from(first), room),
            widget::fit(Line::from(second), room),
            Line::from(Span::raw(truncate(&services, width))),
        ];
        Paragraph::new(lines)
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(theme.border),
            )
            .render(area, buf);
    }

    fn render_runs(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let theme = &ctx.theme;
        let data = &ctx.data;
        let title = format!(
            " {} ({}) ",
            ctx.tr("点検結果", "Checks"),
            self.review.runs.len()
        );
        let block =
            widget::titled(Span::styled(title, theme.title), area).border_style(theme.border);
        // A cell before the right border.
        let width = usize::from(area.width.saturating_sub(3));
        let mut lines = Vec::new();
        if self.review.runs.is_empty() {
            lines.push(Line::from(Span::styled(never_checked(ctx), theme.warn)));
        }
        // Newest first; the change is against the check before each one.
        let runs = &self.review.runs;
        for (n, &i) in runs.iter().enumerate().rev().take(SHOWN_RUNS) {
            let Some(h) = data.history.get(i) else {
                continue;
            };
            let prev = n
                .checked_sub(1)
                .and_then(|p| runs.get(p))
                .and_then(|&p| data.history.get(p));
            let d = prev.map(|p| h.percent - p.percent);
            let style = match d {
                Some(x) if x > 0.05 => theme.good,
                Some(x) if x < -0.05 => theme.bad,
                _ => theme.dim,
            };
            let band = h
                .band()
                .map(|b| escape::line(b.get(ctx.lang)))
                .unwrap_or_default();
            let fixed = format!(
                "{} {:>7} {:>4.0}% ",
                h.run.date(),
                format!("{}/{}", h.score.score, h.score.max),
                h.percent
            );
            let d_text = pad(&d.map_or_else(|| "—".to_owned(), delta), 5);
            let room = width.saturating_sub(fixed.width() + d_text.width() + 1);
            lines.push(Line::from(vec![
                Span::raw(fixed),
                Span::styled(d_text, style),
                Span::styled(format!(" {}", truncate(&band, room)), theme.dim),
            ]));
        }
        Paragraph::new(lines).block(block).render(area, buf);
    }

    fn render_chart(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let theme = &ctx.theme;
        let block = widget::titled(
            Span::styled(
                format!(" {} ", ctx.tr("推移 (得点率 %)", "Trend (percent)")),
                theme.title,
            ),
            area,
        )
        .border_style(theme.border);
        let runs = &self.review.runs;
        let shown = &runs[runs.len().saturating_sub(SHOWN_RUNS)..];
        let bars: Vec<Bar> = shown
            .iter()
            .filter_map(|&i| ctx.data.history.get(i))
            .map(|h| {
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let value = h.percent.clamp(0.0, 100.0).round() as u64;
                Bar::default()
                    .value(value)
                    .text_value(format!("{:.0}", h.percent))
                    .label(Line::from(h.run.date().format("%y-%m").to_string()))
                    .style(theme.good)
                    .value_style(theme.selected)
            })
            .collect();
        if bars.is_empty() {
            Paragraph::new(Span::styled("—", theme.dim))
                .block(block)
                .render(area, buf);
            return;
        }
        BarChart::default()
            .block(block)
            .data(BarGroup::default().bars(&bars))
            .bar_width(5)
            .bar_gap(1)
            .max(100)
            .render(area, buf);
    }

    fn render_failing(&mut self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let theme = &ctx.theme;
        let latest = self.latest(ctx);
        let template = latest.and_then(|h| ctx.data.template_of(&h.run));
        // The findings show their notes and evidence: the run is read whole.
        let full = latest.map(|h| ctx.data.full_run(&h.run));
        let failing = match (&full, template) {
            (Some(run), Some(t)) => supplier::failing_items(t, run),
            _ => Vec::new(),
        };
        let title = match latest {
            Some(h) => format!(
                " {} · {} ({}) ",
                ctx.tr("最新点検の不足項目", "Failing items of the latest check"),
                h.run.date(),
                failing.len()
            ),
            None => format!(" {} ", ctx.tr("不足項目", "Failing items")),
        };
        let block =
            widget::titled(Span::styled(title, theme.title), area).border_style(theme.border);
        // Borders, the highlight symbol and a cell before the right border.
        let width = usize::from(area.width.saturating_sub(5));
        if failing.is_empty() {
            let text = if latest.is_some() {
                Span::styled(
                    ctx.tr(
                        "すべての項目が最善の回答です",
                        "Every item has its best answer.",
                    ),
                    theme.good,
                )
            } else {
                Span::styled(
                    ctx.tr(
                        "まだ点検していません。r で点検を始めます",
                        "Not checked yet. Press r to start a check.",
                    ),
                    theme.warn,
                )
            };
            Paragraph::new(text).block(block).render(area, buf);
            return;
        }
        let items: Vec<ListItem> = failing
            .iter()
            .map(|f| {
                let choice = f.choice.map_or_else(
                    || escape::line(f.answer.choice.as_str()),
                    |c| escape::line(c.label.get(ctx.lang)),
                );
                let style = if f.choice.and_then(|c| c.points).is_some_and(|p| p <= 0) {
                    theme.bad
                } else {
                    theme.warn
                };
                let head = format!("{} ", f.item.id);
                let room = width.saturating_sub(head.width() + choice.width() + 2);
                let mut lines = vec![Line::from(vec![
                    Span::styled(head, theme.key),
                    Span::raw(pad(&escape::line(f.item.title.get(ctx.lang)), room)),
                    Span::styled(format!(" {choice}"), style),
                ])];
                let detail = |label: &str, text: String| {
                    let label = format!("    {label} ");
                    let room = width.saturating_sub(label.width());
                    Line::from(vec![
                        Span::styled(label, theme.dim),
                        Span::raw(truncate(&text, room)),
                    ])
                };
                if !f.answer.note.trim().is_empty() {
                    lines.push(detail(
                        ctx.tr("メモ:", "note:"),
                        escape::line(f.answer.note.trim()),
                    ));
                }
                if !f.answer.evidence.is_empty() {
                    lines.push(detail(
                        ctx.tr("証跡:", "evidence:"),
                        escape::line(
                            &f.answer
                                .evidence
                                .iter()
                                .map(Evidence::label)
                                .collect::<Vec<_>>()
                                .join(", "),
                        ),
                    ));
                }
                if let Some(a) = &f.answer.action {
                    lines.push(detail(
                        ctx.tr("是正:", "action:"),
                        format!(
                            "{} — {}, {}",
                            escape::line(&a.text),
                            escape::line(&a.owner),
                            a.due
                        ),
                    ));
                }
                ListItem::new(lines)
            })
            .collect();
        let list = List::new(items)
            .block(block)
            .highlight_symbol("▸ ")
            .highlight_style(theme.title);
        self.nav.render_list(list, area, buf);
    }
}

fn never_checked(ctx: &Ctx) -> String {
    ctx.tr("まだ点検していません", "Not checked yet.")
        .to_owned()
}
