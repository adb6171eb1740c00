//! The product editor: `/ban-hang/{coop}/them-san-pham` (new) and
//! `/ban-hang/{coop}/san-pham/{slug}` (edit).
//!
//! Nothing typed is lost: every change is kept in localStorage at once (restored when
//! the editor opens again, with a way to drop it), leaving with unsaved changes asks
//! first (closing the tab, reloading, or following a link in the app), and a failed save
//! keeps the form as it was with each error next to its field. Errors come from the
//! same `ProductDraft::validate` the server runs, so most show before anything is sent;
//! a GTIN's check digit is checked as it is typed.

use super::{ProductStatusBadge, SellerError, api, images::ImageManager, use_seller};
use crate::{
    api::ApiError,
    components::{async_view::Loaded, field_error::FieldMessage, form::focus_first_error},
    i18n::{t, t_string, use_i18n},
    pages::order::local_time,
    routes, use_lang,
};
use crate::{storage, time::today_vn};
use domain::{
    catalog::{Category, CertKind, Date, ProductStatus},
    geo,
    gtin::Gtin,
    money::Vnd,
    seller::{
        CertificationInput, MAX_CERTIFICATIONS, MAX_VARIANTS, ProductDraft, SellerImage, SellerProduct, VariantInput,
    },
    validate::{Errors, FieldError},
};
use leptos::{ev, prelude::*};
use leptos_meta::Title;
use leptos_router::{
    NavigateOptions,
    components::A,
    hooks::{use_navigate, use_params_map},
};
use wasm_bindgen::{JsCast, closure::Closure};

#[component]
pub fn NewProductPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=move || t_string!(i18n, seller_new_product)/>
        <Editor product=None/>
    }
}

#[component]
pub fn EditProductPage() -> impl IntoView {
    let i18n = use_i18n();
    let coop = StoredValue::new(use_seller().slug());
    let params = use_params_map();
    let slug = Memo::new(move |_| params.read().get("slug").unwrap_or_default());
    let product = LocalResource::new(move || {
        let (coop, slug) = (coop.get_value(), slug.get());
        async move { api::product(&coop, &slug).await }
    });
    view! {
        <Title text=move || t_string!(i18n, seller_edit_product)/>
        <Loaded resource=product skeleton=|| view! { <div class="skeleton-block"></div> } let:p>
            <Editor product=Some(p)/>
        </Loaded>
    }
}

/// What the save bar reports after the last successful action.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Notice {
    Saved,
    Submitted,
}

fn local_key(coop: &str, slug: Option<&str>) -> String {
    format!("chohtx.seller.draft.v1.{coop}.{}", slug.unwrap_or("new"))
}

/// A new product starts with one pack size to fill in.
fn blank_draft() -> ProductDraft {
    ProductDraft { variants: vec![VariantInput::default()], ..Default::default() }
}

/// What a save answers.
type Saved = Result<SellerProduct, ApiError>;
/// What a submit answers: the save of unsaved changes first, if there were any, then the
/// submit's own answer.
type Submitted = (Option<SellerProduct>, Saved);

/// The editor's state, shared by its parts (all signals, memos, stored values and
/// actions: `Copy`).
#[derive(Clone, Copy)]
struct Ed {
    coop: StoredValue<String>,
    slug: RwSignal<Option<String>>,
    status: RwSignal<Option<ProductStatus>>,
    review_note: RwSignal<String>,
    draft: RwSignal<ProductDraft>,
    /// The draft as the server last had it: the editor is "dirty" when `draft` differs.
    saved: RwSignal<ProductDraft>,
    dirty: Memo<bool>,
    images: RwSignal<Vec<SellerImage>>,
    /// Errors the server sent with the last failed request; one goes when its field is edited.
    server_errors: RwSignal<Errors>,
    /// Set by the first save or submit: from then on every rule is shown as the form changes.
    attempted: RwSignal<bool>,
    live: Memo<Errors>,
    /// Bumped when the whole draft is replaced (restore, discard, server answer), so the
    /// fields that keep their own text (numbers) start again from the draft.
    generation: RwSignal<u32>,
    /// Where localStorage keeps the unsaved changes.
    key: StoredValue<String>,
    /// When the unsaved changes on screen were written, while they are the ones that came
    /// back from localStorage.
    restored_at: RwSignal<Option<f64>>,
    failure: RwSignal<Option<ApiError>>,
    notice: RwSignal<Option<Notice>>,
    save: Action<ProductDraft, Saved>,
    submit: Action<Option<ProductDraft>, Submitted>,
    /// A new product saved to add photos: its page opens at the photos.
    photos_next: RwSignal<bool>,
}

