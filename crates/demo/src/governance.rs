//! The demo's governance: a Daftar Data for the current year in which some OPDs deliver on time,
//! some late and some not at all; submissions waiting in the walidata's queue; one submission
//! returned with notes; plan items of a few desa.
//!
//! **Relative to the real date** of the first seed (in WIB, UTC+7), so the dashboard shows live
//! states on the day the demo is set up: due dates lie some weeks before and after that day, and
//! submissions and publications are recorded on dates before it. Items "belum jatuh tempo" turn
//! "belum dikirim & terlambat" as real days pass — which is what kemutakhiran means. Which OPD is
//! punctual is fixed by the order of the OPD slugs, so two seeds on the same day are equal.
//! Versions added for submissions are created at seed time (their review events are back-dated).
//!
//! Idempotent: the plan items are written last, in one transaction; once they exist nothing is
//! done again. Tables that already hold three versions are left alone (their history is the
//! catalogue's).

use anyhow::Context;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use satudata_core::dataset::{Dataset, ResourceKind};
use satudata_core::organization::{OrgKind, Organization};
use satudata_core::plan::{PlanItemMeta, ReferenceSource};
use satudata_core::review::{NoteTarget, ReviewAction, ReviewNote, ReviewState};
use satudata_core::row::Row;
use satudata_core::user::Role;
use satudata_core::value::Value;
use satudata_core::Id;
use satudata_store::governance::{NewTransition, PlanQuery};
use satudata_store::{DatasetQuery, NewVersion, OrgQuery, Store, VecRowSource};

/// Today in Western Indonesia time.
pub fn today_wib() -> NaiveDate {
    (Utc::now() + Duration::hours(7)).date_naive()
}

/// 10:00 WIB on `day`.
fn at(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(3, 0, 0)
        .map(|t| t.and_utc())
        .unwrap_or_else(Utc::now)
}

/// What happens to one planned delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    /// Submitted `early` days before the due date and published three days later.
    OnTime { early: i64 },
    /// Submitted `late` days after the due date and published two days later.
    Late { late: i64 },
    /// Submitted late and returned by the walidata with notes.
    LateReturned { late: i64 },
    /// Submitted on time and still waiting in the queue.
    Waiting,
    /// Nothing sent although due.
    Unsent,
    /// Not due yet.
    Pending,
}

/// The fate of the `j`-th dataset of the `i`-th OPD, and how many days from today it is due.
fn fate(i: usize, j: usize) -> (Fate, i64) {
    let (i, j) = (i as i64, j as i64);
    match i % 4 {
        0 => (Fate::OnTime { early: 2 + j }, -(25 + 9 * j)),
        1 if j == 0 && i == 1 => (Fate::LateReturned { late: 6 }, -30),
        1 => (Fate::Late { late: 8 + 3 * j }, -(35 + 9 * j)),
        2 if j == 0 => (Fate::Unsent, -(12 + i)),
        2 => (Fate::Pending, 20 + 10 * j),
        _ if j == 0 => (Fate::Waiting, -6),
        _ if j == 1 => (Fate::Pending, 30),
        _ => (Fate::OnTime { early: 5 }, -45),
    }
}

