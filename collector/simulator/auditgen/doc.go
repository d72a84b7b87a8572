// Package auditgen renders the simulated tenant's Unified Audit Log: the
// timeline of blobs per content type (when each is created, how many records
// it holds, its contentId), the records of every workload (records_*.go:
// Entra sign-ins and directory audits, Exchange, SharePoint and OneDrive,
// Teams, Power BI, alerts, DLP), the attack and busy-benign storylines with
// the findings they must raise, and the admin actions performed on request.
//
// A blob is identified by (content type, index) and its records are a pure
// function of the seed and that pair, so a seven-day backlog of a million
// records costs no memory and blobs are rendered with byte appends. The
// HTTP side (package simulator) decides what is listed and served; this
// package only says what each blob holds.
package auditgen
