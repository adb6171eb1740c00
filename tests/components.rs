//! Component tests, run in headless Chromium by wasm-bindgen-test
//! (`cargo xtask test`; the runner finds chromedriver through CHROMEDRIVER).
#![cfg(target_arch = "wasm32")]

use chohtx_web::{
    api::ApiError,
    components::{
        account_menu::given_name, async_view::ErrorPanel, field_error::FieldMessage, product_card::ProductCard,
    },
    i18n::{I18nContextProvider, Locale, use_i18n},
    session::safe_next,
};
use domain::{
    I18nText,
    catalog::{Category, CertKind, CooperativeRef, Image, ProductSummary},
    money::Vnd,
    validate::FieldError,
};
use leptos::{mount::mount_to, prelude::*, task::tick};
use leptos_router::components::Router;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn sample() -> ProductSummary {
    ProductSummary {
        id: 1,
        slug: "gao-st25-my-xuyen".into(),
        name: I18nText { vi: "Gạo ST25 Mỹ Xuyên".into(), en: "My Xuyen ST25 Rice".into() },
        brand: "Lúa Tôm".into(),
        category: Category::RiceGrains,
        origin_province_code: 92,
        ocop_stars: 4,
        cooperative: CooperativeRef {
            slug: "htx".into(), name: "HTX Lúa gạo Mỹ Xuyên".into(), province_code: 92
        },
        price_from: Vnd::new(1_943_000),
        in_stock: true,
        image: Some(Image {
            url: "/images/products/rice-bag.svg".into(),
            alt: I18nText::default(),
            width: 400,
            height: 300,
            renditions: Vec::new(),
        }),
        cert_kinds: vec![CertKind::VietGap],
    }
}

/// A fresh element in the page to mount into.
fn container() -> web_sys::HtmlElement {
    let doc = document();
    let el = doc.create_element("section").unwrap();
    doc.body().unwrap().append_child(&el).unwrap();
    el.unchecked_into()
}

/// Sets the language on mount, exposing the context to the test.
#[component]
fn WithLocale(locale: Locale, set: WriteSignal<Option<leptos_i18n::I18nContext<Locale>>>) -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| i18n.set_locale(locale));
    set.set(Some(i18n));
}

#[wasm_bindgen_test]
async fn product_card_formats_price_per_language_and_links_to_the_product() {
    let el = container();
    let (ctx, set_ctx) = signal(None);
    let _mounted = mount_to(el.clone(), move || {
        view! {
            <I18nContextProvider>
                <WithLocale locale=Locale::vi set=set_ctx/>
                <Router><ProductCard product=sample()/></Router>
            </I18nContextProvider>
        }
    });
    tick().await;
    tick().await;
    let text = el.text_content().unwrap();
    assert!(text.contains("Gạo ST25 Mỹ Xuyên"), "{text}");
    assert!(text.contains("1.943.000\u{a0}₫"), "Vietnamese price: {text}");
    assert!(text.contains("VietGAP"), "{text}");
    let link = el.query_selector("a").unwrap().unwrap();
    assert_eq!(link.get_attribute("href").as_deref(), Some("/san-pham/gao-st25-my-xuyen"));

    ctx.get_untracked().unwrap().set_locale(Locale::en);
    tick().await;
    let text = el.text_content().unwrap();
    assert!(text.contains("My Xuyen ST25 Rice"), "{text}");
    assert!(text.contains("₫1,943,000"), "English price: {text}");
}

