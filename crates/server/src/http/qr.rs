//! QR codes drawn as SVG (VietQR payments, lot labels), and as PNG for a phone's photos.

use crate::http::error::{ApiError, ApiResult};

fn qr_code(payload: &str) -> ApiResult<qrcode::QrCode> {
    qrcode::QrCode::with_error_correction_level(payload, qrcode::EcLevel::M)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("QR code: {e}")))
}

/// A QR code (error correction M, with its quiet zone) as an SVG document.
pub fn qr_svg(payload: &str) -> ApiResult<String> {
    Ok(qr_code(payload)?
        .render::<qrcode::render::svg::Color<'_>>()
        .quiet_zone(true)
        .min_dimensions(256, 256)
        .dark_color(qrcode::render::svg::Color("#000000"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .build())
}

/// The same QR code as a PNG image, `scale` pixels per module with a four-module quiet
/// zone: what a banking app reads from the phone's photo library (few read SVG).
pub fn qr_png(payload: &str, scale: u32) -> ApiResult<Vec<u8>> {
    const QUIET: u32 = 4;
    let code = qr_code(payload)?;
    let width = u32::try_from(code.width()).map_err(|e| ApiError::Internal(e.into()))?;
    let colors = code.to_colors();
    let side = (width + 2 * QUIET) * scale;
    let image = image::GrayImage::from_fn(side, side, |x, y| {
        let (mx, my) = (x / scale, y / scale);
        let inside = (QUIET..width + QUIET).contains(&mx) && (QUIET..width + QUIET).contains(&my);
        let dark = inside && colors[((my - QUIET) * width + (mx - QUIET)) as usize] == qrcode::Color::Dark;
        image::Luma([if dark { 0 } else { 255 }])
    });
    let mut png = std::io::Cursor::new(Vec::new());
    image.write_to(&mut png, image::ImageFormat::Png).map_err(|e| ApiError::Internal(e.into()))?;
    Ok(png.into_inner())
}
