//! The Japanese of the command line's help (`--help` in a Japanese
//! session), keyed by command path, argument and the English help of a
//! possible value; `cli::help` applies it and its tests check that every
//! command and argument has an entry here.

/// Each command's description, by its path (`""` is `tenken` itself).
pub const ABOUT: &[(&str, &str)] = &[
    (
        "",
        "ターミナルで使う監査・点検キット: SSH 越しの定期点検、履歴は git に",
    ),
    ("init", "点検用の新しいリポジトリを作成します"),
    (
        "demo",
        "数四半期分の履歴を持つデモ用リポジトリを作り、開きます",
    ),
    (
        "check",
        "リポジトリの全ファイルを検証します。不正なものがあれば終了コード 3",
    ),
    ("history", "完了した点検を古い順に一覧します"),
    ("compare", "二つの点検を項目ごとに比較します"),
    (
        "trend",
        "期間ごとの得点を、前期との差と、悪化の多い項目とともに表示します",
    ),
    (
        "subjects",
        "点検対象の台帳を一覧します。対象の追加・変更・除外もここで行います",
    ),
    ("subjects add", "台帳に点検対象を追加してコミットします"),
    (
        "subjects edit",
        "点検対象の情報を変更して台帳をコミットします",
    ),
    (
        "subjects retire",
        "点検対象を除外します。履歴は残り、点検予定からは外れます",
    ),
    (
        "roles",
        "管理体制（役割、担当者、委員会）を一覧します。変更もここで行います",
    ),
    (
        "roles set",
        "役割の担当者を決めてコミットします（担当者なしで空きにします）",
    ),
    ("roles add", "自社独自の役割を追加してコミットします"),
    ("roles remove", "役割を削除してコミットします"),
    (
        "roles committee",
        "情報セキュリティ委員会の委員を決めます（なしで委員会なし）",
    ),
    (
        "suppliers",
        "委託先の状況: 最新の点検、変化、評価、未完了の是正処置、次の期限",
    ),
    (
        "suppliers export",
        "委託先に記入してもらう質問票（Excel ブックか CSV）を書き出します",
    ),
    (
        "due",
        "有効なプロファイルに基づく、実施時期・期限切れの点検を近い順に表示します",
    ),
    (
        "path",
        "ガイドラインの4段階のどこにいるか、次に何をするかを表示します",
    ),
    (
        "actions",
        "是正処置を、期限切れを先に、次に期限の近い順に一覧します",
    ),
    (
        "risks",
        "最新のリスク評価のリスク台帳を表示します。二つの評価の比較もできます",
    ),
    (
        "report",
        "点検または全対象の報告書（Markdown、HTML、CSV、JSON、OSCAL）を書き出します",
    ),
    (
        "handbook",
        "最新の自社診断、役割、是正処置から従業員向けハンドブックを書き出します",
    ),
    (
        "verify",
        "履歴の完全性を確認します。問題があれば終了コード 3",
    ),
    (
        "withdraw",
        "コミット済みの点検を、理由を付けて現在の記録から取り下げます",
    ),
    ("evidence", "回答に証跡ファイルを添付します"),
    (
        "evidence add",
        "下書きまたはコミット済みの点検の、一つの項目の回答にファイルを添付します",
    ),
    ("sync", "共有リモートと取得・マージ・プッシュします"),
    ("run", "点検ウォーカーを開いて一つの点検を行います"),
    (
        "record",
        "回答ファイルから完了した点検を記録してコミットします",
    ),
    (
        "help",
        "このヘルプ、または指定したコマンドのヘルプを表示します",
    ),
];