#[wasm_bindgen_test]
async fn error_panel_explains_and_retries() {
    let el = container();
    let (retries, set_retries) = signal(0);
    let (_ctx, set_ctx) = signal(None);
    let _mounted = mount_to(el.clone(), move || {
        view! {
            <I18nContextProvider>
                <WithLocale locale=Locale::vi set=set_ctx/>
                <ErrorPanel error=ApiError::Network on_retry=move || set_retries.update(|n| *n += 1)/>
            </I18nContextProvider>
        }
    });
    tick().await;
    tick().await;
    let text = el.text_content().unwrap();
    assert!(text.contains("Không kết nối được máy chủ"), "{text}");
    // A link to the page itself (without the app it reloads); in the app it retries in place.
    let retry: web_sys::HtmlElement = el.query_selector("a.button").unwrap().unwrap().unchecked_into();
    assert_eq!(retry.get_attribute("href").as_deref(), Some(""));
    let page = web_sys::window().unwrap().location().href().unwrap();
    retry.click();
    assert_eq!(retries.get_untracked(), 1);
    assert_eq!(web_sys::window().unwrap().location().href().unwrap(), page);
}

#[wasm_bindgen_test]
fn sign_in_returns_only_to_local_paths() {
    let ok = |s: &str| safe_next(Some(s.to_owned()));
    assert_eq!(ok("/tai-khoan").as_deref(), Some("/tai-khoan"));
    assert_eq!(ok("/don-hang/DH7K3M9QXA?x=1").as_deref(), Some("/don-hang/DH7K3M9QXA?x=1"));
    for bad in
        ["//evil.example", "/\\evil.example", "https://evil.example", "javascript:alert(1)", "", "tai-khoan", "/a\nb"]
    {
        assert_eq!(ok(bad), None, "{bad:?}");
    }
    assert_eq!(safe_next(None), None);
}

/// The browser's own normalisation, marks and lower case fold text as the server's
/// tables do (standards.md §4), so a search typed in the app matches what the API matches.
#[wasm_bindgen_test]
fn text_folds_in_the_browser_as_on_the_server() {
    use domain::text::{fold, highlight_ranges, search_words, strip_marks};
    assert_eq!(fold("ĐẮK LẮK"), "dak lak");
    assert_eq!(fold("Nguyễn Văn Đức"), "nguyen van duc");
    assert_eq!(fold("hoà"), fold("hòa"));
    // Decomposed input (a mark typed apart from its letter).
    assert_eq!(fold("Ca\u{0300}n Tho\u{031B}"), "can tho");
    assert_eq!(strip_marks("Đơn hàng"), "Don hang");
    assert_eq!(search_words("Gạo ST25"), vec!["gao", "st", "25"]);
    let text = "Gạo ST25 Mỹ Xuyên";
    let parts: Vec<&str> = highlight_ranges(text, "gao xuy").iter().map(|(a, b)| &text[*a..*b]).collect();
    assert_eq!(parts, vec!["Gạo", "Xuy"]);
}

#[wasm_bindgen_test]
fn the_menu_calls_people_by_their_given_name() {
    assert_eq!(given_name("Nguyễn Thị Lan"), "Lan");
    assert_eq!(given_name("An"), "An");
}

#[wasm_bindgen_test]
async fn account_field_errors_are_translated() {
    let el = container();
    let (ctx, set_ctx) = signal(None);
    let (error, set_error) = signal(Some(FieldError::PasswordTooShort { min: 8 }));
    let _mounted = mount_to(el.clone(), move || {
        view! {
            <I18nContextProvider>
                <WithLocale locale=Locale::vi set=set_ctx/>
                <FieldMessage id="password-error" error/>
            </I18nContextProvider>
        }
    });
    tick().await;
    tick().await;
    let text = el.text_content().unwrap();
    assert!(text.contains("ít nhất 8 ký tự"), "{text}");
    set_error.set(Some(FieldError::LoginTaken));
    tick().await;
    let text = el.text_content().unwrap();
    assert!(text.contains("đã có tài khoản"), "{text}");
    ctx.get_untracked().unwrap().set_locale(Locale::en);
    set_error.set(Some(FieldError::InvalidBankAccount));
    tick().await;
    let text = el.text_content().unwrap();
    assert!(text.contains("4 to 19 digits"), "{text}");
}
