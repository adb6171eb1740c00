//! The consoles: the seller console (`/ban-hang/…`), the trade-promotion console
//! (`/xuc-tien…`), a cooperative's members and review (`/htx-cua-toi/…`) and registering a
//! cooperative (`/dang-ky-htx`).
//!
//! They are the second browser bundle (feature `consoles`): the storefront's bundle does
//! not carry their pages, so a buyer's phone never downloads them. The server renders
//! every page with both (its `ssr` feature includes `consoles`) and its page shell loads
//! the bundle that [`is_console`] picks for the path. In the storefront's bundle the
//! console routes are stand-ins that load the page from the server (a full navigation),
//! which then comes with the consoles' bundle.

use leptos::prelude::*;
use leptos_router::{any_nested_route::IntoAnyNestedRoute, components::Route, path};

/// Whether `path` is a console page (served with the consoles' bundle).
pub fn is_console(path: &str) -> bool {
    const SECTIONS: [&str; 4] = ["/ban-hang", "/xuc-tien", "/htx-cua-toi", "/dang-ky-htx"];
    SECTIONS.iter().any(|s| path.strip_prefix(s).is_some_and(|rest| rest.is_empty() || rest.starts_with('/')))
}

/// The consoles' routes, one group in the app's router.
#[cfg(feature = "consoles")]
#[component(transparent)]
pub fn ConsoleRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    use crate::pages::{
        cooperative_review::CooperativeReviewPage,
        members::MembersPage,
        register_cooperative::RegisterCooperativePage,
        seller::SellerRoutes,
        staff::{
            campaigns::{CampaignEditorPage, CampaignsPage},
            featured::FeaturedPage,
            moderation::ModerationPage,
            stats::StatsPage,
        },
    };
    view! {
        <Route path=path!("/dang-ky-htx") view=RegisterCooperativePage/>
        <Route path=path!("/htx-cua-toi/:slug/thanh-vien") view=MembersPage/>
        <Route path=path!("/htx-cua-toi/:slug/xet-duyet") view=CooperativeReviewPage/>
        <SellerRoutes/>
        <Route path=path!("/xuc-tien") view=ModerationPage/>
        <Route path=path!("/xuc-tien/noi-bat") view=FeaturedPage/>
        <Route path=path!("/xuc-tien/chien-dich") view=CampaignsPage/>
        <Route path=path!("/xuc-tien/chien-dich/:slug") view=CampaignEditorPage/>
        <Route path=path!("/xuc-tien/thong-ke") view=StatsPage/>
    }
    .into_inner()
    .into_any_nested_route()
}

/// The storefront's stand-ins for the console routes: following a link to a console
/// loads that page from the server (with the consoles' bundle).
#[cfg(not(feature = "consoles"))]
#[component(transparent)]
pub fn ConsoleRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("/dang-ky-htx") view=FromServer/>
        <Route path=path!("/htx-cua-toi/*rest") view=FromServer/>
        <Route path=path!("/ban-hang/*rest") view=FromServer/>
        <Route path=path!("/xuc-tien") view=FromServer/>
        <Route path=path!("/xuc-tien/*rest") view=FromServer/>
    }
    .into_inner()
    .into_any_nested_route()
}

/// Loads the current URL (already in the address bar) from the server.
#[cfg(not(feature = "consoles"))]
#[component]
fn FromServer() -> impl IntoView {
    Effect::new(|_| {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    });
    view! { <crate::session::PageSkeleton/> }
}

#[cfg(test)]
mod tests {
    use super::is_console;

    #[test]
    fn console_paths_are_whole_sections() {
        for path in ["/ban-hang/htx-a", "/ban-hang/htx-a/san-pham/x", "/xuc-tien", "/xuc-tien/thong-ke", "/dang-ky-htx"]
        {
            assert!(is_console(path), "{path}");
        }
        assert!(is_console("/htx-cua-toi/htx-a/thanh-vien"));
        for path in ["/", "/san-pham", "/htx/htx-a", "/xuc-tienx", "/ban-hangx/a", "/tai-khoan"] {
            assert!(!is_console(path), "{path}");
        }
    }
}
