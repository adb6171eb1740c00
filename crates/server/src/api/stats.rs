//! The alliance's statistics for trade-promotion staff: cooperatives by province and
//! kind, products by category, orders and sales per month, the share of cooperatives
//! with traceability lots, top products and new cooperatives — as JSON for the
//! dashboard's charts, and each table as CSV (Vietnamese headers, UTF-8 with a BOM so
//! spreadsheet tools read the accents, CRLF lines, RFC 4180 quoting).
//!
//! Months and date ranges are Vietnam's (UTC+7); timestamps are stored in UTC, so a
//! range is turned into UTC bounds and orders are put into months in Rust (the SQL stays
//! portable).

use crate::{
    AppState,
    auth::Staff,
    db::{int, narrow, products::VISIBLE},
    http::error::{ApiError, ApiPath, ApiQuery, ApiResult},
};
use axum::{
    Json,
    extract::State,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use domain::{
    I18nText, Lang,
    api::ErrorBody,
    catalog::{Category, CoopKind, CoopStatus, Date},
    coop_status_sql,
    curation::{
        CategoryProducts, MonthSales, NewCooperative, ProvinceCooperatives, Stats, StatsQuery, StatsTable, TopProduct,
        Traceability, months_between,
    },
    geo,
    money::Vnd,
    order_status_sql,
};
use sqlx::Row;
use std::collections::BTreeMap;
use time::{OffsetDateTime, UtcOffset, format_description::well_known::Rfc3339, macros::offset};

const VN: UtcOffset = offset!(+7);

fn date_of(d: time::Date) -> Date {
    Date::from_ymd(d.year(), u8::from(d.month()), d.day()).expect("a calendar date is valid")
}

fn to_time(d: &Date) -> time::Date {
    let s = d.as_str();
    let month = time::Month::try_from(s[5..7].parse::<u8>().unwrap_or(1)).unwrap_or(time::Month::January);
    time::Date::from_calendar_date(s[0..4].parse().unwrap_or(2000), month, s[8..10].parse().unwrap_or(1))
        .expect("a Date is a calendar date")
}

/// 00:00 of `d` in Vietnam, as stored timestamps are written (RFC 3339 UTC).
fn start_of_day_utc(d: time::Date) -> String {
    crate::clock::rfc3339(d.midnight().assume_offset(VN))
}

/// The default range: from the first day of the month eleven months ago to today.
fn default_range(now: OffsetDateTime) -> (Date, Date) {
    let today = now.to_offset(VN).date();
    let (mut y, mut m) = (today.year(), u8::from(today.month()) as i32 - 11);
    if m < 1 {
        m += 12;
        y -= 1;
    }
    let first =
        time::Date::from_calendar_date(y, time::Month::try_from(m as u8).expect("1..=12"), 1).expect("day 1 exists");
    (date_of(first), date_of(today))
}

/// `YYYY-MM` in Vietnam of a stored RFC 3339 timestamp.
fn month_vn(stored: &str) -> Option<String> {
    let t = OffsetDateTime::parse(stored, &Rfc3339).ok()?.to_offset(VN);
    Some(format!("{:04}-{:02}", t.year(), u8::from(t.month())))
}

/// `YYYY-MM-DD` in Vietnam of a stored RFC 3339 timestamp.
fn date_vn(stored: &str) -> String {
    OffsetDateTime::parse(stored, &Rfc3339)
        .map(|t| date_of(t.to_offset(VN).date()).as_str().to_owned())
        .unwrap_or_else(|_| stored.chars().take(10).collect())
}

/// Approved cooperatives with at least one traceability lot (`lots`, migration 0005).
async fn cooperatives_with_lots(st: &AppState) -> ApiResult<u32> {
    let n: i64 = sqlx::query_scalar(concat!(
        "SELECT COUNT(DISTINCT c.id) FROM lots l JOIN products p ON p.id = l.product_id
         JOIN cooperatives c ON c.id = p.cooperative_id WHERE c.status = ",
        coop_status_sql!(Approved)
    ))
    .fetch_one(&st.db)
    .await?;
    Ok(narrow("count", n)?)
}

/// Orders and their sales per month of the range (Vietnam's months), from each order's
/// time and subtotal.
fn sales_by_month(from: &Date, to: &Date, orders: Vec<(String, Vnd)>) -> ApiResult<Vec<MonthSales>> {
    let mut months: BTreeMap<String, MonthSales> = months_between(from, to)
        .into_iter()
        .map(|month| (month.clone(), MonthSales { month, orders: 0, sales: Vnd::ZERO }))
        .collect();
    for (at, subtotal) in orders {
        if let Some(entry) = month_vn(&at).and_then(|m| months.get_mut(&m)) {
            entry.orders = entry.orders.checked_add(1).ok_or_else(overflow)?;
            entry.sales = entry.sales.checked_add(subtotal).ok_or_else(overflow)?;
        }
    }
    Ok(months.into_values().collect())
}

/// Sums too large for the money type are an error, never a wrapped or saturated number.
fn overflow() -> ApiError {
    ApiError::Internal(anyhow::anyhow!("statistics: amount overflow"))
}

/// Everything on the dashboard for a validated range.
pub async fn compute(st: &AppState, from: Date, to: Date) -> ApiResult<Stats> {
    let since = start_of_day_utc(to_time(&from));
    let until = start_of_day_utc(to_time(&to).next_day().expect("not the last day of time"));

    let mut by_province: BTreeMap<u8, ProvinceCooperatives> = BTreeMap::new();
    for r in sqlx::query(concat!(
        "SELECT province_code, kind, COUNT(*) AS n FROM cooperatives WHERE status = ",
        coop_status_sql!(Approved),
        " GROUP BY province_code, kind"
    ))
    .fetch_all(&st.db)
    .await?
    {
        let code = int::<u8>(&r, "province_code")?;
        let kind: CoopKind = r.try_get("kind")?;
        let n = int::<u32>(&r, "n")?;
        let entry =
            by_province.entry(code).or_insert(ProvinceCooperatives { province_code: code, ..Default::default() });
        match kind {
            CoopKind::Htx => entry.htx += n,
            CoopKind::Tht => entry.tht += n,
            CoopKind::Union => entry.union += n,
        }
    }
    let mut cooperatives_by_province: Vec<_> = by_province.into_values().collect();
    cooperatives_by_province.sort_by(|a, b| b.total().cmp(&a.total()).then(a.province_code.cmp(&b.province_code)));

    let mut by_category: BTreeMap<String, u32> = BTreeMap::new();
    for r in sqlx::query(&format!(
        "SELECT p.category, COUNT(*) AS n FROM products p JOIN cooperatives c ON c.id = p.cooperative_id WHERE {VISIBLE} GROUP BY p.category"
    ))
    .fetch_all(&st.db)
    .await?
    {
        by_category.insert(r.try_get("category")?, int::<u32>(&r, "n")?);
    }
    let products_by_category = Category::ALL
        .iter()
        .map(|c| CategoryProducts { category: *c, published: by_category.get(c.code()).copied().unwrap_or(0) })
        .collect();

    let orders = sqlx::query(concat!(
        "SELECT created_at, subtotal FROM orders WHERE status <> ",
        order_status_sql!(Cancelled),
        " AND created_at >= $1 AND created_at < $2"
    ))
    .bind(&since)
    .bind(&until)
    .fetch_all(&st.db)
    .await?
    .iter()
    .map(|r| Ok((r.try_get::<String, _>("created_at")?, Vnd::new(r.try_get("subtotal")?))))
    .collect::<sqlx::Result<Vec<_>>>()?;
    let orders_by_month = sales_by_month(&from, &to, orders)?;

    let approved: i64 =
        sqlx::query_scalar(concat!("SELECT COUNT(*) FROM cooperatives WHERE status = ", coop_status_sql!(Approved)))
            .fetch_one(&st.db)
            .await?;
    let traceability =
        Traceability { cooperatives: narrow("count", approved)?, with_lots: cooperatives_with_lots(st).await? };

    let top_products = sqlx::query(concat!(
        "SELECT MAX(oi.product_slug) AS slug, MAX(oi.product_name_vi) AS name_vi, MAX(oi.product_name_en) AS name_en,
            MAX(c.name) AS coop_name, SUM(oi.quantity) AS quantity, SUM(oi.line_total) AS sales
         FROM order_items oi JOIN orders o ON o.id = oi.order_id JOIN cooperatives c ON c.id = o.cooperative_id
         WHERE o.status <> ",
        order_status_sql!(Cancelled),
        " AND o.created_at >= $1 AND o.created_at < $2
         GROUP BY oi.product_id ORDER BY SUM(oi.quantity) DESC, SUM(oi.line_total) DESC, MAX(oi.product_slug) LIMIT 10"
    ))
    .bind(&since)
    .bind(&until)
    .fetch_all(&st.db)
    .await?
    .iter()
    .map(|r| {
        Ok(TopProduct {
            slug: r.try_get("slug")?,
            name: I18nText { vi: r.try_get("name_vi")?, en: r.try_get("name_en")? },
            cooperative: r.try_get("coop_name")?,
            quantity: int::<u32>(r, "quantity")?,
            sales: Vnd::new(r.try_get("sales")?),
        })
    })
    .collect::<sqlx::Result<Vec<_>>>()?;

    let new_cooperatives = sqlx::query(
        "SELECT slug, name, kind, province_code, status, created_at FROM cooperatives
         WHERE created_at >= $1 AND created_at < $2 ORDER BY created_at DESC, id DESC LIMIT 200",
    )
    .bind(&since)
    .bind(&until)
    .fetch_all(&st.db)
    .await?
    .iter()
    .map(|r| {
        let kind: CoopKind = r.try_get("kind")?;
        let status: CoopStatus = r.try_get("status")?;
        Ok(NewCooperative {
            slug: r.try_get("slug")?,
            name: r.try_get("name")?,
            kind,
            province_code: int::<u8>(r, "province_code")?,
            status,
            registered_at: r.try_get("created_at")?,
        })
    })
    .collect::<sqlx::Result<Vec<_>>>()?;

    let today = st.clock.now().to_offset(VN).date();
    let month_start = today.replace_day(1).expect("day 1 exists");
    let new_this_month: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cooperatives WHERE created_at >= $1")
        .bind(start_of_day_utc(month_start))
        .fetch_one(&st.db)
        .await?;

    Ok(Stats {
        from,
        to,
        cooperatives_by_province,
        products_by_category,
        orders_by_month,
        traceability,
        top_products,
        new_cooperatives,
        new_this_month: narrow("count", new_this_month)?,
    })
}

fn range(st: &AppState, q: &StatsQuery) -> ApiResult<(Date, Date)> {
    Ok(q.validate(default_range(st.clock.now()))?)
}

/// The dashboard for a date range (`from`/`to`, inclusive; by default the last twelve
/// months). Orders, top products and new cooperatives follow the range; the rest is now.
#[utoipa::path(get, path = "/staff/stats", tag = "staff", params(StatsQuery),
    responses((status = 200, body = Stats), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
pub async fn stats(State(st): State<AppState>, _: Staff, ApiQuery(q): ApiQuery<StatsQuery>) -> ApiResult<Json<Stats>> {
    let (from, to) = range(&st, &q)?;
    Ok(Json(compute(&st, from, to).await?))
}

/// One table of the dashboard as CSV: Vietnamese headers, UTF-8 with a BOM.
#[utoipa::path(get, path = "/staff/stats/csv/{table}", tag = "staff",
    params(("table" = StatsTable, Path, description = "Which table"), StatsQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, description = "No such table", body = ErrorBody)))]
