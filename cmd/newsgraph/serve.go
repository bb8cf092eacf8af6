package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/newsgraph/newsgraph/graph"
)

func runServe(e *env, args []string) error {
	fs := newFlags(e, "serve")
	sf := addStoreFlags(fs)
	addr := fs.String("addr", graph.DefaultAddr, "address to listen on (loopback by default)")
	writable := fs.Bool("writable", false, "allow writes and deletes through the API")
	token := fs.String("auth-token", os.Getenv("NEWSGRAPH_AUTH_TOKEN"), "token required as \"Authorization: Bearer TOKEN\" on writes (env NEWSGRAPH_AUTH_TOKEN)")
	timeout := fs.Duration("timeout", 30*time.Second, "stop a query that runs longer")
	limit := fs.Int("limit", 1000, "most results a query returns")
	maxBody := fs.Int64("max-body", 16<<20, "largest request body, in bytes")
	assets := fs.String("ui-assets", "", "directory of the UI's editor and icons from npm (make ui-assets puts them in ./ui-assets), served so the UI works offline (default $NEWSGRAPH_UI_ASSETS, else ./"+graph.DefaultUIAssets+")")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *writable && *token == "" {
		return usageError("--writable needs --auth-token TOKEN (or NEWSGRAPH_AUTH_TOKEN): every write must carry it")
	}
	if *assets != "" && graph.FindUIAssets(*assets).Monaco == "" {
		return usageError("--ui-assets %s: no monaco-editor there (make ui-assets UI_ASSETS=%s installs it)", *assets, *assets)
	}
	st, err := sf.open(!*writable)
	if err != nil {
		return err
	}
	defer st.Close()
	h, err := st.Handler(graph.ServeOptions{Writable: *writable, AuthToken: *token, Timeout: *timeout, Limit: *limit, MaxBody: *maxBody, UIAssets: *assets})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		WriteTimeout:      *timeout + 30*time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	mode := "read-only"
	if *writable {
		mode = "writable"
	}
	fmt.Fprintf(e.stderr, "serving %s %s (%s) at http://%s/\n", st.Backend(), st.Path(), mode, ln.Addr())
	fmt.Fprintf(e.stderr, "web UI: %s\n", graph.FindUIAssets(*assets).Describe())
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
