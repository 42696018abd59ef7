'use strict';
/**
 * npm run bench — this package's nodes vs n8n's HTTP Request node, side by side in one run, in a real
 * n8n (the pinned runtime of scripts/n8n-runtime.js) with the package installed as a community
 * package, against the emulators with a fixed per-request latency. See bench/README.md.
 *
 * How it measures:
 *   - Times are n8n's own `executionTime` of the nodes, from the run data of every execution. One
 *     long-running `n8n start` runs all webhook-triggered scenarios; an external hook file
 *     (bench/lib/n8n-hook.js) hands each execution's run data, the n8n process's RSS sampled every
 *     10 ms and its CPU time to the benchmark, and forces a garbage collection between runs.
 *   - Scenario 1's memory is also measured where it is clean: each run in its own `n8n execute`
 *     process (bench/lib/memprobe.js samples RSS inside it).
 *   - Variants run alternately (A B A B …) after a warm-up; medians, min, max and ratios of medians.
 *   - Requests and logins are counted on the emulators (in this process).
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execSync } = require('child_process');
const runtime = require('../scripts/n8n-runtime');
const { parseArgs, helpText } = require('../scripts/lib/args');
const { createLogger, UserError } = require('../scripts/lib/log');
const { installPackage, prepareUserFolder, sleep } = require('../scripts/lib/n8n');
const { setUpStack, stopOnSignals } = require('../scripts/lib/stack');
const W = require('./lib/workflows');
const { summary } = require('./lib/stats');
const { timeStart, nodeDescriptionSizes } = require('./lib/startup');
const { breakdown } = require('./lib/profile');
const report = require('./lib/report');

const REPO = path.resolve(__dirname, '..');

const SPEC = {
	smoke: { type: 'boolean', help: 'one pair, tiny data (CI): exit 1 if any scenario errors' },
	latency: { type: 'number', default: 25, help: 'fixed latency per emulator request, ms' },
	pairs: { type: 'number', help: 'measured pairs per comparison (default 5; smoke 1)' },
	only: { type: 'string', help: 'comma list of scenarios to run: s1,s2,s3,s4,s5 (default all)' },
	skipBuild: { type: 'boolean', help: 'use the existing dist/ and build/' },
	keep: { type: 'boolean', help: 'keep the temp n8n user folders' },
	noWrite: { type: 'boolean', help: 'do not write bench/RESULTS.md and bench/results.svg (raw data still goes to bench/out/)' },
	profile: { type: 'boolean', help: 'after the timed runs, profile a few extra runs of scenarios 1 and 2 (V8 CPU profile of n8n per execution, in bench/out/<run>/profile/, open in Chrome DevTools) and attribute n8n CPU per page/item to its parts' },
	quick: { type: 'boolean', help: 'scenario 1 without the latency sweep and the `n8n execute` memory runs (for profiling while changing code)' },
	help: { type: 'boolean', help: 'this text' },
};

/** Sizes and repetitions. */
const FULL = {
	agents: 20000, alarms: 2000, writes: 500, plans: 2000, s3Executions: 50,
	warmup: 1, pairs: 5, executePairs: 2,
	sweep: { latencies: [5, 25, 100], rounds: { 5: 2, 25: 2, 100: 1 } },
	failoverMs: 4000, pollSeconds: 1, startupPairs: 3, startupWarmup: 1,
	batchings: [{ key: 'batch-5-per-25ms', size: 5, intervalMs: 25 }, { key: 'batch-50-per-25ms', size: 50, intervalMs: 25 }],
	// Our node at other settings, for information: the former default (5) and more in flight than the default.
	s2ExtraConcurrency: [5, 20],
};
const SMOKE = {
	agents: 300, alarms: 200, writes: 20, plans: 200, s3Executions: 5,
	warmup: 0, pairs: 1, executePairs: 1,
	sweep: { latencies: [5], rounds: { 5: 1 } },
	failoverMs: 1000, pollSeconds: 1, startupPairs: 1, startupWarmup: 0,
	batchings: [{ key: 'batch-5-per-25ms', size: 5, intervalMs: 25 }],
	s2ExtraConcurrency: [],
};

let log;

