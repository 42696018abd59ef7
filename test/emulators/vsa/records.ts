/**
 * Record shapes of the VSA emulator, as the real API serializes them (PascalCase, `Attributes` on most
 * models — https://help.kaseya.com/webhelp/EN/RESTAPI/9050000/33677.htm). Field lists follow public sources where they have them (agents PSK KAgent, /auth
 * https://help.kaseya.com/webhelp/EN/RESTAPI/9050000/33677.htm, environment KAT VSAEndpointMaps.ps1, tickets PSK KTicket, schedule body https://help.kaseya.com/webhelp/EN/RESTAPI/9050000/31766.htm); elsewhere (alarms, notes, logs,
 * patch, audit, lookups) the reference is silent and the names are the emulator's choice, modelled on
 * VSA conventions and on what public clients read (e.g. `MonitorAlarmStateId eq 1M` for open alarms).
 *
 * Id types: `bigint` = a numeric id printed as an exact JSON number (AgentId 15 digits; OrgId,
 * MachineGroupId, service-desk ids 26 digits — all beyond what clients may assume fits a double);
 * `number` = a small integer id; `string` ids (TenantId, ScopeId) are strings as in the /auth sample.
 */

export interface VsaOrg {
	OrgId: bigint;
	OrgName: string;
	OrgRef: string;
	OrgType: string;
	DefaultDepartmentName: string;
	DefaultMachineGroupName: string;
	ParentOrgId: bigint | null;
	NoOfEmployees: number;
	AnnualRevenue: number;
	Website: string | null;
	ContactInfo: {
		PreferredContactMethod: string;
		PrimaryPhone: string;
		PrimaryFax: string | null;
		PrimaryEmail: string;
		Country: string;
		Street: string;
		City: string;
		State: string;
		ZipCode: string;
		PrimaryTextMessagePhone: string | null;
	};
	CustomFields: Array<{ FieldName: string; FieldValue: string }>;
	Attributes: null;
}

export interface VsaMachineGroup {
	MachineGroupId: bigint;
	MachineGroupName: string;
	OrgId: bigint;
	ParentMachineGroupId: bigint | null;
	Attributes: null;
}

/** `Online`: 0 offline, 1 online/no user, 2 online idle, 11 user active, 12 user inactive, 198 suspended, 199 never checked in (https://help.vsa9.kaseya.com/help/Content/Modules/rest-api/31655.htm). */
export type OnlineCode = 0 | 1 | 2 | 11 | 12 | 198 | 199;

export interface VsaAgent {
	AgentId: bigint;
	AgentName: string;
	Online: OnlineCode;
	OSType: string;
	OSInfo: string;
	OrgId: bigint;
	MachineGroupId: bigint;
	MachineGroup: string;
	ComputerName: string;
	IPv6Address: string | null;
	IPAddress: string;
	OperatingSystem: string;
	OSVersion: string;
	LastLoggedInUser: string | null;
	LastRebootTime: string | null;
	LastCheckInTime: string | null;
	Country: string;
	CurrentUser: string | null;
	Contact: string | null;
	TimeZone: string;
	RamMBytes: number;
	CpuCount: number;
	CpuSpeed: number;
	CpuType: string;
	DomainWorkgroup: string;
	AgentFlags: number;
	AgentVersion: number;
	ToolTipNotes: string | null;
	ShowToolTip: number;
	DefaultGateway: string;
	DNSServer1: string;
	DNSServer2: string | null;
	DHCPServer: string | null;
	PrimaryWINS: string | null;
	SecondaryWINS: string | null;
	ConnectionGatewayIP: string;
	FirstCheckIn: string | null;
	PrimaryKServer: string;
	SecondaryKServer: string | null;
	Attributes: null;
}

export interface VsaAgentNote {
	Id: number;
	AgentId: bigint;
	User: string;
	Timestamp: string;
	Note: string;
}

