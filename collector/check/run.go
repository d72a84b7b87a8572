package check

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/auditlight/auditlight/collector/activity"
	"github.com/auditlight/auditlight/collector/auth"
	"github.com/auditlight/auditlight/collector/fault"
	"github.com/auditlight/auditlight/collector/graph"
	"github.com/auditlight/auditlight/collector/health"
)

// Application ids of the resources whose permissions the app needs.
const (
	ManagementAPIAppID = "c5393580-f805-4401-95e8-94b7a6ef2fc2"
	GraphAppID         = "00000003-0000-0000-c000-000000000000"
)

// Input is what the admin typed plus where to send it.
type Input struct {
	Tenant       string
	ClientID     string
	Secret       string
	Endpoints    auth.Endpoints
	HTTPClient   *http.Client // trusts the simulator's CA in tests; nil = system roots
	SecretExpiry time.Time    // as typed by the admin; zero if unknown
	Clock        func() time.Time
	Logger       *slog.Logger
	// MaxSkew is the clock difference that earns a warning (default 2 minutes).
	MaxSkew time.Duration
}

// runner carries state from one check to the next.
type runner struct {
	in       Input
	progress func(Result)
	report   Report

	src      *auth.Source
	apiTok   auth.Token
	api      *activity.Client
	gc       *graph.Client
	app      *graph.AppInfo
	enabled  []activity.ContentType
	stopping bool // a failure ends the run; later checks are skipped
}

// Run runs every check in order and reports each as it finishes through
// progress (which may be nil). It never blocks longer than ctx allows.
func Run(ctx context.Context, in Input, progress func(Result)) Report {
	if in.Clock == nil {
		in.Clock = time.Now
	}
	if in.Logger == nil {
		in.Logger = slog.New(slog.DiscardHandler)
	}
	if in.MaxSkew <= 0 {
		in.MaxSkew = 2 * time.Minute
	}
	if progress == nil {
		progress = func(Result) {}
	}
	r := &runner{in: in, progress: progress}
	steps := []struct {
		id  string
		run func(context.Context) Result
	}{
		{IDInputs, r.inputs},
		{IDToken, r.token},
		{IDPermissions, r.permissions},
		{IDGraph, r.graph},
		{IDSubscriptions, r.subscriptions},
		{IDAuditLog, r.auditLog},
		{IDContent, r.content},
		{IDClock, r.clock},
		{IDSecretExpiry, r.secretExpiry},
	}
	for _, s := range steps {
		var res Result
		if r.stopping {
			res = Result{Status: Skip, Reason: "Skipped until the failure above is fixed."}
		} else {
			progress(Result{ID: s.id, Title: Title(s.id), Status: Running})
			res = s.run(ctx)
			if res.Status == Fail {
				r.stopping = true
			}
		}
		res.ID, res.Title = s.id, Title(s.id)
		r.report.Results = append(r.report.Results, res)
		progress(res)
	}
	_, failed := r.report.Failed()
	r.report.OK = !failed
	return r.report
}

func pass(reason string) Result { return Result{Status: Pass, Reason: reason} }

func fail(reason, fix, step string) Result {
	return Result{Status: Fail, Reason: reason, Fix: fix, Step: step}
}

func warn(reason, fix, step string) Result {
	return Result{Status: Warn, Reason: reason, Fix: fix, Step: step}
}

func (r *runner) inputs(context.Context) Result {
	if _, err := auth.NormalizeTenant(r.in.Tenant); err != nil {
		return fail("Directory (tenant) ID: "+err.Error()+".",
			"Copy the Directory (tenant) ID from the app's Overview page in the Entra admin center.", StepIDs)
	}
	if _, err := auth.NormalizeClientID(r.in.ClientID); err != nil {
		return fail("Application (client) ID: "+err.Error()+".",
			"Copy the Application (client) ID from the app's Overview page in the Entra admin center.", StepIDs)
	}
	if _, err := auth.NormalizeSecret(r.in.Secret); err != nil {
		return fail("Client secret: "+err.Error()+".", "Paste the secret's Value from Certificates & secrets.", StepSecret)
	}
	if auth.LooksLikeSecretID(r.in.Secret) {
		return fail(auth.SecretIDHint+".",
			"In Certificates & secrets, copy the Value column of the secret (shown only right after creating it; if it is hidden, create a new secret).", StepSecret)
	}
	if err := r.in.Endpoints.Validate(); err != nil {
		return fail("Cloud endpoints: "+err.Error()+".", "Pick your cloud: Commercial, GCC, GCC High or DoD.", StepCloud)
	}
	return pass("The IDs and the secret are well-formed.")
}

