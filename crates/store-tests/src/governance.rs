//! Conformance cases of [`satudata_store::GovernanceStore`]: review states and transitions, the
//! queue, diffs, the Daftar Data, notifications, usage, quality snapshots and the audit log.

use std::sync::Arc;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use satudata_core::audit::{AuditRecord, GENESIS};
use satudata_core::checks::{CheckReport, CheckResult, Principle};
use satudata_core::dataset::{DatasetMeta, NewResource, Periodicity, Resource, ResourceKind};
use satudata_core::notification::{Audience, NewNotification};
use satudata_core::organization::{OrgKind, Organization, OrganizationMeta};
use satudata_core::plan::{PlanItemMeta, ReferenceSource};
use satudata_core::review::{
    MetadataReview, MetadataVerdict, NoteTarget, ReviewAction, ReviewNote, ReviewState,
};
use satudata_core::row::{Row, RowQuery};
use satudata_core::schema::{Field, FieldType, TableSchema};
use satudata_core::user::{NewUser, Role, User};
use satudata_core::value::Value;
use satudata_core::{new_id, Id};
use satudata_store::governance::{
    AuditQuery, NewTransition, PlanQuery, QueueQuery, SubmissionChecks, UsageDelta, UsageTotals,
};
use satudata_store::{NewVersion, Store, StoreError, VecRowSource};

// ---------------------------------------------------------------- helpers

async fn org(store: &Arc<dyn Store>, slug: &str, kind: OrgKind) -> Organization {
    store
        .create_organization(
            OrganizationMeta {
                slug: slug.into(),
                name: format!("Organisasi {slug}"),
                acronym: None,
                kind,
                description: String::new(),
                region_code: None,
                parent_id: None,
                email: None,
                phone: None,
                address: None,
                website: None,
            },
            None,
        )
        .await
        .expect("create organisation")
}

async fn user(store: &Arc<dyn Store>, name: &str, role: Role, org: Id) -> User {
    let u = store
        .create_user(
            NewUser {
                username: name.into(),
                display_name: name.into(),
                email: Some(format!("{name}@example.id")),
                password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$x".into(),
            },
            None,
        )
        .await
        .expect("create user");
    store
        .set_membership(u.id, org, Some(role), None)
        .await
        .expect("membership");
    u
}

/// A table keyed by `kode`: (kode, jumlah).
fn schema() -> TableSchema {
    let mut s = TableSchema::new(vec![
        Field::new("kode", FieldType::String),
        Field::new("jumlah", FieldType::Integer),
    ]);
    s.primary_key = vec!["kode".into()];
    s
}

fn rows(pairs: &[(&str, i64)]) -> Vec<Row> {
    pairs
        .iter()
        .map(|(k, n)| vec![Value::Text((*k).into()), Value::Int(*n)])
        .collect()
}

async fn table(
    store: &Arc<dyn Store>,
    org: Id,
    slug: &str,
) -> (satudata_core::dataset::Dataset, Resource) {
    let mut meta = DatasetMeta::new(format!("Data {slug}"), slug, org);
    meta.topics = vec![];
    let d = store.create_dataset(meta, None).await.expect("dataset");
    let r = store
        .create_resource(
            d.id,
            NewResource {
                name: "tabel".into(),
                title: "Tabel".into(),
                description: String::new(),
                kind: ResourceKind::Table { schema: schema() },
            },
            None,
        )
        .await
        .expect("resource");
    (d, r)
}

async fn published(store: &Arc<dyn Store>, res: Id, data: &[(&str, i64)]) -> i32 {
    store
        .create_version(
            res,
            NewVersion::default(),
            &mut VecRowSource::new(rows(data)),
        )
        .await
        .expect("published version")
        .number
}

async fn draft(store: &Arc<dyn Store>, res: Id, data: &[(&str, i64)]) -> i32 {
    store
        .create_draft_version(
            res,
            NewVersion::default(),
            &mut VecRowSource::new(rows(data)),
        )
        .await
        .expect("draft version")
        .number
}

async fn read(store: &Arc<dyn Store>, res: Id, version: Option<i32>) -> (i32, Vec<Row>) {
    let page = store
        .query_rows(
            res,
            &RowQuery {
                version,
                limit: 1000,
                ..RowQuery::default()
            },
        )
        .await
        .expect("query rows");
    (page.version, page.rows)
}