async function main(argv) {
	const opts = parseArgs(argv, SPEC);
	if (opts.help) {
		process.stdout.write(`${helpText('Usage: npm run bench [-- options]   (npm run bench:smoke = --smoke)', SPEC)}\n`);
		return 0;
	}
	const cfg = JSON.parse(JSON.stringify(opts.smoke ? SMOKE : FULL));
	cfg.batchings = (opts.smoke ? SMOKE : FULL).batchings;
	if (opts.pairs !== undefined) cfg.pairs = Math.max(1, Math.floor(opts.pairs));
	cfg.profileRuns = opts.profile ? (opts.smoke ? 1 : 3) : 0;
	if (opts.quick) {
		cfg.sweep = { latencies: [], rounds: {} };
		cfg.executePairs = 0;
	}
	cfg.latency = opts.latency;
	if (!cfg.sweep.latencies.includes(cfg.latency) && !opts.smoke && !opts.quick) cfg.sweep.latencies.push(cfg.latency);
	const only = new Set((opts.only || 's1,s2,s3,s4,s5').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean));
	for (const s of only) if (!/^s[1-5]$/.test(s)) throw new UserError(`--only: unknown scenario "${s}" (use s1,s2,s3,s4,s5)`);

	log = createLogger(opts.smoke ? 'bench:smoke' : 'bench');
	const startedAt = new Date();
	const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
	const outDir = path.join(REPO, 'bench', 'out', opts.smoke ? 'smoke' : stamp);
	fs.mkdirSync(outDir, { recursive: true });
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-kaseya-veeam-bench-'));
	const hookDir = path.join(tmp, 'hook');
	const probeDir = path.join(tmp, 'probe');
	fs.mkdirSync(hookDir);
	fs.mkdirSync(probeDir);

	const R = {
		meta: {
			command: `npm run ${opts.smoke ? 'bench:smoke' : 'bench'}${argv.filter((a) => a !== '--smoke').length ? ` -- ${argv.filter((a) => a !== '--smoke').join(' ')}` : ''}`,
			smoke: !!opts.smoke, startedAt: startedAt.toISOString(), config: cfg, only: [...only], machine: machineInfo(), versions: versions(),
			loadavgStart: os.loadavg(),
		},
		s1: null, s2: null, s3: null, s4: null, s5: null, errors: [],
	};
	log.step(`${R.meta.command}: latency ${cfg.latency} ms, ${cfg.pairs} pair(s) after ${cfg.warmup} warm-up; raw data in ${path.relative(REPO, outDir)}`);
	log.info(`machine: ${R.meta.machine.cpus}× ${R.meta.machine.cpuModel}, ${R.meta.machine.memGb} GB RAM, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);

	let stack = null;
	stopOnSignals(() => stack, log);
	const ctx = { cfg, hookDir, probeDir, tmp, outDir };
	try {
		const wanted = (s) => only.has(s);
		stack = await setUpStack({
			log,
			userFolder: path.join(tmp, 'user'),
			logFile: path.join(tmp, 'user', 'logs', 'n8n.log'),
			vsaPort: 0,
			vroPort: 0,
			n8nPort: await runtime.getFreePort(),
			skipBuild: opts.skipBuild,
			strictPackage: true,
			examples: false,
			consoleLog: false,
			vsaOptions: { agents: cfg.agents, alarms: cfg.alarms, latencyMs: cfg.latency },
			vroOptions: { plans: cfg.plans, latencyMs: cfg.latency, progress: { mode: 'time', stepMs: 500 } },
			extraCredentials: (c) => W.benchCredentials(c),
			extraWorkflows: (c) => buildWorkflows(c, ctx),
		});
		ctx.stack = stack;
		log.info(`scenario 2 alarms: ${ctx.alarmIds.length} open alarms; scenario 4 plan "${ctx.plan.name}" (${ctx.plan.planType}, ${ctx.planUnits} steps × ${ctx.stepMs} ms)`);

		if (wanted('s5')) await scenario(R, 's5', () => s5Descriptions(ctx));
		if (wanted('s1') && cfg.executePairs > 0) await scenario(R, 's1', () => s1Execute(ctx));

		const needServer = ['s1', 's2', 's3', 's4'].some(wanted);
		if (needServer) {
			await log.time('publishing the benchmark webhook workflow', () => stack.n8n.publish(ctx.webhookWorkflow.id));
			stack.n8n.extraEnv = {
				EXTERNAL_HOOK_FILES: path.join(__dirname, 'lib', 'n8n-hook.js'),
				BENCH_HOOK_DIR: hookDir,
				EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none',
				EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'false',
			};
			await log.time('starting n8n (one server for scenarios 1–4)', () => stack.n8n.start({ timeoutMs: 240000 }));
			ctx.consumed = 0;
			if (wanted('s1')) await scenario(R, 's1', () => s1Server(ctx, R.s1 || {}));
			if (wanted('s2')) await scenario(R, 's2', () => s2(ctx));
			if (wanted('s4')) await scenario(R, 's4', () => s4(ctx));
			if (wanted('s3')) await scenario(R, 's3', () => s3(ctx));
			await log.time('stopping n8n', () => stack.n8n.stop());
		}
	} catch (e) {
		R.errors.push({ scenario: 'setup', message: e instanceof UserError ? e.message : (e && e.stack) || String(e) });
		log.error(`setup failed: ${e instanceof UserError ? e.message : (e && e.stack) || e}`);
	} finally {
		if (stack) await stack.close();
	}
	if (only.has('s5') && !R.errors.some((e) => e.scenario === 'setup')) {
		await scenario(R, 's5', () => s5Startup(ctx, R.s5 || {}));
	}

	R.meta.finishedAt = new Date().toISOString();
	R.meta.durationS = Math.round((Date.now() - startedAt.getTime()) / 1000);
	R.meta.loadavgEnd = os.loadavg();
	fs.writeFileSync(path.join(outDir, 'results.json'), `${JSON.stringify(R, null, 1)}\n`);
	const md = report.markdown(R);
	const svg = report.svg(R);
	fs.writeFileSync(path.join(outDir, 'RESULTS.md'), md);
	fs.writeFileSync(path.join(outDir, 'results.svg'), svg);
	if (!opts.smoke && !opts.noWrite) {
		fs.writeFileSync(path.join(REPO, 'bench', 'RESULTS.md'), md);
		fs.writeFileSync(path.join(REPO, 'bench', 'results.svg'), svg);
	}
	process.stdout.write(`\n${report.consoleText(R)}\n`);
	process.stdout.write(`raw data: ${path.relative(process.cwd(), outDir)}/results.json${!opts.smoke && !opts.noWrite ? '; wrote bench/RESULTS.md and bench/results.svg' : ''}\n`);
	process.stdout.write(`bench finished in ${R.meta.durationS}s${R.errors.length ? ` with ${R.errors.length} error(s)` : ''}\n`);
	if (!opts.keep) fs.rmSync(tmp, { recursive: true, force: true });
	else process.stdout.write(`temp folders kept: ${tmp}\n`);
	return R.errors.length ? 1 : 0;
}

async function scenario(R, key, fn) {
	const s = Date.now();
	try {
		const out = await fn();
		R[key] = { ...(R[key] || {}), ...out };
	} catch (e) {
		R.errors.push({ scenario: key, message: (e && e.message) || String(e) });
		log.error(`${key} failed: ${(e && e.stack) || e}`);
	} finally {
		R[key] = { ...(R[key] || {}), seconds: ((R[key] && R[key].seconds) || 0) + Math.round((Date.now() - s) / 100) / 10 };
	}
}

// ==================================================================================================
// Workflows (built once the emulators run: they name real alarm ids and a real plan)
// ==================================================================================================
function buildWorkflows(c, ctx) {
	const { cfg } = ctx;
	cfg.defaultConcurrency = packageDefaultConcurrency();
	const vsa = c.emu.vsa;
	const vro = c.emu.vro;
	const open = vsa.store.alarms.filter((a) => a.MonitorAlarmStateId === 1).map((a) => String(a.AlarmId));
	if (open.length < cfg.writes) throw new Error(`the VSA emulator has ${open.length} open alarms, scenario 2 needs ${cfg.writes}: raise alarms`);
	ctx.alarmIds = open.slice(0, cfg.writes);
	const plan = vro.store.plans.find((p) => p.enabled && p.state === 'Ready' && !p.failure && p.planType === 'Replica' && vro.engine.units(p).length >= 4);
	if (!plan) throw new Error('no enabled, ready Replica plan in the Orchestrator emulator');
	ctx.plan = plan;
	ctx.planUnits = vro.engine.units(plan).length;
	ctx.stepMs = Math.max(1, Math.round(cfg.failoverMs / ctx.planUnits));
	vro.engine.progress.mode = 'time';
	vro.engine.progress.stepMs = ctx.stepMs;

	ctx.branches = {};
	const all = [
		...W.s1Branches(c.vsaUrl, cfg.defaultConcurrency),
		...W.s2Branches(c.vsaUrl, ctx.alarmIds, cfg.batchings, cfg.s2ExtraConcurrency),
		...W.s3Branches(c.vsaUrl),
		...W.s4Branches(c.vroUrl, plan.id, cfg.pollSeconds),
	];
	for (const b of all) ctx.branches[b.key] = b;
	ctx.webhookWorkflow = W.webhookWorkflow('benchWebhooks0001', 'bench: all webhook scenarios', all);
	ctx.executeWorkflows = W.s1ExecuteWorkflows(c.vsaUrl, cfg.defaultConcurrency);
	return [ctx.webhookWorkflow, ...Object.values(ctx.executeWorkflows)];
}

// ==================================================================================================
// Running one webhook branch and reading n8n's run data from the hook
// ==================================================================================================
function hookFiles(dir) {
	return fs.readdirSync(dir).filter((f) => /^\d+-.*\.json$/.test(f)).sort();
}

async function nextRecord(ctx, triggerName, timeoutMs = 60000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const files = hookFiles(ctx.hookDir);
		while (ctx.consumed < files.length) {
			const rec = JSON.parse(fs.readFileSync(path.join(ctx.hookDir, files[ctx.consumed]), 'utf8'));
			ctx.consumed++;
			if (rec.nodes && rec.nodes[triggerName]) return rec;
		}
		if (Date.now() > deadline) {
			const errs = fs.readdirSync(ctx.hookDir).filter((f) => f.startsWith('error-'));
			throw new Error(`no run data from the n8n hook for "${triggerName}" within ${timeoutMs / 1000}s${errs.length ? ` (hook errors: ${fs.readFileSync(path.join(ctx.hookDir, errs[0]), 'utf8').slice(0, 300)})` : ''}`);
		}
		await sleep(20);
	}
}

/** Largest number of request arrivals within any `windowMs` (≈ requests in flight at once when each takes ≥ windowMs). */
function peakBurst(entries, windowMs) {
	let best = 0;
	let j = 0;
	for (let i = 0; i < entries.length; i++) {
		while (entries[i].at - entries[j].at >= Math.max(1, windowMs)) j++;
		best = Math.max(best, i - j + 1);
	}
	return best;
}

const nodeRuns = (rec, name) => (rec.nodes && rec.nodes[name]) || [];
const sumTime = (rec, names) => names.reduce((t, n) => t + nodeRuns(rec, n).reduce((s, r) => s + (Number(r.executionTime) || 0), 0), 0);

/**
 * Trigger a branch once and collect: n8n's executionTime of its timed nodes, the RSS window, CPU,
 * the emulator requests it made. Throws when the execution did not succeed.
 */
async function runBranch(ctx, key, { settleMs = 100 } = {}) {
	const { stack } = ctx;
	const b = ctx.branches[key];
	const vsaLog = stack.emu.vsa.log;
	const vroLog = stack.emu.vro.emulator.log;
	const vsaMark = vsaLog.length;
	const vroMark = vroLog.length;
	const cpu0 = process.cpuUsage();
	let t0 = Date.now();
	let res = await stack.n8n.webhook(b.path, { timeoutMs: 600000 });
	// Right after start-up n8n answers /healthz before it has registered the published webhooks.
	for (const until = Date.now() + 90000; res.status === 404 && /not registered/i.test(res.text) && Date.now() < until;) {
		await sleep(500);
		t0 = Date.now();
		res = await stack.n8n.webhook(b.path, { timeoutMs: 600000 });
	}
	const wallMs = Date.now() - t0;
	const cpu = process.cpuUsage(cpu0);
	if (res.status !== 200) throw new Error(`${key}: webhook answered HTTP ${res.status}: ${res.text.slice(0, 300)}`);
	const rec = await nextRecord(ctx, W.hookName(b.path));
	if (rec.status !== 'success' || rec.error) throw new Error(`${key}: execution ${rec.status}: ${rec.error || ''}`);
	for (const [n, runs] of Object.entries(rec.nodes)) {
		const err = runs.find((r) => r.error);
		if (err) throw new Error(`${key}: node "${n}" failed: ${err.error}`);
	}
	const windowNames = b.window || b.timed;
	const windowRuns = windowNames.flatMap((n) => nodeRuns(rec, n));
	if (!windowRuns.length) throw new Error(`${key}: the timed nodes did not run (${windowNames.join(', ')})`);
	const firstTimed = nodeRuns(rec, b.timed[0])[0];
	const vsaReqs = vsaLog.slice(vsaMark);
	const vroReqs = vroLog.slice(vroMark);
	const reqs = [...vsaReqs, ...vroReqs];
	const run = {
		key,
		timeMs: sumTime(rec, b.timed),
		windowMs: sumTime(rec, windowNames),
		execMs: rec.stoppedAt && rec.startedAt ? rec.stoppedAt - rec.startedAt : undefined,
		wallMs,
		rssStart: firstTimed ? firstTimed.rssStart : undefined,
		rssPeak: Math.max(...windowRuns.map((r) => r.rssPeak || 0)),
		n8nCpuMs: windowRuns.reduce((s, r) => s + (r.cpuMs || 0), 0),
		emuCpuMs: Math.round((cpu.user + cpu.system) / 1000),
		requests: reqs.length,
		logins: vsaReqs.filter((e) => /\/auth$/i.test(e.path)).length + vroReqs.filter((e) => /\/token$/i.test(e.path)).length,
		peakBurst: peakBurst(reqs, ctx.stack.emu.vsa.server.latencyMs || ctx.cfg.latency),
		items: Object.fromEntries(Object.entries(rec.nodes).map(([n, runs]) => [n, runs[runs.length - 1].items])),
		nodeRuns: Object.fromEntries(Object.entries(rec.nodes).map(([n, runs]) => [n, runs.length])),
		gc: rec.gc,
		profile: rec.profile ? path.join(ctx.hookDir, rec.profile) : undefined,
	};
	run.rssDelta = Number.isFinite(run.rssStart) ? run.rssPeak - run.rssStart : undefined;
	if (settleMs) await sleep(settleMs);
	return run;
}

function progress(label, run, extra = '') {
	log.info(`${label.padEnd(28)} ${String(Math.round(run.timeMs)).padStart(6)} ms in node(s)  ${String(run.requests).padStart(4)} req  peak RSS ${Math.round(run.rssPeak / 1048576)} MB  n8n CPU ${run.n8nCpuMs} ms${extra}`);
}

function expect(cond, message) {
	if (!cond) throw new Error(message);
}

// ==================================================================================================
// Scenario 1: Return All of the agents
// ==================================================================================================
/** Clean memory: each run in its own `n8n execute` process (memprobe samples RSS inside it). */
async function s1Execute(ctx) {
	const { stack, cfg, probeDir } = ctx;
	const n8n = stack.n8n;
	n8n.extraEnv = {
		NODE_OPTIONS: `--require=${path.join(__dirname, 'lib', 'memprobe.js')}`,
		BENCH_MEMPROBE_DIR: probeDir,
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none',
	};
	const runs = { ours: [], http: [] };
	try {
		log.step(`scenario 1 (clean memory): ${cfg.executePairs} pair(s) of \`n8n execute\`, one process per run, ${cfg.agents} agents ...`);
		for (let i = 0; i < cfg.executePairs; i++) {
			for (const v of ['ours', 'http']) {
				const wf = ctx.executeWorkflows[v];
				for (const f of fs.readdirSync(probeDir)) fs.rmSync(path.join(probeDir, f));
				const r = await n8n.execute(wf.id, { timeoutMs: 600000 });
				try { fs.truncateSync(n8n.logFile, 0); } catch { /* none yet */ }
				if (!r.ok) throw new Error(`n8n execute ${wf.id}: ${r.error}`);
				const rd = r.run.data.resultData.runData;
				const probe = fs.readdirSync(probeDir).map((f) => JSON.parse(fs.readFileSync(path.join(probeDir, f), 'utf8'))).find((p) => p.argv.includes('execute'));
				const names = v === 'ours' ? [`S1 ours c=${cfg.defaultConcurrency}`] : ['S1 HTTP Request', 'S1 Split Out'];
				const timed = names.slice(0, 1);
				const nodeRunsOf = (n) => (rd[n] || []);
				const windowRuns = names.flatMap(nodeRunsOf);
				expect(windowRuns.length === names.length, `n8n execute ${wf.id}: nodes did not run`);
				const lastItems = nodeRunsOf(names[names.length - 1])[0].data.main[0].length;
				expect(lastItems === cfg.agents, `n8n execute ${wf.id}: ${lastItems} items, expected ${cfg.agents}`);
				const from = Math.min(...windowRuns.map((x) => x.startTime));
				const to = Math.max(...windowRuns.map((x) => x.startTime + x.executionTime));
				const mem = probe ? windowPeak(probe.samples, from, to) : {};
				const run = {
					timeMs: timed.reduce((s, n) => s + nodeRunsOf(n).reduce((t, x) => t + x.executionTime, 0), 0),
					windowMs: to - from,
					rssStart: mem.start, rssPeak: mem.peak, rssDelta: mem.peak - mem.start,
					processMaxRss: probe ? probe.maxRssKb * 1024 : undefined,
					processMs: r.durationMs,
				};
				runs[v].push(run);
				log.info(`${`execute ${v}`.padEnd(16)} ${String(run.timeMs).padStart(6)} ms in node  peak RSS while running ${Math.round(run.rssPeak / 1048576)} MB (start ${Math.round(run.rssStart / 1048576)} MB), process peak ${Math.round(run.processMaxRss / 1048576)} MB, process ${(r.durationMs / 1000).toFixed(1)} s`);
			}
		}
	} finally {
		n8n.extraEnv = {};
	}
	return { execute: runs };
}

