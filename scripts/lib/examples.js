'use strict';
/**
 * What each example workflow (examples/*.json, by fixed id) is expected to output when run against the
 * emulators' seeded data, and which fields the demo summary shows. Used by `npm run demo` and e2e.
 */
const { nodeItems, lastNode } = require('./runs');

const SPECS = {};

function exampleSpec(id) {
	return SPECS[id] || null;
}

/** Problems (strings) with the run of example `id`; [] when it matches expectations. */
function checkExample(id, run) {
	const spec = SPECS[id];
	if (!spec) return [`no expectations recorded for example ${id} in scripts/lib/examples.js`];
	const problems = [];
	try {
		const res = spec.check(run, { nodeItems: (n) => nodeItems(run, n) || [], last: lastNode(run) });
		if (Array.isArray(res)) problems.push(...res);
	} catch (e) {
		problems.push(`check threw: ${e.message}`);
	}
	return problems;
}

module.exports = { SPECS, exampleSpec, checkExample };
