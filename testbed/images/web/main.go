// web is the testbed's test server: HTTP on :8080 (PORT overrides) with
//
//	/          200, the pod's hostname (any other path: 404)
//	/healthz   200 "ok"
//	/burn?ms=N spends N ms of CPU before it answers (for real CPU metrics and the HPA)
//
// It logs the moment it receives SIGTERM (so tests can time preStop hooks and grace periods
// from the container's own log) and then drains: it stops accepting, finishes requests in
// flight, and exits 0.
package main

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"syscall"
	"time"
)

func burn(w http.ResponseWriter, r *http.Request) {
	ms, err := strconv.Atoi(r.URL.Query().Get("ms"))
	if err != nil || ms < 0 || ms > 60000 {
		http.Error(w, "ms must be an integer from 0 to 60000\n", http.StatusBadRequest)
		return
	}
	// Busy work measured in this thread's CPU time, so a throttled container still spends N ms.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cpu := func() time.Duration {
		var ru syscall.Rusage
		_ = syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	start, x := cpu(), 0
	for cpu()-start < time.Duration(ms)*time.Millisecond {
		for i := 0; i < 100000; i++ {
			x += i * i
		}
	}
	fmt.Fprintf(w, "burned %d ms (%d)\n", ms, x%7)
}

func main() {
	log.SetFlags(0)
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	host, _ := os.Hostname()
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("/burn", burn)
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, host) })
	server := &http.Server{Addr: ":" + port, Handler: mux, ReadHeaderTimeout: 10 * time.Second}

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		name := map[os.Signal]string{syscall.SIGTERM: "SIGTERM", syscall.SIGINT: "SIGINT"}[<-stop]
		log.Printf("%s received at %s", name, time.Now().UTC().Format(time.RFC3339Nano))
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = server.Shutdown(ctx)
	}()
	log.Printf("web listening on :%s", port)
	if err := server.ListenAndServe(); err != http.ErrServerClosed {
		log.Fatal(err)
	}
	log.Printf("drained, exiting at %s", time.Now().UTC().Format(time.RFC3339Nano))
}
