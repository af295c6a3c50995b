//! Words of `tenken check`.

use super::Label;

/// No file has a problem.
pub const ALL_VALID: Label = Label::new(
    "すべてのファイルに問題はありません。\n",
    "All files are valid.\n",
);
