//! QR codes drawn as SVG (VietQR payments, lot labels).

use crate::http::error::{ApiError, ApiResult};

/// A QR code (error correction M, with its quiet zone) as an SVG document.
pub fn qr_svg(payload: &str) -> ApiResult<String> {
    let code = qrcode::QrCode::with_error_correction_level(payload, qrcode::EcLevel::M)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("QR code: {e}")))?;
    Ok(code
        .render::<qrcode::render::svg::Color<'_>>()
        .quiet_zone(true)
        .min_dimensions(256, 256)
        .dark_color(qrcode::render::svg::Color("#000000"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .build())
}
