import type { IDataObject } from 'n8n-workflow';

import { odataDateTime, odataField, odataId, odataNumber, odataString } from '../../shared/odata';
import type { CursorSpec } from '../../shared/polling';

/**
 * The Kaseya VSA trigger's events as data. A cursor event reads lists filtered `cursorField >= cursor`
 * and ordered by it; a transition event compares the agents' `Online` codes with a snapshot.
 *
 * Alarms are read from `/assetmgmt/alarms/true` with an `AlarmId` cursor, never from `/false`: the
 * "new alarms" flag is kept per VSA login session (KAT VSAModule/public/Get-VSAAlarm.ps1, -AllRecords help), so another workflow, a re-login
 * or a failed poll would lose alarms. AlarmId is the cursor rather than EventDateTime because ids are
 * assigned in creation order, while an event time can come from an agent that reported late.
 */
export type VsaTriggerEvent = 'alarmCreated' | 'ticketCreated' | 'ticketUpdated' | 'agentAdded' | 'agentWentOffline' | 'agentCameOnline';

export const CURSOR_EVENTS = ['alarmCreated', 'ticketCreated', 'ticketUpdated', 'agentAdded'] as const;
export const TRANSITION_EVENTS = ['agentWentOffline', 'agentCameOnline'] as const;
export type CursorEventName = (typeof CURSOR_EVENTS)[number];
export type TransitionEventName = (typeof TRANSITION_EVENTS)[number];

export function isTransitionEvent(event: string): event is TransitionEventName {
	return (TRANSITION_EVENTS as readonly string[]).includes(event);
}

export interface CursorEventDef {
	/** Name of the object in the output item: `{ event, alarm: {...} }`. */
	objectName: 'alarm' | 'ticket' | 'agent';
	/** Server field the cursor follows, and the record id that breaks ties in the order. */
	cursorField: string;
	idField: string;
	spec: CursorSpec<IDataObject>;
	/** The `>=` filter for a cursor value taken from this field. */
	cursorFilter(cursor: string): string;
	/** Rows that move the cursor but are not this event (a ticket that was only created, never changed). */
	isEvent?(row: IDataObject): boolean;
	/**
	 * The manual "Fetch Test Event" sample: rows that look like what a poll emits right after the
	 * event, preferred among the newest (an alarm is open when it is created).
	 */
	typicalSample?(row: IDataObject): boolean;
}

const text = (value: unknown): string | undefined => (value === undefined || value === null || value === '' ? undefined : String(value));

function idCursor(field: string): Pick<CursorEventDef, 'cursorFilter'> {
	return { cursorFilter: (cursor) => `${odataField(field)} ge ${odataId(cursor)}` };
}

function timeCursor(field: string): Pick<CursorEventDef, 'cursorFilter'> {
	return { cursorFilter: (cursor) => `${odataField(field)} ge ${odataDateTime(cursor)}` };
}

export const CURSOR_EVENT_DEFS: Record<CursorEventName, CursorEventDef> = {
	alarmCreated: {
		objectName: 'alarm',
		cursorField: 'AlarmId',
		idField: 'AlarmId',
		spec: { key: (r) => String(r.AlarmId), cursor: (r) => text(r.AlarmId) },
		...idCursor('AlarmId'),
		// MonitorAlarmStateId 1 = open, 2 = closed (the alarm State filter's values, operations/alarm.ts).
		typicalSample: (r) => Number(r.MonitorAlarmStateId) === 1,
	},
	// Ticket cursors are fields of Kaseya's ticket model (PSK Types/KaseyaDefinitions.cs, class KTicket:
	// CreatedDate, ModifiedDate, both filterable and sortable); ServiceDeskTicketId breaks ties.
	ticketCreated: {
		objectName: 'ticket',
		cursorField: 'CreatedDate',
		idField: 'ServiceDeskTicketId',
		spec: { key: (r) => String(r.ServiceDeskTicketId), cursor: (r) => text(r.CreatedDate) },
		...timeCursor('CreatedDate'),
	},
	ticketUpdated: {
		objectName: 'ticket',
		cursorField: 'ModifiedDate',
		idField: 'ServiceDeskTicketId',
		// Every modification is its own event: the same ticket changed twice is emitted twice.
		spec: { key: (r) => `${String(r.ServiceDeskTicketId)}@${String(r.ModifiedDate)}`, cursor: (r) => text(r.ModifiedDate) },
		...timeCursor('ModifiedDate'),
		isEvent: (r) => text(r.CreatedDate) === undefined || text(r.CreatedDate) !== text(r.ModifiedDate),
	},
	agentAdded: {
		objectName: 'agent',
		// An agent counts as added when it first checks in: agents never checked in have no FirstCheckIn.
		cursorField: 'FirstCheckIn',
		idField: 'AgentId',
		spec: { key: (r) => String(r.AgentId), cursor: (r) => text(r.FirstCheckIn) },
		...timeCursor('FirstCheckIn'),
		isEvent: (r) => text(r.FirstCheckIn) !== undefined,
	},
};

// ------------------------------------------------------------------ agent Online codes (https://help.kaseya.com/webhelp/EN/RESTAPI/9050000/31655.htm)

/** 0 offline; 1, 2, 11, 12 online (with or without a user); 198 suspended; 199 never checked in. */
export function onlineClass(code: string | number): 'offline' | 'online' | 'suspended' | 'neverCheckedIn' {
	const n = Number(code);
	if (n === 0) return 'offline';
	if (n === 198) return 'suspended';
	if (n === 199) return 'neverCheckedIn';
	return 'online';
}

export const TRANSITIONS: Record<TransitionEventName, { from: string; to: string; sampleFilter: string }> = {
	agentWentOffline: { from: 'online', to: 'offline', sampleFilter: `Online eq ${odataNumber(0)}` },
	agentCameOnline: { from: 'offline', to: 'online', sampleFilter: `Online gt ${odataNumber(0)} and Online lt ${odataNumber(198)}` },
};

// ------------------------------------------------------------------ filters

export interface VsaTriggerFilters {
	orgId?: string;
	machineGroupId?: string;
	alarmType?: string;
}

/** Server-side filters of the alarm and agent lists (both records carry OrgId and MachineGroupId). */
export function buildBaseFilter(event: VsaTriggerEvent, f: VsaTriggerFilters): string[] {
	const parts: string[] = [];
	if (event === 'ticketCreated' || event === 'ticketUpdated') return parts;
	if (f.orgId) parts.push(`OrgId eq ${odataId(f.orgId)}`);
	if (f.machineGroupId) parts.push(`MachineGroupId eq ${odataId(f.machineGroupId)}`);
	if (event === 'alarmCreated' && f.alarmType) parts.push(`substringof(${odataString(f.alarmType)}, AlarmType)`);
	return parts;
}
