//! The consoles' routes: the seller console (`/ban-hang/…`), the trade-promotion console
//! (`/xuc-tien…`), a cooperative's members and review (`/htx-cua-toi/…`) and registering a
//! cooperative (`/dang-ky-htx`). They ship only in the app's bundle (see [`crate::bundles`]).

use leptos::prelude::*;
use leptos_router::{any_nested_route::IntoAnyNestedRoute, components::Route, path};

/// The consoles' routes, one group in the app's router.
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
            sites::SitesPage,
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
        <Route path=path!("/xuc-tien/trang-htx") view=SitesPage/>
    }
    .into_inner()
    .into_any_nested_route()
}
