'use strict';
/**
 * node bench/micro/json.js — CPU per VSA page of the lossless parses (after `npm run build`):
 * the scanner + JSON.parse (parseJsonLossless) against Node ≥ 21's JSON.parse with source text
 * (parseJsonWithSource), plain JSON.parse, and a reviver that changes nothing. Run it with the Node
 * n8n runs on (e.g. the pinned runtime's: `node scripts/n8n-runtime.js` prints it). The page is
 * synthetic but shaped like a VSA agents page: 100 records, ~110 KB, 15–26-digit ids as numbers.
 */
const path = require('path');
const json = require(path.join(__dirname, '..', '..', 'dist', 'nodes', 'shared', 'json.js'));

function page() {
	const records = [];
	for (let i = 0; i < 100; i++) {
		const r = { AgentId: `22071020642${String(4000 + i)}`, AgentName: `ws-vandel-${String(i).padStart(4, '0')}.servers.vandelayindustries`, Online: i % 3, OrgId: `1366530016709113353338${String(4000 + i)}`, MachineGroupId: `2767437130618252715431${String(4000 + i)}` };
		for (let f = 0; f < 40; f++) r[`Field${f}`] = f % 4 === 0 ? null : f % 4 === 1 ? `value ${f} "quoted" of record ${i}` : f % 4 === 2 ? f * 1.5 : `2024-04-08T12:00:${String(f).padStart(2, '0')}.000`;
		records.push(r);
	}
	// Ids as bare JSON numbers, as VSA sends them.
	return JSON.stringify({ TotalRecords: 20000, Result: records, ResponseCode: 0, Status: 'OK', Error: 'None' }).replace(/"(\d{15,})"/g, '$1');
}

const text = page();
const variants = {
	'JSON.parse (not lossless)': () => JSON.parse(text),
	'scanner only': () => json.quoteLongIntegers(text),
	'scanner + JSON.parse (parseJsonLossless)': () => json.parseJsonLossless(text),
	...(json.JSON_PARSE_HAS_SOURCE
		? {
			'JSON.parse, reviver returning its value': () => JSON.parse(text, (_k, v) => v),
			'JSON.parse with source text (parseJsonWithSource)': () => json.parseJsonWithSource(text),
		}
		: {}),
};
const totals = Object.fromEntries(Object.keys(variants).map((k) => [k, 0]));
const ROUNDS = 20;
const PER = 30;
for (let round = 0; round < ROUNDS + 3; round++) {
	for (const [name, fn] of Object.entries(variants)) {
		const t0 = process.cpuUsage();
		for (let i = 0; i < PER; i++) fn();
		const c = process.cpuUsage(t0);
		if (round >= 3) totals[name] += (c.user + c.system) / PER;
	}
}
process.stdout.write(`${process.version}, page ${(text.length / 1024).toFixed(0)} KB, source text in revivers: ${json.JSON_PARSE_HAS_SOURCE}\n`);
for (const [name, us] of Object.entries(totals)) process.stdout.write(`${name.padEnd(52)} ${(us / ROUNDS / 1000).toFixed(3)} ms CPU per page\n`);
