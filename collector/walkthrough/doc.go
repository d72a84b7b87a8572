// Package walkthrough is the "Test my detections" guide as a state machine:
// the admin does a harmless test action in Microsoft 365 (an inbox rule that
// forwards to an external address; Global Administrator for a test user),
// AuditLight waits for Microsoft to deliver the audit record (typically 60–90
// minutes, sometimes hours) and marks the test passed when the finding
// appears, reminding the admin to undo the test action.
//
// The state is persisted through a Persister after every transition so the
// wait survives restarts. The package has no UI and no store dependency:
// the window (package ui, through the backend) and `auditlight
// test-detections` drive the same Machine.
package walkthrough
