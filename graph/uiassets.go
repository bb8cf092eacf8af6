package graph

import (
	"bytes"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// The CDN addresses compiled into the UI, and where newsgraph serves local
// copies instead.
const (
	monacoCDN     = "https://cdn.jsdelivr.net/npm/monaco-editor@0.18.1/min/vs"
	monacoLocal   = "/vendor/monaco-editor/min/vs"
	iconsCDN      = "https://fonts.googleapis.com/icon?family=Material+Icons"
	iconsLocal    = "/vendor/material-icons/iconfont/material-icons.css"
	MonacoVersion = "0.18.1"
)

// DefaultUIAssets is where `make ui-assets` installs the UI's editor and
// icon font, relative to the directory newsgraph runs in; the
// NEWSGRAPH_UI_ASSETS environment variable names another.
const DefaultUIAssets = "ui-assets"

// UIAssets are the local copies of what the UI would fetch from CDNs: the
// directories of the npm packages monaco-editor and material-icons, ""
// when absent.
type UIAssets struct {
	Monaco, Icons string
}

// FindUIAssets looks for the UI's editor and icon font under dir: in
// dir/node_modules/<package> (as `npm install --prefix dir` puts them) or
// in dir/<package>. dir "" means NEWSGRAPH_UI_ASSETS, else
// DefaultUIAssets.
func FindUIAssets(dir string) UIAssets {
	if dir == "" {
		dir = os.Getenv("NEWSGRAPH_UI_ASSETS")
	}
	if dir == "" {
		dir = DefaultUIAssets
	}
	var a UIAssets
	find := func(pkg, probe string) string {
		for _, d := range []string{filepath.Join(dir, "node_modules", pkg), filepath.Join(dir, pkg), dir} {
			if _, err := os.Stat(filepath.Join(d, probe)); err == nil {
				return d
			}
		}
		return ""
	}
	a.Monaco = find("monaco-editor", filepath.Join("min", "vs", "loader.js"))
	a.Icons = find("material-icons", filepath.Join("iconfont", "material-icons.css"))
	return a
}

// Describe says where the UI's editor and icons come from, for the log.
func (a UIAssets) Describe() string {
	var parts []string
	if a.Monaco != "" {
		parts = append(parts, "editor from "+a.Monaco)
	} else {
		parts = append(parts, "editor from the CDN (run `make ui-assets` to serve it offline)")
	}
	if a.Icons != "" {
		parts = append(parts, "icons from "+a.Icons)
	} else {
		parts = append(parts, "icons from the CDN")
	}
	return strings.Join(parts, ", ")
}

// patch points a UI script at the local editor.
func (a UIAssets) patch(js []byte) []byte {
	if a.Monaco == "" {
		return js
	}
	return bytes.ReplaceAll(js, []byte(monacoCDN), []byte(monacoLocal))
}

// patchCSS returns the UI's style sheets that import the icon font from
// the CDN, importing the local one instead.
func (a UIAssets) patchCSS(web fs.FS) (map[string][]byte, error) {
	out := map[string][]byte{}
	if a.Icons == "" {
		return out, nil
	}
	err := fs.WalkDir(web, "static/css", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".css") {
			return err
		}
		b, err := fs.ReadFile(web, p)
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte(iconsCDN)) {
			out["/"+p] = bytes.ReplaceAll(b, []byte(iconsCDN), []byte(iconsLocal))
		}
		return nil
	})
	return out, err
}

// mount serves the local assets under /vendor/.
func (a UIAssets) mount(mux *http.ServeMux) {
	if a.Monaco != "" {
		mux.Handle("/vendor/monaco-editor/", http.StripPrefix("/vendor/monaco-editor/", noListing(http.Dir(a.Monaco))))
	}
	if a.Icons != "" {
		mux.Handle("/vendor/material-icons/", http.StripPrefix("/vendor/material-icons/", noListing(http.Dir(a.Icons))))
	}
}

// noListing serves files but no directory listings.
func noListing(root http.FileSystem) http.Handler {
	files := http.FileServer(root)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") || r.URL.Path == "" {
			http.NotFound(w, r)
			return
		}
		files.ServeHTTP(w, r)
	})
}