fn step(res: Id, v: i32, action: ReviewAction, actor: Id, role: Role) -> NewTransition {
    NewTransition::new(res, v, action, Some(actor), role)
}

fn report(passed: bool) -> SubmissionChecks {
    SubmissionChecks {
        report: CheckReport {
            passed,
            results: vec![CheckResult {
                principle: Principle::StandarData,
                label: "Standar Data".into(),
                passed,
                reasons: vec!["Satuan belum diisi.".into()],
            }],
        },
        regions: vec![],
    }
}

// ---------------------------------------------------------------- cases

/// `None` reads the latest published version; drafts are read only by number.
pub async fn gov_drafts_are_not_read_by_default(store: Arc<dyn Store>) {
    let o = org(&store, "dinas-a", OrgKind::Opd).await;
    let (_, r) = table(&store, o.id, "data-a").await;
    assert_eq!(read(&store, r.id, None).await, (0, vec![]));
    let v1 = published(&store, r.id, &[("a", 1), ("b", 2)]).await;
    let v2 = draft(&store, r.id, &[("a", 1), ("b", 3)]).await;
    assert_eq!((v1, v2), (1, 2));
    assert_eq!(
        read(&store, r.id, None).await,
        (1, rows(&[("a", 1), ("b", 2)]))
    );
    assert_eq!(
        read(&store, r.id, Some(2)).await,
        (2, rows(&[("a", 1), ("b", 3)]))
    );
    assert_eq!(store.latest_published(r.id).await.unwrap(), Some(1));
    let states = store.version_states(r.id).await.unwrap();
    let got: Vec<(i32, ReviewState)> = states.iter().map(|s| (s.number, s.state)).collect();
    assert_eq!(got, [(2, ReviewState::Draf), (1, ReviewState::Terbit)]);
    // Streaming follows the same rule.
    let (tx, mut rx) = tokio::sync::mpsc::channel(4);
    let s = store.clone();
    let id = r.id;
    let task = tokio::spawn(async move { s.stream_rows(id, None, tx).await });
    let mut streamed = vec![];
    while let Some(b) = rx.recv().await {
        streamed.extend(b);
    }
    assert_eq!(task.await.unwrap().unwrap(), 2);
    assert_eq!(streamed, rows(&[("a", 1), ("b", 2)]));
    // A table with only a draft reads as empty.
    let (_, r2) = table(&store, o.id, "data-b").await;
    draft(&store, r2.id, &[("x", 1)]).await;
    assert_eq!(read(&store, r2.id, None).await, (0, vec![]));
    assert_eq!(store.latest_published(r2.id).await.unwrap(), None);
}

