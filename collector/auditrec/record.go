// Package auditrec parses Office 365 Management Activity API audit records
// into a small normalised summary. It is tolerant of what the service really
// sends (numbers as strings, CreationTime with or without a zone, ClientIP
// with a port, several spellings of success and failure) and fast: a record
// is read in a single validating pass and fields the summary does not need
// are skipped without being decoded.
package auditrec

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Sentinel errors returned (wrapped) by Parse.
var (
	// ErrNotObject means the record is valid JSON but not an object.
	ErrNotObject = errors.New("audit record is not a JSON object")
	// ErrNoID means the record has no usable Id; it cannot be de-duplicated.
	ErrNoID = errors.New("audit record has no Id")
	// ErrBadCreationTime means CreationTime is missing or unparseable. Parse
	// still returns every other field, so a caller may substitute the blob's
	// creation time and keep the record.
	ErrBadCreationTime = errors.New("audit record has no valid CreationTime")
)

// Normalised values of Record.Result.
const (
	ResultSuccess = "success"
	ResultFailure = "failure"
)

// Record is the normalised summary of one audit record. The full record is
// kept by the caller as raw JSON; Record only carries what the store indexes
// and the UI shows.
type Record struct {
	ID             string    // Id: unique record id, the de-duplication key
	RecordType     int       // AuditLogRecordType; unknown values are kept as-is
	CreationTime   time.Time // always UTC
	Operation      string    // e.g. UserLoggedIn, New-InboxRule, FileDownloaded
	Workload       string    // e.g. AzureActiveDirectory, Exchange, SharePoint
	UserID         string    // UPN or pseudo-user (ThreatIntel, SecurityComplianceAlerts)
	UserKey        string    // PUID, GUID or literal alternate id
	UserType       int       // UserType enum
	ClientIP       string    // IP address only: port and IPv6 brackets removed
	ResultStatus   string    // ResultStatus exactly as sent
	Result         string    // ResultSuccess, ResultFailure or "" when unknown
	ObjectID       string    // ObjectId: file URL, cmdlet target, resource app id
	OrganizationID string    // OrganizationId: tenant GUID
}

// fields collects the raw values Parse cares about during the single pass.
type fields struct {
	rec          Record
	creationTime string
	errorNumber  string
	logonError   string
}

// Parse reads one audit record (the raw bytes of one element of a content
// blob). It returns an error wrapping ErrNoID (with every other field
// filled) when Id is missing or empty,
// ErrNotObject for non-objects, a syntax error for malformed JSON, and
// ErrBadCreationTime (with all other fields filled) when CreationTime cannot
// be read.
func Parse(raw []byte) (Record, error) {
	s := scanner{data: raw}
	c := s.peek()
	if c != '{' {
		if c == 0 && s.pos >= len(raw) {
			return Record{}, fmt.Errorf("parsing audit record: %w", errTruncated)
		}
		if _, err := s.skipValue(0); err != nil {
			return Record{}, fmt.Errorf("parsing audit record: %w", err)
		}
		if err := s.end(); err != nil {
			return Record{}, fmt.Errorf("parsing audit record: %w", err)
		}
		return Record{}, fmt.Errorf("parsing audit record: %w", ErrNotObject)
	}
	var f fields
	if err := f.readObject(&s); err != nil {
		return Record{}, fmt.Errorf("parsing audit record: %w", err)
	}
	if err := s.end(); err != nil {
		return Record{}, fmt.Errorf("parsing audit record: %w", err)
	}
	r := f.rec
	r.ClientIP = NormalizeIP(r.ClientIP)
	r.Result = NormalizeResult(r.Operation, r.ResultStatus, f.errorNumber, f.logonError)
	t, ok := ParseTime(f.creationTime)
	if ok {
		r.CreationTime = t
	}
	if r.ID == "" {
		// Every other field (CreationTime too, when valid) is still returned:
		// the record is shown as what it is, only its de-duplication key is missing.
		return r, fmt.Errorf("parsing audit record: %w", ErrNoID)
	}
	if !ok {
		return r, fmt.Errorf("parsing audit record %s: %w (%q)", r.ID, ErrBadCreationTime, f.creationTime)
	}
	r.CreationTime = t
	return r, nil
}

// readObject walks the top-level object, decoding the interesting members
// and skipping the rest. Duplicate keys: the last one wins, as in encoding/json.
func (f *fields) readObject(s *scanner) error {
	s.pos++ // '{'
	if s.peek() == '}' {
		s.pos++
		return nil
	}
	for {
		if s.peek() != '"' {
			return s.syntaxError("looking for beginning of object key string")
		}
		kb, kesc, err := s.readString()
		if err != nil {
			return err
		}
		var id int
		if kesc || !utf8.Valid(kb) {
			key, err := unescape(kb)
			if err != nil {
				return err
			}
			id = fieldOf([]byte(key))
		} else {
			id = fieldOf(kb)
		}
		if err := s.expect(':', "after object key"); err != nil {
			return err
		}
		raw, err := s.skipValue(1)
		if err != nil {
			return err
		}
		if err := f.assign(id, raw); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.pos++
		case '}':
			s.pos++
			return nil
		default:
			return s.syntaxError("after object key:value pair")
		}
	}
}

// field identifiers for the members Parse extracts.
const (
	fNone = iota
	fID
	fRecordType
	fCreationTime
	fOperation
	fWorkload
	fUserID
	fUserKey
	fUserType
	fClientIP
	fResultStatus
	fObjectID
	fOrganizationID
	fErrorNumber
	fLogonError
)

