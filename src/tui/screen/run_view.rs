//! One committed run, read-only: every item with its answer, note and
//! evidence, grouped by section. From here a run is corrected (`e`: the
//! walker opens on its answers and the run it finishes supersedes this
//! one) or withdrawn (`W`: a reason is asked for, then one commit); the
//! run file itself is never touched.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use unicode_width::UnicodeWidthStr;

use crate::escape;
use crate::store::HistoryEntry;
use crate::tui::app::{Ctx, Nav, Step};
use crate::tui::keymap::{self, Action, Binding, ScreenId};
use crate::tui::msg::{Effect, Msg, Notice};
use crate::tui::screen::Screen;
use crate::tui::screen::walker::WalkerScreen;
use crate::tui::widget;
use crate::tui::widget::scroll::Scroll;
use crate::tui::widget::text_input::{LINE_CHARS, Outcome, TextInput};
use crate::tui::widget::wrap;

/// The run view's state.
#[derive(Debug)]
pub struct RunViewScreen {
    entry: Box<HistoryEntry>,
    scroll: Scroll,
    /// The reason being typed for a withdrawal, while asked for.
    reason: Option<TextInput>,
    /// What the status line says about the withdrawal.
    prompt: Option<Notice>,
}

impl RunViewScreen {
    /// Shows `entry`.
    pub fn new(entry: HistoryEntry, ctx: &Ctx) -> Self {
        let run = ctx.data.full_run(&entry.run);
        Self {
            entry: Box::new(HistoryEntry { run, ..entry }),
            scroll: Scroll::default(),
            reason: None,
            prompt: None,
        }
    }
}

impl Screen for RunViewScreen {
    fn id(&self) -> ScreenId {
        ScreenId::RunView
    }

    fn title(&self, ctx: &Ctx) -> String {
        ctx.tr("点検結果", "Run").to_owned()
    }

    fn status(&self) -> Option<&Notice> {
        self.prompt.as_ref()
    }

