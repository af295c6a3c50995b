//! How the walker looks: the progress gauge, the item list (paged, so
//! stepping one item rewrites two rows, not the whole list) and the
//! current item with its guidance, choices, answer, actions and open field.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, LineGauge, List, ListItem, ListState, Paragraph, StatefulWidget, Widget,
};
use unicode_width::UnicodeWidthStr;

use crate::escape;
use crate::model::{Answer, Inspection, Item};
use crate::tui::app::Ctx;
use crate::tui::widget;
use crate::tui::widget::{mark, pad, truncate, wrap};

use super::{Mode, WalkerScreen};
use crate::tui::widget::scroll::Scroll;

/// Rows of the note editor (its top border and five lines).
const NOTE_ROWS: u16 = 6;
/// Rows of the corrective-action form (heading and three fields).
const FORM_ROWS: u16 = 4;

impl WalkerScreen {
    /// Draws the walker: progress, the item list, the current item.
    pub(super) fn draw(&mut self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let [gauge, main] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
        let total = self.order.len();
        let answered = self.draft.answers.len();
        let carried = self.draft.answers.values().filter(|a| a.carried).count();
        #[allow(clippy::cast_precision_loss)]
        let ratio = if total == 0 {
            0.0
        } else {
            answered as f64 / total as f64
        };
        let label = format!(
            " {answered}/{total} {}{} ",
            ctx.tr("回答", "answered"),
            if carried > 0 {
                format!(" · {carried} {}", ctx.tr("件 前回回答", "carried"))
            } else {
                String::new()
            }
        );
        LineGauge::default()
            .ratio(ratio.clamp(0.0, 1.0))
            .label(label)
            .filled_style(ctx.theme.good)
            .unfilled_style(ctx.theme.dim)
            .render(gauge, buf);

        let [list_area, detail] = Layout::horizontal([
            Constraint::Length((main.width / 3).max(28)),
            Constraint::Min(30),
        ])
        .areas(main);
        self.render_list(list_area, buf, ctx);
        self.render_detail(detail, buf, ctx);
    }

    fn render_list(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let theme = &ctx.theme;
        let width = usize::from(area.width.saturating_sub(5));
        let mut items = Vec::new();
        let mut selected = None;
        for (n, (s, i)) in self.order.iter().enumerate() {
            let Some(section) = self.inspection.sections.get(*s) else {
                continue;
            };
            let Some(item) = section.items.get(*i) else {
                continue;
            };
            if *i == 0 {
                items.push(ListItem::new(Line::from(Span::styled(
                    truncate(&escape::line(section.title.get(ctx.lang)), width + 1),
                    theme.title,
                ))));
            }
            if n == self.cursor {
                selected = Some(items.len());
            }
            // The kind of answer (✓ ◐ ✗ ? –), so that gaps show at a
            // glance; `!` while something is still asked of the item.
            let answer = self.draft.answers.get(&item.id);
            let asked = self.note_missing(item) || answer.is_some_and(Answer::is_unsettled);
            let (mark, style) =
                mark::of_answer(self.inspection.choices(item), answer, asked, theme);
            let text = format!("{} {}", item.id, escape::line(item.title.get(ctx.lang)));
            items.push(ListItem::new(Line::from(vec![
                Span::styled(format!("{mark} "), style),
                Span::raw(pad(&text, width.saturating_sub(2))),
            ])));
        }
        // Scroll by whole pages: stepping one item then rewrites two rows,
        // not the whole list, which keeps each answer cheap over SSH.
        let page = usize::from(area.height.saturating_sub(2)).max(1);
        let offset = selected.map_or(0, |row| row / page * page);
        let mut state = ListState::default().with_offset(offset);
        state.select(selected);
        let list = List::new(items)
            .block(widget::titled(ctx.tr("項目", "Items"), area).border_style(theme.border))
            .highlight_style(theme.selected)
            .highlight_symbol("▸");
        StatefulWidget::render(list, area, buf, &mut state);
    }