pub async fn stats_csv(
    State(st): State<AppState>,
    _: Staff,
    ApiPath(table): ApiPath<String>,
    ApiQuery(q): ApiQuery<StatsQuery>,
) -> ApiResult<Response> {
    let table = StatsTable::from_code(&table).ok_or(ApiError::NotFound("table"))?;
    let (from, to) = range(&st, &q)?;
    let stats = compute(&st, from, to).await?;
    let body = csv(&stats, table);
    let name = format!("thong-ke-{}-{}-{}.csv", file_stem(table), stats.from.as_str(), stats.to.as_str());
    let disposition =
        HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")).map_err(anyhow::Error::from)?;
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response())
}

fn file_stem(table: StatsTable) -> &'static str {
    match table {
        StatsTable::Cooperatives => "htx-theo-tinh",
        StatsTable::Products => "san-pham-theo-danh-muc",
        StatsTable::Orders => "don-hang-theo-thang",
        StatsTable::Traceability => "truy-xuat-nguon-goc",
        StatsTable::TopProducts => "san-pham-ban-chay",
        StatsTable::NewCooperatives => "htx-moi",
    }
}

/// One CSV field: quoted when it holds a separator, quote or line break; text that a
/// spreadsheet would run as a formula (`=`, `+`, `-`, `@`) is prefixed with `'`.
fn field(value: &str) -> String {
    let value =
        if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_owned() };
    if value.contains([',', '"', '\n', '\r']) { format!("\"{}\"", value.replace('"', "\"\"")) } else { value }
}