/// Each argument's help: `"<command path> --<long>"` or `"<command path>
/// <<id>>"` for a positional argument, or `"--<long>"` for one that every
/// command has.
pub const ARGS: &[(&str, &str)] = &[
    (
        "--repo",
        "ここから上へ探す代わりに、DIR のリポジトリを使います",
    ),
    (
        "--inspector",
        "点検者 ID として操作します（既定: TENKEN_INSPECTOR、次に git のユーザー）",
    ),
    ("--lang", "表示するすべての言語（既定: リポジトリの設定）"),
    (
        "--restricted",
        "SSH の強制コマンド用の制限モード: リポジトリと本人は固定、外部プログラムは使いません",
    ),
    ("--help", "ヘルプを表示します（-h で要約）"),
    ("--version", "バージョンを表示します"),
    ("init <dir>", "作成する場所（既定: 現在のディレクトリ）"),
    ("init --org", "組織の名前"),
    ("init --profile", "有効にするプロファイル"),
    ("init --fiscal-year-start", "年度の始まりの月（1〜12）"),
    (
        "init --existing-git",
        "ディレクトリにある既存の git リポジトリに、その履歴の上の一つのコミットで tenken のファイルを加えます",
    ),
    (
        "demo --dir",
        "作成する場所（既定: 一時ディレクトリの tenken-demo。以前のデモは置き換えます）",
    ),
    ("demo --no-tui", "リポジトリを作るだけで、画面は開きません"),
    ("check --format", "出力形式"),
    ("history --subject", "この対象の点検だけ"),
    ("history --inspection", "このチェックリストの点検だけ"),
    (
        "history --since",
        "DATE（YYYY-MM-DD）以降に完了した点検だけ",
    ),
    (
        "history --all",
        "訂正で置き換えられた点検と取り下げられた点検も一覧します",
    ),
    ("history --format", "出力形式"),
    ("compare <from>", "前の点検（既定: 前の四半期の最新）"),
    ("compare <to>", "後の点検（既定: 最新）"),
    ("compare --subject", "この対象の点検を比較します"),
    (
        "compare --inspection",
        "このチェックリストの点検を比較します（--subject なしなら全対象）",
    ),
    ("compare --format", "出力形式"),
    (
        "compare --fail-on-regression",
        "悪化した項目があれば、表示の後に終了コード 4 で終わります",
    ),
    (
        "compare --include-uncommitted",
        "コミットされていない点検ファイルも使います（出力に表示）",
    ),
    ("trend --subject", "この対象だけ"),
    ("trend --inspection", "このチェックリストだけ"),
    (
        "trend --by",
        "点検をまとめる期間の種類。各期間はその最新の点検を示します",
    ),
    ("trend --format", "出力形式"),
    (
        "trend --include-uncommitted",
        "コミットされていない点検ファイルも使います（出力に表示）",
    ),
    ("subjects --format", "一覧の出力形式"),
    (
        "subjects add <id>",
        "新しい対象の ID。点検ファイルのパスに使います（a-z、0-9、`.`、`_`、`-`）",
    ),
    ("subjects add --kind", "対象の種類"),
    ("subjects add --name", "表示する名前（どの言語でも同じ）"),
    (
        "subjects add --name-ja",
        "日本語で表示する名前（--name-en と合わせて二か国語の名前）",
    ),
    (
        "subjects add --name-en",
        "英語で表示する名前（--name-ja と合わせて二か国語の名前）",
    ),
    ("subjects add --criticality", "重要度: 1（低）〜3（高）"),
    ("subjects add --tag", "`cloud` などのタグ（繰り返して複数）"),
    (
        "subjects add --service",
        "対象が提供するサービス（繰り返して複数）",
    ),
    (
        "subjects add --data",
        "対象が扱うデータの種類（繰り返して複数）",
    ),
    ("subjects add --contact", "連絡先（担当者名や宛先）"),
    ("subjects add --contact-ja", "日本語の連絡先"),
    ("subjects add --contact-en", "英語の連絡先"),
    ("subjects edit <id>", "変更する対象（ID は変わりません）"),
    ("subjects edit --kind", "対象の種類"),
    ("subjects edit --name", "表示する名前（どの言語でも同じ）"),
    (
        "subjects edit --name-ja",
        "日本語の名前（英語の名前はそのまま）",
    ),
    (
        "subjects edit --name-en",
        "英語の名前（日本語の名前はそのまま）",
    ),
    ("subjects edit --criticality", "重要度: 1（低）〜3（高）"),
    (
        "subjects edit --tag",
        "タグ。以前のものを置き換えます（繰り返して複数）",
    ),
    (
        "subjects edit --service",
        "サービス。以前のものを置き換えます（繰り返して複数）",
    ),
    (
        "subjects edit --data",
        "扱うデータの種類。以前のものを置き換えます（繰り返して複数）",
    ),
    ("subjects edit --contact", "連絡先（`\"\"` で削除）"),
    (
        "subjects edit --contact-ja",
        "日本語の連絡先（英語はそのまま）",
    ),
    (
        "subjects edit --contact-en",
        "英語の連絡先（日本語はそのまま）",
    ),
    (
        "subjects edit --reinstate",
        "除外した対象を点検予定に戻します",
    ),
    ("subjects retire <id>", "除外する対象"),
    ("roles --format", "一覧の出力形式"),
    ("roles set <role>", "役割（`inspection-lead` など）"),
    (
        "roles set <holders>",
        "点検者 ID か `name:名前`（繰り返して複数。担当者を置き換えます）",
    ),
    (
        "roles add <role>",
        "新しい役割の ID（a-z、0-9、`.`、`_`、`-`）",
    ),
    ("roles add --title-ja", "役割の日本語の名前"),
    ("roles add --title-en", "役割の英語の名前"),
    ("roles add --duties", "役割の仕事（リポジトリの言語で）"),
    (
        "roles add <holders>",
        "点検者 ID か `name:名前`（繰り返して複数）",
    ),
    ("roles remove <role>", "削除する役割"),
    (
        "roles committee <members>",
        "点検者 ID、`name:名前` か `role:ID`（繰り返して複数。委員を置き換えます）",
    ),
    (
        "roles committee --chair",
        "委員長: 点検者 ID、`name:名前` か `role:ID`",
    ),
    (
        "roles committee --meets",
        "開催の時期（例:「四半期ごと」）。リポジトリの言語で",
    ),
    (
        "suppliers --sort",
        "並べ方: リスク（重要度 × 不足）、期限切れ、前回の点検からの変化",
    ),
    ("suppliers --inspection", "確認する委託先チェックリスト"),
    ("suppliers --retired", "除外した委託先も含めます"),
    ("suppliers --format", "出力形式"),
    (
        "suppliers export <supplier>",
        "委託先（subjects.ron の ID）",
    ),
    ("suppliers export --inspection", "質問するチェックリスト"),
    (
        "suppliers export --format",
        "ファイル形式: xlsx（送るためのブック）か csv。既定: FILE の拡張子から、なければ csv",
    ),
    ("suppliers export --encoding", "CSV の質問票の文字コード"),
    (
        "suppliers export --output",
        "書き出すファイル（あれば置き換えます）",
    ),
    (
        "due --within",
        "今日から DAYS 日以内に期限が来るものだけ（期限切れを含む。既定: 予定のすべて）",
    ),
    ("due --format", "出力形式"),
    (
        "due --include-uncommitted",
        "コミットされていない点検ファイルも数えます（出力に表示）",
    ),
    ("path --format", "出力形式"),
    ("actions --open", "未完了の是正処置だけ（既定）"),
    (
        "actions --all",
        "完了した是正処置も、それぞれを完了させた点検とともに",
    ),
    ("actions --overdue", "期限を過ぎた未完了の是正処置だけ"),
    (
        "actions --owner",
        "担当者に NAME を含む是正処置だけ（大文字小文字は区別しません）",
    ),
    ("actions --subject", "この対象の是正処置だけ"),
    ("actions --format", "出力形式"),
    (
        "actions --include-uncommitted",
        "コミットされていない点検ファイルも使います（出力に表示）",
    ),
    (
        "risks --sort",
        "リスクの並べ方: 台帳の順か、リスク値の高い順",
    ),
    (
        "risks --compare",
        "評価 A と B を比較します（ID、日付、`latest`、`previous`。既定: previous と latest）",
    ),
    ("risks --format", "出力形式"),
    ("report --format", "出力形式"),
    (
        "report --output",
        "報告書を標準出力ではなく FILE に書きます（あれば置き換えます）",
    ),
    ("report --subject", "この対象の報告書"),
    (
        "report --inspection",
        "このチェックリストの報告書（--subject なしなら全対象の一覧）",
    ),
    (
        "report --period",
        "期間 P（2026Q3、FY2026Q2、2026H1、FY2026）の最新の点検、または日付、`latest`、`previous`",
    ),
    ("report --run", "この点検（点検 ID）の報告書"),
    (
        "report --compare-with",
        "この点検または期間と比較します（既定: 前の点検。報告する点検の四半期より前の最新）",
    ),
    (
        "report --bundle",
        "報告書と、そこに挙げた証跡ファイルを DIR にまとめます（DIR/report.拡張子、DIR/evidence/）。監査人に渡すために",
    ),
    (
        "report --no-bom",
        "CSV: UTF-8 の BOM を付けません（BOM を嫌うツールのために）",
    ),
    (
        "report --include-uncommitted",
        "コミットされていない点検ファイルも使います（コミット欄は未コミットと表示）",
    ),
    ("handbook --format", "出力形式"),
    (
        "handbook --output",
        "ハンドブックを標準出力ではなく FILE に書きます（あれば置き換えます）",
    ),
    (
        "verify --require-signatures",
        "記録を含む署名のないコミットを問題として数えます（tenken.ron の require_signatures: true でも同じ）",
    ),
    (
        "verify --accept-rewrite",
        "tenken が最後に見たコミットを含まない履歴を受け入れ（書き換えを確認した後に）、新しいコミットを覚えます",
    ),
    ("verify --format", "出力形式"),
    ("withdraw <run>", "取り下げる点検: tenken history が示す ID"),
    (
        "withdraw --reason",
        "その点検を数に入れない理由。記録に残ります",
    ),
    ("withdraw --format", "出力形式"),
    (
        "evidence add <target>",
        "点検 ID（追加はその点検の訂正としてコミット）、または自分の下書きなら `<対象>/<チェックリスト>`（点検とともにコミット）",
    ),
    ("evidence add <item>", "ファイルが裏付ける回答の項目"),
    (
        "evidence add <files>",
        "ファイル: 画像、PDF、テキスト、Office 文書",
    ),
    ("evidence add --format", "出力形式"),
    (
        "sync --remote",
        "使う git のリモート（既定: tenken.ron の remote、なければ origin）",
    ),
    (
        "run <inspection>",
        "行う点検のチェックリスト（`ipa-self-check` など）",
    ),
    ("run --subject", "点検の対象（既定: 組織自身の `self`）"),
    (
        "record <inspection>",
        "回答したチェックリスト（inspections/ の ID）",
    ),
    ("record --subject", "点検の対象（subjects.ron の ID）"),
    (
        "record --answers",
        "回答: 記入済みの質問票（.xlsx、または UTF-8 か CP932 の CSV）、見出しが `item,choice,note` の CSV、または RON `{\"1\": (choice: \"yes\", note: \"…\")}`",
    ),
    (
        "record --date",
        "DATE（YYYY-MM-DD、1990-01-01 から今日まで）に紙で行った点検を後から記録します。その日の 9:00 の点検になります",
    ),
    (
        "record --supersedes",
        "コミット済みの点検を訂正します: 新しい点検が指定した点検（同じ対象とチェックリスト）を置き換え、--date がなければその日付を保ちます",
    ),
    (
        "record --new",
        "同じ日に同じ対象のこのチェックリストの点検があっても、もう一つ記録します",
    ),
    ("record --format", "出力形式"),
    ("record --allow-partial", "未回答の項目があっても記録します"),
    (
        "record --closes",
        "未完了の是正処置を明示的に完了にします: tenken actions --format json が示す `<点検 ID>#<項目>`（繰り返し可）",
    ),
];