    fn render_detail(&mut self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let theme = &ctx.theme;
        let Some(item) = self.item().cloned() else {
            return;
        };
        let item = &item;
        let title = format!(
            "{} {} · {} / {}",
            ctx.tr("項目", "Item"),
            item.id,
            self.cursor + 1,
            self.order.len()
        );
        // Where the title ends on the border (cut with "…" to the room).
        let title_width = title.width().min(usize::from(area.width).saturating_sub(2));
        let block = widget::titled(title, area).border_style(theme.border);
        let inner = block.inner(area);
        block.render(area, buf);
        let settle = if self.settling() {
            self.settle_lines(item, usize::from(inner.width.saturating_sub(1)), ctx)
        } else {
            Vec::new()
        };
        let editor_rows = match self.mode {
            Mode::Note(_) => NOTE_ROWS,
            Mode::Evidence(_) | Mode::Jump(_) => 1,
            Mode::Normal => u16::try_from(settle.len()).unwrap_or(0),
            Mode::Action(_) => 0,
        };
        let choice_lines = choice_grid(
            &self.inspection,
            item,
            self.draft.answers.get(&item.id),
            inner.width,
            ctx,
        );
        // The answer, its note and evidence (the question shows those two
        // while it is open), and a blank row.
        let answer_rows = match (settle.is_empty(), self.draft.answers.get(&item.id)) {
            (false, _) => 2,
            // "Not answered yet": the guidance keeps the rest.
            (true, None) => 1,
            (true, Some(_)) => 4,
        };
        let bottom_rows = u16::try_from(choice_lines.len()).unwrap_or(4) + answer_rows;
        let action_lines = self.action_lines(item, usize::from(inner.width.saturating_sub(1)), ctx);
        let form_rows = if matches!(self.mode, Mode::Action(_)) {
            FORM_ROWS
        } else {
            0
        };
        let action_rows = u16::try_from(action_lines.len()).unwrap_or(0) + form_rows;
        let mut lines = vec![Line::from(Span::styled(
            escape::line(item.title.get(ctx.lang)),
            theme.title,
        ))];
        if !item.guidance.is_empty() {
            lines.push(Line::default());
            for l in escape::block(item.guidance.get(ctx.lang)).lines() {
                lines.push(Line::from(Span::styled(l.to_owned(), theme.dim)));
            }
        }
        if !item.reference.is_empty() {
            lines.push(Line::from(Span::styled(
                format!("({})", escape::line(item.reference.get(ctx.lang))),
                theme.dim,
            )));
        }
        // The question and its guidance take the rows they need (the
        // answer follows right under them), at least three; what they
        // need beyond the room scrolls.
        let room = inner
            .height
            .saturating_sub(bottom_rows + action_rows + editor_rows);
        let needed = wrap::lines(&lines, usize::from(inner.width.saturating_sub(1)).max(1)).len();
        let top_rows = u16::try_from(needed).unwrap_or(u16::MAX).min(room).max(3);
        let [top, bottom, action_area, editor, _] = Layout::vertical([
            Constraint::Length(top_rows),
            Constraint::Length(bottom_rows),
            Constraint::Length(action_rows),
            Constraint::Length(editor_rows),
            Constraint::Min(0),
        ])
        .areas(inner);
        let [lines_area, form_area] =
            Layout::vertical([Constraint::Min(0), Constraint::Length(form_rows)])
                .areas(action_area);
        Paragraph::new(action_lines).render(lines_area, buf);
        if let Mode::Action(form) = &mut self.mode {
            form.render(form_area, buf, ctx);
        }

        // The guidance scrolls (PgDn/J) and shows `…` where it is cut; it
        // starts at the top again on another item.
        if self.guidance.0 != self.cursor {
            self.guidance = (self.cursor, Scroll::default());
        }
        self.guidance.1.render(&lines, top, buf);
        let (more_above, more_below) = (self.guidance.1.offset() > 0, self.guidance.1.more_below());
        if more_above || more_below {
            let (long, short) = match (more_above, more_below) {
                (true, true) => (" PgUp/K ↑ · PgDn/J ↓ ", " ↑↓ "),
                (false, _) => (ctx.tr(" 続き PgDn/J ↓ ", " more PgDn/J ↓ "), " J↓ "),
                (true, false) => (" PgUp/K ↑ ", " K↑ "),
            };
            // On the border after the title, never over it.
            let title_end = area.x + 1 + u16::try_from(title_width).unwrap_or(u16::MAX);
            let fits = |hint: &str| {
                let x = area
                    .right()
                    .saturating_sub(u16::try_from(hint.width()).unwrap_or(u16::MAX) + 1);
                (x >= title_end).then_some(x)
            };
            if let Some((x, hint)) = fits(long)
                .map(|x| (x, long))
                .or_else(|| fits(short).map(|x| (x, short)))
            {
                buf.set_string(x, area.y, hint, theme.dim);
            }
        }

        let answer = self.draft.answers.get(&item.id);
        let mut lower = choice_lines;
        match answer {
            Some(a) => {
                let mut status = vec![Span::raw(ctx.tr("回答: ", "Answer: "))];
                let label = self.inspection.choice(item, a.choice.as_str()).map_or_else(
                    || a.choice.to_string(),
                    |c| escape::line(c.label.get(ctx.lang)),
                );
                status.push(Span::styled(label, theme.title));
                if a.carried {
                    status.push(Span::styled(
                        format!(
                            "  ~ {}",
                            ctx.tr("前回回答 (Enter/c で確認)", "carried (Enter/c to confirm)")
                        ),
                        theme.warn,
                    ));
                }
                // Where an action may be added, say so on this line when it
                // fits: a line of its own would cost the guidance a row.
                let hint = format!("  · a: {}", ctx.tr("是正処置", "corrective action"));
                let used: usize = status.iter().map(Span::width).sum();
                if a.action.is_none()
                    && matches!(self.mode, Mode::Normal)
                    && settle.is_empty()
                    && self.action_refusal(ctx).is_none()
                    && used + hint.width() <= usize::from(inner.width)
                {
                    status.push(Span::styled(hint, theme.dim));
                }
                lower.push(Line::from(status));
                let note = if a.note.is_empty() {
                    if item.note_required_for.contains(&a.choice) {
                        let text = if matches!(self.mode, Mode::Note(_)) {
                            ctx.tr(
                                "メモ: (必須 — 下の欄に入力)",
                                "Note: (required — write it below)",
                            )
                        } else {
                            ctx.tr("メモ: (必須 — n で入力)", "Note: (required — press n)")
                        };
                        Span::styled(text, theme.bad)
                    } else {
                        Span::styled(ctx.tr("メモ: なし", "Note: none"), theme.dim)
                    }
                } else {
                    let first = escape::line(a.note.lines().next().unwrap_or_default());
                    let more = if a.note.lines().count() > 1 {
                        " …"
                    } else {
                        ""
                    };
                    Span::raw(format!("{}{first}{more}", ctx.tr("メモ: ", "Note: ")))
                };
                // While the question is open it shows the note and the
                // evidence, marked with the choice they were written for.
                if settle.is_empty() {
                    lower.push(Line::from(note));
                }
                if !a.evidence.is_empty() && settle.is_empty() {
                    let ev: Vec<String> =
                        a.evidence.iter().map(|e| escape::line(e.label())).collect();
                    lower.push(Line::from(format!(
                        "{}{}",
                        ctx.tr("証跡: ", "Evidence: "),
                        ev.join(", ")
                    )));
                }
            }
            None => lower.push(Line::from(Span::styled(
                ctx.tr("未回答", "Not answered yet"),
                theme.dim,
            ))),
        }
        Paragraph::new(wrap::lines(
            &lower,
            usize::from(bottom.width.saturating_sub(1)),
        ))
        .render(bottom, buf);

        if settle.is_empty() {
            self.render_field(editor, buf, ctx);
        } else {
            Paragraph::new(settle).render(editor, buf);
        }
    }