impl Ed {
    /// The editor of `product` (`None`: a new one), with the unsaved changes of an earlier
    /// visit back at once.
    fn new(coop: String, product: Option<SellerProduct>) -> Self {
        let (baseline, slug, status, note, images) = match product {
            Some(p) => (p.draft, Some(p.slug), Some(p.status), p.review_note, p.images),
            None => (blank_draft(), None, None, String::new(), Vec::new()),
        };
        let key = local_key(&coop, slug.as_deref());
        let restored = storage::load_draft::<ProductDraft>(&key).filter(|l| l.draft != baseline);
        let restored_at = RwSignal::new(restored.as_ref().map(|l| l.at));
        let draft = RwSignal::new(restored.map(|l| l.draft).unwrap_or_else(|| baseline.clone()));
        let saved = RwSignal::new(baseline);
        let (coop, slug) = (StoredValue::new(coop), RwSignal::new(slug));
        Self {
            coop,
            slug,
            status: RwSignal::new(status),
            review_note: RwSignal::new(note),
            draft,
            saved,
            dirty: Memo::new(move |_| draft.with(|d| saved.with(|s| d != s))),
            images: RwSignal::new(images),
            server_errors: RwSignal::new(Errors::new()),
            attempted: RwSignal::new(false),
            live: Memo::new(move |_| draft.with(|d| d.validate().err().unwrap_or_default())),
            generation: RwSignal::new(0),
            key: StoredValue::new(key),
            restored_at,
            failure: RwSignal::new(None),
            notice: RwSignal::new(None),
            photos_next: RwSignal::new(false),
            save: Action::new_local(move |d: &ProductDraft| {
                let (coop, slug, d) = (coop.get_value(), slug.get_untracked(), d.clone());
                async move {
                    match slug {
                        Some(slug) => api::save_product(&coop, &slug, &d).await,
                        None => api::create_product(&coop, &d).await,
                    }
                }
            }),
            submit: Action::new_local(move |d: &Option<ProductDraft>| {
                let (coop, slug, d) = (coop.get_value(), slug.get_untracked().unwrap_or_default(), d.clone());
                async move {
                    // Unsaved changes are saved first: what staff review is what is on screen.
                    // The save's answer is kept even when the submit then fails.
                    let saved = match d {
                        Some(d) => match api::save_product(&coop, &slug, &d).await {
                            Ok(p) => Some(p),
                            Err(e) => return (None, Err(e)),
                        },
                        None => None,
                    };
                    (saved, api::submit_product(&coop, &slug).await)
                }
            }),
        }
    }

    fn error(self, field: String) -> Signal<Option<FieldError>> {
        Signal::derive(move || {
            if let Some(e) = self.server_errors.with(|e| e.get(&field).cloned()) {
                return Some(e);
            }
            if self.attempted.get() { self.live.with(|e| e.get(&field).cloned()) } else { None }
        })
    }

    fn edit(self, field: &str, change: impl FnOnce(&mut ProductDraft)) {
        if self.server_errors.with_untracked(|e| e.get(field).is_some()) {
            self.server_errors.update(|e| {
                e.0.remove(field);
            });
        }
        self.draft.update(change);
    }

    /// Takes what the server answered as the new saved state.
    fn apply(self, p: SellerProduct) {
        self.slug.set(Some(p.slug));
        self.status.set(Some(p.status));
        self.review_note.set(p.review_note);
        self.saved.set(p.draft.clone());
        self.draft.set(p.draft);
        self.images.set(p.images);
        self.server_errors.set(Errors::new());
        self.generation.update(|g| *g += 1);
    }

    /// Autosave: every change goes to localStorage; a clean editor leaves nothing there.
    fn keep_locally(self) {
        Effect::new(move |_| {
            let k = self.key.get_value();
            if self.dirty.get() {
                self.draft.with(|d| storage::save_draft(&k, d));
            } else {
                storage::remove(&k);
            }
        });
    }

    fn busy(self) -> bool {
        self.save.pending().get() || self.submit.pending().get()
    }

    /// How many rules the draft breaks, once a save or submit was tried.
    fn invalid_count(self) -> usize {
        if self.attempted.get() { self.live.with(|e| e.0.len()) } else { 0 }
    }

    /// A request that succeeded: `p` is what the server has now.
    fn succeeded(self, p: SellerProduct, notice: Notice) {
        self.failure.set(None);
        self.apply(p);
        self.attempted.set(false);
        self.restored_at.set(None);
        self.notice.set(Some(notice));
    }

    /// A request that failed: what was typed stays, each error next to its field.
    fn failed(self, e: ApiError) {
        self.attempted.set(true);
        self.server_errors.set(e.fields());
        self.failure.set(Some(e));
        focus_first_error();
    }

    /// Handles the answers of saves and submits. A new product's first save gives it its
    /// own address (and it can take photos then): the editor moves there.
    fn on_answers(self, navigate: impl Fn(&str, NavigateOptions) + 'static) {
        Effect::new(move |_| {
            if let Some(result) = self.save.value().get() {
                untrack(|| match result {
                    Ok(p) => {
                        let was_new = self.slug.get_untracked().is_none();
                        let new_slug = p.slug.clone();
                        self.succeeded(p, Notice::Saved);
                        if was_new {
                            let coop = self.coop.get_value();
                            storage::remove(&self.key.get_value());
                            self.key.set_value(local_key(&coop, Some(&new_slug)));
                            let photos = if self.photos_next.get_untracked() { PHOTOS_ANCHOR } else { "" };
                            navigate(
                                &format!("{}{photos}", routes::seller_product(&coop, &new_slug)),
                                NavigateOptions { replace: true, ..Default::default() },
                            );
                        }
                    }
                    Err(e) => self.failed(e),
                });
            }
        });
        Effect::new(move |_| {
            if let Some((saved_first, result)) = self.submit.value().get() {
                untrack(|| match result {
                    Ok(p) => self.succeeded(p, Notice::Submitted),
                    Err(e) => {
                        if let Some(p) = saved_first {
                            self.apply(p);
                            self.restored_at.set(None);
                        }
                        self.failed(e);
                    }
                });
            }
        });
    }

    /// Checked here with the server's own rules first; sent only when they pass.
    fn checked(self) -> bool {
        self.notice.set(None);
        self.failure.set(None);
        self.attempted.set(true);
        if self.live.with_untracked(Errors::is_empty) {
            true
        } else {
            focus_first_error();
            false
        }
    }

