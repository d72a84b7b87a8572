package auditrec

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func readSample(t testing.TB, prefix string) []byte {
	t.Helper()
	matches, err := filepath.Glob(filepath.Join("testdata", "samples", prefix+"-*.json"))
	if err != nil || len(matches) != 1 {
		t.Fatalf("sample %s: %v (%d matches)", prefix, err, len(matches))
	}
	b, err := os.ReadFile(matches[0])
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseReferenceSamples(t *testing.T) {
	utc := func(s string) time.Time {
		tm, err := time.Parse("2006-01-02T15:04:05", s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	const tenant = "6f2b4c1e-93a7-4d2b-8c55-1e0f7a9b3d21"
	tests := []struct {
		sample string
		want   Record
	}{
		{"A", Record{ID: "3c1f7a52-6b0e-4d8e-9a13-5f2e8c0d4b71", RecordType: 15, CreationTime: utc("2026-09-03T07:41:09"),
			Operation: "UserLoggedIn", Workload: "AzureActiveDirectory", UserID: "mira.okafor@northwind-lab.onmicrosoft.com",
			UserKey: "9a7e2d40-1c3b-4f5a-8e6d-2b0c9f1e7a33", ClientIP: "198.51.100.24", ResultStatus: "Success", Result: ResultSuccess,
			ObjectID: "00000003-0000-0000-c000-000000000000", OrganizationID: tenant}},
		{"B", Record{ID: "8e40c2d1-5f7a-4b69-a3e2-0d1c9b8a7f65", RecordType: 15, CreationTime: utc("2026-09-03T07:52:30"),
			Operation: "UserLoginFailed", Workload: "AzureActiveDirectory", UserID: "jonas.berg@northwind-lab.onmicrosoft.com",
			UserKey: "41b7c9e2-8d3a-4f60-b1e5-6a2d0c9f8e17", ClientIP: "203.0.113.88", ResultStatus: "Success", Result: ResultFailure,
			ObjectID: "00000002-0000-0ff1-ce00-000000000000", OrganizationID: tenant}},
		{"C", Record{ID: "b1e0d9c8-7a6f-4e5d-9c3b-2a1f0e9d8c7b", RecordType: 1, CreationTime: utc("2026-09-03T08:05:17"),
			Operation: "New-InboxRule", Workload: "Exchange", UserID: "jonas.berg@northwind-lab.onmicrosoft.com",
			UserKey: "10032003A1B2C3D4", ClientIP: "203.0.113.88", ResultStatus: "True", Result: ResultSuccess,
			ObjectID: `jonas.berg\Sync backup`, OrganizationID: tenant}},
		{"D", Record{ID: "0c2e4a6b-8d0f-4213-a5c7-e9f1b3d5a7c9", RecordType: 1, CreationTime: utc("2026-09-03T08:07:02"),
			Operation: "Set-Mailbox", Workload: "Exchange", UserID: "jonas.berg@northwind-lab.onmicrosoft.com",
			UserKey: "10032003A1B2C3D4", ClientIP: "203.0.113.88", ResultStatus: "True", Result: ResultSuccess,
			ObjectID: "jonas.berg", OrganizationID: tenant}},
		{"E", Record{ID: "e5d4c3b2-a190-4f8e-9d7c-6b5a4f3e2d1c", RecordType: 6, CreationTime: utc("2026-09-03T08:20:44"),
			Operation: "FileDownloaded", Workload: "SharePoint", UserID: "jonas.berg@northwind-lab.onmicrosoft.com",
			UserKey: "i:0h.f|membership|10032003a1b2c3d4@live.com", ClientIP: "203.0.113.88", ResultStatus: "Succeeded", Result: ResultSuccess,
			ObjectID: "https://northwindlab.sharepoint.com/sites/Finance/Shared Documents/Payroll/2026-Q3-salaries.xlsx", OrganizationID: tenant}},
		{"F", Record{ID: "44aa21c7-3e5b-4d90-b6f1-08dd0c1e2f3a", RecordType: 40, CreationTime: utc("2026-09-03T08:30:00"),
			Operation: "AlertTriggered", Workload: "SecurityComplianceCenter", UserID: "SecurityComplianceAlerts",
			UserKey: "SecurityComplianceAlerts", UserType: 4, ResultStatus: "Succeeded", Result: ResultSuccess,
			ObjectID: "a81f0c2e-7b3d-4e59-9c14-6d2b8e0f1a3c", OrganizationID: tenant}},
		{"G", Record{ID: "7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2910", RecordType: 28, CreationTime: utc("2026-09-03T06:58:31"),
			Operation: "TIMailData", Workload: "ThreatIntelligence", UserID: "ThreatIntel", UserKey: "ThreatIntel", UserType: 4,
			ObjectID: "5e6f7a8b-9c0d-4e1f-2a3b-08dd0c9e8f7a", OrganizationID: tenant}},
	}
	for _, tt := range tests {
		t.Run(tt.sample, func(t *testing.T) {
			got, err := Parse(readSample(t, tt.sample))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got != tt.want {
				t.Errorf("Parse =\n%+v\nwant\n%+v", got, tt.want)
			}
			if got.CreationTime.Location() != time.UTC {
				t.Errorf("CreationTime location = %v, want UTC", got.CreationTime.Location())
			}
		})
	}
}

func TestParseTolerance(t *testing.T) {
	base := time.Date(2026, 9, 3, 7, 41, 9, 0, time.UTC)
	tests := []struct {
		name string
		raw  string
		want Record
	}{
		{"numbers as strings", `{"Id":"a","RecordType":"15","UserType":" 2 ","CreationTime":"2026-09-03T07:41:09"}`,
			Record{ID: "a", RecordType: 15, UserType: 2, CreationTime: base}},
		{"integral float numbers", `{"Id":"a","RecordType":1.5e1,"UserType":4.0,"CreationTime":"2026-09-03T07:41:09"}`,
			Record{ID: "a", RecordType: 15, UserType: 4, CreationTime: base}},
		{"garbage enum keeps record", `{"Id":"a","RecordType":"abc","UserType":null,"CreationTime":"2026-09-03T07:41:09"}`,
			Record{ID: "a", CreationTime: base}},
		{"time with Z", `{"Id":"a","CreationTime":"2026-09-03T07:41:09Z"}`, Record{ID: "a", CreationTime: base}},
		{"time RFC3339Nano offset", `{"Id":"a","CreationTime":"2026-09-03T09:41:09.1234567+02:00"}`,
			Record{ID: "a", CreationTime: base.Add(123456700 * time.Nanosecond)}},
		{"time fraction without zone", `{"Id":"a","CreationTime":"2026-09-03T07:41:09.5"}`,
			Record{ID: "a", CreationTime: base.Add(500 * time.Millisecond)}},
		{"time with space", `{"Id":"a","CreationTime":"2026-09-03 07:41:09"}`, Record{ID: "a", CreationTime: base}},
		{"ipv4 with port", `{"Id":"a","CreationTime":"2026-09-03T07:41:09","ClientIP":"203.0.113.7:51544"}`,
			Record{ID: "a", CreationTime: base, ClientIP: "203.0.113.7"}},
		{"bracketed ipv6 with port", `{"Id":"a","CreationTime":"2026-09-03T07:41:09","ClientIP":"[2001:DB8::1]:443"}`,
			Record{ID: "a", CreationTime: base, ClientIP: "2001:db8::1"}},
		{"bare ipv6", `{"Id":"a","CreationTime":"2026-09-03T07:41:09","ClientIP":"2001:db8:0:0::7"}`,
			Record{ID: "a", CreationTime: base, ClientIP: "2001:db8::7"}},
		{"ipv4-mapped ipv6", `{"Id":"a","CreationTime":"2026-09-03T07:41:09","ClientIP":"::ffff:198.51.100.9"}`,
			Record{ID: "a", CreationTime: base, ClientIP: "198.51.100.9"}},
		{"null ip", `{"Id":"a","CreationTime":"2026-09-03T07:41:09","ClientIP":null}`, Record{ID: "a", CreationTime: base}},
		{"non-ip kept", `{"Id":"a","CreationTime":"2026-09-03T07:41:09","ClientIP":"<unknown>"}`,
			Record{ID: "a", CreationTime: base, ClientIP: "<unknown>"}},
		{"escaped strings", `{"Id":"a","CreationTime":"2026-09-03T07:41:09","UserId":"NT AUTHORITY\\SYSTEM (w3wp)","ObjectId":"caf\u00e9\/x"}`,
			Record{ID: "a", CreationTime: base, UserID: `NT AUTHORITY\SYSTEM (w3wp)`, ObjectID: "café/x"}},
		{"case-insensitive keys", `{"id":"a","creationtime":"2026-09-03T07:41:09","OPERATION":"X"}`,
			Record{ID: "a", CreationTime: base, Operation: "X"}},
		{"duplicate key last wins", `{"Id":"a","Id":"b","CreationTime":"2026-09-03T07:41:09"}`, Record{ID: "b", CreationTime: base}},
		{"numeric id", `{"Id":42,"CreationTime":"2026-09-03T07:41:09"}`, Record{ID: "42", CreationTime: base}},
		{"nested noise skipped", `{"Id":"a","X":{"Id":"inner","y":[1,2,{"z":null}]},"CreationTime":"2026-09-03T07:41:09"}`,
			Record{ID: "a", CreationTime: base}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse([]byte(tt.raw))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got != tt.want {
				t.Errorf("Parse =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestParseResult(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		want string
	}{
		{"failed", `"ResultStatus":"Failed"`, ResultFailure},
		{"exchange false", `"ResultStatus":"False"`, ResultFailure},
		{"login failed despite success", `"Operation":"UserLoginFailed","ResultStatus":"Success"`, ResultFailure},
		{"error number string", `"ResultStatus":"Succeeded","ErrorNumber":"50126"`, ResultFailure},
		{"error number json number", `"ResultStatus":"Succeeded","ErrorNumber":50053`, ResultFailure},
		{"documented ErrorCode", `"ResultStatus":"Succeeded","ErrorCode":"50074"`, ResultFailure},
		{"logon error present", `"ResultStatus":"Success","LogonError":"InvalidUserNameOrPassword"`, ResultFailure},
		{"error number zero", `"ResultStatus":"Success","ErrorNumber":"0","LogonError":""`, ResultSuccess},
		{"succeeded", `"ResultStatus":"Succeeded"`, ResultSuccess},
		{"exchange true lower case", `"ResultStatus":"true"`, ResultSuccess},
		{"partially succeeded", `"ResultStatus":"PartiallySucceeded"`, ResultSuccess},
		{"no status", `"Operation":"TIMailData"`, ""},
		{"unknown status", `"ResultStatus":"Redirect"`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse([]byte(`{"Id":"x","CreationTime":"2026-09-03T07:41:09",` + tt.raw + `}`))
			if err != nil {
				t.Fatal(err)
			}
			if got.Result != tt.want {
				t.Errorf("Result = %q, want %q", got.Result, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name    string
		raw     string
		wantErr error // nil: any error
	}{
		{"missing id", `{"CreationTime":"2026-09-03T07:41:09"}`, ErrNoID},
		{"empty id", `{"Id":"  ","CreationTime":"2026-09-03T07:41:09"}`, ErrNoID},
		{"null id", `{"Id":null,"CreationTime":"2026-09-03T07:41:09"}`, ErrNoID},
		{"array", `[{"Id":"a"}]`, ErrNotObject},
		{"string", `"Id"`, ErrNotObject},
		{"missing time", `{"Id":"a"}`, ErrBadCreationTime},
		{"bad time", `{"Id":"a","CreationTime":"yesterday"}`, ErrBadCreationTime},
		{"empty", ``, errTruncated},
		{"truncated", `{"Id":"a","CreationTime":"2026-09-03T07:4`, errTruncated},
		{"truncated literal", `{"Id":"a","X":tru`, errTruncated},
		{"trailing garbage", `{"Id":"a","CreationTime":"2026-09-03T07:41:09"} x`, nil},
		{"bad escape", `{"Id":"a\q"}`, nil},
		{"control char in string", "{\"Id\":\"a\x01\"}", nil},
		{"leading zero", `{"Id":"a","RecordType":015}`, nil},
		{"missing colon", `{"Id" "a"}`, nil},
		{"trailing comma", `{"Id":"a",}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.raw))
			if err == nil {
				t.Fatal("Parse succeeded, want error")
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("error %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestParseBadTimeKeepsFields(t *testing.T) {
	rec, err := Parse([]byte(`{"Id":"a","CreationTime":"","Operation":"FileDeleted","ClientIP":"1.2.3.4:5"}`))
	if !errors.Is(err, ErrBadCreationTime) {
		t.Fatalf("err = %v, want ErrBadCreationTime", err)
	}
	if rec.ID != "a" || rec.Operation != "FileDeleted" || rec.ClientIP != "1.2.3.4" {
		t.Errorf("fields not kept: %+v", rec)
	}
}