function windowPeak(samples, from, to) {
	let start = samples[0] ? samples[0][1] : NaN;
	let peak = 0;
	let after = null;
	for (const [t, rss] of samples) {
		if (t <= from) start = rss;
		if (t >= from && t <= to) peak = Math.max(peak, rss);
		if (t > to && after === null) after = rss;
	}
	peak = Math.max(peak, start, after || 0);
	return { start, peak };
}

async function s1Server(ctx, prev) {
	const { cfg, stack } = ctx;
	const pages = Math.ceil(cfg.agents / W.VSA_PAGE);
	const main = { ours: [], http: [] };
	const D = cfg.defaultConcurrency;
	log.step(`scenario 1: Return All of ${cfg.agents} agents (${pages} pages) at ${cfg.latency} ms — ${cfg.warmup} warm-up + ${cfg.pairs} pairs, ours (default concurrency ${D}) / HTTP Request pagination ...`);
	const check = (run, concurrency) => {
		const last = concurrency ? `S1 ours c=${concurrency}` : 'S1 Split Out';
		expect(run.items[last] === cfg.agents, `scenario 1 ${last}: ${run.items[last]} items, expected ${cfg.agents}`);
	};
	for (let i = 0; i < cfg.warmup + cfg.pairs; i++) {
		for (const v of ['ours', 'http']) {
			const run = await runBranch(ctx, v === 'ours' ? `s1-ours-c${D}` : 's1-http', { settleMs: 500 });
			check(run, v === 'ours' ? D : null);
			progress(`${i < cfg.warmup ? 'warm-up' : `pair ${i - cfg.warmup + 1}`} ${v === 'ours' ? `ours c=${D}` : 'HTTP Request'}`, run);
			if (i >= cfg.warmup) main[v].push(run);
		}
	}

	// Sweep: latency × our concurrency (and the HTTP Request node at each latency).
	const sweep = [];
	for (const latency of cfg.sweep.latencies) {
		const rounds = cfg.sweep.rounds[latency] || 1;
		stack.emu.vsa.server.latencyMs = latency;
		log.step(`scenario 1 sweep at ${latency} ms: concurrency ${W.s1Concurrencies(D).join(', ')} and HTTP Request, ${rounds} round(s) ...`);
		const variants = [...W.s1Concurrencies(D).map((c) => ({ key: `s1-ours-c${c}`, concurrency: c })), { key: 's1-http', concurrency: null }];
		for (let r = 0; r < rounds; r++) {
			const order = r % 2 === 0 ? variants : [...variants].reverse();
			for (const v of order) {
				// The default row already has its pairs from the main comparison.
				if (latency === cfg.latency && (v.concurrency === D || v.concurrency === null) && main.ours.length) continue;
				const run = await runBranch(ctx, v.key, { settleMs: 500 });
				check(run, v.concurrency);
				progress(`${latency} ms ${v.concurrency === null ? 'HTTP Request' : `ours c=${v.concurrency}`}`, run);
				sweep.push({ latency, concurrency: v.concurrency, ...run });
			}
		}
	}
	stack.emu.vsa.server.latencyMs = cfg.latency;
	for (const v of ['ours', 'http']) {
		for (const run of main[v]) sweep.push({ latency: cfg.latency, concurrency: v === 'ours' ? D : null, ...run });
	}
	const profile = cfg.profileRuns
		? {
			ours: await profiled(ctx, `s1-ours-c${D}`, cfg.profileRuns, pages, (run) => check(run, D)),
			http: await profiled(ctx, 's1-http', cfg.profileRuns, pages, (run) => check(run, null)),
		}
		: undefined;
	return { ...prev, pages, main, sweep, profile };
}