export interface VsaAlarm {
	AlarmId: number;
	AgentId: bigint;
	MachineName: string;
	MachineGroup: string;
	MachineGroupId: bigint;
	OrgId: bigint;
	/** 1 open, 2 closed */
	MonitorAlarmStateId: number;
	State: 'Open' | 'Closed';
	MonitorType: number;
	AlarmType: string;
	MonitorName: string;
	AlarmSubject: string;
	Message: string;
	AlarmEmail: string | null;
	EventDateTime: string;
	TicketID: number | null;
	AdminName: string;
	Notes: string | null;
	Attributes: null;
}

export interface VsaProcedure {
	AgentProcedureId: number;
	AgentProcedureName: string;
	Path: string;
	Description: string;
	Attributes: null;
}

/** Internal, never serialized: why a run may 404 (https://help.vsa9.kaseya.com/help/Content/Modules/rest-api/31668.htm). */
export interface ProcedureMeta {
	system: boolean;
	/** false = caller lacks execute permission on the folder (e.g. another user's private folder) */
	executable: boolean;
	/** hidden from the procedure list (private folder of another user) */
	listed: boolean;
}

export interface VsaProcHistory {
	AgentId: bigint;
	AgentProcedureId: number;
	ScriptName: string;
	LastExecutionTime: string;
	Status: string;
	Admin: string;
}

export interface VsaScheduledProc {
	AgentId: bigint;
	AgentProcedureId: number;
	AgentProcedureName: string;
	NextRunTime: string;
	Recurrence: string;
	ScheduledBy: string;
	SkipIfOffLine: boolean;
	PowerUpIfOffLine: boolean;
	Attributes: null;
}

/** A desk: the fields of PSK Types/KaseyaDefinitions.cs class KServiceDesk that the emulator models. */
export interface VsaServiceDesk {
	ServiceDeskId: bigint;
	defaultServDeskDefnFlag: string;
	Prefix: string;
	ServiceDeskName: string;
	Description: string;
}

/**
 * Desk lookups answer `{StatusId, StatusName}`, `{PriorityId, PriorityName}`, `{CategoryId,
 * CategoryName}` (Evidence: KAT VSAModule/public/New-VSASDTicket.ps1, PSK Functions/Service Desks.ps1).
 */
export interface VsaDeskStatus {
	StatusId: bigint;
	StatusName: string;
}
export interface VsaDeskPriority {
	PriorityId: bigint;
	PriorityName: string;
}
export interface VsaDeskCategory {
	CategoryId: bigint;
	CategoryName: string;
}

/**
 * A desk's custom field as `GET …/servicedesks/{id}/customfields` lists it. UNSEEN: no public client
 * reads this record's fields (KAT, AE, TT and PSK only pass it through), so the emulator answers this
 * one guessed shape and nothing else; the field id is numeric (KAT Update-VSASDTicketCustomField.ps1).
 */
export interface VsaDeskCustomField {
	CustomFieldId: bigint;
	FieldName: string;
}

/** What the emulator knows about a custom field beyond the listed record: how it checks values. */
export interface VsaDeskCustomFieldRule {
	format: 'String' | 'Integer' | 'List';
	values: string[] | null;
	defaultValue: string | null;
}

/**
 * A Service Desk ticket: exactly the fields of Kaseya's ticket model (doc 33692 as modelled by PSK
 * Types/KaseyaDefinitions.cs, class KTicket). There is no Status, CreatedDateTime or
 * LastModifiedDateTime, so `$filter`/`$orderby` on them is a 400 like on the real server.
 */