fn line(out: &mut String, cells: &[String]) {
    out.push_str(&cells.iter().map(|c| field(c)).collect::<Vec<_>>().join(","));
    out.push_str("\r\n");
}

fn province_name(code: u8) -> String {
    geo::province(code).map(|p| p.name.to_owned()).unwrap_or_else(|| code.to_string())
}

fn coop_status_vi(s: CoopStatus) -> &'static str {
    match s {
        CoopStatus::Pending => "Chờ duyệt",
        CoopStatus::Approved => "Đã duyệt",
        CoopStatus::Suspended => "Tạm ngưng",
    }
}

/// The CSV of one table, headers in Vietnamese; numbers are plain (no grouping), money
/// in whole đồng.
pub fn csv(s: &Stats, table: StatsTable) -> String {
    let mut out = String::from("\u{feff}");
    let h = |cells: &[&str]| cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    match table {
        StatsTable::Cooperatives => {
            line(
                &mut out,
                &h(&["Mã tỉnh", "Tỉnh/thành phố", "Hợp tác xã", "Tổ hợp tác", "Liên hiệp hợp tác xã", "Tổng số"]),
            );
            for p in &s.cooperatives_by_province {
                line(
                    &mut out,
                    &[
                        p.province_code.to_string(),
                        province_name(p.province_code),
                        p.htx.to_string(),
                        p.tht.to_string(),
                        p.union.to_string(),
                        p.total().to_string(),
                    ],
                );
            }
        }
        StatsTable::Products => {
            line(&mut out, &h(&["Mã danh mục", "Danh mục", "Số sản phẩm đang bán"]));
            for c in &s.products_by_category {
                line(&mut out, &[c.category.code().into(), c.category.name(Lang::Vi).into(), c.published.to_string()]);
            }
        }
        StatsTable::Orders => {
            line(&mut out, &h(&["Tháng", "Số đơn hàng", "Doanh số (đồng)"]));
            for m in &s.orders_by_month {
                line(&mut out, &[m.month.clone(), m.orders.to_string(), m.sales.dong().to_string()]);
            }
        }
        StatsTable::Traceability => {
            line(&mut out, &h(&["Số HTX đang hoạt động", "Số HTX có lô truy xuất nguồn gốc", "Tỷ lệ (%)"]));
            let permille = s.traceability.share_permille();
            line(
                &mut out,
                &[
                    s.traceability.cooperatives.to_string(),
                    s.traceability.with_lots.to_string(),
                    format!("{}.{}", permille / 10, permille % 10),
                ],
            );
        }
        StatsTable::TopProducts => {
            line(&mut out, &h(&["Hạng", "Mã sản phẩm", "Sản phẩm", "Hợp tác xã", "Số lượng bán", "Doanh số (đồng)"]));
            for (i, p) in s.top_products.iter().enumerate() {
                line(
                    &mut out,
                    &[
                        (i + 1).to_string(),
                        p.slug.clone(),
                        p.name.vi.clone(),
                        p.cooperative.clone(),
                        p.quantity.to_string(),
                        p.sales.dong().to_string(),
                    ],
                );
            }
        }
        StatsTable::NewCooperatives => {
            line(&mut out, &h(&["Ngày đăng ký", "Hợp tác xã", "Loại hình", "Tỉnh/thành phố", "Trạng thái"]));
            for c in &s.new_cooperatives {
                line(
                    &mut out,
                    &[
                        date_vn(&c.registered_at),
                        c.name.clone(),
                        c.kind.name(Lang::Vi).into(),
                        province_name(c.province_code),
                        coop_status_vi(c.status).into(),
                    ],
                );
            }
        }
    }
    out
}