/**
 * Extra runs of one branch with a V8 CPU profile of n8n each (after the timed runs, which are never
 * profiled): the median CPU per unit (page, item) of each part, from bench/lib/profile.js.
 */
async function profiled(ctx, key, n, units, check, before) {
	const dest = path.join(ctx.outDir, 'profile');
	fs.mkdirSync(dest, { recursive: true });
	const files = [];
	const cpu = [];
	log.step(`profiling ${n} extra run(s) of ${key} ...`);
	for (let i = 0; i < n; i++) {
		if (before) before();
		fs.writeFileSync(path.join(ctx.hookDir, 'profile-next'), '');
		const mark = ctx.stack.emu.vsa.log.length;
		const run = await runBranch(ctx, key, { settleMs: 500 });
		if (check) check(run, mark);
		if (!run.profile || !fs.existsSync(run.profile)) throw new Error(`${key}: the n8n hook wrote no CPU profile`);
		const file = path.join(dest, `${key}-${i + 1}.cpuprofile`);
		fs.renameSync(run.profile, file);
		files.push(file);
		cpu.push(run.n8nCpuMs);
		progress(`profiled ${key}`, run);
	}
	const b = breakdown(files, units);
	const med = summary(cpu).median;
	return { ...b, n8nCpuPerUnitMs: med / units, samplingUs: Number(process.env.BENCH_HOOK_PROFILE_US) || 250, files: files.map((f) => path.relative(REPO, f)) };
}

