package detect

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

//go:embed rules/*.yml
var builtinRules embed.FS

// BuiltinRules returns the embedded rule pack (rules/*.yml).
func BuiltinRules() fs.FS {
	sub, err := fs.Sub(builtinRules, "rules")
	if err != nil { // cannot happen: the directory is embedded
		panic(err)
	}
	return sub
}

// LoadError is a rule file (or one document in it) that could not be used.
type LoadError struct {
	File string // path (or "built-in/NAME.yml")
	Err  error
}

// Error describes the problem with the file name.
func (e LoadError) Error() string { return e.File + ": " + e.Err.Error() }

// maxRuleFile caps a rule file's size (a rule is a few KB).
const maxRuleFile = 1 << 20

// LoadRules reads the built-in pack and, when dir is not empty, every *.yml /
// *.yaml file in dir (the profile's rules folder; a missing folder is fine).
// Broken files and documents are returned as LoadErrors; everything else
// loads. A user rule with the id of an earlier rule is rejected.
func LoadRules(builtin fs.FS, dir string) ([]*Rule, []LoadError) {
	var rules []*Rule
	var errs []LoadError
	if builtin != nil {
		names, _ := fs.Glob(builtin, "*.yml")
		sort.Strings(names)
		for _, n := range names {
			data, err := fs.ReadFile(builtin, n)
			if err != nil {
				errs = append(errs, LoadError{File: "built-in/" + n, Err: err})
				continue
			}
			rs, es := parseFile(data, "built-in/"+n, builtinSource)
			rules, errs = append(rules, rs...), append(errs, es...)
		}
	}
	if dir != "" {
		rs, es := loadDir(dir)
		rules, errs = append(rules, rs...), append(errs, es...)
	}
	rules, es := dedupe(rules)
	errs = append(errs, es...)
	errs = append(errs, resolve(rules)...)
	active := rules[:0]
	for _, r := range rules {
		if r.corr == nil || r.corr.refs != nil { // unresolved correlations were reported
			active = append(active, r)
		}
	}
	return active, errs
}

func loadDir(dir string) ([]*Rule, []LoadError) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, []LoadError{{File: dir, Err: fmt.Errorf("reading the rules folder: %w", err)}}
	}
	var rules []*Rule
	var errs []LoadError
	for _, e := range entries {
		ext := strings.ToLower(filepath.Ext(e.Name()))
		if e.IsDir() || (ext != ".yml" && ext != ".yaml") {
			continue
		}
		p := filepath.Join(dir, e.Name())
		data, err := readLimited(p)
		if err != nil {
			errs = append(errs, LoadError{File: p, Err: err})
			continue
		}
		rs, es := parseFile(data, p, p)
		rules, errs = append(rules, rs...), append(errs, es...)
	}
	return rules, errs
}

func readLimited(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("opening rule file: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxRuleFile+1))
	if err != nil {
		return nil, fmt.Errorf("reading rule file: %w", err)
	}
	if len(data) > maxRuleFile {
		return nil, fmt.Errorf("rule file is larger than %d bytes", maxRuleFile)
	}
	return data, nil
}

// parseFile splits a (possibly multi-document) YAML file into rules.
func parseFile(data []byte, file, source string) ([]*Rule, []LoadError) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var rules []*Rule
	var errs []LoadError
	for i := 1; ; i++ {
		var node yaml.Node
		err := dec.Decode(&node)
		if errors.Is(err, io.EOF) {
			break
		}
		where := file
		if i > 1 {
			where = fmt.Sprintf("%s (document %d)", file, i)
		}
		if err != nil {
			errs = append(errs, LoadError{File: where, Err: fmt.Errorf("not valid YAML: %w", err)})
			break
		}
		doc, err := yaml.Marshal(&node)
		if err != nil {
			errs = append(errs, LoadError{File: where, Err: err})
			continue
		}
		r, err := safeNewRule(doc, source)
		if err != nil {
			errs = append(errs, LoadError{File: where, Err: err})
			continue
		}
		rules = append(rules, r)
	}
	return rules, errs
}

// yamlStrict decodes a YAML document into v.
func yamlStrict(doc []byte, v any) error {
	if err := yaml.Unmarshal(doc, v); err != nil {
		return fmt.Errorf("not a valid rule: %w", err)
	}
	return nil
}

// dedupe keeps the first rule of each id.
func dedupe(rules []*Rule) ([]*Rule, []LoadError) {
	seen := map[string]*Rule{}
	var out []*Rule
	var errs []LoadError
	for _, r := range rules {
		if prev, ok := seen[r.ID]; ok {
			errs = append(errs, LoadError{File: r.Source, Err: fmt.Errorf("rule %q has the id %s of %q (%s); ids must be unique", r.Title, r.ID, prev.Title, prev.Source)})
			continue
		}
		seen[r.ID] = r
		out = append(out, r)
	}
	return out, errs
}

// resolve links correlations to the rules they reference (by name or id)
// and rejects unknown references and cycles.
func resolve(rules []*Rule) []LoadError {
	byRef := map[string]*Rule{}
	for _, r := range rules {
		byRef[r.ID] = r
		if r.Name != "" {
			byRef[r.Name] = r
		}
	}
	var errs []LoadError
	for _, r := range rules {
		if r.corr == nil {
			continue
		}
		for _, ref := range r.corr.Rules {
			target, ok := byRef[ref]
			if !ok {
				errs = append(errs, LoadError{File: r.Source, Err: fmt.Errorf("correlation %q refers to unknown rule %q", r.Title, ref)})
				r.corr.refs = nil
				break
			}
			r.corr.refs = append(r.corr.refs, target)
		}
	}
	for _, r := range rules {
		if r.corr != nil && r.corr.refs != nil && cyclic(r, r, 0) {
			errs = append(errs, LoadError{File: r.Source, Err: fmt.Errorf("correlation %q refers to itself through other correlations", r.Title)})
			r.corr.refs = nil
		}
	}
	for _, r := range rules {
		if r.corr == nil || r.corr.refs == nil {
			continue
		}
		for _, t := range r.corr.refs {
			t.usedBy = append(t.usedBy, r)
		}
	}
	return errs
}

func cyclic(start, r *Rule, depth int) bool {
	if depth > 8 {
		return true
	}
	if r.corr == nil {
		return false
	}
	for _, t := range r.corr.refs {
		if t == start || cyclic(start, t, depth+1) {
			return true
		}
	}
	return false
}

// safeNewRule is newRule, turning a panic of the YAML or Sigma parser on a
// malformed file into an error: a broken rule is reported, never fatal.
func safeNewRule(doc []byte, source string) (r *Rule, err error) {
	defer func() {
		if p := recover(); p != nil {
			r, err = nil, fmt.Errorf("the rule could not be parsed: %v", p)
		}
	}()
	return newRule(doc, source)
}