    fn save_draft(self) {
        if !self.busy() && self.checked() {
            self.save.dispatch(self.draft.get_untracked());
        }
    }

    /// Submits for review, saving unsaved changes first.
    fn submit_for_review(self) {
        if !self.busy() && self.checked() {
            self.submit.dispatch(self.dirty.get_untracked().then(|| self.draft.get_untracked()));
        }
    }

    /// Drops the unsaved changes: the draft is the saved one again.
    fn discard(self) {
        self.draft.set(self.saved.get_untracked());
        self.server_errors.set(Errors::new());
        self.attempted.set(false);
        self.generation.update(|g| *g += 1);
        self.restored_at.set(None);
        storage::remove(&self.key.get_value());
    }
}

/// Asks before leaving while `dirty`: on closing or reloading the tab (`beforeunload`)
/// and on following a link inside the app (a click listener that runs before the
/// router's). The back button cannot be stopped in a single-page app; the draft kept in
/// localStorage covers it.
fn guard_leaving(dirty: Memo<bool>, message: impl Fn() -> String + 'static) {
    let unload = window_event_listener(ev::beforeunload, move |e: web_sys::BeforeUnloadEvent| {
        if dirty.get_untracked() {
            e.prevent_default();
            e.set_return_value("");
        }
    });
    let on_click = Closure::<dyn FnMut(web_sys::MouseEvent)>::new(move |e: web_sys::MouseEvent| {
        if !dirty.get_untracked()
            || e.default_prevented()
            || e.button() != 0
            || e.ctrl_key()
            || e.meta_key()
            || e.shift_key()
            || e.alt_key()
        {
            return;
        }
        let Some(link) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("a[href]").ok().flatten())
            .and_then(|el| el.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        else {
            return;
        };
        let here = window().location();
        let same_page = link.pathname() == here.pathname().unwrap_or_default()
            && link.search() == here.search().unwrap_or_default();
        if link.has_attribute("download") || link.target() == "_blank" || same_page {
            return;
        }
        if !window().confirm_with_message(&message()).unwrap_or(true) {
            e.prevent_default();
            e.stop_propagation();
        }
    });
    let _ = document().add_event_listener_with_callback_and_bool("click", on_click.as_ref().unchecked_ref(), true);
    let on_click = send_wrapper::SendWrapper::new(on_click);
    on_cleanup(move || {
        unload.remove();
        let _ =
            document().remove_event_listener_with_callback_and_bool("click", on_click.as_ref().unchecked_ref(), true);
        drop(on_click);
    });
}

/// Where a product's page opens when its first save was to add photos.
const PHOTOS_ANCHOR: &str = "#anh";

#[component]
fn Editor(product: Option<SellerProduct>) -> impl IntoView {
    let i18n = use_i18n();
    let ed = Ed::new(use_seller().slug(), product);
    ed.keep_locally();
    guard_leaving(ed.dirty, move || t_string!(i18n, seller_leave_unsaved).to_owned());
    ed.on_answers(use_navigate());
    let on_save = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        ed.save_draft();
    };
    view! {
        <div class="editor">
            <EditorHead ed/>
            <RestoredNotice restored_at=ed.restored_at on_discard=move || ed.discard()/>
            <PublishPanel ed/>
            <form class="editor-form" novalidate on:submit=on_save>
                {move || {
                    ed.generation.get();
                    view! {
                        <BasicsSection ed/>
                        <DescriptionSection ed/>
                        <VariantsSection ed/>
                        <CertificationsSection ed/>
                    }
                }}
                <section class="editor-section" id="anh" aria-labelledby="images-title">
                    <h2 id="images-title">{t!(i18n, seller_images)}</h2>
                    <ImageManager coop=ed.coop slug=ed.slug.into() images=ed.images errors=ed.server_errors
                        on_save_first=Callback::new(move |_| {
                            ed.photos_next.set(true);
                            ed.save_draft();
                        })/>
                </section>
                <EditorBar ed/>
            </form>
        </div>
    }
}

/// The way back to the products, and the product's name as the page's title (until it
/// has one: "new product" or "edit product").
#[component]
fn EditorHead(ed: Ed) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let new_or_edit = move || {
        if ed.slug.get().is_some() { t_string!(i18n, seller_edit_product) } else { t_string!(i18n, seller_new_product) }
    };
    view! {
        <nav class="breadcrumb no-print" aria-label="breadcrumb">
            <A href=routes::seller_products(&ed.coop.get_value())>{t!(i18n, seller_nav_products)}</A>
            <span aria-hidden="true">" › "</span>
            <span>{new_or_edit}</span>
        </nav>
        <h1 class="seller-title">
            {move || {
                let name = ed.draft.with(|d| d.name.get(lang()).trim().to_owned());
                if name.is_empty() { new_or_edit().to_owned() } else { name }
            }}
        </h1>
    }
}

/// Says that unsaved changes of an earlier visit came back, and how old they are, with a
/// way to drop them (the product editor's and the cooperative website's).
#[component]
pub(super) fn RestoredNotice(
    restored_at: RwSignal<Option<f64>>,
    #[prop(into)] on_discard: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        restored_at.get().map(|at| {
            view! {
                <div class="notice restored" role="status">
                    <p>{t!(i18n, seller_draft_restored)}" ("{local_time(&crate::time::rfc3339_from_millis(at))}")"</p>
                    <button type="button" class="button button-small" on:click=move |_| on_discard.run(())>{t!(i18n, seller_discard_changes)}</button>
                </div>
            }
        })
    }
}

