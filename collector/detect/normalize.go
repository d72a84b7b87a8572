package detect

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Event is a normalised audit record: flat, dotted field names mapped to
// scalar values (strings, json.Number, bool) or to a string joining several
// values with ", ". It is what Sigma rules match against.
type Event map[string]any

// String returns field f as a string ("" when absent).
func (e Event) String(f string) string {
	switch v := e[f].(type) {
	case nil:
		return ""
	case string:
		return v
	case json.Number:
		return v.String()
	default:
		return fmt.Sprint(v)
	}
}

// nameValueLists are the {Name, Value} lists flattened to Parameters.<Name>
// (and also kept under their own prefix, e.g. OperationProperties.<Name>).
var nameValueLists = [...]string{"Parameters", "OperationProperties", "ExtendedProperties", "DeviceProperties"}

// Normalize decodes one raw audit record into a matchable Event.
func Normalize(raw []byte) (Event, error) {
	rec, err := decodeRecord(raw)
	if err != nil {
		return nil, err
	}
	ev := make(Event, len(rec)+16)
	for k, v := range rec {
		switch {
		case isNameValueList(k):
			flattenNameValues(ev, k, v)
		case k == "ModifiedProperties":
			flattenModified(ev, v)
		case isJSONObjectText(v):
			// Alerts carry Data as a JSON document in a string: keep the
			// text and add its fields (Data.f3u ...).
			ev[k] = v
			flatten(ev, k, decodeJSONText(v))
		default:
			flatten(ev, k, v)
		}
	}
	return ev, nil
}

// decodeRecord decodes a raw record's top-level object (fastDecode, else
// encoding/json, which also decides what is an error).
func decodeRecord(raw []byte) (map[string]any, error) {
	if v, ok := fastDecode(raw); ok {
		if m, ok := v.(map[string]any); ok {
			return m, nil
		}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var rec map[string]any
	if err := dec.Decode(&rec); err != nil {
		return nil, fmt.Errorf("decoding audit record: %w", err)
	}
	return rec, nil
}

func isNameValueList(k string) bool {
	for _, n := range nameValueLists {
		if k == n {
			return true
		}
	}
	return false
}

// flattenNameValues turns [{Name, Value}] into prefix.<Name> and
// Parameters.<Name> (the first list to set a name wins for Parameters).
func flattenNameValues(ev Event, prefix string, v any) {
	list, ok := v.([]any)
	if !ok {
		flatten(ev, prefix, v)
		return
	}
	for _, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			continue
		}
		name, _ := m["Name"].(string)
		if name == "" {
			continue
		}
		val := scalarOrJoined(m["Value"])
		addValue(ev, prefix+"."+name, val)
		if prefix != "Parameters" {
			if _, exists := ev["Parameters."+name]; !exists {
				ev["Parameters."+name] = val
			}
		}
	}
}

// flattenModified turns [{Name, NewValue, OldValue}] into
// ModifiedProperties.<Name>.NewValue / .OldValue, decoding values that are
// JSON text (Entra writes `["Global Administrator"]` as a string).
func flattenModified(ev Event, v any) {
	list, ok := v.([]any)
	if !ok {
		return
	}
	for _, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			continue
		}
		name, _ := m["Name"].(string)
		if name == "" {
			continue
		}
		for _, side := range [...]string{"NewValue", "OldValue"} {
			if val, ok := m[side]; ok {
				addValue(ev, "ModifiedProperties."+name+"."+side, scalarOrJoined(decodeJSONText(val)))
			}
		}
	}
}

// decodeJSONText decodes a string value that holds a JSON array or object.
func decodeJSONText(v any) any {
	s, ok := v.(string)
	if !ok {
		return v
	}
	t := strings.TrimSpace(s)
	if len(t) < 2 || (t[0] != '[' && t[0] != '{') {
		return v
	}
	if out, ok := fastDecode([]byte(t)); ok {
		return out
	}
	if !json.Valid([]byte(t)) {
		return v
	}
	dec := json.NewDecoder(strings.NewReader(t))
	dec.UseNumber()
	var out any
	if err := dec.Decode(&out); err != nil {
		return v
	}
	return out
}

// flatten stores v under key: objects become dotted keys, lists of scalars a
// joined string, lists of objects their fields joined per key.
func flatten(ev Event, key string, v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, sub := range x {
			flatten(ev, key+"."+k, sub)
		}
	case []any:
		for _, item := range x {
			if m, ok := item.(map[string]any); ok {
				for k, sub := range m {
					addValue(ev, key+"."+k, scalarOrJoined(sub))
				}
			} else {
				addValue(ev, key, scalarOrJoined(item))
			}
		}
	case nil:
	default:
		ev[key] = x
	}
}

// scalarOrJoined returns a scalar as is and joins a list's scalars with ", ".
func scalarOrJoined(v any) any {
	switch x := v.(type) {
	case []any:
		parts := make([]string, 0, len(x))
		for _, item := range x {
			switch it := item.(type) {
			case map[string]any, []any:
				b, _ := json.Marshal(it)
				parts = append(parts, string(b))
			case nil:
			default:
				parts = append(parts, fmt.Sprint(it))
			}
		}
		return strings.Join(parts, ", ")
	case map[string]any:
		b, _ := json.Marshal(x)
		return string(b)
	}
	return v
}

// addValue sets key, joining with an existing value by ", ".
func addValue(ev Event, key string, v any) {
	if v == nil {
		return
	}
	prev, ok := ev[key]
	if !ok {
		ev[key] = v
		return
	}
	ev[key] = fmt.Sprint(prev) + ", " + fmt.Sprint(v)
}

// isJSONObjectText reports whether v is a string holding a JSON object.
func isJSONObjectText(v any) bool {
	s, ok := v.(string)
	return ok && len(s) > 1 && s[0] == '{' && s[len(s)-1] == '}'
}
