//! The walker's evidence files: the evidence field's text completed to a
//! path with Tab (within the folders the store allows: only `inbox/` in
//! restricted mode), and a file checked by the store added to the answer,
//! within the run's size limit. A reference in words stays in `walker.rs`.

use crate::escape;
use crate::evidence;
use crate::model::{Evidence, EvidenceFile, Id};
use crate::report::build::file_size;
use crate::tui::app::{Ctx, Step};
use crate::tui::msg::Notice;
use crate::tui::widget::text_input::{LINE_CHARS, TextInput};

use super::{Mode, WalkerScreen};

impl WalkerScreen {
    /// Puts the completion of the evidence field in it: the one candidate,
    /// or what all candidates share, listing them in the prompt.
    pub(super) fn completed(&mut self, found: Vec<String>, ctx: &Ctx) -> Step {
        let Mode::Evidence(input) = &mut self.mode else {
            return Step::none();
        };
        let Some(first) = found.first() else {
            self.prompt = Some(
                ctx.tr("補完できるファイルがありません", "No file to complete to.")
                    .into(),
            );
            return Step::none();
        };
        let mut common = first.clone();
        for f in &found[1..] {
            let n = common
                .chars()
                .zip(f.chars())
                .take_while(|(a, b)| a == b)
                .count();
            common = common.chars().take(n).collect();
        }
        if common.chars().count() > input.text().chars().count() {
            *input = TextInput::line(&common, LINE_CHARS);
        }
        if found.len() > 1 {
            let names: Vec<String> = found
                .iter()
                .map(|f| {
                    // The last part of each, a folder with its `/`.
                    let last = f.trim_end_matches('/').rsplit('/').next().unwrap_or(f);
                    let slash = if f.ends_with('/') { "/" } else { "" };
                    escape::line(&format!("{last}{slash}"))
                })
                .collect();
            self.prompt = Some(names.join("  ").into());
        }
        Step::none()
    }

    /// Adds a checked file to the answer to `item`, within the run's limit.
    pub(super) fn attached(
        &mut self,
        item: &Id,
        result: Result<EvidenceFile, Notice>,
        ctx: &Ctx,
    ) -> Step {
        let file = match result {
            Ok(file) => file,
            Err(e) => return Step::notice(e),
        };
        let limit = ctx.data.catalog.config.evidence.run_bytes();
        if let Some(r) = evidence::over_run_limit(&self.draft.answers, &file, limit) {
            return Step::notice(r.message(&file.name, self.lang));
        }
        let Some(a) = self.draft.answers.get_mut(item) else {
            return Step::none();
        };
        if !a
            .evidence
            .iter()
            .any(|e| e.file().is_some_and(|f| f.sha256 == file.sha256))
        {
            a.evidence.push(Evidence::File(file.clone()));
            a.carried = false;
        }
        self.say(format!(
            "{} {} ({})",
            ctx.tr("添付しました:", "Attached"),
            escape::line(&file.name),
            file_size(file.size)
        ));
        Step::effects(vec![self.save()])
    }
}