/// The bar under the form: where the draft stands, the last failure, and the buttons that
/// drop the changes or save them.
#[component]
fn EditorBar(ed: Ed) -> impl IntoView {
    let i18n = use_i18n();
    let busy = move || ed.busy();
    let state = move || {
        if ed.busy() {
            t_string!(i18n, saving)
        } else if ed.invalid_count() > 0 {
            t_string!(i18n, form_fix_errors)
        } else if ed.dirty.get() {
            t_string!(i18n, seller_unsaved_kept_locally)
        } else {
            match ed.notice.get() {
                Some(Notice::Submitted) => t_string!(i18n, seller_submitted),
                Some(Notice::Saved) => t_string!(i18n, seller_saved),
                None => "",
            }
        }
    };
    view! {
        <div class="editor-bar">
            <div class="editor-bar-state" role="status">{move || state().to_owned()}</div>
            {move || ed.failure.get().map(|error| view! { <SellerError error/> })}
            <div class="editor-bar-actions">
                {move || ed.dirty.get().then(|| view! {
                    <button type="button" class="button" on:click=move |_| ed.discard() disabled=busy>{t!(i18n, seller_discard_changes)}</button>
                })}
                <button type="submit" class="button button-primary save-product" disabled=busy>
                    {move || if ed.save.pending().get() {
                        t_string!(i18n, saving)
                    } else if ed.slug.get().is_none() {
                        t_string!(i18n, seller_save_draft)
                    } else {
                        t_string!(i18n, seller_save_changes)
                    }}
                </button>
            </div>
        </div>
    }
}

/// Where the product stands (draft, pending, published, hidden), staff's note when they
/// sent it back, and the button that submits it for review.
#[component]
fn PublishPanel(ed: Ed) -> impl IntoView {
    let i18n = use_i18n();
    let coop = ed.coop;
    move || {
        let status = ed.status.get();
        let slug = ed.slug.get();
        let note = ed.review_note.get();
        let can_submit = matches!(status, Some(ProductStatus::Draft | ProductStatus::Hidden));
        view! {
            <section class="publish-panel seller-card" aria-labelledby="publish-title">
                <h2 id="publish-title" class="visually-hidden">{t!(i18n, seller_publishing)}</h2>
                <p class="publish-status">
                    {t!(i18n, seller_status)}": "
                    {match status {
                        Some(s) => view! { <ProductStatusBadge status=s/> }.into_any(),
                        None => view! { <span class="badge" data-status="new">{t!(i18n, seller_not_saved_yet)}</span> }.into_any(),
                    }}
                </p>
                <p class="muted">{move || match status {
                    None => t_string!(i18n, seller_status_new_help),
                    Some(ProductStatus::Draft) => t_string!(i18n, seller_status_draft_help),
                    Some(ProductStatus::Pending) => t_string!(i18n, seller_status_pending_help),
                    Some(ProductStatus::Published) => t_string!(i18n, seller_status_published_help),
                    Some(ProductStatus::Hidden) => t_string!(i18n, seller_status_hidden_help),
                }}</p>
                {(!note.trim().is_empty()).then(|| view! {
                    <div class="review-note" role="note">
                        <strong>{t!(i18n, seller_review_note)}</strong>
                        <p>{note.clone()}</p>
                    </div>
                })}
                <div class="form-actions">
                    {can_submit.then(|| view! {
                        <button type="button" class="button button-primary submit-review" disabled=move || ed.busy()
                            on:click=move |_| ed.submit_for_review()>
                            {move || if ed.dirty.get() { t_string!(i18n, seller_save_and_submit) } else { t_string!(i18n, seller_submit_review) }}
                        </button>
                    })}
                    {(status == Some(ProductStatus::Published)).then(|| {
                        let href = routes::product(&slug.clone().unwrap_or_default());
                        view! { <A href=href attr:class="button">{t!(i18n, seller_view_in_shop)}</A> }
                    })}
                    {slug.clone().map(|s| {
                        let href = routes::seller_product_lots(&coop.get_value(), &s);
                        view! { <A href=href attr:class="button">{t!(i18n, seller_lots)}</A> }
                    })}
                </div>
            </section>
        }
    }
}

/// A labelled text input (or textarea) bound to one text of the draft.
#[component]
fn DraftText<G, S>(
    ed: Ed,
    id: String,
    /// The field's name in the API's errors, e.g. `name.vi`.
    field: String,
    get: G,
    set: S,
    #[prop(optional)] multiline: bool,
    #[prop(optional)] required: bool,
    #[prop(optional)] maxlength: Option<u32>,
    #[prop(optional)] lang: Option<&'static str>,
    #[prop(optional, into)] hint: Option<ViewFn>,
    children: Children,
) -> impl IntoView
where
    G: Fn(&ProductDraft) -> String + Send + Sync + 'static,
    S: Fn(&mut ProductDraft, String) + Send + Sync + Copy + 'static,
{
    let error = ed.error(field.clone());
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = if hint.is_some() { format!("{error_id} {hint_id}") } else { error_id.clone() };
    let value = Memo::new(move |_| ed.draft.with(|d| get(d)));
    let field = StoredValue::new(field);
    let on_input = move |ev| {
        let v = event_target_value(&ev);
        field.with_value(|f| ed.edit(f, |d| set(d, v)));
    };
    let input = if multiline {
        view! {
            <textarea id=id.clone() name=id.clone() rows="5" required=required lang=lang
                maxlength=maxlength.map(|m| m.to_string())
                aria-invalid=move || error.with(Option::is_some).to_string() aria-describedby=described
                prop:value=move || value.get() on:input=on_input></textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id.clone() name=id.clone() type="text" autocomplete="off" required=required lang=lang
                maxlength=maxlength.map(|m| m.to_string())
                aria-invalid=move || error.with(Option::is_some).to_string() aria-describedby=described
                prop:value=move || value.get() on:input=on_input/>
        }
        .into_any()
    };
    view! {
        <div class="field">
            <label for=id>{children()}{required.then_some(view! { <span class="required" aria-hidden="true">" *"</span> })}</label>
            {input}
            {hint.map(|h| view! { <p id=hint_id class="hint">{h.run()}</p> })}
            <FieldMessage id=error_id error/>
        </div>
    }
}