    fn keys(&self) -> &'static [Binding] {
        if self.reason.is_some() {
            keymap::LINE_EDIT
        } else {
            keymap::bindings(ScreenId::RunView)
        }
    }

    /// Every key goes to the reason while it is asked for.
    fn key(&self, key: KeyEvent) -> Option<Msg> {
        self.reason.as_ref().map(|_| Msg::Input(key))
    }

    fn update(&mut self, msg: Msg, ctx: &Ctx) -> Step {
        match msg {
            Msg::Input(key) => {
                let outcome = match &mut self.reason {
                    Some(input) => input.handle(key),
                    None => return Step::none(),
                };
                self.reason_typed(outcome, ctx)
            }
            Msg::Paste(text) => {
                let outcome = match &mut self.reason {
                    Some(input) => input.paste(&text),
                    None => return Step::none(),
                };
                self.reason_typed(outcome, ctx)
            }
            Msg::RunWithdrawn(Ok(commit)) => Step {
                nav: Some(Nav::Home),
                notice: Some(
                    format!(
                        "{} {} ({} {})",
                        ctx.tr("取り下げました:", "Withdrawn:"),
                        escape::line(&self.entry.run.id),
                        ctx.tr("コミット", "commit"),
                        commit.chars().take(8).collect::<String>()
                    )
                    .into(),
                ),
                ..Step::default()
            },
            Msg::RunWithdrawn(Err(e)) => {
                self.prompt = None;
                Step::notice(e.framed(ctx.tr("取り下げできませんでした:", "Not withdrawn:"), ""))
            }
            Msg::Action(Action::Correct) => match WalkerScreen::correcting(ctx, &self.entry.run) {
                Ok(walker) => Step::nav(Nav::push(walker)),
                Err(e) => Step::notice(e),
            },
            Msg::Action(Action::Withdraw) => {
                self.reason = Some(TextInput::line("", LINE_CHARS));
                self.prompt = Some(self.reason_question(ctx));
                Step::none()
            }
            Msg::Action(Action::Back) => Step::nav(Nav::Pop),
            Msg::Action(Action::Compare) => super::compare_with_previous(ctx, &self.entry.run),
            Msg::Action(Action::Trend) => super::trend_of(ctx, &self.entry.run),
            Msg::Action(action) => {
                self.scroll.handle(action);
                Step::none()
            }
            _ => Step::none(),
        }
    }

    fn render(&mut self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let theme = &ctx.theme;
        // The reason being typed takes the last row.
        let area = match &mut self.reason {
            Some(input) if area.height > 2 => {
                let row = Rect {
                    y: area.bottom() - 1,
                    height: 1,
                    ..area
                };
                let label = ctx.tr("取り下げの理由: ", "Reason for withdrawing: ");
                let width = u16::try_from(unicode_width::UnicodeWidthStr::width(label))
                    .unwrap_or(0)
                    .min(row.width);
                Line::from(Span::styled(label, theme.key)).render(row, buf);
                let field = Rect {
                    x: row.x + width,
                    width: row.width - width,
                    ..row
                };
                input.render(field, buf, theme.text, theme.selected);
                Rect {
                    height: area.height - 1,
                    ..area
                }
            }
            _ => area,
        };
        let run = &self.entry.run;
        let data = &ctx.data;
        let mut lines = vec![
            Line::from(vec![
                Span::styled(
                    format!("{}/{}", self.entry.score.score, self.entry.score.max),
                    theme.title,
                ),
                Span::raw(format!("  {:.0}%  ", self.entry.percent)),
                Span::styled(
                    self.entry
                        .band()
                        .map(|b| escape::line(b.get(ctx.lang)))
                        .unwrap_or_default(),
                    theme.title,
                ),
            ]),
            Line::from(Span::styled(
                // A no-break space keeps the commit with its separator
                // when the line wraps (a row ended with "·").
                format!(
                    "{} {} · {} {} ·\u{a0}{}",
                    ctx.tr("点検者", "inspector"),
                    escape::line(if run.inspector.name.is_empty() {
                        run.inspector.id.as_str()
                    } else {
                        &run.inspector.name
                    }),
                    ctx.tr("完了", "finished"),
                    run.finished.format("%Y-%m-%d %H:%M"),
                    self.entry.commit.map_or_else(
                        || ctx.tr("未コミット", "not committed").to_owned(),
                        |c| c.hex()[..8].to_owned()
                    )
                ),
                theme.dim,
            )),
        ];
        let Some(inspection) = data.template_of(run) else {
            self.scroll.render(&lines, area, buf);
            return;
        };
        // The width the scroll view wraps at: inside the border, less a
        // cell before its right side.
        let width = usize::from(area.width.saturating_sub(3)).max(1);
        for section in &inspection.sections {
            lines.push(Line::default());
            lines.push(Line::from(Span::styled(
                escape::line(section.title.get(ctx.lang)),
                theme.title,
            )));
            for item in &section.items {
                let answer = run.answers.get(&item.id);
                let (label, style) = match answer {
                    Some(a) => {
                        let choice = inspection.choice(item, a.choice.as_str());
                        let best = inspection.best_choice(item).map(|c| &c.id) == Some(&a.choice);
                        let label = choice.map_or_else(
                            || a.choice.to_string(),
                            |c| escape::line(c.label.get(ctx.lang)),
                        );
                        (
                            format!("{label}{}", if a.carried { " ~" } else { "" }),
                            if best { theme.good } else { theme.warn },
                        )
                    }
                    None => (ctx.tr("未回答", "unanswered").to_owned(), theme.dim),
                };
                // The answer is never broken over two rows ("実施して" /
                // "いる"): after the question's last row where it fits
                // whole, else on a row of its own under the question.
                let question = format!("{:>3} {}", item.id, escape::line(item.title.get(ctx.lang)));
                let last = wrap::strings(&question, width)
                    .last()
                    .map_or(0, |r| r.width());
                if last + 2 + label.width() <= width {
                    lines.push(Line::from(vec![
                        Span::raw(format!("{question}  ")),
                        Span::styled(label, style),
                    ]));
                } else {
                    lines.push(Line::from(question));
                    lines.push(Line::from(vec![
                        Span::raw("    "),
                        Span::styled(label, style),
                    ]));
                }
                if let Some(a) = answer {
                    for l in escape::block(&a.note).lines() {
                        lines.push(Line::from(Span::styled(format!("      {l}"), theme.dim)));
                    }
                    for e in &a.evidence {
                        lines.push(Line::from(Span::styled(
                            format!("      ⎘ {}", escape::line(e.label())),
                            theme.dim,
                        )));
                    }
                    if let Some(action) = &a.action {
                        lines.push(Line::from(Span::styled(
                            format!(
                                "      → {} ({}, {})",
                                escape::line(&action.text),
                                escape::line(&action.owner),
                                action.due
                            ),
                            theme.warn,
                        )));
                    }
                }
            }
        }
        let block = widget::titled(
            format!(
                "{} · {} · {}",
                data.inspection_title(&run.inspection, ctx.lang),
                data.subject_name(&run.subject, ctx.lang),
                run.date()
            ),
            area,
        )
        .border_style(theme.border);
        let inner = block.inner(area);
        block.render(area, buf);
        self.scroll.render(&lines, inner, buf);
    }
}

impl RunViewScreen {
    /// Asks for the reason of the withdrawal.
    fn reason_question(&self, ctx: &Ctx) -> Notice {
        let id = escape::line(&self.entry.run.id);
        match ctx.lang {
            crate::model::Lang::Ja => {
                format!("{id} を取り下げる理由を最下行に入力してください (Enter で取り下げ、Esc で取消)")
            }
            crate::model::Lang::En => {
                format!("Why is {id} withdrawn? Type the reason on the last row; Enter withdraws, Esc cancels.")
            }
        }
        .into()
    }

    /// Acts on what a key did to the reason: Enter withdraws the run with
    /// it (never with an empty one), Esc forgets it.
    fn reason_typed(&mut self, outcome: Outcome, ctx: &Ctx) -> Step {
        match outcome {
            Outcome::Saved => {
                let reason = self
                    .reason
                    .as_ref()
                    .map(|i| i.text().trim().to_owned())
                    .unwrap_or_default();
                if reason.is_empty() {
                    self.prompt = Some(
                        ctx.tr(
                            "理由を入力してください (Esc で取消)",
                            "Say why the run is withdrawn (Esc cancels).",
                        )
                        .into(),
                    );
                    return Step::none();
                }
                self.reason = None;
                self.prompt = Some(ctx.tr("取り下げ中…", "Withdrawing…").into());
                Step::effects(vec![Effect::WithdrawRun {
                    run: self.entry.run.id.clone(),
                    reason,
                }])
            }
            Outcome::Cancelled | Outcome::CancelAsked => {
                self.reason = None;
                self.prompt = None;
                Step::none()
            }
            Outcome::Changed | Outcome::Moved | Outcome::Full | Outcome::Ignored => Step::none(),
        }
    }
}
