package schema

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"strings"
)

// data holds the gazetteers, word lists and relation patterns.
//
//go:embed data
var data embed.FS

// File returns the contents of one of the embedded data files
// ("data/countries.tsv").
func File(name string) ([]byte, error) {
	return data.ReadFile(name)
}

// Line is one non-comment line of a data file, split into tab-separated
// columns, with its position for error messages.
type Line struct {
	File string
	No   int
	Cols []string
}

// Errorf returns an error naming the line.
func (l Line) Errorf(format string, args ...interface{}) error {
	return fmt.Errorf("%s:%d: %s", l.File, l.No, fmt.Sprintf(format, args...))
}

// Col returns column i, or "" when the line is shorter.
func (l Line) Col(i int) string {
	if i < len(l.Cols) {
		return strings.TrimSpace(l.Cols[i])
	}
	return ""
}

// List returns column i split at '|', empty entries dropped.
func (l Line) List(i int) []string {
	return SplitList(l.Col(i))
}

// SplitList splits a '|'-separated list, trimming and dropping empties.
func SplitList(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	for _, v := range strings.Split(s, "|") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// Lines reads an embedded tab-separated file, skipping blank lines and
// comments, and checks that each line has at least minCols columns.
func Lines(name string, minCols int) ([]Line, error) {
	b, err := data.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var out []Line
	sc := bufio.NewScanner(bytes.NewReader(b))
	no := 0
	for sc.Scan() {
		no++
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" || strings.HasPrefix(strings.TrimSpace(text), "#") {
			continue
		}
		l := Line{File: name, No: no, Cols: strings.Split(text, "\t")}
		if len(l.Cols) < minCols || l.Col(0) == "" {
			return nil, l.Errorf("want %d tab-separated columns, have %d", minCols, len(l.Cols))
		}
		out = append(out, l)
	}
	return out, sc.Err()
}

// CountryEntry is a row of countries.tsv.
type CountryEntry struct {
	Code, Name string
	Aliases    []string
	Demonyms   []string
	Capital    string
	// Metonyms are seats of government that stand for the state
	// ("the Kremlin").
	Metonyms []string
}

// PlaceEntry is a row of places.tsv.
type PlaceEntry struct {
	Name, Kind, Country string
	Aliases             []string
}

// OrgEntry is a row of organizations.tsv.
type OrgEntry struct {
	Name, Kind, Country string
	Aliases             []string
}

// TitleEntry is a row of titles.tsv.
type TitleEntry struct {
	Title, Kind string
	Abbrevs     []string
}

// EventHead is a row of events.tsv: a noun that names an event, and the
// kind of event it names ("negotiations" names talks).
type EventHead struct {
	Head, Group string
}

// PredicateEntry is a row of predicates.tsv.
type PredicateEntry struct {
	Predicate      Predicate
	Domain, Range  []string
	Label, Comment string
}

// Gazetteer is all the reference data the extractor reads.
type Gazetteer struct {
	Countries     []CountryEntry
	Places        []PlaceEntry
	Organizations []OrgEntry
	Titles        []TitleEntry
	EventHeads    []EventHead
	Predicates    []PredicateEntry
	// Lexicon maps a list name of lexicon.txt to its entries.
	Lexicon map[string][][]string
	// English holds common English words that are never names.
	English map[string]bool
}

