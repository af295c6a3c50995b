//! The demo's risk register: the asset ledger of a small design company,
//! assessed twice, a year apart.

use chrono::NaiveDate;

use super::id;
use crate::error::Result;
use crate::model::{Asset, FORMAT, Inspector, PersonalData, RiskAssessment, Threat, Treatment};

fn asset(
    id_: &str,
    name: &str,
    business: &str,
    medium: &str,
    personal: PersonalData,
    cia: (u8, u8, u8),
    threats: Vec<Threat>,
) -> Result<Asset> {
    Ok(Asset {
        id: id(id_)?,
        name: name.into(),
        business: business.into(),
        owner: String::new(),
        medium: medium.into(),
        users: String::new(),
        personal_data: personal,
        c: cia.0,
        i: cia.1,
        a: cia.2,
        threats,
    })
}

fn threat(
    id_: &str,
    title: &str,
    threat: u8,
    vulnerability: u8,
    treatment: Treatment,
    plan: &str,
) -> Result<Threat> {
    Ok(Threat {
        id: id(id_)?,
        title: title.into(),
        threat,
        vulnerability,
        treatment,
        plan: plan.into(),
        category: category_of(id_).map(id).transpose()?,
        derived: None,
    })
}

/// The threat category of each of the demo's threats, whose measures in
/// the inspections suggest its vulnerability (`risk::measures`).
fn category_of(threat: &str) -> Option<&'static str> {
    Some(match threat {
        "leak" => "unauthorised-access",
        "deface" => "website",
        "misdirect" | "share-link" | "misfax" => "mistakes",
        "supplier-leak" => "supplier",
        "ransomware" => "malware",
        "outage" => "outage",
        "laptop-loss" => "loss-theft",
        "phishing" => "phishing",
        "competitor" => "insider",
        _ => return None,
    })
}

/// The asset ledger of a small design company; the second assessment shows
/// measures taken (lower vulnerabilities), one risk that rose, a new asset
/// and a retired one, and risks at every level.
pub(super) fn risk_assessment(
    assessor: &Inspector,
    date: NaiveDate,
    second: bool,
) -> Result<RiskAssessment> {
    use Treatment::{Avoid, Reduce, Retain, Transfer};
    let v = |before: u8, after: u8| if second { after } else { before };
    let mut assets = vec![
        asset(
            "customer-list",
            "顧客名簿 (customer list)",
            "営業 sales",
            "クラウドCRM",
            PersonalData::Personal,
            (3, 2, 2),
            vec![
                threat(
                    "leak",
                    "外部からの不正アクセスで漏えい (breach from outside)",
                    2,
                    v(3, 2),
                    Reduce,
                    "多要素認証を導入 (introduce MFA)",
                )?,
                threat(
                    "misdirect",
                    "メール誤送信 (mail sent to the wrong person)",
                    3,
                    v(2, 1),
                    Reduce,
                    "送信前確認の設定 (confirm before send)",
                )?,
            ],
        )?,
        asset(
            "payroll",
            "給与・マイナンバー (payroll and My Number)",
            "総務 admin",
            "会計事務所へ委託",
            PersonalData::MyNumber,
            (3, 3, 2),
            vec![threat(
                "supplier-leak",
                "委託先からの漏えい (leak at the supplier)",
                1,
                2,
                Transfer,
                "委託契約で安全管理を義務付け (contract obligations)",
            )?],
        )?,
        asset(
            "accounting",
            "会計データ (accounting data)",
            "経理 accounting",
            "社内PC",
            PersonalData::None,
            (2, 3, 2),
            vec![threat(
                "ransomware",
                "ランサムウェアで暗号化 (ransomware)",
                2,
                v(3, 1),
                Reduce,
                "オフラインバックアップ (offline backups)",
            )?],
        )?,
        asset(
            "website",
            "自社Webサイト (company website)",
            "広報 PR",
            "レンタルサーバー",
            PersonalData::None,
            (1, 3, 3),
            vec![
                // The upkeep supplier's last check was weak: more exposed.
                threat(
                    "deface",
                    "改ざん (defacement)",
                    2,
                    v(2, 3),
                    Reduce,
                    "CMS の更新を保守契約に含める (updates in the upkeep contract)",
                )?,
                threat(
                    "outage",
                    "サーバー停止 (hosting outage)",
                    1,
                    2,
                    Retain,
                    "停止は許容、告知ページを用意 (accept; keep a notice page)",
                )?,
            ],
        )?,
        asset(
            "drawings",
            "設計図面 (design drawings)",
            "設計 design",
            "クラウドストレージ",
            PersonalData::None,
            (3, 2, 2),
            vec![
                threat(
                    "share-link",
                    "共有リンクの公開設定ミス (public share link by mistake)",
                    3,
                    v(3, 2),
                    Reduce,
                    "共有設定の定期点検 (review sharing monthly)",
                )?,
                threat(
                    "laptop-loss",
                    "持ち出しPCの紛失 (lost laptop)",
                    2,
                    v(2, 1),
                    Reduce,
                    "ディスク暗号化 (disk encryption)",
                )?,
            ],
        )?,
        asset(
            "email",
            "電子メール (email)",
            "全社 company-wide",
            "クラウドメール",
            PersonalData::Personal,
            (2, 2, 3),
            vec![threat(
                "phishing",
                "なりすましメール (phishing)",
                3,
                v(3, 2),
                Reduce,
                "訓練と送信ドメイン認証 (training, SPF/DKIM)",
            )?],
        )?,
    ];
    if second {
        assets.push(asset(
            "quotes",
            "見積書 (quotations)",
            "営業 sales",
            "共有フォルダ",
            PersonalData::None,
            (2, 2, 1),
            vec![threat(
                "competitor",
                "競合への流出 (leak to a competitor)",
                2,
                3,
                Reduce,
                "共有フォルダの権限を見直す (review the shared folder's permissions)",
            )?],
        )?);
    } else {
        assets.push(asset(
            "fax-log",
            "FAX 送受信記録 (fax records)",
            "総務 admin",
            "紙 paper",
            PersonalData::Personal,
            (2, 1, 1),
            vec![threat(
                "misfax",
                "FAX 誤送信 (fax to the wrong number)",
                2,
                3,
                Avoid,
                "FAX を廃止しメールへ移行 (stop using fax)",
            )?],
        )?);
    }
    Ok(RiskAssessment {
        format: FORMAT,
        id: String::new(),
        assessor: assessor.clone(),
        date,
        assets,
    })
}
