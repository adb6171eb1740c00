//! File uploads with progress. `fetch` (and so gloo-net) reports no upload progress, so
//! uploads go through `XMLHttpRequest`, whose `upload` object fires `progress` events.
//! The raw file is the request body; the session's CSRF token rides in its header like
//! every other unsafe request of the app.

use crate::api::{self, ApiError};
use domain::account::CSRF_HEADER;
use serde::de::DeserializeOwned;
use std::{cell::RefCell, rc::Rc};
use wasm_bindgen::{JsCast, closure::Closure};
use web_sys::{Event, ProgressEvent, XmlHttpRequest};

/// The event handlers of one upload, kept alive until it ends.
struct Listeners {
    _progress: Closure<dyn FnMut(ProgressEvent)>,
    _load: Closure<dyn FnMut(Event)>,
    _error: Closure<dyn FnMut(Event)>,
}

/// An upload under way; [`Upload::abort`] stops it (its `on_done` is then not called).
pub struct Upload {
    xhr: XmlHttpRequest,
    done: Rc<RefCell<bool>>,
}

impl Upload {
    pub fn abort(&self) {
        if !*self.done.borrow() {
            *self.done.borrow_mut() = true;
            let _ = self.xhr.abort();
        }
    }
}

/// POSTs `file` to `url`. `on_progress` gets the fraction sent (0.0–1.0) as it goes;
/// `on_done` gets the decoded JSON answer, or the API's error (a network failure is
/// `ApiError::Network`), once.
pub fn upload<T, P, D>(url: &str, file: &web_sys::File, on_progress: P, on_done: D) -> Result<Upload, ApiError>
where
    T: DeserializeOwned + 'static,
    P: Fn(f64) + 'static,
    D: FnOnce(Result<T, ApiError>) + 'static,
{
    let xhr = XmlHttpRequest::new().map_err(|_| ApiError::Network)?;
    xhr.open_with_async("POST", url, true).map_err(|_| ApiError::Network)?;
    let _ = xhr.set_request_header("Accept", "application/json");
    if let Some(token) = api::csrf_token() {
        let _ = xhr.set_request_header(CSRF_HEADER, &token);
    }
    // The server reads the type from the content; this only labels the body.
    let kind = file.type_();
    let _ = xhr.set_request_header("Content-Type", if kind.is_empty() { "application/octet-stream" } else { &kind });

    let done = Rc::new(RefCell::new(false));
    let listeners: Rc<RefCell<Option<Listeners>>> = Rc::new(RefCell::new(None));
    let on_done: Rc<RefCell<Option<D>>> = Rc::new(RefCell::new(Some(on_done)));

    // Runs `on_done` once, then lets go of the handlers (after this event, not during it).
    let finish = {
        let (done, listeners, on_done) = (done.clone(), listeners.clone(), on_done.clone());
        move |result: Result<T, ApiError>| {
            let aborted = std::mem::replace(&mut *done.borrow_mut(), true);
            let callback = on_done.borrow_mut().take();
            if let (false, Some(callback)) = (aborted, callback) {
                callback(result);
            }
            let listeners = listeners.clone();
            leptos::prelude::set_timeout(move || drop(listeners.borrow_mut().take()), std::time::Duration::ZERO);
        }
    };

    let progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |e: ProgressEvent| {
        if e.length_computable() && e.total() > 0.0 {
            on_progress((e.loaded() / e.total()).clamp(0.0, 1.0));
        }
    });
    let load = {
        let (xhr, finish) = (xhr.clone(), finish.clone());
        Closure::<dyn FnMut(Event)>::new(move |_: Event| {
            let status = xhr.status().unwrap_or(0);
            let text = xhr.response_text().ok().flatten().unwrap_or_default();
            let result = if (200..300).contains(&status) {
                serde_json::from_str::<T>(&text).map_err(|_| ApiError::Decode)
            } else {
                Err(ApiError::from_answer(status, &text))
            };
            finish(result);
        })
    };
    let error = {
        let finish = finish.clone();
        Closure::<dyn FnMut(Event)>::new(move |_: Event| finish(Err(ApiError::Network)))
    };
    if let Ok(upload) = xhr.upload() {
        let _ = upload.add_event_listener_with_callback("progress", progress.as_ref().unchecked_ref());
    }
    let _ = xhr.add_event_listener_with_callback("load", load.as_ref().unchecked_ref());
    let _ = xhr.add_event_listener_with_callback("error", error.as_ref().unchecked_ref());
    let _ = xhr.add_event_listener_with_callback("timeout", error.as_ref().unchecked_ref());
    // After `Upload::abort`: no callback, but the handlers are let go.
    let _ = xhr.add_event_listener_with_callback("abort", error.as_ref().unchecked_ref());
    *listeners.borrow_mut() = Some(Listeners { _progress: progress, _load: load, _error: error });

    xhr.send_with_opt_blob(Some(file)).map_err(|_| ApiError::Network)?;
    Ok(Upload { xhr, done })
}

/// One form's upload state: the fraction sent while an upload runs (for its progress bar)
/// and the upload itself, stopped if the form goes away. `Copy`, like a signal.
#[derive(Clone, Copy)]
pub struct Uploader {
    /// `None`: no upload; `Some(fraction sent)`.
    pub progress: leptos::prelude::RwSignal<Option<f64>>,
    current: leptos::prelude::StoredValue<Option<Upload>, leptos::prelude::LocalStorage>,
}

impl Default for Uploader {
    fn default() -> Self {
        Self::new()
    }
}

impl Uploader {
    /// Made in a component: its upload is stopped when the component is cleaned up.
    pub fn new() -> Self {
        use leptos::prelude::*;
        let current = StoredValue::new_local(None::<Upload>);
        on_cleanup(move || {
            current.try_update_value(|u| {
                if let Some(u) = u.take() {
                    u.abort();
                }
            });
        });
        Uploader { progress: RwSignal::new(None), current }
    }

    pub fn uploading(self) -> bool {
        use leptos::prelude::*;
        self.progress.with(Option::is_some)
    }

    /// The fraction sent as a whole percentage, for the progress bar.
    pub fn percent(self) -> u32 {
        use leptos::prelude::*;
        (self.progress.get().unwrap_or(0.0) * 100.0).round() as u32
    }

    /// Sends `file` to `url`; `on_done` gets the answer (or why it could not start) once.
    pub fn start<T: DeserializeOwned + 'static>(
        self,
        url: &str,
        file: &web_sys::File,
        on_done: impl FnOnce(Result<T, ApiError>) + 'static,
    ) {
        use leptos::prelude::*;
        self.progress.set(Some(0.0));
        let (progress, current) = (self.progress, self.current);
        let on_done = Rc::new(RefCell::new(Some(on_done)));
        let done = on_done.clone();
        let started = upload::<T, _, _>(
            url,
            file,
            move |fraction| progress.set(Some(fraction)),
            move |result| {
                progress.set(None);
                current.set_value(None);
                if let Some(f) = done.borrow_mut().take() {
                    f(result);
                }
            },
        );
        match started {
            Ok(u) => current.set_value(Some(u)),
            Err(e) => {
                progress.set(None);
                if let Some(f) = on_done.borrow_mut().take() {
                    f(Err(e));
                }
            }
        }
    }

    /// Stops the upload under way (its `on_done` is not called).
    pub fn cancel(self) {
        use leptos::prelude::*;
        self.current.update_value(|u| {
            if let Some(u) = u.take() {
                u.abort();
            }
        });
        self.progress.set(None);
    }
}