func (r *runner) token(ctx context.Context) Result {
	tenant, _ := auth.NormalizeTenant(r.in.Tenant)
	clientID, _ := auth.NormalizeClientID(r.in.ClientID)
	secret, _ := auth.NormalizeSecret(r.in.Secret)
	src, err := auth.NewSource(auth.Config{Endpoints: r.in.Endpoints, Tenant: tenant, ClientID: clientID, Secret: secret,
		HTTPClient: r.in.HTTPClient, Clock: r.in.Clock, Logger: r.in.Logger})
	if err != nil {
		return fail("Could not set up the sign-in: "+err.Error()+".", "Check the IDs and the cloud.", StepIDs)
	}
	r.src = src
	tok, err := src.Token(ctx, auth.API)
	if err != nil {
		return tokenFailure(err, secret)
	}
	r.apiTok = tok
	r.report.TenantID = tok.Claims.TenantID
	return pass(fmt.Sprintf("Entra ID issued a token for tenant %s.", tok.Claims.TenantID))
}

// tokenFailure maps an Entra ID sign-in failure to the setup step that fixes it.
func tokenFailure(err error, secret string) Result {
	code := fault.CodeOf(err)
	with := func(s string) string {
		if code != "" {
			return s + " (" + code + ")."
		}
		return s + "."
	}
	switch fault.KindOf(err) {
	case fault.TenantNotFound:
		return fail(with("Entra ID does not know this tenant"),
			"Copy the Directory (tenant) ID from the app's Overview page, and check that the cloud (Commercial, GCC, GCC High, DoD) is right.", StepIDs)
	case fault.AppNotFound:
		return fail(with("The application is not registered in this tenant"),
			"Copy the Application (client) ID from the app's Overview page; make sure the app was registered in this tenant.", StepIDs)
	case fault.InvalidSecret:
		reason := with("Entra ID rejected the client secret")
		if auth.LooksLikeSecretID(secret) {
			reason += " " + auth.SecretIDHint + "."
		}
		return fail(reason, "Copy the secret's Value column (not the Secret ID) from Certificates & secrets; if the value is hidden, create a new secret.", StepSecret)
	case fault.ExpiredSecret:
		return fail(with("The client secret has expired"),
			"Create a new client secret in Certificates & secrets and paste its Value and expiry.", StepSecret)
	case fault.Config:
		return fail(with("The sign-in request was refused: "+firstLine(err)),
			"Check the cloud (Commercial, GCC, GCC High, DoD) and, for a custom endpoint, its certificate.", StepCloud)
	case fault.Throttled, fault.Transient, fault.Canceled:
		return fail(with("Entra ID could not be reached: "+firstLine(err)),
			"Check the internet connection and try again.", StepCloud)
	}
	return fail("Sign-in failed: "+firstLine(err)+".", "Check the IDs, the secret and the cloud.", StepIDs)
}

