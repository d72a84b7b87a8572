package graph

import (
	"errors"
	"fmt"
	"time"

	abstractions "github.com/microsoft/kiota-abstractions-go"
	absser "github.com/microsoft/kiota-abstractions-go/serialization"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
)

// The shapes below are the few Graph properties AuditLight reads, parsed by
// kiota's JSON parse node exactly as msgraph-sdk-go's models would parse
// them. The requests are still built by msgraph-sdk-go's request builders
// (URL templates, $select/$top) and sent by the msgraph-sdk-go-core adapter
// with its middleware and the OData error mapping; only the response types
// are ours. Why: the SDK's Get methods return its `models` types, whose
// field deserializers and discriminator factories reach ~2,000 model types
// (≈ 12 MB of the binary) for four string fields; with these shapes the
// linker drops `models` entirely (issue 11: exe ≤ 60 MB).

// errorMapping turns Graph's OData error bodies into *odataerrors.ODataError,
// as the SDK's Get methods do.
func errorMapping() abstractions.ErrorMappings {
	return abstractions.ErrorMappings{"XXX": odataerrors.CreateODataErrorFromDiscriminatorValue}
}

// errReadOnly: AuditLight never writes these shapes back to Graph.
var errReadOnly = errors.New("read-only Graph shape: not serialisable")

// collection is one page of a Graph collection (value + @odata.nextLink),
// the shape msgraph-sdk-go-core's PageIterator walks.
type collection[T absser.Parsable] struct {
	item  absser.ParsableFactory
	value []T
	next  *string
}

// collectionOf returns the factory of pages whose items item builds.
func collectionOf[T absser.Parsable](item absser.ParsableFactory) absser.ParsableFactory {
	return func(absser.ParseNode) (absser.Parsable, error) { return &collection[T]{item: item}, nil }
}

// GetValue returns the page's items (found by the page iterator by name).
func (c *collection[T]) GetValue() []T { return c.value }

// GetOdataNextLink returns the next page's URL, nil on the last page.
func (c *collection[T]) GetOdataNextLink() *string { return c.next }

// Serialize implements absser.Parsable; these shapes are never sent.
func (c *collection[T]) Serialize(absser.SerializationWriter) error { return errReadOnly }

// GetFieldDeserializers implements absser.Parsable.
func (c *collection[T]) GetFieldDeserializers() map[string]func(absser.ParseNode) error {
	return map[string]func(absser.ParseNode) error{
		"value": func(n absser.ParseNode) error {
			items, err := n.GetCollectionOfObjectValues(c.item)
			if err != nil {
				return err
			}
			for _, it := range items {
				t, ok := it.(T)
				if !ok {
					return fmt.Errorf("parsing a Graph collection: unexpected item %T", it)
				}
				c.value = append(c.value, t)
			}
			return nil
		},
		"@odata.nextLink": stringField(&c.next),
	}
}

// stringField parses a string property into *dst.
func stringField(dst **string) func(absser.ParseNode) error {
	return func(n absser.ParseNode) error {
		v, err := n.GetStringValue()
		*dst = v
		return err
	}
}

// userShape is a directory user: id, userPrincipalName, displayName, mail.
type userShape struct{ id, upn, displayName, mail *string }

func newUserShape(absser.ParseNode) (absser.Parsable, error) { return &userShape{}, nil }

// Serialize implements absser.Parsable; these shapes are never sent.
func (*userShape) Serialize(absser.SerializationWriter) error { return errReadOnly }

// GetFieldDeserializers implements absser.Parsable.
func (u *userShape) GetFieldDeserializers() map[string]func(absser.ParseNode) error {
	return map[string]func(absser.ParseNode) error{
		"id": stringField(&u.id), "userPrincipalName": stringField(&u.upn),
		"displayName": stringField(&u.displayName), "mail": stringField(&u.mail),
	}
}

// domainShape is one of the tenant's domains: id (the name) and isVerified.
type domainShape struct {
	id         *string
	isVerified *bool
}

func newDomainShape(absser.ParseNode) (absser.Parsable, error) { return &domainShape{}, nil }

// Serialize implements absser.Parsable; these shapes are never sent.
func (*domainShape) Serialize(absser.SerializationWriter) error { return errReadOnly }

