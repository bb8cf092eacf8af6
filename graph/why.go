package graph

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/newsgraph/newsgraph/schema"
)

// Source is one article that states a fact, with the sentences that state
// it (none when the store holds the fact without its evidence, as an old
// export loaded back does).
type Source struct {
	Article   quad.IRI `json:"article"`
	Name      string   `json:"name,omitempty"`
	URL       string   `json:"url,omitempty"`
	Published string   `json:"published,omitempty"`
	Sentences []string `json:"sentences"`
}

// Why is the answer to "which articles say that S P O?".
type Why struct {
	Subjects  []quad.Value `json:"-"`
	Predicate quad.IRI     `json:"-"`
	Objects   []quad.Value `json:"-"`
	// Facts are the matching triples, as "Subject predicate Object" with
	// names, and Sources the articles that state one of them.
	Facts   []string `json:"facts"`
	Sources []Source `json:"sources"`
}

// Why finds every article, and every sentence of it, that states the fact
// subject predicate object. subject and object are names (schema:name or
// schema:alternateName, compared as eval compares names) or IRIs (full, in
// angle brackets, or compact: "ngid:country/Pakistan"); the object may
// also be a literal ("President", "2026-02-06"). predicate is a local
// name of the vocabulary ("invitedTo") or an IRI.
func (s *Store) Why(ctx context.Context, subject, predicate, object string) (*Why, error) {
	if err := s.settle(); err != nil {
		return nil, err
	}
	w := &Why{Predicate: predicateIRI(predicate)}
	var err error
	if w.Subjects, err = s.resolve(ctx, subject, false); err != nil {
		return nil, err
	}
	if len(w.Subjects) == 0 {
		return nil, fmt.Errorf("why: no node named %q", subject)
	}
	if w.Objects, err = s.resolve(ctx, object, true); err != nil {
		return nil, err
	}
	objects := map[quad.Value]bool{}
	for _, o := range w.Objects {
		objects[o] = true
	}
	sources := map[quad.IRI]*Source{}
	facts := map[string]bool{}
	source := func(a quad.IRI) *Source {
		if src := sources[a]; src != nil {
			return src
		}
		src := &Source{Article: a, Sentences: []string{}}
		sources[a] = src
		return src
	}
	for _, subj := range w.Subjects {
		// the facts themselves, under the labels of the articles that state them
		ref, err := s.ref(subj)
		if err != nil || ref == nil {
			continue
		}
		qs, err := s.collect(ctx, s.qs.QuadIterator(quad.Subject, ref).Iterate())
		if err != nil {
			return nil, err
		}
		for _, q := range qs {
			if q.Predicate != w.Predicate || !objects[q.Object] {
				continue
			}
			facts[s.describe(ctx, q.Subject)+" "+schema.LocalName(string(w.Predicate))+" "+s.describe(ctx, q.Object)] = true
			a, ok := q.Label.(quad.IRI)
			if !ok || a == schema.OntologyGraph {
				continue
			}
			src := source(a)
			// the sentences, on the evidence node of this fact and article
			ev := schema.EvidenceIRI(a, q.Subject, w.Predicate, q.Object)
			sents, err := s.objects(ctx, ev, schema.Sentence.IRI())
			if err != nil {
				return nil, err
			}
			for _, v := range sents {
				src.Sentences = append(src.Sentences, plain(v))
			}
		}
	}
	for a, src := range sources {
		sort.Strings(src.Sentences)
		src.Sentences = dedupe(src.Sentences)
		if v, _ := s.objects(ctx, a, schema.Name); len(v) > 0 {
			src.Name = plain(v[0])
		}
		if v, _ := s.objects(ctx, a, schema.URL); len(v) > 0 {
			src.URL = plain(v[0])
		}
		if v, _ := s.objects(ctx, a, schema.DatePublished); len(v) > 0 {
			src.Published = plain(v[0])
		}
		w.Sources = append(w.Sources, *src)
	}
	sort.Slice(w.Sources, func(i, j int) bool {
		a, b := w.Sources[i], w.Sources[j]
		if a.Published != b.Published {
			return a.Published < b.Published
		}
		return a.Article < b.Article
	})
	for f := range facts {
		w.Facts = append(w.Facts, f)
	}
	sort.Strings(w.Facts)
	return w, nil
}

func dedupe(s []string) []string {
	out := s[:0]
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}

// predicateIRI turns a local name of the vocabulary or an IRI into an IRI.
func predicateIRI(p string) quad.IRI {
	if iri, ok := asIRI(p); ok {
		return iri
	}
	return schema.Predicate(p).IRI()
}

// asIRI reads s as an IRI when it is one: "<...>", "http(s)://...", or
// compact with one of newsgraph's prefixes.
func asIRI(s string) (quad.IRI, bool) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "<") && strings.HasSuffix(s, ">") {
		s = schema.ExpandIRIs(s)
		return quad.IRI(s[1 : len(s)-1]), true
	}
	if strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") {
		return quad.IRI(s), true
	}
	for _, p := range schema.Prefixes {
		if strings.HasPrefix(s, p.Prefix) && len(s) > len(p.Prefix) && !strings.Contains(s, " ") {
			return quad.IRI(p.NS + s[len(p.Prefix):]), true
		}
	}
	return "", false
}

// resolve returns the nodes that s names: the IRI it is, or the nodes with
// that name; with literals, also s as a plain and as a date literal.
func (s *Store) resolve(ctx context.Context, name string, literals bool) ([]quad.Value, error) {
	if iri, ok := asIRI(name); ok {
		return []quad.Value{iri}, nil
	}
	var out []quad.Value
	seen := map[quad.Value]bool{}
	add := func(v quad.Value) {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	// exact names first, through the index
	if ref, err := s.ref(quad.String(name)); err != nil {
		return nil, err
	} else if ref != nil {
		qs, err := s.collect(ctx, s.qs.QuadIterator(quad.Object, ref).Iterate())
		if err != nil {
			return nil, err
		}
		for _, q := range qs {
			if q.Predicate == schema.Name || q.Predicate == schema.AlternateName {
				add(q.Subject)
			}
		}
	}
	if len(out) == 0 {
		// then names as eval compares them: case, accents, punctuation
		want := schema.NormName(name)
		for _, p := range []quad.IRI{schema.Name, schema.AlternateName} {
			ref, err := s.ref(p)
			if err != nil || ref == nil {
				continue
			}
			qs, err := s.collect(ctx, s.qs.QuadIterator(quad.Predicate, ref).Iterate())
			if err != nil {
				return nil, err
			}
			for _, q := range qs {
				if schema.NormName(plain(q.Object)) == want {
					add(q.Subject)
				}
			}
		}
	}
	if literals {
		add(quad.String(name))
		add(quad.TypedString{Value: quad.String(name), Type: schema.XSDDate})
	}
	return out, nil
}

// describe names a node by its schema:name, a literal by its text.
func (s *Store) describe(ctx context.Context, v quad.Value) string {
	if iri, ok := v.(quad.IRI); ok {
		if names, _ := s.objects(ctx, iri, schema.Name); len(names) > 0 {
			return quad.ToString(names[0])
		}
		return "<" + string(iri) + ">"
	}
	return fmt.Sprintf("%q", plain(v))
}

// plain returns a value's text: a literal without quotes or datatype, an
// IRI without angle brackets.
func plain(v quad.Value) string {
	switch v := v.(type) {
	case quad.IRI:
		return string(v)
	case quad.String:
		return string(v)
	case quad.TypedString:
		return string(v.Value)
	case quad.LangString:
		return string(v.Value)
	}
	return quad.ToString(v)
}
