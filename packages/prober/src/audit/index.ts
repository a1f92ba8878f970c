export { AuditModule, type AuditModuleOptions } from './module';
export { auditSteps, runAudit, type AuditRun, type AuditRunOptions } from './run';
