//! The form that adds an event to a lot's timeline (events are only ever appended).

use crate::{
    components::{
        field_error::FieldMessage,
        form::{FormFailure, FormState, SubmitButton, TextArea, TextField},
    },
    i18n::{t, t_string, use_i18n},
    pages::seller::{SellerError, api},
    time::now_vn,
    upload::Uploader,
    use_lang,
};
use domain::{
    trace::{EventKind, EventPhoto, EventRequest, LotEvent, MAX_PHOTOS},
    validate::{Errors, FieldError},
};
use leptos::prelude::*;

/// The event form's state: what is typed, the last try, the kind of event added last
/// (all signals: `Copy`).
#[derive(Clone, Copy)]
struct EventFields {
    kind: RwSignal<String>,
    at: RwSignal<String>,
    place: RwSignal<String>,
    location_code: RwSignal<String>,
    actor: RwSignal<String>,
    note: RwSignal<String>,
    photos: RwSignal<String>,
    form: FormState,
    added: RwSignal<Option<EventKind>>,
    /// The earlier event this one corrects, while correcting.
    correcting: RwSignal<Option<LotEvent>>,
}

impl EventFields {
    /// A new event: now, on the lot's plot.
    fn new(plot: String, correcting: RwSignal<Option<LotEvent>>) -> Self {
        Self {
            kind: RwSignal::new(String::new()),
            at: RwSignal::new(now_vn().input_value().to_owned()),
            place: RwSignal::new(String::new()),
            location_code: RwSignal::new(plot),
            actor: RwSignal::new(String::new()),
            note: RwSignal::new(String::new()),
            photos: RwSignal::new(String::new()),
            form: FormState::new(),
            added: RwSignal::new(None),
            correcting,
        }
    }

    /// Starts a correction: every field as the earlier event has it, to be fixed.
    fn fill_from(self, e: &LotEvent) {
        self.kind.set(e.kind.code().to_owned());
        self.at.set(e.at.input_value().to_owned());
        self.place.set(e.place.clone());
        self.location_code.set(e.location_code.clone());
        self.actor.set(e.actor.clone());
        self.note.set(e.note.clone());
        self.photos.set(e.photos.join("\n"));
        self.form.errors.set(Errors::new());
        self.added.set(None);
    }

    /// The request as typed, if it passes the server's own rules.
    fn checked(self) -> Result<EventRequest, Errors> {
        let request = EventRequest {
            kind: EventKind::from_code(&self.kind.get_untracked()),
            at: self.at.get_untracked(),
            place: self.place.get_untracked(),
            location_code: self.location_code.get_untracked(),
            actor: self.actor.get_untracked(),
            note: self.note.get_untracked(),
            photos: self.photos.get_untracked().lines().map(str::to_owned).collect(),
            corrects: self.correcting.get_untracked().map(|e| e.id),
        };
        self.added.set(None);
        request.validate(&now_vn())?;
        Ok(request)
    }

    /// After an event is added: the next one is likely at the same place, by the same people.
    fn added(self, kind: EventKind) {
        self.added.set(Some(kind));
        self.correcting.set(None);
        self.kind.set(String::new());
        self.note.set(String::new());
        self.photos.set(String::new());
    }

    /// The error of the photo list or of any one photo (`photos.2`).
    fn photos_error(self) -> Signal<Option<FieldError>> {
        let errors = self.form.errors;
        Signal::derive(move || {
            errors.with(|e| e.0.iter().find(|(k, _)| k.starts_with("photos")).map(|(_, v)| v.clone()))
        })
    }
}

#[component]
pub(super) fn EventForm(
    coop: String,
    lot_id: i64,
    plot: String,
    /// Set by "correct this event" in the timeline: the form fills in with it.
    correcting: RwSignal<Option<LotEvent>>,
    #[prop(into)] on_added: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let coop = StoredValue::new(coop);
    let event = EventFields::new(plot, correcting);
    // A correction fills every field in; the location code gets the focus with its text
    // selected, so typing replaces it instead of appending to it.
    Effect::new(move |_| {
        if let Some(e) = correcting.get() {
            event.fill_from(&e);
            request_animation_frame(|| {
                use wasm_bindgen::JsCast;
                if let Some(el) = document()
                    .get_element_by_id("event_location_code")
                    .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
                {
                    let _ = el.focus();
                    el.select();
                }
            });
        }
    });
    let save = Action::new_local(move |request: &EventRequest| {
        let (coop, request) = (coop.get_value(), request.clone());
        async move { api::add_event(&coop, lot_id, &request).await }
    });
    event.form.on_answer(save, move |e: LotEvent| {
        event.added(e.kind);
        on_added.run(());
    });
    view! {
        <form class="event-form panel-form" novalidate on:submit=event.form.on_submit(save, move || event.checked())>
            <h4>{move || if correcting.with(Option::is_some) { t_string!(i18n, event_correcting) } else { t_string!(i18n, event_add) }}</h4>
            <p class="hint">{t!(i18n, event_append_only)}</p>
            {move || correcting.get().map(|e| view! {
                <div class="notice correcting" role="status">
                    <p>{t!(i18n, event_correcting_note)}" "<strong>{move || e.kind.name(lang())}", "{e.at.format(lang())}</strong></p>
                    <button type="button" class="button button-small" on:click=move |_| correcting.set(None)>{t!(i18n, event_correct_cancel)}</button>
                </div>
            })}
            {move || event.added.get().map(|k| view! {
                <p class="notice" role="status">{t!(i18n, event_added)}": "<strong>{move || k.name(lang())}</strong></p>
            })}
            <EventWhenWhere event/>
            <TextField id="event_actor" value=event.actor error=event.form.error("actor") required=true maxlength=120u32 autocomplete="off">
                {t!(i18n, trace_actor)}
            </TextField>
            <TextArea id="event-note" name="note" value=event.note error=event.form.error("note") rows=2 maxlength=1000>
                {t!(i18n, event_note)}
            </TextArea>
            <EventPhotoUpload coop lot_id photos=event.photos/>
            <TextArea id="event-photos" name="photos" value=event.photos error=event.photos_error() rows=2
                hint=move || t!(i18n, event_photos_hint)>
                {t!(i18n, event_photos)}
            </TextArea>
            <FormFailure failure=event.form.failure/>
            <SubmitButton pending=save.pending()
                label=move || if correcting.with(Option::is_some) { t_string!(i18n, event_save_correction) } else { t_string!(i18n, event_add) }
                busy_label=move || t_string!(i18n, event_adding)/>
        </form>
    }
}

