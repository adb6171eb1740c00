//! The layer rule, checked on the source: every `crate::…` path (in `use` trees,
//! including `use crate::{a, b::c}` groups, and in expressions) and every `super::…`
//! that climbs out of a feature names the module it depends on.
//!
//! - a feature `api::<f>` may use `db`, `http`, `auth`, the utilities (`clock`, `config`,
//!   `secret`, `divisions`, `mail`, `metrics`) and the crate root (`AppState`…), never another feature;
//! - `db` uses only the utilities (and the domain crate);
//! - `http` and `auth` never use `api` or `seed`, except `http::openapi`, the router
//!   that merges each feature's `routes()`;
//! - nothing outside `seed` (and `testing`) uses `seed`;
//! - no cycle between top-level modules / features (`http::openapi` excluded);
//! - the fields of `AppState` (in the crate root) are types of `db` or the utilities only:
//!   every layer reaches them through `crate::AppState` — `db` included, which the root
//!   exemption above lets through — so a feature's type there would make every layer
//!   depend on that feature unseen.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A module's place: `api::catalog`, `db`, `http::openapi`, `auth`, `seed`, `clock`…
fn unit_of(module: &[String]) -> String {
    match module {
        [] => String::new(),
        [a, f, ..] if a == "api" => format!("api::{f}"),
        [h, o, ..] if h == "http" && o == "openapi" => "http::openapi".into(),
        [top, ..] => top.clone(),
    }
}

fn layer(unit: &str) -> &str {
    unit.split("::").next().unwrap_or(unit)
}

