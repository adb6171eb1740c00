//! The cooperative's website editor (`/ban-hang/{coop}/ho-so`), for its admins: about
//! texts in both languages, specialties, founding year and members, contact (phone, email,
//! Zalo, Facebook), opening hours, address with coordinates, and the logo, banner and
//! gallery, each uploaded with a progress bar. Saved changes are live at once. The form
//! is checked with the domain's rules before it is sent; a refused save keeps every
//! field as typed, with the error next to it. Unsaved text is kept in localStorage as it
//! is typed and comes back, with a notice and a way to drop it, after a reload or a
//! lost tab.

use super::{SellerError, api, editor::RestoredNotice, use_seller};
use crate::{
    api::ApiError,
    components::{
        field_error::FieldMessage,
        form::{FormFailure, FormState, SubmitButton, TextArea, TextField},
    },
    i18n::{t, t_string, use_i18n},
    routes, storage,
    upload::Uploader,
};
use domain::{
    I18nText,
    account::MemberRole,
    catalog::Image,
    profile::{
        HOURS_MAX, MAX_GALLERY, ProfileDraft, ProfileImageKind, STORY_MAX, SUMMARY_MAX, SellerProfile, parse_coordinate,
    },
    validate::{Errors, FieldError},
};
use leptos::prelude::*;
use leptos_meta::Title;

const MAX_BYTES: f64 = domain::seller::MAX_UPLOAD_BYTES as f64;

#[component]
pub fn ProfilePage() -> impl IntoView {
    let i18n = use_i18n();
    let ctx = use_seller();
    let title = view! { <Title text=move || t_string!(i18n, profile_title)/> };
    if ctx.membership.role != MemberRole::Admin {
        return view! { {title} <p class="notice" role="alert">{t!(i18n, profile_admin_only)}</p> }.into_any();
    }
    let coop = StoredValue::new(ctx.slug());
    let loaded = LocalResource::new(move || async move { api::profile(&coop.get_value()).await });
    view! {
        {title}
        <h1>{t!(i18n, profile_title)}</h1>
        <p class="hint">{t!(i18n, profile_intro)}" "
            <a href=routes::cooperative(&coop.get_value())>{t!(i18n, profile_view_public)}</a>
        </p>
        {move || match loaded.get() {
            None => view! { <div class="skeleton-block" aria-hidden="true"></div> }.into_any(),
            Some(Err(error)) => view! { <SellerError error/> }.into_any(),
            Some(Ok(p)) => view! { <ProfileForm coop initial=p/> }.into_any(),
        }}
    }
    .into_any()
}

/// The form's fields, as typed.
#[derive(Clone, Copy)]
struct Fields {
    summary_vi: RwSignal<String>,
    summary_en: RwSignal<String>,
    story_vi: RwSignal<String>,
    story_en: RwSignal<String>,
    specialties: RwSignal<String>,
    founded: RwSignal<String>,
    members: RwSignal<String>,
    phone: RwSignal<String>,
    email: RwSignal<String>,
    zalo: RwSignal<String>,
    facebook: RwSignal<String>,
    hours_vi: RwSignal<String>,
    hours_en: RwSignal<String>,
    street: RwSignal<String>,
    latitude: RwSignal<String>,
    longitude: RwSignal<String>,
}

impl Fields {
    fn new(p: &ProfileDraft) -> Self {
        let s = |v: &str| RwSignal::new(v.to_owned());
        Fields {
            summary_vi: s(&p.summary.vi),
            summary_en: s(&p.summary.en),
            story_vi: s(&p.story.vi),
            story_en: s(&p.story.en),
            specialties: s(&p.specialties.join("\n")),
            founded: s(&p.founded_year.map(|y| y.to_string()).unwrap_or_default()),
            members: s(&p.member_count.to_string()),
            phone: s(&p.phone),
            email: s(&p.email),
            zalo: s(&p.zalo),
            facebook: s(&p.facebook),
            hours_vi: s(&p.hours.vi),
            hours_en: s(&p.hours.en),
            street: s(&p.street),
            latitude: s(&p.latitude.map(|v| v.to_string()).unwrap_or_default()),
            longitude: s(&p.longitude.map(|v| v.to_string()).unwrap_or_default()),
        }
    }