/// A photo for the event, uploaded through the photo pipeline as soon as it is chosen
/// (checked and re-encoded on the server like product photos, with progress); its URL
/// joins the photo list below, which also takes links.
#[component]
fn EventPhotoUpload(coop: StoredValue<String>, lot_id: i64, photos: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let input = NodeRef::<leptos::html::Input>::new();
    let uploader = Uploader::new();
    let progress = uploader.progress;
    let failure = RwSignal::new(None::<crate::api::ApiError>);
    let too_big = RwSignal::new(false);
    let full = move || photos.with(|p| p.lines().filter(|l| !l.trim().is_empty()).count() >= MAX_PHOTOS as usize);
    let start = move |_| {
        failure.set(None);
        let Some(file) = input.get_untracked().and_then(|i| i.files()).and_then(|f| f.get(0)) else { return };
        too_big.set(file.size() > domain::seller::MAX_UPLOAD_BYTES as f64);
        if too_big.get_untracked() {
            return;
        }
        let url = api::event_photo_url(&coop.get_value(), lot_id);
        uploader.start(&url, &file, move |result: Result<EventPhoto, crate::api::ApiError>| {
            if let Some(i) = input.get_untracked() {
                i.set_value("");
            }
            match result {
                Ok(photo) => photos.update(|p| {
                    let mut lines: Vec<&str> = p.lines().filter(|l| !l.trim().is_empty()).collect();
                    lines.push(&photo.url);
                    *p = lines.join("\n");
                }),
                Err(e) => failure.set(Some(e)),
            }
        });
    };
    let percent = move || uploader.percent();
    view! {
        <div class="field event-photo-upload">
            <label for="event-photo-file">{t!(i18n, event_photo_upload)}</label>
            <input id="event-photo-file" type="file" accept="image/jpeg,image/png,image/webp" node_ref=input
                aria-describedby="event-photo-file-hint event-photo-file-error"
                aria-invalid=move || too_big.get().to_string()
                disabled=move || uploader.uploading() || full()
                on:change=start/>
            <p id="event-photo-file-hint" class="hint">{t!(i18n, seller_image_rules)}</p>
            <p id="event-photo-file-error" class="field-error" hidden=move || !too_big.get()>{t!(i18n, seller_upload_error_too_big)}</p>
            {move || progress.get().map(|fraction| view! {
                <div class="upload-progress" role="status">
                    <label for="event-photo-progress">
                        {move || if fraction >= 1.0 { t_string!(i18n, seller_upload_processing) } else { t_string!(i18n, seller_uploading) }}
                    </label>
                    <progress id="event-photo-progress" max="100" value=percent>{percent}"%"</progress>
                </div>
            })}
            {move || failure.get().map(|error| view! { <SellerError error/> })}
            <ul class="event-photo-thumbs" aria-label=move || t_string!(i18n, event_photos)>
                {move || photos.get().lines().filter(|l| l.starts_with("/media/")).map(|url| view! {
                    <li><img src=url.to_owned() alt="" width="80" height="60" loading="lazy"/></li>
                }).collect_view()}
            </ul>
        </div>
    }
}

/// What happened and when; where, by place and location code.
#[component]
fn EventWhenWhere(event: EventFields) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let EventFields { kind, at, place, location_code, form, .. } = event;
    view! {
        <div class="form-row">
            <div class="field">
                <label for="event-kind">{t!(i18n, event_kind)}</label>
                <select id="event-kind" name="kind" required aria-invalid=form.invalid("kind") aria-describedby="event-kind-error"
                    prop:value=move || kind.get() on:change=move |ev| kind.set(event_target_value(&ev))>
                    <option value="">{t!(i18n, event_choose_kind)}</option>
                    {EventKind::ALL.iter().map(|k| {
                        let k = *k;
                        view! { <option value=k.code()>{move || k.name(lang())}</option> }
                    }).collect_view()}
                </select>
                <FieldMessage id="event-kind-error" error=form.error("kind")/>
            </div>
            <TextField id="event_at" kind="datetime-local" value=at error=form.error("at") required=true>
                {t!(i18n, event_at)}
            </TextField>
        </div>
        <div class="form-row">
            <TextField id="event_place" value=place error=form.error("place") required=true maxlength=200u32 autocomplete="off"
                hint=move || t!(i18n, event_place_hint)>
                {t!(i18n, event_place)}
            </TextField>
            <TextField id="event_location_code" value=location_code error=form.error("location_code") maxlength=40u32 autocomplete="off">
                {t!(i18n, trace_location_code)}
            </TextField>
        </div>
    }
}
