// Package eval scores the extractor against gold annotations in the format
// of docs/eval-format.md.
package eval

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/newsgraph/newsgraph/ingest"
	"github.com/newsgraph/newsgraph/schema"
)

// Gold is the annotation of one article.
type Gold struct {
	ID        string         `json:"id"`
	Published string         `json:"published"`
	Text      string         `json:"text,omitempty"`
	Entities  []GoldEntity   `json:"entities"`
	Relations []GoldRelation `json:"relations"`

	// Path is the gold file, TextPath the article it annotates.
	Path, TextPath string `json:"-"`
}

// GoldEntity is an entity of the gold.
type GoldEntity struct {
	Name    string   `json:"name"`
	Type    string   `json:"type"`
	Aliases []string `json:"aliases"`
}

// GoldRelation is a relation of the gold.
type GoldRelation struct {
	S string `json:"s"`
	P string `json:"p"`
	O string `json:"o"`
}

// Load reads the gold files under the given directories (recursively) or
// files. A JSON file is gold when it has an article text: a "text" path or
// a .txt file of the same base name beside it; other JSON files are
// skipped.
func Load(paths ...string) ([]*Gold, error) {
	var files []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("eval: %w", err)
		}
		if !info.IsDir() {
			files = append(files, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.HasSuffix(path, ".json") {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("eval: %w", err)
		}
	}
	sort.Strings(files)
	var out []*Gold
	for _, f := range files {
		g, err := loadFile(f)
		if err != nil {
			return nil, err
		}
		if g != nil {
			out = append(out, g)
		}
	}
	return out, nil
}

func loadFile(path string) (*Gold, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	var g Gold
	if err := json.Unmarshal(b, &g); err != nil {
		return nil, fmt.Errorf("eval: %s: %w", path, err)
	}
	g.Path = path
	if g.Text != "" {
		g.TextPath = filepath.Join(filepath.Dir(path), g.Text)
	} else {
		g.TextPath = strings.TrimSuffix(path, ".json") + ".txt"
		if _, err := os.Stat(g.TextPath); err != nil {
			return nil, nil // not gold: no article beside it
		}
	}
	if g.ID == "" {
		g.ID = strings.TrimSuffix(filepath.Base(path), ".json")
	}
	for i, r := range g.Relations {
		if r.S == "" || r.P == "" || r.O == "" {
			return nil, fmt.Errorf("eval: %s: relation %d lacks s, p or o", path, i+1)
		}
	}
	return &g, nil
}

// Score counts correct, extracted and gold items.
type Score struct {
	Correct   int `json:"correct"`
	Extracted int `json:"extracted"`
	Gold      int `json:"gold"`
}

// Add adds o to s.
func (s *Score) Add(o Score) {
	s.Correct += o.Correct
	s.Extracted += o.Extracted
	s.Gold += o.Gold
}

// Precision is correct / extracted (1 when nothing was extracted).
func (s Score) Precision() float64 {
	if s.Extracted == 0 {
		return 1
	}
	return float64(s.Correct) / float64(s.Extracted)
}

// Recall is correct / gold (1 when the gold is empty).
func (s Score) Recall() float64 {
	if s.Gold == 0 {
		return 1
	}
	return float64(s.Correct) / float64(s.Gold)
}