    /// Every field, in a fixed order: what localStorage keeps of unsaved changes.
    fn all(self) -> [RwSignal<String>; 16] {
        [
            self.summary_vi,
            self.summary_en,
            self.story_vi,
            self.story_en,
            self.specialties,
            self.founded,
            self.members,
            self.phone,
            self.email,
            self.zalo,
            self.facebook,
            self.hours_vi,
            self.hours_en,
            self.street,
            self.latitude,
            self.longitude,
        ]
    }

    /// The text of every field (tracked: an effect reading it runs again on each change).
    fn typed(self) -> Vec<String> {
        self.all().iter().map(|s| s.get()).collect()
    }

    fn typed_untracked(self) -> Vec<String> {
        self.all().iter().map(|s| s.get_untracked()).collect()
    }

    fn fill(self, text: &[String]) {
        for (field, text) in self.all().iter().zip(text) {
            field.set(text.clone());
        }
    }

    /// The draft, checked with the domain's rules (numbers read here first).
    fn draft(self, gallery: Vec<String>) -> Result<ProfileDraft, Errors> {
        let mut e = Errors::new();
        let mut number = |field: &str, text: String| -> Option<i64> {
            let t = text.trim().to_owned();
            if t.is_empty() {
                return None;
            }
            t.parse::<i64>().map_err(|_| e.add(field, FieldError::NotANumber)).ok()
        };
        let founded_year = number("founded_year", self.founded.get_untracked());
        let member_count = number("member_count", self.members.get_untracked()).unwrap_or(0);
        let mut coordinate =
            |field: &str, text: String| parse_coordinate(&text).map_err(|err| e.add(field, err)).ok().flatten();
        let latitude = coordinate("latitude", self.latitude.get_untracked());
        let longitude = coordinate("longitude", self.longitude.get_untracked());
        let draft = ProfileDraft {
            summary: I18nText { vi: self.summary_vi.get_untracked(), en: self.summary_en.get_untracked() },
            story: I18nText { vi: self.story_vi.get_untracked(), en: self.story_en.get_untracked() },
            specialties: self
                .specialties
                .get_untracked()
                .lines()
                .map(str::to_owned)
                .filter(|l| !l.trim().is_empty())
                .collect(),
            founded_year,
            member_count,
            phone: self.phone.get_untracked(),
            email: self.email.get_untracked(),
            zalo: self.zalo.get_untracked(),
            facebook: self.facebook.get_untracked(),
            hours: I18nText { vi: self.hours_vi.get_untracked(), en: self.hours_en.get_untracked() },
            street: self.street.get_untracked(),
            latitude,
            longitude,
            gallery,
        };
        let year = crate::time::today_vn().map_or(2100, |d| i64::from(d.year()));
        if let Err(more) = draft.validate(year) {
            for (k, v) in more.0 {
                e.add(k, v);
            }
        }
        e.into_result(draft)
    }
}

fn local_key(coop: &str) -> String {
    format!("chohtx.seller.profile.v1.{coop}")
}

