package events

import (
	"strings"
	"time"

	"github.com/auditlight/auditlight/collector/auditrec"
)

// choice pairs a select label with its filter value.
type choice struct {
	Label        string
	Values       []string // workloads (or results)
	ContentTypes []string // content types, for DLP (its records carry Exchange/SharePoint workloads)
}

// workloadChoices are the feed's workload filter options (audit record
// Workload values; SharePoint and OneDrive are shown together).
func workloadChoices() []choice {
	return []choice{
		{Label: "All workloads"},
		{Label: "Exchange", Values: []string{"Exchange"}},
		{Label: "SharePoint / OneDrive", Values: []string{"SharePoint", "OneDrive"}},
		{Label: "Entra ID (sign-ins, directory)", Values: []string{"AzureActiveDirectory"}},
		{Label: "Teams", Values: []string{"MicrosoftTeams"}},
		{Label: "Power BI", Values: []string{"PowerBI"}},
		{Label: "Security & Compliance (alerts)", Values: []string{"SecurityComplianceCenter"}},
		{Label: "Threat Intelligence", Values: []string{"ThreatIntelligence"}},
		{Label: "DLP (data loss prevention)", ContentTypes: []string{"DLP.All"}},
	}
}

// resultChoices are the result filter options. The values are the stored
// (normalised) results, so the store, the CLI and exports agree on them.
func resultChoices() []choice {
	return []choice{{Label: "Any result"},
		{Label: auditrec.ResultLabel(auditrec.ResultSuccess), Values: []string{auditrec.ResultSuccess}},
		{Label: auditrec.ResultLabel(auditrec.ResultFailure), Values: []string{auditrec.ResultFailure}}}
}

// rangeChoice is a time range option.
type rangeChoice struct {
	Label string
	Span  time.Duration // 0 = all time
}

func rangeChoices() []rangeChoice {
	return []rangeChoice{
		{"Last hour", time.Hour},
		{"Last 24 hours", 24 * time.Hour},
		{"Last 7 days", 7 * 24 * time.Hour},
		{"All stored", 0},
	}
}

// filterState is what the filter bar shows.
type filterState struct {
	Workload string // a workloadChoices label
	Result   string // a resultChoices label
	Range    string // a rangeChoices label
	Text     string
}

func defaultFilterState() filterState {
	return filterState{Workload: workloadChoices()[0].Label, Result: resultChoices()[0].Label,
		Range: rangeChoices()[3].Label}
}

func choiceValues(cs []choice, label string) []string {
	for _, c := range cs {
		if c.Label == label {
			return c.Values
		}
	}
	return nil
}

func labels(cs []choice) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Label
	}
	return out
}

// eventFilter turns the filter bar into a Backend filter at now.
func (fs filterState) eventFilter(now time.Time) Filter {
	f := Filter{Workloads: choiceValues(workloadChoices(), fs.Workload), Text: strings.TrimSpace(fs.Text)}
	for _, c := range workloadChoices() {
		if c.Label == fs.Workload {
			f.ContentTypes = c.ContentTypes
		}
	}
	if r := choiceValues(resultChoices(), fs.Result); len(r) == 1 {
		f.Result = r[0]
	}
	for _, rc := range rangeChoices() {
		if rc.Label == fs.Range && rc.Span > 0 {
			f.Since = now.Add(-rc.Span)
		}
	}
	return f
}

// mergeNewer puts the rows of a fresh first page that are newer than the
// current newest row in front of current. When the page does not reach the
// current rows (more new rows than one page), the page replaces them and
// gap is true: older rows must be paged in again.
func mergeNewer(current, page []Row) (merged []Row, added int, gap bool) {
	if len(current) == 0 {
		return page, len(page), false
	}
	head := current[0].ID
	for k, r := range page {
		if r.ID == head {
			merged = make([]Row, 0, k+len(current))
			merged = append(merged, page[:k]...)
			return append(merged, current...), k, false
		}
	}
	if len(page) == 0 {
		return current, 0, false
	}
	return page, len(page), true
}
