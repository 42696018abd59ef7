/**
 * The real record model of each VSA collection outside the Service Desk: the properties a `$filter`
 * or `$orderby` may name. A property that is not listed answers HTTP 400, whatever the emulator's own
 * records happen to carry, so a node cannot pass here with a field the real server does not have.
 *
 * Sources (all public):
 *  - PSK = zalexan1996/PsKaseya Types/KaseyaDefinitions.cs: classes generated from Kaseya's REST
 *    reference pages (URLs in PSK Types/ClassDefinitionTable.csv); their Filterable/Sortable marks
 *    are kept in `sortable` below for the record, not enforced (no public source shows what a
 *    server answers to a sort on an unmarked field).
 *  - KAT = Kaseya-Automation-Team/Kaseya-Automation-Team VSAModule (request bodies, filters).
 *  - DESK = AndyGauge/desk app/services/kaseya_alert.rb (a client run against a live VSA).
 *  - UNSEEN: no public source shows the field. Those are listed in `unseen`, kept only because the
 *    package offers them, and marked "unseen" in docs/evidence/kaseya-vsa.json.
 *
 * The 400 text is ASP.NET Web API OData v3's ("Could not find a property named 'X' on type 'Y'.",
 * raised in odata.ts). No public source quotes VSA's own text for this case; VSA runs on that stack
 * (it answers `Unrecognized 'Edm.Int32' literal`, KAT VSAModule/README.md), so its wording is the
 * likeliest.
 */

export interface CollectionModel {
	/** Where the property list comes from. */
	source: string;
	properties: readonly string[];
	/** Properties the source marks sortable (documentation only). */
	sortable?: readonly string[];
	/** Properties no public source shows; accepted so the package's offered filters keep working. */
	unseen?: readonly string[];
}

const AUDIT_SUMMARY = [
	'AgentGuid', 'DisplayName', 'TimezoneOffset', 'CurrentLogin', 'AgentType', 'RebootTime', 'LastCheckinTime', 'GroupName', 'FirstCheckinTime', 'TimeZone',
	'WorkgroupDomainType', 'WorkgroupDomainName', 'ComputerName', 'DnsComputerName', 'OsType', 'OsInfo', 'IpAddress', 'Ipv6Address', 'SubnetMask', 'DefaultGateway',
	'ConnectionGatewayIp', 'GatewayCountry', 'MacAddress', 'DnsServer1', 'DnsServer2', 'DhcpEnabled', 'DhcpServer', 'WinsEnabled', 'PrimaryWinsServer', 'SecondaryWinsServer',
	'CpuType', 'CpuSpeed', 'CpuCount', 'RamMBytes', 'AgentVersion', 'LastLoginName', 'LoginName', 'PrimaryKServer', 'SecondaryKServer', 'QuickCheckinPeriod', 'ContactName',
	'ContactEmail', 'ContactPhone', 'ContactNotes', 'Manufacturer', 'ProductName', 'SystemVersion', 'SystemSerialNumber', 'ChassisSerialNumber', 'ChassisAssetTag',
	'ExternalBusSpeed', 'MaxMemorySize', 'MemorySlots', 'ChassisManufacturer', 'ChassisType', 'ChassisVersion', 'MotherboardManufacturer', 'MotherboardProduct',
	'MotherboardVersion', 'MotherboardSerialNumber', 'ProcessorFamily', 'ProcessorManufacturer', 'ProcessorVersion', 'ProcessorMaxSpeed', 'ProcessorCurrentSpeed',
	'FreeSpace', 'UsedSpace', 'TotalSize', 'NumberOfDrives',
];

const EVENT_LOG = { source: 'PSK KApplicationEventLog/KSystemEventLog/… (DOC 33656-33663)', properties: ['EventId', 'User', 'Category', 'Source', 'Type', 'Time'], sortable: ['EventId', 'User', 'Category', 'Source', 'Type', 'Time'] };
const TIME_EVENT_LOG = { source: 'PSK KAgentLog/KAlarmLog/KConfigChangesLog', properties: ['Time', 'Event'], sortable: ['Time', 'Event'] };