/// Only the digits of what was typed (`98.000` → `98000`), as a number (empty: 0).
fn digits(text: &str) -> (String, i64) {
    let only: String = text.chars().filter(char::is_ascii_digit).take(12).collect();
    let n = only.parse().unwrap_or(0);
    (only, n)
}

/// A whole-number input: keeps the digits typed (grouping dots are dropped), writes the
/// number into the draft, and can show the amount as money under it.
#[component]
fn DraftNumber<G, S>(
    ed: Ed,
    id: String,
    field: String,
    get: G,
    set: S,
    /// The unit after the field (`₫`, `g`).
    suffix: &'static str,
    #[prop(optional)] money: bool,
    #[prop(optional)] required: bool,
    children: Children,
) -> impl IntoView
where
    G: Fn(&ProductDraft) -> i64 + Send + Sync + Copy + 'static,
    S: Fn(&mut ProductDraft, i64) + Send + Sync + Copy + 'static,
{
    let lang = use_lang();
    let error = ed.error(field.clone());
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let initial = ed.draft.with_untracked(|d| get(d));
    let text = RwSignal::new(if initial == 0 { String::new() } else { initial.to_string() });
    let field = StoredValue::new(field);
    let on_input = move |ev| {
        let (only, n) = digits(&event_target_value(&ev));
        text.set(only);
        field.with_value(|f| ed.edit(f, |d| set(d, n)));
    };
    let amount = move || {
        let v = ed.draft.with(|d| get(d));
        (money && v > 0).then(|| Vnd::new(v).format(lang()))
    };
    view! {
        <div class="field">
            <label for=id.clone()>{children()}{required.then_some(view! { <span class="required" aria-hidden="true">" *"</span> })}</label>
            <div class="input-unit">
                <input id=id.clone() name=id type="text" inputmode="numeric" autocomplete="off" required=required
                    aria-invalid=move || error.with(Option::is_some).to_string()
                    aria-describedby=format!("{error_id} {hint_id}")
                    prop:value=move || text.get() on:input=on_input/>
                <span class="unit" aria-hidden="true">{suffix}</span>
            </div>
            <p id=hint_id class="hint amount-hint">{amount}</p>
            <FieldMessage id=error_id error/>
        </div>
    }
}

#[component]
fn BasicsSection(ed: Ed) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let category_error = ed.error("category".into());
    let origin_error = ed.error("origin_province_code".into());
    // Stars without an OCOP certificate are named at once, not only after "save".
    let ocop_error = {
        let error = ed.error("ocop_stars".into());
        Signal::derive(move || {
            error.get().or_else(|| {
                ed.live.with(|e| e.get("ocop_stars").cloned()).filter(|e| *e == FieldError::NeedsOcopCertificate)
            })
        })
    };
    let category = Memo::new(move |_| ed.draft.with(|d| d.category));
    let origin = Memo::new(move |_| ed.draft.with(|d| d.origin_province_code));
    let ocop = Memo::new(move |_| ed.draft.with(|d| d.ocop_stars));
    view! {
        <section class="editor-section" aria-labelledby="basics-title">
            <h2 id="basics-title">{t!(i18n, seller_basics)}</h2>
            <div class="editor-grid">
                <DraftText ed id="name-vi".into() field="name.vi".into() get=|d: &ProductDraft| d.name.vi.clone() set=|d: &mut ProductDraft, v: String| d.name.vi = v
                    required=true maxlength=120 lang="vi">
                    {t!(i18n, seller_name_vi)}
                </DraftText>
                <DraftText ed id="name-en".into() field="name.en".into() get=|d: &ProductDraft| d.name.en.clone() set=|d: &mut ProductDraft, v: String| d.name.en = v
                    maxlength=120 lang="en">
                    {t!(i18n, seller_name_en)}
                </DraftText>
                <div class="field">
                    <label for="category">{t!(i18n, category)}<span class="required" aria-hidden="true">" *"</span></label>
                    <select id="category" name="category" required aria-describedby="category-error"
                        aria-invalid=move || category_error.with(Option::is_some).to_string()
                        on:change=move |ev| {
                            let c = Category::from_code(&event_target_value(&ev));
                            ed.edit("category", |d| d.category = c);
                        }>
                        <option value="" selected=move || category.get().is_none()>{t!(i18n, seller_choose)}</option>
                        {Category::ALL.iter().map(|c| {
                            let c = *c;
                            view! { <option value=c.code() selected=move || category.get() == Some(c)>{move || c.name(lang())}</option> }
                        }).collect_view()}
                    </select>
                    <FieldMessage id="category-error" error=category_error/>
                </div>
                <DraftText ed id="brand".into() field="brand".into() get=|d: &ProductDraft| d.brand.clone() set=|d: &mut ProductDraft, v: String| d.brand = v maxlength=80
                    hint=move || t!(i18n, seller_brand_hint)>
                    {t!(i18n, brand)}
                </DraftText>
                <div class="field">
                    <label for="origin">{t!(i18n, seller_origin_province)}<span class="required" aria-hidden="true">" *"</span></label>
                    <select id="origin" name="origin" required aria-describedby="origin-error"
                        aria-invalid=move || origin_error.with(Option::is_some).to_string()
                        on:change=move |ev| {
                            let code = event_target_value(&ev).parse().unwrap_or(0);
                            ed.edit("origin_province_code", |d| d.origin_province_code = code);
                        }>
                        <option value="0" selected=move || origin.get() == 0>{t!(i18n, choose_province)}</option>
                        {geo::provinces_by_name().into_iter().map(|p| {
                            let code = p.code;
                            view! { <option value=code.to_string() selected=move || origin.get() == code>{p.short_name}</option> }
                        }).collect_view()}
                    </select>
                    <FieldMessage id="origin-error" error=origin_error/>
                </div>
                <div class="field">
                    <label for="ocop">{t!(i18n, seller_ocop_stars)}</label>
                    <select id="ocop" name="ocop" aria-describedby="ocop-error ocop-hint"
                        aria-invalid=move || ocop_error.with(Option::is_some).to_string()
                        on:change=move |ev| {
                            let stars = event_target_value(&ev).parse().unwrap_or(0);
                            ed.edit("ocop_stars", |d| d.ocop_stars = stars);
                        }>
                        <option value="0" selected=move || ocop.get() == 0>{t!(i18n, seller_ocop_none)}</option>
                        {[3u8, 4, 5].into_iter().map(|n| view! {
                            <option value=n.to_string() selected=move || ocop.get() == n>{t!(i18n, ocop_stars_only, count = n)}</option>
                        }).collect_view()}
                    </select>
                    <p id="ocop-hint" class="hint">{t!(i18n, seller_ocop_hint)}</p>
                    <FieldMessage id="ocop-error" error=ocop_error/>
                </div>
            </div>
        </section>
    }
}