func (r *runner) permissions(ctx context.Context) Result {
	roles := r.apiTok.Claims.Roles
	if r.apiTok.Claims.HasRole("ActivityFeed.Read") {
		var missing []string
		for _, want := range []string{"ActivityFeed.ReadDlp", "ServiceHealth.Read"} {
			if !r.apiTok.Claims.HasRole(want) {
				missing = append(missing, want)
			}
		}
		if len(missing) > 0 {
			res := warn("The token lacks "+strings.Join(missing, " and ")+"; DLP events will not be collected.",
				"Add Office 365 Management APIs › Application permissions › "+strings.Join(missing, ", ")+", then Grant admin consent.", StepPermissions)
			if !contains(missing, "ActivityFeed.ReadDlp") {
				res.Reason = "The token lacks " + strings.Join(missing, " and ") + "."
			}
			return res
		}
		return pass("ActivityFeed.Read, ActivityFeed.ReadDlp and ServiceHealth.Read are granted.")
	}
	if len(roles) > 0 {
		return fail("ActivityFeed.Read is missing (the token has "+strings.Join(roles, ", ")+").",
			"Add Office 365 Management APIs › Application permissions › ActivityFeed.Read, then Grant admin consent.", StepPermissions)
	}
	// No application permission at all: delegated-only or no admin consent.
	// With Application.Read.All the app registration tells which.
	switch r.registeredAccess(ctx) {
	case "delegated":
		return fail("The Management API permissions were added as Delegated permissions only; AuditLight needs Application permissions.",
			"In API permissions › Add a permission › Office 365 Management APIs › Application permissions, tick ActivityFeed.Read, ActivityFeed.ReadDlp and ServiceHealth.Read, then Grant admin consent.", StepPermissions)
	case "no-consent":
		return fail("Admin consent has not been granted for the app's permissions.",
			"In API permissions, click \"Grant admin consent for <your organisation>\" and check that every permission shows a green tick.", StepPermissions)
	}
	if gt, err := r.src.Token(ctx, auth.Graph); err == nil && len(gt.Claims.Roles) == 0 {
		// Consent is granted for all of an app's permissions at once: when no
		// resource carries any role, consent is what is missing.
		return fail("Admin consent has not been granted: no token of this app carries any application permission.",
			"In API permissions, click \"Grant admin consent for <your organisation>\" (as a Global Administrator) and check that every permission shows a green tick.", StepPermissions)
	}
	return fail("The token carries no application permissions: they were added as Delegated only, or admin consent was not granted.",
		"In API permissions add Office 365 Management APIs › Application permissions › ActivityFeed.Read, ActivityFeed.ReadDlp, ServiceHealth.Read, then click Grant admin consent and check for green ticks.", StepPermissions)
}

// registeredAccess reads the app registration (needs Application.Read.All)
// and tells whether the Management API permissions are there only as
// Delegated ("delegated") or as Application but unconsented ("no-consent").
// It returns "" when it cannot tell.
func (r *runner) registeredAccess(ctx context.Context) string {
	app, ok := r.readApp(ctx)
	if !ok {
		return ""
	}
	hasRole, hasScope := false, false
	for _, ra := range app.RequiredAccess {
		if !strings.EqualFold(ra.ResourceAppID, ManagementAPIAppID) {
			continue
		}
		switch ra.Type {
		case "Role":
			hasRole = true
		case "Scope":
			hasScope = true
		}
	}
	switch {
	case hasScope && !hasRole:
		return "delegated"
	case hasRole:
		return "no-consent"
	}
	return ""
}

// readApp reads the app registration through Graph once, if permitted.
func (r *runner) readApp(ctx context.Context) (*graph.AppInfo, bool) {
	if r.app != nil {
		return r.app, true
	}
	gc, err := r.graphClient()
	if err != nil {
		return nil, false
	}
	clientID, _ := auth.NormalizeClientID(r.in.ClientID)
	app, err := gc.App(ctx, clientID)
	if err != nil {
		r.in.Logger.Debug("reading the app registration failed", "err", err)
		return nil, false
	}
	r.app = &app
	return r.app, true
}

func (r *runner) graphClient() (*graph.Client, error) {
	if r.gc != nil {
		return r.gc, nil
	}
	gc, err := graph.New(graph.Config{BaseURL: r.in.Endpoints.GraphURL, HTTPClient: r.in.HTTPClient,
		Token: r.src.Provider(auth.Graph), Logger: r.in.Logger})
	if err != nil {
		return nil, err
	}
	r.gc = gc
	return gc, nil
}

