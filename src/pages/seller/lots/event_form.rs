//! The form that adds an event to a lot's timeline (events are only ever appended).

use crate::{
    api::ApiError,
    components::{
        field_error::FieldMessage,
        form::{FormError, TextField, field_error, focus_first_error},
    },
    i18n::{t, t_string, use_i18n},
    pages::seller::api,
    time::now_vn,
    use_lang,
};
use domain::{
    trace::{EventKind, EventRequest},
    validate::Errors,
};
use leptos::{ev, prelude::*};

#[component]
pub(super) fn EventForm(
    coop: String,
    lot_id: i64,
    plot: String,
    #[prop(into)] on_added: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let coop = StoredValue::new(coop);
    let kind = RwSignal::new(String::new());
    let at = RwSignal::new(now_vn().input_value().to_owned());
    let place = RwSignal::new(String::new());
    let location_code = RwSignal::new(plot);
    let actor = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let photos = RwSignal::new(String::new());
    let errors = RwSignal::new(Errors::new());
    let failure = RwSignal::new(None::<ApiError>);
    let added = RwSignal::new(None::<EventKind>);
    let save = Action::new_local(move |request: &EventRequest| {
        let (coop, request) = (coop.get_value(), request.clone());
        async move { api::add_event(&coop, lot_id, &request).await }
    });
    Effect::new(move |_| {
        if let Some(r) = save.value().get() {
            untrack(|| match r {
                Ok(e) => {
                    added.set(Some(e.kind));
                    errors.set(Errors::new());
                    failure.set(None);
                    kind.set(String::new());
                    note.set(String::new());
                    photos.set(String::new());
                    on_added.run(());
                }
                Err(e) => {
                    errors.set(e.fields());
                    failure.set(Some(e));
                    focus_first_error();
                }
            });
        }
    });
    let on_submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        if save.pending().get_untracked() {
            return;
        }
        let request = EventRequest {
            kind: EventKind::from_code(&kind.get_untracked()),
            at: at.get_untracked(),
            place: place.get_untracked(),
            location_code: location_code.get_untracked(),
            actor: actor.get_untracked(),
            note: note.get_untracked(),
            photos: photos.get_untracked().lines().map(str::to_owned).collect(),
        };
        added.set(None);
        failure.set(None);
        match request.validate(&now_vn()) {
            Ok(_) => {
                errors.set(Errors::new());
                save.dispatch(request);
            }
            Err(e) => {
                errors.set(e);
                focus_first_error();
            }
        }
    };
    let err = move |f: &'static str| field_error(errors, f);
    let invalid = move |f: &'static str| move || errors.with(|e| e.get(f).is_some()).to_string();
    view! {
        <form class="event-form panel-form" novalidate on:submit=on_submit>
            <h4>{t!(i18n, event_add)}</h4>
            <p class="hint">{t!(i18n, event_append_only)}</p>
            {move || added.get().map(|k| view! {
                <p class="notice" role="status">{t!(i18n, event_added)}": "<strong>{move || k.name(lang())}</strong></p>
            })}
            <div class="form-row">
                <div class="field">
                    <label for="event-kind">{t!(i18n, event_kind)}</label>
                    <select id="event-kind" name="kind" required aria-invalid=invalid("kind") aria-describedby="event-kind-error"
                        prop:value=move || kind.get() on:change=move |ev| kind.set(event_target_value(&ev))>
                        <option value="">{t!(i18n, event_choose_kind)}</option>
                        {EventKind::ALL.iter().map(|k| {
                            let k = *k;
                            view! { <option value=k.code()>{move || k.name(lang())}</option> }
                        }).collect_view()}
                    </select>
                    <FieldMessage id="event-kind-error" error=err("kind")/>
                </div>
                <TextField id="event_at" kind="datetime-local" value=at error=err("at") required=true>
                    {t!(i18n, event_at)}
                </TextField>
            </div>
            <div class="form-row">
                <TextField id="event_place" value=place error=err("place") required=true maxlength=200u32 autocomplete="off"
                    hint=move || t!(i18n, event_place_hint)>
                    {t!(i18n, event_place)}
                </TextField>
                <TextField id="event_location_code" value=location_code error=err("location_code") maxlength=40u32 autocomplete="off">
                    {t!(i18n, trace_location_code)}
                </TextField>
            </div>
            <TextField id="event_actor" value=actor error=err("actor") required=true maxlength=120u32 autocomplete="off">
                {t!(i18n, trace_actor)}
            </TextField>
            <div class="field">
                <label for="event-note">{t!(i18n, event_note)}</label>
                <textarea id="event-note" name="note" rows="2" maxlength="1000" aria-invalid=invalid("note") aria-describedby="event-note-error"
                    prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                <FieldMessage id="event-note-error" error=err("note")/>
            </div>
            <div class="field">
                <label for="event-photos">{t!(i18n, event_photos)}</label>
                <textarea id="event-photos" name="photos" rows="2" aria-invalid=move || errors.with(|e| e.0.keys().any(|k| k.starts_with("photos"))).to_string()
                    aria-describedby="event-photos-hint event-photos-error"
                    prop:value=move || photos.get() on:input=move |ev| photos.set(event_target_value(&ev))></textarea>
                <p id="event-photos-hint" class="hint">{t!(i18n, event_photos_hint)}</p>
                <FieldMessage id="event-photos-error" error=Signal::derive(move || errors.with(|e| {
                    e.0.iter().find(|(k, _)| k.starts_with("photos")).map(|(_, v)| v.clone())
                }))/>
            </div>
            {move || failure.get().map(|error| view! { <FormError error/> })}
            <button type="submit" class="button button-primary" disabled=move || save.pending().get()>
                {move || if save.pending().get() { t_string!(i18n, event_adding) } else { t_string!(i18n, event_add) }}
            </button>
        </form>
    }
}
