// Chợ HTX's service worker, served at /sw.js by `http::service_worker`, which writes the
// four constants above this line: VERSION (the build's hash), PRECACHE (this build's
// storefront bundle and stylesheet, icons, the manifest, the offline page and the app's
// page frame), APP_FILES (the app bundle, kept once there is a cart) and APP_SECTIONS (`chohtx_web::bundles`: the app's pages, personal or consoles).
//
// - Built files, icons, product images and uploads: from the cache, else the network.
// - Storefront pages (home, catalog, product, cooperative, campaign, lot): the network,
//   kept in the cache for when it fails; without a copy, the offline page.
// - The API's provinces and communes (public, for the checkout's address): the network,
//   kept for when it fails.
// - Never cached: the rest of the API, non-GET requests, the app's pages (cart, checkout, orders,
//   accounts, consoles), answers marked no-store and anything but a 200. Offline, the
//   cart, checkout and "order placed" pages get the app's page frame (it holds no personal
//   data: the app renders them in the browser from localStorage), the rest the offline page.
"use strict";

const STATIC = `chohtx-static-${VERSION}`;
const PAGES = "chohtx-pages";
const FILES = "chohtx-files";
const OFFLINE = "/ngoai-tuyen";
const FRAME = "/gio-hang";
const FRAME_SECTIONS = ["/gio-hang", "/thanh-toan", "/dat-hang-thanh-cong"];
const MAX_PAGES = 60;
const MAX_FILES = 300;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(STATIC)
      // Versioned files never change: the HTTP cache's copy (the page just loaded them)
      // will do. The offline page and the frame are fetched fresh.
      .then((cache) =>
        cache.addAll(PRECACHE.map((url) => new Request(url, { cache: url.startsWith("/v/") ? "default" : "reload" }))),
      )
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith("chohtx-static-") && name !== STATIC)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

const inSection = (path, sections) =>
  sections.some((s) => path === s || path.startsWith(s + "/"));

const cacheable = (response) =>
  response.status === 200 &&
  response.type === "basic" &&
  !/no-store/i.test(response.headers.get("Cache-Control") || "");

async function trim(cache, max) {
  const keys = await cache.keys();
  for (let i = 0; i < keys.length - max; i++) await cache.delete(keys[i]);
}

async function keep(name, request, response, max) {
  const cache = await caches.open(name);
  await cache.put(request, response);
  await trim(cache, max);
}

// Built files and images: the cache first. A page kept from an earlier build names that
// build's /v/{hash}/ files: offline, this build's copy of the same file stands in.
async function fromCacheFirst(event, request, path) {
  const cached = await caches.match(request);
  if (cached) return cached;
  try {
    const response = await fetch(request);
    if (cacheable(response)) {
      // This build's files join its cache (the app bundle, first loaded by an app page).
      const own = path.startsWith(`/v/${VERSION}/`);
      if (own) event.waitUntil(caches.open(STATIC).then((cache) => cache.put(request, response.clone())));
      else if (!path.startsWith("/v/")) event.waitUntil(keep(FILES, request, response.clone(), MAX_FILES));
    }
    return response;
  } catch (error) {
    const other = path.match(/^\/v\/[^/]+\/(.*)$/);
    const stand_in = other && (await caches.match(`/v/${VERSION}/${other[1]}`));
    if (stand_in) return stand_in;
    throw error;
  }
}

async function offlinePage() {
  return (await caches.match(OFFLINE)) || Response.error();
}

async function storefrontPage(event, request) {
  try {
    const response = await fetch(request);
    if (cacheable(response)) event.waitUntil(keep(PAGES, request, response.clone(), MAX_PAGES));
    return response;
  } catch {
    return (await caches.match(request, { cacheName: PAGES })) || offlinePage();
  }
}

// Public data the app's pages need offline (the checkout's communes): the network first.
async function publicData(event, request) {
  try {
    const response = await fetch(request);
    if (cacheable(response)) event.waitUntil(keep(FILES, request, response.clone(), MAX_FILES));
    return response;
  } catch (error) {
    const cached = await caches.match(request, { cacheName: FILES });
    if (cached) return cached;
    throw error;
  }
}

async function appPage(request, path) {
  try {
    return await fetch(request);
  } catch {
    const frame = inSection(path, FRAME_SECTIONS) && (await caches.match(FRAME, { cacheName: STATIC }));
    return frame || offlinePage();
  }
}

// "keep-app" (from a page, once the buyer has a cart): keep the app bundle, so the cart
// and the checkout open offline.
self.addEventListener("message", (event) => {
  if (event.data !== "keep-app") return;
  event.waitUntil(
    caches.open(STATIC).then((cache) =>
      Promise.all(APP_FILES.map((url) => cache.match(url).then((hit) => hit || cache.add(url)))),
    ),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const path = url.pathname;
  if (path === "/api/v1/provinces" || path.startsWith("/api/v1/provinces/")) {
    event.respondWith(publicData(event, request));
    return;
  }
  if (path.startsWith("/api/") || path === "/sw.js") return;
  if (request.mode === "navigate") {
    if (inSection(path, APP_SECTIONS)) {
      event.respondWith(appPage(request, path));
    } else {
      event.respondWith(storefrontPage(event, request));
    }
    return;
  }
  if (
    path.startsWith("/v/") ||
    path.startsWith("/icons/") ||
    path.startsWith("/images/") ||
    path.startsWith("/media/") ||
    path === "/manifest.webmanifest"
  ) {
    event.respondWith(fromCacheFirst(event, request, path));
  }
});