func (r *runner) graph(ctx context.Context) Result {
	tok, err := r.src.Token(ctx, auth.Graph)
	if err != nil {
		return warn("No Microsoft Graph token: "+firstLine(err)+"; user display names will be missing.",
			"Check the cloud setting; Graph is optional for collection.", StepCloud)
	}
	if !tok.Claims.HasRole("User.Read.All") {
		return warn("Microsoft Graph User.Read.All is not granted; the event feed will show sign-in names instead of display names.",
			"Add Microsoft Graph › Application permissions › User.Read.All, then Grant admin consent.", StepPermissions)
	}
	gc, err := r.graphClient()
	if err != nil {
		return warn("Microsoft Graph could not be set up: "+firstLine(err)+".", "Check the cloud setting.", StepCloud)
	}
	users, err := gc.Users(ctx)
	if err != nil {
		return warn("Reading users from Microsoft Graph failed: "+firstLine(err)+".",
			"Add Microsoft Graph › Application permissions › User.Read.All, then Grant admin consent.", StepPermissions)
	}
	return pass(fmt.Sprintf("Microsoft Graph answers; %d users can be shown by name.", len(users)))
}

func (r *runner) subscriptions(ctx context.Context) Result {
	tenantID := r.report.TenantID
	api, err := activity.New(activity.Config{BaseURL: r.in.Endpoints.APIURL, TenantID: tenantID, PublisherID: tenantID,
		HTTPClient: r.in.HTTPClient, Token: r.src.Provider(auth.API), Clock: r.in.Clock, Logger: r.in.Logger, MaxRetries: 1})
	if err != nil {
		return fail("Could not set up the Management API client: "+err.Error()+".", "Check the tenant and the cloud.", StepIDs)
	}
	r.api = api
	subs, err := api.Subscriptions(ctx)
	if err != nil {
		return apiFailure(err)
	}
	var states []string
	for _, s := range subs {
		states = append(states, string(s.ContentType)+" "+s.Status)
		if s.Status == "enabled" {
			r.enabled = append(r.enabled, s.ContentType)
		}
	}
	if len(subs) == 0 {
		return pass("The Management API answers; no subscriptions yet (AuditLight creates them when it connects).")
	}
	for _, s := range subs {
		if s.Status == "disabled" {
			return fail(fmt.Sprintf("The %s subscription is disabled (AF20023).", s.ContentType),
				"A subscription is disabled when audit logging was switched off or an admin stopped it. Check Unified Audit Logging in Microsoft Purview, then Connect again: AuditLight re-enables it once.", StepBefore)
		}
	}
	return pass("Subscriptions: " + strings.Join(states, ", ") + ".")
}

// apiFailure maps a Management API failure to its fix.
func apiFailure(err error) Result {
	code := fault.CodeOf(err)
	suffix := "."
	if code != "" {
		suffix = " (" + code + ")."
	}
	switch fault.KindOf(err) {
	case fault.PermissionMissing:
		return fail("The Management API refused the app: ActivityFeed.Read is missing"+suffix,
			"Add Office 365 Management APIs › Application permissions › ActivityFeed.Read, then Grant admin consent.", StepPermissions)
	case fault.AuditOff:
		r := fail("Unified Audit Logging is not enabled for this tenant"+suffix,
			"Please make sure that Unified Audit Logging is enabled in Microsoft Purview (Audit › Start recording user and admin activity); it can take up to 72 hours after switching it on.", StepBefore)
		r.Waitable = true
		return r
	case fault.SubscriptionDisabled:
		return fail("The audit subscription is disabled"+suffix,
			"Check Unified Audit Logging in Microsoft Purview, then Connect again: AuditLight re-enables the subscription once.", StepBefore)
	case fault.Throttled:
		return fail("Microsoft is throttling this tenant's requests"+suffix,
			"Wait a few minutes and test again; AuditLight backs off automatically while collecting.", "")
	case fault.TenantNotFound, fault.Config:
		return fail("The Management API rejected the tenant: "+firstLine(err)+suffix,
			"Check the Directory (tenant) ID and the cloud.", StepIDs)
	}
	return fail("The Management API failed: "+firstLine(err)+suffix, "Try again in a few minutes.", "")
}

func (r *runner) auditLog(ctx context.Context) Result {
	if len(r.enabled) > 0 {
		return pass("Audit subscriptions are enabled, so audit logging is on.")
	}
	// Starting a subscription is where Microsoft says whether audit logging
	// is on. Connect would start it anyway.
	_, err := r.api.Start(ctx, activity.AuditGeneral)
	if err != nil {
		if fault.KindOf(err) == fault.Throttled {
			return warn("Microsoft asked to wait before another subscription start ("+firstLine(err)+").",
				"Wait 15 minutes and test again.", "")
		}
		return apiFailure(err)
	}
	r.enabled = append(r.enabled, activity.AuditGeneral)
	return pass("Unified Audit Logging is on (the Audit.General subscription was started).")
}