#[component]
fn DescriptionSection(ed: Ed) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="editor-section" aria-labelledby="description-title">
            <h2 id="description-title">{t!(i18n, description)}</h2>
            <DraftText ed id="description-vi".into() field="description.vi".into() get=|d: &ProductDraft| d.description.vi.clone()
                set=|d: &mut ProductDraft, v: String| d.description.vi = v multiline=true maxlength=5000 lang="vi"
                hint=move || t!(i18n, seller_description_hint)>
                {t!(i18n, seller_description_vi)}
            </DraftText>
            <DraftText ed id="description-en".into() field="description.en".into() get=|d: &ProductDraft| d.description.en.clone()
                set=|d: &mut ProductDraft, v: String| d.description.en = v multiline=true maxlength=5000 lang="en">
                {t!(i18n, seller_description_en)}
            </DraftText>
        </section>
    }
}

/// Moves focus to the element `id` once it is drawn.
fn focus_later(id: String) {
    request_animation_frame(move || {
        if let Some(el) = document().get_element_by_id(&id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
        }
    });
}

#[component]
fn VariantsSection(ed: Ed) -> impl IntoView {
    let i18n = use_i18n();
    let count = Memo::new(move |_| ed.draft.with(|d| d.variants.len()));
    let list_error = ed.error("variants".into());
    let add = move |_| {
        let i = count.get_untracked();
        ed.edit("variants", |d| d.variants.push(VariantInput::default()));
        focus_later(format!("variant-{i}-label"));
    };
    view! {
        <section class="editor-section" aria-labelledby="variants-title">
            <h2 id="variants-title">{t!(i18n, pack_sizes)}</h2>
            <p class="hint">{t!(i18n, seller_variants_hint)}</p>
            <FieldMessage id="variants-error" error=list_error/>
            <ol class="editor-rows">
                {move || (0..count.get()).map(|i| view! { <VariantRow ed i/> }).collect_view()}
            </ol>
            <button type="button" class="button add-variant" on:click=add disabled={move || count.get() >= MAX_VARIANTS as usize}>
                {t!(i18n, seller_add_variant)}
            </button>
        </section>
    }
}

fn variant(d: &ProductDraft, i: usize) -> Option<&VariantInput> {
    d.variants.get(i)
}

fn variant_mut(d: &mut ProductDraft, i: usize) -> Option<&mut VariantInput> {
    d.variants.get_mut(i)
}

