'use strict';
/**
 * What each example workflow (examples/*.json, by fixed id) must output when it runs against the
 * emulators' demo data, and how `npm run demo` summarises it. Shared by the demo and the e2e suite.
 *
 * check(run, h) returns a list of problems ([] = as expected); h.items(nodeName) gives a node's output.
 * summary(run, h) returns the short text for the demo table; details(run, h) extra lines.
 */
const { nodeItems, lastNode } = require('./runs');

const digits = (v) => typeof v === 'string' && /^\d+$/.test(v);
/** The "Standard" desk of the emulator's demo data, picked in examples/01-offline-agents-to-tickets.json. */
const DEMO_DESK_ID = '70265872624723352793589064';
/** The "Incident Management" desk of the demo data, picked in examples/06-vspc-failed-job-to-vsa-ticket.json. */
const INCIDENT_DESK_ID = '74689163828497960682334541';
const count = (items, pred) => items.filter(pred).length;

function expect(problems, ok, message) {
	if (!ok) problems.push(message);
}

const SPECS = {
	exOfflineAgentTix: {
		check(run, h) {
			const p = [];
			const agents = h.items('Get offline agents');
			const tickets = h.items('Create ticket per agent');
			expect(p, agents.length === 3, `expected 3 offline agents (Limit 3), got ${agents.length}`);
			expect(p, agents.every((a) => a.Online === 0), 'an agent that is not offline (Online ≠ 0) was listed');
			expect(p, agents.every((a) => digits(a.AgentId) && a.AgentId.length >= 15), 'AgentId is not a lossless digit string');
			expect(p, tickets.length === agents.length, `expected one ticket per agent, got ${tickets.length}`);
			tickets.forEach((t, i) => {
				expect(p, digits(t.ServiceDeskTicketId), `ticket ${i + 1}: ServiceDeskTicketId is not a digit string`);
				expect(p, agents[i] && t.Summary === `Agent offline: ${agents[i].ComputerName} (${agents[i].MachineGroup})`, `ticket ${i + 1}: summary "${t.Summary}" does not name its agent`);
				// Priority and Category were given by name; the node sent their IDs and the desk answers the names.
				expect(p, t.Priority === 'High' && t.Category === 'Hardware' && t.ServiceDeskId === DEMO_DESK_ID, `ticket ${i + 1}: priority/category/desk ${t.Priority}/${t.Category}/${t.ServiceDeskId}`);
			});
			return p;
		},
		summary: (run, h) => `${h.items('Create ticket per agent').length} tickets for ${h.items('Get offline agents').length} offline agents`,
		details: (run, h) => h.items('Create ticket per agent').map((t) => `${t.TicketRef} [${t.Priority}] ${t.Summary}`),
	},
	exAgentInventory: {
		check(run, h) {
			const p = [];
			const agents = h.items('Get all agents');
			const rows = h.items('Inventory row');
			const perOs = h.items('Count per operating system');
			expect(p, agents.length === 2500, `Return All: expected the emulator's 2500 agents, got ${agents.length}`);
			expect(p, new Set(agents.map((a) => a.AgentId)).size === agents.length, 'duplicate agents across pages');
			expect(p, agents.every((a) => digits(a.AgentId)), 'AgentId is not a lossless digit string');
			expect(p, rows.length === agents.length && rows.every((r) => r.machine && r.agentId), 'inventory rows incomplete');
			const total = perOs.reduce((n, r) => n + (r.count_agentId || 0), 0);
			expect(p, perOs.length >= 3 && total === agents.length, `per-OS counts add up to ${total}, not ${agents.length}`);
			return p;
		},
		summary: (run, h) => `${h.items('Get all agents').length} agents, ${h.items('Count per operating system').length} operating systems`,
		details: (run, h) => [h.items('Count per operating system').map((r) => `${r.operatingSystem}: ${r.count_agentId}`).join(', ')],
	},
	exAlarmTriage: {
		check(run, h) {
			const p = [];
			const alarms = h.items('Get new "Agent Offline" alarms');
			const agents = h.items('Get the agent');
			const closed = h.items('Close alarm with a note');
			const open = h.items('Still offline: leave open');
			expect(p, alarms.length >= 1 && alarms.length <= 5, `expected 1–5 new alarms (Limit 5), got ${alarms.length}`);
			expect(p, alarms.every((a) => a.State === 'Open' && /offline/i.test(a.AlarmSubject)), 'a listed alarm is not an open "offline" alarm');
			expect(p, agents.length === alarms.length, 'not one agent lookup per alarm');
			expect(p, closed.length + open.length === alarms.length, `closed ${closed.length} + left open ${open.length} ≠ ${alarms.length} alarms`);
			expect(p, closed.every((c) => c.success === true && c.action === 'closed' && digits(c.alarmId) && /back online/.test(c.notes)), 'a close result lacks success/alarmId/note');
			expect(p, open.every((a) => !(a.Online > 0 && a.Online < 198)), 'an online agent was left open');
			return p;
		},
		summary: (run, h) => `${h.items('Get new "Agent Offline" alarms').length} alarms: ${h.items('Close alarm with a note').length} closed, ${h.items('Still offline: leave open').length} left open`,
		details: (run, h) => h.items('Close alarm with a note').map((c) => `alarm ${c.alarmId}: ${c.notes}`),
	},
	exVroReadiness: {
		check(run, h) {
			const p = [];
			const plans = h.items('Get all enabled plans');
			const checks = h.items('Readiness check');
			const rows = h.items('Result per plan');
			const summary = h.items('Summary');
			expect(p, plans.length >= 10 && plans.every((x) => x.planMode === 'Enabled' || x.enabled !== false), `expected the enabled plans, got ${plans.length}`);
			expect(p, checks.length === plans.length, `expected one readiness check per plan, got ${checks.length}`);
			expect(p, checks.filter((c) => !c.error).every((c) => c.completed === true && c.operation === 'readinessCheck'), 'a check did not complete (Wait for Completion)');
			const total = summary.reduce((n, r) => n + (r.count_plan || 0), 0);
			expect(p, total === plans.length, `summary counts ${total} plans, not ${plans.length}`);
			expect(p, count(rows, (r) => r.outcome === 'passed') >= 1, 'no plan passed');
			expect(p, rows.filter((r) => r.outcome === 'FAILED').every((r) => r.result === 'Error' || r.failedSteps > 0), 'a failed plan has no error result');
			return p;
		},
		summary: (run, h) => h.items('Summary').map((r) => `${r.outcome} ${r.count_plan}`).join(', '),
		details: (run, h) => h.items('Result per plan').filter((r) => r.outcome !== 'passed').map((r) => `${r.outcome}: ${r.plan}${r.outcome === 'FAILED' ? ` (${r.failedSteps} failed step)` : ''}`),
	},
	exVspcFailedJobTix: {
		check(run, h) {
			const p = [];
			const jobs = h.items('Jobs that failed last (demo)');
			const shaped = h.items("Shape like the trigger's item");
			const tickets = h.items('Ticket in Incident Management');
			expect(p, jobs.length >= 1 && jobs.every((j) => j.status === 'Failed'), `expected the demo data's failed jobs, got ${jobs.map((j) => j.status).join(', ') || 'none'}`);
			expect(p, shaped.every((s) => s.company && s.company.name && s.job && s.job.name), 'a shaped item lacks company or job');
			expect(p, tickets.length === jobs.length, `expected one ticket per failed job, got ${tickets.length}`);
			tickets.forEach((t, i) => {
				const s = shaped[i] || {};
				expect(p, s.job && t.Summary === `Backup failed: ${s.job.name} (${s.company.name})`, `ticket ${i + 1}: summary "${t.Summary}" does not name its job and company`);
				expect(p, t.ServiceDeskId === INCIDENT_DESK_ID && t.Priority === 'High' && t.Category === 'Software', `ticket ${i + 1}: desk/priority/category ${t.ServiceDeskId}/${t.Priority}/${t.Category}`);
			});
			return p;
		},
		summary: (run, h) => `${h.items('Ticket in Incident Management').length} tickets for ${h.items('Jobs that failed last (demo)').length} failed backup jobs`,
		details: (run, h) => h.items('Ticket in Incident Management').map((t) => `${t.TicketRef} [${t.Priority}] ${t.Summary}`),
	},
	exVroDrDrill: {
		check(run, h) {
			const p = [];
			const fo = h.items('Failover test plan')[0] || {};
			const fin = h.items('Final report')[0] || {};
			expect(p, fo.completed === true && fo.succeeded === true && fo.result === 'Success', `failover: completed=${fo.completed} succeeded=${fo.succeeded} result=${fo.result}`);
			expect(p, /Failover/.test(String(fo.state)), `after failover the plan is in state ${fo.state}`);
			expect(p, fin.undoSucceeded === true && fin.undoResult === 'Success' && fin.stateAfterUndo === 'Ready', `undo: ${JSON.stringify(fin)}`);
			return p;
		},
		summary: (run, h) => {
			const f = h.items('Final report')[0] || {};
			return `${f.plan}: failover ${f.failoverResult} (${f.failoverSeconds}s), undo ${f.undoResult}, now ${f.stateAfterUndo}`;
		},
	},
};

function helpers(run) {
	return { items: (n) => nodeItems(run, n) || [], last: lastNode(run) };
}

function exampleSpec(id) {
	return SPECS[id] || null;
}

/** Problems (strings) with the run of example `id`; [] when it matches expectations. */
function checkExample(id, run) {
	const spec = SPECS[id];
	if (!spec) return [`no expectations recorded for example ${id} in scripts/lib/examples.js`];
	try {
		return spec.check(run, helpers(run)) || [];
	} catch (e) {
		return [`check threw: ${e.message}`];
	}
}

/** Short text and detail lines for the demo table. */
function describeExample(id, run) {
	const spec = SPECS[id];
	if (!spec) return { summary: '', details: [] };
	const h = helpers(run);
	try {
		return { summary: spec.summary ? spec.summary(run, h) : '', details: spec.details ? spec.details(run, h) : [] };
	} catch (e) {
		return { summary: `(summary failed: ${e.message})`, details: [] };
	}
}

module.exports = { SPECS, exampleSpec, checkExample, describeExample };
