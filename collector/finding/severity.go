package finding

import (
	"fmt"
	"strings"
)

// Severity ranks a finding. The zero value is Informational; higher values
// are more urgent, so severities compare with < and >.
type Severity int

// Severities, from least to most urgent (the Sigma levels).
const (
	Informational Severity = iota
	Low
	Medium
	High
	Critical
)

// String returns the Sigma level name ("informational" ... "critical").
func (s Severity) String() string {
	switch s {
	case Informational:
		return "informational"
	case Low:
		return "low"
	case Medium:
		return "medium"
	case High:
		return "high"
	case Critical:
		return "critical"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// Label is the capitalised name shown to people ("High").
func (s Severity) Label() string {
	n := s.String()
	return strings.ToUpper(n[:1]) + n[1:]
}

// ParseSeverity reads a Sigma level (case-insensitive). Microsoft's alert
// severities ("Informational", "Low", "Medium", "High") parse too.
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "informational", "info":
		return Informational, nil
	case "low":
		return Low, nil
	case "medium":
		return Medium, nil
	case "high":
		return High, nil
	case "critical":
		return Critical, nil
	}
	return Informational, fmt.Errorf("unknown severity %q (want informational, low, medium, high or critical)", s)
}

// MarshalText encodes the level name (JSON uses it).
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText decodes a level name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}
