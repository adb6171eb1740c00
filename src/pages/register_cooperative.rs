//! `/dang-ky-htx`: a signed-in person registers their cooperative. It stays pending
//! until Chợ HTX staff approve it; the person becomes its admin at once and can add
//! members meanwhile.

use crate::{
    api::{self, ApiError},
    components::{
        address::{AddressDraft, AddressFields},
        field_error::FieldMessage,
        form::{FormError, TextField, field_error, focus_first_error, on_result},
    },
    i18n::{t, t_string, use_i18n},
    routes,
    session::{RequireUser, use_session},
    use_lang,
};
use domain::{
    account::{CooperativeRegistration, Membership},
    catalog::CoopKind,
    validate::{Errors, FieldError},
    vietqr::BANKS,
};
use leptos::{ev, prelude::*};
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn RegisterCooperativePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=move || t_string!(i18n, register_cooperative)/>
        <RequireUser let:_user><RegistrationForm/></RequireUser>
    }
}

#[component]
fn RegistrationForm() -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let session = use_session();
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(CoopKind::Htx);
    let address = RwSignal::new(AddressDraft::default());
    let registration_number = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let bank_bin = RwSignal::new(String::new());
    let bank_account = RwSignal::new(String::new());
    let bank_account_name = RwSignal::new(String::new());
    let errors = RwSignal::new(Errors::new());
    let failure = RwSignal::new(None::<ApiError>);
    let register = Action::new_local(|request: &CooperativeRegistration| {
        let request = request.clone();
        async move { api::register_cooperative(&request).await }
    });
    let done = RwSignal::new(None::<Membership>);
    on_result(
        move || register.value().get(),
        errors,
        failure,
        move |membership| {
            done.set(Some(membership));
            // The new cooperative appears in the account menu.
            session.refetch();
            window().scroll_to_with_x_and_y(0.0, 0.0);
        },
    );
    let on_submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        if register.pending().get_untracked() {
            return;
        }
        let place = address.get_untracked().input();
        let request = CooperativeRegistration {
            name: name.get_untracked(),
            kind: kind.get_untracked(),
            province_code: place.province_code,
            commune_code: place.commune_code,
            street: place.street,
            registration_number: registration_number.get_untracked(),
            phone: phone.get_untracked(),
            bank_bin: bank_bin.get_untracked(),
            bank_account: bank_account.get_untracked(),
            bank_account_name: bank_account_name.get_untracked(),
        };
        let mut e = request.validate().err().unwrap_or_default();
        if request.province_code == 0 {
            // Nothing chosen yet reads better as "required" than as "not a valid choice".
            e.0.insert("province_code".into(), FieldError::Required);
        } else if request.commune_code == 0 {
            e.add("commune_code", FieldError::Required);
        }
        failure.set(None);
        if e.is_empty() {
            errors.set(e);
            register.dispatch(request);
        } else {
            errors.set(e);
            focus_first_error();
        }
    };
    let invalid = move |field: &'static str| move || errors.with(|e| e.get(field).is_some()).to_string();

    let form = move || {
        view! {
            <p class="muted">{t!(i18n, register_cooperative_intro)}</p>
            <form class="panel-form" novalidate on:submit=on_submit>
                <fieldset>
                    <legend>{t!(i18n, cooperative_details)}</legend>
                    <TextField id="name" value=name error=field_error(errors, "name") autocomplete="organization" required=true
                        maxlength=150u32>
                        {t!(i18n, cooperative_name)}
                    </TextField>
                    <div class="field">
                        <label for="kind">{t!(i18n, cooperative_kind)}</label>
                        <select id="kind" name="kind" aria-invalid=invalid("kind") aria-describedby="kind-error"
                            prop:value=move || kind.get().code()
                            on:change=move |ev| {
                                if let Some(k) = CoopKind::from_code(&event_target_value(&ev)) {
                                    kind.set(k);
                                }
                            }>
                            {CoopKind::ALL.iter().map(|k| {
                                let k = *k;
                                view! { <option value=k.code() selected=move || kind.get() == k>{move || k.name(lang())}</option> }
                            }).collect_view()}
                        </select>
                        <FieldMessage id="kind-error" error=field_error(errors, "kind")/>
                    </div>
                    <TextField id="registration_number" value=registration_number error=field_error(errors, "registration_number")
                        autocomplete="off" required=true maxlength=20u32 hint=move || t!(i18n, registration_number_hint)>
                        {t!(i18n, registration_number)}
                    </TextField>
                    <TextField id="phone" kind="tel" value=phone error=field_error(errors, "phone") autocomplete="tel"
                        inputmode="tel" placeholder="0299 3612 345" required=true>
                        {t!(i18n, cooperative_phone)}
                    </TextField>
                </fieldset>
                <fieldset>
                    <legend>{t!(i18n, cooperative_address)}</legend>
                    <AddressFields form=address errors/>
                </fieldset>
                <fieldset>
                    <legend>{t!(i18n, bank_account_for_vietqr)}</legend>
                    <p class="hint">{t!(i18n, bank_account_intro)}</p>
                    <div class="field">
                        <label for="bank_bin">{t!(i18n, bank)}</label>
                        <select id="bank_bin" name="bank_bin" required aria-invalid=invalid("bank_bin") aria-describedby="bank_bin-error"
                            prop:value=move || bank_bin.get()
                            on:change=move |ev| bank_bin.set(event_target_value(&ev))>
                            <option value="">{t!(i18n, choose_bank)}</option>
                            {BANKS.iter().map(|(bin, name)| view! { <option value=*bin>{*name}</option> }).collect_view()}
                        </select>
                        <FieldMessage id="bank_bin-error" error=field_error(errors, "bank_bin")/>
                    </div>
                    <TextField id="bank_account" value=bank_account error=field_error(errors, "bank_account")
                        inputmode="numeric" autocomplete="off" required=true maxlength=25u32>
                        {t!(i18n, account_number)}
                    </TextField>
                    <TextField id="bank_account_name" value=bank_account_name error=field_error(errors, "bank_account_name")
                        autocomplete="off" required=true maxlength=50u32 hint=move || t!(i18n, account_name_hint)>
                        {t!(i18n, account_name)}
                    </TextField>
                </fieldset>
                {move || failure.get().map(|error| view! { <FormError error/> })}
                <button type="submit" class="button button-primary button-wide" disabled=move || register.pending().get()>
                    {move || if register.pending().get() { t_string!(i18n, sending) } else { t_string!(i18n, submit_registration) }}
                </button>
            </form>
        }
    };

    view! {
        <h1>{t!(i18n, register_cooperative)}</h1>
        <Show when=move || done.with(Option::is_some) fallback=form>
            {move || done.get().map(|m| view! {
                <section class="notice registration-done" role="status">
                    <h2>{t!(i18n, registration_received)}</h2>
                    <p><strong>{m.cooperative.name.clone()}</strong></p>
                    <p>{t!(i18n, registration_awaits_approval)}</p>
                    <div class="form-actions">
                        <A href=routes::members(&m.cooperative.slug) attr:class="button button-primary">{t!(i18n, add_members)}</A>
                        <A href=routes::ACCOUNT attr:class="button">{t!(i18n, my_account)}</A>
                    </div>
                </section>
            })}
        </Show>
    }
}
