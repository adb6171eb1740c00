fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(chohtx_web::app::App);
    // The static "loading" placeholder of index.html has done its job.
    if let Some(boot) = leptos::prelude::document().get_element_by_id("boot") {
        boot.remove();
    }
}
