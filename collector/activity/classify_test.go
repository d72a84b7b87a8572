package activity

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector/fault"
)

func TestClassifyResponse(t *testing.T) {
	const ualOff = `{"error":{"code":"StartSubscription [CorrId=7d9c][TenantId=6f2b4c1e-93a7-4d2b-8c55-1e0f7a9b3d21,ContentType=Audit.General,ApplicationId=0a1b,PublisherId=6f2b][AppId","message":"0a1b] failed. Exception: Microsoft.Office.Compliance.Audit.DataServiceException: Tenant 6f2b4c1e-93a7-4d2b-8c55-1e0f7a9b3d21 does not exist.\r\n   at Microsoft.Office.Compliance.Audit.API.AuditApiProvider.StartSubscription()"}}`
	date := time.Date(2026, 9, 3, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		status     int
		header     http.Header
		body       string
		wantKind   fault.Kind
		wantCode   string
		wantMsg    string
		retryAfter time.Duration
	}{
		{"AF10001 permission", 401, nil, afError("AF10001", "The permission set () sent in the request does not include the expected permission."), fault.PermissionMissing, "AF10001", "permission set ()", 0},
		{"AF20010 tenant mismatch", 401, nil, afError("AF20010", "The tenant ID in the URL does not match the token."), fault.Config, "AF20010", "does not match", 0},
		{"AF20011 tenant unknown", 400, nil, afError("AF20011", "Specified tenant ID (x) does not exist in the system or has been deleted."), fault.TenantNotFound, "AF20011", "has been deleted", 0},
		{"AF20012 no licences", 400, nil, afError("AF20012", "Specified tenant ID (x) is incorrectly configured in the system."), fault.AuditOff, "AF20012", "incorrectly configured", 0},
		{"AF20013 not a guid", 400, nil, afError("AF20013", "The tenant ID in the URL is not a valid GUID."), fault.Config, "AF20013", "GUID", 0},
		{"AF20020 content type", 400, nil, afError("AF20020", "The specified content type is not valid."), fault.Config, "AF20020", "content type", 0},
		{"AF20022 no subscription", 400, nil, afError("AF20022", "No subscription found for the specified content type."), fault.NoSubscription, "AF20022", "No subscription", 0},
		{"AF20023 disabled", 400, nil, afError("AF20023", "The subscription was disabled."), fault.SubscriptionDisabled, "AF20023", "disabled", 0},
		{"AF20030 window", 400, nil, afError("AF20030", "Start time and end time must both be specified."), fault.Window, "AF20030", "Start time", 0},
		{"AF20031 next page", 400, nil, afError("AF20031", "Invalid nextPage Input."), fault.Window, "AF20031", "nextPage", 0},
		{"AF20055 window", 400, nil, afError("AF20055", "Start time must precede end time."), fault.Window, "AF20055", "precede", 0},
		{"AF20050 missing", 400, nil, afError("AF20050", "The specified content does not exist."), fault.ContentMissing, "AF20050", "does not exist", 0},
		{"AF20051 expired", 400, nil, afError("AF20051", "The specified content has expired."), fault.ContentExpired, "AF20051", "expired", 0},
		{"404 vanished blob", 404, nil, "", fault.ContentMissing, "HTTP 404", "", 0},
		{"403 AF429", 403, http.Header{"Retry-After": {"12"}}, afError("AF429", "Too many requests. Method=GetBlob, PublisherId=6f2b"), fault.Throttled, "AF429", "Too many requests", 12 * time.Second},
		{"429 http date", 429, http.Header{"Date": {date.Format(http.TimeFormat)}, "Retry-After": {date.Add(2 * time.Minute).Format(http.TimeFormat)}}, "", fault.Throttled, "HTTP 429", "", 2 * time.Minute},
		{"start cool-down text", 429, nil, `{"error":{"code":"AF429","message":"Too many frequent subscription start requests. Please retry again after 14m 56s"}}`, fault.Throttled, "AF429", "retry again", 14*time.Minute + 56*time.Second},
		{"AF50000 internal", 500, nil, afError("AF50000", "An internal error occurred. Retry the request."), fault.Transient, "AF50000", "internal", 0},
		{"AF50006 internal", 400, nil, afError("AF50006", "Internal error."), fault.Transient, "AF50006", "Internal", 0},
		{"503 html", 503, http.Header{"Retry-After": {"3"}}, "<html><body>Service Unavailable</body></html>", fault.Transient, "HTTP 503", "Service Unavailable", 3 * time.Second},
		{"408 timeout", 408, nil, "", fault.Transient, "HTTP 408", "", 0},
		{"UAL off malformed", 400, nil, ualOff, fault.AuditOff, "HTTP 400", "Tenant 6f2b4c1e-93a7-4d2b-8c55-1e0f7a9b3d21 does not exist.", 0},
		{"UAL off plain text", 400, nil, "Microsoft.Office.Compliance.Audit.DataServiceException: Tenant x does not exist.", fault.AuditOff, "HTTP 400", "audit logging is not turned on", 0},
		{"UAL off without exception name", 400, nil, `{"error":{"code":"","message":"Tenant 6f2b4c1e-93a7-4d2b-8c55-1e0f7a9b3d21 does not exist."}}`, fault.AuditOff, "HTTP 400", "does not exist", 0},
		{"404 page saying does not exist", 404, nil, "<html>The resource you are looking for does not exist.</html>", fault.ContentMissing, "HTTP 404", "does not exist", 0},
		{"broken JSON with code", 400, nil, `{"error":{"code":"AF20022","message":"No subscription found`, fault.NoSubscription, "AF20022", "", 0},
		{"AF-looking GUID text ignored", 400, nil, `bad request for tenant 1234-AF123-xyz`, fault.Config, "HTTP 400", "bad request", 0},
		{"401 plain", 401, nil, "", fault.Config, "HTTP 401", "rejected the access token", 0},
		{"403 plain", 403, nil, `{"error":{"code":"Forbidden","message":"Access denied."}}`, fault.PermissionMissing, "HTTP 403", "Access denied", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fe := ClassifyResponse(tt.status, tt.header, []byte(tt.body))
			if fe.Kind != tt.wantKind || fe.Code != tt.wantCode || fe.Status != tt.status {
				t.Errorf("got kind=%v code=%q status=%d, want %v %q %d (msg %q)", fe.Kind, fe.Code, fe.Status, tt.wantKind, tt.wantCode, tt.status, fe.Message)
			}
			if !strings.Contains(fe.Message, tt.wantMsg) {
				t.Errorf("message %q does not contain %q", fe.Message, tt.wantMsg)
			}
			if strings.ContainsAny(fe.Message, "\r\n") || len(fe.Message) > 400 {
				t.Errorf("message %q is not one short line", fe.Message)
			}
			if fe.RetryAfter != tt.retryAfter {
				t.Errorf("RetryAfter = %v, want %v", fe.RetryAfter, tt.retryAfter)
			}
		})
	}
}
