//! The editor's photos: upload with a progress bar (alt text first: screen readers read
//! it), the list in display order with up/down buttons, alt text edits, and removal.
//! Photos need a saved product, so a new one is saved as a draft first.

use super::{SellerError, api};
use crate::{
    api::ApiError,
    components::field_error::FieldMessage,
    i18n::{t, t_string, use_i18n},
    upload::Uploader,
    use_lang,
};
use domain::{
    I18nText,
    seller::{ImageAlt, MAX_IMAGES, SellerImage},
    validate::{Errors, FieldError},
};
use leptos::{ev, prelude::*};
use wasm_bindgen::JsCast;

/// The server's upload limit (`domain::seller::MAX_UPLOAD_BYTES`) as `File.size` reads it:
/// bigger files are refused before sending.
const MAX_BYTES: f64 = domain::seller::MAX_UPLOAD_BYTES as f64;

fn focus_id(id: String) {
    request_animation_frame(move || {
        if let Some(el) = document().get_element_by_id(&id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
        }
    });
}

#[component]
pub fn ImageManager(
    coop: StoredValue<String>,
    slug: Signal<Option<String>>,
    images: RwSignal<Vec<SellerImage>>,
    /// The editor's server errors (`images.0.alt.vi` after a refused submit).
    errors: RwSignal<Errors>,
    /// A new product has no address for photos yet: this saves it first (its page then
    /// opens at the photos).
    on_save_first: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    // Opened at the photos (a new product was just saved for them): the file picker is next.
    if window().location().hash().is_ok_and(|h| h == "#anh") {
        request_animation_frame(|| focus_id("upload-file".into()));
    }
    // "Add a photo" is answered by the first upload.
    Effect::new(move || {
        if !images.with(Vec::is_empty) && errors.with_untracked(|e| e.get("images").is_some()) {
            errors.update(|e| {
                e.0.remove("images");
            });
        }
    });
    move || {
        match slug.get() {
        None => view! {
            <div class="notice images-need-draft">
                <p>{t!(i18n, seller_images_need_draft)}</p>
                <button type="button" class="button button-primary save-for-photos" on:click=move |_| on_save_first.run(())>
                    {t!(i18n, seller_save_for_photos)}
                </button>
            </div>
        }.into_any(),
        Some(slug) => {
            let slug = StoredValue::new(slug);
            view! {
                <p class="hint">{t!(i18n, seller_images_hint)}</p>
                <FieldMessage id="images-error" error=Signal::derive(move || errors.with(|e| e.get("images").cloned()))/>
                <ImageList coop slug images errors/>
                <UploadForm coop slug images/>
            }
            .into_any()
        }
    }
    }
}

