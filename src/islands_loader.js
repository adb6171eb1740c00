(js, wasm) => {
	const childrenCallbacks = [];
	// Back to the page between steps: compiling the wasm and hydrating each island are
	// separate short tasks, so a tap is never held up by all of them (Total Blocking Time).
	const yieldToPage = () => window.scheduler && scheduler.yield
		? scheduler.yield()
		: new Promise(resolve => setTimeout(resolve, 0));
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
		await yieldToPage();
		const childrenCallback = childrenCallbacks[childrenCallbacks.length - 1];
		if (childrenCallback) childrenCallback();
		const res = islandFn(el);
		if (res && res.then) await res;
	}
	const start = () => import(js).then(mod =>
		mod.default({ module_or_path: wasm }).then(yieldToPage).then(() => {
			mod.hydrate();
			return traverse(document.body, mod).then(yieldToPage).then(() => mod.hydrated());
		}).then(() => document.documentElement.setAttribute("data-ready", "")));
	if ("requestIdleCallback" in window) {
		// The timeout: a page that is never idle still gets its islands.
		window.requestIdleCallback(start, { timeout: 2000 });
	} else {
		start();
	}
}
