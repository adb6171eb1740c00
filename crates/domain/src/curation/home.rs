//! The home page, composed by staff from campaigns and featured products.

use super::campaign::CampaignSummary;
use crate::{
    api::CategoryCount,
    catalog::{CooperativeSummary, ProductSummary},
};
use serde::{Deserialize, Serialize};

/// A running campaign on the home page, with a few of its products.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HomeCampaign {
    #[serde(flatten)]
    pub summary: CampaignSummary,
    pub products: Vec<ProductSummary>,
}

/// `GET /api/v1/home`: what the home page shows, composed by staff.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HomePage {
    /// Running campaigns, the newest start first: the first is the hero.
    pub campaigns: Vec<HomeCampaign>,
    /// Featured products running today and visible, in the chosen order.
    pub featured: Vec<ProductSummary>,
    pub categories: Vec<CategoryCount>,
    /// Cooperatives approved most recently.
    pub new_cooperatives: Vec<CooperativeSummary>,
}
