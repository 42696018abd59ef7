'use strict';
/**
 * Preloaded into n8n by the benchmark (NODE_OPTIONS=--require <this file>) when BENCH_MEMPROBE_DIR is
 * set; does nothing otherwise. Samples this process's resident set size every BENCH_MEMPROBE_MS ms
 * (default 20) and, when the process exits, writes <dir>/<pid>.json with
 *   { pid, argv, t0, maxRssKb (getrusage peak, exact), samples: [[epochMs, rssBytes], ...] }.
 * The benchmark then takes the peak RSS inside a node's time window (startTime .. + executionTime
 * from n8n's run data) and the process peak. Plain Node built-ins; never throws into n8n.
 */
const dir = process.env.BENCH_MEMPROBE_DIR;
if (dir) {
	try {
		const fs = require('fs');
		const path = require('path');
		const every = Math.max(5, Number(process.env.BENCH_MEMPROBE_MS) || 20);
		const t0 = Date.now();
		const samples = [];
		const sample = () => samples.push([Date.now(), process.memoryUsage.rss()]);
		sample();
		const timer = setInterval(sample, every);
		timer.unref();
		process.on('exit', () => {
			try {
				sample();
				const out = { pid: process.pid, argv: process.argv.slice(1), t0, maxRssKb: process.resourceUsage().maxRSS, samples };
				fs.writeFileSync(path.join(dir, `${process.pid}.json`), JSON.stringify(out));
			} catch { /* never break n8n */ }
		});
	} catch { /* never break n8n */ }
}
