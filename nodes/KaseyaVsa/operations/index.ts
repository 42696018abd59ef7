import type { ResourceDef } from '../../shared/operations';
import { withListFields } from '../query';
import { agentOperations } from './agent';
import { agentNoteOperations } from './agentNote';
import { agentProcedureOperations } from './agentProcedure';
import { alarmOperations } from './alarm';
import { assetOperations } from './asset';
import { auditOperations } from './audit';
import { customApiOperations } from './customApi';
import { customFieldOperations } from './customField';
import { directoryOperations } from './directory';
import { logOperations } from './log';
import { machineGroupOperations } from './machineGroup';
import { organizationOperations } from './organization';
import { patchOperations } from './patch';
import { serviceDeskOperations, serviceDeskTicketOperations } from './serviceDesk';
import type { VsaOperation } from './types';

/** Resource values are a public contract (DESIGN.md): never rename them. */
export const vsaResources: ResourceDef[] = [
	{ value: 'agent', name: 'Agent', description: 'Managed machines' },
	{ value: 'agentNote', name: 'Agent Note', description: 'Notes technicians write on agents' },
	{ value: 'agentProcedure', name: 'Agent Procedure', description: 'Run and schedule scripts on agents' },
	{ value: 'alarm', name: 'Alarm', description: 'Monitoring alarms' },
	{ value: 'asset', name: 'Asset', description: 'Agent machines and discovered devices' },
	{ value: 'audit', name: 'Audit', description: 'Hardware and software inventory of agents' },
	{ value: 'customField', name: 'Custom Field', description: 'Custom fields of agents' },
	{ value: 'log', name: 'Log', description: 'Logs of agents' },
	{ value: 'machineGroup', name: 'Machine Group', description: 'Groups of machines within an organization' },
	{ value: 'organization', name: 'Organization', description: 'Customers and the MSP itself' },
	{ value: 'patch', name: 'Patch', description: 'Patch status and scans of agents' },
	{ value: 'serviceDesk', name: 'Service Desk', description: 'Service Desk desks' },
	{ value: 'serviceDeskTicket', name: 'Service Desk Ticket', description: 'Tickets of a Service Desk' },
	{ value: 'user', name: 'User', description: 'VSA users' },
	{ value: 'role', name: 'Role', description: 'User roles' },
	{ value: 'scope', name: 'Scope', description: 'User scopes' },
	{ value: 'system', name: 'System', description: 'The VSA server itself' },
	// Named like the option n8n would otherwise add for the HTTP Request node (see CUSTOM_API_CALL_NAME); listed last.
	{ value: 'customApi', name: 'Custom API Call', description: 'Any other VSA API endpoint' },
];

/** Every operation row, in the order the editor lists them. Operation values are a public contract too. */
export const vsaOperations: VsaOperation[] = [
	...agentOperations,
	...agentNoteOperations,
	...agentProcedureOperations,
	...alarmOperations,
	...assetOperations,
	...auditOperations,
	...customFieldOperations,
	...logOperations,
	...machineGroupOperations,
	...organizationOperations,
	...patchOperations,
	...serviceDeskOperations,
	...serviceDeskTicketOperations,
	...directoryOperations,
	...customApiOperations,
].map(withListFields);
