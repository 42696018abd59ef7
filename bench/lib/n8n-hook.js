'use strict';
/**
 * n8n external hook file (EXTERNAL_HOOK_FILES) of the benchmark, loaded into the long-running
 * `n8n start`. It never changes what n8n does; it only records:
 *
 *   - the resident set size of the n8n process and its CPU time every BENCH_HOOK_SAMPLE_MS ms (default 10);
 *   - after every execution (`workflow.postExecute`, which receives n8n's own run data), one file
 *     <BENCH_HOOK_DIR>/<epochMs>-<pid>-<seq>-<executionId>.json with, per node run: startTime, executionTime (n8n's
 *     numbers), output item count, error message, and the RSS at the node's start and the peak RSS
 *     sampled while it ran, and the process CPU time (user + system) over the same window; plus the execution's start/stop and the process peak (getrusage);
 *   - then a full garbage collection (after a short delay, when n8n has finished with the run), so
 *     the next run starts from a collected heap;
 *   - with `npm run bench -- --profile`: when the benchmark has left a file `profile-next` in
 *     BENCH_HOOK_DIR, a V8 CPU profile of that one execution (inspector, main thread, sampled every
 *     BENCH_HOOK_PROFILE_US µs, default 250), written as <file>.cpuprofile next to its record.
 *
 * Plain Node built-ins. A failure here is swallowed: the benchmark then reports a missing record.
 */
const fs = require('fs');
const inspector = require('inspector');
const path = require('path');
const v8 = require('v8');
const vm = require('vm');

const dir = process.env.BENCH_HOOK_DIR;
const every = Math.max(2, Number(process.env.BENCH_HOOK_SAMPLE_MS) || 10);
const CAP = 400000;

let gc = null;
try {
	v8.setFlagsFromString('--expose-gc');
	gc = vm.runInNewContext('gc');
} catch { /* no forced GC */ }

const ts = [];
const rss = [];
const cpu = [];
function sample() {
	const c = process.cpuUsage();
	ts.push(Date.now());
	rss.push(process.memoryUsage.rss());
	cpu.push((c.user + c.system) / 1000);
	if (ts.length > CAP) {
		ts.splice(0, CAP / 2);
		rss.splice(0, CAP / 2);
		cpu.splice(0, CAP / 2);
	}
}
if (dir) {
	sample();
	setInterval(sample, every).unref();
}

/** Last sample at or before t (the RSS when something started). */
function rssAt(t) {
	return valueAt(rss, t);
}

function valueAt(series, t) {
	let v = series[0];
	for (let i = 0; i < ts.length && ts[i] <= t; i++) v = series[i];
	return v;
}

/** CPU time (ms, user + system, all threads of the process) spent between two sample times. */
function cpuBetween(from, to) {
	let after = cpu[cpu.length - 1];
	for (let i = 0; i < ts.length; i++) {
		if (ts[i] >= to) {
			after = cpu[i];
			break;
		}
	}
	return Math.max(0, after - valueAt(cpu, from));
}

/** Peak RSS over [from, to], including the sample just before `from` and just after `to`. */
function peakIn(from, to) {
	let peak = 0;
	let before = -1;
	for (let i = 0; i < ts.length; i++) {
		if (ts[i] < from) {
			before = i;
			continue;
		}
		if (ts[i] > to) {
			peak = Math.max(peak, rss[i]);
			break;
		}
		peak = Math.max(peak, rss[i]);
	}
	if (before >= 0) peak = Math.max(peak, rss[before]);
	return peak;
}

let seq = 0;

// One execution's CPU profile, started in workflow.preExecute when the benchmark asked for it.
let profiler = null;
const PROFILE_US = Math.max(50, Number(process.env.BENCH_HOOK_PROFILE_US) || 250);
function post(session, method, params) {
	return new Promise((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
}

async function preExecute() {
	if (!dir || profiler) return;
	try {
		const flag = path.join(dir, 'profile-next');
		if (!fs.existsSync(flag)) return;
		fs.rmSync(flag, { force: true });
		const session = new inspector.Session();
		session.connect();
		await post(session, 'Profiler.enable');
		await post(session, 'Profiler.setSamplingInterval', { interval: PROFILE_US });
		await post(session, 'Profiler.start');
		profiler = session;
	} catch (e) {
		try { fs.writeFileSync(path.join(dir, `error-${Date.now()}.txt`), String((e && e.stack) || e)); } catch { /* ignore */ }
	}
}

async function stopProfile() {
	const session = profiler;
	profiler = null;
	if (!session) return undefined;
	try {
		const { profile } = await post(session, 'Profiler.stop');
		return profile;
	} finally {
		session.disconnect();
	}
}

function countItems(run) {
	const main = run && run.data && run.data.main;
	if (!Array.isArray(main)) return 0;
	return main.reduce((n, out) => n + (Array.isArray(out) ? out.length : 0), 0);
}

async function postExecute(fullRunData, workflowData, executionId) {
	if (!dir) return;
	let profile;
	try {
		profile = await stopProfile();
	} catch { /* no profile */ }
	try {
		sample();
		const rd = (fullRunData && fullRunData.data && fullRunData.data.resultData) || {};
		const nodes = {};
		for (const [name, runs] of Object.entries(rd.runData || {})) {
			nodes[name] = (runs || []).map((r) => {
				const start = Number(r.startTime) || 0;
				const end = start + (Number(r.executionTime) || 0);
				return {
					startTime: start,
					executionTime: r.executionTime,
					items: countItems(r),
					error: r.error ? String(r.error.message || r.error.name || 'error') : undefined,
					rssStart: rssAt(start),
					rssPeak: peakIn(start, end),
					cpuMs: Math.round(cpuBetween(start, end)),
				};
			});
		}
		const startedAt = fullRunData && fullRunData.startedAt ? new Date(fullRunData.startedAt).getTime() : undefined;
		const stoppedAt = fullRunData && fullRunData.stoppedAt ? new Date(fullRunData.stoppedAt).getTime() : Date.now();
		const record = {
			seq: ++seq,
			executionId,
			workflowId: workflowData && workflowData.id,
			mode: fullRunData && fullRunData.mode,
			status: fullRunData && fullRunData.status,
			error: rd.error ? String(rd.error.message || rd.error.name) : undefined,
			lastNodeExecuted: rd.lastNodeExecuted,
			startedAt,
			stoppedAt,
			rssAtStart: startedAt ? rssAt(startedAt) : undefined,
			rssPeakRun: startedAt ? peakIn(startedAt, stoppedAt) : undefined,
			maxRssKb: process.resourceUsage().maxRSS,
			pid: process.pid,
			gc: !!gc,
			nodes,
		};
		// Time first, so names sort in write order across server restarts.
		const file = path.join(dir, `${Date.now()}-${process.pid}-${String(seq).padStart(6, '0')}-${executionId || 'x'}.json`);
		if (profile) {
			fs.writeFileSync(`${file}.cpuprofile`, JSON.stringify(profile));
			record.profile = path.basename(`${file}.cpuprofile`);
		}
		fs.writeFileSync(`${file}.tmp`, JSON.stringify(record));
		fs.renameSync(`${file}.tmp`, file);
	} catch (e) {
		try { fs.writeFileSync(path.join(dir, `error-${Date.now()}.txt`), String((e && e.stack) || e)); } catch { /* ignore */ }
	}
	if (gc) setTimeout(() => { try { gc(); sample(); } catch { /* ignore */ } }, 300).unref();
}

module.exports = { workflow: { preExecute: [preExecute], postExecute: [postExecute] } };
