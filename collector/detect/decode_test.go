package detect

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// referenceDecode is what Normalize used before fastDecode: encoding/json's
// Decoder with UseNumber, into an any. whole reports whether data is one
// valid JSON value and nothing else.
func referenceDecode(data []byte) (v any, whole bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	return v, json.Valid(data)
}

// decodeCases are the records of Microsoft's documentation samples and the
// JSON corners fastDecode must give encoding/json's answer for, or leave to it.
func decodeCases(t testing.TB) map[string][]byte {
	t.Helper()
	cases := map[string][]byte{
		"escapes":              []byte(`{"a":"x\"y\\z\/\b\f\n\r\t\u00e9\ud83d\ude00","b":"\ud800"}`),
		"non-ASCII":            []byte(`{"Name":"Zoë Müller","Ort":"東京"}`),
		"invalid UTF-8":        []byte("{\"a\":\"\xff\xfe ok\"}"),
		"numbers":              []byte(`{"a":0,"b":-1,"c":1.50,"d":1e10,"e":-2.5E-3,"f":12345678901234567890123}`),
		"literals and nesting": []byte(`{"t":true,"f":false,"n":null,"o":{"p":[1,[2,[3,{}]],[]]}}`),
		"repeated key":         []byte(`{"Operation":"A","Operation":"B","x":{"k":1,"k":2}}`),
		"whitespace":           []byte(" \t\r\n{ \"a\" :\n[ 1 , 2 ] }\n "),
		"trailing data":        []byte(`{"a":1} {"b":2}`),
		"leading zero":         []byte(`{"a":01}`),
		"bad literal":          []byte(`{"a":tru}`),
		"literal glued":        []byte(`{"a":truex}`),
		"control character":    []byte("{\"a\":\"x\ny\"}"),
		"bad escape":           []byte(`{"a":"\x"}`),
		"unterminated":         []byte(`{"a":"x`),
		"missing colon":        []byte(`{"a" 1}`),
		"trailing comma":       []byte(`{"a":1,}`),
		"top-level array":      []byte(`[{"a":1},2]`),
		"top-level null":       []byte(`null`),
		"empty":                []byte(``),
		"lone minus":           []byte(`{"a":-}`),
		"bare dot":             []byte(`{"a":1.}`),
		"bare exponent":        []byte(`{"a":1e}`),
		"deep":                 append(append(bytes.Repeat([]byte("["), 300), '1'), bytes.Repeat([]byte("]"), 300)...),
		"JSON text in a value": []byte(`{"ModifiedProperties":[{"Name":"Role.DisplayName","NewValue":"[\"Global Administrator\"]"}]}`),
	}
	paths, _ := filepath.Glob(filepath.Join("..", "auditrec", "testdata", "samples", "*.json"))
	if len(paths) == 0 {
		t.Fatal("no samples found")
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		cases[filepath.Base(p)] = b
	}
	return cases
}

// TestFastDecodeGivesEncodingJSONsAnswer: wherever fastDecode answers, its
// value is encoding/json's, and the input is one valid JSON value; a
// Microsoft record is always answered (else nothing got faster).
func TestFastDecodeGivesEncodingJSONsAnswer(t *testing.T) {
	for name, data := range decodeCases(t) {
		t.Run(name, func(t *testing.T) {
			got, ok := fastDecode(data)
			want, whole := referenceDecode(data)
			if ok && !whole {
				t.Fatal("fastDecode answered input encoding/json rejects")
			}
			if !ok && strings.HasSuffix(name, ".json") {
				t.Fatal("fastDecode left a Microsoft sample to encoding/json")
			}
			if ok && !reflect.DeepEqual(got, want) {
				t.Fatalf("fastDecode gave\n%#v\nencoding/json gives\n%#v", got, want)
			}
		})
	}
}

// TestNormalizeGivesTheSameEventAsBefore: a record normalised with the
// fast decoder has the fields and values it had with encoding/json alone.
func TestNormalizeGivesTheSameEventAsBefore(t *testing.T) {
	for name, data := range decodeCases(t) {
		t.Run(name, func(t *testing.T) {
			got, gotErr := Normalize(data)
			want, wantErr := referenceNormalize(data)
			if (gotErr == nil) != (wantErr == nil) {
				t.Fatalf("error %v, before %v", gotErr, wantErr)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("Normalize gives\n%#v\nbefore\n%#v", got, want)
			}
		})
	}
}

// referenceNormalize is Normalize with encoding/json's decoding only.
func referenceNormalize(raw []byte) (Event, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var rec map[string]any
	if err := dec.Decode(&rec); err != nil {
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
			ev[k] = v
			flatten(ev, k, referenceDecodeText(v))
		default:
			flatten(ev, k, v)
		}
	}
	return ev, nil
}

// referenceDecodeText is flatten's decoding of JSON text before fastDecode
// (flattenModified still calls decodeJSONText: the samples' Entra records
// compare it through TestFastDecodeGivesEncodingJSONsAnswer's values).
func referenceDecodeText(v any) any {
	s, ok := v.(string)
	if !ok {
		return v
	}
	t := bytes.TrimSpace([]byte(s))
	if len(t) < 2 || (t[0] != '[' && t[0] != '{') || !json.Valid(t) {
		return v
	}
	out, _ := referenceDecode(t)
	return out
}

// FuzzFastDecode: for any bytes, fastDecode answers with encoding/json's
// value or leaves them to it.
//
//	go test -run '^$' -fuzz FuzzFastDecode -fuzztime 30s ./collector/detect/
func FuzzFastDecode(f *testing.F) {
	for _, data := range decodeCases(f) {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, ok := fastDecode(data)
		if !ok {
			return
		}
		want, whole := referenceDecode(data)
		if !whole {
			t.Fatalf("fastDecode answered input encoding/json rejects: %q", data)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("fastDecode gave %#v, encoding/json %#v", got, want)
		}
	})
}
