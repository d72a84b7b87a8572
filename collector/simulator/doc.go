// Package simulator is a faithful, self-contained Microsoft 365 tenant for
// demos and tests: one HTTPS listener serves the Entra ID v2 token endpoint
// (with the OpenID discovery document MSAL Go reads), the Office 365
// Management Activity API and the small part of Microsoft Graph AuditLight
// uses. It follows the documented behaviour of the real services (error
// codes, status codes, paging, time-window rules, throttling, blob expiry),
// not the behaviour our collector assumes.
//
// Audit data is generated lazily and deterministically from Config.Seed: a
// blob is identified by (content type, index) and its records are a pure
// function of that pair, so a seven-day backlog of a million records costs no
// memory and blobs are rendered with byte appends.
package simulator