use utoipa_axum::routes;

/// This feature's routes, under `/api/v1`.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::AppState> {
    utoipa_axum::router::OpenApiRouter::new().routes(routes!(stats)).routes(routes!(stats_csv))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("Gạo ST25"), "Gạo ST25");
        assert_eq!(field("Bưởi, cam"), "\"Bưởi, cam\"");
        assert_eq!(field("HTX \"Xanh\""), "\"HTX \"\"Xanh\"\"\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("-5"), "'-5");
    }

    #[test]
    fn monthly_sales_that_would_overflow_are_an_error() {
        let (from, to) = (Date::parse("2026-01-01").unwrap(), Date::parse("2026-01-31").unwrap());
        let half = Vnd::new(i64::MAX / 2 + 1);
        let at = || "2026-01-10T03:00:00Z".to_owned();
        let ok = sales_by_month(&from, &to, vec![(at(), Vnd::new(100)), (at(), Vnd::new(250))]).unwrap();
        assert_eq!((ok[0].orders, ok[0].sales), (2, Vnd::new(350)));
        assert!(sales_by_month(&from, &to, vec![(at(), half), (at(), half)]).is_err(), "no wrap, no panic");
    }

    #[test]
    fn months_and_days_are_vietnams() {
        assert_eq!(month_vn("2026-05-31T17:30:00Z").as_deref(), Some("2026-06"));
        assert_eq!(month_vn("2026-05-31T16:59:59Z").as_deref(), Some("2026-05"));
        assert_eq!(date_vn("2026-05-31T17:30:00Z"), "2026-06-01");
        assert_eq!(start_of_day_utc(time::macros::date!(2026 - 06 - 01)), "2026-05-31T17:00:00Z");
        let (from, to) = default_range(time::macros::datetime!(2026-01-15 20:00 UTC));
        assert_eq!((from.as_str(), to.as_str()), ("2025-02-01", "2026-01-16"), "twelve months, this one included");
    }
}