/// Submit → return with notes → resubmit → approve → publish, each recorded; the workflow and
/// notes are enforced by the store too.
pub async fn gov_transition_journey(store: Arc<dyn Store>) {
    let o = org(&store, "dinas-a", OrgKind::Opd).await;
    let kominfo = org(&store, "kominfo", OrgKind::Walidata).await;
    let p = user(&store, "produsen", Role::Produsen, o.id).await;
    let w = user(&store, "walidata", Role::Walidata, kominfo.id).await;
    let (d, r) = table(&store, o.id, "data-a").await;
    published(&store, r.id, &[("a", 1)]).await;
    let v = draft(&store, r.id, &[("a", 2)]).await;

    let mut submit = step(r.id, v, ReviewAction::Submit, p.id, Role::Produsen);
    submit.checks = Some(report(false));
    submit.meta = Some(d.meta.clone());
    submit.notify = vec![NewNotification {
        kind: "review.submitted".into(),
        title: "Pengajuan baru".into(),
        body: String::new(),
        link: None,
        audience: vec![Audience::Role {
            role: Role::Walidata,
            organization: None,
        }],
        dedupe_key: None,
    }];
    let seq_before = store.current_seq().await.unwrap();
    let applied = store.apply_transition(submit).await.expect("submit");
    assert_eq!(applied.notifications.len(), 1);
    assert_eq!(applied.notifications[0].user_id, w.id);
    let e = applied.event;
    assert_eq!((e.from, e.to), (ReviewState::Draf, ReviewState::Diajukan));
    assert_eq!(e.dataset_id, d.id);
    assert!(
        store.current_seq().await.unwrap() > seq_before,
        "a transition is a change"
    );
    assert_eq!(
        store
            .list_notifications(w.id, true, 10)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        store.version_states(r.id).await.unwrap()[0].checks_passed,
        Some(false)
    );

    // The produsen may not publish; nobody may return without a note.
    let refused = store
        .apply_transition(step(r.id, v, ReviewAction::Publish, p.id, Role::Produsen))
        .await;
    assert!(
        matches!(refused, Err(StoreError::Conflict(_))),
        "{refused:?}"
    );
    let silent = store
        .apply_transition(step(r.id, v, ReviewAction::Return, w.id, Role::Walidata))
        .await;
    assert!(matches!(silent, Err(StoreError::Invalid(_))), "{silent:?}");

    let mut ret = step(r.id, v, ReviewAction::Return, w.id, Role::Walidata);
    ret.note = "Satuan belum diisi.".into();
    ret.notes = vec![
        ReviewNote {
            target: NoteTarget::Kolom {
                field: "satuan".into(),
            },
            text: "Isi 'jiwa'.".into(),
        },
        ReviewNote {
            target: NoteTarget::Baris { key: "a".into() },
            text: "Angka ini janggal.".into(),
        },
    ];
    store.apply_transition(ret).await.expect("return");
    let mut again = step(r.id, v, ReviewAction::Resubmit, p.id, Role::Produsen);
    again.checks = Some(report(true));
    store.apply_transition(again).await.expect("resubmit");
    store
        .apply_transition(step(r.id, v, ReviewAction::Approve, w.id, Role::Walidata))
        .await
        .expect("approve");
    // Still not public while approved.
    assert_eq!(read(&store, r.id, None).await.0, 1);
    let mut publish = step(r.id, v, ReviewAction::Publish, w.id, Role::Walidata);
    let mut snapshot = d.meta.clone();
    snapshot.satuan = Some("jiwa".into());
    publish.meta = Some(snapshot.clone());
    store.apply_transition(publish).await.expect("publish");
    assert_eq!(read(&store, r.id, None).await, (2, rows(&[("a", 2)])));
    assert_eq!(store.published_meta(r.id).await.unwrap(), Some(snapshot));

    let events = store.review_events(r.id, Some(v)).await.unwrap();
    let actions: Vec<ReviewAction> = events.iter().map(|e| e.action).collect();
    assert_eq!(
        actions,
        [
            ReviewAction::Submit,
            ReviewAction::Return,
            ReviewAction::Resubmit,
            ReviewAction::Approve,
            ReviewAction::Publish
        ]
    );
    assert_eq!(events[1].notes.len(), 2);
    assert_eq!(events[1].note, "Satuan belum diisi.");
    assert_eq!(events[1].role, Some(Role::Walidata));
    let rec = store
        .submission_record(r.id, v)
        .await
        .unwrap()
        .expect("record");
    assert_eq!(rec.event.action, ReviewAction::Resubmit);
    assert!(rec.checks.expect("checks").report.passed);
    assert_eq!(
        store.review_counts().await.unwrap(),
        vec![(d.id, 2, 1)],
        "two submissions, one return"
    );

    // A published version is never published again; missing versions are not found.
    let twice = store
        .apply_transition(step(r.id, v, ReviewAction::Publish, w.id, Role::Walidata))
        .await;
    assert!(matches!(twice, Err(StoreError::Conflict(_))));
    let missing = store
        .apply_transition(step(r.id, 9, ReviewAction::Submit, p.id, Role::Produsen))
        .await;
    assert!(matches!(missing, Err(StoreError::NotFound(_))));
}