// ==================================================================================================
// Scenario 2: per-item writes
// ==================================================================================================
function reopenAlarms(ctx) {
	for (const id of ctx.alarmIds) {
		const a = ctx.stack.emu.vsa.store.alarm(id);
		a.MonitorAlarmStateId = 1;
		a.State = 'Open';
		a.Notes = null;
	}
}

function checkClosed(ctx, run, key, vsaMark) {
	const store = ctx.stack.emu.vsa.store;
	const notClosed = ctx.alarmIds.filter((id) => {
		const a = store.alarm(id);
		return a.MonitorAlarmStateId !== 2 || a.Notes !== W.NOTE;
	});
	expect(notClosed.length === 0, `scenario 2 ${key}: ${notClosed.length} alarm(s) not closed with the note`);
	const puts = ctx.stack.emu.vsa.log.slice(vsaMark).filter((e) => e.method === 'PUT' && /\/close$/.test(e.path));
	const distinct = new Set(puts.map((e) => e.path)).size;
	expect(puts.length === ctx.alarmIds.length && distinct === ctx.alarmIds.length, `scenario 2 ${key}: ${puts.length} close requests for ${distinct} alarms (expected ${ctx.alarmIds.length} each once)`);
	run.writes = puts.length;
}

async function s2(ctx) {
	const { cfg } = ctx;
	const variants = ['s2-ours', 's2-http-default', ...cfg.batchings.map((b) => `s2-http-${b.key}`), ...cfg.s2ExtraConcurrency.map((c) => `s2-ours-c${c}`)];
	const runs = Object.fromEntries(variants.map((v) => [v, []]));
	log.step(`scenario 2: close ${cfg.writes} alarms with a note — ${cfg.warmup} warm-up + ${cfg.pairs} rounds of ${variants.join(' / ')} ...`);
	for (let i = 0; i < cfg.warmup + cfg.pairs; i++) {
		for (const v of variants) {
			reopenAlarms(ctx);
			const mark = ctx.stack.emu.vsa.log.length;
			const run = await runBranch(ctx, v, { settleMs: 200 });
			checkClosed(ctx, run, v, mark);
			progress(`${i < cfg.warmup ? 'warm-up' : `round ${i - cfg.warmup + 1}`} ${v.replace(/^s2-/, '')}`, run, `  ≥${run.peakBurst} at once`);
			if (i >= cfg.warmup) runs[v].push(run);
		}
	}
	const profile = cfg.profileRuns
		? {
			ours: await profiled(ctx, 's2-ours', Math.min(2, cfg.profileRuns), cfg.writes, (run, mark) => checkClosed(ctx, run, 's2-ours', mark), () => reopenAlarms(ctx)),
			http: await profiled(ctx, 's2-http-default', Math.min(2, cfg.profileRuns), cfg.writes, (run, mark) => checkClosed(ctx, run, 's2-http-default', mark), () => reopenAlarms(ctx)),
		}
		: undefined;
	return { writes: cfg.writes, runs, batchings: cfg.batchings, profile };
}