/// The crate-relative paths used by a source file of module `module` (e.g. `["api", "orders"]`).
fn used_paths(module: &[String], source: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    // Drop line comments.
    let text: String = source.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n");
    let bytes: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        let rest: String = bytes[i..bytes.len().min(i + 7)].iter().collect();
        let boundary = i == 0 || !(bytes[i - 1].is_alphanumeric() || bytes[i - 1] == '_' || bytes[i - 1] == ':');
        if boundary && (rest.starts_with("crate::") || rest.starts_with("super::")) {
            let (base, start) = if rest.starts_with("crate::") {
                (Vec::new(), i + 7)
            } else {
                let mut base = module.to_vec();
                let mut j = i;
                while bytes[j..].iter().collect::<String>().starts_with("super::") {
                    base.pop();
                    j += 7;
                }
                (base, j)
            };
            let (paths, end) = parse_tree(&bytes, start);
            for p in paths {
                let mut full = base.clone();
                full.extend(p);
                out.push(full);
            }
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

/// Parses `a::b::{c, d::e}` at `start`: the paths it names, and where it ends.
fn parse_tree(s: &[char], mut i: usize) -> (Vec<Vec<String>>, usize) {
    let mut prefix = Vec::new();
    loop {
        while i < s.len() && s[i].is_whitespace() {
            i += 1;
        }
        if i < s.len() && s[i] == '{' {
            i += 1;
            let mut all = Vec::new();
            loop {
                while i < s.len() && (s[i].is_whitespace() || s[i] == ',') {
                    i += 1;
                }
                if i >= s.len() || s[i] == '}' {
                    return (all, i + 1);
                }
                let (inner, end) = parse_tree(s, i);
                for p in inner {
                    let mut full: Vec<String> = prefix.clone();
                    full.extend(p);
                    all.push(full);
                }
                i = end;
            }
        }
        let start = i;
        while i < s.len() && (s[i].is_alphanumeric() || s[i] == '_') {
            i += 1;
        }
        let word: String = s[start..i].iter().collect();
        if !word.is_empty() && word != "self" {
            prefix.push(word);
        }
        if s[i..].iter().take(2).collect::<String>() == "::" {
            i += 2;
        } else {
            // Skip an `as alias`.
            return (vec![prefix], i);
        }
    }
}

/// Every violation of the rule in `files` (module path → source).
fn check(files: &[(Vec<String>, String)]) -> Vec<String> {
    let mut errors = Vec::new();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, source) in files {
        let from = unit_of(module);
        for path in used_paths(module, source) {
            // `use super::*` in a file's `mod tests` names the file's own module.
            if module.starts_with(&path) {
                continue;
            }
            let to = unit_of(&path);
            // Root items (`AppState`, `Clock`…) and the module itself.
            if to == from || path.len() < 2 && !matches!(to.as_str(), "api" | "db" | "http" | "auth" | "seed") {
                continue;
            }
            let (lf, lt) = (layer(&from), layer(&to));
            let allowed = match lf {
                _ if lt == "testing" || lt == "layers" => false,
                "api" => lt != "api" && lt != "seed",
                "db" => {
                    matches!(lt, "db" | "clock" | "config" | "secret" | "divisions" | "mail" | "metrics")
                        || path.len() == 1
                }
                "http" if from == "http::openapi" => lt != "seed",
                "http" | "auth" => !matches!(lt, "api" | "seed"),
                "clock" | "config" | "secret" | "divisions" | "mail" | "metrics" => {
                    matches!(lt, "clock" | "config" | "secret" | "divisions" | "mail" | "metrics")
                }
                _ => true,
            };
            if !allowed {
                errors.push(format!("{} uses crate::{}: {from} may not use {to}", module.join("::"), path.join("::")));
            }
            if from != "http::openapi" && !from.is_empty() {
                graph.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    for (module, source) in files {
        if module.is_empty() {
            errors.extend(app_state_errors(source));
        }
    }
    // Cycles between units.
    for start in graph.keys() {
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((node, trail)) = stack.pop() {
            for next in graph.get(&node).into_iter().flatten() {
                if next == start {
                    errors.push(format!("cycle: {} -> {start}", trail.join(" -> ")));
                } else if seen.insert(next.clone()) {
                    let mut t = trail.clone();
                    t.push(next.clone());
                    stack.push((next.clone(), t));
                }
            }
        }
    }
    errors.sort();
    errors.dedup();
    errors
}

/// The layers `AppState`'s fields may name (see the module's last rule).
const APP_STATE_LAYERS: &[&str] = &["db", "clock", "config", "secret", "divisions", "mail", "metrics"];

/// The violations of the `AppState` rule in the crate root's source `root` (none when it
/// does not define `AppState`, as `main.rs`). The root names its modules without
/// `crate::`, so `api::x`, `db::Pool`… are read as `crate::api::x`, `crate::db::Pool`.
fn app_state_errors(root: &str) -> Vec<String> {
    let Some(start) = root.find("pub struct AppState {") else { return Vec::new() };
    let body = &root[start..];
    let body = &body[..body.find("\n}").unwrap_or(body.len())];
    const TOP: &[&str] =
        &["api", "auth", "clock", "config", "db", "divisions", "http", "mail", "metrics", "secret", "seed", "testing"];
    let chars: Vec<char> = body.chars().collect();
    let mut rooted = String::new();
    for (i, c) in chars.iter().enumerate() {
        let boundary = i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_' || chars[i - 1] == ':');
        let rest: String = chars[i..chars.len().min(i + 12)].iter().collect();
        if boundary && TOP.iter().any(|t| rest.starts_with(&format!("{t}::"))) {
            rooted.push_str("crate::");
        }
        rooted.push(*c);
    }
    used_paths(&[], &rooted)
        .into_iter()
        .filter(|p| !APP_STATE_LAYERS.contains(&layer(&unit_of(p))))
        .map(|p| format!("AppState names crate::{}: its fields may only be types of db or the utilities", p.join("::")))
        .collect()
}

fn sources(dir: &Path, module: Vec<String>, out: &mut Vec<(Vec<String>, String)>) {
    for entry in std::fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("a directory entry").path();
        let name = path.file_stem().and_then(|n| n.to_str()).expect("a file name").to_owned();
        if path.is_dir() {
            let mut m = module.clone();
            m.push(name);
            sources(&path, m, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let mut m = module.clone();
            if name != "mod" && !(module.is_empty() && (name == "lib" || name == "main")) {
                m.push(name);
            }
            out.push((m, std::fs::read_to_string(&path).expect("a readable source")));
        }
    }
}

#[test]
fn the_server_keeps_its_layers() {
    let mut files = Vec::new();
    sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), Vec::new(), &mut files);
    let files: Vec<_> = files.into_iter().filter(|(m, _)| m.first().is_none_or(|t| t != "layers")).collect();
    assert!(files.len() > 30, "read the sources");
    let errors = check(&files);
    assert!(errors.is_empty(), "layer rule broken:\n{}", errors.join("\n"));
}

#[test]
fn the_checker_rejects_violations() {
    let m = |p: &str| p.split("::").map(String::from).collect::<Vec<_>>();
    // One feature using another, through a group and through `super::super::`.
    let files = vec![
        (m("api::orders"), "use crate::{AppState, api::{catalog::find, seller}, db::products::VISIBLE};".to_owned()),
        (m("api::lots"), "fn f() { super::super::api::stats::x(); }".to_owned()),
        (m("db::products"), "use crate::http::error::ApiError;".to_owned()),
        (m("api::catalog"), "use crate::db::products;".to_owned()),
    ];
    let errors = check(&files);
    assert!(errors.iter().any(|e| e.contains("api::orders may not use api::catalog")), "{errors:?}");
    assert!(errors.iter().any(|e| e.contains("api::orders may not use api::seller")), "{errors:?}");
    assert!(errors.iter().any(|e| e.contains("api::lots may not use api::stats")), "{errors:?}");
    assert!(errors.iter().any(|e| e.contains("db may not use http")), "{errors:?}");
    assert!(!errors.iter().any(|e| e.contains("api::catalog may not")), "{errors:?}");
    // A cycle between two top-level modules.
    let cycle =
        vec![(m("clock"), "use crate::config::X;".to_owned()), (m("config"), "use crate::clock::Y;".to_owned())];
    assert!(check(&cycle).iter().any(|e| e.starts_with("cycle:")));
    // A feature's type in `AppState`: every layer would depend on the feature through it.
    let root = |field: &str| {
        vec![(Vec::new(), format!("pub struct AppState {{\n    pub db: db::Pool,\n    {field}\n}}\nfn app() {{}}"))]
    };
    let errors = check(&root("pub divisions: Arc<api::divisions::Divisions>,"));
    assert!(errors.iter().any(|e| e.contains("AppState names crate::api::divisions::Divisions")), "{errors:?}");
    assert!(check(&root("pub clock: crate::seed::Clock,")).iter().any(|e| e.contains("crate::seed::Clock")));
    assert!(check(&root("pub divisions: Arc<divisions::Divisions>,")).is_empty());
    // `super::` inside a feature stays in it.
    let inner = vec![(m("api::seller::images"), "use super::product_of;".to_owned())];
    assert!(check(&inner).is_empty());
}