// fieldOf maps a member name to a field id: exact spelling first (the fast,
// normal case), then case-insensitively like encoding/json.
func fieldOf(key []byte) int {
	switch string(key) { // compiled without allocating
	case "Id":
		return fID
	case "RecordType":
		return fRecordType
	case "CreationTime":
		return fCreationTime
	case "Operation":
		return fOperation
	case "Workload":
		return fWorkload
	case "UserId":
		return fUserID
	case "UserKey":
		return fUserKey
	case "UserType":
		return fUserType
	case "ClientIP":
		return fClientIP
	case "ResultStatus":
		return fResultStatus
	case "ObjectId":
		return fObjectID
	case "OrganizationId":
		return fOrganizationID
	case "ErrorNumber", "ErrorCode":
		return fErrorNumber
	case "LogonError":
		return fLogonError
	}
	return foldFieldOf(key)
}

// foldFieldOf is the slow path of fieldOf: a case-insensitive match, as
// encoding/json does. ErrorCode is the documented name of what real records
// call ErrorNumber.
func foldFieldOf(key []byte) int {
	if len(key) < 2 || len(key) > len("OrganizationId") {
		return fNone
	}
	known := [...]struct {
		name string
		id   int
	}{
		{"Id", fID}, {"RecordType", fRecordType}, {"CreationTime", fCreationTime},
		{"Operation", fOperation}, {"Workload", fWorkload}, {"UserId", fUserID},
		{"UserKey", fUserKey}, {"UserType", fUserType}, {"ClientIP", fClientIP},
		{"ResultStatus", fResultStatus}, {"ObjectId", fObjectID},
		{"OrganizationId", fOrganizationID}, {"ErrorNumber", fErrorNumber},
		{"ErrorCode", fErrorNumber}, {"LogonError", fLogonError},
	}
	for _, k := range known {
		if len(k.name) == len(key) && asciiEqualFold(k.name, key) {
			return k.id
		}
	}
	return fNone
}

// asciiEqualFold compares a known ASCII member name with a key, ignoring
// ASCII case (the names Parse looks for are all ASCII).
func asciiEqualFold(name string, key []byte) bool {
	for i := 0; i < len(name); i++ {
		a, b := name[i], key[i]
		if 'A' <= a && a <= 'Z' {
			a += 'a' - 'A'
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		if a != b {
			return false
		}
	}
	return true
}

func (f *fields) assign(id int, raw []byte) error {
	if id == fNone {
		return nil
	}
	if id == fRecordType || id == fUserType {
		n := lenientInt(raw)
		if id == fRecordType {
			f.rec.RecordType = n
		} else {
			f.rec.UserType = n
		}
		return nil
	}
	v, err := textValue(raw)
	if err != nil {
		return fmt.Errorf("decoding a record member: %w", err)
	}
	switch id {
	case fID:
		f.rec.ID = strings.TrimSpace(v)
	case fCreationTime:
		f.creationTime = v
	case fOperation:
		f.rec.Operation = v
	case fWorkload:
		f.rec.Workload = v
	case fUserID:
		f.rec.UserID = v
	case fUserKey:
		f.rec.UserKey = v
	case fClientIP:
		f.rec.ClientIP = v
	case fResultStatus:
		f.rec.ResultStatus = v
	case fObjectID:
		f.rec.ObjectID = v
	case fOrganizationID:
		f.rec.OrganizationID = v
	case fErrorNumber:
		f.errorNumber = v
	case fLogonError:
		f.logonError = v
	}
	return nil
}

// textValue turns an already validated JSON value into text: strings are
// unescaped, numbers and booleans keep their literal spelling, null and
// structured values (which no text field legitimately holds) become "".
func textValue(raw []byte) (string, error) {
	switch raw[0] {
	case '"':
		body := raw[1 : len(raw)-1]
		if bytes.IndexByte(body, '\\') < 0 && utf8.Valid(body) {
			return string(body), nil
		}
		return unescape(body)
	case '{', '[', 'n':
		return "", nil
	default:
		return string(raw), nil
	}
}

// unescape decodes the body of a JSON string that contains escapes or
// invalid UTF-8 (replaced by U+FFFD, as encoding/json does). Such strings are
// rare in audit records, so the standard decoder is good enough.
func unescape(body []byte) (string, error) {
	quoted := make([]byte, 0, len(body)+2)
	quoted = append(quoted, '"')
	quoted = append(quoted, body...)
	quoted = append(quoted, '"')
	var out string
	if err := json.Unmarshal(quoted, &out); err != nil {
		return "", fmt.Errorf("decoding string: %w", err)
	}
	return out, nil
}

// lenientInt reads an integer that may be sent as a JSON number or as a
// string ("15"). Integral floats ("15.0", 1.5e1) are accepted. Anything else
// (null, garbage, out of range) yields 0: an odd enum value must not cost the
// record, whose raw JSON is kept anyway.
func lenientInt(raw []byte) int {
	s := raw
	if s[0] == '"' {
		v, err := textValue(raw)
		if err != nil {
			return 0
		}
		s = []byte(strings.TrimSpace(v))
	}
	if len(s) == 0 || s[0] == 'n' || s[0] == 't' || s[0] == 'f' || s[0] == '{' || s[0] == '[' {
		return 0
	}
	if n, err := strconv.ParseInt(string(s), 10, 32); err == nil {
		return int(n)
	}
	if fl, err := strconv.ParseFloat(string(s), 64); err == nil && fl == float64(int32(fl)) {
		return int(int32(fl))
	}
	return 0
}