#[component]
fn VariantRow(ed: Ed, i: usize) -> impl IntoView {
    let i18n = use_i18n();
    let saved_before = ed.draft.with_untracked(|d| variant(d, i).is_some_and(|v| v.id.is_some()));
    let remove = move |_| {
        // A pack size already on sale goes away for buyers when saved: ask first.
        if saved_before
            && !window().confirm_with_message(t_string!(i18n, seller_confirm_remove_variant)).unwrap_or(false)
        {
            return;
        }
        ed.edit("variants", |d| {
            if i < d.variants.len() {
                d.variants.remove(i);
            }
        });
        focus_later(if i > 0 { format!("variant-{}-label", i - 1) } else { "variants-title".into() });
    };
    let field = move |f: &str| format!("variants.{i}.{f}");
    let id = move |f: &str| format!("variant-{i}-{f}");
    view! {
        <li class="editor-row variant-row">
            <div class="editor-row-head">
                <h3>{t!(i18n, seller_variant)}" "{i + 1}</h3>
                <button type="button" class="link-button remove-variant" on:click=remove
                    disabled=move || ed.draft.with(|d| d.variants.len() <= 1)
                    aria-label=move || format!("{} {}", t_string!(i18n, seller_remove_variant), i + 1)>
                    {t!(i18n, remove)}
                </button>
            </div>
            <div class="editor-grid">
                <DraftText ed id=id("label") field=field("label")
                    get=move |d: &ProductDraft| variant(d, i).map(|v| v.label.clone()).unwrap_or_default()
                    set=move |d: &mut ProductDraft, v: String| if let Some(x) = variant_mut(d, i) { x.label = v }
                    required=true maxlength=60 hint=move || t!(i18n, seller_variant_label_hint)>
                    {t!(i18n, seller_variant_label)}
                </DraftText>
                <DraftText ed id=id("unit") field=field("unit")
                    get=move |d: &ProductDraft| variant(d, i).map(|v| v.unit.clone()).unwrap_or_default()
                    set=move |d: &mut ProductDraft, v: String| if let Some(x) = variant_mut(d, i) { x.unit = v }
                    maxlength=20 hint=move || t!(i18n, seller_variant_unit_hint)>
                    {t!(i18n, seller_variant_unit)}
                </DraftText>
                <DraftNumber ed id=id("weight") field=field("net_weight_g") suffix="g"
                    get=move |d: &ProductDraft| variant(d, i).map(|v| v.net_weight_g).unwrap_or(0)
                    set=move |d: &mut ProductDraft, n: i64| if let Some(x) = variant_mut(d, i) { x.net_weight_g = n }>
                    {t!(i18n, seller_net_weight)}
                </DraftNumber>
                <DraftNumber ed id=id("price") field=field("price") suffix="₫" money=true required=true
                    get=move |d: &ProductDraft| variant(d, i).map(|v| v.price).unwrap_or(0)
                    set=move |d: &mut ProductDraft, n: i64| if let Some(x) = variant_mut(d, i) { x.price = n }>
                    {t!(i18n, seller_price)}
                </DraftNumber>
                <DraftNumber ed id=id("stock") field=field("stock") suffix="" required=true
                    get=move |d: &ProductDraft| variant(d, i).map(|v| v.stock).unwrap_or(0)
                    set=move |d: &mut ProductDraft, n: i64| if let Some(x) = variant_mut(d, i) { x.stock = n }>
                    {t!(i18n, seller_stock)}
                </DraftNumber>
                <GtinField ed i/>
            </div>
        </li>
    }
}

/// The GTIN of pack size `i`, checked as it is typed: a wrong check digit (or a letter)
/// shows at once; a wrong length once the person tries to save.
#[component]
fn GtinField(ed: Ed, i: usize) -> impl IntoView {
    let i18n = use_i18n();
    let field = format!("variants.{i}.gtin");
    let id = format!("variant-{i}-gtin");
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let value = Memo::new(move |_| ed.draft.with(|d| variant(d, i).map(|v| v.gtin.clone()).unwrap_or_default()));
    let checked = Memo::new(move |_| {
        let v = value.get();
        let t = v.trim();
        (!t.is_empty()).then(|| Gtin::parse(t))
    });
    let submitted = ed.error(field.clone());
    let error = Signal::derive(move || {
        if let Some(e) = submitted.get() {
            return Some(e);
        }
        match checked.get() {
            Some(Err(e)) => {
                let typing_error =
                    matches!(e, domain::gtin::GtinError::CheckDigit { .. } | domain::gtin::GtinError::NotDigits);
                (typing_error || ed.attempted.get()).then(|| e.into())
            }
            _ => None,
        }
    });
    let field = StoredValue::new(field);
    view! {
        <div class="field gtin-field">
            <label for=id.clone()>{t!(i18n, seller_gtin)}</label>
            <input id=id.clone() name=id type="text" inputmode="numeric" autocomplete="off" maxlength="14" class="mono"
                aria-invalid=move || error.with(Option::is_some).to_string()
                aria-describedby=format!("{error_id} {hint_id}")
                prop:value=move || value.get()
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    field.with_value(|f| ed.edit(f, |d| if let Some(x) = variant_mut(d, i) { x.gtin = v }));
                }/>
            <p id=hint_id class="hint">
                {move || match checked.get() {
                    Some(Ok(g)) => view! { <span class="ok-note">"✓ GTIN-14 "<span class="mono">{g.as_str().to_owned()}</span></span> }.into_any(),
                    _ => t!(i18n, seller_gtin_hint).into_any(),
                }}
            </p>
            <FieldMessage id=error_id error/>
        </div>
    }
}

#[component]
fn CertificationsSection(ed: Ed) -> impl IntoView {
    let i18n = use_i18n();
    let count = Memo::new(move |_| ed.draft.with(|d| d.certifications.len()));
    let add = move |_| {
        let i = count.get_untracked();
        ed.edit("certifications", |d| d.certifications.push(CertificationInput::default()));
        focus_later(format!("cert-{i}-kind"));
    };
    view! {
        <section class="editor-section" aria-labelledby="certs-title">
            <h2 id="certs-title">{t!(i18n, certifications)}</h2>
            <p class="hint">{t!(i18n, seller_certs_hint)}</p>
            <FieldMessage id="certifications-error" error=ed.error("certifications".into())/>
            {move || (count.get() == 0).then(|| view! { <p class="muted">{t!(i18n, seller_no_certs)}</p> })}
            <ol class="editor-rows">
                {move || (0..count.get()).map(|i| view! { <CertRow ed i/> }).collect_view()}
            </ol>
            <button type="button" class="button add-cert" on:click=add disabled={move || count.get() >= MAX_CERTIFICATIONS as usize}>
                {t!(i18n, seller_add_cert)}
            </button>
        </section>
    }
}

