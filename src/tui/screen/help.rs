//! The `?` overlay: every binding of the current screen, from the keymap.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

use crate::tui::app::Ctx;
use crate::tui::keymap::{self, ScreenId};
use crate::tui::widget::pad;

/// Draws the help overlay over `area`.
pub fn render(area: Rect, buf: &mut Buffer, ctx: &Ctx, screen: ScreenId) {
    let bindings = keymap::bindings(screen);
    let mut lines: Vec<Line> = bindings
        .iter()
        .map(|b| {
            Line::from(vec![
                Span::styled(pad(b.label, 10), ctx.theme.key),
                Span::raw(b.desc(ctx.lang)),
            ])
        })
        .collect();
    if screen == ScreenId::Walker {
        lines.push(Line::from(vec![
            Span::styled(pad("1-9…", 10), ctx.theme.key),
            Span::raw(ctx.tr(
                "選択肢のキー (点検表で定義)",
                "choice keys (from the template)",
            )),
        ]));
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        ctx.tr("何かキーを押すと閉じます", "Press any key to close"),
        ctx.theme.dim,
    )));
    let height = u16::try_from(lines.len() + 2)
        .unwrap_or(u16::MAX)
        .min(area.height);
    let width = 50.min(area.width);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    Clear.render(popup, buf);
    Paragraph::new(lines)
        .block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(ctx.theme.key)
                .title(ctx.tr(" ヘルプ ", " Help ")),
        )
        .render(popup, buf);
}