    /// Returns the question shown while a changed answer still carries
    /// words written for the choice before: what they are, and the keys.
    fn settle_lines(&self, item: &Item, width: usize, ctx: &Ctx) -> Vec<Line<'static>> {
        let theme = &ctx.theme;
        let Some(a) = self.draft.answers.get(&item.id) else {
            return Vec::new();
        };
        let label = |choice: &crate::model::Id| {
            self.inspection.choice(item, choice.as_str()).map_or_else(
                || choice.to_string(),
                |c| escape::line(c.label.get(ctx.lang)),
            )
        };
        let was = a.written_for.as_ref().map(&label).unwrap_or_default();
        let now = label(&a.choice);
        let mut lines = vec![Line::from(Span::styled(
            truncate(
                &match ctx.lang {
                    crate::model::Lang::Ja => format!("「{was}」の時に書いた内容:"),
                    crate::model::Lang::En => format!("Written for “{was}”:"),
                },
                width,
            ),
            theme.warn,
        ))];
        let mut row = |label: &str, text: String| {
            lines.push(Line::from(truncate(&format!("  {label}{text}"), width)));
        };
        if !a.note.trim().is_empty() {
            let first = escape::line(a.note.lines().next().unwrap_or_default());
            let more = if a.note.lines().count() > 1 {
                " …"
            } else {
                ""
            };
            row(ctx.tr("メモ: ", "Note: "), format!("{first}{more}"));
        }
        if !a.evidence.is_empty() {
            let ev: Vec<String> = a.evidence.iter().map(|e| escape::line(e.label())).collect();
            row(ctx.tr("証跡: ", "Evidence: "), ev.join(", "));
        }
        if let Some(action) = &a.action {
            row(
                ctx.tr("是正処置: ", "Action: "),
                format!(
                    "{} ({} {})",
                    escape::line(&action.text),
                    ctx.tr("期限", "due"),
                    action.due
                ),
            );
        }
        lines.push(Line::from(Span::styled(
            truncate(
                &match ctx.lang {
                    crate::model::Lang::Ja => format!("「{now}」にも当てはまりますか?"),
                    crate::model::Lang::En => format!("Does it fit “{now}”?"),
                },
                width,
            ),
            theme.warn,
        )));
        lines
    }

    /// Draws the open note, evidence or jump field into `area`.
    fn render_field(&mut self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let theme = &ctx.theme;
        let prompt = match self.mode {
            Mode::Evidence(_) => ctx.tr(
                "証跡 (文章かファイルのパス、Tab で補完): ",
                "Evidence (text, or a file path; Tab completes): ",
            ),
            Mode::Jump(_) => ctx.tr("移動先の項目番号 (Enter): ", "Jump to item id (Enter): "),
            _ => "",
        };
        match &mut self.mode {
            Mode::Note(input) => {
                let block = Block::default()
                    .borders(Borders::TOP)
                    .border_style(theme.key)
                    .title(truncate(
                        ctx.tr(
                            "メモ · Enter 保存 · Alt-Enter 改行 · Esc 取消",
                            "Note · Enter saves · Alt-Enter new line · Esc cancels",
                        ),
                        usize::from(area.width),
                    ));
                let inner = block.inner(area);
                block.render(area, buf);
                input.render(inner, buf, theme.text, theme.selected);
            }
            Mode::Evidence(input) | Mode::Jump(input) => {
                // The prompt takes at most half the row; the field the rest.
                let prompt = truncate(prompt, usize::from(area.width / 2));
                let used = u16::try_from(prompt.width()).unwrap_or(0);
                Line::from(Span::styled(prompt, theme.key)).render(area, buf);
                let field = Rect {
                    x: area.x + used,
                    width: area.width.saturating_sub(used),
                    ..area
                };
                input.render(field, buf, theme.text, theme.selected);
            }
            Mode::Normal | Mode::Action(_) => {}
        }
    }
}