fn cert(d: &ProductDraft, i: usize) -> Option<&CertificationInput> {
    d.certifications.get(i)
}

fn cert_mut(d: &mut ProductDraft, i: usize) -> Option<&mut CertificationInput> {
    d.certifications.get_mut(i)
}

#[component]
fn CertRow(ed: Ed, i: usize) -> impl IntoView {
    let i18n = use_i18n();
    let expires = Memo::new(move |_| ed.draft.with(|d| cert(d, i).map(|c| c.expires_on.clone()).unwrap_or_default()));
    let today = today_vn();
    // Expired certificates may be kept (a renewal may be under way) but are flagged.
    let expired = Memo::new(move |_| {
        let e = expires.get();
        match (Date::parse(e.trim()), today.clone()) {
            (Some(d), Some(t)) => d < t,
            _ => false,
        }
    });
    let remove = move |_| {
        ed.edit("certifications", |d| {
            if i < d.certifications.len() {
                d.certifications.remove(i);
            }
        });
        focus_later(if i > 0 { format!("cert-{}-kind", i - 1) } else { "certs-title".into() });
    };
    view! {
        <li class="editor-row cert-row" class:expired=move || expired.get()>
            <div class="editor-row-head">
                <h3>
                    {t!(i18n, certification)}" "{i + 1}
                    {move || expired.get().then(|| view! { " "<span class="badge expired-badge">{t!(i18n, cert_expired)}</span> })}
                </h3>
                <button type="button" class="link-button" on:click=remove
                    aria-label=move || format!("{} {}", t_string!(i18n, seller_remove_cert), i + 1)>
                    {t!(i18n, remove)}
                </button>
            </div>
            <div class="editor-grid">
                <CertKindSelect ed i/>
                <DraftText ed id=format!("cert-{i}-number") field=format!("certifications.{i}.number")
                    get=move |d: &ProductDraft| cert(d, i).map(|c| c.number.clone()).unwrap_or_default()
                    set=move |d: &mut ProductDraft, v: String| if let Some(c) = cert_mut(d, i) { c.number = v }
                    required=true maxlength=60>
                    {t!(i18n, seller_cert_number)}
                </DraftText>
                <DraftText ed id=format!("cert-{i}-issuer") field=format!("certifications.{i}.issuer")
                    get=move |d: &ProductDraft| cert(d, i).map(|c| c.issuer.clone()).unwrap_or_default()
                    set=move |d: &mut ProductDraft, v: String| if let Some(c) = cert_mut(d, i) { c.issuer = v }
                    required=true maxlength=150>
                    {t!(i18n, cert_issuer)}
                </DraftText>
                <CertExpires ed i expires expired/>
            </div>
        </li>
    }
}

/// The kind of certificate `i` (VietGAP, OCOP, …).
#[component]
fn CertKindSelect(ed: Ed, i: usize) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let field = format!("certifications.{i}.kind");
    let error = ed.error(field.clone());
    let field = StoredValue::new(field);
    let kind = Memo::new(move |_| ed.draft.with(|d| cert(d, i).and_then(|c| c.kind)));
    view! {
        <div class="field">
            <label for=format!("cert-{i}-kind")>{t!(i18n, seller_cert_kind)}<span class="required" aria-hidden="true">" *"</span></label>
            <select id=format!("cert-{i}-kind") required aria-describedby=format!("cert-{i}-kind-error")
                aria-invalid=move || error.with(Option::is_some).to_string()
                on:change=move |ev| {
                    let k = CertKind::from_code(&event_target_value(&ev));
                    field.with_value(|f| ed.edit(f, |d| if let Some(c) = cert_mut(d, i) { c.kind = k }));
                }>
                <option value="" selected=move || kind.get().is_none()>{t!(i18n, seller_choose)}</option>
                {CertKind::ALL.iter().map(|k| {
                    let k = *k;
                    view! { <option value=k.code() selected=move || kind.get() == Some(k)>{move || k.name(lang())}</option> }
                }).collect_view()}
            </select>
            <FieldMessage id=format!("cert-{i}-kind-error") error/>
        </div>
    }
}

/// When certificate `i` expires (`expires`), flagged when it has (`expired`).
#[component]
fn CertExpires(ed: Ed, i: usize, expires: Memo<String>, expired: Memo<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let field = format!("certifications.{i}.expires_on");
    let error = ed.error(field.clone());
    let field = StoredValue::new(field);
    view! {
        <div class="field">
            <label for=format!("cert-{i}-expires")>{t!(i18n, cert_expires)}<span class="required" aria-hidden="true">" *"</span></label>
            <input id=format!("cert-{i}-expires") type="date" required
                aria-describedby=format!("cert-{i}-expires-error cert-{i}-expires-flag")
                aria-invalid=move || error.with(Option::is_some).to_string()
                prop:value=move || expires.get()
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    field.with_value(|f| ed.edit(f, |d| if let Some(c) = cert_mut(d, i) { c.expires_on = v }));
                }/>
            <p id=format!("cert-{i}-expires-flag") class="field-error expired-flag" hidden=move || !expired.get()>
                {t!(i18n, seller_cert_expired_note)}
            </p>
            <FieldMessage id=format!("cert-{i}-expires-error") error/>
        </div>
    }
}