/// Submitting a newer version closes the older open ones; withdrawing a published version makes
/// the previous published one current again.
pub async fn gov_supersede_and_withdraw(store: Arc<dyn Store>) {
    let o = org(&store, "dinas-a", OrgKind::Opd).await;
    let p = user(&store, "produsen", Role::Produsen, o.id).await;
    let (_, r) = table(&store, o.id, "data-a").await;
    published(&store, r.id, &[("a", 1)]).await;
    let v2 = draft(&store, r.id, &[("a", 2)]).await;
    store
        .apply_transition(step(r.id, v2, ReviewAction::Submit, p.id, Role::Produsen))
        .await
        .unwrap();
    let v3 = draft(&store, r.id, &[("a", 3)]).await;
    store
        .apply_transition(step(r.id, v3, ReviewAction::Submit, p.id, Role::Produsen))
        .await
        .unwrap();
    let states: Vec<ReviewState> = store
        .version_states(r.id)
        .await
        .unwrap()
        .iter()
        .map(|s| s.state)
        .collect();
    assert_eq!(
        states,
        [
            ReviewState::Diajukan,
            ReviewState::Diarsipkan,
            ReviewState::Terbit
        ]
    );
    let closed = store.review_events(r.id, Some(v2)).await.unwrap();
    assert_eq!(closed.last().unwrap().action, ReviewAction::Archive);
    assert!(closed.last().unwrap().note.contains("versi 3"));

    store
        .apply_transition(step(r.id, v3, ReviewAction::Publish, p.id, Role::Admin))
        .await
        .unwrap();
    assert_eq!(read(&store, r.id, None).await.0, 3);
    let mut pull = step(r.id, v3, ReviewAction::Withdraw, p.id, Role::Walidata);
    pull.note = "Salah unggah.".into();
    store.apply_transition(pull).await.unwrap();
    assert_eq!(read(&store, r.id, None).await, (1, rows(&[("a", 1)])));
}