export const COLLECTION_MODELS: Record<string, CollectionModel> = {
	Agent: {
		source: 'PSK KAgent (DOC 31655)',
		properties: [
			'AgentId', 'Online', 'OSType', 'OSInfo', 'AgentName', 'OrgId', 'MachineGroupId', 'MachineGroup', 'ComputerName', 'IPv6Address', 'IPAddress', 'OperatingSystem',
			'OSVersion', 'LastLoggedInUser', 'LastRebootTime', 'LastCheckInTime', 'Country', 'CurrentUser', 'Contact', 'TimeZone', 'RamMBytes', 'CpuCount', 'CpuSpeed', 'CpuType',
			'DomainWorkgroup', 'AgentFlags', 'AgentVersion', 'ToolTipNotes', 'ShowToolTip', 'DefaultGateway', 'DNSServer1', 'DNSServer2', 'DHCPServer', 'PrimaryWINS',
			'SecondaryWINS', 'ConnectionGatewayIP', 'FirstCheckIn', 'PrimaryKServer', 'SecondaryKServer', 'CreationDate', 'OneClickAccess', 'Attributes',
		],
		sortable: [
			'AgentName', 'MachineGroup', 'ComputerName', 'OperatingSystem', 'OSVersion', 'LastLoggedInUser', 'LastRebootTime', 'LastCheckInTime', 'Country', 'CurrentUser',
			'Contact', 'TimeZone', 'RamMBytes', 'CpuCount', 'CpuSpeed', 'CpuType', 'DomainWorkgroup', 'FirstCheckIn', 'CreationDate',
		],
	},
	AgentNote: { source: 'UNSEEN (no public model of /assetmgmt/agent/notes)', properties: ['Id', 'AgentId', 'User', 'Timestamp', 'Note'], unseen: ['Id', 'AgentId', 'User', 'Timestamp', 'Note'] },
	Asset: {
		source: 'PSK KAsset (DOC 31620)',
		properties: [
			'AssetId', 'AssetName', 'AssetTypeId', 'ProbeId', 'MachineGroupId', 'MachineGroup', 'OrgId', 'IsComputerAgent', 'IsMobileAgent', 'IsMonitoring', 'IsPatching',
			'IsAuditing', 'IsBackingUp', 'IsSecurity', 'TicketCount', 'AlarmCount', 'IsSNMPActive', 'IsVProActive', 'NetworkInfo', 'AgentId', 'DisplayName', 'LastSeenDate',
			'ProbeAgentGuid', 'PrimaryProbe', 'PrimaryProbeId', 'NMapProbeId', 'HostName', 'OSName', 'OSType', 'OSFamily', 'OSGeneration', 'DeviceManufacturer', 'Attributes',
		],
		sortable: ['AssetName', 'AssetTypeId', 'ProbeId', 'MachineGroup', 'IsComputerAgent', 'LastSeenDate', 'DisplayName', 'HostName', 'OSName', 'OSType', 'DeviceManufacturer'],
	},
	AssetType: { source: 'PSK KAssetType (DOC 31646)', properties: ['AssetTypeId', 'AssetTypeName', 'ParentAssetTypeId', 'Attributes'], sortable: ['AssetTypeName'] },
	AuditSummary: { source: 'PSK KAuditSummary (DOC 31658)', properties: AUDIT_SUMMARY },
	'Audit.credentials': { source: 'PSK KCredentials', properties: ['CredentialId', 'Type', 'Name', 'UserName', 'Domain', 'CreateAccount', 'AsAdministrator', 'InEffect', 'Attributes'] },
	'Audit.groups': { source: 'PSK KLocalUserGroup', properties: ['UserGroupName', 'Description'] },
	'Audit.hardware/diskvolumes': { source: 'PSK KDiskVolume', properties: ['Drive', 'Type', 'Format', 'FreeMBytes', 'UsedMBytes', 'TotalMBytes', 'Label'] },
	'Audit.hardware/pcianddisk': { source: 'PSK KPciAndDisk', properties: ['TypeId', 'TypeName', 'Vendor', 'Product', 'Note'] },
	'Audit.hardware/printers': { source: 'PSK KPrinter', properties: ['PrinterName', 'Port', 'Model'] },
	'Audit.members': { source: 'PSK KLocalGroupMember', properties: ['UserGroupName', 'MemberName'] },
	'Audit.software/addremoveprograms': { source: 'PSK KAddRemovePrograms', properties: ['DisplayName', 'UninstallString'] },
	'Audit.software/installedapplications': {
		source: 'PSK KApplication',
		properties: ['ApplicationName', 'Description', 'Version', 'Manufacturer', 'ProductName', 'DirectoryPath', 'Size', 'LastModifiedDate'],
	},
	'Audit.software/licenses': { source: 'PSK KLicense', properties: ['Publisher', 'ProductName', 'ProductKey', 'LicenseCode', 'Version', 'InstallationDate'] },
	'Audit.software/securityproducts': { source: 'PSK KSecurityProduct', properties: ['ProductType', 'ProductName', 'Manufacturer', 'Version', 'IsActive', 'IsUpToDate'] },
	'Audit.software/startupapps': { source: 'PSK KStartupApp', properties: ['AppName', 'AppCommand', 'UserName'] },
	'Audit.useraccounts': {
		source: 'PSK KLocalUserAccount',
		properties: ['LogonName', 'FullName', 'Description', 'IsDisabled', 'IsLockedOut', 'IsPasswordRequired', 'IsPasswordExpired', 'IsPasswordChangeable'],
	},
	CustomField: { source: 'KAT New-VSACustomField.ps1 (FieldName, FieldType); TT VSA.py AddCustomField', properties: ['FieldName', 'FieldType'] },
	AgentCustomField: {
		source: 'PSK Functions/AgentCustomFields.ps1 (FieldName, FieldValue); KAT Update-VSACustomField.ps1',
		properties: ['AgentId', 'FieldName', 'FieldType', 'FieldValue'],
		unseen: ['AgentId', 'FieldType'],
	},
	'Log.agent': TIME_EVENT_LOG,
	'Log.alarms': TIME_EVENT_LOG,
	'Log.configurationchanges': TIME_EVENT_LOG,
	'Log.agentprocedure': { source: 'PSK KAgentProcedureLog (DOC 33644); PSK Functions/Logs.ps1', properties: ['LastExecution', 'ProcedureHistory', 'Status', 'Admin'], sortable: ['LastExecution', 'ProcedureHistory', 'Status', 'Admin'] },
	'Log.legacyremotecontrol': { source: 'PSK KLegacyRemoteControlLog', properties: ['Time', 'Type', 'Duration', 'Admin'], sortable: ['Time', 'Type', 'Duration', 'Admin'] },
	'Log.remotecontrol': { source: 'PSK KRemoteControlLog', properties: ['StartTime', 'LastActiveTime', 'SessionType', 'Admin'], sortable: ['StartTime', 'LastActiveTime', 'SessionType', 'Admin'] },
	'Log.monitoractions': { source: 'PSK KMonitorActionLog', properties: ['Time', 'SNMPDevice', 'Type', 'Message'], sortable: ['Time', 'SNMPDevice', 'Type', 'Message'] },
	'Log.networkstats': { source: 'PSK KNetworkStatsLog', properties: ['NetworkStatID', 'Time', 'Application', 'BytesSent', 'BytesRcvd'], sortable: ['Time', 'Application'] },
	'Log.logmonitoring': { ...EVENT_LOG, source: 'PSK KLogMonitoringLog' },
	'Log.eventlog': EVENT_LOG,
	PatchHistory: { source: 'UNSEEN (PSK Functions/Patch Management.ps1 reads /history without a model)', properties: ['AgentId', 'PatchDataId', 'KBArticle', 'UpdateTitle', 'UpdateClassification', 'InstallDate', 'InstalledBy', 'InstallStatus', 'Attributes'], unseen: ['AgentId', 'PatchDataId', 'KBArticle', 'UpdateTitle', 'UpdateClassification', 'InstallDate', 'InstalledBy', 'InstallStatus'] },
	MissingPatch: {
		source: 'PSK KPatch (DOC 33668)',
		properties: [
			'PatchDataId', 'UpdateClassification', 'UpdateCategory', 'KBArticleId', 'KBArticleLink', 'SecurityBulletinId', 'SecurityBulletinLink', 'UpdateTitle',
			'LastPublishedDate', 'LocationPending', 'LocationId', 'BulletinId', 'PatchState', 'InstallDate', 'Ignore', 'ProductId', 'ApprovalStatus', 'Location',
			'WuaOverrideFlag', 'Switches', 'ProductName', 'IsSuperseded', 'WuaProductId',
		],
		sortable: [
			'PatchDataId', 'UpdateClassification', 'UpdateCategory', 'KBArticleId', 'SecurityBulletinId', 'LastPublishedDate', 'LocationPending', 'BulletinId', 'PatchState',
			'InstallDate', 'Ignore', 'ProductId', 'ApprovalStatus', 'WuaOverrideFlag', 'ProductName', 'IsSuperseded', 'WuaProductId',
		],
	},
	Alarm: {
		source: 'DESK app/services/kaseya_alert.rb (MonitorAlarmStateId filter; AlarmId, AlarmSubject, AgentId, MachineGroup); PSK Functions/Alerts.ps1 (AlarmId)',
		properties: [
			'AlarmId', 'AgentId', 'MonitorAlarmStateId', 'AlarmSubject', 'MachineGroup', 'MachineName', 'MachineGroupId', 'OrgId', 'State', 'MonitorType', 'AlarmType',
			'MonitorName', 'Message', 'AlarmEmail', 'EventDateTime', 'TicketID', 'AdminName', 'Notes', 'Attributes',
		],
		unseen: ['MachineName', 'MachineGroupId', 'OrgId', 'State', 'MonitorType', 'AlarmType', 'MonitorName', 'Message', 'AlarmEmail', 'EventDateTime', 'TicketID', 'AdminName', 'Notes'],
	},
	AgentProcedure: { source: 'PSK KAgentProcedure (DOC 31641)', properties: ['AgentProcedureId', 'AgentProcedureName', 'Path', 'Description', 'Attributes'], sortable: ['AgentProcedureName'] },
	ProcedureHistory: { source: 'PSK KAgentProcedureHistory (DOC 33679)', properties: ['ScriptName', 'LastExecutionTime', 'Status', 'Admin'], sortable: ['ScriptName', 'LastExecutionTime', 'Status', 'Admin'] },
	ScheduledProcedure: {
		source: 'PSK KScheduledAgentProcedure (DOC 31643)',
		properties: ['AgentProcedureId', 'AgentId', 'ServerTimeZone', 'SkipIfOffLine', 'PowerUpIfOffLine', 'ScriptPrompts', 'Recurrence', 'Distribution', 'Start', 'Exclusion', 'Attributes'],
	},
	Org: {
		source: 'PSK KOrganization (DOC 31704)',
		properties: ['OrgId', 'OrgName', 'OrgRef', 'OrgType', 'DefaultDepartmentName', 'DefaultMachineGroupName', 'ParentOrgId', 'Website', 'NoOfEmployees', 'AnnualRevenue', 'ContactInfo', 'CustomFields', 'Attributes'],
		sortable: ['OrgName', 'OrgRef', 'NoOfEmployees', 'AnnualRevenue'],
	},
	MachineGroup: { source: 'PSK KMachineGroup (DOC 33707)', properties: ['MachineGroupId', 'MachineGroupName', 'ParentMachineGroupId', 'OrgId', 'Attributes'], sortable: ['MachineGroupName', 'OrgId'] },
	User: {
		source: 'PSK KUser (DOC 31747)',
		properties: ['UserId', 'AdminName', 'AdminPassword', 'Admintype', 'DisableUntil', 'CreationDate', 'AdminScopeIds', 'AdminRoleIds', 'FirstName', 'LastName', 'DefaultStaffOrgId', 'DefaultStaffDepartmentId', 'Email', 'Attributes'],
		sortable: ['AdminName', 'AdminPassword', 'FirstName', 'LastName', 'Email'],
	},
	Role: { source: 'PSK KUserRole (DOC 31713)', properties: ['RoleId', 'RoleName', 'RoleTypeIds', 'Attributes'], sortable: ['RoleName'] },
	Scope: { source: 'PSK KScope (DOC 31725)', properties: ['ScopeId', 'ScopeName', 'Attributes'], sortable: ['ScopeName'] },
	Staff: {
		source: 'PSK Functions/Staff.ps1 (filters StaffFullName, OrgId, DeptId); KAT New-VSAStaff.ps1 (body fields)',
		properties: ['StaffId', 'StaffFullName', 'OrgId', 'DeptId', 'SupervisorId', 'Title', 'Function', 'UserId', 'ViewAllTickets', 'ApproveAllTimeSheets', 'ContactInfo', 'Attributes'],
		unseen: ['StaffId'],
	},
};