// ==================================================================================================
// Scenario 3: logins over many executions
// ==================================================================================================
async function s3(ctx) {
	const { cfg, stack } = ctx;
	const vsa = stack.emu.vsa;
	const out = {};
	log.step(`scenario 3: ${cfg.s3Executions} executions per approach, counting logins on the VSA emulator ...`);
	for (const key of ['s3-ours', 's3-http-predefined', 's3-http-login']) {
		const before = vsa.logins();
		const authBefore = vsa.log.filter((e) => /\/auth$/i.test(e.path)).length;
		const times = [];
		const walls = [];
		for (let i = 0; i < cfg.s3Executions; i++) {
			const run = await runBranch(ctx, key, { settleMs: 0 });
			times.push(run.timeMs);
			walls.push(run.wallMs);
		}
		const logins = vsa.logins() - before;
		const authCalls = vsa.log.filter((e) => /\/auth$/i.test(e.path)).length - authBefore;
		out[key] = { executions: cfg.s3Executions, logins, authCalls, timeMs: times, wallMs: walls };
		log.info(`${key.replace(/^s3-/, '').padEnd(18)} ${logins} login(s) in ${cfg.s3Executions} executions; median ${Math.round(summary(times).median)} ms in nodes, ${Math.round(summary(walls).median)} ms per webhook call`);
	}
	return { runs: out };
}