func (r *runner) content(ctx context.Context) Result {
	now := r.in.Clock().Add(r.api.Skew()).UTC()
	total := 0
	for _, ct := range r.enabled {
		err := r.api.ListContent(ctx, ct, now.Add(-24*time.Hour), now, func(p []activity.Content) error {
			total += len(p)
			return errStopPaging
		})
		if err != nil && !errors.Is(err, errStopPaging) {
			return apiFailure(err)
		}
		if total > 0 {
			break
		}
	}
	if total == 0 {
		return warn("No audit content in the last 24 hours yet. This is normal for up to 12 hours after subscribing (and 24–72 hours after switching audit logging on).",
			"Nothing to do now; AuditLight will turn green when the first data arrives.", "")
	}
	return pass("Audit content is available.")
}

var errStopPaging = errors.New("enough pages")

func (r *runner) clock(context.Context) Result {
	skew := r.api.Skew()
	abs := skew
	if abs < 0 {
		abs = -abs
	}
	if abs > r.in.MaxSkew {
		dir := "behind"
		if skew < 0 {
			dir = "ahead of"
		}
		// The Date header has one-second resolution: say it in minutes.
		return warn(fmt.Sprintf("This computer's clock is about %d minutes %s Microsoft's; AuditLight corrects for it, but the 7-day window gets tight.", int(abs.Round(time.Minute)/time.Minute), dir),
			"Turn on automatic time synchronisation in the operating system's date & time settings.", "")
	}
	return pass(fmt.Sprintf("The clock agrees with Microsoft's (difference %s).", abs.Round(time.Second)))
}

func (r *runner) secretExpiry(ctx context.Context) Result {
	now := r.in.Clock()
	typed := r.in.SecretExpiry
	var fromGraph time.Time
	if app, ok := r.readApp(ctx); ok {
		if s, ok := app.SecretFor(r.in.Secret); ok {
			fromGraph = s.End
		}
	}
	exp := typed
	if exp.IsZero() {
		exp = fromGraph
	}
	if exp.IsZero() {
		return warn("The secret's expiry date is unknown, so AuditLight cannot remind you before it expires.",
			"Enter the expiry shown in Certificates & secrets (or grant Microsoft Graph Application.Read.All so AuditLight reads it itself).", StepSecret)
	}
	if !fromGraph.IsZero() && !typed.IsZero() && absDays(fromGraph.Sub(typed)) >= 1 {
		return warn(fmt.Sprintf("Entra says the secret expires on %s, not %s as entered.", fromGraph.Format("2006-01-02"), typed.Format("2006-01-02")),
			"Correct the expiry date to match Certificates & secrets.", StepSecret)
	}
	left := exp.Sub(now)
	switch {
	case left <= 0:
		return fail("The client secret expired on "+exp.Format("2006-01-02")+".",
			"Create a new client secret in Certificates & secrets and paste its Value and expiry.", StepSecret)
	case left > 24*31*24*time.Hour+48*time.Hour:
		return warn("The expiry "+exp.Format("2006-01-02")+" is more than 24 months away; Entra allows at most 24 months.",
			"Enter the expiry date shown in Certificates & secrets.", StepSecret)
	case left < 30*24*time.Hour:
		return warn(fmt.Sprintf("The client secret expires in %d days (%s).", health.DaysUntil(now, exp), exp.Format("2006-01-02")),
			"Create a new secret soon and use Rotate secret.", StepSecret)
	}
	return pass(fmt.Sprintf("The client secret expires in %d days (%s).", health.DaysUntil(now, exp), exp.Format("2006-01-02")))
}

func absDays(d time.Duration) float64 {
	if d < 0 {
		d = -d
	}
	return d.Hours() / 24
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// firstLine is the first line of err's text, for a one-line reason.
func firstLine(err error) string {
	s := err.Error()
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSuffix(s, ".")
}
