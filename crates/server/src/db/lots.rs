//! Lots and their events as written (by the seller and by the demo seed), and the links
//! a product page lists.

use crate::{
    AppState,
    db::{date, decode_err},
};
use domain::trace::{Inspection, LotLink, ValidEvent, ValidLot};
use domain::{
    gs1::{self, DigitalLink},
    gtin::Gtin,
};
use sqlx::{Row, SqliteConnection, sqlite::SqliteRow};

pub fn link_from_row(row: &SqliteRow, origin: &str) -> sqlx::Result<LotLink> {
    let gtin_text: String = row.try_get("gtin")?;
    let gtin = Gtin::parse(&gtin_text).map_err(|_| decode_err("gtin", &gtin_text))?;
    let lot_code: String = row.try_get("lot_code")?;
    Ok(LotLink {
        url: DigitalLink::lot(gtin.clone(), lot_code.clone()).uri(origin),
        label_url: format!("{origin}{}", gs1::label_path(&gtin, &lot_code)),
        gtin,
        lot_code,
        pack_label: row.try_get("pack_label")?,
        produced_on: date(row, "produced_on")?,
        best_before: date(row, "best_before")?,
    })
}

/// A product's lots as its public page lists them, newest first.
pub async fn product_lot_links(st: &AppState, product_id: i64, origin: &str) -> sqlx::Result<Vec<LotLink>> {
    sqlx::query(
        "SELECT gtin, lot_code, pack_label, produced_on, best_before FROM lots
         WHERE product_id = $1 ORDER BY produced_on DESC, id DESC",
    )
    .bind(product_id)
    .fetch_all(&st.db)
    .await?
    .iter()
    .map(|r| link_from_row(r, origin))
    .collect()
}

/// Inserts a lot and its inspections; `None` when its GTIN has that lot code already.
pub(crate) async fn insert_lot(
    conn: &mut SqliteConnection,
    product_id: i64,
    lot: &ValidLot,
    pack_label: &str,
    commune_name: &str,
    user_id: Option<i64>,
    now: &str,
) -> sqlx::Result<Option<i64>> {
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO lots (product_id, gtin, lot_code, pack_label, quantity, unit, plot_code, area, province_code,
            commune_code, commune_name, produced_on, best_before, practices, inputs, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
         ON CONFLICT (gtin, lot_code) DO NOTHING RETURNING id",
    )
    .bind(product_id)
    .bind(lot.gtin.as_str())
    .bind(&lot.lot_code)
    .bind(pack_label)
    .bind(i64::from(lot.quantity))
    .bind(&lot.unit)
    .bind(&lot.plot_code)
    .bind(&lot.area)
    .bind(i64::from(lot.province_code))
    .bind(i64::from(lot.commune_code))
    .bind(commune_name)
    .bind(lot.produced_on.as_str())
    .bind(lot.best_before.as_str())
    .bind(&lot.practices)
    .bind(serde_json::to_string(&lot.inputs).map_err(|e| sqlx::Error::Encode(Box::new(e)))?)
    .bind(user_id)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(id) = id {
        for (position, ins) in lot.inspections.iter().enumerate() {
            insert_inspection(conn, id, position, ins).await?;
        }
    }
    Ok(id)
}

async fn insert_inspection(
    conn: &mut SqliteConnection,
    lot_id: i64,
    position: usize,
    ins: &Inspection,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO lot_inspections (lot_id, position, lab, tested_on, result, passed, document_url)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(lot_id)
    .bind(position as i64)
    .bind(&ins.lab)
    .bind(ins.tested_on.as_str())
    .bind(&ins.result)
    .bind(ins.passed as i64)
    .bind(ins.document_url.as_deref())
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn insert_event(
    conn: &mut SqliteConnection,
    lot_id: i64,
    e: &ValidEvent,
    user_id: Option<i64>,
    now: &str,
) -> sqlx::Result<SqliteRow> {
    sqlx::query(
        "INSERT INTO lot_events (lot_id, kind, at, place, location_code, actor, note, photos, created_by, created_at,
            corrects_event_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         RETURNING id, kind, at, place, location_code, actor, note, photos, corrects_event_id",
    )
    .bind(lot_id)
    .bind(e.kind)
    .bind(e.at.as_str())
    .bind(&e.place)
    .bind(&e.location_code)
    .bind(&e.actor)
    .bind(&e.note)
    .bind(serde_json::to_string(&e.photos).map_err(|e| sqlx::Error::Encode(Box::new(e)))?)
    .bind(user_id)
    .bind(now)
    .bind(e.corrects)
    .fetch_one(conn)
    .await
}