// F1 is the harmonic mean of precision and recall.
func (s Score) F1() float64 {
	p, r := s.Precision(), s.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// MarshalJSON adds the ratios.
func (s Score) MarshalJSON() ([]byte, error) {
	type plain Score
	return json.Marshal(struct {
		plain
		P  float64 `json:"precision"`
		R  float64 `json:"recall"`
		F1 float64 `json:"f1"`
	}{plain(s), round(s.Precision()), round(s.Recall()), round(s.F1())})
}

func round(f float64) float64 { return float64(int(f*10000+0.5)) / 10000 }

// ArticleResult is the score of one article.
type ArticleResult struct {
	ID        string `json:"id"`
	Entities  Score  `json:"entities"`
	Relations Score  `json:"relations"`
	// TypeCorrect counts matched entities whose class is the gold's.
	TypeCorrect  int              `json:"type_correct"`
	ByPredicate  map[string]Score `json:"by_predicate"`
	MissedEnts   []string         `json:"missed_entities,omitempty"`
	FalseEnts    []string         `json:"false_entities,omitempty"`
	MissedFacts  []string         `json:"missed_relations,omitempty"`
	FalseFacts   []string         `json:"false_relations,omitempty"`
	WrongTypes   []string         `json:"wrong_types,omitempty"`
	TextPath     string           `json:"text"`
	ExtractedAll int              `json:"-"`
}

// Report is the result of an evaluation.
type Report struct {
	Articles    []*ArticleResult `json:"articles"`
	Entities    Score            `json:"entities"`
	Relations   Score            `json:"relations"`
	TypeCorrect int              `json:"type_correct"`
	ByPredicate map[string]Score `json:"by_predicate"`
}

// TypeAccuracy is the share of matched entities with the gold class.
func (r *Report) TypeAccuracy() float64 {
	if r.Entities.Correct == 0 {
		return 1
	}
	return float64(r.TypeCorrect) / float64(r.Entities.Correct)
}

// Run extracts each gold article's text with x and scores it.
func Run(x *ingest.Extractor, golds []*Gold) (*Report, error) {
	rep := &Report{ByPredicate: map[string]Score{}}
	for _, g := range golds {
		text, err := os.ReadFile(g.TextPath)
		if err != nil {
			return nil, fmt.Errorf("eval %s: %w", g.Path, err)
		}
		doc := ingest.Document{Source: g.TextPath, ID: g.ID, Text: string(text)}
		if g.Published != "" {
			t, err := ingest.ParseDate(g.Published)
			if err != nil {
				return nil, fmt.Errorf("eval %s: published: %w", g.Path, err)
			}
			doc.Published = t
		}
		a := x.Extract(doc)
		res := ScoreGraph(g, a.Quads())
		rep.Articles = append(rep.Articles, res)
		rep.Entities.Add(res.Entities)
		rep.Relations.Add(res.Relations)
		rep.TypeCorrect += res.TypeCorrect
		for p, s := range res.ByPredicate {
			t := rep.ByPredicate[p]
			t.Add(s)
			rep.ByPredicate[p] = t
		}
	}
	return rep, nil
}

// node is an entity of the extracted graph.
type node struct {
	iri   quad.Value
	class string
	names []string // normalised
	label string   // schema:name as written
}

// ScoreGraph scores an article's quads against its gold, as
// eval-format.md says: entities are the typed nodes of the five entity
// classes, with schema:name and alternateName as names; relations are
// the vocabulary's facts whose subject is such an entity (so not
// mentions, text, or facts about the article or a statement).
func ScoreGraph(g *Gold, quads []quad.Quad) *ArticleResult {
	res := &ArticleResult{ID: g.ID, ByPredicate: map[string]Score{}, TextPath: g.TextPath}
	nodes := map[quad.Value]*node{}
	get := func(v quad.Value) *node {
		n := nodes[v]
		if n == nil {
			n = &node{iri: v}
			nodes[v] = n
		}
		return n
	}
	var facts []quad.Quad
	for _, q := range quads {
		switch q.Predicate {
		case schema.Type:
			get(q.Subject).class = schema.LocalName(quad.ToString(q.Object))
		case schema.Name:
			n := get(q.Subject)
			n.label = quad.ToString(q.Object)
			n.names = append(n.names, schema.NormName(n.label))
		case schema.AlternateName:
			n := get(q.Subject)
			n.names = append(n.names, schema.NormName(quad.ToString(q.Object)))
		default:
			facts = append(facts, q)
		}
	}
	isEntity := func(c string) bool {
		for _, k := range schema.Classes {
			if string(k) == c {
				return true
			}
		}
		return false
	}
	// gold names, normalised
	gnames := make([][]string, len(g.Entities))
	byName := map[string]int{}
	for i, e := range g.Entities {
		gnames[i] = append(gnames[i], schema.NormName(e.Name))
		for _, a := range e.Aliases {
			gnames[i] = append(gnames[i], schema.NormName(a))
		}
		for _, n := range gnames[i] {
			if _, ok := byName[n]; !ok {
				byName[n] = i
			}
		}
	}
	// entities: exact canonical names first, then any shared name
	var ents []*node
	for _, q := range quads {
		if q.Predicate == schema.Type {
			if n := nodes[q.Subject]; n != nil && isEntity(n.class) && !containsNode(ents, n) {
				ents = append(ents, n)
			}
		}
	}
	matchedGold := make([]bool, len(g.Entities))
	matchOf := map[*node]int{}
	for pass := 0; pass < 2; pass++ {
		for _, n := range ents {
			if _, ok := matchOf[n]; ok || len(n.names) == 0 {
				continue
			}
			for i := range g.Entities {
				if matchedGold[i] {
					continue
				}
				if (pass == 0 && n.names[0] == gnames[i][0]) || (pass == 1 && intersects(n.names, gnames[i])) {
					matchedGold[i] = true
					matchOf[n] = i
					break
				}
			}
		}
	}
	res.Entities = Score{Correct: len(matchOf), Extracted: len(ents), Gold: len(g.Entities)}
	for _, n := range ents {
		i, ok := matchOf[n]
		if !ok {
			res.FalseEnts = append(res.FalseEnts, fmt.Sprintf("%s (%s)", n.label, n.class))
			continue
		}
		if n.class == g.Entities[i].Type {
			res.TypeCorrect++
		} else {
			res.WrongTypes = append(res.WrongTypes, fmt.Sprintf("%s: %s, gold %s", n.label, n.class, g.Entities[i].Type))
		}
	}
	for i, e := range g.Entities {
		if !matchedGold[i] {
			res.MissedEnts = append(res.MissedEnts, fmt.Sprintf("%s (%s)", e.Name, e.Type))
		}
	}

	// relations
	type triple struct{ s, p, o quad.Value }
	seen := map[triple]bool{}
	usedGold := make([]bool, len(g.Relations))
	scored := map[string]bool{}
	for _, p := range schema.Predicates {
		if p != schema.Mentions && p != schema.Text {
			scored[string(p)] = true
		}
	}
	for _, q := range facts {
		p := schema.LocalName(quad.ToString(q.Predicate))
		sn := nodes[q.Subject]
		// a statement has no name a gold file could give it, so facts
		// about statements (their date, their reporter) are not scored
		if !scored[p] || sn == nil || !isEntity(sn.class) {
			continue
		}
		t := triple{q.Subject, q.Predicate, q.Object}
		if seen[t] {
			continue
		}
		seen[t] = true
		ps := res.ByPredicate[p]
		ps.Extracted++
		ok := false
		for i, gr := range g.Relations {
			if usedGold[i] || gr.P != p {
				continue
			}
			if endMatches(sn.names, gr.S, byName, gnames) && objectMatches(q.Object, nodes, gr.O, byName, gnames) {
				usedGold[i] = true
				ok = true
				break
			}
		}
		if ok {
			ps.Correct++
		} else {
			res.FalseFacts = append(res.FalseFacts, fmt.Sprintf("%s %s %s", sn.label, p, describe(q.Object, nodes)))
		}
		res.ByPredicate[p] = ps
	}
	for i, gr := range g.Relations {
		ps := res.ByPredicate[gr.P]
		ps.Gold++
		res.ByPredicate[gr.P] = ps
		if !usedGold[i] {
			res.MissedFacts = append(res.MissedFacts, fmt.Sprintf("%s %s %s", gr.S, gr.P, gr.O))
		}
	}
	for _, s := range res.ByPredicate {
		res.Relations.Add(s)
	}
	return res
}

func containsNode(list []*node, n *node) bool {
	for _, x := range list {
		if x == n {
			return true
		}
	}
	return false
}

func intersects(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y && x != "" {
				return true
			}
		}
	}
	return false
}

