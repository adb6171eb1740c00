//! The app shell: context providers, layout and router.

use crate::{
    cart::Cart,
    components::layout::{Footer, Header},
    i18n::{I18nContextProvider, Locale, t_string, use_i18n},
    pages::{
        account::AccountPage,
        auth::{ForgotPasswordPage, ResetPasswordPage, SignInPage, SignUpPage},
        campaign::CampaignPage,
        cart::CartPage,
        catalog::CatalogPage,
        checkout::CheckoutPage,
        cooperative::CooperativePage,
        cooperative_review::CooperativeReviewPage,
        home::Home,
        labels::{LabelPage, LabelSheetPage},
        lot::LotPage,
        members::MembersPage,
        not_found::NotFound,
        order::{OrderPage, OrderPlacedPage},
        product::ProductPage,
        register_cooperative::RegisterCooperativePage,
        seller::SellerRoutes,
        staff::{
            campaigns::{CampaignEditorPage, CampaignsPage},
            featured::FeaturedPage,
            moderation::ModerationPage,
            stats::StatsPage,
        },
    },
    session::Session,
    storage,
};
use leptos::prelude::*;
use leptos_meta::{Title, provide_meta_context};
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

/// Where the chosen language is kept between visits.
const LANG_KEY: &str = "chohtx.lang";

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <I18nContextProvider>
            <RememberLanguage/>
            <Shell/>
        </I18nContextProvider>
    }
}

/// Vietnamese unless the visitor chose English before: the browser's language list
/// (often English on phones sold in Vietnam) does not decide. The choice is kept in
/// localStorage (no cookie: the server never needs it).
#[component]
fn RememberLanguage() -> impl IntoView {
    let i18n = use_i18n();
    let saved = storage::get(LANG_KEY);
    let initial = match saved.as_deref() {
        Some("en") => Locale::en,
        _ => Locale::vi,
    };
    // The provider's own first effect applies the browser's languages; this effect is
    // created after it, so it runs after it, and before the first paint.
    Effect::new(move |_| i18n.set_locale(initial));
    Effect::new(move |_| {
        let code = match i18n.get_locale() {
            Locale::vi => "vi",
            Locale::en => "en",
        };
        storage::set(LANG_KEY, code);
    });
}

#[component]
fn Shell() -> impl IntoView {
    let i18n = use_i18n();
    Cart::provide();
    Session::provide();
    view! {
        <Title formatter=move |page: String| {
            let site = t_string!(i18n, site_name);
            if page.is_empty() { site.to_string() } else { format!("{page} · {site}") }
        }/>
        <Router>
            <a class="skip-link" href="#main">{move || t_string!(i18n, skip_to_content)}</a>
            <Header/>
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/san-pham") view=CatalogPage/>
                    <Route path=path!("/danh-muc/:category") view=CatalogPage/>
                    <Route path=path!("/san-pham/:slug") view=ProductPage/>
                    <Route path=path!("/htx/:slug") view=CooperativePage/>
                    <Route path=path!("/gio-hang") view=CartPage/>
                    <Route path=path!("/thanh-toan") view=CheckoutPage/>
                    <Route path=path!("/dat-hang-thanh-cong") view=OrderPlacedPage/>
                    <Route path=path!("/don-hang/:number") view=OrderPage/>
                    <Route path=path!("/dang-nhap") view=SignInPage/>
                    <Route path=path!("/dang-ky") view=SignUpPage/>
                    <Route path=path!("/quen-mat-khau") view=ForgotPasswordPage/>
                    <Route path=path!("/dat-lai-mat-khau") view=ResetPasswordPage/>
                    <Route path=path!("/tai-khoan") view=AccountPage/>
                    <Route path=path!("/dang-ky-htx") view=RegisterCooperativePage/>
                    <Route path=path!("/htx-cua-toi/:slug/thanh-vien") view=MembersPage/>
                    <SellerRoutes/>
                    // Traceability: the GS1 Digital Link of a lot and its labels (the seller console has the lots).
                    <Route path=path!("/01/:gtin/10/:lot") view=LotPage/>
                    <Route path=path!("/tem/:gtin/:lot") view=LabelPage/>
                    <Route path=path!("/tem/:gtin/:lot/a4") view=LabelSheetPage/>
                    <Route path=path!("/phien-cho/:slug") view=CampaignPage/>
                    <Route path=path!("/htx-cua-toi/:slug/xet-duyet") view=CooperativeReviewPage/>
                    <Route path=path!("/xuc-tien") view=ModerationPage/>
                    <Route path=path!("/xuc-tien/noi-bat") view=FeaturedPage/>
                    <Route path=path!("/xuc-tien/chien-dich") view=CampaignsPage/>
                    <Route path=path!("/xuc-tien/chien-dich/:slug") view=CampaignEditorPage/>
                    <Route path=path!("/xuc-tien/thong-ke") view=StatsPage/>
                </Routes>
            </main>
            <Footer/>
        </Router>
    }
}
