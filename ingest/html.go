package ingest

import (
	"bytes"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	readability "codeberg.org/readeck/go-readability/v2"
)

// ReadHTML reads a web page from r and keeps its article: the main text
// as go-readability finds it, its title and, when the page's metadata
// gives one, its publication date (else opt.Published). name labels
// errors.
func ReadHTML(r io.Reader, name string, opt Options) (Document, error) {
	b, err := readLimited(r, name, opt)
	if err != nil {
		return Document{}, err
	}
	if bytes.IndexByte(b, 0) >= 0 {
		return Document{}, fmt.Errorf("%s: binary data (NUL byte): not a web page", name)
	}
	var page *url.URL
	if opt.URL != "" {
		page, _ = url.Parse(opt.URL)
	}
	art, err := readability.FromReader(bytes.NewReader(b), page)
	if err != nil {
		return Document{}, fmt.Errorf("%s: no article found in the page: %v", name, err)
	}
	var text strings.Builder
	if art.Node != nil {
		if err := art.RenderText(&text); err != nil {
			return Document{}, fmt.Errorf("%s: %w", name, err)
		}
	}
	body := strings.TrimSpace(text.String())
	if body == "" {
		return Document{}, fmt.Errorf("%s: empty article: no text found in the page", name)
	}
	if err := CheckText([]byte(body)); err != nil {
		return Document{}, fmt.Errorf("%s: %w", name, err)
	}
	id := opt.ID
	if id == "" && name != "-" {
		id = name
	}
	doc := Document{Source: name, ID: id, URL: opt.URL, Title: strings.TrimSpace(art.Title()), Published: opt.Published, Text: body + "\n"}
	if t, err := art.PublishedTime(); err == nil && !t.IsZero() {
		// the day as the page writes it, in its own time zone
		doc.Published = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	}
	return doc, nil
}
