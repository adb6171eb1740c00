(js, wasm) => {
	const childrenCallbacks = [];
	async function traverse(node, mod) {
		if (node.nodeType !== Node.ELEMENT_NODE) return;
		const tag = node.tagName.toLowerCase();
		if (tag === 'leptos-island') {
			await hydrateIsland(node, node.dataset.component || null, mod);
			for (const child of node.children) await traverse(child, mod);
		} else if (tag === 'leptos-children') {
			childrenCallbacks.push(node.$$on_hydrate);
			for (const child of node.children) await traverse(child, mod);
			childrenCallbacks.pop();
		} else {
			for (const child of node.children) await traverse(child, mod);
		}
	}
	async function hydrateIsland(el, id, mod) {
		const islandFn = mod[id];
		if (!islandFn) {
			console.warn(`Could not find WASM function for the island ${id}.`);
			return;
		}
		const childrenCallback = childrenCallbacks[childrenCallbacks.length - 1];
		if (childrenCallback) childrenCallback();
		const res = islandFn(el);
		if (res && res.then) await res;
	}
	const start = () => import(js).then(mod =>
		mod.default({ module_or_path: wasm }).then(() => {
			mod.hydrate();
			return traverse(document.body, mod).then(() => mod.hydrated());
		}).then(() => document.documentElement.setAttribute("data-ready", "")));
	if ("requestIdleCallback" in window) {
		// The timeout: a page that is never idle still gets its islands.
		window.requestIdleCallback(start, { timeout: 2000 });
	} else {
		start();
	}
}
