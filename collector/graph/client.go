// Package graph reads the little AuditLight needs from Microsoft Graph (user
// display names and the app registration's secrets and permissions) through
// msgraph-sdk-go. It is the only package that imports the SDK, because the SDK
// takes minutes and gigabytes to compile. The bearer token is only ever
// attached to requests for the configured Graph origin.
//
// Binary size: this package never imports the SDK's root package
// (github.com/microsoftgraph/msgraph-sdk-go) and its GraphServiceClient,
// which references every request builder of the whole Graph API; once a
// program also uses reflect's method lookup (text/template does), the linker
// must keep every exported method of all of them, about 90 MB. Each call
// builds only the sub-package request builder it needs (users,
// applicationswithappid, ...) from Client.pathParameters and Client.adapter.
// A new Graph call follows the same pattern: import the sub-package and call
// its New…RequestBuilderInternal(c.pathParameters(), c.adapter).
package graph

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/microsoft/kiota-abstractions-go/authentication"
	absser "github.com/microsoft/kiota-abstractions-go/serialization"
	nethttplibrary "github.com/microsoft/kiota-http-go"
	jsonserialization "github.com/microsoft/kiota-serialization-json-go"
	msgraphcore "github.com/microsoftgraph/msgraph-sdk-go-core"

	"github.com/auditlight/auditlight/collector/fault"
	"github.com/auditlight/auditlight/internal/idlehttp"
)

// Config configures a Client.
type Config struct {
	// BaseURL is the Graph root including the version, e.g.
	// https://graph.microsoft.com/v1.0.
	BaseURL string
	// HTTPClient supplies the transport (and so the TLS trust) and timeout;
	// the SDK's middleware (retry on 429/503/504, redirects, compression) is
	// layered on top. nil = the system defaults.
	HTTPClient *http.Client
	// Token returns a bearer token for Microsoft Graph (required).
	Token func(ctx context.Context) (string, error)
	// Clock is used to decide which secrets are currently valid (nil = time.Now).
	Clock func() time.Time
	// Logger receives diagnostics (nil = discard). Tokens are never logged.
	Logger *slog.Logger
	// IdleTimeout abandons a Graph exchange that receives no byte for this
	// long (0 = idlehttp.DefaultIdle), however long the client's timeout.
	IdleTimeout time.Duration
}

// Client reads users and the app registration. It is safe for concurrent use.
type Client struct {
	adapter *msgraphcore.GraphRequestAdapterBase
	clock   func() time.Time
	log     *slog.Logger
}

// sdkVersion is the msgraph-sdk-go version sent in the SDK telemetry header
// (SdkVersion), as the root package would send it.
const sdkVersion = "1.103.0"

// clientOptions are the Graph client options the SDK's root package would use
// for v1.0 (which sends no service version in the telemetry header).
func clientOptions() msgraphcore.GraphClientOptions {
	return msgraphcore.GraphClientOptions{GraphServiceLibraryVersion: sdkVersion}
}

// pathParameters returns a fresh path-parameter map for a request builder;
// the base URL itself comes from the adapter ("{+baseurl}" in every
// builder's URL template). Builders write into the map, so each call gets
// its own.
func (c *Client) pathParameters() map[string]string { return map[string]string{} }

// newSerialization returns JSON parse-node and serialization-writer
// registries owned by this client, instead of the SDK's process-wide default
// registries that the root GraphServiceClient fills in as a side effect.
func newSerialization() (*absser.ParseNodeFactoryRegistry, *absser.SerializationWriterFactoryRegistry) {
	parse := absser.NewParseNodeFactoryRegistry()
	parse.ContentTypeAssociatedFactories["application/json"] = jsonserialization.NewJsonParseNodeFactory()
	write := absser.NewSerializationWriterFactoryRegistry()
	write.ContentTypeAssociatedFactories["application/json"] = jsonserialization.NewJsonSerializationWriterFactory()
	return parse, write
}

// New validates cfg and builds the SDK client. It makes no network call.
func New(cfg Config) (*Client, error) {
	const op = "creating Graph client"
	bad := func(msg string, err error) error {
		return &fault.Error{Kind: fault.Config, Op: op, Message: msg, Err: err}
	}
	base := strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/")
	u, err := url.Parse(base)
	if err != nil || base == "" {
		return nil, bad(fmt.Sprintf("the Graph URL %q is not a valid URL", cfg.BaseURL), err)
	}
	if u.Scheme != "https" || u.Hostname() == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, bad(fmt.Sprintf("the Graph URL %q must be https:// with a host and no query", cfg.BaseURL), nil)
	}
	if u.Path == "" || u.Path == "/" {
		return nil, bad(fmt.Sprintf("the Graph URL %q must include the version, e.g. /v1.0", cfg.BaseURL), nil)
	}
	if cfg.Token == nil {
		return nil, bad("no token source", nil)
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	clock := cfg.Clock
	if clock == nil {
		clock = time.Now
	}
	provider, err := newTokenProvider(u, cfg.Token)
	if err != nil {
		return nil, bad("the Graph host is not valid", err)
	}
	parse, write := newSerialization()
	adapter, err := msgraphcore.NewGraphRequestAdapterBaseWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(
		authentication.NewBaseBearerTokenAuthenticationProvider(provider), clientOptions(), parse, write, newHTTPClient(cfg.HTTPClient, cfg.IdleTimeout))
	if err != nil {
		return nil, bad("building the Graph request adapter failed", err)
	}
	adapter.SetBaseUrl(base)
	return &Client{adapter: adapter, clock: clock, log: logger}, nil
}

// newHTTPClient layers the Graph/kiota middleware over the injected client's
// transport, keeping its TLS configuration. Redirects are left to the
// redirect middleware, which drops the Authorization header on a change of
// origin.
func newHTTPClient(injected *http.Client, idle time.Duration) *http.Client {
	var parent http.RoundTripper
	timeout := 100 * time.Second
	if injected != nil {
		if injected.Timeout > 0 {
			timeout = injected.Timeout
		}
		switch t := injected.Transport.(type) {
		case nil:
		case *http.Transport:
			parent = t.Clone()
		default:
			parent = t
		}
	}
	if parent == nil {
		parent = nethttplibrary.GetDefaultTransport()
	}
	parent = &idlehttp.Transport{Base: parent, Idle: idle} // a stalled answer never holds the refresh
	opts := clientOptions()
	return &http.Client{
		Timeout:       timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport:     nethttplibrary.NewCustomTransportWithParentTransport(parent, msgraphcore.GetDefaultMiddlewaresWithOptions(&opts)...),
	}
}