#[component]
fn ImageList(
    coop: StoredValue<String>,
    slug: StoredValue<String>,
    images: RwSignal<Vec<SellerImage>>,
    errors: RwSignal<Errors>,
) -> impl IntoView {
    let i18n = use_i18n();
    let failure = RwSignal::new(None::<ApiError>);
    let reorder = Action::new_local(move |ids: &Vec<i64>| {
        let (coop, slug, ids) = (coop.get_value(), slug.get_value(), ids.clone());
        async move { api::reorder_images(&coop, &slug, ids).await }
    });
    // Moved at once on screen; put back if the server refuses.
    let before_move = StoredValue::new(Vec::<SellerImage>::new());
    Effect::new(move |_| {
        if let Some(result) = reorder.value().get() {
            untrack(|| match result {
                Ok(list) => {
                    failure.set(None);
                    images.set(list);
                }
                Err(e) => {
                    images.set(before_move.get_value());
                    failure.set(Some(e));
                }
            });
        }
    });
    let move_image = Callback::new(move |(id, up): (i64, bool)| {
        let list = images.get_untracked();
        let Some(i) = list.iter().position(|x| x.id == id) else { return };
        let j = if up { i.checked_sub(1) } else { (i + 1 < list.len()).then_some(i + 1) };
        let Some(j) = j else { return };
        before_move.set_value(list.clone());
        let mut moved = list;
        moved.swap(i, j);
        let ids = moved.iter().map(|x| x.id).collect();
        images.set(moved);
        // Errors named by position (`images.0.alt.vi`) no longer point at the same photos.
        errors.update(|e| e.0.retain(|k, _| !k.starts_with("images.")));
        reorder.dispatch(ids);
        // The moved photo keeps the focus, on the same button when it can still be used.
        let now_first = j == 0;
        let now_last = j + 1 == images.with_untracked(Vec::len);
        let button = if (up && !now_first) || (!up && now_last) { "up" } else { "down" };
        focus_id(format!("image-{id}-{button}"));
    });
    let removed = Callback::new(move |id: i64| {
        images.update(|l| l.retain(|x| x.id != id));
        errors.update(|e| e.0.retain(|k, _| !k.starts_with("images.")));
    });
    view! {
        {move || failure.get().map(|error| view! { <SellerError error/> })}
        <Show when=move || !images.with(Vec::is_empty) fallback=move || view! { <p class="muted">{t!(i18n, seller_no_images)}</p> }>
            <ol class="image-list" aria-label=move || t_string!(i18n, seller_images)>
                <For each=move || images.get() key=|img| img.id let:img>
                    <ImageRow coop slug image=img images errors move_image removed/>
                </For>
            </ol>
        </Show>
    }
}