#[component]
fn ProfileForm(coop: StoredValue<String>, initial: SellerProfile) -> impl IntoView {
    let i18n = use_i18n();
    let f = Fields::new(&initial.profile);
    // Unsaved text of an earlier visit comes back; every change is kept until it is saved.
    let key = StoredValue::new(local_key(&coop.get_value()));
    let baseline = StoredValue::new(f.typed_untracked());
    let restored = storage::load_draft::<Vec<String>>(&key.get_value())
        .filter(|l| l.draft.len() == f.all().len() && baseline.with_value(|b| *b != l.draft));
    if let Some(l) = &restored {
        f.fill(&l.draft);
    }
    let restored_at = RwSignal::new(restored.map(|l| l.at));
    Effect::new(move |_| {
        let text = f.typed();
        if baseline.with_value(|b| *b == text) {
            storage::remove(&key.get_value());
        } else {
            storage::save_draft(&key.get_value(), &text);
        }
    });
    let forget_local = move || {
        baseline.set_value(f.typed_untracked());
        restored_at.set(None);
        storage::remove(&key.get_value());
    };
    let discard = move || {
        f.fill(&baseline.get_value());
        forget_local();
    };
    let profile = RwSignal::new(initial);
    let form = FormState::new();
    let saved = RwSignal::new(false);
    let save = Action::new_local(move |draft: &ProfileDraft| {
        let (coop, draft) = (coop.get_value(), draft.clone());
        async move { api::save_profile(&coop, &draft).await }
    });
    form.on_answer(save, move |p: SellerProfile| {
        profile.set(p);
        saved.set(true);
        forget_local();
    });
    let on_submit = form.on_submit(save, move || {
        saved.set(false);
        f.draft(profile.with_untracked(|p| p.gallery.iter().map(|i| i.url.clone()).collect()))
    });
    let err = move |field: &'static str| form.error(field);
    view! {
        {move || profile.with(|p| p.hidden_reason.clone()).map(|reason| view! {
            <p class="notice" role="alert">{t!(i18n, profile_hidden_notice, reason = move || reason.clone())}</p>
        })}
        <RestoredNotice restored_at on_discard=discard/>
        <section class="section profile-pictures" aria-labelledby="profile-pictures">
            <h2 id="profile-pictures">{t!(i18n, profile_section_pictures)}</h2>
            <PicturePicker coop profile kind=ProfileImageKind::Logo/>
            <PicturePicker coop profile kind=ProfileImageKind::Banner/>
            <PicturePicker coop profile kind=ProfileImageKind::Gallery/>
        </section>
        <form class="seller-form profile-form" novalidate on:submit=on_submit>
            <fieldset>
                <legend>{t!(i18n, profile_section_texts)}</legend>
                <TextArea id="profile-summary-vi" name="summary_vi" value=f.summary_vi error=err("summary.vi") rows=2 maxlength=SUMMARY_MAX>
                    {t!(i18n, profile_summary_vi)}
                </TextArea>
                <TextArea id="profile-summary-en" name="summary_en" value=f.summary_en error=err("summary.en") rows=2 maxlength=SUMMARY_MAX>
                    {t!(i18n, profile_summary_en)}
                </TextArea>
                <TextArea id="profile-story-vi" name="story_vi" value=f.story_vi error=err("story.vi") rows=8 required=true maxlength=STORY_MAX>
                    {t!(i18n, profile_story_vi)}<span class="required" aria-hidden="true">" *"</span>
                </TextArea>
                <TextArea id="profile-story-en" name="story_en" value=f.story_en error=err("story.en") rows=8 maxlength=STORY_MAX>
                    {t!(i18n, profile_story_en)}
                </TextArea>
                <TextArea id="profile-specialties" name="specialties" value=f.specialties rows=3
                    error=Signal::derive(move || form.errors.with(|e| e.0.iter().find(|(k, _)| k.starts_with("specialties")).map(|(_, v)| v.clone())))>
                    {t!(i18n, profile_specialties)}
                </TextArea>
                <TextField id="profile-founded" value=f.founded error=err("founded_year") inputmode="numeric">{t!(i18n, profile_founded)}</TextField>
                <TextField id="profile-members" value=f.members error=err("member_count") inputmode="numeric">{t!(i18n, profile_members)}</TextField>
            </fieldset>
            <fieldset>
                <legend>{t!(i18n, profile_section_contact)}</legend>
                <TextField id="profile-phone" value=f.phone error=err("phone") kind="tel" autocomplete="tel" required=true>
                    {t!(i18n, profile_phone)}<span class="required" aria-hidden="true">" *"</span>
                </TextField>
                <TextField id="profile-email" value=f.email error=err("email") kind="email" autocomplete="email">{t!(i18n, profile_email)}</TextField>
                <TextField id="profile-zalo" value=f.zalo error=err("zalo") kind="tel">{t!(i18n, profile_zalo)}</TextField>
                <TextField id="profile-facebook" value=f.facebook error=err("facebook") kind="url" placeholder="https://www.facebook.com/…">
                    {t!(i18n, profile_facebook)}
                </TextField>
                <TextField id="profile-hours-vi" value=f.hours_vi error=err("hours.vi") maxlength=HOURS_MAX>{t!(i18n, profile_hours_vi)}</TextField>
                <TextField id="profile-hours-en" value=f.hours_en error=err("hours.en") maxlength=HOURS_MAX>{t!(i18n, profile_hours_en)}</TextField>
            </fieldset>
            <fieldset>
                <legend>{t!(i18n, profile_section_place)}</legend>
                <TextField id="profile-street" value=f.street error=err("street") required=true>
                    {t!(i18n, profile_street)}<span class="required" aria-hidden="true">" *"</span>
                </TextField>
                <p id="profile-coordinates-hint" class="hint">{t!(i18n, profile_coordinates_hint)}</p>
                <TextField id="profile-latitude" value=f.latitude error=err("latitude") inputmode="decimal">{t!(i18n, profile_latitude)}</TextField>
                <TextField id="profile-longitude" value=f.longitude error=err("longitude") inputmode="decimal">{t!(i18n, profile_longitude)}</TextField>
            </fieldset>
            <FieldMessage id="profile-gallery-error" error=err("gallery")/>
            <FormFailure failure=form.failure/>
            {move || saved.get().then(|| view! { <p class="ok-note" role="status">{t!(i18n, profile_saved)}</p> })}
            <div class="form-actions">
                <SubmitButton pending=save.pending() label=Signal::derive(move || t_string!(i18n, profile_save))
                    busy_label=Signal::derive(move || t_string!(i18n, saving))/>
            </div>
        </form>
    }
}