/// The queue holds what waits for the walidata, oldest first, filtered by organisation.
pub async fn gov_review_queue(store: Arc<dyn Store>) {
    let a = org(&store, "dinas-a", OrgKind::Opd).await;
    let b = org(&store, "dinas-b", OrgKind::Opd).await;
    let p = user(&store, "produsen", Role::Produsen, a.id).await;
    let t0 = Utc.with_ymd_and_hms(2026, 3, 1, 2, 0, 0).unwrap();
    let mut waiting = vec![];
    for (i, o) in [&a, &b, &a].iter().enumerate() {
        let (_, r) = table(&store, o.id, &format!("data-{i}")).await;
        let v = draft(&store, r.id, &[("a", i as i64)]).await;
        let mut s = step(r.id, v, ReviewAction::Submit, p.id, Role::Walidata);
        s.at = Some(t0 - Duration::days(i as i64));
        s.checks = Some(report(i != 1));
        store.apply_transition(s).await.unwrap();
        waiting.push(r.id);
    }
    // A draft and a published version are not in the queue.
    let (_, r) = table(&store, a.id, "data-x").await;
    draft(&store, r.id, &[("a", 1)]).await;
    published(&store, r.id, &[("a", 2)]).await;

    let q = store
        .review_queue(&QueueQuery {
            limit: 10,
            ..QueueQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(q.total, 3);
    let order: Vec<Id> = q.items.iter().map(|i| i.resource_id).collect();
    assert_eq!(order, [waiting[2], waiting[1], waiting[0]]);
    assert_eq!(q.items[1].checks_passed, Some(false));
    assert_eq!(q.items[0].organization_slug, "dinas-a");
    assert_eq!(q.items[0].state, ReviewState::Diajukan);
    let only_b = store
        .review_queue(&QueueQuery {
            organization_id: Some(b.id),
            limit: 10,
            ..QueueQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(only_b.total, 1);
    let page = store
        .review_queue(&QueueQuery {
            limit: 1,
            offset: 1,
            ..QueueQuery::default()
        })
        .await
        .unwrap();
    assert_eq!((page.total, page.items.len()), (3, 1));
    assert_eq!(page.items[0].resource_id, waiting[1]);
}

/// Rows added, removed and changed between versions, by key.
pub async fn gov_diff_versions(store: Arc<dyn Store>) {
    let o = org(&store, "dinas-a", OrgKind::Opd).await;
    let (_, r) = table(&store, o.id, "data-a").await;
    published(&store, r.id, &[("a", 1), ("b", 2), ("c", 3)]).await;
    draft(&store, r.id, &[("a", 1), ("b", 20), ("d", 4)]).await;
    let d = store.diff_versions(r.id, 1, 2, 100).await.unwrap();
    assert_eq!((d.added, d.removed, d.changed), (1, 1, 1), "{d:?}");
    assert_eq!(d.primary_key, ["kode"]);
    assert_eq!(d.changed_rows[0].key, "b");
    assert_eq!(d.changed_rows[0].before, rows(&[("b", 2)])[0]);
    assert_eq!(d.changed_rows[0].after, rows(&[("b", 20)])[0]);
    assert_eq!(d.changed_rows[0].fields, ["jumlah"]);
    assert_eq!(d.added_rows, rows(&[("d", 4)]));
    assert_eq!(d.removed_rows, rows(&[("c", 3)]));
    // A row removed in one version and back in the next is no change over both.
    draft(&store, r.id, &[("a", 1), ("b", 2), ("c", 3), ("e", 5)]).await;
    let d = store.diff_versions(r.id, 1, 3, 100).await.unwrap();
    assert_eq!((d.added, d.removed, d.changed), (1, 0, 0), "{d:?}");
    let all = store.diff_versions(r.id, 0, 1, 2).await.unwrap();
    assert_eq!((all.added, all.added_rows.len()), (3, 2));
    for (a, b) in [(2, 1), (1, 1), (0, 9), (-1, 1)] {
        assert!(
            matches!(
                store.diff_versions(r.id, a, b, 10).await,
                Err(StoreError::Invalid(_))
            ),
            "{a} → {b}"
        );
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn plan(org: Id, title: &str, due: NaiveDate) -> PlanItemMeta {
    PlanItemMeta {
        year: 2026,
        organization_id: org,
        title: title.into(),
        description: String::new(),
        kode: Some("DD-01".into()),
        periodicity: Periodicity::Tahunan,
        level: None,
        due_update: due,
        due_release: due + Duration::days(30),
        priority: true,
        sources: vec![ReferenceSource::Rpjmd, ReferenceSource::Sdgs],
        dataset_id: None,
        topic: Some("kesehatan".into()),
    }
}

/// Plan items: create, change, list, tombstone, copy a year forward.
pub async fn gov_plan_items(store: Arc<dyn Store>) {
    let a = org(&store, "dinas-a", OrgKind::Opd).await;
    let b = org(&store, "dinas-b", OrgKind::Opd).await;
    let i1 = store
        .create_plan_item(plan(a.id, "Jumlah puskesmas", day(2026, 3, 31)), None)
        .await
        .unwrap();
    assert!(i1.seq > 0);
    let n = store
        .create_plan_items(
            vec![
                plan(a.id, "Jumlah dokter", day(2026, 2, 28)),
                plan(b.id, "Luas panen", day(2026, 6, 30)),
            ],
            None,
        )
        .await
        .unwrap();
    assert_eq!(n, 2);
    let mut bad = plan(a.id, " ", day(2026, 3, 31));
    bad.due_release = day(2026, 1, 1);
    assert!(matches!(
        store.create_plan_item(bad, None).await,
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        store
            .create_plan_item(plan(new_id(), "X", day(2026, 3, 31)), None)
            .await,
        Err(StoreError::Invalid(_))
    ));
    // A failing item in a batch writes nothing.
    let before = store
        .list_plan_items(&PlanQuery::default())
        .await
        .unwrap()
        .total;
    let batch = store
        .create_plan_items(
            vec![
                plan(a.id, "Baik", day(2026, 3, 1)),
                plan(new_id(), "Buruk", day(2026, 3, 1)),
            ],
            None,
        )
        .await;
    assert!(batch.is_err());
    assert_eq!(
        store
            .list_plan_items(&PlanQuery::default())
            .await
            .unwrap()
            .total,
        before
    );

    let all = store
        .list_plan_items(&PlanQuery {
            year: Some(2026),
            ..PlanQuery::default()
        })
        .await
        .unwrap();
    let titles: Vec<&str> = all.items.iter().map(|i| i.meta.title.as_str()).collect();
    assert_eq!(titles, ["Jumlah dokter", "Jumlah puskesmas", "Luas panen"]);
    assert_eq!(
        all.items[1].meta.sources,
        [ReferenceSource::Rpjmd, ReferenceSource::Sdgs]
    );
    let of_a = store
        .list_plan_items(&PlanQuery {
            organization_id: Some(a.id),
            limit: 1,
            ..PlanQuery::default()
        })
        .await
        .unwrap();
    assert_eq!((of_a.total, of_a.items.len()), (2, 1));

    let mut changed = i1.meta.clone();
    changed.title = "Jumlah puskesmas dan pustu".into();
    let updated = store
        .update_plan_item(i1.id, changed.clone(), None)
        .await
        .unwrap();
    assert!(updated.seq > i1.seq);
    assert_eq!(
        store.get_plan_item(i1.id).await.unwrap().unwrap().meta,
        changed
    );

    assert_eq!(store.copy_plan_forward(2026, None).await.unwrap(), 3);
    assert_eq!(
        store.copy_plan_forward(2026, None).await.unwrap(),
        0,
        "no duplicates"
    );
    let next = store
        .list_plan_items(&PlanQuery {
            year: Some(2027),
            ..PlanQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(next.total, 3);
    assert_eq!(next.items[0].meta.due_update, day(2027, 2, 28));

    store.delete_plan_item(i1.id, None).await.unwrap();
    assert!(store.get_plan_item(i1.id).await.unwrap().is_none());
    assert!(matches!(
        store.delete_plan_item(i1.id, None).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.update_plan_item(i1.id, changed, None).await,
        Err(StoreError::NotFound(_))
    ));
}

/// The facts kemutakhiran needs: the first submission and publication inside each item's window.
pub async fn gov_plan_facts(store: Arc<dyn Store>) {
    let a = org(&store, "dinas-a", OrgKind::Opd).await;
    let p = user(&store, "produsen", Role::Produsen, a.id).await;
    let (d, r) = table(&store, a.id, "data-a").await;
    let at = |y, m, dd| Utc.with_ymd_and_hms(y, m, dd, 3, 0, 0).unwrap();
    // Last year's cycle: before the window of the 2026 item.
    let v1 = draft(&store, r.id, &[("a", 1)]).await;
    let mut s = step(r.id, v1, ReviewAction::Submit, p.id, Role::Produsen);
    s.at = Some(at(2025, 2, 1));
    store.apply_transition(s).await.unwrap();
    // This cycle.
    let v2 = draft(&store, r.id, &[("a", 2)]).await;
    let mut s = step(r.id, v2, ReviewAction::Submit, p.id, Role::Produsen);
    s.at = Some(at(2026, 4, 5));
    store.apply_transition(s).await.unwrap();
    let mut pubs = step(r.id, v2, ReviewAction::Publish, p.id, Role::Walidata);
    pubs.at = Some(at(2026, 4, 20));
    store.apply_transition(pubs).await.unwrap();

    let mut linked = plan(a.id, "Data A", day(2026, 3, 31));
    linked.dataset_id = Some(d.id);
    store.create_plan_item(linked, None).await.unwrap();
    store
        .create_plan_item(plan(a.id, "Belum ada", day(2026, 6, 30)), None)
        .await
        .unwrap();
    let mut other_year = plan(a.id, "Tahun lalu", day(2025, 3, 31));
    other_year.year = 2025;
    other_year.due_release = day(2025, 4, 30);
    store.create_plan_item(other_year, None).await.unwrap();

    let facts = store.plan_facts(Some(2026)).await.unwrap();
    assert_eq!(facts.len(), 2);
    let f = &facts[0];
    assert_eq!(f.item.meta.title, "Data A");
    assert_eq!(f.organization_slug, "dinas-a");
    assert_eq!(f.organization_kind, OrgKind::Opd);
    assert_eq!(f.dataset_slug.as_deref(), Some("data-a"));
    assert_eq!(f.first_submitted, Some(at(2026, 4, 5)));
    assert_eq!(f.first_published, Some(at(2026, 4, 20)));
    assert_eq!(facts[1].first_submitted, None);
    assert_eq!(facts[1].topic.as_deref(), Some("kesehatan"));
    assert_eq!(store.plan_facts(None).await.unwrap().len(), 3);
}

/// Notifications reach the audience once per dedupe key; users read only their own.
pub async fn gov_notifications(store: Arc<dyn Store>) {
    let a = org(&store, "dinas-a", OrgKind::Opd).await;
    let b = org(&store, "dinas-b", OrgKind::Opd).await;
    let pa = user(&store, "produsen-a", Role::Produsen, a.id).await;
    let pb = user(&store, "produsen-b", Role::Produsen, b.id).await;
    let n = |key: Option<&str>| NewNotification {
        kind: "reminder.before".into(),
        title: "Jadwal pemutakhiran tinggal 7 hari".into(),
        body: "Kirim data sebelum 31 Maret.".into(),
        link: Some("/kemutakhiran".into()),
        audience: vec![
            Audience::Role {
                role: Role::Produsen,
                organization: Some(a.id),
            },
            Audience::User(pa.id),
        ],
        dedupe_key: key.map(String::from),
    };
    let sent = store.notify(n(Some("r-1"))).await.unwrap();
    assert_eq!(sent.len(), 1, "one per user even when named twice");
    assert_eq!(sent[0].user_id, pa.id);
    assert!(store.notify(n(Some("r-1"))).await.unwrap().is_empty());
    assert_eq!(store.notify(n(None)).await.unwrap().len(), 1);
    let mine = store.list_notifications(pa.id, true, 10).await.unwrap();
    assert_eq!(mine.len(), 2);
    assert!(store
        .list_notifications(pb.id, false, 10)
        .await
        .unwrap()
        .is_empty());
    assert!(matches!(
        store.mark_notification_read(pb.id, mine[0].id).await,
        Err(StoreError::NotFound(_))
    ));
    store
        .mark_notification_read(pa.id, mine[0].id)
        .await
        .unwrap();
    assert_eq!(
        store
            .list_notifications(pa.id, true, 10)
            .await
            .unwrap()
            .len(),
        1
    );
    let all = store.list_notifications(pa.id, false, 10).await.unwrap();
    assert_eq!(all.len(), 2);
    assert!(all.iter().any(|x| x.read_at.is_some()));
}

fn uses(dataset_id: Id, d: NaiveDate, downloads: u64, api_calls: u64) -> UsageDelta {
    UsageDelta {
        dataset_id,
        day: d,
        downloads,
        api_calls,
    }
}

/// Usage counts add up per dataset, day and kind; quality snapshots are kept per month.
pub async fn gov_usage_and_snapshots(store: Arc<dyn Store>) {
    let (x, y) = (new_id(), new_id());
    store
        .add_usage(vec![
            uses(x, day(2026, 1, 1), 3, 0),
            uses(x, day(2026, 2, 1), 1, 3),
            uses(y, day(2026, 2, 1), 0, 1),
        ])
        .await
        .unwrap();
    store
        .add_usage(vec![uses(x, day(2026, 2, 1), 4, 6)])
        .await
        .unwrap();
    store.add_usage(vec![]).await.unwrap();
    let mut u = store.usage_since(day(2026, 2, 1)).await.unwrap();
    u.sort();
    let mut want = vec![(x, 14), (y, 1)];
    want.sort();
    assert_eq!(u, want);
    assert_eq!(
        store.dataset_usage(x, None).await.unwrap(),
        UsageTotals {
            downloads: 8,
            api_calls: 9
        }
    );
    assert_eq!(
        store.dataset_usage(x, Some(day(2026, 2, 1))).await.unwrap(),
        UsageTotals {
            downloads: 5,
            api_calls: 9
        }
    );
    assert_eq!(
        store.dataset_usage(new_id(), None).await.unwrap(),
        UsageTotals::default()
    );
    store.put_quality_snapshot(x, "2026-02", 3.1).await.unwrap();
    store.put_quality_snapshot(x, "2026-01", 2.5).await.unwrap();
    store.put_quality_snapshot(x, "2026-02", 3.4).await.unwrap();
    assert_eq!(
        store.quality_snapshots(x).await.unwrap(),
        vec![("2026-01".to_string(), 2.5), ("2026-02".to_string(), 3.4)]
    );
}

/// The most used list: published, live datasets of the asked access levels, most uses first.
pub async fn gov_most_used(store: Arc<dyn Store>) {
    let a = org(&store, "dinas-a", OrgKind::Opd).await;
    let (busy, busy_t) = table(&store, a.id, "ramai").await;
    published(&store, busy_t.id, &[("a", 1)]).await;
    let (quiet, quiet_t) = table(&store, a.id, "sepi").await;
    published(&store, quiet_t.id, &[("a", 1)]).await;
    let (unpublished, u_t) = table(&store, a.id, "draf-saja").await;
    draft(&store, u_t.id, &[("a", 1)]).await;
    let (closed, closed_t) = table(&store, a.id, "tertutup").await;
    published(&store, closed_t.id, &[("a", 1)]).await;
    let mut meta = closed.meta.clone();
    meta.access = satudata_core::dataset::Access::Tertutup;
    store.update_dataset(closed.id, meta, None).await.unwrap();
    let (gone, gone_t) = table(&store, a.id, "dihapus").await;
    published(&store, gone_t.id, &[("a", 1)]).await;
    store.delete_dataset(gone.id, None).await.unwrap();
    let (unused, unused_t) = table(&store, a.id, "tak-terpakai").await;
    published(&store, unused_t.id, &[("a", 1)]).await;
    let today = day(2026, 3, 10);
    store
        .add_usage(vec![
            uses(busy.id, today, 10, 5),
            uses(quiet.id, today, 1, 0),
            uses(quiet.id, day(2026, 1, 1), 100, 0), // before the period
            uses(unpublished.id, today, 50, 50),
            uses(closed.id, today, 70, 0),
            uses(gone.id, today, 90, 0),
            uses(unused.id, today, 0, 0),
        ])
        .await
        .unwrap();
    let open = [
        satudata_core::dataset::Access::Terbuka,
        satudata_core::dataset::Access::Terbatas,
    ];
    let list = store
        .most_used_datasets(day(2026, 3, 1), &open, 10)
        .await
        .unwrap();
    let got: Vec<(&str, u64, u64)> = list
        .iter()
        .map(|m| (m.slug.as_str(), m.downloads, m.api_calls))
        .collect();
    assert_eq!(got, vec![("ramai", 10, 5), ("sepi", 1, 0)]);
    assert_eq!(list[0].dataset_id, busy.id);
    assert_eq!(list[0].organization_id, a.id);
    assert_eq!(list[0].title, "Data ramai");
    // Any access level: the closed one too; the limit holds.
    let any = store
        .most_used_datasets(day(2026, 3, 1), &[], 1)
        .await
        .unwrap();
    assert_eq!(any.len(), 1);
    assert_eq!(any[0].slug, "tertutup");
}

/// The pembina's metadata reviews are kept per dataset, newest first.
pub async fn gov_metadata_reviews(store: Arc<dyn Store>) {
    let a = org(&store, "dinas-a", OrgKind::Opd).await;
    let (d, _) = table(&store, a.id, "data-a").await;
    for (i, verdict) in [MetadataVerdict::PerluPerbaikan, MetadataVerdict::Sesuai]
        .into_iter()
        .enumerate()
    {
        store
            .add_metadata_review(MetadataReview {
                id: new_id(),
                dataset_id: d.id,
                verdict,
                note: format!("telaah {i}"),
                notes: vec![],
                actor: None,
                at: Utc::now() + Duration::seconds(i as i64),
            })
            .await
            .unwrap();
    }
    let got = store.metadata_reviews(d.id).await.unwrap();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].verdict, MetadataVerdict::Sesuai);
    let missing = store
        .add_metadata_review(MetadataReview {
            id: new_id(),
            dataset_id: new_id(),
            verdict: MetadataVerdict::Sesuai,
            note: String::new(),
            notes: vec![],
            actor: None,
            at: Utc::now(),
        })
        .await;
    assert!(matches!(missing, Err(StoreError::NotFound(_))));
}

fn audit(i: usize, who: &str) -> AuditRecord {
    AuditRecord {
        at: Utc::now(),
        actor: None,
        actor_name: who.into(),
        action: if i.is_multiple_of(2) {
            "write"
        } else {
            "read_restricted"
        }
        .into(),
        entity: "dataset".into(),
        entity_id: format!("data-{i}"),
        detail: format!(r#"{{"i":{i}}}"#),
        ip: "127.0.0.1".into(),
    }
}

/// Concurrent appends form one chain without gaps or forks; filters and verification work.
pub async fn gov_audit_chain(store: Arc<dyn Store>) {
    let empty = store.verify_audit().await.unwrap();
    assert_eq!(
        (empty.verified, empty.head_seq, empty.head_hash.as_str()),
        (0, 0, GENESIS)
    );
    let mut tasks = vec![];
    for t in 0..4 {
        let s = store.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..10 {
                s.append_audit(audit(t * 10 + i, if t == 0 { "admin" } else { "walidata" }))
                    .await
                    .expect("append");
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let v = store.verify_audit().await.unwrap();
    assert_eq!(v.broken, None);
    assert_eq!((v.verified, v.head_seq), (40, 40));
    let page = store
        .list_audit(&AuditQuery {
            limit: 100,
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    let seqs: Vec<i64> = page.items.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=40).rev().collect::<Vec<_>>());
    assert_eq!(page.items.last().unwrap().prev_hash, GENESIS);
    assert_eq!(page.items[0].hash, v.head_hash);
    let admin = store
        .list_audit(&AuditQuery {
            actor_name: Some("admin".into()),
            action: Some("write".into()),
            limit: 100,
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(admin.total, 5);
    let recent = store
        .list_audit(&AuditQuery {
            after_seq: Some(35),
            since: Some(Utc::now() - Duration::hours(1)),
            limit: 100,
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(recent.total, 5);
}
