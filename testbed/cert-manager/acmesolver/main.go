// The testbed's HTTP-01 solver: the program the cert-manager controller runs in each solver pod,
// with the flags it passes (upstream's acmesolver command is a module the Go module proxy does not
// serve). It answers the one challenge it was started for, from the library's solver.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/cert-manager/cert-manager/pkg/issuer/acme/http/solver"
	logf "github.com/cert-manager/cert-manager/pkg/logs"
)

func main() {
	s := &solver.HTTP01Solver{}
	flag.IntVar(&s.ListenPort, "listen-port", 8089, "port to serve the challenge on")
	flag.StringVar(&s.Domain, "domain", "", "the domain name being validated")
	flag.StringVar(&s.Token, "token", "", "the challenge token (the last segment of the path)")
	flag.StringVar(&s.Key, "key", "", "the key authorization to answer with")
	flag.Parse()
	if s.Domain == "" || s.Token == "" || s.Key == "" {
		fmt.Fprintln(os.Stderr, "acmesolver: --domain, --token and --key are required")
		os.Exit(2)
	}

	// The controller deletes the pod once the challenge is done: stop serving at once on TERM.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = s.Shutdown(shutdown)
	}()

	if err := s.Listen(logf.Log.WithName("acmesolver")); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(os.Stderr, "acmesolver:", err)
		os.Exit(1)
	}
}