export interface VsaTicket {
	ServiceDeskId: bigint;
	ServiceDeskTicketId: bigint;
	TicketRef: string;
	Summary: string;
	/** The status name (the value format is UNSEEN; PSK matches it with substringof, spaces removed). */
	TicketStatus: string;
	Stage: string | null;
	Priority: string;
	Severity: string | null;
	Category: string | null;
	Resolution: string | null;
	Submitter: string | null;
	SubmitterEmail: string | null;
	Assignee: string | null;
	Owner: string | null;
	Organization: string | null;
	Staff: string | null;
	Phone: string | null;
	AgentGuid: bigint | null;
	InventoryAssetId: bigint | null;
	CreatedDate: string;
	ModifiedDate: string;
	LastPublicUpdate: string | null;
	Closed: string | null;
	Due: string | null;
	Promised: string | null;
	Escalation: string | null;
	StageGoal: string | null;
	ResolutionDate: string | null;
	LockedBy: string | null;
	LockedOn: string | null;
	SourceType: string | null;
	Policy: string | null;
}

/** Ticket data the ticket model does not list: kept beside the record, never serialised with it. */
export interface VsaTicketExtra {
	Description: string;
	/** custom field id → value */
	customFields: Map<string, string | null>;
}

export interface VsaTicketNote {
	Id: bigint;
	ServiceDeskTicketId: bigint;
	Author: string;
	Timestamp: string;
	Text: string;
	Hidden: boolean;
	SystemFlag: boolean;
}

export interface VsaAsset {
	AssetId: bigint;
	AssetName: string;
	AssetTypeId: number;
	AssetType: string;
	AgentId: bigint | null;
	MachineGroupId: bigint;
	MachineGroup: string;
	OrgId: bigint;
	IPAddress: string;
	MACAddress: string;
	DeviceManufacturer: string;
	DeviceModel: string;
	IsComputerAgent: boolean;
	LastSeenDate: string;
	Attributes: null;
}

export interface VsaCustomFieldDef {
	FieldName: string;
	/** KAT VSAModule/public/New-VSACustomField.ps1 ValidateSet. */
	FieldType: 'string' | 'number' | 'datetime' | 'date' | 'time';
}

export interface VsaUser {
	UserId: number;
	AdminName: string;
	FirstName: string;
	LastName: string;
	Email: string;
	AdminType: number;
	AdminRoleIds: number[];
	AdminScopeIds: string[];
	DefaultStaffOrgId: bigint;
	DefaultStaffDepartmentId: bigint;
	DisableUntil: string | null;
	Attributes: null;
}

export interface VsaRole {
	RoleId: number;
	RoleName: string;
	RoleTypeIds: number[];
	Attributes: null;
}

export interface VsaScope {
	ScopeId: string;
	ScopeName: string;
	Attributes: null;
}

export interface VsaStaff {
	StaffId: bigint;
	/** The staff member's name in Kaseya's model (PSK Functions/Staff.ps1, KAT New-VSAStaff.ps1). */
	StaffFullName: string;
	/** Emulator-internal copy of StaffFullName still read by the Service Desk routes. */
	StaffName: string;
	DeptId: bigint;
	FirstName: string;
	LastName: string;
	Email: string;
	OrgId: bigint;
	DepartmentId: bigint;
	UserId: number | null;
	Function: string;
	Attributes: null;
}

export interface VsaEnvironment {
	SystemVersion: string;
	PatchLevel: string;
	CustomerID: string;
	TimeZoneOffset: number;
	AgentVersion: number;
	Attributes: null;
}

/** Internal login material (never served): what VSA stores per user, not the plaintext password. */
export interface VsaCredential {
	username: string;
	userId: number;
	roleId: number;
	scopeId: string;
	/** hex SHA-256(password + username) — "CoveredSHA256HashTemp" (https://help.kaseya.com/webhelp/EN/RESTAPI/9050000/37320.htm, step 3) */
	sha256Temp?: string;
	/** hex SHA-1(password + username), for users whose password predates v6.2 (SHA-1 only) */
	sha1Temp?: string;
	pats: Array<{ token: string; expiresAt: number | null; revoked: boolean; restApi: boolean }>;
	disabled: boolean;
}