/// The help of possible values, by their English help (the same value
/// name means different things under different options).
pub const VALUES: &[(&str, &str)] = &[
    (
        "The change against the previous check, worst regression first",
        "前回の点検からの変化。悪化の大きい順",
    ),
    (
        "CP932 (the Windows form of Shift-JIS), for tools that read nothing else",
        "CP932（Windows の Shift_JIS）。それしか読めないツール用",
    ),
    ("A comma-separated table", "カンマ区切りの表"),
    (
        "CSV for spreadsheets: one row per answered item",
        "表計算ソフト用の CSV: 回答した項目ごとに1行",
    ),
    ("English", "英語"),
    ("Fiscal half-years (`FY2026H2`)", "年度の半期（`FY2026H2`）"),
    ("Fiscal quarters (`FY2026Q2`)", "年度の四半期（`FY2026Q2`）"),
    ("Fiscal years (`FY2026`)", "年度（`FY2026`）"),
    ("Calendar half-years (`2026H1`)", "暦年の半期（`2026H1`）"),
    (
        "One self-contained, printable HTML page",
        "単独で開けて印刷できる HTML ページ1枚",
    ),
    (
        "One self-contained, printable HTML page with charts",
        "グラフ付きの、単独で開けて印刷できる HTML ページ1枚",
    ),
    ("Japanese", "日本語"),
    ("JSON, in the shapes of DESIGN §7", "JSON（DESIGN §7 の形）"),
    (
        "JSON: the full runs with scores and the comparison",
        "JSON: 得点と比較を含む点検の全体",
    ),
    (
        "Asset by asset, threat by threat, as in the ledger",
        "台帳の順に、資産ごと・脅威ごと",
    ),
    (
        "Markdown (`CommonMark` with tables)",
        "Markdown（表付きの CommonMark）",
    ),
    (
        "Markdown: the starting point to edit",
        "Markdown: 編集の出発点",
    ),
    ("The organisation itself", "組織自身"),
    (
        "OSCAL 1.2.1 assessment results (JSON)",
        "OSCAL 1.2.1 の評価結果（JSON）",
    ),
    (
        "Overdue first, then by due date, soonest first",
        "期限切れを先に、次に期限の近い順",
    ),
    ("Calendar quarters (`2026Q3`)", "暦年の四半期（`2026Q3`）"),
    (
        "Criticality × shortfall, highest first",
        "重要度 × 不足。高い順",
    ),
    (
        "A site or department of the organisation",
        "組織の拠点や部署",
    ),
    (
        "A supplier (委託先) or external service",
        "委託先または外部サービス",
    ),
    ("Human-readable text", "人が読むためのテキスト"),
    (
        "UTF-8 with a byte order mark, which Excel opens correctly",
        "BOM 付き UTF-8（Excel で正しく開けます）",
    ),
    (
        "Highest risk value first; ties in ledger order",
        "リスク値の高い順。同じ値は台帳の順",
    ),
    (
        "An Excel workbook with drop-downs, protection and print setup",
        "ドロップダウン、保護、印刷設定付きの Excel ブック",
    ),
    ("Calendar years (`2026`)", "暦年（`2026`）"),
];