// ==================================================================================================
// Scenario 4: Veeam Orchestrator
// ==================================================================================================
async function s4(ctx) {
	const { cfg, stack } = ctx;
	const vro = stack.emu.vro;
	const plans = { ours: [], http: [] };
	log.step(`scenario 4a: Return All of ${cfg.plans} plans on ${W.VRO_VERSION} — ${cfg.warmup} warm-up + ${cfg.pairs} pairs ...`);
	for (let i = 0; i < cfg.warmup + cfg.pairs; i++) {
		for (const v of ['ours', 'http']) {
			const run = await runBranch(ctx, `s4-plans-${v}`, { settleMs: 200 });
			const n = v === 'ours' ? run.items['S4 ours plans'] : run.items['S4 HTTP split out'];
			expect(n === cfg.plans, `scenario 4 plans ${v}: ${n} plans, expected ${cfg.plans}`);
			progress(`${i < cfg.warmup ? 'warm-up' : `pair ${i - cfg.warmup + 1}`} plans ${v}`, run, `  (${run.logins} token call(s))`);
			if (i >= cfg.warmup) plans[v].push(run);
		}
	}
	const failover = { ours: [], http: [] };
	const plan = ctx.plan;
	log.step(`scenario 4b: failover of "${plan.name}" (${ctx.planUnits} steps, ~${cfg.failoverMs} ms) with Wait for Completion, poll every ${cfg.pollSeconds} s — ${cfg.warmup} warm-up + ${cfg.pairs} pairs ...`);
	for (let i = 0; i < cfg.warmup + cfg.pairs; i++) {
		for (const v of ['ours', 'http']) {
			vro.engine.setState(plan, 'Ready');
			const run = await runBranch(ctx, `s4-fail-${v}`, { settleMs: 100 });
			expect(plan.state === 'FailoverComplete', `scenario 4 failover ${v}: plan ended in state ${plan.state}`);
			const polls = v === 'ours' ? undefined : run.nodeRuns['S4 HTTP get plan'];
			progress(`${i < cfg.warmup ? 'warm-up' : `pair ${i - cfg.warmup + 1}`} failover ${v}`, run, `  (${run.logins} token call(s)${polls ? `, ${polls} polls` : ''})`);
			if (i >= cfg.warmup) failover[v].push(run);
		}
	}
	vro.engine.setState(plan, 'Ready');
	return { plans, failover, planName: plan.name, planSteps: ctx.planUnits, stepMs: ctx.stepMs, pollSeconds: cfg.pollSeconds };
}

