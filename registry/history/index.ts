/** history/: the audit trail read back from git, and tamper evidence (verify --registry). */
export * from "./audit.js";
export * from "./tamper.js";