// endMatches says whether an extracted end with the given names matches
// the gold end g: one of the gold entity's names, or g itself when it
// names no gold entity.
func endMatches(names []string, g string, byName map[string]int, gnames [][]string) bool {
	ng := schema.NormName(g)
	if i, ok := byName[ng]; ok {
		return intersects(names, gnames[i])
	}
	for _, n := range names {
		if n == ng {
			return true
		}
	}
	return false
}

// objectMatches matches an extracted object against the gold object: as
// an entity when the gold names one, else as a literal, where one string
// containing the other (ignoring case) is enough. A statement node's
// name is its quoted text.
func objectMatches(o quad.Value, nodes map[quad.Value]*node, g string, byName map[string]int, gnames [][]string) bool {
	if n := nodes[o]; n != nil && n.class != string(schema.Statement) {
		return endMatches(n.names, g, byName, gnames)
	}
	var text string
	if n := nodes[o]; n != nil {
		text = n.label
	} else {
		text = quad.ToString(o)
	}
	a, b := strings.ToLower(strings.TrimSpace(text)), strings.ToLower(strings.TrimSpace(g))
	if a == "" || b == "" {
		return false
	}
	return strings.Contains(a, b) || strings.Contains(b, a)
}

func describe(o quad.Value, nodes map[quad.Value]*node) string {
	if n := nodes[o]; n != nil && n.label != "" {
		return n.label
	}
	return quad.ToString(o)
}