// LoadGazetteer parses the embedded data files.
func LoadGazetteer() (*Gazetteer, error) {
	g := &Gazetteer{}
	lines, err := Lines("data/countries.tsv", 2)
	if err != nil {
		return nil, err
	}
	for _, l := range lines {
		g.Countries = append(g.Countries, CountryEntry{
			Code: l.Col(0), Name: l.Col(1), Aliases: l.List(2), Demonyms: l.List(3),
			Capital: l.Col(4), Metonyms: l.List(5),
		})
	}
	if lines, err = Lines("data/places.tsv", 2); err != nil {
		return nil, err
	}
	for _, l := range lines {
		g.Places = append(g.Places, PlaceEntry{Name: l.Col(0), Kind: l.Col(1), Country: l.Col(2), Aliases: l.List(3)})
	}
	if lines, err = Lines("data/organizations.tsv", 2); err != nil {
		return nil, err
	}
	for _, l := range lines {
		g.Organizations = append(g.Organizations, OrgEntry{Name: l.Col(0), Kind: l.Col(1), Country: l.Col(2), Aliases: l.List(3)})
	}
	if lines, err = Lines("data/titles.tsv", 1); err != nil {
		return nil, err
	}
	for _, l := range lines {
		g.Titles = append(g.Titles, TitleEntry{Title: l.Col(0), Kind: l.Col(1), Abbrevs: l.List(2)})
	}
	if lines, err = Lines("data/events.tsv", 2); err != nil {
		return nil, err
	}
	for _, l := range lines {
		g.EventHeads = append(g.EventHeads, EventHead{Head: strings.ToLower(l.Col(0)), Group: l.Col(1)})
	}
	if lines, err = Lines("data/predicates.tsv", 3); err != nil {
		return nil, err
	}
	for _, l := range lines {
		g.Predicates = append(g.Predicates, PredicateEntry{
			Predicate: Predicate(l.Col(0)), Domain: l.List(1), Range: l.List(2), Label: l.Col(3), Comment: l.Col(4),
		})
	}
	if g.Lexicon, err = loadLexicon("data/lexicon.txt"); err != nil {
		return nil, err
	}
	b, err := data.ReadFile("data/english.txt")
	if err != nil {
		return nil, err
	}
	g.English = make(map[string]bool, 64<<10)
	for _, w := range strings.Split(string(b), "\n") {
		if w != "" && w[0] != '#' {
			g.English[w] = true
		}
	}
	return g, nil
}

// loadLexicon reads lexicon.txt: "[name]" headers, then lines of
// '|'-separated entries. Each entry is returned as its words.
func loadLexicon(name string) (map[string][][]string, error) {
	b, err := data.ReadFile(name)
	if err != nil {
		return nil, err
	}
	out := map[string][][]string{}
	section := ""
	for no, text := range strings.Split(string(b), "\n") {
		text = strings.TrimSpace(text)
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		if strings.HasPrefix(text, "[") && strings.HasSuffix(text, "]") {
			section = text[1 : len(text)-1]
			continue
		}
		if section == "" {
			return nil, fmt.Errorf("%s:%d: entry before any [list] header", name, no+1)
		}
		if section == "verb-forms" || section == "nickname" {
			// one entry per line: the lemma then its forms
			out[section] = append(out[section], SplitList(text))
			continue
		}
		for _, e := range SplitList(text) {
			out[section] = append(out[section], strings.Fields(strings.ToLower(e)))
		}
	}
	return out, nil
}

// Rule is one line of relations.txt.
type Rule struct {
	File      string
	Line      int
	Predicate Predicate
	Elements  []string
}

// Rules parses relations.txt.
func Rules() ([]Rule, error) {
	const name = "data/relations.txt"
	b, err := data.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var out []Rule
	for no, text := range strings.Split(string(b), "\n") {
		text = strings.TrimSpace(text)
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		pred, rest, ok := strings.Cut(text, ":")
		if !ok {
			return nil, fmt.Errorf("%s:%d: want \"predicate: pattern\"", name, no+1)
		}
		// a comma after an element ("S, who") is a token of its own; one
		// inside a class list ("O:Country,Organization") is not
		var elems []string
		for _, f := range strings.Fields(rest) {
			if f != "," && strings.HasSuffix(f, ",") {
				elems = append(elems, strings.TrimSuffix(f, ","), ",")
				continue
			}
			elems = append(elems, f)
		}
		out = append(out, Rule{File: name, Line: no + 1, Predicate: Predicate(strings.TrimSpace(pred)), Elements: elems})
	}
	return out, nil
}
