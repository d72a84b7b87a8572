// Package detect turns stored audit records into findings.
//
// Records are first made matchable (Normalize): the Microsoft shapes
// Parameters, OperationProperties and ExtendedProperties (lists of
// {Name, Value}) become Parameters.<Name> fields, ModifiedProperties become
// ModifiedProperties.<Name>.NewValue / .OldValue (JSON-string values
// decoded), and AuditLight adds Enrichment.* fields that no rule language can
// compute on its own: the external recipients of a forwarding setting (by
// the tenant's own domains), the sign-in country (offline IP data) and
// whether that country is new for the user.
//
// Single-event rules are Sigma YAML evaluated with
// github.com/bradleyjkemp/sigma-go (plain ones, field equals one of some
// values, are compared by the engine as sigma-go compares). Threshold and sequence rules are Sigma v2
// correlation rules (event_count, value_count, temporal, temporal_ordered;
// group-by; timespan) evaluated by this package's correlator on the records'
// CreationTime. The built-in pack is embedded (rules/*.yml); an admin adds
// rules in the profile's rules folder. Rules that do not parse are reported
// by Engine.LoadErrors, never fatal.
//
// Findings depend on the set of records, not on the order they arrive in:
// a correlation group holds its signals sorted by (CreationTime, record Id),
// its windows start at its signals, and every satisfied window holding an
// arriving signal is reported (correlation.evaluate); the store merges
// matches of one rule and key that come within the rule's window of each
// other, including a match that bridges two findings (docs/ARCHITECTURE.md,
// "Findings are a function of the set of records"). A correlation feeds the
// ones that reference it its firing points (chain.go), so chains too depend
// on the set of records only.
//
// Every match goes through the store's UpsertFinding, which de-duplicates
// findings and ignores evidence a rule already used, so feeding the engine a
// record twice (a replay, a restart) never raises a finding twice.
package detect