/// Seed the Daftar Data and the review history (see the module docs).
pub async fn seed(store: &dyn Store, today: NaiveDate) -> anyhow::Result<()> {
    let existing = store
        .list_plan_items(&PlanQuery {
            limit: 1,
            ..PlanQuery::default()
        })
        .await?;
    if existing.total > 0 {
        return Ok(());
    }
    let walidata = store
        .get_user_by_username("walidata")
        .await?
        .context("pengguna walidata demo tidak ada")?
        .id;
    let produsen = store
        .get_user_by_username("produsen")
        .await?
        .context("pengguna produsen demo tidak ada")?
        .id;
    let year = today.year();
    let mut opds = organizations(store, OrgKind::Opd).await?;
    opds.extend(organizations(store, OrgKind::Walidata).await?);
    opds.sort_by(|a, b| a.meta.slug.cmp(&b.meta.slug));

    let mut items = vec![];
    for (i, org) in opds.iter().enumerate() {
        let mut datasets = store
            .list_datasets(&DatasetQuery {
                organization_id: Some(org.id),
                limit: 1000,
                ..DatasetQuery::default()
            })
            .await?
            .items;
        datasets.sort_by(|a, b| a.meta.slug.cmp(&b.meta.slug));
        for (j, d) in datasets.iter().take(3).enumerate() {
            let (mut f, mut due_in) = fate(i, j);
            let acting = if org.meta.slug == "dinkes" {
                (produsen, Role::Produsen)
            } else {
                (walidata, Role::Walidata)
            };
            let due = today + Duration::days(due_in);
            let done = deliver(store, d, f, due, acting, walidata)
                .await
                .with_context(|| format!("riwayat pemeriksaan demo {}", d.meta.slug))?;
            if !done && !matches!(f, Fate::Unsent | Fate::Pending) {
                // The table cannot take another version: plan it for later instead.
                (f, due_in) = (Fate::Pending, 40);
            }
            let due = today + Duration::days(due_in);
            items.push(item(year, org, Some(d), due, j == 0, f));
        }
        if i % 3 == 0 {
            let acronym = org
                .meta
                .acronym
                .clone()
                .unwrap_or_else(|| org.meta.name.clone());
            let (title, due_in) = if i % 2 == 0 {
                (format!("Data sektoral baru {acronym}"), 45)
            } else {
                (format!("Rekap layanan {acronym}"), -20)
            };
            let mut m = item(
                year,
                org,
                None,
                today + Duration::days(due_in),
                false,
                Fate::Pending,
            );
            m.title = title;
            items.push(m);
        }
    }
    // A few desa: village data (profil desa) due before and after today.
    let mut desa = organizations(store, OrgKind::Desa).await?;
    desa.sort_by(|a, b| a.meta.slug.cmp(&b.meta.slug));
    for (k, org) in desa.iter().take(6).enumerate() {
        let due_in = if k % 2 == 0 {
            -(5 + k as i64)
        } else {
            25 + k as i64
        };
        let mut m = item(
            year,
            org,
            None,
            today + Duration::days(due_in),
            false,
            Fate::Pending,
        );
        m.title = format!("Profil desa {} {year}", org.meta.name);
        m.level = Some(satudata_core::dataset::PresentationLevel::Desa);
        m.sources = vec![ReferenceSource::Sdgs];
        items.push(m);
    }
    store
        .create_plan_items(items, Some(walidata))
        .await
        .context("menyimpan Daftar Data demo")?;
    Ok(())
}

async fn organizations(store: &dyn Store, kind: OrgKind) -> anyhow::Result<Vec<Organization>> {
    Ok(store
        .list_organizations(&OrgQuery {
            kind: Some(kind),
            limit: 1000,
            ..OrgQuery::default()
        })
        .await?
        .items)
}

fn item(
    year: i32,
    org: &Organization,
    dataset: Option<&Dataset>,
    due: NaiveDate,
    priority: bool,
    _fate: Fate,
) -> PlanItemMeta {
    let sources = match org.meta.slug.len() % 3 {
        0 => vec![ReferenceSource::Rpjmd],
        1 => vec![ReferenceSource::Rpjmd, ReferenceSource::Sdgs],
        _ => vec![ReferenceSource::Spm],
    };
    PlanItemMeta {
        year,
        organization_id: org.id,
        title: dataset
            .map(|d| d.meta.title.clone())
            .unwrap_or_else(|| org.meta.name.clone()),
        description: String::new(),
        kode: dataset.and_then(|d| d.meta.id_dds.clone()),
        periodicity: dataset.map(|d| d.meta.periodicity).unwrap_or_default(),
        level: dataset.and_then(|d| d.meta.level),
        due_update: due,
        due_release: due + Duration::days(14),
        priority,
        sources,
        dataset_id: dataset.map(|d| d.id),
        topic: dataset.and_then(|d| d.meta.topics.first().cloned()),
    }
}