/// One picture of the profile (logo, banner) or the gallery: what is there now, a file
/// picker (and for the gallery a description), and the upload with its progress.
#[component]
fn PicturePicker(coop: StoredValue<String>, profile: RwSignal<SellerProfile>, kind: ProfileImageKind) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("profile-{}-file", kind.code());
    let alt_id = format!("profile-{}-alt", kind.code());
    let file_input = NodeRef::<leptos::html::Input>::new();
    let alt = RwSignal::new(String::new());
    let errors = RwSignal::new(Errors::new());
    let file_error = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);
    let uploader = Uploader::new();
    let progress = uploader.progress;
    let done = RwSignal::new(false);
    let gallery = kind == ProfileImageKind::Gallery;
    let start = move |_| {
        done.set(false);
        failure.set(None);
        let mut e = Errors::new();
        if gallery && alt.get_untracked().trim().is_empty() {
            e.add("alt.vi", FieldError::Required);
        }
        let file = file_input.get_untracked().and_then(|i| i.files()).and_then(|f| f.get(0));
        if gallery && profile.with_untracked(|p| p.gallery.len() >= MAX_GALLERY as usize) {
            e.add("gallery", FieldError::TooMany { max: MAX_GALLERY });
        }
        file_error.set(file.as_ref().is_none_or(|f| f.size() > MAX_BYTES));
        let bad = !e.is_empty() || file_error.get_untracked();
        errors.set(e);
        let Some(file) = file.filter(|_| !bad) else { return };
        let url = api::profile_upload_url(&coop.get_value(), kind, &alt.get_untracked());
        uploader.start(&url, &file, move |result: Result<SellerProfile, ApiError>| match result {
            Ok(p) => {
                // The pictures are new; the form's other fields stay as typed.
                profile.update(|old| {
                    old.logo = p.logo;
                    old.banner = p.banner;
                    old.gallery = p.gallery;
                });
                alt.set(String::new());
                if let Some(input) = file_input.get_untracked() {
                    input.set_value("");
                }
                done.set(true);
            }
            Err(e) => {
                errors.set(e.fields());
                failure.set(Some(e));
            }
        });
    };
    let title = move || match kind {
        ProfileImageKind::Logo => t_string!(i18n, profile_logo),
        ProfileImageKind::Banner => t_string!(i18n, profile_banner),
        ProfileImageKind::Gallery => t_string!(i18n, profile_gallery),
    };
    let shown = move || -> Vec<Image> {
        profile.with(|p| match kind {
            ProfileImageKind::Logo => p.logo.iter().cloned().collect(),
            ProfileImageKind::Banner => p.banner.iter().cloned().collect(),
            ProfileImageKind::Gallery => p.gallery.clone(),
        })
    };
    let percent = move || uploader.percent();
    let alt_error = Signal::derive(move || errors.with(|e| e.get("alt.vi").cloned()));
    let count_error = Signal::derive(move || errors.with(|e| e.get("gallery").cloned()));
    let group_id = format!("profile-{}-title", kind.code());
    let group_for = group_id.clone();
    let (file_id, file_for, progress_id) = (id.clone(), id.clone(), format!("{id}-progress"));
    let progress_for = progress_id.clone();
    let file_error_id = format!("{id}-error");
    let file_error_for = file_error_id.clone();
    view! {
        <div class="upload-form profile-picture" role="group" aria-labelledby=group_for data-kind=kind.code()>
            <h3 id=group_id>{title}</h3>
            {move || {
                let images = shown();
                if images.is_empty() {
                    view! { <p class="muted">{t!(i18n, profile_no_picture)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="profile-thumbs">
                            {images.into_iter().map(|img| {
                                let url = img.url.clone();
                                view! {
                                    <li>
                                        <img src=img.url.clone() alt=img.alt.vi.clone() width=img.width height=img.height/>
                                        {gallery.then(|| view! {
                                            <button type="button" class="button button-small seller-button-danger-outline"
                                                on:click=move |_| profile.update(|p| p.gallery.retain(|g| g.url != url))>
                                                {t!(i18n, profile_remove_photo)}
                                            </button>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
            <div class="field">
                <label for=file_for>{t!(i18n, seller_choose_image)}</label>
                <input id=file_id type="file" accept="image/jpeg,image/png,image/webp" node_ref=file_input
                    aria-describedby=file_error_for
                    aria-invalid=move || file_error.get().to_string()
                    disabled=move || uploader.uploading()
                    on:change=move |_| file_error.set(false)/>
                <p id=file_error_id class="field-error" hidden=move || !file_error.get()>{t!(i18n, seller_choose_image_first)}</p>
            </div>
            {gallery.then(|| {
                let (alt_for, alt_input, alt_err) = (alt_id.clone(), alt_id.clone(), format!("{alt_id}-error"));
                let alt_err_for = alt_err.clone();
                view! {
                    <div class="field">
                        <label for=alt_for>{t!(i18n, profile_gallery_alt)}</label>
                        <input id=alt_input type="text" maxlength="200" autocomplete="off"
                            aria-invalid=move || alt_error.with(Option::is_some).to_string()
                            aria-describedby=alt_err_for
                            prop:value=move || alt.get() on:input=move |ev| alt.set(event_target_value(&ev))/>
                        <FieldMessage id=alt_err error=alt_error/>
                    </div>
                }
            })}
            <FieldMessage id=format!("profile-{}-count-error", kind.code()) error=count_error/>
            {move || failure.get().map(|error| view! { <SellerError error/> })}
            {move || progress.get().map(|_| {
                let (bar_for, bar_id) = (progress_for.clone(), progress_id.clone());
                view! {
                    <div class="upload-progress" role="status">
                        <label for=bar_for>{t!(i18n, profile_uploading, percent = percent)}</label>
                        <progress id=bar_id max="100" value=percent>{percent}"%"</progress>
                    </div>
                }
            })}
            {move || done.get().then(|| view! { <p class="ok-note" role="status">{t!(i18n, profile_uploaded)}</p> })}
            <button type="button" class="button upload-button" disabled=move || uploader.uploading() on:click=start>
                {t!(i18n, profile_upload)}
            </button>
        </div>
    }
}
