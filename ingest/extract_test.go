package ingest

import (
	"bufio"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsgraph/newsgraph/schema"
)

var (
	testX    *Extractor
	testXErr error
	testOnce sync.Once
)

func extractor(t testing.TB) *Extractor {
	t.Helper()
	testOnce.Do(func() { testX, testXErr = NewExtractor() })
	if testXErr != nil {
		t.Fatal(testXErr)
	}
	return testX
}

func date(t testing.TB, s string) time.Time {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func readDoc(t testing.TB, path, published string) Document {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := Document{Source: path, ID: filepath.Base(path), Text: string(b)}
	if published != "" {
		doc.Published = date(t, published)
	}
	return doc
}

// hasName reports whether e is called n (compared as eval compares).
func hasName(e *Entity, n string) bool {
	want := schema.NormName(n)
	for _, name := range e.names() {
		if schema.NormName(name) == want {
			return true
		}
	}
	return false
}

// findFact reports whether a states subject-predicate-object, the object
// a name, or a literal in double quotes that must be contained in the
// extracted one.
func findFact(a *Article, subj, pred, obj string) bool {
	literal := strings.HasPrefix(obj, `"`)
	obj = strings.Trim(obj, `"`)
	for _, f := range a.Facts {
		if string(f.Predicate) != pred || !hasName(f.Subject, subj) {
			continue
		}
		if literal {
			if f.Object == nil && strings.Contains(strings.ToLower(f.Literal), strings.ToLower(obj)) {
				return true
			}
			continue
		}
		if f.Object != nil && hasName(f.Object, obj) {
			return true
		}
	}
	if pred == string(schema.Said) {
		for _, st := range a.Statements {
			if hasName(st.Speaker, subj) && strings.Contains(st.Text, obj) {
				return true
			}
		}
	}
	return false
}

// The facts the seed must yield (the v0.1 issue's list).
func TestSeedFacts(t *testing.T) {
	a := extractor(t).Extract(readDoc(t, "../seeds/000_1f1ddd429f722b80.txt", "2026-02-03"))
	talks := ""
	for _, e := range a.Entities {
		if e.Class == schema.Event && hasName(e, "Iran-US talks") {
			talks = e.Name
		}
	}
	if talks == "" {
		t.Fatalf("no event named Iran-US talks; entities: %v", entityNames(a))
	}
	tests := []struct{ s, p, o string }{
		{"Pakistan", "invitedTo", talks},
		{"Ishaq Dar", "represents", "Pakistan"},
		{talks, "heldIn", "Istanbul"},
		{"Iran", "participatesIn", talks},
		{"United States", "participatesIn", talks},
		{"Masoud Pezeshkian", "officialOf", "Iran"},
		{"Masoud Pezeshkian", "title", `"President"`},
		{"Abbas Araghchi", "officialOf", "Iran"},
		{"Ayatollah Ali Khamenei", "officialOf", "Iran"},
		{"Pakistan", "facilitated", talks},
		{"Turkiye", "facilitated", talks},
		{"Saudi Arabia", "invitedTo", talks},
		{"Qatar", "invitedTo", talks},
		{"Egypt", "invitedTo", talks},
		{"Oman", "invitedTo", talks},
		{"UAE", "invitedTo", talks},
		// "the main meeting would take place on Friday", published Tuesday
		{talks, "date", `"2026-02-06"`},
	}
	for _, tt := range tests {
		if !findFact(a, tt.s, tt.p, tt.o) {
			t.Errorf("seed: missing %s %s %s", tt.s, tt.p, tt.o)
		}
	}
	// "Tehran" and "Washington" as actors are Iran and the United States
	for _, c := range []struct{ alias, country string }{{"Tehran", "Iran"}, {"Washington", "United States"}} {
		found := false
		for _, e := range a.Entities {
			if e.Class == schema.Country && hasName(e, c.country) && hasName(e, c.alias) {
				found = true
			}
			if e.Class == schema.Place && hasName(e, c.alias) {
				t.Errorf("seed: %s should act as %s, not be a place", c.alias, c.country)
			}
		}
		if !found {
			t.Errorf("seed: %s is not an alias of %s", c.alias, c.country)
		}
	}
}

func entityNames(a *Article) []string {
	var out []string
	for _, e := range a.Entities {
		out = append(out, string(e.Class)+":"+e.Name)
	}
	return out
}

// The team's test articles, each with facts it states (testdata/expect).
func TestExpectedFacts(t *testing.T) {
	f, err := os.Open("../testdata/expect/facts.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	byArticle := map[string][][3]string{}
	var order []string
	sc := bufio.NewScanner(f)
	for no := 1; sc.Scan(); no++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 4 {
			t.Fatalf("facts.tsv:%d: want 4 columns, have %d", no, len(cols))
		}
		if _, ok := byArticle[cols[0]]; !ok {
			order = append(order, cols[0])
		}
		byArticle[cols[0]] = append(byArticle[cols[0]], [3]string{cols[1], cols[2], cols[3]})
	}
	if len(order) < 6 {
		t.Fatalf("facts.tsv covers %d articles, want at least 6", len(order))
	}
	for _, name := range order {
		t.Run(name, func(t *testing.T) {
			path := "../testdata/dev/" + name + ".txt"
			doc := readDoc(t, path, "")
			if err := readSidecar(&doc, path, Options{}); err != nil {
				t.Fatal(err)
			}
			a := extractor(t).Extract(doc)
			for _, f := range byArticle[name] {
				if !findFact(a, f[0], f[1], f[2]) {
					t.Errorf("missing %s %s %s", f[0], f[1], f[2])
				}
			}
		})
	}
}

// The same input gives the same quads, every time.
func TestDeterministic(t *testing.T) {
	doc := readDoc(t, "../seeds/000_1f1ddd429f722b80.txt", "2026-02-03")
	x := extractor(t)
	first := x.Extract(doc).Quads()
	for i := 0; i < 5; i++ {
		if again := x.Extract(doc).Quads(); !reflect.DeepEqual(first, again) {
			t.Fatalf("run %d gave other quads", i+2)
		}
	}
}

// Every quad is labelled with the article, every entity has a type and
// exactly one name, and evidence nodes (which are not entities) have no
// name but a sentence.
func TestQuadsShape(t *testing.T) {
	a := extractor(t).Extract(readDoc(t, "../seeds/000_1f1ddd429f722b80.txt", "2026-02-03"))
	label := a.IRI()
	names := map[string]int{}
	typed := map[string]bool{}
	evidence := map[string]bool{}
	sentences := map[string]int{}
	for _, q := range a.Quads() {
		if q.Label != label {
			t.Fatalf("quad %v not labelled with the article %v", q, label)
		}
		if !q.IsValid() {
			t.Fatalf("invalid quad %v", q)
		}
		switch q.Predicate {
		case schema.Name:
			names[q.Subject.String()]++
		case schema.Type:
			if q.Object == schema.EvidenceClass.IRI() {
				evidence[q.Subject.String()] = true
			} else {
				typed[q.Subject.String()] = true
			}
		case schema.Sentence.IRI():
			sentences[q.Subject.String()]++
		}
	}
	for s := range typed {
		if names[s] != 1 {
			t.Errorf("%s has %d schema:name, want 1", s, names[s])
		}
	}
	if len(evidence) == 0 {
		t.Error("no evidence nodes")
	}
	for s := range evidence {
		if names[s] != 0 || sentences[s] == 0 {
			t.Errorf("evidence %s has %d schema:name and %d ng:sentence, want 0 and some", s, names[s], sentences[s])
		}
	}
}

func TestConcurrentExtract(t *testing.T) {
	x := extractor(t)
	doc := readDoc(t, "../seeds/000_1f1ddd429f722b80.txt", "2026-02-03")
	want := len(x.Extract(doc).Quads())
	var wg sync.WaitGroup
	errs := make(chan int, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if n := len(x.Extract(doc).Quads()); n != want {
				errs <- n
			}
		}()
	}
	wg.Wait()
	close(errs)
	for n := range errs {
		t.Errorf("concurrent extraction gave %d quads, want %d", n, want)
	}
}
