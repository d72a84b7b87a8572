package ui

import (
	"fmt"
	"time"

	"github.com/auditlight/auditlight/ui/events"
)

var feedNow = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

// sampleRows returns n rows, newest first, one minute apart, cycling
// through workloads, results and users.
func sampleRows(n int, newest time.Time, prefix string) []events.Row {
	workloads := []string{"Exchange", "SharePoint", "AzureActiveDirectory", "OneDrive"}
	users := []string{"alice@contoso.onmicrosoft.com", "bob@contoso.onmicrosoft.com", "carol@contoso.onmicrosoft.com"}
	rows := make([]events.Row, n)
	for i := range rows {
		result := "success" // the stored, normalised values (auditrec)
		if i%5 == 0 {
			result = "failure"
		}
		rows[i] = events.Row{
			ID:        fmt.Sprintf("%s%06d", prefix, n-i),
			Time:      newest.Add(-time.Duration(i) * time.Minute),
			User:      users[i%len(users)],
			Operation: []string{"MailItemsAccessed", "FileDownloaded", "UserLoggedIn"}[i%3],
			Workload:  workloads[i%len(workloads)],
			ClientIP:  fmt.Sprintf("203.0.113.%d", i%250),
			Result:    result,
			Raw:       []byte(fmt.Sprintf(`{"Id":"%s%06d","Operation":"x"}`, prefix, n-i)),
		}
	}
	return rows
}