// ==================================================================================================
// Scenario 5: editor cost
// ==================================================================================================
async function s5Descriptions(ctx) {
	const file = path.join(ctx.tmp, 'export-nodes.json');
	const sizes = await log.time('scenario 5: node descriptions (n8n export:nodes)', () => nodeDescriptionSizes(ctx.stack.n8n, file, {
		prefixes: ['n8n-nodes-kaseya-veeam.'], extraTypes: ['n8n-nodes-base.httpRequest'],
	}));
	for (const r of sizes.rows) log.info(`${r.type} v${r.version}: ${(r.bytes / 1024).toFixed(1)} KB (${r.properties} properties)`);
	return { descriptions: sizes };
}

async function s5Startup(ctx, prev) {
	const { cfg, tmp } = ctx;
	const folders = {
		without: prepareUserFolder(path.join(tmp, 's5-without')),
		with: prepareUserFolder(path.join(tmp, 's5-with')),
	};
	installPackage(folders.with);
	const runs = { with: [], without: [] };
	log.step(`scenario 5: n8n start-up time with / without the package — ${cfg.startupWarmup} warm-up + ${cfg.startupPairs} pairs, alternating ...`);
	for (let i = 0; i < cfg.startupWarmup + cfg.startupPairs; i++) {
		for (const v of ['without', 'with']) {
			const r = await timeStart({ userFolder: folders[v] });
			log.info(`${i < cfg.startupWarmup ? 'warm-up' : `pair ${i - cfg.startupWarmup + 1}`} ${v.padEnd(8)} ready after ${r.readyMs} ms, RSS ${Math.round(r.rssBytes / 1048576)} MB`);
			if (i >= cfg.startupWarmup) runs[v].push(r);
		}
	}
	const installed = path.join(folders.with, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-kaseya-veeam');
	return { ...prev, startup: runs, packageBytes: dirSize(installed) };
}

function dirSize(dir) {
	let total = 0;
	for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
		const p = path.join(dir, e.name);
		total += e.isDirectory() ? dirSize(p) : fs.statSync(p).size;
	}
	return total;
}

// ==================================================================================================
// Machine and versions
// ==================================================================================================
/** Kaseya VSA's default concurrency, from the package just built (what an untouched node uses). */
function packageDefaultConcurrency() {
	const dist = path.join(REPO, 'dist', 'nodes');
	const vsa = require(path.join(dist, 'KaseyaVsa', 'transport.js'));
	return vsa.VSA_DEFAULT_CONCURRENCY ?? require(path.join(dist, 'shared', 'descriptions.js')).DEFAULT_CONCURRENCY;
}

function machineInfo() {
	const cpus = os.cpus();
	return {
		cpus: cpus.length,
		nproc: safe(() => execSync('nproc', { encoding: 'utf8' }).trim()),
		cpuModel: (cpus[0] && cpus[0].model) || 'unknown',
		memGb: Math.round(os.totalmem() / 2 ** 30),
		os: `${os.type()} ${os.release()} ${os.arch()}`,
	};
}

function versions() {
	const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
	return {
		package: `${pkg.name}@${pkg.version}`,
		commit: safe(() => execSync('git rev-parse --short HEAD', { cwd: REPO, encoding: 'utf8' }).trim()),
		dirty: safe(() => execSync('git status --porcelain -- nodes credentials package.json', { cwd: REPO, encoding: 'utf8' }).trim() !== ''),
		benchNode: process.version,
		n8nNode: runtime.NODE_VERSION,
		n8n: runtime.N8N_VERSION,
		httpRequestTypeVersion: W.HTTP_VERSION,
	};
}

function safe(fn) {
	try { return fn(); } catch { return undefined; }
}

module.exports = { main };