/// The rows of the latest published version with one figure revised (a typical update).
async fn revised_rows(store: &dyn Store, table: Id) -> anyhow::Result<Vec<Row>> {
    let (tx, mut rx) = tokio::sync::mpsc::channel(4);
    let mut rows: Vec<Row> = vec![];
    let read = store.stream_rows(table, None, tx);
    let collect = async {
        while let Some(batch) = rx.recv().await {
            rows.extend(batch);
        }
    };
    let (n, ()) = tokio::join!(read, collect);
    n?;
    if let Some(last) = rows.last_mut() {
        if let Some(cell) = last
            .iter_mut()
            .rev()
            .find(|v| matches!(v, Value::Int(_) | Value::Num(_)))
        {
            match cell {
                Value::Int(i) => *i += 1,
                Value::Num(x) => *x += 0.5,
                _ => {}
            }
        }
    }
    Ok(rows)
}

/// Record the delivery of dataset `d` as its fate says. Returns false when the table cannot take
/// another version (it stays as the catalogue loaded it).
async fn deliver(
    store: &dyn Store,
    d: &Dataset,
    fate: Fate,
    due: NaiveDate,
    (actor, role): (Id, Role),
    walidata: Id,
) -> anyhow::Result<bool> {
    let submit_day = match fate {
        Fate::OnTime { early } => due - Duration::days(early),
        Fate::Late { late } | Fate::LateReturned { late } => due + Duration::days(late),
        Fate::Waiting => due - Duration::days(2),
        Fate::Unsent | Fate::Pending => return Ok(true),
    };
    let Some(table) = store
        .list_resources(d.id)
        .await?
        .into_iter()
        .find(|r| matches!(r.kind, ResourceKind::Table { .. }))
    else {
        return Ok(false);
    };
    let states = store.version_states(table.id).await?;
    if states.len() >= 3 || states.iter().any(|s| s.state != ReviewState::Terbit) {
        return Ok(false);
    }
    let rows = revised_rows(store, table.id).await?;
    let v = store
        .create_draft_version(
            table.id,
            NewVersion {
                actor: Some(actor),
                summary: "Pemutakhiran tahunan (perbaikan angka)".into(),
            },
            &mut VecRowSource::new(rows),
        )
        .await?
        .number;
    let step = |action, who: Id, r: Role, day: NaiveDate| {
        let mut t = NewTransition::new(table.id, v, action, Some(who), r);
        t.at = Some(at(day));
        t
    };
    let mut submit = step(ReviewAction::Submit, actor, role, submit_day);
    submit.meta = Some(d.meta.clone());
    store.apply_transition(submit).await?;
    match fate {
        Fate::OnTime { .. } | Fate::Late { .. } => {
            let mut p = step(
                ReviewAction::Publish,
                walidata,
                Role::Walidata,
                submit_day + Duration::days(3),
            );
            p.meta = Some(d.meta.clone());
            store.apply_transition(p).await?;
        }
        Fate::LateReturned { .. } => {
            let mut r = step(
                ReviewAction::Return,
                walidata,
                Role::Walidata,
                submit_day + Duration::days(2),
            );
            r.note = "Angka baris terakhir naik tanpa penjelasan; lengkapi juga metadata sebelum diajukan ulang.".into();
            r.notes = vec![
                ReviewNote {
                    target: NoteTarget::Kolom {
                        field: "klasifikasi".into(),
                    },
                    text: "Sebutkan variabel disagregasi (misalnya kecamatan, jenis kelamin)."
                        .into(),
                },
                ReviewNote {
                    target: NoteTarget::Baris {
                        key: "terakhir".into(),
                    },
                    text: "Periksa kembali angka pada baris terakhir.".into(),
                },
            ];
            store.apply_transition(r).await?;
        }
        _ => {}
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fate_occurs_and_dates_fit_the_plan_year() {
        let mut seen = std::collections::HashSet::new();
        for i in 0..18 {
            for j in 0..3 {
                let (f, due_in) = fate(i, j);
                seen.insert(std::mem::discriminant(&f));
                assert!((-80..=80).contains(&due_in));
                if let Fate::Late { late } | Fate::LateReturned { late } = f {
                    assert!(due_in + late < 0, "a late submission lies in the past");
                }
            }
        }
        assert_eq!(seen.len(), 6);
    }
}