impl WalkerScreen {
    /// Returns the lines about corrective actions on `item`: the action of
    /// this answer (or how to add one), actions still open from earlier
    /// runs, and the form while it is open. One line each, cut to `width`.
    fn action_lines(&self, item: &Item, width: usize, ctx: &Ctx) -> Vec<Line<'static>> {
        let theme = &ctx.theme;
        let mut lines = Vec::new();
        let mut waiting = false;
        for a in self.earlier.get(&item.id).into_iter().flatten().take(2) {
            let replaced = self.draft.closes.contains(&a.key());
            waiting |= !replaced;
            let (mark, style) = match (replaced, a.overdue) {
                (true, _) => ("✓", theme.good),
                (false, true) => ("⚑", theme.bad),
                (false, false) => ("⚑", theme.warn),
            };
            let text = escape::line(&a.action.text);
            let line = if replaced {
                format!(
                    "{mark} {} {}: {text}",
                    ctx.tr(
                        "置き換え済み (明示的に完了):",
                        "Replaced (closed explicitly): action of"
                    ),
                    a.opened
                )
            } else {
                format!(
                    "{mark} {} {} ({} {}{}): {text}",
                    ctx.tr("未完了の是正", "Open since"),
                    a.opened,
                    ctx.tr("期限", "due"),
                    a.action.due,
                    if a.overdue {
                        ctx.tr(" 期限切れ", " overdue")
                    } else {
                        ""
                    }
                )
            };
            lines.push(Line::from(Span::styled(truncate(&line, width), style)));
        }
        if waiting {
            lines.push(Line::from(Span::styled(
                truncate(
                    if matches!(self.mode, Mode::Action(_)) {
                        ctx.tr(
                            "  新しい是正処置を保存すると置き換えます (明示的に完了)",
                            "  saving a new action replaces it (closed explicitly)",
                        )
                    } else {
                        ctx.tr(
                            "  最良の回答で自動的に完了します",
                            "  the best answer closes it",
                        )
                    },
                    width,
                ),
                theme.dim,
            )));
        }
        let answer = self.draft.answers.get(&item.id);
        // While the form is open it shows the action being edited instead.
        let editing = matches!(self.mode, Mode::Action(_)) || self.settling();
        if let Some(action) = answer.and_then(|a| a.action.as_ref()).filter(|_| !editing) {
            let owner = if action.owner.is_empty() {
                String::new()
            } else {
                format!(" · {}", escape::line(&action.owner))
            };
            lines.push(Line::from(Span::styled(
                truncate(
                    &format!(
                        "⚑ {} {}: {}{owner}",
                        ctx.tr("是正処置 (a) 期限", "Action (a) due"),
                        action.due,
                        escape::line(&action.text),
                    ),
                    width,
                ),
                theme.warn,
            )));
        }
        lines
    }
}