// GetFieldDeserializers implements absser.Parsable.
func (d *domainShape) GetFieldDeserializers() map[string]func(absser.ParseNode) error {
	return map[string]func(absser.ParseNode) error{
		"id": stringField(&d.id),
		"isVerified": func(n absser.ParseNode) error {
			v, err := n.GetBoolValue()
			d.isVerified = v
			return err
		},
	}
}

// appShape is the app registration: appId, displayName, passwordCredentials
// and requiredResourceAccess.
type appShape struct {
	appID, displayName *string
	secrets            []*secretShape
	access             []*resourceShape
}

func newAppShape(absser.ParseNode) (absser.Parsable, error) { return &appShape{}, nil }

// Serialize implements absser.Parsable; these shapes are never sent.
func (*appShape) Serialize(absser.SerializationWriter) error { return errReadOnly }

// GetFieldDeserializers implements absser.Parsable.
func (a *appShape) GetFieldDeserializers() map[string]func(absser.ParseNode) error {
	return map[string]func(absser.ParseNode) error{
		"appId": stringField(&a.appID), "displayName": stringField(&a.displayName),
		"passwordCredentials":    objects(&a.secrets, func(absser.ParseNode) (absser.Parsable, error) { return &secretShape{}, nil }),
		"requiredResourceAccess": objects(&a.access, func(absser.ParseNode) (absser.Parsable, error) { return &resourceShape{}, nil }),
	}
}

// objects parses an array of objects into *dst.
func objects[T absser.Parsable](dst *[]T, item absser.ParsableFactory) func(absser.ParseNode) error {
	return func(n absser.ParseNode) error {
		items, err := n.GetCollectionOfObjectValues(item)
		if err != nil {
			return err
		}
		for _, it := range items {
			if t, ok := it.(T); ok {
				*dst = append(*dst, t)
			}
		}
		return nil
	}
}

// secretShape is one passwordCredential (never the secret itself).
type secretShape struct {
	keyID             *string
	hint, displayName *string
	start, end        *time.Time
}

// Serialize implements absser.Parsable; these shapes are never sent.
func (*secretShape) Serialize(absser.SerializationWriter) error { return errReadOnly }

// GetFieldDeserializers implements absser.Parsable.
func (s *secretShape) GetFieldDeserializers() map[string]func(absser.ParseNode) error {
	return map[string]func(absser.ParseNode) error{
		"keyId": uuidField(&s.keyID), "hint": stringField(&s.hint), "displayName": stringField(&s.displayName),
		"startDateTime": timeField(&s.start), "endDateTime": timeField(&s.end),
	}
}

// resourceShape is one requiredResourceAccess entry.
type resourceShape struct {
	resourceAppID *string
	access        []*accessShape
}

// Serialize implements absser.Parsable; these shapes are never sent.
func (*resourceShape) Serialize(absser.SerializationWriter) error { return errReadOnly }

// GetFieldDeserializers implements absser.Parsable.
func (r *resourceShape) GetFieldDeserializers() map[string]func(absser.ParseNode) error {
	return map[string]func(absser.ParseNode) error{
		"resourceAppId":  stringField(&r.resourceAppID),
		"resourceAccess": objects(&r.access, func(absser.ParseNode) (absser.Parsable, error) { return &accessShape{}, nil }),
	}
}

// accessShape is one permission: its GUID and "Role" or "Scope".
type accessShape struct{ id, kind *string }

// Serialize implements absser.Parsable; these shapes are never sent.
func (*accessShape) Serialize(absser.SerializationWriter) error { return errReadOnly }

// GetFieldDeserializers implements absser.Parsable.
func (a *accessShape) GetFieldDeserializers() map[string]func(absser.ParseNode) error {
	return map[string]func(absser.ParseNode) error{"id": uuidField(&a.id), "type": stringField(&a.kind)}
}

// uuidField parses a GUID property (kept as its canonical text) into *dst.
func uuidField(dst **string) func(absser.ParseNode) error {
	return func(n absser.ParseNode) error {
		v, err := n.GetUUIDValue()
		if err != nil || v == nil {
			return err
		}
		s := v.String()
		*dst = &s
		return nil
	}
}

// timeField parses a DateTimeOffset property into *dst.
func timeField(dst **time.Time) func(absser.ParseNode) error {
	return func(n absser.ParseNode) error {
		v, err := n.GetTimeValue()
		*dst = v
		return err
	}
}
