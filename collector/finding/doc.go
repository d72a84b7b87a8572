// Package finding holds the types of AuditLight's detections that every layer
// shares: a Finding (what a rule found, on which key, with which evidence),
// its Severity and Status, the Filter the Findings view and the CLI query
// with, and an allow-list Entry that marks a value as fine.
//
// The package has no dependencies beyond the standard library so that the
// GUI (package ui) can use these types without importing the store.
package finding