#[component]
fn ImageRow(
    coop: StoredValue<String>,
    slug: StoredValue<String>,
    image: SellerImage,
    images: RwSignal<Vec<SellerImage>>,
    errors: RwSignal<Errors>,
    move_image: Callback<(i64, bool)>,
    removed: Callback<i64>,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let id = image.id;
    let index = Memo::new(move |_| images.with(|l| l.iter().position(|x| x.id == id).unwrap_or(0)));
    let count = Memo::new(move |_| images.with(Vec::len));
    let alt_vi = RwSignal::new(image.image.alt.vi.clone());
    let alt_en = RwSignal::new(image.image.alt.en.clone());
    let stored = RwSignal::new(image.image.alt.clone());
    let changed = move || stored.with(|s| s.vi != alt_vi.get() || s.en != alt_en.get());
    let local_errors = RwSignal::new(Errors::new());
    let failure = RwSignal::new(None::<ApiError>);
    let saved_note = RwSignal::new(false);
    let vi_error = Signal::derive(move || {
        local_errors
            .with(|e| e.get("alt.vi").cloned())
            .or_else(|| errors.with(|e| e.get(&format!("images.{}.alt.vi", index.get())).cloned()))
    });
    let en_error = Signal::derive(move || local_errors.with(|e| e.get("alt.en").cloned()));
    let save_alt = Action::new_local(move |alt: &I18nText| {
        let (coop, slug, alt) = (coop.get_value(), slug.get_value(), alt.clone());
        async move { api::set_alt(&coop, &slug, id, &ImageAlt { alt }).await }
    });
    Effect::new(move |_| {
        if let Some(result) = save_alt.value().get() {
            untrack(|| match result {
                Ok(img) => {
                    stored.set(img.image.alt.clone());
                    local_errors.set(Errors::new());
                    failure.set(None);
                    saved_note.set(true);
                    let i = index.get_untracked();
                    errors.update(|e| {
                        e.0.remove(&format!("images.{i}.alt.vi"));
                    });
                    images.update(|l| {
                        if let Some(x) = l.iter_mut().find(|x| x.id == id) {
                            x.image.alt = img.image.alt;
                        }
                    });
                }
                Err(e) => {
                    local_errors.set(e.fields());
                    failure.set(Some(e));
                }
            });
        }
    });
    let on_save_alt = move |_| {
        saved_note.set(false);
        let alt = I18nText { vi: alt_vi.get_untracked(), en: alt_en.get_untracked() };
        if alt.vi.trim().is_empty() {
            let mut e = Errors::new();
            e.add("alt.vi", FieldError::Required);
            local_errors.set(e);
            focus_id(format!("image-{id}-alt-vi"));
            return;
        }
        save_alt.dispatch(alt);
    };
    let remove = Action::new_local(move |_: &()| {
        let (coop, slug) = (coop.get_value(), slug.get_value());
        async move { api::delete_image(&coop, &slug, id).await }
    });
    Effect::new(move |_| {
        if let Some(result) = remove.value().get() {
            untrack(|| match result {
                Ok(()) | Err(ApiError::Http { status: 404, .. }) => removed.run(id),
                Err(e) => failure.set(Some(e)),
            });
        }
    });
    let on_remove = move |_| {
        if window().confirm_with_message(t_string!(i18n, seller_confirm_remove_image)).unwrap_or(false) {
            remove.dispatch(());
        }
    };
    let position = move || index.get() + 1;
    let img = image.image.clone();
    let srcset = img.srcset();
    let alt_for_img = move || stored.with(|a| a.get(lang()).to_owned());
    // Enter in an alt field saves that alt text, not the whole product form.
    let on_enter = move |ev: ev::KeyboardEvent| {
        if ev.key() == "Enter" {
            ev.prevent_default();
            on_save_alt(());
        }
    };
    view! {
        <li class="image-item">
            <img class="image-thumb" src=img.url.clone() srcset=srcset sizes="(min-width: 760px) 160px, 96px"
                alt=alt_for_img width=img.width height=img.height loading="lazy"/>
            <div class="image-body">
                <p class="image-position">
                    <strong>{t!(i18n, seller_image)}" "{position}</strong>
                    {move || (index.get() == 0).then(|| view! { " "<span class="badge">{t!(i18n, seller_main_image)}</span> })}
                </p>
                <div class="field">
                    <label for=format!("image-{id}-alt-vi")>{t!(i18n, seller_alt_vi)}<span class="required" aria-hidden="true">" *"</span></label>
                    <input id=format!("image-{id}-alt-vi") type="text" lang="vi" maxlength="200" autocomplete="off" required
                        aria-invalid=move || vi_error.with(Option::is_some).to_string()
                        aria-describedby=format!("image-{id}-alt-vi-error")
                        prop:value=move || alt_vi.get()
                        on:input=move |ev| { alt_vi.set(event_target_value(&ev)); saved_note.set(false); }
                        on:keydown=on_enter/>
                    <FieldMessage id=format!("image-{id}-alt-vi-error") error=vi_error/>
                </div>
                <div class="field">
                    <label for=format!("image-{id}-alt-en")>{t!(i18n, seller_alt_en)}</label>
                    <input id=format!("image-{id}-alt-en") type="text" lang="en" maxlength="200" autocomplete="off"
                        aria-invalid=move || en_error.with(Option::is_some).to_string()
                        aria-describedby=format!("image-{id}-alt-en-error")
                        prop:value=move || alt_en.get()
                        on:input=move |ev| { alt_en.set(event_target_value(&ev)); saved_note.set(false); }
                        on:keydown=on_enter/>
                    <FieldMessage id=format!("image-{id}-alt-en-error") error=en_error/>
                </div>
                {move || failure.get().map(|error| view! { <SellerError error/> })}
                <div class="image-actions">
                    <button type="button" class="button button-small" disabled=move || !changed() || save_alt.pending().get()
                        on:click=move |_| on_save_alt(())>
                        {move || if save_alt.pending().get() { t_string!(i18n, saving) } else { t_string!(i18n, seller_save_alt) }}
                    </button>
                    {move || saved_note.get().then(|| view! { <span class="ok-note" role="status">{t!(i18n, seller_saved)}</span> })}
                    <span class="image-move">
                        <button type="button" class="seller-icon-button" id=format!("image-{id}-up")
                            disabled=move || index.get() == 0
                            aria-label=move || format!("{} {}", t_string!(i18n, seller_move_image_up), position())
                            on:click=move |_| move_image.run((id, true))>"↑"</button>
                        <button type="button" class="seller-icon-button" id=format!("image-{id}-down")
                            disabled={move || index.get() + 1 >= count.get()}
                            aria-label=move || format!("{} {}", t_string!(i18n, seller_move_image_down), position())
                            on:click=move |_| move_image.run((id, false))>"↓"</button>
                    </span>
                    <button type="button" class="button button-small seller-button-danger-outline" disabled=move || remove.pending().get()
                        aria-label=move || format!("{} {}", t_string!(i18n, seller_remove_image), position())
                        on:click=on_remove>
                        {t!(i18n, remove)}
                    </button>
                </div>
            </div>
        </li>
    }
}