/// Lays the choices out in as many columns as fit, so a key never wraps
/// away from its label (Japanese labels are wide).
fn choice_grid(
    inspection: &Inspection,
    item: &Item,
    answer: Option<&Answer>,
    width: u16,
    ctx: &Ctx,
) -> Vec<Line<'static>> {
    let theme = &ctx.theme;
    let choices = inspection.choices(item);
    let labels: Vec<String> = choices
        .iter()
        .map(|c| escape::line(c.label.get(ctx.lang)))
        .collect();
    let cell = labels
        .iter()
        .map(|l| unicode_width::UnicodeWidthStr::width(l.as_str()))
        .max()
        .unwrap_or(0)
        + 5;
    let columns = (usize::from(width) / cell.max(1)).clamp(1, choices.len().max(1));
    let mut lines = Vec::new();
    for (row_choices, row_labels) in choices.chunks(columns).zip(labels.chunks(columns)) {
        let mut spans = Vec::new();
        for (c, label) in row_choices.iter().zip(row_labels) {
            let chosen = answer.is_some_and(|a| a.choice == c.id);
            let style = if chosen {
                theme.selected.add_modifier(Modifier::BOLD)
            } else {
                theme.text
            };
            spans.push(Span::styled(
                format!("{}{}", if chosen { "●" } else { " " }, c.key),
                theme.key,
            ));
            spans.push(Span::styled(format!(" {}", pad(label, cell - 3)), style));
        }
        lines.push(Line::from(spans));
    }
    lines
}