#[component]
fn UploadForm(
    coop: StoredValue<String>,
    slug: StoredValue<String>,
    images: RwSignal<Vec<SellerImage>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let file_input = NodeRef::<leptos::html::Input>::new();
    let file_name = RwSignal::new(None::<String>);
    let alt_vi = RwSignal::new(String::new());
    let alt_en = RwSignal::new(String::new());
    let errors = RwSignal::new(Errors::new());
    let file_error = RwSignal::new(None::<&'static str>);
    let failure = RwSignal::new(None::<ApiError>);
    let uploader = Uploader::new();
    let progress = uploader.progress;
    let done_note = RwSignal::new(false);
    let full = move || images.with(|l| l.len() >= MAX_IMAGES as usize);
    let uploading = move || uploader.uploading();

    let start = move || {
        done_note.set(false);
        failure.set(None);
        file_error.set(None);
        let mut e = Errors::new();
        if alt_vi.get_untracked().trim().is_empty() {
            e.add("alt.vi", FieldError::Required);
        }
        let file = file_input.get_untracked().and_then(|i| i.files()).and_then(|f| f.get(0));
        match &file {
            None => file_error.set(Some("none")),
            Some(f) if f.size() > MAX_BYTES => file_error.set(Some("too_big")),
            Some(_) => {}
        }
        let has_error = !e.is_empty() || file_error.get_untracked().is_some();
        errors.set(e);
        if has_error {
            focus_id(if file_error.get_untracked().is_some() { "upload-file".into() } else { "upload-alt-vi".into() });
            return;
        }
        let Some(file) = file else { return };
        let url =
            api::upload_url(&coop.get_value(), &slug.get_value(), &alt_vi.get_untracked(), &alt_en.get_untracked());
        uploader.start(&url, &file, move |result: Result<SellerImage, ApiError>| match result {
            Ok(img) => {
                images.update(|l| l.push(img));
                alt_vi.set(String::new());
                alt_en.set(String::new());
                file_name.set(None);
                if let Some(input) = file_input.get_untracked() {
                    input.set_value("");
                }
                done_note.set(true);
            }
            Err(e) => {
                errors.set(e.fields());
                failure.set(Some(e));
            }
        });
    };
    let cancel = move |_| uploader.cancel();
    let percent = move || uploader.percent();
    let alt_error = Signal::derive(move || errors.with(|e| e.get("alt.vi").or_else(|| e.get("alt")).cloned()));
    let alt_en_error = Signal::derive(move || errors.with(|e| e.get("alt.en").cloned()));
    let count_error = Signal::derive(move || errors.with(|e| e.get("images").cloned()));
    let on_enter = move |ev: ev::KeyboardEvent| {
        if ev.key() == "Enter" {
            ev.prevent_default();
            start();
        }
    };
    view! {
        <div class="upload-form" role="group" aria-labelledby="upload-title">
            <h3 id="upload-title">{t!(i18n, seller_add_image)}</h3>
            <Show when=move || !full() fallback=move || view! { <p class="muted">{t!(i18n, seller_images_full, max = MAX_IMAGES)}</p> }>
                <div class="field">
                    <label for="upload-file">{t!(i18n, seller_choose_image)}</label>
                    <input id="upload-file" type="file" accept="image/jpeg,image/png,image/webp" node_ref=file_input
                        aria-describedby="upload-file-hint upload-file-error"
                        aria-invalid=move || file_error.with(Option::is_some).to_string()
                        disabled=uploading
                        on:change=move |_| {
                            file_error.set(None);
                            done_note.set(false);
                            let f = file_input.get_untracked().and_then(|i| i.files()).and_then(|f| f.get(0));
                            if f.as_ref().is_some_and(|f| f.size() > MAX_BYTES) {
                                file_error.set(Some("too_big"));
                            }
                            file_name.set(f.map(|f| f.name()));
                        }/>
                    <p id="upload-file-hint" class="hint">{t!(i18n, seller_image_rules)}</p>
                    <p id="upload-file-error" class="field-error" hidden=move || file_error.with(Option::is_none)>
                        {move || match file_error.get() {
                            Some("too_big") => t_string!(i18n, seller_upload_error_too_big),
                            _ => t_string!(i18n, seller_choose_image_first),
                        }}
                    </p>
                </div>
                <div class="field">
                    <label for="upload-alt-vi">{t!(i18n, seller_alt_vi)}<span class="required" aria-hidden="true">" *"</span></label>
                    <input id="upload-alt-vi" type="text" lang="vi" maxlength="200" autocomplete="off" required disabled=uploading
                        aria-invalid=move || alt_error.with(Option::is_some).to_string()
                        aria-describedby="upload-alt-vi-hint upload-alt-vi-error"
                        prop:value=move || alt_vi.get()
                        on:input=move |ev| {
                            alt_vi.set(event_target_value(&ev));
                            errors.update(|e| { e.0.remove("alt.vi"); });
                        }
                        on:keydown=on_enter/>
                    <p id="upload-alt-vi-hint" class="hint">{t!(i18n, seller_alt_hint)}</p>
                    <FieldMessage id="upload-alt-vi-error" error=alt_error/>
                </div>
                <div class="field">
                    <label for="upload-alt-en">{t!(i18n, seller_alt_en)}</label>
                    <input id="upload-alt-en" type="text" lang="en" maxlength="200" autocomplete="off" disabled=uploading
                        aria-invalid=move || alt_en_error.with(Option::is_some).to_string()
                        aria-describedby="upload-alt-en-error"
                        prop:value=move || alt_en.get()
                        on:input=move |ev| alt_en.set(event_target_value(&ev))
                        on:keydown=on_enter/>
                    <FieldMessage id="upload-alt-en-error" error=alt_en_error/>
                </div>
                <FieldMessage id="upload-count-error" error=count_error/>
                {move || failure.get().map(|error| view! { <SellerError error/> })}
                {move || progress.get().map(|fraction| {
                    let processing = fraction >= 1.0;
                    view! {
                        <div class="upload-progress" role="status">
                            <label for="upload-progress-bar">
                                {move || if processing { t_string!(i18n, seller_upload_processing) } else { t_string!(i18n, seller_uploading) }}
                                " "{file_name.get()}
                            </label>
                            <div class="upload-progress-row">
                                <progress id="upload-progress-bar" max="100" value=percent>{percent}"%"</progress>
                                <span class="upload-percent" aria-hidden="true">{percent}"%"</span>
                            </div>
                        </div>
                    }
                })}
                {move || done_note.get().then(|| view! { <p class="ok-note" role="status">{t!(i18n, seller_image_uploaded)}</p> })}
                <div class="form-actions">
                    <button type="button" class="button button-primary upload-button" disabled=uploading on:click=move |_| start()>
                        {t!(i18n, seller_upload)}
                    </button>
                    {move || uploading().then(|| view! {
                        <button type="button" class="button" on:click=cancel>{t!(i18n, seller_cancel_upload)}</button>
                    })}
                </div>
            </Show>
        </div>
    }
}
